/**
 * Where a command writes, and how a run's outputs appear: all of them whole, or none of them.
 *
 * - `-` (or no path for the main output), `/dev/stdout`, `/dev/stderr` and `/dev/fd/1|2` are the process's own
 *   streams, written directly.
 * - A new path or an existing regular file gets a temporary file in the same directory
 *   (`.NAME.neardup-PID-RANDOM.tmp`). At the end of a successful run every output is flushed, fsynced and closed,
 *   each step's error checked ({@link commitAll}); only when all of them succeeded are the temporary files renamed
 *   to their final names, and the directories fsynced. A full disk, an I/O error, an interrupt or a crash leaves
 *   no file under any final name (and a previous file there untouched); even `kill -9` never leaves a partial one.
 * - A symlink to a regular file: the link is resolved (realpath) and its target gets the same treatment, so the
 *   link stays a link and the target appears whole. A symlink that leads nowhere is refused.
 * - Anything else that exists — a device (`/dev/null`), a FIFO, a socket, a link into `/proc/self/fd` — is
 *   opened and written in place, never replaced: what was written before a failure has been delivered.
 */
import { close, closeSync, constants, fsync, fsyncSync, open, write, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError, messageOf } from './errors';

/** Where a command writes one of its outputs. */
export interface Output {
  /** The path as given, or `<stdout>`/`<stderr>`. */
  readonly name: string;
  /** Appends text or bytes; returns a promise when the caller must wait (data handed to the OS, or backpressure). */
  write(data: string | Uint8Array): Promise<void> | undefined;
  /** Flushes everything written, fsyncs and closes; throws (naming the file) if any of it fails. Renames nothing. */
  finish(): Promise<void>;
  /** After every output of the run finished: moves the output under its final name (no-op when written in place). */
  publish(): void;
  /** The directory to fsync after {@link publish}, or null. */
  readonly directory: string | null;
  /** Gives up: closes and deletes the temporary file. Never throws. */
  abort(): void;
}

/** The process streams an output can be. */
export interface Streams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Temporary files not yet published or aborted, for the exit and signal handlers. */
const pending = new Set<Output>();

/** Deletes every temporary file not yet published (synchronous: safe in `exit` and signal handlers). */
export function removePendingOutputs(): void {
  for (const f of [...pending]) f.abort();
}

const openAsync = promisify(open);
const closeAsync = promisify(close);
const fsyncAsync = promisify(fsync);
const writeAsync = (fd: number, data: Uint8Array, offset: number, length: number): Promise<number> =>
  new Promise((res, rej) => write(fd, data, offset, length, null, (err, n) => (err ? rej(err) : res(n))));

/** Bytes buffered before they are handed to the OS. */
const BUFFER = 1 << 20;

/** `cannot write NAME: MESSAGE` — every write failure names the file. */
const failure = (name: string, err: unknown): Error => new Error(`cannot write ${name}: ${messageOf(err)}`);

/**
 * A file written through a buffer with explicit `write`s, so every error is seen by the caller: no stream whose
 * `error` event could arrive after its `end` callback.
 */
class FileSink {
  private parts: Uint8Array[] = [];
  private size = 0;
  private chain: Promise<void> = Promise.resolve();
  private error: Error | null = null;
  private closed = false;

  constructor(readonly name: string, private readonly fd: number, private readonly sync: 'required' | 'if-supported') {}

