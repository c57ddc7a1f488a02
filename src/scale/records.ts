/**
 * Record formats of a staged run (all little-endian):
 *
 * - docs (`ScaleDocs`, variable): per valid record, in shard order, what verification and the outputs need —
 *   line u32, flags u32 (1 empty, 2 id, 4 normalized text, 8 signature), length u32 (UTF-16 units), keyHi u32,
 *   keyLo u32, shingle count u32, the shingles, the signature (numPerm u32), then the id (u32 byte length + its
 *   canonical JSON text) and the normalized text (same) when flagged.
 * - doc index (`ScaleDocIndex`, 24 B): payload offset of the doc record (lo, hi u32), its byte length u32, the
 *   text's length in UTF-16 units u32 and the exact key (hi, lo u32): random access by ordinal, the lengths the
 *   `'longest'` rule needs, and the keys that let the pairs stage skip exact copies without reading them.
 * - band runs (`ScaleBand`, 16 B): 64-bit band hash (hi, lo), shard, ordinal; sorted by all four as unsigned.
 * - edges (`ScaleEdges`, 16 B): shard, ordinal of one end, shard, ordinal of the other.
 * - removals (`ScaleRemove`, 12 B): ordinal, shard and ordinal of the kept document of its cluster; by ordinal.
 * - invalid (`ScaleInvalid`, 4 B): ordinals refused as repeated ids, sorted.
 * Internal module, not public API.
 */
import type { PreparedDocument } from '../dedup/prepare';

/** Words per fixed-width record. */
export const BAND_WORDS = 4;
export const EDGE_WORDS = 4;
export const INDEX_WORDS = 6;
export const REMOVE_WORDS = 3;

