import { assertBoolean, assertId, assertOneOf, assertOptions, assertString, fail } from '../internal/validate';
import { assertSortedSet } from '../similarity/sets';
import { BOILERPLATE_DEFAULTS, boilerplateLookup, boilerplateOf, contentShingles, discountPrepared, resolveBoilerplateOptions, type BoilerplateOptions, type ResolvedBoilerplateOptions } from './boilerplate';
import { resolveShingleOptions } from '../shingle/shingles';
import type { Doc, DocId } from '../internal/doc';
import { NearDuplicateDetector } from './detector';
import { DEDUPE_KEYS, resolveDedupeOptions, type DedupeOptions, type ResolvedDedupeOptions } from './document-options';
import type { PreparedDocument } from './prepare';
import { UnionFind } from './union-find';

/** What a keep rule sees of a document.
 * @example
 * ```ts
 * const preferShortest = (a: KeepCandidate, b: KeepCandidate): number => a.length - b.length || a.index - b.index;
 * const text = 'a long enough text to have several word five grams in it for matching';
 * dedupe([`${text} and more`, text], { keep: preferShortest }).kept; // => [1]
 * ```
 */
export interface KeepCandidate {
  /** The document's id (its position when it was given as a bare string). */
  readonly id: DocId;
  /** Position in the input, from 0. */
  readonly index: number;
  /** Length of the text in UTF-16 code units. */
  readonly length: number;
}

/**
 * Which copy of a cluster is kept: `'first'` (earliest in the input), `'longest'` (ties: earliest), or a
 * comparator that returns a negative number when `a` should be kept rather than `b`.
 *
 * @example
 * ```ts
 * const rules: KeepRule[] = ['first', 'longest', (a, b) => b.index - a.index];
 * const text = 'one two three four five six seven eight nine ten';
 * rules.map((keep) => dedupe([text, `${text}.`, `${text}!!`], { keep }).kept); // => [[0], [2], [2]]
 * ```
 */
export type KeepRule = 'first' | 'longest' | ((a: KeepCandidate, b: KeepCandidate) => number);

/** Options of {@link dedupe}: the detector options plus the keep rule and the clustering.
 * @example
 * ```ts
 * const options: DedupeRunOptions = { threshold: 0.9, keep: 'longest', clustering: 'connected', method: 'minhash' };
 * dedupe(['same words here in this text', 'Same words here, in this text.'], options).kept; // => [1]
 * ```
 */
export interface DedupeRunOptions extends DedupeOptions {
  /** Which copy to keep. Default `'first'`. */
  keep?: KeepRule;
  /**
   * `'greedy'` (default): documents are taken in keep order; each is a duplicate of a kept document verified
   * ≥ threshold — an exact copy if there is one, else the first candidate so verified in rank order (most LSH bands
   * shared first), which need not be the most similar kept document — or is kept itself. Every reported pair is
   * verified ≥ threshold. `'connected'`: every verified pair is joined
   * (union-find), and each connected cluster keeps one document; a member may then be below the threshold to the
   * kept copy through a chain (A≈B≈C), and its reported `similarity` says so.
   */
  clustering?: 'greedy' | 'connected';
  /**
   * Boilerplate-aware matching: find the shingles that occur in very many documents (template lines, navigation,
   * licence footers) in a first pass over the input ({@link boilerplateShingles}), and leave them out before
   * signing and verifying, so pages that share only a template are not near-duplicates. `true` for the defaults
   * ({@link BOILERPLATE_DEFAULTS}), or the options. Clusters then report their `boilerplateShare`. Default: off.
   */
  boilerplate?: boolean | DedupeBoilerplateOptions;
}

/**
 * The `boilerplate` option of {@link dedupe}: how to find boilerplate shingles, or which they are, and whether to
 * leave them out or only report them.
 * @example
 * ```ts
 * const flagOnly: DedupeBoilerplateOptions = { maxDocFrequency: 0.01, minDocuments: 2, discount: false };
 * dedupe(['a b c d e f', 'a b c d e f g'], { boilerplate: flagOnly }).boilerplate; // => { shingles: 2, clusters: 0 }
 * ```
 */
