import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MinHasher, NORMALIZE_DEFAULTS, NearDuplicateDetector, SHINGLE_DEFAULTS, normalize, prepareDocument, shingles, simhash, words, xxh64,
  type DedupeOptions, type NormalizeOptions, type ShingleOptions,
} from '../src/index';
import { fssWasmActive, setFssWasmEnabled } from '../src/minhash/kernels';
import { hashUtf16, hashWords } from '../src/hash/murmur3';
import { wordHashes } from '../src/shingle/shingles';
import { foldedText, foldedTextLength, foldedWordHashes, foldWordHashes, foldWordHashesMixed } from '../src/shingle/fused';
import { foldDefault, foldScratch } from '../src/text/normalize';
import { WASM_MAX_UNITS, setShingleWasmEnabled, shingleWasmActive } from '../src/shingle/wasm';
import * as classify from '../src/text/classify';
import { INSERTION_UPTO, MAX_BUCKET, RADIX_FROM, sortDistinct, sortUint32 } from '../src/shingle/sort';
import { naiveWtf8 } from './helpers/oracles';
import { PREPARED_BLOCK_BYTES } from '../src/dedup/prepare';

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
    expect(() => shingles(1 as unknown as string)).toThrow(/shingles: text must be a string, got 1/);
    expect(() => shingles('x', { size: 0 })).toThrow(/shingles: options.size must be an integer from 1 to 1024, got 0/);
    expect(() => shingles('x', { size: 2.5 })).toThrow(RangeError);
    expect(() => shingles('x', { size: '5' as unknown as number })).toThrow(TypeError);
    expect(() => shingles('x', { unit: 'line' as 'word' })).toThrow(/shingles: options.unit must be "word" or "char", got "line"/);
    expect(() => shingles('x', { seed: -1 })).toThrow(/shingles: options.seed must be an integer from 0 to 4294967295, got -1/);
    expect(() => shingles('x', { normalize: 'yes' as unknown as boolean })).toThrow(/shingles: options.normalize must be a boolean or a NormalizeOptions object/);
    expect(() => shingles('x', { normalize: { digits: 0 as unknown as boolean } })).toThrow(/shingles: options.normalize.digits must be a boolean, got 0/);
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

// ---------------------------------------------------------------------------------------------------------------
// The text → signature pipeline before its fast paths, kept as an oracle: the fused ASCII scanner, the new sort
// and the MinHash kernel must give the same shingles, signatures and prepared documents for every input.
// Normalization: the regex definition (tests/text.test.ts checks normalize() against it and against a verbatim
// copy of the previous normalize()). Words, hashes, shingles and the FSS / classic kernels: verbatim copies.
// ---------------------------------------------------------------------------------------------------------------
function specNormalize(x: string, o: NormalizeOptions = {}): string {
  const opt = { ...NORMALIZE_DEFAULTS, ...o };
  const forms = (s: string): string => {
    if (opt.combiningMarks) {
      return s.normalize(opt.nfkc ? 'NFKD' : 'NFD').replace(/(?![\u3099\u309a])[\p{Mn}\p{Me}]/gu, '').normalize(opt.nfkc ? 'NFKC' : 'NFC');
    }
    return opt.nfkc ? s.normalize('NFKC') : s;
  };
  let s = opt.lowercase ? x.toLowerCase() : x;
  s = forms(s);
  if (opt.lowercase && s.toLowerCase() !== s) s = forms(s.toLowerCase());
  if (opt.punctuation) s = s.replace(/[\p{P}\p{S}]/gu, ' ');
  if (opt.digits) s = s.replace(/\p{Nd}+/gu, '0');
  if (opt.whitespace) s = s.replace(/[\s\u0085]+/g, ' ').trim();
  return s;
}

