/**
 * The order in which a query verifies its candidates: most promising first, so that a bounded number of exact
 * verifications goes to the candidates most likely to be duplicates, and greedy clustering can stop at the first
 * one found ≥ threshold.
 */

/** 2³²: a candidate's sort key is `rank · 2³² + slot`, exact in a float64 for ranks below 2²¹. */
const SLOT_SPAN = 0x100000000;
/**
 * {@link CandidateOrder.byRank} counts ranks (one counter per rank value, cleared per call) when the highest rank
 * is below `COUNTING_PER_SLOT · n + COUNTING_BASE`, so the counters never cost more than a few passes over the
 * candidates; MinHash ranks (at most `numPerm`) and Hamming distances (at most 64) are usually counted.
 */
const COUNTING_PER_SLOT = 4;
const COUNTING_BASE = 256;

/**
 * Dedupes candidate slots and orders them by a small integer rank (lower first), ties by slot (older kept documents
 * first): one numeric typed-array sort of `rank · 2³² + slot` keys. Scratch buffers are reused across queries.
 * @internal
 */
export class CandidateOrder {
  /** Per slot: its position in `slots` + 1 while it is in the current hit list (cleared after each call). */
  private seen: Int32Array = new Int32Array(64);
  /** After {@link distinct}: per position, the number of bands the slot shares with the query. */
  collisions: Int32Array = new Int32Array(64);
  /** After {@link distinct} with band ends: per position, the first band whose bucket held the slot (else -1). */
  bandOf: Int32Array = new Int32Array(64);
  /** {@link mostCollisions}: how many distinct slots have each collision count, and the slots of the cut-off count. */
  private histogram: Int32Array = new Int32Array(16);
  private ties: Int32Array = new Int32Array(64);
  private keys: Float64Array = new Float64Array(64);
  /** After {@link byRank}: per position, the rank of the slot there. */
  private ranks: Int32Array = new Int32Array(64);
  /** The ordered slots of the last call (valid up to the returned length). */
  slots: Int32Array = new Int32Array(64);

  /**
   * Puts the distinct slots of `hits` (a slot repeats once per LSH band it shares with the query) in `slots`, in
   * first-seen order, and how many bands each shares in `collisions`. With `ends` (one entry per band: band `b`'s
   * hits end at `ends[b]`, and the hits are `hits[0 … ends[bands − 1])`, see `SlotLsh.bandHits`), `bandOf` says
   * which band found each slot first; without, the hits are all of `hits` and `bandOf` holds -1.
   * Returns their number.
   */
  distinct(hits: readonly number[], ends?: Int32Array): number {
    const count = ends ? ends[ends.length - 1]! : hits.length;
    let max = 0;
    for (let i = 0; i < count; i++) if (hits[i]! > max) max = hits[i]!;
    if (max >= this.seen.length) this.seen = grownBytes(this.seen, max + 1);
    const seen = this.seen;
    this.reserve(count);
    const slots = this.slots;
    let n = 0;
    const collisions = this.collisions;
    const bandOf = this.bandOf;
    // The band of hit i: the first b with i < ends[b] (-1 throughout without ends).
    let band = ends ? 0 : -1;
    let end = ends ? ends[0]! : count;
    for (let i = 0; i < count; i++) {
      while (i >= end) end = ends![++band]!;
      const slot = hits[i]!;
      const at = seen[slot]!;
      if (at === 0) {
        collisions[n] = 1;
        bandOf[n] = band;
        slots[n++] = slot;
        seen[slot] = n; // position + 1
      } else collisions[at - 1]!++;
    }
    for (let i = 0; i < n; i++) seen[slots[i]!] = 0;
    return n;
  }

  /**
   * Moves the `keep` entries (of the first `n`, `keep` < `n`) with the most `collisions` (ties: lower slot first)
   * to `slots[0 … keep)`, the others to `slots[keep … n)`, each part in no particular order (`collisions` and
   * `bandOf` are then stale) — the first `keep` of {@link byRank} by `bands − collisions`, without the sort: a
   * count per collision value finds the cut-off count, and only the slots at exactly that count are compared.
   */
  mostCollisions(n: number, keep: number): void {
    const slots = this.slots;
    const collisions = this.collisions;
    let max = 0;
    for (let k = 0; k < n; k++) if (collisions[k]! > max) max = collisions[k]!;
    if (max >= this.histogram.length) this.histogram = new Int32Array(2 * max);
    const histogram = this.histogram;
    histogram.fill(0, 0, max + 1);
    for (let k = 0; k < n; k++) histogram[collisions[k]!]!++;
    // The cut-off count: every slot above it is kept, and `need` of the `histogram[cut]` slots at it.
    let cut = max;
    let above = 0;
    while (above + histogram[cut]! < keep) above += histogram[cut--]!;
    const need = keep - above;
    let lastSlot = 0x7fffffff; // the highest slot kept at the cut-off count
    if (need < histogram[cut]!) {
      if (this.ties.length < histogram[cut]!) this.ties = new Int32Array(2 * histogram[cut]!);
      let t = 0;
      for (let k = 0; k < n; k++) if (collisions[k] === cut) this.ties[t++] = slots[k]!;
      lastSlot = nthSmallest(this.ties, t, need - 1);
    }
    let m = 0;
    for (let k = 0; k < n; k++) {
      const c = collisions[k]!;
      const slot = slots[k]!;
      if (c > cut || (c === cut && slot <= lastSlot)) {
        slots[k] = slots[m]!;
        slots[m++] = slot;
      }
    }
  }

