import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupe, explainDuplicate, normalize, words, type DedupeRunOptions, type DuplicateExplanation, type NormalizeOptions } from '../src/index';
import { mulberry32 as rng } from './helpers/random';

const SEED = 20261207;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/** The oracle's units: public `words`, each normalized with the public `normalize` and split on spaces. */
function oracleWords(text: string, norm: NormalizeOptions | false = {}): string[] {
  return words(text).flatMap((w) => (norm === false ? w.text : normalize(w.text, norm)).split(/\s+/).filter((x) => x !== ''));
}

/** Naive longest common subsequence length: the full dynamic-programming table. */
function lcsLength(a: string[], b: string[]): number {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  }
  return t[0]![0]!;
}

/** Checks the structural promises of an explanation of `a` and `b` under normalization `norm`. */
function checkExplanation(e: DuplicateExplanation, a: string, b: string, norm: NormalizeOptions | false = {}): void {
  for (const [text, segs] of [[a, e.a], [b, e.b]] as const) {
    // Segments cover the text: consecutive, non-empty, alternating kinds (merged).
    let pos = 0;
    segs.forEach((s, k) => {
      expect(s.start).toBe(pos);
      expect(s.end).toBeGreaterThan(s.start);
      if (k > 0) expect(s.shared).not.toBe(segs[k - 1]!.shared);
      pos = s.end;
    });
    expect(pos).toBe(text.length);
  }
  // Each shared block holds the same normalized words on both sides, as many as it says.
  let sharedWords = 0;
  for (const block of e.shared) {
    const wa = oracleWords(a.slice(block.a.start, block.a.end), norm);
    const wb = oracleWords(b.slice(block.b.start, block.b.end), norm);
    expect(wa).toEqual(wb);
    expect(wa.length).toBe(block.words);
    sharedWords += block.words;
  }
  expect(sharedWords).toBe(e.words.shared);
  // Words inside differing segments are never all aligned: a differing segment that holds words holds an unaligned one.
  const ow = oracleWords(a, norm);
  const obw = oracleWords(b, norm);
  expect(e.words.a).toBe(ow.length);
  expect(e.words.b).toBe(obw.length);
}

// Pieces of random texts: words in several forms, astral characters, CRLF, combining marks, punctuation, digits.
const piece = fc.constantFrom(
  'cat', 'Cat', 'CAT', 'dog', 'the', 'café', 'cafe\u0301', 'ＣＡＴ', '𝐀𝐁', '𠀋', '😀', 'don\'t', 'don t', '3.14', '42', 'naïve',
  ' ', '  ', '\r\n', '\n', '\t', ', ', '. ', '—', 'e\u0301\u0301', '\u0301', 'ß', 'İ',
);
const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

