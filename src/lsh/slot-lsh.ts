/**
 * The LSH band buckets of a `NearDuplicateDetector`, addressed by the detector's own slots: the same buckets,
 * hits and order as an {@link LshIndex} holding those slots as ids, in 60% of its memory (at 10^6 documents and
 * 13 bands, measured in the detector: 219 B per document against 370 with `LshIndex` and its id maps).
 *
 * Why a second structure: the detector's slots are append-only (a slot is never reused), so it needs none of
 * what lets `LshIndex` take any id and reuse its slots — no id array or `Map`, no back links for an eager unlink,
 * no query stamps (the detector dedupes hits itself). Per node (`slot * bands + band`, one per document and band)
 * it keeps the band key and the next node of the bucket (8 B, as `LshIndex` keeps next and prev); per band a
 * head-only open-addressing table of node numbers whose key is read through `keys[head]` (4 B a position where
 * `LshIndex`'s `IntTable` spends 8).
 *
 * Removal is lazy: `remove` marks the slot, and the walks that pass one of its nodes (queries; rebuilds and
 * `toBytes` at a bucket's head) unlink it — they know its predecessor — so each removed node is unlinked once, in O(1): removing
 * every member of a large bucket costs time linear in the bucket, never quadratic. A bucket whose nodes are all
 * removed becomes a tombstone that still names one of them (so its key stays readable), as `IntTable` keeps an
 * emptied bucket's key: reused when the key comes back, dropped by the next rebuild.
 *
 * The tables place, grow and rebuild exactly as `IntTable` does (same probe, same 3/4 growth trigger, same
 * `positionsFor` size, same rebuild order, emptied buckets dropped), so `toBytes` writes the bytes
 * `LshIndex.toBytes` would write for the same inserts (ids in slot order; `LshIndex` orders them by its own
 * slots, which differ from the detector's only after a removal), and `fromBytes` reads any `LshIndex` bytes
 * whose ids are slots.
 *
 * Internal module, not public API.
 */
import { Kind, sealEnvelope } from '../envelope';
import { ByteWriter, type ByteReader } from '../internal/bytes';
import { positionsFor } from '../internal/int-table';
import { describe } from '../internal/validate';
import { LSH_FORMAT_VERSION, LshIndex } from './lsh-index';

/** A table position that never held a bucket: ends a probe. */
const FREE = -1;
/**
 * A position whose bucket's nodes are all removed holds `TOMBSTONE - node` (≤ -2) for one of them, whose key stays
 * readable: the tombstone `IntTable` keeps for an emptied bucket, so a query stops there without reading the node.
 */
const TOMBSTONE = -2;
/** The node whose key a position's value `v` (≠ FREE) carries: its head, or the removed node of a tombstone. */
const keyNode = (v: number): number => (v >= 0 ? v : TOMBSTONE - v);
const MAX_NODES = 0x7fffffff;

/** Slot states. */
const ABSENT = 0;
/** Stored and in one bucket per band. */
const LINKED = 1;
/** Stored, never bucketed: the empty set's signature. */
const UNLINKED = 2;
/** Removed: its nodes are unlinked by the walks that pass them. */
const REMOVED = 3;

/** @internal */
export class SlotLsh {
  /** The banding, seed and scheme (an empty `LshIndex`: its parameters, its band keys and its byte header). */
  readonly params: LshIndex;
  readonly bands: number;
  readonly rows: number;
  /** Per node: its band key. */
  private keys = new Int32Array(0);
  /** Per node: the next (older) node of its bucket, or -1. */
  private next = new Int32Array(0);
  /** Per slot: ABSENT, LINKED, UNLINKED or REMOVED. */
  private state = new Uint8Array(0);
  private slotEnd = 0; // 1 + the highest slot ever stored
  private stored = 0; // slots stored and not removed
  /** Per band: bucket heads by position (a power of two of them), FREE where none, or a tombstone. */
  private readonly heads: Int32Array[] = [];
  /** Per band: positions holding a bucket, live or all removed (`IntTable`'s `used`). */
  private readonly used: Int32Array;
  /** Nodes passed by walks, removed ones included: operation counts for tests (never reset). */
  steps = 0;

