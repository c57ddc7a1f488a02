export { normalize, NORMALIZE_DEFAULTS, type NormalizeOptions } from './normalize';
export { lines, paragraphs, type Segment } from './segment';
export { sentences, type SentenceOptions } from './sentences';
export { words, wordSpans, scanWordSpans, wordSpanScratch, WORD_DEFAULTS, type WordOptions } from './words';
