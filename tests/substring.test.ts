import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findRepeats, lcpArray, removeRepeats, REPEATS_DEFAULTS, suffixArray, words } from '../src/index';
import type { Repeat, RepeatDocSpan, RepeatRemoval, RepeatSpan } from '../src/index';

const SEED = 20240611;
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---------------------------------------------------------------------------------------------------------
// Naive oracles
// ---------------------------------------------------------------------------------------------------------

/** Sorts suffix start positions by comparing the suffixes element by element. */
function naiveSuffixArray(a: ArrayLike<number>): number[] {
  const n = a.length;
  return Array.from({ length: n }, (_, i) => i).sort((x, y) => {
    for (let i = x, j = y; ; i++, j++) {
      if (i === n) return -1; // the shorter suffix (a prefix of the other) first
      if (j === n) return 1;
      if (a[i] !== a[j]) return a[i]! - a[j]!;
    }
  });
}

function naiveLcp(a: ArrayLike<number>, sa: ArrayLike<number>): number[] {
  const out = sa.length > 0 ? [0] : [];
  for (let r = 1; r < sa.length; r++) {
    let h = 0;
    while (sa[r]! + h < a.length && sa[r - 1]! + h < a.length && a[sa[r]! + h] === a[sa[r - 1]! + h]) h++;
    out.push(h);
  }
  return out;
}

interface NaiveUnit { key: string; start: number; end: number }

/** The oracle's tokenizer for the random texts (lowercase ASCII words separated by whitespace). */
const naiveTokens = (text: string): NaiveUnit[] =>
  [...text.matchAll(/\S+/g)].map((m) => ({ key: m[0], start: m.index, end: m.index + m[0].length }));

/** Code points with their UTF-16 offsets. */
function naiveChars(text: string): NaiveUnit[] {
  const out: NaiveUnit[] = [];
  let i = 0;
  for (const ch of text) {
    out.push({ key: ch, start: i, end: i + ch.length });
    i += ch.length;
  }
  return out;
}

/** findRepeats by its definition: compare every window with every other, merge, group. */
function naiveFindRepeats(docs: NaiveUnit[][], k: number): { keyed: string; length: number; occ: { doc: number; start: number; end: number }[] }[] {
  const windowKey = (d: number, p: number): string => docs[d]!.slice(p, p + k).map((u) => u.key).join('\u0000');
  const count = new Map<string, number>();
  docs.forEach((units, d) => {
    for (let p = 0; p + k <= units.length; p++) count.set(windowKey(d, p), (count.get(windowKey(d, p)) ?? 0) + 1);
  });
  const groups = new Map<string, { keyed: string; length: number; occ: { doc: number; start: number; end: number }[] }>();
  const order: string[] = [];
  docs.forEach((units, d) => {
    let s = -1;
    let e = -1;
    const emit = (): void => {
      if (s < 0) return;
      const keyed = units.slice(s, e).map((u) => u.key).join('\u0000');
      if (!groups.has(keyed)) { groups.set(keyed, { keyed, length: e - s, occ: [] }); order.push(keyed); }
      groups.get(keyed)!.occ.push({ doc: d, start: units[s]!.start, end: units[e - 1]!.end });
    };
    for (let p = 0; p + k <= units.length; p++) {
      if (count.get(windowKey(d, p))! < 2) continue;
      if (p < e) e = p + k;
      else { emit(); s = p; e = p + k; }
    }
    emit();
  });
  return order.map((k2) => groups.get(k2)!);
}

/**
 * The removed units by definition, simulated window by window in corpus order: a window goes when an
 * earlier window with the same units ends before it and is entirely kept.
 */
function naiveStruck(docs: NaiveUnit[][], k: number): boolean[][] {
  const struck = docs.map((u) => u.map(() => false));
  const windows: { d: number; p: number; g: number; key: string }[] = [];
  let offset = 0;
  docs.forEach((units, d) => {
    for (let p = 0; p + k <= units.length; p++) windows.push({ d, p, g: offset + p, key: units.slice(p, p + k).map((u) => u.key).join('\u0000') });
    offset += units.length + 1;
  });
  for (const w of windows) {
    const copy = windows.find((s) => s.g + k <= w.g && s.key === w.key && struck[s.d]!.slice(s.p, s.p + k).every((x) => !x));
    if (copy) for (let q = w.p; q < w.p + k; q++) struck[w.d]![q] = true;
  }
  return struck;
}

