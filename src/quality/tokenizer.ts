/**
 * The bridge to the library's own Unicode-aware segmentation (`src/text`), used when
 * `tokenizer: 'default'`. The `'whitespace'` tokenizer (Python `str.split()`) lives in `python.ts`.
 * Internal module, not public API.
 */
import { sentences, wordSpans } from '../text';

/** Word spans (interleaved `[start, end)` UTF-16 pairs) from the library's word segmentation. */
export function defaultWordSpans(text: string): Uint32Array {
  return wordSpans(text);
}

/** Number of sentences the library's sentence segmentation finds in `text`. */
export function defaultSentenceCount(text: string): number {
  return sentences(text).length;
}

/** Sentence spans (interleaved `[start, end)` UTF-16 pairs) from the library's sentence segmentation. */
export function defaultSentenceSpans(text: string): Uint32Array {
  const segs = sentences(text);
  const out = new Uint32Array(segs.length * 2);
  for (let i = 0; i < segs.length; i++) {
    out[2 * i] = segs[i]!.start;
    out[2 * i + 1] = segs[i]!.end;
  }
  return out;
}
