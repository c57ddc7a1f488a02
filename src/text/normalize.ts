/**
 * Text normalization for deduplication: NFKC, lowercase, accents, punctuation, digits, whitespace.
 */
import { assertBoolean, assertOptions, assertString } from '../internal/validate';
import { fillTable } from './classify';
import { isSpace } from './segment';
import { normalizeStreamSafe } from './stream-safe';

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

/**
 * Step 2: mark removal (decompose, strip, recompose) and/or NFKC. ASCII text is already in every form. Each
 * normalization runs on the Stream-Safe form of its input (see {@link normalizeStreamSafe}), which is the input
 * itself unless it has a run of more than 30 non-starters: linear time on every text.
 */
function unicodeForms(s: string, nfkc: boolean, combiningMarks: boolean): string {
  reNonAscii ??= /[^\0-\x7f]/;
  if (!reNonAscii.test(s)) return s;
  if (combiningMarks) {
    reMarks ??= /(?![\u3099\u309a])[\p{Mn}\p{Me}]/gu;
    const decomposed = normalizeStreamSafe(s, nfkc ? 'NFKD' : 'NFD');
    const stripped = decomposed.replace(reMarks, '');
    // The decomposition of a Stream-Safe text has no run of more than 30 non-starters (UAX #15 defines the
    // format by its NFKD; NFD runs are never longer, as no decomposition that starts with a non-starter holds
    // a starter: tests/text.test.ts checks it on every code point),
    // so it needs no second pass unless removing marks joined two runs.
    return stripped.length === decomposed.length ? stripped.normalize(nfkc ? 'NFKC' : 'NFC') : normalizeStreamSafe(stripped, nfkc ? 'NFKC' : 'NFC');
  }
  return nfkc ? normalizeStreamSafe(s, 'NFKC') : s;
}

/** Steps 1–3 of {@link normalize}: lowercase, Unicode forms, lowercase again (and forms again if that changed anything). */
function unicodeSteps(text: string, nfkc: boolean, lowercase: boolean, combiningMarks: boolean): string {
  let s = text;
  if (lowercase) s = s.toLowerCase();
  s = unicodeForms(s, nfkc, combiningMarks);
  if (lowercase) {
    // NFKC can produce capitals (℡ → TEL) and lowercasing can break composition (ϔ́): once more if needed.
    const lowered = s.toLowerCase();
    if (lowered !== s) s = unicodeForms(lowered, nfkc, combiningMarks);
  }
  return s;
}

// ---- The single-pass fast path of the default normalization ------------------------------------------------------
//
// Most text is ASCII plus a few characters that the default normalization turns into ASCII or into separators
// (’ “ ” — … nbsp ® é Ａ ²…). For such a text every step of `normalize` acts on each UTF-16 unit on its own, so one
// pass with a per-unit table gives the same result as the six steps, without building intermediate strings.
//
// Fold codes, one byte per BMP code unit (see foldTable):
/** Not looked at yet: {@link foldCode} decides on first sight. @internal */
export const FOLD_UNKNOWN = 0;
/** Becomes a separator (whitespace, punctuation or symbol: a collapsed space, never part of a word). @internal */
export const FOLD_SEPARATOR = 1;
/** A decimal digit (or a character that normalizes to digits only): part of a digit run, which becomes `0`. @internal */
export const FOLD_DIGIT = 2;
/** Needs the general path (any other non-ASCII character, surrogates). @internal */
export const FOLD_GENERAL = 3;
// 0x61–0x7a: the unit normalizes to this ASCII lowercase letter (A → a, é → e, Ａ → a, K (Kelvin) → k).
// 0x80 | c: an ASCII control character c (U+0000–U+001F, U+007F, none of them whitespace) kept as it is; not
// part of a word.

let foldCodes: Uint8Array | undefined;

/**
 * The fold table of the default normalization: one code per BMP code unit (ASCII filled in, the rest decided
 * lazily by {@link foldCode}). Created on first use.
 * @internal
 */
