import { resolveShingleOptions, shinglesResolved } from '../shingle/shingles';
import { assertInteger, assertNumber, assertOptions, assertString, fail } from '../internal/validate';
import { NearUnitIndex } from './near';
import { resolveParagraphOptions, type ParagraphOptions, type ParagraphRemoval, type ParagraphResult } from './options';
import { applyRemovals, codePointLength, normalizeUnit, segmentUnits, type ParagraphUnit } from './units';

export type { ParagraphUnit } from './units';

/**
 * Defaults of {@link dedupeParagraphs}; read with `??`.
 *
 * - `unit: 'line'` — every non-blank line is a unit (dolma's paragraph dedup; scraped articles put one
 *   paragraph per line).
 * - `minChars: 20` — a unit whose normalized form has fewer than 20 code points is never removed and never
 *   counts as the copy of another: single words and short labels ("Advertisement", "Share", "Ingredients",
 *   "Step 0", a lone `}`) repeat legitimately in lists, tables, headings, recipes and code.
 * - `near: false` — only units with equal normalized text are duplicates. When `near` is on, its fields
 *   default to `threshold: 0.8`, `shingleSize: 5` and `maxCandidates: 100` (the `near` entry here).
 * - `locale: undefined` — sentences are split by the built-in rule-based splitter of `sentences()`.
 *
 * @example
 * ```ts
 * import { DEDUPE_PARAGRAPHS_DEFAULTS } from 'neardup';
 * DEDUPE_PARAGRAPHS_DEFAULTS.unit; // => 'line'
 * DEDUPE_PARAGRAPHS_DEFAULTS.minChars; // => 20
 * DEDUPE_PARAGRAPHS_DEFAULTS.near.threshold; // => 0.8
 * ```
 */
export const DEDUPE_PARAGRAPHS_DEFAULTS: Readonly<{
  /** What a unit is: `'line'`. */
  unit: ParagraphUnit;
  /** Units whose normalized form has fewer code points than this are protected: 20. */
  minChars: number;
  /** Near matching: off by default, with these fields when `near: true` or a partial `near` object is given. */
  near: Readonly<{
    /** Whether near matching is on when the `near` option is left out: `false`. */
    enabled: boolean;
    /** Jaccard similarity of the character-shingle sets at or above which a unit repeats a kept one: 0.8. */
    threshold: number;
    /** Shingle length in code points of the normalized unit: 5. */
    shingleSize: number;
    /** Most candidates verified for one unit: 100 (8 × 100 index entries visited). */
    maxCandidates: number;
  }>;
  /** Sentence locale: `undefined`, i.e. the built-in rule-based splitter of `sentences()`. */
  locale: string | undefined;
}> = Object.freeze({
  unit: 'line',
  minChars: 20,
  near: Object.freeze({ enabled: false, threshold: 0.8, shingleSize: 5, maxCandidates: 100 }),
  locale: undefined,
});

/**
 * Near-matching options of {@link dedupeParagraphs}.
 * @example
 * ```ts
 * import { dedupeParagraphs, type NearParagraphOptions } from 'neardup';
 * const near: NearParagraphOptions = { threshold: 0.5 };
 * const { removed } = dedupeParagraphs('The cat sat on the mat today.\nThe cat sat on a mat today.', { near });
 * removed.length; // => 1
 * ```
 */
export interface NearParagraphOptions {
  /** Jaccard similarity of the character-shingle sets at or above which a unit repeats an earlier one: (0, 1]. Default 0.8. */
  threshold?: number;
  /** Shingle length in code points of the normalized unit: an integer in [1, 32]. Default 5. */
  shingleSize?: number;
  /**
   * At most this many earlier units are verified for one unit, and at most 8 × this many index entries are visited
   * (the bound on the work per unit, even on adversarial input): an integer ≥ 1. Default 100. When a unit has
   * more candidates, those sharing the most rare shingles with it are verified; below the bound the result is
   * that of comparing every pair of units.
   */
  maxCandidates?: number;
}

