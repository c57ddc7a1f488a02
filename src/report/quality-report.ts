import type { DocId } from '../dedup';
import { nestedOptionError } from '../explain';
import { assertInteger, assertOptions } from '../internal/validate';
import {
  qualityReport,
  C4_QUALITY_DEFAULTS, FINEWEB_QUALITY_DEFAULTS, GOPHER_QUALITY_DEFAULTS, GOPHER_REPETITION_DEFAULTS,
  type QualityReason, type QualityReport, type QualityReportOptions,
} from '../quality';
import { cutText, type ReportText } from './dedupe-report';
import { log2Bin, log2Edges, unitBin, unitEdges, type Histogram } from './histogram';
import { Reservoir } from './reservoir';

/** Options of {@link QualityReportBuilder}; see {@link QUALITY_REPORT_DEFAULTS}.
 * @example
 * ```ts
 * const options: QualityReportBuilderOptions = { quality: { tokenizer: 'whitespace' }, samples: 5 };
 * new QualityReportBuilder(options).build().caps.samples; // => 5
 * ```
 */
export interface QualityReportBuilderOptions {
  /** The options given to `qualityReport` (thresholds are read from them, defaults otherwise). */
  quality?: QualityReportOptions;
  /** Failing documents sampled (uniformly, seeded): an integer in [0, 1000]. */
  samples?: number;
  /** Texts are cut to this many UTF-16 code units: an integer in [1, 1,000,000]. */
  textLength?: number;
  /** Seed of the sample, an integer in [0, 2^32 − 1]. */
  seed?: number;
}

/** The caps of a quality report: {@link QualityReportBuilderOptions} without the run's options, every field set. @inline */
export type QualityReportCaps = Required<Omit<QualityReportBuilderOptions, 'quality'>>;

/**
 * Defaults of {@link QualityReportBuilderOptions} (frozen): 20 failing documents sampled, texts cut at 2,000 UTF-16
 * code units, seed 1. The report data holds at most that many texts, and one fixed-size histogram per statistic.
 * @example
 * ```ts
 * QUALITY_REPORT_DEFAULTS.samples; // => 20
 * ```
 */
export const QUALITY_REPORT_DEFAULTS: Readonly<QualityReportCaps> = Object.freeze({ samples: 20, textLength: 2000, seed: 1 });

/** The distribution of one statistic over the documents, with the threshold(s) of its rule(s).
 * @example
 * ```ts
 * const b = new QualityReportBuilder();
 * b.add(qualityReport('Short text.'), 'Short text.');
 * const words: QualityStatistic = b.build().statistics.find((s) => s.name === 'gopherQuality.nNonSymbolWords')!;
 * [words.thresholds, words.missing]; // => [[{ reason: 'gopher_short_doc', value: 50, keep: 'at least' }, { reason: 'gopher_long_doc', value: 100000, keep: 'at most' }], 0]
 * ```
 */
export interface QualityStatistic {
  /** `filter.statistic`, as in `QualityReport` (e.g. `fineweb.charDupRatio`). */
  readonly name: string;
  /** What it measures, in words. */
  readonly label: string;
  /** Documents per bin. */
  readonly histogram: Histogram;
  /** `'linear'`: 20 equal bins (the last one holds everything above); `'log2'`: bins [0, 1), [1, 2), [2, 4), … */
  readonly scale: 'linear' | 'log2';
  /** Documents without a value (a ratio with a zero denominator). */
  readonly missing: number;
  /** The rules that read it: the reason they fail with, the threshold, and which side passes. */
  readonly thresholds: {
    /** The reason the rule fails with. */
    readonly reason: string;
    /** Its threshold. */
    readonly value: number;
    /** Which side passes: values at least, or at most, the threshold. */
    readonly keep: 'at least' | 'at most';
  }[];
}

/** A failing document with the numbers that made it fail.
 * @example
 * ```ts
 * const b = new QualityReportBuilder({ quality: { tokenizer: 'whitespace' } });
 * b.add(qualityReport('Too short.', { tokenizer: 'whitespace' }), 'Too short.', 'doc-1');
 * const s: QualityFailure = b.build().samples[0]!;
 * [s.id, s.failing.find((f) => f.reason === 'gopher_short_doc')];
 * // => ['doc-1', { reason: 'gopher_short_doc', statistic: 'gopherQuality.nNonSymbolWords', value: 2, threshold: 50 }]
 * ```
 */
export interface QualityFailure {
  /** The document's id (its position from 0 when none was given). */
  readonly id: DocId;
  /** The text, cut to `textLength`. */
  readonly text: ReportText;
  /** Every failed rule. */
  readonly reasons: QualityReason[];
  /** The failed rules whose statistic the report charts: value and threshold. */
  readonly failing: {
    /** The failed rule. */
    readonly reason: string;
    /** The statistic it reads (a {@link QualityStatistic} name). */
    readonly statistic: string;
    /** The document's value (null: no value, e.g. a ratio with a zero denominator). */
    readonly value: number | null;
    /** The rule's threshold. */
    readonly threshold: number;
  }[];
}

