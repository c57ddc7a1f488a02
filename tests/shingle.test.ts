import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHINGLE_DEFAULTS, normalize, shingles, words, type ShingleOptions } from '../src/index';
import { hashUtf16, hashWords, wordHashes } from '../src/shingle';
import { RADIX_FROM, sortUint32 } from '../src/shingle/sort';

const SEED = 1234567;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/** Byte-level MurmurHash3_x86_32, written straight from the reference, as the oracle. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  for (let b = 0; b < blocks; b++) {
    const i = b * 4;
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(rotl(Math.imul(k, c1), 15), c2);
    h = (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= bytes[tail + 2]! << 16;
    if (rest >= 2) k ^= bytes[tail + 1]! << 8;
    k ^= bytes[tail]!;
    h ^= Math.imul(rotl(Math.imul(k, c1), 15), c2);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const utf16le = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >>> 8;
  }
  return out;
};
const u32le = (values: number[]): Uint8Array => new Uint8Array(Uint32Array.from(values).buffer);
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The documented definition, built the naive way: n-gram strings, word hashes from bytes, a Set. */
function naiveShingles(text: string, o: ShingleOptions = {}): Uint32Array {
  const unit = o.unit ?? 'word';
  const size = o.size ?? 5;
  const seed = o.seed ?? 0;
  const norm = o.normalize ?? true;
  const t = norm === false ? text : normalize(text, norm === true ? undefined : norm);
  const values = new Set<number>();
  if (unit === 'word') {
    const ws = words(t).map((w) => w.text);
    const gram = (g: string[]): number => murmur3Bytes(u32le(g.map((w) => murmur3Bytes(utf16le(w), seed))), seed);
    if (ws.length > 0 && ws.length < size) values.add(gram(ws));
    for (let i = 0; i + size <= ws.length; i++) values.add(gram(ws.slice(i, i + size)));
  } else {
    const cps = Array.from(t);
    if (cps.length > 0 && cps.length < size) values.add(murmur3Bytes(utf16le(t), seed));
    for (let i = 0; i + size <= cps.length; i++) values.add(murmur3Bytes(utf16le(cps.slice(i, i + size).join('')), seed));
  }
  return Uint32Array.from([...values].sort((a, b) => a - b));
}

const CHARS = ['a', 'b', 'c', 'The', ' ', ' ', '  ', '\n', '.', ',', "'", 'É', 'é', '日', '😀', '𠀋', '1', '42', '\u0301', '\ud800', 'x', 'y'];
const text = fc.array(fc.oneof(fc.constantFrom(...CHARS), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 50 }).map((a) => a.join(''));
const options: fc.Arbitrary<ShingleOptions> = fc.record(
  {
    unit: fc.constantFrom<'word' | 'char'>('word', 'char'),
    size: fc.integer({ min: 1, max: 8 }),
    seed: fc.oneof(fc.constantFrom(0, 1, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff })),
    normalize: fc.oneof(fc.boolean(), fc.record({ lowercase: fc.boolean(), punctuation: fc.boolean() }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

describe('MurmurHash3 kernels', () => {
  it('the byte-level oracle matches published MurmurHash3_x86_32 vectors', () => {
    expect(murmur3Bytes(new Uint8Array(0), 0)).toBe(0);
    expect(murmur3Bytes(new Uint8Array(0), 1)).toBe(0x514e28b7);
    expect(murmur3Bytes(new Uint8Array(0), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3Bytes(new Uint8Array([0, 0, 0, 0]), 0)).toBe(0x2362f9de);
    expect(murmur3Bytes(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0)).toBe(0x76293b50);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0)).toBe(0xf55b516b);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43, 0x65]), 0)).toBe(0x7e4a8634);
    expect(murmur3Bytes(new Uint8Array([0x21, 0x43]), 0)).toBe(0xa0f7b07a);
    expect(murmur3Bytes(new Uint8Array([0x21]), 0)).toBe(0x72661cf4);
    expect(murmur3Bytes(ascii('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3Bytes(ascii('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3Bytes(ascii('The quick brown fox jumps over the lazy dog'), 0x9747b28c)).toBe(0x2fa826cd);
  });

  it('hashUtf16(text, start, end, seed) is MurmurHash3 of the UTF-16LE bytes of the slice', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 0xffffffff }), (s, x, y, seed) => {
        const a = s.length ? x % (s.length + 1) : 0;
        const b = s.length ? y % (s.length + 1) : 0;
        const [start, end] = a <= b ? [a, b] : [b, a];
        expect(hashUtf16(s, start, end, seed)).toBe(murmur3Bytes(utf16le(s.slice(start, end)), seed));
      }),
      runs(1000),
    );
  });

  it('hashWords(words, from, count, seed) is MurmurHash3 of the little-endian bytes of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 12 }), fc.integer({ min: 0, max: 0xffffffff }), (vs, seed) => {
        expect(hashWords(Uint32Array.from(vs), 0, vs.length, seed)).toBe(murmur3Bytes(u32le(vs), seed));
        if (vs.length > 2) expect(hashWords(Uint32Array.from(vs), 1, vs.length - 2, seed)).toBe(murmur3Bytes(u32le(vs.slice(1, -1)), seed));
      }),
      runs(500),
    );
  });

  it('wordHashes(text, seed) hashes each word of words(text)', () => {
    const t = "Don't panic, 東京 is 3.14 km";
    expect(Array.from(wordHashes(t, 9))).toEqual(words(t).map((w) => murmur3Bytes(utf16le(w.text), 9)));
  });
});

