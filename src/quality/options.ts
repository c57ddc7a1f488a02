/**
 * Options, frozen defaults and boundary validation of the quality filters. Every threshold is named as
 * datatrove's constructor parameter, in camelCase, and defaults to datatrove's default.
 * Internal module, not public API.
 */
import { assertBoolean, assertInteger, assertNumber, assertOneOf, assertOptions, assertOptionsObject, assertString, fail } from '../internal/validate';
import type { QualityTokenizer } from './analysis';
import { TERMINAL_PUNCTUATION_CODE_POINTS } from './punctuation';

/**
 * `[n, threshold]`: an n-gram size and the character fraction above which the text fails.
 * @example
 * ```ts
 * const t: NGramThreshold = [2, 0.5];
 * gopherRepetition('a b a b a b', { tokenizer: 'whitespace', topNGrams: [t] }).reasons; // => ['top_2_gram']
 * ```
 */
export type NGramThreshold = readonly [n: number, threshold: number];

/**
 * Options shared by every quality function.
 * @example
 * ```ts
 * const o: TokenizerOption = { tokenizer: 'whitespace' };
 * gopherQuality('日本語の文です', o).stats.nWords; // => 1
 * gopherQuality('日本語の文です').stats.nWords; // => 7
 * ```
 */
export interface TokenizerOption {
  /**
   * `'default'` (the library's Unicode-aware word segmentation) or `'whitespace'` (Python `str.split()`,
   * the setting the reference vectors were made with: use it to reproduce datatrove's numbers exactly).
   */
  tokenizer?: QualityTokenizer;
}

/**
 * Options of {@link gopherRepetition}. `null` or `0` disables the four line/paragraph rules (as in datatrove).
 * @example
 * ```ts
 * const text = 'Welcome\nWelcome\nThis page collects the opening hours, the address and the phone numbers of every branch of our small family bakery in the city, together with a short history of the shop since it opened.';
 * gopherRepetition(text, { tokenizer: 'whitespace' }).reasons; // => ['dup_line_frac']
 * const o: GopherRepetitionOptions = { dupLineFrac: null, tokenizer: 'whitespace' };
 * gopherRepetition(text, o).pass; // => true
 * ```
 */
export interface GopherRepetitionOptions extends TokenizerOption {
  /**
   * Fails `dup_line_frac` when the share of lines that repeat an earlier line exceeds this: a number ≥ 0, or
   * `null`/`0` to disable. Default 0.3.
   */
  dupLineFrac?: number | null;
  /**
   * Fails `dup_para_frac` when the share of paragraphs that repeat an earlier paragraph exceeds this: a
   * number ≥ 0, or `null`/`0` to disable. Default 0.3.
   */
  dupParaFrac?: number | null;
  /**
   * Fails `dup_line_char_frac` when the code points in repeated lines, divided by the text's length in code
   * points, exceed this: a number ≥ 0, or `null`/`0` to disable. Default 0.2.
   */
  dupLineCharFrac?: number | null;
  /**
   * Fails `dup_para_char_frac` when the code points in repeated paragraphs, divided by the text's length in
   * code points, exceed this: a number ≥ 0, or `null`/`0` to disable. Default 0.2.
   */
  dupParaCharFrac?: number | null;
  /**
   * `[n, threshold]` pairs: fails `top_<n>_gram` when the most common word n-gram, its length in code
   * points (words joined by one space) times its count, divided by the text's length, exceeds `threshold`.
   * `n` is an integer in [1, 65535], `threshold` a number ≥ 0; `[]` disables the rule. Default
   * `[[2, 0.2], [3, 0.18], [4, 0.16]]`.
   */
  topNGrams?: readonly NGramThreshold[];
  /**
   * `[n, threshold]` pairs: fails `duplicated_<n>_n_grams` when the code points of word n-grams that repeat
   * an earlier n-gram (counted left to right without overlap, words joined without spaces), divided by the
   * text's length, exceed `threshold`. `n` is an integer in [1, 65535], `threshold` a number ≥ 0; `[]`
   * disables the rule. Default `[[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]]`.
   */
  dupNGrams?: readonly NGramThreshold[];
}

