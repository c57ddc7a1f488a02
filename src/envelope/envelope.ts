/**
 * The one serialization envelope every persisted structure uses (LSH index, detectors, dedup stores):
 *
 * ```
 * offset  size  field
 * 0       4     magic "NDUP"
 * 4       2     format version (u16, little-endian)
 * 6       2     kind (u16): which structure this is
 * 8       4     payload length in bytes (u32)
 * 12      n     payload (the structure's own little-endian fields)
 * 12+n    4     xxh32 (seed 0) of bytes [0, 12+n)
 * ```
 *
 * Payloads are written and read with `ByteWriter` / `ByteReader` (src/internal/bytes.ts); this module frames
 * them. {@link openEnvelope} refuses anything else with an `Error` that says what was expected and what was found.
 * Internal module, not public API.
 */
import { xxh32 } from '../hash/xxh32';
import { ByteReader, type ByteWriter } from '../internal/bytes';

const MAGIC = [0x4e, 0x44, 0x55, 0x50]; // "NDUP"
const HEADER = 12;

/** Kinds of serialized structure. Never renumber: the number is part of the format. */
export const Kind = {
  LshIndex: 1,
  SimHashIndex: 2,
  ParagraphDeduplicator: 3,
  NearDuplicateDetector: 4,
  BloomFilter: 5,
  MinHashSignature: 6,
  ContainmentIndex: 7,
  /** Staged run files (`src/scale/`): per-document records, their fixed-width index, band runs, edges, removals. */
  ScaleDocs: 8,
  ScaleDocIndex: 9,
  ScaleBand: 10,
  ScaleEdges: 11,
  ScaleRemove: 12,
  ScaleInvalid: 13,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

/** The name of a kind code (for messages). */
export const kindName = (k: number): string =>
  Object.entries(Kind).find(([, v]) => v === k)?.[0] ?? `unknown kind ${k}`;

/** Wraps a payload in the envelope: header, payload, checksum. */
export function sealEnvelope(kind: KindCode, version: number, payload: ByteWriter): Uint8Array {
  const body = payload.toBytes();
  const out = new Uint8Array(HEADER + body.length + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(4, version, true);
  view.setUint16(6, kind, true);
  view.setUint32(8, body.length, true);
  out.set(body, HEADER);
  view.setUint32(HEADER + body.length, xxh32(out.subarray(0, HEADER + body.length)), true);
  return out;
}

/**
 * Checks the envelope (type, magic, kind, version, length, checksum) and returns a reader over the payload.
 * @param what - the caller's name for error messages, e.g. `"LshIndex.fromBytes"`
 */
export function openEnvelope(bytes: unknown, kind: KindCode, version: number, what: string): ByteReader {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what}: expected a Uint8Array`);
  if (bytes.length < HEADER + 4) {
    throw new RangeError(`${what}: ${bytes.length} bytes is too short for a neardup buffer (at least ${HEADER + 4})`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new RangeError(`${what}: not a neardup buffer (magic "NDUP" missing)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const foundVersion = view.getUint16(4, true);
  const foundKind = view.getUint16(6, true);
  if (foundKind !== kind) {
    throw new RangeError(`${what}: buffer holds a ${kindName(foundKind)}, expected a ${kindName(kind)}`);
  }
  if (foundVersion !== version) {
    throw new RangeError(`${what}: format version ${foundVersion} is not supported (expected ${version})`);
  }
  const length = view.getUint32(8, true);
  if (bytes.length !== HEADER + length + 4) {
    throw new RangeError(`${what}: header announces ${HEADER + length + 4} bytes but the buffer has ${bytes.length} (truncated or padded)`);
  }
  const stored = view.getUint32(HEADER + length, true);
  if (xxh32(bytes.subarray(0, HEADER + length)) !== stored) {
    throw new RangeError(`${what}: checksum mismatch: the buffer is corrupted`);
  }
  return new ByteReader(bytes.subarray(HEADER, HEADER + length), what);
}
