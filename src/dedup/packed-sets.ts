/**
 * Sorted shingle sets packed as LEB128 varints of their gaps (the first value is the gap from 0), and the
 * decode-and-merge kernel that computes an exact Jaccard similarity against such a set without unpacking it.
 */

/** Most bytes {@link packSet} writes for a value (a 32-bit gap in 7-bit groups). */
export const MAX_PACKED_BYTES = 5;

/** Bytes that {@link packSet} needs for `values` (at most {@link MAX_PACKED_BYTES} per value). */
export function packedLength(values: Uint32Array): number {
  let n = 0;
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const gap = values[i]! - prev;
    prev = values[i]!;
    n += gap < 0x80 ? 1 : gap < 0x4000 ? 2 : gap < 0x200000 ? 3 : gap < 0x10000000 ? 4 : 5;
  }
  return n;
}

/** Writes the strictly ascending `values` at `out[at…]` as varint gaps; returns the position after them. */
export function packSet(values: Uint32Array, out: Uint8Array, at: number): number {
  let prev = 0;
  let p = at;
  for (let i = 0; i < values.length; i++) {
    // A gap is below 2³²: `>>> 0` keeps it exact as uint32, and `>>> 7` / `& 0x7f` are exact on it (unlike `>>`,
    // and unlike `%` / `Math.floor` on a double, which cost a library call per byte: ~6% of `dedupe()` on Debian).
    let gap = (values[i]! - prev) >>> 0;
    prev = values[i]!;
    while (gap >= 0x80) {
      out[p++] = (gap & 0x7f) | 0x80;
      gap >>>= 7;
    }
    out[p++] = gap;
  }
  return p;
}

/** Unpacks `count` values packed at `bytes[at…]`. */
export function unpackSet(bytes: Uint8Array, at: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let p = at;
  let v = 0;
  for (let i = 0; i < count; i++) {
    let b = bytes[p++]!;
    let gap = b & 0x7f;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      b = bytes[p++]!;
      gap += (b & 0x7f) * scale;
    }
    v += gap;
    out[i] = v;
  }
  return out;
}

/**
 * Exact Jaccard similarity of the strictly ascending `a` and the `count` values packed at `bytes[at…]`: one merge
 * that decodes the packed set's values only as far as it needs them. Equal to `jaccard(a, unpackSet(…))`; two
 * empty sets have similarity 0.
 */
export function jaccardPacked(a: Uint32Array, bytes: Uint8Array, at: number, count: number): number {
  // At threshold 0 the early exit never fires (no similarity is below 0): the merge runs to the end, exactly.
  return jaccardPackedAtLeast(a, bytes, at, count, 0);
}

/**
 * {@link jaccardPacked} for a decision at `threshold`: the exact similarity when it is ≥ `threshold`; otherwise
 * some value below `threshold` (an upper bound of the similarity), found as soon as the values left cannot lift
 * the intersection high enough — a candidate far below the threshold costs part of a merge.
 */
export function jaccardPackedAtLeast(a: Uint32Array, bytes: Uint8Array, at: number, count: number, threshold: number): number {
  return overlapPackedAtLeast(a, bytes, at, count, threshold, false);
}

/**
 * Containment of the strictly ascending `a` in the `count` values packed at `bytes[at…]`, `|A ∩ B| / |A|`, for a
 * decision at `threshold`: the exact containment when it is ≥ `threshold`; otherwise some value below
 * `threshold` (an upper bound of the containment), found as soon as the values left cannot lift the intersection
 * high enough. An empty `a` has containment 0 (an empty text is no one's copy).
 */
export function containmentPackedAtLeast(a: Uint32Array, bytes: Uint8Array, at: number, count: number, threshold: number): number {
  return overlapPackedAtLeast(a, bytes, at, count, threshold, true);
}

/**
 * The one merge behind both measures: `a` against the packed set, decoding its values only as far as needed.
 * Both measures grow with the intersection, so `common` plus the values left on the shorter side bounds either
 * one from above; the bound is checked every 16 values.
 */
function overlapPackedAtLeast(a: Uint32Array, bytes: Uint8Array, at: number, count: number, threshold: number, containment: boolean): number {
  const na = a.length;
  if (na === 0 || count === 0) return 0;
  const total = na + count;
  let p = at;
  let i = 0;
  let k = 0;
  let y = 0;
  let common = 0;
  let x = a[0]!;
  for (;;) {
    let b = bytes[p++]!;
    let gap = b & 0x7f;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      b = bytes[p++]!;
      gap += (b & 0x7f) * scale;
    }
    y += gap;
    k++;
    while (x < y) {
      if (++i === na) return containment ? common / na : common / (total - common);
      x = a[i]!;
    }
    if (x === y) {
      common++;
      if (++i === na) break;
      x = a[i]!;
    }
    if (k === count) break;
    if ((k & 15) === 0) {
      const best = common + Math.min(na - i, count - k);
      const bound = containment ? best / na : best / (total - best);
      if (bound < threshold) return bound;
    }
  }
  return containment ? common / na : common / (total - common);
}