export interface DedupeBoilerplateOptions extends BoilerplateOptions {
  /** Leave boilerplate shingles out before signing and verifying. Default true; false only reports them. */
  discount?: boolean;
  /**
   * The boilerplate shingles, sorted distinct (e.g. from {@link boilerplateShingles} over a larger corpus, with the
   * same shingle options): no first pass. Default: found in the input.
   */
  shingles?: Uint32Array;
}

/** One removed document.
 * @example
 * ```ts
 * const [record]: DuplicateRecord[] = dedupe(['Hello there, general reader', 'hello there general reader!']).duplicates;
 * record; // => { id: 1, duplicateOf: 0, similarity: 1, exact: true }
 * ```
 */
export interface DuplicateRecord {
  /** The removed document's id. */
  readonly id: DocId;
  /** The kept document of its cluster. */
  readonly duplicateOf: DocId;
  /**
   * Similarity to `duplicateOf` (exact Jaccard of shingle sets unless `verify: false`; with `measure: 'containment'`
   * the containment of this document in `duplicateOf`; 1 for exact duplicates).
   */
  readonly similarity: number;
  /** True when the normalized texts are identical. */
  readonly exact: boolean;
}

/** A group of documents that repeat each other: the kept one and the rest.
 * @example
 * ```ts
 * const clusters: Cluster[] = dedupe(['x y z w v u', 'X Y Z W V U', 'other text', 'x, y, z, w, v, u']).clusters;
 * clusters; // => [{ id: 0, kept: 0, members: [0, 1, 3] }]
 * ```
 */
export interface Cluster {
  /** Cluster number, from 0, in order of the kept documents' input positions. */
  readonly id: number;
  /** The id of the document kept for the cluster (chosen by the keep rule). */
  readonly kept: DocId;
  /** All members (kept one included), in input order. */
  readonly members: DocId[];
  /**
   * With the `boilerplate` option: the share of the shingles the members share with the kept document (before any
   * discount) that touch boilerplate, over all members: how much of what they have in common is template text.
   */
  readonly boilerplateShare?: number;
  /**
   * With the `boilerplate` option: true when boilerplate holds the cluster together — at least one member reaches
   * `threshold` (Jaccard, or its containment in the kept document with `measure: 'containment'`) to the kept
   * document with every shingle but falls below it once the shingles that touch boilerplate are left out: the
   * template lifts it over the threshold (one such member is enough to join unrelated documents: over-merging). A
   * member below the threshold either way does not count. Never true when the shingles were left out before
   * matching (`discount`, the default): matching never saw the template, so it cannot hold a cluster (a member
   * below the threshold to the kept copy is then joined through a chain of content matches, connected clustering).
   */
  readonly heldByBoilerplate?: boolean;
}

/** Counters of a {@link dedupe} run.
 * @example
 * ```ts
 * const stats: DedupeStats = dedupe(['', 'some words', 'Some words!']).stats;
 * [stats.documents, stats.kept, stats.exactDuplicates, stats.emptyDocuments]; // => [3, 2, 1, 1]
 * ```
 */
export interface DedupeStats {
  /** Documents read from the input. */
  readonly documents: number;
  /** Documents kept: `documents − duplicates`. */
  readonly kept: number;
  /** Documents removed as duplicates: `exactDuplicates + nearDuplicates`. */
  readonly duplicates: number;
  /** Duplicates whose normalized text equals that of their kept document. */
  readonly exactDuplicates: number;
  /** Duplicates found by similarity (normalized texts differ). */
  readonly nearDuplicates: number;
  /** Documents whose normalized text is empty: always kept, never matched. */
  readonly emptyDocuments: number;
  /**
   * Candidate pairs proposed by the index (LSH / SimHash), each query's candidates counted once — checked or
   * not: greedy clustering stops at the first match, connected clustering skips members of the same cluster.
   */
  readonly candidates: number;
  /** Candidates found below the threshold (by a cheap bound or by verification): the index's false positives. */
  readonly rejectedCandidates: number;
  /** The part of `rejectedCandidates` ruled out by the size ratio or the MinHash-estimate bound, unverified. */
  readonly estimateRejectedCandidates: number;
  /** Exact verifications performed (Jaccard or edit ratio; estimates when `verify` is false). */
  readonly verifiedCandidates: number;
  /**
   * Candidates left unchecked because of `maxVerifications` (their query had used it up, or they were not among
   * the 4 × maxVerifications sharing the most LSH bands): where that bound may have changed an answer (0: it
   * changed nothing).
   */
  readonly skippedCandidates: number;
  /** Queries that read only part of an LSH bucket because of `maxCandidates` (0: that bound changed nothing). */
  readonly truncatedQueries: number;
  /** Clusters with at least two members. */
  readonly clusters: number;
  /** Members of the largest cluster: 1 when there are documents but no duplicates, 0 for an empty input. */
  readonly largestCluster: number;
  /** Wall-clock time of the run in milliseconds (`performance.now()`), input reading included. */
  readonly milliseconds: number;
}

