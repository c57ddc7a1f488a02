import { assertInteger, assertOptions, fail } from '../internal/validate';
import { seededWords } from '../hash/mix';

/**
 * Defaults of {@link simhash}: 64-bit fingerprints, seed 0, every shingle weighted 1.
 *
 * @example
 * ```ts
 * SIMHASH_DEFAULTS; // => { bits: 64, seed: 0 }
 * ```
 */
export const SIMHASH_DEFAULTS: Readonly<{
  /** Fingerprint width in bits: 64 (the full fingerprint; allowed range [1, 64]). */
  bits: number;
  /** Seed of the 64-bit expansion of the shingles: 0 (allowed range [0, 2^32 − 1]). */
  seed: number;
}> = Object.freeze({ bits: 64, seed: 0 });

/**
 * Options of {@link simhash}.
 *
 * @example
 * ```ts
 * const options: SimHashOptions = { bits: 32, seed: 7, weights: [1, 2, 3] };
 * simhash(new Uint32Array([1, 2, 3]), options) < 2n ** 32n; // => true
 * ```
 */
export interface SimHashOptions {
  /** Fingerprint width, an integer in [1, 64]: the low `bits` bits of the 64-bit fingerprint. Default 64. */
  bits?: number;
  /** Seed of the 64-bit expansion of the shingles, an integer in [0, 2^32 − 1]. Default 0. */
  seed?: number;
  /**
   * One finite, non-negative weight per shingle (same length and order as `shingles`), e.g. term
   * frequencies or IDF. Default: every shingle weighs 1.
   */
  weights?: Float64Array | readonly number[];
}

const SIMHASH_KEYS = ['bits', 'seed', 'weights'] as const;
const BYTE_LANES = 0x01010101;

// Scratch, grown once: 64 per-bit counters (unweighted) or weight sums (weighted), and the last keys.
let counts: Int32Array | undefined;
let sums: Float64Array | undefined;
let keysFor = -1;
let key0 = 0;
let key1 = 0;

/** Pushes the four byte lanes of `acc` (bit `j` of each byte of a 32-bit word) into `into[j], into[j+8], …`. */
function flushLanes(acc: Int32Array, into: Int32Array, offset: number): void {
  for (let j = 0; j < 8; j++) {
    const v = acc[j]!;
    into[offset + j] = into[offset + j]! + (v & 0xff);
    into[offset + j + 8] = into[offset + j + 8]! + ((v >>> 8) & 0xff);
    into[offset + j + 16] = into[offset + j + 16]! + ((v >>> 16) & 0xff);
    into[offset + j + 24] = into[offset + j + 24]! + (v >>> 24);
    acc[j] = 0;
  }
}

/**
 * The fingerprint halves of a shingle set, written into `out[0]` (bits 32–63) and `out[1]` (bits 0–31).
 * No validation: the kernel behind {@link simhash}. Its loops inline `mix32` of src/hash/mix.ts twice per shingle
 * (a deliberate copy: a call per shingle costs); tests/simhash.test.ts checks the result against BigInt oracles.
 * @internal
 */
