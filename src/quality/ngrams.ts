/**
 * Exact duplicate counting over spans of one text, with integer hashes and verification.
 *
 * - {@link findDuplicates}: datatrove `find_duplicates` over line or paragraph spans.
 * - {@link WordTable}, {@link topNgramChars}, {@link duplicatedNgramChars}: datatrove `find_top_duplicate`
 *   over `" ".join` n-grams and the greedy `find_all_duplicate` over `"".join` n-grams.
 *
 * No substring is built. Every span or window gets two hashes (a polynomial hash modulo the prime
 * 2^26 − 5 and a polynomial hash modulo 2^32); a hash-table hit is confirmed by comparing the actual
 * UTF-16 units, so a hash collision can cost time but never changes a count. Window hashes come from
 * prefix hashes of the joined words in O(1) per window, independent of n and of word length.
 *
 * Note: `"".join` is not injective (`["ab", "c"]` and `["a", "bc"]` both give `"abc"`); datatrove counts
 * such windows as repeats and so does this code, because equality is tested on the joined text.
 * Internal module, not public API.
 */
import { cpLength, rangesEqual } from './python';

const P1 = 67108859; // 2^26 - 5, prime: products of two residues stay below 2^53
const B1 = 16777619;
const INV_P1 = 1 / P1;
const B2 = 0x9e3779b1 | 0;
const SPACE = 0x20;

/**
 * `x mod P1` for an integer `0 <= x < 2^53`, without the (slow, libm) floating-point `%`: the quotient
 * estimate `floor(x / P1)` can be off by one either way, so the remainder is corrected once.
 */
function modP(x: number): number {
  const r = x - Math.floor(x * INV_P1) * P1;
  return r < 0 ? r + P1 : r >= P1 ? r - P1 : r;
}

/** Grows (never shrinks) a scratch table to at least `2 * entries` slots, a power of two. */
function capacityFor(entries: number): number {
  let cap = 16;
  while (cap < entries * 2) cap *= 2;
  return cap;
}

