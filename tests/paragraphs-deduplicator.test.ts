import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dedupeParagraphs,
  normalize,
  ParagraphDeduplicator,
  PARAGRAPH_DEDUPLICATOR_DEFAULTS,
  paragraphFrequencies,
  PARAGRAPH_FREQUENCIES_DEFAULTS,
  type ParagraphDeduplicatorOptions,
  type ParagraphStore,
  type ParagraphUnit,
} from '../src/index';
import { KeySet64 } from '../src/paragraphs/keyset';

const BOILER = 'Node.js is an event-based server-side JavaScript engine.';
const LICENSE = 'This package is licensed under the GNU GPL version 2.';

describe('KeySet64 (internal exact store)', () => {
  it('add/has agree with a Set of BigInt on random keys, the zero key and keys sharing a slot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.nat({ max: 0xffffffff })), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 }), fc.nat({ max: 0xffffffff }))), { maxLength: 300 }),
        (pairs) => {
          const set = new KeySet64();
          const oracle = new Set<bigint>();
          for (const [hi, lo] of pairs) {
            const key = (BigInt(hi) << 32n) | BigInt(lo);
            expect(set.add(hi, lo)).toBe(!oracle.has(key));
            oracle.add(key);
          }
          expect(set.size).toBe(oracle.size);
          for (const [hi, lo] of pairs) expect(set.has(hi, lo)).toBe(true);
          expect(set.has(0xdeadbeef, 0x12345678)).toBe(oracle.has(0xdeadbeef12345678n));
          const keys = set.keys();
          const back = new Set<bigint>();
          for (let i = 0; i < keys.length; i += 2) back.add((BigInt(keys[i]!) << 32n) | BigInt(keys[i + 1]!));
          expect(back).toEqual(oracle);
        },
      ),
      { seed: 77, numRuns: 200 },
    );
  });

  it('grows past its initial capacity and keeps the load at most 1/2', () => {
    const set = new KeySet64();
    for (let i = 0; i < 100_000; i++) set.add(i * 2654435761 >>> 0, i);
    expect(set.size).toBe(100_000);
    expect(set.byteLength).toBeGreaterThanOrEqual(100_000 * 2 * 8);
    expect(set.byteLength).toBeLessThanOrEqual(100_000 * 4 * 8);
    for (let i = 0; i < 100_000; i += 997) expect(set.has(i * 2654435761 >>> 0, i)).toBe(true);
  });
});

