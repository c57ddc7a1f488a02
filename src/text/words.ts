/**
 * Word tokenization: a hand-written scanner over UTF-16 code units with table lookups (the default), or
 * `Intl.Segmenter` on bounded chunks (an option). Both are linear in the length of the text.
 */
import { assertLocale, assertOneOf, assertOptions, assertString } from '../internal/validate';
import { astralClass, bmpTable } from './classify';

// The classes of ./classify, as local constants so that the hot loop compares against literals.
const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const SINGLE = 3;
const MARK = 4;
const APOSTROPHE = 5;
const NUMSEP = 6;
const HIGH = 7;
import { isSpace, type Segment } from './segment';

/**
 * Options of {@link words}.
 * @example
 * ```ts
 * import { words, type WordOptions } from 'neardup';
 * const dictionary: WordOptions = { segmenter: 'intl', locale: 'ja' };
 * words('日本語', dictionary).length; // => 1
 * ```
 */
export interface WordOptions {
  /**
   * `'fast'` (default): the built-in scanner described at {@link words}. `'intl'`: `Intl.Segmenter` word
   * segments that are word-like (dictionary-based for Chinese, Japanese, Thai…), about 50× slower.
   */
  segmenter?: 'fast' | 'intl';
  /** BCP 47 locale for the `'intl'` segmenter (ignored by `'fast'`), default `'en'`. */
  locale?: string;
}

/**
 * Defaults of {@link WordOptions}: the fast scanner; `'en'` for the `'intl'` segmenter. Frozen.
 * @example
 * ```ts
 * import { WORD_DEFAULTS } from 'neardup';
 * WORD_DEFAULTS; // => { segmenter: 'fast', locale: 'en' }
 * ```
 */
export const WORD_DEFAULTS: Readonly<Required<WordOptions>> = Object.freeze({ segmenter: 'fast', locale: 'en' });

const SEGMENTERS = ['fast', 'intl'] as const;

/** Scratch buffer for spans, created on first use, grown on demand and reused; results are copied out of it. */
let spans: Uint32Array | undefined;
const spanBuffer = (): Uint32Array => (spans ??= new Uint32Array(1024));

