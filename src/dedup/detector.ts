import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteReader, ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { IntTable } from '../internal/int-table';
import { assertId, assertString, fail } from '../internal/validate';
import { LshIndex } from '../lsh';
import type { MinHashSignature } from '../minhash';
import { SimHashIndex } from '../simhash';
import { resolveDedupeOptions, type DedupeOptions, type ResolvedDedupeOptions } from './document-options';
import { optionsHashOf, prepareWith, type PreparedDocument } from './prepare';
import { beats, candidateSimilarity, verifiedSimilarity, type Match } from './verdict';

/** @internal */
export type { Match } from './verdict';

export type { DocId } from '../internal/doc';

/** What {@link NearDuplicateDetector.add} found: empty when the document is new (and now kept).
 * @example
 * ```ts
 * const detector = new NearDuplicateDetector();
 * const first: DetectResult = detector.add('a', 'one two three four five six seven');
 * const second: DetectResult = detector.add('b', 'One, two, three, four, five, six, seven.');
 * [first.duplicateOf, second.duplicateOf, second.exact]; // => [undefined, 'a', true]
 * ```
 */
export interface DetectResult {
  /** The kept document this one duplicates. */
  duplicateOf?: DocId;
  /** Its similarity to `duplicateOf` (exact Jaccard of shingle sets when verifying; 1 for exact duplicates). */
  similarity?: number;
  /** True when the normalized texts are identical. */
  exact?: boolean;
}

const FORMAT_VERSION = 1;


/**
 * Streaming near-duplicate detection: add documents one at a time and learn at once whether each repeats a
 * document added before. Only documents that are kept (not duplicates) are remembered, so memory grows with the
 * number of distinct documents, not with the input.
 *
 * Each document is normalized and hashed (xxh64) for exact duplicates, then shingled; candidates come from a
 * MinHash LSH index (or a SimHash index) and are verified with the exact Jaccard similarity of the shingle sets
 * (or `editRatio`, see `editRatioMaxLength`), so with the default `verify: true` a reported duplicate is never
 * below `threshold`. Documents whose normalized text is empty are always kept
 * and never match anything (peers give every empty document one signature and merge them all).
 *
 * State can be saved with {@link NearDuplicateDetector.toBytes} and restored with
 * {@link NearDuplicateDetector.fromBytes}, so a service can resume.
 *
 * @example
 * ```ts
 * const detector = new NearDuplicateDetector({ threshold: 0.7 });
 * detector.add('a', 'The quick brown fox jumps over the lazy dog near the river bank today'); // => {}
 * detector.add('b', 'THE QUICK BROWN FOX jumps over the lazy dog, near the river bank today!');
 * // => { duplicateOf: 'a', similarity: 1, exact: true }
 * detector.add('c', 'The quick brown fox jumps over the lazy dog near the river bank this morning').duplicateOf; // => 'a'
 * detector.add('d', 'Completely different words make up this other sentence about cooking pasta'); // => {}
 * detector.size; // => 2
 * ```
 */
export class NearDuplicateDetector {
  /** The resolved options (every field filled in), a frozen plain object. */
  readonly options: ResolvedDedupeOptions;
  private readonly ids: (DocId | undefined)[] = [];
  private readonly slotOf = new Map<DocId, number>();
  /** Exact keys (keyHi, keyLo) of kept documents → their slot. */
  private readonly exact = new IntTable(2);
  /**
   * Exact keys of documents reported as duplicates → the match they got. A later identical copy gets the same
   * answer, so identical texts always land in the same cluster (without this, a kept document added in between
   * could be the better near match for the second copy).
   */
  private readonly echoes = new Map<bigint, Match>();
  /** The keys of `echoes` (value 0), so the common lookup (no echo) needs no bigint. */
  private readonly echoKeys = new IntTable(2);
  private readonly docs: (PreparedDocument | undefined)[] = [];
  private readonly lsh: LshIndex | null;
  private readonly simIndex: SimHashIndex | null;
  private live = 0;
  private readonly optionsHash: number;
  /** Candidate pairs proposed by the index and checked (the `candidates` stat of `dedupe`). @internal */
  candidates = 0;
  /** Candidates that verification rejected (the `rejectedCandidates` stat of `dedupe`). @internal */
  rejected = 0;

