/**
 * Python string semantics the reference filters rely on, reproduced over JavaScript strings without
 * building substrings: the `str.isspace()` set, `str.split()`, `str.splitlines()`, `str.strip()`,
 * `str.isalpha()`, `len()` in code points, `str.count()` and `str.lower()` for substring tests.
 *
 * Positions are UTF-16 offsets into the original string; lengths reported to callers are code points
 * (a surrogate pair counts 1, a lone surrogate counts 1, as Python counts them).
 * Internal module, not public API.
 */

/** `str.isspace()` for one UTF-16 unit (every Python whitespace character is in the BMP). */
export function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** True when the string holds any UTF-16 surrogate (so code points and units may differ). */
export function hasSurrogates(text: string): boolean {
  surrogateRe ??= /[\ud800-\udfff]/;
  return surrogateRe.test(text);
}
let surrogateRe: RegExp | undefined;

/** Python `len(text[start:end])`: code points in `[start, end)` (a pair counts 1, a lone surrogate 1). */
export function cpLength(text: string, start: number, end: number): number {
  let n = end - start;
  for (let i = start; i + 1 < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The code point starting at `i` (a lone surrogate is returned as itself). */
export function codePointAt(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** The code point ending just before `end` (a lone surrogate is returned as itself). */
export function codePointBefore(text: string, start: number, end: number): number {
  const d = text.charCodeAt(end - 1);
  if (d >= 0xdc00 && d <= 0xdfff && end - 2 >= start) {
    const c = text.charCodeAt(end - 2);
    if (c >= 0xd800 && c <= 0xdbff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return d;
}

/** First index in `[start, end)` that is not Python whitespace (`end` if none): `lstrip()`. */
export function skipWhitespace(text: string, start: number, end: number): number {
  while (start < end && isPyWhitespace(text.charCodeAt(start))) start++;
  return start;
}

/** Index just after the last non-whitespace unit in `[start, end)` (`start` if none): `rstrip()`. */
export function trimEndWhitespace(text: string, start: number, end: number): number {
  while (end > start && isPyWhitespace(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * `str.split()` with no argument: runs of Python whitespace separate words; no empty words.
 * Returns interleaved `[start, end)` UTF-16 pairs.
 */
export function pySplitSpans(text: string, start = 0, end = text.length): Uint32Array {
  let out = new Uint32Array(64);
  let n = 0;
  let i = start;
  while (i < end) {
    while (i < end && isPyWhitespace(text.charCodeAt(i))) i++;
    if (i >= end) break;
    const s = i;
    while (i < end && !isPyWhitespace(text.charCodeAt(i))) i++;
    if (n + 2 > out.length) {
      const next = new Uint32Array(out.length * 2);
      next.set(out);
      out = next;
    }
    out[n++] = s;
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/** True for a `str.splitlines()` line boundary unit (`\r\n` is handled by the caller). */
export function isLineBreak(c: number): boolean {
  if (c <= 0x1e) return (c >= 0x0a && c <= 0x0d) || c >= 0x1c;
  return c === 0x85 || c === 0x2028 || c === 0x2029;
}

/**
 * `str.splitlines()`: breaks at `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`–`\x1e`, `\x85`, `\u2028`, `\u2029`;
 * no trailing empty line. Returns interleaved `[start, end)` pairs (terminators excluded).
 */
export function splitlinesSpans(text: string): Uint32Array {
  let out = new Uint32Array(64);
  let n = 0;
  const len = text.length;
  let s = 0;
  let i = 0;
  const push = (a: number, b: number): void => {
    if (n + 2 > out.length) {
      const next = new Uint32Array(out.length * 2);
      next.set(out);
      out = next;
    }
    out[n++] = a;
    out[n++] = b;
  };
  while (i < len) {
    const c = text.charCodeAt(i);
    if (!isLineBreak(c)) {
      i++;
      continue;
    }
    push(s, i);
    i += c === 0x0d && i + 1 < len && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    s = i;
  }
  if (s < len) push(s, len);
  return out.subarray(0, n);
}

/** `text.count(sub)` over `[start, end)`: non-overlapping occurrences, left to right. */
export function countOccurrences(text: string, sub: string, start = 0, end = text.length): number {
  let count = 0;
  let i = text.indexOf(sub, start);
  while (i !== -1 && i + sub.length <= end) {
    count++;
    i = text.indexOf(sub, i + sub.length);
  }
  return count;
}

/** Compares two UTF-16 ranges of (possibly different) strings for equality. */
export function rangesEqual(a: string, as: number, ae: number, b: string, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a.charCodeAt(as + i) !== b.charCodeAt(bs + i)) return false;
  return true;
}

let letterRe: RegExp | undefined;

/**
 * Python `str.isalpha()` for one code point: general category Lu, Ll, Lt, Lm or Lo (`\p{L}`), using the
 * JavaScript engine's Unicode tables (Python 3.11 uses Unicode 14; later additions may differ).
 */
export function isAlphaCodePoint(cp: number): boolean {
  if (cp < 0x80) return ((cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a);
  letterRe ??= /^\p{L}$/u;
  return letterRe.test(String.fromCodePoint(cp));
}

let digitRe: RegExp | undefined;

/** Python `re` `\d` on a `str` pattern: a decimal digit, general category Nd. */
export function isDecimalCodePoint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  digitRe ??= /^\p{Nd}$/u;
  return digitRe.test(String.fromCodePoint(cp));
}

/** Number of UTF-16 units of the code point `cp`. */
export const unitsOf = (cp: number): number => (cp > 0xffff ? 2 : 1);

/** Sorts strings by code point, as Python's `sorted()` does (JavaScript's default sort uses UTF-16 units). */
export function sortByCodePoint(values: string[]): string[] {
  return values.sort((a, b) => {
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    for (;;) {
      const x = ia.next();
      const y = ib.next();
      if (x.done) return y.done ? 0 : -1;
      if (y.done) return 1;
      const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
      if (d !== 0) return d;
    }
  });
}
