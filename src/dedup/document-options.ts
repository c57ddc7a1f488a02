import { assertBoolean, assertInteger, assertNumber, assertOneOf, assertOptions, fail } from '../internal/validate';
import { recallLshParams, type LshIndexOptions, type LshParams } from '../lsh';
import type { MinHashScheme } from '../minhash';
import type { ShingleOptions } from '../shingle';
import { resolveShingleOptions } from '../shingle/shingles';
import { lowestSimhashThreshold, MAX_DERIVED_DISTANCE, simhashDistanceFor } from './simhash-distance';

/** How candidates are found: MinHash + LSH, SimHash + Hamming index, or exact (normalized) hashes only.
 * @example
 * ```ts
 * const methods: DedupeMethod[] = ['minhash', 'simhash', 'exact'];
 * const words = Array.from({ length: 60 }, (_, i) => `w${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26), 97)}`);
 * const docs = [words.join(' '), [...words, 'extra'].join(' ')];
 * methods.map((method) => dedupe(docs, { method, threshold: 0.95 }).kept.length); // => [1, 1, 2]
 * ```
 */
export type DedupeMethod = 'minhash' | 'simhash' | 'exact';

/**
 * What `threshold` measures between a document and a kept one: `'jaccard'` (`|A ∩ B| / |A ∪ B|`, whole-document
 * copies) or `'containment'` (`|A ∩ B| / |A|`: how much of the new document `A` is inside the kept document `B`,
 * partial copies and quotes).
 * @example
 * ```ts
 * const article = 'the council approved the new budget on monday after a long debate about schools roads and parks in the city';
 * const quote = 'the council approved the new budget on monday after a long debate';
 * const measures: DedupeMeasure[] = ['jaccard', 'containment'];
 * measures.map((measure) => dedupe([article, quote], { measure }).kept); // => [[0, 1], [0]]
 * ```
 */
export type DedupeMeasure = 'jaccard' | 'containment';

/** Options of {@link dedupe} and {@link NearDuplicateDetector}; see {@link DEDUPE_DEFAULTS}.
 * @example
 * ```ts
 * const options: DedupeOptions = { threshold: 0.7, shingle: { unit: 'char', size: 4 }, numPerm: 256, seed: 7 };
 * const detector = new NearDuplicateDetector(options);
 * detector.add(1, 'colour of the sky at night'); // => {}
 * detector.add(2, 'color of the sky at night').duplicateOf; // => 1
 * ```
 */