/** The data of a quality run's report: plain JSON.
 * @example
 * ```ts
 * const b = new QualityReportBuilder();
 * for (const text of ['Too short.', 'Also short.']) b.add(qualityReport(text), text);
 * const data: QualityReportData = b.build();
 * [data.counts, data.reasons.gopher_short_doc]; // => [{ input: 2, pass: 0, fail: 2, invalid: 0 }, 2]
 * ```
 */
export interface QualityReportData {
  /** What the data describes: a quality run. */
  readonly kind: 'quality';
  /** Records read, passing every filter, failing one, invalid (skipped). */
  readonly counts: {
    /** Records read: `pass + fail + invalid`. */
    readonly input: number;
    /** Records passing every filter. */
    readonly pass: number;
    /** Records failing at least one rule. */
    readonly fail: number;
    /** Invalid records, skipped. */
    readonly invalid: number;
  };
  /** Pass and fail counts per filter. */
  readonly filters: Record<'gopherRepetition' | 'gopherQuality' | 'c4' | 'fineweb', {
    /** Records the filter passes. */
    readonly pass: number;
    /** Records it fails. */
    readonly fail: number;
  }>;
  /** Documents failing each rule (a document counts once per rule), most frequent first. */
  readonly reasons: Record<string, number>;
  /** The distribution of each thresholded statistic. */
  readonly statistics: QualityStatistic[];
  /** A uniform sample of failing documents (seeded), in input order. */
  readonly samples: QualityFailure[];
  /** The options of the run as the caller describes them. */
  readonly options: Record<string, unknown>;
  /** The caps that bound the report's size. */
  readonly caps: Readonly<QualityReportCaps>;
}

/** How a statistic is read, binned and thresholded. */
interface StatDef {
  readonly name: string;
  readonly label: string;
  readonly get: (r: QualityReport) => number | null | undefined;
  /** 'unit': 20 bins over [0, 1]; 'log': power-of-two bins; a number: 20 bins over [0, that]. */
  readonly bins: 'unit' | 'log' | number;
  readonly rules: { readonly reason: string; readonly value: number | null; readonly keep: 'at least' | 'at most' }[];
}

const FILTERS = ['gopherRepetition', 'gopherQuality', 'c4', 'fineweb'] as const;
const LINEAR_BINS = 20;