  /**
   * @param options - see {@link DedupeOptions}; defaults in {@link DEDUPE_DEFAULTS}; validated here (except the
   *   fields of `shingle`, which `shingles` checks on the first document)
   * @throws TypeError / RangeError naming the option when an option is invalid
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector({ threshold: 0.9, method: 'simhash' });
   * [detector.options.threshold, detector.options.method, detector.options.numPerm]; // => [0.9, 'simhash', 128]
   * ```
   */
  constructor(options?: DedupeOptions) {
    this.options = resolveDedupeOptions(options);
    const o = this.options;
    this.optionsHash = optionsHashOf(o);
    this.lsh = o.method === 'minhash'
      ? new LshIndex({ threshold: o.threshold, numPerm: o.numPerm, minRecall: o.minRecall, seed: o.seed, scheme: o.scheme })
      : null;
    // Two more blocks than the distance: C(d + 2, 2) tables, each keyed by ~2 blocks of bits, so a query scans a
    // small fraction of the index (d + 1 blocks would key each table by ~9 bits at d = 6: near-linear queries).
    this.simIndex = o.method === 'simhash'
      ? new SimHashIndex({ maxDistance: o.maxDistance, blocks: Math.min(64, o.maxDistance + 2) })
      : null;
  }

  /** Number of documents remembered (kept and not removed). */
  get size(): number {
    return this.live;
  }

  /**
   * Prepares `text` with this detector's options (normalize, hash, shingle, sign). Pure: the result can be
   * computed anywhere — in a worker thread — and passed to {@link NearDuplicateDetector.addPrepared}.
   * @param text - the document
   * @returns the prepared document (structured-clonable)
   * @throws TypeError if `text` is not a string
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * const doc = detector.prepare('Prepared once, added later by the thread that owns the index.');
   * [doc.empty, doc.signature?.length]; // => [false, 128]
   * ```
   */
  prepare(text: string): PreparedDocument {
    assertString('NearDuplicateDetector.prepare: text', text);
    return prepareWith(text, this.options);
  }

  /**
   * Adds a document: returns the kept document it duplicates, or `{}` when it is new (it is then remembered).
   * A duplicate is not remembered, so its id stays free.
   * @param id - a number or string not already present
   * @param text - the document
   * @returns `{ duplicateOf, similarity, exact }` for a duplicate, `{}` for a new document
   * @throws TypeError for a bad id or text; RangeError if the id is already present
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * detector.add(1, 'The museum opens at nine on weekdays and at ten on Sundays.'); // => {}
   * detector.add(2, 'The museum opens at nine on weekdays, and at ten on Sundays!');
   * // => { duplicateOf: 1, similarity: 1, exact: true }
   * ```
   */
  add(id: DocId, text: string): DetectResult {
    assertId('NearDuplicateDetector.add: id', id);
    assertString('NearDuplicateDetector.add: text', text);
    if (this.slotOf.has(id)) fail(RangeError, 'NearDuplicateDetector.add: id', 'an id not already in the detector', id);
    return this.addPrepared(id, prepareWith(text, this.options));
  }

  /**
   * {@link NearDuplicateDetector.add} for a document prepared with {@link NearDuplicateDetector.prepare} (or
   * `prepareDocument` with the same options) — the split that lets workers do the expensive part. The document
   * must have been prepared with this detector's options: that is not checked.
   * @param id - a number or string not already present
   * @param doc - the prepared document
   * @returns as {@link NearDuplicateDetector.add}
   * @throws TypeError for a bad id; RangeError if the id is already present
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * const text = 'Workers prepare documents in parallel; one thread adds them.';
   * detector.addPrepared('a', detector.prepare(text)); // => {}
   * detector.addPrepared('b', detector.prepare(text)).duplicateOf; // => 'a'
   * ```
   */
  addPrepared(id: DocId, doc: PreparedDocument): DetectResult {
    assertId('NearDuplicateDetector.addPrepared: id', id);
    const prepared = "a document prepared with this detector's options (detector.prepare(text) or prepareDocument(text, detector.options))";
    if (typeof doc !== 'object' || doc === null) fail(TypeError, 'NearDuplicateDetector.addPrepared: doc', prepared, doc);
    if (doc.optionsHash !== this.optionsHash) fail(RangeError, 'NearDuplicateDetector.addPrepared: doc', prepared, doc);
    if (this.slotOf.has(id)) fail(RangeError, 'NearDuplicateDetector.addPrepared: id', 'an id not already in the detector', id);
    const best = this.bestMatch(doc);
    if (best) {
      this.noteDuplicate(doc, best);
      return { duplicateOf: this.ids[best.slot]!, similarity: best.similarity, exact: best.exact };
    }
    this.store(id, doc);
    return {};
  }

