export { MinHasher, MINHASH_DEFAULTS, MINHASH_LIMITS, estimateJaccard } from './minhasher';
export type { MinHasherOptions } from './minhasher';
export { signatureToBytes, signatureFromBytes } from './serialize';
export { EMPTY_SLOT } from './types';
export type { MinHashScheme, MinHashSignature } from './types';
