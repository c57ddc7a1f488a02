/**
 * What a {@link NearDuplicateDetector} remembers of each kept document, packed into a few growable typed arrays
 * and byte pages instead of one object and typed array per document (each of which costs ~100–200 bytes of
 * overhead on top of its data):
 * - the shingle set as varint gaps (verification decodes it inside the Jaccard merge, see `packed-sets.ts`);
 * - with verification, only the low 4 bits of each MinHash value, two to a byte (a 4-bit "b-bit MinHash" sketch:
 *   64 bytes at 128 permutations): ranking and the estimate bound compare those, and because equal values have
 *   equal low bits the sketch counts at least as many agreements as the full values did, so the bound rules out a
 *   subset of what the full signature ruled out — never a pair that one kept (see {@link sketchAgreements});
 * - without verification, the full signature (the reported similarity is the estimate);
 * - the exact-duplicate key, the SimHash fingerprint, the short normalized text for `editRatio`, as needed.
 * Slots are the detector's; a removed slot's bytes stay in their page until the detector is serialized and
 * restored.
 */
import type { ByteReader, ByteWriter } from '../internal/bytes';
import type { ResolvedDedupeOptions } from './document-options';
import { containmentPackedAtLeast, jaccardPacked, jaccardPackedAtLeast, MAX_PACKED_BYTES, packedLength, packSet, unpackSet } from './packed-sets';
import type { PreparedDocument } from './prepare';

/** Bytes per page of packed shingle sets; a larger set gets a page of its own. */
const PAGE = 1 << 20;
/** Sets up to this many values are packed in one pass (their worst case, 5 bytes a value, is 1/16 of a page). */
const ONE_PASS_VALUES = Math.floor(PAGE / 16 / MAX_PACKED_BYTES);
/** Slots per chunk of fixed-size per-slot records (sketches, signatures). */
const CHUNK_SLOTS = 4096;
/** Bits of each MinHash value the sketch keeps (the low ones). */
const SKETCH_BITS = 4;
const SKETCH_MASK = (1 << SKETCH_BITS) - 1;

/** Bytes of the sketch of a `numPerm`-value signature: two values to a byte. */
export function sketchBytes(numPerm: number): number {
  return (numPerm + 1) >>> 1;
}

/** Writes the sketch of `signature` (value `i` in the low half of byte `i / 2` for even `i`, else the high half) at `into[at…]`. */
export function packSketch(signature: ArrayLike<number>, into: Uint8Array, at: number): void {
  const n = signature.length;
  let i = 0;
  for (; i + 1 < n; i += 2) into[at + (i >>> 1)] = (signature[i]! & SKETCH_MASK) | ((signature[i + 1]! & SKETCH_MASK) << 4);
  if (i < n) into[at + (i >>> 1)] = signature[i]! & SKETCH_MASK;
}

/** The sketch value `i` (the low 4 bits of MinHash value `i`) of the sketch at `bytes[at…]` (see {@link packSketch}). */
export function sketchValue(bytes: Uint8Array, at: number, i: number): number {
  return (bytes[at + (i >>> 1)]! >>> ((i & 1) << 2)) & SKETCH_MASK;
}

/**
 * Positions where two signatures agree in their sketch values (low 4 bits): every position where the full values
 * agree, plus chance agreements (probability 1/16 for unequal values). So the count is never below the full
 * count: a bound that rules a pair out on the sketch count would have ruled it out on the full one. The staged
 * run compares prepared documents with this, the detector its packed sketches: the same numbers.
 */
export function sketchAgreements(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) equal += +(((a[i]! ^ b[i]!) & SKETCH_MASK) === 0);
  return equal;
}
/** A packed set's place: `page · 2³² + offset`. */
const PAGE_SPAN = 0x100000000;