describe('new ParagraphDeduplicator().process(id, text)', () => {
  it('removes units seen in earlier documents (duplicateOf null) and repeats within the document', () => {
    const pd = new ParagraphDeduplicator();
    const a = pd.process('a', `Package A does one thing well.\n${BOILER}\n${LICENSE}`);
    expect(a.removed).toEqual([]);
    const b = pd.process('b', `Package B does another thing.\n\n${BOILER}\nPackage B does another thing!\n${LICENSE}`);
    expect(b.text).toBe('Package B does another thing.');
    expect(b.removed.map((r) => [r.text, r.duplicateOf])).toEqual([
      [BOILER, null],
      ['Package B does another thing!', { start: 0, end: 29 }],
      [LICENSE, null],
    ]);
    expect([pd.documents, pd.units, pd.removedUnits, pd.storedUnits]).toEqual([2, 7, 3, 4]);
  });

  it('a unit seen earlier and repeated inside the document: both copies point to the earlier document', () => {
    const pd = new ParagraphDeduplicator();
    pd.process(1, BOILER);
    const r = pd.process(2, `${BOILER}\nSomething new in this package.\n${BOILER}`);
    expect(r.text).toBe('Something new in this package.');
    expect(r.removed.map((x) => x.duplicateOf)).toEqual([null, null]);
  });

  it('a unit longer than any text hashed before is still recognised (the UTF-8 scratch buffer grows)', () => {
    const pd = new ParagraphDeduplicator();
    const long = `${'Mali’s junta '.repeat(30_000)}end`;
    pd.process(1, `First document.\n${long}`);
    expect(pd.process(2, `${long}\nSecond document.`).text).toBe('Second document.');
  });

  it('a fully repeated document becomes the empty string', () => {
    const pd = new ParagraphDeduplicator();
    pd.process('x', `${BOILER}\n${LICENSE}\n`);
    expect(pd.process('y', `\n${LICENSE}\r\n${BOILER}\n\n`).text).toBe('');
  });

  it('keeps everything else byte-for-byte (CRLF, blank lines, indentation, short protected lines)', () => {
    const pd = new ParagraphDeduplicator();
    pd.process('x', BOILER);
    const doc = 'Features:\r\n  * fast parsing of many formats\r\n\r\n  ' + BOILER + '\r\n\r\nSee also: the docs.\r\n';
    expect(pd.process('y', doc).text).toBe('Features:\r\n  * fast parsing of many formats\r\n\r\nSee also: the docs.\r\n');
  });

  it('unit paragraph and unit sentence', () => {
    const para = new ParagraphDeduplicator({ unit: 'paragraph', minChars: 0 });
    para.process(1, 'intro\n\nshared block\nof two lines');
    expect(para.process(2, 'other intro\n\nShared block of two lines.').text).toBe('other intro');
    const sent = new ParagraphDeduplicator({ unit: 'sentence', minChars: 0, locale: 'en' });
    sent.process(1, 'It is free software. It parses YAML.');
    expect(sent.process(2, 'It parses TOML. It is free software.').text).toBe('It parses TOML.');
  });

  /** Naive oracle: a Set of normalized lines over the whole stream. */
  const naive = (docs: string[], minChars: number): number[][] => {
    const seen = new Set<string>();
    return docs.map((doc) => {
      const out: number[] = [];
      let start = 0;
      for (const line of doc.split('\n')) {
        const norm = normalize(line);
        if (line.trim() !== '' && norm !== '' && [...norm].length >= minChars) {
          if (seen.has(norm)) out.push(start);
          else seen.add(norm);
        }
        start += line.length + 1;
      }
      return out;
    });
  };
  const docsArb = fc.array(
    fc.array(fc.constantFrom(BOILER, LICENSE, 'alpha line of text', 'Alpha line of text!', 'beta', '', 'gamma gamma gamma gamma', 'delta, delta and delta'), { maxLength: 8 }).map((l) => l.join('\n')),
    { maxLength: 12 },
  );

  for (const store of ['exact', 'bloom'] as ParagraphStore[]) {
    it(`store ${store}: removals equal a naive Set oracle (property)`, () => {
      fc.assert(
        fc.property(docsArb, fc.constantFrom(0, 10, 20), (docs, minChars) => {
          const pd = new ParagraphDeduplicator({ store, minChars, expectedItems: 1000, falsePositiveRate: 1e-9 });
          const got = docs.map((d, i) => pd.process(i, d).removed.map((r) => r.start));
          expect(got).toEqual(naive(docs, minChars));
        }),
        { seed: 5150, numRuns: 150 },
      );
    });
  }

  it('a small Bloom store removes a superset of what the exact store removes (false positives only, no misses)', () => {
    const docs = Array.from({ length: 400 }, (_, i) => `unique line number ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]}${'uvwxyz'[Math.floor(i / 100)]} of text\n${BOILER}`);
    const exact = new ParagraphDeduplicator({ store: 'exact' });
    const bloom = new ParagraphDeduplicator({ store: 'bloom', expectedItems: 50, falsePositiveRate: 0.1 });
    let extra = 0;
    for (const [i, d] of docs.entries()) {
      const e = exact.process(i, d).removed.map((r) => r.start);
      const b = bloom.process(i, d).removed.map((r) => r.start);
      for (const s of e) expect(b).toContain(s);
      extra += b.length - e.length;
    }
    expect(extra).toBeGreaterThan(0); // 8× over capacity: false positives must show up
    expect(bloom.byteLength).toBeLessThan(exact.byteLength);
  });
});

