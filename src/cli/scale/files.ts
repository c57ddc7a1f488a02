/**
 * File I/O of a staged run: every file a task writes goes to a temporary name in the same folder, is fsynced and
 * renamed (so no partial file ever sits under a final name), and a task's completion marker is written the same
 * way once all its files are in place. Readers check the header and every block (`src/scale/file.ts`).
 */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync, existsSync, readFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { messageOf } from '../errors';
import { blockCount, blockSpan, checkBlock, FIXED_HEADER, optionsJsonLength, parseHeader, StageFileError, StageFileWriter, type FileHeader, type FileIdentity } from '../../scale/file';

/** Temporary files of this process not yet renamed: removed on exit (see main.ts's handlers). */
const pending = new Set<string>();
process.on('exit', () => {
  for (const p of pending) rmSync(p, { force: true });
});

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory: the rename is still atomic
  }
}

/** A temporary name next to `path`, removed on exit unless {@link committed} is called after its rename. */
export function tempFor(path: string): string {
  const tmp = tempName(path);
  pending.add(tmp);
  return tmp;
}

/** The temporary file was renamed into place. */
export function committed(tmp: string): void {
  pending.delete(tmp);
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

/** Runs `write` and names `path` in any error it throws (`cannot write PATH: ENOSPC: no space left on device, …`). */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw new Error(`cannot write ${path}: ${messageOf(err)}`);
  }
}

/** Writes `bytes` to `path` atomically (temp + fsync + rename; without `durable`, no fsync: still never partial). */
export function writeAtomic(path: string, bytes: Uint8Array | string, { durable = true } = {}): void {
  writing(path, () => writeAtomicUnnamed(path, bytes, durable));
}

function writeAtomicUnnamed(path: string, bytes: Uint8Array | string, durable: boolean): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempName(path);
  pending.add(tmp);
  const fd = openSync(tmp, 'w');
  try {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  pending.delete(tmp);
  if (durable) fsyncDir(dirname(path));
}

/** Bytes a staged file gathers before one write call (small blocks, few system calls). */
const WRITE_BUFFER = 1 << 20;

/**
 * A staged file being written: sealed blocks are gathered into a 1 MiB buffer and appended, the header is written
 * at the end, then one fsync and the rename.
 */
export class StageFileOut {
  private readonly writer: StageFileWriter;
  private readonly tmp: string;
  private fd: number;
  private position: number;
  private readonly buffer = new Uint8Array(WRITE_BUFFER);
  private fill = 0;

  constructor(readonly path: string, id: FileIdentity, blockBytes: number) {
    mkdirSync(dirname(path), { recursive: true });
    this.writer = new StageFileWriter(id, blockBytes);
    this.tmp = tempName(path);
    pending.add(this.tmp);
    this.fd = openSync(this.tmp, 'w');
    this.position = this.writer.headerBytes;
  }

  private drain(): void {
    writing(this.path, () => {
      for (let at = 0; at < this.fill; ) at += writeSync(this.fd, this.buffer, at, this.fill - at, this.position + at);
    });
    this.position += this.fill;
    this.fill = 0;
  }

  private put(chunks: Uint8Array[]): void {
    for (const c of chunks) {
      if (this.fill + c.length > this.buffer.length) this.drain();
      if (c.length > this.buffer.length) {
        writing(this.path, () => {
          for (let at = 0; at < c.length; ) at += writeSync(this.fd, c, at, c.length - at, this.position + at);
        });
        this.position += c.length;
      } else {
        this.buffer.set(c, this.fill);
        this.fill += c.length;
      }
    }
  }

  write(bytes: Uint8Array): void {
    this.put(this.writer.write(bytes));
  }

  /** Finishes the file: header, fsync, rename into place. */
  commit(records: number, extra = 0): void {
    const { tail, header } = this.writer.finish(records, extra);
    this.put(tail);
    this.drain();
    writing(this.path, () => {
      for (let at = 0; at < header.length; ) at += writeSync(this.fd, header, at, header.length - at, at);
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
      renameSync(this.tmp, this.path);
    });
    pending.delete(this.tmp);
    fsyncDir(dirname(this.path));
  }
}

