/**
 * The one open-addressing hash table of neardup, over a single `Int32Array`: integer keys of one or two 32-bit
 * words (`width` 1 or 2) to int32 values ≥ 0, linear probing, no allocation per operation and no BigInt. Used for
 * the bucket tables of `LshIndex` and `SimHashIndex` (32-bit band or block keys → head of a bucket's list) and
 * the exact-key tables of `NearDuplicateDetector` (64-bit xxh64 keys → slot), and the per-round key counts of
 * `RedisNearDuplicateDetector.addMany` (one table, cleared each round).
 *
 * Layout: position `j` holds `width` key words then its value, at `tab[j * (width + 1)]`. A value is a stored
 * int32 ≥ 0, {@link FREE} (the position never held a key: it ends a probe) or {@link EMPTY} (a tombstone: the key
 * stays, its value was removed; claiming that key again reuses the position, so a bucket emptied and refilled
 * keeps its place). Keys are expected to be hash values already (uniform bits): a 32-bit key starts probing at
 * `key & mask`; a 64-bit key mixes in its second word too, so keys that differ only there still spread.
 *
 * Growth: claiming a new key when more than 3/4 of the positions hold a key rebuilds the table for the live
 * keys plus one at most half full (at least 16 positions, a power of two) and drops the tombstones. Positions
 * are stable between rebuilds; a rebuild reports every moved value through `onMove`, so callers may keep
 * positions (e.g. back links from a list head to its bucket).
 *
 * Internal module, not public API.
 */

/** The value of a position that never held a key: ends a probe. */
export const FREE = -1;
/** The value of a position whose key stays but whose value was removed (a tombstone). */
export const EMPTY = -2;

const MIN_POSITIONS = 16;

/** The smallest power of two ≥ 16 and ≥ `2 * keys`: a table at most half full for `keys` keys (also the growth rule of `SlotLsh`'s head tables). */
export function positionsFor(keys: number): number {
  let c = MIN_POSITIONS;
  while (c < 2 * keys) c *= 2;
  return c;
}

/** @internal */
export class IntTable {
  /** Key words per position: 1 (32-bit keys `k0`) or 2 (64-bit keys as two words `k0`, `k1`, in any agreed order). */
  readonly width: 1 | 2;
  private readonly stride: number;
  private tab: Int32Array;
  private mask: number;
  private used = 0; // positions holding a key (with a value or a tombstone)
  private live = 0; // positions holding a value ≥ 0
  private readonly onMove: ((value: number, position: number) => void) | undefined;

  /**
   * @param width - key words: 1 for 32-bit keys, 2 for 64-bit keys
   * @param expected - how many keys to size for (it grows as needed)
   * @param onMove - told `(value, newPosition)` for every value a rebuild moves
   */
  constructor(width: 1 | 2, expected = 0, onMove?: (value: number, position: number) => void) {
    this.width = width;
    this.stride = width + 1;
    const positions = positionsFor(expected);
    this.tab = new Int32Array(positions * this.stride).fill(FREE);
    this.mask = positions - 1;
    this.onMove = onMove;
  }

  /** Number of keys holding a value. */
  get size(): number {
    return this.live;
  }

  /** Number of positions (a power of two); positions are `0 … capacity − 1`. */
  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get byteLength(): number {
    return this.tab.byteLength;
  }

  /**
   * The position of key `(k0, k1)` if the table holds it, else the FREE position where it would go (one probe
   * serves both lookups and additions). At width 1, `k1` is ignored.
   */
  private probe(k0: number, k1: number): number {
    const t = this.tab;
    const m = this.mask;
    if (this.width === 1) {
      let j = k0 & m;
      while (t[2 * j + 1] !== FREE && t[2 * j] !== k0) j = (j + 1) & m;
      return j;
    }
    let j = (k0 ^ Math.imul(k1, 0x9e3779b1)) & m;
    while (t[3 * j + 2] !== FREE && (t[3 * j] !== k0 || t[3 * j + 1] !== k1)) j = (j + 1) & m;
    return j;
  }

  /**
   * The position of key `(k0, k1)` (`k1` is ignored at width 1), or -1 when the table never held it. The value
   * there may be {@link EMPTY}.
   */
  find(k0: number, k1 = 0): number {
    const j = this.probe(k0 | 0, k1 | 0);
    return this.tab[j * this.stride + this.width] === FREE ? -1 : j;
  }

  /**
   * The position of key `(k0, k1)`, added with value {@link EMPTY} when absent. Adding may first rebuild the
   * table, which moves other keys (reported through `onMove`): positions found before a claim are stale after it.
   */
  claim(k0: number, k1 = 0): number {
    k0 |= 0;
    k1 |= 0;
    const j = this.probe(k0, k1);
    return this.tab[j * this.stride + this.width] === FREE ? this.place(j, k0, k1, EMPTY) : j;
  }

  /**
   * Adds key `(k0, k1)`, which the table must not hold yet, with value `value` (≥ 0, or {@link EMPTY}) in one
   * probe. Returns its position, or -1 (and changes nothing) when the table already holds the key. Like
   * {@link IntTable.claim}, it may rebuild the table.
   */
  add(k0: number, k1: number, value: number): number {
    k0 |= 0;
    k1 |= 0;
    const j = this.probe(k0, k1);
    return this.tab[j * this.stride + this.width] === FREE ? this.place(j, k0, k1, value) : -1;
  }