function statDefs(o: QualityReportOptions | undefined): StatDef[] {
  const gr = { ...GOPHER_REPETITION_DEFAULTS, ...o?.gopherRepetition };
  const gq = { ...GOPHER_QUALITY_DEFAULTS, ...o?.gopherQuality };
  const c4 = { ...C4_QUALITY_DEFAULTS, ...o?.c4 };
  const fw = { ...FINEWEB_QUALITY_DEFAULTS, ...o?.fineweb };
  const top2 = gr.topNGrams?.find((p) => p[0] === 2)?.[1] ?? null;
  const dup5 = gr.dupNGrams?.find((p) => p[0] === 5)?.[1] ?? null;
  const min = (reason: string, value: number | null) => ({ reason, value, keep: 'at least' as const });
  const max = (reason: string, value: number | null) => ({ reason, value, keep: 'at most' as const });
  return [
    { name: 'gopherQuality.nNonSymbolWords', label: 'words (non-symbol)', get: (r) => r.gopherQuality.stats.nNonSymbolWords, bins: 'log', rules: [min('gopher_short_doc', gq.minDocWords), max('gopher_long_doc', gq.maxDocWords)] },
    { name: 'gopherQuality.meanNonSymbolWordLen', label: 'mean word length (code points)', get: (r) => r.gopherQuality.stats.meanNonSymbolWordLen, bins: 20, rules: [min('gopher_below_avg_threshold', gq.minAvgWordLength), max('gopher_above_avg_threshold', gq.maxAvgWordLength)] },
    { name: 'gopherQuality.alphaWordRatio', label: 'share of words with a letter', get: (r) => r.gopherQuality.stats.alphaWordRatio, bins: 'unit', rules: [min('gopher_below_alpha_threshold', gq.maxNonAlphaWordsRatio)] },
    { name: 'gopherQuality.nStopWords', label: 'distinct stop words', get: (r) => r.gopherQuality.stats.nStopWords, bins: 'log', rules: [min('gopher_enough_stop_words', gq.minStopWords)] },
    { name: 'gopherQuality.hashRatio', label: '# per word', get: (r) => r.gopherQuality.stats.hashRatio, bins: 'unit', rules: [max('gopher_too_many_hashes', gq.maxSymbolWordRatio)] },
    { name: 'gopherQuality.ellipsisRatio', label: 'ellipses per word', get: (r) => r.gopherQuality.stats.ellipsisRatio, bins: 'unit', rules: [max('gopher_too_many_ellipsis', gq.maxSymbolWordRatio)] },
    { name: 'gopherQuality.bulletLineRatio', label: 'share of bullet lines', get: (r) => r.gopherQuality.stats.bulletLineRatio, bins: 'unit', rules: [max('gopher_too_many_bullets', gq.maxBulletLinesRatio)] },
    { name: 'gopherQuality.endEllipsisLineRatio', label: 'share of lines ending in an ellipsis', get: (r) => r.gopherQuality.stats.endEllipsisLineRatio, bins: 'unit', rules: [max('gopher_too_many_end_ellipsis', gq.maxEllipsisLinesRatio)] },
    { name: 'gopherRepetition.lineDupFrac', label: 'share of repeated lines', get: (r) => r.gopherRepetition.stats.lineDupFrac, bins: 'unit', rules: [max('dup_line_frac', gr.dupLineFrac)] },
    { name: 'gopherRepetition.paraDupFrac', label: 'share of repeated paragraphs', get: (r) => r.gopherRepetition.stats.paraDupFrac, bins: 'unit', rules: [max('dup_para_frac', gr.dupParaFrac)] },
    { name: 'gopherRepetition.lineDupCharFrac', label: 'share of characters in repeated lines', get: (r) => r.gopherRepetition.stats.lineDupCharFrac, bins: 'unit', rules: [max('dup_line_char_frac', gr.dupLineCharFrac)] },
    { name: 'gopherRepetition.paraDupCharFrac', label: 'share of characters in repeated paragraphs', get: (r) => r.gopherRepetition.stats.paraDupCharFrac, bins: 'unit', rules: [max('dup_para_char_frac', gr.dupParaCharFrac)] },
    { name: 'gopherRepetition.topNgramCharFrac.2', label: 'share of characters in the top 2-gram', get: (r) => r.gopherRepetition.stats.topNgramCharFrac[2], bins: 'unit', rules: [max('top_2_gram', top2)] },
    { name: 'gopherRepetition.dupNgramCharFrac.5', label: 'share of characters in repeated 5-grams', get: (r) => r.gopherRepetition.stats.dupNgramCharFrac[5], bins: 'unit', rules: [max('duplicated_5_n_grams', dup5)] },
    { name: 'c4.numSentences', label: 'sentences in kept lines', get: (r) => r.c4.stats.numSentences, bins: 'log', rules: [min('too_few_sentences', c4.minNumSentences)] },
    { name: 'fineweb.linePunctRatio', label: 'share of lines ending in punctuation', get: (r) => r.fineweb.stats.linePunctRatio, bins: 'unit', rules: [min('line_punct_ratio', fw.linePunctThr)] },
    { name: 'fineweb.shortLineRatio', label: 'share of short lines', get: (r) => r.fineweb.stats.shortLineRatio, bins: 'unit', rules: [max('short_line_ratio', fw.shortLineThr)] },
    { name: 'fineweb.charDupRatio', label: 'share of characters in repeated lines', get: (r) => r.fineweb.stats.charDupRatio, bins: 'unit', rules: [max('char_dup_ratio', fw.charDuplicatesRatio)] },
    { name: 'fineweb.newlineWordRatio', label: 'newlines per word', get: (r) => r.fineweb.stats.newlineWordRatio, bins: 'unit', rules: [max('list_ratio', fw.newLineRatio)] },
  ];
}

interface StatState {
  readonly def: StatDef;
  readonly counts: number[];
  missing: number;
}

/**
 * Builds the data of a quality run's report from each document's `qualityReport` as the run streams them, in
 * bounded memory: counts per filter and per rule, one histogram per thresholded statistic (fixed bins: 20 over
 * [0, 1] for ratios, power-of-two bins for counts), and a seeded reservoir sample of failing documents with the
 * numbers that made them fail.
 *
 * @example
 * ```ts
 * const texts = ['Too short.', 'The cat sat on the mat and looked at the dog, and the dog looked back at the cat.'];
 * const builder = new QualityReportBuilder();
 * texts.forEach((text, i) => builder.add(qualityReport(text), text, i));
 * builder.build().counts; // => { input: 2, pass: 0, fail: 2, invalid: 0 }
 * ```
 */
export class QualityReportBuilder {
  private readonly caps: QualityReportData['caps'];
  private readonly stats: StatState[];
  private readonly sample: Reservoir<QualityFailure & { order: number }>;
  private readonly reasonCounts = new Map<string, number>();
  private readonly filterCounts = FILTERS.map(() => [0, 0]);
  private readonly quality: QualityReportOptions | undefined;
  private docs = 0;
  private passed = 0;
  private invalidCount = 0;

