import { assertInteger, assertOneOf, assertOptions, describe, fail } from '../internal/validate';
import { classicInto, fastInto } from './kernels';
import { seededWords } from '../hash/mix';
import { EMPTY_SLOT, type MinHashScheme, type MinHashSignature } from './types';

/** The schemes {@link MinHasher} accepts. */
const SCHEMES: readonly MinHashScheme[] = ['classic', 'fast'];
const MINHASH_KEYS = ['numPerm', 'seed', 'scheme'] as const;

/**
 * Defaults of {@link MinHasher}: 128 permutations, seed 1, the `'fast'` scheme.
 *
 * @example
 * ```ts
 * MINHASH_DEFAULTS.numPerm; // => 128
 * MINHASH_DEFAULTS.scheme; // => 'fast'
 * ```
 */
export const MINHASH_DEFAULTS: Readonly<{
  /** Number of permutations, the signature length: 128 (standard error of a Jaccard estimate ≤ 0.045). */
  numPerm: number;
  /** Seed of the hash family: 1. Signatures are comparable only when made with the same seed. */
  seed: number;
  /** The scheme: `'fast'` (Fast Similarity Sketching). */
  scheme: MinHashScheme;
}> = Object.freeze({
  numPerm: 128,
  seed: 1,
  scheme: 'fast',
});

/**
 * The accepted ranges of {@link MinHasher}'s options: `numPerm` in `[1, 65535]`, `seed` in `[0, 2^32 − 1]`.
 * 65535 permutations is far beyond any useful sketch (the standard error at 1024 permutations is already
 * below 0.016) and keeps the fast scheme's packed values at 15 or more bits of hash below the round index.
 *
 * @example
 * ```ts
 * MINHASH_LIMITS.maxNumPerm; // => 65535
 * ```
 */
export const MINHASH_LIMITS: Readonly<{
  /** Smallest accepted `numPerm`: 1. */
  minNumPerm: number;
  /** Largest accepted `numPerm`: 65535. */
  maxNumPerm: number;
  /** Largest accepted `seed`: 2^32 − 1 (seeds are unsigned 32-bit integers; the smallest is 0). */
  maxSeed: number;
}> = Object.freeze({
  minNumPerm: 1,
  maxNumPerm: 65535,
  maxSeed: 0xffffffff,
});

/**
 * Options of {@link MinHasher}; every field is optional (see {@link MINHASH_DEFAULTS}).
 *
 * @example
 * ```ts
 * const options: MinHasherOptions = { numPerm: 256, seed: 42, scheme: 'classic' };
 * new MinHasher(options).numPerm; // => 256
 * ```
 */
export interface MinHasherOptions {
  /** Number of permutations (signature length), an integer in `[1, 65535]`. Default 128. */
  numPerm?: number;
  /** Seed of the hash family, an integer in `[0, 2^32 − 1]`. Default 1. */
  seed?: number;
  /** `'fast'` (default, O(n + k log k)) or `'classic'` (k independent hash functions, O(n · k)). */
  scheme?: MinHashScheme;
}

/**
 * Throws a `TypeError` unless `sig` looks like a {@link MinHashSignature}, and a `RangeError` unless its scheme,
 * seed and numPerm are ones {@link MinHasher}'s constructor accepts and it has numPerm values.
 * @internal
 */
export function assertSignature(what: string, name: string, sig: unknown): asserts sig is MinHashSignature {
  const s = sig as Partial<MinHashSignature> | null;
  if (typeof s !== 'object' || s === null || !(s.values instanceof Uint32Array) || typeof s.numPerm !== 'number' ||
      typeof s.seed !== 'number' || typeof s.scheme !== 'string') {
    fail(TypeError, `${what}: ${name}`, 'a MinHashSignature ({ values: Uint32Array, numPerm, seed, scheme })', sig);
  }
  // The parameters MinHasher's constructor accepts, checked by the same rules: a signature is only ever made by one.
  assertOneOf(`${what}: ${name}.scheme`, s.scheme, SCHEMES);
  assertInteger(`${what}: ${name}.seed`, s.seed, 0, MINHASH_LIMITS.maxSeed);
  assertInteger(`${what}: ${name}.numPerm`, s.numPerm, MINHASH_LIMITS.minNumPerm, MINHASH_LIMITS.maxNumPerm);
  if (s.values.length !== s.numPerm) {
    fail(RangeError, `${what}: ${name}.values.length`, `${name}.numPerm (${s.numPerm})`, s.values.length);
  }
}