  write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.error) throw this.error;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (bytes.length === 0) return undefined;
    // Views on shared batch memory are copied (the batch may be reused); other buffers are the caller's to give.
    this.parts.push(bytes.buffer instanceof SharedArrayBuffer ? Uint8Array.prototype.slice.call(bytes) : bytes);
    this.size += bytes.length;
    return this.size >= BUFFER ? this.flush() : undefined;
  }

  /** Hands everything buffered to the OS, in order; rejects with the first error. */
  flush(): Promise<void> {
    if (this.size === 0) return this.chain;
    const data = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.chain = this.chain.then(async () => {
      if (this.error) throw this.error;
      try {
        for (let at = 0; at < data.length; ) {
          at += await writeAsync(this.fd, data, at, data.length - at);
        }
      } catch (err) {
        this.error = failure(this.name, err);
        throw this.error;
      }
    });
    return this.chain;
  }

  /** Flush, fsync, close; every step checked. */
  async finish(): Promise<void> {
    await this.flush();
    try {
      await fsyncAsync(this.fd);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Pipes, terminals and character devices cannot be synced: nothing to make durable there.
      if (this.sync === 'required' || (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EROFS')) throw failure(this.name, err);
    }
    this.closed = true;
    try {
      await closeAsync(this.fd);
    } catch (err) {
      throw failure(this.name, err);
    }
  }

  /** Closes without flushing. Never throws. */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** A regular file (new or existing): a temporary file beside it, renamed over it once every output finished. */
class AtomicFile implements Output {
  readonly directory: string;
  private readonly tempPath: string;
  private state: 'open' | 'finished' | 'published' | 'aborted' = 'open';

  private constructor(readonly name: string, private readonly finalPath: string, tempPath: string, private readonly sink: FileSink) {
    this.directory = dirname(finalPath);
    this.tempPath = tempPath;
    pending.add(this);
  }

  /** @param finalPath - the absolute path the output will have (a symlink's target when `name` is a link) */
  static async create(name: string, finalPath: string): Promise<AtomicFile> {
    const random = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
    const tempPath = join(dirname(finalPath), `.${basename(finalPath)}.neardup-${process.pid}-${random}.tmp`);
    let fd: number;
    try {
      fd = await openAsync(tempPath, 'wx', 0o644);
    } catch (err) {
      throw new UsageError(`cannot write ${name}: ${messageOf(err)}`);
    }
    return new AtomicFile(name, finalPath, tempPath, new FileSink(name, fd, 'required'));
  }

  write(data: string | Uint8Array): Promise<void> | undefined {
    return this.sink.write(data);
  }

  async finish(): Promise<void> {
    await this.sink.finish();
    this.state = 'finished';
  }

  publish(): void {
    if (this.state !== 'finished') throw new Error(`internal: ${this.name} published before it finished`);
    // Never rename over a symlink (one may have appeared since the output was opened): its target gets the data.
    let st: Stats | null = null;
    try {
      st = lstatSync(this.finalPath);
    } catch {
      // does not exist: fine
    }
    if (st && !st.isFile()) throw new Error(`cannot write ${this.name}: ${this.finalPath} is no longer a regular file`);
    try {
      renameSync(this.tempPath, this.finalPath);
    } catch (err) {
      throw failure(this.name, err);
    }
    this.state = 'published';
    pending.delete(this);
  }

  abort(): void {
    if (this.state === 'published' || this.state === 'aborted') return;
    this.state = 'aborted';
    pending.delete(this);
    this.sink.closeNow();
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }
}

/** An existing device, FIFO or socket (or a link into /proc/self/fd): opened and written in place. */
class InPlaceFile implements Output {
  readonly directory = null;
  private constructor(readonly name: string, private readonly sink: FileSink) {}

  static async create(name: string): Promise<InPlaceFile> {
    let fd: number;
    try {
      // Write-only, appending, no O_CREAT and no O_TRUNC: a device or a FIFO is used as it is (a FIFO's open
      // waits for its reader, as the shell's would), a file behind a /proc/self/fd link is appended to, and a
      // path that vanished meanwhile is an error rather than a new file.
      fd = await openAsync(name, constants.O_WRONLY | constants.O_APPEND);
    } catch (err) {
      throw new UsageError(`cannot write ${name}: ${messageOf(err)}`);
    }
    return new InPlaceFile(name, new FileSink(name, fd, 'if-supported'));
  }

  write(data: string | Uint8Array): Promise<void> | undefined {
    return this.sink.write(data);
  }
  finish(): Promise<void> {
    return this.sink.finish();
  }
  publish(): void {}
  abort(): void {
    this.sink.closeNow();
  }
}

/** One of the process's own streams. */
class StreamOutput implements Output {
  readonly directory = null;
  private error: Error | null = null;
  constructor(readonly name: string, private readonly stream: NodeJS.WritableStream) {
    // Errors of the real process streams are handled in main.ts; this records them for finish().
    stream.on?.('error', (err: Error) => {
      this.error ??= failure(name, err);
    });
  }
  write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.error) throw this.error;
    if (this.stream.write(data)) return undefined;
    return new Promise((res) => this.stream.once('drain', () => res()));
  }
  async finish(): Promise<void> {
    if (this.error) throw this.error;
  }
  publish(): void {}
  abort(): void {}
}