describe('ParagraphDeduplicator.toBytes / fromBytes', () => {
  const stream = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => `Package ${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'abcdefghijklmnopqrstuvwxyz'[Math.floor(i / 26) % 26]} description line.\n${i % 3 ? BOILER : LICENSE}\n${i % 5 ? 'A shared footer line for many.' : 'Another footer line for some.'}`);

  for (const options of [{ store: 'exact' }, { store: 'bloom', expectedItems: 500, falsePositiveRate: 0.01 }, { unit: 'sentence', locale: 'en-GB', minChars: 3 }] as ParagraphDeduplicatorOptions[]) {
    it(`${JSON.stringify(options)}: a restored deduplicator goes on exactly like the original`, () => {
      const docs = stream(300);
      const whole = new ParagraphDeduplicator(options);
      const first = new ParagraphDeduplicator(options);
      const expected = docs.map((d, i) => whole.process(i, d));
      for (let i = 0; i < 150; i++) first.process(i, docs[i]!);
      const bytes = first.toBytes();
      const second = ParagraphDeduplicator.fromBytes(bytes);
      expect(second.toBytes()).toEqual(bytes);
      expect([second.unit, second.minChars, second.locale, second.store]).toEqual([first.unit, first.minChars, first.locale, first.store]);
      for (let i = 150; i < 300; i++) expect(second.process(i, docs[i]!)).toEqual(expected[i]);
      expect([second.documents, second.units, second.removedUnits, second.storedUnits]).toEqual([whole.documents, whole.units, whole.removedUnits, whole.storedUnits]);
      expect(second.toBytes()).toEqual(whole.toBytes());
    });
  }

  const small = (store: ParagraphStore): Uint8Array => {
    const pd = new ParagraphDeduplicator({ store, expectedItems: 4, falsePositiveRate: 0.2, locale: 'en' });
    pd.process('a', `${BOILER}\n${LICENSE}`);
    return pd.toBytes();
  };

  for (const store of ['exact', 'bloom'] as ParagraphStore[]) {
    it(`store ${store}: fromBytes refuses every flipped byte, every flipped bit and every truncation`, () => {
      const bytes = small(store);
      expect(bytes.length).toBeLessThan(200);
      for (let i = 0; i < bytes.length; i++) {
        const copy = bytes.slice();
        copy[i] = copy[i]! ^ 0xff;
        expect(() => ParagraphDeduplicator.fromBytes(copy), `byte ${i}`).toThrow(RangeError);
        for (let b = 0; b < 8; b++) {
          const bit = bytes.slice();
          bit[i] = bit[i]! ^ (1 << b);
          expect(() => ParagraphDeduplicator.fromBytes(bit), `byte ${i} bit ${b}`).toThrow(RangeError);
        }
      }
      for (let len = 0; len < bytes.length; len++) {
        expect(() => ParagraphDeduplicator.fromBytes(bytes.slice(0, len)), `length ${len}`).toThrow(RangeError);
      }
    });
  }

  it('fromBytes refuses a BloomFilter buffer, other kinds and non-buffers with a clear message', () => {
    const bytes = small('exact');
    const other = bytes.slice();
    other[6] = 5; // BloomFilter
    expect(() => ParagraphDeduplicator.fromBytes(other)).toThrow(/holds a BloomFilter, expected a ParagraphDeduplicator/);
    expect(() => ParagraphDeduplicator.fromBytes('bytes' as unknown as Uint8Array)).toThrow(TypeError);
    const version = bytes.slice();
    version[4] = 9;
    expect(() => ParagraphDeduplicator.fromBytes(version)).toThrow(/format version 9 is not supported/);
  });
});

describe('ParagraphDeduplicator bad input', () => {
  it('names the option, the allowed range and the value', () => {
    expect(() => new ParagraphDeduplicator({ store: 'set' as ParagraphStore })).toThrow(/ParagraphDeduplicator: options.store must be "exact" or "bloom", got "set"/);
    expect(() => new ParagraphDeduplicator({ unit: 'word' as ParagraphUnit })).toThrow(RangeError);
    expect(() => new ParagraphDeduplicator({ minChars: -2 })).toThrow(/minChars/);
    expect(() => new ParagraphDeduplicator({ expectedItems: 0 })).toThrow(/ParagraphDeduplicator: options.expectedItems must be an integer from 1 to 4294967295, got 0/);
    expect(() => new ParagraphDeduplicator({ store: 'bloom', falsePositiveRate: 0 })).toThrow(/ParagraphDeduplicator: options.falsePositiveRate must be a number greater than 0 and at most 0.5, got 0/);
    expect(() => new ParagraphDeduplicator({ store: 'exact', falsePositiveRate: 2 })).toThrow(RangeError);
    expect(() => new ParagraphDeduplicator({ falsePositiveRate: '0.1' as unknown as number })).toThrow(TypeError);
    expect(() => new ParagraphDeduplicator({ store: 'bloom', expectedItems: 2 ** 32 - 1, falsePositiveRate: 1e-9 })).toThrow(/BloomFilter: options.expectedItems must be small enough for 4294967264 bits at falsePositiveRate 1e-9/);
    expect(() => new ParagraphDeduplicator(7 as unknown as ParagraphDeduplicatorOptions)).toThrow(TypeError);
    const pd = new ParagraphDeduplicator();
    expect(() => pd.process({} as unknown as string, 'x')).toThrow(/ParagraphDeduplicator.process: id must be a string or a finite number, got an object/);
    expect(() => pd.process(Number.NaN, 'x')).toThrow(TypeError);
    expect(() => pd.process('doc-1', 5 as unknown as string)).toThrow(/ParagraphDeduplicator.process: text must be a string, got 5/);
  });

  it('PARAGRAPH_DEDUPLICATOR_DEFAULTS is frozen and used', () => {
    expect(Object.isFrozen(PARAGRAPH_DEDUPLICATOR_DEFAULTS)).toBe(true);
    const pd = new ParagraphDeduplicator();
    expect([pd.unit, pd.minChars, pd.store, pd.expectedItems, pd.falsePositiveRate]).toEqual(['line', 20, 'exact', 1_000_000, 0.001]);
  });
});