type Params = Pick<MinHashSignature, 'numPerm' | 'seed' | 'scheme'>;

/** Throws a `RangeError` unless the two parameter sets (signatures or a hasher) have the same numPerm, seed and scheme. */
function assertComparable(what: string, a: Params, b: Params, nameA = 'a', nameB = 'b'): void {
  for (const field of ['numPerm', 'seed', 'scheme'] as const) {
    if (a[field] !== b[field]) {
      fail(RangeError, `${what}: ${nameB}.${field}`,
        `${nameA}.${field} = ${describe(a[field])} (only signatures made with the same numPerm, seed and scheme can be compared or merged)`,
        b[field]);
    }
  }
}

function jaccardOf(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i] && a[i] !== EMPTY_SLOT) equal++;
  return equal / a.length;
}

/**
 * Estimates the Jaccard similarity |A ∩ B| / |A ∪ B| of two shingle sets from their MinHash signatures: the
 * fraction of slots where the signatures agree. The estimate is unbiased with standard error
 * √(J(1 − J)/numPerm) for both schemes. Slots holding {@link EMPTY_SLOT} never count as agreement, so an
 * empty set's signature has estimate 0 with everything, itself included.
 *
 * @param a - a signature from {@link MinHasher.signature}
 * @param b - a signature made with the same `numPerm`, `seed` and `scheme`
 * @returns the estimate, a multiple of `1 / numPerm` in `[0, 1]`
 * @throws TypeError if `a` or `b` is not a signature; RangeError if a `scheme`, `seed` or `numPerm` is one that
 *   {@link MinHasher} refuses, or if they differ between `a` and `b`
 * @example
 * ```ts
 * const hasher = new MinHasher({ numPerm: 256 });
 * const a = hasher.signature(new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8]));
 * const b = hasher.signature(new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
 * estimateJaccard(a, a); // => 1
 * Math.abs(estimateJaccard(a, b) - 0.8) < 4 * Math.sqrt(0.8 * 0.2 / 256); // => true
 * estimateJaccard(hasher.signature(new Uint32Array(0)), hasher.signature(new Uint32Array(0))); // => 0
 * ```
 */
export function estimateJaccard(a: MinHashSignature, b: MinHashSignature): number {
  assertSignature('estimateJaccard', 'a', a);
  assertSignature('estimateJaccard', 'b', b);
  assertComparable('estimateJaccard', a, b);
  return jaccardOf(a.values, b.values);
}

/**
 * Computes MinHash signatures of shingle sets (`Uint32Array`s of uint32 shingle hashes, e.g. from
 * `shingles()`; duplicates and order do not matter).
 *
 * Two schemes, both unbiased Jaccard estimators with standard error √(J(1 − J)/numPerm):
 *
 * - `'fast'` (default): Fast Similarity Sketching (Dahlgaard, Knudsen & Thorup 2017), expected
 *   O(n + k log k) for n shingles and k = numPerm: every element throws one ball per round into a random bin
 *   and each bin keeps the smallest (round, hash) it receives; rounds stop as soon as every bin is filled, and
 *   rounds k … 2k − 1 fill any bin still empty deterministically, so no densification is needed.
 * - `'classic'`: k independent seeded hash functions, slot i = min over shingles of `mix32(mix32(x ^ key) ^ salt_i)`
 *   (a bijection of the uint32s per slot, 32-bit integer arithmetic only), O(n · k).
 *
 * The fast scheme is at least as accurate as classic: for sets much larger than k it is one-permutation
 * hashing (every bin filled in the first round); for sets smaller than k each element lands in several bins
 * without replacement, which lowers the variance (at k = 128 on Debian descriptions of ~60 shingles the RMSE is
 * 0.026 against classic's 0.036; see `bench/RESULTS.md`). At 128 permutations it is 4–6× faster than classic on
 * such documents, and the gap grows with the set size.
 *
 * In both schemes each slot is a minimum over the elements of a per-element value, so the signature of
 * A ∪ B is exactly the element-wise minimum of the signatures of A and B ({@link MinHasher.merge}): shards can
 * be sketched separately and merged. (One-permutation hashing with densification lacks this property, which is
 * why the fast scheme is FSS.)
 *
 * Randomness: the key and the salts are SplitMix32 streams seeded with `seed` (Weyl sequence with increment
 * 0x9e3779b9 through the `lowbias32` mixer), so equal options give equal signatures in every process and on
 * every platform. The empty set's signature is all {@link EMPTY_SLOT} (0xFFFFFFFF); no slot of a non-empty
 * set's signature ever holds that value.
 *
 * @example
 * ```ts
 * const hasher = new MinHasher({ numPerm: 128, seed: 1 });
 * const sig = hasher.signature(new Uint32Array([10, 20, 30]));
 * sig.values.length; // => 128
 * [sig.numPerm, sig.seed, sig.scheme]; // => [128, 1, 'fast']
 * hasher.estimateJaccard(sig, hasher.signature(new Uint32Array([30, 20, 10]))); // => 1
 * ```
 */