/** The previous word scanner (src/text/words.ts scanFast), returning [start, end] pairs. */
function oracleWordSpans(text: string): number[] {
  const [OTHER, LETTER, DIGIT, SINGLE, MARK, APOSTROPHE, NUMSEP, HIGH] = [0, 1, 2, 3, 4, 5, 6, 7];
  const table = classify.bmpTable();
  const classAt = (i: number): number => {
    if (i >= text.length) return OTHER;
    const cls = table[text.charCodeAt(i)]!;
    if (cls !== HIGH) return cls;
    const d = text.charCodeAt(i + 1);
    if (d < 0xdc00 || d > 0xdfff) return OTHER;
    return classify.astralClass(((text.charCodeAt(i) - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
  };
  const out: number[] = [];
  const n = text.length;
  let start = -1;
  let end = 0;
  let base = OTHER;
  let i = 0;
  while (i < n) {
    let cls = table[text.charCodeAt(i)]!;
    let w = 1;
    if (cls === HIGH) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = classify.astralClass(((text.charCodeAt(i) - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        w = 2;
      } else {
        cls = OTHER;
      }
    }
    if (cls === LETTER || cls === DIGIT) {
      if (start < 0 || base === SINGLE) {
        if (start >= 0) out.push(start, end);
        start = i;
      }
      base = cls;
      i += w;
      while (i < n) {
        const t = table[text.charCodeAt(i)]!;
        if (t !== LETTER && t !== DIGIT) break;
        base = t;
        i++;
      }
      end = i;
      continue;
    } else if (cls === SINGLE) {
      if (start >= 0) out.push(start, end);
      start = i;
      base = SINGLE;
      end = i + w;
    } else if (cls === MARK) {
      if (start >= 0) end = i + w;
    } else if (start >= 0) {
      let joins = false;
      if (cls === APOSTROPHE) {
        if (base !== SINGLE && end === i) {
          const next = classAt(i + 1);
          joins = next === LETTER || next === DIGIT;
        }
      } else if (cls === NUMSEP) {
        joins = base === DIGIT && end === i && classAt(i + 1) === DIGIT;
      }
      if (!joins) {
        out.push(start, end);
        start = -1;
      }
    }
    i += w;
  }
  if (start >= 0) out.push(start, end);
  return out;
}

/** The previous shingles(): word n-grams from per-word hashes, char k-grams, sorted distinct. */
function oracleShingles(text: string, o: ShingleOptions = {}): Uint32Array {
  const unit = o.unit ?? 'word';
  const size = o.size ?? 5;
  const seed = o.seed ?? 0;
  const norm = o.normalize ?? true;
  const t = norm === false ? text : specNormalize(text, norm === true ? {} : norm);
  const values: number[] = [];
  if (unit === 'word') {
    const spans = oracleWordSpans(t);
    const hs = new Uint32Array(spans.length >> 1);
    for (let w = 0; w < hs.length; w++) hs[w] = hashUtf16(t, spans[2 * w]!, spans[2 * w + 1]!, seed);
    if (hs.length === 0) return new Uint32Array(0);
    if (hs.length < size) return Uint32Array.of(hashWords(hs, 0, hs.length, seed));
    for (let i = 0; i + size <= hs.length; i++) values.push(hashWords(hs, i, size, seed));
  } else {
    if (t.length === 0) return new Uint32Array(0);
    const offsets: number[] = [];
    for (let i = 0; i < t.length; ) {
      offsets.push(i);
      const c = t.charCodeAt(i);
      const d = t.charCodeAt(i + 1);
      i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    }
    offsets.push(t.length);
    const points = offsets.length - 1;
    if (points < size) return Uint32Array.of(hashUtf16(t, 0, t.length, seed));
    for (let j = 0; j + size <= points; j++) values.push(hashUtf16(t, offsets[j]!, offsets[j + size]!, seed));
  }
  return Uint32Array.from(new Set(values)).sort();
}

/** The previous MinHash kernels (src/minhash/kernels.ts) and seeding (src/minhash/random.ts). */
const oracleMinHash = (() => {
  const mix32 = (x: number): number => {
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    return x >>> 0;
  };
  const seededWords = (seed: number, count: number, stream: number): Uint32Array => {
    const out = new Uint32Array(count);
    let state = mix32((seed ^ mix32(stream + 1)) >>> 0);
    for (let t = 0; t < count; t++) {
      state = (state + 0x9e3779b9) | 0;
      out[t] = mix32(state);
    }
    return out;
  };
  const classic = (xs: Uint32Array, key: number, salts: Uint32Array, k: number): Uint32Array => {
    const out = new Uint32Array(k).fill(0xffffffff);
    if (xs.length === 0) return out;
    for (const x of xs) {
      const y = mix32((x ^ key) >>> 0);
      for (let i = 0; i < k; i++) {
        const h = mix32((y ^ salts[i]!) >>> 0);
        if (h < out[i]!) out[i] = h;
      }
    }
    for (let i = 0; i < k; i++) if (out[i] === 0xffffffff) out[i] = 0xfffffffe;
    return out;
  };
  // FSS written plainly: every ball of every round 0 … 2k − 1 (the kernel's early stop must not change anything).
  const fast = (xs: Uint32Array, key: number, salts: Uint32Array, k: number): Uint32Array => {
    const out = new Uint32Array(k).fill(0xffffffff);
    if (xs.length === 0) return out;
    const rb = 32 - Math.clz32(2 * k - 1);
    const shift = 32 - rb;
    const ys = Array.from(xs, (x) => mix32((x ^ key) >>> 0));
    for (let r = 0; r < 2 * k; r++) {
      for (const y of ys) {
        const h = mix32((y ^ salts[r]!) >>> 0);
        let bin: number;
        let frac: number;
        if (r < k) {
          bin = Math.floor((h * k) / 2 ** 32);
          frac = (h * k) % 2 ** 32;
        } else {
          bin = r - k;
          frac = h;
        }
        const v = (r * 2 ** shift + Math.floor(frac / 2 ** rb)) >>> 0;
        if (v < out[bin]!) out[bin] = v;
      }
    }
    for (let i = 0; i < k; i++) if (out[i] === 0xffffffff) out[i] = 0xfffffffe;
    return out;
  };
  return (xs: Uint32Array, numPerm: number, seed: number, scheme: 'fast' | 'classic'): Uint32Array => {
    const key = seededWords(seed, 1, 0)[0]!;
    return scheme === 'classic' ? classic(xs, key, seededWords(seed, numPerm, 1), numPerm) : fast(xs, key, seededWords(seed, 2 * numPerm, 2), numPerm);
  };
})();

const ENGLISH = ['the', 'The', 'QUICK', 'brown', 'fox', 'jumps', 'Over', 'a', 'I', 'x86_64', 'v2.0', 'C++', "don't", 'e-mail', '3.14', '1,000', '42', 'lazy', 'dog', 'dog'];
const ASCII_BITS = [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '.', ',', ';', '!', '(', ')', '"', "'", '-', '/', '$', '\0', '\x01', '\x1f', '\x7f', '0', '99'];
const NON_ASCII = ['\u2019', '\u201c', '\u201d', '\u2014', '\u2026', '\u00a0', '\u00ae', '\u00b2', '\u2122', '\uff21', '\uff41', 'é', 'É', 'ö', 'ﬁ', '\u0301', 'İ', 'Σ', 'ø', '日', 'が', '\u1100\u1161', '😀', '𝐀', '\ud800', '\udc00', '\u00ad', '\u200b'];
const englishText = fc
  .array(
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...ENGLISH) },
      { weight: 8, arbitrary: fc.constantFrom(...ASCII_BITS) },
      { weight: 3, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 5 }) },
      { weight: 2, arbitrary: fc.constantFrom(...NON_ASCII) },
    ),
    { maxLength: 120 },
  )
  .map((parts) => parts.join(''));
