/**
 * Exact set similarity of two shingle sets (sorted, distinct `Uint32Array`s) by a linear merge.
 */
import { fail } from '../internal/validate';

/**
 * Throws unless `value` is a strictly ascending `Uint32Array` (the form {@link shingles} returns).
 * @internal shared with the containment index
 */
export function assertSortedSet(name: string, value: unknown): asserts value is Uint32Array {
  if (!(value instanceof Uint32Array)) {
    fail(TypeError, name, 'a Uint32Array of sorted distinct values', value);
  }
  for (let i = 1; i < value.length; i++) {
    if (value[i]! <= value[i - 1]!) {
      fail(RangeError, `${name}[${i}]`, `greater than the value before it, ${value[i - 1]} (sorted ascending, distinct)`, value[i]);
    }
  }
}

/**
 * |a ∩ b| for two strictly ascending arrays: one linear merge. Unchecked.
 * @internal shared with the containment index
 */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  const na = a.length;
  const nb = b.length;
  while (i < na && j < nb) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return common;
}

/**
 * Exact Jaccard similarity `|a ∩ b| / |a ∪ b|` of two shingle sets, by a linear merge.
 *
 * Two empty sets have similarity **0**, not 1: texts with no shingles (empty or punctuation only) are
 * never taken for duplicates of each other.
 *
 * @param a - sorted distinct values, e.g. from {@link shingles}
 * @param b - sorted distinct values, e.g. from {@link shingles}
 * @returns a number in [0, 1]
 * @throws TypeError if an argument is not a `Uint32Array`; RangeError if one is not strictly ascending
 * @example
 * ```ts
 * import { jaccard, shingles } from 'neardup';
 * jaccard(Uint32Array.of(1, 2, 3), Uint32Array.of(2, 3, 4)); // => 0.5
 * jaccard(new Uint32Array(0), new Uint32Array(0)); // => 0
 * const s = shingles('the cat sat on the mat', { size: 2 });
 * jaccard(s, s); // => 1
 * ```
 */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  assertSortedSet('jaccard: a', a);
  assertSortedSet('jaccard: b', b);
  return jaccardSorted(a, b);
}

/**
 * {@link jaccard} without the argument checks, for callers that built both sets themselves (the detector
 * verifies thousands of candidates; re-checking its own arrays each time cost as much as the merge).
 * @internal
 */
export function jaccardSorted(a: Uint32Array, b: Uint32Array): number {
  const common = intersectionSize(a, b);
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}

/**
 * Containment `|a ∩ b| / |a|` of shingle set `a` in `b`: the share of `a`'s shingles that `b` also has
 * (1 when `a` is a subset of `b`, e.g. a paragraph quoted inside a longer text). Linear merge.
 * An empty `a` has containment **0**.
 *
 * @param a - sorted distinct values: the set whose containment is measured
 * @param b - sorted distinct values: the set it may be contained in
 * @returns a number in [0, 1]
 * @throws TypeError if an argument is not a `Uint32Array`; RangeError if one is not strictly ascending
 * @example
 * ```ts
 * import { containment } from 'neardup';
 * containment(Uint32Array.of(2, 3), Uint32Array.of(1, 2, 3, 4)); // => 1
 * containment(Uint32Array.of(1, 2, 3, 4), Uint32Array.of(2, 3)); // => 0.5
 * containment(new Uint32Array(0), Uint32Array.of(1)); // => 0
 * ```
 */
export function containment(a: Uint32Array, b: Uint32Array): number {
  assertSortedSet('containment: a', a);
  assertSortedSet('containment: b', b);
  return a.length === 0 ? 0 : intersectionSize(a, b) / a.length;
}
