import type { Doc } from '../internal/doc';
import { assertInteger, fail } from '../internal/validate';
import { resolveParagraphOptions, type ParagraphOptions } from './options';
import { codePointLength, normalizeUnit, segmentUnits, type ParagraphUnit } from './units';

/**
 * Defaults of {@link paragraphFrequencies}; read with `??`. `minChars: 0` counts every unit with a non-empty
 * normalized form (short boilerplate such as "Advertisement" is exactly what the report should show);
 * `minCount: 2` leaves out units seen once; `top: 100` rows (`Infinity` for all).
 * @example
 * ```ts
 * import { PARAGRAPH_FREQUENCIES_DEFAULTS } from 'neardup';
 * [PARAGRAPH_FREQUENCIES_DEFAULTS.top, PARAGRAPH_FREQUENCIES_DEFAULTS.minCount, PARAGRAPH_FREQUENCIES_DEFAULTS.minChars]; // => [100, 2, 0]
 * ```
 */
export const PARAGRAPH_FREQUENCIES_DEFAULTS: Readonly<{
  /** What a unit is: `'line'`. */
  unit: ParagraphUnit;
  /** Rows returned at most: 100. */
  top: number;
  /** Only units seen at least this many times: 2. */
  minCount: number;
  /** Only units whose normalized form has at least this many code points: 0 (every non-empty unit). */
  minChars: number;
  /** Sentence locale: `undefined` (the rule-based splitter). */
  locale: string | undefined;
}> = Object.freeze({ unit: 'line', top: 100, minCount: 2, minChars: 0, locale: undefined });

/**
 * Options of {@link paragraphFrequencies}.
 * @example
 * ```ts
 * import { paragraphFrequencies, type ParagraphFrequenciesOptions } from 'neardup';
 * const options: ParagraphFrequenciesOptions = { top: 1, minCount: 1 };
 * paragraphFrequencies(['a\nb\nb'], options).map((f) => f.normalized); // => ['b']
 * ```
 */
export interface ParagraphFrequenciesOptions extends ParagraphOptions {
  /** How many rows to return at most: an integer ≥ 1, or `Infinity`. Default 100. */
  top?: number;
  /** Only units seen at least this many times: an integer ≥ 1. Default 2. */
  minCount?: number;
}

/**
 * One row of the boilerplate report of {@link paragraphFrequencies}.
 * @example
 * ```ts
 * import { paragraphFrequencies, type ParagraphFrequency } from 'neardup';
 * const [row]: ParagraphFrequency[] = paragraphFrequencies(['Share this!\nA', 'share THIS\nB']);
 * row; // => { text: 'Share this!', normalized: 'share this', count: 2, documents: 2, chars: 21 }
 * ```
 */
export interface ParagraphFrequency {
  /** The unit as it first appeared. */
  text: string;
  /** Its normalized form (what the units are grouped by). */
  normalized: string;
  /** Occurrences over all documents. */
  count: number;
  /** Number of documents holding it at least once. */
  documents: number;
  /** Total length of all occurrences, in UTF-16 code units of the original text: the text stripping it would touch. */
  chars: number;
}

const FN = 'paragraphFrequencies';

interface Tally {
  text: string;
  normalized: string;
  count: number;
  documents: number;
  chars: number;
  lastDoc: number;
  order: number;
}

/**
 * The boilerplate report: how often each normalized unit (line, paragraph or sentence) occurs across a
 * corpus, most frequent first (ties: more characters first, then first seen). Units are grouped by
 * `normalize` with its defaults, as `dedupeParagraphs` compares them; each row shows the first original form.
 * Memory grows with the number of distinct units (each normalized form is kept once).
 *
 * @param docs - an iterable of texts or of `{ id, text }` records
 * @param options - `unit`, `top`, `minCount`, `minChars`, `locale`; defaults in {@link PARAGRAPH_FREQUENCIES_DEFAULTS}
 * @returns at most `top` rows with `count ≥ minCount`, sorted by `count` descending
 * @throws TypeError if `docs` is not an iterable (a string is refused) or holds something other than a string
 *   or a `{ text }` record, or an option has the wrong type; RangeError if an option is out of range
 * @example
 * ```ts
 * import { paragraphFrequencies } from 'neardup';
 * const docs = [
 *   { id: 1, text: 'Node.js is an event-based server-side JavaScript engine.\nParses YAML.' },
 *   { id: 2, text: 'Node.js is an event-based server-side JavaScript engine.\nParses TOML.' },
 * ];
 * paragraphFrequencies(docs).map((f) => [f.count, f.documents, f.chars]); // => [[2, 2, 112]]
 * ```
 */
export function paragraphFrequencies(
  docs: Iterable<string | Doc>,
  options?: ParagraphFrequenciesOptions,
): ParagraphFrequency[] {
  if (typeof docs === 'string' || docs === null || typeof docs !== 'object' || typeof (docs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    fail(TypeError, `${FN}: docs`, 'an iterable of strings or { id, text } documents', docs);
  }
  const d = PARAGRAPH_FREQUENCIES_DEFAULTS;
  const { unit, minChars, locale } = resolveParagraphOptions(FN, options, d, ['top', 'minCount']);
  const top = options?.top ?? d.top;
  if (top !== Infinity) assertInteger(`${FN}: options.top`, top, 1, 0x7fffffff);
  const minCount = options?.minCount ?? d.minCount;
  assertInteger(`${FN}: options.minCount`, minCount, 1, 0x7fffffff);

  const tallies = new Map<string, Tally>();
  let doc = 0;
  for (const item of docs) {
    const text = typeof item === 'string' ? item : item !== null && typeof item === 'object' ? (item as { text?: unknown }).text : undefined;
    if (typeof text !== 'string') {
      fail(TypeError, `${FN}: docs[${doc}]`, 'a string or a { id, text } document with a string text', item);
    }
    const units = segmentUnits(text, unit, locale);
    for (let k = 0; k < units.starts.length; k++) {
      const original = text.slice(units.starts[k], units.ends[k]);
      const norm = normalizeUnit(original);
      if (norm === '' || codePointLength(norm) < minChars) continue;
      const t = tallies.get(norm);
      if (t === undefined) {
        tallies.set(norm, { text: original, normalized: norm, count: 1, documents: 1, chars: original.length, lastDoc: doc, order: tallies.size });
      } else {
        t.count++;
        t.chars += original.length;
        if (t.lastDoc !== doc) {
          t.documents++;
          t.lastDoc = doc;
        }
      }
    }
    doc++;
  }
  const rows: Tally[] = [];
  for (const t of tallies.values()) if (t.count >= minCount) rows.push(t);
  rows.sort((a, b) => b.count - a.count || b.chars - a.chars || a.order - b.order);
  return rows.slice(0, Math.min(rows.length, top)).map(({ text, normalized, count, documents, chars }) => ({ text, normalized, count, documents, chars }));
}