/** The result of {@link dedupe}.
 * @example
 * ```ts
 * const result: DedupeResult = dedupe(['a b c d e f', 'a b c d e f']);
 * [result.kept, result.duplicates.length, result.clusters.length]; // => [[0], 1, 1]
 * ```
 */
export interface DedupeResult {
  /** Ids of the kept documents, in input order. */
  readonly kept: DocId[];
  /** Removed documents, in input order. */
  readonly duplicates: DuplicateRecord[];
  /** Clusters of two or more documents. */
  readonly clusters: Cluster[];
  /** Counters of the run. */
  readonly stats: DedupeStats;
  /**
   * With the `boilerplate` option: how many distinct shingles were boilerplate, and how many clusters are held
   * together by them (`heldByBoilerplate`).
   */
  readonly boilerplate?: {
    /** Distinct boilerplate shingles (found in the first pass, or given). */
    readonly shingles: number;
    /** Clusters held together by boilerplate (`heldByBoilerplate`). */
    readonly clusters: number;
  };
}

const DEDUPE_RUN_KEYS = [...DEDUPE_KEYS, 'keep', 'clustering', 'boilerplate'] as const;
const BOILERPLATE_RUN_KEYS = ['maxDocFrequency', 'minDocuments', 'sampleSize', 'discount', 'shingles'] as const;

/** @internal */
export interface Entry extends KeepCandidate {
  readonly empty: boolean;
  /** The prepared document until it has been processed: the detector keeps what it needs of kept documents. */
  doc: PreparedDocument | null;
}

/**
 * Finds exact and near-duplicate documents in a collection and says which copy to keep.
 *
 * Each text is normalized (NFKC, lowercase, punctuation and digits folded) and hashed with xxh64 — identical
 * normalized texts are exact duplicates, found cheaply — then cut into word 5-gram shingles, signed with MinHash and
 * indexed with LSH (or SimHash, or nothing for `method: 'exact'`). Candidates are verified with the exact Jaccard
 * similarity of their shingle sets, so with the defaults (`verify: true`, `clustering: 'greedy'`) no reported
 * pair is below `threshold`. Documents with empty normalized text
 * are always kept. Returns a promise when `docs` is an `AsyncIterable`.
 *
 * **What normalization folds.** Case, accents, punctuation, and every run of digits (to `0`): with the defaults, two
 * invoices that differ only in their numbers are *exact* duplicates. Keep digits with
 * `shingle: { normalize: { digits: false } }` (the exact-duplicate key follows the same normalization).
 *
 * **Templates and partial copies.** Jaccard sees whole-document copies. Pages that share a large template look alike:
 * `boilerplate: true` leaves out the shingles found in very many documents (and those that straddle them). A short
 * text copied inside a longer one is not a Jaccard duplicate at all: `measure: 'containment'` removes a document
 * mostly contained in a kept one (with `keep: 'longest'`, whatever the order), and `ContainmentIndex` (or
 * `neardup contains`) searches for given texts.
 *
 * Work per document is bounded (`maxCandidates`, `maxVerifications`): a family of thousands of similar texts
 * costs each query a bounded number of verifications; `stats` says when a bound was reached. With
 * `keep: 'first'` (the default) documents are processed as they arrive and a duplicate is forgotten at once;
 * other keep rules (and `boilerplate`) hold every prepared document until the input ends.
 *
 * @param docs - `{ id, text }` records or strings (id = position); ids must be unique
 * @param options - threshold, method, shingling, MinHash parameters, verification bounds, keep rule, clustering
 * @returns kept ids, duplicates with what they duplicate and how similar, clusters, stats
 * @throws TypeError for a malformed document, an unknown option key or an option of the wrong type; RangeError for a
 *   duplicate id (as everywhere: `LshIndex`, `SimHashIndex`, the detector, `findRepeats`) or an out-of-range option
 * @example
 * ```ts
 * const docs = [
 *   { id: 'a', text: 'Mali has faced a persistent Islamist insurgency for over ten years, leading to a coup.' },
 *   { id: 'b', text: 'Wagner Group announces strategic withdrawal from Mali amid ongoing security challenges.' },
 *   { id: 'c', text: 'MALI has faced a persistent Islamist insurgency for over ten years — leading to a coup!' },
 * ];
 * const result = dedupe(docs, { threshold: 0.8 });
 * result.kept; // => ['a', 'b']
 * result.duplicates; // => [{ id: 'c', duplicateOf: 'a', similarity: 1, exact: true }]
 * result.clusters; // => [{ id: 0, kept: 'a', members: ['a', 'c'] }]
 * const invoices = ['Invoice 1001: 3 chairs, total 240.00 EUR', 'Invoice 1002: 7 chairs, total 560.00 EUR'];
 * dedupe(invoices).duplicates; // => [{ id: 1, duplicateOf: 0, similarity: 1, exact: true }]
 * dedupe(invoices, { shingle: { normalize: { digits: false } } }).duplicates; // => []
 * ```
 */
