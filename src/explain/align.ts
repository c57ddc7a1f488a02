/**
 * Word alignment of two sequences of word ids: a common subsequence, as long as possible.
 *
 * 1. A common prefix and suffix are matched first (this never shortens the longest common subsequence).
 * 2. A middle region of at most {@link EXACT_CELLS} word pairs is aligned exactly by the LCS dynamic program
 *    (O(n·m) time on at most 2²² cells, so bounded).
 * 3. A larger middle region is cut at anchors — words that occur exactly once in each side (else word pairs,
 *    4-grams or 8-grams that do), the longest run of them in the same order (patience diff, O(r log r) for r
 *    such grams) — and each gap between anchors is aligned again from step 1. A region too large for step 2
 *    with no such anchor is left unmatched.
 *
 * Step 3 is a heuristic: the result is always a common subsequence, and it is the longest one whenever step 3
 * never runs (`exact` in the result). Each pass of step 3 is linear in its region and their total is capped (see
 * {@link ANCHOR_BUDGET}); a work stack replaces recursion: no quadratic blow-up and no stack overflow on 1 MB texts.
 * Internal module, not public API.
 */

/** Largest middle region (words × words) aligned by the exact dynamic program: 2²² cells, 8 MB of Uint16. */
export const EXACT_CELLS = 1 << 22;

/**
 * Anchor work allowed, in multiples of the total word count. Natural and random texts use a few multiples; only
 * adversarial nestings come near it. With the exact regions, which are disjoint and at most {@link EXACT_CELLS}
 * each, the whole alignment is O((n + m)·√EXACT_CELLS) word comparisons in the worst case (about 4·10⁸ for two
 * 1 MB texts, about a second), and O(n + m) plus the differing regions' DP on near-copies.
 */
const ANCHOR_BUDGET = 64;

/** The aligned pairs: `a[pairs[2k]]` matches `b[pairs[2k + 1]]`, both increasing. */
export interface Alignment {
  readonly pairs: Uint32Array;
  /** Number of pairs. */
  readonly length: number;
  /** True when the alignment is a longest common subsequence (no anchored region). */
  readonly exact: boolean;
}

let table: Uint16Array | undefined;

/** Aligns `a` (length `n`) with `b` (length `m`); ids are in `[0, ids)`. */
export function align(a: Int32Array, n: number, b: Int32Array, m: number, ids: number): Alignment {
  let pairs = new Uint32Array(2 * Math.min(n, m) + 2);
  let length = 0;
  let exact = true;
  const emit = (i: number, j: number): void => {
    pairs[2 * length] = i;
    pairs[2 * length + 1] = j;
    length++;
  };
  // Occurrence counts and last positions per id, for anchors; zeroed again after each use.
  let countA: Int32Array | undefined;
  let countB: Int32Array | undefined;
  let posB: Int32Array | undefined;

  // Anchor passes cost about GRAMS.length × (rows + cols) each; regions nest, so their total is capped at a fixed
  // multiple of the input (a region met after the budget is spent stays unmatched): linear time on any input.
  let anchorBudget = ANCHOR_BUDGET * (n + m);
  // Work stack: [aLo, aHi, bLo, bHi] regions, or a pair to emit as [i, -1, j, -1]. Popped in order.
  const stack: number[] = [0, n, 0, m];
  while (stack.length > 0) {
    const bHi = stack.pop()!;
    let bLo = stack.pop()!;
    const aHi = stack.pop()!;
    let aLo = stack.pop()!;
    if (aHi === -1) {
      emit(aLo, bLo);
      continue;
    }
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) emit(aLo++, bLo++);
    let sa = aHi;
    let sb = bHi;
    while (sa > aLo && sb > bLo && a[sa - 1] === b[sb - 1]) {
      sa--;
      sb--;
    }
    // The suffix pairs are emitted after the middle: pushed first, popped last (pushed in reverse order).
    for (let k = aHi - sa - 1; k >= 0; k--) stack.push(sa + k, -1, sb + k, -1);
    const rows = sa - aLo;
    const cols = sb - bLo;
    if (rows === 0 || cols === 0) continue;
    if (rows * cols <= EXACT_CELLS) {
      length = lcs(a, aLo, sa, b, bLo, sb, emit, length);
      continue;
    }
    exact = false;
    anchorBudget -= GRAMS.length * (rows + cols);
    if (anchorBudget < 0) continue;
    countA ??= new Int32Array(ids);
    countB ??= new Int32Array(ids);
    posB ??= new Int32Array(ids);
    const { anchors, g } = anchorsOf(a, aLo, sa, b, bLo, sb, countA, countB, posB);
    // Regions and anchors (g pairs each), pushed in reverse so that they pop in order.
    let nextA = sa;
    let nextB = sb;
    for (let k = anchors.length - 2; k >= 0; k -= 2) {
      const i = anchors[k]!;
      const j = anchors[k + 1]!;
      stack.push(i + g, nextA, j + g, nextB);
      for (let t = g - 1; t >= 0; t--) stack.push(i + t, -1, j + t, -1);
      nextA = i;
      nextB = j;
    }
    if (anchors.length > 0) stack.push(aLo, nextA, bLo, nextB);
  }
  if (pairs.length > 2 * length) pairs = pairs.slice(0, 2 * length);
  return { pairs, length, exact };

  /** Exact LCS of a[aLo, aHi) and b[bLo, bHi) by dynamic programming; emits its pairs in order. */
  function lcs(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: (i: number, j: number) => void, len: number): number {
    const rows = aHi - aLo;
    const cols = bHi - bLo;
    const w = cols + 1;
    const cells = (rows + 1) * w;
    if (table === undefined || table.length < cells) table = new Uint16Array(Math.max(cells, 1024));
    const t = table;
    // t[i·w + j] = LCS length of a[aLo+i, aHi) and b[bLo+j, bHi): filled from the end.
    for (let j = 0; j <= cols; j++) t[rows * w + j] = 0;
    for (let i = rows - 1; i >= 0; i--) {
      const ai = a[aLo + i];
      const row = i * w;
      t[row + cols] = 0;
      for (let j = cols - 1; j >= 0; j--) {
        if (ai === b[bLo + j]) t[row + j] = t[row + w + j + 1]! + 1;
        else {
          const down = t[row + w + j]!;
          const right = t[row + j + 1]!;
          t[row + j] = down > right ? down : right;
        }
      }
    }
    let i = 0;
    let j = 0;
    while (i < rows && j < cols) {
      if (a[aLo + i] === b[bLo + j]) {
        out(aLo + i, bLo + j);
        len++;
        i++;
        j++;
      } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
      else j++;
    }
    return len;
  }
}

