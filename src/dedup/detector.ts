import { ContainmentIndex } from '../containment';
import { minShared } from '../containment/containment-index';
import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteReader, ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { IntTable } from '../internal/int-table';
import { assertId, assertString, describe, fail } from '../internal/validate';
import { LshIndex } from '../lsh';
import { SlotLsh } from '../lsh/slot-lsh';
import { editRatio } from '../similarity';
import { hamming, SimHashIndex } from '../simhash';
import { CandidateOrder } from './candidate-order';
import { KeptStore } from './kept-store';
import { lshOptionsOf, resolveDedupeOptions, type DedupeOptions, type ResolvedDedupeOptions } from './document-options';
import { hasherFor, optionsHashOf, prepareWith, signs, type PreparedDocument } from './prepare';
import { rankByBands, verifiedSimilarity, verifyInOrder, type Match } from './verdict';

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
  /**
   * The kept document this one duplicates: an exact copy when there is one, else the first candidate verified
   * ≥ threshold in rank order (most MinHash values in common first; with `measure: 'containment'`, most of the
   * query's probed prefix shingles in common first) — not necessarily the most similar one.
   */
  duplicateOf?: DocId;
  /**
   * Its similarity to `duplicateOf` (exact Jaccard of shingle sets when verifying, or the containment of this
   * document's shingles in the kept one's with `measure: 'containment'`; 1 for exact duplicates).
   */
  similarity?: number;
  /** True when the normalized texts are identical. */
  exact?: boolean;
}

/** @internal */
export type { Match } from './verdict';

/**
 * Format 3: packed shingle sets, 4-bit MinHash sketches, the LSH index as is. Format 2 (the low byte of each
 * MinHash value instead of the sketch) and format 1 are still read.
 */
const FORMAT_VERSION = 3;


