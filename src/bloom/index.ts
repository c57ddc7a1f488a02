export { BloomFilter, BLOOM_FILTER_DEFAULTS } from './bloom-filter';
export type { BloomFilterOptions } from './bloom-filter';