/** A doc record read back: a prepared document plus where it came from. */
export interface StoredDoc {
  readonly line: number;
  /** The record's id as canonical JSON text, or null when it has none. */
  readonly id: string | null;
  readonly doc: PreparedDocument;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes one doc record. */
export function encodeDoc(line: number, id: string | null, d: PreparedDocument): Uint8Array {
  const idBytes = id === null ? null : utf8.encode(id);
  const norm = d.normalized === null ? null : utf8.encode(d.normalized);
  const sig = d.signature;
  const size = 24 + 4 * d.shingles.length + (sig ? 4 * sig.length : 0) + (idBytes ? 4 + idBytes.length : 0) + (norm ? 4 + norm.length : 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  const flags = (d.empty ? 1 : 0) | (idBytes ? 2 : 0) | (norm ? 4 : 0) | (sig ? 8 : 0);
  v.setUint32(0, line, true);
  v.setUint32(4, flags, true);
  v.setUint32(8, d.length, true);
  v.setUint32(12, d.keyHi, true);
  v.setUint32(16, d.keyLo, true);
  v.setUint32(20, d.shingles.length, true);
  let at = 24;
  if (LITTLE_ENDIAN) {
    // The record starts at offset 0 of a fresh buffer, so every word is 4-byte aligned: copy the arrays whole.
    const words = new Uint32Array(out.buffer, 0, size >>> 2);
    words.set(d.shingles, at >>> 2);
    at += 4 * d.shingles.length;
    if (sig) {
      words.set(sig, at >>> 2);
      at += 4 * sig.length;
    }
  } else {
    for (let i = 0; i < d.shingles.length; i++, at += 4) v.setUint32(at, d.shingles[i]!, true);
    if (sig) for (let i = 0; i < sig.length; i++, at += 4) v.setUint32(at, sig[i]!, true);
  }
  for (const b of [idBytes, norm]) {
    if (!b) continue;
    v.setUint32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  return out;
}

/** Decodes a doc record written by {@link encodeDoc} for options with `numPerm` and `optionsHash`. */
export function decodeDoc(bytes: Uint8Array, numPerm: number, optionsHash: number): StoredDoc {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = v.getUint32(4, true);
  const count = v.getUint32(20, true);
  let at = 24;
  const aligned = LITTLE_ENDIAN && bytes.byteOffset % 4 === 0;
  const words = (n: number): Uint32Array => {
    const out = new Uint32Array(n);
    if (aligned) out.set(new Uint32Array(bytes.buffer, bytes.byteOffset + at, n));
    else for (let i = 0; i < n; i++) out[i] = v.getUint32(at + 4 * i, true);
    at += 4 * n;
    return out;
  };
  const shingles = words(count);
  const signature = flags & 8 ? words(numPerm) : null;
  const text = (): string => {
    const n = v.getUint32(at, true);
    const s = utf8Decoder.decode(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
    return s;
  };
  const id = flags & 2 ? text() : null;
  const normalized = flags & 4 ? text() : null;
  return {
    line: v.getUint32(0, true),
    id,
    doc: {
      length: v.getUint32(8, true), empty: (flags & 1) !== 0, keyHi: v.getUint32(12, true), keyLo: v.getUint32(16, true),
      optionsHash, shingles, signature, fingerprint: null, normalized,
    },
  };
}

/** Byte length of the doc record starting at `bytes[0]` once its first 24 bytes are known (needs the whole record for the id/normalized lengths). */
export function docRecordLength(bytes: Uint8Array, numPerm: number): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = v.getUint32(4, true);
  let at = 24 + 4 * v.getUint32(20, true) + (flags & 8 ? 4 * numPerm : 0);
  if (flags & 2) at += 4 + v.getUint32(at, true);
  if (flags & 4) at += 4 + v.getUint32(at, true);
  return at;
}

/** Compares fixed-width records `a[i…]` and `b[j…]` word by word as unsigned integers. */
export function compareRecords(a: Uint32Array, i: number, b: Uint32Array, j: number, words: number): number {
  for (let k = 0; k < words; k++) {
    const x = a[i + k]!;
    const y = b[j + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Bits per radix digit: 2¹¹ counters fit the L1 cache, and 32 bits take three passes. */
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * Sorts `count` records of 4 words by all four words as unsigned integers (the order of {@link compareRecords});
 * returns a new array. A stable least-significant-digit radix sort: three 11-bit passes per word, a pass skipped
 * when every record has the same digit. Runs from the sign stage are already in (shard, ordinal) order (one shard,
 * ordinals appended in order), so only the hash words are sorted then: six passes, no comparator.
 */
export function sortRecords4(words: Uint32Array, count: number): Uint32Array {
  let src = words.slice(0, 4 * count);
  let dst = new Uint32Array(4 * count);
  let tailSorted = true;
  for (let i = 4; i < 4 * count && tailSorted; i += 4) {
    if (src[i + 2]! < src[i - 2]! || (src[i + 2] === src[i - 2] && src[i + 3]! < src[i - 1]!)) tailSorted = false;
  }
  const counts = new Uint32Array(DIGIT_MASK + 1);
  for (const word of tailSorted ? [1, 0] : [3, 2, 1, 0]) {
    for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
      counts.fill(0);
      for (let i = word; i < 4 * count; i += 4) counts[(src[i]! >>> shift) & DIGIT_MASK]!++;
      if (count === 0 || counts[(src[word]! >>> shift) & DIGIT_MASK] === count) continue;
      let sum = 0;
      for (let d = 0; d <= DIGIT_MASK; d++) {
        const c = counts[d]!;
        counts[d] = sum;
        sum += c;
      }
      for (let i = 0; i < 4 * count; i += 4) {
        const at = 4 * counts[(src[i + word]! >>> shift) & DIGIT_MASK]!++;
        dst[at] = src[i]!;
        dst[at + 1] = src[i + 1]!;
        dst[at + 2] = src[i + 2]!;
        dst[at + 3] = src[i + 3]!;
      }
      [src, dst] = [dst, src];
    }
  }
  return src;
}

/** Little-endian bytes of a Uint32Array (a copy on big-endian hosts, a view elsewhere). */
export function wordsToBytes(words: Uint32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) v.setUint32(4 * i, words[i]!, true);
  return out;
}

/** Words from little-endian bytes (length a multiple of 4). */
export function bytesToWords(bytes: Uint8Array): Uint32Array {
  const n = bytes.length >>> 2;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  const out = new Uint32Array(n);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = v.getUint32(4 * i, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
