export { gopherRepetition } from './gopher-repetition';
export type { GopherRepetitionReason, GopherRepetitionResult, GopherRepetitionStats } from './gopher-repetition';
export { gopherQuality } from './gopher-quality';
export type { GopherQualityReason, GopherQualityResult, GopherQualityStats } from './gopher-quality';
export { c4Quality } from './c4';
export type { C4QualityReason, C4QualityResult, C4QualityStats } from './c4';
export { finewebQuality } from './fineweb';
export type { FinewebQualityReason, FinewebQualityResult, FinewebQualityStats } from './fineweb';
export { qualityReport } from './report';
export type { QualityReason, QualityReport } from './report';
export {
  C4_QUALITY_DEFAULTS,
  FINEWEB_QUALITY_DEFAULTS,
  GOPHER_QUALITY_DEFAULTS,
  GOPHER_REPETITION_DEFAULTS,
  TERMINAL_PUNCTUATION,
} from './options';
export type {
  C4QualityOptions,
  FinewebQualityOptions,
  GopherQualityOptions,
  GopherRepetitionOptions,
  NGramThreshold,
  QualityReportOptions,
  TokenizerOption,
} from './options';
export type { QualityTokenizer } from './analysis';
export type { QualityResult } from './types';
