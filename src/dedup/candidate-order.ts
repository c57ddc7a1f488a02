/**
 * The order in which a query verifies its candidates: most promising first, so that a bounded number of exact
 * verifications goes to the candidates most likely to be duplicates, and greedy clustering can stop at the first
 * one found ≥ threshold.
 */

/** 2³²: a candidate's sort key is `rank · 2³² + slot`, exact in a float64 for ranks below 2²¹. */
const SLOT_SPAN = 0x100000000;

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
  private keys: Float64Array = new Float64Array(64);
  /** The ordered slots of the last call (valid up to the returned length). */
  slots: Int32Array = new Int32Array(64);

  /**
   * Puts the distinct slots of `hits` (a slot repeats once per LSH band it shares with the query) in `slots`, in
   * first-seen order, and how many bands each shares in `collisions`. Returns their number.
   */
  distinct(hits: readonly number[]): number {
    let max = 0;
    for (let i = 0; i < hits.length; i++) if (hits[i]! > max) max = hits[i]!;
    if (max >= this.seen.length) this.seen = grownBytes(this.seen, max + 1);
    const seen = this.seen;
    this.reserve(hits.length);
    const slots = this.slots;
    let n = 0;
    const collisions = this.collisions;
    for (let i = 0; i < hits.length; i++) {
      const slot = hits[i]!;
      const at = seen[slot]!;
      if (at === 0) {
        collisions[n] = 1;
        slots[n++] = slot;
        seen[slot] = n; // position + 1
      } else collisions[at - 1]!++;
    }
    for (let i = 0; i < n; i++) seen[slots[i]!] = 0;
    return n;
  }

  /**
   * Orders the first `n` entries of `slots` by `rankOf(slot, position)` (a non-negative integer below 2²¹),
   * lowest first, ties by slot; `rank(k)` is then the rank of `slots[k]` (and `collisions` is stale).
   */
  byRank(n: number, rankOf: (slot: number, position: number) => number): void {
    const keys = this.keys;
    const slots = this.slots;
    for (let i = 0; i < n; i++) keys[i] = rankOf(slots[i]!, i) * SLOT_SPAN + slots[i]!;
    if (n > 1) keys.subarray(0, n).sort();
    for (let i = 0; i < n; i++) slots[i] = keys[i]! % SLOT_SPAN;
  }

  /** The rank of `slots[k]` after {@link byRank}. */
  rank(k: number): number {
    return Math.floor(this.keys[k]! / SLOT_SPAN);
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
  }
}

function grownBytes(a: Int32Array, n: number): Int32Array {
  let cap = a.length;
  while (cap < n) cap *= 2;
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
