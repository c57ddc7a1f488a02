/**
 * Line and paragraph segmentation: one linear scan over UTF-16 code units, offsets into the original.
 */
import { assertString } from '../internal/validate';

/**
 * A piece of a text, with UTF-16 offsets into the original string:
 * `text === original.slice(start, end)` always holds.
 * @example
 * ```ts
 * import { lines, type Segment } from 'neardup';
 * const doc = 'first\nsecond';
 * const [, second]: Segment[] = lines(doc);
 * doc.slice(second!.start, second!.end) === second!.text; // => true
 * ```
 */
export interface Segment {
  /** The segment's text, equal to `original.slice(start, end)`. */
  readonly text: string;
  /** UTF-16 offset of the first code unit, inclusive. */
  readonly start: number;
  /** UTF-16 offset one past the last code unit, exclusive. */
  readonly end: number;
}

/**
 * Length of the line terminator starting at `i` (0 when there is none): `\r\n` is 2; `\n`, `\r`, `\v`,
 * `\f`, U+0085, U+2028 and U+2029 are 1.
 * @internal
 */
export function terminatorLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x0a || c === 0x0b || c === 0x0c || c === 0x85 || c === 0x2028 || c === 0x2029) return 1;
  if (c === 0x0d) return text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
  return 0;
}

/**
 * True for horizontal whitespace: the JavaScript `\s` set (Unicode White_Space plus U+FEFF) minus the
 * line terminators that {@link lines} splits on.
 * @internal
 */
export function isHorizontalSpace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || c === 0x09;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f ||
    c === 0x3000 || c === 0xfeff
  );
}

/** True for any whitespace code unit: horizontal space or a line-terminator character. @internal */
export function isSpace(c: number): boolean {
  return isHorizontalSpace(c) || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

/**
 * Splits `text` into lines on every Unicode line terminator: `\n`, `\r\n`, `\r`, `\v`, `\f`, U+0085 (NEL),
 * U+2028 (LINE SEPARATOR) and U+2029 (PARAGRAPH SEPARATOR). `\r\n` is one terminator.
 *
 * Segments exclude their terminator. Empty lines are kept as empty segments, but a final terminator does
 * not open a trailing empty line (`"a\n"` is one line, `"a\n\n"` is two: `"a"` and `""`), and the empty
 * string has no lines. Offsets are UTF-16 code units into `text`. Linear time.
 *
 * @param text - the text to split
 * @returns the lines in order, each with `text === input.slice(start, end)`
 * @throws TypeError if `text` is not a string
 * @example
 * ```ts
 * import { lines } from 'neardup';
 * lines('one\r\ntwo\n\nfour\n').map((l) => l.text); // => ['one', 'two', '', 'four']
 * lines('a\u2028b')[1]; // => { text: 'b', start: 2, end: 3 }
 * lines(''); // => []
 * ```
 */
export function lines(text: string): Segment[] {
  assertString('lines: text', text);
  const out: Segment[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const t = terminatorLength(text, i);
    if (t === 0) {
      i++;
      continue;
    }
    out.push({ text: text.slice(start, i), start, end: i });
    i += t;
    start = i;
  }
  if (start < n) out.push({ text: text.slice(start, n), start, end: n });
  return out;
}

/**
 * Splits `text` into paragraphs separated by blank lines: two or more line breaks (any terminator that
 * {@link lines} knows) with only whitespace between them.
 *
 * Each paragraph is trimmed: it excludes the separators and any leading or trailing whitespace
 * (line breaks included), so no segment is empty or whitespace-only, and whitespace-only text has no
 * paragraphs. Inner single line breaks stay inside the paragraph. Offsets are UTF-16 code units into
 * `text`. Linear time.
 *
 * @param text - the text to split
 * @returns the paragraphs in order, each with `text === input.slice(start, end)`
 * @throws TypeError if `text` is not a string
 * @example
 * ```ts
 * import { paragraphs } from 'neardup';
 * paragraphs('Title\n\nFirst line\nsame paragraph.\n \n\n  Second. ').map((p) => p.text);
 * // => ['Title', 'First line\nsame paragraph.', 'Second.']
 * paragraphs('a\r\n\r\nb')[1]; // => { text: 'b', start: 5, end: 6 }
 * ```
 */
export function paragraphs(text: string): Segment[] {
  assertString('paragraphs: text', text);
  const out: Segment[] = [];
  const n = text.length;
  let paraStart = -1; // first non-space unit of the open paragraph, -1 when none is open
  let paraEnd = -1; // one past its last non-space unit
  let i = 0;
  while (i < n) {
    // One line: [i, lineEnd), then its terminator.
    let first = -1;
    let last = -1;
    let j = i;
    let t = 0;
    while (j < n) {
      t = terminatorLength(text, j);
      if (t !== 0) break;
      if (!isHorizontalSpace(text.charCodeAt(j))) {
        if (first < 0) first = j;
        last = j + 1;
      }
      j++;
    }
    if (first < 0) {
      // A blank line closes the open paragraph.
      if (paraStart >= 0) {
        out.push({ text: text.slice(paraStart, paraEnd), start: paraStart, end: paraEnd });
        paraStart = -1;
      }
    } else {
      if (paraStart < 0) paraStart = first;
      paraEnd = last;
    }
    i = j + t;
  }
  if (paraStart >= 0) out.push({ text: text.slice(paraStart, paraEnd), start: paraStart, end: paraEnd });
  return out;
}
