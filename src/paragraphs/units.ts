/**
 * Units of paragraph dedup (lines, paragraphs, sentences) and the one rule that removes them from a text
 * without damaging what is around them. Shared by `dedupeParagraphs`, `ParagraphDeduplicator` and
 * `paragraphFrequencies`.
 * Internal module, not public API.
 */
import { lines, normalize, paragraphs, sentences } from '../text';

/**
 * What one unit of paragraph dedup is: `'line'` (every non-blank line), `'paragraph'` (blocks separated by
 * blank lines) or `'sentence'`.
 * @example
 * ```ts
 * import { dedupeParagraphs, type ParagraphUnit } from 'neardup';
 * const unit: ParagraphUnit = 'sentence';
 * dedupeParagraphs('It rains. It pours. It rains.', { unit, minChars: 0 }).text; // => 'It rains. It pours.'
 * ```
 */
export type ParagraphUnit = 'line' | 'paragraph' | 'sentence';

/** The allowed values of `unit`, for validation. */
export const PARAGRAPH_UNITS: readonly ParagraphUnit[] = ['line', 'paragraph', 'sentence'];

/** The units of a text, as parallel arrays of UTF-16 offsets `[start, end)`, in order, non-overlapping. */
export interface Units {
  readonly starts: number[];
  readonly ends: number[];
}

/** Line terminators, as `lines()` splits on them: LF, VT, FF, CR (CRLF counts once), NEL, LS, PS. */
export function isLineBreak(c: number): boolean {
  return (c >= 0x0a && c <= 0x0d) || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/** Unicode White_Space (the JS `\s` set plus NEL). */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Cuts `text` into dedup units. A unit never contains only whitespace (blank lines are never units). Lines
 * and paragraphs cover whole lines (from the start of their first line to the end of their last line, the
 * terminator excluded, indentation included), so what lies between two units is only line terminators and
 * blank lines; sentences are trimmed of surrounding whitespace.
 */
export function segmentUnits(text: string, unit: ParagraphUnit, locale: string | undefined): Units {
  const segments = unit === 'line' ? lines(text) : unit === 'paragraph' ? paragraphs(text) : sentences(text, { locale });
  const starts: number[] = [];
  const ends: number[] = [];
  const wholeLines = unit !== 'sentence';
  let floor = 0;
  for (const seg of segments) {
    let s = Math.max(seg.start, floor);
    let e = seg.end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (s === e) continue;
    if (wholeLines) {
      while (s > floor && isSpace(text.charCodeAt(s - 1)) && !isLineBreak(text.charCodeAt(s - 1))) s--;
      while (e < text.length && isSpace(text.charCodeAt(e)) && !isLineBreak(text.charCodeAt(e))) e++;
    }
    starts.push(s);
    ends.push(e);
    floor = e;
  }
  return { starts, ends };
}

/** Number of line breaks in `text[from, to)`, CRLF counting once. */
export function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isLineBreak(c) && !(c === 0x0d && i + 1 < to && text.charCodeAt(i + 1) === 0x0a)) n++;
  }
  return n;
}

/** Number of Unicode code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The comparison key of a unit: `normalize` with its defaults (NFKC, lowercase, punctuation → space, digits → 0…). */
export function normalizeUnit(text: string): string {
  return normalize(text);
}

/** The text with some units removed, and for each removed unit the span `[cutStart, cutEnd)` deleted with it. */
export interface Applied {
  text: string;
  cutStarts: number[];
  cutEnds: number[];
}

/**
 * Removes the flagged units. The rule, for each maximal run of consecutive removed units (consecutive
 * means no kept unit between them; blank lines may be):
 *
 * - between two kept units, the whole stretch from the end of the kept unit before to the start of the kept
 *   unit after is replaced by exactly one of the separators it contains, byte-for-byte: the one with the
 *   most line breaks (ties: the first), so a paragraph break is never lost and never doubled;
 * - at the start of the text (no kept unit before), what precedes the first unit is kept and each removed
 *   unit goes with the separator after it;
 * - at the end of the text (no kept unit after), what follows the last unit is kept and each removed unit
 *   goes with the separator before it, so no trailing line break or blank line is introduced;
 * - if every unit is removed, the result is the empty string.
 *
 * Every removed unit's cut is the unit plus one whole separator (units before the kept separator take the
 * separator before them, the others the one after), and the result is the original minus the cuts.
 */
export function applyRemovals(text: string, units: Units, removed: Uint8Array): Applied {
  const { starts, ends } = units;
  const n = starts.length;
  const cutStarts: number[] = [];
  const cutEnds: number[] = [];
  // gap g lies between unit g − 1 and unit g: [gapStart(g), gapEnd(g))
  const gapStart = (g: number): number => (g === 0 ? 0 : ends[g - 1]!);
  const gapEnd = (g: number): number => (g === n ? text.length : starts[g]!);
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    if (!removed[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && removed[j + 1]) j++;
    const before = i > 0;
    const after = j < n - 1;
    let keep: number; // the gap kept; −1 when none is
    if (before && after) {
      keep = i;
      let best = countBreaks(text, gapStart(i), gapEnd(i));
      for (let g = i + 1; g <= j + 1; g++) {
        const b = countBreaks(text, gapStart(g), gapEnd(g));
        if (b > best) {
          best = b;
          keep = g;
        }
      }
    } else if (before) {
      keep = j + 1;
    } else if (after) {
      keep = i;
    } else {
      keep = -1;
    }
    for (let k = i; k <= j; k++) {
      let cs: number;
      let ce: number;
      if (keep === -1) {
        cs = k === 0 ? 0 : starts[k]!;
        ce = gapEnd(k + 1);
      } else if (k < keep) {
        cs = gapStart(k);
        ce = ends[k]!;
      } else {
        cs = starts[k]!;
        ce = gapEnd(k + 1);
      }
      cutStarts.push(cs);
      cutEnds.push(ce);
      out += text.slice(copied, cs);
      copied = ce;
    }
    i = j + 1;
  }
  out += text.slice(copied);
  return { text: out, cutStarts, cutEnds };
}
