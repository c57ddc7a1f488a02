/**
 * Turns documents into one string of integer units for the suffix array: token ids (unit `'word'`,
 * the tokenization of `words()`) or code points (unit `'char'`), densely renumbered, with a unique
 * sentinel id after each document so that no match crosses a document boundary.
 * Internal module, not public API.
 */

/** A tokenizer: `[start, end)` UTF-16 pairs of the words of `text`, flattened. */
export type SpanTokenizer = (text: string) => Uint32Array;
/** A normalizer applied to each unit on its own (a token, or one code point). */
export type UnitNormalizer = (unit: string) => string;

export interface UnitString {
  /** The documents' texts, in input order. */
  readonly texts: readonly string[];
  /** Units of all documents; document `d` is `ids[base[d], base[d + 1] - 1)`, then its sentinel. */
  readonly ids: Uint32Array;
  /** Distinct ids, sentinels included: every id is `< alphabetSize`. */
  readonly alphabetSize: number;
  /** `base[d]` is the first unit of document `d`; `base[texts.length]` is `ids.length`. */
  readonly base: Uint32Array;
  /** UTF-16 start of each unit in its document's text (sentinel slots hold the text length). */
  readonly starts: Uint32Array;
  /** UTF-16 end of each unit in its document's text. */
  readonly ends: Uint32Array;
}

/**
 * Interns substrings of the documents without allocating a string per token: an open-addressing table
 * keyed by the characters, compared in place against the first occurrence of each distinct token.
 */
class TokenTable {
  private slots: Int32Array = new Int32Array(1024); // id + 1, 0 = empty
  private mask = 1023;
  private hashes = new Int32Array(256);
  private repDoc = new Uint32Array(256);
  private repStart = new Uint32Array(256);
  private repLen = new Uint32Array(256);
  size = 0;

  constructor(private readonly texts: readonly string[]) {}