/** Gram sizes tried for anchors, in order: words unique in both sides, then unique word pairs, 4-grams, 8-grams. */
const GRAMS = [1, 2, 4, 8];

/**
 * Anchors of a region: the g-grams (g = 1, else the first of 2, 4, 8 that gives any) occurring exactly once in
 * a[aLo, aHi) and once in b[bLo, bHi), reduced to the longest run increasing in both (longest increasing
 * subsequence, O(r log r)) and to non-overlapping ones. Returns `[i, j, g]`: the g words from `i` match those from `j`.
 * Leaves both count arrays zeroed. Each gram size costs one linear pass over the region.
 */
function anchorsOf(
  a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number,
  countA: Int32Array, countB: Int32Array, posB: Int32Array,
): { anchors: number[]; g: number } {
  for (const g of GRAMS) {
    const candA: number[] = [];
    const candB: number[] = [];
    if (g === 1) {
      for (let i = aLo; i < aHi; i++) countA[a[i]!]!++;
      for (let j = bLo; j < bHi; j++) {
        countB[b[j]!]!++;
        posB[b[j]!] = j;
      }
      for (let i = aLo; i < aHi; i++) {
        const id = a[i]!;
        if (countA[id] === 1 && countB[id] === 1) {
          candA.push(i);
          candB.push(posB[id]!);
        }
      }
      for (let i = aLo; i < aHi; i++) countA[a[i]!] = 0;
      for (let j = bLo; j < bHi; j++) countB[b[j]!] = 0;
    } else {
      // Grams are keyed by a 32-bit hash of their ids; a candidate is checked word by word, so a collision can
      // only hide an anchor, never make a false one.
      const inA = new Map<number, number>(); // hash → count
      const inB = new Map<number, number>(); // hash → position, or −1 when repeated
      for (let i = aLo; i + g <= aHi; i++) {
        const h = gramHash(a, i, g);
        inA.set(h, (inA.get(h) ?? 0) + 1);
      }
      for (let j = bLo; j + g <= bHi; j++) {
        const h = gramHash(b, j, g);
        inB.set(h, inB.has(h) ? -1 : j);
      }
      for (let i = aLo; i + g <= aHi; i++) {
        const h = gramHash(a, i, g);
        const j = inB.get(h);
        if (inA.get(h) === 1 && j !== undefined && j >= 0 && sameGram(a, i, b, j, g)) {
          candA.push(i);
          candB.push(j);
        }
      }
    }
    if (candA.length === 0) continue;
    const run = increasingRun(candB);
    const anchors: number[] = [];
    let endA = aLo;
    let endB = bLo;
    for (const c of run) {
      const i = candA[c]!;
      const j = candB[c]!;
      if (i < endA || j < endB) continue; // overlaps the previous gram
      anchors.push(i, j);
      endA = i + g;
      endB = j + g;
    }
    return { anchors, g };
  }
  return { anchors: [], g: 1 };
}

function gramHash(x: Int32Array, i: number, g: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < g; k++) h = Math.imul(h ^ x[i + k]!, 0x01000193) >>> 0;
  return h;
}

function sameGram(a: Int32Array, i: number, b: Int32Array, j: number, g: number): boolean {
  for (let k = 0; k < g; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}

/** Indices of a longest strictly increasing subsequence of `v` (patience sorting with back links). */
function increasingRun(v: number[]): number[] {
  const r = v.length;
  const tails: number[] = []; // tails[k]: index ending the best run of length k + 1
  const prev = new Int32Array(r);
  for (let c = 0; c < r; c++) {
    const x = v[c]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[tails[mid]!]! < x) lo = mid + 1;
      else hi = mid;
    }
    prev[c] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = c;
  }
  const out = new Array<number>(tails.length);
  let c = tails.length > 0 ? tails[tails.length - 1]! : -1;
  for (let k = tails.length - 1; k >= 0; k--) {
    out[k] = c;
    c = prev[c]!;
  }
  return out;
}
