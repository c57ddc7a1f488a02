import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import XXH from 'xxhashjs';
import { UINT64 } from 'cuint';
import { xxh32, xxh64 } from '../src/index';
import { encodeWtf8, hasLoneSurrogate, utf8Scratch } from '../src/hash/utf8';
import { naiveWtf8 } from './helpers/oracles';

const ref32 = (input: string | Uint8Array, seed: number): number =>
  XXH.h32(typeof input === 'string' ? input : Buffer.from(input), seed).toNumber();
const ref64 = (input: string | Uint8Array, seed: number): bigint =>
  BigInt(`0x${XXH.h64(typeof input === 'string' ? input : Buffer.from(input), seed).toString(16)}`);

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const mib = 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(2 ** 20 / 45)).slice(0, 2 ** 20);

// Known values (xxHash spec test vectors are computed by xxhashjs here and pinned below, so a change in either
// side shows up): inputs chosen at every branch of both algorithms — empty, 1–4 bytes, the 16-byte (xxh32) and
// 32-byte (xxh64) stripe boundaries, multi-byte UTF-8, astral characters, 1 MiB.
const TABLE: { name: string; input: string; h32: number; h64: bigint }[] = [
  { name: 'empty', input: '', h32: 0x02cc5d05, h64: 0xef46db3751d8e999n },
  { name: '1 char', input: 'a', h32: 0x550d7456, h64: 0xd24ec4f1a98c6e5bn },
  { name: '3 chars', input: 'abc', h32: 0x32d153ff, h64: 0x44bc2cf5ad770999n },
  { name: '4 chars', input: 'abcd', h32: 0xa3643705, h64: 0xde0327b0d25d92ccn },
  { name: '15 bytes', input: 'x'.repeat(15), h32: 0x02e3dc0b0, h64: 0x093f6c0ea54b9e89n },
  { name: '16 bytes', input: 'x'.repeat(16), h32: 0x181a700d, h64: 0x0572ac5bed1c5a11n },
  { name: '17 bytes', input: 'x'.repeat(17), h32: 0x483f1b5f, h64: 0x2215cf593832a5een },
  { name: '31 bytes', input: 'y'.repeat(31), h32: 0x8f909702, h64: 0xc8e1705517aa9600n },
  { name: '32 bytes', input: 'y'.repeat(32), h32: 0x396089d6, h64: 0x64da1f1d3495ce66n },
  { name: '33 bytes', input: 'y'.repeat(33), h32: 0x2e1b1f67, h64: 0xf27d5a84556caef4n },
];

describe('xxh32 / xxh64 reference table', () => {
  for (const row of TABLE) {
    it(`xxh32 and xxh64 of ${row.name}, as string and as bytes`, () => {
      expect(xxh32(row.input)).toBe(row.h32);
      expect(xxh32(utf8(row.input))).toBe(row.h32);
      expect(xxh32(row.input, 0)).toBe(row.h32);
      expect(xxh64(row.input)).toBe(row.h64);
      expect(xxh64(utf8(row.input))).toBe(row.h64);
      expect(xxh64(row.input, 0n)).toBe(row.h64);
      expect(ref32(row.input, 0)).toBe(row.h32);
      expect(ref64(row.input, 0)).toBe(row.h64);
    });
  }

  const extra: [string, string][] = [
    ['non-ASCII (2- and 3-byte UTF-8)', 'héllo wörld — naïve café, 日本語のテキスト'],
    ['astral characters (emoji, 4-byte UTF-8)', '😀👍🏽 𝕳𝖊𝖑𝖑𝖔 🇫🇷'],
    ['1 MiB', mib],
  ];
  for (const [name, input] of extra) {
    for (const seed of [0, 1, 0x9e3779b1, 0xffffffff]) {
      it(`${name}, seed ${seed}: every entry point equals xxhashjs`, () => {
        const bytes = utf8(input);
        expect(xxh32(input, seed)).toBe(ref32(input, seed));
        expect(xxh32(bytes, seed)).toBe(ref32(bytes, seed));
        expect(xxh64(input, BigInt(seed))).toBe(ref64(input, seed));
        expect(xxh64(bytes, BigInt(seed))).toBe(ref64(bytes, seed));
      });
    }
  }

  it('xxh32/xxh64 of a subarray hash only the view', () => {
    const backing = utf8('__abcdefghijklmnopqrstuvwxyz0123456789__');
    const view = backing.subarray(2, backing.length - 2);
    expect(xxh32(view)).toBe(xxh32('abcdefghijklmnopqrstuvwxyz0123456789'));
    expect(xxh64(view, 7n)).toBe(xxh64('abcdefghijklmnopqrstuvwxyz0123456789', 7n));
  });

  it('xxh64 seeds above 2^32 equal xxhashjs with a cuint UINT64 seed', () => {
    for (const seed of [0x100000000n, 0xfedcba9876543210n, 2n ** 64n - 1n]) {
      const parts = [0n, 16n, 32n, 48n].map((s) => Number((seed >> s) & 0xffffn));
      const refSeed = UINT64(parts[0]!, parts[1]!, parts[2]!, parts[3]!);
      for (const input of ['', 'abc', 'y'.repeat(33), mib.slice(0, 1000)]) {
        expect(xxh64(input, seed)).toBe(BigInt(`0x${XXH.h64(input, refSeed as never).toString(16)}`));
      }
    }
  });
});

