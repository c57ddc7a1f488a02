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
    return findRoot(this.parent, x);
  }

  /** Joins the sets of a and b; returns the new root (the preferred representative of both). */
  union(a: number, b: number): number {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return ra;
    const root = linkRoots(this.parent, ra, rb, this.rank[rb]! < this.rank[ra]!);
    this.size[root]! += this.size[root === ra ? rb : ra]!;
    return root;
  }

  setSize(x: number): number {
    return this.size[this.find(x)]!;
  }
}

/**
 * The root of `x` in a parent array (an element is a root when it is its own parent), halving the path on the
 * way: each visited element is pointed at its grandparent. Shared by {@link UnionFind} and the staged run's
 * cluster stage, which keeps only this array (4 bytes per document).
 */
export function findRoot(parent: Int32Array | Uint32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
}

/** Attaches one of two distinct roots under the other: `rb` under `ra`, or `ra` under `rb` when `bFirst`. Returns the root kept. */
export function linkRoots(parent: Int32Array | Uint32Array, ra: number, rb: number, bFirst: boolean): number {
  if (bFirst) {
    parent[ra] = rb;
    return rb;
  }
  parent[rb] = ra;
  return ra;
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