export class MinHasher {
  /** Number of permutations: the length of every signature. */
  readonly numPerm: number;
  /** Seed of the hash family. */
  readonly seed: number;
  /** The scheme. */
  readonly scheme: MinHashScheme;
  private readonly key: number;
  private readonly salts: Int32Array;

  /**
   * @param options - `numPerm` (default 128, integer in [1, 65535]), `seed` (default 1, integer in
   *   [0, 2^32 − 1]), `scheme` (`'fast'` default, or `'classic'`)
   * @throws TypeError if `options` is not an object, has an unknown key or an option has the wrong type; RangeError if
   *   `numPerm`, `seed` or `scheme` is out of range
   * @example
   * ```ts
   * new MinHasher().numPerm; // => 128
   * new MinHasher({ scheme: 'classic', numPerm: 64 }).scheme; // => 'classic'
   * ```
   */
  constructor(options?: MinHasherOptions) {
    assertOptions('MinHasher', 'options', options, MINHASH_KEYS);
    const numPerm = options?.numPerm ?? MINHASH_DEFAULTS.numPerm;
    const seed = options?.seed ?? MINHASH_DEFAULTS.seed;
    const scheme = options?.scheme ?? MINHASH_DEFAULTS.scheme;
    assertInteger('MinHasher: options.numPerm', numPerm, MINHASH_LIMITS.minNumPerm, MINHASH_LIMITS.maxNumPerm);
    assertInteger('MinHasher: options.seed', seed, 0, MINHASH_LIMITS.maxSeed);
    assertOneOf('MinHasher: options.scheme', scheme, SCHEMES);
    this.numPerm = numPerm;
    this.seed = seed;
    this.scheme = scheme;
    this.key = seededWords(seed, 1, 0)[0]! | 0;
    // Int32Array: V8 keeps int32 loads in small-integer registers (uint32 loads above 2^31 become doubles).
    const words = scheme === 'classic' ? seededWords(seed, numPerm, 1) : seededWords(seed, 2 * numPerm, 2);
    this.salts = new Int32Array(words.buffer);
  }

  /**
   * The MinHash signature of a shingle set.
   *
   * @param shingles - distinct uint32 shingle hashes (duplicates are harmless; order is irrelevant)
   * @returns a new signature `{ values, numPerm, seed, scheme }`; all {@link EMPTY_SLOT} for an empty set
   * @throws TypeError if `shingles` is not a Uint32Array
   * @example
   * ```ts
   * const hasher = new MinHasher({ numPerm: 4 });
   * hasher.signature(new Uint32Array(0)).values; // => new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff])
   * ```
   */
  signature(shingles: Uint32Array): MinHashSignature {
    if (!(shingles instanceof Uint32Array)) fail(TypeError, 'MinHasher.signature: shingles', 'a Uint32Array', shingles);
    const values = this.fill(shingles, new Uint32Array(this.numPerm));
    return { values, numPerm: this.numPerm, seed: this.seed, scheme: this.scheme };
  }

