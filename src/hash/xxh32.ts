import { assertInteger, describe } from '../internal/validate';
import { encodeUtf8, encodeUtf8Into, utf8Scratch } from './utf8';
import { ensureInputCapacity, INPUT, wasmKernel, WASM_MAX_INPUT } from './wasm/kernel';

// XXH32 primes, from the xxHash specification (github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md).
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** Reads a little-endian uint32 at `i` (signed int32 in JS; callers use it in 32-bit arithmetic only). */
const read32 = (b: Uint8Array, i: number): number =>
  b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);

/**
 * XXH32 over `len` bytes of `b` starting at 0. The kernel: no checks, no allocation.
 * @internal
 */
export function xxh32Bytes(b: Uint8Array, len: number, seed: number): number {
  let i = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    const limit = len - 16;
    while (i <= limit) {
      v1 = Math.imul(rotl((v1 + Math.imul(read32(b, i), P2)) | 0, 13), P1);
      v2 = Math.imul(rotl((v2 + Math.imul(read32(b, i + 4), P2)) | 0, 13), P1);
      v3 = Math.imul(rotl((v3 + Math.imul(read32(b, i + 8), P2)) | 0, 13), P1);
      v4 = Math.imul(rotl((v4 + Math.imul(read32(b, i + 12), P2)) | 0, 13), P1);
      i += 16;
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + len) | 0;
  while (i + 4 <= len) {
    h = Math.imul(rotl((h + Math.imul(read32(b, i), P3)) | 0, 17), P4);
    i += 4;
  }
  while (i < len) {
    h = Math.imul(rotl((h + Math.imul(b[i]!, P5)) | 0, 11), P1);
    i++;
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * XXH32 of a string (hashed as its UTF-8 bytes) or of raw bytes.
 *
 * Values equal the xxHash specification and the `xxhashjs` package (`XXH.h32(input, seed).toNumber()`)
 * for every well-formed string and every byte array. A string with lone surrogates is hashed as the bytes
 * `TextEncoder` produces for it, where each lone surrogate becomes U+FFFD (EF BF BD).
 * Inputs of 24 or more units run through a ~1 KB WebAssembly kernel instantiated synchronously on first use
 * (pure JS where WebAssembly is unavailable; same values). Strings are encoded with `TextEncoder.encodeInto`
 * straight into a reused buffer: no allocation per call once it has grown.
 *
 * @param input - the text (UTF-8 encoded) or bytes to hash
 * @param seed - an unsigned 32-bit integer seed, default 0
 * @returns the unsigned 32-bit hash
 * @throws TypeError if `input` is neither a string nor a Uint8Array; RangeError if `seed` is not an integer in [0, 2^32 − 1]
 * @example
 * ```ts
 * import { xxh32 } from 'neardup';
 * xxh32(''); // => 0x02cc5d05
 * xxh32('abc'); // => 0x32d153ff
 * xxh32(new Uint8Array([97, 98, 99])) === xxh32('abc'); // => true
 * ```
 */
export function xxh32(input: string | Uint8Array, seed = 0): number {
  if (seed !== 0) assertInteger('xxh32: seed', seed, 0, 0xffffffff);
  if (typeof input === 'string') return xxh32String(input, seed);
  if (input instanceof Uint8Array) return xxh32Of(input, seed);
  throw new TypeError(`xxh32: input must be a string or a Uint8Array, got ${describe(input)}`);
}

// Below this many UTF-16 units the JS kernel beats the call into WebAssembly (measured in bench/hash.bench.ts).
const SHORT = 24;

/** XXH32 of a string's UTF-8 bytes, unchecked. @internal */
export function xxh32String(text: string, seed: number): number {
  const k = text.length >= SHORT && text.length * 3 <= WASM_MAX_INPUT ? wasmKernel() : null;
  if (k) {
    ensureInputCapacity(k, text.length * 3);
    const len = encodeUtf8Into(text, k.input);
    return k.exports.xxh32(INPUT, len, seed) >>> 0;
  }
  const len = encodeUtf8(text);
  return xxh32Bytes(utf8Scratch(), len, seed);
}

/** XXH32 of bytes, unchecked. @internal */
export function xxh32Of(bytes: Uint8Array, seed: number): number {
  const k = bytes.length >= SHORT && bytes.length <= WASM_MAX_INPUT ? wasmKernel() : null;
  if (k) {
    ensureInputCapacity(k, bytes.length);
    k.input.set(bytes);
    return k.exports.xxh32(INPUT, bytes.length, seed) >>> 0;
  }
  return xxh32Bytes(bytes, bytes.length, seed);
}