describe('sortUint32', () => {
  it('sortUint32(a, n) sorts the first n values like Array.prototype.sort, below and above the radix threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xff, 0x100, 0xffffffff)), { maxLength: 3 * RADIX_FROM }),
        fc.nat(),
        (values, cut) => {
          const n = values.length ? cut % (values.length + 1) : 0;
          const a = Uint32Array.from(values);
          sortUint32(a, n);
          expect(Array.from(a.subarray(0, n))).toEqual(values.slice(0, n).sort((x, y) => x - y));
          expect(Array.from(a.subarray(n))).toEqual(values.slice(n));
        },
      ),
      runs(300),
    );
  });
});

describe('shingles', () => {
  it('SHINGLE_DEFAULTS is word 5-grams of normalized text, seed 0, frozen', () => {
    expect(SHINGLE_DEFAULTS).toEqual({ unit: 'word', size: 5, normalize: true, seed: 0 });
    expect(Object.isFrozen(SHINGLE_DEFAULTS)).toBe(true);
  });

  it('shingles(text) hashes word 5-grams of the normalized text', () => {
    const a = shingles('The quick brown fox jumps over the lazy dog');
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a).toHaveLength(5);
    expect(shingles('THE QUICK, brown fox jumps over  the lazy dog!!')).toEqual(a);
    expect(a).toEqual(naiveShingles('The quick brown fox jumps over the lazy dog'));
    // A fixed value pins the definition across platforms and versions.
    expect(shingles('a b', { size: 2 })).toEqual(Uint32Array.of(murmur3Bytes(u32le([murmur3Bytes(utf16le('a'), 0), murmur3Bytes(utf16le('b'), 0)]), 0)));
  });

  it('shingles(text) returns distinct values sorted ascending', () => {
    const s = shingles('a b a b a b a b a b', { size: 2 });
    expect(s).toHaveLength(2); // "a b" and "b a": order matters
    expect(s[0]!).toBeLessThan(s[1]!);
  });

  it('shingles(text, {size}) gives one shingle of all the words for short texts, none for empty ones', () => {
    expect(shingles('Hi there')).toHaveLength(1);
    expect(shingles('Hi there')).not.toEqual(shingles('Hi there you'));
    expect(shingles('one two three four five')).toHaveLength(1);
    expect(shingles('one two three four five six')).toHaveLength(2);
    expect(shingles('')).toEqual(new Uint32Array(0));
    expect(shingles('... !!! —')).toEqual(new Uint32Array(0));
    expect(shingles('   ', { unit: 'char' })).toEqual(new Uint32Array(0));
    expect(shingles('ab', { unit: 'char' })).toEqual(Uint32Array.of(murmur3Bytes(utf16le('ab'), 0)));
  });

  it('shingles(text, {unit: "char"}) counts code points: an emoji is one character', () => {
    expect(shingles('😀😀😀😀', { unit: 'char', size: 2, normalize: false })).toHaveLength(1);
    expect(shingles('😀a😀a', { unit: 'char', size: 2, normalize: false })).toHaveLength(2);
    expect(shingles('𠀋x', { unit: 'char', size: 1, normalize: false })).toEqual(naiveShingles('𠀋x', { unit: 'char', size: 1, normalize: false }));
  });

  it('shingles(text, {seed}) gives unrelated values for different seeds', () => {
    const t = 'the same text hashed with two seeds gives different shingle values here';
    const a = shingles(t, { seed: 0 });
    const b = shingles(t, { seed: 1 });
    expect(a.length).toBe(b.length);
    expect(a.filter((v) => b.includes(v))).toHaveLength(0);
  });

  it('shingles(text, {normalize}) passes options through or skips normalization', () => {
    expect(shingles('Hello World', { normalize: false, size: 1 })).not.toEqual(shingles('hello world', { normalize: false, size: 1 }));
    expect(shingles('Hello World', { size: 1 })).toEqual(shingles('hello world', { normalize: false, size: 1 }));
    expect(shingles('Hello 42', { normalize: { digits: false }, size: 1 })).toEqual(shingles('hello 42', { normalize: false, size: 1 }));
  });

  it('shingles(text, options) equals the naive n-gram oracle', () => {
    fc.assert(
      fc.property(text, options, (t, o) => {
        expect(shingles(t, o)).toEqual(naiveShingles(t, o));
      }),
      runs(1500),
    );
  });

  it('shingles(text, options) has as many values as distinct n-grams (set semantics)', () => {
    const vocab = fc.constantFrom('a', 'b', 'c', 'dd', 'é', '日', '😀');
    fc.assert(
      fc.property(fc.array(vocab, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom<'word' | 'char'>('word', 'char'), (toks, size, unit) => {
        const t = toks.join(' ');
        const units = unit === 'word' ? words(t).map((w) => w.text) : Array.from(t);
        const grams = new Set<string>();
        if (units.length > 0 && units.length < size) grams.add(units.join('\0'));
        for (let i = 0; i + size <= units.length; i++) grams.add(units.slice(i, i + size).join('\0'));
        const got = shingles(t, { unit, size, normalize: false });
        expect(got.length).toBe(grams.size);
        for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
      }),
      runs(1000),
    );
  });

  it('shingles(text, options) rejects bad options', () => {
    expect(() => shingles(1 as unknown as string)).toThrow(/text must be a string, got 1/);
    expect(() => shingles('x', { size: 0 })).toThrow(/options.size must be an integer in \[1, 1024\], got 0/);
    expect(() => shingles('x', { size: 2.5 })).toThrow(RangeError);
    expect(() => shingles('x', { size: '5' as unknown as number })).toThrow(TypeError);
    expect(() => shingles('x', { unit: 'line' as 'word' })).toThrow(/options.unit must be one of "word", "char", got "line"/);
    expect(() => shingles('x', { seed: -1 })).toThrow(/options.seed must be an integer in \[0, 4294967295\], got -1/);
    expect(() => shingles('x', { normalize: 'yes' as unknown as boolean })).toThrow(/options.normalize must be a boolean or a NormalizeOptions object/);
    expect(() => shingles('x', { normalize: { digits: 0 as unknown as boolean } })).toThrow(/options.digits must be a boolean/);
    expect(() => shingles('x', 5 as unknown as ShingleOptions)).toThrow(TypeError);
  });

  it('shingles(text, options) finishes on 1 MB adversarial strings', () => {
    const big = (s: string): string => s.repeat(Math.ceil(1_000_000 / s.length));
    for (const t of [big('.,;!?'), big('\u0301\u200d'), big('😀𠀋'), big('a '), big("a'"), big('\ud800x'), 'a'.repeat(1_000_000)]) {
      for (const unit of ['word', 'char'] as const) {
        const s = shingles(t, { unit });
        expect(s.length).toBeLessThanOrEqual(1_000_000);
      }
    }
    expect(shingles(big('a b c d e f g '), { size: 5 })).toHaveLength(7);
  });
});