/** @internal */
export class KeptStore {
  private readonly numPerm: number;
  /** Sketches (low 4 bits) of the MinHash values (method minhash with verification). */
  private readonly sketches: boolean;
  /** Bytes of one slot's sketch. */
  private readonly sketchSize: number;
  /** Full MinHash values (method minhash without verification). */
  private readonly signatures: boolean;
  private readonly fingerprints: boolean;
  private readonly texts: boolean;

  private keys = new Uint32Array(32); // keyHi, keyLo per slot
  private counts = new Uint32Array(16);
  private places = new Float64Array(16);
  private flags = new Uint8Array(16); // 1: empty
  private fps = new Uint32Array(32); // fingerprint hi, lo per slot
  private readonly pages: Uint8Array[] = [];
  private pageUsed = PAGE; // bytes used in the last shared page (PAGE: none yet)
  private readonly sketchChunks: Uint8Array[] = [];
  /** The same chunks read 8 sketch values at a time (when `numPerm` is a multiple of 8), for {@link queryAgreements}. */
  private readonly sketchWords: Uint32Array[] = [];
  /** The sketch of the signature given to {@link setQuery}, 8 values to a word in the layout of `sketchWords`. */
  private queryBytes = new Uint8Array(0);
  private queryWords = new Uint32Array(0);
  private query: Uint32Array | null = null;
  private readonly signatureChunks: Uint32Array[] = [];
  private readonly normalized: (string | undefined)[] = [];

  constructor(o: ResolvedDedupeOptions) {
    this.numPerm = o.numPerm;
    // Measure 'containment' finds candidates with a ContainmentIndex: no MinHash data.
    const minhash = o.method === 'minhash' && o.measure !== 'containment';
    this.sketches = minhash && o.verify;
    this.sketchSize = sketchBytes(o.numPerm);
    this.signatures = minhash && !o.verify;
    this.fingerprints = o.method === 'simhash';
    this.texts = o.editRatioMaxLength > 0;
  }

  /**
   * Stores what verification needs of `doc` in `slot`; `sketch`, when given, is its packed sketch (see
   * {@link packSketch}), copied instead of packing `doc.signature` (a Redis record carries it so).
   */
  put(slot: number, doc: PreparedDocument, sketch?: Uint8Array): void {
    this.reserve(slot + 1);
    this.keys[2 * slot] = doc.keyHi;
    this.keys[2 * slot + 1] = doc.keyLo;
    this.flags[slot] = doc.empty ? 1 : 0;
    const sh = doc.shingles;
    this.counts[slot] = sh.length;
    if (sh.length > 0) this.places[slot] = this.pack(sh);
    if (this.sketches && sketch !== undefined) {
      const { chunk, at } = this.sketchAt(slot);
      chunk.set(sketch.subarray(0, this.sketchSize), at);
    } else if (this.sketches && doc.signature) {
      const { chunk, at } = this.sketchAt(slot);
      packSketch(doc.signature, chunk, at);
    }
    if (this.signatures && doc.signature) {
      const { chunk, at } = this.signatureAt(slot);
      chunk.set(doc.signature, at);
    }
    if (this.fingerprints && doc.fingerprint !== null) {
      this.fps[2 * slot] = Number(doc.fingerprint >> 32n);
      this.fps[2 * slot + 1] = Number(doc.fingerprint & 0xffffffffn);
    }
    if (this.texts) this.normalized[slot] = doc.normalized ?? undefined;
  }

  /** Forgets the slot's text (the only per-slot data that is not a fixed-size record). */
  clear(slot: number): void {
    if (this.texts) this.normalized[slot] = undefined;
  }

  /**
   * Forgets every slot, keeping the first shared page and the per-slot arrays for reuse: the Redis client fills
   * one store per query with the candidates the server sent (see `verdict.ts`).
   */
  reset(): void {
    if (this.pages.length > 0 && this.pages[0]!.length === PAGE) {
      this.pages.length = 1;
      this.pageUsed = 0;
    } else {
      this.pages.length = 0;
      this.pageUsed = PAGE;
    }
    this.normalized.length = 0;
  }