/**
 * Options of {@link gopherQuality}. `null` or `0` disables a rule (as in datatrove).
 * @example
 * ```ts
 * const o: GopherQualityOptions = { minDocWords: 3, tokenizer: 'whitespace' };
 * gopherQuality('the cat and the hat', o).pass; // => true
 * ```
 */
export interface GopherQualityOptions extends TokenizerOption {
  /**
   * Fails `gopher_short_doc` with fewer non-symbol words (words with a character outside datatrove's
   * punctuation set) than this: an integer ≥ 0, or `null`/`0` to disable. Default 50.
   */
  minDocWords?: number | null;
  /** Fails `gopher_long_doc` with more non-symbol words than this: an integer ≥ 0, or `null`/`0` to disable. Default 100,000. */
  maxDocWords?: number | null;
  /**
   * Fails `gopher_below_avg_threshold` when the mean length of the non-symbol words, in code points, is
   * below this: a number ≥ 0, or `null`/`0` to disable. Default 3.
   */
  minAvgWordLength?: number | null;
  /**
   * Fails `gopher_above_avg_threshold` when the mean length of the non-symbol words, in code points, is
   * above this: a number ≥ 0, or `null`/`0` to disable. Default 10.
   */
  maxAvgWordLength?: number | null;
  /**
   * Fails `gopher_too_many_hashes` when `#` characters per word exceed this, and `gopher_too_many_ellipsis`
   * when ellipses (`...` or `…`) per word do: a number ≥ 0, or `null`/`0` to disable both. Default 0.1.
   */
  maxSymbolWordRatio?: number | null;
  /**
   * Fails `gopher_too_many_bullets` when the share of lines starting (after whitespace) with `•` or `-`
   * exceeds this: a number ≥ 0, or `null`/`0` to disable. Default 0.9.
   */
  maxBulletLinesRatio?: number | null;
  /**
   * Fails `gopher_too_many_end_ellipsis` when the share of lines ending (before whitespace) with `...` or
   * `…` exceeds this: a number ≥ 0, or `null`/`0` to disable. Default 0.3.
   */
  maxEllipsisLinesRatio?: number | null;
  /**
   * Despite its (datatrove's) name, a minimum: fails `gopher_below_alpha_threshold` when the share of words
   * holding at least one letter is **below** this: a number ≥ 0, or `null`/`0` to disable. Default 0.8.
   */
  maxNonAlphaWordsRatio?: number | null;
  /**
   * Fails `gopher_enough_stop_words` when fewer distinct words of `stopWords` occur in the text: an
   * integer ≥ 0, or `null`/`0` to disable. Default 2.
   */
  minStopWords?: number | null;
  /**
   * The stop words, matched exactly (case-sensitive) against whole words. Default Gopher's eight:
   * `the`, `be`, `to`, `of`, `and`, `that`, `have`, `with`.
   */
  stopWords?: readonly string[];
}

/**
 * Options of {@link c4Quality}. `-1` disables the three numeric rules (as in datatrove).
 * @example
 * ```ts
 * const o: C4QualityOptions = { minNumSentences: 1, tokenizer: 'whitespace' };
 * c4Quality('A short but complete line.', o).pass; // => true
 * ```
 */
export interface C4QualityOptions extends TokenizerOption {
  /**
   * `true` (default): the line rules apply to each line (Python `splitlines()`), and kept lines are joined
   * with `\n`. `false`: they apply to each sentence instead, and kept sentences are joined with a space.
   */
  splitParagraph?: boolean;
  /** Remove Wikipedia citation marks (`[1]`, `[edit]`, `[citation needed]`) from each line first. Default true. */
  removeCitations?: boolean;
  /** Drop lines that do not end in `.` `?` `!` `"` `'`, or that end in `...`. Default true. */
  filterNoTerminalPunct?: boolean;
  /** Fails `too_few_sentences` when the kept lines hold fewer sentences than this: an integer ≥ −1 (−1 disables). Default 5. */
  minNumSentences?: number;
  /** Drop lines with fewer whitespace-separated words than this: an integer ≥ −1 (−1 disables). Default 3. */
  minWordsPerLine?: number;
  /** Drop lines holding a word longer than this many code points: an integer ≥ −1 (−1 disables). Default 1000. */
  maxWordLength?: number;
  /** Fails `lorem_ipsum` when a line contains "lorem ipsum" (any case). Default true. */
  filterLoremIpsum?: boolean;
  /** Drop lines that contain "javascript" (any case). Default true. */
  filterJavascript?: boolean;
  /** Fails `curly_bracket` when a line contains `{`. Default true. */
  filterCurlyBracket?: boolean;
  /**
   * Drop lines that mention a policy: "terms of use", "privacy policy", "cookie policy", "uses cookies",
   * "use of cookies" or "use cookies" (any case). Default true.
   */
  filterPolicy?: boolean;
}