export interface DedupeOptions {
  /**
   * Similarity of word-shingle sets at or above which two documents are duplicates, in (0, 1]: Jaccard, or
   * containment with `measure: 'containment'`. Default 0.8.
   */
  threshold?: number;
  /** Candidate search: `'minhash'` (default), `'simhash'` or `'exact'` (normalized text equality only). */
  method?: DedupeMethod;
  /**
   * What `threshold` measures: `'jaccard'` (default) or `'containment'` — a document whose shingles are at least
   * `threshold` inside a kept document's is its duplicate (`|A ∩ B| / |A|`, `A` the new document), and the
   * reported similarity is that containment. Candidates then come from a `ContainmentIndex` (exact prefix filter:
   * no pair at or above the threshold is missed, bounds aside), not from MinHash/LSH, so `numPerm`, `scheme` and
   * `minRecall` play no part. It needs `method: 'minhash'` (the default; `'exact'` compares no shingles, so the
   * measure changes nothing there), `verify: true` and `editRatioMaxLength: 0`: SimHash and MinHash estimate
   * Jaccard, not containment.
   *
   * **Order.** The direction is "the new document is contained in a kept one": with `keep: 'first'` a short text
   * that arrives after a longer one containing it is removed, but a longer text that arrives after a short kept
   * one is kept (it holds more than the short one: removing it would lose that rest), and the short one stays
   * kept too, since a streaming run never takes back a kept document. With `keep: 'longest'` documents are
   * processed longest first, so every text contained in a longer one is removed whatever the input order.
   */
  measure?: DedupeMeasure;
  /**
   * Shingling (unit, size, normalization, seed) — see `shingles` and `ShingleOptions`. Default `{ unit: 'word',
   * size: 5 }`: word 5-grams of the text normalized with `NORMALIZE_DEFAULTS`, shingle seed 0. The
   * normalization chosen here is also what the exact-duplicate hash sees.
   */
  shingle?: ShingleOptions;
  /** MinHash permutations (signature length), an integer in [1, 65535]. Default 128. */
  numPerm?: number;
  /**
   * Seed of the MinHash family and of SimHash fingerprints (method `'simhash'`), an integer in [0, 2^32 − 1].
   * Default 1.
   */
  seed?: number;
  /** MinHash scheme: `'fast'` (default) or `'classic'`; see `MinHasher`. */
  scheme?: MinHashScheme;
  /**
   * Probability, in (0, 1], that LSH proposes a pair at exactly `threshold` similarity (sets the banding, see
   * `LshIndex` and `recallLshParams`). Default 0.95, which proposes a pair at `threshold` + 0.05 with
   * probability ≥ 0.99 (at 128 permutations and threshold 0.8: 13 bands × 7 rows). datasketch's weighted
   * default would find a pair at exactly the threshold only ~40% of the time.
   */
  minRecall?: number;
  /**
   * MinHash: an explicit banding instead of the one `minRecall` chooses — the number of LSH bands, an integer ≥ 1,
   * given together with `rows` (`bands × rows` at most `numPerm`). For users who carry a banding over from
   * datasketch (`params=(b, r)`) or text-dedup (`--b`, `--r`). Default: derived from `threshold`, `numPerm` and
   * `minRecall` (13 × 7 with the defaults); `bandingOf` tells the banding in use.
   */
  bands?: number;
  /** MinHash: rows (signature values) per band of an explicit banding, an integer ≥ 1, given together with `bands`. */
  rows?: number;
  /**
   * SimHash: largest Hamming distance (of 64 bits) that makes a candidate, an integer from 0 to 43. Default:
   * derived from `threshold` and `minRecall`, the distance within which a pair at exactly `threshold` falls with
   * probability `minRecall` (each bit differs with probability `arccos(2t / (1 + t)) / π`): 11 at 0.9, 8 at 0.95,
   * 15 at 0.8. A derived distance above 11 is refused (`threshold` below 0.89 at `minRecall` 0.95): the index
   * would compare most pairs. Use `'minhash'` there, or give `maxDistance` to accept the cost (or the lost recall).
   */
  maxDistance?: number;
  /**
   * The most candidates one query collects from the MinHash LSH index (or the SimHash index), an integer ≥ 1.
   * Default 4096. A query reads at most ⌈maxCandidates / bands⌉ entries from each band's bucket (SimHash:
   * ⌈maxCandidates / tables⌉ from each table's), the most recently kept documents first, so a bucket shared by
   * thousands of kept documents — a family of similar texts — costs a bounded amount of work. Only a query whose bucket holds more entries than that can miss a duplicate (stat
   * `truncatedQueries`); a reported pair is still verified ≥ `threshold`.
   */
  maxCandidates?: number;
  /**
   * The most exact verifications (Jaccard or edit ratio; estimates with `verify: false`) one query performs, an
   * integer ≥ 1. Default 64. Candidates are verified best-first — with MinHash, the 4 × maxVerifications that
   * share the most LSH bands are ordered by how many MinHash values they share with the query (SimHash: nearest
   * first; ties: oldest first) — after cheap bounds have ruled out the hopeless ones, and greedy clustering stops
   * at the first candidate ≥ `threshold`. Only a query with more candidates that pass the cheap bounds than this can miss a
   * duplicate (the rest are counted in `skippedCandidates`); a reported pair is still verified ≥ `threshold`.
   */
  maxVerifications?: number;
  /**
   * Verify every candidate with the exact Jaccard similarity of the shingle sets, so no reported pair is
   * below `threshold`. Default true. With false, MinHash estimates (or 1 − distance/64 for SimHash) are reported.
   */
  verify?: boolean;
  /**
   * When both normalized texts are at most this many UTF-16 units long, verification uses the edit-distance
   * ratio (`editRatio`, via fast-levenshtein) instead of Jaccard: better for short texts, whose shingle sets are
   * tiny. An integer ≥ 0. Default 0 (off).
   */
  editRatioMaxLength?: number;
}