/**
 * Streaming near-duplicate detection: add documents one at a time and learn at once whether each repeats a
 * document added before. Only documents that are kept (not duplicates) are remembered, so memory grows with the
 * number of distinct documents, not with the input.
 *
 * Each document is normalized and hashed (xxh64) for exact duplicates, then shingled; candidates come from a
 * MinHash LSH index (or a SimHash index) and are verified with the exact Jaccard similarity of the shingle sets
 * (or `editRatio`, see `editRatioMaxLength`), so with the default `verify: true` a reported duplicate is never
 * below `threshold`. With `measure: 'containment'` candidates come from a `ContainmentIndex` over the kept shingle
 * sets (which it copies: 4 more bytes a shingle) and are verified by the exact containment of the new document in
 * the kept one. Documents whose normalized text is empty are always kept
 * and never match anything (peers give every empty document one signature and merge them all).
 *
 * Work per document is bounded: a query collects at most `maxCandidates` candidates, ranks them by how many
 * MinHash values they share with it, rules out hopeless ones with cheap bounds and verifies at most
 * `maxVerifications`, stopping at the first one ≥ threshold — so a family of thousands of similar kept texts
 * costs a bounded number of verifications. Only when a bound is reached can a duplicate be missed (the document
 * is then kept); what is reported is still verified. Kept documents are stored packed (shingle sets as varint
 * gaps, 4 bits per MinHash value), about 560 B each for 50-word texts with the defaults, LSH index
 * included.
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
  /** What verification needs of each kept document, packed (see `kept-store.ts`). */
  private readonly kept: KeptStore;
  /** The LSH band buckets of the kept documents' slots (`SlotLsh`: append-only slots, lazy removal). */
  private lsh: SlotLsh | null;
  private readonly simIndex: SimHashIndex | null;
  /** Measure `'containment'`: the kept shingle sets by slot, for candidates (see `ContainmentIndex.prefixHits`). */
  private readonly containment: ContainmentIndex | null;
  private live = 0;
  private readonly optionsHash: number;
  /** Candidate pairs proposed by the index (the `candidates` stat of `dedupe`). @internal */
  candidates = 0;
  /** Candidates found below the threshold, by a cheap bound or verification (`rejectedCandidates`). @internal */
  rejected = 0;
  /** Candidates ruled out by the size or MinHash-estimate bound, a part of `rejected` (`estimateRejectedCandidates`). @internal */
  estimateRejected = 0;
  /** Exact verifications performed (`verifiedCandidates`). @internal */
  verified = 0;
  /** Candidates left unchecked because of `maxVerifications` (`skippedCandidates`). @internal */
  skipped = 0;
  /** Queries that read only part of an LSH bucket because of `maxCandidates` (`truncatedQueries`). @internal */
  truncatedQueries = 0;
  private readonly hits: number[] = [];
  private readonly order = new CandidateOrder();
  /** Band keys of the last LSH query's signature (`keysOf`, null when none): {@link store} reuses them. */
  private readonly bandKeys: Int32Array;
  /** Where each band's hits end in `hits` (`SlotLsh.bandHits`), so candidates are checked on their band first. */
  private readonly bandEnds: Int32Array;
  private keysOf: Uint32Array | null = null;

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
    this.kept = new KeptStore(o);
    const containment = o.measure === 'containment' && o.method === 'minhash';
    this.containment = containment ? new ContainmentIndex({ threshold: o.threshold }) : null;
    this.lsh = o.method === 'minhash' && !containment
      ? new SlotLsh(new LshIndex(lshOptionsOf(o)))
      : null;
    this.bandKeys = new Int32Array(this.lsh ? this.lsh.bands : 0);
    this.bandEnds = new Int32Array(this.lsh ? this.lsh.bands : 0);
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
    // The hash proves the options, not the arrays: a hand-built or damaged document must not reach the index, whose
    // band keys read exactly numPerm values without checking.
    const { shingles, signature } = doc;
    if (!(shingles instanceof Uint32Array) || (this.lsh !== null && shingles.length > 0 && !(signature instanceof Uint32Array && signature.length === this.options.numPerm))) {
      fail(RangeError, 'NearDuplicateDetector.addPrepared: doc', `${prepared}, with its shingles and a signature of ${this.options.numPerm} values`, doc);
    }
    if (this.slotOf.has(id)) fail(RangeError, 'NearDuplicateDetector.addPrepared: id', 'an id not already in the detector', id);
    const best = this.firstMatch(doc);
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
   * The remembered documents in slot (arrival) order, each rebuilt as a prepared document for copying the
   * detector elsewhere (the Redis import). One at a time: nothing is kept per slot. The signature is recomputed
   * from the shingles (the store keeps only its 4-bit sketch); `length` (the original text's, not stored) is 0.
   * @internal
   */
  *entries(): IterableIterator<{ slot: number; id: DocId; doc: PreparedDocument }> {
    const o = this.options;
    const kept = this.kept;
    const hasher = signs(o) ? hasherFor(o) : null;
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      const empty = kept.empty(slot);
      const shingles = kept.shingles(slot);
      const doc: PreparedDocument = {
        length: 0, empty, keyHi: kept.keyHi(slot), keyLo: kept.keyLo(slot), optionsHash: this.optionsHash, shingles,
        signature: hasher && !empty ? hasher.signatureInto(shingles, new Uint32Array(o.numPerm)) : null,
        fingerprint: this.simIndex && !empty ? kept.fingerprint(slot) : null,
        normalized: kept.text(slot),
      };
      yield { slot, id, doc };
    }
  }

  /** The echoes (exact keys of reported duplicates → their match) whose kept document is still here. @internal */
  *echoEntries(): IterableIterator<{ keyHi: number; keyLo: number; match: Match }> {
    for (const [key, match] of this.echoes) {
      if (this.ids[match.slot] !== undefined) yield { keyHi: Number(key >> 32n), keyLo: Number(key & 0xffffffffn), match: { ...match } };
    }
  }

  /** Restores an echo read by `fromBytes`. @internal */
  restoreEcho(hi: number, lo: number, match: Match): void {
    const key = (BigInt(hi) << 32n) | BigInt(lo);
    if (!this.echoes.has(key)) this.echoKeys.set(hi, lo, 0);
    this.echoes.set(key, match);
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
    const best = this.firstMatch(prepareWith(text, this.options));
    return best ? { duplicateOf: this.ids[best.slot]!, similarity: best.similarity, exact: best.exact } : {};
  }

  /**
   * Forgets a document, so later documents no longer match it. (What it took stays allocated until the detector is
   * saved and restored with `toBytes`/`fromBytes`, which renumber the remembered documents densely: its packed
   * shingle bytes and its fixed-size records — keys, MinHash sketch, one LSH node per band, about 90 B at 128
   * permutations plus 8 B per band. A long-running detector that removes as many documents as it keeps can be
   * compacted that way.)
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
    const hi = this.kept.keyHi(slot);
    const lo = this.kept.keyLo(slot);
    if (this.exact.get(hi, lo) === slot) this.exact.delete(hi, lo);
    this.lsh?.remove(slot);
    this.simIndex?.remove(slot);
    this.containment?.remove(slot);
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.kept.clear(slot);
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

  /**
   * The match that decides `doc` under greedy clustering, or null: an exact copy, else the answer an identical
   * earlier duplicate got (see `echoes`), else the first candidate, in rank order, verified ≥ threshold — not
   * necessarily the most similar one (see `maxVerifications`). @internal
   */
  firstMatch(doc: PreparedDocument): Match | null {
    if (doc.empty) return null;
    const exactSlot = this.exact.get(doc.keyHi, doc.keyLo);
    if (exactSlot >= 0) return { slot: exactSlot, similarity: 1, exact: true };
    if (this.echoKeys.get(doc.keyHi, doc.keyLo) >= 0) {
      const key = keyOf(doc);
      const echo = this.echoes.get(key)!;
      if (this.ids[echo.slot] !== undefined) return { ...echo };
      this.echoes.delete(key); // its kept document was removed
      this.echoKeys.delete(doc.keyHi, doc.keyLo);
    }
    let found: Match | null = null;
    this.visit(doc, -1, undefined, (slot, similarity) => {
      found = { slot, similarity, exact: false };
      return true;
    });
    return found;
  }

  /** The kept document with the same normalized text as `doc`, or -1. @internal */
  exactSlot(doc: PreparedDocument): number {
    return doc.empty ? -1 : this.exact.get(doc.keyHi, doc.keyLo);
  }

  /**
   * Calls `onMatch` for every candidate of `doc` verified ≥ threshold (connected clustering), as soon as it is
   * found, so `skip` — asked just before each candidate is checked — can see the clusters `onMatch` joined and
   * spare their members a verification. Exact copies are the caller's (see {@link exactSlot}). @internal
   */
  forEachMatch(doc: PreparedDocument, skip: (slot: number) => boolean, onMatch: (slot: number, similarity: number) => void): void {
    if (doc.empty) return;
    this.visit(doc, this.exact.get(doc.keyHi, doc.keyLo), skip, (slot, similarity) => {
      onMatch(slot, similarity);
      return false;
    });
  }

  /**
   * The bounded candidate loop. Collects at most `maxCandidates` candidate entries from the index, orders the
   * distinct candidates (LSH: most MinHash values in common with the query first; SimHash: nearest first; ties:
   * older first), drops those a cheap bound rules out, and verifies the rest in order — at most
   * `maxVerifications` of them — calling `onMatch` for each one ≥ threshold until it returns true.
   */
  private visit(
    doc: PreparedDocument, exactSlot: number, skip: ((slot: number) => boolean) | undefined,
    onMatch: (slot: number, similarity: number) => boolean,
  ): void {
    const o = this.options;
    const order = this.order;
    const kept = this.kept;
    let n = 0;
    const signature = doc.signature;
    const counts = (slot: number): boolean => slot !== exactSlot && this.ids[slot] !== undefined;
    if (this.lsh && signature) {
      const hits = this.hits; // overwritten from 0 up to ends[bands − 1]
      const lsh = this.lsh;
      this.keysOf = lsh.bandKeysInto(signature, this.bandKeys) ? signature : null;
      const ends = this.bandEnds;
      if (this.keysOf === null) ends.fill(0);
      else if (lsh.bandHits(this.bandKeys, Math.ceil(o.maxCandidates / lsh.bands), hits, ends)) this.truncatedQueries++;
      n = order.distinct(hits, ends);
      // A candidate must agree on every row of some band, whatever the width of the band key that found it (the
      // staged run, with 64-bit band hashes in files, then proposes the same pairs); then two stages: band
      // collisions (free) pick the most promising candidates, MinHash agreement orders them.
      n = rankByBands(signature, n, this.lsh.bands, this.lsh.rows, o, kept, order, counts, this);
    } else if (this.containment) {
      // Containment: candidates share a prefix shingle with the query (a sure filter), most shared first.
      const hits = this.hits;
      hits.length = 0;
      const probes = Math.max(1, doc.shingles.length - minShared(doc.shingles.length, o.threshold) + 1);
      if (this.containment.prefixHits(doc.shingles, Math.ceil(o.maxCandidates / probes), hits)) this.truncatedQueries++;
      n = order.distinct(hits);
      const collisions = order.collisions;
      order.byRank(n, (_, k) => probes - collisions[k]!);
    } else if (this.simIndex && doc.fingerprint !== null) {
      const fp = doc.fingerprint;
      const { ids, truncated } = this.simIndex.boundedQuery(fp, Math.ceil(o.maxCandidates / this.simIndex.tables));
      if (truncated) this.truncatedQueries++;
      n = order.take(ids as number[]);
      order.byRank(n, (slot) => hamming(fp, kept.fingerprint(slot)));
    }
    verifyInOrder(doc, n, o, kept, order, counts, skip, onMatch, this);
  }

  /** Remembers a document unconditionally under a new slot. @internal */
  store(id: DocId, doc: PreparedDocument): number {
    if (this.slotOf.has(id)) fail(RangeError, 'NearDuplicateDetector: id', 'an id not already in the detector', id);
    const slot = this.ids.length;
    this.ids.push(id);
    this.kept.put(slot, doc);
    this.slotOf.set(id, slot);
    this.live++;
    if (doc.empty) return slot;
    if (this.exact.get(doc.keyHi, doc.keyLo) < 0) this.exact.set(doc.keyHi, doc.keyLo, slot);
    const signature = doc.signature;
    if (this.lsh && signature) {
      // The keys of the query that usually precedes a store (the same signature array) are still in `bandKeys`.
      const hashed = signature === this.keysOf || this.lsh.bandKeysInto(signature, this.bandKeys);
      this.keysOf = null;
      this.lsh.insert(slot, hashed ? this.bandKeys : null);
    }
    if (this.simIndex && doc.fingerprint !== null) this.simIndex.insert(slot, doc.fingerprint);
    this.containment?.insert(slot, doc.shingles);
    return slot;
  }

  /**
   * The similarity of two remembered documents under the verification rule (1 for identical normalized texts;
   * with measure `'containment'`, the containment of `a` in `b`), and whether their normalized texts are identical. @internal
   */
  compareSlots(a: number, b: number): { similarity: number; exact: boolean } {
    const kept = this.kept;
    if (kept.keyHi(a) === kept.keyHi(b) && kept.keyLo(a) === kept.keyLo(b)) return { similarity: 1, exact: true };
    if (this.options.measure === 'containment') return { similarity: kept.containmentAtLeast(kept.shingles(a), b, 0), exact: false };
    const ta = kept.text(a);
    const tb = kept.text(b);
    if (ta !== null && tb !== null) return { similarity: editRatio(ta, tb), exact: false };
    return { similarity: kept.jaccard(kept.shingles(a), b), exact: false };
  }

  /** Exact similarity of two prepared documents under this detector's verification rule (see `explain`). @internal */
  verify(a: PreparedDocument, b: PreparedDocument): number {
    return verifiedSimilarity(a, b, this.options.measure);
  }

  /**
   * Serializes the detector into one checksummed buffer (the neardup envelope, kind `NearDuplicateDetector`,
   * format 3): the options; each remembered document, numbered densely in arrival order (so a restored detector holds
   * nothing for removed ones): id, exact-duplicate key, packed shingle set, 4-bit MinHash sketch or full signature,
   * SimHash fingerprint, short normalized text, as the options need them; the LSH buckets in `LshIndex.toBytes`'s
   * layout (the ids are those numbers); and the answers kept for identical copies of duplicates.
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
    // The remembered documents are renumbered densely (slot order, so rank order and ties are unchanged): a restored
    // detector holds nothing for removed ones. `rank` maps a slot to its new number, in every part that names slots.
    const rank = new Int32Array(this.ids.length);
    for (let slot = 0, r = 0; slot < this.ids.length; slot++) if (this.ids[slot] !== undefined) rank[slot] = r++;
    w.u32(this.live).u32(this.live);
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === undefined) continue;
      w.u32(rank[slot]!).id(id);
      this.kept.write(w, slot);
    }
    if (this.lsh) {
      const lsh = this.lsh.toBytes((slot) => rank[slot]!);
      w.u32(lsh.length).bytes(lsh);
    }
    const echoes = [...this.echoes].filter(([, m]) => this.ids[m.slot] !== undefined);
    w.u32(echoes.length);
    for (const [key, m] of echoes) {
      w.u32(Number(key >> 32n)).u32(Number(key & 0xffffffffn)).u32(rank[m.slot]!).f64(m.similarity).u8(m.exact ? 1 : 0);
    }
    return sealEnvelope(Kind.NearDuplicateDetector, FORMAT_VERSION, w);
  }

  /**
   * Restores a detector saved with {@link NearDuplicateDetector.toBytes}: same options, same remembered documents.
   * Buffers of formats 1 (neardup 0.1, which stored full shingle arrays and signatures) and 2 are read too.
   * @param bytes - the serialized detector
   * @returns the restored detector
   * @throws TypeError if `bytes` is not a Uint8Array; RangeError if the buffer is truncated, corrupted
   *   (checksum), of another kind or an unknown version, or holds a signature of the wrong length, a corrupt
   *   shingle set, a repeated id or slot; TypeError or RangeError naming the option if it holds invalid options
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
    // The envelope's version (bytes 4–5, little-endian) picks the reader; openEnvelope checks the rest of the header.
    const version = bytes instanceof Uint8Array && bytes.length >= 6 ? bytes[4]! | (bytes[5]! << 8) : FORMAT_VERSION;
    if (version === 1) return readFormat1(bytes, what);
    const format = version === 2 ? 2 : FORMAT_VERSION;
    const r: ByteReader = openEnvelope(bytes, Kind.NearDuplicateDetector, format, what);
    const detector = detectorFrom(r, what);
    const slots = r.u32();
    const count = r.u32();
    if (count > slots) throw new RangeError(`${what}: ${count} documents in ${slots} slots`);
    const ids = detector.ids;
    ids.length = slots; // holes: removed documents
    let last = -1;
    for (let i = 0; i < count; i++) {
      const slot = r.u32();
      if (slot <= last || slot >= slots) throw new RangeError(`${what}: document ${i} has slot ${slot} (after ${last}, of ${slots})`);
      last = slot;
      const id = r.id();
      if (detector.slotOf.has(id)) throw new RangeError(`${what}: id ${describe(id)} is stored twice`);
      const { empty, keyHi, keyLo, fingerprint } = detector.kept.read(r, slot, what, format);
      ids[slot] = id;
      detector.slotOf.set(id, slot);
      detector.live++;
      if (empty) continue;
      if (detector.exact.get(keyHi, keyLo) < 0) detector.exact.set(keyHi, keyLo, slot);
      if (detector.simIndex && fingerprint !== null) detector.simIndex.insert(slot, fingerprint);
      // The containment index is derived data: rebuilt from the stored sets.
      detector.containment?.insert(slot, detector.kept.shingles(slot));
    }
    if (detector.lsh) {
      const lsh = SlotLsh.fromBytes(r.bytes(r.u32()), slots);
      if (lsh.bands !== detector.lsh.bands || lsh.rows !== detector.lsh.rows || lsh.size > count) {
        throw new RangeError(`${what}: the LSH index (${lsh.bands} × ${lsh.rows}, ${lsh.size} documents) does not fit the options or documents`);
      }
      for (let slot = 0; slot < slots; slot++) {
        if (lsh.has(slot) && ids[slot] === undefined) throw new RangeError(`${what}: the LSH index holds slot ${slot}, which has no document`);
      }
      detector.lsh = lsh;
    }
    readEchoes(r, detector, (at) => (at < slots && ids[at] !== undefined ? at : undefined), what);
    r.end();
    return detector;
  }
}

/**
 * A detector with the options record at the start of a serialized detector. The constructor validates the record
 * exactly as it validates a caller's options; what it refuses is reported as a RangeError naming `what`.
 */