/** The class of the code point at `i` (0 past the end; a lone surrogate is OTHER). */
function classAt(table: Uint8Array, text: string, i: number): number {
  if (i >= text.length) return OTHER;
  const cls = table[text.charCodeAt(i)]!;
  if (cls !== HIGH) return cls;
  const d = text.charCodeAt(i + 1);
  if (d < 0xdc00 || d > 0xdfff) return OTHER; // NaN past the end fails both tests
  return astralClass(((text.charCodeAt(i) - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
}

/** Grows the scratch span buffer so that it can hold `need` more entries after `used`. */
function grow(used: number, need: number): Uint32Array {
  const old = spanBuffer();
  let size = old.length * 2;
  while (size < used + need) size *= 2;
  const next = new Uint32Array(size);
  next.set(old.subarray(0, used));
  spans = next;
  return next;
}

/** The fast scanner: writes `[start, end]` pairs of `text`'s words to the scratch span buffer; returns the count of entries. */
function scanFast(text: string): number {
  const table = bmpTable();
  const n = text.length;
  let out = spanBuffer();
  let k = 0; // entries written
  let start = -1; // start of the open word, -1 when none
  let end = 0; // one past the last unit included in the open word
  let base = OTHER; // class of the open word's last base character: LETTER, DIGIT or SINGLE
  let i = 0;
  while (i < n) {
    let cls = table[text.charCodeAt(i)]!;
    let w = 1;
    if (cls === HIGH) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = astralClass(((text.charCodeAt(i) - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        w = 2;
      } else {
        cls = OTHER;
      }
    }
    if (cls === LETTER || cls === DIGIT) {
      if (start < 0 || base === SINGLE) {
        if (start >= 0) {
          if (k + 2 > out.length) out = grow(k, 2);
          out[k] = start;
          out[k + 1] = end;
          k += 2;
        }
        start = i;
      }
      base = cls;
      i += w;
      // Tight loop over the rest of a BMP letter/digit run (the common case).
      while (i < n) {
        const t = table[text.charCodeAt(i)]!;
        if (t !== LETTER && t !== DIGIT) break;
        base = t;
        i++;
      }
      end = i;
      continue;
    } else if (cls === SINGLE) {
      if (start >= 0) {
        if (k + 2 > out.length) out = grow(k, 2);
        out[k] = start;
        out[k + 1] = end;
        k += 2;
      }
      start = i;
      base = SINGLE;
      end = i + w;
    } else if (cls === MARK) {
      if (start >= 0) end = i + w;
    } else if (start >= 0) {
      // OTHER, APOSTROPHE or NUMSEP: inside the word only between two letters/digits (resp. digits).
      let joins = false;
      if (cls === APOSTROPHE) {
        if (base !== SINGLE && end === i) {
          const next = classAt(table, text, i + 1);
          joins = next === LETTER || next === DIGIT;
        }
      } else if (cls === NUMSEP) {
        joins = base === DIGIT && end === i && classAt(table, text, i + 1) === DIGIT;
      }
      if (!joins) {
        if (k + 2 > out.length) out = grow(k, 2);
        out[k] = start;
        out[k + 1] = end;
        k += 2;
        start = -1;
      }
    }
    i += w;
  }
  if (start >= 0) {
    if (k + 2 > out.length) out = grow(k, 2);
    out[k] = start;
    out[k + 1] = end;
    k += 2;
  }
  return k;
}

let segmenters: Map<string, Intl.Segmenter> | undefined; // created on first use

/** Chunks are cut where a word break is certain (after whitespace, before a non-mark); see {@link scanIntl}. */
const CHUNK_MIN = 1024;
const CHUNK_MAX = 4096;

/**
 * `Intl.Segmenter` word-like segments. V8's segmenter is quadratic on long strings, so the text is fed in
 * chunks of at most {@link CHUNK_MAX} units, cut after whitespace and before a character that is not a
 * mark or format character (always a word boundary under UAX #29); a run longer than that with no
 * whitespace is cut at the limit (on a code point boundary).
 */
function scanIntl(text: string, locale: string): number {
  let seg = (segmenters ??= new Map()).get(locale);
  if (!seg) {
    seg = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, seg);
  }
  const table = bmpTable();
  const n = text.length;
  let out = spanBuffer();
  let k = 0;
  let pos = 0;
  while (pos < n) {
    let cut = n;
    if (n - pos > CHUNK_MAX) {
      cut = -1;
      for (let k = pos + CHUNK_MIN; k < pos + CHUNK_MAX; k++) {
        if (isSpace(text.charCodeAt(k - 1)) && !isSpace(text.charCodeAt(k)) && classAt(table, text, k) !== MARK) {
          cut = k;
          break;
        }
      }
      if (cut < 0) {
        cut = pos + CHUNK_MAX;
        const c = text.charCodeAt(cut);
        if (c >= 0xdc00 && c <= 0xdfff) cut--;
      }
    }
    const chunk = pos === 0 && cut === n ? text : text.slice(pos, cut);
    for (const s of seg.segment(chunk)) {
      if (s.isWordLike) {
        if (k + 2 > out.length) out = grow(k, 2);
        out[k] = pos + s.index;
        out[k + 1] = pos + s.index + s.segment.length;
        k += 2;
      }
    }
    pos = cut;
  }
  return k;
}

const WORD_KEYS = ['segmenter', 'locale'] as const;

function validate(text: unknown, options: WordOptions | undefined, fn: string): string {
  assertString(`${fn}: text`, text);
  assertOptions(fn, 'options', options, WORD_KEYS);
  const segmenter = options?.segmenter ?? WORD_DEFAULTS.segmenter;
  assertOneOf(`${fn}: options.segmenter`, segmenter, SEGMENTERS);
  const locale = options?.locale ?? WORD_DEFAULTS.locale;
  assertLocale(`${fn}: options.locale`, locale);
  return segmenter === 'intl' ? locale : '';
}

/**
 * The fast scanner without validation or copy: writes the word spans of `text` (as {@link wordSpans}
 * with the default options) into a shared scratch buffer and returns the number of entries written
 * (2 per word). Read them from {@link wordSpanScratch} before the next call.
 * @internal For hot loops of other modules (shingles).
 */
export function scanWordSpans(text: string): number {
  return scanFast(text);
}

/** The scratch buffer filled by the last {@link scanWordSpans} or {@link wordSpans} call. @internal */
export function wordSpanScratch(): Uint32Array {
  return spanBuffer();
}

/**
 * The word spans of `text` as a flat typed array `[start0, end0, start1, end1, …]` of UTF-16 offsets,
 * with exactly the tokenization of {@link words} but no object or substring per word.
 * @internal For other modules of this package (exported from `src/text`, not from the package).
 * @param text - the text to tokenize
 * @param options - see {@link WordOptions}
 * @param fn - the public function to name in error messages
 * @returns a new `Uint32Array` of length `2 × wordCount`
 * @throws TypeError/RangeError for a non-string `text` or an invalid option
 */
export function wordSpans(text: string, options?: WordOptions, fn = 'words'): Uint32Array {
  const locale = validate(text, options, fn);
  const k = locale === '' ? scanFast(text) : scanIntl(text, locale);
  return spanBuffer().slice(0, k);
}

/**
 * Splits `text` into words.
 *
 * The default `'fast'` tokenizer is a single linear scan with table lookups, its rules a simplified UAX #29:
 * - a word is a maximal run of letters, digits and numbers (`\p{L}`, `\p{N}`) of scripts written with
 *   spaces, plus the marks and format characters (`\p{M}`, `\p{Cf}`, e.g. accents, ZWJ, soft hyphen)
 *   that follow them; digits are word characters, so `v8`, `mp3` and `2024` are words;
 * - an apostrophe (`'` or U+2019 `’`) between two letters/digits stays inside: `don't`, `l’homme`,
 *   `rock'n'roll` are one word each; a leading or trailing apostrophe is not part of the word;
 * - `.` and `,` between two digits stay inside: `3.14`, `1,000` and `192.168.0.1` are one word each
 *   (`3.` and `.5` are not joined);
 * - every letter of a script written without spaces (Han, Hiragana, Katakana, Bopomofo, Yi, Thai, Lao,
 *   Khmer, Myanmar, Tai scripts, Tangut, Nushu…) is a word of its own, together with the marks after it
 *   (`日本語` → `日`, `本`, `語`); Hangul is written with spaces and forms words as usual;
 * - astral characters are read as surrogate pairs (`𠀋` is one word, `𝐀𝐁` one word); emoji, symbols and
 *   punctuation are never words; a lone surrogate is a separator and never part of a word; a mark with
 *   no word before it is ignored.
 *
 * `{ segmenter: 'intl' }` uses `Intl.Segmenter` word segments that are word-like instead (dictionary
 * segmentation for Chinese, Japanese, Thai…), roughly 50× slower; the text is fed to it in chunks of at
 * most 4,096 UTF-16 units cut at whitespace, because V8's segmenter is quadratic on long strings.
 *
 * Offsets are UTF-16 code units into `text`. Linear time on any input.
 *
 * @param text - the text to tokenize
 * @param options - `segmenter` (`'fast'` or `'intl'`, default `'fast'`) and `locale` (for `'intl'`, default `'en'`)
 * @returns the words in order, each with `text === input.slice(start, end)`
 * @throws TypeError if `text` is not a string or `options` not an object; RangeError for an unknown
 *   `segmenter` or an invalid `locale`
 * @example
 * ```ts
 * import { words } from 'neardup';
 * words("Don't panic: v8 is 3.14× faster!").map((w) => w.text); // => ["Don't", 'panic', 'v8', 'is', '3.14', 'faster']
 * words('東京タワーは高い').map((w) => w.text); // => ['東', '京', 'タ', 'ワ', 'ー', 'は', '高', 'い']
 * words('naïve café')[1]; // => { text: 'café', start: 6, end: 10 }
 * ```
 */
export function words(text: string, options?: WordOptions): Segment[] {
  const s = wordSpans(text, options);
  const out: Segment[] = new Array(s.length >> 1);
  for (let k = 0; k < s.length; k += 2) {
    const start = s[k]!;
    const end = s[k + 1]!;
    out[k >> 1] = { text: text.slice(start, end), start, end };
  }
  return out;
}
