import type { DedupeResult, DedupeRunOptions, DocId, DuplicateRecord } from '../dedup';
import type { Doc } from '../internal/doc';
import { Explainer, type DuplicateExplanation } from '../explain';
import { assertInteger, assertOptions, fail } from '../internal/validate';
import { log2Bin, log2Edges, unitBin, unitEdges, type Histogram } from './histogram';
import { Reservoir } from './reservoir';

/** Options of {@link dedupeReportData} and {@link DedupeReportBuilder}; see {@link DEDUPE_REPORT_DEFAULTS}.
 * @example
 * ```ts
 * const options: DedupeReportOptions = { dedupe: { threshold: 0.9 }, samples: 5, clusters: 3 };
 * new DedupeReportBuilder(options).build().caps.samples; // => 5
 * ```
 */
export interface DedupeReportOptions {
  /** The run's options, as given to `dedupe` (explanations and the similarity histogram follow them). */
  dedupe?: DedupeRunOptions;
  /** Removed documents sampled (uniformly, seeded) with their kept copy and explanation: an integer in [0, 1000]. */
  samples?: number;
  /** Largest clusters listed: an integer in [0, 1000]. */
  clusters?: number;
  /** Members shown (and checked for boilerplate) per listed cluster: the first ones, an integer in [1, 100]. */
  membersPerCluster?: number;
  /** Size from which a cluster is flagged as suspiciously large: an integer ≥ 2. */
  largeCluster?: number;
  /** Texts are cut to this many UTF-16 code units in the report (explanations are of the cut texts): an integer in [1, 1,000,000]. */
  textLength?: number;
  /** Seed of the sample, an integer in [0, 2^32 − 1]. */
  seed?: number;
}

/** The caps of a dedupe report: {@link DedupeReportOptions} without the run's options, every field set. @inline */
export type DedupeReportCaps = Required<Omit<DedupeReportOptions, 'dedupe'>>;

/**
 * Defaults of {@link DedupeReportOptions} (frozen): 20 samples, 10 clusters, 5 members per cluster, large clusters
 * from 100 members, texts cut at 2,000 UTF-16 code units, seed 1. With these caps the report data holds at most
 * 70 texts of 2,000 code units, whatever the size of the run.
 * @example
 * ```ts
 * DEDUPE_REPORT_DEFAULTS.samples; // => 20
 * ```
 */
export const DEDUPE_REPORT_DEFAULTS: Readonly<DedupeReportCaps> = Object.freeze({
  samples: 20,
  clusters: 10,
  membersPerCluster: 5,
  largeCluster: 100,
  textLength: 2000,
  seed: 1,
});

/** A text as shown in a report: possibly cut (see {@link DedupeReportOptions.textLength}).
 * @example
 * ```ts
 * const t: ReportText = { text: 'the first 2,000 code units', length: 12345, truncated: true };
 * t.truncated; // => true
 * ```
 */
export interface ReportText {
  /** The text, cut to `textLength` code units. */
  readonly text: string;
  /** Length of the whole text in UTF-16 code units. */
  readonly length: number;
  /** True when `text` is shorter than the document. */
  readonly truncated: boolean;
}

/** A removed document beside its kept copy, with the explanation of the pair (of the texts as shown).
 * @example
 * ```ts
 * const docs = ['one two three four five six', 'One two three four five six!'];
 * const [pair]: ReportPair[] = dedupeReportData(docs, dedupe(docs)).samples;
 * [pair.id, pair.duplicateOf, pair.exact, pair.explanation?.exact]; // => [1, 0, true, true]
 * ```
 */
export interface ReportPair {
  /** The removed document's id. */
  readonly id: DocId;
  /** The kept document's id. */
  readonly duplicateOf: DocId;
  /** The similarity the run reported. */
  readonly similarity: number;
  /** Whether the run found it an exact duplicate. */
  readonly exact: boolean;
  /** The removed document's text. */
  readonly text: ReportText;
  /** The kept copy's text; null when it was not available (e.g. the input could not be read again). */
  readonly kept: ReportText | null;
  /** The explanation of (removed, kept) as shown; null when the kept copy is missing. */
  readonly explanation: DuplicateExplanation | null;
}

/** Why a cluster looks suspicious: `'large'` (at least `largeCluster` members) or `'template'` (members share little beyond a common prefix or suffix).
 * @example
 * ```ts
 * const why: ClusterWarning = 'template';
 * why; // => 'template'
 * ```
 */
