/**
 * Outputs that appear whole or not at all: each file is written to a temporary file in the same directory
 * (`.NAME.neardup-PID-RANDOM.tmp`) and renamed over the final name only when the run succeeds. A run that fails,
 * is interrupted (SIGINT, SIGTERM) or crashes removes its temporary files; even a run killed with SIGKILL never
 * leaves a partial file under the final name. Standard output is written directly.
 */
import { closeSync, createWriteStream, openSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError, messageOf } from './errors';

/** Where a command writes one of its outputs. */
export interface Output {
  /** The final path, or `<stdout>`. */
  readonly name: string;
  /** Appends text or bytes; returns a promise only when the caller should wait (backpressure). */
  write(data: string | Uint8Array): Promise<void> | undefined;
  /** Finishes the output: flushes, closes, and renames the temporary file to the final name. */
  commit(): Promise<void>;
  /** Gives up: closes and deletes the temporary file. Never throws. */
  abort(): void;
}

/** Temporary files not yet committed or aborted, for the exit and signal handlers. */
const pending = new Set<AtomicFile>();

/** Deletes every temporary file not yet committed (synchronous: safe in `exit` and signal handlers). */
export function removePendingOutputs(): void {
  for (const f of [...pending]) f.abort();
}

class AtomicFile implements Output {
  readonly name: string;
  readonly tempPath: string;
  private readonly stream: WriteStream;
  private error: Error | null = null;
  private done = false;

  constructor(path: string) {
    this.name = path;
    const abs = resolve(path);
    const random = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
    this.tempPath = join(dirname(abs), `.${basename(abs)}.neardup-${process.pid}-${random}.tmp`);
    let fd: number;
    try {
      fd = openSync(this.tempPath, 'wx', 0o644);
    } catch (err) {
      throw new UsageError(`cannot write ${path}: ${messageOf(err)}`);
    }
    pending.add(this);
    this.stream = createWriteStream('', { fd, highWaterMark: 1 << 20 });
    this.stream.on('error', (err) => {
      this.error ??= err;
    });
  }

