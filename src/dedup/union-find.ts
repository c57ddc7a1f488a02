/**
 * Disjoint sets over 0…n−1 with path halving and union by priority, on growable typed arrays.
 * `union` keeps the root with the smaller *priority rank* as the representative, so the cluster's
 * representative is always the member the keep rule prefers.
 * Internal module, not public API.
 */
export class UnionFind {
  private parent: Int32Array = new Int32Array(16);
  private size: Int32Array = new Int32Array(16);
  /** rank[i]: position of element i in keep-priority order (lower = preferred). */
  private rank: Int32Array = new Int32Array(16);
  private count = 0;

  /** Adds element `count` (the next number) with priority `rank`; returns it. */
  add(rank: number): number {
    const i = this.count;
    if (i === this.parent.length) {
      this.parent = grown(this.parent);
      this.size = grown(this.size);
      this.rank = grown(this.rank);
    }
    this.parent[i] = i;
    this.size[i] = 1;
    this.rank[i] = rank;
    return this.count++;
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

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
