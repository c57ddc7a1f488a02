/**
 * Code-point counting over UTF-16 strings: the one place the library turns a length in code units into a length
 * in code points (Python's `len`). Internal module, not public API.
 */

/**
 * Number of Unicode code points in `text.slice(start, end)`: a surrogate pair counts 1 and so does a lone
 * surrogate (Python `len(text[start:end])`). Unchecked: `0 ≤ start ≤ end ≤ text.length`.
 * @internal
 */
export function codePointLength(text: string, start = 0, end = text.length): number {
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
