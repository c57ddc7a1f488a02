/**
 * The fused fast path of word shingles under the default normalization: one pass over the UTF-8 bytes of a
 * text normalizes it (exactly as `normalize(text)`), cuts the words (exactly as the fast tokenizer of `words`
 * cuts the normalized text) and hashes each word (MurmurHash3_x86_32 of its UTF-16LE code units, as
 * `hashUtf16`), with no intermediate string. It applies when every unit of the text is foldable (ASCII, or a
 * character that normalizes to an ASCII letter, digits or separators; see `foldTable` in src/text/normalize);
 * otherwise it reports -1 and callers take the general path. For pure-ASCII text callers first try the
 * WebAssembly kernel of ./wasm, which does the same pass (and more); this JS pass serves the other foldable
 * texts and engines without WebAssembly.
 *
 * Why the words come out right: the normalized text of a foldable text holds only `a`–`z`, `0`, single spaces
 * and ASCII control characters. The tokenizer's classes for those are LETTER, DIGIT, OTHER and OTHER, so a word
 * is a maximal run of `a`–`z` and `0` — a run that a separator or a control character ends.
 * Internal module, not public API.
 */
import { asciiFoldTable, encodeForFold, foldInput, foldMultibyte } from '../text/normalize';
import { finishUtf16 } from '../hash/murmur3';

// The MurmurHash3 block constants: the scanners below inline `hashUtf16` of src/hash/murmur3.ts (they hash a word
// while they fold its bytes, so there is no string to pass it); tests/murmur3.test.ts checks that they agree.
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// Scratch buffers, created on first use, grown on demand and reused (nothing runs at import time).
let textBytes: Uint8Array | undefined; // the normalized text (ASCII)
let wordHashes: Uint32Array | undefined;
let textLength = 0;

/**
 * Normalizes `text` (default options), tokenizes and hashes its words with `seed` in one pass. Returns the word
 * count, the hashes being in {@link foldedWordHashes} and the normalized text (ASCII bytes) in
 * {@link foldedText} with length {@link foldedTextLength}; or -1 when `text` needs the general path.
 *
 * Two scanners with the same results: one for pure ASCII (the UTF-8 length equals the UTF-16 length), kept free
 * of the multi-byte branch so that it stays small and fast, and one that also decodes multi-byte characters.
 * @param text - the raw text
 * @param seed - uint32 seed of the word hashes
 * @returns the number of words, or -1
 */
export function foldWordHashes(text: string, seed: number): number {
  const n = encodeForFold(text);
  reserve(n);
  return n === text.length ? scanAscii(n, seed) : scanMixed(n, seed);
}

/** Grows the scratch buffers for `n` input bytes. */
function reserve(n: number): void {
  if (textBytes === undefined || textBytes.length < n) textBytes = new Uint8Array(Math.max(n, 1024, 2 * (textBytes?.length ?? 0)));
  const maxWords = (n >> 1) + 1; // a word and the separator after it take at least two bytes
  if (wordHashes === undefined || wordHashes.length < maxWords) wordHashes = new Uint32Array(Math.max(maxWords, 256, 2 * (wordHashes?.length ?? 0)));
}

/**
 * The ASCII scanner over the `n` bytes of {@link foldInput}: every byte is one unit. Letters are read two at a
 * time (one MurmurHash3 block per pair).
 */