  keyHi(slot: number): number {
    return this.keys[2 * slot]!;
  }
  keyLo(slot: number): number {
    return this.keys[2 * slot + 1]!;
  }
  /** Number of distinct shingles. */
  count(slot: number): number {
    return this.counts[slot]!;
  }
  empty(slot: number): boolean {
    return this.flags[slot] === 1;
  }
  fingerprint(slot: number): bigint {
    return (BigInt(this.fps[2 * slot]!) << 32n) | BigInt(this.fps[2 * slot + 1]!);
  }
  /** The normalized text kept for edit-ratio verification, or null. */
  text(slot: number): string | null {
    return this.normalized[slot] ?? null;
  }

  /** The slot's shingle set, unpacked. */
  shingles(slot: number): Uint32Array {
    if (this.counts[slot] === 0) return new Uint32Array(0);
    const place = this.places[slot]!;
    return unpackSet(this.pages[Math.floor(place / PAGE_SPAN)]!, place % PAGE_SPAN, this.counts[slot]!);
  }

  /** Exact Jaccard similarity of the sorted set `a` and the slot's shingles. */
  jaccard(a: Uint32Array, slot: number): number {
    if (this.counts[slot] === 0) return 0;
    const place = this.places[slot]!;
    return jaccardPacked(a, this.pages[Math.floor(place / PAGE_SPAN)]!, place % PAGE_SPAN, this.counts[slot]!);
  }

  /** {@link jaccard} when it is ≥ `threshold`; else some value below `threshold` (see `jaccardPackedAtLeast`). */
  jaccardAtLeast(a: Uint32Array, slot: number, threshold: number): number {
    if (this.counts[slot] === 0) return 0;
    const place = this.places[slot]!;
    return jaccardPackedAtLeast(a, this.pages[Math.floor(place / PAGE_SPAN)]!, place % PAGE_SPAN, this.counts[slot]!, threshold);
  }

  /**
   * Containment of the sorted set `a` in the slot's shingles (`|A ∩ B| / |A|`) when it is ≥ `threshold`; else some
   * value below `threshold` (see `containmentPackedAtLeast`). At `threshold` 0, the exact containment.
   */
  containmentAtLeast(a: Uint32Array, slot: number, threshold: number): number {
    if (this.counts[slot] === 0) return 0;
    const place = this.places[slot]!;
    return containmentPackedAtLeast(a, this.pages[Math.floor(place / PAGE_SPAN)]!, place % PAGE_SPAN, this.counts[slot]!, threshold);
  }

  /** Whether the slot keeps MinHash data to compare with (sketch or full signature). */
  get hasSketch(): boolean {
    return this.sketches || this.signatures;
  }

  /**
   * Positions where `signature` agrees with the slot's MinHash data: its full values (stored without
   * verification: then `agreements / numPerm` is the MinHash estimate), or their sketch values (with verification:
   * then it counts every full agreement plus chance ones, so it is never below the full count; see
   * {@link sketchAgreements}).
   */
  agreements(signature: Uint32Array, slot: number): number {
    const n = signature.length;
    let equal = 0;
    if (this.sketches) {
      const chunk = this.sketchChunks[Math.floor(slot / CHUNK_SLOTS)]!; // put() made it
      const at = (slot % CHUNK_SLOTS) * this.sketchSize;
      // Branch-free: about half the values of a near copy agree, a branch per value would be mispredicted half the
      // time. `(d - 1) >>> 31` is 1 exactly when the difference `d` (0 … 15) is 0.
      for (let i = 0; i < n; i++) equal += (((signature[i]! ^ sketchValue(chunk, at, i)) & SKETCH_MASK) - 1) >>> 31;
    } else {
      const { chunk, at } = this.signatureAt(slot);
      for (let i = 0; i < n; i++) equal += +(signature[i] === chunk[at + i]);
    }
    return equal;
  }

