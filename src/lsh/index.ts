export { LshIndex, LSH_DEFAULTS } from './lsh-index';
export type { LshIndexOptions } from './lsh-index';
export { optimalLshParams, recallLshParams } from './params';
export type { LshParams } from './params';
