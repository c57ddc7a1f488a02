import { describe } from '../internal/validate';
import { encodeUtf8, encodeUtf8Into, utf8Scratch } from './utf8';
import { ensureInputCapacity, INPUT, wasmKernel, WASM_MAX_INPUT } from './wasm/kernel';

// XXH64 primes from the xxHash specification, each split into high and low 32-bit halves:
// JavaScript has no fast 64-bit integers, so the kernel works on (hi, lo) pairs of uint32 and uses
// BigInt only at the API edge. Per-token BigInt arithmetic would be ~100× slower.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// Results of the 64-bit helpers: module-level registers instead of returned objects (no allocation).
let rh = 0;
let rl = 0;

/** (rh, rl) = low 64 bits of (ah:al) × (bh:bl), all halves unsigned 32-bit. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  // al × bl needs all 64 bits: split into 16-bit limbs so every partial product is exact in a double.
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const mid = a1 * b0 + a0 * b1; // < 2^33
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  rl = low >>> 0;
  const carry = low >= 4294967296 ? 1 : 0;
  rh = (a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** (rh, rl) = (ah:al) + (bh:bl) mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low >= 4294967296 ? 1 : 0)) >>> 0;
}

/** (rh, rl) = rotate-left of (h:l) by r, 0 < r < 32. */
function rotl(h: number, l: number, r: number): void {
  const nh = (h << r) | (l >>> (32 - r));
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
  rh = nh >>> 0;
}

