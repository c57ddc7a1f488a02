import { assertId, assertOneOf, assertOptions, assertString, fail } from '../internal/validate';
import type { Doc, DocId } from '../internal/doc';
import { NearDuplicateDetector } from './detector';
import { DEDUPE_KEYS, resolveDedupeOptions, type DedupeOptions } from './document-options';
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
   * `'greedy'` (default): documents are taken in keep order; each is a duplicate of the best verified kept document
   * or is kept itself — every reported pair is verified ≥ threshold. `'connected'`: every verified pair is joined
   * (union-find), and each connected cluster keeps one document; a member may then be below the threshold to the
   * kept copy through a chain (A≈B≈C), and its reported `similarity` says so.
   */
  clustering?: 'greedy' | 'connected';
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
  /** Similarity to `duplicateOf` (exact Jaccard of shingle sets unless `verify: false`; 1 for exact duplicates). */
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
  /** Candidate pairs proposed by the index (LSH / SimHash) and checked. */
  readonly candidates: number;
  /** Candidates that verification rejected (below the threshold): the index's false positives. */
  readonly rejectedCandidates: number;
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
}

const DEDUPE_RUN_KEYS = [...DEDUPE_KEYS, 'keep', 'clustering'] as const;

/** @internal */
export interface Entry extends KeepCandidate {
  readonly doc: PreparedDocument;
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
 * @param docs - `{ id, text }` records or strings (id = position); ids must be unique
 * @param options - threshold, method, shingling, MinHash parameters, verification, keep rule, clustering
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
  const { keep = 'first', clustering = 'greedy', ...detectorOptions } = options ?? {};
  // Every option is checked here, under dedupe's name; the detector then checks the same values again (once).
  resolveDedupeOptions(detectorOptions, 'dedupe');
  if (typeof keep !== 'function') assertOneOf('dedupe: options.keep', keep, ['first', 'longest'] as const);
  assertOneOf('dedupe: options.clustering', clustering, ['greedy', 'connected'] as const);
  const detector = new NearDuplicateDetector(detectorOptions);
  const entries: Entry[] = [];
  const seen = new Set<DocId>();
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
    entries.push({ id, index, length: text.length, doc: detector.prepare(text) });
  };
  const finish = (): DedupeResult => run(entries, detector, keep, clustering, t0);

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
export function clusterEntries(entries: readonly Entry[], detector: NearDuplicateDetector, keep: KeepRule, clustering: 'greedy' | 'connected'): EntryClusters {
  const order = entries.map((_, i) => i);
  if (keep === 'longest') order.sort((a, b) => entries[b]!.length - entries[a]!.length || a - b);
  else if (typeof keep === 'function') order.sort((a, b) => keep(entries[a]!, entries[b]!) || a - b);
  const rank = new Int32Array(entries.length);
  order.forEach((entryIndex, position) => (rank[entryIndex] = position));

  const uf = new UnionFind(rank);
  // For greedy clustering: what each duplicate matched (similarity, exactness).
  const similarityOf = new Float64Array(entries.length);
  const exactOf = new Uint8Array(entries.length);
  const entryOfSlot: number[] = [];

  for (const i of order) {
    const e = entries[i]!;
    if (clustering === 'greedy') {
      const best = detector.bestMatch(e.doc);
      if (best) {
        detector.noteDuplicate(e.doc, best);
        const j = entryOfSlot[best.slot]!;
        similarityOf[i] = best.similarity;
        exactOf[i] = best.exact ? 1 : 0;
        uf.union(i, j);
      } else {
        entryOfSlot[detector.store(e.id, e.doc)] = i;
      }
    } else {
      // An exact copy joins its original's cluster and is not stored: n identical documents cost O(n), not O(n²).
      const exact = detector.matches(e.doc, true);
      if (exact[0]?.exact) {
        uf.union(i, entryOfSlot[exact[0].slot]!);
        continue;
      }
      // Candidates already in this document's cluster need no verification.
      const inCluster = (slot: number): boolean => uf.find(entryOfSlot[slot]!) === uf.find(i);
      for (const m of detector.matches(e.doc, false, inCluster)) uf.union(i, entryOfSlot[m.slot]!);
      entryOfSlot[detector.store(e.id, e.doc)] = i;
    }
  }

  const rep = new Int32Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const root = uf.find(i);
    rep[i] = root;
    if (root === i || clustering === 'greedy') continue;
    const e = entries[i]!.doc;
    const r = entries[root]!.doc;
    const exact = e.keyHi === r.keyHi && e.keyLo === r.keyLo;
    exactOf[i] = exact ? 1 : 0;
    similarityOf[i] = exact ? 1 : detector.verify(e, r);
  }
  return { rep, similarity: similarityOf, exact: exactOf };
}

function run(entries: Entry[], detector: NearDuplicateDetector, keep: KeepRule, clustering: 'greedy' | 'connected', t0: number): DedupeResult {
  const { rep, similarity: similarityOf, exact: exactOf } = clusterEntries(entries, detector, keep, clustering);
  const kept: DocId[] = [];
  const duplicates: DuplicateRecord[] = [];
  const members = new Map<number, number[]>();
  let exactDuplicates = 0;
  let emptyDocuments = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.doc.empty) emptyDocuments++;
    const root = rep[i]!;
    let group = members.get(root);
    if (!group) members.set(root, (group = []));
    group.push(i);
    if (root === i) {
      kept.push(e.id);
      continue;
    }
    const exact = exactOf[i] === 1;
    if (exact) exactDuplicates++;
    duplicates.push({ id: e.id, duplicateOf: entries[root]!.id, similarity: similarityOf[i]!, exact });
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
      clusters: clusters.length,
      largestCluster,
      milliseconds: now() - t0,
    },
  };
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function isAsyncIterable(x: unknown): x is AsyncIterable<string | Doc> {
  return typeof x === 'object' && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
function isIterable(x: unknown): x is Iterable<string | Doc> {
  return typeof x === 'object' && x !== null && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}