/** The process streams that an output path names, if it names one. */
function processStream(path: string, streams: Streams): StreamOutput | null {
  switch (path) {
    case '-':
    case '/dev/stdout':
    case '/dev/fd/1':
    case '/proc/self/fd/1':
      return new StreamOutput('<stdout>', streams.stdout);
    case '/dev/stderr':
    case '/dev/fd/2':
    case '/proc/self/fd/2':
      return new StreamOutput('<stderr>', streams.stderr);
    default:
      return null;
  }
}

/** How an output path is written: to a process stream, atomically (at which final path), or in place. */
type Plan = { kind: 'stream'; stream: 'stdout' | 'stderr' } | { kind: 'atomic'; finalPath: string } | { kind: 'in-place' };

/**
 * Decides how `path` is written, without opening anything.
 * @throws UsageError for a directory, a dangling symlink, or a missing parent directory
 */
export function planOutput(path: string): Plan {
  if (path === '-' || path === '/dev/stdout' || path === '/dev/fd/1' || path === '/proc/self/fd/1') return { kind: 'stream', stream: 'stdout' };
  if (path === '/dev/stderr' || path === '/dev/fd/2' || path === '/proc/self/fd/2') return { kind: 'stream', stream: 'stderr' };
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    const parent = dirname(resolve(path));
    let dir: Stats | null = null;
    try {
      dir = statSync(parent);
    } catch {
      // reported below
    }
    if (!dir?.isDirectory()) throw new UsageError(`cannot write ${path}: no such directory ${parent}`);
    return { kind: 'atomic', finalPath: resolve(path) };
  }
  if (link.isDirectory()) throw new UsageError(`cannot write ${path}: it is a directory`);
  if (link.isFile()) return { kind: 'atomic', finalPath: resolve(path) };
  if (!link.isSymbolicLink()) return { kind: 'in-place' };
  // A symlink: follow it. A regular file at the end gets the atomic treatment at its real path (the link stays);
  // a chain through /proc or /dev (the process's descriptors, terminals) is written in place.
  if (throughSystemLinks(path)) {
    let st: Stats;
    try {
      st = statSync(path);
    } catch (err) {
      throw new UsageError(`cannot write ${path}: ${messageOf(err)}`);
    }
    return st.isDirectory() ? dirError(path) : { kind: 'in-place' };
  }
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    throw new UsageError(`cannot write ${path}: it is a symlink to a missing file (give the target's path, or remove the link)`);
  }
  const st = statSync(target);
  if (st.isDirectory()) return dirError(path);
  return st.isFile() ? { kind: 'atomic', finalPath: target } : { kind: 'in-place' };
}

/** True when following the symlink `path` passes through /proc or /dev (e.g. to /proc/self/fd/1). */
function throughSystemLinks(path: string): boolean {
  let at = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    if (at.startsWith('/proc/') || at.startsWith('/dev/')) return true;
    let next: string;
    try {
      next = readlinkSync(at);
    } catch {
      return false; // not a link (any more): the end of the chain
    }
    at = resolve(dirname(at), next);
  }
  return false;
}

function dirError(path: string): never {
  throw new UsageError(`cannot write ${path}: it is a directory`);
}

/**
 * Opens an output: `undefined` or `-` is stdout; see the module comment for the rest.
 * @throws UsageError when the path is a directory, a dangling symlink, or its directory is missing or not writable
 */