/**
 * {@link DedupeOptions} with every field filled in: the type of {@link DEDUPE_DEFAULTS} and of
 * `NearDuplicateDetector.options`. Shown inline in the API docs.
 * @inline
 */
export interface ResolvedDedupeOptions {
  /** Similarity (see `measure`) at or above which two documents are duplicates, in (0, 1]. */
  readonly threshold: number;
  /** Candidate search: `'minhash'`, `'simhash'` or `'exact'`. */
  readonly method: DedupeMethod;
  /** What `threshold` measures: `'jaccard'` or `'containment'`. */
  readonly measure: DedupeMeasure;
  /** Shingle options (see `ShingleOptions`); fields left out take `SHINGLE_DEFAULTS`. */
  readonly shingle: ShingleOptions;
  /** MinHash permutations, an integer in [1, 65535]. */
  readonly numPerm: number;
  /** MinHash seed, an integer in [0, 2^32 − 1]. */
  readonly seed: number;
  /** MinHash scheme: `'fast'` or `'classic'`. */
  readonly scheme: MinHashScheme;
  /** Probability, in (0, 1], that LSH proposes a pair of similarity exactly `threshold`. */
  readonly minRecall: number;
  /** MinHash: the explicit number of bands, when given (else the banding is derived from `minRecall`). */
  readonly bands?: number;
  /** MinHash: the explicit rows per band, when given with `bands`. */
  readonly rows?: number;
  /** SimHash: largest Hamming distance that makes a candidate, an integer from 0 to 43 (derived from `threshold` unless given). */
  readonly maxDistance: number;
  /** The most candidates one LSH query collects, an integer ≥ 1. */
  readonly maxCandidates: number;
  /** The most exact verifications one query performs, an integer ≥ 1. */
  readonly maxVerifications: number;
  /** Whether candidates are verified with the exact similarity. */
  readonly verify: boolean;
  /** Normalized length (UTF-16 code units) up to which verification uses `editRatio`; 0 disables it. */
  readonly editRatioMaxLength: number;
}

/**
 * Defaults of {@link DedupeOptions} (frozen): `threshold` 0.8, `method` `'minhash'`, `measure`
 * `'jaccard'`, `shingle` `{ unit: 'word',
 * size: 5 }` (normalized text, shingle seed 0), `numPerm` 128, `seed` 1, `scheme` `'fast'`, `minRecall` 0.95
 * (13 bands × 7 rows at 128 permutations), `maxCandidates` 4096, `maxVerifications` 64, `verify` true, `editRatioMaxLength` 0
 * (off). `maxDistance` has no fixed default: it is derived from `threshold` and `minRecall` (see
 * {@link DedupeOptions.maxDistance}).
 * @example
 * ```ts
 * DEDUPE_DEFAULTS.threshold; // => 0.8
 * DEDUPE_DEFAULTS.method; // => 'minhash'
 * ```
 */
export const DEDUPE_DEFAULTS: Readonly<Omit<ResolvedDedupeOptions, 'maxDistance'>> = Object.freeze({
  threshold: 0.8,
  method: 'minhash',
  measure: 'jaccard',
  shingle: Object.freeze({ unit: 'word', size: 5 }) as ShingleOptions,
  numPerm: 128,
  seed: 1,
  scheme: 'fast',
  minRecall: 0.95,
  maxCandidates: 4096,
  maxVerifications: 64,
  verify: true,
  editRatioMaxLength: 0,
});

const METHODS: readonly DedupeMethod[] = ['minhash', 'simhash', 'exact'];
const MEASURES: readonly DedupeMeasure[] = ['jaccard', 'containment'];

/** The keys of {@link DedupeOptions}. @internal */
export const DEDUPE_KEYS = [
  'threshold', 'method', 'measure', 'shingle', 'numPerm', 'seed', 'scheme', 'minRecall', 'bands', 'rows', 'maxDistance', 'maxCandidates',
  'maxVerifications', 'verify',
  'editRatioMaxLength',
] as const;

/**
 * The largest `maxDistance`: the detector's SimHash index uses `maxDistance + 2` blocks, so C(d + 2, 2) tables,
 * and an index has at most 1,024 tables (C(45, 2) = 990, C(46, 2) = 1,035).
 * @internal
 */
