/**
 * The scaffolding the record commands (`dedupe`, `quality`, `contains`) share around their own per-record work:
 * writing a processed batch, showing progress, ending a run (outputs committed, summary on stderr, exit code) and
 * cleaning up when a run fails. Each command keeps its own messages; these helpers keep the order of the steps
 * the same everywhere.
 */
import type { Input } from './input';
import { inputInfo, noValidRecord, type InvalidLine, type InvalidLog, type Io, type Timings } from './jsonl';
import { version } from '../../package.json';
import { abortAll, commitAll, type Output } from './output';
import type { Runner } from './pool';
import type { Progress } from './progress';
import type { Slices } from './records';

/** Writes one processed batch: its kept records to the main output, its removed ones to `--removed` (when given). */
export async function writeBatch(out: Output, removedOut: Output | null, kept: Slices, gone: Uint8Array[]): Promise<void> {
  const keptBytes = kept.concat();
  if (keptBytes.length > 0) await out.write(keptBytes);
  if (removedOut && gone.length > 0) await removedOut.write(Buffer.concat(gone));
}

/**
 * Shows progress after `processed` decoded bytes. Reading runs ahead of processing, so the raw position (against
 * the file size) is scaled by the share of decoded bytes processed so far.
 */
export function showProgress(progress: Progress, input: Input, records: number, processed: number): void {
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
