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
 *
 * The fast scheme runs on a small WebAssembly kernel when the engine allows it ({@link FSS_WAT}; 2× faster)
 * and on the JS kernel otherwise; both give the same values (tests compare them with a plain oracle that
 * throws every ball of all 2k rounds: stopping early never changes a slot, since a round-r value is below every
 * value of a later round).
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

// ---- The WebAssembly kernel of the fast scheme ------------------------------------------------------------------
//
// The same algorithm as the JS kernel below, in a ~640-byte module: 2× faster at 128 permutations (the update of
// a slot compiles to a conditional move, which JS cannot express, and there are no bounds checks). Instantiated
// synchronously on first use (far below the 4 KB limit browsers put on synchronous compiles); where WebAssembly
// is missing or forbidden the JS kernel runs, with identical values. Memory layout, in bytes, for k slots:
// [0, 8k) round salts, [8k, 12k) slots, [12k, 12k + 4n) shingles.

/**
 * The WebAssembly text of {@link FSS_WASM}; `tests/shingle.test.ts` compiles it with wabt and checks that the
 * bytes agree (to change the kernel, edit this text and paste the bytes the test prints).
 * @internal
 */
export const FSS_WAT = `(module
  ;; fss(n, k, key, salts, acc, ys): the FSS signature of the n uint32 shingles at byte offset ys (keyed in place)
  ;; into the k slots at acc, with the 2k round salts at salts. Exactly fastInto's values, unsigned (no sign flip):
  ;; slot = round << shift | frac >> rb; the update is a branch-free select (a mispredicted branch costs more).
  (memory (export "memory") 1)
  (func $mix (param $x i32) (result i32)
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x7feb352d)))
    (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 15))))
    (local.set $x (i32.mul (local.get $x) (i32.const 0x846ca68b)))
    (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 16))))
  (func (export "fss") (param $n i32) (param $k i32) (param $key i32) (param $salts i32) (param $acc i32) (param $ys i32)
    (local $p i32) (local $end i32) (local $rb i32) (local $shift i32) (local $r i32) (local $filled i32)
    (local $salt i32) (local $base i32) (local $h i32) (local $v i32) (local $cur i32) (local $addr i32)
    (local $k64 i64) (local $b i32) (local $best i32)
    ;; ys[e] = mix(ys[e] ^ key)
    (local.set $end (i32.add (local.get $ys) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $p (local.get $ys))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $p) (local.get $end)))
      (i32.store (local.get $p) (call $mix (i32.xor (i32.load (local.get $p)) (local.get $key))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $kl)))
    ;; acc[0 .. k) = 0xffffffff
    (local.set $p (local.get $acc))
    (local.set $v (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 2))))
    (block $ad (loop $al
      (br_if $ad (i32.ge_u (local.get $p) (local.get $v)))
      (i32.store (local.get $p) (i32.const -1))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $al)))
    (local.set $rb (i32.sub (i32.const 32) (i32.clz (i32.sub (i32.shl (local.get $k) (i32.const 1)) (i32.const 1)))))
    (local.set $shift (i32.sub (i32.const 32) (local.get $rb)))
    (local.set $k64 (i64.extend_i32_u (local.get $k)))
    ;; random rounds r < k until every slot is filled: bin = h·k >> 32, frac = h·k mod 2^32
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $k)))
      (br_if $rd (i32.ge_u (local.get $filled) (local.get $k)))
      (local.set $salt (i32.load (i32.add (local.get $salts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $base (i32.shl (local.get $r) (local.get $shift)))
      (local.set $p (local.get $ys))
      (block $ed (loop $el
        (br_if $ed (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h (i32.xor (i32.load (local.get $p)) (local.get $salt)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0x7feb352d)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
        (local.set $h (i32.mul (local.get $h) (i32.const 0x846ca68b)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (local.set $addr (i32.add (local.get $acc) (i32.shl
          (i32.wrap_i64 (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $h)) (local.get $k64)) (i64.const 32)))
          (i32.const 2))))
        (local.set $v (i32.or (local.get $base) (i32.shr_u (i32.mul (local.get $h) (local.get $k)) (local.get $rb))))
        (local.set $cur (i32.load (local.get $addr)))
        (local.set $filled (i32.add (local.get $filled) (i32.eq (local.get $cur) (i32.const -1))))
        (i32.store (local.get $addr) (select (local.get $v) (local.get $cur) (i32.lt_u (local.get $v) (local.get $cur))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $el)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
    ;; rounds k + b fill every slot b still empty: the minimum hash with salt k + b
    (if (i32.lt_u (local.get $filled) (local.get $k)) (then
      (local.set $b (i32.const 0))
      (block $bd (loop $bl
        (br_if $bd (i32.ge_u (local.get $b) (local.get $k)))
        (local.set $addr (i32.add (local.get $acc) (i32.shl (local.get $b) (i32.const 2))))
        (if (i32.eq (i32.load (local.get $addr)) (i32.const -1)) (then
          (local.set $salt (i32.load (i32.add (local.get $salts) (i32.shl (i32.add (local.get $k) (local.get $b)) (i32.const 2)))))
          (local.set $best (i32.const -1))
          (local.set $p (local.get $ys))
          (block $fd (loop $fl
            (br_if $fd (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $h (call $mix (i32.xor (i32.load (local.get $p)) (local.get $salt))))
            (local.set $best (select (local.get $h) (local.get $best) (i32.lt_u (local.get $h) (local.get $best))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $fl)))
          (i32.store (local.get $addr) (i32.or
            (i32.shl (i32.add (local.get $k) (local.get $b)) (local.get $shift))
            (i32.shr_u (local.get $best) (local.get $rb))))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl)))))
    ;; a real 0xffffffff becomes 0xfffffffe, so no non-empty signature looks empty
    (local.set $p (local.get $acc))
    (local.set $end (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 2))))
    (block $cd (loop $cl
      (br_if $cd (i32.ge_u (local.get $p) (local.get $end)))
      (if (i32.eq (i32.load (local.get $p)) (i32.const -1)) (then (i32.store (local.get $p) (i32.const -2))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $cl))))
)`;