export type ClusterWarning = 'large' | 'template';

/** One of the largest clusters of a run.
 * @example
 * ```ts
 * const docs = ['a b c d e f', 'a b c d e f', 'A b c d e f'];
 * const [c]: ReportCluster[] = dedupeReportData(docs, dedupe(docs)).largestClusters;
 * [c.kept, c.size, c.members.length, c.warnings]; // => [0, 3, 2, []]
 * ```
 */
export interface ReportCluster {
  /** The kept document's id. */
  readonly kept: DocId;
  /** Members, the kept one included. */
  readonly size: number;
  /** The kept document's text; null when not available. */
  readonly keptText: ReportText | null;
  /** The first removed members (up to `membersPerCluster`), each with its explanation against the kept copy. */
  readonly members: ReportPair[];
  /** Warnings, empty when nothing looks wrong. */
  readonly warnings: ClusterWarning[];
  /** Members (of those shown) that share little with the kept copy beyond a common prefix or suffix (each has a differing middle of its own). */
  readonly templateMembers: number;
}

/** The data of a dedupe run's report: plain JSON, for {@link renderDedupeReport} or a user's own dashboard.
 * @example
 * ```ts
 * const docs = ['the same words again and again', 'The same words, again and again.', 'something else entirely'];
 * const data: DedupeReportData = dedupeReportData(docs, dedupe(docs));
 * data.counts; // => { input: 3, kept: 2, removed: 1, exact: 1, near: 0, invalid: 0 }
 * ```
 */
export interface DedupeReportData {
  /** What the data describes: a dedupe run. */
  readonly kind: 'dedupe';
  /** Records read, kept, removed (exact and near duplicates) and invalid (skipped). */
  readonly counts: {
    /** Records read: `kept + removed + invalid`. */
    readonly input: number;
    /** Records kept. */
    readonly kept: number;
    /** Records removed: `exact + near`. */
    readonly removed: number;
    /** Removed as exact duplicates (equal after normalization). */
    readonly exact: number;
    /** Removed as near duplicates. */
    readonly near: number;
    /** Invalid records, skipped. */
    readonly invalid: number;
  };
  /** The options of the run as the caller describes them (plus the report's caps in `caps`). */
  readonly options: Record<string, unknown>;
  /** The caps that bound the report's size. */
  readonly caps: Readonly<DedupeReportCaps>;
  /** The run's distributions. */
  readonly histograms: {
    /** Similarity of removed documents to their kept copy. */
    readonly similarity: Histogram;
    /** Cluster sizes (members, kept one included) in power-of-two bins: [2, 4), [4, 8), … */
    readonly clusterSizes: Histogram;
    /** Document lengths (UTF-16 code units) in power-of-two bins: [0, 1), [1, 2), [2, 4), …; kept and removed. */
    readonly lengths: {
      /** Bin edges: 0, 1, 2, 4, … */
      readonly edges: number[];
      /** Kept documents per bin. */
      readonly kept: number[];
      /** Removed documents per bin. */
      readonly removed: number[];
    };
  };
  /** Clusters of two or more documents: how many, and how many are at least `largeCluster`. */
  readonly clusters: {
    /** Clusters of two or more documents. */
    readonly count: number;
    /** Of those, clusters with at least `largeCluster` members. */
    readonly large: number;
  };
  /** The largest clusters, largest first (ties: first kept first). */
  readonly largestClusters: ReportCluster[];
  /** A uniform sample of removed documents (seeded), in input order. */
  readonly samples: ReportPair[];
}

interface SampledRemoval {
  readonly order: number;
  readonly record: DuplicateRecord;
  readonly text: ReportText;
}

/**
 * Builds the data of a dedupe run's report from the records of the run as they stream, in bounded memory: counts,
 * histograms, a seeded reservoir sample of removed documents, cluster sizes and the first members of each
 * cluster (ids only). The kept copies' texts are read in a second pass: after the run, {@link DedupeReportBuilder.wanted}
 * says which texts the report needs and {@link DedupeReportBuilder.text} takes them.
 *
 * Memory: the sample (`samples` texts cut to `textLength`), one counter and up to `membersPerCluster` ids per
 * cluster, and fixed-size histograms — O(clusters), never O(documents).
 *
 * @example
 * ```ts
 * const docs = ['one two three four five', 'one two three four five!', 'other words'];
 * const run = dedupe(docs);
 * const builder = new DedupeReportBuilder();
 * docs.forEach((text, id) => {
 *   const removed = run.duplicates.find((d) => d.id === id);
 *   if (removed) builder.removed(removed, text.length, text);
 *   else builder.kept(text.length);
 * });
 * for (const id of builder.wanted()) builder.text(id, docs[id as number]!);
 * builder.build().samples[0]?.kept?.text; // => 'one two three four five'
 * ```
 */
