import type { Doc, DocId } from '../internal/doc';
import { assertBoolean, assertId, assertInteger, assertOneOf, assertOptions, assertString, fail } from '../internal/validate';
import { normalize, wordSpans } from '../text';
import { lcpArrayUnchecked, suffixArrayUnchecked } from './suffix-array';
import { charUnits, tokenUnits, type UnitString } from './units';

/** The inputs {@link findRepeats} and {@link removeRepeats} accept: one text, or a corpus. */
export type RepeatsInput = string | Iterable<string | Doc>;

/**
 * A span of one text, in UTF-16 code units: `text.slice(start, end)`.
 * @example
 * ```ts
 * const text = 'red fox, red fox';
 * const [first]: RepeatSpan[] = findRepeats(text, { minLength: 2 })[0]!.occurrences;
 * text.slice(first!.start, first!.end); // => 'red fox'
 * ```
 */
export interface RepeatSpan {
  /** UTF-16 offset of the span's first code unit: the start of its first unit (token or code point). */
  start: number;
  /** UTF-16 offset one past the span's last code unit (the end of its last unit), exclusive. */
  end: number;
}

/**
 * A span of one document of a corpus, in UTF-16 code units of that document's text.
 * @example
 * ```ts
 * const spans: RepeatDocSpan[] = findRepeats(['x red fox', 'red fox'], { minLength: 2 })[0]!.occurrences;
 * spans; // => [{ doc: 0, start: 2, end: 9 }, { doc: 1, start: 0, end: 7 }]
 * ```
 */
export interface RepeatDocSpan extends RepeatSpan {
  /** The document's id (or its index, for an iterable of strings). */
  doc: DocId;
}

/**
 * One repeated content and every maximal span that holds exactly it (see {@link findRepeats}).
 * @example
 * ```ts
 * const [r]: Repeat<RepeatSpan>[] = findRepeats('a b c. a b c!', { minLength: 3 });
 * r; // => { text: 'a b c', length: 3, occurrences: [{ start: 0, end: 5 }, { start: 7, end: 12 }] }
 * ```
 */
export interface Repeat<S extends RepeatSpan = RepeatSpan | RepeatDocSpan> {
  /** The text of the first occurrence (later ones hold the same units, maybe spaced differently). */
  text: string;
  /** The length of the span in units (tokens or code points). */
  length: number;
  /** The spans, in text (corpus) order. */
  occurrences: S[];
}

/**
 * One removed span and the earlier, kept span it copies (the same units). See {@link removeRepeats}.
 * @example
 * ```ts
 * const [r]: RepeatRemoval<RepeatSpan>[] = removeRepeats('a b c, then a b c', { minLength: 3 }).removed;
 * r; // => { start: 12, end: 17, duplicateOf: { start: 0, end: 5 } }
 * ```
 */
export type RepeatRemoval<S extends RepeatSpan = RepeatSpan | RepeatDocSpan> = S & {
  /** The earlier, kept span holding the same units (in the same document or an earlier one). */
  duplicateOf: S;
};

/**
 * What {@link removeRepeats} returns for one text.
 * @example
 * ```ts
 * const result: RemoveRepeatsResult = removeRepeats('no repeats here');
 * result; // => { text: 'no repeats here', removed: [] }
 * ```
 */
export interface RemoveRepeatsResult {
  /** The text with the removed spans cut out (see {@link removeRepeats} for the whitespace rule). */
  text: string;
  /** The removed spans, in text order, with offsets into the original text. */
  removed: RepeatRemoval<RepeatSpan>[];
}

/**
 * What {@link removeRepeats} returns for a corpus.
 * @example
 * ```ts
 * const result: RemoveRepeatsCorpusResult = removeRepeats([{ id: 'p', text: 'a b' }, { id: 'q', text: 'a b' }], { minLength: 2 });
 * result.texts; // => ['a b', '']
 * result.removed; // => [{ doc: 'q', start: 0, end: 3, duplicateOf: { doc: 'p', start: 0, end: 3 } }]
 * ```
 */