  /**
   * Writes the signature values of a shingle set into `out`, for callers that sketch many sets into one
   * buffer (e.g. `subarray`s of a large Uint32Array). Same values as {@link MinHasher.signature}.
   *
   * @param shingles - distinct uint32 shingle hashes
   * @param out - a Uint32Array of exactly `numPerm` slots; overwritten
   * @returns `out`
   * @throws TypeError if `shingles` or `out` is not a Uint32Array; RangeError if `out.length !== numPerm`
   * @example
   * ```ts
   * const hasher = new MinHasher({ numPerm: 16 });
   * const all = new Uint32Array(2 * 16);
   * hasher.signatureInto(new Uint32Array([1, 2, 3]), all.subarray(0, 16));
   * hasher.signatureInto(new Uint32Array([4, 5, 6]), all.subarray(16, 32));
   * all.subarray(0, 16); // => hasher.signature(new Uint32Array([1, 2, 3])).values
   * ```
   */
  signatureInto(shingles: Uint32Array, out: Uint32Array): Uint32Array {
    if (!(shingles instanceof Uint32Array)) fail(TypeError, 'MinHasher.signatureInto: shingles', 'a Uint32Array', shingles);
    if (!(out instanceof Uint32Array)) fail(TypeError, 'MinHasher.signatureInto: out', 'a Uint32Array', out);
    if (out.length !== this.numPerm) fail(RangeError, 'MinHasher.signatureInto: out.length', `numPerm = ${this.numPerm}`, out.length);
    return this.fill(shingles, out);
  }

  /** Writes the signature of checked arguments into `out`. */
  private fill(shingles: Uint32Array, out: Uint32Array): Uint32Array {
    if (this.scheme === 'classic') classicInto(shingles, this.key, this.salts, out);
    else fastInto(shingles, this.key, this.salts, out);
    return out;
  }

  /**
   * {@link estimateJaccard}, also checking that both signatures come from a hasher with this one's options.
   *
   * @param a - a signature made with this hasher's options
   * @param b - another one
   * @returns the Jaccard estimate in `[0, 1]`
   * @throws TypeError if `a` or `b` is not a signature; RangeError if either was made with other options
   * @example
   * ```ts
   * const hasher = new MinHasher();
   * const sig = hasher.signature(new Uint32Array([1, 2]));
   * hasher.estimateJaccard(sig, sig); // => 1
   * ```
   */
  estimateJaccard(a: MinHashSignature, b: MinHashSignature): number {
    this.check('MinHasher.estimateJaccard', a, b);
    return jaccardOf(a.values, b.values);
  }

  /**
   * The signature of the union of two sets, from their signatures: the element-wise minimum. Exact for both
   * schemes: `merge(signature(A), signature(B))` equals `signature(A ∪ B)` slot for slot, so shards can be
   * sketched independently. Merging with the empty set's signature returns the other signature's values.
   *
   * @param a - a signature made with this hasher's options
   * @param b - another one
   * @returns a new signature of A ∪ B
   * @throws TypeError if `a` or `b` is not a signature; RangeError if either was made with other options
   * @example
   * ```ts
   * const hasher = new MinHasher({ numPerm: 32 });
   * const merged = hasher.merge(hasher.signature(new Uint32Array([1, 2])), hasher.signature(new Uint32Array([2, 3])));
   * merged.values; // => hasher.signature(new Uint32Array([1, 2, 3])).values
   * ```
   */
  merge(a: MinHashSignature, b: MinHashSignature): MinHashSignature {
    this.check('MinHasher.merge', a, b);
    const x = a.values;
    const y = b.values;
    const values = new Uint32Array(this.numPerm);
    for (let i = 0; i < values.length; i++) values[i] = x[i]! < y[i]! ? x[i]! : y[i]!;
    return { values, numPerm: this.numPerm, seed: this.seed, scheme: this.scheme };
  }

  private check(what: string, a: MinHashSignature, b: MinHashSignature): void {
    assertSignature(what, 'a', a);
    assertSignature(what, 'b', b);
    assertComparable(what, this, a, 'hasher', 'a');
    assertComparable(what, this, b, 'hasher', 'b');
  }
}
