/**
 * The MinHash schemes neardup implements: `'fast'` (Fast Similarity Sketching, expected O(n + k log k)) and
 * `'classic'` (k independent hash functions, O(n · k)). See {@link MinHasher}.
 *
 * @example
 * ```ts
 * const scheme: MinHashScheme = 'classic';
 * new MinHasher({ scheme }).scheme; // => 'classic'
 * ```
 */
export type MinHashScheme = 'classic' | 'fast';

/**
 * A MinHash signature: `numPerm` unsigned 32-bit minima, plus the parameters that made it.
 * Two signatures are comparable only when `numPerm`, `seed` and `scheme` all match.
 *
 * @example
 * ```ts
 * const sig: MinHashSignature = new MinHasher({ numPerm: 64, seed: 3 }).signature(new Uint32Array([1, 2, 3]));
 * [sig.values.length, sig.numPerm, sig.seed, sig.scheme]; // => [64, 64, 3, 'fast']
 * ```
 */
export interface MinHashSignature {
  /** The minima, one per permutation. */
  readonly values: Uint32Array;
  /** Number of permutations (the length of `values`). */
  readonly numPerm: number;
  /** Seed of the hash family. */
  readonly seed: number;
  /** Scheme that produced the values. */
  readonly scheme: MinHashScheme;
}

/**
 * The value every slot of the empty set's signature holds. An empty shingle set has no minimum, so its
 * signature is all 0xFFFFFFFF: Jaccard estimates involving it are 0 ({@link estimateJaccard}),
 * and {@link LshIndex} stores it but never buckets it, so empty or all-punctuation documents are never reported as duplicates of each other.
 * No slot of a non-empty set's signature ever holds this value (a real 0xFFFFFFFF minimum is stored as 0xFFFFFFFE).
 *
 * @example
 * ```ts
 * const hasher = new MinHasher({ numPerm: 8 });
 * hasher.signature(new Uint32Array(0)).values.every((v) => v === EMPTY_SLOT); // => true
 * hasher.signature(new Uint32Array([5])).values.includes(EMPTY_SLOT); // => false
 * ```
 */
export const EMPTY_SLOT = 0xffffffff;

/**
 * True when `values` is the empty set's signature (every slot {@link EMPTY_SLOT}).
 * @internal
 */
export function isEmptySignature(values: Uint32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== EMPTY_SLOT) return false;
  return true;
}