/**
 * Options of {@link finewebQuality}.
 * @example
 * ```ts
 * const o: FinewebQualityOptions = { stopChars: ['.', ':'], tokenizer: 'whitespace' };
 * finewebQuality('Ingredients:\nflour, water and salt, mixed well together', o).stats.punctLines; // => 1
 * ```
 */
export interface FinewebQualityOptions extends TokenizerOption {
  /** Fails `line_punct_ratio` when the share of lines ending in a stop character is below this: a number ≥ 0. Default 0.12. */
  linePunctThr?: number;
  /** When true, a text with no line ending in a stop character does not fail `line_punct_ratio`. Default false. */
  linePunctExcludeZero?: boolean;
  /** Line endings that count as punctuation; `null` means datatrove's 159-character `TERMINAL_PUNCTUATION`. */
  stopChars?: readonly string[] | null;
  /** Fails `short_line_ratio` when the share of lines of at most `shortLineLength` code points exceeds this: a number ≥ 0. Default 0.67. */
  shortLineThr?: number;
  /** The longest line, in code points, that counts as short: an integer ≥ 0. Default 30. */
  shortLineLength?: number;
  /**
   * Fails `char_dup_ratio` when the code points in lines that repeat an earlier line, divided by the text's
   * code points other than `\n`, exceed this: a number ≥ 0. Default 0.01.
   */
  charDuplicatesRatio?: number;
  /** Fails `list_ratio` when `\n` characters per word exceed this: a number ≥ 0. Default 0.3. */
  newLineRatio?: number;
}

/**
 * Options of {@link qualityReport}: one tokenizer for all, and each filter's own options.
 * @example
 * ```ts
 * const o: QualityReportOptions = { tokenizer: 'whitespace', c4: { filterNoTerminalPunct: false } };
 * qualityReport('a b c\nd e f\ng h i\nj k l\nm n o', o).c4.pass; // => true
 * ```
 */
export interface QualityReportOptions extends TokenizerOption {
  /** Options of {@link gopherRepetition} (without `tokenizer`); defaults in {@link GOPHER_REPETITION_DEFAULTS}. */
  gopherRepetition?: Omit<GopherRepetitionOptions, 'tokenizer'>;
  /** Options of {@link gopherQuality} (without `tokenizer`); defaults in {@link GOPHER_QUALITY_DEFAULTS}. */
  gopherQuality?: Omit<GopherQualityOptions, 'tokenizer'>;
  /** Options of {@link c4Quality} (without `tokenizer`); defaults in {@link C4_QUALITY_DEFAULTS}. */
  c4?: Omit<C4QualityOptions, 'tokenizer'>;
  /** Options of {@link finewebQuality} (without `tokenizer`); defaults in {@link FINEWEB_QUALITY_DEFAULTS}. */
  fineweb?: Omit<FinewebQualityOptions, 'tokenizer'>;
}

const frozenPairs = (pairs: [number, number][]): readonly NGramThreshold[] =>
  Object.freeze(pairs.map((p) => Object.freeze(p) as NGramThreshold));

/**
 * Defaults of {@link gopherRepetition}: Gopher's Table A1 thresholds (Rae et al. 2021), as in datatrove.
 * @example
 * ```ts
 * GOPHER_REPETITION_DEFAULTS.dupLineFrac; // => 0.3
 * GOPHER_REPETITION_DEFAULTS.topNGrams[0]; // => [2, 0.2]
 * ```
 */