  /** Remembers what a duplicate matched, for its identical copies (see `echoes`). @internal */
  noteDuplicate(doc: PreparedDocument, match: Match): void {
    if (doc.empty) return;
    if (this.exact.get(doc.keyHi, doc.keyLo) >= 0 || this.echoKeys.get(doc.keyHi, doc.keyLo) >= 0) return;
    this.echoes.set(keyOf(doc), { ...match });
    this.echoKeys.set(doc.keyHi, doc.keyLo, 0);
  }

  /**
   * Like {@link NearDuplicateDetector.add} but remembers nothing: what would `text` duplicate?
   * @param text - the document
   * @returns as {@link NearDuplicateDetector.add}; the detector is unchanged
   * @throws TypeError if `text` is not a string
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * detector.add('x', 'A sentence that is long enough to be shingled into several word five-grams.');
   * detector.check('a sentence that is long enough to be shingled into several word five grams').duplicateOf; // => 'x'
   * detector.check('Something else entirely, with no words in common at all here.'); // => {}
   * detector.size; // => 1
   * ```
   */
  check(text: string): DetectResult {
    assertString('NearDuplicateDetector.check: text', text);
    const best = this.bestMatch(prepareWith(text, this.options));
    return best ? { duplicateOf: this.ids[best.slot]!, similarity: best.similarity, exact: best.exact } : {};
  }

