/**
 * The units an explanation aligns: the words of the original text (the fast tokenizer of `words`, UTF-16
 * offsets), each normalized on its own with the run's normalization. A word whose normalized form holds several
 * words (`don't` → `don t`, `3.14` → `0 0`) gives one unit per normalized word, all with the word's span, so
 * `don't` and `don t` align; a word that normalizes to nothing gives no unit. Such a unit's span is the piece of the
 * word it comes from (`don` and `t` of `don't`: the word is cut at the characters normalization turns into
 * spaces); in the rare case where the pieces do not normalize to those words one by one, the word stays one unit
 * (its normalized words joined by a space), aligned whole or not at all.
 * Internal module, not public API.
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

let reMark: RegExp | undefined;

/** The units of one original word: their ids, and their offsets in the word when there are several (null: the whole word). */
interface WordUnits {
  readonly ids: number[];
  readonly spans: number[] | null;
}

/** Normalized words → ids, shared by the two texts of one explanation; caches each original word's normalization. */
export class Dictionary {
  readonly words: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly cache = new Map<string, WordUnits>();

  constructor(private readonly norm: ResolvedNormalizeOptions | null) {}

  /** The units of one original word (cached: a text repeats its words). */
  unitsOfWord(word: string): WordUnits {
    let u = this.cache.get(word);
    if (u !== undefined) return u;
    const normalized = (this.norm === null ? word : normalizeResolved(word, this.norm)).split(/\s+/).filter((w) => w !== '');
    const spans = normalized.length > 1 ? this.pieces(word, normalized) : null;
    // A word that does not cut into its normalized words stays one unit: aligned whole or not at all.
    const ids = normalized.length > 1 && spans === null ? [this.idOf(normalized.join(' '))] : normalized.map((w) => this.idOf(w));
    u = { ids, spans };
    this.cache.set(word, u);
    return u;
  }

  private idOf(w: string): number {
    let id = this.ids.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(w);
      this.ids.set(w, id);
    }
    return id;
  }

  /**
   * Offsets `[start, end, …]` in `word` of the pieces that normalize to the words `normalized`, one by one; null
   * when the word does not cut that way. A piece is a run of code points that do not normalize (alone) to spaces.
   */
  private pieces(word: string, normalized: string[]): number[] | null {
    const spans: number[] = [];
    let start = -1;
    for (let i = 0; i <= word.length; ) {
      const cp = i < word.length ? word.codePointAt(i)! : -1;
      const w = cp > 0xffff ? 2 : 1;
      // A mark belongs to the piece before it even when normalization removes it (e + U+0301 → e).
      const ch = cp < 0 ? '' : word.slice(i, i + w);
      reMark ??= /^\p{M}$/u;
      const separator = cp < 0 || (!reMark.test(ch) && normalizeResolved(ch, this.norm!).trim() === '');
      if (separator && start >= 0) {
        spans.push(start, i);
        start = -1;
      } else if (!separator && start < 0) start = i;
      if (cp < 0) break;
      i += w;
    }
    if (spans.length !== 2 * normalized.length) return null;
    for (let k = 0; k < normalized.length; k++) if (normalizeResolved(word.slice(spans[2 * k]!, spans[2 * k + 1]!), this.norm!) !== normalized[k]) return null;
    return spans;
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
    const u = dict.unitsOfWord(text.slice(s, e));
    for (let t = 0; t < u.ids.length; t++) {
      if (n === key.length) {
        // More units than words (a word that normalized into several): grow.
        const size = 2 * n + 16;
        start = grow32(start, size);
        end = grow32(end, size);
        const k2 = new Int32Array(size);
        k2.set(key);
        key = k2;
      }
      start[n] = u.spans === null ? s : s + u.spans[2 * t]!;
      end[n] = u.spans === null ? e : s + u.spans[2 * t + 1]!;
      key[n] = u.ids[t]!;
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
