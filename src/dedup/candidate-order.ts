/**
 * The order in which a query verifies its candidates: most promising first, so that a bounded number of exact
 * verifications goes to the candidates most likely to be duplicates, and greedy clustering can stop at the first
 * one found ≥ threshold.
 */

/** 2³²: a candidate's sort key is `rank · 2³² + slot`, exact in a float64 for ranks below 2²¹. */
const SLOT_SPAN = 0x100000000;

/**
 * Orders candidate slots by a small integer rank (lower first), ties by slot (older kept documents first):
 * one numeric typed-array sort of `rank · 2³² + slot` keys. Scratch buffers are reused across queries.
 * @internal
 */
export class CandidateOrder {
  /** Per slot: how many times it appeared in the current hit list (band collisions). */
  private counts: Uint16Array = new Uint16Array(64);
  private keys: Float64Array = new Float64Array(64);
  /** The ordered slots of the last call (valid up to the returned length). */
  slots: Int32Array = new Int32Array(64);

  /**
   * Orders the distinct slots of `hits` (a slot repeated once per LSH band it shares with the query) by band
   * collisions, most first; `bands` bounds the count. Returns how many distinct slots `slots` now holds.
   */
  byCollisions(hits: readonly number[], bands: number): number {
    let max = 0;
    for (let i = 0; i < hits.length; i++) if (hits[i]! > max) max = hits[i]!;
    if (max >= this.counts.length) this.counts = grown(this.counts, max + 1);
    const counts = this.counts;
    this.reserve(hits.length);
    const slots = this.slots;
    let n = 0;
    for (let i = 0; i < hits.length; i++) {
      const slot = hits[i]!;
      if (counts[slot]!++ === 0) slots[n++] = slot;
    }
    const keys = this.keys;
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!;
      keys[i] = (bands - counts[slot]!) * SLOT_SPAN + slot;
      counts[slot] = 0;
    }
    return this.finish(n);
  }

  /** Orders `slots` by `rankOf(slot)` (a non-negative integer below 2²¹), lowest first. Returns their number. */
  byRank(candidates: readonly number[], rankOf: (slot: number) => number): number {
    const n = candidates.length;
    this.reserve(n);
    for (let i = 0; i < n; i++) this.keys[i] = rankOf(candidates[i]!) * SLOT_SPAN + candidates[i]!;
    return this.finish(n);
  }

  private finish(n: number): number {
    const keys = this.keys.subarray(0, n);
    if (n > 1) keys.sort();
    const slots = this.slots;
    for (let i = 0; i < n; i++) slots[i] = keys[i]! % SLOT_SPAN;
    return n;
  }

  private reserve(n: number): void {
    if (n <= this.keys.length) return;
    let cap = this.keys.length;
    while (cap < n) cap *= 2;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap);
  }
}

function grown(a: Uint16Array, n: number): Uint16Array {
  let cap = a.length;
  while (cap < n) cap *= 2;
  const b = new Uint16Array(cap);
  b.set(a);
  return b;
}
