/**
 * Edit-distance similarity of two strings, in Unicode code points, on top of `fast-levenshtein`.
 */
import levenshtein from 'fast-levenshtein';
import { assertString } from '../internal/validate';

let surrogate: RegExp | undefined;

/**
 * Rewrites `a` and `b` so that every code point is one UTF-16 unit, consistently across both strings
 * (each distinct astral code point gets an unused BMP unit): Levenshtein over the result counts code
 * points. Returns `undefined` when that is impossible (more than 65,536 distinct units in use).
 */
function toOneUnitPerCodePoint(a: string, b: string): [string, string] | undefined {
  const used = new Uint8Array(0x10000);
  const astral = new Set<number>();
  for (const s of [a, b]) {
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp > 0xffff) astral.add(cp);
      else used[cp] = 1;
    }
  }
  const map = new Map<number, string>();
  let next = 0;
  for (const cp of astral) {
    while (next < 0x10000 && used[next]) next++;
    if (next === 0x10000) return undefined;
    map.set(cp, String.fromCharCode(next++));
  }
  const rewrite = (s: string): string => {
    let out = '';
    for (const ch of s) out += ch.length === 2 ? map.get(ch.codePointAt(0)!)! : ch;
    return out;
  };
  return [rewrite(a), rewrite(b)];
}

/**
 * Edit similarity `1 − levenshtein(a, b) / max(|a|, |b|)`, where the distance and the lengths count
 * **Unicode code points**: `fast-levenshtein` (v3, Myers' bit-parallel algorithm via
 * `fastest-levenshtein`) counts UTF-16 code units, so strings holding astral characters (emoji, rare CJK)
 * are first rewritten to one unit per code point; an emoji replaced by another is one edit, not two.
 * A lone surrogate counts as one code point. Unit costs for insertion, deletion and substitution;
 * the text is compared as given (normalize it first if wanted).
 *
 * Two empty strings have similarity **0** (like {@link jaccard}: empty texts are never duplicates). In the
 * unlikely case that the two strings together use more than 65,536 distinct code points, lengths and
 * distance fall back to UTF-16 units.
 * Time `O(|a|·|b| / 32)`; use it to verify candidate pairs, not to search.
 *
 * @param a - first string
 * @param b - second string
 * @returns a number in [0, 1]: 1 for equal non-empty strings, 0 for nothing in common
 * @throws TypeError if `a` or `b` is not a string
 * @example
 * ```ts
 * import { editRatio } from 'neardup';
 * editRatio('kitten', 'sitting'); // => 1 - 3 / 7
 * editRatio('same', 'same'); // => 1
 * editRatio('👍', '👎'); // => 0
 * editRatio('a👍', 'a👎'); // => 0.5
 * editRatio('', ''); // => 0
 * ```
 */
export function editRatio(a: string, b: string): number {
  assertString('editRatio: a', a);
  assertString('editRatio: b', b);
  if (a === b) return a.length === 0 ? 0 : 1;
  surrogate ??= /[\ud800-\udfff]/;
  let x = a;
  let y = b;
  let lenX = a.length;
  let lenY = b.length;
  if (surrogate.test(a) || surrogate.test(b)) {
    const rewritten = toOneUnitPerCodePoint(a, b);
    if (rewritten) [x, y] = rewritten;
    lenX = x.length;
    lenY = y.length;
  }
  const max = Math.max(lenX, lenY);
  return 1 - levenshtein.get(x, y) / max;
}
