/**
 * The MinHash kernels: no validation, no allocation per call (lazily grown scratch buffers).
 *
 * Both schemes first key every shingle with `y = mix32(x ^ key)` (a seeded bijection of the uint32 shingle
 * hashes, so structured inputs such as small integers are spread out), then:
 *
 * - `classic`: slot `i` holds `min over y of mix32(y ^ salt[i])`. Each permutation is a seeded bijection of
 *   the 32-bit integers; `salt` is a SplitMix32 stream, so the salts are pairwise distinct. O(n · k).
 * - `fast`: Fast Similarity Sketching (Dahlgaard, Knudsen & Thorup, FOCS 2017). Round `r` (0 ≤ r < 2k) gives
 *   every element one ball: `h = mix32(y ^ roundSalt[r])`; for `r < k` the ball goes to bin
 *   `⌊h · k / 2^32⌋` with value `r + frac`, where `frac` is the fractional position `(h · k mod 2^32) / 2^32`;
 *   for `r ≥ k` it goes to bin `r − k` with value `r + h / 2^32`. Slot `b` holds the minimum value of bin `b`.
 *   Values of round `r` lie in `[r, r + 1)`, so once every bin holds a value after round `r` no later ball can
 *   lower any bin and the loop stops: expected O(n + k log k). Rounds `k … 2k − 1` guarantee that every
 *   bin is filled, so no densification is needed.
 *
 * Values are packed into uint32 as `round · 2^(32 − R) + ⌊frac · 2^(32 − R)⌋` with `R = ⌈log2 2k⌉` bits for
 * the round, which keeps their order. Because every slot of both schemes is a minimum over the elements of a
 * per-element value, the signature of a union is the element-wise minimum of the signatures: `merge` is exact.
 * For a non-empty set the value 0xFFFFFFFF ({@link EMPTY_SLOT}) is lowered to 0xFFFFFFFE, so a real
 * signature never looks empty (the clamp commutes with `min`, so merging stays exact).
 *
 * Inner loops keep every value as an int32 with the sign bit flipped (`u ^ 0x80000000`), so unsigned order
 * is signed int32 order and V8 never leaves small-integer arithmetic.
 * @internal
 */
import { EMPTY_SLOT } from './types';

const SIGN = 0x80000000 | 0; // -2^31
const FLIPPED_EMPTY = 0x7fffffff; // EMPTY_SLOT ^ SIGN
const FLIPPED_CLAMP = 0x7ffffffe; // (EMPTY_SLOT - 1) ^ SIGN

// Scratch buffers shared by all hashers, created on first use (nothing is allocated at import time).
let ys: Int32Array | undefined; // keyed shingles of the fast scheme
let acc: Int32Array | undefined; // sign-flipped slot minima

function scratchKeys(n: number): Int32Array {
  if (ys === undefined || ys.length < n) ys = new Int32Array(Math.max(n, 2 * (ys?.length ?? 0), 256));
  return ys;
}

function scratchSlots(k: number): Int32Array {
  if (acc === undefined || acc.length < k) acc = new Int32Array(Math.max(k, 128));
  return acc;
}

/** Copies the flipped accumulator `a` into `out`, lowering a real 0xFFFFFFFF to 0xFFFFFFFE. */
function finish(a: Int32Array, out: Uint32Array, k: number): void {
  for (let i = 0; i < k; i++) {
    const v = a[i]!;
    out[i] = (v === FLIPPED_EMPTY ? FLIPPED_CLAMP : v) ^ SIGN;
  }
}

/** Classic MinHash with `salts.length` permutations into `out` (same length). */
export function classicInto(shingles: Uint32Array, key: number, salts: Int32Array, out: Uint32Array): void {
  const n = shingles.length;
  const k = out.length;
  if (n === 0) {
    out.fill(EMPTY_SLOT);
    return;
  }
  const a = scratchSlots(k);
  a.fill(FLIPPED_EMPTY, 0, k);
  for (let e = 0; e < n; e++) {
    let y = shingles[e]! ^ key;
    y ^= y >>> 16;
    y = Math.imul(y, 0x7feb352d);
    y ^= y >>> 15;
    y = Math.imul(y, 0x846ca68b);
    y ^= y >>> 16;
    for (let i = 0; i < k; i++) {
      let h = y ^ salts[i]!;
      h ^= h >>> 16;
      h = Math.imul(h, 0x7feb352d);
      h ^= h >>> 15;
      h = Math.imul(h, 0x846ca68b);
      h = h ^ (h >>> 16) ^ SIGN;
      if (h < a[i]!) a[i] = h;
    }
  }
  finish(a, out, k);
}

