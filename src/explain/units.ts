/**
 * The units an explanation aligns: the words of the original text (the fast tokenizer of `words`, UTF-16
 * offsets), each normalized on its own with the run's normalization. A word whose normalized form holds several
 * words (`don't` → `don t`, `3.14` → `0 0`) gives one unit per normalized word, all with the word's span, so
 * `don't` and `don t` align; a word that normalizes to nothing gives no unit.
 * @internal
 */
import { scanWordSpans, wordSpanScratch } from '../text/words';
import { normalizeResolved, type ResolvedNormalizeOptions } from '../text/normalize';

/** The units of one text as parallel arrays (no object per word). */
export interface Units {
  /** Number of units. */
  readonly count: number;
  /** UTF-16 start offset of each unit's original word. */
  readonly start: Uint32Array;
  /** UTF-16 end offset (exclusive) of each unit's original word. */
  readonly end: Uint32Array;
  /** Id of each unit's normalized word (equal ids ⇔ equal normalized words, within one {@link Dictionary}). */
  readonly key: Int32Array;
}

/** Normalized words → ids, shared by the two texts of one explanation; caches each original word's normalization. */
export class Dictionary {
  readonly words: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(private readonly norm: ResolvedNormalizeOptions | null) {}

  /** Ids of the normalized words of one original word (cached: a text repeats its words). */
  idsOf(word: string): number[] {
    let ids = this.cache.get(word);
    if (ids !== undefined) return ids;
    ids = [];
    const normalized = this.norm === null ? word : normalizeResolved(word, this.norm);
    for (const w of normalized.split(/\s+/)) {
      if (w === '') continue;
      let id = this.ids.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.words.push(w);
        this.ids.set(w, id);
      }
      ids.push(id);
    }
    this.cache.set(word, ids);
    return ids;
  }
}

/** The units of `text`: linear in its length (one normalization per distinct word). */
export function unitsOf(text: string, dict: Dictionary): Units {
  const k = scanWordSpans(text);
  const spans = wordSpanScratch().slice(0, k); // copied: normalizing a word may reuse the tokenizer's scratch
  let start: Uint32Array = new Uint32Array(k >> 1);
  let end: Uint32Array = new Uint32Array(k >> 1);
  let key = new Int32Array(k >> 1);
  let n = 0;
  for (let w = 0; w < k; w += 2) {
    const s = spans[w]!;
    const e = spans[w + 1]!;
    for (const id of dict.idsOf(text.slice(s, e))) {
      if (n === key.length) {
        // More units than words (a word that normalized into several): grow.
        const size = 2 * n + 16;
        start = grow32(start, size);
        end = grow32(end, size);
        const k2 = new Int32Array(size);
        k2.set(key);
        key = k2;
      }
      start[n] = s;
      end[n] = e;
      key[n] = id;
      n++;
    }
  }
  return { count: n, start, end, key };
}

function grow32(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}
