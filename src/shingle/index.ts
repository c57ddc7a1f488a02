export { shingles, SHINGLE_DEFAULTS, wordHashes, MAX_SHINGLE_SIZE, type ShingleOptions } from './shingles';