export const MAX_DEDUPE_DISTANCE = 43;

/**
 * Validates and fills in defaults. `fn` names the caller in messages; `extraKeys` are the caller's own options
 * beside {@link DEDUPE_KEYS} (`keep`, `clustering` for `dedupe`), checked only as known keys here.
 * @internal
 */
export function resolveDedupeOptions(
  options: DedupeOptions | undefined,
  fn = 'NearDuplicateDetector',
  extraKeys: readonly string[] = [],
): ResolvedDedupeOptions {
  assertOptions(fn, 'options', options, extraKeys.length === 0 ? DEDUPE_KEYS : [...DEDUPE_KEYS, ...extraKeys]);
  const o = options ?? {};
  const r: { -readonly [K in keyof ResolvedDedupeOptions]: ResolvedDedupeOptions[K] } = {
    threshold: o.threshold ?? DEDUPE_DEFAULTS.threshold,
    method: o.method ?? DEDUPE_DEFAULTS.method,
    measure: o.measure ?? DEDUPE_DEFAULTS.measure,
    shingle: o.shingle ?? DEDUPE_DEFAULTS.shingle,
    numPerm: o.numPerm ?? DEDUPE_DEFAULTS.numPerm,
    seed: o.seed ?? DEDUPE_DEFAULTS.seed,
    scheme: o.scheme ?? DEDUPE_DEFAULTS.scheme,
    minRecall: o.minRecall ?? DEDUPE_DEFAULTS.minRecall,
    maxDistance: o.maxDistance ?? 0, // derived below, once threshold and minRecall are checked
    maxCandidates: o.maxCandidates ?? DEDUPE_DEFAULTS.maxCandidates,
    maxVerifications: o.maxVerifications ?? DEDUPE_DEFAULTS.maxVerifications,
    verify: o.verify ?? DEDUPE_DEFAULTS.verify,
    editRatioMaxLength: o.editRatioMaxLength ?? DEDUPE_DEFAULTS.editRatioMaxLength,
  };
  const at = `${fn}: options`;
  assertNumber(`${at}.threshold`, r.threshold, 0, 1, true);
  assertOneOf(`${at}.method`, r.method, METHODS);
  assertOneOf(`${at}.measure`, r.measure, MEASURES);
  if (r.measure === 'containment') {
    // SimHash and MinHash estimate Jaccard; containment is found by a ContainmentIndex and always checked exactly.
    if (r.method === 'simhash') fail(RangeError, `${at}.method`, `"minhash" or "exact" with measure "containment" (SimHash estimates Jaccard, not containment)`, r.method);
    if (o.verify === false) fail(RangeError, `${at}.verify`, 'true with measure "containment" (there is no containment estimate to report)', o.verify);
    if (o.editRatioMaxLength !== undefined && o.editRatioMaxLength !== 0) {
      fail(RangeError, `${at}.editRatioMaxLength`, '0 with measure "containment" (an edit ratio is not a containment)', o.editRatioMaxLength);
    }
  }
  if (typeof r.shingle !== 'object' || r.shingle === null || Array.isArray(r.shingle)) {
    fail(TypeError, `${at}.shingle`, 'a ShingleOptions object', r.shingle);
  }
  assertInteger(`${at}.numPerm`, r.numPerm, 1, 65535);
  assertInteger(`${at}.seed`, r.seed, 0, 0xffffffff);
  assertOneOf(`${at}.scheme`, r.scheme, ['classic', 'fast'] as const);
  assertNumber(`${at}.minRecall`, r.minRecall, 0, 1, true);
  if (o.maxDistance === undefined) {
    r.maxDistance = simhashDistanceFor(r.threshold, r.minRecall);
    if (r.method === 'simhash' && r.maxDistance > MAX_DERIVED_DISTANCE) {
      const lowest = lowestSimhashThreshold(r.minRecall);
      fail(RangeError, `${at}.threshold`,
        `at least ${lowest} with method "simhash" and minRecall ${r.minRecall} (a pair at ${r.threshold} is found with that probability only within ` +
          `${r.maxDistance} of 64 bits, where the index compares most pairs): use method "minhash", or give options.maxDistance to accept the cost or the lost recall`,
        r.threshold);
    }
  }
  if (o.bands !== undefined || o.rows !== undefined) {
    // Both or neither: half a banding has no meaning, and guessing the other half would hide a typo.
    if (o.bands !== undefined) assertInteger(`${at}.bands`, o.bands, 1, r.numPerm);
    if (o.rows !== undefined) assertInteger(`${at}.rows`, o.rows, 1, r.numPerm);
    if (o.rows === undefined) fail(RangeError, `${at}.rows`, 'given together with options.bands', o.rows);
    if (o.bands === undefined) fail(RangeError, `${at}.bands`, 'given together with options.rows', o.bands);
    if (o.bands * o.rows > r.numPerm) {
      fail(RangeError, `${at}.rows`, `at most options.numPerm / options.bands = ${Math.floor(r.numPerm / o.bands)} (bands × rows must not exceed numPerm ${r.numPerm})`, o.rows);
    }
    if (r.method !== 'minhash') fail(RangeError, `${at}.bands`, `left out with method ${JSON.stringify(r.method)} (a banding is for 'minhash')`, o.bands);
    if (r.measure === 'containment') fail(RangeError, `${at}.bands`, 'left out with measure "containment" (its candidates come from a ContainmentIndex, not LSH bands)', o.bands);
    r.bands = o.bands;
    r.rows = o.rows;
  }
  assertInteger(`${at}.maxDistance`, r.maxDistance, 0, MAX_DEDUPE_DISTANCE);
  assertInteger(`${at}.maxCandidates`, r.maxCandidates, 1, 0x7fffffff);
  assertInteger(`${at}.maxVerifications`, r.maxVerifications, 1, 0x7fffffff);
  assertBoolean(`${at}.verify`, r.verify);
  assertInteger(`${at}.editRatioMaxLength`, r.editRatioMaxLength, 0, Number.MAX_SAFE_INTEGER);
  resolveShingleOptions(r.shingle, fn, 'options.shingle'); // every shingle option now, not at the first document
  return Object.freeze({ ...r, shingle: Object.freeze({ ...r.shingle }) });
}

