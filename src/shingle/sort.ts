/**
 * Sorting uint32 values in place, for shingle hashes (uniformly distributed values):
 *
 * - up to {@link INSERTION_UPTO} values: insertion sort;
 * - up to {@link RADIX_FROM}: one counting pass on the top ⌈log2 n⌉ + 1 bits (about half a value per bucket),
 *   a scatter, and an insertion pass that only moves values within their bucket — linear time for hash values,
 *   about twice as fast as `TypedArray.prototype.sort` from a few dozen values on. Buckets are checked first: if
 *   one holds more than {@link MAX_BUCKET} values (adversarial input), `TypedArray.prototype.sort` is used
 *   instead, so the worst case stays O(n log n);
 * - from {@link RADIX_FROM}: an LSD radix sort (4 passes of 8 bits).
 *
 * Scratch buffers are created on first use and reused across calls.
 * Internal module, not public API.
 */

/** Insertion sort up to this many values. */
export const INSERTION_UPTO = 12;
/** From this length on the LSD radix sort is used. */
export const RADIX_FROM = 1 << 13;
/** The bucket pass gives up (and `TypedArray.prototype.sort` runs) when a bucket holds more values than this. */
export const MAX_BUCKET = 32;
// Created on first use: nothing runs at import time.
let counts: Uint32Array | undefined;
let tmp: Uint32Array | undefined;
let bucketCounts: Int32Array | undefined;

/**
 * Sorts `a[0 … n)` ascending and moves its distinct values to the front, in place.
 * @returns the number of distinct values
 */
export function sortDistinct(a: Uint32Array, n: number): number {
  if (n === 0) return 0;
  if (n > INSERTION_UPTO && n < RADIX_FROM) {
    const m = bucketSortDistinct(a, n);
    if (m >= 0) return m;
    a.subarray(0, n).sort(); // a bucket overflowed: O(n log n) whatever the input
  } else {
    sortUint32(a, n);
  }
  let k = 1;
  for (let i = 1; i < n; i++) if (a[i] !== a[k - 1]) a[k++] = a[i]!;
  return k;
}

/** Sorts `a[0 … n)` ascending, in place. */
export function sortUint32(a: Uint32Array, n: number): void {
  if (n <= INSERTION_UPTO) {
    insertionSort(a, n);
    return;
  }
  if (n < RADIX_FROM) {
    if (bucketSortDistinct(a, n, false) < 0) a.subarray(0, n).sort();
    return;
  }
  radixSort(a, n);
}

function insertionSort(a: Uint32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * The bucket pass: counts by the top bits, scatters, then inserts each value into the sorted prefix (it moves
 * only within its bucket). With `distinct` (default) a value equal to one already placed is dropped and the
 * number of distinct values is returned; otherwise `n`. Returns -1, having changed nothing, when a bucket holds
 * more than {@link MAX_BUCKET} values.
 */
function bucketSortDistinct(a: Uint32Array, n: number, distinct = true): number {
  const bits = 32 - Math.clz32(n); // 2^bits buckets: n < 2^bits ≤ 2n
  const shift = 32 - bits;
  const buckets = 1 << bits;
  if (bucketCounts === undefined) bucketCounts = new Int32Array(2 * RADIX_FROM + 1);
  if (tmp === undefined || tmp.length < n) tmp = new Uint32Array(Math.max(n, 256, 2 * (tmp?.length ?? 0)));
  const c = bucketCounts;
  c.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) c[(a[i]! >>> shift) + 1]!++;
  let sum = 0;
  for (let b = 1; b <= buckets; b++) {
    const k = c[b]!;
    if (k > MAX_BUCKET) return -1;
    sum += k;
    c[b] = sum;
  }
  const t = tmp;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    t[c[v >>> shift]!++] = v;
  }
  // Values are now grouped by bucket in ascending bucket order: each insertion stays within its bucket.
  a[0] = t[0]!;
  let m = 1;
  for (let i = 1; i < n; i++) {
    const v = t[i]!;
    let j = m - 1;
    let last = a[j]!;
    if (last < v) {
      a[m++] = v; // the common case: v goes last
      continue;
    }
    while (last > v && --j >= 0) last = a[j]!;
    if (distinct && j >= 0 && last === v) continue;
    for (let q = m - 1; q > j; q--) a[q + 1] = a[q]!;
    a[j + 1] = v;
    m++;
  }
  return m;
}

/** LSD radix sort of `a[0 … n)`, 4 passes of 8 bits. */
function radixSort(a: Uint32Array, n: number): void {
  if (tmp === undefined || tmp.length < n) tmp = new Uint32Array(Math.max(n, 2 * (tmp?.length ?? 0)));
  const c = (counts ??= new Uint32Array(4 * 256));
  c.fill(0);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    c[v & 255]!++;
    c[256 + ((v >>> 8) & 255)]!++;
    c[512 + ((v >>> 16) & 255)]!++;
    c[768 + (v >>> 24)]!++;
  }
  for (let p = 0; p < 4; p++) {
    let sum = 0;
    const base = p * 256;
    for (let k = 0; k < 256; k++) {
      const t = c[base + k]!;
      c[base + k] = sum;
      sum += t;
    }
  }
  let src = a;
  let dst: Uint32Array = tmp;
  for (let p = 0; p < 4; p++) {
    const shift = p * 8;
    const base = p * 256;
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      dst[c[base + ((v >>> shift) & 255)]!++] = v;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // Four passes: the sorted values are back in `a`.
}
