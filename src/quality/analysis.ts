/**
 * One text, segmented once and shared by every quality filter (`qualityReport` builds one of these and
 * runs the four filters on it). Every piece is computed lazily, on first use, and cached.
 * Internal module, not public API.
 */
import { buildTextHash, buildWordTable, type TextHash, type WordTable } from './ngrams';
import { cpLength, hasSurrogates, pySplitSpans, splitlinesSpans } from './python';
import { defaultWordSpans } from './tokenizer';

/**
 * Which word tokenizer the filters use: `'default'` (the library's {@link words}) or `'whitespace'`
 * (Python `str.split()`, as the reference vectors).
 * @example
 * ```ts
 * const t: QualityTokenizer = 'whitespace';
 * gopherQuality("don't stop", { tokenizer: t }).stats.nWords; // => 2
 * ```
 */
export type QualityTokenizer = 'default' | 'whitespace';

export class Analysis {
  readonly surrogates: boolean;
  /** `len(text)` in code points. */
  readonly length: number;
  private wordsCache: Uint32Array | undefined;
  private tableCache: WordTable | undefined;
  private linesCache: Uint32Array | undefined;
  private hashCache: TextHash | undefined;

  constructor(readonly text: string, readonly tokenizer: QualityTokenizer) {
    this.surrogates = hasSurrogates(text);
    this.length = this.surrogates ? cpLength(text, 0, text.length) : text.length;
  }

  /** Code points in `[start, end)`. */
  cp(start: number, end: number): number {
    return this.surrogates ? cpLength(this.text, start, end) : end - start;
  }

  /** Word spans (interleaved `[start, end)` UTF-16 pairs) from the chosen tokenizer. */
  words(): Uint32Array {
    this.wordsCache ??= this.tokenizer === 'whitespace' ? pySplitSpans(this.text) : defaultWordSpans(this.text);
    return this.wordsCache;
  }

  /** Hashes and prefix lengths of the words, for n-gram counting. */
  wordTable(): WordTable {
    this.tableCache ??= buildWordTable(this.text, this.words(), this.surrogates, this.hashes());
    return this.tableCache;
  }

  /** Prefix hashes of the whole text (span hashes in O(1) for duplicate lines, paragraphs and words). */
  hashes(): TextHash {
    this.hashCache ??= buildTextHash(this.text);
    return this.hashCache;
  }

  /** Python `text.splitlines()` spans. */
  splitlines(): Uint32Array {
    this.linesCache ??= splitlinesSpans(this.text);
    return this.linesCache;
  }
}
