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
 * {@link openEnvelope} refuses anything else with an `Error` that says what was expected and what was found.
 * @internal
 */
import { xxh32 } from '../hash/xxh32';

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
  /** Staged run files (`src/scale/`): per-document records, their fixed-width index, band runs, edges, removals. */
  ScaleDocs: 7,
  ScaleDocIndex: 8,
  ScaleBand: 9,
  ScaleEdges: 10,
  ScaleRemove: 11,
  ScaleInvalid: 12,
} as const;
export type KindCode = (typeof Kind)[keyof typeof Kind];

/** The name of a kind code. */
export const kindName = (k: number): string =>
  Object.entries(Kind).find(([, v]) => v === k)?.[0] ?? `unknown kind ${k}`;

/** A growable little-endian byte writer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; return this; }
  u16(v: number): this { this.reserve(2); this.view.setUint16(this.length, v, true); this.length += 2; return this; }
  u32(v: number): this { this.reserve(4); this.view.setUint32(this.length, v, true); this.length += 4; return this; }
  f64(v: number): this { this.reserve(8); this.view.setFloat64(this.length, v, true); this.length += 8; return this; }
  bytes(v: Uint8Array): this { this.reserve(v.length); this.buf.set(v, this.length); this.length += v.length; return this; }
  /** Writes a u32 count then the values, little-endian. */
  u32Array(v: Uint32Array): this {
    this.u32(v.length);
    this.reserve(v.length * 4);
    for (let i = 0; i < v.length; i++) this.view.setUint32(this.length + i * 4, v[i]!, true);
    this.length += v.length * 4;
    return this;
  }
  /** Writes a u32 byte length then the UTF-8 bytes. */
  string(s: string): this {
    const encoded = new TextEncoder().encode(s);
    this.u32(encoded.length);
    return this.bytes(encoded);
  }
  /** Writes an id that is either a number (tag 0, f64) or a string (tag 1). */
  id(v: number | string): this {
    return typeof v === 'number' ? this.u8(0).f64(v) : this.u8(1).string(v);
  }
  toBytes(): Uint8Array { return this.buf.slice(0, this.length); }
}

/** A bounds-checked little-endian reader: reading past the end throws a clear `RangeError`. */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.offset + n > this.buf.length) {
      throw new RangeError(`${this.what}: payload truncated at byte ${this.offset} (needed ${n} more bytes)`);
    }
  }
  u8(): number { this.need(1); return this.view.getUint8(this.offset++); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.offset, true); this.offset += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.offset, true); this.offset += 4; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.offset, true); this.offset += 8; return v; }
  bytes(n: number): Uint8Array { this.need(n); const v = this.buf.slice(this.offset, this.offset + n); this.offset += n; return v; }
  u32Array(): Uint32Array {
    const n = this.u32();
    this.need(n * 4);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getUint32(this.offset + i * 4, true);
    this.offset += n * 4;
    return out;
  }
  string(): string {
    const n = this.u32();
    return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes(n));
  }
  id(): number | string {
    const tag = this.u8();
    if (tag === 0) return this.f64();
    if (tag === 1) return this.string();
    throw new RangeError(`${this.what}: invalid id tag ${tag} at byte ${this.offset - 1}`);
  }
  /** Throws unless every payload byte was consumed. */
  end(): void {
    if (this.offset !== this.buf.length) {
      throw new RangeError(`${this.what}: ${this.buf.length - this.offset} unexpected trailing payload bytes`);
    }
  }
}

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
