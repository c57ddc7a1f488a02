import { Analysis } from './analysis';
import { duplicatedNgramChars, findDuplicates, topNgramChars } from './ngrams';
import { boundary, resolveGopherRepetition, type GopherRepetitionOptions, type ResolvedGopherRepetition } from './options';
import { skipWhitespace, trimEndWhitespace } from './python';
import { verdict, type QualityResult } from './types';

/**
 * Reason names of {@link gopherRepetition}, in datatrove's order of checks.
 * @example
 * ```ts
 * const reason: GopherRepetitionReason = 'top_2_gram';
 * gopherRepetition('a b a b a b', { tokenizer: 'whitespace' }).reasons.includes(reason); // => true
 * ```
 */
export type GopherRepetitionReason =
  | 'dup_para_frac'
  | 'dup_para_char_frac'
  | 'dup_line_frac'
  | 'dup_line_char_frac'
  | `top_${number}_gram`
  | `duplicated_${number}_n_grams`;

/**
 * Every number {@link gopherRepetition} computes. Lengths are code points. A fraction is `null` when its
 * denominator is 0 (only for the empty text: datatrove raises `ZeroDivisionError` there).
 * @example
 * ```ts
 * const s: GopherRepetitionStats = gopherRepetition('a b a b a b', { tokenizer: 'whitespace' }).stats;
 * s.topNgramChars[2]; // => 9
 * s.length; // => 11
 * ```
 */
export interface GopherRepetitionStats {
  /** `len(text)` in code points (the reference's `L`). */
  length: number;
  /** Paragraphs: the stripped text split on runs of two or more `\n`. */
  nParagraphs: number;
  /** Paragraphs equal to an earlier paragraph. */
  paraDupCount: number;
  /** Code points in those repeated paragraphs. */
  paraDupChars: number;
  /** `paraDupCount / nParagraphs`. */
  paraDupFrac: number;
  /** `paraDupChars / length`. */
  paraDupCharFrac: number | null;
  /** Lines: the text split on runs of `\n` (leading and trailing empty lines included, as `re.split`). */
  nLines: number;
  /** Lines equal to an earlier line. */
  lineDupCount: number;
  /** Code points in those repeated lines. */
  lineDupChars: number;
  /** `lineDupCount / nLines`. */
  lineDupFrac: number;
  /** `lineDupChars / length`. */
  lineDupCharFrac: number | null;
  /** Words from the chosen tokenizer. */
  nWords: number;
  /** Per n: `len(g) * count` of the most common `" ".join` n-gram `g`; `null` with fewer than n words. */
  topNgramChars: Record<number, number | null>;
  /** Per n: `topNgramChars[n] / length`; `null` with fewer than n words or for the empty text. */
  topNgramCharFrac: Record<number, number | null>;
  /** Per n: characters in repeated `"".join` n-grams, counted greedily without overlap (datatrove's walk). */
  dupNgramChars: Record<number, number>;
  /** Per n: `dupNgramChars[n] / length`; `null` for the empty text. */
  dupNgramCharFrac: Record<number, number | null>;
}

/**
 * Result of {@link gopherRepetition}.
 * @example
 * ```ts
 * const r: GopherRepetitionResult = gopherRepetition('', { tokenizer: 'whitespace' });
 * r.pass; // => true
 * r.stats.lineDupCharFrac; // => null
 * ```
 */
export type GopherRepetitionResult = QualityResult<GopherRepetitionReason, GopherRepetitionStats>;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
/** datatrove tests `if self.threshold and …`: `null` and `0` disable a rule. */
const enabled = (t: number | null): t is number => t !== null && t !== 0;

/** Spans between runs of `\n` of at least `minRun` units inside `[start, end)` (Python `re.split`). */
function splitOnNewlineRuns(text: string, start: number, end: number, minRun: number): Uint32Array {
  let out = new Uint32Array(64);
  let n = 0;
  let s = start;
  let i = text.indexOf('\n', start);
  while (i !== -1 && i < end) {
    let j = i + 1;
    while (j < end && text.charCodeAt(j) === 0x0a) j++;
    if (j - i >= minRun) {
      if (n + 4 > out.length) {
        const next = new Uint32Array(out.length * 2);
        next.set(out);
        out = next;
      }
      out[n++] = s;
      out[n++] = i;
      s = j;
    }
    i = j < end ? text.indexOf('\n', j) : -1;
  }
  if (n + 2 > out.length) {
    const next = new Uint32Array(out.length + 2);
    next.set(out);
    out = next;
  }
  out[n++] = s;
  out[n++] = end;
  return out.subarray(0, n);
}