  /**
   * Forgets a document, so later documents no longer match it.
   * @param id - the id of a remembered document
   * @returns true if it was remembered, false if not
   * @throws never
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * const text = 'Forgotten documents stop matching the documents that come after them.';
   * detector.add(1, text);
   * [detector.remove(1), detector.remove(1), detector.add(2, text)]; // => [true, false, {}]
   * ```
   */
  remove(id: DocId): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot]!;
    if (this.exact.get(doc.keyHi, doc.keyLo) === slot) this.exact.delete(doc.keyHi, doc.keyLo);
    this.lsh?.remove(slot);
    this.simIndex?.remove(slot);
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.docs[slot] = undefined;
    this.live--;
    return true;
  }

  /**
   * Whether a document with this id is remembered (kept and not removed).
   * @param id - any id
   * @returns true if `id` was added as a new document and not removed
   * @throws never
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * const text = 'Only kept documents are remembered; duplicates are reported and dropped.';
   * detector.add('a', text);
   * detector.add('b', text);
   * [detector.has('a'), detector.has('b')]; // => [true, false]
   * ```
   */
  has(id: DocId): boolean {
    return this.slotOf.has(id);
  }

  /** The best verified match of `doc` among remembered documents, or null. @internal */
  bestMatch(doc: PreparedDocument): Match | null {
    let best: Match | null = null;
    for (const m of this.matches(doc, true)) if (beats(m, best)) best = m;
    return best;
  }

  /**
   * Every remembered document `doc` duplicates (exact first). With `stopAtExact`, an exact match ends the search.
   * @internal
   */
  matches(doc: PreparedDocument, stopAtExact: boolean, skip?: (slot: number) => boolean): Match[] {
    if (doc.empty) return [];
    const out: Match[] = [];
    const exactSlot = this.exact.get(doc.keyHi, doc.keyLo);
    if (exactSlot >= 0) {
      out.push({ slot: exactSlot, similarity: 1, exact: true });
      if (stopAtExact) return out;
    }
    if (stopAtExact && this.echoKeys.get(doc.keyHi, doc.keyLo) >= 0) {
      const key = keyOf(doc);
      const echo = this.echoes.get(key)!;
      if (this.docs[echo.slot]) return [{ ...echo }];
      this.echoes.delete(key); // its kept document was removed
      this.echoKeys.delete(doc.keyHi, doc.keyLo);
    }
    const o = this.options;
    let candidates: number[] = [];
    if (this.lsh && doc.signature) candidates = this.lsh.query(this.signatureOf(doc.signature)) as number[];
    else if (this.simIndex && doc.fingerprint !== null) candidates = this.simIndex.query(doc.fingerprint) as number[];
    for (const slot of candidates) {
      if (slot === exactSlot || skip?.(slot)) continue;
      const other = this.docs[slot];
      if (!other) continue;
      this.candidates++;
      const similarity = candidateSimilarity(doc, other, o);
      if (similarity >= o.threshold) out.push({ slot, similarity, exact: false });
      else this.rejected++;
    }
    return out;
  }

  /** Remembers a document unconditionally under a new slot. @internal */
  store(id: DocId, doc: PreparedDocument): number {
    if (this.slotOf.has(id)) fail(RangeError, 'NearDuplicateDetector: id', 'an id not already in the detector', id);
    const slot = this.ids.length;
    this.ids.push(id);
    this.docs.push(doc);
    this.slotOf.set(id, slot);
    this.live++;
    if (doc.empty) return slot;
    if (this.exact.get(doc.keyHi, doc.keyLo) < 0) this.exact.set(doc.keyHi, doc.keyLo, slot);
    if (this.lsh && doc.signature) this.lsh.insert(slot, this.signatureOf(doc.signature));
    if (this.simIndex && doc.fingerprint !== null) this.simIndex.insert(slot, doc.fingerprint);
    return slot;
  }

  /** The remembered documents in slot order (arrival order), for copying the detector elsewhere. @internal */
  *entries(): IterableIterator<{ slot: number; id: DocId; doc: PreparedDocument }> {
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      const doc = this.docs[slot];
      if (id !== undefined && doc) yield { slot, id, doc };
    }
  }

  /** The echoes (exact keys of reported duplicates → their match) whose kept document is still here. @internal */
  *echoEntries(): IterableIterator<{ keyHi: number; keyLo: number; match: Match }> {
    for (const [key, match] of this.echoes) {
      if (this.docs[match.slot]) yield { keyHi: Number(key >> 32n), keyLo: Number(key & 0xffffffffn), match: { ...match } };
    }
  }

  /** Records an echo (see `echoes`) for a detector rebuilt from elsewhere; `slot` must hold a document. @internal */
  restoreEcho(keyHi: number, keyLo: number, match: Match): void {
    const key = (BigInt(keyHi) << 32n) | BigInt(keyLo);
    if (!this.echoes.has(key)) this.echoKeys.set(keyHi, keyLo, 0);
    this.echoes.set(key, { ...match });
  }

  /** The id and prepared document in a slot. @internal */
  slot(slot: number): { id: DocId; doc: PreparedDocument } | undefined {
    const id = this.ids[slot];
    const doc = this.docs[slot];
    return id === undefined || !doc ? undefined : { id, doc };
  }

  /** Exact similarity of two prepared documents under the verification rule. @internal */
  verify(a: PreparedDocument, b: PreparedDocument): number {
    return verifiedSimilarity(a, b);
  }

  private signatureOf(values: Uint32Array): MinHashSignature {
    const o = this.options;
    return { values, numPerm: o.numPerm, seed: o.seed, scheme: o.scheme };
  }

  /**
   * Serializes the detector (options, remembered documents with their shingles and signatures) into one
   * checksummed buffer (the neardup envelope, kind `NearDuplicateDetector`).
   * @returns bytes for {@link NearDuplicateDetector.fromBytes}
   * @throws never
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector({ threshold: 0.7 });
   * detector.add('a', 'A service saves its state before it stops and resumes from it later.');
   * const restored = NearDuplicateDetector.fromBytes(detector.toBytes());
   * [restored.size, restored.options.threshold, restored.has('a')]; // => [1, 0.7, true]
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    w.string(JSON.stringify(this.options));
    w.u32(this.live);
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      const doc = this.docs[slot];
      if (id === undefined || !doc) continue;
      w.id(id);
      w.f64(doc.length).u8(doc.empty ? 1 : 0).u32(doc.keyHi).u32(doc.keyLo);
      w.u32Array(doc.shingles);
      w.u8(doc.signature ? 1 : 0);
      if (doc.signature) w.u32Array(doc.signature);
      w.u8(doc.fingerprint !== null ? 1 : 0);
      if (doc.fingerprint !== null) w.u32(Number(doc.fingerprint >> 32n)).u32(Number(doc.fingerprint & 0xffffffffn));
      w.u8(doc.normalized !== null ? 1 : 0);
      if (doc.normalized !== null) w.string(doc.normalized);
    }
    // Echoes whose kept document is still here, with that document's position in the list above.
    const ordinal = new Map<number, number>();
    for (let slot = 0, n = 0; slot < this.ids.length; slot++) if (this.docs[slot]) ordinal.set(slot, n++);
    const echoes = [...this.echoes].filter(([, m]) => ordinal.has(m.slot));
    w.u32(echoes.length);
    for (const [key, m] of echoes) {
      w.u32(Number(key >> 32n)).u32(Number(key & 0xffffffffn)).u32(ordinal.get(m.slot)!).f64(m.similarity).u8(m.exact ? 1 : 0);
    }
    return sealEnvelope(Kind.NearDuplicateDetector, FORMAT_VERSION, w);
  }

  /**
   * Restores a detector saved with {@link NearDuplicateDetector.toBytes}: same options, same remembered documents.
   * @param bytes - the serialized detector
   * @returns the restored detector
   * @throws TypeError if `bytes` is not a Uint8Array; RangeError if the buffer is truncated, corrupted
   *   (checksum), of another kind or version, or holds a signature of the wrong length or a repeated id;
   *   TypeError or RangeError naming the option if it holds invalid options
   * @example
   * ```ts
   * const detector = new NearDuplicateDetector();
   * detector.add(1, 'Saved state answers exactly as the detector that wrote it would have.');
   * const restored = NearDuplicateDetector.fromBytes(detector.toBytes());
   * restored.add(2, 'saved state answers exactly as the detector that wrote it would have').duplicateOf; // => 1
   * ```
   */
  static fromBytes(bytes: Uint8Array): NearDuplicateDetector {
    const what = 'NearDuplicateDetector.fromBytes';
    const r: ByteReader = openEnvelope(bytes, Kind.NearDuplicateDetector, FORMAT_VERSION, what);
    let options: DedupeOptions;
    try {
      options = JSON.parse(r.string()) as DedupeOptions;
    } catch (err) {
      throw new RangeError(`${what}: the options record is not valid JSON (${(err as Error).message})`);
    }
    // The constructor validates the options record exactly as it validates a caller's options.
    let detector: NearDuplicateDetector;
    try {
      detector = new NearDuplicateDetector(options);
    } catch (err) {
      throw new RangeError(`${what}: invalid options in the buffer: ${(err as Error).message}`);
    }
    const count = r.u32();
    const slots: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = r.id();
      const length = r.f64();
      const empty = r.u8() === 1;
      const keyHi = r.u32();
      const keyLo = r.u32();
      const sh = r.u32Array();
      const signature = r.u8() === 1 ? r.u32Array() : null;
      const fingerprint = r.u8() === 1 ? (BigInt(r.u32()) << 32n) | BigInt(r.u32()) : null;
      const normalized = r.u8() === 1 ? r.string() : null;
      if (signature && signature.length !== detector.options.numPerm) {
        throw new RangeError(`${what}: a stored signature has ${signature.length} values, expected ${detector.options.numPerm}`);
      }
      slots.push(detector.store(id, { length, empty, keyHi, keyLo, optionsHash: detector.optionsHash, shingles: sh, signature, fingerprint, normalized }));
    }
    const echoes = r.u32();
    for (let i = 0; i < echoes; i++) {
      const hi = r.u32();
      const lo = r.u32();
      const key = (BigInt(hi) << 32n) | BigInt(lo);
      const at = r.u32();
      const similarity = r.f64();
      const exact = r.u8() === 1;
      const slot = slots[at];
      if (slot === undefined || !(similarity >= 0 && similarity <= 1)) {
        throw new RangeError(`${what}: echo ${i} points at document ${at} of ${slots.length} or has similarity ${similarity}`);
      }
      if (!detector.echoes.has(key)) detector.echoKeys.set(hi, lo, 0);
      detector.echoes.set(key, { slot, similarity, exact });
    }
    r.end();
    return detector;
  }
}

