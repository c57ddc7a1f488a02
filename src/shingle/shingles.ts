/**
 * Shingles: word n-grams and character k-grams of a text, hashed to a sorted set of distinct uint32.
 */
import { assertInteger, assertOneOf, assertOptions, assertString, fail } from '../internal/validate';
import { normalizeResolved, resolveNormalizeOptions, type NormalizeOptions, type ResolvedNormalizeOptions } from '../text/normalize';
import { scanWordSpans, wordSpanScratch } from '../text/words';
import { foldedWordHashes, foldWordHashes } from './fused';
import { hashUtf16, hashWords } from '../hash/murmur3';
import { sortDistinct } from './sort';
import { wasmShingles, wasmWordShingles } from './wasm';

/**
 * Options of {@link shingles}.
 * @example
 * ```ts
 * import { shingles, type ShingleOptions } from 'neardup';
 * const trigrams: ShingleOptions = { unit: 'char', size: 3, normalize: { digits: false }, seed: 7 };
 * shingles('abcd', trigrams).length; // => 2
 * ```
 */
export interface ShingleOptions {
  /** `'word'` (default): n-grams of words. `'char'`: k-grams of Unicode code points. */
  unit?: 'word' | 'char';
  /** Words or code points per shingle, an integer in [1, 1024], default 5. */
  size?: number;
  /** Normalize the text first: `true` (default) for {@link NORMALIZE_DEFAULTS}, `false` for none, or the options to use. */
  normalize?: boolean | NormalizeOptions;
  /** Seed of every hash, an integer in [0, 2^32 − 1], default 0. Different seeds give unrelated shingle values. */
  seed?: number;
}

/**
 * Defaults of {@link shingles}: word 5-grams of the normalized text, seed 0. Frozen.
 * @example
 * ```ts
 * import { SHINGLE_DEFAULTS } from 'neardup';
 * SHINGLE_DEFAULTS; // => { unit: 'word', size: 5, normalize: true, seed: 0 }
 * ```
 */
export const SHINGLE_DEFAULTS: Readonly<Required<ShingleOptions>> = Object.freeze({ unit: 'word', size: 5, normalize: true, seed: 0 });

const UNITS = ['word', 'char'] as const;
const SHINGLE_KEYS = ['unit', 'size', 'normalize', 'seed'] as const;
/** The largest allowed `size`. */
export const MAX_SHINGLE_SIZE = 1024;

/**
 * The hash of every word of `text` in order (the fast tokenizer of `words`, no normalization):
 * MurmurHash3_x86_32 of the word's UTF-16LE bytes with `seed`. Inputs are not validated.
 * @internal For other modules of this package.
 * @param text - the text (normalize it first if wanted)
 * @param seed - uint32 seed
 * @returns one hash per word
 */
export function wordHashes(text: string, seed = 0): Uint32Array {
  const n = hashWordsInto(text, seed);
  return hashScratch!.slice(0, n);
}

// Scratch buffers reused across calls (typed arrays beyond a few dozen bytes are costly to allocate).
// Created on first use: nothing runs at import time.
let hashScratch: Uint32Array | undefined;
let valueScratch: Uint32Array | undefined;
let offsetScratch: Uint32Array | undefined;
let blockScratch: Int32Array | undefined;

const grown = (buf: Uint32Array | undefined, need: number): Uint32Array =>
  buf !== undefined && buf.length >= need ? buf : new Uint32Array(Math.max(need, 256, 2 * (buf?.length ?? 0)));

/** Hashes every word of `text` into `hashScratch`; returns the word count. */
function hashWordsInto(text: string, seed: number): number {
  const k = scanWordSpans(text);
  const spans = wordSpanScratch();
  const n = k >> 1;
  hashScratch = grown(hashScratch, n);
  const out = hashScratch;
  const hash = hashUtf16;
  for (let w = 0; w < n; w++) out[w] = hash(text, spans[2 * w]!, spans[2 * w + 1]!, seed);
  return n;
}

