/**
 * A compact set of 64-bit keys: open addressing with linear probing over one `Uint32Array` of `[hi, lo]`
 * pairs (8 bytes per slot, load factor at most 1/2, so 16–32 bytes per key), instead of a `Set` of BigInt
 * (~100 bytes per key and a BigInt allocation per lookup). The all-zero key marks an empty slot, so the key
 * `0:0` itself is kept in a separate flag.
 * Internal module, not public API.
 */
export class KeySet64 {
  private table: Uint32Array;
  private mask: number;
  private stored = 0;
  private hasZero = false;

  /** @param expected - how many keys to size for (the table grows as needed) */
  constructor(expected = 0) {
    let capacity = 16;
    while (capacity < expected * 2 && capacity < 2 ** 30) capacity *= 2;
    this.table = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  /** Number of keys in the set. */
  get size(): number {
    return this.stored + (this.hasZero ? 1 : 0);
  }

  /** Bytes held by the table. */
  get byteLength(): number {
    return this.table.byteLength;
  }

  /** Adds `hi:lo`; returns `true` if it was not in the set. */
  add(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      return true;
    }
    const t = this.table;
    let i = slotOf(hi, lo) & this.mask;
    for (;;) {
      const h = t[2 * i]!;
      const l = t[2 * i + 1]!;
      if ((h | l) === 0) break;
      if (h === hi && l === lo) return false;
      i = (i + 1) & this.mask;
    }
    t[2 * i] = hi;
    t[2 * i + 1] = lo;
    this.stored++;
    if (this.stored * 2 > this.mask + 1) this.grow();
    return true;
  }

  /** True if `hi:lo` is in the set. */
  has(hi: number, lo: number): boolean {
    if ((hi | lo) === 0) return this.hasZero;
    const t = this.table;
    let i = slotOf(hi, lo) & this.mask;
    for (;;) {
      const h = t[2 * i]!;
      const l = t[2 * i + 1]!;
      if ((h | l) === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** The keys as `[hi, lo]` pairs, in table order (deterministic for a given sequence of additions). */
  keys(): Uint32Array {
    const out = new Uint32Array(this.size * 2);
    let o = 0;
    if (this.hasZero) o = 2;
    const t = this.table;
    for (let i = 0; i < t.length; i += 2) {
      if ((t[i]! | t[i + 1]!) !== 0) {
        out[o++] = t[i]!;
        out[o++] = t[i + 1]!;
      }
    }
    return out;
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.table = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    this.stored = 0;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i]!;
      const l = old[i + 1]!;
      if ((h | l) !== 0) this.add(h, l);
    }
  }
}

/** Mixes both halves so that keys that differ only in `hi` still spread (keys are usually xxh64 output already). */
const slotOf = (hi: number, lo: number): number => (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
