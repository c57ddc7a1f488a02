import { assertInteger, fail, integerRange } from '../internal/validate';
import { sais } from './sais';

/** The largest alphabet and the longest string {@link suffixArray} accepts (positions are int32). */
export const MAX_SUFFIX_ARRAY_LENGTH = 0x7fffffff;

function checkIds(name: string, ids: unknown): asserts ids is Uint32Array {
  if (!(ids instanceof Uint32Array)) fail(TypeError, name, 'a Uint32Array', ids);
}

/**
 * The suffix array of a string of integer symbols: the start positions of all its suffixes in
 * lexicographic order (a suffix that is a prefix of another sorts first). Built by SA-IS (Nong, Zhang
 * & Chan 2009) in linear time, whatever the input (a run of one symbol, all-distinct symbols, periodic
 * text); memory beyond the 4-byte-per-symbol output is 1 byte per symbol plus two tables of
 * `alphabetSize` int32 entries per recursion level (the reduced strings live inside the output).
 *
 * The symbols are whatever the caller chose: token ids, code points, bytes. Remap them densely to
 * `[0, alphabetSize)` first, as the tables are sized by the alphabet.
 *
 * @param ids - the string, one symbol per element, every symbol in `[0, alphabetSize)`
 * @param alphabetSize - one more than the largest symbol, an integer in [1, 2147483647]
 * @returns a new `Uint32Array` of `ids.length` positions: `sa[r]` is the start of the suffix of rank `r`
 * @throws TypeError if `ids` is not a `Uint32Array` or `alphabetSize` is not a number
 * @throws RangeError if `alphabetSize` is out of range or a symbol is `>= alphabetSize`
 * @example
 * ```ts
 * // "banana" as a=0, b=1, n=2: suffixes a, ana, anana, banana, na, nana
 * suffixArray(new Uint32Array([1, 0, 2, 0, 2, 0]), 3); // => new Uint32Array([5, 3, 1, 0, 4, 2])
 * ```
 */
export function suffixArray(ids: Uint32Array, alphabetSize: number): Uint32Array {
  checkIds('suffixArray: ids', ids);
  assertInteger('suffixArray: alphabetSize', alphabetSize, 1, MAX_SUFFIX_ARRAY_LENGTH);
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    if (ids[i]! >= alphabetSize) {
      fail(RangeError, `suffixArray: ids[${i}]`, `${integerRange(0, alphabetSize - 1)} (below alphabetSize)`, ids[i]);
    }
  }
  return suffixArrayUnchecked(ids, alphabetSize);
}

/**
 * {@link suffixArray} without validation, for callers that built `ids` themselves.
 * @internal
 */
export function suffixArrayUnchecked(ids: Uint32Array, alphabetSize: number): Uint32Array {
  const n = ids.length;
  // Every symbol is < alphabetSize <= 2^31 - 1, so the int32 view reads the same values without a copy.
  const T = new Int32Array(ids.buffer, ids.byteOffset, n);
  const SA = new Int32Array(n);
  sais(T, SA, n, alphabetSize);
  return new Uint32Array(SA.buffer, 0, n);
}

/**
 * The LCP array of a string and its suffix array (Kasai et al. 2001, linear time):
 * `lcp[r]` is the length of the longest common prefix of the suffixes of rank `r - 1` and `r`,
 * and `lcp[0] = 0`.
 *
 * @param ids - the string the suffix array was built from
 * @param sa - its suffix array, as returned by {@link suffixArray}
 * @returns a new `Uint32Array` of `ids.length` entries
 * @throws TypeError if `ids` or `sa` is not a `Uint32Array`
 * @throws RangeError if `sa` has a different length from `ids` or is not a permutation of its positions
 * @example
 * ```ts
 * const ids = new Uint32Array([1, 0, 2, 0, 2, 0]); // "banana"
 * const sa = suffixArray(ids, 3);                  // a, ana, anana, banana, na, nana
 * lcpArray(ids, sa); // => new Uint32Array([0, 1, 3, 0, 0, 2])
 * ```
 */
export function lcpArray(ids: Uint32Array, sa: Uint32Array): Uint32Array {
  checkIds('lcpArray: ids', ids);
  checkIds('lcpArray: sa', sa);
  const n = ids.length;
  if (sa.length !== n) fail(RangeError, 'lcpArray: sa.length', `the length of ids, ${n}`, sa.length);
  const seen = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const p = sa[r]!;
    if (p >= n || seen[p] === 1) {
      fail(RangeError, `lcpArray: sa[${r}]`, `a position from 0 to ${n - 1} not seen at an earlier rank (sa is a permutation)`, p);
    }
    seen[p] = 1;
  }
  return lcpArrayUnchecked(ids, sa);
}

/**
 * {@link lcpArray} without validation. Uses one temporary `Int32Array` (the inverse suffix array).
 * @internal
 */
export function lcpArrayUnchecked(ids: Uint32Array, sa: Uint32Array): Uint32Array {
  const n = ids.length;
  const lcp = new Uint32Array(n);
  if (n === 0) return lcp;
  const rank = new Int32Array(n);
  for (let r = 0; r < n; r++) rank[sa[r]!] = r;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i]!;
    if (r === 0) { h = 0; continue; }
    const j = sa[r - 1]!;
    while (i + h < n && j + h < n && ids[i + h] === ids[j + h]) h++;
    lcp[r] = h;
    if (h > 0) h--;
  }
  return lcp;
}