  /**
   * Makes `signature` the query of {@link queryAgreements} (until the next call): with verification and `numPerm`
   * a multiple of 8, its sketch is packed once, so that each candidate is compared a word (8 values) at a time.
   */
  setQuery(signature: Uint32Array): void {
    this.query = signature;
    if (!this.sketches || this.numPerm % 8 !== 0) return;
    if (this.queryBytes.length !== this.sketchSize) {
      this.queryBytes = new Uint8Array(this.sketchSize);
      this.queryWords = new Uint32Array(this.queryBytes.buffer);
    }
    packSketch(signature, this.queryBytes, 0);
  }

  /**
   * {@link agreements} of the signature given to {@link setQuery} and the slot; the same number, computed 8 sketch
   * values at a time where the store keeps sketches and `numPerm` is a multiple of 8.
   */
  queryAgreements(slot: number): number {
    if (!this.sketches || this.numPerm % 8 !== 0) return this.agreements(this.query!, slot);
    const q = this.queryWords;
    const words = q.length;
    const chunk = this.sketchWords[Math.floor(slot / CHUNK_SLOTS)]!; // put() made it
    const at = (slot % CHUNK_SLOTS) * words;
    let differ = 0;
    for (let i = 0; i < words; i++) {
      const x = q[i]! ^ chunk[at + i]!;
      // The high bit of each 4-bit group of `y` is set exactly when that group of x is non-zero (no carry crosses a
      // group: each sum is at most 7 + 7); the multiply adds the 8 bits up in the top 4 bits (at most 8).
      const y = (((x & 0x77777777) + 0x77777777) | x) & 0x88888888;
      differ += Math.imul(y >>> 3, 0x11111111) >>> 28;
    }
    return this.numPerm - differ;
  }

  /**
   * Whether `signature` agrees with the slot's MinHash data on all `rows` values of at least one of the first
   * `bands` bands (sketch values with verification: a chance agreement of a whole band's sketch values has
   * probability 2^-4·rows, and it matters only after a band-key collision). `hint`, a band that probably agrees (the one whose
   * LSH bucket held the slot), is checked first; the answer is the same with any hint.
   */
  sharesBand(signature: Uint32Array, slot: number, bands: number, rows: number, hint = -1): boolean {
    const n = signature.length;
    if (this.sketches) {
      const chunk = this.sketchChunks[Math.floor(slot / CHUNK_SLOTS)]!;
      const at = (slot % CHUNK_SLOTS) * this.sketchSize;
      if (hint >= 0 && hint < bands) {
        let i = hint * rows;
        const end = i + rows;
        while (i < end && (signature[i]! & SKETCH_MASK) === sketchValue(chunk, at, i)) i++;
        if (i === end) return true;
      }
      for (let band = 0, i = 0; band < bands; band++) {
        const end = i + rows;
        while (i < end && (signature[i]! & SKETCH_MASK) === sketchValue(chunk, at, i)) i++;
        if (i === end) return true;
        i = end;
      }
      return false;
    }
    const { chunk, at } = this.signatureAt(slot);
    if (hint >= 0 && hint < bands) {
      let i = hint * rows;
      const end = i + rows;
      while (i < end && signature[i] === chunk[at + i]) i++;
      if (i === end) return true;
    }
    for (let band = 0, i = 0; band < bands; band++) {
      const end = i + rows;
      while (i < end && signature[i] === chunk[at + i]) i++;
      if (i === end) return true;
      i = end;
    }
    return false;
  }

  /** The slot's full signature (a copy), stored without verification. */
  signature(slot: number): Uint32Array {
    const { chunk, at } = this.signatureAt(slot);
    return chunk.slice(at, at + this.numPerm);
  }