export function dedupe(docs: Iterable<string | Doc>, options?: DedupeRunOptions): DedupeResult;
export function dedupe(docs: AsyncIterable<string | Doc>, options?: DedupeRunOptions): Promise<DedupeResult>;
export function dedupe(
  docs: Iterable<string | Doc> | AsyncIterable<string | Doc>,
  options?: DedupeRunOptions,
): DedupeResult | Promise<DedupeResult> {
  const t0 = now();
  assertOptions('dedupe', 'options', options, DEDUPE_RUN_KEYS);
  const { keep = 'first', clustering = 'greedy', boilerplate: bpOption, ...detectorOptions } = options ?? {};
  // Every option is checked here, under dedupe's name; the detector then checks the same values again (once).
  const resolved = resolveDedupeOptions(detectorOptions, 'dedupe');
  const bp = resolveRunBoilerplate(bpOption);
  if (typeof keep !== 'function') assertOneOf('dedupe: options.keep', keep, ['first', 'longest'] as const);
  assertOneOf('dedupe: options.clustering', clustering, ['greedy', 'connected'] as const);
  const detector = new NearDuplicateDetector(detectorOptions);
  const state = new Run(detector, clustering);
  // Keep-first order is input order: each document is settled on arrival and a duplicate's data dropped at once
  // (unless a boilerplate pass must see every document first).
  const streaming = keep === 'first' && bp === null;
  const seen = new Set<DocId>();
  /** The texts, for the boilerplate pass (which shingles straddle a template's edge is read from the text). */
  const texts: string[] = [];
  const accept = (input: string | Doc, index: number): void => {
    let id: DocId;
    let text: unknown;
    if (typeof input === 'string') {
      id = index;
      text = input;
    } else if (typeof input === 'object' && input !== null) {
      id = input.id;
      text = input.text;
      assertId(`dedupe: docs[${index}].id`, id);
    } else {
      fail(TypeError, `dedupe: docs[${index}]`, 'a string or a { id, text } document', input);
    }
    assertString(`dedupe: docs[${index}].text`, text);
    if (seen.has(id)) fail(RangeError, `dedupe: docs[${index}].id`, 'an id not used by an earlier document', id);
    seen.add(id);
    const doc = detector.prepare(text);
    if (bp !== null) texts.push(text);
    state.entries.push({ id, index, length: text.length, empty: doc.empty, doc });
    if (streaming) {
      state.uf.add(index);
      state.step(index);
    }
  };
  const finish = (): DedupeResult => {
    const entries = state.entries;
    // The boilerplate pass: the raw shingle sets (and exact keys, for the report) before the documents are re-signed
    // without the boilerplate shingles.
    let boilerplate: { raw: Uint32Array[]; rest: Uint32Array[]; keys: Float64Array; table: Uint32Array } | null = null;
    if (bp !== null) {
      const raw = entries.map((e) => e.doc!.shingles);
      const keys = new Float64Array(2 * entries.length);
      entries.forEach((e, i) => {
        keys[2 * i] = e.doc!.keyHi;
        keys[2 * i + 1] = e.doc!.keyLo;
      });
      const table = bp.shingles ?? boilerplateOf(raw, bp.options);
      const so = resolveShingleOptions(resolved.shingle, 'dedupe', 'options.shingle');
      const lookup = boilerplateLookup(table);
      const rest = entries.map((_, i) => contentShingles(texts[i]!, raw[i]!, lookup, so));
      texts.length = 0;
      if (bp.discount) entries.forEach((e, i) => (e.doc = discountPrepared(e.doc!, rest[i]!, resolved)));
      boilerplate = { raw, rest, keys, table };
    }
    if (!streaming) state.settleAll(keep);
    const result = state.result(t0);
    if (boilerplate === null) return result;
    return withBoilerplateShares(result, entries, boilerplate.raw, boilerplate.rest, boilerplate.keys, boilerplate.table.length, resolved, bp!.discount);
  };

  if (isAsyncIterable(docs)) {
    return (async () => {
      let i = 0;
      for await (const d of docs) accept(d, i++);
      return finish();
    })();
  }
  if (!isIterable(docs)) fail(TypeError, 'dedupe: docs', 'an Iterable or AsyncIterable of documents', docs);
  let i = 0;
  for (const d of docs) accept(d, i++);
  return finish();
}

