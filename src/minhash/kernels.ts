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
 * The inner loops inline `mix32` of src/hash/mix.ts (a deliberate copy: one call per shingle and permutation
 * costs); tests/minhash.test.ts checks every kernel against BigInt oracles.
 *
 * Inner loops keep every value as an int32 with the sign bit flipped (`u ^ 0x80000000`), so unsigned order
 * is signed int32 order and V8 never leaves small-integer arithmetic.
 *
 * The fast scheme runs on a small WebAssembly kernel when the engine allows it (`./wasm/fss.wat`; 2× faster)
 * and on the JS kernel otherwise; both give the same values (tests compare them with a plain oracle that
 * throws every ball of all 2k rounds: stopping early never changes a slot, since a round-r value is below every
 * value of a later round).
 * Internal module, not public API.
 */
import { EMPTY_SLOT } from './types';
import { FSS_WASM } from './wasm/fss-bytes';
import { instantiateWasm } from '../hash/wasm/instantiate';

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

// ---- The WebAssembly kernel of the fast scheme ------------------------------------------------------------------
//
// The same algorithm as the JS kernel below, in a ~750-byte module: 2× faster at 128 permutations (the update of
// a slot compiles to a conditional move, which JS cannot express, and there are no bounds checks). Instantiated
// synchronously on first use (far below the 4 KB limit browsers put on synchronous compiles); where WebAssembly
// is missing or forbidden the JS kernel runs, with identical values. Memory layout, in bytes, for k slots:
// [0, 8k) round salts, [8k, 12k) slots, [12k, 12k + 4n) shingles. The source is ./wasm/fss.wat, compiled into
// ./wasm/fss-bytes.ts by scripts/build-wasm.mjs.

interface FssKernel {
  readonly exports: { memory: WebAssembly.Memory; fss(n: number, k: number, key: number, salts: number, acc: number, ys: number): void };
  /** Views of the memory, replaced when it grows. */
  words: Uint32Array;
  salts: Int32Array;
  /** The salts currently in memory and their k (another hasher's salts are copied in on its first call). */
  loaded: Int32Array | null;
  k: number;
  /** View of the k slots. */
  slots: Uint32Array;
  /** The memory's size in bytes (read from the buffer only when it grows). */
  capacity: number;
}

let fssKernel: FssKernel | null | undefined;

/** Shingle sets above this size use the JS kernel (the module's memory never shrinks). */
const FSS_WASM_MAX_SHINGLES = 1 << 24;

function refreshFss(w: FssKernel): void {
  const buffer = w.exports.memory.buffer;
  w.words = new Uint32Array(buffer);
  w.salts = new Int32Array(buffer);
  w.slots = w.words.subarray(2 * w.k, 3 * w.k); // the contents (salts included) survive growth
  w.capacity = buffer.byteLength;
}

/** The instantiated WebAssembly kernel, or null when WebAssembly is unavailable (then the JS kernel runs). */
function fssWasm(): FssKernel | null {
  if (fssKernel !== undefined) return fssKernel;
  const exports = instantiateWasm<FssKernel['exports']>(FSS_WASM);
  if (exports === null) return (fssKernel = null);
  const w: FssKernel = { exports, words: new Uint32Array(0), salts: new Int32Array(0), loaded: null, k: 0, slots: new Uint32Array(0), capacity: 0 };
  refreshFss(w);
  fssKernel = w;
  return fssKernel;
}

/** Turns the WebAssembly kernel off (or back on), for tests of the JS kernel. @internal */
export function setFssWasmEnabled(enabled: boolean): void {
  fssKernel = enabled ? undefined : null;
}

/** True when the fast scheme runs on the WebAssembly kernel. @internal */
export function fssWasmActive(): boolean {
  return fssWasm() !== null;
}

/** The fast scheme on the WebAssembly kernel; false when it cannot run (no WebAssembly, or too many shingles). */
function fastIntoWasm(shingles: Uint32Array, key: number, roundSalts: Int32Array, out: Uint32Array): boolean {
  const w = fssWasm();
  const n = shingles.length;
  if (w === null || n > FSS_WASM_MAX_SHINGLES) return false;
  const k = out.length;
  const need = 12 * k + 4 * n;
  if (w.capacity < need) {
    try {
      w.exports.memory.grow(Math.ceil((need - w.capacity) / 65536));
    } catch {
      return false; // the engine refused the memory: the JS kernel needs none
    }
    refreshFss(w);
  }
  if (w.loaded !== roundSalts || w.k !== k) {
    w.salts.set(roundSalts, 0);
    w.loaded = roundSalts;
    w.k = k;
    w.slots = w.words.subarray(2 * k, 3 * k);
  }
  w.words.set(shingles, 3 * k);
  w.exports.fss(n, k, key, 0, 8 * k, 12 * k);
  out.set(w.slots);
  return true;
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
  if (fastIntoWasm(shingles, key, roundSalts, out)) return;
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
 *
 * The update is branch-free: whether a ball lowers its bin is a coin toss in the middle rounds, and a
 * mispredicted branch costs more than the arithmetic. `min` of two int32 without overflow:
 * `v < cur` ⇔ `(v >> 1) − (cur >> 1) − borrow < 0` with `borrow = ~v & cur & 1`; a newly filled bin is
 * one that held {@link FLIPPED_EMPTY} (every round-r value is below it), counted as `1 ^ ((x | −x) >>> 31)`
 * with `x = cur ^ FLIPPED_EMPTY` (1 exactly when x = 0).
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
    const x = cur ^ 0x7fffffff;
    filled += 1 ^ ((x | -x) >>> 31);
    const lower = ((v >> 1) - (cur >> 1) - (~v & cur & 1)) >> 31; // -1 when v < cur, else 0
    a[bin] = cur ^ ((v ^ cur) & lower);
  }
  return filled;
}

/** One random round for any k: bin = ⌊h·k / 2^32⌋, frac = h·k mod 2^32. Branch-free update as in {@link roundPow2}. */
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
    const x = cur ^ 0x7fffffff;
    filled += 1 ^ ((x | -x) >>> 31);
    const lower = ((v >> 1) - (cur >> 1) - (~v & cur & 1)) >> 31;
    a[bin] = cur ^ ((v ^ cur) & lower);
  }
  return filled;
}