export const GOPHER_REPETITION_DEFAULTS = Object.freeze({
  /** The library's word segmentation: `'default'`. */
  tokenizer: 'default' as QualityTokenizer,
  /** Largest share of repeated lines: 0.3. */
  dupLineFrac: 0.3 as number | null,
  /** Largest share of repeated paragraphs: 0.3. */
  dupParaFrac: 0.3 as number | null,
  /** Largest share of the text's code points in repeated lines: 0.2. */
  dupLineCharFrac: 0.2 as number | null,
  /** Largest share of the text's code points in repeated paragraphs: 0.2. */
  dupParaCharFrac: 0.2 as number | null,
  /** Most common 2-, 3- and 4-gram: at most 20 %, 18 % and 16 % of the text's code points. */
  topNGrams: frozenPairs([[2, 0.2], [3, 0.18], [4, 0.16]]),
  /** Repeated 5- to 10-grams: at most 15 %, 14 %, 13 %, 12 %, 11 % and 10 % of the text's code points. */
  dupNGrams: frozenPairs([[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]]),
});

/**
 * Defaults of {@link gopherQuality}: Gopher's quality rules (Rae et al. 2021), as in datatrove.
 * @example
 * ```ts
 * GOPHER_QUALITY_DEFAULTS.minDocWords; // => 50
 * GOPHER_QUALITY_DEFAULTS.stopWords.length; // => 8
 * ```
 */
