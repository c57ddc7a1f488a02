/**
 * The file layout of every staged-run file: the project's envelope (magic `NDUP`, version, kind) extended for
 * files that are written and read as streams, in bounded memory.
 *
 * ```
 * offset  size  field
 * 0       4     magic "NDUP"
 * 4       2     format version (u16)
 * 6       2     kind (u16, see Kind in internal/bytes)
 * 8       4     options hash: xxh32 of the options JSON below
 * 12      4     shard (NONE when the file belongs to no shard)
 * 16      4     band (NONE when none)
 * 20      4     part (NONE when none)
 * 24      8     record count (f64, an integer)
 * 32      8     payload bytes (f64, an integer)
 * 40      4     block bytes: the payload is cut into blocks of this size (the last one shorter)
 * 44      4     extra (u32, kind-specific: the shard's line count in a docs file)
 * 48      4     options JSON length L
 * 52      L     options JSON (UTF-8): every option that changes a result, so a mismatch can be named
 * 52+L    4     xxh32 (seed 0) of bytes [0, 52+L)
 * then    …     blocks, each followed by its xxh32 seeded with the file's identity and the block's index
 * ```
 *
 * The header is written last (its counts are known at the end) into room left at the start; a reader checks the
 * header, then each block as it reads it: a truncated, bit-flipped, foreign or other-options file is refused
 * with a message naming the file and what differs. Nothing here touches the file system.
 * Internal module, not public API.
 */
import { xxh32 } from '../hash/xxh32';
import { kindName, type KindCode } from '../envelope';

/** Format version of staged-run files. */
export const SCALE_FORMAT_VERSION = 1;
/** "No shard / band / part". */
export const NONE = 0xffffffff;
/** Bytes before the options JSON. */
export const FIXED_HEADER = 52;

const MAGIC = [0x4e, 0x44, 0x55, 0x50];

/** What identifies a file: which structure, for which options, shard, band and part. */
export interface FileIdentity {
  readonly kind: KindCode;
  /** The run's options as canonical JSON (see `scaleOptionsJson`). */
  readonly optionsJson: string;
  readonly shard: number;
  readonly band: number;
  readonly part: number;
}

/** A parsed, checked header. */
export interface FileHeader extends FileIdentity {
  readonly records: number;
  readonly payloadBytes: number;
  readonly blockBytes: number;
  readonly extra: number;
  /** Header size in bytes (where block 0 starts). */
  readonly headerBytes: number;
  /** Total file size the header announces. */
  readonly fileBytes: number;
  readonly optionsHash: number;
}

const utf8 = new TextEncoder();

function identitySeed(id: FileIdentity, optionsHash: number): number {
  return (Math.imul(optionsHash ^ id.kind, 0x9e3779b1) ^ Math.imul(id.shard, 0x85ebca6b) ^ Math.imul(id.band, 0xc2b2ae35) ^ Math.imul(id.part + 1, 0x27d4eb2f)) >>> 0;
}

/** Header size for a given options JSON. */
export function headerSize(optionsJson: string): number {
  return FIXED_HEADER + utf8.encode(optionsJson).length + 4;
}

/** Size of a file with this payload. */
export function fileSize(headerBytes: number, payloadBytes: number, blockBytes: number): number {
  return headerBytes + payloadBytes + 4 * Math.ceil(payloadBytes / blockBytes);
}

/**
 * Writes one staged file as a stream: `write()` returns sealed blocks to append after `headerBytes` of room,
 * `finish()` the last block and the header to write at offset 0. Memory: one block.
 */
export class StageFileWriter {
  readonly headerBytes: number;
  private readonly optionsHash: number;
  private readonly seed: number;
  private readonly block: Uint8Array;
  private fill = 0;
  private blocks = 0;
  private payload = 0;

  constructor(private readonly id: FileIdentity, readonly blockBytes: number) {
    this.headerBytes = headerSize(id.optionsJson);
    this.optionsHash = xxh32(id.optionsJson);
    this.seed = identitySeed(id, this.optionsHash);
    this.block = new Uint8Array(blockBytes + 4);
  }

  /** Appends payload bytes; returns the blocks completed by them (each a fresh copy, checksum included). */
  write(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.blockBytes - this.fill);
      this.block.set(bytes.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === this.blockBytes) out.push(this.seal());
    }
    this.payload += bytes.length;
    return out;
  }

  private seal(): Uint8Array {
    const body = this.block.subarray(0, this.fill);
    const sealed = new Uint8Array(this.fill + 4);
    sealed.set(body);
    new DataView(sealed.buffer).setUint32(this.fill, xxh32(body, (this.seed + this.blocks) >>> 0), true);
    this.blocks++;
    this.fill = 0;
    return sealed;
  }

  /** Ends the file: the last partial block (or none) and the header. */
  finish(records: number, extra = 0): { tail: Uint8Array[]; header: Uint8Array } {
    const tail = this.fill > 0 ? [this.seal()] : [];
    const json = utf8.encode(this.id.optionsJson);
    const header = new Uint8Array(this.headerBytes);
    const v = new DataView(header.buffer);
    header.set(MAGIC, 0);
    v.setUint16(4, SCALE_FORMAT_VERSION, true);
    v.setUint16(6, this.id.kind, true);
    v.setUint32(8, this.optionsHash, true);
    v.setUint32(12, this.id.shard, true);
    v.setUint32(16, this.id.band, true);
    v.setUint32(20, this.id.part, true);
    v.setFloat64(24, records, true);
    v.setFloat64(32, this.payload, true);
    v.setUint32(40, this.blockBytes, true);
    v.setUint32(44, extra, true);
    v.setUint32(48, json.length, true);
    header.set(json, FIXED_HEADER);
    v.setUint32(FIXED_HEADER + json.length, xxh32(header.subarray(0, FIXED_HEADER + json.length)), true);
    return { tail, header };
  }
}

