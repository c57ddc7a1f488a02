/**
 * The cluster stage: union-find over every document of the run (global number = shard offset + ordinal), the
 * representative of each cluster chosen by the keep rule, then per shard the removed ordinals with the document
 * each one duplicates. Memory: 4 bytes per document (8 with `keep: 'longest'`, which needs the lengths).
 * A run against earlier runs (`--against`) puts their shards first and pins them: an earlier document is always
 * preferred to a new one, whatever the keep rule, so earlier documents are never the removed ones.
 * Internal module, not public API.
 */
import { findRoot, linkRoots } from '../dedup/union-find';

/** Union-find over the documents of all shards. */
export class ScaleClusters {
  /** Global number of each shard's ordinal 0, and the total at the end. */
  readonly offsets: Float64Array;
  private readonly parent: Uint32Array;
  /** Documents below this global number belong to earlier runs. */
  private readonly pinned: number;

  /**
   * @param counts - documents per shard
   * @param lengths - per global document its length (keep `'longest'`), or null (keep `'first'`)
   * @param pinnedShards - the first shards, from earlier runs: their documents are preferred to every other
   */
  constructor(counts: readonly number[], private readonly lengths: Uint32Array | null, pinnedShards = 0) {
    this.offsets = new Float64Array(counts.length + 1);
    for (let s = 0; s < counts.length; s++) this.offsets[s + 1] = this.offsets[s]! + counts[s]!;
    const total = this.offsets[counts.length]!;
    if (total > 0xfffffffe) throw new RangeError(`a staged run holds at most ${0xfffffffe} documents, got ${total}`);
    this.pinned = this.offsets[pinnedShards]!;
    this.parent = new Uint32Array(total);
    for (let i = 0; i < total; i++) this.parent[i] = i;
  }

  /** Total documents. */
  get size(): number {
    return this.parent.length;
  }

  /** Global number of (shard, ordinal). */
  global(shard: number, ordinal: number): number {
    return this.offsets[shard]! + ordinal;
  }

  /**
   * True when document `a` is kept rather than `b` (keep order: an earlier run's first, then longest when lengths
   * are given, then earliest).
   */
  private prefer(a: number, b: number): boolean {
    if (a < this.pinned !== b < this.pinned) return a < this.pinned;
    const L = this.lengths;
    if (L !== null && L[a] !== L[b]) return L[a]! > L[b]!;
    return a < b;
  }

  find(x: number): number {
    return findRoot(this.parent, x);
  }

  /** Joins the clusters of two global documents; the preferred root stays the root. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) linkRoots(this.parent, ra, rb, this.prefer(rb, ra));
  }

  /** The shard of a global document (binary search over the offsets). */
  shardOf(g: number): number {
    let lo = 0;
    let hi = this.offsets.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Removal records of shard `shard`: `[ordinal, repShard, repOrdinal]` for each removed document, by ordinal. */
  removals(shard: number): Uint32Array {
    const start = this.offsets[shard]!;
    const end = this.offsets[shard + 1]!;
    const out: number[] = [];
    for (let g = start; g < end; g++) {
      const r = this.find(g);
      if (r === g) continue;
      const rs = this.shardOf(r);
      out.push(g - start, rs, r - this.offsets[rs]!);
    }
    return Uint32Array.from(out);
  }
}
