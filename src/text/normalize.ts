/**
 * Text normalization for deduplication: NFKC, lowercase, accents, punctuation, digits, whitespace.
 */
import { assertBoolean, assertOptions, assertString } from '../internal/validate';
import { fillTable } from './classify';
import { isSpace } from './segment';

/**
 * Which steps {@link normalize} applies; every step is on by default ({@link NORMALIZE_DEFAULTS}).
 * @example
 * ```ts
 * import { normalize, type NormalizeOptions } from 'neardup';
 * const keepCase: NormalizeOptions = { lowercase: false, digits: false };
 * normalize('Hello, World 42!', keepCase); // => 'Hello World 42'
 * ```
 */
export interface NormalizeOptions {
  /** Unicode compatibility normalization, NFKC (`ﬁ` → `fi`, full-width `Ａ` → `A`, `①` → `1`). */
  nfkc?: boolean;
  /** Lowercase with `String.prototype.toLowerCase` (locale-independent). */
  lowercase?: boolean;
  /** Punctuation and symbols (`\p{P}`, `\p{S}`, emoji included) become spaces. */
  punctuation?: boolean;
  /** Each run of decimal digits (`\p{Nd}`, any script) becomes a single `0`. */
  digits?: boolean;
  /** Whitespace runs (JavaScript `\s` plus U+0085: line breaks included) become one space; leading and trailing whitespace is removed. */
  whitespace?: boolean;
  /** Nonspacing and enclosing marks (`\p{Mn}`, `\p{Me}`) are removed after decomposition (`é` → `e`). */
  combiningMarks?: boolean;
}

/**
 * Defaults of {@link normalize}: every step on. Frozen.
 * @example
 * ```ts
 * import { NORMALIZE_DEFAULTS } from 'neardup';
 * Object.values(NORMALIZE_DEFAULTS).every((on) => on); // => true
 * Object.isFrozen(NORMALIZE_DEFAULTS); // => true
 * ```
 */
export const NORMALIZE_DEFAULTS: Readonly<Required<NormalizeOptions>> = Object.freeze({
  nfkc: true,
  lowercase: true,
  punctuation: true,
  digits: true,
  whitespace: true,
  combiningMarks: true,
});

const KEYS = ['nfkc', 'lowercase', 'punctuation', 'digits', 'whitespace', 'combiningMarks'] as const;

// Built on first use: nothing runs at import time. Both regexes are single character classes (linear).
let reMarks: RegExp | undefined;
let reNonAscii: RegExp | undefined;

// Classes of the single pass that does steps 4–6 (local literals: the hot loop compares against them).
const KEEP = 0;
const PUNCT = 1; // \p{P} or \p{S}
const NUM = 2; // \p{Nd}
const SPACE = 3; // JavaScript \s, plus U+0085 (NEL), which lines() also splits on
const HIGH = 4; // high surrogate: look at the pair

let bmpClasses: Uint8Array | undefined;
let plane1Classes: Uint8Array | undefined;
const classRe = (): RegExp => /([\p{P}\p{S}])|(\p{Nd})/gu;

function bmpClassTable(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const t = new Uint8Array(0x10000);
  fillTable(t, 0, classRe(), [PUNCT, NUM]);
  for (let c = 0; c < 0x10000; c++) if (isSpace(c)) t[c] = SPACE;
  t.fill(HIGH, 0xd800, 0xdc00);
  bmpClasses = t;
  return t;
}

/** The class of an astral code point: plane 1 by table (emoji, math digits…); punctuation in plane 2+ is rare (tags in plane 14 are format characters, kept). */
function astralClass(cp: number): number {
  if (cp >= 0x20000) return KEEP;
  if (!plane1Classes) {
    plane1Classes = new Uint8Array(0x10000);
    fillTable(plane1Classes, 0x10000, classRe(), [PUNCT, NUM]);
  }
  return plane1Classes[cp - 0x10000]!;
}

let scratch: Uint16Array | undefined; // created on first use

/**
 * Steps 4–6 in one pass over UTF-16 code units: punctuation and symbols to spaces, digit runs to `0`,
 * whitespace collapsed and trimmed. Returns `s` itself when nothing changes.
 */
function rewrite(s: string, punctuation: boolean, digits: boolean, whitespace: boolean): string {
  const table = bmpClassTable();
  const n = s.length;
  if (scratch === undefined || scratch.length < n) scratch = new Uint16Array(Math.max(n, 256, 2 * (scratch?.length ?? 0)));
  const out = scratch;
  let o = 0;
  let changed = false;
  let pending = false; // a collapsed space waits to be written before the next kept character
  let inDigits = false;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let cls = table[c]!;
    let w = 1;
    if (cls === HIGH) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        w = 2;
      } else {
        cls = KEEP;
      }
    }
    if (cls === SPACE || (cls === PUNCT && punctuation)) {
      inDigits = false;
      if (whitespace) {
        pending = o > 0;
        changed = true; // conservatively: a space written back unchanged still counts as a change
      } else if (cls === SPACE) {
        out[o++] = c;
      } else {
        out[o++] = 0x20;
        changed = true;
      }
      i += w;
      continue;
    }
    if (cls === NUM && digits) {
      if (!inDigits) {
        if (pending) {
          out[o++] = 0x20;
          pending = false;
        }
        out[o++] = 0x30;
        inDigits = true;
      }
      i += w;
      continue;
    }
    inDigits = false;
    if (pending) {
      out[o++] = 0x20;
      pending = false;
    }
    out[o++] = c;
    if (w === 2) out[o++] = s.charCodeAt(i + 1);
    i += w;
  }
  if (!changed && o === n) {
    // Unchanged unless a digit run was rewritten in place: compare to be sure.
    let same = true;
    for (let k = 0; k < n; k++) {
      if (out[k] !== s.charCodeAt(k)) {
        same = false;
        break;
      }
    }
    if (same) return s;
  }
  let r = '';
  for (let k = 0; k < o; k += 8192) {
    r += String.fromCharCode.apply(null, out.subarray(k, Math.min(o, k + 8192)) as unknown as number[]);
  }
  return r;
}

