/** API behaviour of the quality filters: options, validation, edge cases, the default tokenizer. */
import { describe, expect, it } from 'vitest';
import {
  C4_QUALITY_DEFAULTS,
  FINEWEB_QUALITY_DEFAULTS,
  GOPHER_QUALITY_DEFAULTS,
  GOPHER_REPETITION_DEFAULTS,
  TERMINAL_PUNCTUATION,
  c4Quality,
  finewebQuality,
  gopherQuality,
  gopherRepetition,
  qualityReport,
} from '../src/index';

const W = { tokenizer: 'whitespace' } as const;
const sentence = (i: number): string => `Sentence number ${i} says something useful about the world.`;
const good = Array.from({ length: 12 }, (_, i) => sentence(i)).join('\n');

describe('defaults', () => {
  it('the default objects are frozen and hold datatrove defaults', () => {
    for (const d of [GOPHER_REPETITION_DEFAULTS, GOPHER_QUALITY_DEFAULTS, C4_QUALITY_DEFAULTS, FINEWEB_QUALITY_DEFAULTS]) {
      expect(Object.isFrozen(d)).toBe(true);
    }
    expect(Object.isFrozen(GOPHER_REPETITION_DEFAULTS.topNGrams)).toBe(true);
    expect(Object.isFrozen(GOPHER_REPETITION_DEFAULTS.topNGrams[0])).toBe(true);
    expect(GOPHER_REPETITION_DEFAULTS.dupNGrams.map(([n]) => n)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(GOPHER_QUALITY_DEFAULTS.stopWords).toEqual(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);
    expect(FINEWEB_QUALITY_DEFAULTS.linePunctThr).toBe(0.12);
    expect(TERMINAL_PUNCTUATION.length).toBe(159);
    expect(TERMINAL_PUNCTUATION).not.toContain('"');
    expect(TERMINAL_PUNCTUATION).toContain('\u{11f43}'); // an astral one (Kawi danda)
  });
  it('passing the defaults explicitly changes nothing', () => {
    expect(gopherRepetition(good, { ...GOPHER_REPETITION_DEFAULTS, tokenizer: 'whitespace' })).toEqual(gopherRepetition(good, W));
    expect(gopherQuality(good, { ...GOPHER_QUALITY_DEFAULTS, tokenizer: 'whitespace' })).toEqual(gopherQuality(good, W));
    expect(c4Quality(good, { ...C4_QUALITY_DEFAULTS, tokenizer: 'whitespace' })).toEqual(c4Quality(good, W));
    expect(finewebQuality(good, { ...FINEWEB_QUALITY_DEFAULTS, tokenizer: 'whitespace' })).toEqual(finewebQuality(good, W));
  });
});

describe('validation', () => {
  it('every function rejects a non-string text with a TypeError naming it', () => {
    for (const f of [gopherRepetition, gopherQuality, c4Quality, finewebQuality, qualityReport] as ((t: unknown) => unknown)[]) {
      expect(() => f(42)).toThrow(TypeError);
      expect(() => f(42)).toThrow(/text must be a string, got 42/);
    }
  });
  it('rejects unknown option names (catches snake_case)', () => {
    expect(() => gopherRepetition('x', { dup_line_frac: 0.1 } as never)).toThrow(/gopherRepetition: unknown option "dup_line_frac" \(did you mean "dupLineFrac"\?\)/);
    expect(() => qualityReport('x', { c4Quality: {} } as never)).toThrow(/qualityReport: unknown option "c4Quality" \(did you mean "c4"\?\)/);
    expect(() => qualityReport('x', { c4: { tokenizer: 'whitespace' } } as never)).toThrow(/qualityReport: unknown option "c4.tokenizer" \(allowed: c4.splitParagraph, /);
  });
  it('rejects a bad options object, tokenizer and thresholds with the option, range and value', () => {
    expect(() => gopherQuality('x', 'fast' as never)).toThrow(TypeError);
    expect(() => gopherQuality('x', { tokenizer: 'spacy' as never })).toThrow(RangeError);
    expect(() => gopherQuality('x', { tokenizer: 'spacy' as never })).toThrow(/gopherQuality: options.tokenizer must be "default" or "whitespace", got "spacy"/);
    expect(() => gopherRepetition('x', { dupLineFrac: -0.1 })).toThrow(/gopherRepetition: options.dupLineFrac must be a number of at least 0, got -0.1/);
    expect(() => gopherRepetition('x', { dupParaFrac: Number.NaN })).toThrow(RangeError);
    expect(() => gopherRepetition('x', { topNGrams: [[0, 0.1]] })).toThrow(/gopherRepetition: options.topNGrams\[0\]\[0\] must be an integer from 1 to 65535, got 0/);
    expect(() => gopherRepetition('x', { dupNGrams: [[5]] as never })).toThrow(/dupNGrams\[0\] must be an \[n, threshold\] pair/);
    expect(() => gopherQuality('x', { minDocWords: 2.5 })).toThrow(/minDocWords must be an integer/);
    expect(() => gopherQuality('x', { stopWords: 'the' as never })).toThrow(/stopWords must be an array of strings/);
    expect(() => c4Quality('x', { minNumSentences: -2 })).toThrow(/c4Quality: options.minNumSentences must be an integer from -1 to 4294967295, got -2/);
    expect(() => c4Quality('x', { filterPolicy: 'yes' as never })).toThrow(/filterPolicy must be a boolean, got "yes"/);
    expect(() => finewebQuality('x', { stopChars: [''] })).toThrow(/stopChars\[0\] must be a non-empty string/);
    expect(() => finewebQuality('x', { shortLineLength: -1 })).toThrow(RangeError);
  });
});

describe('thresholds', () => {
  it('null or 0 disables a Gopher rule, as datatrove tests `if threshold and …`', () => {
    const text = 'x\nx\nx\nsomething else entirely here';
    expect(gopherRepetition(text, W).reasons).toContain('dup_line_frac');
    expect(gopherRepetition(text, { ...W, dupLineFrac: null }).reasons).not.toContain('dup_line_frac');
    expect(gopherRepetition(text, { ...W, dupLineFrac: 0 }).reasons).not.toContain('dup_line_frac');
    expect(gopherQuality('a', { ...W, minDocWords: null }).reasons).not.toContain('gopher_short_doc');
    expect(gopherQuality('a # #', { ...W, maxSymbolWordRatio: 0 }).reasons).not.toContain('gopher_too_many_hashes');
  });
  it('-1 disables the numeric C4 rules', () => {
    const r = c4Quality('ok', { ...W, minNumSentences: -1, minWordsPerLine: -1, filterNoTerminalPunct: false });
    expect(r.pass).toBe(true);
    expect(r.text).toBe('ok');
  });
  it('a ratio equal to its threshold passes (strict comparisons)', () => {
    // 10 lines with 3 duplicates: 0.3 is not > 0.3
    const lines = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l1', 'l2', 'l3'];
    expect(gopherRepetition(lines.join('\n'), W).stats.lineDupFrac).toBe(0.3);
    expect(gopherRepetition(lines.join('\n'), W).reasons).not.toContain('dup_line_frac');
  });
  it('custom n-gram sizes get their own stats and reason names', () => {
    const r = gopherRepetition('a a a a a a', { ...W, topNGrams: [[1, 0.5]], dupNGrams: [[3, 0.1]] });
    expect(r.stats.topNgramChars).toEqual({ 1: 6 });
    expect(r.stats.dupNgramChars).toEqual({ 3: 3 });
    expect(r.reasons).toEqual(['top_1_gram', 'duplicated_3_n_grams']);
  });
});

describe('edge cases', () => {
  it('the empty text: a defined result everywhere (datatrove divides by zero in GopherRepetition)', () => {
    const r = qualityReport('', W);
    expect(r.gopherRepetition.pass).toBe(true);
    expect(r.gopherRepetition.stats.lineDupCharFrac).toBeNull();
    expect(r.gopherRepetition.stats.dupNgramCharFrac).toEqual({ 5: null, 6: null, 7: null, 8: null, 9: null, 10: null });
    expect(r.gopherQuality.reasons).toEqual(['gopher_short_doc', 'gopher_enough_stop_words']);
    expect(r.c4.reasons).toEqual(['too_few_sentences']);
    expect(r.c4.text).toBeNull();
    expect(r.fineweb.reasons).toEqual(['empty']);
    expect(r.pass).toBe(false);
  });
  it('lengths are code points: an emoji counts 1', () => {
    const r = gopherRepetition('😀😀 😀😀', W);
    expect(r.stats.length).toBe(5);
    expect(r.stats.topNgramChars[2]).toBe(5);
    expect(finewebQuality('😀'.repeat(30), W).stats.shortLines).toBe(1); // 30 code points, 60 UTF-16 units
  });
  it('c4Quality keeps scanning after a document rule, so every failure is listed', () => {
    const r = c4Quality('Lorem ipsum dolor sit amet.\nThe config is {a: 1} here.\nOne more line here.', W);
    expect(r.reasons).toEqual(['lorem_ipsum', 'curly_bracket', 'too_few_sentences']);
    expect(r.stats.lineFilterDocumentRule).toBe(2);
    expect(r.stats.keptLines).toBe(1);
    expect(r.text).toBeNull();
  });
  it('c4Quality matches cookie phrases after Python-style lowercasing (KELVIN SIGN lowercases to k)', () => {
    const r = c4Quality('This site uses coo\u212Aies to work well.', { ...W, minNumSentences: 0 });
    expect(r.stats.lineFilterPolicy).toBe(1);
  });
  it('c4Quality drops a line whose citation leaves a trailing space (datatrove does not re-strip)', () => {
    const r = c4Quality('This is a cited claim. [1]', { ...W, minNumSentences: 0 });
    expect(r.stats.lineFilterNoTerminalPunc).toBe(1);
    expect(c4Quality('This is a cited claim.[1]', { ...W, minNumSentences: 0 }).text).toBe('This is a cited claim.');
  });
  it('c4Quality with splitParagraph: false treats sentences as lines and joins them with a space', () => {
    const text = 'One two three. Four five six! Seven eight nine? Ten eleven twelve. Thirteen fourteen fifteen.';
    const r = c4Quality(text, { ...W, splitParagraph: false });
    expect(r.stats.lineTotal).toBe(5);
    expect(r.text).toBe(text);
    expect(c4Quality(text, { splitParagraph: false }).stats.numSentences).toBe(5);
  });
  it('finewebQuality stopChars and linePunctExcludeZero', () => {
    const text = 'Menu:\nHome:\nA long line without a final stop at all here';
    expect(finewebQuality(text, W).reasons[0]).toBe('line_punct_ratio');
    expect(finewebQuality(text, { ...W, linePunctExcludeZero: true }).reasons).not.toContain('line_punct_ratio');
    expect(finewebQuality(text, { ...W, stopChars: [':'] }).stats.punctLines).toBe(2);
  });
  it('gopherQuality counts distinct stop words, case-sensitively, sorted by code point', () => {
    const r = gopherQuality('The the THE and and with', W);
    expect(r.stats.stopWordsFound).toEqual(['and', 'the', 'with']);
    expect(gopherQuality('zz 𝐀 ￿', { ...W, stopWords: ['𝐀', '￿', 'zz'] }).stats.stopWordsFound).toEqual(['zz', '￿', '𝐀']);
  });
});

describe("tokenizer: 'default' (the library's Unicode-aware words)", () => {
  it('finds words in Japanese where whitespace splitting finds one per line', () => {
    const ja = 'これはテストの文章です。日本語には空白がありません。';
    expect(gopherQuality(ja, W).stats.nWords).toBe(1);
    expect(gopherQuality(ja).stats.nWords).toBeGreaterThan(10);
  });
  it('does not count punctuation-only tokens as words', () => {
    expect(gopherQuality('Hello , world !', W).stats.nWords).toBe(4);
    expect(gopherQuality('Hello , world !').stats.nWords).toBe(2);
    expect(gopherQuality('Hello , world !').stats.nNonSymbolWords).toBe(2);
  });
  it('strips punctuation from words, so n-gram lengths and mean word length differ', () => {
    const text = 'Hello, world. Hello, world. Hello, world.';
    expect(gopherRepetition(text, W).stats.topNgramChars[2]).toBe('Hello, world.'.length * 3);
    expect(gopherRepetition(text).stats.topNgramChars[2]).toBe('Hello world'.length * 3);
  });
  it('FineWeb with lines but no words reports a null newline ratio instead of dividing by zero', () => {
    const r = finewebQuality('...\n!!!');
    expect(r.stats.nWords).toBe(0);
    expect(r.stats.newlineWordRatio).toBeNull();
    expect(r.reasons).not.toContain('list_ratio');
  });
  it('qualityReport shares one segmentation and equals the filters alone', () => {
    const r = qualityReport(good);
    expect(r.gopherQuality).toEqual(gopherQuality(good));
    expect(r.c4).toEqual(c4Quality(good));
    expect(r.pass).toBe(r.reasons.length === 0);
  });
});
