export { dedupeParagraphs, DEDUPE_PARAGRAPHS_DEFAULTS } from './paragraphs';
export type { DedupeParagraphsOptions, DedupeParagraphsResult, NearParagraphOptions, ParagraphRemoval, ParagraphUnit } from './paragraphs';
export { ParagraphDeduplicator, PARAGRAPH_DEDUPLICATOR_DEFAULTS } from './paragraph-deduplicator';
export type {
  ParagraphDeduplicatorOptions,
  ParagraphDeduplicatorRemoval,
  ParagraphDeduplicatorResult,
  ParagraphStore,
} from './paragraph-deduplicator';
export { paragraphFrequencies, PARAGRAPH_FREQUENCIES_DEFAULTS } from './paragraph-frequencies';
export type { ParagraphFrequenciesOptions, ParagraphFrequency } from './paragraph-frequencies';
export * from './documents';