  /** The id of `texts[doc].slice(start, end)`, assigning the next id to a new token. */
  intern(doc: number, start: number, end: number): number {
    const text = this.texts[doc]!;
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    const len = end - start;
    let slot = h & this.mask;
    for (;;) {
      const v = this.slots[slot]!;
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === h && this.repLen[id] === len) {
        const other = this.texts[this.repDoc[id]!]!;
        const os = this.repStart[id]! - start;
        let i = start;
        while (i < end && other.charCodeAt(i + os) === text.charCodeAt(i)) i++;
        if (i === end) return id;
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.size++;
    if (id === this.hashes.length) this.growRecords();
    this.hashes[id] = h;
    this.repDoc[id] = doc;
    this.repStart[id] = start;
    this.repLen[id] = len;
    this.slots[slot] = id + 1;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  /** The text of token `id`. */
  token(id: number): string {
    const s = this.repStart[id]!;
    return this.texts[this.repDoc[id]!]!.slice(s, s + this.repLen[id]!);
  }

  private growRecords(): void {
    const cap = this.hashes.length * 2;
    const grow = <T extends Int32Array | Uint32Array>(a: T, make: (n: number) => T): T => { const b = make(cap); b.set(a); return b; };
    this.hashes = grow(this.hashes, (n) => new Int32Array(n));
    this.repDoc = grow(this.repDoc, (n) => new Uint32Array(n));
    this.repStart = grow(this.repStart, (n) => new Uint32Array(n));
    this.repLen = grow(this.repLen, (n) => new Uint32Array(n));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Renumbers raw ids through a normalizer: raw id → id of the normalized string, computed once per raw id. */
class NormalizedIds {
  private readonly byText = new Map<string, number>();
  private map = new Int32Array(256).fill(-1);

  constructor(private readonly normalizer: UnitNormalizer) {}

  /** The normalized id of raw id `raw`, whose text `textOf(raw)` is read only the first time. */
  get(raw: number, textOf: (raw: number) => string): number {
    if (raw >= this.map.length) {
      let cap = this.map.length * 2;
      while (cap <= raw) cap *= 2;
      const next = new Int32Array(cap).fill(-1);
      next.set(this.map);
      this.map = next;
    }
    let id = this.map[raw]!;
    if (id < 0) {
      const key = this.normalizer(textOf(raw));
      id = this.byText.get(key) ?? this.byText.size;
      if (id === this.byText.size) this.byText.set(key, id);
      this.map[raw] = id;
    }
    return id;
  }

  get size(): number { return this.byText.size; }
}

/** Parallel arrays of units, allocated once at an upper bound of their length. */
class UnitBuffer {
  readonly ids: Uint32Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.ids = new Uint32Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
  }

  push(id: number, start: number, end: number): void {
    const i = this.length++;
    this.ids[i] = id;
    this.starts[i] = start;
    this.ends[i] = end;
  }
}

/** Finishes a buffer: sentinel ids `vocabulary + d` after each document; views trimmed to length (no copy). */
function finish(texts: readonly string[], buf: UnitBuffer, base: Uint32Array, vocabulary: number): UnitString {
  for (let d = 0; d < texts.length; d++) buf.ids[base[d + 1]! - 1] = vocabulary + d;
  const n = buf.length;
  return {
    texts,
    ids: buf.ids.subarray(0, n),
    alphabetSize: Math.max(1, vocabulary + texts.length),
    base,
    starts: buf.starts.subarray(0, n),
    ends: buf.ends.subarray(0, n),
  };
}

/** Token units: each `[start, end)` pair from `tokenize` becomes one unit. */
export function tokenUnits(texts: readonly string[], tokenize: SpanTokenizer, normalizer?: UnitNormalizer): UnitString {
  const table = new TokenTable(texts);
  const norm = normalizer ? new NormalizedIds(normalizer) : undefined;
  const textOf = (raw: number): string => table.token(raw);
  // Tokenize everything first so the unit arrays are allocated once, at their exact length.
  const allSpans: (Uint32Array | undefined)[] = [];
  let total = 0;
  for (const text of texts) {
    const spans = tokenize(text);
    allSpans.push(spans);
    total += (spans.length >> 1) + 1;
  }
  const buf = new UnitBuffer(total);
  const base = new Uint32Array(texts.length + 1);
  for (let d = 0; d < texts.length; d++) {
    const text = texts[d]!;
    const spans = allSpans[d]!;
    allSpans[d] = undefined; // let it go
    base[d] = buf.length;
    for (let i = 0; i + 1 < spans.length; i += 2) {
      const s = spans[i]!;
      const e = spans[i + 1]!;
      const raw = table.intern(d, s, e);
      buf.push(norm ? norm.get(raw, textOf) : raw, s, e);
    }
    buf.push(0, text.length, text.length); // sentinel slot; id set in finish()
  }
  base[texts.length] = buf.length;
  return finish(texts, buf, base, norm ? norm.size : table.size);
}

/** Code point units: a surrogate pair is one unit two code units long; a lone surrogate is one unit. */
export function charUnits(texts: readonly string[], normalizer?: UnitNormalizer): UnitString {
  const bmp = new Int32Array(0x10000).fill(-1);
  const astral = new Map<number, number>();
  const cps: number[] = [];
  const norm = normalizer ? new NormalizedIds(normalizer) : undefined;
  const textOf = (raw: number): string => String.fromCodePoint(cps[raw]!);
  let total = 0;
  for (const text of texts) total += text.length + 1;
  const buf = new UnitBuffer(total); // at most one unit per code unit, plus the sentinels
  const base = new Uint32Array(texts.length + 1);
  for (let d = 0; d < texts.length; d++) {
    const text = texts[d]!;
    const len = text.length;
    base[d] = buf.length;
    for (let i = 0; i < len; ) {
      const c = text.charCodeAt(i);
      let raw: number;
      let next = i + 1;
      if (c >= 0xd800 && c <= 0xdbff && next < len) {
        const lo = text.charCodeAt(next);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          const cp = ((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
          next++;
          raw = astral.get(cp) ?? -1;
          if (raw < 0) { raw = cps.length; cps.push(cp); astral.set(cp, raw); }
        } else raw = -1;
      } else raw = -1;
      if (next === i + 1) {
        raw = bmp[c]!;
        if (raw < 0) { raw = cps.length; cps.push(c); bmp[c] = raw; }
      }
      buf.push(norm ? norm.get(raw, textOf) : raw, i, next);
      i = next;
    }
    buf.push(0, len, len);
  }
  base[texts.length] = buf.length;
  return finish(texts, buf, base, norm ? norm.size : cps.length);
}
