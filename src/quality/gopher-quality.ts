import { Analysis } from './analysis';
import { boundary, resolveGopherQuality, type GopherQualityOptions, type ResolvedGopherQuality } from './options';
import { asciiPunctuation, punctuationCodePoints } from './punctuation';
import {
  codePointAt,
  countOccurrences,
  isAlphaCodePoint,
  skipWhitespace,
  sortByCodePoint,
  trimEndWhitespace,
  unitsOf,
} from './python';
import { verdict, type QualityResult } from './types';

/**
 * Reason names of {@link gopherQuality}, in datatrove's order of checks.
 * @example
 * ```ts
 * const reason: GopherQualityReason = 'gopher_short_doc';
 * gopherQuality('Too short.').reasons[0] === reason; // => true
 * ```
 */
export type GopherQualityReason =
  | 'gopher_short_doc'
  | 'gopher_long_doc'
  | 'gopher_below_avg_threshold'
  | 'gopher_above_avg_threshold'
  | 'gopher_too_many_hashes'
  | 'gopher_too_many_ellipsis'
  | 'gopher_too_many_bullets'
  | 'gopher_too_many_end_ellipsis'
  | 'gopher_below_alpha_threshold'
  | 'gopher_enough_stop_words';

/**
 * Every number {@link gopherQuality} computes. Lengths are code points; a ratio is `null` when its denominator is 0.
 * @example
 * ```ts
 * const s: GopherQualityStats = gopherQuality('## Title ...', { tokenizer: 'whitespace' }).stats;
 * s.hashCount; // => 2
 * s.nNonSymbolWords; // => 1
 * ```
 */
export interface GopherQualityStats {
  /** Words from the chosen tokenizer. */
  nWords: number;
  /** Words with at least one character outside datatrove's `PUNCTUATION_SET` (the word count the length rules use). */
  nNonSymbolWords: number;
  /** Mean length of the non-symbol words in code points; `null` when there is none. */
  meanNonSymbolWordLen: number | null;
  /** Occurrences of `#` in the text. */
  hashCount: number;
  /** `hashCount / nWords` (all words, as datatrove divides). */
  hashRatio: number | null;
  /** Non-overlapping `...` in the text. */
  tripleDotCount: number;
  /** `…` (U+2026) in the text. */
  ellipsisCharCount: number;
  /** `tripleDotCount + ellipsisCharCount`. */
  ellipsisCount: number;
  /** `ellipsisCount / nWords`. */
  ellipsisRatio: number | null;
  /** Lines from Python `splitlines()`. */
  nLines: number;
  /** Lines whose first non-space character is `•` or `-`. */
  bulletLines: number;
  /** `bulletLines / nLines`. */
  bulletLineRatio: number | null;
  /** Lines ending (before trailing spaces) with `...` or `…`. */
  endEllipsisLines: number;
  /** `endEllipsisLines / nLines`. */
  endEllipsisLineRatio: number | null;
  /** Words with at least one letter (Python `isalpha`: Unicode categories Lu, Ll, Lt, Lm, Lo). */
  alphaWords: number;
  /** `alphaWords / nWords`. */
  alphaWordRatio: number | null;
  /** The distinct stop words present (exact, case-sensitive), sorted by code point. */
  stopWordsFound: string[];
  /** `stopWordsFound.length`: the number of distinct stop words present. */
  nStopWords: number;
}

/**
 * Result of {@link gopherQuality}.
 * @example
 * ```ts
 * const r: GopherQualityResult = gopherQuality('', { tokenizer: 'whitespace' });
 * r.stats.meanNonSymbolWordLen; // => null
 * ```
 */
export type GopherQualityResult = QualityResult<GopherQualityReason, GopherQualityStats>;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const enabled = (t: number | null): t is number => t !== null && t !== 0;
const BULLET = 0x2022;
const HYPHEN = 0x2d;
const DOT = 0x2e;
const ELLIPSIS = 0x2026;