const asciiEnglish = fc
  .array(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...ENGLISH) }, { weight: 8, arbitrary: fc.constantFrom(...ASCII_BITS) }), { maxLength: 120 })
  .map((parts) => parts.join(''));
const asciiText = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 120 });
const anyText = fc.oneof(
  { weight: 4, arbitrary: asciiEnglish },
  { weight: 2, arbitrary: asciiText },
  { weight: 4, arbitrary: englishText },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)), fc.constantFrom(' ', '。', 'a', '1')), { maxLength: 40 }).map((cs) => cs.join('')) },
);

const dedupeOptions = fc.record({
  shingle: fc.oneof(fc.constant(undefined), options),
  numPerm: fc.constantFrom(16, 64, 128, 100),
  seed: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 0xffffffff })),
  scheme: fc.constantFrom<'fast' | 'classic'>('fast', 'classic'),
  method: fc.constantFrom<'minhash' | 'simhash' | 'exact'>('minhash', 'minhash', 'simhash', 'exact'),
  editRatioMaxLength: fc.constantFrom(0, 0, 40, 100_000),
}, { requiredKeys: [] }).map((o) => (o.method === 'simhash' ? { ...o, threshold: 0.95 } : o) as DedupeOptions);

/** Every field of prepareDocument(t, o) against the previous pipeline. */
function checkPrepare(t: string, o: DedupeOptions): void {
  const got = prepareDocument(t, o);
  const sh = o.shingle ?? {};
  const norm = sh.normalize ?? true;
  const normalized = norm === false ? t : specNormalize(t, norm === true ? {} : norm);
  const method = o.method ?? 'minhash';
  const set = method === 'exact' ? new Uint32Array(0) : oracleShingles(normalized, { ...sh, normalize: false });
  const key = xxh64(naiveWtf8(normalized)); // UTF-8, lone surrogates as their own bytes (not U+FFFD)
  expect(got.length).toBe(t.length);
  expect(got.empty).toBe(normalized.trim().length === 0);
  expect([got.keyHi, got.keyLo]).toEqual([Number(key >> 32n), Number(key & 0xffffffffn)]);
  expect(got.shingles).toEqual(set);
  expect(got.signature).toEqual(method === 'minhash' ? oracleMinHash(set, o.numPerm ?? 128, o.seed ?? 1, o.scheme ?? 'fast') : null);
  expect(got.fingerprint).toBe(method === 'simhash' ? simhash(set, { seed: o.seed ?? 1 }) : null);
  expect(got.normalized).toBe(normalized.length <= (o.editRatioMaxLength ?? 0) ? normalized : null);
}

