import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { assertId, assertInteger, assertNumber, assertOptions, describe, fail } from '../internal/validate';
import { fmix32 } from '../hash/murmur3';
import { assertSortedSet, intersectionSize } from '../similarity/sets';

/**
 * Options of {@link ContainmentIndex}.
 * @example
 * ```ts
 * const exact: ContainmentIndexOptions = { threshold: 0.8 };
 * const sampled: ContainmentIndexOptions = { threshold: 0.8, sampleRate: 0.25, seed: 7 };
 * [exact, sampled].map((o) => new ContainmentIndex(o).sampleRate); // => [1, 0.25]
 * ```
 */
export interface ContainmentIndexOptions {
  /** Containment a match must reach, a number greater than 0 and at most 1. Default 0.8. */
  threshold?: number;
  /**
   * Share of shingle values the index posts, greater than 0 and at most 1. Default 1: every shingle is posted
   * and every match is found. Below 1 the index is smaller and a stored set sharing `k` shingles with the
   * query is found with probability `1 − (1 − sampleRate)^k` ({@link ContainmentIndex.collisionProbability}).
   */
  sampleRate?: number;
  /** Seed of the shingle order and sample, an integer from 0 to 2^32 − 1. Default 0. */
  seed?: number;
}

/**
 * Defaults of {@link ContainmentIndexOptions} (frozen).
 * @example
 * ```ts
 * CONTAINMENT_INDEX_DEFAULTS; // => { threshold: 0.8, sampleRate: 1, seed: 0 }
 * ```
 */
export const CONTAINMENT_INDEX_DEFAULTS: Readonly<Required<ContainmentIndexOptions>> =
  Object.freeze({ threshold: 0.8, sampleRate: 1, seed: 0 });

/**
 * One answer of {@link ContainmentIndex.containing} or {@link ContainmentIndex.containedIn}: a stored id and
 * the exact containment that qualified it.
 * @example
 * ```ts
 * const index = new ContainmentIndex({ threshold: 0.5 });
 * index.insert('long', Uint32Array.of(1, 2, 3, 4, 5, 6));
 * const match: ContainmentMatch = index.containing(Uint32Array.of(1, 2, 9))[0]!;
 * match; // => { id: 'long', containment: 2 / 3 }
 * ```
 */
export interface ContainmentMatch {
  /** The stored set's id. */
  readonly id: DocId;
  /** `|Q ∩ X| / |Q|` for {@link ContainmentIndex.containing}, `|Q ∩ X| / |X|` for {@link ContainmentIndex.containedIn}. */
  readonly containment: number;
}

const FORMAT_VERSION = 1;
const KEYS = ['threshold', 'sampleRate', 'seed'] as const;
const EMPTY = -1; // head of a table slot that holds no key
const MIN_TABLE = 16;
const TWO_32 = 4294967296;

/**
 * The least `k` with `k / n >= t` as floating point computes it, so the prefix filter and the verification
 * (which compares `k / n >= t`) agree to the last bit (`0.7 * 10` is 7.000000000000001, yet `7 / 10 >= 0.7`).
 */
export function minShared(n: number, t: number): number {
  let k = Math.ceil(t * n);
  while (k > 0 && (k - 1) / n >= t) k--;
  while (k / n < t) k++;
  return k;
}

