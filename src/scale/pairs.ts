/**
 * The pairs stage: a k-way merge of one band's sorted runs (one per shard, read as streams of chunks), groups of
 * equal 64-bit hash, and inside each group the verified edges that connect it — enough edges to give the same
 * connected components as verifying every pair.
 * Internal module, not public API.
 */
import { candidateSimilarity } from '../dedup/verdict';
import type { PreparedDocument } from '../dedup/prepare';
import { BAND_WORDS, compareRecords } from './records';
import type { ScaleSetup } from './setup';

/** A sorted run, read chunk by chunk (each chunk whole records of 4 words); null at the end. */
export interface RunSource {
  next(): Promise<Uint32Array | null>;
}

class Cursor {
  chunk: Uint32Array = new Uint32Array(0);
  at = 0;
  constructor(readonly source: RunSource) {}
  /** Loads the next non-empty chunk; false at the end. */
  async fill(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      const next = await this.source.next();
      if (next === null) return false;
      this.chunk = next;
      this.at = 0;
    }
    return true;
  }
}

/**
 * Merges sorted runs and yields each group of records sharing a 64-bit hash and holding at least two records, as
 * `[shard, ordinal, shard, ordinal, …]` in (shard, ordinal) order. Throws when a run is out of order (a file that
 * passed its checksums but was not written sorted). Memory: one chunk per run and the current group.
 */
export async function* mergeGroups(sources: readonly RunSource[], what: (run: number) => string): AsyncGenerator<number[]> {
  const cursors: Cursor[] = [];
  for (const s of sources) {
    const c = new Cursor(s);
    if (await c.fill()) cursors.push(c);
  }
  const runOf = new Map<Cursor, number>(cursors.map((c) => [c, sources.indexOf(c.source)]));
  // A binary min-heap of cursors by their current record.
  const heap = cursors;
  const less = (a: Cursor, b: Cursor): boolean => {
    // compareRecords(…) < 0, unrolled: this runs once per record and heap level.
    const x = a.chunk;
    const y = b.chunk;
    const i = a.at;
    const j = b.at;
    if (x[i] !== y[j]) return x[i]! < y[j]!;
    if (x[i + 1] !== y[j + 1]) return x[i + 1]! < y[j + 1]!;
    if (x[i + 2] !== y[j + 2]) return x[i + 2]! < y[j + 2]!;
    return x[i + 3]! < y[j + 3]!;
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let hi = -1;
  let lo = -1;
  const group: number[] = [];
  let n = 0;
  const prev = new Uint32Array(BAND_WORDS);
  let started = false;
  while (heap.length > 0) {
    const c = heap[0]!;
    const w = c.chunk;
    const at = c.at;
    if (w[at] !== hi || w[at + 1] !== lo) {
      // Most hashes are unique: the group array is reused (n words in use), and copied only when it is yielded.
      if (n >= 4) yield group.slice(0, n);
      n = 0;
      hi = w[at]!;
      lo = w[at + 1]!;
    }
    group[n++] = w[at + 2]!;
    group[n++] = w[at + 3]!;
    c.at += BAND_WORDS;
    if (c.at < w.length) {
      if (compareRecords(w, c.at, w, at, BAND_WORDS) < 0) throw new Error(`${what(runOf.get(c)!)}: records out of order`);
    } else {
      prev.set(w.subarray(at, at + BAND_WORDS));
      if (!(await c.fill())) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      } else if (compareRecords(c.chunk, c.at, prev, 0, BAND_WORDS) < 0) {
        throw new Error(`${what(runOf.get(c)!)}: records out of order`);
      }
    }
    started = true;
    if (heap.length > 0) down(0);
  }
  if (started && n >= 4) yield group.slice(0, n);
}

/** Counters of a pairs task. */
export interface PairsStats {
  /** Groups of two or more documents sharing a band hash. */
  groups: number;
  /** Members of the largest group. */
  largestGroup: number;
  /** Groups larger than {@link OVERSIZED_GROUP}: processed in full, reported (usually boilerplate or templates). */
  oversizedGroups: number;
  /** Pairs verified. */
  candidates: number;
  /** Edges written. */
  edges: number;
}

