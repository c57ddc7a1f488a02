import { xxh32 } from '../hash/xxh32';
import type { DocId } from '../dedup/detector';
import type { PreparedDocument } from '../dedup/prepare';
import { packSketch, sketchBytes } from '../dedup/kept-store';
import { bandKey } from '../lsh/band-key';
import { isEmptySignature } from '../minhash/types';

/**
 * The bytes one document keeps on the server, and the arguments that address it. A record is what verification
 * needs and what `remove` needs to find every entry the document made, little-endian:
 *
 * | offset | bytes | field |
 * | --- | --- | --- |
 * | 0 | 1 | flags: 1 = empty normalized text, 2 = normalized text follows, 4 = MinHash sketch follows |
 * | 1 | 8 | exact key: xxh64 of the normalized text, high then low 32 bits |
 * | 9 | 2 | b, number of band entries (0 for an empty text or shingle set, and for method `'exact'`) |
 * | 11 | 5·b | per band: band number (1 byte), band key (4 bytes, `bandKey` of the signature rows) |
 * | | 2 + n | encoded id (UTF-8): `n` + the number, or `s` + the string |
 * | | 8 | length of the original text (UTF-16 units), float64 |
 * | | 4 + 4·k | k shingle hashes (sorted uint32): the exact Jaccard verification |
 * | | 4 + m | the normalized text (UTF-8), only when it is short enough for `editRatio` verification |
 * | | ⌈p/2⌉ | the low 4 bits of each of the p MinHash values, two to a byte, value 2i in the low half (method `'minhash'` with verification, non-empty text) |
 *
 * So a record costs 33 + 5·b + |id| + 4·k + ⌈p/2⌉ bytes: at 128 permutations (13 bands) a document of 200 word
 * 5-grams with a 10-byte id takes 972 bytes. The sketch is what the in-memory detector's `KeptStore` keeps: the
 * client ranks candidates by MinHash agreement with it, exactly as in memory (`verdict.ts`). Without
 * verification the full signature is recomputed from the shingles when needed.
 * @internal
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The id as stored: one string that keeps numbers and strings apart (`n12`, `s12`). @internal */
export function encodeId(id: DocId): string {
  return typeof id === 'number' ? `n${String(id)}` : `s${id}`;
}

/** Inverse of {@link encodeId}. @internal */
export function decodeId(encoded: string): DocId {
  return encoded[0] === 'n' ? Number(encoded.slice(1)) : encoded.slice(1);
}

/** The small hash (of `buckets`) holding an id's entry. @internal */
export function idBucket(encoded: string, buckets: number): number {
  return (xxh32(encoded) >>> 16) % buckets;
}

/** The 8 exact-key bytes of a document. @internal */
export function exactKey(doc: PreparedDocument): Uint8Array {
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, doc.keyHi, true);
  v.setUint32(4, doc.keyLo, true);
  return out;
}

/** Whether a document's band entries are stored (not for an empty text or shingle set, nor without a signature). */
function bucketed(doc: PreparedDocument): boolean {
  const sig = doc.signature;
  return !doc.empty && sig !== null && !isEmptySignature(sig);
}

/**
 * Encodes a record (see the table above), its band entries computed from the signature's rows (`bands` × `rows`,
 * 0 bands for method `'exact'`). Its exact key is `subarray(1, 9)` and its band entries `subarray(11, 11 + 5·b)`:
 * the script reads them there. @internal
 */
export function encodeRecord(id: string, doc: PreparedDocument, bands: number, rows: number, sketch: boolean): Uint8Array {
  const idBytes = encoder.encode(id);
  const norm = doc.normalized !== null ? encoder.encode(doc.normalized) : null;
  const sig = sketch && !doc.empty ? doc.signature : null;
  const b = bands > 0 && bucketed(doc) ? bands : 0;
  const size = 11 + 5 * b + 2 + idBytes.length + 8 + 4 + 4 * doc.shingles.length + (norm ? 4 + norm.length : 0) +
    (sig ? sketchBytes(sig.length) : 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = (doc.empty ? 1 : 0) | (norm ? 2 : 0) | (sig ? 4 : 0);
  v.setUint32(1, doc.keyHi, true);
  v.setUint32(5, doc.keyLo, true);
  v.setUint16(9, b, true);
  const signature = doc.signature!;
  for (let k = 0; k < b; k++) {
    out[11 + 5 * k] = k;
    v.setInt32(12 + 5 * k, bandKey(signature, k * rows, rows, k), true);
  }
  let at = 11 + 5 * b;
  v.setUint16(at, idBytes.length, true);
  out.set(idBytes, at + 2);
  at += 2 + idBytes.length;
  v.setFloat64(at, doc.length, true);
  v.setUint32(at + 8, doc.shingles.length, true);
  at += 12;
  for (let i = 0; i < doc.shingles.length; i++, at += 4) v.setUint32(at, doc.shingles[i]!, true);
  if (norm) {
    v.setUint32(at, norm.length, true);
    out.set(norm, at + 4);
    at += 4 + norm.length;
  }
  if (sig) packSketch(sig, out, at); // the KeptStore's sketch: two values to a byte
  return out;
}

/** A decoded record: the id and the parts of a prepared document that verification reads. @internal */
export interface DecodedRecord {
  id: DocId;
  empty: boolean;
  keyHi: number;
  keyLo: number;
  length: number;
  shingles: Uint32Array;
  normalized: string | null;
  /** The band entries (band byte + 4-byte band key each), a view into the record. */
  parts: Uint8Array;
  /** The 4-bit sketch of the MinHash values, two to a byte (see the table), or null. */
  sketch: Uint8Array | null;
}

/**
 * Decodes a record written by {@link encodeRecord} for an index of `numPerm` permutations; throws a RangeError
 * naming `what` if it is malformed. @internal
 */
export function decodeRecord(bytes: Uint8Array, what: string, numPerm: number): DecodedRecord {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const flags = bytes[0]!;
    const keyHi = v.getUint32(1, true);
    const keyLo = v.getUint32(5, true);
    let at = 11 + 5 * v.getUint16(9, true);
    const parts = bytes.subarray(11, at);
    const idLength = v.getUint16(at, true);
    const id = decodeId(decoder.decode(bytes.subarray(at + 2, at + 2 + idLength)));
    at += 2 + idLength;
    const length = v.getFloat64(at, true);
    const count = v.getUint32(at + 8, true);
    at += 12;
    const shingles = new Uint32Array(count);
    for (let i = 0; i < count; i++, at += 4) shingles[i] = v.getUint32(at, true);
    let normalized: string | null = null;
    if (flags & 2) {
      const n = v.getUint32(at, true);
      if (at + 4 + n > bytes.length) throw new RangeError('truncated');
      normalized = decoder.decode(bytes.subarray(at + 4, at + 4 + n));
      at += 4 + n;
    }
    let sketch: Uint8Array | null = null;
    if (flags & 4) {
      const n = sketchBytes(numPerm);
      if (at + n > bytes.length) throw new RangeError('truncated');
      sketch = bytes.subarray(at, at + n);
      at += n;
    }
    if (at !== bytes.length) throw new RangeError('trailing bytes');
    return { id, empty: (flags & 1) !== 0, keyHi, keyLo, length, shingles, normalized, parts, sketch };
  } catch (err) {
    throw new RangeError(`${what}: a stored document record is malformed (${(err as Error).message})`);
  }
}
