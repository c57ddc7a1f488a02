/**
 * Options, frozen defaults and boundary validation of the quality filters. Every threshold is named as
 * datatrove's constructor parameter, in camelCase, and defaults to datatrove's default.
 * @internal
 */
import { assertBoolean, assertInteger, assertNumber, assertOneOf, assertOptions, assertString, describe } from '../internal/validate';
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
  dupLineFrac?: number | null;
  dupParaFrac?: number | null;
  dupLineCharFrac?: number | null;
  dupParaCharFrac?: number | null;
  topNGrams?: readonly NGramThreshold[];
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
  minDocWords?: number | null;
  maxDocWords?: number | null;
  minAvgWordLength?: number | null;
  maxAvgWordLength?: number | null;
  maxSymbolWordRatio?: number | null;
  maxBulletLinesRatio?: number | null;
  maxEllipsisLinesRatio?: number | null;
  maxNonAlphaWordsRatio?: number | null;
  minStopWords?: number | null;
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
  splitParagraph?: boolean;
  removeCitations?: boolean;
  filterNoTerminalPunct?: boolean;
  minNumSentences?: number;
  minWordsPerLine?: number;
  maxWordLength?: number;
  filterLoremIpsum?: boolean;
  filterJavascript?: boolean;
  filterCurlyBracket?: boolean;
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
  linePunctThr?: number;
  linePunctExcludeZero?: boolean;
  /** Line endings that count as punctuation; `null` means datatrove's 159-character `TERMINAL_PUNCTUATION`. */
  stopChars?: readonly string[] | null;
  shortLineThr?: number;
  shortLineLength?: number;
  charDuplicatesRatio?: number;
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
  gopherRepetition?: Omit<GopherRepetitionOptions, 'tokenizer'>;
  gopherQuality?: Omit<GopherQualityOptions, 'tokenizer'>;
  c4?: Omit<C4QualityOptions, 'tokenizer'>;
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
  tokenizer: 'default' as QualityTokenizer,
  dupLineFrac: 0.3 as number | null,
  dupParaFrac: 0.3 as number | null,
  dupLineCharFrac: 0.2 as number | null,
  dupParaCharFrac: 0.2 as number | null,
  topNGrams: frozenPairs([[2, 0.2], [3, 0.18], [4, 0.16]]),
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
  tokenizer: 'default' as QualityTokenizer,
  minDocWords: 50 as number | null,
  maxDocWords: 100000 as number | null,
  minAvgWordLength: 3 as number | null,
  maxAvgWordLength: 10 as number | null,
  maxSymbolWordRatio: 0.1 as number | null,
  maxBulletLinesRatio: 0.9 as number | null,
  maxEllipsisLinesRatio: 0.3 as number | null,
  maxNonAlphaWordsRatio: 0.8 as number | null,
  minStopWords: 2 as number | null,
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
  tokenizer: 'default' as QualityTokenizer,
  splitParagraph: true,
  removeCitations: true,
  filterNoTerminalPunct: true,
  minNumSentences: 5,
  minWordsPerLine: 3,
  maxWordLength: 1000,
  filterLoremIpsum: true,
  filterJavascript: true,
  filterCurlyBracket: true,
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
  tokenizer: 'default' as QualityTokenizer,
  linePunctThr: 0.12,
  linePunctExcludeZero: false,
  stopChars: null as readonly string[] | null,
  shortLineThr: 0.67,
  shortLineLength: 30,
  charDuplicatesRatio: 0.01,
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

/** Throws a `TypeError` for option keys the function does not know (catches `dup_line_frac` typos). */
function assertKnownKeys(fn: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`${fn}: unknown option ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
    }
  }
}

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
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of [n, threshold] pairs, got ${describe(v)}`);
  return v.map((p: unknown, i) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new TypeError(`${name}[${i}] must be an [n, threshold] pair, got ${describe(p)}`);
    }
    assertInteger(`${name}[${i}][0] (n)`, p[0], 1, 65535);
    assertNumber(`${name}[${i}][1] (threshold)`, p[1], 0, Infinity);
    return [p[0], p[1]] as const;
  });
}

