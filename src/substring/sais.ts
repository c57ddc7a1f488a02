/**
 * Suffix array construction by induced sorting (SA-IS: Nong, Zhang & Chan, "Two Efficient Algorithms
 * for Linear Time Suffix Array Construction", IEEE TC 2011), written for `Int32Array` strings over an
 * integer alphabet `[0, K)`. Linear time; memory is the output plus one byte per symbol for the L/S
 * types plus two bucket tables of `K` entries per recursion level (the reduced strings live inside the
 * output array).
 *
 * The end of the string behaves as a virtual sentinel smaller than every symbol, so a suffix that is a
 * proper prefix of another sorts first (`"a" < "ab"`), as in ordinary lexicographic order.
 * Internal module, not public API.
 */

/** Counts of each symbol: `bkt[c]` = number of occurrences of `c` in `T`. */
function countSymbols(T: Int32Array, n: number, K: number): Int32Array {
  const cnt = new Int32Array(K);
  for (let i = 0; i < n; i++) cnt[T[i]!]!++;
  return cnt;
}

/** Writes into `bkt` the start (`end === false`) or one-past-end (`end === true`) of each bucket. */
function bucketBounds(cnt: Int32Array, bkt: Int32Array, K: number, end: boolean): void {
  let sum = 0;
  if (end) {
    for (let c = 0; c < K; c++) { sum += cnt[c]!; bkt[c] = sum; }
  } else {
    for (let c = 0; c < K; c++) { bkt[c] = sum; sum += cnt[c]!; }
  }
}

/** `t[i] === 1` iff suffix `i` is S-type (smaller than suffix `i + 1`); the last suffix is L-type. */
function classify(T: Int32Array, n: number): Uint8Array {
  const t = new Uint8Array(n);
  // t[n - 1] = 0: the virtual sentinel after it is smaller.
  for (let i = n - 2; i >= 0; i--) {
    const a = T[i]!;
    const b = T[i + 1]!;
    t[i] = a < b || (a === b && t[i + 1] === 1) ? 1 : 0;
  }
  return t;
}

/** Induces the order of L-type suffixes (left to right) and then S-type suffixes (right to left). */
function induce(T: Int32Array, SA: Int32Array, t: Uint8Array, n: number, cnt: Int32Array, bkt: Int32Array, K: number): void {
  bucketBounds(cnt, bkt, K, false);
  // The virtual sentinel is the smallest suffix; the suffix just before it (n - 1) is L-type and is induced first.
  SA[bkt[T[n - 1]!]!++] = n - 1;
  for (let i = 0; i < n; i++) {
    const j = SA[i]! - 1;
    if (j >= 0 && t[j] === 0) SA[bkt[T[j]!]!++] = j;
  }
  bucketBounds(cnt, bkt, K, true);
  for (let i = n - 1; i >= 0; i--) {
    const j = SA[i]! - 1;
    if (j >= 0 && t[j] === 1) SA[--bkt[T[j]!]!] = j;
  }
}

/**
 * Fills `SA[0, n)` with the suffix array of `T[0, n)`, every symbol in `[0, K)`.
 * `SA` must not overlap `T` except as arranged by the recursion (the reduced string sits in `SA`'s tail,
 * the reduced suffix array in its head, and the reduced length is at most `n / 2`).
 */
export function sais(T: Int32Array, SA: Int32Array, n: number, K: number): void {
  if (n === 0) return;
  if (n === 1) { SA[0] = 0; return; }
  const t = classify(T, n);
  const cnt = countSymbols(T, n, K);
  const bkt = new Int32Array(K);

  // Stage 1: sort the LMS substrings by one round of induced sorting.
  SA.fill(-1, 0, n);
  bucketBounds(cnt, bkt, K, true);
  for (let i = 1; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) SA[--bkt[T[i]!]!] = i;
  induce(T, SA, t, n, cnt, bkt, K);

  // Compact the sorted LMS positions into SA[0, m).
  let m = 0;
  for (let i = 0; i < n; i++) {
    const p = SA[i]!;
    if (p > 0 && t[p] === 1 && t[p - 1] === 0) SA[m++] = p;
  }
  SA.fill(-1, m, n);

  // Name the LMS substrings: equal substrings get equal names, names follow the sorted order.
  let names = 0;
  let prev = -1;
  for (let i = 0; i < m; i++) {
    const pos = SA[i]!;
    let diff = false;
    if (prev < 0) diff = true;
    else {
      for (let d = 0; ; d++) {
        const a = pos + d;
        const b = prev + d;
        if (a >= n || b >= n || T[a] !== T[b] || t[a] !== t[b]) {
          diff = true;
          break;
        }
        // t[a] === t[b] here, so a is LMS exactly when b is.
        if (d > 0 && t[a] === 1 && t[a - 1] === 0) break;
      }
    }
    if (diff) { names++; prev = pos; }
    // LMS positions are at least two apart, so pos >> 1 is a distinct slot in SA[m, n).
    SA[m + (pos >> 1)] = names - 1;
  }
  // Gather the names, in text order, into the tail SA[n - m, n): the reduced string.
  for (let i = n - 1, j = n - 1; i >= m; i--) {
    const v = SA[i]!;
    if (v >= 0) SA[j--] = v;
  }
  const s1 = SA.subarray(n - m, n);
  const sa1 = SA.subarray(0, m);

  // Stage 2: sort the reduced string, recursively unless every name is distinct.
  if (names < m) sais(s1, sa1, m, names);
  else for (let i = 0; i < m; i++) sa1[s1[i]!] = i;

  // Stage 3: map reduced suffixes back to LMS positions and induce the full order.
  for (let i = 1, j = 0; i < n; i++) if (t[i] === 1 && t[i - 1] === 0) s1[j++] = i;
  for (let i = 0; i < m; i++) sa1[i] = s1[sa1[i]!]!;
  SA.fill(-1, m, n);
  bucketBounds(cnt, bkt, K, true);
  for (let i = m - 1; i >= 0; i--) {
    const p = SA[i]!;
    SA[i] = -1;
    SA[--bkt[T[p]!]!] = p;
  }
  induce(T, SA, t, n, cnt, bkt, K);
}
