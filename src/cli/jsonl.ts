/**
 * What the JSONL commands (`dedupe`, `quality`) share: the streams they use, the log of invalid lines, batch
 * sizes, and the timing block of the report.
 */
import { EXIT_INVALID_INPUT, EXIT_OK, InputError } from './errors';
import type { Input } from './input';

/** The process streams a command uses (replaceable in tests). */
export interface Io {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Show progress: stderr is a terminal. */
  readonly stderrIsTTY: boolean;
  /** stdout is a terminal (the `paragraphs` summary then starts on a fresh line). */
  readonly stdoutIsTTY?: boolean;
}

/** One line that could not be used. */
export interface InvalidLine {
  /** 1-based line number in the (decompressed) input. */
  readonly line: number;
  /** What is wrong: invalid JSON, not an object, missing or non-string text field, bad or duplicate id. */
  readonly reason: string;
}

/** Lines per batch sent to a worker, and the text size that closes a batch early. */
export const BATCH = Object.freeze({ maxLines: 256, maxBytes: 1 << 20 });

/**
 * Lines per batch of `dedupe` on worker threads, where the main thread (which owns the index) bounds the speed:
 * every task posted wakes a sleeping worker, which cost the main thread ~0.3–0.8 ms a task on a busy 2-core
 * machine (measured: `Atomics.notify` in piscina's postTask), so fewer, larger tasks leave it more time.
 */
export const WORKER_BATCH_LINES = 1024;

/** Batches submitted and not yet consumed, per worker thread: enough to keep every thread busy. */
export const IN_FLIGHT_PER_THREAD = 4;

/** Collects invalid lines; without `--skip-invalid` the first one stops the run. */
export class InvalidLog {
  readonly errors: InvalidLine[] = [];
  constructor(private readonly inputName: string, private readonly skipInvalid: boolean) {}

  get count(): number {
    return this.errors.length;
  }

  /**
   * Records an invalid line.
   * @throws InputError unless invalid lines are skipped
   */
  add(line: number, reason: string): void {
    this.errors.push({ line, reason });
    if (!this.skipInvalid) {
      throw new InputError(`${this.inputName}:${line}: ${reason}; stopped (use --skip-invalid to record invalid lines in the report and go on)`);
    }
  }

  /** One line for stderr when lines were skipped, or null. */
  summary(): string | null {
    if (this.errors.length === 0) return null;
    const shown = this.errors.slice(0, 3).map((e) => `line ${e.line}: ${e.reason}`).join('; ');
    const more = this.errors.length > 3 ? `; … and ${(this.errors.length - 3).toLocaleString('en-US')} more` : '';
    return `skipped ${this.errors.length.toLocaleString('en-US')} invalid line${this.errors.length === 1 ? '' : 's'}: ${shown}${more}`;
  }
}

/**
 * The exit code of a run that read `records` non-blank lines: 0, unless there were some and none was valid (with
 * `--skip-invalid`: a wrong `--text-field` must not look like success), then 1 with a message on stderr (always:
 * `-q` silences progress, not errors). The outputs are written either way: the report says what went wrong.
 */
export function noValidRecord(command: string, records: number, log: InvalidLog, inputName: string, io: Io): number {
  if (records === 0 || log.count < records) return EXIT_OK;
  const first = log.errors[0]!;
  io.stderr.write(`neardup ${command}: no valid record in ${inputName}: all ${records.toLocaleString('en-US')} lines are invalid (first: line ${first.line}: ${first.reason}); exit 1\n`);
  return EXIT_INVALID_INPUT;
}

/** The `timings` block of a report. */
export interface Timings {
  /** ISO time the run started. */
  readonly startedAt: string;
  /** Wall time in seconds. */
  readonly seconds: number;
  /** CPU time of the whole process (main thread and worker threads), in seconds. */
  readonly cpuSeconds: number;
  readonly recordsPerSecond: number;
  /** Decompressed input megabytes (10⁶ bytes) per second. */
  readonly megabytesPerSecond: number;
}

/** A stopwatch for the report. */
export class Stopwatch {
  private readonly t0 = performance.now();
  private readonly cpu0 = process.cpuUsage();
  private readonly startedAt = new Date().toISOString();

  timings(records: number, bytes: number): Timings {
    const seconds = (performance.now() - this.t0) / 1000;
    const cpu = process.cpuUsage(this.cpu0);
    return {
      startedAt: this.startedAt,
      seconds: round(seconds, 3),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
      recordsPerSecond: seconds > 0 ? Math.round(records / seconds) : 0,
      megabytesPerSecond: seconds > 0 ? round(bytes / 1e6 / seconds, 2) : 0,
    };
  }
}

/** Rounds to `digits` decimals. */
export const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** The input block of a report. */
export function inputInfo(input: Input, lines: number): { path: string; gzip: boolean; bytes: number; lines: number } {
  return { path: input.name, gzip: input.gzip, bytes: input.bytes, lines };
}
