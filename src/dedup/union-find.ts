/**
 * Disjoint sets over 0…n−1 with path halving and union by size, on typed arrays.
 * `union` keeps the root with the smaller *priority rank* as the representative, so the cluster's
 * representative is always the member the keep rule prefers.
 * Internal module, not public API.
 */
export class UnionFind {
  private parent: Int32Array;
  private size: Int32Array;
  /** rank[i]: position of element i in keep-priority order (lower = preferred). */
  private readonly rank: Int32Array;

  constructor(rank: Int32Array) {
    const n = rank.length;
    this.rank = rank;
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }

  /** Joins the sets of a and b; returns the new root (the preferred representative of both). */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.rank[rb]! < this.rank[ra]!) [ra, rb] = [rb, ra];
    // ra is the preferred representative; attach rb under it.
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return ra;
  }

  setSize(x: number): number {
    return this.size[this.find(x)]!;
  }
}