/** Step 2: mark removal (decompose, strip, recompose) and/or NFKC. ASCII text is already in every form. */
function unicodeForms(s: string, nfkc: boolean, combiningMarks: boolean): string {
  reNonAscii ??= /[^\0-\x7f]/;
  if (!reNonAscii.test(s)) return s;
  if (combiningMarks) {
    reMarks ??= /(?![\u3099\u309a])[\p{Mn}\p{Me}]/gu;
    return s.normalize(nfkc ? 'NFKD' : 'NFD').replace(reMarks, '').normalize(nfkc ? 'NFKC' : 'NFC');
  }
  return nfkc ? s.normalize('NFKC') : s;
}

/**
 * Normalizes `text` for comparison. The steps, in this order, each switchable by an option (all on by default):
 *
 * 1. `lowercase`: `toLowerCase()`, locale-independent (`İ` → `i̇`).
 * 2. `combiningMarks`: decompose (NFKD, or NFD when `nfkc` is off), remove nonspacing and enclosing marks
 *    (`\p{Mn}`, `\p{Me}`), recompose (NFKC, or NFC), so `café` → `cafe` and `i̇` → `i`. The Japanese sound
 *    marks U+3099/U+309A are kept (`が` stays `が`), and so are spacing marks (`\p{Mc}`, e.g. most Indic
 *    vowel signs). Otherwise `nfkc`: Unicode NFKC (`ﬁ` → `fi`, `Ｈｅｌｌｏ` → `Hello`, `²` → `2`).
 * 3. `lowercase` again, since NFKC can produce capitals (`℡` → `TEL`); if that changed anything, step 2
 *    runs once more (lowercasing can undo a composition).
 * 4. `punctuation`: every punctuation or symbol character (`\p{P}`, `\p{S}`: `.,;'"-()`, `$`, `©`, emoji…)
 *    becomes a space, so `don't` → `don t`.
 * 5. `digits`: every run of decimal digits (`\p{Nd}`, any script) becomes `0` (`2024` → `0`, `3.14` → `0 0`).
 * 6. `whitespace`: runs of whitespace (JavaScript `\s` plus U+0085, so every line terminator) become one
 *    space, and the result is trimmed.
 *
 * Steps 4–6 are one pass over UTF-16 code units with lookup tables.
 *
 * The result is idempotent for every combination of options: `normalize(normalize(x, o), o) === normalize(x, o)`
 * (property-tested). Lone surrogates are kept as they are. Linear time.
 *
 * @param text - the text to normalize
 * @param options - which steps to apply, see {@link NormalizeOptions}; omitted ones default to `true`
 * @returns the normalized text
 * @throws TypeError if `text` is not a string, `options` not an object or an option not a boolean
 * @example
 * ```ts
 * import { normalize } from 'neardup';
 * normalize('  Ｃafé — ﬁnal 2024 price: $3.99!\n'); // => 'cafe final 0 price 0 0'
 * normalize('Don’t STOP', { punctuation: false }); // => 'don’t stop'
 * normalize('A  b', { whitespace: false, lowercase: false }); // => 'A  b'
 * ```
 */
export function normalize(text: string, options?: NormalizeOptions): string {
  assertString('text', text);
  assertOptions('options', options);
  let nfkc = NORMALIZE_DEFAULTS.nfkc;
  let lowercase = NORMALIZE_DEFAULTS.lowercase;
  let punctuation = NORMALIZE_DEFAULTS.punctuation;
  let digits = NORMALIZE_DEFAULTS.digits;
  let whitespace = NORMALIZE_DEFAULTS.whitespace;
  let combiningMarks = NORMALIZE_DEFAULTS.combiningMarks;
  if (options !== undefined) {
    for (const k of KEYS) if (options[k] !== undefined) assertBoolean(`options.${k}`, options[k]);
    nfkc = options.nfkc ?? nfkc;
    lowercase = options.lowercase ?? lowercase;
    punctuation = options.punctuation ?? punctuation;
    digits = options.digits ?? digits;
    whitespace = options.whitespace ?? whitespace;
    combiningMarks = options.combiningMarks ?? combiningMarks;
  }
  let s = text;
  if (lowercase) s = s.toLowerCase();
  s = unicodeForms(s, nfkc, combiningMarks);
  if (lowercase) {
    // NFKC can produce capitals (℡ → TEL) and lowercasing can break composition (ϔ́): once more if needed.
    const lowered = s.toLowerCase();
    if (lowered !== s) s = unicodeForms(lowered, nfkc, combiningMarks);
  }
  if (punctuation || digits || whitespace) s = rewrite(s, punctuation, digits, whitespace);
  return s;
}