describe('text → shingles → signature fast paths against the previous implementation (oracle)', () => {
  it('the oracles and the current code reproduce values pinned from the implementation before the fast paths', () => {
    const sets = [[1], [1, 2, 3], Array.from({ length: 40 }, (_, i) => i * 7919)].map((a) => Uint32Array.from(a));
    const pinned: [number, 'fast' | 'classic', number[][]][] = [
      [8, 'fast', [
        [441343110, 2626729116, 2825732685, 1605543382, 260726991, 3657605254, 1074088620, 4229078983],
        [98125764, 769765412, 990198269, 518370274, 260726991, 3503735905, 4674796, 4101013539],
        [1139972, 91073053, 48294775, 90592884, 65738262, 7705562, 3435338, 54543443],
      ]],
      [8, 'classic', [
        [2939707769, 525954132, 4233465365, 3125302365, 777009900, 1976721838, 1662770121, 439644358],
        [831676501, 525954132, 1276139058, 2899370505, 777009900, 1295641535, 1662770121, 439644358],
        [410453688, 24315254, 21719920, 94599979, 323627440, 48612076, 15155716, 77137409],
      ]],
      [5, 'fast', [
        [376502740, 1774866374, 676798187, 28736641, 2626729116],
        [61328602, 581766678, 391090285, 28736641, 2418625941],
        [712482, 44036241, 23066120, 3765454, 20623675],
      ]],
    ];
    for (const [k, scheme, rows] of pinned) {
      const h = new MinHasher({ numPerm: k, scheme });
      rows.forEach((row, i) => {
        expect(Array.from(oracleMinHash(sets[i]!, k, 1, scheme))).toEqual(row);
        expect(Array.from(h.signature(sets[i]!).values)).toEqual(row);
      });
    }
    const texts: [string, number[], string, number, number, number[]][] = [
      ['The quick brown fox jumps over the lazy dog, again and again: 42 times!',
        [298054779, 321686749, 995535379, 1349247698, 1661062734, 2344336293, 2692134432, 3145062257, 4088003074, 4162211778],
        'the quick brown fox jumps over the lazy dog again and again 0 times', 592710916, 1721739288,
        [191985492, 214505761, 213143872, 90784187, 35111259, 126035787, 931834093, 387972214]],
      ['Don’t panic — it’s only “café” № 5…', [1043792399, 1388526993, 2195513061, 2275920935, 2942984779],
        'don t panic it s only cafe no 0', 1223442983, 3482267178,
        [34177578, 234555049, 51295794, 264440135, 608557471, 348352848, 303180640, 182159956]],
      ['日本語のテキスト and English', [1010606347, 1447812400, 2580875708, 2750099168, 3671002190, 4063640262],
        '日本語のテキスト and english', 2989428070, 1742985508,
        [784275900, 74676559, 737535456, 459265008, 17139284, 447637872, 46056006, 946831967]],
    ];
    for (const [t, sh, norm, hi, lo, sig] of texts) {
      expect(Array.from(oracleShingles(t))).toEqual(sh);
      expect(Array.from(shingles(t))).toEqual(sh);
      expect(specNormalize(t)).toBe(norm);
      expect(normalize(t)).toBe(norm);
      const p = prepareDocument(t);
      expect([p.keyHi, p.keyLo, ...p.signature!.slice(0, 8)]).toEqual([hi, lo, ...sig]);
    }
  });

  it('shingles(text) equals the oracle on English-like, random, CJK and surrogate texts', () => {
    fc.assert(fc.property(anyText, (t) => {
      expect(shingles(t)).toEqual(oracleShingles(t));
    }), runs(2500));
  });

  it('shingles(text, options) equals the oracle for every option set', () => {
    fc.assert(fc.property(anyText, options, (t, o) => {
      expect(shingles(t, o)).toEqual(oracleShingles(t, o));
    }), runs(2500));
  });

  it('shingles(text, {size, seed}) equals the oracle on long English texts (scratch buffers grow, large sets sort)', () => {
    fc.assert(fc.property(fc.array(englishText, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 0xffffffff }), (parts, size, seed) => {
      const t = parts.join(' ');
      expect(shingles(t, { size, seed })).toEqual(oracleShingles(t, { size, seed }));
    }), runs(200));
    const words100k = Array.from({ length: 100_000 }, (_, i) => ENGLISH[(i * 7919) % ENGLISH.length]! + (i % 97 === 0 ? '\u2019s' : '')).join(' ');
    expect(shingles(words100k)).toEqual(oracleShingles(words100k));
    expect(shingles(`${words100k} 日本`)).toEqual(oracleShingles(`${words100k} 日本`));
  });

  it('MinHasher.signature(shingles) equals the oracle kernels for every numPerm, seed and scheme', () => {
    fc.assert(fc.property(
      fc.oneof(anyText.map((t) => shingles(t)), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 }).map((a) => Uint32Array.from(a))),
      fc.constantFrom(1, 2, 3, 5, 8, 64, 100, 128, 200, 256),
      fc.oneof(fc.constantFrom(0, 1, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff })),
      fc.constantFrom<'fast' | 'classic'>('fast', 'classic'),
      (xs, numPerm, seed, scheme) => {
        expect(new MinHasher({ numPerm, seed, scheme }).signature(xs).values).toEqual(oracleMinHash(xs, numPerm, seed, scheme));
      },
    ), runs(600));
  });

  it('prepareDocument(text, options) equals the previous pipeline: normalize, xxh64, shingles, signature', () => {
    fc.assert(fc.property(anyText, dedupeOptions, checkPrepare), runs(1500));
  });
});