export function foldTable(): Uint8Array {
  if (foldCodes) return foldCodes;
  const classes = bmpClassTable();
  const t = new Uint8Array(0x10000); // FOLD_UNKNOWN everywhere
  for (let c = 0; c < 0x80; c++) {
    const cls = classes[c]!;
    if (c >= 0x41 && c <= 0x5a) t[c] = c | 0x20;
    else if (c >= 0x61 && c <= 0x7a) t[c] = c;
    else if (cls === NUM) t[c] = FOLD_DIGIT;
    else if (cls === PUNCT || cls === SPACE) t[c] = FOLD_SEPARATOR;
    else t[c] = 0x80 | c; // the controls that are not whitespace
  }
  t.fill(FOLD_GENERAL, 0xd800, 0xe000);
  foldCodes = t;
  return t;
}

/**
 * Decides the fold code of the non-ASCII BMP unit `c`, stores it in the table and returns it. The unit is
 * normalized on its own (steps 1–3); it is foldable when the result is a fixed point of those steps and is
 * one ASCII lowercase letter, or only separators (`\p{P}`, `\p{S}`, whitespace), or only decimal digits.
 *
 * Why a unit can be decided on its own: in a text made of ASCII and foldable units, lowercasing is
 * context-free (the one context-dependent mapping, final sigma, gives a non-ASCII letter: not foldable); the
 * decomposition of a foldable unit is made of marks, which step 2 removes, and of what remains (ASCII letters,
 * punctuation, symbols, spaces, digits), none of which is ever the second element of a canonical composition,
 * so nothing composes across units; and the result being a fixed point, running steps 2–3 again on the whole
 * text changes nothing. The tests compare every BMP unit, in several contexts, with the general path.
 * @internal
 */
export function foldCode(c: number): number {
  const t = foldTable();
  const r = unicodeSteps(String.fromCharCode(c), true, true, true);
  let code = FOLD_GENERAL;
  if (r.length > 0 && unicodeSteps(r, true, true, true) === r) {
    const first = r.charCodeAt(0);
    if (r.length === 1 && first >= 0x61 && first <= 0x7a) {
      code = first;
    } else {
      const classes = bmpClassTable();
      let separators = true;
      let digits = true;
      for (let i = 0; i < r.length; i++) {
        const cls = classes[r.charCodeAt(i)]!;
        if (cls !== PUNCT && cls !== SPACE) separators = false;
        if (cls !== NUM) digits = false;
      }
      if (separators) code = FOLD_SEPARATOR;
      else if (digits) code = FOLD_DIGIT;
    }
  }
  t[c] = code;
  return code;
}

/** In {@link asciiFoldTable}: a byte ≥ 0x80, the start or continuation of a multi-byte UTF-8 sequence. @internal */
export const FOLD_MULTIBYTE = 4;

let asciiCodes: Uint8Array | undefined;

/**
 * The fold codes of single UTF-8 bytes: those of {@link foldTable} for ASCII, {@link FOLD_MULTIBYTE} for
 * 0x80–0xFF. The fast scanners read UTF-8 (see {@link encodeForFold}) through this 256-entry table.
 * @internal
 */
export function asciiFoldTable(): Uint8Array {
  if (asciiCodes) return asciiCodes;
  const t = new Uint8Array(256).fill(FOLD_MULTIBYTE);
  t.set(foldTable().subarray(0, 0x80));
  asciiCodes = t;
  return t;
}

let encoder: TextEncoder | undefined;
let utf8: Uint8Array | undefined; // created on first use, grown on demand

/**
 * Encodes `text` as UTF-8 into a shared scratch buffer ({@link foldInput}) followed by two space bytes (sentinels:
 * a scanner may read two bytes past the end without a bounds check). Returns the byte length. `encodeInto` is
 * native and runs at several GB/s on ASCII; scanning bytes is about twice as fast as `charCodeAt`. Lone
 * surrogates become U+FFFD (EF BF BD), which the scanners send to the general path.
 * @internal
 */
export function encodeForFold(text: string): number {
  const need = 3 * text.length + 2;
  if (utf8 === undefined || utf8.length < need) utf8 = new Uint8Array(Math.max(need, 1024, 2 * (utf8?.length ?? 0)));
  encoder ??= new TextEncoder();
  const n = encoder.encodeInto(text, utf8).written;
  utf8[n] = 0x20;
  utf8[n + 1] = 0x20;
  return n;
}

/** The buffer filled by the last {@link encodeForFold} call. @internal */
export function foldInput(): Uint8Array {
  return utf8!;
}

