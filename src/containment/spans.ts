/**
 * Where shingles sit in the original text: word shingles (default normalization) computed chunk by chunk, so
 * each normalized word keeps the UTF-16 span of the whitespace-delimited chunk of the original text it came from,
 * and the shingles a containment match shares can be shown as spans of that text.
 * Internal module, not public API.
 */
import { hashUtf16, hashWords } from '../hash/murmur3';
import { normalizeResolved, resolveNormalizeOptions } from '../text/normalize';
import { scanWordSpans, wordSpanScratch } from '../text/words';

/** The word shingles of a text in text order, with the original span of each word. */
export interface ShingleWindows {
  /** Shingle value of each window: window `i` covers words `i … i + width − 1`. */
  readonly values: Uint32Array;
  /** Words per window: the shingle size, or the word count when the text has fewer words. */
  readonly width: number;
  /** UTF-16 start, in the original text, of the chunk each normalized word came from. */
  readonly starts: Uint32Array;
  /** UTF-16 end (exclusive), in the original text, of the chunk each normalized word came from. */
  readonly ends: Uint32Array;
}

// JavaScript \s plus U+0085, the whitespace that normalization turns into word breaks.
const CHUNK = /[^\s\u0085]+/gu;

/**
 * The word shingles of `text` under the default normalization, window by window, with word offsets. Their
 * distinct sorted values equal `shingles(text, { size, seed })` whenever normalizing and tokenizing commute
 * with cutting the text at whitespace (every step is per character or per word, so they do; a dictionary
 * segmenter on unspaced scripts may cut a chunk differently from the whole text).
 * @param text - the original text
 * @param size - words per shingle, at least 1
 * @param seed - the shingle seed
 */
export function shingleWindows(text: string, size: number, seed: number): ShingleWindows {
  const norm = resolveNormalizeOptions(undefined);
  const hashes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of text.matchAll(CHUNK)) {
    const chunk = normalizeResolved(m[0], norm);
    const k = scanWordSpans(chunk);
    const spans = wordSpanScratch();
    for (let w = 0; w < k; w += 2) {
      hashes.push(hashUtf16(chunk, spans[w]!, spans[w + 1]!, seed));
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
  }
  const n = hashes.length;
  const words = Uint32Array.from(hashes);
  const width = Math.min(size, n);
  const values = new Uint32Array(n === 0 ? 0 : n - width + 1);
  for (let i = 0; i < values.length; i++) values[i] = hashWords(words, i, width, seed);
  return { values, width, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** Whether sorted `set` holds `v` (binary search). */
function has(set: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < set.length && set[lo] === v;
}

/**
 * The spans of the original text covered by the windows whose shingle is in `set`: overlapping or touching
 * windows are merged, so each span is one stretch of consecutive matched words.
 * @param w - from {@link shingleWindows}
 * @param set - sorted distinct shingle values (e.g. a reference text's)
 * @returns `[start, end)` pairs of UTF-16 offsets, ascending and disjoint
 */
export function matchedSpans(w: ShingleWindows, set: Uint32Array): [number, number][] {
  const out: [number, number][] = [];
  let runStart = -1; // first word of the current run of covered words
  let runEnd = -1; // one past its last word
  const flush = (): void => {
    if (runStart < 0) return;
    const start = w.starts[runStart]!;
    const end = w.ends[runEnd - 1]!;
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  };
  for (let i = 0; i < w.values.length; i++) {
    if (!has(set, w.values[i]!)) continue;
    if (runStart >= 0 && i <= runEnd) runEnd = Math.max(runEnd, i + w.width);
    else {
      flush();
      runStart = i;
      runEnd = i + w.width;
    }
  }
  flush();
  return out;
}