/**
 * An index of shingle sets that answers containment queries in both directions, exactly:
 * {@link ContainmentIndex.containing} returns the stored sets `X` that hold at least `threshold` of the
 * query's shingles (`|Q ∩ X| / |Q| ≥ t`: where was this short text copied into?), and
 * {@link ContainmentIndex.containedIn} the stored sets mostly held in the query (`|Q ∩ X| / |X| ≥ t`: which
 * benchmark items does this document contain?). Sizes may differ by any factor.
 *
 * **Design: an inverted index with a prefix filter, not LSH Ensemble.** MinHash samples a pair's shingles
 * relative to their union, so a short text inside a text 100 times longer has a Jaccard similarity near
 * 0.008 and a MinHash LSH (even partitioned by size, as LSH Ensemble does) finds it only by chance. This
 * index instead posts each stored set's shingles (all of them, or a seeded sample) in hash tables keyed by
 * a bijective mix of the shingle value. Under that order, a query that must share `k` shingles with `X` is
 * sure to share one among its `|Q| − k + 1` first shingles (the prefix filter): a `containing` query
 * probes only those. Every candidate is verified by an exact merge of the two sorted sets, so precision is 1,
 * and with `sampleRate: 1` (the default) recall is 1 whatever the sizes. With `sampleRate: f < 1` the
 * index posts only the shingles whose mixed value falls in the lowest fraction `f` of the 32-bit range
 * (the same shingles in every set, so shared shingles are sampled together): a set sharing `k` shingles with
 * the query is found with probability `1 − (1 − f)^k` ({@link ContainmentIndex.collisionProbability}),
 * independent of either set's size (the property MinHash lacks for containment).
 *
 * **Cost.** Memory: each stored set is copied (4 bytes a shingle, for verification) and each posted shingle
 * costs 8 bytes of list node plus its share of the tables (8 bytes a distinct shingle, at most half full).
 * A query does one table probe per probed shingle and walks the lists it hits: shingles shared by very many
 * stored sets (boilerplate) make long lists, so discount them before indexing.
 *
 * **Semantics.** Ids are strings or finite numbers; inserting an id twice is an error. Sets are sorted,
 * distinct `Uint32Array`s (what `shingles` returns); the index copies them and never keeps the
 * caller's arrays. An empty stored set is never returned and an empty query returns nothing (an empty text
 * is no one's copy). Matches come sorted by containment, highest first, then by insertion order.
 *
 * @example
 * ```ts
 * const opts = { size: 3 };
 * const index = new ContainmentIndex({ threshold: 0.8 });
 * index.insert('article', shingles('the quick brown fox jumps over the lazy dog while the cat sleeps in the sun', opts));
 * index.insert('other', shingles('a completely different text about cooking pasta with garlic and olive oil', opts));
 * const quote = shingles('the quick brown fox jumps over the lazy dog', opts);
 * index.containing(quote); // => [{ id: 'article', containment: 1 }]
 * index.insert('quote', quote);
 * index.containedIn(shingles('the quick brown fox jumps over the lazy dog while the cat sleeps in the sun', opts));
 * // => [{ id: 'article', containment: 1 }, { id: 'quote', containment: 1 }]
 * ContainmentIndex.fromBytes(index.toBytes()).containing(quote).length; // => 2
 * ```
 */
export class ContainmentIndex {
  private readonly _threshold: number;
  private readonly _sampleRate: number;
  private readonly _seed: number;
  /** Mixed values below this are posted (2^32 when every shingle is). */
  private readonly cut: number;
  /** Xored into a shingle before the bijective mix, so the seed changes the order and the sample. */
  private readonly salt: number;

  // Documents by slot; removed slots hold undefined until a compaction renumbers them.
  private ids: (DocId | undefined)[] = [];
  private sets: (Uint32Array | undefined)[] = [];
  private posted: number[] = [];
  private readonly slotOf = new Map<DocId, number>();
  private stamp = new Uint32Array(0);
  private epoch = 0;

  // Posting lists: an open-addressing table from mixed shingle value to the newest node; nodes chain back.
  private tableKeys = new Uint32Array(MIN_TABLE);
  private tableHeads = new Int32Array(MIN_TABLE).fill(EMPTY);
  private distinct = 0;
  private nodeDoc = new Int32Array(64);
  private nodeNext = new Int32Array(64);
  private nodes = 0;
  private deadNodes = 0;
  private scratch = new Uint32Array(64);

  /**
   * Creates an empty index.
   * @param options - see {@link ContainmentIndexOptions}; defaults in {@link CONTAINMENT_INDEX_DEFAULTS}
   * @throws TypeError for an unknown option key or a wrong type, RangeError for a value out of range (naming
   *   the option, its allowed range and the value received)
   * @example
   * ```ts
   * const index = new ContainmentIndex({ threshold: 0.9 });
   * [index.threshold, index.sampleRate, index.seed, index.size]; // => [0.9, 1, 0, 0]
   * ```
   */
  constructor(options?: ContainmentIndexOptions) {
    const at = 'ContainmentIndex: options';
    assertOptions('ContainmentIndex', 'options', options, KEYS);
    const o = options ?? {};
    const threshold = o.threshold ?? CONTAINMENT_INDEX_DEFAULTS.threshold;
    assertNumber(`${at}.threshold`, threshold, 0, 1, true);
    const sampleRate = o.sampleRate ?? CONTAINMENT_INDEX_DEFAULTS.sampleRate;
    assertNumber(`${at}.sampleRate`, sampleRate, 0, 1, true);
    const seed = o.seed ?? CONTAINMENT_INDEX_DEFAULTS.seed;
    assertInteger(`${at}.seed`, seed, 0, 0xffffffff);
    this._threshold = threshold;
    this._sampleRate = sampleRate;
    this._seed = seed;
    this.cut = sampleRate * TWO_32;
    this.salt = fmix32((seed ^ 0x9e3779b9) >>> 0);
  }

