import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mix32, seededWords } from '../src/hash/mix';
import { finishUtf16, fmix32, hashUtf16, hashWords } from '../src/hash/murmur3';
import { bandKey } from '../src/lsh/band-key';
import { foldedWordHashes, foldWordHashes, foldWordHashesMixed } from '../src/shingle/fused';
import { shingleScratch, wordShinglesScratch } from '../src/shingle/shingles';
import { normalize, words } from '../src/index';
import { naiveMix32, naiveWords } from './helpers/oracles';

const SEED = { seed: 20261207, numRuns: 300 };

/** MurmurHash3_x86_32 of a byte array, written from the reference (smhasher) with BigInt arithmetic. */
function naiveMurmur3(bytes: Uint8Array, seed: number): number {
  const M = 0xffffffffn;
  const mul = (a: bigint, b: bigint) => (a * b) & M;
  const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (32n - r))) & M;
  const c1 = 0xcc9e2d51n;
  const c2 = 0x1b873593n;
  let h = BigInt(seed >>> 0);
  const blocks = bytes.length >> 2;
  const word = (i: number) => BigInt(bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16)) | (BigInt(bytes[i + 3]!) << 24n);
  for (let b = 0; b < blocks; b++) {
    const k = mul(rotl(mul(word(4 * b), c1), 15n), c2);
    h = (mul(rotl(h ^ k, 13n), 5n) + 0xe6546b64n) & M;
  }
  let k = 0n;
  const tail = 4 * blocks;
  for (let i = bytes.length - 1; i >= tail; i--) k = (k << 8n) | BigInt(bytes[i]!);
  if (bytes.length > tail) h ^= mul(rotl(mul(k, c1), 15n), c2);
  h ^= BigInt(bytes.length);
  h ^= h >> 16n;
  h = mul(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return Number(h);
}

const utf16le = (s: string) => {
  const out = new Uint8Array(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
const le = (w: Uint32Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
const uint32 = fc.integer({ min: 0, max: 0xffffffff });

describe('src/hash/murmur3: the one MurmurHash3_x86_32', () => {
  it('matches the reference vectors of smhasher over bytes (through hashWords)', () => {
    // Appleby's verification values for MurmurHash3_x86_32: "" with seeds 0, 1, 0xffffffff; 0xffffffff (4 bytes).
    expect(hashWords(new Uint32Array(0), 0, 0, 0)).toBe(0);
    expect(hashWords(new Uint32Array(0), 0, 0, 1)).toBe(0x514e28b7);
    expect(hashWords(new Uint32Array(0), 0, 0, 0xffffffff)).toBe(0x81f16f39);
    expect(hashWords(Uint32Array.of(0xffffffff), 0, 1, 0)).toBe(0x76293b50);
    expect(hashWords(Uint32Array.of(0x87654321), 0, 1, 0)).toBe(0xf55b516b);
    expect(naiveMurmur3(le(Uint32Array.of(0x87654321)), 0x5082edee)).toBe(0x2362f9de);
  });

  it('hashUtf16(text, start, end, seed) equals MurmurHash3 of the UTF-16LE bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), uint32, (s, seed) => {
        const cut = s.length >> 1;
        expect(hashUtf16(s, 0, s.length, seed)).toBe(naiveMurmur3(utf16le(s), seed));
        expect(hashUtf16(s, cut, s.length, seed)).toBe(naiveMurmur3(utf16le(s.slice(cut)), seed));
      }),
      SEED,
    );
  });

  it('hashWords(words, from, count, seed) equals MurmurHash3 of the little-endian words (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(uint32, { maxLength: 20 }), uint32, (ws, seed) => {
        const w = Uint32Array.from(ws);
        expect(hashWords(w, 0, w.length, seed)).toBe(naiveMurmur3(le(w), seed));
        if (w.length > 1) expect(hashWords(w, 1, w.length - 1, seed)).toBe(naiveMurmur3(le(w.subarray(1)), seed));
      }),
      SEED,
    );
  });

  it('finishUtf16 and fmix32 are the tail and finalizer of hashUtf16', () => {
    expect(hashUtf16('a', 0, 1, 3)).toBe(finishUtf16(3, 'a'.charCodeAt(0), 1));
    expect(hashUtf16('', 0, 0, 3)).toBe(fmix32(3));
  });
});

describe('the deliberate copies of MurmurHash3 agree with src/hash/murmur3', () => {
  it('bandKey(values, start, rows, band) is hashWords seeded with the band, as int32 (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(uint32, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 500 }), (ws, band) => {
        const v = Uint32Array.from(ws);
        const rows = Math.ceil(v.length / 2);
        expect(bandKey(v, v.length - rows, rows, band)).toBe(hashWords(v, v.length - rows, rows, band) | 0);
      }),
      SEED,
    );
  });

  it('wordShinglesScratch (blocks computed once per word) equals hashWords of every window (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(uint32, { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), uint32, (ws, size, seed) => {
        const h = Uint32Array.from(ws);
        const m = wordShinglesScratch(h, h.length, size, seed);
        const expected = new Set<number>();
        if (h.length > 0 && h.length < size) expected.add(hashWords(h, 0, h.length, seed));
        for (let i = 0; i + size <= h.length; i++) expected.add(hashWords(h, i, size, seed));
        expect(Array.from(shingleScratch().subarray(0, m))).toEqual([...expected].sort((a, b) => a - b));
      }),
      SEED,
    );
  });

  it('the fused scanners (foldWordHashes, foldWordHashesMixed) hash each word as hashUtf16 does (fast-check)', () => {
    const pieces = ['a', 'Bc', 'déjà', 'x9', ' ', '  ', '\n', '-', '42', 'Ölfeld', 'ñu', 'z', '.', 'ﬁ'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), uint32, (parts, seed) => {
        const text = parts.join('');
        const expected = words(normalize(text)).map((w) => hashUtf16(w.text, 0, w.text.length, seed));
        for (const scan of [foldWordHashes, foldWordHashesMixed]) {
          const n = scan(text, seed);
          if (n < 0) continue; // a text the fused path does not take (not foldable): callers go the general way
          expect(Array.from(foldedWordHashes().subarray(0, n))).toEqual(expected);
        }
      }),
      SEED,
    );
  });
});

describe('src/hash/mix: the one set of 32-bit mixers', () => {
  it('mix32 is lowbias32 and seededWords is SplitMix32 (naive BigInt oracles, fast-check)', () => {
    fc.assert(
      fc.property(uint32, fc.integer({ min: 0, max: 8 }), (x, stream) => {
        expect(mix32(x)).toBe(naiveMix32(x));
        expect(Array.from(seededWords(x, 5, stream))).toEqual(naiveWords(x, 5, stream));
      }),
      SEED,
    );
  });
});
