import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteReader, ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { EMPTY, IntTable } from '../internal/int-table';
import { assertId, assertInteger, assertNumber, assertOptions, describe, fail } from '../internal/validate';
import { isEmptySignature, type MinHashScheme, type MinHashSignature } from '../minhash/types';
import { bandKey } from './band-key';
import { checkWeights, MAX_NUM_PERM, optimalLshParams, recallParams, sCurve } from './params';


/**
 * Options of {@link LshIndex}. Give `threshold` (with `weights` or `minRecall`), or explicit `bands` and `rows`.
 * @example
 * ```ts
 * const byWeights: LshIndexOptions = { threshold: 0.8, numPerm: 128, weights: [0.5, 0.5] };
 * const byRecall: LshIndexOptions = { threshold: 0.8, numPerm: 128, minRecall: 0.95 };
 * const explicit: LshIndexOptions = { numPerm: 128, bands: 16, rows: 8, seed: 1, scheme: 'fast' };
 * [byWeights, byRecall, explicit].map((o) => new LshIndex(o).bands); // => [9, 13, 16]
 * ```
 */
export interface LshIndexOptions {
  /** Jaccard similarity the banding is tuned for, in [0, 1]. Default 0.8. */
  threshold?: number;
  /** Signature length, an integer in [1, 65535]; every signature must have exactly this many values. Default 128. */
  numPerm?: number;
  /**
   * `[falsePositiveWeight, falseNegativeWeight]`, each in [0, 1], summing to 1: the banding minimises
   * the weighted error areas as datasketch does ({@link optimalLshParams}). Default `[0.5, 0.5]`.
   */
  weights?: readonly [number, number];
  /**
   * Instead of `weights`: the probability, in (0, 1], that a pair of similarity `threshold` (or more) is
   * returned; the banding is the most selective one that reaches it ({@link recallLshParams}).
   */
  minRecall?: number;
  /** Explicit number of bands, an integer ≥ 1 (with `rows`; `bands * rows <= numPerm`). */
  bands?: number;
  /** Explicit rows per band, an integer ≥ 1 (with `bands`). */
  rows?: number;
  /** MinHash seed every signature must carry. Default: fixed by the first inserted signature. */
  seed?: number;
  /** MinHash scheme every signature must carry. Default: fixed by the first inserted signature. */
  scheme?: MinHashScheme;
}

/**
 * Defaults of {@link LshIndexOptions} (frozen).
 * @example
 * ```ts
 * LSH_DEFAULTS; // => { threshold: 0.8, numPerm: 128, weights: [0.5, 0.5] }
 * ```
 */
export const LSH_DEFAULTS: Readonly<{
  /** Jaccard similarity the banding is tuned for: 0.8. */
  threshold: number;
  /** Signature length: 128 (with the defaults the banding is 9 bands × 13 rows). */
  numPerm: number;
  /** `[falsePositiveWeight, falseNegativeWeight]`: `[0.5, 0.5]`, as in datasketch's `MinHashLSH`. */
  weights: readonly [number, number];
}> =
  Object.freeze({ threshold: 0.8, numPerm: 128, weights: Object.freeze([0.5, 0.5] as const) });

/** Format version of `LshIndex.toBytes` (also written by `SlotLsh`). @internal */
export const LSH_FORMAT_VERSION = 1;

// Bucket tables: one IntTable per band (src/internal/int-table.ts), band key → head node of the bucket's list;
// a bucket whose documents were all removed keeps its key with value EMPTY.
// Node links: prev >= 0 is the previous node; prev in [-2^30, -1] is ~(bucket position) for a list head;
// NOT_LINKED marks the nodes of an empty signature's document (stored, never bucketed) and of free slots.
const NOT_LINKED = -0x80000000;
const MAX_NODES = 0x7fffffff;