/** {@link FSS_WAT} compiled by wabt 1.0.39. @internal */
export const FSS_WASM: readonly number[] = [
  0,97,115,109,1,0,0,0,1,15,2,96,1,127,1,127,96,6,127,127,127,127,127,127,
  0,3,3,2,0,1,5,3,1,0,1,7,16,2,6,109,101,109,111,114,121,2,0,3,
  102,115,115,0,1,10,198,4,2,52,0,32,0,32,0,65,16,118,115,33,0,32,0,65,
  173,234,172,255,7,108,33,0,32,0,32,0,65,15,118,115,33,0,32,0,65,139,205,178,
  163,120,108,33,0,32,0,32,0,65,16,118,115,11,142,4,3,12,127,1,126,2,127,32,
  5,32,0,65,2,116,106,33,7,32,5,33,6,2,64,3,64,32,6,32,7,79,13,1,
  32,6,32,6,40,2,0,32,2,115,16,0,54,2,0,32,6,65,4,106,33,6,12,0,
  11,11,32,4,33,6,32,4,32,1,65,2,116,106,33,15,2,64,3,64,32,6,32,15,
  79,13,1,32,6,65,127,54,2,0,32,6,65,4,106,33,6,12,0,11,11,65,32,32,
  1,65,1,116,65,1,107,103,107,33,8,65,32,32,8,107,33,9,32,1,173,33,18,2,
  64,3,64,32,10,32,1,79,13,1,32,11,32,1,79,13,1,32,3,32,10,65,2,116,
  106,40,2,0,33,12,32,10,32,9,116,33,13,32,5,33,6,2,64,3,64,32,6,32,
  7,79,13,1,32,6,40,2,0,32,12,115,33,14,32,14,32,14,65,16,118,115,33,14,
  32,14,65,173,234,172,255,7,108,33,14,32,14,32,14,65,15,118,115,33,14,32,14,65,
  139,205,178,163,120,108,33,14,32,14,32,14,65,16,118,115,33,14,32,4,32,14,173,32,
  18,126,66,32,136,167,65,2,116,106,33,17,32,13,32,14,32,1,108,32,8,118,114,33,
  15,32,17,40,2,0,33,16,32,11,32,16,65,127,70,106,33,11,32,17,32,15,32,16,
  32,15,32,16,73,27,54,2,0,32,6,65,4,106,33,6,12,0,11,11,32,10,65,1,
  106,33,10,12,0,11,11,32,11,32,1,73,4,64,65,0,33,19,2,64,3,64,32,19,
  32,1,79,13,1,32,4,32,19,65,2,116,106,33,17,32,17,40,2,0,65,127,70,4,
  64,32,3,32,1,32,19,106,65,2,116,106,40,2,0,33,12,65,127,33,20,32,5,33,
  6,2,64,3,64,32,6,32,7,79,13,1,32,6,40,2,0,32,12,115,16,0,33,14,
  32,14,32,20,32,14,32,20,73,27,33,20,32,6,65,4,106,33,6,12,0,11,11,32,
  17,32,1,32,19,106,32,9,116,32,20,32,8,118,114,54,2,0,11,32,19,65,1,106,
  33,19,12,0,11,11,11,32,4,33,6,32,4,32,1,65,2,116,106,33,7,2,64,3,
  64,32,6,32,7,79,13,1,32,6,40,2,0,65,127,70,4,64,32,6,65,126,54,2,
  0,11,32,6,65,4,106,33,6,12,0,11,11,11,
];

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
  try {
    const module = new WebAssembly.Module(new Uint8Array(FSS_WASM));
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as FssKernel['exports'];
    const w: FssKernel = { exports, words: new Uint32Array(0), salts: new Int32Array(0), loaded: null, k: 0, slots: new Uint32Array(0), capacity: 0 };
    refreshFss(w);
    fssKernel = w;
  } catch {
    fssKernel = null;
  }
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