export function simhashParts(shingles: Uint32Array, seed: number, weights: ArrayLike<number> | undefined, out: Uint32Array): void {
  if (keysFor !== seed) {
    const k = seededWords(seed, 2, 3);
    key0 = k[0]! | 0;
    key1 = k[1]! | 0;
    keysFor = seed;
  }
  const n = shingles.length;
  let hiWord = 0;
  let loWord = 0;
  if (weights === undefined) {
    // Bit-sliced counting: byte lane j of acc[j] counts bit j, j + 8, j + 16, j + 24 of every word; a lane holds
    // at most 255, so the lanes are flushed into the 32-bit counters every 255 shingles.
    const c = (counts ??= new Int32Array(64 + 16));
    c.fill(0);
    const accLo = c.subarray(64, 72);
    const accHi = c.subarray(72, 80);
    let pending = 0;
    for (let e = 0; e < n; e++) {
      let lo = shingles[e]! ^ key0;
      lo ^= lo >>> 16;
      lo = Math.imul(lo, 0x7feb352d);
      lo ^= lo >>> 15;
      lo = Math.imul(lo, 0x846ca68b);
      lo ^= lo >>> 16;
      let hi = lo ^ key1;
      hi ^= hi >>> 16;
      hi = Math.imul(hi, 0x7feb352d);
      hi ^= hi >>> 15;
      hi = Math.imul(hi, 0x846ca68b);
      hi ^= hi >>> 16;
      for (let j = 0; j < 8; j++) {
        accLo[j] = accLo[j]! + ((lo >>> j) & BYTE_LANES);
        accHi[j] = accHi[j]! + ((hi >>> j) & BYTE_LANES);
      }
      if (++pending === 255) {
        flushLanes(accLo, c, 0);
        flushLanes(accHi, c, 32);
        pending = 0;
      }
    }
    flushLanes(accLo, c, 0);
    flushLanes(accHi, c, 32);
    // Bit b is set when strictly more than half of the shingles have it set.
    for (let b = 31; b >= 0; b--) {
      loWord = (loWord << 1) | (2 * c[b]! > n ? 1 : 0);
      hiWord = (hiWord << 1) | (2 * c[32 + b]! > n ? 1 : 0);
    }
  } else {
    const s = (sums ??= new Float64Array(64));
    s.fill(0);
    let total = 0;
    for (let e = 0; e < n; e++) {
      const w = weights[e]!;
      total += w;
      let lo = shingles[e]! ^ key0;
      lo ^= lo >>> 16;
      lo = Math.imul(lo, 0x7feb352d);
      lo ^= lo >>> 15;
      lo = Math.imul(lo, 0x846ca68b);
      lo ^= lo >>> 16;
      let hi = lo ^ key1;
      hi ^= hi >>> 16;
      hi = Math.imul(hi, 0x7feb352d);
      hi ^= hi >>> 15;
      hi = Math.imul(hi, 0x846ca68b);
      hi ^= hi >>> 16;
      // Branch-free: the bits are random, so a branch per bit would mispredict half the time.
      for (let b = 0; b < 32; b++) {
        s[b] = s[b]! + w * ((lo >>> b) & 1);
        s[32 + b] = s[32 + b]! + w * ((hi >>> b) & 1);
      }
    }
    // Bit b is set when the shingles with the bit set weigh strictly more than half of the total.
    for (let b = 31; b >= 0; b--) {
      loWord = (loWord << 1) | (2 * s[b]! > total ? 1 : 0);
      hiWord = (hiWord << 1) | (2 * s[32 + b]! > total ? 1 : 0);
    }
  }
  out[0] = hiWord;
  out[1] = loWord;
}

let parts: Uint32Array | undefined;

/**
 * The SimHash fingerprint (Charikar 2002) of a shingle set: every shingle is expanded to 64 pseudo-random
 * bits, and bit b of the fingerprint is 1 when the shingles having bit b set weigh strictly more than half
 * of the total weight. Similar sets get fingerprints at a small Hamming distance ({@link hamming}).
 *
 * The expansion is 32-bit integer arithmetic: `lo = mix32(x ^ k0)`, `hi = mix32(lo ^ k1)`, with `mix32` the
 * `lowbias32` bijection and `k0, k1` drawn from a SplitMix32 stream seeded with `seed`. Unweighted sets are
 * counted bit-sliced (four bits per add). Order of the shingles is irrelevant; a repeated shingle counts
 * as many times as it occurs. The empty set's fingerprint is `0n`, so all empty documents share it: callers
 * that index fingerprints should skip empty sets.
 *
 * @param shingles - uint32 shingle hashes, e.g. from `shingles()`
 * @param options - `bits` (default 64), `seed` (default 0), `weights` (default all 1)
 * @returns the fingerprint, a bigint in `[0, 2^bits)`
 * @throws TypeError if `shingles` is not a Uint32Array or `weights` is not an array; RangeError if `bits` or
 *   `seed` is out of range, `weights` has another length than `shingles`, or a weight is negative or not finite
 * @example
 * ```ts
 * const a = simhash(new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
 * const b = simhash(new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 11]));
 * hamming(a, a); // => 0
 * hamming(a, b) < 16; // => true
 * simhash(new Uint32Array(0)); // => 0n
 * simhash(new Uint32Array([1, 2]), { weights: [0, 1] }) === simhash(new Uint32Array([2])); // => true
 * ```
 */