  /** @param params - an empty index with the banding to use (only its parameters are read) */
  constructor(params: LshIndex) {
    this.params = params;
    this.bands = params.bands;
    this.rows = params.rows;
    for (let b = 0; b < this.bands; b++) this.heads.push(new Int32Array(positionsFor(0)).fill(FREE));
    this.used = new Int32Array(this.bands);
  }

  /** Number of stored slots (bucketed or not), removed ones excluded. */
  get size(): number {
    return this.stored;
  }

  /** Whether `slot` is stored (and not removed). */
  has(slot: number): boolean {
    const s = this.state[slot];
    return s === LINKED || s === UNLINKED;
  }

  /** {@link LshIndex.bandKeysInto}: false (and `keys` untouched) for the empty set's signature. */
  bandKeysInto(values: Uint32Array, keys: Int32Array): boolean {
    return this.params.bandKeysInto(values, keys);
  }

  /**
   * Stores `slot` with the band keys `keys` of its signature ({@link SlotLsh.bandKeysInto}), or null for the
   * empty set's signature (stored, never bucketed). Each slot is stored at most once, ever: a removed slot's nodes
   * may still sit in their buckets.
   * @throws RangeError when `slot` was stored before, or the index is full
   */
  insert(slot: number, keys: Int32Array | null): void {
    if (slot < this.state.length && this.state[slot] !== ABSENT) {
      throw new RangeError(`SlotLsh.insert: slot must be a slot never stored before, got ${slot}`);
    }
    if (slot >= this.state.length) this.grow(slot + 1);
    this.state[slot] = keys === null ? UNLINKED : LINKED;
    this.stored++;
    if (slot >= this.slotEnd) this.slotEnd = slot + 1;
    if (keys === null) return;
    const B = this.bands;
    for (let b = 0, node = slot * B; b < B; b++, node++) {
      const key = keys[b]!;
      this.keys[node] = key;
      this.link(b, key, node);
    }
  }

  /** Removes `slot` (its nodes are unlinked lazily); returns whether it was stored. */
  remove(slot: number): boolean {
    if (!this.has(slot)) return false;
    this.state[slot] = REMOVED;
    this.stored--;
    return true;
  }

  /**
   * {@link LshIndex.bandHits} for slots: for each band, the live slots in the bucket of `keys[b]`, newest first, at
   * most `maxPerBand` of them (removed nodes are skipped, unlinked and not counted), written from `out[0]` on;
   * band `b`'s hits end at `ends[b]`.
   * @returns true when some bucket held more than `maxPerBand` live slots (the answer is then a subset)
   */
  bandHits(keys: Int32Array, maxPerBand: number, out: number[], ends: Int32Array): boolean {
    const B = this.bands;
    if (this.stored === 0) {
      ends.fill(0, 0, B);
      return false;
    }
    const nodeKeys = this.keys;
    const next = this.next;
    const state = this.state;
    let truncated = false;
    let at = 0;
    let steps = 0;
    for (let b = 0; b < B; b++) {
      const t = this.heads[b]!;
      const m = t.length - 1;
      const key = keys[b]!;
      let j = key & m;
      let node: number;
      while ((node = t[j]!) !== FREE && nodeKeys[keyNode(node)] !== key) j = (j + 1) & m;
      let left = maxPerBand;
      let prev = -1;
      while (node >= 0) {
        steps++;
        const slot = (node / B) | 0;
        const after = next[node]!;
        if (state[slot] !== LINKED) {
          // Removed: unlink it; when it is all that is left of the bucket, the position becomes a tombstone.
          if (prev >= 0) next[prev] = after;
          else if (after >= 0) t[j] = after;
          else {
            t[j] = TOMBSTONE - node;
            break;
          }
          node = after;
          continue;
        }
        if (left-- === 0) {
          truncated = true;
          break;
        }
        out[at++] = slot;
        prev = node;
        node = after;
      }
      ends[b] = at;
    }
    this.steps += steps;
    return truncated;
  }