/**
 * Options of {@link dedupeParagraphs}.
 * @example
 * ```ts
 * import { dedupeParagraphs, type DedupeParagraphsOptions } from 'neardup';
 * const options: DedupeParagraphsOptions = { unit: 'paragraph', minChars: 0, near: { threshold: 0.9 } };
 * dedupeParagraphs('A\nB\n\nC\n\na   b', options).text; // => 'A\nB\n\nC'
 * ```
 */
export interface DedupeParagraphsOptions extends ParagraphOptions {
  /** Near matching: `true` (defaults), an options object, or `false` (default: exact matching of the normalized text). */
  near?: boolean | NearParagraphOptions;
}

interface ResolvedNear {
  threshold: number;
  shingleSize: number;
  maxCandidates: number;
}

const NEAR_KEYS = ['threshold', 'shingleSize', 'maxCandidates'] as const;
const FN = 'dedupeParagraphs';

function resolveNear(value: unknown): ResolvedNear | undefined {
  const d = DEDUPE_PARAGRAPHS_DEFAULTS.near;
  if (value === undefined || value === false) return undefined;
  if (value === true) return { threshold: d.threshold, shingleSize: d.shingleSize, maxCandidates: d.maxCandidates };
  if (typeof value !== 'object' || value === null) fail(TypeError, `${FN}: options.near`, 'a boolean or a NearParagraphOptions object', value);
  assertOptions(FN, 'options.near', value, NEAR_KEYS);
  const near = value as NearParagraphOptions;
  const threshold = near.threshold ?? d.threshold;
  assertNumber(`${FN}: options.near.threshold`, threshold, 0, 1, true);
  const shingleSize = near.shingleSize ?? d.shingleSize;
  assertInteger(`${FN}: options.near.shingleSize`, shingleSize, 1, 32);
  const maxCandidates = near.maxCandidates ?? d.maxCandidates;
  assertInteger(`${FN}: options.near.maxCandidates`, maxCandidates, 1, 0x7fffffff);
  return { threshold, shingleSize, maxCandidates };
}

/**
 * Removes repeated lines, paragraphs or sentences from one text, keeping the first occurrence of each.
 *
 * **Units.** `unit: 'line'` (default): every non-blank line; `'paragraph'`: blocks separated by blank lines;
 * `'sentence'`: sentences as `sentences(text, { locale })` splits them (rule-based, or `Intl.Segmenter` when
 * `locale` is given). Lines end at any Unicode line terminator (LF, CRLF, CR, VT, FF,
 * NEL, LS, PS). A line or paragraph unit spans whole lines, indentation included; a sentence unit is trimmed.
 *
 * **Comparison.** Units are compared on `normalize(unit)` with its defaults: NFKC, lowercase, punctuation and
 * symbols to spaces, digit runs to `0`, whitespace collapsed, combining marks removed, so case, spacing,
 * curly vs straight quotes and numbers do not hide a repeat (as in CCNet). Blank units and units whose
 * normalized form is empty (a line of `***`) are never duplicates; units whose normalized form has fewer than
 * `minChars` code points are protected. With `near`, a unit also repeats a kept unit when the exact Jaccard
 * similarity of their character-shingle sets (`shingleSize` code points of the normalized text) is at least
 * `threshold`; it is reported as the copy of the most similar kept unit. Candidates come from prefix
 * filtering over rarest-first shingles (exact: the same answer as comparing every pair) with at most
 * `maxCandidates` verifications and 8 × `maxCandidates` index entries visited per unit, so the work is
 * bounded by units × maxCandidates even on adversarial input such as lines drawn from a small vocabulary,
 * where every unit shares some shingle with most others (then the candidates sharing the most rare shingles
 * are the ones verified). Units are compared with kept units only, so deduping the output removes nothing.
 *
 * **What is deleted.** A removed unit goes with exactly one separator (line break, blank lines, or the
 * spaces between sentences), so the text around it is untouched and no blank line is doubled or added:
 * between two kept units, the whole stretch between them is replaced by one of its original separators,
 * the one with the most line breaks (ties: the first, i.e. a unit leaves with its own terminator); after the
 * last kept unit, removed units go with the separator before them (the text keeps its original ending);
 * before the first kept unit, with the separator after them. If every unit is removed the result is `''`.
 * Each removal reports the unit (`start`, `end`, `text`), the exact span deleted (`cutStart`, `cutEnd`), the
 * copy it repeats (`duplicateOf`) and the `similarity`.
 *
 * Time: linear in the text for exact matching (one normalization and one hash-map lookup per unit); with
 * `near`, at most linear in the text times `maxCandidates`.
 *
 * @param text - the text to clean
 * @param options - `unit`, `minChars`, `near`, `locale`; defaults in {@link DEDUPE_PARAGRAPHS_DEFAULTS}
 * @returns the cleaned text and the removed units in text order
 * @throws TypeError if `text` is not a string, an option key is unknown or an option has the wrong type; RangeError if `unit` is not
 *   `'line'`, `'paragraph'` or `'sentence'`, `minChars` is not an integer of at least 0, `near.threshold` is not in
 *   (0, 1], `near.shingleSize` is not an integer in [1, 32], `near.maxCandidates` is not a positive integer,
 *   or `locale` is not a valid language tag
 * @example
 * ```ts
 * import { dedupeParagraphs } from 'neardup';
 * const text = 'Breaking: storm hits the coast\n\nBreaking: Storm hits the coast!\nWinds reached 120 km/h overnight.';
 * const { text: cleaned, removed } = dedupeParagraphs(text);
 * cleaned; // => 'Breaking: storm hits the coast\n\nWinds reached 120 km/h overnight.'
 * removed.map((r) => [r.start, r.end, r.duplicateOf?.start]); // => [[32, 63, 0]]
 * ```
 */