export const GOPHER_QUALITY_DEFAULTS = Object.freeze({
  /** The library's word segmentation: `'default'`. */
  tokenizer: 'default' as QualityTokenizer,
  /** Fewest non-symbol words: 50. */
  minDocWords: 50 as number | null,
  /** Most non-symbol words: 100,000. */
  maxDocWords: 100000 as number | null,
  /** Smallest mean non-symbol word length: 3 code points. */
  minAvgWordLength: 3 as number | null,
  /** Largest mean non-symbol word length: 10 code points. */
  maxAvgWordLength: 10 as number | null,
  /** Most `#`, and most ellipses, per word: 0.1. */
  maxSymbolWordRatio: 0.1 as number | null,
  /** Largest share of bullet lines: 0.9. */
  maxBulletLinesRatio: 0.9 as number | null,
  /** Largest share of lines ending in an ellipsis: 0.3. */
  maxEllipsisLinesRatio: 0.3 as number | null,
  /** Smallest share of words holding a letter (a minimum, despite the name): 0.8. */
  maxNonAlphaWordsRatio: 0.8 as number | null,
  /** Fewest distinct stop words: 2. */
  minStopWords: 2 as number | null,
  /** Gopher's stop words: the, be, to, of, and, that, have, with. */
  stopWords: Object.freeze(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']) as readonly string[],
});

/**
 * Defaults of {@link c4Quality}: the C4 rules (Raffel et al. 2020), as in datatrove's `C4QualityFilter`.
 * @example
 * ```ts
 * C4_QUALITY_DEFAULTS.minNumSentences; // => 5
 * C4_QUALITY_DEFAULTS.filterNoTerminalPunct; // => true
 * ```
 */
export const C4_QUALITY_DEFAULTS = Object.freeze({
  /** The library's sentence segmentation for sentence counts: `'default'`. */
  tokenizer: 'default' as QualityTokenizer,
  /** Rules apply to lines: true. */
  splitParagraph: true,
  /** Citation marks are removed: true. */
  removeCitations: true,
  /** Lines without terminal punctuation are dropped: true. */
  filterNoTerminalPunct: true,
  /** Fewest sentences in the kept lines: 5. */
  minNumSentences: 5,
  /** Fewest words per kept line: 3. */
  minWordsPerLine: 3,
  /** Longest word of a kept line: 1000 code points. */
  maxWordLength: 1000,
  /** "lorem ipsum" rejects the document: true. */
  filterLoremIpsum: true,
  /** Lines mentioning "javascript" are dropped: true. */
  filterJavascript: true,
  /** `{` rejects the document: true. */
  filterCurlyBracket: true,
  /** Lines mentioning cookies or policies are dropped: true. */
  filterPolicy: true,
});

/**
 * Defaults of {@link finewebQuality}: the FineWeb rules (Penedo et al. 2024), as in datatrove.
 * @example
 * ```ts
 * FINEWEB_QUALITY_DEFAULTS.shortLineLength; // => 30
 * FINEWEB_QUALITY_DEFAULTS.stopChars; // => null
 * ```
 */
export const FINEWEB_QUALITY_DEFAULTS = Object.freeze({
  /** The library's word segmentation for the word count: `'default'`. */
  tokenizer: 'default' as QualityTokenizer,
  /** Smallest share of lines ending in a stop character: 0.12. */
  linePunctThr: 0.12,
  /** A share of exactly 0 still fails: false. */
  linePunctExcludeZero: false,
  /** `null`: datatrove's {@link TERMINAL_PUNCTUATION}. */
  stopChars: null as readonly string[] | null,
  /** Largest share of short lines: 0.67. */
  shortLineThr: 0.67,
  /** Short means at most 30 code points. */
  shortLineLength: 30,
  /** Largest share of code points (newlines excluded) in repeated lines: 0.01. */
  charDuplicatesRatio: 0.01,
  /** Most newlines per word: 0.3. */
  newLineRatio: 0.3,
});

/**
 * datatrove's `TERMINAL_PUNCTUATION`: the 159 line endings FineWeb's punctuation rule accepts by default
 * (sentence terminators of many scripts; `"` and `'` are not among them).
 * @example
 * ```ts
 * TERMINAL_PUNCTUATION.length; // => 159
 * TERMINAL_PUNCTUATION.includes('。'); // => true
 * ```
 */
export const TERMINAL_PUNCTUATION: readonly string[] = Object.freeze(
  TERMINAL_PUNCTUATION_CODE_POINTS.map((c) => String.fromCodePoint(c)),
);

// ---------------------------------------------------------------------------------------------
// Resolution and validation
// ---------------------------------------------------------------------------------------------

const TOKENIZERS = ['default', 'whitespace'] as const;
const MAX_INT = 0xffffffff;

function nullableNumber(name: string, v: unknown): number | null {
  if (v === null) return null;
  assertNumber(name, v, 0, Infinity);
  return v;
}

function nullableInteger(name: string, v: unknown): number | null {
  if (v === null) return null;
  assertInteger(name, v, 0, MAX_INT);
  return v;
}

function pairs(name: string, v: unknown): readonly NGramThreshold[] {
  if (!Array.isArray(v)) fail(TypeError, name, 'an array of [n, threshold] pairs', v);
  return v.map((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== 2) {
      fail(TypeError, `${name}[${i}]`, 'an [n, threshold] pair', p);
    }
    assertInteger(`${name}[${i}][0]`, p[0], 1, 65535);
    assertNumber(`${name}[${i}][1]`, p[1], 0, Infinity);
    return [p[0], p[1]] as const;
  });
}

function tokenizerOf(fn: string, v: unknown): QualityTokenizer {
  if (v === undefined) return 'default';
  assertOneOf(`${fn}: options.tokenizer`, v, TOKENIZERS);
  return v;
}

export type ResolvedGopherRepetition = Required<Omit<GopherRepetitionOptions, 'tokenizer'>>;
export type ResolvedGopherQuality = Required<Omit<GopherQualityOptions, 'tokenizer' | 'stopWords'>> & { stopWords: readonly string[] };
export type ResolvedC4 = Required<Omit<C4QualityOptions, 'tokenizer'>>;
export type ResolvedFineweb = Required<Omit<FinewebQualityOptions, 'tokenizer'>>;

const REPETITION_KEYS = ['dupLineFrac', 'dupParaFrac', 'dupLineCharFrac', 'dupParaCharFrac', 'topNGrams', 'dupNGrams'] as const;
const QUALITY_KEYS = [
  'minDocWords', 'maxDocWords', 'minAvgWordLength', 'maxAvgWordLength', 'maxSymbolWordRatio', 'maxBulletLinesRatio',
  'maxEllipsisLinesRatio', 'maxNonAlphaWordsRatio', 'minStopWords', 'stopWords',
] as const;
const C4_KEYS = [
  'splitParagraph', 'removeCitations', 'filterNoTerminalPunct', 'minNumSentences', 'minWordsPerLine', 'maxWordLength',
  'filterLoremIpsum', 'filterJavascript', 'filterCurlyBracket', 'filterPolicy',
] as const;
const FINEWEB_KEYS = [
  'linePunctThr', 'linePunctExcludeZero', 'stopChars', 'shortLineThr', 'shortLineLength', 'charDuplicatesRatio', 'newLineRatio',
] as const;