/** Thrown when a file is not what the run expects; the message names the file and what differs. */
export class StageFileError extends Error {
  constructor(file: string, what: string) {
    super(`${file}: ${what}`);
    this.name = 'StageFileError';
  }
}

/** The options JSON length from the first {@link FIXED_HEADER} bytes (after checking the magic). */
export function optionsJsonLength(first: Uint8Array, file: string): number {
  if (first.length < FIXED_HEADER) throw new StageFileError(file, `${first.length} bytes is too short for a neardup staged file (truncated?)`);
  for (let i = 0; i < 4; i++) if (first[i] !== MAGIC[i]) throw new StageFileError(file, 'not a neardup file (magic "NDUP" missing): a foreign file');
  return new DataView(first.buffer, first.byteOffset, first.byteLength).getUint32(48, true);
}

/** Names the options that differ between two options JSON texts. */
export function optionsDiff(found: string, expected: string): string {
  let a: Record<string, unknown>;
  let b: Record<string, unknown>;
  try {
    a = JSON.parse(found) as Record<string, unknown>;
    b = JSON.parse(expected) as Record<string, unknown>;
  } catch {
    return 'unreadable options record';
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const diffs = keys
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(a[k]) ?? 'absent'} (this run: ${JSON.stringify(b[k]) ?? 'absent'})`);
  return diffs.join(', ');
}

/**
 * Checks a whole header against what the run expects (`band`/`part`/`shard` of `NONE` in `expect` are checked
 * as such) and against the file's size on disk.
 */
export function parseHeader(bytes: Uint8Array, expect: FileIdentity, file: string, sizeOnDisk: number): FileHeader {
  const jsonLength = optionsJsonLength(bytes, file);
  const headerBytes = FIXED_HEADER + jsonLength + 4;
  if (bytes.length < headerBytes) throw new StageFileError(file, `header truncated (${bytes.length} of ${headerBytes} bytes)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (xxh32(bytes.subarray(0, FIXED_HEADER + jsonLength)) !== v.getUint32(FIXED_HEADER + jsonLength, true)) {
    throw new StageFileError(file, 'header checksum mismatch: the file is corrupted');
  }
  const version = v.getUint16(4, true);
  const kind = v.getUint16(6, true);
  if (kind !== expect.kind) throw new StageFileError(file, `holds a ${kindName(kind)}, expected a ${kindName(expect.kind)}`);
  if (version !== SCALE_FORMAT_VERSION) throw new StageFileError(file, `format version ${version} is not supported (expected ${SCALE_FORMAT_VERSION})`);
  const optionsJson = new TextDecoder().decode(bytes.subarray(FIXED_HEADER, FIXED_HEADER + jsonLength));
  if (optionsJson !== expect.optionsJson) {
    throw new StageFileError(file, `written with other options: ${optionsDiff(optionsJson, expect.optionsJson)}`);
  }
  const shard = v.getUint32(12, true);
  const band = v.getUint32(16, true);
  const part = v.getUint32(20, true);
  for (const [name, found, wanted] of [['shard', shard, expect.shard], ['band', band, expect.band], ['part', part, expect.part]] as const) {
    if (found !== wanted) throw new StageFileError(file, `belongs to ${name} ${found === NONE ? 'none' : found}, expected ${wanted === NONE ? 'none' : wanted}`);
  }
  const records = v.getFloat64(24, true);
  const payloadBytes = v.getFloat64(32, true);
  const blockBytes = v.getUint32(40, true);
  if (!Number.isSafeInteger(records) || records < 0 || !Number.isSafeInteger(payloadBytes) || payloadBytes < 0 || blockBytes < 16) {
    throw new StageFileError(file, `header holds impossible counts (records ${records}, payload ${payloadBytes}, block ${blockBytes})`);
  }
  const fileBytes = fileSize(headerBytes, payloadBytes, blockBytes);
  if (sizeOnDisk !== fileBytes) {
    throw new StageFileError(file, `the header announces ${fileBytes} bytes but the file has ${sizeOnDisk} (${sizeOnDisk < fileBytes ? 'truncated' : 'padded'})`);
  }
  return {
    kind, optionsJson, shard, band, part, records, payloadBytes, blockBytes, extra: v.getUint32(44, true), headerBytes, fileBytes,
    optionsHash: v.getUint32(8, true),
  };
}

/** Where block `index` starts in the file and how many payload bytes it holds. */
export function blockSpan(h: FileHeader, index: number): { position: number; length: number } {
  const start = index * h.blockBytes;
  return { position: h.headerBytes + index * (h.blockBytes + 4), length: Math.min(h.blockBytes, h.payloadBytes - start) };
}

/** Number of blocks of a file. */
export function blockCount(h: FileHeader): number {
  return Math.ceil(h.payloadBytes / h.blockBytes);
}

/**
 * Checks block `index` (its payload bytes followed by the 4-byte checksum, as read from `blockSpan`) and returns
 * its payload.
 */
export function checkBlock(h: FileHeader, index: number, sealed: Uint8Array, file: string): Uint8Array {
  const { length } = blockSpan(h, index);
  if (sealed.length !== length + 4) throw new StageFileError(file, `block ${index} truncated`);
  const body = sealed.subarray(0, length);
  const stored = new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength).getUint32(length, true);
  if (xxh32(body, (identitySeed(h, h.optionsHash) + index) >>> 0) !== stored) {
    throw new StageFileError(file, `checksum mismatch in block ${index} (bytes ${blockSpan(h, index).position}…): the file is corrupted`);
  }
  return body;
}
