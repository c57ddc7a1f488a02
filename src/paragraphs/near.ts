/**
 * Near matching of the units of one text: each unit is compared with the units kept before it by the exact
 * Jaccard similarity of their character-shingle sets. Candidates come from prefix filtering (Bayardo,
 * Ma & Srikant 2007, "Scaling up all pairs similarity search"): with the shingles of every set ordered
 * rarest first, two sets with Jaccard ≥ t must share a shingle within the first `|x| − ⌈t·|x|⌉ + 1` of each,
 * so only units that share one of those few rare shingles, and whose sizes are within a factor t, are
 * verified. The result equals comparing every pair (no misses), as long as no unit has more than
 * `maxCandidates` candidates; past that bound the remaining candidates of that unit are skipped, which keeps
 * the worst case at O(units × maxCandidates) verifications.
 * @internal
 */


/** Smallest overlap a set of `size` shingles needs with another for Jaccard ≥ t (rounded down a hair for floats). */
const minOverlap = (size: number, t: number): number => Math.max(1, Math.ceil(t * size - 1e-9));

/** Exact Jaccard of two ascending, distinct Uint32Arrays. Two empty sets are 0 (nothing in common). */
export function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

export class NearUnitIndex {
  private readonly sets: (Uint32Array | undefined)[] = [];
  private lastSet: Uint32Array | undefined;
  private lastPrefix: Uint32Array | undefined;
  private readonly postings = new Map<number, number[]>();
  private readonly frequency: Map<number, number>;
  private stamp: Int32Array;
  private query = 0;

  /**
   * @param sets - the shingle sets of every unit that may be queried or inserted (ascending by value), used
   *   to count how many units hold each shingle (the rarest-first order)
   */
  constructor(
    sets: readonly (Uint32Array | undefined)[],
    private readonly threshold: number,
    private readonly maxCandidates: number,
  ) {
    const frequency = new Map<number, number>();
    for (const set of sets) {
      if (!set) continue;
      for (let i = 0; i < set.length; i++) frequency.set(set[i]!, (frequency.get(set[i]!) ?? 0) + 1);
    }
    this.frequency = frequency;
    this.stamp = new Int32Array(sets.length).fill(-1);
  }

  /** The set's shingles rarest first (ties by value), cut to the prefix length for the threshold. */
  private prefixOf(set: Uint32Array): Uint32Array {
    if (set === this.lastSet) return this.lastPrefix!;
    // Rarest first, ties by value: one packed float key per shingle (frequency × 2^32 + value, the frequency
    // capped at 2^20 so the key stays an exact integer; any fixed per-shingle key is a valid global order).
    const f = this.frequency;
    const keys = new Float64Array(set.length);
    for (let i = 0; i < set.length; i++) keys[i] = Math.min(f.get(set[i]!) ?? 0, 1 << 20) * 4294967296 + set[i]!;
    keys.sort();
    const length = set.length - minOverlap(set.length, this.threshold) + 1;
    const prefix = new Uint32Array(length);
    for (let i = 0; i < length; i++) prefix[i] = keys[i]! % 4294967296;
    this.lastSet = set;
    this.lastPrefix = prefix;
    return prefix;
  }

  /**
   * The kept unit most similar to `set` (highest Jaccard, ties: the earliest), if its similarity is at least
   * the threshold.
   */
  best(set: Uint32Array): { id: number; similarity: number } | undefined {
    if (set.length === 0) return undefined;
    const t = this.threshold;
    const prefix = this.prefixOf(set);
    const q = this.query++;
    const minSize = t * set.length - 1e-9;
    const maxSize = set.length / t + 1e-9;
    let examined = 0;
    // Every posting visited counts toward a bound too (skipped, repeated or size-filtered entries included), so a
    // crafted input with long posting lists of useless entries cannot make a query linear in the kept units.
    let visited = 0;
    const maxVisited = 8 * this.maxCandidates;
    let bestId = -1;
    let bestSim = -1;
    outer: for (let p = 0; p < prefix.length; p++) {
      const list = this.postings.get(prefix[p]!);
      if (!list) continue;
      for (let c = 0; c < list.length; c++) {
        if (visited++ >= maxVisited) break outer;
        const other = list[c]!;
        if (this.stamp[other] === q) continue;
        this.stamp[other] = q;
        const candidate = this.sets[other]!;
        const size = candidate.length;
        if (size < minSize || size > maxSize) continue;
        if (examined++ >= this.maxCandidates) break outer;
        const sim = sortedJaccard(set, candidate);
        if (sim >= t && (sim > bestSim || (sim === bestSim && other < bestId))) {
          bestSim = sim;
          bestId = other;
        }
      }
    }
    return bestId < 0 ? undefined : { id: bestId, similarity: bestSim };
  }

  /** Makes unit `id` (a kept unit) findable by later queries. */
  insert(id: number, set: Uint32Array): void {
    if (set.length === 0) return;
    const prefix = this.prefixOf(set);
    this.sets[id] = set;
    for (let p = 0; p < prefix.length; p++) {
      const list = this.postings.get(prefix[p]!);
      if (list) list.push(id);
      else this.postings.set(prefix[p]!, [id]);
    }
  }
}
