export { normalize, NORMALIZE_DEFAULTS, type NormalizeOptions } from './normalize';
export { lines, paragraphs, type Segment } from './segment';
export { sentences, type SentenceOptions } from './sentences';
export { words, WORD_DEFAULTS, type WordOptions } from './words';
/** @internal The word tokenizer as UTF-16 spans, for quality/ and substring/. */
export { wordSpans } from './words';
