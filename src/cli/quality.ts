/**
 * `neardup quality`: adds the library's `qualityReport` (Gopher repetition, Gopher quality, C4, FineWeb) to
 * each JSONL record, or with `--filter` keeps only the records that pass every filter.
 */
import type { QualityReportOptions, QualityTokenizer } from '../quality';
import type { QualityReportFilter } from './records';
import { qualityReport } from '../quality';
import { UsageError, messageOf, usageErrorFrom } from './errors';
import { openInput, type LineBatch } from './input';
import { BATCH, Stopwatch, type Io } from './jsonl';
import { checkOutputs, openOutputs } from './output';
import { finishRun, RecordRun, type CommandReport, type RecordCommandOptions } from './command';
import { QualityHtmlReport } from './html-report';
import { appendMembers, Slices, type QualityTask, type QualityTaskResult } from './records';
import { version } from '../../package.json';

/** The filters `--filters` selects from, as spelled on the command line. */
export const QUALITY_FILTERS = ['gopher-repetition', 'gopher-quality', 'c4', 'fineweb'] as const;
/** One of {@link QUALITY_FILTERS}. */
export type QualityFilter = (typeof QUALITY_FILTERS)[number];

/** The key of each filter in `QualityReportOptions` and `QualityReport`. */
const REPORT_KEY: Record<QualityFilter, QualityReportFilter> = { 'gopher-repetition': 'gopherRepetition', 'gopher-quality': 'gopherQuality', c4: 'c4', fineweb: 'fineweb' };

/**
 * Parses `--set filter.option=value` settings into the per-filter options of `qualityReport` (the filter as on the
 * command line or as the library names it; the value as JSON, or as a string when it is not JSON).
 * @throws UsageError for a malformed setting or an unknown filter (unknown options are the library's to refuse)
 */
export function parseSettings(settings: readonly string[]): Partial<Record<QualityReportFilter, Record<string, unknown>>> {
  const out: Partial<Record<QualityReportFilter, Record<string, unknown>>> = {};
  for (const setting of settings) {
    const m = /^([A-Za-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(setting);
    if (!m) throw new UsageError(`--set expects filter.option=value (e.g. c4.minWordsPerLine=2), got ${JSON.stringify(setting)}`);
    const [, filter, option, raw] = m as unknown as [string, string, string, string];
    const key = (QUALITY_FILTERS as readonly string[]).includes(filter) ? REPORT_KEY[filter as QualityFilter] : (Object.values(REPORT_KEY) as string[]).includes(filter) ? (filter as QualityReportFilter) : null;
    if (!key) throw new UsageError(`--set ${setting}: unknown filter ${JSON.stringify(filter)} (allowed: ${QUALITY_FILTERS.join(', ')})`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    (out[key] ??= {})[option] = value;
  }
  return out;
}

/** Options of `neardup quality`, as parsed from the command line. */
export interface QualityCommandOptions extends RecordCommandOptions {
  html?: string;
  filter: boolean;
  field: string;
  details: boolean;
  tokenizer: QualityTokenizer;
  filters: QualityFilter[];
  set: string[];
}

/** The `--report` of `neardup quality`. */
export type QualityCommandReport = CommandReport<
  'quality',
  { input: string; output: string; removed: string | null },
  /** Records passing every filter, failing, and how many records failed each rule. */
  { passed: number; failed: number; reasons: Record<string, number> }
>;

/** Runs `neardup quality`; returns the exit code. */
export async function qualityCommand(inputPath: string, o: QualityCommandOptions, io: Io): Promise<number> {
  const options: QualityReportOptions = { tokenizer: o.tokenizer, ...parseSettings(o.set) };
  try {
    qualityReport('Options are checked here, before any worker starts.', options);
  } catch (err) {
    throw o.set.length > 0 ? new UsageError(`--set: ${messageOf(err)}`) : usageErrorFrom(err);
  }
  const filters = o.filters.length === QUALITY_FILTERS.length ? null : o.filters.map((f) => REPORT_KEY[f]);
  if (o.removed !== undefined && !o.filter) throw new UsageError('--removed needs --filter (without it every valid record is kept)');
  checkOutputs({ '--output': o.output, '--removed': o.removed, '--report': o.report, '--html': o.html });
  const watch = new Stopwatch();
  const input = openInput(inputPath, io.stdin);
  const outputs = await openOutputs(o, io);
  const { out, removed: removedOut, report: reportOut } = outputs;
  const html = await QualityHtmlReport.open(o.html, options, { textField: o.textField, idField: o.idField }, io, outputs.all);

  const run = new RecordRun(input, outputs, o, io);
  const { log, tally, fields } = run;
  const reasons: Record<string, number> = {};
  let passed = 0;

  const consume = async (batch: LineBatch, result: QualityTaskResult): Promise<void> => {
    const { bytes, offsets } = batch;
    const keptParts = new Slices(bytes);
    const goneParts: Uint8Array[] = [];
    run.each(batch, result.errors, (i) => {
      const pass = result.pass[i]!;
      if (pass) passed++;
      html?.add(batch, i, pass, result.reasons[i]!);
      for (const r of new Set(result.reasons[i]!)) reasons[r] = (reasons[r] ?? 0) + 1;
      if (o.filter && pass) {
        tally.kept++;
        keptParts.add(offsets[i]!, offsets[i + 1]!);
        return;
      }
      const annotated = appendMembers(bytes, offsets[i]!, offsets[i + 1]! - 1, result.members[i]!);
      if (!o.filter) {
        tally.kept++;
        keptParts.push(annotated);
      } else {
        tally.removed++;
        if (removedOut) goneParts.push(annotated);
      }
    });
    await run.batchDone(batch, keptParts, goneParts);
  };

  return run.guard(async () => {
    // Quality tasks are heavier per line than dedupe's, so a worker's batch is already busy at the usual size.
    await run.stream(
      (batch) =>
        run.runner.run({
          kind: 'quality',
          bytes: batch.bytes,
          count: batch.count,
          lineNumbers: batch.lineNumbers,
          fields,
          options,
          field: o.field,
          details: o.details,
          filter: o.filter,
          filters,
        } satisfies QualityTask),
      (batch, result) => consume(batch, result as QualityTaskResult),
      BATCH.maxLines,
    );
    const { records } = tally;
    const timings = watch.timings(records, input.bytes);
    if (reportOut) {
      const report: QualityCommandReport = {
        ...run.reportHead('quality', { input: input.name, output: out.name, removed: removedOut?.name ?? null }),
        options: { ...options, filters: o.filters, filter: o.filter, field: o.field, details: o.details, textField: o.textField, jobs: o.jobs, skipInvalid: o.skipInvalid },
        stats: { passed, failed: records - log.count - passed, reasons: Object.fromEntries(Object.entries(reasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) },
        timings,
      };
      await reportOut.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    await html?.write(log.count, `${input.name} · neardup ${version} · ${new Date().toISOString()}`);
    const summary = `${records.toLocaleString('en-US')} records: ${passed.toLocaleString('en-US')} pass, ${(records - log.count - passed).toLocaleString('en-US')} fail, ${log.count.toLocaleString('en-US')} invalid in ${timings.seconds.toFixed(1)} s (${timings.recordsPerSecond.toLocaleString('en-US')} records/s)`;
    return finishRun('quality', outputs.all, log, o.quiet, summary, records, input.name, io);
  });
}