describe('paragraphFrequencies(docs, options)', () => {
  const docs = [
    { id: 'a', text: `Package A.\n${BOILER}\n${LICENSE}\nAdvertisement` },
    { id: 'b', text: `Package B.\n${BOILER}\nnode.js is an event based server side javascript engine\nAdvertisement` },
    `Package C.\n${LICENSE}\nAdvertisement`,
  ];

  it('counts occurrences and documents of each normalized unit, first original form, most frequent first', () => {
    const rows = paragraphFrequencies(docs);
    expect(rows).toEqual([
      { text: BOILER, normalized: normalize(BOILER), count: 3, documents: 2, chars: 2 * BOILER.length + 55 },
      { text: 'Advertisement', normalized: 'advertisement', count: 3, documents: 3, chars: 39 },
      { text: LICENSE, normalized: normalize(LICENSE), count: 2, documents: 2, chars: 2 * LICENSE.length },
    ]);
  });

  it('top, minCount, minChars, unit', () => {
    expect(paragraphFrequencies(docs, { top: 1 })).toHaveLength(1);
    expect(paragraphFrequencies(docs, { minCount: 3 }).map((r) => r.text)).toEqual([BOILER, 'Advertisement']);
    expect(paragraphFrequencies(docs, { minChars: 20 }).map((r) => r.text)).toEqual([BOILER, LICENSE]);
    expect(paragraphFrequencies(docs, { minCount: 1, top: Infinity })).toHaveLength(6);
    expect(paragraphFrequencies(['a\n\nb', 'A\n\nc'], { unit: 'paragraph' }).map((r) => [r.text, r.count])).toEqual([['a', 2]]);
  });

  it('accepts any iterable, including a generator; equals a naive count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('x y', 'X-Y', 'z', 'w w', '', 'q'), { maxLength: 6 }).map((l) => l.join('\n')), { maxLength: 10 }), (texts) => {
        function* gen(): Generator<string> {
          yield* texts;
        }
        const rows = paragraphFrequencies(gen(), { minCount: 1, top: Infinity });
        const counts = new Map<string, number>();
        for (const t of texts) for (const l of t.split('\n')) if (normalize(l) !== '') counts.set(normalize(l), (counts.get(normalize(l)) ?? 0) + 1);
        expect(new Map(rows.map((r) => [r.normalized, r.count]))).toEqual(counts);
        for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.count).toBeGreaterThanOrEqual(rows[i]!.count);
      }),
      { seed: 31337, numRuns: 200 },
    );
  });

  it('refuses bad input with a clear message', () => {
    expect(() => paragraphFrequencies('a\nb' as unknown as string[])).toThrow(/paragraphFrequencies: docs must be an iterable of strings or \{ id, text \} documents, got "a\\nb"/);
    expect(() => paragraphFrequencies(null as unknown as string[])).toThrow(TypeError);
    expect(() => paragraphFrequencies([{ id: 1 }] as unknown as string[])).toThrow(/paragraphFrequencies: docs\[0\] must be a string or a \{ id, text \} document/);
    expect(() => paragraphFrequencies([], { top: 0 })).toThrow(/top must be an integer/);
    expect(() => paragraphFrequencies([], { minCount: 0 })).toThrow(/paragraphFrequencies: options.minCount must be an integer from 1 to 2147483647, got 0/);
    expect(() => paragraphFrequencies([], { unit: 'page' as ParagraphUnit })).toThrow(RangeError);
    expect(Object.isFrozen(PARAGRAPH_FREQUENCIES_DEFAULTS)).toBe(true);
  });
});

describe('ParagraphDeduplicator keys agree with dedupeParagraphs on lone surrogates', () => {
  it('process(id, text) keeps a line that differs from an earlier one only in a lone surrogate, as dedupeParagraphs does', () => {
    const line = 'a line long enough to count ';
    const text = `${line}\ud800\n${line}\ud801\n${line}\ud800`;
    const expected = dedupeParagraphs(text);
    expect(expected.removed.map((r) => r.start)).toEqual([2 * (line.length + 2)]);
    for (const store of ['exact', 'bloom'] as const) {
      const pd = new ParagraphDeduplicator({ store });
      const { text: out, removed } = pd.process('d1', text);
      expect(out).toBe(expected.text);
      expect(removed.map((r) => [r.start, r.duplicateOf])).toEqual([[2 * (line.length + 2), { start: 0, end: line.length + 1 }]]);
      expect(pd.process('d2', `${line}\ud801`).removed).toHaveLength(1); // seen in d1
      expect(pd.process('d3', `${line}\ud802`).removed).toHaveLength(0);
    }
  });
});
