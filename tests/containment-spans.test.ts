import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shingles } from '../src/index';
import { matchedSpans, shingleWindows } from '../src/containment/spans';

const runs = (numRuns: number) => ({ seed: 262626, numRuns });
const distinct = (v: Uint32Array) => Uint32Array.from(new Set(v)).sort();

describe('shingleWindows(text, size, seed)', () => {
  it('has the values of shingles(text, { size, seed }) on texts with punctuation, digits, case, accents and odd spaces', () => {
    const token = fc.constantFrom('The', 'cat', 'sat', 'on', 'a', 'mat', "don't", '3.14', '2024', 'Café', 'ﬁnal', 'Ｈｅｌｌｏ', '—', '...', 'x,y', '(a)', 'naïve', 'ΟΔΟΣ', 'über', '$5', 'e-mail', 'İ');
    const space = fc.constantFrom(' ', '  ', '\n', '\t', '\u00a0', '\u0085', ' \n\n ');
    const text = fc.array(fc.tuple(token, space), { maxLength: 40 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 0xffffffff }), (t, size, seed) => {
        expect(distinct(shingleWindows(t, size, seed).values)).toEqual(shingles(t, { size, seed }));
      }),
      runs(400),
    );
  });

  it('gives each word the span of its whitespace-delimited chunk in the original text', () => {
    const w = shingleWindows('Hello,  World! x', 2, 0);
    expect([...w.starts]).toEqual([0, 8, 15]);
    expect([...w.ends]).toEqual([6, 14, 16]);
    expect(w.values.length).toBe(2);
    expect(shingleWindows('one two', 5, 0).width).toBe(2);
    expect(shingleWindows('...', 5, 0).values.length).toBe(0);
  });
});

describe('matchedSpans(windows, set)', () => {
  it('returns the stretch of the record that a quoted text covers, merged across overlapping windows', () => {
    const quote = 'the quick brown fox jumps over the lazy dog';
    const record = `Intro words here. ${quote.toUpperCase()}! And then, unrelated words follow here.`;
    const spans = matchedSpans(shingleWindows(record, 5, 0), shingles(quote));
    expect(spans).toEqual([[18, 18 + quote.length + 1]]);
    expect(record.slice(spans[0]![0], spans[0]![1])).toBe(`${quote.toUpperCase()}!`);
  });

  it('two separate copies give two spans; no shared shingle gives none', () => {
    const q = 'alpha beta gamma delta epsilon';
    const record = `${q} zeta eta theta iota kappa lambda mu ${q}`;
    const spans = matchedSpans(shingleWindows(record, 5, 0), shingles(q));
    expect(spans.map(([s, e]) => record.slice(s, e))).toEqual([q, q]);
    expect(matchedSpans(shingleWindows(record, 5, 0), shingles('nothing in common at all here'))).toEqual([]);
  });
});
