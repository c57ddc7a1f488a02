/**
 * `neardup contains`: decontamination. Finds every record of a JSONL corpus that contains a reference text
 * (benchmark items, test sets) — at least `--threshold` of the reference's word shingles appear in the record —
 * with the library's `ContainmentIndex`, and reports the matched spans as UTF-16 offsets into the record's text.
 * Every non-blank corpus line ends up in exactly one place: the output (contains no reference), `--removed`
 * (contains one or more, with `contains` added), or the report's `errors`.
 */
import { ContainmentIndex } from '../containment';
import { matchedSpans, shingleWindows } from '../containment/spans';
import { resolveShingleOptions, shinglesResolved, type ResolvedShingleOptions } from '../shingle/shingles';
import { InputError, UsageError, usageErrorFrom } from './errors';
import { lineBatches, openInput, type LineBatch } from './input';
import { BATCH, Stopwatch, WORKER_BATCH_LINES, type Io } from './jsonl';
import { checkOutputs, openOutputs } from './output';
import { finishRun, RecordRun, type CommandReport, type RecordCommandOptions } from './command';
import { appendMembers, decodeLines, INVALID_UTF8, parseRecord, Slices, type DedupeTask, type DedupeTaskResult, type FieldConfig, type TaskResult } from './records';

/** Options of `neardup contains`, as parsed from the command line. */
export interface ContainsCommandOptions extends RecordCommandOptions {
  refs: string;
  refsTextField?: string;
  refsIdField?: string;
  threshold: number;
  shingleSize: number;
}

/** One reference text: its id (canonical JSON text, or null), its line in the references file, its shingles. */
interface Reference {
  readonly id: string | null;
  readonly line: number;
  readonly set: Uint32Array;
}

/** The `--report` of `neardup contains`. */
export interface ContainsReport
  extends CommandReport<'contains', { input: string; refs: string; output: string; removed: string | null }, { references: number; matches: number; referencesFound: number }> {
  /** Records that contain no reference. */
  readonly kept: number;
  /** Records that contain at least one reference. */
  readonly removed: number;
  /** The references found at least once, most found first: id, line in the references file, records containing it. */
  readonly found: { ref: unknown; refLine: number; records: number }[];
}

/**
 * Reads every reference. A reference that is invalid or has no word can never be matched, which would pass a
 * contaminated corpus as clean: it stops the run (exit 1), whatever `--skip-invalid` says.
 */
async function readReferences(path: string, fields: FieldConfig, shingle: ResolvedShingleOptions, io: Io): Promise<Reference[]> {
  const input = openInput(path, io.stdin);
  const refs: Reference[] = [];
  for await (const batch of lineBatches(input.chunks(), BATCH)) {
    const { lines, invalid } = decodeLines(batch.bytes, batch.count);
    for (let i = 0; i < batch.count; i++) {
      const line = batch.lineNumbers[i]!;
      const r = invalid?.[i] ? { ok: false as const, reason: INVALID_UTF8 } : parseRecord(lines[i]!, fields);
      if (!r.ok) throw new InputError(`${input.name}:${line}: ${r.reason} (every reference must be valid: an unread reference would pass its copies as clean)`);
      const set = shinglesResolved(r.text, shingle);
      if (set.length === 0) throw new InputError(`${input.name}:${line}: the reference has no word, so it can never be matched`);
      refs.push({ id: r.id, line, set });
    }
  }
  if (refs.length === 0) throw new InputError(`${input.name}: no reference text (the references file has no non-blank line)`);
  return refs;
}

