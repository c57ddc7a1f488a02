/**
 * Code point classes for the fast word scanner, in lazily built lookup tables (nothing runs at import):
 * one byte per code point for the BMP and for plane 1, built once from Unicode property regexes on first
 * use; planes 2–3 (CJK ideograph extensions) and 14 (variation selectors) are decided by range.
 * Internal module, not public API.
 */

/** Not part of any word: spaces, punctuation, symbols (emoji included), controls, unassigned. */
export const OTHER = 0;
/** A letter or number (`\p{L}`, `\p{Nl}`, `\p{No}`) of a script written with spaces between words. */
export const LETTER = 1;
/** A decimal digit (`\p{Nd}`). */
export const DIGIT = 2;
/** A letter of a script written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar…): one word each. */
export const SINGLE = 3;
/** A mark or format character (`\p{M}`, `\p{Cf}`): extends the word before it, ignored elsewhere. */
export const MARK = 4;
/** An apostrophe (`'`, U+2019): inside a word when letters or digits stand on both sides. */
export const APOSTROPHE = 5;
/** A decimal separator (`.`, `,`): inside a word when digits stand on both sides. */
export const NUMSEP = 6;
/** A high surrogate: the class is that of the pair (a lone one is {@link OTHER}). */
export const HIGH = 7;

/** The scripts written without spaces between words (by Script_Extensions, so that ー and 々 count). */
const NO_SPACE_SCRIPTS = [
  'Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Yi', 'Thai', 'Lao', 'Khmer', 'Myanmar', 'Tai_Le',
  'New_Tai_Lue', 'Tai_Tham', 'Tai_Viet', 'Ahom', 'Tangut', 'Nushu', 'Khitan_Small_Script',
];

let bmp: Uint8Array | undefined;
let plane1: Uint8Array | undefined;

/**
 * Fills `table` (one entry per code point `base … base + 0xffff`) with the class of the first capture
 * group of `re` (a global, unicode regex of alternatives, one group each) that matches the code point.
 * Runs once per table: the plane's characters are built in chunks (skipping surrogates) and matched.
 */
export function fillTable(table: Uint8Array, base: number, re: RegExp, classes: readonly number[]): void {
  const chunk: number[] = [];
  const flush = (): void => {
    const s = String.fromCodePoint(...chunk);
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      let g = 1;
      while (m[g] === undefined) g++;
      table[m[0].codePointAt(0)! - base] = classes[g - 1]!;
    }
    chunk.length = 0;
  };
  for (let cp = base; cp < base + 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    chunk.push(cp);
    if (chunk.length === 4096) flush();
  }
  flush();
}

/** Fills a word-class table for the plane starting at `base`. */
function fill(table: Uint8Array, base: number): void {
  const noSpace = NO_SPACE_SCRIPTS.map((s) => `\\p{scx=${s}}`).join('');
  const re = new RegExp(`((?=[${noSpace}])[\\p{L}\\p{Nl}])|(\\p{Nd})|([\\p{L}\\p{N}])|([\\p{M}\\p{Cf}])`, 'gu');
  fillTable(table, base, re, [SINGLE, DIGIT, LETTER, MARK]);
}

/** The class of every BMP code unit. */
export function bmpTable(): Uint8Array {
  if (bmp) return bmp;
  const t = new Uint8Array(0x10000);
  fill(t, 0);
  t[0x27] = APOSTROPHE;
  t[0x2019] = APOSTROPHE;
  t[0x2e] = NUMSEP;
  t[0x2c] = NUMSEP;
  t.fill(HIGH, 0xd800, 0xdc00);
  t.fill(OTHER, 0xdc00, 0xe000); // a low surrogate seen on its own is lone
  bmp = t;
  return t;
}

/** The class of an astral code point (≥ 0x10000). */
export function astralClass(cp: number): number {
  if (cp < 0x20000) {
    if (!plane1) {
      plane1 = new Uint8Array(0x10000);
      fill(plane1, 0x10000);
    }
    return plane1[cp - 0x10000]!;
  }
  // Planes 2 and 3 hold only CJK ideographs (extensions B–I, compatibility supplement); unassigned
  // code points there are counted as ideographs too. Plane 14: variation selectors are marks, tags format.
  if (cp < 0x40000) return SINGLE;
  if (cp >= 0xe0000 && cp < 0xe1000) return cp >= 0xe0100 && cp <= 0xe01ef ? MARK : cp <= 0xe007f ? MARK : OTHER;
  return OTHER;
}
