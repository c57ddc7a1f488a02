import { Analysis } from './analysis';
import { findDuplicates } from './ngrams';
import { boundary, resolveFineweb, type FinewebQualityOptions, type ResolvedFineweb } from './options';
import { terminalCodePoints } from './punctuation';
import { codePointBefore, skipWhitespace } from './python';
import { verdict, type QualityResult } from './types';

/**
 * Reason names of {@link finewebQuality}, in datatrove's order of checks.
 * @example
 * ```ts
 * const reason: FinewebQualityReason = 'empty';
 * finewebQuality(' \n\t\n').reasons; // => [reason]
 * ```
 */
export type FinewebQualityReason = 'empty' | 'line_punct_ratio' | 'short_line_ratio' | 'char_dup_ratio' | 'list_ratio';

/**
 * Every number {@link finewebQuality} computes. Lines are the non-blank pieces of the text split on `\n`
 * (a piece with only whitespace is blank). Lengths are code points; a ratio is `null` when its denominator is 0.
 * @example
 * ```ts
 * const s: FinewebQualityStats = finewebQuality('Same line.\nSame line.\n\nOther line!', { tokenizer: 'whitespace' }).stats;
 * s.nLines; // => 3
 * s.dupLineChars; // => 10
 * s.punctLines; // => 3
 * ```
 */
export interface FinewebQualityStats {
  /** Non-blank lines. */
  nLines: number;
  /** Lines whose last character is a stop character (default: datatrove's `TERMINAL_PUNCTUATION`). */
  punctLines: number;
  /** `punctLines / nLines`. */
  linePunctRatio: number | null;
  /** Lines of at most `shortLineLength` code points. */
  shortLines: number;
  /** `shortLines / nLines`. */
  shortLineRatio: number | null;
  /** Characters in lines that repeat an earlier line exactly. */
  dupLineChars: number;
  /** The text's length in code points, minus its `\n` characters. */
  charsWithoutNewlines: number;
  /** `dupLineChars / charsWithoutNewlines`. */
  charDupRatio: number | null;
  /** `\n` characters in the text. */
  newlineCount: number;
  /** Words from the chosen tokenizer. */
  nWords: number;
  /** `newlineCount / nWords`. */
  newlineWordRatio: number | null;
}

/**
 * Result of {@link finewebQuality}.
 * @example
 * ```ts
 * const r: FinewebQualityResult = finewebQuality('', { tokenizer: 'whitespace' });
 * r.stats.linePunctRatio; // => null
 * ```
 */
export type FinewebQualityResult = QualityResult<FinewebQualityReason, FinewebQualityStats>;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** @internal The filter on an already segmented text. */
export function evaluateFineweb(a: Analysis, o: ResolvedFineweb): FinewebQualityResult {
  const { text } = a;
  const terminal = terminalCodePoints();
  const spans: number[] = [];
  let newlineCount = 0;
  let punctLines = 0;
  let shortLines = 0;
  const endsWithStop = (s: number, e: number): boolean => {
    if (o.stopChars === null) return terminal.has(codePointBefore(text, s, e));
    for (const c of o.stopChars) if (e - s >= c.length && text.startsWith(c, e - c.length)) return true;
    return false;
  };
  for (let s = 0; s <= text.length; ) {
    let e = text.indexOf('\n', s);
    if (e === -1) e = text.length;
    else newlineCount++;
    if (skipWhitespace(text, s, e) < e) {
      spans.push(s, e);
      if (endsWithStop(s, e)) punctLines++;
      if (e - s <= o.shortLineLength || a.cp(s, e) <= o.shortLineLength) shortLines++;
    }
    s = e + 1;
  }
  const lines = Uint32Array.from(spans);
  const nLines = lines.length >> 1;
  const dup = findDuplicates(text, lines, a.surrogates, a.hashes());
  const charsWithoutNewlines = a.length - newlineCount;
  const nWords = a.words().length >> 1;
  const stats: FinewebQualityStats = {
    nLines,
    punctLines,
    linePunctRatio: ratio(punctLines, nLines),
    shortLines,
    shortLineRatio: ratio(shortLines, nLines),
    dupLineChars: dup.chars,
    charsWithoutNewlines,
    charDupRatio: ratio(dup.chars, charsWithoutNewlines),
    newlineCount,
    nWords,
    newlineWordRatio: ratio(newlineCount, nWords),
  };
  const reasons: FinewebQualityReason[] = [];
  if (nLines === 0) reasons.push('empty');
  const r = stats.linePunctRatio;
  if (r !== null && r < o.linePunctThr && !(r === 0 && o.linePunctExcludeZero)) reasons.push('line_punct_ratio');
  if (stats.shortLineRatio !== null && stats.shortLineRatio > o.shortLineThr) reasons.push('short_line_ratio');
  if (stats.charDupRatio !== null && stats.charDupRatio > o.charDuplicatesRatio) reasons.push('char_dup_ratio');
  if (stats.newlineWordRatio !== null && stats.newlineWordRatio > o.newLineRatio) reasons.push('list_ratio');
  return verdict(reasons, stats);
}

/**
 * The FineWeb rules (Penedo et al. 2024), computed exactly as datatrove's `FineWebQualityFilter`, on the
 * non-blank lines of the text split on `\n`: reject when no line is left (`empty`), when fewer than 12 % of
 * lines end in terminal punctuation, when more than 67 % of lines are at most 30 characters, when more than
 * 1 % of the characters (newlines excluded) sit in lines that repeat an earlier line, or when there are more
 * than 0.3 newlines per word. Thresholds are strict, so a ratio equal to its threshold passes.
 *
 * With the default tokenizer a text can have lines but no words (only punctuation, say); datatrove would
 * divide by zero there, this function reports `newlineWordRatio: null` and does not fail `list_ratio`.
 *
 * @param text - the document
 * @param options - thresholds (see {@link FINEWEB_QUALITY_DEFAULTS}) and `tokenizer`
 * @returns `{ pass, reasons, stats }`
 * @throws TypeError when `text` is not a string or an option has the wrong type or an unknown name
 * @throws RangeError when a threshold is negative or `shortLineLength` is not a non-negative integer
 * @example
 * ```ts
 * const r = finewebQuality('Home\nAbout\nContact\nShop\nA longer line that ends properly.', { tokenizer: 'whitespace' });
 * r.reasons; // => ['short_line_ratio', 'list_ratio']
 * r.stats.shortLines; // => 4
 * ```
 */
export function finewebQuality(text: string, options?: FinewebQualityOptions): FinewebQualityResult {
  const { bag, tokenizer } = boundary('finewebQuality', text, options);
  const o = resolveFineweb('finewebQuality', 'options', bag, true);
  return evaluateFineweb(new Analysis(text, tokenizer), o);
}
