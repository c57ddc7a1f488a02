export { shingles, SHINGLE_DEFAULTS, wordHashes, MAX_SHINGLE_SIZE, type ShingleOptions } from './shingles';
export { hashUtf16, hashWords, fmix32 } from './murmur';