  /** Serializes the slot (after its id, written by the detector). */
  write(w: ByteWriter, slot: number): void {
    w.u8(this.flags[slot]!).u32(this.keyHi(slot)).u32(this.keyLo(slot));
    const count = this.counts[slot]!;
    if (count === 0) w.u32(0).u32(0);
    else {
      const place = this.places[slot]!;
      const page = this.pages[Math.floor(place / PAGE_SPAN)]!;
      const at = place % PAGE_SPAN;
      const end = skipPacked(page, at, count);
      w.u32(count).u32(end - at).bytes(page.subarray(at, end));
    }
    if (this.sketches) {
      const { chunk, at: s } = this.sketchAt(slot);
      w.bytes(chunk.subarray(s, s + this.sketchSize));
    }
    if (this.signatures) {
      const { chunk, at: s } = this.signatureAt(slot);
      for (let i = 0; i < this.numPerm; i++) w.u32(chunk[s + i]!);
    }
    if (this.fingerprints) w.u32(this.fps[2 * slot]!).u32(this.fps[2 * slot + 1]!);
    if (this.texts) {
      const text = this.normalized[slot];
      w.u8(text !== undefined ? 1 : 0);
      if (text !== undefined) w.string(text);
    }
  }

  /**
   * Reads a slot written by {@link write}; checks that the packed set decodes to `count` strictly ascending
   * values in exactly its bytes. Returns the exact-duplicate key and emptiness for the detector's tables.
   * `format` 2 (neardup 0.2 before the 4-bit sketch) stored the low byte of each MinHash value: its low 4 bits are
   * the sketch.
   */
  read(r: ByteReader, slot: number, what: string, format = 3): { empty: boolean; keyHi: number; keyLo: number; fingerprint: bigint | null } {
    this.reserve(slot + 1);
    const empty = r.u8() === 1;
    const keyHi = r.u32();
    const keyLo = r.u32();
    const count = r.u32();
    const length = r.u32();
    const packed = r.bytes(length);
    if (!validPacked(packed, count)) throw new RangeError(`${what}: the shingle set of a stored document is corrupt`);
    this.keys[2 * slot] = keyHi;
    this.keys[2 * slot + 1] = keyLo;
    this.flags[slot] = empty ? 1 : 0;
    this.counts[slot] = count;
    if (count > 0) {
      const place = this.alloc(length);
      this.pages[Math.floor(place / PAGE_SPAN)]!.set(packed, place % PAGE_SPAN);
      this.places[slot] = place;
    }
    if (this.sketches) {
      const { chunk, at } = this.sketchAt(slot);
      if (format === 2) packSketch(r.bytes(this.numPerm), chunk, at);
      else {
        const sketch = r.bytes(this.sketchSize);
        // An odd numPerm leaves the high half of the last byte unused: written as 0, checked so one state has one encoding.
        if (this.numPerm % 2 === 1 && sketch[this.sketchSize - 1]! > SKETCH_MASK) throw new RangeError(`${what}: a stored sketch is corrupt`);
        chunk.set(sketch, at);
      }
    }
    if (this.signatures) {
      const { chunk, at } = this.signatureAt(slot);
      for (let i = 0; i < this.numPerm; i++) chunk[at + i] = r.u32();
    }
    let fingerprint: bigint | null = null;
    if (this.fingerprints) {
      this.fps[2 * slot] = r.u32();
      this.fps[2 * slot + 1] = r.u32();
      fingerprint = this.fingerprint(slot);
    }
    if (this.texts && r.u8() === 1) this.normalized[slot] = r.string();
    return { empty, keyHi, keyLo, fingerprint };
  }