/** The text after removal by the documented whitespace and punctuation rule, restated with regexes. */
function naiveCut(text: string, units: NaiveUnit[], struck: boolean[], token: boolean): string {
  const breaks = (s: string): number => (s.match(/\r\n|[\n\r\u2028\u2029\v\f]/g) ?? []).length;
  let out = '';
  let from = 0;
  for (let u = 0; u < units.length; ) {
    if (!struck[u]) { u++; continue; }
    let v = u;
    while (v + 1 < units.length && struck[v + 1]) v++;
    let a = units[u]!.start;
    let b = units[v]!.end;
    if (token) {
      const pe = u > 0 ? units[u - 1]!.end : -1;
      const ns = v + 1 < units.length ? units[v + 1]!.start : -1;
      const lo = Math.max(pe, 0);
      const hi = ns < 0 ? text.length : ns;
      b += /^\S*/.exec(text.slice(b, hi))![0].length;
      const s0 = a;
      a -= /\S*$/.exec(text.slice(lo, a))![0].length;
      if (a === lo && pe >= 0) a = s0;
      const w1 = a - /\s*$/.exec(text.slice(lo, a))![0].length;
      const w2 = b + /^\s*/.exec(text.slice(b, hi))![0].length;
      if (pe >= 0 && ns >= 0) {
        if (w1 < a && w2 > b) {
          if (breaks(text.slice(w1, a)) < breaks(text.slice(b, w2))) a = w1;
          else b = w2;
        }
      } else if (ns >= 0) b = w2;
      else if (pe >= 0) a = w1;
    }
    out += text.slice(from, a);
    from = b;
    u = v + 1;
  }
  return out + text.slice(from);
}

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

/** A small-alphabet string of ids, with an alphabet size at least the largest id + 1. */
const idStrings = fc
  .constantFrom(1, 2, 3, 4, 10, 1000)
  .chain((k) => fc.tuple(fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: 0, maxLength: 200 }), fc.integer({ min: k, max: k + 5 })));