  write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.error) throw new Error(`cannot write ${this.name}: ${this.error.message}`);
    if (this.stream.write(data)) return undefined;
    return new Promise((res, rej) => {
      const onDrain = (): void => { this.stream.off('error', onError); res(); };
      const onError = (err: Error): void => { this.stream.off('drain', onDrain); rej(new Error(`cannot write ${this.name}: ${err.message}`)); };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  async commit(): Promise<void> {
    await new Promise<void>((res, rej) => {
      this.stream.end(() => (this.error ? rej(new Error(`cannot write ${this.name}: ${this.error.message}`)) : res()));
    });
    if (!this.stream.closed) await new Promise<void>((res) => this.stream.once('close', () => res()));
    if (this.done) return;
    renameSync(this.tempPath, this.name);
    this.done = true;
    pending.delete(this);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    pending.delete(this);
    try {
      const fd = (this.stream as unknown as { fd: number | null }).fd;
      if (typeof fd === 'number') {
        this.stream.destroy();
        try {
          closeSync(fd);
        } catch {
          // already closed by destroy()
        }
      }
    } catch {
      // best effort
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }
}

class StdoutOutput implements Output {
  readonly name = '<stdout>';
  constructor(private readonly stream: NodeJS.WritableStream) {}
  write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.stream.write(data)) return undefined;
    return new Promise((res) => this.stream.once('drain', () => res()));
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
  abort(): void {}
}

/** Writes straight into an existing non-regular file (a device such as /dev/null, a FIFO): nothing to rename. */
class DirectOutput implements Output {
  private readonly stream: WriteStream;
  private error: Error | null = null;
  constructor(readonly name: string) {
    let fd: number;
    try {
      fd = openSync(name, 'w');
    } catch (err) {
      throw new UsageError(`cannot write ${name}: ${messageOf(err)}`);
    }
    this.stream = createWriteStream('', { fd, highWaterMark: 1 << 20 });
    this.stream.on('error', (err) => {
      this.error ??= err;
    });
  }
  write(data: string | Uint8Array): Promise<void> | undefined {
    if (this.error) throw new Error(`cannot write ${this.name}: ${this.error.message}`);
    if (this.stream.write(data)) return undefined;
    return new Promise((res) => this.stream.once('drain', () => res()));
  }
  async commit(): Promise<void> {
    await new Promise<void>((res, rej) => this.stream.end(() => (this.error ? rej(this.error) : res())));
  }
  abort(): void {
    this.stream.destroy();
  }
}

/**
 * Opens an output: `undefined` or `-` is `stdout`; a new or regular file gets a temporary file renamed on
 * commit; an existing device or FIFO (`/dev/null`) is written directly — never replaced.
 * @throws UsageError when the path is a directory, or its directory is missing or not writable
 */
export function openOutput(path: string | undefined, stdout: NodeJS.WritableStream): Output {
  if (path === undefined || path === '-') return new StdoutOutput(stdout);
  let st;
  try {
    st = statSync(path);
  } catch {
    return new AtomicFile(path); // does not exist yet
  }
  if (st.isDirectory()) throw new UsageError(`cannot write ${path}: it is a directory`);
  return st.isFile() ? new AtomicFile(path) : new DirectOutput(path);
}

/** Opens an optional output file (`undefined` → none). */
export function openOptionalOutput(path: string | undefined, stdout: NodeJS.WritableStream): Output | null {
  return path === undefined ? null : openOutput(path, stdout);
}

/** A command's outputs: the main one, the optional removed-records and report files, and all of them in commit order. */
export interface Outputs {
  readonly out: Output;
  readonly removed: Output | null;
  readonly report: Output | null;
  /** Every opened output, main first and report last: what {@link commitAll} and {@link abortAll} take. */
  readonly all: (Output | null)[];
}

/**
 * Opens a command's outputs together (`removed` and `report` only when given); when one cannot be opened, those
 * already opened are aborted before the error propagates, so nothing is left behind.
 */
export function openOutputs(paths: { output?: string | undefined; removed?: string | undefined; report?: string | undefined }, stdout: NodeJS.WritableStream): Outputs {
  const all: (Output | null)[] = [];
  try {
    const out = openOutput(paths.output, stdout);
    all.push(out);
    const removed = openOptionalOutput(paths.removed, stdout);
    all.push(removed);
    const report = openOptionalOutput(paths.report, stdout);
    all.push(report);
    return { out, removed, report, all };
  } catch (err) {
    abortAll(all);
    throw err;
  }
}

/** True for an existing file that is not a regular file (a device such as /dev/null, a FIFO). */
function isSpecialFile(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Throws a UsageError when two outputs name the same file, or more than one would go to stdout. The first entry
 * is the main output, which is stdout when not given; the others are written only when given.
 */
export function checkOutputs(paths: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  const toStdout: string[] = [];
  let first = true;
  for (const [option, path] of Object.entries(paths)) {
    const isMain = first;
    first = false;
    if (path === '-' || (path === undefined && isMain)) {
      toStdout.push(option);
      continue;
    }
    if (path === undefined || isSpecialFile(path)) continue;
    const abs = resolve(path);
    const other = seen.get(abs);
    if (other) throw new UsageError(`${other} and ${option} name the same file ${path}`);
    seen.set(abs, option);
  }
  if (toStdout.length > 1) throw new UsageError(`${toStdout.join(' and ')} would both go to stdout: give ${toStdout.slice(1).join(', ')} a file name`);
}

/** Commits every output in order (the report last, by convention of the callers). */
export async function commitAll(outputs: (Output | null)[]): Promise<void> {
  for (const o of outputs) if (o) await o.commit();
}

/** Aborts every output. */
export function abortAll(outputs: (Output | null)[]): void {
  for (const o of outputs) o?.abort();
}