  /**
   * @param options - the `qualityReport` options of the run and the report's caps
   * @throws TypeError/RangeError for invalid caps
   */
  constructor(options?: QualityReportBuilderOptions) {
    assertOptions('QualityReportBuilder', 'options', options, ['quality', 'samples', 'textLength', 'seed']);
    try {
      qualityReport('', options?.quality); // checks the quality options as qualityReport does
    } catch (err) {
      throw nestedOptionError(err, 'qualityReport', 'QualityReportBuilder', 'options.quality');
    }
    const d = QUALITY_REPORT_DEFAULTS;
    this.caps = { samples: options?.samples ?? d.samples, textLength: options?.textLength ?? d.textLength, seed: options?.seed ?? d.seed };
    assertInteger('QualityReportBuilder: options.samples', this.caps.samples, 0, 1000);
    assertInteger('QualityReportBuilder: options.textLength', this.caps.textLength, 1, 1_000_000);
    assertInteger('QualityReportBuilder: options.seed', this.caps.seed, 0, 0xffffffff);
    this.quality = options?.quality;
    this.stats = statDefs(options?.quality).map((def) => ({ def, counts: [], missing: 0 }));
    this.sample = new Reservoir(this.caps.samples, this.caps.seed);
  }

  /**
   * Counts one document's report. `text` (or a function giving it, called only when the document is sampled) is
   * kept only for sampled failing documents; `id` defaults to the document's position from 0.
   */
  add(report: QualityReport, text: string | (() => string), id?: DocId): void {
    const order = this.docs++;
    if (report.pass) this.passed++;
    FILTERS.forEach((f, k) => this.filterCounts[k]![report[f].pass ? 0 : 1]!++);
    for (const r of new Set(report.reasons)) this.reasonCounts.set(r, (this.reasonCounts.get(r) ?? 0) + 1);
    for (const s of this.stats) {
      const v = s.def.get(report);
      if (v === null || v === undefined || !Number.isFinite(v)) {
        s.missing++;
        continue;
      }
      const bin = s.def.bins === 'log' ? log2Bin(v) : unitBin(v / (s.def.bins === 'unit' ? 1 : s.def.bins), 0, LINEAR_BINS);
      while (s.counts.length <= bin) s.counts.push(0);
      s.counts[bin]!++;
    }
    if (report.pass) return;
    this.sample.offer(() => {
      const failing: QualityFailure['failing'][number][] = [];
      for (const reason of report.reasons) {
        for (const s of this.stats) {
          const rule = s.def.rules.find((x) => x.reason === reason && x.value !== null);
          if (rule) failing.push({ reason, statistic: s.def.name, value: s.def.get(report) ?? null, threshold: rule.value! });
        }
      }
      return { order, id: id ?? order, text: cutText(typeof text === 'string' ? text : text(), this.caps.textLength), reasons: [...report.reasons], failing };
    });
  }

  /** Counts `count` invalid (skipped) records. */
  invalid(count = 1): void {
    this.invalidCount += count;
  }

  /**
   * The report data.
   * @param options - the run's options as they should appear in the report (default: the `quality` options given)
   */
  build(options?: Record<string, unknown>): QualityReportData {
    const statistics: QualityStatistic[] = this.stats.map((s) => {
      const b = s.def.bins;
      const histogram: Histogram = b === 'log'
        ? { edges: log2Edges(Math.max(1, s.counts.length)), counts: Array.from({ length: Math.max(1, s.counts.length) }, (_, k) => s.counts[k] ?? 0) }
        : { edges: unitEdges(0, LINEAR_BINS).map((x) => Math.round(x * (b === 'unit' ? 1 : b) * 1e4) / 1e4), counts: Array.from({ length: LINEAR_BINS }, (_, k) => s.counts[k] ?? 0) };
      const thresholds = s.def.rules.filter((r) => r.value !== null).map((r) => ({ reason: r.reason, value: r.value!, keep: r.keep }));
      return { name: s.def.name, label: s.def.label, histogram, scale: b === 'log' ? 'log2' as const : 'linear' as const, missing: s.missing, thresholds };
    });
    return {
      kind: 'quality',
      counts: { input: this.docs + this.invalidCount, pass: this.passed, fail: this.docs - this.passed, invalid: this.invalidCount },
      filters: Object.fromEntries(FILTERS.map((f, k) => [f, { pass: this.filterCounts[k]![0]!, fail: this.filterCounts[k]![1]! }])) as QualityReportData['filters'],
      reasons: Object.fromEntries([...this.reasonCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
      statistics,
      samples: [...this.sample.items].sort((a, b) => a.order - b.order).map(({ order: _order, ...f }) => f),
      options: options ?? { ...this.quality },
      caps: this.caps,
    };
  }
}