/** @internal The filter on an already segmented text. */
export function evaluateGopherRepetition(a: Analysis, o: ResolvedGopherRepetition): GopherRepetitionResult {
  const { text, length } = a;
  const reasons: GopherRepetitionReason[] = [];

  const ps = skipWhitespace(text, 0, text.length);
  const pe = trimEndWhitespace(text, ps, text.length);
  const paragraphs = splitOnNewlineRuns(text, ps, pe, 2);
  const para = findDuplicates(text, paragraphs, a.surrogates, a.hashes());
  const nParagraphs = paragraphs.length >> 1;
  const paraDupFrac = para.count / nParagraphs;
  const paraDupCharFrac = ratio(para.chars, length);
  if (enabled(o.dupParaFrac) && paraDupFrac > o.dupParaFrac) reasons.push('dup_para_frac');
  if (enabled(o.dupParaCharFrac) && paraDupCharFrac !== null && paraDupCharFrac > o.dupParaCharFrac) reasons.push('dup_para_char_frac');

  const lines = splitOnNewlineRuns(text, 0, text.length, 1);
  const line = findDuplicates(text, lines, a.surrogates, a.hashes());
  const nLines = lines.length >> 1;
  const lineDupFrac = line.count / nLines;
  const lineDupCharFrac = ratio(line.chars, length);
  if (enabled(o.dupLineFrac) && lineDupFrac > o.dupLineFrac) reasons.push('dup_line_frac');
  if (enabled(o.dupLineCharFrac) && lineDupCharFrac !== null && lineDupCharFrac > o.dupLineCharFrac) reasons.push('dup_line_char_frac');

  const table = a.wordTable();
  const topChars: Record<number, number | null> = {};
  const topFrac: Record<number, number | null> = {};
  for (const [n, threshold] of o.topNGrams) {
    const chars = topNgramChars(table, n);
    const frac = chars === null ? null : ratio(chars, length);
    topChars[n] = chars;
    topFrac[n] = frac;
    if (frac !== null && frac > threshold) reasons.push(`top_${n}_gram`);
  }
  const dupChars: Record<number, number> = {};
  const dupFrac: Record<number, number | null> = {};
  for (const [n, threshold] of o.dupNGrams) {
    const chars = duplicatedNgramChars(table, n);
    const frac = ratio(chars, length);
    dupChars[n] = chars;
    dupFrac[n] = frac;
    if (frac !== null && frac > threshold) reasons.push(`duplicated_${n}_n_grams`);
  }

  return verdict(reasons, {
    length,
    nParagraphs,
    paraDupCount: para.count,
    paraDupChars: para.chars,
    paraDupFrac,
    paraDupCharFrac,
    nLines,
    lineDupCount: line.count,
    lineDupChars: line.chars,
    lineDupFrac,
    lineDupCharFrac,
    nWords: table.count,
    topNgramChars: topChars,
    topNgramCharFrac: topFrac,
    dupNgramChars: dupChars,
    dupNgramCharFrac: dupFrac,
  });
}

/**
 * Gopher's repetition filter (Rae et al. 2021, Table A1), computed exactly as datatrove's
 * `GopherRepetitionFilter`: duplicate paragraph and line fractions (by count and by characters), the
 * character fraction of the most common 2-, 3- and 4-gram, and the character fraction of repeated 5- to
 * 10-grams (no character counted twice). Lengths are code points; thresholds are strict (`>`), so a
 * fraction equal to its threshold passes.
 *
 * `reasons` lists every failed rule in datatrove's order of checks, so `reasons[0]` is datatrove's reason.
 * The empty text, where datatrove raises `ZeroDivisionError`, passes here: it has no repetition, and its
 * character fractions are `null`.
 *
 * @param text - the document
 * @param options - thresholds (see {@link GOPHER_REPETITION_DEFAULTS}) and `tokenizer`
 * @returns `{ pass, reasons, stats }`
 * @throws TypeError when `text` is not a string or an option has the wrong type or an unknown name
 * @throws RangeError when a threshold is negative or an n-gram size is not an integer in [1, 65535]
 * @example
 * ```ts
 * const r = gopherRepetition('Buy now.\nBuy now.\nBuy now.\nFresh bread every morning.', { tokenizer: 'whitespace' });
 * r.pass; // => false
 * r.reasons[0]; // => 'dup_line_frac'
 * r.stats.lineDupCount; // => 2
 * ```
 */
export function gopherRepetition(text: string, options?: GopherRepetitionOptions): GopherRepetitionResult {
  const { bag, tokenizer } = boundary('gopherRepetition', text, options);
  const o = resolveGopherRepetition('gopherRepetition', 'options', bag, true);
  return evaluateGopherRepetition(new Analysis(text, tokenizer), o);
}