/**
 * Decodes the 2- or 3-byte UTF-8 sequence at `src[i]` (lead byte `b`) and returns the fold code of its BMP code
 * unit; {@link FOLD_GENERAL} for a 4-byte sequence (an astral character) and for U+FFFD (which may stand for a
 * lone surrogate). The sequence length is `b < 0xe0 ? 2 : 3`.
 * @internal
 */
export function foldMultibyte(src: Uint8Array, i: number, b: number): number {
  let c: number;
  if (b < 0xe0) c = ((b & 0x1f) << 6) | (src[i + 1]! & 0x3f);
  else if (b < 0xf0) c = ((b & 0x0f) << 12) | ((src[i + 1]! & 0x3f) << 6) | (src[i + 2]! & 0x3f);
  else return FOLD_GENERAL;
  if (c === 0xfffd) return FOLD_GENERAL;
  const v = foldCodes![c]!;
  return v === FOLD_UNKNOWN ? foldCode(c) : v;
}

let foldBytes: Uint8Array | undefined; // created on first use, grown on demand
let decoder: TextDecoder | undefined;

/**
 * Runs the default normalization of `text` in one pass over its UTF-8 bytes when every unit is foldable, writing
 * the result (ASCII) into a shared scratch buffer ({@link foldScratch}). Returns its length in bytes, or -1 when
 * `text` needs the general path (the scratch then holds garbage). Linear time.
 * @internal
 */
export function foldDefault(text: string): number {
  // Local copies of the codes: TurboFan folds function-local constants, not module-level ones.
  const MULTIBYTE = 4;
  const GENERAL = 3;
  const SEPARATOR = 1;
  const DIGIT = 2;
  // States: after a kept character (or at the start); after a separator (a space is due before the next kept
  // character, unless nothing was written yet); inside a digit run (written as one 0).
  const KEPT = 0;
  const SEPARATED = 1;
  const DIGITS = 2;
  const table = asciiFoldTable();
  const n = encodeForFold(text);
  const src = utf8!;
  // Each unit writes at most one byte (a collapsed space is written in place of the separator that caused it),
  // and each unit is at least one byte.
  if (foldBytes === undefined || foldBytes.length < n) foldBytes = new Uint8Array(Math.max(n, 1024, 2 * (foldBytes?.length ?? 0)));
  const out = foldBytes;
  let o = 0;
  let state = KEPT;
  let i = 0;
  while (i < n) {
    const b = src[i]!;
    let v = table[b]!;
    let w = 1;
    if (v === MULTIBYTE) {
      v = foldMultibyte(src, i, b);
      if (v === GENERAL) return -1;
      w = b < 0xe0 ? 2 : 3;
    }
    i += w;
    if (v >= 0x61 && v <= 0x7a) {
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      out[o++] = v;
      // The rest of an ASCII letter run (the two sentinel spaces stop it).
      for (;;) {
        const a = table[src[i]!]!;
        if (a < 0x61 || a > 0x7a) break;
        out[o++] = a;
        i++;
      }
    } else if (v === SEPARATOR) {
      state = o > 0 ? SEPARATED : KEPT;
    } else if (v === DIGIT) {
      if (state !== DIGITS) {
        if (state === SEPARATED) out[o++] = 0x20;
        out[o++] = 0x30;
        state = DIGITS;
      }
    } else if (v >= 0x80) {
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      out[o++] = v & 0x7f;
    } else {
      return -1; // GENERAL
    }
  }
  return o;
}

/** The scratch buffer written by the last {@link foldDefault} call. @internal */
export function foldScratch(): Uint8Array {
  return foldBytes ?? new Uint8Array(0);
}

/**
 * The string of the first `length` bytes of `bytes`, which are all ASCII. `TextDecoder` (created on first use)
 * for all but short strings: several times faster than `String.fromCharCode` on hundreds of characters.
 * @internal
 */
export function asciiString(bytes: Uint8Array, length: number): string {
  if (length <= 24) return String.fromCharCode.apply(null, bytes.subarray(0, length) as unknown as number[]);
  decoder ??= new TextDecoder();
  return decoder.decode(bytes.subarray(0, length));
}

/** The validated flags of a {@link NormalizeOptions} object, all six resolved. @internal */
export interface ResolvedNormalizeOptions {
  readonly nfkc: boolean;
  readonly lowercase: boolean;
  readonly punctuation: boolean;
  readonly digits: boolean;
  readonly whitespace: boolean;
  readonly combiningMarks: boolean;
  /** Every step is on (the single-pass fast path applies). */
  readonly all: boolean;
}

