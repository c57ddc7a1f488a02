/**
 * The options, removal and result types shared by the paragraph functions (`dedupeParagraphs`,
 * `ParagraphDeduplicator`, `paragraphFrequencies`), declared once, and their validation.
 */
import { assertInteger, assertLocale, assertOneOf, assertOptions } from '../internal/validate';
import { PARAGRAPH_UNITS, type ParagraphUnit } from './units';

/**
 * The options every paragraph function takes: what a unit is, which units are too short to count, and how
 * sentences are split. Each function's own options extend this type.
 * @example
 * ```ts
 * import { dedupeParagraphs, paragraphFrequencies, type ParagraphOptions } from 'neardup';
 * const byParagraph: ParagraphOptions = { unit: 'paragraph', minChars: 0 };
 * dedupeParagraphs('A\nB\n\nC\n\na   b', byParagraph).text; // => 'A\nB\n\nC'
 * paragraphFrequencies(['A\nB\n\nC', 'a b'], byParagraph)[0]!.count; // => 2
 * ```
 */
export interface ParagraphOptions {
  /**
   * What a unit is: `'line'` (every non-blank line, the default), `'paragraph'` (blocks separated by blank
   * lines) or `'sentence'`.
   */
  unit?: ParagraphUnit;
  /**
   * Units whose normalized form has fewer code points than this are protected: never removed, never
   * remembered, never counted. An integer of at least 0. Default 20 (0 for `paragraphFrequencies`, which
   * counts every non-empty unit).
   */
  minChars?: number;
  /**
   * Locale for sentence segmentation (a BCP 47 tag): `Intl.Segmenter` instead of the rule-based splitter;
   * used only with `unit: 'sentence'`. Default `undefined`.
   */
  locale?: string | undefined;
}

/**
 * One unit removed by {@link dedupeParagraphs} or {@link ParagraphDeduplicator.process}. Offsets are UTF-16
 * code-unit indices into the text given, `end` exclusive.
 * @example
 * ```ts
 * import { dedupeParagraphs, type ParagraphRemoval } from 'neardup';
 * const [r]: ParagraphRemoval[] = dedupeParagraphs('Hello there, dear world!\nhello there dear world').removed;
 * [r!.start, r!.end, r!.cutStart, r!.cutEnd, r!.duplicateOf, r!.similarity]; // => [25, 47, 24, 47, { start: 0, end: 24 }, 1]
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
  /**
   * Where the kept unit it repeats lies in the same text; `null` when `ParagraphDeduplicator` saw the unit in
   * an earlier document (or its Bloom store gave a false positive). `dedupeParagraphs` always gives a span.
   */
  duplicateOf: {
    /** Start of the kept unit (UTF-16 offset into the text). */
    start: number;
    /** End of the kept unit, exclusive. */
    end: number;
  } | null;
  /**
   * 1 for a unit whose normalized text equals the kept one; the Jaccard similarity of the character shingles
   * for near matches (`dedupeParagraphs` with `near`).
   */
  similarity: number;
}

/**
 * What {@link dedupeParagraphs} and {@link ParagraphDeduplicator.process} return.
 * @example
 * ```ts
 * import { dedupeParagraphs, type ParagraphResult } from 'neardup';
 * const result: ParagraphResult = dedupeParagraphs('One line of text here.\nOne line of text here.\n');
 * result.text; // => 'One line of text here.\n'
 * ```
 */
export interface ParagraphResult {
  /** The text without the removed units; everything else byte-for-byte. */
  text: string;
  /** The removed units, in text order. */
  removed: ParagraphRemoval[];
}

/** The keys of {@link ParagraphOptions}. @internal */
export const PARAGRAPH_KEYS = ['unit', 'minChars', 'locale'] as const;

/** The largest `minChars`. @internal */
export const MAX_MIN_CHARS = 0x7fffffff;

/** {@link ParagraphOptions} after validation. @internal */
export interface ResolvedParagraphOptions {
  readonly unit: ParagraphUnit;
  readonly minChars: number;
  readonly locale: string | undefined;
}

/**
 * Checks an options object of a paragraph function (`fn`): its keys against {@link PARAGRAPH_KEYS} plus the
 * function's own `extraKeys` (which the caller validates), and the shared fields with `defaults`.
 * @internal
 */
export function resolveParagraphOptions(
  fn: string,
  options: ParagraphOptions | undefined,
  defaults: ResolvedParagraphOptions,
  extraKeys: readonly string[],
): ResolvedParagraphOptions {
  assertOptions(fn, 'options', options, [...PARAGRAPH_KEYS, ...extraKeys]);
  const unit = options?.unit ?? defaults.unit;
  assertOneOf(`${fn}: options.unit`, unit, PARAGRAPH_UNITS);
  const minChars = options?.minChars ?? defaults.minChars;
  assertInteger(`${fn}: options.minChars`, minChars, 0, MAX_MIN_CHARS);
  const locale = options?.locale ?? defaults.locale;
  if (locale !== undefined) assertLocale(`${fn}: options.locale`, locale);
  return { unit, minChars, locale };
}
