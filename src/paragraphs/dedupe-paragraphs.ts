import { shingles } from '../shingle';
import { assertInteger, assertString } from '../internal/validate';
import { NearUnitIndex } from './near';
import { checkLocale, checkMinLength, checkObject, checkThreshold, checkUnit } from './options';
import { applyRemovals, codePointLength, normalizeUnit, segmentUnits, type ParagraphUnit } from './units';

export type { ParagraphUnit } from './units';

/**
 * Defaults of {@link dedupeParagraphs}; read with `??`.
 *
 * - `unit: 'line'` — every non-blank line is a unit (dolma's paragraph dedup; scraped articles put one
 *   paragraph per line).
 * - `minLength: 20` — a unit whose normalized form has fewer than 20 code points is never removed and never
 *   counts as the copy of another: single words and short labels ("Advertisement", "Share", "Ingredients",
 *   "Step 0", a lone `}`) repeat legitimately in lists, tables, headings, recipes and code.
 * - `near: false` — only units with equal normalized text are duplicates. When `near` is on, its fields
 *   default to `threshold: 0.8`, `shingleSize: 5` and `maxCandidates: 1000` (the `near` entry here).
 * - `locale: undefined` — sentences are split by the built-in rule-based splitter of `sentences()`.
 *
 * @example
 * ```ts
 * import { DEDUPE_PARAGRAPHS_DEFAULTS } from 'neardup';
 * DEDUPE_PARAGRAPHS_DEFAULTS.unit; // => 'line'
 * DEDUPE_PARAGRAPHS_DEFAULTS.minLength; // => 20
 * DEDUPE_PARAGRAPHS_DEFAULTS.near.threshold; // => 0.8
 * ```
 */