const ALL_ON: ResolvedNormalizeOptions = Object.freeze({ ...NORMALIZE_DEFAULTS, all: true });

/**
 * Validates `options` exactly as {@link normalize} does and resolves every flag; `fn` and `path` name the
 * caller and where the object sits, for messages (`shingles: options.normalize.nfkc must be a boolean…`).
 * @throws TypeError if `options` is not an object or an option not a boolean
 * @internal
 */
export function resolveNormalizeOptions(
  options: NormalizeOptions | undefined,
  fn = 'normalize',
  path = 'options',
): ResolvedNormalizeOptions {
  assertOptions(fn, path, options, KEYS);
  if (options === undefined) return ALL_ON;
  for (const k of KEYS) if (options[k] !== undefined) assertBoolean(`${fn}: ${path}.${k}`, options[k]);
  const r = {
    nfkc: options.nfkc ?? NORMALIZE_DEFAULTS.nfkc,
    lowercase: options.lowercase ?? NORMALIZE_DEFAULTS.lowercase,
    punctuation: options.punctuation ?? NORMALIZE_DEFAULTS.punctuation,
    digits: options.digits ?? NORMALIZE_DEFAULTS.digits,
    whitespace: options.whitespace ?? NORMALIZE_DEFAULTS.whitespace,
    combiningMarks: options.combiningMarks ?? NORMALIZE_DEFAULTS.combiningMarks,
  };
  const all = r.nfkc && r.lowercase && r.punctuation && r.digits && r.whitespace && r.combiningMarks;
  return all ? ALL_ON : { ...r, all };
}

/**
 * {@link normalize} with validated options: the fast path when every step is on and the text is foldable,
 * else the six steps.
 * @internal
 */
export function normalizeResolved(text: string, o: ResolvedNormalizeOptions): string {
  if (o.all) {
    const n = foldDefault(text);
    if (n >= 0) return asciiString(foldBytes!, n);
  }
  return normalizeSteps(text, o);
}

/**
 * The six steps of {@link normalize}, without trying the fast path first: for callers that know `text` is not
 * foldable (a fused scanner already gave up on it).
 * @internal
 */
export function normalizeSteps(text: string, o: ResolvedNormalizeOptions): string {
  let s = unicodeSteps(text, o.nfkc, o.lowercase, o.combiningMarks);
  if (o.punctuation || o.digits || o.whitespace) s = rewrite(s, o.punctuation, o.digits, o.whitespace);
  return s;
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
 * Steps 4–6 are one pass over UTF-16 code units with lookup tables. With every step on, a text made of ASCII
 * and of characters that normalize to ASCII letters, digits or separators (’ “ ” — … nbsp ® é Ａ ² and the
 * like: most English text) is normalized in a single pass over its UTF-8 bytes with one table, with the same result.
 *
 * The result is idempotent for every combination of options: `normalize(normalize(x, o), o) === normalize(x, o)`
 * (property-tested). Lone surrogates are kept as they are. Linear time on every input.
 *
 * Long runs of combining marks: Unicode normalization sorts each run of non-starters (characters of nonzero
 * combining class), which takes time quadratic in the run. So before each decomposition or composition, a run
 * of more than 30 non-starters is cut by inserting U+034F COMBINING GRAPHEME JOINER (CGJ) after every 30
 * (UAX #15's Stream-Safe Text Format); marks are then ordered within each block of 30 only. Text without such
 * a run is normalized exactly as by `String.prototype.normalize`. With `combiningMarks` on (the default) the
 * CGJ is removed with the other nonspacing marks, so the result differs from a plain normalization only when
 * more than 30 non-starters that are kept (spacing marks of nonzero class such as U+302E, or the sound marks
 * U+3099/U+309A) follow each other; with `combiningMarks` off and `nfkc` on, the CGJ stays in the result.
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
 * normalize('a' + '\u0301\u0316'.repeat(50_000)); // => 'a'
 * ```
 */
export function normalize(text: string, options?: NormalizeOptions): string {
  assertString('normalize: text', text);
  return normalizeResolved(text, resolveNormalizeOptions(options));
}