/** Blocks a reader keeps per file (a few hundred KiB: random reads of the filter stage often hit recent ones). */
const CACHED_BLOCKS = 64;

/** An opened, header-checked staged file. */
export class StageFileIn {
  readonly header: FileHeader;
  private readonly fd: number;
  /** Recently read blocks (random access reads neighbours): at most CACHED_BLOCKS, oldest out first. */
  private readonly cache = new Map<number, Uint8Array>();

  constructor(readonly path: string, expect: FileIdentity) {
    if (!existsSync(path)) throw new StageFileError(path, 'missing (has the stage that writes it finished?)');
    this.fd = openSync(path, 'r');
    const size = fstatSync(this.fd).size;
    const first = Buffer.alloc(Math.min(size, FIXED_HEADER));
    readSync(this.fd, first, 0, first.length, 0);
    const jsonLength = optionsJsonLength(first, path);
    const head = Buffer.alloc(Math.min(size, FIXED_HEADER + jsonLength + 4));
    readSync(this.fd, head, 0, head.length, 0);
    this.header = parseHeader(head, expect, path, size);
  }

  get blocks(): number {
    return blockCount(this.header);
  }

  /** The checked payload of block `index`. */
  block(index: number): Uint8Array {
    const hit = this.cache.get(index);
    if (hit) return hit;
    const { position, length } = blockSpan(this.header, index);
    // Unzeroed: every byte is read from the file, or the short read is refused by checkBlock.
    const sealed = Buffer.allocUnsafe(length + 4);
    let got = 0;
    while (got < sealed.length) {
      const n = readSync(this.fd, sealed, got, sealed.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    const body = checkBlock(this.header, index, sealed.subarray(0, got), this.path);
    if (this.cache.size >= CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(index, body);
    return body;
  }

  /** Payload bytes [offset, offset + length), across blocks. */
  read(offset: number, length: number): Uint8Array {
    const B = this.header.blockBytes;
    const first = Math.floor(offset / B);
    const last = Math.floor((offset + length - 1) / B);
    if (first === last) {
      const b = this.block(first);
      return b.subarray(offset - first * B, offset - first * B + length);
    }
    const out = new Uint8Array(length);
    for (let i = first, at = 0; i <= last; i++) {
      const b = this.block(i);
      const from = i === first ? offset - first * B : 0;
      const to = Math.min(b.length, offset + length - i * B);
      out.set(b.subarray(from, to), at);
      at += to - from;
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads a whole (small) staged file's payload. */
export function readPayload(f: StageFileIn): Uint8Array {
  const out = new Uint8Array(f.header.payloadBytes);
  for (let i = 0, at = 0; i < f.blocks; i++) {
    const b = f.block(i);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Whether a task's completion marker exists. */
export function isDone(marker: string): boolean {
  return existsSync(marker);
}

/** Reads a JSON file. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Writes lines of a text output to a temporary file through a 1 MiB buffer (one system call per MiB, not per
 * record); `close` fsyncs, `rename` puts it in place.
 */
export class TextOut {
  private readonly tmp: string;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private fill = 0;
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempFor(path);
    this.fd = openSync(this.tmp, 'w');
  }
  private drain(): void {
    writing(this.path, () => {
      for (let at = 0; at < this.fill; ) at += writeSync(this.fd, this.buffer, at, this.fill - at);
    });
    this.fill = 0;
  }
  write(b: Uint8Array): void {
    if (this.fill + b.length > this.buffer.length) this.drain();
    if (b.length > this.buffer.length) {
      writing(this.path, () => {
        for (let at = 0; at < b.length; ) at += writeSync(this.fd, b, at, b.length - at);
      });
    } else {
      this.buffer.set(b, this.fill);
      this.fill += b.length;
    }
  }
  close(): void {
    this.drain();
    writing(this.path, () => {
      fsyncSync(this.fd);
      closeSync(this.fd);
    });
  }
  rename(): void {
    renameSync(this.tmp, this.path);
    committed(this.tmp);
  }
}
