export { simhash, hamming, SIMHASH_DEFAULTS } from './simhash';
export type { SimHashOptions } from './simhash';
export { SimHashIndex, SIMHASH_INDEX_DEFAULTS } from './simhash-index';
export type { SimHashIndexOptions } from './simhash-index';