export interface RemoveRepeatsCorpusResult {
  /** The documents' texts after removal, in input order. */
  texts: string[];
  /** The removed spans, in corpus order, with offsets into the original texts. */
  removed: RepeatRemoval<RepeatDocSpan>[];
}

/**
 * Options of {@link findRepeats} and {@link removeRepeats}; defaults in {@link REPEATS_DEFAULTS}.
 * @example
 * ```ts
 * const options: RepeatsOptions = { minLength: 3, unit: 'char', normalize: true };
 * findRepeats('ABCabc', options).map((r) => r.occurrences.length); // => [2]
 * ```
 */
export interface RepeatsOptions {
  /** The shortest repeat reported, in units: an integer in [1, 2147483647]. Default 50. */
  minLength?: number;
  /**
   * `'word'` (default): the words of `words()` (whitespace and punctuation between words are not
   * compared); `'char'`: Unicode code points (an astral character is one unit).
   */
  unit?: 'word' | 'char';
  /**
   * Compare units after `normalize()` with its defaults, each unit on its own (a token, or one code
   * point: so with unit `'char'` every punctuation and space character normalizes to the same empty
   * unit). Offsets always point into the original text. Default `false`: exact text.
   */
  normalize?: boolean;
}

/**
 * The defaults of {@link findRepeats} and {@link removeRepeats}.
 * @example
 * ```ts
 * REPEATS_DEFAULTS.minLength; // => 50
 * REPEATS_DEFAULTS.unit; // => 'word'
 * ```
 */
export const REPEATS_DEFAULTS: Readonly<{
  /** The shortest repeat reported or removed: 50 units (Lee et al. 2022 use 50 tokens). */
  minLength: 50;
  /** Units are the words of `words()`: `'word'`. */
  unit: 'word';
  /** Units are compared as they are written: `false`. */
  normalize: false;
}> = Object.freeze({
  minLength: 50,
  unit: 'word',
  normalize: false,
} as const);

const UNITS = ['word', 'char'] as const;
const REPEATS_KEYS = ['minLength', 'unit', 'normalize'] as const;

interface Parsed {
  single: boolean;
  ids: (DocId)[];
  units: UnitString;
  k: number;
}

/** Validates the input and options and builds the unit string. */
function parse(fn: string, input: unknown, options: RepeatsOptions | undefined): Parsed {
  assertOptions(fn, 'options', options, REPEATS_KEYS);
  const minLength = options?.minLength ?? REPEATS_DEFAULTS.minLength;
  const unit = options?.unit ?? REPEATS_DEFAULTS.unit;
  const norm = options?.normalize ?? REPEATS_DEFAULTS.normalize;
  assertInteger(`${fn}: options.minLength`, minLength, 1, 0x7fffffff);
  assertOneOf(`${fn}: options.unit`, unit, UNITS);
  assertBoolean(`${fn}: options.normalize`, norm);

  const texts: string[] = [];
  const ids: (DocId)[] = [];
  let single = false;
  if (typeof input === 'string') {
    single = true;
    texts.push(input);
    ids.push(0);
  } else if (input !== null && typeof input === 'object' && Symbol.iterator in input) {
    const seen = new Set<DocId>();
    let i = 0;
    for (const doc of input as Iterable<unknown>) {
      let id: DocId;
      let text: unknown;
      if (typeof doc === 'string') {
        id = i;
        text = doc;
      } else if (doc !== null && typeof doc === 'object') {
        const d = doc as { id?: unknown; text?: unknown };
        assertId(`${fn}: docs[${i}].id`, d.id);
        id = d.id;
        text = d.text;
        assertString(`${fn}: docs[${i}].text`, text);
      } else {
        fail(TypeError, `${fn}: docs[${i}]`, 'a string or a { id, text } document', doc);
      }
      if (seen.has(id)) fail(RangeError, `${fn}: docs[${i}].id`, 'an id not used by an earlier document', id);
      seen.add(id);
      texts.push(text as string);
      ids.push(id);
      i++;
    }
  } else {
    fail(TypeError, `${fn}: input`, 'a string or an iterable of strings or { id, text } documents', input);
  }
  const normalizer = norm ? (s: string): string => normalize(s) : undefined;
  const units = unit === 'char' ? charUnits(texts, normalizer) : tokenUnits(texts, (t) => wordSpans(t), normalizer);
  return { single, ids, units, k: minLength };
}