export function simhash(shingles: Uint32Array, options?: SimHashOptions): bigint {
  if (!(shingles instanceof Uint32Array)) fail(TypeError, 'simhash: shingles', 'a Uint32Array', shingles);
  assertOptions('simhash', 'options', options, SIMHASH_KEYS);
  const bits = options?.bits ?? SIMHASH_DEFAULTS.bits;
  const seed = options?.seed ?? SIMHASH_DEFAULTS.seed;
  const weights = options?.weights;
  assertInteger('simhash: options.bits', bits, 1, 64);
  assertInteger('simhash: options.seed', seed, 0, 0xffffffff);
  if (weights !== undefined) {
    if (!(weights instanceof Float64Array) && !Array.isArray(weights)) {
      fail(TypeError, 'simhash: options.weights', 'a Float64Array or an array of numbers', weights);
    }
    if (weights.length !== shingles.length) {
      fail(RangeError, 'simhash: options.weights.length', `${shingles.length}, one weight per shingle`, weights.length);
    }
    for (let i = 0; i < weights.length; i++) {
      const w: unknown = weights[i];
      if (typeof w !== 'number') fail(TypeError, `simhash: options.weights[${i}]`, 'a finite number of at least 0', w);
      if (!(w >= 0 && w < Infinity)) fail(RangeError, `simhash: options.weights[${i}]`, 'a finite number of at least 0', w);
    }
  }
  const p = (parts ??= new Uint32Array(2));
  simhashParts(shingles, seed, weights, p);
  let hi = p[0]!;
  let lo = p[1]!;
  if (bits < 64) {
    if (bits <= 32) {
      hi = 0;
      lo = bits === 32 ? lo : lo & ((1 << bits) >>> 0) - 1;
    } else {
      hi = hi & ((1 << (bits - 32)) >>> 0) - 1;
    }
  }
  return hi === 0 ? BigInt(lo >>> 0) : (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Number of set bits of a 32-bit integer. @internal */
export function popcount32(x: number): number {
  x = (x - ((x >>> 1) & 0x55555555)) | 0;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const MAX64 = 0xffffffffffffffffn;

/** Throws unless `fp` is a bigint in [0, 2^64). @internal */
export function assertFingerprint(name: string, fp: unknown): asserts fp is bigint {
  if (typeof fp !== 'bigint') fail(TypeError, name, 'a bigint from 0n to 2n ** 64n − 1n', fp);
  if (fp < 0n || fp > MAX64) fail(RangeError, name, 'a bigint from 0n to 2n ** 64n − 1n', fp);
}

/**
 * The Hamming distance of two 64-bit fingerprints: the number of bit positions where they differ.
 *
 * @param a - a fingerprint in `[0, 2^64)`
 * @param b - another one
 * @returns the distance, an integer in [0, 64]
 * @throws TypeError if `a` or `b` is not a bigint; RangeError if it is outside [0, 2^64 − 1]
 * @example
 * ```ts
 * hamming(0b1011n, 0b0001n); // => 2
 * hamming(0n, 2n ** 64n - 1n); // => 64
 * ```
 */
export function hamming(a: bigint, b: bigint): number {
  assertFingerprint('hamming: a', a);
  assertFingerprint('hamming: b', b);
  const x = a ^ b;
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}
