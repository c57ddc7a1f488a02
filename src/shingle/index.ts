export { shingles, SHINGLE_DEFAULTS, MAX_SHINGLE_SIZE, type ShingleOptions } from './shingles';