/** The suffix array and LCP array of the unit string. */
function index(units: UnitString): { sa: Uint32Array; lcp: Uint32Array } {
  const sa = suffixArrayUnchecked(units.ids, units.alphabetSize);
  const lcp = lcpArrayUnchecked(units.ids, sa);
  return { sa, lcp };
}

/** Finds the document of unit `u` by binary search over `base`. */
function docOf(base: Uint32Array, u: number): number {
  let lo = 0;
  let hi = base.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (base[mid]! <= u) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function span(p: Parsed, d: number, start: number, end: number): RepeatSpan | RepeatDocSpan {
  return p.single ? { start, end } : { doc: p.ids[d]!, start, end };
}

/**
 * Maximal spans covered by repeated windows (the reference tool's `self-similar` + `collect`).
 * Returns pairs `[a, b)` of unit positions, in order.
 */
export function coveredSpans(units: UnitString, sa: Uint32Array, lcp: Uint32Array, k: number): Uint32Array {
  const n = units.ids.length;
  const repeated = new Uint8Array(n);
  for (let r = 1; r < n; r++) {
    if (lcp[r]! >= k) {
      repeated[sa[r]!] = 1;
      repeated[sa[r - 1]!] = 1;
    }
  }
  const out: number[] = [];
  let start = -1;
  let end = -1;
  for (let p = 0; p < n; p++) {
    if (repeated[p] !== 1) continue;
    // Windows merge when they share a unit; merely adjacent windows stay apart, so a text repeated
    // twice in a row ("A A") gives two spans, not one span "A A" that occurs once.
    if (p < end) end = p + k;
    else {
      if (start >= 0) out.push(start, end);
      start = p;
      end = p + k;
    }
  }
  if (start >= 0) out.push(start, end);
  return Uint32Array.from(out);
}

/**
 * Every span of at least `minLength` units that is covered by repeated text, within one text or
 * across a corpus, found with a suffix array and its LCP array (the `ExactSubstr` method of Lee et
 * al. 2022, "Deduplicating Training Data Makes Language Models Better").
 *
 * Definition. A *window* is `minLength` consecutive units inside one document; it is *repeated* when
 * its units occur at least twice in the input (occurrences may overlap). Repeated windows that share
 * at least one unit are merged into maximal *spans* (the reference tool's `collect` step; unlike
 * `collect`, windows that only touch are not merged, so a paragraph printed twice in a row gives two
 * spans). Spans with identical units form one {@link Repeat}. Usually a repeat has two or more
 * occurrences; a span stitched from overlapping windows that each repeat elsewhere, while the whole
 * does not, is still reported, with one occurrence. An occurrence of a repeat's units inside a longer
 * span is reported with the longer span. Documents are separated by unique sentinels: no repeat
 * crosses a document boundary.
 *
 * Offsets are UTF-16 code units into the original text, whatever the unit: a span runs from the
 * start of its first unit to the end of its last. Repeats are sorted by their first occurrence;
 * occurrences in text (corpus) order.
 *
 * Cost: linear time in the total number of units (SA-IS, Kasai); about 25 bytes of memory per unit at
 * the peak (the units' ids and offsets, the suffix array, the LCP array and Kasai's inverse array).
 *
 * @param input - one text, or a corpus: an iterable of strings (ids are their indexes) or of `{ id, text }`
 * @param options - {@link RepeatsOptions}; defaults in {@link REPEATS_DEFAULTS}
 * @returns the repeats; occurrences carry `doc` when the input is a corpus
 * @throws TypeError if the input is neither a string nor an iterable of documents, an option key is unknown or an option has the wrong type
 * @throws RangeError if `minLength` is not an integer from 1 to 2147483647, `unit` is not `'word'` or `'char'`, or two documents share an id
 * @example
 * ```ts
 * const [r] = findRepeats('the cat sat on the mat. the cat sat on the hat.', { minLength: 4 });
 * r!.text; // => 'the cat sat on the'
 * r!.length; // => 5
 * r!.occurrences; // => [{ start: 0, end: 18 }, { start: 24, end: 42 }]
 * const docs = ['one two three four', 'zero one two three'];
 * findRepeats(docs, { minLength: 3 })[0]!.occurrences; // => [{ doc: 0, start: 0, end: 13 }, { doc: 1, start: 5, end: 18 }]
 * findRepeats('abcabc', { unit: 'char', minLength: 3 }).map((x) => x.text); // => ['abc']
 * ```
 */
export function findRepeats(input: string, options?: RepeatsOptions): Repeat<RepeatSpan>[];
export function findRepeats(input: Iterable<string | Doc>, options?: RepeatsOptions): Repeat<RepeatDocSpan>[];
export function findRepeats(input: RepeatsInput, options?: RepeatsOptions): Repeat[] {
  const p = parse('findRepeats', input, options);
  const { units } = p;
  const { sa, lcp } = index(units);
  const spans = coveredSpans(units, sa, lcp, p.k);
  const { ids, base, starts, ends, texts } = units;

  const groups: { repA: number; len: number; repeat: Repeat }[] = [];
  const byHash = new Map<number, number[]>();
  let d = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const a = spans[i]!;
    const b = spans[i + 1]!;
    while (base[d + 1]! <= a) d++;
    const len = b - a;
    let h = Math.imul(len, 0x9e3779b1);
    for (let u = a; u < b; u++) {
      h = Math.imul(h ^ ids[u]!, 0x01000193);
      h ^= h >>> 13;
    }
    let bucket = byHash.get(h);
    if (!bucket) byHash.set(h, (bucket = []));
    let group: (typeof groups)[number] | undefined;
    for (const g of bucket) {
      const other = groups[g]!;
      if (other.len !== len) continue;
      let u = 0;
      while (u < len && ids[other.repA + u] === ids[a + u]) u++;
      if (u === len) { group = other; break; }
    }
    const occ = span(p, d, starts[a]!, ends[b - 1]!);
    if (group) group.repeat.occurrences.push(occ);
    else {
      bucket.push(groups.length);
      groups.push({ repA: a, len, repeat: { text: texts[d]!.slice(occ.start, occ.end), length: len, occurrences: [occ] } });
    }
  }
  return groups.map((g) => g.repeat);
}

