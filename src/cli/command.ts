/**
 * The scaffolding the record commands (`dedupe`, `quality`, `contains`) share around their own per-record work:
 * writing a processed batch, showing progress, ending a run (outputs committed, summary on stderr, exit code) and
 * cleaning up when a run fails. Each command keeps its own messages; these helpers keep the order of the steps
 * the same everywhere.
 */
import { lineBatches, type Input, type LineBatch } from './input';
import { BATCH, IN_FLIGHT_PER_THREAD, inputInfo, InvalidLog, noValidRecord, type InvalidLine, type Io, type Timings } from './jsonl';
import { version } from '../../package.json';
import { abortAll, commitAll, type Output, type Outputs } from './output';
import { createRunner, runOrdered, type Runner } from './pool';
import { Progress } from './progress';
import type { FieldConfig, Slices, TaskResult } from './records';

/** The options every record command (`dedupe`, `quality`, `contains`) takes, as parsed from the command line. */
export interface RecordCommandOptions {
  /** Kept (or annotated) records; stdout when left out. */
  output?: string;
  /** Removed records, when given. */
  removed?: string;
  /** The JSON report, when given. */
  report?: string;
  textField: string;
  idField: string;
  jobs: number;
  skipInvalid: boolean;
  quiet: boolean;
}

/** What a record command has counted so far: the `input = kept + removed + invalid` accounting of its report. */
export interface RecordTally {
  /** Non-blank lines seen. */
  records: number;
  /** Decoded bytes of the batches processed (for progress). */
  processed: number;
  kept: number;
  removed: number;
}

/**
 * The state every record command keeps while it streams its input through the worker pool: the invalid-line log,
 * the progress line, the line counter, the tally, the pool and the record fields. Each command adds only its own
 * per-record work (`each`) and its report.
 */
export class RecordRun {
  readonly log: InvalidLog;
  readonly progress: Progress;
  /** Lines read so far (blank ones too), for the report's `inputInfo`. */
  readonly counter = { lines: 0 };
  readonly tally: RecordTally = { records: 0, processed: 0, kept: 0, removed: 0 };
  readonly runner: Runner;
  readonly fields: FieldConfig;

  constructor(
    readonly input: Input,
    readonly outputs: Outputs,
    o: RecordCommandOptions,
    io: Io,
  ) {
    this.log = new InvalidLog(input.name, o.skipInvalid);
    this.progress = new Progress(io.stderrIsTTY && !o.quiet ? io.stderr : null);
    this.runner = createRunner(o.jobs);
    this.fields = { textField: o.textField, idField: o.idField };
  }

  /**
   * Visits the records of one processed batch in order: each is counted, one the worker found invalid goes to the
   * log (with its reason), and `visit(i)` handles the others.
   */
  each(batch: LineBatch, errors: readonly (string | null)[], visit: (i: number) => void): void {
    for (let i = 0; i < batch.count; i++) {
      this.tally.records++;
      const error = errors[i];
      if (error !== null && error !== undefined) this.log.add(batch.lineNumbers[i]!, error);
      else visit(i);
    }
  }

  /** Ends one batch: writes its kept and removed records, then shows progress. */
  async batchDone(batch: LineBatch, kept: Slices, gone: Uint8Array[]): Promise<void> {
    await writeBatch(this.outputs.out, this.outputs.removed, kept, gone);
    this.tally.processed += batch.bytes.length;
    showProgress(this.progress, this.input, this.tally.records, this.tally.processed);
  }

  /**
   * Streams the input through the pool in order: batches of lines (`workerLines` per batch when workers take
   * them, so each stays busy), `submit` turning each into a task, `consume` handling each result in input order,
   * with a bounded number of batches in flight. Clears the progress line at the end.
   */
  async stream(
    submit: (batch: LineBatch) => Promise<TaskResult>,
    consume: (batch: LineBatch, result: TaskResult) => Promise<void>,
    workerLines: number,
  ): Promise<void> {
    await runOrdered(
      lineBatches(this.input.chunks(), { ...BATCH, maxLines: this.runner.threads > 0 ? workerLines : BATCH.maxLines, counter: this.counter }),
      submit,
      consume,
      Math.max(2, this.runner.threads * IN_FLIGHT_PER_THREAD),
    );
    this.progress.done();
  }