const read32 = (b: Uint8Array, i: number): number =>
  (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** (rh, rl) = round(acc, lane) = rotl(acc + lane × P2, 31) × P1. */
function round(ah: number, al: number, lh: number, ll: number): void {
  mul(lh, ll, P2H, P2L);
  add(ah, al, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

/** (rh, rl) = (h ^ round(0, v)) × P1 + P4: folds one accumulator into the hash. */
function mergeRound(h: number, l: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul((h ^ rh) >>> 0, (l ^ rl) >>> 0, P1H, P1L);
  add(rh, rl, P4H, P4L);
}

/** The two halves of the last {@link xxh64Bytes} result: `[hi, lo]`. @internal */
export const xxh64Result = new Uint32Array(2);

/**
 * XXH64 over `len` bytes of `b`, seed given as unsigned 32-bit halves; writes `[hi, lo]` to
 * {@link xxh64Result}. The kernel: no checks, no allocation.
 * @internal
 */
export function xxh64Bytes(b: Uint8Array, len: number, seedHi: number, seedLo: number): void {
  let i = 0;
  let hh: number, hl: number;
  if (len >= 32) {
    add(seedHi, seedLo, P1H, P1L); add(rh, rl, P2H, P2L);
    let v1h = rh, v1l = rl;
    add(seedHi, seedLo, P2H, P2L);
    let v2h = rh, v2l = rl;
    let v3h = seedHi, v3l = seedLo;
    // seed − P1 = seed + (2^64 − P1)
    add(seedHi, seedLo, ~P1H >>> 0, ~P1L >>> 0); add(rh, rl, 0, 1);
    let v4h = rh, v4l = rl;
    const limit = len - 32;
    while (i <= limit) {
      round(v1h, v1l, read32(b, i + 4), read32(b, i)); v1h = rh; v1l = rl;
      round(v2h, v2l, read32(b, i + 12), read32(b, i + 8)); v2h = rh; v2l = rl;
      round(v3h, v3l, read32(b, i + 20), read32(b, i + 16)); v3h = rh; v3l = rl;
      round(v4h, v4l, read32(b, i + 28), read32(b, i + 24)); v4h = rh; v4l = rl;
      i += 32;
    }
    rotl(v1h, v1l, 1); hh = rh; hl = rl;
    rotl(v2h, v2l, 7); add(hh, hl, rh, rl); hh = rh; hl = rl;
    rotl(v3h, v3l, 12); add(hh, hl, rh, rl); hh = rh; hl = rl;
    rotl(v4h, v4l, 18); add(hh, hl, rh, rl); hh = rh; hl = rl;
    mergeRound(hh, hl, v1h, v1l); hh = rh; hl = rl;
    mergeRound(hh, hl, v2h, v2l); hh = rh; hl = rl;
    mergeRound(hh, hl, v3h, v3l); hh = rh; hl = rl;
    mergeRound(hh, hl, v4h, v4l); hh = rh; hl = rl;
  } else {
    add(seedHi, seedLo, P5H, P5L); hh = rh; hl = rl;
  }
  // len < 2^53 always; its high half is floor(len / 2^32).
  add(hh, hl, Math.floor(len / 4294967296), len >>> 0); hh = rh; hl = rl;
  while (i + 8 <= len) {
    round(0, 0, read32(b, i + 4), read32(b, i));
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L); hh = rh; hl = rl;
    i += 8;
  }
  if (i + 4 <= len) {
    mul(0, read32(b, i), P1H, P1L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L); hh = rh; hl = rl;
    i += 4;
  }
  while (i < len) {
    mul(0, b[i]!, P5H, P5L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 11);
    mul(rh, rl, P1H, P1L); hh = rh; hl = rl;
    i++;
  }
  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32.
  hl = (hl ^ (hh >>> 1)) >>> 0;
  mul(hh, hl, P2H, P2L); hh = rh; hl = rl;
  hl = (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0;
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L); hh = rh; hl = rl;
  hl = (hl ^ hh) >>> 0;
  xxh64Result[0] = hh;
  xxh64Result[1] = hl;
}

const MAX_U64 = 0xffffffffffffffffn;

/**
 * XXH64 of a string (hashed as its UTF-8 bytes) or of raw bytes.
 *
 * Values equal the xxHash specification and the `xxhashjs` package (`XXH.h64(input, seed)`) for every
 * well-formed string and every byte array. A string with lone surrogates is hashed as the bytes
 * `TextEncoder` produces for it (each lone surrogate becomes U+FFFD). The work runs in a ~1 KB WebAssembly
 * kernel with native 64-bit integers, instantiated synchronously on first use; where WebAssembly is unavailable
 * a pure-JS kernel on pairs of 32-bit integers gives the same values. BigInt is used only for the seed and result.
 *
 * @param input - the text (UTF-8 encoded) or bytes to hash
 * @param seed - an unsigned 64-bit seed, default `0n`
 * @returns the unsigned 64-bit hash as a bigint
 * @throws TypeError if `input` is neither a string nor a Uint8Array or `seed` is not a bigint;
 *   RangeError if `seed` is outside [0, 2^64 − 1]
 * @example
 * ```ts
 * import { xxh64 } from 'neardup';
 * xxh64(''); // => 0xef46db3751d8e999n
 * xxh64('abc'); // => 0x44bc2cf5ad770999n
 * xxh64('abc', 1n) !== xxh64('abc'); // => true
 * ```
 */
export function xxh64(input: string | Uint8Array, seed: bigint = 0n): bigint {
  if (typeof seed !== 'bigint') throw new TypeError(`xxh64: seed must be a bigint from 0n to 2n ** 64n − 1n, got ${describe(seed)}`);
  if (seed < 0n || seed > MAX_U64) throw new RangeError(`xxh64: seed must be a bigint from 0n to 2n ** 64n − 1n, got ${seed}n`);
  const seedHi = Number(seed >> 32n);
  const seedLo = Number(seed & 0xffffffffn);
  if (typeof input === 'string') xxh64String(input, seedHi, seedLo);
  else if (input instanceof Uint8Array) xxh64Of(input, seedHi, seedLo);
  else throw new TypeError(`xxh64: input must be a string or a Uint8Array, got ${describe(input)}`);
  return (BigInt(xxh64Result[0]!) << 32n) | BigInt(xxh64Result[1]!);
}

/**
 * XXH64 of a string's UTF-8 bytes, unchecked, without BigInt: writes `[hi, lo]` into {@link xxh64Result}.
 * The fast path for callers that key on 64-bit hashes (exact-duplicate sets).
 * @internal
 */
export function xxh64String(text: string, seedHi: number, seedLo: number): void {
  const k = text.length * 3 <= WASM_MAX_INPUT ? wasmKernel() : null;
  if (k) {
    ensureInputCapacity(k, text.length * 3);
    const len = encodeUtf8Into(text, k.input);
    k.exports.xxh64(INPUT, len, seedLo, seedHi);
    xxh64Result[0] = k.result[1]!;
    xxh64Result[1] = k.result[0]!;
    return;
  }
  const len = encodeUtf8(text);
  xxh64Bytes(utf8Scratch(), len, seedHi, seedLo);
}

/** XXH64 of bytes, unchecked: writes `[hi, lo]` into {@link xxh64Result}. @internal */
export function xxh64Of(bytes: Uint8Array, seedHi: number, seedLo: number): void {
  const k = bytes.length <= WASM_MAX_INPUT ? wasmKernel() : null;
  if (k) {
    ensureInputCapacity(k, bytes.length);
    k.input.set(bytes);
    k.exports.xxh64(INPUT, bytes.length, seedLo, seedHi);
    xxh64Result[0] = k.result[1]!;
    xxh64Result[1] = k.result[0]!;
    return;
  }
  xxh64Bytes(bytes, bytes.length, seedHi, seedLo);
}
