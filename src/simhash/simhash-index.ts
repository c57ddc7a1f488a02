import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { mix32 } from '../hash/mix';
import { ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { EMPTY, IntTable } from '../internal/int-table';
import { assertId, assertInteger, assertOptions, describe, fail } from '../internal/validate';
import { assertFingerprint, popcount32 } from './simhash';


/**
 * Options of {@link SimHashIndex}.
 *
 * @example
 * ```ts
 * const options: SimHashIndexOptions = { maxDistance: 3, blocks: 5 };
 * new SimHashIndex(options).tables; // => 10
 * ```
 */
export interface SimHashIndexOptions {
  /** Largest Hamming distance a query returns, an integer in [0, 63]. Default 3. */
  maxDistance?: number;
  /**
   * Number of blocks the 64 bits are cut into, an integer in [maxDistance + 1, 64]; the index keeps one table
   * per choice of `blocks − maxDistance` blocks, C(blocks, maxDistance) tables in all (at most 1024).
   * Default maxDistance + 1: the fewest tables (least memory), each keyed by 64/blocks bits.
   */
  blocks?: number;
}

/**
 * Defaults of {@link SimHashIndex}: `maxDistance` 3 (`blocks` defaults to maxDistance + 1) and the most tables
 * an index may have.
 *
 * @example
 * ```ts
 * SIMHASH_INDEX_DEFAULTS; // => { maxDistance: 3, maxTables: 1024 }
 * ```
 */
export const SIMHASH_INDEX_DEFAULTS: Readonly<{
  /** Largest Hamming distance a query returns: 3 (allowed range [0, 63]). */
  maxDistance: number;
  /** Not a default but a limit: an index has at most 1024 tables, C(blocks, maxDistance) ≤ 1024. */
  maxTables: number;
}> = Object.freeze({
  maxDistance: 3,
  maxTables: 1024,
});

const FORMAT_VERSION = 1;
const NO_NODE = -1;

const SIMHASH_INDEX_KEYS = ['maxDistance', 'blocks'] as const;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * An index of 64-bit SimHash fingerprints that returns every stored fingerprint within Hamming distance
 * `maxDistance` of a query, using the block-permutation tables of Manku, Jain & Das Sarma (WWW 2007).
 *
 * The 64 bits are cut into `blocks` contiguous blocks (sizes differ by at most one). Two fingerprints within
 * distance d differ in at most d blocks, so they agree exactly on at least `blocks − d` of them: for every
 * choice of `blocks − d` blocks there is one table keyed by those bits, and a query looks up its own key in
 * each table and checks the candidates' exact distance. Results are therefore exact — never a fingerprint
 * beyond `maxDistance`, never one missed. More blocks mean more tables (memory) but longer keys (fewer
 * candidates per lookup): with the default `maxDistance + 1` blocks at d = 3, each of the 4 tables is keyed by
 * 16 bits, which suits up to a few million fingerprints; `blocks: d + 2` (10 tables keyed by 25–26 bits) suits
 * far more.
 *
 * Tables are `IntTable`s (src/internal/int-table.ts; keys are `lowbias32` hashes of the masked bits; a collision only
 * adds a candidate, which the distance check discards) whose buckets are linked lists through one `Int32Array`
 * of nodes. Fingerprints are stored as two uint32 halves.
 *
 * @example
 * ```ts
 * const index = new SimHashIndex({ maxDistance: 3 });
 * index.insert('a', 0xffn);
 * index.insert('b', 0x10ffn); // distance 1 from 'a'
 * index.insert('c', 0xffff0000n);
 * index.query(0x10ffn); // => ['b', 'a']
 * index.query(0xffff0001n); // => ['c']
 * SimHashIndex.fromBytes(index.toBytes()).query(0xffn); // => ['a', 'b']
 * ```
 */
export class SimHashIndex {
  /** Largest Hamming distance a query returns. */
  readonly maxDistance: number;
  /** Number of blocks the 64 bits are cut into. */
  readonly blocks: number;
  /** Number of tables: C(blocks, maxDistance). */
  readonly tables: number;

  private readonly maskHi: Int32Array;
  private readonly maskLo: Int32Array;
  private readonly tabs: IntTable[]; // per table: block key → head node of the bucket's list
  private hi = new Int32Array(0);
  private lo = new Int32Array(0);
  private seq = new Float64Array(0);
  private next = new Int32Array(0); // node = slot * tables + t
  private prev = new Int32Array(0); // back links, so remove() is O(tables), not O(bucket length)
  private stamp = new Uint32Array(0);
  private epoch = 0;
  private counter = 0;
  private slotsUsed = 0;
  private readonly free: number[] = [];
  private readonly ids: (DocId | undefined)[] = [];
  private readonly slotOf = new Map<DocId, number>();
  private readonly keys: Int32Array;

  /**
   * @param options - `maxDistance` (default 3, in [0, 63]) and `blocks` (default maxDistance + 1, in
   *   [maxDistance + 1, 64], with C(blocks, maxDistance) ≤ 1024)
   * @throws TypeError if `options` is not an object, has an unknown key or an option is not a number; RangeError if an option is
   *   out of range or the combination needs more than 1024 tables
   * @example
   * ```ts
   * const index = new SimHashIndex({ maxDistance: 2 });
   * [index.maxDistance, index.blocks, index.tables]; // => [2, 3, 3]
   * ```
   */
  constructor(options?: SimHashIndexOptions) {
    assertOptions('SimHashIndex', 'options', options, SIMHASH_INDEX_KEYS);
    const d = options?.maxDistance ?? SIMHASH_INDEX_DEFAULTS.maxDistance;
    assertInteger('SimHashIndex: options.maxDistance', d, 0, 63);
    const blocks = options?.blocks ?? d + 1;
    assertInteger('SimHashIndex: options.blocks', blocks, d + 1, 64);
    const tables = binomial(blocks, d);
    if (tables > SIMHASH_INDEX_DEFAULTS.maxTables) {
      fail(RangeError, 'SimHashIndex: options.blocks',
        `few enough for C(blocks, maxDistance ${d}) ≤ ${SIMHASH_INDEX_DEFAULTS.maxTables} tables (this needs ${tables}); use fewer blocks`, blocks);
    }
    this.maxDistance = d;
    this.blocks = blocks;
    this.tables = tables;
    // Block b covers bits [start[b], start[b + 1]); the first 64 mod blocks blocks are one bit longer.
    const start: number[] = [0];
    const base = Math.floor(64 / blocks);
    for (let b = 0; b < blocks; b++) start.push(start[b]! + base + (b < 64 % blocks ? 1 : 0));
    this.maskHi = new Int32Array(tables);
    this.maskLo = new Int32Array(tables);
    const keep = blocks - d;
    const chosen = Array.from({ length: keep }, (_, i) => i);
    for (let t = 0; t < tables; t++) {
      let mHi = 0;
      let mLo = 0;
      for (const b of chosen) {
        for (let bit = start[b]!; bit < start[b + 1]!; bit++) {
          if (bit < 32) mLo |= 1 << bit;
          else mHi |= 1 << (bit - 32);
        }
      }
      this.maskHi[t] = mHi;
      this.maskLo[t] = mLo;
      // Next combination in lexicographic order.
      let i = keep - 1;
      while (i >= 0 && chosen[i] === blocks - keep + i) i--;
      if (i >= 0) {
        chosen[i]!++;
        for (let j = i + 1; j < keep; j++) chosen[j] = chosen[j - 1]! + 1;
      }
    }
    this.tabs = Array.from({ length: tables }, () => new IntTable(1));
    this.keys = new Int32Array(tables);
  }

  /** Number of stored fingerprints. */
  get size(): number {
    return this.slotOf.size;
  }

  private computeKeys(hi: number, lo: number): void {
    const keys = this.keys;
    for (let t = 0; t < this.tables; t++) {
      keys[t] = mix32((hi & this.maskHi[t]!) ^ mix32(lo & this.maskLo[t]!)) | 0;
    }
  }

  private allocSlot(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotsUsed++;
    if (slot >= this.hi.length) {
      const cap = Math.max(64, 2 * this.hi.length);
      const grow = <T extends Int32Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T, n: number): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.hi = grow(this.hi, (n) => new Int32Array(n), cap);
      this.lo = grow(this.lo, (n) => new Int32Array(n), cap);
      this.seq = grow(this.seq, (n) => new Float64Array(n), cap);
      this.stamp = grow(this.stamp, (n) => new Uint32Array(n), cap);
      this.next = grow(this.next, (n) => new Int32Array(n), cap * this.tables);
      this.prev = grow(this.prev, (n) => new Int32Array(n), cap * this.tables);
    }
    return slot;
  }

  /**
   * Stores fingerprint `fp` under `id`.
   *
   * @param id - a string or finite number not already stored
   * @param fp - a 64-bit fingerprint from {@link simhash}, a bigint in [0, 2^64 − 1]
   * @returns nothing
   * @throws RangeError if `id` is already stored (remove it first); TypeError for a bad id or a non-bigint
   *   fingerprint; RangeError for a fingerprint outside [0, 2^64 − 1]
   * @example
   * ```ts
   * const index = new SimHashIndex();
   * index.insert('doc', 123n);
   * [index.has('doc'), index.size]; // => [true, 1]
   * ```
   */
  insert(id: DocId, fp: bigint): void {
    assertId('SimHashIndex.insert: id', id);
    assertFingerprint('SimHashIndex.insert: fp', fp);
    if (this.slotOf.has(id)) fail(RangeError, 'SimHashIndex.insert: id', 'an id not already in the index (remove it first to replace it)', id);
    this.add(id, Number(fp >> 32n) | 0, Number(fp & 0xffffffffn) | 0);
  }

  private add(id: DocId, hi: number, lo: number): void {
    const slot = this.allocSlot();
    this.ids[slot] = id;
    this.slotOf.set(id, slot);
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.seq[slot] = this.counter++;
    this.computeKeys(hi, lo);
    const T = this.tables;
    for (let t = 0; t < T; t++) {
      const tab = this.tabs[t]!;
      const head = tab.replaceAt(tab.claim(this.keys[t]!), slot * T + t); // the old head, or EMPTY
      if (head < 0) {
        this.next[slot * T + t] = NO_NODE;
      } else {
        this.next[slot * T + t] = head;
        this.prev[head] = slot * T + t;
      }
      this.prev[slot * T + t] = NO_NODE;
    }
  }

  /**
   * Removes the fingerprint stored under `id`.
   *
   * @param id - the id given to {@link SimHashIndex.insert}
   * @returns true if it was stored, false if not
   * @throws never
   * @example
   * ```ts
   * const index = new SimHashIndex();
   * index.insert(1, 5n);
   * [index.remove(1), index.remove(1), index.query(5n)]; // => [true, false, []]
   * ```
   */
  remove(id: DocId): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.computeKeys(this.hi[slot]!, this.lo[slot]!);
    const T = this.tables;
    const next = this.next;
    for (let t = 0; t < T; t++) {
      const node = slot * T + t;
      const before = this.prev[node]!;
      const after = next[node]!;
      if (after !== NO_NODE) this.prev[after] = before;
      if (before === NO_NODE) {
        const tab = this.tabs[t]!;
        tab.setValueAt(tab.find(this.keys[t]!), after === NO_NODE ? EMPTY : after);
      } else {
        next[before] = after;
      }
    }
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.free.push(slot);
    return true;
  }

  /**
   * Whether a fingerprint is stored under `id`.
   *
   * @param id - any value
   * @returns true if `id` was inserted and not removed
   * @throws never
   * @example
   * ```ts
   * new SimHashIndex().has('x'); // => false
   * ```
   */
  has(id: DocId): boolean {
    return this.slotOf.has(id);
  }

  /**
   * The fingerprint stored under `id`.
   *
   * @param id - any value
   * @returns the fingerprint, or undefined if `id` is not stored
   * @throws never
   * @example
   * ```ts
   * const index = new SimHashIndex();
   * index.insert('a', 2n ** 63n + 1n);
   * index.get('a'); // => 2n ** 63n + 1n
   * index.get('b'); // => undefined
   * ```
   */
  get(id: DocId): bigint | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    return (BigInt(this.hi[slot]! >>> 0) << 32n) | BigInt(this.lo[slot]! >>> 0);
  }

  /**
   * Every stored fingerprint within Hamming distance `maxDistance` of `fp`, each id once, nearest first
   * (ties in insertion order).
   *
   * @param fp - a 64-bit fingerprint, a bigint in [0, 2^64 − 1]
   * @returns the ids
   * @throws TypeError if `fp` is not a bigint; RangeError if it is outside [0, 2^64 − 1]
   * @example
   * ```ts
   * const index = new SimHashIndex({ maxDistance: 1 });
   * index.insert('x', 0b1111n);
   * index.insert('y', 0b1110n);
   * index.query(0b1110n); // => ['y', 'x']
   * index.query(0b1000n); // => []
   * ```
   */
  query(fp: bigint): DocId[] {
    return this.search(fp, 'SimHashIndex.query').map((m) => m.id);
  }

  /**
   * Like {@link SimHashIndex.query}, with each match's Hamming distance.
   *
   * @param fp - a 64-bit fingerprint, a bigint in [0, 2^64 − 1]
   * @returns `{ id, distance }` for every stored fingerprint within `maxDistance`, nearest first
   * @throws TypeError if `fp` is not a bigint; RangeError if it is outside [0, 2^64 − 1]
   * @example
   * ```ts
   * const index = new SimHashIndex();
   * index.insert('x', 0b111n);
   * index.queryWithDistance(0b100n); // => [{ id: 'x', distance: 2 }]
   * ```
   */
  queryWithDistance(fp: bigint): {
    /** The id of a stored fingerprint. */
    id: DocId;
    /** Its Hamming distance to `fp`, an integer in [0, maxDistance]. */
    distance: number;
  }[] {
    return this.search(fp, 'SimHashIndex.queryWithDistance').map((m) => ({ id: m.id, distance: m.distance }));
  }

  /**
   * The ids within `maxDistance` of `fp`, nearest first, reading at most `perTable` entries of each table's bucket
   * (newest first): the detector's bound on the work of one query when thousands of near-identical fingerprints
   * share a bucket. `truncated` tells whether some bucket held more (a match may then be missing). No checks.
   * @internal
   */
  boundedQuery(fp: bigint, perTable: number): { ids: DocId[]; truncated: boolean } {
    this.truncated = false;
    const ids = this.search(fp, 'SimHashIndex.boundedQuery', perTable).map((m) => m.id);
    return { ids, truncated: this.truncated };
  }

  /** Set by {@link SimHashIndex.search} when a bucket held more than `perTable` entries. */
  private truncated = false;

  private search(fp: bigint, what: string, perTable = Infinity): { id: DocId; distance: number; seq: number }[] {
    assertFingerprint(`${what}: fp`, fp);
    const out: { id: DocId; distance: number; seq: number }[] = [];
    if (this.slotOf.size === 0) return out;
    const qhi = Number(fp >> 32n) | 0;
    const qlo = Number(fp & 0xffffffffn) | 0;
    this.computeKeys(qhi, qlo);
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const T = this.tables;
    const d = this.maxDistance;
    const { next, stamp, hi, lo } = this;
    for (let t = 0; t < T; t++) {
      let read = 0;
      for (let node = this.tabs[t]!.get(this.keys[t]!); node >= 0; node = next[node]!) {
        if (read++ === perTable) {
          this.truncated = true;
          break;
        }
        const slot = (node / T) | 0;
        if (stamp[slot] === epoch) continue;
        stamp[slot] = epoch;
        const dist = popcount32(hi[slot]! ^ qhi) + popcount32(lo[slot]! ^ qlo);
        if (dist <= d) out.push({ id: this.ids[slot]!, distance: dist, seq: this.seq[slot]! });
      }
    }
    if (out.length > 1) out.sort((a, b) => a.distance - b.distance || a.seq - b.seq);
    return out;
  }

  /**
   * Serializes the index into the neardup envelope (kind `SimHashIndex`). Payload, little-endian:
   * maxDistance (u8), blocks (u8), count (u32), then per fingerprint in insertion order its id (tag u8 0 + f64,
   * or tag 1 + u32 length + UTF-8) and the high and low halves (u32 each). Tables are rebuilt on load.
   *
   * @returns the bytes; {@link SimHashIndex.fromBytes} restores an index that answers every query identically
   * @throws never
   * @example
   * ```ts
   * const index = new SimHashIndex({ maxDistance: 2 });
   * index.insert(1, 10n);
   * index.toBytes().length; // => 39
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter().u8(this.maxDistance).u8(this.blocks).u32(this.slotOf.size);
    const slots = [...this.slotOf.values()].sort((a, b) => this.seq[a]! - this.seq[b]!);
    for (const slot of slots) w.id(this.ids[slot]!).u32(this.hi[slot]! >>> 0).u32(this.lo[slot]! >>> 0);
    return sealEnvelope(Kind.SimHashIndex, FORMAT_VERSION, w);
  }

  /**
   * Restores an index written by {@link SimHashIndex.toBytes}.
   *
   * @param bytes - the serialized index
   * @returns a new index with the same options and fingerprints
   * @throws TypeError if `bytes` is not a Uint8Array; RangeError if it is not a neardup SimHash index (wrong
   *   magic, kind or version, truncated, corrupted, invalid options or duplicate ids)
   * @example
   * ```ts
   * const index = new SimHashIndex();
   * index.insert('a', 1n);
   * const copy = SimHashIndex.fromBytes(index.toBytes());
   * [copy.size, copy.query(3n)]; // => [1, ['a']]
   * ```
   */
  static fromBytes(bytes: Uint8Array): SimHashIndex {
    const what = 'SimHashIndex.fromBytes';
    const r = openEnvelope(bytes, Kind.SimHashIndex, FORMAT_VERSION, what);
    const maxDistance = r.u8();
    const blocks = r.u8();
    let index: SimHashIndex;
    try {
      index = new SimHashIndex({ maxDistance, blocks });
    } catch (e) {
      throw new RangeError(`${what}: invalid options in the buffer: ${(e as Error).message}`);
    }
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const id = r.id();
      if (typeof id === 'number' && !Number.isFinite(id)) throw new RangeError(`${what}: id ${i} is not a finite number`);
      if (index.slotOf.has(id)) throw new RangeError(`${what}: id ${describe(id)} appears twice`);
      const hi = r.u32() | 0;
      const lo = r.u32() | 0;
      index.add(id, hi, lo);
    }
    r.end();
    return index;
  }
}