/**
 * The LSH banding a detector with these options uses (method `'minhash'`): `bands` × `rows` when given, else the
 * fewest-false-positive banding whose recall at exactly `threshold` is at least `minRecall`.
 * @param options - options as for {@link NearDuplicateDetector} (validated here)
 * @returns `{ bands, rows }`
 * @throws TypeError / RangeError naming the option when an option is invalid, or when the method is not `'minhash'`
 * @example
 * ```ts
 * bandingOf(); // => { bands: 13, rows: 7 }
 * bandingOf({ threshold: 0.5 }); // => { bands: 23, rows: 3 }
 * bandingOf({ bands: 16, rows: 8 }); // => { bands: 16, rows: 8 }
 * ```
 */
export function bandingOf(options?: DedupeOptions): Pick<LshParams, 'bands' | 'rows'> {
  const o = resolveDedupeOptions(options, 'bandingOf');
  if (o.method !== 'minhash') fail(RangeError, 'bandingOf: options.method', "'minhash' (only MinHash is banded)", o.method);
  if (o.measure === 'containment') fail(RangeError, 'bandingOf: options.measure', "'jaccard' (measure 'containment' is not banded)", o.measure);
  return resolvedBanding(o);
}

/**
 * The options of the `LshIndex` of resolved MinHash options: the explicit banding, or the recall rule (so the
 * index records how its banding was chosen, as before explicit bandings existed). @internal
 */
export function lshOptionsOf(o: ResolvedDedupeOptions): LshIndexOptions {
  const banding = o.bands !== undefined && o.rows !== undefined ? { bands: o.bands, rows: o.rows } : { minRecall: o.minRecall };
  return { threshold: o.threshold, numPerm: o.numPerm, ...banding, seed: o.seed, scheme: o.scheme };
}

/** The banding of resolved MinHash options (no checks). @internal */
export function resolvedBanding(o: ResolvedDedupeOptions): { bands: number; rows: number } {
  if (o.bands !== undefined && o.rows !== undefined) return { bands: o.bands, rows: o.rows };
  const { bands, rows } = recallLshParams(o.threshold, o.numPerm, o.minRecall);
  return { bands, rows };
}