describe('prepareDocument(text, options): arrays carved from shared blocks', () => {
  it('documents kept while hundreds more are prepared keep their values (no two overlap), in both kernels (fast-check)', () => {
    for (const wasm of [true, false]) {
      setShingleWasmEnabled(wasm);
      setFssWasmEnabled(wasm);
      try {
        fc.assert(fc.property(fc.array(fc.tuple(anyText, dedupeOptions), { minLength: 1, maxLength: 60 }), (cases) => {
          // Prepared all first (so they share blocks), checked afterwards against documents prepared one by one.
          const kept = cases.map(([t, o]) => prepareDocument(t, o));
          cases.forEach(([t, o], i) => {
            const fresh = prepareDocument(t, o);
            expect(kept[i]!.shingles).toEqual(fresh.shingles);
            expect(kept[i]!.signature).toEqual(fresh.signature);
          });
          for (const [t, o] of cases.slice(0, 5)) checkPrepare(t, o);
        }), runs(wasm ? 150 : 60));
      } finally {
        setShingleWasmEnabled(true);
        setFssWasmEnabled(true);
      }
    }
  });

  it('a document shares a block of PREPARED_BLOCK_BYTES unless it needs more than a quarter of one (or nothing)', () => {
    const a = prepareDocument('one short document about shared blocks');
    const b = prepareDocument('another short document about shared blocks');
    expect(a.shingles.buffer.byteLength).toBe(PREPARED_BLOCK_BYTES);
    expect(a.signature!.buffer).toBe(a.shingles.buffer);
    expect(a.signature!.byteOffset).toBe(a.shingles.byteOffset + a.shingles.byteLength);
    if (b.shingles.buffer === a.shingles.buffer) expect(b.shingles.byteOffset).toBeGreaterThanOrEqual(a.signature!.byteOffset + a.signature!.byteLength);
    const letters = (i: number): string => (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(97 + (i % 26));
    const words = Array.from({ length: 1200 }, (_, i) => letters(i)).join(' '); // 1,196 shingles + 128 values > 4,096 bytes
    const big = prepareDocument(words);
    expect(big.shingles.buffer.byteLength).toBe(4 * (big.shingles.length + 128));
    expect(big.shingles.byteOffset).toBe(0);
    const exact = prepareDocument('no shingles for the exact method', { method: 'exact' });
    expect([exact.shingles.length, exact.shingles.buffer.byteLength]).toEqual([0, 0]);
  });
});

describe('sortDistinct', () => {
  const naive = (vs: number[]): number[] => [...new Set(vs)].sort((x, y) => x - y);
  it('sortDistinct(a, n) sorts and removes duplicates like a Set, on random and clustered values', () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 1000 }), // all in the lowest bucket: the bucket pass must give up
      fc.integer({ min: 0xffffff00, max: 0xffffffff }),
      fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff),
    );
    fc.assert(fc.property(fc.array(value, { maxLength: 600 }), (values) => {
      const a = Uint32Array.from(values);
      const m = sortDistinct(a, a.length);
      expect(Array.from(a.subarray(0, m))).toEqual(naive(values));
    }), runs(400));
  });

  it('sortDistinct(a, n) and sortUint32(a, n) take every path: insertion, buckets, a full bucket, radix', () => {
    let x = 7;
    const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (const n of [1, 2, INSERTION_UPTO, INSERTION_UPTO + 1, 100, RADIX_FROM - 1, RADIX_FROM, RADIX_FROM + 5]) {
      const random = Array.from({ length: n }, next);
      const dups = Array.from({ length: n }, (_, i) => random[i % 17]!);
      const clustered = Array.from({ length: n }, (_, i) => (i * 2654435761) % (MAX_BUCKET + 5));
      for (const values of [random, dups, clustered]) {
        const a = Uint32Array.from(values);
        const m = sortDistinct(a, n);
        expect(Array.from(a.subarray(0, m))).toEqual(naive(values));
        const b = Uint32Array.from([...values, 5, 6]);
        sortUint32(b, n); // duplicates kept, the two values past n untouched
        expect(Array.from(b)).toEqual([...values.slice().sort((x, y) => x - y), 5, 6]);
      }
    }
  });
});

