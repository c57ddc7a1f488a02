import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import XXH from 'xxhashjs';
import { xxh32, xxh64 } from '../src/index';
import { setWasmEnabled, wasmKernel } from '../src/hash/wasm/kernel';
import { xxh32Bytes } from '../src/hash/xxh32';
import { xxh64Bytes, xxh64Of, xxh64Result } from '../src/hash/xxh64';

afterEach(() => setWasmEnabled(true));

describe('WebAssembly kernel', () => {
  it('loads here (Node has WebAssembly)', () => {
    expect(wasmKernel()).not.toBeNull();
  });

  it('wasm and JS kernels agree on every length 0–300 and random seeds', () => {
    const bytes = new Uint8Array(300);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    for (let len = 0; len <= 300; len++) {
      const view = bytes.subarray(0, len);
      for (const seed of [0, 1, 0xdeadbeef]) {
        setWasmEnabled(true);
        const wasm32 = xxh32(view, seed);
        xxh64Of(view, seed, 0x9e3779b9);
        const wasm64 = [xxh64Result[0], xxh64Result[1]];
        expect(xxh32Bytes(view, len, seed)).toBe(wasm32);
        xxh64Bytes(view, len, seed, 0x9e3779b9);
        expect([xxh64Result[0], xxh64Result[1]]).toEqual(wasm64);
      }
    }
  });
});

describe('pure-JS fallback (WebAssembly disabled)', () => {
  const params = { seed: 7, numRuns: 200 };
  it('xxh32 equals xxhashjs on random strings and bytes', () => {
    setWasmEnabled(false);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.integer({ min: 0, max: 0xffffffff }), (s, seed) =>
        xxh32(s, seed) === XXH.h32(s, seed).toNumber() && xxh32(new TextEncoder().encode(s), seed) === XXH.h32(s, seed).toNumber()),
      params,
    );
  });
  it('xxh64 equals xxhashjs on random strings and bytes', () => {
    setWasmEnabled(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 0xffffffff }), (b, seed) =>
        xxh64(b, BigInt(seed)) === BigInt(`0x${XXH.h64(Buffer.from(b), seed).toString(16)}`)),
      params,
    );
  });
  it('grows its memory for large inputs and still matches', () => {
    const big = 'ß→😀'.repeat(100_000); // 900 KB of UTF-8, above the initial 64 KiB page
    const expected32 = XXH.h32(big, 3).toNumber();
    expect(xxh32(big, 3)).toBe(expected32);
    setWasmEnabled(false);
    expect(xxh32(big, 3)).toBe(expected32);
  });
});