/** @internal The filter on an already segmented text. */
export function evaluateGopherQuality(a: Analysis, o: ResolvedGopherQuality): GopherQualityResult {
  const { text } = a;
  const words = a.words();
  const nWords = words.length >> 1;
  const punct = punctuationCodePoints();
  const asciiPunct = asciiPunctuation();
  // Stop words grouped by UTF-16 length, compared in place (no substring per word).
  const stopByLength = new Map<number, string[]>();
  for (const w of new Set(o.stopWords)) {
    const list = stopByLength.get(w.length);
    if (list) list.push(w);
    else stopByLength.set(w.length, [w]);
  }
  const found = new Set<string>();

  let nNonSymbol = 0;
  let nonSymbolChars = 0;
  let alphaWords = 0;
  for (let k = 0; k < nWords; k++) {
    const s = words[2 * k]!;
    const e = words[2 * k + 1]!;
    let nonSymbol = false;
    let alpha = false;
    let cps = 0;
    for (let i = s; i < e; ) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        // ASCII: a letter is both non-symbol and alpha; digits and the rest of ASCII are non-symbol
        // unless in the punctuation set (which holds the ASCII punctuation and control characters).
        i++;
        cps++;
        if (asciiPunct[c] === 0) nonSymbol = true;
        if (!alpha && ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) alpha = true;
        continue;
      }
      const cp = codePointAt(text, i, e);
      i += unitsOf(cp);
      cps++;
      if (!nonSymbol && !punct.has(cp)) nonSymbol = true;
      if (!alpha && isAlphaCodePoint(cp)) alpha = true;
    }
    if (nonSymbol) {
      nNonSymbol++;
      nonSymbolChars += cps;
    }
    if (alpha) alphaWords++;
    const candidates = stopByLength.get(e - s);
    if (candidates) for (const w of candidates) if (text.startsWith(w, s)) found.add(w);
  }

  const hashCount = countOccurrences(text, '#');
  const tripleDotCount = countOccurrences(text, '...');
  const ellipsisCharCount = countOccurrences(text, '\u2026');
  const ellipsisCount = tripleDotCount + ellipsisCharCount;

  const lines = a.splitlines();
  const nLines = lines.length >> 1;
  let bulletLines = 0;
  let endEllipsisLines = 0;
  for (let k = 0; k < nLines; k++) {
    const ls = lines[2 * k]!;
    const le = lines[2 * k + 1]!;
    const f = skipWhitespace(text, ls, le);
    if (f < le) {
      const c = text.charCodeAt(f);
      if (c === BULLET || c === HYPHEN) bulletLines++;
    }
    const r = trimEndWhitespace(text, ls, le);
    if (r > ls) {
      const last = text.charCodeAt(r - 1);
      if (last === ELLIPSIS) endEllipsisLines++;
      else if (last === DOT && r - ls >= 3 && text.charCodeAt(r - 2) === DOT && text.charCodeAt(r - 3) === DOT) endEllipsisLines++;
    }
  }

  const stats: GopherQualityStats = {
    nWords,
    nNonSymbolWords: nNonSymbol,
    meanNonSymbolWordLen: ratio(nonSymbolChars, nNonSymbol),
    hashCount,
    hashRatio: ratio(hashCount, nWords),
    tripleDotCount,
    ellipsisCharCount,
    ellipsisCount,
    ellipsisRatio: ratio(ellipsisCount, nWords),
    nLines,
    bulletLines,
    bulletLineRatio: ratio(bulletLines, nLines),
    endEllipsisLines,
    endEllipsisLineRatio: ratio(endEllipsisLines, nLines),
    alphaWords,
    alphaWordRatio: ratio(alphaWords, nWords),
    stopWordsFound: sortByCodePoint([...found]),
    nStopWords: found.size,
  };

  const reasons: GopherQualityReason[] = [];
  const gt = (v: number | null, t: number | null): boolean => enabled(t) && v !== null && v > t;
  const lt = (v: number | null, t: number | null): boolean => enabled(t) && v !== null && v < t;
  if (lt(nNonSymbol, o.minDocWords)) reasons.push('gopher_short_doc');
  if (gt(nNonSymbol, o.maxDocWords)) reasons.push('gopher_long_doc');
  if (lt(stats.meanNonSymbolWordLen, o.minAvgWordLength)) reasons.push('gopher_below_avg_threshold');
  if (gt(stats.meanNonSymbolWordLen, o.maxAvgWordLength)) reasons.push('gopher_above_avg_threshold');
  if (gt(stats.hashRatio, o.maxSymbolWordRatio)) reasons.push('gopher_too_many_hashes');
  if (gt(stats.ellipsisRatio, o.maxSymbolWordRatio)) reasons.push('gopher_too_many_ellipsis');
  if (gt(stats.bulletLineRatio, o.maxBulletLinesRatio)) reasons.push('gopher_too_many_bullets');
  if (gt(stats.endEllipsisLineRatio, o.maxEllipsisLinesRatio)) reasons.push('gopher_too_many_end_ellipsis');
  if (lt(stats.alphaWordRatio, o.maxNonAlphaWordsRatio)) reasons.push('gopher_below_alpha_threshold');
  if (lt(stats.nStopWords, o.minStopWords)) reasons.push('gopher_enough_stop_words');
  return verdict(reasons, stats);
}

/**
 * Gopher's quality filter (Rae et al. 2021), computed exactly as datatrove's `GopherQualityFilter`:
 * 50 to 100,000 non-symbol words, mean word length 3 to 10, `#` and ellipsis to word ratios at most 0.1,
 * at most 90 % bullet lines and 30 % lines ending in an ellipsis, at least 80 % of words with a letter,
 * and at least 2 distinct stop words (the, be, to, of, and, that, have, with).
 *
 * `reasons` lists every failed rule in datatrove's order of checks (`reasons[0]` is datatrove's reason).
 * Where datatrove would divide by zero (no words, with the word-count rule disabled) the ratio is `null`
 * and its rule does not fail. As in datatrove, a threshold of `0` or `null` disables its rule.
 *
 * @param text - the document
 * @param options - thresholds (see {@link GOPHER_QUALITY_DEFAULTS}) and `tokenizer`
 * @returns `{ pass, reasons, stats }`
 * @throws TypeError when `text` is not a string or an option has the wrong type or an unknown name
 * @throws RangeError when a threshold is negative or a count is not a non-negative integer
 * @example
 * ```ts
 * const r = gopherQuality('Short text with the usual words.', { tokenizer: 'whitespace' });
 * r.reasons; // => ['gopher_short_doc']
 * r.stats.stopWordsFound; // => ['the', 'with']
 * ```
 */
export function gopherQuality(text: string, options?: GopherQualityOptions): GopherQualityResult {
  const { bag, tokenizer } = boundary('gopherQuality', text, options);
  const o = resolveGopherQuality('gopherQuality', 'options', bag, true);
  return evaluateGopherQuality(new Analysis(text, tokenizer), o);
}