  /**
   * Serializes the buckets in {@link LshIndex.toBytes}'s layout, with the stored slots as ids (in slot order), or
   * `idOf(slot)` for each (the detector renumbers its slots densely when it saves): `LshIndex.fromBytes` reads it,
   * and so does {@link SlotLsh.fromBytes}.
   */
  toBytes(idOf: (slot: number) => number = (slot) => slot): Uint8Array {
    const w = new ByteWriter();
    this.params.writeParams(w);
    const B = this.bands;
    const docOf = new Int32Array(this.slotEnd);
    w.u32(this.stored);
    for (let slot = 0, d = 0; slot < this.slotEnd; slot++) {
      if (!this.has(slot)) continue;
      docOf[slot] = d++;
      w.id(idOf(slot));
    }
    const next = this.next;
    const state = this.state;
    for (let b = 0; b < B; b++) {
      const t = this.heads[b]!;
      let buckets = 0;
      for (let j = 0; j < t.length; j++) if (t[j] !== FREE && this.liveHead(t, j) >= 0) buckets++;
      w.u32(buckets);
      for (let j = 0; j < t.length; j++) {
        const head = t[j]!;
        // After liveHead, a live bucket's head is live and an emptied one is a tombstone.
        if (head < 0) continue; // FREE, or a tombstone
        let n = 0;
        for (let node = head; node >= 0; node = next[node]!) if (state[(node / B) | 0] === LINKED) n++;
        w.u32(this.keys[head]! >>> 0).u32(n);
        for (let node = head; node >= 0; node = next[node]!) if (state[(node / B) | 0] === LINKED) w.u32(docOf[(node / B) | 0]!);
      }
    }
    return sealEnvelope(Kind.LshIndex, LSH_FORMAT_VERSION, w);
  }