export class DedupeReportBuilder {
  private readonly caps: DedupeReportData['caps'];
  private readonly explainer: Explainer;
  private readonly simLo: number;
  private readonly simCounts: number[];
  private readonly keptLengths: number[] = [];
  private readonly removedLengths: number[] = [];
  private readonly sizes = new Map<DocId, number>(); // kept id → removed members
  private readonly firstMembers = new Map<DocId, DuplicateRecord[]>();
  private readonly sample: Reservoir<SampledRemoval>;
  private readonly texts = new Map<DocId, ReportText>();
  private want: Set<DocId> | null = null;
  private input = 0;
  private exact = 0;
  private invalidCount = 0;
  private top: [DocId, number][] | null = null;

  /**
   * @param options - the run's options and the report's caps
   * @throws TypeError/RangeError for invalid options (those of `dedupe` included)
   */
  constructor(options?: DedupeReportOptions) {
    const fn = caller ?? 'DedupeReportBuilder';
    assertOptions(fn, 'options', options, ['dedupe', 'samples', 'clusters', 'membersPerCluster', 'largeCluster', 'textLength', 'seed']);
    const o = options ?? {};
    const d = DEDUPE_REPORT_DEFAULTS;
    this.caps = {
      samples: o.samples ?? d.samples,
      clusters: o.clusters ?? d.clusters,
      membersPerCluster: o.membersPerCluster ?? d.membersPerCluster,
      largeCluster: o.largeCluster ?? d.largeCluster,
      textLength: o.textLength ?? d.textLength,
      seed: o.seed ?? d.seed,
    };
    const at = (name: string): string => `${fn}: options.${name}`;
    assertInteger(at('samples'), this.caps.samples, 0, 1000);
    assertInteger(at('clusters'), this.caps.clusters, 0, 1000);
    assertInteger(at('membersPerCluster'), this.caps.membersPerCluster, 1, 100);
    assertInteger(at('largeCluster'), this.caps.largeCluster, 2, Number.MAX_SAFE_INTEGER);
    assertInteger(at('textLength'), this.caps.textLength, 1, 1_000_000);
    assertInteger(at('seed'), this.caps.seed, 0, 0xffffffff);
    this.explainer = new Explainer(o.dedupe, fn, 'options.dedupe');
    const r = this.explainer.detector.options;
    // Greedy clustering with verification reports only similarities ≥ threshold: bins start there.
    this.simLo = (o.dedupe?.clustering ?? 'greedy') === 'greedy' && r.verify ? Math.floor(r.threshold * 20) / 20 : 0;
    if (this.simLo >= 1) this.simLo = 0.95;
    this.simCounts = new Array<number>(SIM_BINS).fill(0);
    this.sample = new Reservoir(this.caps.samples, this.caps.seed);
  }

  /** Counts one kept document of `length` UTF-16 code units. */
  kept(length: number): void {
    this.open();
    this.input++;
    bump(this.keptLengths, log2Bin(length));
  }

  /**
   * Counts one removed document of `length` UTF-16 code units. Its text — or a function giving it, called only
   * when the document enters the sample (a streaming caller parses a record only then) — is kept only when sampled.
   */
  removed(record: DuplicateRecord, length: number, text: string | (() => string)): void {
    this.open();
    const order = this.input++;
    if (record.exact) this.exact++;
    this.sample.offer(() => ({ order, record, text: cutText(typeof text === 'string' ? text : text(), this.caps.textLength) }));
    this.simCounts[unitBin(record.similarity, this.simLo, SIM_BINS)]!++;
    bump(this.removedLengths, log2Bin(length));
    const size = (this.sizes.get(record.duplicateOf) ?? 0) + 1;
    this.sizes.set(record.duplicateOf, size);
    if (size <= this.caps.membersPerCluster) {
      let first = this.firstMembers.get(record.duplicateOf);
      if (!first) this.firstMembers.set(record.duplicateOf, (first = []));
      first.push(record);
    }
  }