/** What {@link clusterEntries} says of each entry. @internal */
export interface EntryClusters {
  /** Entry index of the kept document of each entry's cluster (the entry itself when it is kept). */
  readonly rep: Int32Array;
  /** Similarity of each removed entry to its kept document (0 for kept ones). */
  readonly similarity: Float64Array;
  /** 1 when a removed entry's normalized text equals its kept document's. */
  readonly exact: Uint8Array;
}

/**
 * The clustering of prepared documents (in input order) under a keep rule: the core of {@link dedupe}, shared
 * with the CLI's single-process `--clustering connected` / `--keep longest` path. `detector` must be fresh and
 * have prepared the documents.
 * @internal
 */
export function clusterEntries(
  entries: readonly { id: DocId; index: number; length: number; doc: PreparedDocument }[],
  detector: NearDuplicateDetector, keep: KeepRule, clustering: 'greedy' | 'connected',
): EntryClusters {
  const state = new Run(detector, clustering);
  for (const e of entries) state.entries.push({ id: e.id, index: e.index, length: e.length, empty: e.doc.empty, doc: e.doc });
  state.settleAll(keep);
  return state.clusters();
}

/** The state of one {@link dedupe} run: entries, clusters, what each duplicate matched. */
class Run {
  readonly entries: Entry[] = [];
  readonly uf = new UnionFind();
  /** Greedy: per entry, the similarity and exactness of the match that made it a duplicate. */
  private readonly similarityOf: number[] = [];
  private readonly exactOf: boolean[] = [];
  /** Connected: per entry, the detector slot holding its content (its own, or its exact original's). */
  private readonly contentOf: number[] = [];
  /** Per detector slot: the entry stored there. */
  private readonly entryOfSlot: number[] = [];

  constructor(private readonly detector: NearDuplicateDetector, private readonly clustering: 'greedy' | 'connected') {}

  /** Settles entry `i` against the documents kept so far, then drops its prepared document. */
  step(i: number): void {
    const e = this.entries[i]!;
    const doc = e.doc!;
    e.doc = null;
    const detector = this.detector;
    if (this.clustering === 'greedy') {
      const best = detector.firstMatch(doc);
      if (best) {
        detector.noteDuplicate(doc, best);
        this.similarityOf[i] = best.similarity;
        this.exactOf[i] = best.exact;
        this.uf.union(i, this.entryOfSlot[best.slot]!);
      } else {
        this.entryOfSlot[detector.store(e.id, doc)] = i;
      }
      return;
    }
    // An exact copy joins its original's cluster and is not stored: n identical documents cost O(n), not O(n²).
    const exactSlot = detector.exactSlot(doc);
    if (exactSlot >= 0) {
      this.uf.union(i, this.entryOfSlot[exactSlot]!);
      this.contentOf[i] = exactSlot;
      return;
    }
    // Candidates already in this document's cluster need no verification; joins take effect at once.
    const uf = this.uf;
    const inCluster = (slot: number): boolean => uf.find(this.entryOfSlot[slot]!) === uf.find(i);
    detector.forEachMatch(doc, inCluster, (slot) => uf.union(i, this.entryOfSlot[slot]!));
    const slot = detector.store(e.id, doc);
    this.entryOfSlot[slot] = i;
    this.contentOf[i] = slot;
  }