  /** Runs the command's `body` under {@link guardRun}: on a failure no half-written output is left; the pool is closed either way. */
  guard(body: () => Promise<number>): Promise<number> {
    return guardRun(this.progress, this.outputs.all, this.runner, body);
  }

  /** The first fields of the command's report (see {@link reportHead}), from this run's tally, log and input. */
  reportHead<C extends string, Files>(command: C, files: Files): ReturnType<typeof reportHead<C, Files>> {
    const { records, kept, removed } = this.tally;
    return reportHead(command, { records, kept, removed }, this.log, files, this.input, this.counter.lines);
  }
}

/** Writes one processed batch: its kept records to the main output, its removed ones to `--removed` (when given). */
async function writeBatch(out: Output, removedOut: Output | null, kept: Slices, gone: Uint8Array[]): Promise<void> {
  const keptBytes = kept.concat();
  if (keptBytes.length > 0) await out.write(keptBytes);
  if (removedOut && gone.length > 0) await removedOut.write(Buffer.concat(gone));
}

/**
 * Shows progress after `processed` decoded bytes. Reading runs ahead of processing, so the raw position (against
 * the file size) is scaled by the share of decoded bytes processed so far.
 */
function showProgress(progress: Progress, input: Input, records: number, processed: number): void {
  progress.update({ records, bytes: processed, rawBytes: input.bytes > 0 ? (input.rawBytes * processed) / input.bytes : 0, total: input.size });
}

/**
 * Ends a run that read all its input: commits every output, then (unless `quiet`) writes the skipped-lines note
 * and `summary` to stderr as `neardup <command>: …`; returns the exit code (1 when no record was valid).
 */
export async function finishRun(
  command: string,
  outputs: Output[],
  log: InvalidLog,
  quiet: boolean,
  summary: string,
  records: number,
  inputName: string,
  io: Io,
): Promise<number> {
  await commitAll(outputs);
  if (!quiet) {
    const skipped = log.summary();
    if (skipped) io.stderr.write(`neardup ${command}: ${skipped}\n`);
    io.stderr.write(`neardup ${command}: ${summary}\n`);
  }
  return noValidRecord(command, records, log, inputName, io);
}

/**
 * Runs a command's `body`. When it throws, the progress line is cleared and every output aborted (no
 * half-written file is left, an existing one is untouched) before the error propagates; the worker pool is
 * closed either way.
 */
export async function guardRun(progress: Progress, outputs: Output[], runner: Runner, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    progress.done();
    abortAll(outputs);
    throw err;
  } finally {
    await runner.close();
  }
}

/**
 * The `--report` of a record command: what every command writes first (counts, invalid lines, files, input), then
 * its own `options` and `stats` (`contains` adds `found`), then `timings`.
 */
export interface CommandReport<C extends string, Files, Stats> {
  readonly command: C;
  readonly version: string;
  /** Non-blank input lines: `kept + removed + invalid`. */
  readonly input: number;
  readonly kept: number;
  readonly removed: number;
  readonly invalid: number;
  readonly errors: InvalidLine[];
  readonly files: Files;
  readonly inputInfo: { path: string; gzip: boolean; bytes: number; lines: number };
  readonly options: Record<string, unknown>;
  readonly stats: Stats;
  readonly timings: Timings;
}

/** The first fields of a command's report, in the order every report writes them. */
export function reportHead<C extends string, Files>(
  command: C,
  counts: { records: number; kept: number; removed: number },
  log: InvalidLog,
  files: Files,
  input: Input,
  lines: number,
): Pick<CommandReport<C, Files, never>, 'command' | 'version' | 'input' | 'kept' | 'removed' | 'invalid' | 'errors' | 'files' | 'inputInfo'> {
  return {
    command,
    version,
    input: counts.records,
    kept: counts.kept,
    removed: counts.removed,
    invalid: log.count,
    errors: log.errors,
    files,
    inputInfo: inputInfo(input, lines),
  };
}