describe('WebAssembly kernels', () => {
  it('load here (Node has WebAssembly)', () => {
    expect(fssWasmActive()).toBe(true);
    expect(shingleWasmActive()).toBe(true);
  });

  it('a text whose shingles crowd one bucket is sorted the slow way, with the same result', () => {
    // Words whose 1-gram shingles share their top 6 bits: 40 values in 64 buckets, all in bucket 0.
    const crowd: string[] = [];
    for (let i = 0; crowd.length < 40; i++) {
      const w = `w${i.toString(36)}`;
      if (hashWords(Uint32Array.of(hashUtf16(w, 0, w.length, 0)), 0, 1, 0) >>> 26 === 0) crowd.push(w);
    }
    const t = [...crowd, ...crowd.slice(0, 5)].join(' ');
    for (const wasm of [true, false]) {
      setShingleWasmEnabled(wasm);
      expect(shingles(t, { size: 1 })).toEqual(oracleShingles(t, { size: 1 }));
      expect(prepareDocument(t, { shingle: { size: 1 } }).shingles).toEqual(oracleShingles(t, { size: 1 }));
    }
    setShingleWasmEnabled(true);
  });

  it('the XXH64 the kernel computes of the normalized text is xxh64 of it, at every length 0–100 (stripes, lanes, tail bytes)', () => {
    for (let n = 0; n <= 100; n++) {
      const t = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
      const key = xxh64(t);
      const p = prepareDocument(t);
      expect([p.keyHi, p.keyLo]).toEqual([Number(key >> 32n), Number(key & 0xffffffffn)]);
    }
  });

  it('texts longer than WASM_MAX_UNITS take the JS path, with the same result', () => {
    const parts = ['Alpha', 'beta,', 'gamma', '42', 'delta.', 'x86_64', '\n'];
    let t = '';
    for (let i = 0; t.length <= WASM_MAX_UNITS; i++) t += `${parts[i % parts.length]}${i % 11 === 0 ? '7' : ''} `;
    expect(t.length).toBeGreaterThan(WASM_MAX_UNITS);
    expect(shingles(t)).toEqual(oracleShingles(t));
  });
});