/** A group above this size is reported in the task's stats (never truncated). */
export const OVERSIZED_GROUP = 1000;

/** Fresh counters. */
export const emptyPairsStats = (): PairsStats => ({ groups: 0, largestGroup: 0, oversizedGroups: 0, candidates: 0, edges: 0 });

/**
 * Edges of one group of band `band` (a real band: documents whose signatures agree on every row of the band are
 * candidates; each is verified against the members of each component found so far until one verifies). `refs` is
 * `[shard, ordinal, …]`; the edges are appended to `out` as `[shard, ordinal, shard, ordinal]`.
 */
export function groupEdges(setup: ScaleSetup, band: number, refs: readonly number[], docs: readonly PreparedDocument[], out: number[], stats: PairsStats): void {
  const n = docs.length;
  const { rows, options } = setup;
  stats.groups++;
  stats.largestGroup = Math.max(stats.largestGroup, n);
  if (n > OVERSIZED_GROUP) stats.oversizedGroups++;
  // Split by the band's actual values: a 64-bit hash collision is not a candidate (the in-memory rule, shareBand).
  const subgroups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const sig = docs[i]!.signature!;
    let placed = false;
    for (const g of subgroups) {
      const first = docs[g[0]!]!.signature!;
      let equal = true;
      for (let k = band * rows; k < band * rows + rows; k++) if (first[k] !== sig[k]) { equal = false; break; }
      if (equal) { g.push(i); placed = true; break; }
    }
    if (!placed) subgroups.push([i]);
  }
  for (const g of subgroups) {
    let components: number[][] = [];
    for (const m of g) {
      const joined: number[] = [m];
      const rest: number[][] = [];
      for (const comp of components) {
        let linked = false;
        for (const c of comp) {
          // The pair may also share an earlier band: then that band's task already decided it; verifying again
          // here gives the same answer (a pure function of the pair), so components do not depend on which task.
          stats.candidates++;
          if (candidateSimilarity(docs[m]!, docs[c]!, options) >= options.threshold) {
            out.push(refs[2 * c]!, refs[2 * c + 1]!, refs[2 * m]!, refs[2 * m + 1]!);
            stats.edges++;
            linked = true;
            break;
          }
        }
        if (linked) joined.push(...comp);
        else rest.push(comp);
      }
      rest.push(joined);
      components = rest;
    }
  }
}

/** Edges of one group of the exact-key band: identical normalized texts, chained (no verification). */
export function exactGroupEdges(refs: readonly number[], out: number[], stats: PairsStats): void {
  stats.groups++;
  stats.largestGroup = Math.max(stats.largestGroup, refs.length / 2);
  if (refs.length / 2 > OVERSIZED_GROUP) stats.oversizedGroups++;
  for (let i = 2; i < refs.length; i += 2) {
    out.push(refs[i - 2]!, refs[i - 1]!, refs[i]!, refs[i + 1]!);
    stats.edges++;
  }
}

/** Group members a pairs task holds at most before it looks their keys up (8 B each, plus the keys). */
export const GROUP_BATCH = 1 << 20;

/** Groups of a pairs task waiting for their members' exact keys: members as (shard, ordinal), group ends. */
export class GroupBatch {
  members = new Uint32Array(1024);
  size = 0;
  private ends: number[] = [];
  /** Adds a group (`[shard, ordinal, …]`); returns the members held. */
  add(refs: readonly number[]): number {
    const n = refs.length / 2;
    if (2 * (this.size + n) > this.members.length) {
      const next = new Uint32Array(Math.max(2 * this.members.length, 2 * (this.size + n)));
      next.set(this.members);
      this.members = next;
    }
    this.members.set(refs, 2 * this.size);
    this.size += n;
    this.ends.push(this.size);
    return this.size;
  }
  /** Calls `f(first, end)` for each group, in the order added. */
  forEach(f: (first: number, end: number) => void): void {
    let at = 0;
    for (const end of this.ends) {
      f(at, end);
      at = end;
    }
  }
  clear(): void {
    this.size = 0;
    this.ends = [];
  }
}