  /** The containment a match must reach. */
  get threshold(): number {
    return this._threshold;
  }
  /** The share of shingle values posted (1: all, every match found). */
  get sampleRate(): number {
    return this._sampleRate;
  }
  /** The seed of the shingle order and sample. */
  get seed(): number {
    return this._seed;
  }
  /** Number of stored sets (including empty ones). */
  get size(): number {
    return this.slotOf.size;
  }

  /**
   * The probability that a stored set sharing `sharedShingles` shingles with the query is a candidate (and,
   * being verified exactly, returned when its containment reaches the threshold): `1 − (1 − sampleRate)^k`,
   * which is 1 for every `k ≥ 1` at the default `sampleRate: 1`. A query of `q` shingles at containment `c`
   * shares `⌈c·q⌉` of them; the probability depends on neither set's size. (It treats the mixed shingle
   * values as uniformly random, which they are for hashed shingles.)
   * @param sharedShingles - `|Q ∩ X|`, an integer of at least 0
   * @returns the probability, in [0, 1]
   * @throws TypeError or RangeError when `sharedShingles` is not an integer of at least 0
   * @example
   * ```ts
   * new ContainmentIndex().collisionProbability(1); // => 1
   * const sampled = new ContainmentIndex({ sampleRate: 0.1 });
   * sampled.collisionProbability(40).toFixed(3); // => '0.985'
   * sampled.collisionProbability(0); // => 0
   * ```
   */
  collisionProbability(sharedShingles: number): number {
    assertInteger('ContainmentIndex.collisionProbability: sharedShingles', sharedShingles, 0, Number.MAX_SAFE_INTEGER);
    if (sharedShingles === 0) return 0;
    return this._sampleRate === 1 ? 1 : 1 - (1 - this._sampleRate) ** sharedShingles;
  }

  /**
   * Stores set `id`. The set is copied.
   * @param id - a string or finite number not already in the index
   * @param shingles - sorted distinct values, e.g. from `shingles`
   * @returns nothing
   * @throws TypeError for a bad id or a set that is not a `Uint32Array`; RangeError when the id is already
   *   stored or the set is not strictly ascending
   * @example
   * ```ts
   * const index = new ContainmentIndex();
   * index.insert(1, Uint32Array.of(3, 5, 8));
   * [index.has(1), index.size]; // => [true, 1]
   * ```
   */
  insert(id: DocId, shingles: Uint32Array): void {
    assertId('ContainmentIndex.insert: id', id);
    assertSortedSet('ContainmentIndex.insert: shingles', shingles);
    if (this.slotOf.has(id)) fail(RangeError, 'ContainmentIndex.insert: id', 'an id not already in the index', id);
    this.add(id === 0 ? 0 : id, shingles.slice());
  }

  /**
   * The stored sets that hold at least `threshold` of the query's shingles: `|Q ∩ X| / |Q| ≥ t`, exactly
   * (with `sampleRate` below 1, each with the probability {@link ContainmentIndex.collisionProbability} gives).
   * @param shingles - the query: sorted distinct values
   * @returns the matches, highest containment first, then in insertion order; `[]` for an empty query
   * @throws TypeError when `shingles` is not a `Uint32Array`; RangeError when it is not strictly ascending
   * @example
   * ```ts
   * const index = new ContainmentIndex({ threshold: 0.75 });
   * index.insert('big', Uint32Array.from({ length: 100 }, (_, i) => i));
   * index.insert('small', Uint32Array.of(1, 2));
   * index.containing(Uint32Array.of(1, 2, 3, 500)); // => [{ id: 'big', containment: 0.75 }]
   * ```
   */
  containing(shingles: Uint32Array): ContainmentMatch[] {
    assertSortedSet('ContainmentIndex.containing: shingles', shingles);
    return this.search(shingles, true);
  }

