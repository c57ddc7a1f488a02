/**
 * Reading the input: a file path or `-` (stdin), gzip detected by its magic bytes (so `.jsonl.gz` and a gzip
 * stream on stdin both work), decoded as UTF-8 and split into lines as it streams — one chunk at a time, never
 * the whole file in memory.
 */
import { createReadStream, fstatSync, statSync } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError, UsageError, messageOf } from './errors';

/** An opened input. */
export interface Input {
  /** The path, or `<stdin>`. */
  readonly name: string;
  /** Size on disk in bytes (compressed size for gzip), or null when unknown (a pipe). */
  readonly size: number | null;
  /** Raw bytes read so far (compressed bytes for gzip): progress against `size`. */
  readonly rawBytes: number;
  /** Decompressed bytes read so far. */
  readonly bytes: number;
  /** Whether the input turned out to be gzip (known once reading has started). */
  readonly gzip: boolean;
  /** The decompressed bytes, chunk by chunk. Can be iterated once. */
  chunks(): AsyncIterable<Buffer>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const CHUNK = 1 << 20;

/**
 * Opens `path` (or stdin for `-`).
 * @throws UsageError when the path does not exist or is not a readable file
 */
export function openInput(path: string, stdin: NodeJS.ReadableStream = process.stdin): Input {
  let size: number | null = null;
  let raw: NodeJS.ReadableStream;
  let name: string;
  if (path === '-') {
    name = '<stdin>';
    try {
      const st = fstatSync(0);
      if (st.isFile()) size = st.size;
    } catch {
      // not a file descriptor we can stat: size stays unknown
    }
    raw = stdin;
  } else {
    name = path;
    let st;
    try {
      st = statSync(path);
    } catch (err) {
      throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : messageOf(err)}`);
    }
    if (st.isDirectory()) throw new UsageError(`cannot read ${path}: it is a directory`);
    if (st.isFile()) size = st.size;
    raw = createReadStream(path, { highWaterMark: CHUNK });
  }
  const state = { rawBytes: 0, bytes: 0, gzip: false, used: false };
  return {
    name,
    size,
    get rawBytes() { return state.rawBytes; },
    get bytes() { return state.bytes; },
    get gzip() { return state.gzip; },
    chunks() {
      if (state.used) throw new Error('input already read');
      state.used = true;
      return decompressed(raw, name, state);
    },
  };
}

async function* decompressed(
  raw: NodeJS.ReadableStream,
  name: string,
  state: { rawBytes: number; bytes: number; gzip: boolean },
): AsyncGenerator<Buffer> {
  const it = (raw as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const toBuffer = (c: Buffer | string): Buffer => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  // Read until at least two bytes are known, to look for the gzip magic.
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  try {
    while (headLength < 2) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      const b = toBuffer(r.value);
      head.push(b);
      headLength += b.length;
      state.rawBytes += b.length;
    }
  } catch (err) {
    throw new UsageError(`cannot read ${name}: ${messageOf(err)}`);
  }
  const first = Buffer.concat(head);
  state.gzip = first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      const b = toBuffer(r.value);
      state.rawBytes += b.length;
      yield b;
    }
  }
  if (!state.gzip) {
    try {
      for await (const b of rest()) {
        state.bytes += b.length;
        yield b;
      }
    } finally {
      destroy(raw);
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK });
  const source = Readable.from(rest(), { objectMode: false });
  pipeline(source, gunzip, () => undefined); // errors surface through the iteration below
  try {
    for await (const b of gunzip as AsyncIterable<Buffer>) {
      state.bytes += b.length;
      yield b;
    }
  } catch (err) {
    throw new InputError(`${name}: not a valid gzip stream (${messageOf(err)})`);
  } finally {
    gunzip.destroy();
    source.destroy();
    destroy(raw);
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  if (stream === process.stdin) return;
  (stream as Readable).destroy?.();
}

/**
 * A batch of non-blank lines, packed as UTF-8 bytes: line `i` is `bytes[offsets[i], offsets[i + 1] - 1)`, each
 * followed by one `\n` (CR of CRLF and a byte-order mark at the start of any line removed). The bytes live in a
 * `SharedArrayBuffer`, so handing a batch to a worker thread copies nothing, and kept lines are written out as
 * the very bytes that were read.
 */
export interface LineBatch {
  readonly bytes: Uint8Array;
  /** `count + 1` offsets into `bytes`. */
  readonly offsets: Uint32Array;
  /** 1-based line number of each line in the input. */
  readonly lineNumbers: Uint32Array;
  readonly count: number;
}

/** Options of {@link lineBatches}. */
export interface LineBatchOptions {
  /** Most lines in one batch. */
  maxLines: number;
  /** A batch is closed once its lines hold at least this many bytes. */
  maxBytes: number;
  /** Updated as lines are read: every line seen so far, blank ones included. */
  counter?: { lines: number };
}

/** True when the line holds only whitespace (ASCII fast path; other lines are decoded and trimmed). */
function isBlankBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c < 0x80) return false;
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8').trim().length === 0;
  }
  return true;
}

/**
 * Splits decompressed chunks into lines — LF or CRLF terminated, the last one possibly without a terminator —
 * and groups the non-blank ones into {@link LineBatch}es. Blank (whitespace-only) lines are skipped but still
 * numbered. Works on bytes: nothing is decoded here (the workers decode), and a line split across chunks is
 * assembled once, so a very long line costs linear time.
 */
export async function* lineBatches(chunks: AsyncIterable<Uint8Array>, options: LineBatchOptions): AsyncGenerator<LineBatch> {
  const counter = options.counter ?? { lines: 0 };
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  let lineNumbers: number[] = [];
  const parts: Uint8Array[] = [];

  const finish = (): LineBatch => {
    const count = pending.length;
    const bytes = new Uint8Array(new SharedArrayBuffer(pendingBytes + count));
    const offsets = new Uint32Array(count + 1);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const line = pending[i]!;
      offsets[i] = at;
      bytes.set(line, at);
      at += line.length;
      bytes[at++] = 0x0a;
    }
    offsets[count] = at;
    const batch = { bytes, offsets, lineNumbers: Uint32Array.from(lineNumbers), count };
    pending = [];
    pendingBytes = 0;
    lineNumbers = [];
    return batch;
  };
  const take = (raw: Uint8Array): boolean => {
    lineNo++;
    counter.lines = lineNo;
    let line = raw;
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    // A byte-order mark starts the first line of a file, and of every file in a concatenation: dropped anywhere.
    if (line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    if (isBlankBytes(line)) return false;
    pending.push(line);
    pendingBytes += line.length;
    lineNumbers.push(lineNo);
    return pending.length >= options.maxLines || pendingBytes >= options.maxBytes;
  };
  const concatParts = (tail: Uint8Array): Uint8Array => {
    if (parts.length === 0) return tail;
    const all = Buffer.concat([...parts, tail]);
    parts.length = 0;
    return all;
  };

  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    while (nl >= 0) {
      if (take(concatParts(chunk.subarray(start, nl)))) yield finish();
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    // A partial line: copied, so it never depends on the producer not reusing its buffer.
    if (start < chunk.length) parts.push(Uint8Array.prototype.slice.call(chunk, start));
  }
  if (parts.length > 0 && take(concatParts(new Uint8Array(0)))) yield finish();
  if (pending.length > 0) yield finish();
}

/** The text of line `i` of a batch (decoding it). */
export function lineText(batch: LineBatch, i: number): string {
  return Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset + batch.offsets[i]!, batch.offsets[i + 1]! - 1 - batch.offsets[i]!).toString('utf8');
}

/**
 * Reads a whole text file (or stdin, or gzip) into a string, keeping a byte-order mark if there is one so the
 * output can be byte-identical.
 * @throws InputError when the bytes are not valid UTF-8
 */
export async function readText(input: Input): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of input.chunks()) parts.push(b);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.concat(parts));
  } catch {
    throw new InputError(`${input.name}: not valid UTF-8`);
  }
}