  /** Counts `count` invalid (skipped) records. */
  invalid(count = 1): void {
    this.open();
    this.invalidCount += count;
  }

  /** After the last record: the ids whose texts the report needs (kept copies of the sample and of the largest clusters, and those clusters' first members). */
  wanted(): Set<DocId> {
    if (this.want) return this.want;
    const want = new Set<DocId>();
    for (const s of this.sample.items) want.add(s.record.duplicateOf);
    for (const [kept] of this.largest()) {
      want.add(kept);
      for (const m of this.firstMembers.get(kept) ?? []) want.add(m.id);
    }
    this.want = want;
    return want;
  }

  /** Gives the text of a wanted document (others are ignored). */
  text(id: DocId, text: string): void {
    if (this.wanted().has(id) && !this.texts.has(id)) this.texts.set(id, cutText(text, this.caps.textLength));
  }

  /**
   * The report data.
   * @param options - the run's options as they should appear in the report (default: the `dedupe` options given)
   */
  build(options?: Record<string, unknown>): DedupeReportData {
    this.wanted();
    const removed = this.sample.offered;
    let clusterSizes: Histogram = { edges: [2, 4], counts: [0] };
    let large = 0;
    if (this.sizes.size > 0) {
      const counts: number[] = [];
      for (const n of this.sizes.values()) {
        bump(counts, log2Bin(n + 1) - 2); // size n + 1 ≥ 2: bin 0 is [2, 4)
        if (n + 1 >= this.caps.largeCluster) large++;
      }
      const edges = log2Edges(counts.length + 2).slice(2);
      clusterSizes = { edges, counts: fill(counts) };
    }
    const lengthBins = Math.max(this.keptLengths.length, this.removedLengths.length, 1);
    const pair = (record: DuplicateRecord, text: ReportText): ReportPair => {
      const kept = this.texts.get(record.duplicateOf) ?? null;
      return {
        id: record.id,
        duplicateOf: record.duplicateOf,
        similarity: record.similarity,
        exact: record.exact,
        text,
        kept,
        explanation: kept === null ? null : this.explainer.explain(text.text, kept.text),
      };
    };
    const largestClusters: ReportCluster[] = [];
    for (const [kept, n] of this.largest()) {
      const members: ReportPair[] = [];
      for (const m of this.firstMembers.get(kept) ?? []) {
        const t = this.texts.get(m.id);
        if (t !== undefined) members.push(pair(m, t));
      }
      const templateMembers = members.filter((m) => m.explanation !== null && templateLike(m.explanation)).length;
      const warnings: ClusterWarning[] = [];
      if (n + 1 >= this.caps.largeCluster) warnings.push('large');
      if (members.length > 0 && 2 * templateMembers >= members.length) warnings.push('template');
      largestClusters.push({ kept, size: n + 1, keptText: this.texts.get(kept) ?? null, members, warnings, templateMembers });
    }
    return {
      kind: 'dedupe',
      counts: { input: this.input + this.invalidCount, kept: this.input - removed, removed, exact: this.exact, near: removed - this.exact, invalid: this.invalidCount },
      options: options ?? { ...(this.explainer.detector.options as unknown as Record<string, unknown>) },
      caps: this.caps,
      histograms: {
        similarity: { edges: unitEdges(this.simLo, SIM_BINS), counts: [...this.simCounts] },
        clusterSizes,
        lengths: { edges: log2Edges(lengthBins), kept: fill(this.keptLengths, lengthBins), removed: fill(this.removedLengths, lengthBins) },
      },
      clusters: { count: this.sizes.size, large },
      largestClusters,
      samples: [...this.sample.items].sort((a, b) => a.order - b.order).map((s) => pair(s.record, s.text)),
    };
  }

  /** The largest clusters: [kept id, removed members], largest first, ties in order of first appearance. */
  private largest(): [DocId, number][] {
    if (this.top) return this.top;
    const all = [...this.sizes];
    // A stable sort keeps first-seen order among equal sizes.
    all.sort((a, b) => b[1] - a[1]);
    this.top = all.slice(0, this.caps.clusters);
    return this.top;
  }

  private open(): void {
    if (this.want) throw new RangeError('DedupeReportBuilder: state must be open (every record comes before wanted() and build()), got closed');
  }
}

const SIM_BINS = 20;

/** The public function whose options a builder is checking (`dedupeReportData` builds one): named in its errors. */
let caller: string | undefined;

function bump(counts: number[], bin: number): void {
  while (counts.length <= bin) counts.push(0);
  counts[bin]!++;
}