  /**
   * Adds `count` 32-bit keys at once (width 1): `keys[i]` with value `values[i]` (≥ 0), writing each one's position
   * to `positions[i]` — the bulk load of a table read back from bytes. The table is sized once for all of them, so
   * no key pays a growth check or moves another, and the probe is the one of {@link IntTable.add}.
   * @returns -1, or the index of the first key the table already held (a repeat); the keys before it are added
   */
  addAll(keys: Int32Array, values: Int32Array, count: number, positions: Int32Array): number {
    if (this.width !== 1) throw new RangeError('IntTable.addAll: width must be 1, got 2');
    if ((this.used + count) * 4 > (this.mask + 1) * 3) this.rebuild(this.live + count);
    const t = this.tab;
    const m = this.mask;
    let i = 0;
    for (; i < count; i++) {
      const k0 = keys[i]! | 0;
      let j = k0 & m;
      while (t[2 * j + 1] !== FREE) {
        if (t[2 * j] === k0) break;
        j = (j + 1) & m;
      }
      if (t[2 * j + 1] !== FREE) break;
      t[2 * j] = k0;
      t[2 * j + 1] = values[i]!;
      positions[i] = j;
    }
    this.used += i;
    this.live += i;
    return i === count ? -1 : i;
  }

  /** Writes an absent key at its FREE position `j` (found before any rebuild this needs), with `value`. */
  private place(j: number, k0: number, k1: number, value: number): number {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) {
      this.rebuild(this.live + 1);
      j = this.probe(k0, k1);
    }
    const t = this.tab;
    const s = this.stride;
    const w = this.width;
    t[j * s] = k0;
    if (w === 2) t[j * s + 1] = k1;
    t[j * s + w] = value;
    this.used++;
    if (value >= 0) this.live++;
    return j;
  }

  /** The value at a position: ≥ 0, {@link EMPTY} or {@link FREE}. */
  valueAt(position: number): number {
    return this.tab[position * this.stride + this.width]!;
  }

  /** Sets the value at a position that holds a key: a value ≥ 0, or {@link EMPTY} to remove it. */
  setValueAt(position: number, value: number): void {
    this.replaceAt(position, value);
  }

  /** Like {@link IntTable.setValueAt}, returning the value it replaces (≥ 0, or {@link EMPTY}). */
  replaceAt(position: number, value: number): number {
    const p = position * this.stride + this.width;
    const old = this.tab[p]!;
    if (old < 0) {
      if (value >= 0) this.live++;
    } else if (value < 0) this.live--;
    this.tab[p] = value;
    return old;
  }

  /** The first (or only) key word at a position. */
  keyAt(position: number): number {
    return this.tab[position * this.stride]!;
  }

  /** The second key word at a position (width 2). */
  key1At(position: number): number {
    return this.tab[position * this.stride + 1]!;
  }

  /** The value of key `(k0, k1)`, or -1 when it has none. */
  get(k0: number, k1 = 0): number {
    const t = this.tab;
    k0 |= 0;
    if (this.width === 1) {
      // The hot lookup of the LSH and SimHash queries, written out: one probe, no further call.
      const m = this.mask;
      for (let j = k0 & m; ; j = (j + 1) & m) {
        const v = t[2 * j + 1]!;
        if (v === FREE) return -1;
        if (t[2 * j] === k0) return v < 0 ? -1 : v;
      }
    }
    const v = t[3 * this.probe(k0, k1 | 0) + 2]!;
    return v < 0 ? -1 : v;
  }

  /** Gives key `(k0, k1)` the value `value` ≥ 0. */
  set(k0: number, k1: number, value: number): void {
    this.setValueAt(this.claim(k0, k1), value);
  }

  /** Removes the value of key `(k0, k1)`; returns whether it had one. */
  delete(k0: number, k1 = 0): boolean {
    const j = this.find(k0, k1);
    if (j < 0 || this.valueAt(j) < 0) return false;
    this.setValueAt(j, EMPTY);
    return true;
  }

  /** Removes every key, keeping the capacity: a table reused for one batch after another. */
  clear(): void {
    this.tab.fill(FREE);
    this.used = 0;
    this.live = 0;
  }

  /** Rebuilds the table for `keys` keys at most half full, keeping only the keys with a value. */
  private rebuild(keys: number): void {
    const old = this.tab;
    const s = this.stride;
    const w = this.width;
    const positions = positionsFor(keys);
    this.tab = new Int32Array(positions * s).fill(FREE);
    this.mask = positions - 1;
    const onMove = this.onMove;
    for (let p = 0; p < old.length; p += s) {
      const value = old[p + w]!;
      if (value < 0) continue;
      const k0 = old[p]!;
      const k1 = w === 2 ? old[p + 1]! : 0;
      const j = this.probe(k0, k1); // a FREE position: the keys are distinct
      const q = j * s;
      this.tab[q] = k0;
      if (w === 2) this.tab[q + 1] = k1;
      this.tab[q + w] = value;
      if (onMove !== undefined) onMove(value, j);
    }
    this.used = this.live;
  }
}