function tokenizerOf(fn: string, v: unknown): QualityTokenizer {
  if (v === undefined) return 'default';
  assertOneOf(`${fn}: tokenizer`, v, TOKENIZERS);
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

export function resolveGopherRepetition(fn: string, o: Bag, withTokenizer: boolean): ResolvedGopherRepetition {
  assertKnownKeys(fn, o, withTokenizer ? [...REPETITION_KEYS, 'tokenizer'] : REPETITION_KEYS);
  const d = GOPHER_REPETITION_DEFAULTS;
  return {
    dupLineFrac: nullableNumber(`${fn}: dupLineFrac`, pick(o, 'dupLineFrac', d.dupLineFrac)),
    dupParaFrac: nullableNumber(`${fn}: dupParaFrac`, pick(o, 'dupParaFrac', d.dupParaFrac)),
    dupLineCharFrac: nullableNumber(`${fn}: dupLineCharFrac`, pick(o, 'dupLineCharFrac', d.dupLineCharFrac)),
    dupParaCharFrac: nullableNumber(`${fn}: dupParaCharFrac`, pick(o, 'dupParaCharFrac', d.dupParaCharFrac)),
    topNGrams: pairs(`${fn}: topNGrams`, o.topNGrams ?? d.topNGrams),
    dupNGrams: pairs(`${fn}: dupNGrams`, o.dupNGrams ?? d.dupNGrams),
  };
}


export function resolveGopherQuality(fn: string, o: Bag, withTokenizer: boolean): ResolvedGopherQuality {
  assertKnownKeys(fn, o, withTokenizer ? [...QUALITY_KEYS, 'tokenizer'] : QUALITY_KEYS);
  const d = GOPHER_QUALITY_DEFAULTS;
  const stopWords = pick(o, 'stopWords', d.stopWords);
  if (!Array.isArray(stopWords)) throw new TypeError(`${fn}: stopWords must be an array of strings, got ${describe(stopWords)}`);
  stopWords.forEach((w: unknown, i) => assertString(`${fn}: stopWords[${i}]`, w));
  return {
    minDocWords: nullableInteger(`${fn}: minDocWords`, pick(o, 'minDocWords', d.minDocWords)),
    maxDocWords: nullableInteger(`${fn}: maxDocWords`, pick(o, 'maxDocWords', d.maxDocWords)),
    minAvgWordLength: nullableNumber(`${fn}: minAvgWordLength`, pick(o, 'minAvgWordLength', d.minAvgWordLength)),
    maxAvgWordLength: nullableNumber(`${fn}: maxAvgWordLength`, pick(o, 'maxAvgWordLength', d.maxAvgWordLength)),
    maxSymbolWordRatio: nullableNumber(`${fn}: maxSymbolWordRatio`, pick(o, 'maxSymbolWordRatio', d.maxSymbolWordRatio)),
    maxBulletLinesRatio: nullableNumber(`${fn}: maxBulletLinesRatio`, pick(o, 'maxBulletLinesRatio', d.maxBulletLinesRatio)),
    maxEllipsisLinesRatio: nullableNumber(`${fn}: maxEllipsisLinesRatio`, pick(o, 'maxEllipsisLinesRatio', d.maxEllipsisLinesRatio)),
    maxNonAlphaWordsRatio: nullableNumber(`${fn}: maxNonAlphaWordsRatio`, pick(o, 'maxNonAlphaWordsRatio', d.maxNonAlphaWordsRatio)),
    minStopWords: nullableInteger(`${fn}: minStopWords`, pick(o, 'minStopWords', d.minStopWords)),
    stopWords: [...(stopWords as string[])],
  };
}

export function resolveC4(fn: string, o: Bag, withTokenizer: boolean): ResolvedC4 {
  assertKnownKeys(fn, o, withTokenizer ? [...C4_KEYS, 'tokenizer'] : C4_KEYS);
  const d = C4_QUALITY_DEFAULTS;
  const bool = (k: (typeof C4_KEYS)[number], dflt: boolean): boolean => {
    const v = o[k] ?? dflt;
    assertBoolean(`${fn}: ${k}`, v);
    return v;
  };
  const int = (k: (typeof C4_KEYS)[number], dflt: number): number => {
    const v = o[k] ?? dflt;
    assertInteger(`${fn}: ${k}`, v, -1, MAX_INT);
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

export function resolveFineweb(fn: string, o: Bag, withTokenizer: boolean): ResolvedFineweb {
  assertKnownKeys(fn, o, withTokenizer ? [...FINEWEB_KEYS, 'tokenizer'] : FINEWEB_KEYS);
  const d = FINEWEB_QUALITY_DEFAULTS;
  const num = (k: 'linePunctThr' | 'shortLineThr' | 'charDuplicatesRatio' | 'newLineRatio'): number => {
    const v = o[k] ?? d[k];
    assertNumber(`${fn}: ${k}`, v, 0, Infinity);
    return v;
  };
  const exclude = o.linePunctExcludeZero ?? d.linePunctExcludeZero;
  assertBoolean(`${fn}: linePunctExcludeZero`, exclude);
  const shortLineLength = o.shortLineLength ?? d.shortLineLength;
  assertInteger(`${fn}: shortLineLength`, shortLineLength, 0, MAX_INT);
  const stopChars = pick(o, 'stopChars', d.stopChars);
  if (stopChars !== null) {
    if (!Array.isArray(stopChars)) throw new TypeError(`${fn}: stopChars must be an array of strings or null, got ${describe(stopChars)}`);
    stopChars.forEach((s: unknown, i) => {
      assertString(`${fn}: stopChars[${i}]`, s);
      if (s.length === 0) throw new RangeError(`${fn}: stopChars[${i}] must be a non-empty string, got ""`);
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
  assertOptions(`${fn}: options`, options);
  const bag = (options ?? {}) as Bag;
  return { bag, tokenizer: tokenizerOf(fn, bag.tokenizer) };
}