  /**
   * Reads bytes in {@link LshIndex.toBytes}'s layout whose ids are slots below `slots` (as
   * {@link SlotLsh.toBytes} and a detector's former `LshIndex` write them). Errors read as `LshIndex.fromBytes`'s.
   * @throws RangeError naming the problem for a truncated, corrupted or inconsistent buffer, or an id that is not
   *   a slot below `slots`
   */
  static fromBytes(bytes: Uint8Array, slots: number): SlotLsh {
    const { index, rd, payloadLength, bad } = LshIndex.readParams(bytes, 'LshIndex.fromBytes');
    const lsh = new SlotLsh(index);
    const B = lsh.bands;
    const docCount = rd.u32();
    // Each id takes at least 5 bytes: refuse absurd counts before allocating for them.
    if (docCount > (payloadLength - rd.offset) / 5) throw bad(`${docCount} documents cannot fit in ${payloadLength} bytes`);
    if (docCount > slots) throw bad(`${docCount} documents in ${slots} slots`);
    if (slots * B > MAX_NODES) throw bad(`${slots} slots × ${B} bands exceed the index's capacity`);
    lsh.grow(slots);
    const slotOf = new Int32Array(docCount);
    for (let d = 0; d < docCount; d++) {
      const id = rd.id();
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= slots) {
        throw bad(`document ${d} has id ${describe(id)}, not a slot below ${slots}`);
      }
      if (lsh.state[id] !== ABSENT) throw bad(`id ${id} appears twice`);
      lsh.state[id] = UNLINKED;
      slotOf[d] = id;
      if (id >= lsh.slotEnd) lsh.slotEnd = id + 1;
    }
    lsh.stored = docCount;
    const seenInBand = new Int32Array(docCount).fill(-1);
    const count = new Int32Array(docCount);
    for (let b = 0; b < B; b++) lsh.readBand(rd, b, slotOf, seenInBand, count, bad);
    rd.end();
    for (let d = 0; d < docCount; d++) {
      if (count[d] === B) lsh.state[slotOf[d]!] = LINKED;
      else if (count[d] !== 0) throw bad(`document ${d} is in ${count[d]} of ${B} bands`);
    }
    return lsh;
  }

  /**
   * Reads band `b`'s buckets into a new table sized once for all of them, linking each bucket's slots in order
   * (as `LshIndex.fromBytes` does, so the positions are the same); `seenInBand` and `count` track every
   * document's bands for the checks of `fromBytes`.
   */
  private readBand(
    rd: ByteReader, b: number, slotOf: Int32Array, seenInBand: Int32Array, count: Int32Array,
    bad: (message: string) => RangeError,
  ): void {
    const B = this.bands;
    const docCount = slotOf.length;
    const keys = this.keys;
    const next = this.next;
    const buckets = rd.u32();
    if (buckets > docCount) throw bad(`band ${b} has ${buckets} buckets for ${docCount} documents`);
    const t = new Int32Array(positionsFor(buckets)).fill(FREE);
    const m = t.length - 1;
    for (let k = 0; k < buckets; k++) {
      const key = rd.u32() | 0;
      const n = rd.u32();
      if (n === 0 || n > docCount) throw bad(`band ${b} bucket ${k} has ${n} documents`);
      let head = -1;
      let tail = -1;
      for (let i = 0; i < n; i++) {
        const doc = rd.u32();
        if (doc >= docCount) throw bad(`band ${b} lists document ${doc} of ${docCount}`);
        if (seenInBand[doc] === b) throw bad(`document ${doc} is in two buckets of band ${b}`);
        seenInBand[doc] = b;
        count[doc]!++;
        const node = slotOf[doc]! * B + b;
        keys[node] = key;
        next[node] = -1;
        if (tail < 0) head = node;
        else next[tail] = node;
        tail = node;
      }
      let j = key & m;
      for (let h: number; (h = t[j]!) !== FREE; j = (j + 1) & m) {
        if (keys[h] === key) throw bad(`band ${b} has key ${key >>> 0} twice`);
      }
      t[j] = head;
    }
    this.heads[b] = t;
    this.used[b] = buckets;
  }

  /** Makes room for slots `0 … slots − 1`. */
  private grow(slots: number): void {
    const B = this.bands;
    const most = Math.floor(MAX_NODES / B);
    if (slots > most) throw new RangeError(`SlotLsh.insert: the index is full (${most} slots × ${B} bands)`);
    let cap = Math.max(16, this.state.length);
    while (cap < slots) cap *= 2;
    cap = Math.min(cap, most);
    const keys = new Int32Array(cap * B);
    keys.set(this.keys);
    const next = new Int32Array(cap * B);
    next.set(this.next);
    const state = new Uint8Array(cap);
    state.set(this.state);
    this.keys = keys;
    this.next = next;
    this.state = state;
  }

  /** Puts `node` (its key already in `keys`) at the head of the bucket of `key` in band `b`. */
  private link(b: number, key: number, node: number): void {
    let t = this.heads[b]!;
    let m = t.length - 1;
    const keys = this.keys;
    let j = key & m;
    let head: number;
    while ((head = t[j]!) !== FREE && keys[keyNode(head)] !== key) j = (j + 1) & m;
    if (head === FREE) {
      // A new bucket: IntTable's growth rule, so the positions (and the order toBytes writes) are IntTable's.
      if ((this.used[b]! + 1) * 4 > t.length * 3) {
        t = this.rebuild(b);
        m = t.length - 1;
        j = key & m;
        while (t[j] !== FREE) j = (j + 1) & m;
      }
      this.used[b]!++;
    }
    // A new bucket or a tombstone starts a list; a removed head left in a list is unlinked by the next walk.
    this.next[node] = head >= 0 ? head : -1;
    t[j] = node;
  }

  /**
   * The first live node of the bucket at position `j` of table `t`, which becomes its head (the removed nodes
   * before it are unlinked), or -1 when every node is removed (the position then becomes a tombstone).
   */
  private liveHead(t: Int32Array, j: number): number {
    const B = this.bands;
    const next = this.next;
    const state = this.state;
    const head = t[j]!;
    let node = head;
    let steps = 0;
    while (node >= 0 && state[(node / B) | 0] !== LINKED) {
      steps++;
      node = next[node]!;
    }
    this.steps += steps;
    if (node >= 0) t[j] = node;
    else if (head >= 0) t[j] = TOMBSTONE - head;
    return node >= 0 ? node : -1;
  }

  /**
   * Rebuilds band `b`'s table for its live buckets plus one, at most half full, dropping the buckets whose nodes
   * are all removed, in position order (`IntTable`'s rebuild); returns the new table.
   */
  private rebuild(b: number): Int32Array {
    const old = this.heads[b]!;
    let live = 0;
    for (let p = 0; p < old.length; p++) {
      if (old[p] === FREE) continue;
      if (this.liveHead(old, p) >= 0) live++;
      else old[p] = FREE; // the old table is dropped: mark the bucket as gone
    }
    const t = new Int32Array(positionsFor(live + 1)).fill(FREE);
    const m = t.length - 1;
    const keys = this.keys;
    for (let p = 0; p < old.length; p++) {
      const head = old[p]!;
      if (head === FREE) continue;
      let j = keys[head]! & m;
      while (t[j] !== FREE) j = (j + 1) & m;
      t[j] = head;
    }
    this.heads[b] = t;
    this.used[b] = live;
    return t;
  }
}
