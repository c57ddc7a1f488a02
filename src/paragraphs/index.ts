// Repeated lines, paragraphs and sentences: inside one text, across a stream of documents, and counted.
export type { ParagraphOptions, ParagraphRemoval, ParagraphResult } from './options';
export type { ParagraphUnit } from './units';
export { dedupeParagraphs, DEDUPE_PARAGRAPHS_DEFAULTS } from './dedupe-paragraphs';
export type { DedupeParagraphsOptions, NearParagraphOptions } from './dedupe-paragraphs';
export { ParagraphDeduplicator, PARAGRAPH_DEDUPLICATOR_DEFAULTS } from './deduplicator';
export type { ParagraphDeduplicatorOptions, ParagraphStore } from './deduplicator';
export { paragraphFrequencies, PARAGRAPH_FREQUENCIES_DEFAULTS } from './frequencies';
export type { ParagraphFrequenciesOptions, ParagraphFrequency } from './frequencies';