  /**
   * The stored sets of which at least `threshold` is in the query: `|Q ∩ X| / |X| ≥ t`, exactly (with
   * `sampleRate` below 1, each with the probability {@link ContainmentIndex.collisionProbability} gives).
   * @param shingles - the query: sorted distinct values
   * @returns the matches, highest containment first, then in insertion order; `[]` for an empty query
   * @throws TypeError when `shingles` is not a `Uint32Array`; RangeError when it is not strictly ascending
   * @example
   * ```ts
   * const index = new ContainmentIndex({ threshold: 0.75 });
   * index.insert('item', Uint32Array.of(1, 2, 3, 4));
   * index.insert('other', Uint32Array.of(1, 70, 80, 90)); // only 1 of 4 in the query
   * index.containedIn(Uint32Array.from({ length: 50 }, (_, i) => i)); // => [{ id: 'item', containment: 1 }]
   * ```
   */
  containedIn(shingles: Uint32Array): ContainmentMatch[] {
    assertSortedSet('ContainmentIndex.containedIn: shingles', shingles);
    return this.search(shingles, false);
  }

  /**
   * Removes set `id`.
   * @param id - the id given to {@link ContainmentIndex.insert}
   * @returns true if it was stored, false if not
   * @throws never
   * @example
   * ```ts
   * const index = new ContainmentIndex();
   * index.insert('x', Uint32Array.of(1, 2));
   * [index.remove('x'), index.remove('x'), index.containing(Uint32Array.of(1, 2))]; // => [true, false, []]
   * ```
   */
  remove(id: DocId): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.sets[slot] = undefined;
    this.deadNodes += this.posted[slot]!;
    this.posted[slot] = 0;
    // Lists keep dead nodes (skipped by queries) until they are the majority: then rebuild, so memory and
    // query time stay proportional to what is stored.
    if (this.deadNodes > 1024 && this.deadNodes * 2 > this.nodes) this.compact();
    return true;
  }

  /**
   * Whether set `id` is stored.
   * @param id - any value
   * @returns true if `id` was inserted and not removed
   * @throws never
   * @example
   * ```ts
   * new ContainmentIndex().has('nope'); // => false
   * ```
   */
  has(id: DocId): boolean {
    return this.slotOf.has(id);
  }

  /**
   * Serializes the index into one buffer: the `NDUP` envelope (magic, format version, kind, length, xxh32
   * checksum) around a little-endian payload: threshold, sampleRate, seed, then each stored id and set in
   * insertion order. Posting lists are derived data: {@link ContainmentIndex.fromBytes} rebuilds them.
   * @returns the bytes
   * @throws never
   * @example
   * ```ts
   * const index = new ContainmentIndex({ threshold: 0.6, seed: 3 });
   * index.insert('a', Uint32Array.of(1, 2, 3));
   * const copy = ContainmentIndex.fromBytes(index.toBytes());
   * [copy.threshold, copy.seed, copy.size, copy.containedIn(Uint32Array.of(1, 2, 3, 4))]; // => [0.6, 3, 1, [{ id: 'a', containment: 1 }]]
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    w.f64(this._threshold).f64(this._sampleRate).u32(this._seed).u32(this.slotOf.size);
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      w.id(id).u32Array(this.sets[slot]!);
    }
    return sealEnvelope(Kind.ContainmentIndex, FORMAT_VERSION, w);
  }

  /**
   * Restores an index written by {@link ContainmentIndex.toBytes}, checking everything the constructor and
   * {@link ContainmentIndex.insert} check.
   * @param bytes - the buffer
   * @returns an index that answers every query as the serialized one did
   * @throws TypeError when `bytes` is not a Uint8Array; RangeError naming the problem when the buffer is
   *   truncated, padded, corrupted (checksum), of another kind or format version, or its content invalid
   *   (options out of range, a repeated or non-finite id, a set not strictly ascending)
   * @example
   * ```ts
   * const index = new ContainmentIndex();
   * index.insert('x', Uint32Array.of(1, 2, 3, 4, 5));
   * ContainmentIndex.fromBytes(index.toBytes()).containing(Uint32Array.of(1, 2, 3, 4)); // => [{ id: 'x', containment: 1 }]
   * ```
   */
  static fromBytes(bytes: Uint8Array): ContainmentIndex {
    const what = 'ContainmentIndex.fromBytes';
    const rd = openEnvelope(bytes, Kind.ContainmentIndex, FORMAT_VERSION, what);
    const payloadLength = bytes.length - 16;
    const bad = (message: string): RangeError => new RangeError(`${what}: invalid index: ${message}`);
    const threshold = rd.f64();
    const sampleRate = rd.f64();
    const seed = rd.u32();
    let index: ContainmentIndex;
    try {
      index = new ContainmentIndex({ threshold, sampleRate, seed });
    } catch (e) {
      throw bad((e as Error).message);
    }
    const count = rd.u32();
    // Each document takes at least 9 bytes (id tag, shortest id, set length): refuse absurd counts first.
    if (count > (payloadLength - rd.offset) / 9) throw bad(`${count} documents cannot fit in ${payloadLength} bytes`);
    for (let d = 0; d < count; d++) {
      const id = rd.id();
      if (typeof id === 'number' && !Number.isFinite(id)) throw bad(`document ${d} has id ${id}`);
      if (index.slotOf.has(id)) throw bad(`id ${describe(id)} appears twice`);
      const set = rd.u32Array();
      for (let i = 1; i < set.length; i++) {
        if (set[i]! <= set[i - 1]!) throw bad(`the set of document ${d} is not strictly ascending at position ${i}`);
      }
      index.add(id, set);
    }
    rd.end();
    return index;
  }

  /** Mixed value of a shingle: a bijection of uint32, so distinct shingles keep distinct keys. */
  private key(value: number): number {
    return fmix32((value ^ this.salt) >>> 0);
  }

  /** Stores an owned, checked set under a new id. */
  private add(id: DocId, set: Uint32Array): void {
    const slot = this.ids.length;
    this.ids.push(id);
    this.sets.push(set);
    this.slotOf.set(id, slot);
    if (slot >= this.stamp.length) {
      const stamp = new Uint32Array(Math.max(64, this.stamp.length * 2));
      stamp.set(this.stamp);
      this.stamp = stamp;
    }
    this.posted.push(this.post(slot, set));
  }

  /** Posts the sampled shingles of `set` for `slot`; returns how many. */
  private post(slot: number, set: Uint32Array): number {
    let n = 0;
    for (let i = 0; i < set.length; i++) {
      const k = this.key(set[i]!);
      if (k >= this.cut) continue;
      if (this.nodes === this.nodeDoc.length) this.growNodes();
      const node = this.nodes++;
      this.nodeDoc[node] = slot;
      if ((this.distinct + 1) * 2 > this.tableKeys.length) this.growTable();
      const mask = this.tableKeys.length - 1;
      let j = k & mask;
      for (;;) {
        const head = this.tableHeads[j]!;
        if (head === EMPTY) {
          this.tableKeys[j] = k;
          this.distinct++;
          this.nodeNext[node] = -1;
          break;
        }
        if (this.tableKeys[j] === k) {
          this.nodeNext[node] = head;
          break;
        }
        j = (j + 1) & mask;
      }
      this.tableHeads[j] = node;
      n++;
    }
    return n;
  }

  /** Head node of the list of mixed key `k`, or -1. */
  private head(k: number): number {
    const keys = this.tableKeys;
    const heads = this.tableHeads;
    const mask = keys.length - 1;
    let j = k & mask;
    for (;;) {
      const head = heads[j]!;
      if (head === EMPTY || keys[j] === k) return head;
      j = (j + 1) & mask;
    }
  }

  /**
   * The candidate search of {@link ContainmentIndex.containing} with bounded work, for a caller that verifies
   * the candidates itself (the detector's `measure: 'containment'`, whose ids are its slot numbers): pushes onto
   * `out` the id of each live stored set, of at least `minShared(|Q|, threshold)` shingles, met in the lists of
   * the query's probed prefix keys — once per probed key it shares, so the count ranks candidates — reading at
   * most `perList` entries of each list (the most recently stored first). Returns true when a list was cut short
   * (a candidate may then be missed). No verification: `out` may hold sets below the threshold.
   * @internal
   */
  prefixHits(query: Uint32Array, perList: number, out: number[]): boolean {
    const q = query.length;
    if (q === 0 || this.nodes === this.deadNodes) return false;
    const probes = this.probeKeys(query, true);
    const need = minShared(q, this._threshold);
    const keys = this.scratch;
    let truncated = false;
    for (let p = 0; p < probes; p++) {
      let read = 0;
      for (let node = this.head(keys[p]!); node >= 0; node = this.nodeNext[node]!) {
        if (read === perList) {
          truncated = true;
          break;
        }
        read++;
        const set = this.sets[this.nodeDoc[node]!];
        if (set === undefined || set.length < need) continue;
        out.push(this.ids[this.nodeDoc[node]!] as number);
      }
    }
    return truncated;
  }

  /**
   * Puts the query's sampled shingles, as mixed keys, in `scratch` and returns how many of them to probe: all of
   * them for `containedIn`; for `containing`, the prefix (the smallest keys first).
   */
  private probeKeys(query: Uint32Array, containing: boolean): number {
    const q = query.length;
    if (this.scratch.length < q) this.scratch = new Uint32Array(Math.max(q, this.scratch.length * 2));
    const keys = this.scratch;
    let n = 0;
    for (let i = 0; i < q; i++) {
      const k = this.key(query[i]!);
      if (k < this.cut) keys[n++] = k;
    }
    // Prefix filter: a stored set holding `need` of the query's shingles shares one of its q − need + 1
    // smallest keys. Sampling keeps the smallest keys, so the probed keys stay a prefix of the query's order.
    const need = containing ? minShared(q, this._threshold) : 1;
    let probes = n;
    if (containing && q - need + 1 < n) {
      probes = q - need + 1;
      keys.subarray(0, n).sort();
    }
    return probes;
  }

  private search(query: Uint32Array, containing: boolean): ContainmentMatch[] {
    const out: ContainmentMatch[] = [];
    const q = query.length;
    if (q === 0 || this.nodes === this.deadNodes) return out;
    const t = this._threshold;
    const probes = this.probeKeys(query, containing);
    const keys = this.scratch;
    const need = containing ? minShared(q, t) : 1;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const stamp = this.stamp;
    const candidates: number[] = [];
    for (let p = 0; p < probes; p++) {
      for (let node = this.head(keys[p]!); node >= 0; node = this.nodeNext[node]!) {
        const slot = this.nodeDoc[node]!;
        if (stamp[slot] === epoch) continue;
        stamp[slot] = epoch;
        const set = this.sets[slot];
        if (set === undefined) continue;
        // Size filter: containing needs |X| ≥ need; containedIn needs |X| ≥ |Q ∩ X| ≥ minShared(|X|, t).
        if (containing ? set.length < need : minShared(set.length, t) > q) continue;
        candidates.push(slot);
      }
    }
    candidates.sort((a, b) => a - b);
    for (const slot of candidates) {
      const set = this.sets[slot]!;
      const c = intersectionSize(query, set) / (containing ? q : set.length);
      if (c >= t) {
        out.push({ id: this.ids[slot]!, containment: c });
      }
    }
    // Stable: ties keep insertion order.
    return out.sort((a, b) => b.containment - a.containment);
  }

  private growNodes(): void {
    const size = this.nodeDoc.length * 2;
    const doc = new Int32Array(size);
    doc.set(this.nodeDoc);
    const next = new Int32Array(size);
    next.set(this.nodeNext);
    this.nodeDoc = doc;
    this.nodeNext = next;
  }

  private growTable(): void {
    const oldKeys = this.tableKeys;
    const oldHeads = this.tableHeads;
    const size = oldKeys.length * 2;
    const keys = new Uint32Array(size);
    const heads = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const head = oldHeads[i]!;
      if (head === EMPTY) continue;
      let j = oldKeys[i]! & mask;
      while (heads[j] !== EMPTY) j = (j + 1) & mask;
      keys[j] = oldKeys[i]!;
      heads[j] = head;
    }
    this.tableKeys = keys;
    this.tableHeads = heads;
  }

  /** Renumbers the live documents densely (keeping their order) and rebuilds the posting lists. */
  private compact(): void {
    const ids = this.ids;
    const sets = this.sets;
    this.ids = [];
    this.sets = [];
    this.posted = [];
    this.slotOf.clear();
    this.tableKeys = new Uint32Array(MIN_TABLE);
    this.tableHeads = new Int32Array(MIN_TABLE).fill(EMPTY);
    this.distinct = 0;
    this.nodes = 0;
    this.deadNodes = 0;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot];
      if (id !== undefined) this.add(id, sets[slot]!);
    }
  }
}