export function dedupeParagraphs(text: string, options?: DedupeParagraphsOptions): ParagraphResult {
  assertString(`${FN}: text`, text);
  const { unit, minChars, locale } = resolveParagraphOptions(FN, options, DEDUPE_PARAGRAPHS_DEFAULTS, ['near']);
  const near = resolveNear(options?.near);

  const units = segmentUnits(text, unit, locale);
  const n = units.starts.length;
  const norms: (string | undefined)[] = new Array<string | undefined>(n);
  for (let k = 0; k < n; k++) {
    const norm = normalizeUnit(text.slice(units.starts[k], units.ends[k]));
    norms[k] = norm === '' || codePointLength(norm) < minChars ? undefined : norm;
  }

  const removed = new Uint8Array(n);
  const keptAt = new Int32Array(n); // the kept unit each removed unit repeats
  const similarity = new Float64Array(n);
  const firstByNorm = new Map<string, number>();
  let sets: (Uint32Array | undefined)[] = [];
  let index: NearUnitIndex | undefined;
  if (near) {
    const shingling = resolveShingleOptions({ unit: 'char', size: near.shingleSize, normalize: false }); // once, not per unit
    sets = norms.map((norm) => (norm === undefined ? undefined : shinglesResolved(norm, shingling)));
    index = new NearUnitIndex(sets, near.threshold, near.maxCandidates);
  }
  for (let k = 0; k < n; k++) {
    const norm = norms[k];
    if (norm === undefined) continue;
    const first = firstByNorm.get(norm);
    if (first !== undefined) {
      removed[k] = 1;
      keptAt[k] = first;
      similarity[k] = 1;
      continue;
    }
    if (index) {
      const match = index.best(sets[k]!);
      if (match) {
        removed[k] = 1;
        keptAt[k] = match.id;
        similarity[k] = match.similarity;
        continue;
      }
      index.insert(k, sets[k]!);
    }
    firstByNorm.set(norm, k);
  }

  const applied = applyRemovals(text, units, removed);
  const out: ParagraphRemoval[] = [];
  let r = 0;
  for (let k = 0; k < n; k++) {
    if (!removed[k]) continue;
    const start = units.starts[k]!;
    const end = units.ends[k]!;
    const c = keptAt[k]!;
    out.push({
      start,
      end,
      text: text.slice(start, end),
      cutStart: applied.cutStarts[r]!,
      cutEnd: applied.cutEnds[r]!,
      duplicateOf: { start: units.starts[c]!, end: units.ends[c]! },
      similarity: similarity[k]!,
    });
    r++;
  }
  return { text: applied.text, removed: out };
}