/** 32-bit mix of two hashes into a table index. */
const slotOf = (h1: number, h2: number, mask: number): number => {
  let h = Math.imul(h1 ^ Math.imul(h2, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  return h & mask;
};

/**
 * Reusable scratch hash table (slots hold an item index + 1, 0 = empty). It only grows; each use clears
 * and probes just the first `capacityFor(items)` slots, so a small document after a large one stays cheap.
 */
class ScratchTable {
  slots = new Int32Array(0);
  keys1 = new Int32Array(0);
  keys2 = new Int32Array(0);
  counts = new Int32Array(0);
  mask = 0;
  prepare(items: number): this {
    const cap = capacityFor(items);
    if (this.slots.length < cap) {
      this.slots = new Int32Array(cap);
      this.keys1 = new Int32Array(cap);
      this.keys2 = new Int32Array(cap);
      this.counts = new Int32Array(cap);
    } else {
      this.slots.fill(0, 0, cap);
    }
    this.mask = cap - 1;
    return this;
  }
}

let scratch: ScratchTable | undefined;
const tableFor = (items: number): ScratchTable => (scratch ??= new ScratchTable()).prepare(items);

// Powers of the bases by exponent (UTF-16 length), grown on demand up to POW_TABLE_MAX entries; longer
// exponents (spans or windows longer than that) are computed by squaring.
const POW_TABLE_MAX = 1 << 20;
let pow1Table = new Int32Array(0);
let pow2Table = new Int32Array(0);

function growPowers(upTo: number): void {
  const size = Math.min(POW_TABLE_MAX, upTo + 1);
  if (pow1Table.length >= size) return;
  let cap = Math.max(1024, pow1Table.length);
  while (cap < size) cap *= 2;
  cap = Math.min(cap, POW_TABLE_MAX);
  const p1 = new Int32Array(cap);
  const p2 = new Int32Array(cap);
  p1[0] = 1;
  p2[0] = 1;
  for (let x = 1; x < cap; x++) {
    p1[x] = modP(p1[x - 1]! * B1);
    p2[x] = Math.imul(p2[x - 1]!, B2);
  }
  pow1Table = p1;
  pow2Table = p2;
}

/** `B1^x mod P1`. */
function pow1(x: number): number {
  if (x < pow1Table.length) return pow1Table[x]!;
  let r = 1;
  let b = B1;
  for (let e = x; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = modP(r * b);
    b = modP(b * b);
  }
  return r;
}

/** `B2^x mod 2^32`. */
function pow2(x: number): number {
  if (x < pow2Table.length) return pow2Table[x]!;
  let r = 1;
  let b = B2;
  for (let e = x; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
  }
  return r;
}

/** Prefix hashes of a whole text: `h1[i]`, `h2[i]` hash `text[0:i]` (UTF-16 units). */
export interface TextHash {
  readonly h1: Int32Array;
  readonly h2: Int32Array;
}

/** One pass over the text; afterwards any span's hash is O(1) ({@link spanHash1}, {@link spanHash2}). */
export function buildTextHash(text: string): TextHash {
  const n = text.length;
  const h1 = new Int32Array(n + 1);
  const h2 = new Int32Array(n + 1);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    a = modP(a * B1 + c);
    b = (Math.imul(b, B2) + c) | 0;
    h1[i + 1] = a;
    h2[i + 1] = b;
  }
  return { h1, h2 };
}

/** Hash modulo P1 of `text[s:e]`. */
function spanHash1(th: TextHash, s: number, e: number): number {
  const r = th.h1[e]! - modP(th.h1[s]! * pow1(e - s));
  return r < 0 ? r + P1 : r;
}

/** Hash modulo 2^32 of `text[s:e]`. */
function spanHash2(th: TextHash, s: number, e: number): number {
  return (th.h2[e]! - Math.imul(th.h2[s]!, pow2(e - s))) | 0;
}

/**
 * datatrove `find_duplicates` over spans of `text`: how many spans equal an earlier span, and how many
 * code points those repeated spans hold.
 * @param spans - interleaved `[start, end)` UTF-16 pairs
 */
export function findDuplicates(text: string, spans: Uint32Array, surrogates: boolean, th: TextHash): { count: number; chars: number } {
  const n = spans.length >> 1;
  let longest = 0;
  for (let k = 0; k < n; k++) longest = Math.max(longest, spans[2 * k + 1]! - spans[2 * k]!);
  growPowers(longest);
  const tab = tableFor(n);
  const { slots, keys1, keys2, mask } = tab;
  let count = 0;
  let chars = 0;
  for (let k = 0; k < n; k++) {
    const s = spans[2 * k]!;
    const e = spans[2 * k + 1]!;
    const h1 = spanHash1(th, s, e);
    const h2 = spanHash2(th, s, e);
    let slot = slotOf(h1, h2, mask);
    for (;;) {
      const v = slots[slot]!;
      if (v === 0) {
        slots[slot] = k + 1;
        keys1[slot] = h1;
        keys2[slot] = h2;
        break;
      }
      if (keys1[slot] === h1 && keys2[slot] === h2) {
        const o = v - 1;
        if (rangesEqual(text, spans[2 * o]!, spans[2 * o + 1]!, text, s, e)) {
          count++;
          chars += surrogates ? cpLength(text, s, e) : e - s;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return { count, chars };
}

/** Word spans with prefix hashes of their joined text, for n-gram counting. */
export interface WordTable {
  readonly text: string;
  /** Interleaved `[start, end)` UTF-16 pairs of the words. */
  readonly spans: Uint32Array;
  readonly count: number;
  /** Prefix sums of word lengths in code points (`count + 1` entries). */
  readonly cpPrefix: Float64Array;
  /** Prefix sums of word lengths in UTF-16 units. */
  readonly unitPrefix: Float64Array;
  /** `ph1[k]`: hash modulo P1 of `"".join(words[:k])`; `ph2[k]`: the same modulo 2^32. */
  readonly ph1: Int32Array;
  readonly ph2: Int32Array;
  /** `pt1[k]`, `pt2[k]`: the same for `"".join(w + " " for w in words[:k])`. */
  readonly pt1: Int32Array;
  readonly pt2: Int32Array;
  /** True when some word contains U+0020 (then `" ".join` is not injective and is compared as text). */
  readonly wordsHaveSpace: boolean;
}

/** Builds the {@link WordTable} of word spans: O(1) per word from the text's prefix hashes. */
export function buildWordTable(text: string, spans: Uint32Array, surrogates: boolean, th: TextHash): WordTable {
  const count = spans.length >> 1;
  const cpPrefix = new Float64Array(count + 1);
  const unitPrefix = new Float64Array(count + 1);
  const ph1 = new Int32Array(count + 1);
  const ph2 = new Int32Array(count + 1);
  const pt1 = new Int32Array(count + 1);
  const pt2 = new Int32Array(count + 1);
  let maxWord = 0;
  for (let k = 0; k < count; k++) maxWord = Math.max(maxWord, spans[2 * k + 1]! - spans[2 * k]!);
  growPowers(maxWord + 1);
  let wordsHaveSpace = false;
  let a = 0; // running hashes of the "" stream
  let b = 0;
  for (let k = 0; k < count; k++) {
    const s = spans[2 * k]!;
    const e = spans[2 * k + 1]!;
    const len = e - s;
    const wa = spanHash1(th, s, e);
    const wb = spanHash2(th, s, e);
    a = modP(a * pow1(len) + wa);
    b = (Math.imul(b, pow2(len)) + wb) | 0;
    ph1[k + 1] = a;
    ph2[k + 1] = b;
    pt1[k + 1] = modP(modP(pt1[k]! * pow1(len + 1)) + wa * B1 + SPACE);
    pt2[k + 1] = (Math.imul(pt2[k]!, pow2(len + 1)) + Math.imul(wb, B2) + SPACE) | 0;
    unitPrefix[k + 1] = unitPrefix[k]! + len;
    cpPrefix[k + 1] = cpPrefix[k]! + (surrogates ? cpLength(text, s, e) : len);
  }
  // " ".join is injective only if no word contains a space (never true for the two tokenizers; checked).
  // Two-pointer walk over the spaces and the (sorted, disjoint) word spans: linear.
  let w = 0;
  for (let i = text.indexOf(' '); i !== -1 && w < count; i = text.indexOf(' ', i + 1)) {
    while (w < count && spans[2 * w + 1]! <= i) w++;
    if (w < count && spans[2 * w]! <= i) {
      wordsHaveSpace = true;
      break;
    }
  }
  return { text, spans, count, cpPrefix, unitPrefix, ph1, ph2, pt1, pt2, wordsHaveSpace };
}

/**
 * True when the joined windows starting at words `i` and `j` (each `n` words, joined with a space when
 * `sep`, else with nothing) are the same text. Callers check the joined lengths first.
 */
function windowsEqual(t: WordTable, i: number, j: number, n: number, sep: boolean): boolean {
  if (i === j) return true;
  const { text, spans } = t;
  // Fast path: word-by-word equality implies equality of the joined text.
  let same = true;
  for (let k = 0; k < n && same; k++) {
    same = rangesEqual(text, spans[2 * (i + k)]!, spans[2 * (i + k) + 1]!, text, spans[2 * (j + k)]!, spans[2 * (j + k) + 1]!);
  }
  if (same) return true;
  // Different words: the joined text can still match with "" joins, or with " " joins of words
  // that contain spaces. Compare the virtual joined streams unit by unit.
  if (sep && !t.wordsHaveSpace) return false;
  const total = t.unitPrefix[i + n]! - t.unitPrefix[i]! + (sep ? n - 1 : 0);
  let wa = i;
  let pa = spans[2 * i]!;
  let wb = j;
  let pb = spans[2 * j]!;
  for (let u = 0; u < total; u++) {
    let ca: number;
    let cb: number;
    if (pa === spans[2 * wa + 1]) {
      wa++;
      pa = spans[2 * wa]!;
      ca = sep ? SPACE : text.charCodeAt(pa++);
    } else ca = text.charCodeAt(pa++);
    if (pb === spans[2 * wb + 1]) {
      wb++;
      pb = spans[2 * wb]!;
      cb = sep ? SPACE : text.charCodeAt(pb++);
    } else cb = text.charCodeAt(pb++);
    if (ca !== cb) return false;
  }
  return true;
}

/**
 * Finds the slot of window `i`: returns the slot when the window was seen before, or `~slot` (negative)
 * after inserting it as new. The window hash comes from the prefix hashes in O(1):
 * `H(i..j) = H(0..j) - H(0..i) * B^units(i..j)`.
 */
function lookup(t: WordTable, tab: ScratchTable, i: number, n: number, sep: boolean): number {
  const j = i + n;
  const units = t.unitPrefix[j]! - t.unitPrefix[i]!;
  const span = sep ? units + n : units;
  const p1 = sep ? t.pt1 : t.ph1;
  const p2 = sep ? t.pt2 : t.ph2;
  let a = p1[j]! - modP(p1[i]! * pow1(span));
  if (a < 0) a += P1;
  const b = (p2[j]! - Math.imul(p2[i]!, pow2(span))) | 0;
  let slot = slotOf(a, b, tab.mask);
  for (;;) {
    const v = tab.slots[slot]!;
    if (v === 0) {
      tab.slots[slot] = i + 1;
      tab.keys1[slot] = a;
      tab.keys2[slot] = b;
      tab.counts[slot] = 1;
      return ~slot;
    }
    if (tab.keys1[slot] === a && tab.keys2[slot] === b) {
      const o = v - 1;
      if (t.unitPrefix[o + n]! - t.unitPrefix[o]! === units && windowsEqual(t, o, i, n, sep)) return slot;
    }
    slot = (slot + 1) & tab.mask;
  }
}

/** Grows the power tables to cover every window of `n` words (bounded by {@link POW_TABLE_MAX}). */
function preparePowers(t: WordTable, n: number): void {
  let max = 0;
  for (let i = 0; i + n <= t.count; i++) max = Math.max(max, t.unitPrefix[i + n]! - t.unitPrefix[i]!);
  growPowers(max + n);
}

/**
 * datatrove `find_top_duplicate(get_n_grams(words, n))`: `len(g) * count` for the most common
 * `" ".join` n-gram `g` (code points); among equal counts the n-gram seen first wins (Python's
 * `Counter.most_common(1)`). `null` when there are fewer than `n` words.
 */
export function topNgramChars(t: WordTable, n: number): number | null {
  const windows = t.count - n + 1;
  if (windows <= 0) return null;
  preparePowers(t, n);
  const tab = tableFor(windows);
  let bestCount = 0;
  let bestFirst = 0;
  for (let i = 0; i < windows; i++) {
    const found = lookup(t, tab, i, n, true);
    const slot = found < 0 ? ~found : found;
    const c = found < 0 ? 1 : ++tab.counts[slot]!;
    const first = tab.slots[slot]! - 1;
    if (c > bestCount || (c === bestCount && first < bestFirst)) {
      bestCount = c;
      bestFirst = first;
    }
  }
  const gramChars = t.cpPrefix[bestFirst + n]! - t.cpPrefix[bestFirst]! + (n - 1);
  return gramChars * bestCount;
}

/**
 * datatrove `find_all_duplicate(words, n)`: walks the `"".join` n-grams left to right; a window seen
 * before adds its length (code points) and jumps `n` words ahead, a new window is remembered and the
 * walk moves one word. So overlapping repeats are not counted twice.
 */
export function duplicatedNgramChars(t: WordTable, n: number): number {
  const windows = t.count - n + 1;
  if (windows <= 0) return 0;
  preparePowers(t, n);
  const tab = tableFor(windows);
  let repeated = 0;
  let i = 0;
  while (i < windows) {
    if (lookup(t, tab, i, n, false) < 0) i += 1;
    else {
      repeated += t.cpPrefix[i + n]! - t.cpPrefix[i]!;
      i += n;
    }
  }
  return repeated;
}