function scanAscii(n: number, seed: number): number {
  const SEPARATOR = 1;
  const DIGIT = 2;
  const KEPT = 0;
  const SEPARATED = 1;
  const DIGITS = 2;
  const table = asciiFoldTable();
  const src = foldInput(); // two sentinel spaces after the end: the letter loop needs no bounds check
  const out = textBytes!;
  const hs = wordHashes!;
  let o = 0;
  let words = 0;
  let state = KEPT;
  let h = seed | 0;
  let lo = -1;
  let len = 0;
  let i = 0;
  while (i < n) {
    const v = table[src[i]!]!;
    if (v >= 0x61 && v <= 0x7a) {
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      if (lo >= 0) {
        out[o++] = v;
        let k = Math.imul(lo | (v << 16), C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        lo = -1;
        len++;
        i++;
      }
      for (;;) {
        const a = table[src[i]!]!;
        if (a < 0x61 || a > 0x7a) break;
        const c = table[src[i + 1]!]!;
        if (c < 0x61 || c > 0x7a) {
          out[o++] = a;
          lo = a;
          len++;
          i++;
          break;
        }
        out[o] = a;
        out[o + 1] = c;
        o += 2;
        let k = Math.imul(a | (c << 16), C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        len += 2;
        i += 2;
      }
      continue;
    }
    i++;
    if (v === DIGIT) {
      if (state !== DIGITS) {
        if (state === SEPARATED) out[o++] = 0x20;
        out[o++] = 0x30;
        state = DIGITS;
        len++;
        if (lo < 0) {
          lo = 0x30;
        } else {
          let k = Math.imul(lo | (0x30 << 16), C1);
          k = (k << 15) | (k >>> 17);
          h ^= Math.imul(k, C2);
          h = (h << 13) | (h >>> 19);
          h = (Math.imul(h, 5) + 0xe6546b64) | 0;
          lo = -1;
        }
      }
      continue;
    }
    if (v === SEPARATOR) {
      state = o > 0 ? SEPARATED : KEPT;
    } else {
      // An ASCII control character (0x80 | c): kept, but it ends the word.
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      out[o++] = v & 0x7f;
    }
    if (len > 0) {
      hs[words++] = finishUtf16(h, lo, len);
      h = seed | 0;
      lo = -1;
      len = 0;
    }
  }
  if (len > 0) {
    hs[words++] = finishUtf16(h, lo, len);
  }
  textLength = o;
  return words;
}

/** {@link foldWordHashes} always through the general scanner: for tests, which run it on ASCII text too. */
export function foldWordHashesMixed(text: string, seed: number): number {
  const n = encodeForFold(text);
  reserve(n);
  return scanMixed(n, seed);
}

/**
 * The general scanner over the `n` bytes of {@link foldInput}: also decodes 2- and 3-byte UTF-8 sequences to
 * their fold codes (and gives up, returning -1, on a unit that needs the general path).
 */
function scanMixed(n: number, seed: number): number {
  // Local constants (TurboFan folds these, not module-level ones); codes of src/text/normalize.
  const MULTIBYTE = 4;
  const GENERAL = 3;
  const SEPARATOR = 1;
  const DIGIT = 2;
  const KEPT = 0; // after a kept character, or at the start
  const SEPARATED = 1; // after a separator: a space is due before the next kept character
  const DIGITS = 2; // inside a digit run (written as one 0)
  const table = asciiFoldTable();
  const src = foldInput(); // two sentinel spaces after the end: the letter loop needs no bounds check
  const out = textBytes!;
  const hs = wordHashes!;
  let o = 0; // bytes written
  let words = 0;
  let state = KEPT;
  // The open word's MurmurHash3 state: h, the code unit waiting for its pair (-1: none), the length in units.
  let h = seed | 0;
  let lo = -1;
  let len = 0;
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
      // A letter: opens or extends the word.
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      out[o++] = v;
      len++;
      if (lo < 0) {
        lo = v;
        // Pair it with the next letter if it is ASCII.
        const a = table[src[i]!]!;
        if (a < 0x61 || a > 0x7a) continue;
        out[o++] = a;
        len++;
        i++;
        let k = Math.imul(lo | (a << 16), C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        lo = -1;
      } else {
        let k = Math.imul(lo | (v << 16), C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        lo = -1;
      }
      // The rest of an ASCII letter run, two units (one MurmurHash3 block) at a time.
      for (;;) {
        const a = table[src[i]!]!;
        if (a < 0x61 || a > 0x7a) break;
        const c = table[src[i + 1]!]!;
        if (c < 0x61 || c > 0x7a) {
          out[o++] = a;
          lo = a;
          len++;
          i++;
          break;
        }
        out[o] = a;
        out[o + 1] = c;
        o += 2;
        let k = Math.imul(a | (c << 16), C1);
        k = (k << 15) | (k >>> 17);
        h ^= Math.imul(k, C2);
        h = (h << 13) | (h >>> 19);
        h = (Math.imul(h, 5) + 0xe6546b64) | 0;
        len += 2;
        i += 2;
      }
      continue;
    }
    if (v === DIGIT) {
      // A digit run is one 0, inside the word.
      if (state !== DIGITS) {
        if (state === SEPARATED) out[o++] = 0x20;
        out[o++] = 0x30;
        state = DIGITS;
        len++;
        if (lo < 0) {
          lo = 0x30;
        } else {
          let k = Math.imul(lo | (0x30 << 16), C1);
          k = (k << 15) | (k >>> 17);
          h ^= Math.imul(k, C2);
          h = (h << 13) | (h >>> 19);
          h = (Math.imul(h, 5) + 0xe6546b64) | 0;
          lo = -1;
        }
      }
      continue;
    }
    if (v === SEPARATOR) {
      state = o > 0 ? SEPARATED : KEPT;
    } else if (v >= 0x80) {
      // An ASCII control character: kept, but it ends the word.
      if (state === SEPARATED) out[o++] = 0x20;
      state = KEPT;
      out[o++] = v & 0x7f;
    } else {
      return -1; // GENERAL
    }
    if (len > 0) {
      hs[words++] = finishUtf16(h, lo, len);
      h = seed | 0;
      lo = -1;
      len = 0;
    }
  }
  if (len > 0) {
    hs[words++] = finishUtf16(h, lo, len);
  }
  textLength = o;
  return words;
}

/** The word hashes written by the last successful {@link foldWordHashes} call. */
export function foldedWordHashes(): Uint32Array {
  return wordHashes!;
}

/** The normalized text (ASCII bytes) written by the last successful {@link foldWordHashes} call. */
export function foldedText(): Uint8Array {
  return textBytes!;
}

/** The length in bytes (= UTF-16 units) of {@link foldedText}. */
export function foldedTextLength(): number {
  return textLength;
}