/**
 * For each position q, the smallest position whose window (`k` units) equals window q, which names the
 * class of equal windows; -1 when window q is not repeated. Classes are runs of suffix-array ranks with
 * lcp >= k. The suffix and LCP arrays are dropped on return.
 */
function windowClasses(units: UnitString, k: number): Int32Array {
  const { sa, lcp } = index(units);
  const n = units.ids.length;
  const first = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; ) {
    let e = r + 1;
    while (e < n && lcp[e]! >= k) e++;
    if (e - r >= 2) {
      let min = sa[r]!;
      for (let q = r + 1; q < e; q++) if (sa[q]! < min) min = sa[q]!;
      for (let q = r; q < e; q++) first[sa[q]!] = min;
    }
    r = e;
  }
  return first;
}

/** Counts line breaks in `s[a, b)` (CRLF counts once). */
function lineBreaks(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a || c === 0x2028 || c === 0x2029 || c === 0x0b || c === 0x0c) n++;
    else if (c === 0x0d && !(i + 1 < b && s.charCodeAt(i + 1) === 0x0a)) n++;
  }
  return n;
}

/** The JavaScript `\s` set. */
function isSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The characters to cut for a run of removed tokens `[s, e)` (UTF-16) between the previous token's end
 * `pe` (or -1 at the start of the document) and the next token's start `ns` (or -1 at the end).
 * Returns `[cutStart, cutEnd]`. See {@link removeRepeats} for the rule.
 */