  /**
   * Orders the first `n` entries of `slots` by `rankOf(slot, position)` (a non-negative integer below 2²¹),
   * lowest first, ties by slot; `rank(k)` is then the rank of `slots[k]` (and `collisions` and `bandOf` are
   * stale). Small ranks (see {@link COUNTING_PER_SLOT}) are placed by a count per rank and only equal ranks compared;
   * others by one numeric sort of `rank · 2³² + slot` keys.
   */
  byRank(n: number, rankOf: (slot: number, position: number) => number): void {
    const slots = this.slots;
    const ranks = this.ranks;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const r = rankOf(slots[i]!, i);
      ranks[i] = r;
      if (r > max) max = r;
    }
    if (n > 1 && max < COUNTING_PER_SLOT * n + COUNTING_BASE) this.countingByRank(n, max);
    else if (n > 1) {
      const keys = this.keys;
      for (let i = 0; i < n; i++) keys[i] = ranks[i]! * SLOT_SPAN + slots[i]!;
      keys.subarray(0, n).sort();
      for (let i = 0; i < n; i++) {
        slots[i] = keys[i]! % SLOT_SPAN;
        ranks[i] = Math.floor(keys[i]! / SLOT_SPAN);
      }
    }
  }

  /** The rank of `slots[k]` after {@link byRank}. */
  rank(k: number): number {
    return this.ranks[k]!;
  }

  /** {@link byRank} for ranks (in `ranks`) of at most `max`: a counting sort, then each run of equal ranks by slot. */
  private countingByRank(n: number, max: number): void {
    if (max + 2 > this.histogram.length) this.histogram = new Int32Array(2 * (max + 2));
    const starts = this.histogram;
    starts.fill(0, 0, max + 2);
    const ranks = this.ranks;
    const slots = this.slots;
    for (let i = 0; i < n; i++) starts[ranks[i]! + 1]!++;
    for (let r = 1; r <= max + 1; r++) starts[r]! += starts[r - 1]!;
    // starts[r] is now where rank r begins; place each slot there (collisions is free scratch of the same size).
    const placed = this.collisions;
    for (let i = 0; i < n; i++) placed[starts[ranks[i]!]!++] = slots[i]!;
    // starts[r] is now where rank r ends.
    for (let r = 0, begin = 0; r <= max; r++) {
      const end = starts[r]!;
      for (let k = begin; k < end; k++) ranks[k] = r;
      if (end - begin > 16) placed.subarray(begin, end).sort();
      else {
        for (let k = begin + 1; k < end; k++) {
          const slot = placed[k]!;
          let j = k - 1;
          for (; j >= begin && placed[j]! > slot; j--) placed[j + 1] = placed[j]!;
          placed[j + 1] = slot;
        }
      }
      begin = end;
    }
    slots.set(placed.subarray(0, n));
  }

  /** Copies `candidates` into `slots`; returns their number. */
  take(candidates: readonly number[]): number {
    this.reserve(candidates.length);
    for (let i = 0; i < candidates.length; i++) this.slots[i] = candidates[i]!;
    return candidates.length;
  }

  private reserve(n: number): void {
    if (n <= this.keys.length) return;
    let cap = this.keys.length;
    while (cap < n) cap *= 2;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.collisions = new Int32Array(cap);
    this.bandOf = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
  }
}

/**
 * The value of rank `k` (0-based) in ascending order of the distinct values `a[0 … n)`, `k < n`; reorders them.
 * Quickselect with a median-of-three pivot; after 2·log₂ n + 8 rounds (an unlucky input) it sorts what is left,
 * so the work stays O(n log n) at worst. @internal
 */
export function nthSmallest(a: Int32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  for (let rounds = 2 * Math.log2(n) + 8; lo < hi; rounds--) {
    if (rounds <= 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k]!;
    }
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Hoare partition: a[lo … j] ≤ pivot ≤ a[j + 1 … hi].
    let i = lo - 1;
    let j = hi + 1;
    for (;;) {
      do i++; while (a[i]! < pivot);
      do j--; while (a[j]! > pivot);
      if (i >= j) break;
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    if (k <= j) hi = j;
    else lo = j + 1;
  }
  return a[k]!;
}

function grownBytes(a: Int32Array, n: number): Int32Array {
  let cap = a.length;
  while (cap < n) cap *= 2;
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