/** Bits of a packed fast-scheme value that hold the round index, for `k` bins: ⌈log2 2k⌉. */
export const roundBits = (k: number): number => 32 - Math.clz32(2 * k - 1);

/** Fast Similarity Sketching into `out` (length k); `roundSalts` holds 2k salts. */
export function fastInto(shingles: Uint32Array, key: number, roundSalts: Int32Array, out: Uint32Array): void {
  const n = shingles.length;
  const k = out.length;
  if (n === 0) {
    out.fill(EMPTY_SLOT);
    return;
  }
  const y = scratchKeys(n);
  const a = scratchSlots(k);
  a.fill(FLIPPED_EMPTY, 0, k);
  for (let e = 0; e < n; e++) {
    let x = shingles[e]! ^ key;
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    y[e] = x ^ (x >>> 16);
  }
  const rb = roundBits(k);
  const shift = 32 - rb; // bits of hash below the round index
  const log2k = 31 - Math.clz32(k);
  const pow2 = k === 1 << log2k;
  let filled = 0;
  for (let r = 0; r < k && filled < k; r++) {
    const base = (r << shift) ^ SIGN;
    filled += pow2 ? roundPow2(y, n, roundSalts[r]!, base, a, log2k, rb) : roundAny(y, n, roundSalts[r]!, base, a, k, rb);
  }
  if (filled < k) {
    for (let b = 0; b < k; b++) {
      if (a[b] !== FLIPPED_EMPTY) continue;
      const salt = roundSalts[k + b]!;
      let best = FLIPPED_EMPTY;
      for (let e = 0; e < n; e++) {
        let h = y[e]! ^ salt;
        h ^= h >>> 16;
        h = Math.imul(h, 0x7feb352d);
        h ^= h >>> 15;
        h = Math.imul(h, 0x846ca68b);
        h = h ^ (h >>> 16) ^ SIGN;
        if (h < best) best = h;
      }
      a[b] = (((k + b) << shift) | ((best ^ SIGN) >>> rb)) ^ SIGN;
    }
  }
  finish(a, out, k);
}

/**
 * One random round for k = 2^log2k bins: bin = top log2k bits of h, frac = h << log2k. Returns how many bins
 * it filled for the first time. (Separate functions keep each hot loop monomorphic in small integers.)
 */
function roundPow2(y: Int32Array, n: number, salt: number, base: number, a: Int32Array, log2k: number, rb: number): number {
  let filled = 0;
  const binShift = 32 - log2k; // log2k = 0 (k = 1): every ball goes to bin 0
  const binMask = log2k === 0 ? 0 : -1;
  for (let e = 0; e < n; e++) {
    let h = y[e]! ^ salt;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    const bin = (h >>> binShift) & binMask;
    const v = base | ((h << log2k) >>> rb);
    const cur = a[bin]!;
    if (v < cur) {
      if (cur === FLIPPED_EMPTY) filled++;
      a[bin] = v;
    }
  }
  return filled;
}

/** One random round for any k: bin = ⌊h·k / 2^32⌋, frac = h·k mod 2^32. */
function roundAny(y: Int32Array, n: number, salt: number, base: number, a: Int32Array, k: number, rb: number): number {
  let filled = 0;
  for (let e = 0; e < n; e++) {
    let h = y[e]! ^ salt;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    const bin = ((h >>> 0) * k * 2.3283064365386963e-10) | 0; // h·k < 2^48: exact; < k < 2^16
    const v = base | (Math.imul(h, k) >>> rb);
    const cur = a[bin]!;
    if (v < cur) {
      if (cur === FLIPPED_EMPTY) filled++;
      a[bin] = v;
    }
  }
  return filled;
}