function keyOf(doc: PreparedDocument): bigint {
  return (BigInt(doc.keyHi) << 32n) | BigInt(doc.keyLo);
}

/**
 * Prepares a document for a {@link NearDuplicateDetector} built with the same options: the expensive, pure part
 * of {@link NearDuplicateDetector.add} (normalize, hash, shingle, MinHash/SimHash), safe to run in a worker thread.
 * The result is structured-clonable.
 *
 * @param text - the document
 * @param options - the detector's options (or `detector.options`)
 * @returns the prepared document for `addPrepared`
 * @throws TypeError if `text` is not a string; TypeError/RangeError for invalid options
 * @example
 * ```ts
 * const options = { threshold: 0.8 };
 * const detector = new NearDuplicateDetector(options);
 * const prepared = prepareDocument('Some text that a worker thread prepared for the index', options);
 * detector.addPrepared(1, prepared); // => {}
 * detector.addPrepared(2, prepareDocument('some text that a worker thread prepared for the index!', options));
 * // => { duplicateOf: 1, similarity: 1, exact: true }
 * ```
 */
export function prepareDocument(text: string, options?: DedupeOptions): PreparedDocument {
  assertString('prepareDocument: text', text);
  return prepareWith(text, resolveDedupeOptions(options, 'prepareDocument'));
}