describe('explainDuplicate(a, b, options)', () => {
  it('explainDuplicate(a, b) aligns as many words as the LCS oracle, with spans that cover both texts (random texts)', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const e = explainDuplicate(a, b);
        checkExplanation(e, a, b);
        expect(e.alignment).toBe('longest');
        expect(e.words.shared).toBe(lcsLength(oracleWords(a), oracleWords(b)));
      }),
      runs(400),
    );
  });

  it('explainDuplicate(a, b, {shingle: {normalize}}) aligns with the run\'s normalization (case kept, no normalization)', () => {
    const norms: (NormalizeOptions | false)[] = [{ lowercase: false }, { punctuation: false, digits: false }, false];
    fc.assert(
      fc.property(text, text, fc.constantFrom(...norms), (a, b, norm) => {
        const e = explainDuplicate(a, b, { shingle: { normalize: norm } });
        checkExplanation(e, a, b, norm);
        expect(e.words.shared).toBe(lcsLength(oracleWords(a, norm), oracleWords(b, norm)));
      }),
      runs(200),
    );
  });

  it('explainDuplicate(a, b) on edited copies: shared words = LCS, and the edits are the only differing words', () => {
    const vocab = ['alpha', 'beta', 'Gamma', 'delta', 'épsilon', '𝛇eta', 'eta', 'theta'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocab), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (ws, edits) => {
        const a = ws.join(' ');
        const bw = [...ws];
        for (const e of edits) bw.splice(e % (bw.length + 1), e % 3 === 0 ? 1 : 0, ...(e % 3 === 2 ? [] : ['inserted']));
        const b = bw.join(' \r\n');
        const e = explainDuplicate(a, b);
        checkExplanation(e, a, b);
        expect(e.words.shared).toBe(lcsLength(oracleWords(a), oracleWords(b)));
      }),
      runs(200),
    );
  });

  it('explainDuplicate(a, b, options) reports the similarity dedupe reports for the pair, under every rule', () => {
    const rand = rng(SEED);
    const vocab = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const optionsList: DedupeRunOptions[] = [
      {}, { threshold: 0.5 }, { method: 'simhash', threshold: 0.5, maxDistance: 6 }, { method: 'exact' }, { verify: false, threshold: 0.5 },
      { method: 'simhash', verify: false, threshold: 0.7, maxDistance: 6 }, { editRatioMaxLength: 200, threshold: 0.6 }, { shingle: { unit: 'char', size: 3 }, threshold: 0.5 },
      { keep: 'longest', clustering: 'connected', threshold: 0.5 },
    ];
    let compared = 0;
    for (let t = 0; t < 300; t++) {
      const base = Array.from({ length: 5 + Math.floor(rand() * 30) }, () => vocab[Math.floor(rand() * vocab.length)]!);
      const edited = base.map((w) => (rand() < 0.1 ? vocab[Math.floor(rand() * vocab.length)]! : rand() < 0.1 ? w.toUpperCase() : w));
      const a = base.join(' ');
      const b = edited.join(rand() < 0.5 ? ' ' : ', ');
      const options = optionsList[t % optionsList.length]!;
      const e = explainDuplicate(b, a, options);
      const run = dedupe([a, b], options);
      if (run.duplicates.length === 1) {
        compared++;
        expect(e.similarity).toBe(run.duplicates[0]!.similarity);
        expect(e.exact).toBe(run.duplicates[0]!.exact);
        expect(e.duplicate).toBe(true);
      } else {
        expect(e.duplicate && e.exact).toBe(false); // an exact pair is always found
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('explainDuplicate(a, b) marks an exact pair that only normalization made equal, with what it folded', () => {
    const e = explainDuplicate('Ｈｅｌｌｏ,\r\n  WORLD — café 2024', 'hello world cafe\u0301 1999');
    expect([e.exact, e.identical, e.duplicate, e.similarity, e.measure]).toEqual([true, false, true, 1, 'exact']);
    expect(Object.fromEntries(e.folded.map((f) => [f.step, [f.a, f.b]]))).toEqual({
      lowercase: [6, 0], nfkc: [5, 0], combiningMarks: [1, 1], punctuation: [2, 0], digits: [4, 4], whitespace: [4, 0],
    });
    expect(e.folded.find((f) => f.step === 'whitespace')!.examples).toEqual([{ from: '\r\n  ', to: ' ' }]);
    expect(e.a).toEqual([{ start: 0, end: 27, shared: true }]);
    expect(explainDuplicate('same text', 'same text')).toMatchObject({ exact: true, identical: true, folded: [] });
  });

  it('explainDuplicate(a, b) handles empty texts: no segments for "", a differing segment for a text with no word', () => {
    const e = explainDuplicate('', '');
    expect(e).toMatchObject({ similarity: 0, duplicate: false, exact: false, identical: true, words: { a: 0, b: 0, shared: 0 }, shared: [], a: [], b: [] });
    const f = explainDuplicate('', ' ... ');
    expect(f.b).toEqual([{ start: 0, end: 5, shared: false }]);
    expect(f.duplicate).toBe(false);
    const g = explainDuplicate('Some words here', '!!!');
    expect([g.similarity, g.duplicate, g.a]).toEqual([0, false, [{ start: 0, end: 15, shared: false }]]);
  });

  it('explainDuplicate(a, b, options) rejects bad input with TypeError/RangeError naming the problem', () => {
    expect(() => explainDuplicate(1 as unknown as string, 'x')).toThrow(new TypeError('explainDuplicate: a must be a string, got 1'));
    expect(() => explainDuplicate('x', null as unknown as string)).toThrow(new TypeError('explainDuplicate: b must be a string, got null'));
    expect(() => explainDuplicate('x', 'y', 3 as unknown as DedupeRunOptions)).toThrow(TypeError);
    expect(() => explainDuplicate('x', 'y', { threshold: 2 })).toThrow(new RangeError('explainDuplicate: options.threshold must be a number greater than 0 and at most 1, got 2'));
    expect(() => explainDuplicate('x', 'y', { treshold: 0.5 } as object)).toThrow(new TypeError('explainDuplicate: unknown option "treshold" (did you mean "threshold"?)'));
    expect(() => explainDuplicate('x', 'y', { method: 'nope' as 'exact' })).toThrow(/method/);
    expect(() => explainDuplicate('x', 'y', { keep: 'last' as 'first' })).toThrow(new RangeError('explainDuplicate: options.keep must be "first" or "longest", got "last"'));
    expect(() => explainDuplicate('x', 'y', { clustering: 1 as unknown as 'greedy' })).toThrow(TypeError);
  });

  it('explainDuplicate(a, b) on 1 MB near-copies: anchored alignment finds every unchanged word', () => {
    const rand = rng(7);
    const vocab = Array.from({ length: 3000 }, (_, i) => `v${i.toString(36)}q`);
    const ws = Array.from({ length: 200_000 }, () => vocab[Math.floor(rand() * vocab.length)]!);
    const a = ws.join(' ');
    expect(a.length).toBeGreaterThan(1_000_000);
    const edited = [...ws];
    for (const at of [1000, 80_000, 150_000]) edited[at] = 'CHANGED';
    const b = edited.join(' ');
    const e = explainDuplicate(a, b);
    expect(e.alignment).toBe('anchored');
    expect(e.words).toEqual({ a: ws.length, b: ws.length, shared: ws.length - 3 });
    expect(e.b.filter((s) => !s.shared).map((s) => b.slice(s.start, s.end))).toEqual([' CHANGED ', ' CHANGED ', ' CHANGED ']);
    // A text of one repeated word against a shuffled one: no anchor of any size, bounded anyway.
    const r = explainDuplicate('x '.repeat(300_000), 'y x '.repeat(150_000));
    expect(r.words.shared).toBeLessThanOrEqual(150_000);
  });
});
