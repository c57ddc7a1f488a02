/**
 * Near matching of the units of one text: each unit is compared with the units kept before it by the exact
 * Jaccard similarity of their character-shingle sets. Candidates come from prefix filtering (Bayardo,
 * Ma & Srikant 2007, "Scaling up all pairs similarity search"): with the shingles of every set ordered
 * rarest first, two sets with Jaccard ≥ t must share a shingle within the first `|x| − ⌈t·|x|⌉ + 1` of each,
 * so only units that share one of those few rare shingles, and whose sizes are within a factor t, are
 * verified; prefixes two shingles longer let a candidate be required to share three of them (see SHARED), and
 * a verification stops as soon as the threshold is out of reach. The result equals comparing every pair (no
 * misses), as long as no unit has more than `maxCandidates` candidates and `8 × maxCandidates` posting
 * entries; past that bound only the `maxCandidates` candidates sharing the most prefix shingles among those
 * found are verified, which keeps the worst case at O(units × maxCandidates).
 * Internal module, not public API.
 */


/** Smallest overlap a set of `size` shingles needs with another for Jaccard ≥ t (rounded down a hair for floats). */
const minOverlap = (size: number, t: number): number => Math.max(1, Math.ceil(t * size - 1e-9));

/**
 * How many shingles the prefixes of a matching pair share at least (the ℓ of Wang, Li & Feng 2012, "Can we
 * beat the prefix filtering?"). Let I be the common shingles of x and y in the global order, |I| ≥ o(x) =
 * ⌈t·|x|⌉ and ≥ o(y). The k-th shingle of I has at most |x| − |I| shingles of x not in I before it, so it lies
 * within the first |x| − o(x) + k of x, and likewise for y: prefixes of length |x| − o(x) + ℓ (cut at |x|)
 * share the first min(ℓ, |I|) ≥ min(ℓ, o(x)) shingles of I. Two more shingles per prefix cost two more
 * posting lists per query, and a candidate must then share three of them: on text made of a small vocabulary,
 * where even the rarest shingles of a unit are common, most units share one prefix shingle with many others
 * but three with few (on 200-word English lines, 1M code units: 2.3 verifications per unit instead of 80 with
 * ℓ = 1, and 20 with ℓ = 2; each verification is a merge of two sets that are rarely in cache).
 */
const SHARED = 3;

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

/**
 * Work done by every {@link NearUnitIndex}: posting entries visited plus merge steps of verifications. Tests read
 * it to check that the work grows linearly with the input (a count, unlike a timing, is the same on a busy
 * machine). Internal; one increment per query and per verification, never per element.
 */
export const nearWork = { steps: 0 };