describe('prepareDocument(text, options): the plan cached between calls', () => {
  it('follows options that change between calls, a normalize object changed in place included', () => {
    const t = 'Ｃafé DU Monde, 2024: “the” best beignets in New Orleans — open 24/7!';
    const norm: NormalizeOptions = {};
    const o = { shingle: { size: 2, normalize: norm } };
    checkPrepare(t, o);
    norm.digits = false;
    checkPrepare(t, o);
    norm.lowercase = false;
    checkPrepare(t, o);
    checkPrepare(t, { shingle: { size: 3 } });
    checkPrepare(t, { shingle: { size: 2, normalize: false } });
    checkPrepare(t, { numPerm: 64, seed: 9 });
    checkPrepare(t, o);
    const detector = new NearDuplicateDetector(o);
    norm.digits = true;
    expect(detector.prepare(t)).toEqual(prepareDocument(t, o));
  });

  it('throws on bad shingle options on every call, never caching a failed plan', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => prepareDocument('a b c', { shingle: { size: 0 } })).toThrow(/prepareDocument: options.shingle.size must be an integer from 1 to 1024, got 0/);
      expect(() => prepareDocument('a b c', { shingle: { normalize: { digits: 1 as unknown as boolean } } })).toThrow(/prepareDocument: options.shingle.normalize.digits must be a boolean, got 1/);
      expect(() => prepareDocument('a b c', { shingle: { normalize: 'yes' as unknown as boolean } })).toThrow(TypeError);
      expect(prepareDocument('a b c').shingles).toEqual(oracleShingles('a b c'));
    }
  });
});