  /**
   * Packs the non-empty sorted set `values` into a page; returns its place. One pass: a set of up to
   * {@link ONE_PASS_VALUES} values is written straight into the shared page where its worst case
   * ({@link MAX_PACKED_BYTES} per value) fits, and the page keeps only the bytes it took — so a page loses at most
   * that worst case at its end. A larger set is measured first ({@link packedLength}) and allocated exactly.
   */
  private pack(values: Uint32Array): number {
    if (values.length > ONE_PASS_VALUES) {
      const place = this.alloc(packedLength(values));
      packSet(values, this.pages[Math.floor(place / PAGE_SPAN)]!, place % PAGE_SPAN);
      return place;
    }
    if (this.pageUsed + MAX_PACKED_BYTES * values.length > PAGE) {
      this.pages.push(new Uint8Array(PAGE));
      this.pageUsed = 0;
    }
    const place = (this.pages.length - 1) * PAGE_SPAN + this.pageUsed;
    this.pageUsed = packSet(values, this.pages[this.pages.length - 1]!, this.pageUsed);
    return place;
  }

  /** Room for `bytes` (≥ 1) bytes in a page: the shared page, a new one, or one of its own for a large set. */
  private alloc(bytes: number): number {
    if (bytes > PAGE) {
      this.pages.push(new Uint8Array(bytes));
      this.pageUsed = PAGE; // the next small set opens a new shared page
      return (this.pages.length - 1) * PAGE_SPAN;
    }
    if (this.pageUsed + bytes > PAGE) {
      this.pages.push(new Uint8Array(PAGE));
      this.pageUsed = 0;
    }
    const place = (this.pages.length - 1) * PAGE_SPAN + this.pageUsed;
    this.pageUsed += bytes;
    return place;
  }

  private sketchAt(slot: number): { chunk: Uint8Array; at: number } {
    const c = Math.floor(slot / CHUNK_SLOTS);
    while (this.sketchChunks.length <= c) {
      const chunk = new Uint8Array(CHUNK_SLOTS * this.sketchSize);
      this.sketchChunks.push(chunk);
      if (this.numPerm % 8 === 0) this.sketchWords.push(new Uint32Array(chunk.buffer));
    }
    return { chunk: this.sketchChunks[c]!, at: (slot % CHUNK_SLOTS) * this.sketchSize };
  }

  private signatureAt(slot: number): { chunk: Uint32Array; at: number } {
    const c = Math.floor(slot / CHUNK_SLOTS);
    while (this.signatureChunks.length <= c) this.signatureChunks.push(new Uint32Array(CHUNK_SLOTS * this.numPerm));
    return { chunk: this.signatureChunks[c]!, at: (slot % CHUNK_SLOTS) * this.numPerm };
  }

  /** Grows the per-slot arrays to hold `slots` slots. */
  private reserve(slots: number): void {
    if (slots <= this.counts.length) return;
    let cap = this.counts.length;
    while (cap < slots) cap *= 2;
    this.keys = grow(this.keys, 2 * cap);
    this.counts = grow(this.counts, cap);
    this.places = grow(this.places, cap);
    this.flags = grow(this.flags, cap);
    if (this.fingerprints) this.fps = grow(this.fps, 2 * cap);
  }
}

function grow<T extends Uint32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a as never);
  return b;
}

/** The position after `count` packed values at `bytes[at…]`. */
function skipPacked(bytes: Uint8Array, at: number, count: number): number {
  let p = at;
  for (let i = 0; i < count; i++) while (bytes[p++]! >= 0x80);
  return p;
}

/** Whether `packed` holds exactly `count` varints of strictly ascending values below 2³² (gaps ≥ 1 after the first). */
function validPacked(packed: Uint8Array, count: number): boolean {
  let p = 0;
  let v = 0;
  for (let i = 0; i < count; i++) {
    if (p >= packed.length) return false;
    let b = packed[p++]!;
    let gap = b & 0x7f;
    let bytes = 1;
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      if (p >= packed.length || ++bytes > 5) return false;
      b = packed[p++]!;
      gap += (b & 0x7f) * scale;
    }
    if (i > 0 && gap === 0) return false;
    v += gap;
    if (v > 0xffffffff) return false;
  }
  return p === packed.length;
}
