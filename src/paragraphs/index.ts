export { dedupeParagraphs, DEDUPE_PARAGRAPHS_DEFAULTS } from './dedupe-paragraphs';
export type { DedupeParagraphsOptions, DedupeParagraphsResult, NearParagraphOptions, ParagraphRemoval, ParagraphUnit } from './dedupe-paragraphs';
export { ParagraphDeduplicator, PARAGRAPH_DEDUPLICATOR_DEFAULTS } from './deduplicator';
export type {
  ParagraphDeduplicatorOptions,
  ParagraphDeduplicatorRemoval,
  ParagraphDeduplicatorResult,
  ParagraphStore,
} from './deduplicator';
export { paragraphFrequencies, PARAGRAPH_FREQUENCIES_DEFAULTS } from './frequencies';
export type { ParagraphFrequenciesOptions, ParagraphFrequency } from './frequencies';