/** How the banding was chosen (a payload field: never renumber). */
const Mode = { Weights: 0, Recall: 1, Explicit: 2 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Seeds are compared, never used: any safe integer (MinHasher's seeds are unsigned 32-bit). */
function checkSeed(name: string, seed: unknown): asserts seed is number {
  if (typeof seed !== 'number') fail(TypeError, name, 'a safe integer', seed);
  if (!Number.isSafeInteger(seed)) fail(RangeError, name, 'a safe integer', seed);
}

/** Schemes are compared, never interpreted: any name of 1 to 64 UTF-16 code units (so new schemes need no change here). */
function checkScheme(name: string, scheme: unknown): asserts scheme is MinHashScheme {
  if (typeof scheme !== 'string') fail(TypeError, name, 'a MinHash scheme name', scheme);
  if (scheme.length < 1 || scheme.length > 64) fail(RangeError, name, 'a MinHash scheme name of 1 to 64 characters', scheme);
}

const LSH_KEYS = ['threshold', 'numPerm', 'weights', 'minRecall', 'bands', 'rows', 'seed', 'scheme'] as const;

/**
 * A MinHash LSH index (banding): each signature is cut into `bands` bands of `rows` values, each band is
 * hashed to a 32-bit key in that band's own table, and a query returns every stored document that shares
 * at least one whole band with it. A pair of Jaccard similarity `s` becomes a candidate with probability
 * `1 − (1 − sʳ)ᵇ` ({@link LshIndex.collisionProbability}); verify candidates (estimated or exact Jaccard)
 * before calling them duplicates.
 *
 * **Choosing bands × rows.** By default they minimise the weighted false-positive and false-negative
 * areas as datasketch's `MinHashLSH` does ({@link optimalLshParams}); the picks equal datasketch's. That
 * objective does not guarantee recall at the threshold: datasketch's default (threshold 0.9, 128 perms →
 * 5 bands × 25 rows) returns a pair of similarity exactly 0.9 only 31.1% of the time, and neardup's default
 * (threshold 0.8 → 9 × 13) a pair at 0.8 only 39.9% of the time (pairs well above the threshold fare
 * better: 0.9 → 93%). When recall matters, pass `minRecall` (e.g. `{ threshold: 0.8, minRecall: 0.95 }`)
 * or false-negative-heavy `weights` such as `[0.1, 0.9]`, and verify the extra candidates. Unlike
 * datasketch, a single band (`bands: 1`, the optimum for few permutations at high thresholds) is accepted.
 *
 * **Semantics.** Ids are strings or finite numbers; inserting an id twice is an error. The index keeps
 * no signatures (only 32-bit band keys inside its tables), and never keeps a reference to the caller's
 * arrays. Signatures must have the index's `numPerm`, and the same `seed` and `scheme` (given as options,
 * or fixed by the first insert). The empty set's signature (all `0xFFFFFFFF`) is stored, so `has(id)` is
 * true, but never bucketed: it is never returned by a query, and querying with it returns nothing, so
 * empty documents are not duplicates of one another. `query` returns each id once, in an unspecified
 * (but deterministic) order.
 *
 * **Memory.** Per document: 8 bytes per band of list links and 4 of query scratch, its share of the band
 * tables (8 bytes a bucket, 37–75% full), and the id in an array and a `Map`: measured 240–270 bytes at
 * the defaults (9 bands) for 10^5–10^6 documents with numeric ids, about 11× less than a
 * `Map<string, Set>` per band (see `bench/RESULTS.md`). Queries take about 1.5 µs at 10^6 documents.
 *
 * @example
 * ```ts
 * const sig = (values: number[]) => ({ values: Uint32Array.from(values), numPerm: 8, seed: 1, scheme: 'fast' as const });
 * const index = new LshIndex({ numPerm: 8, bands: 4, rows: 2 });
 * index.insert('a', sig([1, 2, 3, 4, 5, 6, 7, 8]));
 * index.insert('b', sig([1, 2, 0, 0, 0, 0, 0, 0])); // shares band 0 with 'a'
 * index.insert('c', sig([9, 9, 9, 9, 9, 9, 7, 8])); // shares band 3 with 'a'
 * index.query(sig([1, 2, 3, 4, 0, 0, 0, 0])).sort(); // => ['a', 'b']
 * index.remove('a'); // => true
 * index.query(sig([1, 2, 3, 4, 5, 6, 7, 8])); // => ['b', 'c']
 * LshIndex.fromBytes(index.toBytes()).query(sig([5, 5, 5, 5, 5, 5, 7, 8])); // => ['c']
 * new LshIndex().bands; // => 9
 * ```
 */
export class LshIndex {
  private readonly _numPerm: number;
  private readonly _bands: number;
  private readonly _rows: number;
  private readonly _threshold: number;
  private _mode: Mode;
  private _weights: readonly [number, number] | undefined;
  private _minRecall: number | undefined;
  private _seed: number | undefined;
  private _scheme: MinHashScheme | undefined;

  /** Slot capacity; node `slot * bands + band` is the document in `slot`'s entry in band `band`'s table. */
  private capacity = 0;
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  /** Per slot: the query number that last collected it (dedupes a query's results). */
  private stamp = new Uint32Array(0);
  private epoch = 0;
  /** Slots handed out so far (free slots below it are chained through `next[slot * bands]`). */
  private highWater = 0;
  private freeHead = -1;
  private readonly ids: (DocId | undefined)[] = [];
  private readonly slotOf = new Map<DocId, number>();
  private readonly tables: IntTable[];
  private readonly keys: Int32Array;

  /**
   * Creates an empty index.
   * @param options - see {@link LshIndexOptions}; defaults in {@link LSH_DEFAULTS}
   * @throws TypeError for an unknown option key or a wrong type, RangeError for a value out of range (naming the option,
   *   its allowed range and the value received); TypeError
   *   when `bands`/`rows` are combined with `weights`/`minRecall`, or `weights` with `minRecall`
   * @example
   * ```ts
   * const index = new LshIndex({ threshold: 0.8, numPerm: 128, minRecall: 0.95 });
   * [index.bands, index.rows, index.minRecall, index.weights]; // => [13, 7, 0.95, undefined]
   * ```
   */
  constructor(options?: LshIndexOptions) {
    const at = 'LshIndex: options';
    assertOptions('LshIndex', 'options', options, LSH_KEYS);
    const o = options ?? {};
    const numPerm = o.numPerm ?? LSH_DEFAULTS.numPerm;
    assertInteger(`${at}.numPerm`, numPerm, 1, MAX_NUM_PERM);
    const threshold = o.threshold ?? LSH_DEFAULTS.threshold;
    assertNumber(`${at}.threshold`, threshold, 0, 1);
    if (o.seed !== undefined) checkSeed(`${at}.seed`, o.seed);
    if (o.scheme !== undefined) checkScheme(`${at}.scheme`, o.scheme);
    if (o.minRecall !== undefined && o.weights !== undefined) {
      fail(TypeError, `${at}.minRecall`, 'left out when options.weights is given (give one of them)', o.minRecall);
    }
    let bands: number;
    let rows: number;
    if (o.bands !== undefined || o.rows !== undefined) {
      if (o.bands === undefined) fail(TypeError, `${at}.bands`, 'given together with options.rows', o.bands);
      if (o.rows === undefined) fail(TypeError, `${at}.rows`, 'given together with options.bands', o.rows);
      if (o.weights !== undefined) fail(TypeError, `${at}.weights`, 'left out when bands and rows are given', o.weights);
      if (o.minRecall !== undefined) fail(TypeError, `${at}.minRecall`, 'left out when bands and rows are given', o.minRecall);
      assertInteger(`${at}.bands`, o.bands, 1, numPerm);
      assertInteger(`${at}.rows`, o.rows, 1, numPerm);
      if (o.bands * o.rows > numPerm) {
        fail(RangeError, `${at}.rows`,
          `at most numPerm / bands = ${Math.floor(numPerm / o.bands)} (bands × rows must not exceed numPerm ${numPerm}` +
            (o.numPerm === undefined ? ', which defaults to 128: did you forget it?)' : ')'), o.rows);
      }
      bands = o.bands;
      rows = o.rows;
      this._mode = Mode.Explicit;
    } else if (o.minRecall !== undefined) {
      assertNumber(`${at}.minRecall`, o.minRecall, 0, 1, true);
      ({ bands, rows } = recallParams(`${at}.minRecall`, threshold, numPerm, o.minRecall));
      this._mode = Mode.Recall;
      this._minRecall = o.minRecall;
    } else {
      const weights = o.weights ?? LSH_DEFAULTS.weights;
      checkWeights(`${at}.weights`, weights);
      ({ bands, rows } = optimalLshParams(threshold, numPerm, weights));
      this._mode = Mode.Weights;
      this._weights = Object.freeze([weights[0], weights[1]] as const);
    }
    this._numPerm = numPerm;
    this._bands = bands;
    this._rows = rows;
    this._threshold = threshold;
    this._seed = o.seed;
    this._scheme = o.scheme;
    this.tables = [];
    for (let b = 0; b < bands; b++) this.tables.push(this.bandTable(0));
    this.keys = new Int32Array(bands);
  }

  /** Number of bands (hash tables). */
  get bands(): number {
    return this._bands;
  }
  /** Signature values per band. */
  get rows(): number {
    return this._rows;
  }
  /** Signature length every inserted or queried signature must have. */
  get numPerm(): number {
    return this._numPerm;
  }
  /** The threshold the banding was chosen for (recorded as given when `bands`/`rows` were explicit). */
  get threshold(): number {
    return this._threshold;
  }
  /** The weights the banding minimises, or `undefined` when it came from `minRecall` or explicit `bands`/`rows`. */
  get weights(): readonly [number, number] | undefined {
    return this._weights;
  }
  /** The recall the banding was chosen for, or `undefined` when it came from `weights` or explicit `bands`/`rows`. */
  get minRecall(): number | undefined {
    return this._minRecall;
  }
  /** The MinHash seed signatures must carry, or `undefined` until the first insert fixes it. */
  get seed(): number | undefined {
    return this._seed;
  }
  /** The MinHash scheme signatures must carry, or `undefined` until the first insert fixes it. */
  get scheme(): MinHashScheme | undefined {
    return this._scheme;
  }
  /** Number of stored documents (including empty-signature ones). */
  get size(): number {
    return this.slotOf.size;
  }

  /**
   * The probability that a stored document of Jaccard similarity `similarity` to the query is returned:
   * `1 − (1 − similarityʳ)ᵇ` with this index's bands `b` and rows `r`.
   * @param similarity - a Jaccard similarity in [0, 1]
   * @returns the collision probability, in [0, 1]
   * @throws TypeError or RangeError when `similarity` is not a number in [0, 1]
   * @example
   * ```ts
   * const index = new LshIndex({ threshold: 0.9, numPerm: 128 }); // datasketch's default: 5 bands × 25 rows
   * index.collisionProbability(0.9).toFixed(3); // => '0.311'
   * new LshIndex({ threshold: 0.9, minRecall: 0.95 }).collisionProbability(0.9) >= 0.95; // => true
   * ```
   */
  collisionProbability(similarity: number): number {
    assertNumber('LshIndex.collisionProbability: similarity', similarity, 0, 1);
    return sCurve(similarity, this._bands, this._rows);
  }

  /**
   * Stores document `id` with its MinHash signature. The signature is read, not kept.
   * @param id - a string or finite number not already in the index
   * @param signature - a MinHash signature with this index's `numPerm`, `seed` and `scheme`
   * @returns nothing
   * @throws RangeError when `id` is already stored (as everywhere a repeated id is refused); TypeError for a bad id or signature; RangeError when the
   *   signature's numPerm, seed or scheme differ from the index's
   * @example
   * ```ts
   * const index = new LshIndex({ numPerm: 4, bands: 2, rows: 2 });
   * index.insert(7, { values: new Uint32Array([1, 2, 3, 4]), numPerm: 4, seed: 1, scheme: 'fast' });
   * [index.has(7), index.size, index.seed]; // => [true, 1, 1]
   * ```
   */
  insert(id: DocId, signature: MinHashSignature): void {
    assertId('LshIndex.insert: id', id);
    if (this.slotOf.has(id)) {
      fail(RangeError, 'LshIndex.insert: id', 'an id not already in the index (remove it first to replace it)', id);
    }
    const values = this.checkSignature(signature, 'LshIndex.insert');
    const slot = this.allocSlot();
    if (this._seed === undefined) this._seed = signature.seed;
    if (this._scheme === undefined) this._scheme = signature.scheme;
    const key = id === 0 ? 0 : id; // -0 and 0 are one Map key: keep one spelling
    this.ids[slot] = key;
    this.slotOf.set(key, slot);
    const B = this._bands;
    const base = slot * B;
    if (isEmptySignature(values)) {
      for (let b = 0; b < B; b++) this.prev[base + b] = NOT_LINKED;
      return;
    }
    const r = this._rows;
    for (let b = 0; b < B; b++) this.link(b, bandKey(values, b * r, r, b), base + b);
  }

  /**
   * The stored documents that share at least one band with `signature`: candidates of similarity near or
   * above the threshold, each once. An empty-set signature returns `[]`.
   * @param signature - a MinHash signature with this index's `numPerm`, `seed` and `scheme`
   * @returns the candidate ids, each once, in an unspecified but deterministic order
   * @throws TypeError for a malformed signature; RangeError when its numPerm, seed or scheme differ from the index's
   * @example
   * ```ts
   * const sig = (v: number[]) => ({ values: Uint32Array.from(v), numPerm: 4, seed: 1, scheme: 'fast' as const });
   * const index = new LshIndex({ numPerm: 4, bands: 2, rows: 2 });
   * index.insert('x', sig([1, 2, 3, 4]));
   * index.query(sig([1, 2, 0, 0])); // => ['x']
   * index.query(sig([2, 1, 4, 3])); // => []
   * ```
   */
  query(signature: MinHashSignature): DocId[] {
    const values = this.checkSignature(signature, 'LshIndex.query');
    const out: DocId[] = [];
    if (this.slotOf.size === 0 || isEmptySignature(values)) return out;
    const B = this._bands;
    const r = this._rows;
    const keys = this.keys;
    for (let b = 0; b < B; b++) keys[b] = bandKey(values, b * r, r, b);
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const stamp = this.stamp;
    const next = this.next;
    const ids = this.ids;
    for (let b = 0; b < B; b++) {
      for (let node = this.tables[b]!.get(keys[b]!); node >= 0; node = next[node]!) {
        const slot = (node / B) | 0;
        if (stamp[slot] !== epoch) {
          stamp[slot] = epoch;
          out.push(ids[slot]!);
        }
      }
    }
    return out;
  }

  /**
   * The band keys of `values` (this index's numPerm; not validated: a detector's own signature) into
   * `keys[0 … bands)`, for a detector's `SlotLsh` (src/lsh/slot-lsh.ts): its query and then its insert, with no second hashing.
   * @returns false (and `keys` untouched) for the empty set's signature, which is never bucketed
   * @internal
   */
  bandKeysInto(values: Uint32Array, keys: Int32Array): boolean {
    if (isEmptySignature(values)) return false;
    const B = this._bands;
    const r = this._rows;
    for (let b = 0; b < B; b++) keys[b] = bandKey(values, b * r, r, b);
    return true;
  }

  /**
   * Removes document `id`.
   * @param id - the id given to {@link LshIndex.insert}
   * @returns true if it was stored, false if not
   * @throws never
   * @example
   * ```ts
   * const index = new LshIndex({ numPerm: 4, bands: 2, rows: 2 });
   * index.insert('x', { values: new Uint32Array([1, 2, 3, 4]), numPerm: 4, seed: 1, scheme: 'fast' });
   * [index.remove('x'), index.remove('x'), index.has('x')]; // => [true, false, false]
   * ```
   */
  remove(id: DocId): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const B = this._bands;
    const base = slot * B;
    if (this.prev[base] !== NOT_LINKED) for (let b = 0; b < B; b++) this.unlink(b, base + b);
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.prev[base] = NOT_LINKED;
    this.next[base] = this.freeHead;
    this.freeHead = slot;
    return true;
  }

  /**
   * Whether document `id` is stored.
   * @param id - any value
   * @returns true if `id` was inserted and not removed
   * @throws never
   * @example
   * ```ts
   * new LshIndex().has('nope'); // => false
   * ```
   */
  has(id: DocId): boolean {
    return this.slotOf.has(id);
  }

  /**
   * Serializes the index into one buffer: the `NDUP` envelope (magic, format version, kind, length, xxh32
   * checksum) around a little-endian payload: numPerm, bands, rows, threshold, how the banding was chosen
   * (weights or minRecall), seed and scheme, the ids, then each band's buckets (32-bit key and members).
   * @returns the bytes; {@link LshIndex.fromBytes} restores an index that answers every query identically
   * @throws never
   * @example
   * ```ts
   * const bytes = new LshIndex({ threshold: 0.5 }).toBytes();
   * LshIndex.fromBytes(bytes).bands; // => 25
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    const B = this._bands;
    this.writeParams(w);
    // Documents in slot order, renumbered densely.
    const docOf = new Int32Array(this.highWater);
    w.u32(this.slotOf.size);
    let d = 0;
    for (let slot = 0; slot < this.highWater; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      docOf[slot] = d++;
      w.id(id);
    }
    const next = this.next;
    for (let b = 0; b < B; b++) {
      const tab = this.tables[b]!;
      w.u32(tab.size);
      for (let j = 0; j < tab.capacity; j++) {
        const head = tab.valueAt(j);
        if (head < 0) continue;
        let n = 0;
        for (let node = head; node >= 0; node = next[node]!) n++;
        w.u32(tab.keyAt(j) >>> 0).u32(n);
        for (let node = head; node >= 0; node = next[node]!) w.u32(docOf[(node / B) | 0]!);
      }
    }
    return sealEnvelope(Kind.LshIndex, LSH_FORMAT_VERSION, w);
  }

  /**
   * Writes the parameters that open {@link LshIndex.toBytes}'s payload (numPerm, bands, rows, threshold, how the
   * banding was chosen, seed and scheme), for a structure that writes the rest of this layout itself.
   * @internal
   */
  writeParams(w: ByteWriter): void {
    w.u32(this._numPerm).u32(this._bands).u32(this._rows).f64(this._threshold).u8(this._mode);
    if (this._mode === Mode.Weights) w.f64(this._weights![0]).f64(this._weights![1]);
    else if (this._mode === Mode.Recall) w.f64(this._minRecall!);
    if (this._seed === undefined) w.u8(0);
    else w.u8(1).f64(this._seed);
    if (this._scheme === undefined) w.u8(0);
    else w.u8(1).string(this._scheme);
  }

  /**
   * Restores an index written by {@link LshIndex.toBytes}.
   * @param bytes - the buffer
   * @returns an index equal to the one serialized: same parameters, ids and answers to every query
   * @throws TypeError when `bytes` is not a Uint8Array; RangeError naming the problem when the buffer is
   *   truncated, padded, corrupted (checksum), of another kind or format version, or inconsistent
   * @example
   * ```ts
   * const index = new LshIndex({ numPerm: 4, bands: 2, rows: 2 });
   * index.insert('x', { values: new Uint32Array([1, 2, 3, 4]), numPerm: 4, seed: 3, scheme: 'classic' });
   * const copy = LshIndex.fromBytes(index.toBytes());
   * [copy.size, copy.has('x'), copy.seed, copy.scheme]; // => [1, true, 3, 'classic']
   * ```
   */
  static fromBytes(bytes: Uint8Array): LshIndex {
    const { index, rd, payloadLength, bad } = LshIndex.readParams(bytes, 'LshIndex.fromBytes');
    const bands = index.bands;
    const docCount = rd.u32();
    // Each id takes at least 5 bytes: refuse absurd counts before allocating for them.
    if (docCount > (payloadLength - rd.offset) / 5) throw bad(`${docCount} documents cannot fit in ${payloadLength} bytes`);
    if (docCount * bands > MAX_NODES) throw bad(`${docCount} documents × ${bands} bands exceed the index's capacity`);
    index.grow(docCount);
    for (let d = 0; d < docCount; d++) {
      const id = rd.id();
      if (typeof id === 'number' && !Number.isFinite(id)) throw bad(`document ${d} has id ${id}`);
      if (index.slotOf.has(id)) throw bad(`id ${describe(id)} appears twice`);
      index.ids[d] = id;
      index.slotOf.set(id, d);
    }
    index.highWater = docCount;
    const seenInBand = new Int32Array(docCount).fill(-1);
    const count = new Int32Array(docCount);
    const scratch = { keys: new Int32Array(0), heads: new Int32Array(0) };
    for (let b = 0; b < bands; b++) index.tables[b] = index.readBand(rd, b, docCount, seenInBand, count, scratch, bad);
    rd.end();
    const prev = index.prev;
    for (let d = 0; d < docCount; d++) {
      if (count[d] === 0) prev[d * bands] = NOT_LINKED;
      else if (count[d] !== bands) throw bad(`document ${d} is in ${count[d]} of ${bands} bands`);
    }
    return index;
  }

  /**
   * Opens bytes written by {@link LshIndex.toBytes} (or in its layout) and reads their parameters: an empty index
   * with them, and the reader at the document count. `bad` makes the RangeError of an invalid payload.
   * @internal
   */
  static readParams(bytes: Uint8Array, what: string): { index: LshIndex; rd: ByteReader; payloadLength: number; bad: (message: string) => RangeError } {
    const rd = openEnvelope(bytes, Kind.LshIndex, LSH_FORMAT_VERSION, what);
    const payloadLength = bytes.length - 16;
    const bad = (message: string): RangeError => new RangeError(`${what}: invalid index: ${message}`);
    const numPerm = rd.u32();
    const bands = rd.u32();
    const rows = rd.u32();
    const threshold = rd.f64();
    const mode = rd.u8();
    // The index is rebuilt through the constructor from the options it was made with, so a forged buffer cannot
    // hold options the constructor refuses, nor bands and rows other than those its weights or minRecall give.
    const options: LshIndexOptions = { numPerm, threshold };
    if (mode === Mode.Weights) options.weights = [rd.f64(), rd.f64()];
    else if (mode === Mode.Recall) options.minRecall = rd.f64();
    else if (mode === Mode.Explicit) {
      options.bands = bands;
      options.rows = rows;
    } else throw bad(`unknown parameter mode ${mode}`);
    if (rd.u8() !== 0) options.seed = rd.f64();
    const hasScheme = rd.u8();
    if (hasScheme !== 0) options.scheme = rd.string() as MinHashScheme;
    let index: LshIndex;
    try {
      index = new LshIndex(options);
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (index.bands !== bands || index.rows !== rows) {
      throw bad(`${bands} bands × ${rows} rows do not match its options, which give ${index.bands} × ${index.rows}`);
    }
    return { index, rd, payloadLength, bad };
  }

  /**
   * Reads band `b`'s buckets written by {@link LshIndex.toBytes} into a new table, linking each bucket's
   * documents in order; `seenInBand` and `count` track every document's bands for the checks of `fromBytes`.
   * The buckets are read first (key and head node into `scratch`), then added to a table sized once for all of
   * them ({@link IntTable.addAll}).
   */
  private readBand(
    rd: ByteReader,
    b: number,
    docCount: number,
    seenInBand: Int32Array,
    count: Int32Array,
    scratch: { keys: Int32Array; heads: Int32Array },
    bad: (message: string) => RangeError,
  ): IntTable {
    const bands = this._bands;
    const next = this.next;
    const prev = this.prev;
    const buckets = rd.u32();
    if (buckets > docCount) throw bad(`band ${b} has ${buckets} buckets for ${docCount} documents`);
    if (scratch.keys.length < buckets) {
      scratch.keys = new Int32Array(buckets);
      scratch.heads = new Int32Array(buckets);
    }
    const { keys, heads } = scratch;
    for (let k = 0; k < buckets; k++) {
      keys[k] = rd.u32() | 0;
      const n = rd.u32();
      if (n === 0 || n > docCount) throw bad(`band ${b} bucket ${k} has ${n} documents`);
      let tail = -1;
      for (let m = 0; m < n; m++) {
        const doc = rd.u32();
        if (doc >= docCount) throw bad(`band ${b} lists document ${doc} of ${docCount}`);
        if (seenInBand[doc] === b) throw bad(`document ${doc} is in two buckets of band ${b}`);
        seenInBand[doc] = b;
        count[doc]!++;
        const node = doc * bands + b;
        next[node] = -1;
        if (tail < 0) heads[k] = node;
        else {
          next[tail] = node;
          prev[node] = tail;
        }
        tail = node;
      }
    }
    const tab = this.bandTable(buckets);
    // The head's back link is ~(its bucket's position), known once the bucket is in the table.
    const positions = keys; // each key is read before its position is written
    const repeat = tab.addAll(keys, heads, buckets, positions);
    if (repeat >= 0) throw bad(`band ${b} has key ${keys[repeat]! >>> 0} twice`);
    for (let k = 0; k < buckets; k++) prev[heads[k]!] = ~positions[k]!;
    return tab;
  }

  /** Validates a signature against the index; returns its values. */
  private checkSignature(signature: unknown, what: string): Uint32Array {
    const s = signature as Partial<MinHashSignature> | null;
    if (typeof s !== 'object' || s === null || !(s.values instanceof Uint32Array)) {
      fail(TypeError, `${what}: signature`, 'a MinHashSignature ({ values: Uint32Array, numPerm, seed, scheme })', signature);
    }
    const values = s.values;
    if (values.length !== this._numPerm || s.numPerm !== values.length) {
      fail(RangeError, `${what}: signature.numPerm`, `${this._numPerm}, the index's numPerm, with as many values (it has ${values.length})`, s.numPerm);
    }
    checkSeed(`${what}: signature.seed`, s.seed);
    checkScheme(`${what}: signature.scheme`, s.scheme);
    if (this._seed !== undefined && s.seed !== this._seed) {
      fail(RangeError, `${what}: signature.seed`, `the index's seed ${this._seed} (signatures of different seeds are not comparable)`, s.seed);
    }
    if (this._scheme !== undefined && s.scheme !== this._scheme) {
      fail(RangeError, `${what}: signature.scheme`, `the index's scheme ${describe(this._scheme)}`, s.scheme);
    }
    return values;
  }

  /** Makes room for at least `slots` slots. */
  private grow(slots: number): void {
    if (slots <= this.capacity) return;
    const B = this._bands;
    let cap = Math.max(16, this.capacity);
    while (cap < slots) cap *= 2;
    cap = Math.min(cap, Math.floor(MAX_NODES / B));
    const next = new Int32Array(cap * B);
    next.set(this.next);
    const prev = new Int32Array(cap * B);
    prev.set(this.prev);
    const stamp = new Uint32Array(cap);
    stamp.set(this.stamp);
    this.next = next;
    this.prev = prev;
    this.stamp = stamp;
    this.capacity = cap;
  }

  private allocSlot(): number {
    if (this.freeHead >= 0) {
      const slot = this.freeHead;
      this.freeHead = this.next[slot * this._bands]!;
      return slot;
    }
    if (this.highWater === this.capacity) {
      if ((this.highWater + 1) * this._bands > MAX_NODES) {
        throw new RangeError(`LshIndex.insert: the index is full (${this.highWater} documents × ${this._bands} bands)`);
      }
      this.grow(this.highWater + 1);
    }
    return this.highWater++;
  }

  /** An empty band table sized for `buckets` buckets; a rebuild re-points each moved bucket's head at its new place. */
  private bandTable(buckets: number): IntTable {
    return new IntTable(1, buckets, (head, position) => {
      this.prev[head] = ~position;
    });
  }

  /** Puts `node` at the head of the bucket of `key` in band `b`. */
  private link(b: number, key: number, node: number): void {
    const tab = this.tables[b]!;
    const j = tab.claim(key);
    const head = tab.replaceAt(j, node); // the old head, or EMPTY for a new or emptied bucket
    if (head >= 0) {
      this.next[node] = head;
      this.prev[head] = node;
    } else {
      this.next[node] = -1;
    }
    this.prev[node] = ~j;
  }

  private unlink(b: number, node: number): void {
    const next = this.next;
    const prev = this.prev;
    const p = prev[node]!;
    const n = next[node]!;
    if (p >= 0) next[p] = n;
    else this.tables[b]!.setValueAt(~p, n >= 0 ? n : EMPTY);
    if (n >= 0) prev[n] = p;
  }
}