describe('xxh32 / xxh64 against xxhashjs (seeded property tests)', () => {
  const seeds = fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff, 0x80000000), fc.integer({ min: 0, max: 0xffffffff }));
  const params = { seed: 20261125, numRuns: 300 };

  it('xxh32(string, seed) equals xxhashjs.h32 for well-formed strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), seeds, (s, seed) => xxh32(s, seed) === ref32(s, seed)), params);
  });
  it('xxh32(bytes, seed) equals xxhashjs.h32', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), seeds, (b, seed) => xxh32(b, seed) === ref32(b, seed)), params);
  });
  it('xxh64(string, seed) equals xxhashjs.h64 for well-formed strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), seeds, (s, seed) => xxh64(s, BigInt(seed)) === ref64(s, seed)), params);
  });
  it('xxh64(bytes, seed) equals xxhashjs.h64', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), seeds, (b, seed) => xxh64(b, BigInt(seed)) === ref64(b, seed)), params);
  });
  it('a string hashes as its UTF-8 bytes (TextEncoder), including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), seeds, (s, seed) => {
        const bytes = utf8(s); // lone surrogates → EF BF BD
        return xxh32(s, seed) === xxh32(bytes, seed) && xxh64(s, BigInt(seed)) === xxh64(bytes, BigInt(seed));
      }),
      params,
    );
  });
  it('a lone surrogate hashes like U+FFFD', () => {
    expect(xxh32('a\ud800b')).toBe(xxh32('a\ufffdb'));
    expect(xxh64('\udc00')).toBe(xxh64('\ufffd'));
  });
});

describe('xxh32 / xxh64 reject bad input', () => {
  it('xxh32(input) rejects non-string, non-bytes input with a TypeError', () => {
    expect(() => xxh32(42 as never)).toThrow(TypeError);
    expect(() => xxh32(null as never)).toThrow(/string or a Uint8Array/);
    expect(() => xxh32([1, 2] as never)).toThrow(TypeError);
  });
  it('xxh32(input, seed) rejects seeds outside [0, 2^32 − 1]', () => {
    expect(() => xxh32('a', -1)).toThrow(RangeError);
    expect(() => xxh32('a', 2 ** 32)).toThrow(/xxh32: seed must be an integer from 0 to 4294967295, got 4294967296/);
    expect(() => xxh32('a', 1.5)).toThrow(RangeError);
    expect(() => xxh32('a', '1' as never)).toThrow(TypeError);
  });
  it('xxh64(input, seed) requires a bigint seed in [0, 2^64 − 1]', () => {
    expect(() => xxh64('a', 1 as never)).toThrow(TypeError);
    expect(() => xxh64('a', -1n)).toThrow(RangeError);
    expect(() => xxh64('a', 2n ** 64n)).toThrow(RangeError);
    expect(() => xxh64({} as never)).toThrow(TypeError);
  });
});

describe('encodeWtf8(text) (internal: the bytes of exact-duplicate keys)', () => {
  const bytesOf = (s: string): number[] => [...utf8Scratch().subarray(0, encodeWtf8(s))];
  const units = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd7f0, max: 0xe010 })).map((c) => String.fromCharCode(c)), maxLength: 40 });

  it('encodeWtf8(text) is UTF-8 on well-formed text and the generalized UTF-8 of each lone surrogate', () => {
    fc.assert(
      fc.property(fc.oneof(units, fc.string({ unit: 'binary', maxLength: 40 })), (s) => {
        expect(bytesOf(s)).toEqual([...naiveWtf8(s)]);
        if (!hasLoneSurrogate(s)) expect(bytesOf(s)).toEqual([...utf8(s)]);
      }),
      { seed: 17, numRuns: 3000 },
    );
    expect(bytesOf(' \ud800')).toEqual([0x20, 0xed, 0xa0, 0x80]);
    expect(bytesOf(' \ud801')).toEqual([0x20, 0xed, 0xa0, 0x81]);
    expect(bytesOf('\udc00\ud800')).toEqual([0xed, 0xb0, 0x80, 0xed, 0xa0, 0x80]);
    expect(bytesOf('\ud83d\ude00')).toEqual([...utf8('😀')]);
  });

  it('encodeWtf8(text) is one-to-one on UTF-16 strings, while UTF-8 is not', () => {
    fc.assert(
      fc.property(units, units, (a, b) => {
        if (a !== b) expect(bytesOf(a)).not.toEqual(bytesOf(b));
      }),
      { seed: 18, numRuns: 3000 },
    );
    expect(bytesOf('x\ud800')).not.toEqual(bytesOf('x\ufffd'));
    // The public hash functions keep TextEncoder's documented behaviour: lone surrogates hash as U+FFFD.
    expect(xxh64(' \ud800')).toBe(xxh64(' \ufffd'));
    expect(xxh32(' \ud800')).toBe(xxh32(' \ud801'));
  });
});