function detectorFrom(r: ByteReader, what: string): NearDuplicateDetector {
  let options: DedupeOptions;
  try {
    options = JSON.parse(r.string()) as DedupeOptions;
  } catch (err) {
    throw new RangeError(`${what}: the options record is not valid JSON (${(err as Error).message})`);
  }
  try {
    return new NearDuplicateDetector(options);
  } catch (err) {
    throw new RangeError(`${what}: invalid options in the buffer: ${(err as Error).message}`);
  }
}

/** The echoes at the end of a serialized detector; `slotAt` maps a stored reference to a slot (or undefined). */
function readEchoes(r: ByteReader, detector: NearDuplicateDetector, slotAt: (at: number) => number | undefined, what: string): void {
  const echoes = r.u32();
  for (let i = 0; i < echoes; i++) {
    const hi = r.u32();
    const lo = r.u32();
    const at = r.u32();
    const similarity = r.f64();
    const exact = r.u8() === 1;
    const slot = slotAt(at);
    if (slot === undefined || !(similarity >= 0 && similarity <= 1)) {
      throw new RangeError(`${what}: echo ${i} points at document ${at} or has similarity ${similarity}`);
    }
    detector.restoreEcho(hi, lo, { slot, similarity, exact });
  }
}

/** Reads format 1 (neardup 0.1: documents in order with full shingle arrays and signatures) by adding them again. */
function readFormat1(bytes: Uint8Array, what: string): NearDuplicateDetector {
  const r = openEnvelope(bytes, Kind.NearDuplicateDetector, 1, what);
  const detector = detectorFrom(r, what);
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
    for (let j = 1; j < sh.length; j++) {
      if (sh[j]! <= sh[j - 1]!) throw new RangeError(`${what}: the shingle set of document ${i} is not strictly ascending`);
    }
    const doc = { length, empty, keyHi, keyLo, optionsHash: optionsHashOf(detector.options), shingles: sh, signature, fingerprint, normalized };
    slots.push(detector.store(id, doc));
  }
  readEchoes(r, detector, (at) => slots[at], what);
  r.end();
  return detector;
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

/** True when signatures `a` and `b` agree on all `rows` values of at least one of the `bands` bands. @internal */
export function shareBand(a: Uint32Array, b: Uint32Array, bands: number, rows: number): boolean {
  for (let band = 0, i = 0; band < bands; band++) {
    const end = i + rows;
    while (i < end && a[i] === b[i]) i++;
    if (i === end) return true;
    i = end;
  }
  return false;
}