type Bag = Record<string, unknown>;

// `null` is a meaningful value (rule disabled), so `??` cannot tell it from "absent": read with `in`.
const pick = (o: Bag, key: string, dflt: unknown): unknown => (key in o && o[key] !== undefined ? o[key] : dflt);

export function resolveGopherRepetition(fn: string, path: string, o: Bag, withTokenizer: boolean): ResolvedGopherRepetition {
  assertOptions(fn, path, o, withTokenizer ? [...REPETITION_KEYS, 'tokenizer'] : REPETITION_KEYS);
  const d = GOPHER_REPETITION_DEFAULTS;
  return {
    dupLineFrac: nullableNumber(`${fn}: ${path}.dupLineFrac`, pick(o, 'dupLineFrac', d.dupLineFrac)),
    dupParaFrac: nullableNumber(`${fn}: ${path}.dupParaFrac`, pick(o, 'dupParaFrac', d.dupParaFrac)),
    dupLineCharFrac: nullableNumber(`${fn}: ${path}.dupLineCharFrac`, pick(o, 'dupLineCharFrac', d.dupLineCharFrac)),
    dupParaCharFrac: nullableNumber(`${fn}: ${path}.dupParaCharFrac`, pick(o, 'dupParaCharFrac', d.dupParaCharFrac)),
    topNGrams: pairs(`${fn}: ${path}.topNGrams`, o.topNGrams ?? d.topNGrams),
    dupNGrams: pairs(`${fn}: ${path}.dupNGrams`, o.dupNGrams ?? d.dupNGrams),
  };
}


export function resolveGopherQuality(fn: string, path: string, o: Bag, withTokenizer: boolean): ResolvedGopherQuality {
  assertOptions(fn, path, o, withTokenizer ? [...QUALITY_KEYS, 'tokenizer'] : QUALITY_KEYS);
  const d = GOPHER_QUALITY_DEFAULTS;
  const stopWords = pick(o, 'stopWords', d.stopWords);
  if (!Array.isArray(stopWords)) fail(TypeError, `${fn}: ${path}.stopWords`, 'an array of strings', stopWords);
  stopWords.forEach((w: unknown, i) => assertString(`${fn}: ${path}.stopWords[${i}]`, w));
  return {
    minDocWords: nullableInteger(`${fn}: ${path}.minDocWords`, pick(o, 'minDocWords', d.minDocWords)),
    maxDocWords: nullableInteger(`${fn}: ${path}.maxDocWords`, pick(o, 'maxDocWords', d.maxDocWords)),
    minAvgWordLength: nullableNumber(`${fn}: ${path}.minAvgWordLength`, pick(o, 'minAvgWordLength', d.minAvgWordLength)),
    maxAvgWordLength: nullableNumber(`${fn}: ${path}.maxAvgWordLength`, pick(o, 'maxAvgWordLength', d.maxAvgWordLength)),
    maxSymbolWordRatio: nullableNumber(`${fn}: ${path}.maxSymbolWordRatio`, pick(o, 'maxSymbolWordRatio', d.maxSymbolWordRatio)),
    maxBulletLinesRatio: nullableNumber(`${fn}: ${path}.maxBulletLinesRatio`, pick(o, 'maxBulletLinesRatio', d.maxBulletLinesRatio)),
    maxEllipsisLinesRatio: nullableNumber(`${fn}: ${path}.maxEllipsisLinesRatio`, pick(o, 'maxEllipsisLinesRatio', d.maxEllipsisLinesRatio)),
    maxNonAlphaWordsRatio: nullableNumber(`${fn}: ${path}.maxNonAlphaWordsRatio`, pick(o, 'maxNonAlphaWordsRatio', d.maxNonAlphaWordsRatio)),
    minStopWords: nullableInteger(`${fn}: ${path}.minStopWords`, pick(o, 'minStopWords', d.minStopWords)),
    stopWords: [...(stopWords as string[])],
  };
}