  /** Settles every entry in keep-rule order (the path that cannot stream: a keep rule other than input order). */
  settleAll(keep: KeepRule): void {
    const entries = this.entries;
    const order = entries.map((_, i) => i);
    if (keep === 'longest') order.sort((a, b) => entries[b]!.length - entries[a]!.length || a - b);
    else if (typeof keep === 'function') order.sort((a, b) => keep(entries[a]!, entries[b]!) || a - b);
    const rank = new Int32Array(entries.length);
    order.forEach((entryIndex, position) => (rank[entryIndex] = position));
    for (let i = 0; i < entries.length; i++) this.uf.add(rank[i]!);
    for (const i of order) this.step(i);
  }

  /** A removed entry's similarity to its cluster's kept entry `root`, and whether their normalized texts are equal. */
  private toKept(i: number, root: number): { similarity: number; exact: boolean } {
    if (this.clustering === 'greedy') return { similarity: this.similarityOf[i]!, exact: this.exactOf[i]! };
    return this.detector.compareSlots(this.contentOf[i]!, this.contentOf[root]!);
  }

  /** Per entry: its cluster's kept entry, and for removed entries their similarity and exactness to it. */
  clusters(): EntryClusters {
    const n = this.entries.length;
    const rep = new Int32Array(n);
    const similarity = new Float64Array(n);
    const exact = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const root = this.uf.find(i);
      rep[i] = root;
      if (root === i) continue;
      const m = this.toKept(i, root);
      similarity[i] = m.similarity;
      exact[i] = m.exact ? 1 : 0;
    }
    return { rep, similarity, exact };
  }

  result(t0: number): DedupeResult {
    const { entries, uf, detector } = this;
    const kept: DocId[] = [];
    const duplicates: DuplicateRecord[] = [];
    const members = new Map<number, number[]>();
    let exactDuplicates = 0;
    let emptyDocuments = 0;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.empty) emptyDocuments++;
      const root = uf.find(i);
      let group = members.get(root);
      if (!group) members.set(root, (group = []));
      group.push(i);
      if (root === i) {
        kept.push(e.id);
        continue;
      }
      const rep = entries[root]!;
      const { similarity, exact } = this.toKept(i, root);
      if (exact) exactDuplicates++;
      duplicates.push({ id: e.id, duplicateOf: rep.id, similarity, exact });
    }

    const clusters: Cluster[] = [];
    let largestCluster = entries.length > 0 ? 1 : 0;
    for (const [root, group] of [...members].sort((a, b) => a[0] - b[0])) {
      if (group.length < 2) continue;
      largestCluster = Math.max(largestCluster, group.length);
      clusters.push({ id: clusters.length, kept: entries[root]!.id, members: group.map((i) => entries[i]!.id) });
    }
    return {
      kept,
      duplicates,
      clusters,
      stats: {
        documents: entries.length,
        kept: kept.length,
        duplicates: duplicates.length,
        exactDuplicates,
        nearDuplicates: duplicates.length - exactDuplicates,
        emptyDocuments,
        candidates: detector.candidates,
        rejectedCandidates: detector.rejected,
        estimateRejectedCandidates: detector.estimateRejected,
        verifiedCandidates: detector.verified,
        skippedCandidates: detector.skipped,
        truncatedQueries: detector.truncatedQueries,
        clusters: clusters.length,
        largestCluster,
        milliseconds: now() - t0,
      },
    };
  }
}