/** Texts of words from a small vocabulary, with varied whitespace between them. */
const wordText = (vocab: string[]): fc.Arbitrary<string> =>
  fc
    .array(fc.tuple(fc.constantFrom(...vocab), fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\n\n', '\t')), { maxLength: 40 })
    .chain((words) => fc.tuple(fc.constantFrom('', ' ', '\n'), fc.constantFrom('', '\n', ' ')).map(([lead, trail]) =>
      lead + words.map(([w, s], i) => (i === words.length - 1 ? w : w + s)).join('') + trail));

const charText = fc.array(fc.constantFrom('a', 'b', '😀', 'é', '\n'), { maxLength: 60 }).map((cs) => cs.join(''));

/** Strips the `doc` of single-text results to compare with the oracle. */
const flat = (repeats: Repeat[]): { text: string; length: number; occ: { doc: number; start: number; end: number }[] }[] =>
  repeats.map((r) => ({
    text: r.text,
    length: r.length,
    occ: r.occurrences.map((o) => ({ doc: 'doc' in o ? (o as RepeatDocSpan).doc as number : 0, start: o.start, end: o.end })),
  }));

// ---------------------------------------------------------------------------------------------------------
// Suffix array and LCP
// ---------------------------------------------------------------------------------------------------------

describe('suffixArray(ids, alphabetSize)', () => {
  it('suffixArray(ids, alphabetSize) matches the reference table', () => {
    const enc = (s: string): Uint32Array => Uint32Array.from(s, (c) => c.charCodeAt(0) - 97);
    expect([...suffixArray(enc('banana'), 26)]).toEqual([5, 3, 1, 0, 4, 2]);
    expect([...suffixArray(enc('mississippi'), 26)]).toEqual([10, 7, 4, 1, 0, 9, 8, 6, 3, 5, 2]);
    expect([...suffixArray(enc('aaaa'), 1)]).toEqual([3, 2, 1, 0]);
    expect([...suffixArray(enc('abab'), 2)]).toEqual([2, 0, 3, 1]);
    expect([...suffixArray(new Uint32Array(0), 1)]).toEqual([]);
    expect([...suffixArray(new Uint32Array([0]), 1)]).toEqual([0]);
  });

  it('suffixArray(ids, alphabetSize) equals a naive sort of the suffixes (alphabets 1–1000, lengths 0–200)', () => {
    fc.assert(
      fc.property(idStrings, ([ids, k]) => {
        const a = Uint32Array.from(ids);
        expect([...suffixArray(a, k)]).toEqual(naiveSuffixArray(a));
      }),
      runs(600),
    );
  });

  it('suffixArray(ids, alphabetSize) sorts periodic and Fibonacci strings (deep recursion)', () => {
    let x = [1];
    let y = [1, 0];
    while (y.length < 3000) { const z = y.concat(x); x = y; y = z; }
    for (const ids of [y.slice(0, 3000), Array.from({ length: 2000 }, (_, i) => i % 3), Array.from({ length: 1500 }, (_, i) => (i % 7 === 0 ? 1 : 0))]) {
      const a = Uint32Array.from(ids);
      expect([...suffixArray(a, 3)]).toEqual(naiveSuffixArray(a));
    }
  });

  it('suffixArray(ids, alphabetSize) rejects bad input', () => {
    expect(() => suffixArray([1, 2] as unknown as Uint32Array, 3)).toThrow(TypeError);
    expect(() => suffixArray(new Uint32Array([1, 2]), 0)).toThrow(/suffixArray: alphabetSize must be an integer from 1 to 2147483647, got 0/);
    expect(() => suffixArray(new Uint32Array([1, 2]), 1.5)).toThrow(RangeError);
    expect(() => suffixArray(new Uint32Array([1, 2]), '3' as unknown as number)).toThrow(TypeError);
    expect(() => suffixArray(new Uint32Array([0, 3]), 3)).toThrow(/suffixArray: ids\[1\] must be an integer from 0 to 2 \(below alphabetSize\), got 3/);
  });
});

describe('lcpArray(ids, sa)', () => {
  it('lcpArray(ids, sa) matches the reference table', () => {
    const ids = Uint32Array.from('mississippi', (c) => c.charCodeAt(0) - 97);
    expect([...lcpArray(ids, suffixArray(ids, 26))]).toEqual([0, 1, 1, 4, 0, 0, 1, 0, 2, 1, 3]);
  });

  it('lcpArray(ids, sa) equals the naive longest common prefixes', () => {
    fc.assert(
      fc.property(idStrings, ([ids, k]) => {
        const a = Uint32Array.from(ids);
        const sa = suffixArray(a, k);
        expect([...lcpArray(a, sa)]).toEqual(naiveLcp(a, sa));
      }),
      runs(400),
    );
  });

  it('lcpArray(ids, sa) rejects a suffix array that does not fit', () => {
    const ids = new Uint32Array([0, 1, 0]);
    expect(() => lcpArray(ids, new Uint32Array([0, 1]))).toThrow(/lcpArray: sa.length must be the length of ids, 3, got 2/);
    expect(() => lcpArray(ids, new Uint32Array([0, 0, 1]))).toThrow(/lcpArray: sa\[1\] must be a position from 0 to 2 not seen at an earlier rank \(sa is a permutation\), got 0/);
    expect(() => lcpArray(ids, new Uint32Array([0, 1, 7]))).toThrow(RangeError);
    expect(() => lcpArray(ids, [0, 1, 2] as unknown as Uint32Array)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// findRepeats
// ---------------------------------------------------------------------------------------------------------

describe('findRepeats(input, options)', () => {
  it('findRepeats(docs, {minLength}) equals the brute-force repeat finder on random token strings', () => {
    fc.assert(
      fc.property(fc.array(wordText(['a', 'b', 'c']), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 5 }), (texts, k) => {
        const expected = naiveFindRepeats(texts.map(naiveTokens), k);
        const got = flat(findRepeats(texts, { minLength: k }));
        expect(got.map((r) => ({ length: r.length, occ: r.occ }))).toEqual(expected.map((r) => ({ length: r.length, occ: r.occ })));
        for (const r of got) expect(r.text).toBe(texts[r.occ[0]!.doc]!.slice(r.occ[0]!.start, r.occ[0]!.end));
        // One text gives the same spans without `doc`.
        const single = findRepeats(texts[0]!, { minLength: k });
        expect(single.every((r) => r.occurrences.every((o) => !('doc' in o)))).toBe(true);
        expect(flat(single)).toEqual(flat(findRepeats([texts[0]!], { minLength: k })));
      }),
      runs(400),
    );
  });

  it("findRepeats(docs, {unit: 'char'}) equals the brute-force repeat finder, astral characters one unit each", () => {
    fc.assert(
      fc.property(fc.array(charText, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 6 }), (texts, k) => {
        const expected = naiveFindRepeats(texts.map(naiveChars), k);
        const got = flat(findRepeats(texts, { minLength: k, unit: 'char' }));
        expect(got.map((r) => ({ length: r.length, occ: r.occ }))).toEqual(expected.map((r) => ({ length: r.length, occ: r.occ })));
      }),
      runs(400),
    );
  });

  it('findRepeats({id, text}[]) names documents by id and never crosses a document boundary', () => {
    const docs = [
      { id: 'x', text: 'alpha beta gamma' },
      { id: 7, text: 'delta alpha beta' },
      { id: 'z', text: 'gamma delta' },
    ];
    // "gamma delta" would exist across x|7 and "beta gamma" across 7|z if documents were concatenated.
    expect(findRepeats(docs, { minLength: 2 })).toEqual([
      { text: 'alpha beta', length: 2, occurrences: [{ doc: 'x', start: 0, end: 10 }, { doc: 7, start: 6, end: 16 }] },
    ]);
    function* gen(): Generator<string> { yield 'p q'; yield 'p q'; }
    expect(findRepeats(gen(), { minLength: 2 })[0]!.occurrences).toEqual([
      { doc: 0, start: 0, end: 3 },
      { doc: 1, start: 0, end: 3 },
    ]);
  });

  it('findRepeats(text) keeps a text repeated back to back as two occurrences, and merges overlapping windows', () => {
    expect(findRepeats('one two three one two three', { minLength: 3 })).toEqual([
      { text: 'one two three', length: 3, occurrences: [{ start: 0, end: 13 }, { start: 14, end: 27 }] },
    ]);
    // Overlapping repeated windows merge into one span; both copies are maximal spans of the same units.
    const r = findRepeats('a b c d e f | x | a b c d e f', { minLength: 2 });
    expect(r).toEqual([{ text: 'a b c d e f', length: 6, occurrences: [{ start: 0, end: 11 }, { start: 18, end: 29 }] }]);
  });

  it("findRepeats(text, {unit: 'char'}) counts an astral character as one unit and reports UTF-16 offsets", () => {
    const text = '😀😀x😀😀y';
    expect(findRepeats(text, { unit: 'char', minLength: 2 })).toEqual([
      { text: '😀😀', length: 2, occurrences: [{ start: 0, end: 4 }, { start: 5, end: 9 }] },
    ]);
    expect(findRepeats(text, { unit: 'char', minLength: 3 })).toEqual([]);
  });

  it('findRepeats(text, {normalize: true}) compares normalized tokens and reports original offsets', () => {
    const text = 'The Quick Brown Fox and the quick brown fox';
    expect(findRepeats(text, { minLength: 4 })).toEqual([]);
    const r = findRepeats(text, { minLength: 4, normalize: true });
    expect(r).toHaveLength(1);
    expect(r[0]!.length).toBe(4);
    expect(r[0]!.occurrences.map((o) => text.slice(o.start, o.end))).toEqual(['The Quick Brown Fox', 'the quick brown fox']);
    expect(r[0]!.text).toBe('The Quick Brown Fox');
  });

  it('findRepeats(empty input) returns no repeats', () => {
    expect(findRepeats('')).toEqual([]);
    expect(findRepeats([])).toEqual([]);
    expect(findRepeats(['', '', ''], { minLength: 1 })).toEqual([]);
    expect(findRepeats('', { unit: 'char', minLength: 1 })).toEqual([]);
    expect(findRepeats('word', { minLength: 1 })).toEqual([]);
  });

  it('findRepeats(input, options) rejects bad options and bad input with the option, range and value', () => {
    expect(() => findRepeats('x', { minLength: 0 })).toThrow(/findRepeats: options.minLength must be an integer from 1 to 2147483647, got 0/);
    expect(() => findRepeats('x', { minLength: 2.5 })).toThrow(RangeError);
    expect(() => findRepeats('x', { minLength: '5' as unknown as number })).toThrow(TypeError);
    expect(() => findRepeats('x', { unit: 'token' as 'word' })).toThrow(/findRepeats: options.unit must be "word" or "char", got "token"/);
    expect(() => findRepeats('x', { unit: 3 as unknown as 'word' })).toThrow(TypeError);
    expect(() => findRepeats('x', { normalize: 'yes' as unknown as boolean })).toThrow(/normalize must be a boolean/);
    expect(() => findRepeats('x', 5 as unknown as object)).toThrow(/options must be an options object/);
    expect(() => findRepeats(42 as unknown as string)).toThrow(/input must be a string or an iterable/);
    expect(() => findRepeats([{ id: 'a', text: 3 }] as unknown as string[])).toThrow(/docs\[0\]\.text must be a string, got 3/);
    expect(() => findRepeats([{ id: null, text: '' }] as unknown as string[])).toThrow(/docs\[0\]\.id must be a string or a finite number/);
    expect(() => findRepeats([{ id: 'a', text: '' }, { id: 'a', text: '' }])).toThrow(/findRepeats: docs\[1\].id must be an id not used by an earlier document, got "a"/);
    expect(() => findRepeats([null] as unknown as string[])).toThrow(/docs\[0\] must be a string or a \{ id, text \} document/);
  });

  it('REPEATS_DEFAULTS holds the documented defaults', () => {
    expect(REPEATS_DEFAULTS).toEqual({ minLength: 50, unit: 'word', normalize: false });
    expect(Object.isFrozen(REPEATS_DEFAULTS)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// removeRepeats
// ---------------------------------------------------------------------------------------------------------

/** Checks a removal result against the definition and the oracle's text. */
function checkRemoval(texts: string[], unitsOf: (t: string) => NaiveUnit[], k: number, token: boolean, texts2: string[], removed: RepeatRemoval<RepeatDocSpan>[]): void {
  const docs = texts.map(unitsOf);
  const struck = naiveStruck(docs, k);
  expect(texts2).toEqual(texts.map((t, d) => naiveCut(t, docs[d]!, struck[d]!, token)));
  // The removed pieces cover exactly the struck units, in order, without overlap.
  const covered = docs.map((u) => u.map(() => false));
  let lastDoc = -1;
  let lastEnd = 0;
  for (const r of removed) {
    const d = r.doc as number;
    expect(d > lastDoc || (d === lastDoc && r.start >= lastEnd)).toBe(true);
    lastDoc = d;
    lastEnd = r.end;
    const units = docs[d]!;
    const a = units.findIndex((u) => u.start === r.start);
    const b = units.findIndex((u) => u.end === r.end) + 1;
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    for (let u = a; u < b; u++) { expect(covered[d]![u]).toBe(false); covered[d]![u] = true; }
    // duplicateOf holds the same units, earlier in the corpus.
    const cd = r.duplicateOf.doc as number;
    const cu = docs[cd]!;
    const ca = cu.findIndex((u) => u.start === r.duplicateOf.start);
    const cb = cu.findIndex((u) => u.end === r.duplicateOf.end) + 1;
    expect(cu.slice(ca, cb).map((u) => u.key)).toEqual(units.slice(a, b).map((u) => u.key));
    expect(cd < d || (cd === d && cb <= a)).toBe(true);
    // ... and it is kept.
    expect(struck[cd]!.slice(ca, cb).every((x) => !x)).toBe(true);
  }
  expect(covered).toEqual(struck);
}

describe('removeRepeats(input, options)', () => {
  it('removeRepeats(docs, {minLength}) removes exactly the later copies, by the brute-force definition', () => {
    fc.assert(
      fc.property(fc.array(wordText(['a', 'b', 'c']), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 5 }), (texts, k) => {
        const { texts: out, removed } = removeRepeats(texts, { minLength: k });
        checkRemoval(texts, naiveTokens, k, true, out, removed);
      }),
      runs(400),
    );
  });

  it("removeRepeats(docs, {unit: 'char'}) cuts exactly the removed code points", () => {
    fc.assert(
      fc.property(fc.array(charText, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 6 }), (texts, k) => {
        const { texts: out, removed } = removeRepeats(texts, { minLength: k, unit: 'char' });
        checkRemoval(texts, naiveChars, k, false, out, removed);
      }),
      runs(400),
    );
  });

  it('removeRepeats(docs) names a kept copy with the same units for every removal', () => {
    fc.assert(
      fc.property(fc.array(wordText(['w1', 'w2', 'w3', 'w4', 'w5']), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), (texts, k) => {
        const { texts: out, removed } = removeRepeats(texts, { minLength: k });
        checkRemoval(texts, naiveTokens, k, true, out, removed);
      }),
      runs(200),
    );
  });

  it('findRepeats / removeRepeats(docs) match the oracles on text with punctuation, CJK and emoji (tokens from words())', () => {
    const vocab = ['Über', 'naïve', "don't", '3.14', '日本', 'cat', 'cat', 'dog', '(', ')', ',', '.', '!', '"', '😀', '-'];
    const text = fc
      .array(fc.tuple(fc.constantFrom(...vocab), fc.constantFrom('', ' ', ' ', '\n', '\n\n')), { maxLength: 40 })
      .map((parts) => parts.map(([w, sep]) => w + sep).join(''));
    const wordUnits = (t: string): NaiveUnit[] => words(t).map((w) => ({ key: w.text, start: w.start, end: w.end }));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), (texts, k) => {
        const expected = naiveFindRepeats(texts.map(wordUnits), k);
        const got = flat(findRepeats(texts, { minLength: k }));
        expect(got.map((r) => ({ length: r.length, occ: r.occ }))).toEqual(expected.map((r) => ({ length: r.length, occ: r.occ })));
        const { texts: out, removed } = removeRepeats(texts, { minLength: k });
        checkRemoval(texts, wordUnits, k, true, out, removed);
      }),
      runs(300),
    );
  });

  it('removeRepeats(text) keeps the first copy and joins the text around a removed span', () => {
    const text = 'Intro.\n\nSubscribe now to read more today\n\nBody text here.\n\nSubscribe now to read more today\n\nEnd.';
    const r = removeRepeats(text, { minLength: 6 });
    expect(r.text).toBe('Intro.\n\nSubscribe now to read more today\n\nBody text here.\n\nEnd.');
    expect(r.removed).toEqual([{ start: 59, end: 91, duplicateOf: { start: 8, end: 40 } }]);
    expect(text.slice(59, 91)).toBe('Subscribe now to read more today');
    // At the end of the text the gap before the run goes; a trailing newline stays.
    expect(removeRepeats('a b c\nx\na b c\n', { minLength: 3 }).text).toBe('a b c\nx\n');
    // At the start of a document the gap after the run goes.
    expect(removeRepeats(['a b c', 'a b c\n\nnew'], { minLength: 3 }).texts).toEqual(['a b c', 'new']);
    // A whole document that is a copy becomes empty (its surrounding whitespace stays).
    expect(removeRepeats(['a b c', ' a b c '], { minLength: 3 }).texts).toEqual(['a b c', '  ']);
  });

  it('removeRepeats(text) cuts the punctuation attached to a removed run and one whitespace run', () => {
    const text = 'Alpha beta gamma delta. Start "one two three four" end. Middle "one two three four" stop.';
    const r = removeRepeats(text, { minLength: 4 });
    expect(r.text).toBe('Alpha beta gamma delta. Start "one two three four" end. Middle stop.');
    expect(r.removed).toEqual([{ start: 64, end: 82, duplicateOf: { start: 31, end: 49 } }]);
    // Punctuation glued to the previous kept word stays with it; closing punctuation goes with the run.
    expect(removeRepeats('a b c d; e-a b c d!', { minLength: 4 }).text).toBe('a b c d; e-');
    expect(removeRepeats('one two three, and (one two three) again', { minLength: 3 }).text).toBe('one two three, and again');
    // CRLF line breaks count once; the paragraph break survives.
    expect(removeRepeats('p q r\r\n\r\nx\r\np q r\r\n\r\ny', { minLength: 3 }).text).toBe('p q r\r\n\r\nx\r\n\r\ny');
  });

  it('removeRepeats(text, {normalize: true}) removes a copy that differs in case, and keeps the first spelling', () => {
    const r = removeRepeats('Read More About Us Here. ok. read more about us here.', { minLength: 5, normalize: true });
    expect(r.text).toBe('Read More About Us Here. ok.');
    expect(r.removed).toEqual([{ start: 29, end: 52, duplicateOf: { start: 0, end: 23 } }]);
  });

  it('removeRepeats(text) keeps one copy of a periodic run', () => {
    expect(removeRepeats('ha ha ha ha ha ha', { minLength: 2 }).text).toBe('ha ha');
    expect(removeRepeats('x'.repeat(10), { unit: 'char', minLength: 3 })).toEqual({
      text: 'xxx',
      removed: [
        { start: 3, end: 6, duplicateOf: { start: 0, end: 3 } },
        { start: 6, end: 9, duplicateOf: { start: 0, end: 3 } },
        { start: 9, end: 10, duplicateOf: { start: 2, end: 3 } },
      ],
    });
  });

  it('removeRepeats(empty input) returns the input unchanged', () => {
    expect(removeRepeats('')).toEqual({ text: '', removed: [] });
    expect(removeRepeats([])).toEqual({ texts: [], removed: [] });
    expect(removeRepeats(['a', 'a'], { minLength: 1 })).toEqual({ texts: ['a', ''], removed: [{ doc: 1, start: 0, end: 1, duplicateOf: { doc: 0, start: 0, end: 1 } }] });
  });

  it('removeRepeats(input, options) rejects bad options like findRepeats', () => {
    expect(() => removeRepeats('x', { minLength: -1 })).toThrow(/removeRepeats: options.minLength must be an integer from 1 to 2147483647, got -1/);
    expect(() => removeRepeats('x', { unit: 'line' as 'char' })).toThrow(RangeError);
    expect(() => removeRepeats(undefined as unknown as string)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The seed article
// ---------------------------------------------------------------------------------------------------------

describe('the seed article', () => {
  const seed = readFileSync(fileURLToPath(new URL('../seeds/000_cc1f5f790d2f55b7.txt', import.meta.url)), 'utf8');
  const lines = seed.split('\n');
  const lineStart = (i: number): number => lines.slice(0, i - 1).reduce((s, l) => s + l.length + 1, 0); // 1-based line
  const lineEnd = (i: number): number => lineStart(i) + lines[i - 1]!.length;

  // Lines 10–12 repeat lines 7–9 (line 12 lacks only the final newline); the headline is lines 2 and 4.
  // Tokens are words, so the spans end at the last word: the final period of lines 9 and 12 is not a unit.
  it('findRepeats(seed, {minLength: 10}) finds the headline (lines 2 and 4) and the block of lines 7–9 = 10–12', () => {
    const repeats = findRepeats(seed, { minLength: 10 });
    expect(repeats.map((r) => r.occurrences)).toEqual([
      [{ start: lineStart(2), end: lineEnd(2) }, { start: lineStart(4), end: lineEnd(4) }],
      [{ start: lineStart(7), end: lineEnd(9) - 1 }, { start: lineStart(10), end: lineEnd(12) - 1 }],
    ]);
    // Exact offsets, spelled out.
    expect(repeats.map((r) => r.occurrences)).toEqual([
      [{ start: 220, end: 306 }, { start: 308, end: 394 }],
      [{ start: 958, end: 2134 }, { start: 2136, end: 3312 }],
    ]);
    expect(repeats.map((r) => r.length)).toEqual([11, 171]);
    expect(repeats[0]!.text).toBe('Wagner Group Announces Strategic Withdrawal from Mali Amid Ongoing Security Challenges');
    expect(repeats[1]!.text).toBe(lines.slice(6, 9).join('\n').slice(0, -1));
    // The same two repeats at every minLength up to the headline's 11 words; above it only the block.
    for (const minLength of [5, 11]) expect(findRepeats(seed, { minLength })).toEqual(repeats);
    expect(findRepeats(seed, { minLength: 12 }).map((r) => r.occurrences)).toEqual([repeats[1]!.occurrences]);
  });

  it('removeRepeats(seed, {minLength: 10}) removes line 4 and lines 10–12, nothing else', () => {
    const { text, removed } = removeRepeats(seed, { minLength: 10 });
    expect(removed).toEqual([
      { start: 308, end: 394, duplicateOf: { start: 220, end: 306 } },
      { start: 2136, end: 3312, duplicateOf: { start: 958, end: 2134 } },
    ]);
    // Line 4 goes with its line break (the blank line 3 stays, as the stronger separator); lines 10–12 go
    // with the final period attached to them and the line break before them.
    expect(text).toBe([...lines.slice(0, 3), ...lines.slice(4, 9)].join('\n'));
  });

  it("findRepeats(seed, {unit: 'char'}) finds the same two blocks at character level", () => {
    const repeats = findRepeats(seed, { unit: 'char', minLength: 80 });
    const big = repeats.filter((r) => r.length >= 80 && r.occurrences.length === 2);
    expect(big.map((r) => r.occurrences.map((o) => seed.slice(o.start, o.end).trim()))).toContainEqual([
      lines[1], lines[3],
    ].map((l) => l!.trim()));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Adversarial sizes
// ---------------------------------------------------------------------------------------------------------

describe('1 MB adversarial inputs', () => {
  it("findRepeats / removeRepeats on 1 MB of one character ('char' and 'word') finish", () => {
    const same = 'a'.repeat(1 << 20);
    const r = findRepeats(same, { unit: 'char' });
    expect(r).toEqual([{ text: same, length: 1 << 20, occurrences: [{ start: 0, end: 1 << 20 }] }]);
    expect(removeRepeats(same, { unit: 'char' }).text).toBe('a'.repeat(50));
    const words = 'ab '.repeat(350_000);
    const t = removeRepeats(words);
    expect(t.text).toBe(`${'ab '.repeat(49)}ab `);
  });

  it('findRepeats on 1 MB of distinct code points and distinct tokens finds nothing', () => {
    let s = '';
    const cps: number[] = [];
    for (let cp = 0x100; cps.length < 600_000; cp++) if (cp < 0xd800 || cp > 0xdfff) cps.push(cp);
    const chunks: string[] = [];
    for (let i = 0; i < cps.length; i += 10_000) chunks.push(String.fromCodePoint(...cps.slice(i, i + 10_000)));
    s = chunks.join('');
    expect(s.length * 2).toBeGreaterThan(1_000_000);
    expect(findRepeats(s, { unit: 'char', minLength: 1 })).toEqual([]);
    const tokens = Array.from({ length: 150_000 }, (_, i) => `w${i}`).join(' ');
    expect(tokens.length).toBeGreaterThan(1_000_000);
    expect(findRepeats(tokens, { minLength: 1 })).toEqual([]);
  });
});

describe('types', () => {
  it('findRepeats(text) gives spans without doc; findRepeats(docs) gives spans with doc', () => {
    const single: Repeat<RepeatSpan>[] = findRepeats('a b a b', { minLength: 2 });
    const corpus: Repeat<RepeatDocSpan>[] = findRepeats(['a b', 'a b'], { minLength: 2 });
    expect(single[0]!.occurrences[0]).toEqual({ start: 0, end: 3 });
    expect(corpus[0]!.occurrences[1]).toEqual({ doc: 1, start: 0, end: 3 });
  });
});