export function resolveC4(fn: string, path: string, o: Bag, withTokenizer: boolean): ResolvedC4 {
  assertOptions(fn, path, o, withTokenizer ? [...C4_KEYS, 'tokenizer'] : C4_KEYS);
  const d = C4_QUALITY_DEFAULTS;
  const bool = (k: (typeof C4_KEYS)[number], dflt: boolean): boolean => {
    const v = o[k] ?? dflt;
    assertBoolean(`${fn}: ${path}.${k}`, v);
    return v;
  };
  const int = (k: (typeof C4_KEYS)[number], dflt: number): number => {
    const v = o[k] ?? dflt;
    assertInteger(`${fn}: ${path}.${k}`, v, -1, MAX_INT);
    return v;
  };
  return {
    splitParagraph: bool('splitParagraph', d.splitParagraph),
    removeCitations: bool('removeCitations', d.removeCitations),
    filterNoTerminalPunct: bool('filterNoTerminalPunct', d.filterNoTerminalPunct),
    minNumSentences: int('minNumSentences', d.minNumSentences),
    minWordsPerLine: int('minWordsPerLine', d.minWordsPerLine),
    maxWordLength: int('maxWordLength', d.maxWordLength),
    filterLoremIpsum: bool('filterLoremIpsum', d.filterLoremIpsum),
    filterJavascript: bool('filterJavascript', d.filterJavascript),
    filterCurlyBracket: bool('filterCurlyBracket', d.filterCurlyBracket),
    filterPolicy: bool('filterPolicy', d.filterPolicy),
  };
}

export function resolveFineweb(fn: string, path: string, o: Bag, withTokenizer: boolean): ResolvedFineweb {
  assertOptions(fn, path, o, withTokenizer ? [...FINEWEB_KEYS, 'tokenizer'] : FINEWEB_KEYS);
  const d = FINEWEB_QUALITY_DEFAULTS;
  const num = (k: 'linePunctThr' | 'shortLineThr' | 'charDuplicatesRatio' | 'newLineRatio'): number => {
    const v = o[k] ?? d[k];
    assertNumber(`${fn}: ${path}.${k}`, v, 0, Infinity);
    return v;
  };
  const exclude = o.linePunctExcludeZero ?? d.linePunctExcludeZero;
  assertBoolean(`${fn}: ${path}.linePunctExcludeZero`, exclude);
  const shortLineLength = o.shortLineLength ?? d.shortLineLength;
  assertInteger(`${fn}: ${path}.shortLineLength`, shortLineLength, 0, MAX_INT);
  const stopChars = pick(o, 'stopChars', d.stopChars);
  if (stopChars !== null) {
    if (!Array.isArray(stopChars)) fail(TypeError, `${fn}: ${path}.stopChars`, 'an array of strings or null', stopChars);
    stopChars.forEach((s: unknown, i) => {
      assertString(`${fn}: ${path}.stopChars[${i}]`, s);
      if (s.length === 0) fail(RangeError, `${fn}: ${path}.stopChars[${i}]`, 'a non-empty string', s);
    });
  }
  return {
    linePunctThr: num('linePunctThr'),
    linePunctExcludeZero: exclude,
    stopChars: stopChars === null ? null : [...(stopChars as string[])],
    shortLineThr: num('shortLineThr'),
    shortLineLength,
    charDuplicatesRatio: num('charDuplicatesRatio'),
    newLineRatio: num('newLineRatio'),
  };
}

/** Validates the text and the options object, and returns the options bag and tokenizer. */
export function boundary(fn: string, text: unknown, options: unknown): { bag: Bag; tokenizer: QualityTokenizer } {
  assertString(`${fn}: text`, text);
  assertOptionsObject(`${fn}: options`, options); // keys: each filter's resolver checks its own
  const bag = (options ?? {}) as Bag;
  return { bag, tokenizer: tokenizerOf(fn, bag.tokenizer) };
}