/** Validates the `boilerplate` option of {@link dedupe}; null when off. */
function resolveRunBoilerplate(option: unknown): { options: ResolvedBoilerplateOptions; discount: boolean; shingles: Uint32Array | null } | null {
  if (option === undefined || option === false) return null;
  if (option === true) return { options: BOILERPLATE_DEFAULTS, discount: true, shingles: null };
  if (typeof option !== 'object' || option === null || Array.isArray(option) || ArrayBuffer.isView(option)) {
    fail(TypeError, 'dedupe: options.boilerplate', 'a boolean or a boilerplate options object', option);
  }
  assertOptions('dedupe', 'options.boilerplate', option, BOILERPLATE_RUN_KEYS);
  const { discount = true, shingles, ...rest } = option as DedupeBoilerplateOptions;
  assertBoolean('dedupe: options.boilerplate.discount', discount);
  if (shingles !== undefined) assertSortedSet('dedupe: options.boilerplate.shingles', shingles);
  return { options: resolveBoilerplateOptions(rest, 'dedupe', 'options.boilerplate'), discount, shingles: shingles ?? null };
}

/** Adds each cluster's `boilerplateShare` and `heldByBoilerplate` (from the raw sets) and the run's boilerplate counts. */
function withBoilerplateShares(
  result: DedupeResult, entries: readonly Entry[], raw: readonly Uint32Array[], rest: readonly Uint32Array[], keys: Float64Array,
  tableSize: number, o: ResolvedDedupeOptions, discounted: boolean,
): DedupeResult {
  const indexOf = new Map<DocId, number>();
  entries.forEach((e, i) => indexOf.set(e.id, i));
  let flagged = 0;
  const clusters = result.clusters.map((c) => {
    const b = clusterBoilerplate(indexOf.get(c.kept)!, c.members.map((m) => indexOf.get(m)!), raw, rest, keys, o, discounted);
    if (b.heldByBoilerplate) flagged++;
    return { ...c, ...b };
  });
  return { ...result, clusters, boilerplate: { shingles: tableSize, clusters: flagged } };
}

/**
 * One cluster's `boilerplateShare` and `heldByBoilerplate` (see {@link Cluster}) from the entries' raw shingle sets,
 * their content sets (`contentShingles`: what matching sees with the discount) and exact keys (`keys[2i]`,
 * `keys[2i + 1]`); `kept` and `members` (kept one included) are entry indexes. The template lifts a member when its
 * similarity to the kept document under the run's measure (Jaccard, or its containment in the kept document) is
 * ≥ `threshold` on raw sets and below it on content sets; when matching saw only content sets (`discounted`),
 * nothing is held by the template. Shared with the CLI's `--boilerplate`.
 * @internal
 */
export function clusterBoilerplate(
  kept: number, members: readonly number[], raw: readonly Uint32Array[], rest: readonly Uint32Array[], keys: Float64Array,
  o: ResolvedDedupeOptions, discounted: boolean,
): { boilerplateShare: number; heldByBoilerplate: boolean } {
  const keptRest = rest[kept]!;
  let shared = 0;
  let template = 0;
  let lifts = 0;
  for (const i of members) {
    if (i === kept) continue;
    const common = intersectionOf(raw[kept]!, raw[i]!).length;
    const commonRest = intersectionOf(keptRest, rest[i]!).length;
    shared += common;
    template += common - commonRest; // content sets are subsets of the raw ones
    // Exact copies stay duplicates whatever their shingles: only near-duplicates can be held by a template.
    const exact = keys[2 * i] === keys[2 * kept] && keys[2 * i + 1] === keys[2 * kept + 1];
    const similarity = (sharedCount: number, keptCount: number, otherCount: number): number => {
      const denominator = o.measure === 'containment' ? otherCount : keptCount + otherCount - sharedCount;
      return denominator === 0 ? 0 : sharedCount / denominator;
    };
    const lifted = similarity(common, raw[kept]!.length, raw[i]!.length) >= o.threshold &&
      similarity(commonRest, keptRest.length, rest[i]!.length) < o.threshold;
    if (!discounted && !exact && lifted) lifts++;
  }
  return { boilerplateShare: shared === 0 ? 0 : template / shared, heldByBoilerplate: lifts > 0 };
}

/** The common values of two sorted distinct sets. */
function intersectionOf(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let k = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out[k++] = a[i]!;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out.subarray(0, k);
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function isAsyncIterable(x: unknown): x is AsyncIterable<string | Doc> {
  return typeof x === 'object' && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
function isIterable(x: unknown): x is Iterable<string | Doc> {
  return typeof x === 'object' && x !== null && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}