function tokenCut(text: string, s: number, e: number, pe: number, ns: number): [number, number] {
  const lo = pe < 0 ? 0 : pe;
  const hi = ns < 0 ? text.length : ns;
  // Punctuation attached to the run goes with it: everything up to the next whitespace after it, and
  // everything back to the previous whitespace before it when that whitespace (or the document start) exists.
  let b = e;
  while (b < hi && !isSpace(text.charCodeAt(b))) b++;
  let a = s;
  while (a > lo && !isSpace(text.charCodeAt(a - 1))) a--;
  if (a === lo && pe >= 0) a = s; // no whitespace between the previous token and the run: it stays attached there
  // The whitespace on each side of what is cut.
  let w1 = a;
  while (w1 > lo && isSpace(text.charCodeAt(w1 - 1))) w1--;
  let w2 = b;
  while (w2 < hi && isSpace(text.charCodeAt(w2))) w2++;
  if (pe >= 0 && ns >= 0) {
    // Between two kept tokens: drop the weaker separator, keep the one with more line breaks.
    if (w1 < a && w2 > b) {
      if (lineBreaks(text, w1, a) < lineBreaks(text, b, w2)) a = w1;
      else b = w2;
    }
  } else if (ns >= 0) b = w2; // at the start of the document
  else if (pe >= 0) a = w1; // at the end of the document
  return [a, b];
}

/**
 * Removes repeated text, keeping the first occurrence. Reading the input in order, a window
 * (`minLength` consecutive units of one document) is removed when its units already occur earlier
 * in a copy that ends before the window starts and is itself entirely kept; every unit of a removed
 * window goes. Everything else is kept byte for byte. So every removed unit has a kept copy, and no
 * repeated content disappears entirely.
 *
 * Each removal names the earlier kept span with the same units (`duplicateOf`); a run of removed units
 * is reported in as few pieces as possible, each with one copy (usually the first occurrence; in
 * periodic text such as `"ha ha ha ha"` a run can need several pieces). A piece is at least one
 * unit long; pieces that do not end a run are usually `minLength` or more.
 *
 * Whitespace (unit `'word'`). Tokens are compared, not what lies between them, so a run of removed
 * tokens is cut from its first token to its last, plus what is attached to it: the non-space
 * characters right after its last token (closing punctuation, up to the next whitespace or token),
 * and those right before its first token when whitespace (or the document start) precedes them
 * (an opening quote or parenthesis). Then one of the whitespace runs around the cut goes, so no
 * doubled spaces or blank lines appear: between two kept tokens, the one with fewer line breaks
 * (the one after the cut on a tie), keeping the stronger separator such as a paragraph break; when
 * only one side has whitespace, neither; at the start of a document the whitespace after the cut,
 * at its end the whitespace before it (leading and trailing whitespace of the document stay). With
 * unit `'char'` whitespace and punctuation are units like any other and exactly the removed units
 * are cut.
 *
 * Cost: linear time in the total number of units; about 26 bytes of memory per unit at the peak.
 *
 * @param input - one text, or a corpus: an iterable of strings (ids are their indexes) or of `{ id, text }`
 * @param options - {@link RepeatsOptions}; defaults in {@link REPEATS_DEFAULTS}
 * @returns `{ text, removed }` for one text, `{ texts, removed }` (texts in input order) for a corpus;
 *   `start`/`end` of a removal and of its `duplicateOf` span their units in the original texts (from the
 *   first unit's start to the last unit's end; not the whitespace and punctuation cut with them)
 * @throws TypeError if the input is neither a string nor an iterable of documents, an option key is unknown or an option has the wrong type
 * @throws RangeError if `minLength` is not an integer from 1 to 2147483647, `unit` is not `'word'` or `'char'`, or two documents share an id
 * @example
 * ```ts
 * const text = 'Subscribe to our newsletter today! Prices rose. Subscribe to our newsletter today! Fin.';
 * const { text: kept, removed } = removeRepeats(text, { minLength: 5 });
 * kept; // => 'Subscribe to our newsletter today! Prices rose. Fin.'
 * removed; // => [{ start: 48, end: 81, duplicateOf: { start: 0, end: 33 } }]
 * removeRepeats(['a b c d', 'x a b c d'], { minLength: 3 }).texts; // => ['a b c d', 'x']
 * ```
 */