describe('the JS paths (WebAssembly off) against the previous implementation (oracle)', () => {
  beforeAll(() => {
    setShingleWasmEnabled(false);
    setFssWasmEnabled(false);
  });
  afterAll(() => {
    setShingleWasmEnabled(true);
    setFssWasmEnabled(true);
  });

  it('shingles(text, options) equals the oracle', () => {
    expect(shingleWasmActive()).toBe(false);
    expect(fssWasmActive()).toBe(false);
    fc.assert(fc.property(anyText, options, (t, o) => {
      expect(shingles(t, o)).toEqual(oracleShingles(t, o));
    }), runs(1500));
  });

  it('the general fused scanner gives the oracle word hashes on ASCII text too', () => {
    fc.assert(fc.property(fc.oneof(englishText, fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 80 })),
      fc.integer({ min: 0, max: 0xffffffff }), (t, seed) => {
        const n = foldWordHashesMixed(t, seed);
        if (n < 0) return; // not foldable: the general path
        const norm = specNormalize(t);
        const spans = oracleWordSpans(norm);
        const want: number[] = [];
        for (let w = 0; w < spans.length; w += 2) want.push(hashUtf16(norm, spans[w]!, spans[w + 1]!, seed));
        expect(Array.from(foldedWordHashes().subarray(0, n))).toEqual(want);
      }), runs(1500));
  });

  it('both fused scanners write the text foldDefault writes (normalize(text)), and agree on the word count', () => {
    // scanAscii and scanMixed of src/shingle/fused.ts fold bytes as foldDefault of src/text/normalize.ts does,
    // fused with the word hashing: a deliberate copy, checked here against the canonical fold.
    fc.assert(fc.property(anyText, fc.integer({ min: 0, max: 0xffffffff }), (t, seed) => {
      const m = foldDefault(t);
      const want = m < 0 ? undefined : String.fromCharCode(...foldScratch().subarray(0, m));
      const counts: number[] = [];
      for (const scan of [foldWordHashes, foldWordHashesMixed]) {
        const n = scan(t, seed);
        counts.push(n);
        expect(n < 0).toBe(want === undefined);
        if (n < 0) continue;
        expect(want).toBe(normalize(t));
        expect(String.fromCharCode(...foldedText().subarray(0, foldedTextLength()))).toBe(want);
      }
      if (counts[0]! >= 0 && counts[1]! >= 0) expect(counts[0]).toBe(counts[1]);
    }), runs(1500));
  });

  it('MinHasher.signature(shingles) equals the oracle kernels', () => {
    fc.assert(fc.property(anyText, fc.constantFrom(1, 3, 64, 128, 200), fc.integer({ min: 0, max: 0xffffffff }), (t, numPerm, seed) => {
      const set = oracleShingles(t);
      expect(new MinHasher({ numPerm, seed }).signature(set).values).toEqual(oracleMinHash(set, numPerm, seed, 'fast'));
    }), runs(500));
  });

  it('prepareDocument(text, options) equals the previous pipeline', () => {
    fc.assert(fc.property(anyText, dedupeOptions, checkPrepare), runs(1200));
  });
});