function fill(counts: number[], length = counts.length): number[] {
  return Array.from({ length }, (_, k) => counts[k] ?? 0);
}

/** `text` cut to at most `max` UTF-16 code units, never inside a surrogate pair. @internal */
export function cutText(text: string, max: number): ReportText {
  if (text.length <= max) return { text, length: text.length, truncated: false };
  // Never cut a surrogate pair in two.
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return { text: text.slice(0, end), length: text.length, truncated: true };
}

/**
 * True when a pair shares little beyond a common prefix or suffix: each text has, between the shared prefix and
 * suffix, a part of at least 3 words and 10% of its words, and at most a quarter of the smaller part is shared —
 * a template page around different content, not an edited or extended copy (a copy with a paragraph added has
 * nothing of its own on the other side).
 * @internal
 */
export function templateLike(e: DuplicateExplanation): boolean {
  if (e.shared.length === 0) return false;
  const first = e.shared[0]!;
  const last = e.shared[e.shared.length - 1]!;
  // The first block is a prefix when both texts begin with a shared segment; the last a suffix when both end with one.
  const prefix = e.a[0]?.shared === true && e.b[0]?.shared === true ? first.words : 0;
  const suffix = (e.shared.length > 1 || prefix === 0) && e.a[e.a.length - 1]?.shared === true && e.b[e.b.length - 1]?.shared === true ? last.words : 0;
  const middleA = e.words.a - prefix - suffix;
  const middleB = e.words.b - prefix - suffix;
  const middleShared = e.words.shared - prefix - suffix;
  return Math.min(middleA, middleB) >= 3 && middleA >= 0.1 * e.words.a && middleB >= 0.1 * e.words.b && middleShared <= 0.25 * Math.min(middleA, middleB);
}

/**
 * The data of a dedupe run's report (plain JSON) from the documents and the result of `dedupe`: counts,
 * histograms, the largest clusters and a seeded sample of removed documents beside their kept copies, each with
 * {@link explainDuplicate}'s explanation, and warnings for suspicious clusters. Size is bounded by the caps of
 * {@link DEDUPE_REPORT_DEFAULTS}, whatever the number of documents.
 *
 * @param docs - the documents given to `dedupe` (strings or `{ id, text }`)
 * @param result - what `dedupe` returned for them
 * @param options - the run's options (`dedupe`) and the report's caps
 * @returns the report data
 * @throws TypeError if `docs` is not iterable or `result` not a `dedupe` result; TypeError/RangeError for invalid options
 * @example
 * ```ts
 * const docs = ['Apples are red and sweet today', 'apples are red and sweet today!', 'Pears are green'];
 * const data = dedupeReportData(docs, dedupe(docs));
 * [data.counts.removed, data.samples.length, data.samples[0]!.kept!.text]; // => [1, 1, 'Apples are red and sweet today']
 * data.histograms.similarity.counts.at(-1); // => 1
 * ```
 */
export function dedupeReportData(docs: Iterable<string | Doc>, result: DedupeResult, options?: DedupeReportOptions): DedupeReportData {
  if (typeof docs !== 'object' || docs === null || typeof (docs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    fail(TypeError, 'dedupeReportData: docs', 'an Iterable of documents (strings or { id, text })', docs);
  }
  if (typeof result !== 'object' || result === null || !Array.isArray(result.duplicates) || !Array.isArray(result.kept)) {
    fail(TypeError, 'dedupeReportData: result', 'what dedupe returned for docs', result);
  }
  let builder: DedupeReportBuilder;
  caller = 'dedupeReportData';
  try {
    builder = new DedupeReportBuilder(options);
  } finally {
    caller = undefined;
  }
  const removed = new Map<DocId, DuplicateRecord>();
  for (const d of result.duplicates) removed.set(d.id, d);
  const texts = new Map<DocId, string>();
  let i = 0;
  for (const doc of docs) {
    const id = typeof doc === 'string' ? i : doc.id;
    const text = typeof doc === 'string' ? doc : doc.text;
    i++;
    texts.set(id, text);
    const r = removed.get(id);
    if (r) builder.removed(r, text.length, text);
    else builder.kept(text.length);
  }
  for (const id of builder.wanted()) {
    const t = texts.get(id);
    if (t !== undefined) builder.text(id, t);
  }
  return builder.build(options?.dedupe === undefined ? undefined : { ...options.dedupe });
}