/** The scratch buffer that holds the result of the last `…Scratch` call (valid until the next call). @internal */
export function shingleScratch(): Uint32Array {
  return valueScratch ?? new Uint32Array(0);
}

/** Sets `valueScratch` to the single value `v` and returns 1. */
function one(v: number): number {
  valueScratch = grown(valueScratch, 1);
  valueScratch[0] = v;
  return 1;
}

/**
 * The sorted distinct word n-gram shingles of `n` word hashes: {@link hashWords} of every window of `size`
 * hashes (of all `n` when `0 < n < size`), left in {@link shingleScratch}. Each word's MurmurHash3 block
 * `rotl(w·C1, 15)·C2` is computed once rather than once per window, which makes the combiner about three times
 * cheaper at size 5. A deliberate copy of {@link hashWords} (src/hash/murmur3.ts); tests/murmur3.test.ts checks
 * that the two agree.
 * @internal
 * @param hashes - the word hashes (not modified)
 * @param n - how many
 * @param size - words per shingle, ≥ 1
 * @param seed - uint32 seed
 * @returns the number of distinct values, sorted ascending at the start of {@link shingleScratch}
 */
export function wordShinglesScratch(hashes: Uint32Array, n: number, size: number, seed: number): number {
  if (n === 0) return 0;
  if (n < size) return one(hashWords(hashes, 0, n, seed));
  if (blockScratch === undefined || blockScratch.length < n) blockScratch = new Int32Array(Math.max(n, 256, 2 * (blockScratch?.length ?? 0)));
  const blocks = blockScratch;
  for (let w = 0; w < n; w++) {
    let k = Math.imul(hashes[w]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    blocks[w] = Math.imul(k, 0x1b873593);
  }
  const count = n - size + 1;
  valueScratch = grown(valueScratch, count);
  const out = valueScratch;
  const tail = size << 2;
  const s0 = seed | 0;
  for (let i = 0; i < count; i++) {
    let h = s0;
    const end = i + size;
    for (let j = i; j < end; j++) {
      h ^= blocks[j]!;
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    h ^= tail;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    out[i] = h ^ (h >>> 16);
  }
  return sortDistinct(out, count);
}

/** Shingle options after validation: unit, size, seed and the resolved normalization (null: none). @internal */
export interface ResolvedShingleOptions {
  readonly unit: 'word' | 'char';
  readonly size: number;
  readonly seed: number;
  readonly normalize: ResolvedNormalizeOptions | null;
}

/**
 * Validates shingle options exactly as {@link shingles} does (same errors, same order) and resolves them.
 * @internal
 * @param fn - the public function to name in error messages
 * @param path - where the options sit, e.g. `'options.shingle'` inside `dedupe`
 * @throws TypeError/RangeError as {@link shingles}
 */
export function resolveShingleOptions(options: ShingleOptions | undefined, fn = 'shingles', path = 'options'): ResolvedShingleOptions {
  assertOptions(fn, path, options, SHINGLE_KEYS);
  const at = `${fn}: ${path}`;
  const unit = options?.unit ?? SHINGLE_DEFAULTS.unit;
  assertOneOf(`${at}.unit`, unit, UNITS);
  const size = options?.size ?? SHINGLE_DEFAULTS.size;
  assertInteger(`${at}.size`, size, 1, MAX_SHINGLE_SIZE);
  const seed = options?.seed ?? SHINGLE_DEFAULTS.seed;
  assertInteger(`${at}.seed`, seed, 0, 0xffffffff);
  const norm = options?.normalize ?? SHINGLE_DEFAULTS.normalize;
  let normalize: ResolvedNormalizeOptions | null;
  if (norm === true) normalize = resolveNormalizeOptions(undefined);
  else if (norm === false) normalize = null;
  else if (typeof norm === 'object' && norm !== null && !Array.isArray(norm)) normalize = resolveNormalizeOptions(norm, fn, `${path}.normalize`);
  else fail(TypeError, `${at}.normalize`, 'a boolean or a NormalizeOptions object', norm);
  return { unit, size, seed, normalize };
}

/**
 * {@link shingles} with resolved options, on the raw text: the fused single pass for word shingles under the
 * default normalization when the text is foldable, else normalize (if asked) then shingle.
 * @internal
 */
export function shinglesResolved(text: string, o: ResolvedShingleOptions): Uint32Array {
  let m = -1;
  if (o.unit === 'word' && o.normalize !== null && o.normalize.all) {
    m = wasmWordShingles(text, o.size, o.seed);
    if (m >= 0) return wasmShingles(m).slice();
    const n = foldWordHashes(text, o.seed);
    if (n >= 0) m = wordShinglesScratch(foldedWordHashes(), n, o.size, o.seed);
  }
  if (m < 0) m = sourceShinglesScratch(o.normalize === null ? text : normalizeResolved(text, o.normalize), o.unit, o.size, o.seed);
  return valueScratch === undefined ? new Uint32Array(0) : valueScratch.slice(0, m);
}

/**
 * The shingles of an already normalized text, left in {@link shingleScratch}.
 * @internal
 * @returns the number of distinct values, sorted ascending at the start of {@link shingleScratch}
 */
export function sourceShinglesScratch(source: string, unit: 'word' | 'char', size: number, seed: number): number {
  if (unit === 'char') return charShinglesScratch(source, size, seed);
  const n = hashWordsInto(source, seed);
  return wordShinglesScratch(hashScratch!, n, size, seed);
}

/**
 * Cuts `text` into shingles and hashes them: a sorted (ascending) `Uint32Array` of distinct values.
 *
 * **Word shingles** (`unit: 'word'`): the text is normalized (by default), split by the fast word
 * tokenizer of {@link words}, and each word is hashed once, straight from its UTF-16 code units
 * (MurmurHash3_x86_32 of its UTF-16LE bytes, with `seed`). The shingle of words `i … i+n−1` is
 * MurmurHash3_x86_32 of those `n` word hashes (as `4n` little-endian bytes, with `seed`): no n-gram
 * substring is ever built, and the combiner is order-sensitive (`a b` ≠ `b a`).
 *
 * **Character shingles** (`unit: 'char'`): k-grams of Unicode code points (an emoji or any astral
 * character is one character) of the normalized text, spaces included; each is MurmurHash3_x86_32 of
 * the k-gram's UTF-16LE bytes with `seed`, read in place.
 *
 * **Short texts**: a text with fewer units than `size` (but at least one) gives exactly one shingle,
 * that of all its units, so short texts still differ from each other (peers that return nothing give
 * every short text the same signature). An empty text, or one with no word (for `'word'`: only
 * punctuation, symbols or spaces, e.g. `'...'`), gives an empty array.
 *
 * **Collisions**: values are 32-bit. Among the `m` distinct shingles of one document, the expected number
 * of colliding pairs is about `m² / 2³³`: 0.0001 for `m = 1,000`, about 1 for `m = 10⁵`, so a document
 * of up to ~10⁵ shingles loses at most a few values (a relative change of ~10⁻⁵ in any Jaccard
 * similarity, far below MinHash's own error of `1/√numPerm`). Across two documents of `m_a` and `m_b`
 * shingles, spurious shared values number `m_a·m_b / 2³²` on average (0.02 for two documents of 10⁴).
 * Use a 64-bit document hash (`xxh64`) for exact-duplicate tests of whole documents.
 *
 * Time: linear in the text length times `size`. Under the default normalization, word shingles of a text made
 * of ASCII and of characters that normalize to ASCII letters, digits or separators (most English text) are cut
 * in a single pass over its UTF-8 bytes — normalization, words and their hashes at once, in a small WebAssembly
 * kernel for pure ASCII (a JS pass otherwise, or where WebAssembly is unavailable) — with exactly the values of
 * the step-by-step definition above.
 *
 * @param text - the text
 * @param options - `unit` (default `'word'`), `size` (default 5), `normalize` (default `true`), `seed` (default 0)
 * @returns the distinct shingle hashes, sorted ascending
 * @throws TypeError if `text` is not a string, an option key is unknown or an option has the wrong type; RangeError if `unit`
 *   is unknown, `size` is not an integer in [1, 1024] or `seed` not an integer in [0, 2^32 − 1]
 * @example
 * ```ts
 * import { shingles } from 'neardup';
 * const a = shingles('The quick brown fox jumps over the lazy dog');
 * a.length; // => 5
 * shingles('THE QUICK BROWN FOX JUMPS, over the lazy dog!'); // => a
 * shingles('Hi there', { size: 5 }).length; // => 1
 * shingles('...'); // => new Uint32Array(0)
 * shingles('abcabc', { unit: 'char', size: 3 }).length; // => 3
 * shingles('😀😀😀', { unit: 'char', size: 1, normalize: false }).length; // => 1
 * ```
 */
export function shingles(text: string, options?: ShingleOptions): Uint32Array {
  assertString('shingles: text', text);
  return shinglesResolved(text, resolveShingleOptions(options));
}

/** Puts the UTF-16 offset of each code point of `text` in `offsetScratch` (and `text.length` after the last); returns their number. */
function codePointOffsetsInto(text: string): number {
  const len = text.length;
  offsetScratch = grown(offsetScratch, len + 1);
  const offsets = offsetScratch;
  let points = 0;
  for (let i = 0; i < len; ) {
    offsets[points++] = i;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i++;
    }
  }
  offsets[points] = len;
  return points;
}

/**
 * The shingle of every window of `text` in text order, repeats kept: window `i` covers units (words or code
 * points) `i … i + width − 1`, `width = min(size, units)`. Its distinct sorted values are
 * {@link shinglesResolved}`(text, o)` (the step-by-step definition the fused paths reproduce). For callers that
 * need to know which shingles overlap (the boilerplate discount).
 * @internal
 */
export function shingleSequence(text: string, o: ResolvedShingleOptions): { values: Uint32Array; width: number } {
  let units = -1;
  let hashes: Uint32Array | undefined;
  let source = text;
  if (o.unit === 'word' && o.normalize !== null && o.normalize.all) {
    // The fused pass of shinglesResolved: word hashes of the folded text without building it (foldable texts).
    units = foldWordHashes(text, o.seed);
    if (units >= 0) hashes = foldedWordHashes();
  }
  if (units < 0) {
    source = o.normalize === null ? text : normalizeResolved(text, o.normalize);
    units = o.unit === 'word' ? hashWordsInto(source, o.seed) : codePointOffsetsInto(source);
    hashes = hashScratch;
  }
  if (units === 0) return { values: new Uint32Array(0), width: 0 };
  const width = Math.min(o.size, units);
  const values = new Uint32Array(units - width + 1);
  if (o.unit === 'word') for (let i = 0; i < values.length; i++) values[i] = hashWords(hashes!, i, width, o.seed);
  else for (let i = 0; i < values.length; i++) values[i] = hashUtf16(source, offsetScratch![i]!, offsetScratch![i + width]!, o.seed);
  return { values, width };
}

function charShinglesScratch(text: string, size: number, seed: number): number {
  const len = text.length;
  if (len === 0) return 0;
  // offsets[j] = UTF-16 offset of code point j; offsets[points] = len.
  const points = codePointOffsetsInto(text);
  const offsets = offsetScratch!;
  const hash = hashUtf16;
  if (points < size) return one(hash(text, 0, len, seed));
  const count = points - size + 1;
  valueScratch = grown(valueScratch, count);
  const out = valueScratch;
  for (let j = 0; j < count; j++) out[j] = hash(text, offsets[j]!, offsets[j + size]!, seed);
  return sortDistinct(out, count);
}