export const DEDUPE_PARAGRAPHS_DEFAULTS: Readonly<{
  /** What a unit is: `'line'`. */
  unit: ParagraphUnit;
  /** Units whose normalized form has fewer code points than this are protected: 20. */
  minLength: number;
  /** Near matching: off by default, with these fields when `near: true` or a partial `near` object is given. */
  near: Readonly<{
    /** Whether near matching is on when the `near` option is left out: `false`. */
    enabled: boolean;
    /** Jaccard similarity of the character-shingle sets at or above which a unit repeats a kept one: 0.8. */
    threshold: number;
    /** Shingle length in code points of the normalized unit: 5. */
    shingleSize: number;
    /** Most candidates verified for one unit: 1000. */
    maxCandidates: number;
  }>;
  /** Sentence locale: `undefined`, i.e. the built-in rule-based splitter of `sentences()`. */
  locale: string | undefined;
}> = Object.freeze({
  unit: 'line',
  minLength: 20,
  near: Object.freeze({ enabled: false, threshold: 0.8, shingleSize: 5, maxCandidates: 1000 }),
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
   * (the bound on the work per unit, even on adversarial input): an integer ≥ 1. Default 1000.
   */
  maxCandidates?: number;
}

/**
 * Options of {@link dedupeParagraphs}.
 * @example
 * ```ts
 * import { dedupeParagraphs, type DedupeParagraphsOptions } from 'neardup';
 * const options: DedupeParagraphsOptions = { unit: 'paragraph', minLength: 0 };
 * dedupeParagraphs('A\nB\n\nC\n\na   b', options).text; // => 'A\nB\n\nC'
 * ```
 */
export interface DedupeParagraphsOptions {
  /** What a unit is: `'line'` (every non-blank line, the default), `'paragraph'` (blocks separated by blank lines) or `'sentence'`. */
  unit?: ParagraphUnit;
  /** Units whose normalized form has fewer code points than this are protected (never removed): an integer ≥ 0. Default 20. */
  minLength?: number;
  /** Near matching: `true` (defaults), an options object, or `false` (default: exact matching of the normalized text). */
  near?: boolean | NearParagraphOptions;
  /** Locale for sentence segmentation (a BCP 47 tag): `Intl.Segmenter` instead of the rule-based splitter; used only with `unit: 'sentence'`. */
  locale?: string;
}

/**
 * One unit removed by {@link dedupeParagraphs}. Offsets are UTF-16 code-unit indices into the original text,
 * `end` exclusive.
 * @example
 * ```ts
 * import { dedupeParagraphs, type ParagraphRemoval } from 'neardup';
 * const [r]: ParagraphRemoval[] = dedupeParagraphs('Hello there, dear world!\nhello there dear world').removed;
 * [r.start, r.end, r.cutStart, r.cutEnd, r.duplicateOf, r.similarity]; // => [25, 47, 24, 47, { start: 0, end: 24 }, 1]
 * ```
 */
export interface ParagraphRemoval {
  /** Start of the removed unit (its line terminator is never part of it). */
  start: number;
  /** End of the removed unit. */
  end: number;
  /** The unit as it was: `original.slice(start, end)`. */
  text: string;
  /** Start of what was actually deleted: the unit plus one adjacent separator (see {@link dedupeParagraphs}). */
  cutStart: number;
  /** End of what was actually deleted. */
  cutEnd: number;
  /** Where the kept unit it repeats lies in the original text. */
  duplicateOf: {
    /** Start of the kept unit (UTF-16 offset into the original text). */
    start: number;
    /** End of the kept unit, exclusive. */
    end: number;
  };
  /** 1 for a unit whose normalized text equals the kept one; the Jaccard similarity of the character shingles for near matches. */
  similarity: number;
}

/**
 * What {@link dedupeParagraphs} returns.
 * @example
 * ```ts
 * import { dedupeParagraphs, type DedupeParagraphsResult } from 'neardup';
 * const result: DedupeParagraphsResult = dedupeParagraphs('One line of text here.\nOne line of text here.\n');
 * result.text; // => 'One line of text here.\n'
 * ```
 */
export interface DedupeParagraphsResult {
  /** The text without the removed units; everything else byte-for-byte. */
  text: string;
  /** The removed units, in text order. */
  removed: ParagraphRemoval[];
}

interface ResolvedNear {
  threshold: number;
  shingleSize: number;
  maxCandidates: number;
}

function resolveNear(value: unknown): ResolvedNear | undefined {
  const d = DEDUPE_PARAGRAPHS_DEFAULTS.near;
  if (value === undefined || value === false) return undefined;
  if (value === true) return { threshold: d.threshold, shingleSize: d.shingleSize, maxCandidates: d.maxCandidates };
  checkObject('near', value);
  const near = value as NearParagraphOptions;
  const threshold = checkThreshold('near.threshold', near.threshold ?? d.threshold);
  const shingleSize = near.shingleSize ?? d.shingleSize;
  assertInteger('near.shingleSize', shingleSize, 1, 32);
  const maxCandidates = near.maxCandidates ?? d.maxCandidates;
  assertInteger('near.maxCandidates', maxCandidates, 1, 0x7fffffff);
  return { threshold, shingleSize, maxCandidates };
}

/**
 * Removes repeated lines, paragraphs or sentences from one text, keeping the first occurrence of each.
 *
 * **Units.** `unit: 'line'` (default): every non-blank line; `'paragraph'`: blocks separated by blank lines;
 * `'sentence'`: sentences as `sentences(text, locale)` splits them (rule-based, or `Intl.Segmenter` when
 * `locale` is given). Lines end at any Unicode line terminator (LF, CRLF, CR, VT, FF,
 * NEL, LS, PS). A line or paragraph unit spans whole lines, indentation included; a sentence unit is trimmed.
 *
 * **Comparison.** Units are compared on `normalize(unit)` with its defaults: NFKC, lowercase, punctuation and
 * symbols to spaces, digit runs to `0`, whitespace collapsed, combining marks removed, so case, spacing,
 * curly vs straight quotes and numbers do not hide a repeat (as in CCNet). Blank units and units whose
 * normalized form is empty (a line of `***`) are never duplicates; units whose normalized form has fewer than
 * `minLength` code points are protected. With `near`, a unit also repeats a kept unit when the exact Jaccard
 * similarity of their character-shingle sets (`shingleSize` code points of the normalized text) is at least
 * `threshold`; it is reported as the copy of the most similar kept unit. Candidates come from prefix
 * filtering over rarest-first shingles (exact: the same answer as comparing every pair) with at most
 * `maxCandidates` verifications per unit, so the work is bounded by units × maxCandidates even on
 * adversarial input. Units are compared with kept units only, so deduping the output removes nothing.
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
 * Time: linear in the text for exact matching (one normalization and one hash-map lookup per unit).
 *
 * @param text - the text to clean
 * @param options - `unit`, `minLength`, `near`, `locale`; defaults in {@link DEDUPE_PARAGRAPHS_DEFAULTS}
 * @returns the cleaned text and the removed units in text order
 * @throws TypeError if `text` is not a string or an option has the wrong type; RangeError if `unit` is not
 *   `'line'`, `'paragraph'` or `'sentence'`, `minLength` is not an integer ≥ 0, `near.threshold` is not in
 *   (0, 1], `near.shingleSize` is not an integer in [1, 32], `near.maxCandidates` is not a positive integer,
 *   or `locale` is not a valid language tag
 * @example
 * ```ts
 * import { dedupeParagraphs } from 'neardup';
 * const text = 'Breaking: storm hits the coast\n\nBreaking: Storm hits the coast!\nWinds reached 120 km/h overnight.';
 * const { text: cleaned, removed } = dedupeParagraphs(text);
 * cleaned; // => 'Breaking: storm hits the coast\n\nWinds reached 120 km/h overnight.'
 * removed.map((r) => [r.start, r.end, r.duplicateOf.start]); // => [[32, 63, 0]]
 * ```
 */
export function dedupeParagraphs(text: string, options?: DedupeParagraphsOptions): DedupeParagraphsResult {
  assertString('text', text);
  checkObject('options', options);
  const d = DEDUPE_PARAGRAPHS_DEFAULTS;
  const unit = checkUnit(options?.unit ?? d.unit);
  const minLength = checkMinLength(options?.minLength ?? d.minLength);
  const near = resolveNear(options?.near);
  const locale = checkLocale(options?.locale ?? d.locale);

  const units = segmentUnits(text, unit, locale);
  const n = units.starts.length;
  const norms: (string | undefined)[] = new Array<string | undefined>(n);
  for (let k = 0; k < n; k++) {
    const norm = normalizeUnit(text.slice(units.starts[k], units.ends[k]));
    norms[k] = norm === '' || codePointLength(norm) < minLength ? undefined : norm;
  }

  const removed = new Uint8Array(n);
  const copyOf = new Int32Array(n);
  const similarity = new Float64Array(n);
  const firstByNorm = new Map<string, number>();
  let sets: (Uint32Array | undefined)[] = [];
  let index: NearUnitIndex | undefined;
  if (near) {
    sets = norms.map((norm) => (norm === undefined ? undefined : shingles(norm, { unit: 'char', size: near.shingleSize, normalize: false })));
    index = new NearUnitIndex(sets, near.threshold, near.maxCandidates);
  }
  for (let k = 0; k < n; k++) {
    const norm = norms[k];
    if (norm === undefined) continue;
    const first = firstByNorm.get(norm);
    if (first !== undefined) {
      removed[k] = 1;
      copyOf[k] = first;
      similarity[k] = 1;
      continue;
    }
    if (index) {
      const match = index.best(sets[k]!);
      if (match) {
        removed[k] = 1;
        copyOf[k] = match.id;
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
    const c = copyOf[k]!;
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