export class NearUnitIndex {
  private readonly sets: (Uint32Array | undefined)[] = [];
  private lastSet: Uint32Array | undefined;
  private lastPrefix: Uint32Array | undefined;
  private readonly postings = new Map<number, number[]>();
  private readonly frequency: Map<number, number>;
  /**
   * Three integers per unit, side by side so that a posting entry costs one cache line: the last query that
   * saw the unit, how many prefix shingles it shares with that query's set (0: size-filtered), and its number
   * of shingles (read without touching its set).
   */
  private readonly meta: Int32Array;
  /** The candidates of the current query: distinct units, so never more than the units or the entries visited. */
  private readonly found: Int32Array;
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
    this.meta = new Int32Array(3 * sets.length);
    for (let k = 0; k < sets.length; k++) this.meta[3 * k] = -1;
    this.found = new Int32Array(Math.min(sets.length, 8 * maxCandidates));
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
    const length = Math.min(set.length, set.length - minOverlap(set.length, this.threshold) + SHARED);
    const prefix = new Uint32Array(length);
    for (let i = 0; i < length; i++) prefix[i] = keys[i]! % 4294967296;
    this.lastSet = set;
    this.lastPrefix = prefix;
    return prefix;
  }

  /**
   * The kept unit most similar to `set` (highest Jaccard, ties: the earliest), if its similarity is at least
   * the threshold.
   *
   * Two phases. First the posting lists of the prefix are walked, at most `8 × maxCandidates` entries in all
   * (skipped, repeated and size-filtered entries count too, so long lists of useless entries cannot make a
   * query linear in the kept units), counting for each candidate how many prefix shingles it shares. Then at
   * most `maxCandidates` candidates are verified, those sharing the most prefix shingles first: when there
   * are fewer, every candidate is verified and the answer is that of comparing every pair.
   */
  best(set: Uint32Array): { id: number; similarity: number } | undefined {
    if (set.length === 0) return undefined;
    const t = this.threshold;
    const prefix = this.prefixOf(set);
    const q = this.query++;
    const minSize = t * set.length - 1e-9;
    const maxSize = set.length / t + 1e-9;
    const maxVisited = 8 * this.maxCandidates;
    const meta = this.meta;
    const found = this.found;
    let count = 0;
    let visited = 0;
    let mostShared = 0;
    outer: for (let p = 0; p < prefix.length; p++) {
      const list = this.postings.get(prefix[p]!);
      if (!list) continue;
      for (let c = 0; c < list.length; c++) {
        if (visited++ >= maxVisited) break outer;
        const other = list[c]!;
        const m = 3 * other;
        if (meta[m] === q) {
          // Seen before in this query: one more shared prefix shingle (size-filtered ones stay at 0).
          if (meta[m + 1]! > 0 && ++meta[m + 1]! > mostShared) mostShared = meta[m + 1]!;
          continue;
        }
        meta[m] = q;
        const size = meta[m + 2]!;
        if (size < minSize || size > maxSize) {
          meta[m + 1] = 0;
          continue;
        }
        meta[m + 1] = 1;
        if (mostShared === 0) mostShared = 1;
        found[count++] = other;
      }
    }
    nearWork.steps += visited;
    // Keep the candidates sharing at least `need` prefix shingles (see SHARED). If more than maxCandidates are
    // left, keep those sharing at least `cut`, the smallest `cut` that leaves at most maxCandidates of them, and
    // fill up with candidates sharing `cut − 1`, in the order found.
    const need = Math.min(SHARED, minOverlap(set.length, t));
    let cut = need;
    let room = 0;
    if (count > this.maxCandidates) {
      const histogram = new Int32Array(mostShared + 2);
      for (let k = 0; k < count; k++) histogram[meta[3 * found[k]! + 1]!]!++;
      let above = 0;
      cut = mostShared + 1;
      while (cut > need && above + histogram[cut - 1]! <= this.maxCandidates) above += histogram[--cut]!;
      room = cut > need ? this.maxCandidates - above : 0;
    }
    let verify = 0;
    for (let k = 0; k < count; k++) {
      const other = found[k]!;
      const s = meta[3 * other + 1]!;
      if (s >= cut || (s === cut - 1 && room-- > 0)) found[verify++] = other;
    }
    let bestId = -1;
    let bestSim = -1;
    for (let k = 0; k < verify; k++) {
      const other = found[k]!;
      const sim = this.verify(set, this.sets[other]!);
      if (sim >= t && (sim > bestSim || (sim === bestSim && other < bestId))) {
        bestSim = sim;
        bestId = other;
      }
    }
    return bestId < 0 ? undefined : { id: bestId, similarity: bestSim };
  }

  /**
   * {@link sortedJaccard} of `a` and `b` when it can reach the threshold, else 0 (which is below it). The merge
   * stops as soon as so many elements are unmatched that the intersection cannot reach the overlap Jaccard ≥ t
   * needs, `t·(|a| + |b|)/(1 + t)` (taken a hair low for floats; the final test is the same division as
   * sortedJaccard's). Most candidates are far below the threshold, so this reads a fraction of each set.
   */
  private verify(a: Uint32Array, b: Uint32Array): number {
    const t = this.threshold;
    const na = a.length;
    const nb = b.length;
    const need = Math.ceil((t * (na + nb)) / (1 + t) - 1e-6);
    const maxUnmatched = na + nb - 2 * need;
    let unmatched = 0;
    let i = 0;
    let j = 0;
    let inter = 0;
    while (i < na && j < nb) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) {
        inter++;
        i++;
        j++;
      } else {
        if (x < y) i++;
        else j++;
        if (++unmatched > maxUnmatched) break;
      }
    }
    nearWork.steps += i + j;
    return unmatched > maxUnmatched ? 0 : inter / (na + nb - inter);
  }

  /** Makes unit `id` (a kept unit) findable by later queries. */
  insert(id: number, set: Uint32Array): void {
    if (set.length === 0) return;
    const prefix = this.prefixOf(set);
    this.sets[id] = set;
    this.meta[3 * id + 2] = set.length;
    for (let p = 0; p < prefix.length; p++) {
      const list = this.postings.get(prefix[p]!);
      if (list) list.push(id);
      else this.postings.set(prefix[p]!, [id]);
    }
  }
}