export async function openOutput(path: string | undefined, streams: Streams): Promise<Output> {
  if (path === undefined) return new StreamOutput('<stdout>', streams.stdout);
  const direct = processStream(path, streams);
  if (direct) return direct;
  const plan = planOutput(path);
  if (plan.kind === 'stream') return new StreamOutput(plan.stream === 'stdout' ? '<stdout>' : '<stderr>', streams[plan.stream]);
  return plan.kind === 'atomic' ? AtomicFile.create(path, plan.finalPath) : InPlaceFile.create(path);
}

/** A command's outputs: the main one, the optional removed-records and report files, and all of them. */
export interface Outputs {
  readonly out: Output;
  readonly removed: Output | null;
  readonly report: Output | null;
  /** Every opened output: what {@link commitAll} and {@link abortAll} take. */
  readonly all: Output[];
}

/**
 * Opens a command's outputs together (`removed` and `report` only when given); when one cannot be opened, those
 * already opened are aborted before the error propagates, so nothing is left behind.
 */
export async function openOutputs(paths: { output?: string | undefined; removed?: string | undefined; report?: string | undefined }, streams: Streams): Promise<Outputs> {
  const all: Output[] = [];
  try {
    const out = await openOutput(paths.output, streams);
    all.push(out);
    const removed = paths.removed === undefined ? null : await openOutput(paths.removed, streams);
    if (removed) all.push(removed);
    const report = paths.report === undefined ? null : await openOutput(paths.report, streams);
    if (report) all.push(report);
    return { out, removed, report, all };
  } catch (err) {
    abortAll(all);
    throw err;
  }
}

/** What an output path is for the same-file check: a stream name, or the absolute path it ends up at. */
function identity(path: string): string | null {
  try {
    const plan = planOutput(path);
    if (plan.kind === 'stream') return `<${plan.stream}>`;
    if (plan.kind === 'atomic') return plan.finalPath;
    return null; // devices and FIFOs: /dev/null twice is fine
  } catch {
    return resolve(path); // reported when opened
  }
}

/**
 * Throws a UsageError when two outputs name the same file (through a symlink too) or the same stream. The first
 * entry is the main output, which is stdout when not given; the others are written only when given.
 */
export function checkOutputs(paths: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  let first = true;
  for (const [option, path] of Object.entries(paths)) {
    const isMain = first;
    first = false;
    if (path === undefined && !isMain) continue;
    const id = path === undefined ? '<stdout>' : identity(path);
    if (id === null) continue;
    const other = seen.get(id);
    if (other) {
      if (id === '<stdout>' || id === '<stderr>') throw new UsageError(`${other} and ${option} would both go to ${id === '<stdout>' ? 'stdout' : 'stderr'}: give ${option} a file name`);
      throw new UsageError(`${other} and ${option} name the same file ${path}`);
    }
    seen.set(id, option);
  }
}

/**
 * Commits a run's outputs all together or not at all: finishes every output (flush, fsync, close — each error
 * checked), and only when all succeeded renames every temporary file to its final name and fsyncs the
 * directories. If any output fails, all are aborted (temporary files deleted; nothing renamed) and the error
 * propagates, naming the file.
 */
export async function commitAll(outputs: Output[]): Promise<void> {
  try {
    for (const o of outputs) await o.finish();
  } catch (err) {
    abortAll(outputs);
    throw err;
  }
  // Renames within one directory do not fail for want of space; a failure here (e.g. the directory was removed
  // meanwhile) is reported, and the outputs not yet renamed are deleted.
  try {
    for (const o of outputs) o.publish();
  } catch (err) {
    abortAll(outputs);
    throw err;
  }
  for (const dir of new Set(outputs.map((o) => o.directory).filter((d): d is string => d !== null))) syncDirectory(dir);
}

/** Makes the renames in `dir` durable. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP') throw new Error(`cannot sync directory ${dir}: ${messageOf(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** Aborts every output. */
export function abortAll(outputs: Output[]): void {
  for (const o of outputs) o.abort();
}