/** Runs `neardup contains`; returns the exit code. */
export async function containsCommand(inputPath: string, o: ContainsCommandOptions, io: Io): Promise<number> {
  let index: ContainmentIndex;
  let shingle: ResolvedShingleOptions;
  try {
    index = new ContainmentIndex({ threshold: o.threshold });
    shingle = resolveShingleOptions({ size: o.shingleSize }, 'contains', 'options.shingle');
  } catch (err) {
    throw usageErrorFrom(err);
  }
  if (inputPath === '-' && o.refs === '-') throw new UsageError('the corpus and --refs cannot both be read from stdin');
  checkOutputs({ '--output': o.output, '--removed': o.removed, '--report': o.report });
  const watch = new Stopwatch();
  const refFields = { textField: o.refsTextField ?? o.textField, idField: o.refsIdField ?? o.idField };
  const refs = await readReferences(o.refs, refFields, shingle, io);
  refs.forEach((r, n) => index.insert(n, r.set));

  const input = openInput(inputPath, io.stdin);
  const outputs = await openOutputs(o, io);
  const { out, removed: removedOut, report: reportOut } = outputs;
  const run = new RecordRun(input, outputs, o, io);
  const { log, tally, fields } = run;
  const hits = new Uint32Array(refs.length);
  let matches = 0;

  const consume = async (batch: LineBatch, result: DedupeTaskResult): Promise<void> => {
    const { bytes, offsets } = batch;
    const keptParts = new Slices(bytes);
    const goneParts: Uint8Array[] = [];
    run.each(batch, result.errors, (i) => {
      const text = result.texts[i]!;
      const found = index.containedIn(shinglesResolved(text, shingle));
      if (found.length === 0) {
        tally.kept++;
        keptParts.add(offsets[i]!, offsets[i + 1]!);
        return;
      }
      tally.removed++;
      matches += found.length;
      const windows = removedOut ? shingleWindows(text, shingle.size, shingle.seed) : null;
      const members: string[] = [];
      for (const m of found) {
        const ref = refs[m.id as number]!;
        hits[m.id as number]!++;
        if (windows) {
          const spans = matchedSpans(windows, ref.set);
          members.push(`{"ref":${ref.id ?? 'null'},"refLine":${ref.line},"containment":${m.containment},"spans":${JSON.stringify(spans)}}`);
        }
      }
      if (removedOut) goneParts.push(appendMembers(bytes, offsets[i]!, offsets[i + 1]! - 1, `"contains":[${members.join(',')}]`));
    });
    await run.batchDone(batch, keptParts, goneParts);
  };

  const submit = (batch: LineBatch): Promise<TaskResult> =>
    run.runner.run({ kind: 'dedupe', bytes: batch.bytes, count: batch.count, lineNumbers: batch.lineNumbers, fields, options: null } satisfies DedupeTask);
  return run.guard(async () => {
    await run.stream(submit, (batch, result) => consume(batch, result as DedupeTaskResult), WORKER_BATCH_LINES);
    const { records, kept, removed } = tally;
    const timings = watch.timings(records, input.bytes);
    const found = [...hits.keys()]
      .filter((n) => hits[n]! > 0)
      .sort((a, b) => hits[b]! - hits[a]! || a - b)
      .map((n) => ({ ref: refs[n]!.id === null ? null : (JSON.parse(refs[n]!.id!) as unknown), refLine: refs[n]!.line, records: hits[n]! }));
    if (reportOut) {
      const report: ContainsReport = {
        ...run.reportHead('contains', { input: input.name, refs: o.refs === '-' ? '<stdin>' : o.refs, output: out.name, removed: removedOut?.name ?? null }),
        options: {
          threshold: o.threshold,
          shingle: { unit: 'word', size: shingle.size, normalize: true, seed: shingle.seed },
          textField: o.textField,
          idField: o.idField,
          refsTextField: refFields.textField,
          refsIdField: refFields.idField,
          jobs: o.jobs,
          skipInvalid: o.skipInvalid,
        },
        stats: { references: refs.length, matches, referencesFound: found.length },
        found,
        timings,
      };
      await reportOut.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    const n = (v: number): string => v.toLocaleString('en-US');
    const summary = `${n(records)} records: ${n(kept)} clean, ${n(removed)} contain a reference (${n(matches)} matches of ${n(found.length)} of ${n(refs.length)} references), ${n(log.count)} invalid in ${timings.seconds.toFixed(1)} s`;
    return finishRun('contains', outputs.all, log, o.quiet, summary, records, input.name, io);
  });
}