export function removeRepeats(input: string, options?: RepeatsOptions): RemoveRepeatsResult;
export function removeRepeats(input: Iterable<string | Doc>, options?: RepeatsOptions): RemoveRepeatsCorpusResult;
export function removeRepeats(input: RepeatsInput, options?: RepeatsOptions): RemoveRepeatsResult | RemoveRepeatsCorpusResult {
  const p = parse('removeRepeats', input, options);
  const { units, k } = p;
  const n = units.ids.length;
  const { ids, base, starts, ends, texts } = units;
  const first = windowClasses(units, k);

  // One pass in text order. source[c]: the first occurrence of class c that ended before the current
  // position and is entirely kept. Window q is removed when its class has such a source. When position q
  // is reached, every unit before q is decided, so whether window q - k is entirely kept is final.
  const source = new Int32Array(n).fill(-1);
  const later = new Uint8Array(n);
  const struck = new Uint8Array(n);
  const keptBefore = new Int32Array(n + 1); // kept units before each position
  let coverEnd = 0;
  for (let q = 0; q < n; q++) {
    const s = q - k;
    if (s >= 0) {
      const c = first[s]!;
      if (c >= 0 && source[c]! < 0 && keptBefore[q]! - keptBefore[s]! === k) source[c] = s;
    }
    const c = first[q]!;
    if (c >= 0 && source[c]! >= 0) {
      later[q] = 1;
      coverEnd = q + k;
    }
    if (q < coverEnd) struck[q] = 1;
    keptBefore[q + 1] = keptBefore[q]! + (q < coverEnd ? 0 : 1);
  }

  // Pieces: removed units that copy one kept span. A piece starts at the source of the window that
  // removes its first unit and grows while the next source unit is kept and equal.
  const removed: RepeatRemoval[] = [];
  let pieceA = -1;
  let pieceB = -1;
  let shift = 0;
  let lastLater = -1;
  const flush = (): void => {
    if (pieceA < 0) return;
    const item = span(p, docOf(base, pieceA), starts[pieceA]!, ends[pieceB - 1]!) as RepeatRemoval;
    item.duplicateOf = span(p, docOf(base, pieceA + shift), starts[pieceA + shift]!, ends[pieceB - 1 + shift]!);
    removed.push(item);
  };
  for (let u = 0; u < n; u++) {
    if (later[u] === 1) lastLater = u;
    if (struck[u] !== 1) continue;
    const v = u + shift;
    if (u === pieceB && struck[v] !== 1 && ids[v] === ids[u]) {
      pieceB = u + 1;
      continue;
    }
    flush();
    const q = later[u] === 1 ? u : lastLater; // the latest removed window covering u
    shift = source[first[q]!]! - q;
    pieceA = u;
    pieceB = u + 1;
  }
  flush();

  // Cut the removed runs out of each text.
  const out: string[] = [];
  const word = (options?.unit ?? REPEATS_DEFAULTS.unit) === 'word';
  for (let d = 0; d < texts.length; d++) {
    const text = texts[d]!;
    const lo = base[d]!;
    const hi = base[d + 1]! - 1; // the sentinel slot
    const parts: string[] = [];
    let from = 0; // next character of `text` not yet copied
    for (let u = lo; u < hi; ) {
      if (struck[u] !== 1) { u++; continue; }
      let v = u;
      while (v + 1 < hi && struck[v + 1] === 1) v++;
      let cutA = starts[u]!;
      let cutB = ends[v]!;
      if (word) [cutA, cutB] = tokenCut(text, cutA, cutB, u > lo ? ends[u - 1]! : -1, v + 1 < hi ? starts[v + 1]! : -1);
      parts.push(text.slice(from, cutA));
      from = cutB;
      u = v + 1;
    }
    if (parts.length === 0) out.push(text);
    else {
      parts.push(text.slice(from));
      out.push(parts.join(''));
    }
  }
  if (p.single) return { text: out[0]!, removed: removed as RepeatRemoval<RepeatSpan>[] };
  return { texts: out, removed: removed as RepeatRemoval<RepeatDocSpan>[] };
}
