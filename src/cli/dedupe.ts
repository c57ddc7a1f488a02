/**
 * `neardup dedupe`: removes exact and near-duplicate records from a JSONL corpus (document level, with the
 * library's `NearDuplicateDetector`) or repeated lines/paragraphs across records (paragraph level, with its
 * `ParagraphDeduplicator`). Every non-blank input line ends up in exactly one place: the output, the removed
 * file, or the report's `errors`.
 */
import {
  NearDuplicateDetector,
  type DedupeMeasure,
  type DedupeMethod,
  type DedupeOptions,
  type PreparedDocument,
} from '../dedup';
import { boilerplateLookup, boilerplateOf, contentShingles, discountPrepared, resolveBoilerplateOptions, type ResolvedBoilerplateOptions } from '../dedup/boilerplate';
import { resolveShingleOptions } from '../shingle/shingles';
import { clusterBoilerplate, clusterEntries } from '../dedup/dedupe';
import { ParagraphDeduplicator, type ParagraphStore, type ParagraphUnit } from '../paragraphs';
import { KeySet64 } from '../paragraphs/keyset';
import { UsageError, usageErrorFrom } from './errors';
import { lineText, openInput, type LineBatch } from './input';
import { BATCH, Stopwatch, WORKER_BATCH_LINES, type Io } from './jsonl';
import { checkOutputs, openOutputs } from './output';
import { finishRun, RecordRun, type CommandReport, type RecordCommandOptions } from './command';
import { DedupeHtmlReport } from './html-report';
import { appendMembers, parseRecord, Slices, type DedupeTask, type DedupeTaskResult } from './records';
import { version } from '../../package.json';

/** Options of `neardup dedupe`, as parsed from the command line. */
export interface DedupeCommandOptions extends RecordCommandOptions {
  html?: string;
  level: 'document' | 'paragraph';
  threshold: number;
  method: DedupeMethod;
  measure: DedupeMeasure;
  numPerm: number;
  seed: number;
  minRecall: number;
  bands?: number;
  rows?: number;
  maxCandidates: number;
  maxVerifications: number;
  scheme: 'fast' | 'classic';
  simhashMaxDistance?: number;
  verify: boolean;
  editRatioMaxLength: number;
  shingleUnit: 'word' | 'char';
  shingleSize: number;
  unit: ParagraphUnit;
  minLength: number;
  store: ParagraphStore;
  duplicateIds: 'invalid' | 'allow';
  /** Document level: `greedy` streams; `connected` (and `keep: 'longest'`) read the whole input first. */
  clustering: 'greedy' | 'connected';
  keep: 'first' | 'longest';
  /** Document level: leave boilerplate shingles out (found in a first pass; reads the whole input first). */
  boilerplate: boolean;
  /** `--boilerplate-max-doc-frequency` (implies `--boilerplate`). */
  boilerplateMaxDocFrequency?: number;
  /** `--boilerplate-min-documents` (implies `--boilerplate`). */
  boilerplateMinDocuments?: number;
  /** `--boilerplate-flag-only`: find boilerplate and flag the clusters it holds, but match on every shingle (implies `--boilerplate`). */
  boilerplateFlagOnly: boolean;
}

/** The `--report` of `neardup dedupe`. */
export type DedupeReport = CommandReport<'dedupe', { input: string; output: string; removed: string | null }, Record<string, number>>;

/** Runs `neardup dedupe`; returns the exit code. */
export async function dedupeCommand(inputPath: string, o: DedupeCommandOptions, io: Io): Promise<number> {
  const documentLevel = o.level === 'document';
  const detectorOptions: DedupeOptions = {
    threshold: o.threshold,
    method: o.method,
    measure: o.measure,
    numPerm: o.numPerm,
    seed: o.seed,
    minRecall: o.minRecall,
    ...(o.bands === undefined ? {} : { bands: o.bands }),
    ...(o.rows === undefined ? {} : { rows: o.rows }),
    maxCandidates: o.maxCandidates,
    maxVerifications: o.maxVerifications,
    scheme: o.scheme,
    ...(o.simhashMaxDistance === undefined ? {} : { maxDistance: o.simhashMaxDistance }),
    verify: o.verify,
    editRatioMaxLength: o.editRatioMaxLength,
    shingle: { unit: o.shingleUnit, size: o.shingleSize },
  };
  let detector: NearDuplicateDetector | null = null;
  let paragraphs: ParagraphDeduplicator | null = null;
  let resolved: NearDuplicateDetector['options'] | null = null;
  const boilerplateOn = o.boilerplate || o.boilerplateFlagOnly || o.boilerplateMaxDocFrequency !== undefined || o.boilerplateMinDocuments !== undefined;
  let boilerplateOptions: ResolvedBoilerplateOptions | null = null;
  if (boilerplateOn && !documentLevel) throw new UsageError('--boilerplate (and its --boilerplate-* options) works at --level document only');
  if (o.measure === 'containment' && !o.verify) {
    throw new UsageError('--no-verify cannot be used with --measure containment (there is no containment estimate to report)');
  }
  try {
    if (boilerplateOn) {
      boilerplateOptions = resolveBoilerplateOptions(
        {
          ...(o.boilerplateMaxDocFrequency === undefined ? {} : { maxDocFrequency: o.boilerplateMaxDocFrequency }),
          ...(o.boilerplateMinDocuments === undefined ? {} : { minDocuments: o.boilerplateMinDocuments }),
        },
        'dedupe', 'options.boilerplate');
    }
    if (documentLevel) {
      detector = new NearDuplicateDetector(detectorOptions);
      detector.prepare('options are checked here, before any worker starts');
      resolved = detector.options;
    } else {
      paragraphs = new ParagraphDeduplicator({ unit: o.unit, minChars: o.minLength, store: o.store });
    }
  } catch (err) {
    throw usageErrorFrom(err);
  }

  checkOutputs({ '--output': o.output, '--removed': o.removed, '--report': o.report, '--html': o.html });
  const watch = new Stopwatch();
  const input = openInput(inputPath, io.stdin);
  const outputs = await openOutputs(o, io);
  const { out, removed: removedOut, report: reportOut } = outputs;
  const html = await DedupeHtmlReport.open(o.html, o.level, detectorOptions, { textField: o.textField, idField: o.idField }, io, outputs.all);

  const run = new RecordRun(input, outputs, o, io);
  const { log, tally, fields } = run;
  const ids = new KeySet64();
  const checkIds = o.duplicateIds === 'invalid';
  /** Ids (canonical JSON text) of kept records that have one, by line: the `duplicateOf` of later copies. */
  const idOfLine = new Map<number, string>();
  const stats = { exactDuplicates: 0, nearDuplicates: 0, unitsRemoved: 0, charactersRemoved: 0, recordsModified: 0, recordsEmptied: 0 };

  // --clustering connected / --keep longest / --boilerplate: every valid record is held (its batch's bytes and its
  // prepared document) until the input ends, then clustered as the library's dedupe() does, then written in input order.
  const buffered = documentLevel && (o.clustering === 'connected' || o.keep === 'longest' || boilerplateOptions !== null);
  const boilerplateStats = { shingles: 0, clusters: 0 };
  const held: { batch: LineBatch; i: number; line: number; id: string | null; doc: PreparedDocument }[] = [];

  const consume = async (batch: LineBatch, result: DedupeTaskResult): Promise<void> => {
    const { bytes, offsets } = batch;
    const keptParts = new Slices(bytes);
    const goneParts: Uint8Array[] = [];
    run.each(batch, result.errors, (i) => {
      const lineNo = batch.lineNumbers[i]!;
      const id = result.ids[i]!;
      if (id !== null && checkIds && !ids.add(result.idKeys[2 * i]!, result.idKeys[2 * i + 1]!)) {
        log.add(lineNo, `duplicate id ${id} (ids must be unique; --duplicate-ids allow accepts repeated ids)`);
        return;
      }
      if (buffered) {
        held.push({ batch, i, line: lineNo, id, doc: result.prepared[i]! });
        return;
      }
      if (detector) {
        // The detector knows each record by its line number (unique by construction); the record's own id, if
        // any, is looked up for the removed record's duplicateOf.
        const r = detector.addPrepared(lineNo, result.prepared[i]!);
        if (r.duplicateOf === undefined) {
          tally.kept++;
          keptParts.add(offsets[i]!, offsets[i + 1]!);
          if (removedOut && id !== null) idOfLine.set(lineNo, id);
          html?.kept(result.prepared[i]!.length);
        } else {
          tally.removed++;
          if (r.exact) stats.exactDuplicates++;
          else stats.nearDuplicates++;
          html?.removed(lineNo, r.duplicateOf as number, r.similarity!, r.exact === true, result.prepared[i]!.length, batch, i);
          if (removedOut) {
            const of = r.duplicateOf as number;
            const members = `"duplicateOf":${idOfLine.get(of) ?? 'null'},"duplicateOfLine":${of},"similarity":${r.similarity},"exact":${r.exact === true}`;
            goneParts.push(appendMembers(bytes, offsets[i]!, offsets[i + 1]! - 1, members));
          }
        }
      } else {
        const text = result.texts[i]!;
        const r = paragraphs!.process(lineNo, text);
        if (r.removed.length === 0) {
          tally.kept++;
          keptParts.add(offsets[i]!, offsets[i + 1]!);
          return;
        }
        stats.unitsRemoved += r.removed.length;
        for (const u of r.removed) stats.charactersRemoved += u.cutEnd - u.cutStart;
        if (r.text.trim() === '' && text.trim() !== '') {
          tally.removed++;
          stats.recordsEmptied++;
          if (removedOut) goneParts.push(appendMembers(bytes, offsets[i]!, offsets[i + 1]! - 1, `"duplicateOf":null,"unitsRemoved":${r.removed.length}`));
        } else {
          tally.kept++;
          stats.recordsModified++;
          const record = JSON.parse(lineText(batch, i)) as Record<string, unknown>;
          record[o.textField] = r.text;
          keptParts.push(Buffer.from(`${JSON.stringify(record)}\n`, 'utf8'));
        }
      }
    });
    await run.batchDone(batch, keptParts, goneParts);
  };

  return run.guard(async () => {
    await run.stream(
      (batch) =>
        run.runner.run({ kind: 'dedupe', bytes: batch.bytes, count: batch.count, lineNumbers: batch.lineNumbers, fields, options: documentLevel ? detectorOptions : null } satisfies DedupeTask),
      (batch, result) => consume(batch, result as DedupeTaskResult),
      WORKER_BATCH_LINES,
    );
    if (buffered) {
      // The boilerplate pass, as dedupe()'s: raw sets, content sets (read from the text, re-parsed from the held
      // line) and exact keys for the flags, then (unless flag-only) the documents re-signed on their content sets.
      let raw: Uint32Array[] = [];
      let rest: Uint32Array[] = [];
      const keys = new Float64Array(boilerplateOptions ? 2 * held.length : 0);
      if (boilerplateOptions) {
        raw = held.map((h) => h.doc.shingles);
        const table = boilerplateOf(raw, boilerplateOptions);
        const so = resolveShingleOptions(resolved!.shingle);
        const lookup = boilerplateLookup(table);
        rest = held.map((h, k) => {
          keys[2 * k] = h.doc.keyHi;
          keys[2 * k + 1] = h.doc.keyLo;
          const parsed = parseRecord(lineText(h.batch, h.i), fields);
          const content = parsed.ok ? contentShingles(parsed.text, raw[k]!, lookup, so) : raw[k]!; // held lines parsed before
          if (!o.boilerplateFlagOnly) h.doc = discountPrepared(h.doc, content, resolved!);
          return content;
        });
        boilerplateStats.shingles = table.length;
      }
      const entries = held.map((h, index) => ({ id: index, index, length: h.doc.length, doc: h.doc }));
      const c = clusterEntries(entries, detector!, o.keep, o.clustering);
      // Per kept entry of a cluster of two or more: whether boilerplate holds the cluster together.
      const heldBy = new Map<number, boolean>();
      if (boilerplateOptions) {
        const members = new Map<number, number[]>();
        for (let k = 0; k < held.length; k++) {
          const r = c.rep[k]!;
          if (r === k) continue;
          let group = members.get(r);
          if (!group) members.set(r, (group = [r]));
          group.push(k);
        }
        for (const [r, group] of members) {
          const flagged = clusterBoilerplate(r, group, raw, rest, keys, resolved!, !o.boilerplateFlagOnly).heldByBoilerplate;
          heldBy.set(r, flagged);
          if (flagged) boilerplateStats.clusters++;
        }
      }
      const keptParts: Uint8Array[] = [];
      const goneParts: Uint8Array[] = [];
      let size = 0;
      const flush = async (): Promise<void> => {
        if (keptParts.length > 0) await out.write(Buffer.concat(keptParts));
        if (removedOut && goneParts.length > 0) await removedOut.write(Buffer.concat(goneParts));
        keptParts.length = 0;
        goneParts.length = 0;
        size = 0;
      };
      for (let k = 0; k < held.length; k++) {
        const h = held[k]!;
        const start = h.batch.offsets[h.i]!;
        const end = h.batch.offsets[h.i + 1]!;
        const r = c.rep[k]!;
        if (r === k) {
          tally.kept++;
          keptParts.push(h.batch.bytes.subarray(start, end));
        } else {
          tally.removed++;
          if (c.exact[k] === 1) stats.exactDuplicates++;
          else stats.nearDuplicates++;
          if (removedOut) {
            const rep = held[r]!;
            const flag = boilerplateOptions ? `,"heldByBoilerplate":${heldBy.get(r)!}` : '';
            goneParts.push(appendMembers(h.batch.bytes, start, end - 1, `"duplicateOf":${rep.id ?? 'null'},"duplicateOfLine":${rep.line},"similarity":${c.similarity[k]},"exact":${c.exact[k] === 1}${flag}`));
          }
        }
        size += end - start;
        if (size >= BATCH.maxBytes) await flush();
      }
      await flush();
    }
    const { records, kept, removed } = tally;
    const timings = watch.timings(records, input.bytes);
    if (reportOut) {
      const report: DedupeReport = {
        ...run.reportHead('dedupe', { input: input.name, output: out.name, removed: removedOut?.name ?? null }),
        options: {
          level: o.level,
          textField: o.textField,
          idField: o.idField,
          duplicateIds: o.duplicateIds,
          ...(documentLevel
            ? { detector: resolved, clustering: o.clustering, keep: o.keep, boilerplate: boilerplateOptions ? { ...boilerplateOptions, discount: !o.boilerplateFlagOnly } : null }
            : { unit: o.unit, minLength: o.minLength, store: o.store }),
          jobs: o.jobs,
          skipInvalid: o.skipInvalid,
        },
        stats: documentLevel
          ? {
              exactDuplicates: stats.exactDuplicates,
              nearDuplicates: stats.nearDuplicates,
              candidates: detector!.candidates,
              rejectedCandidates: detector!.rejected,
              indexedDocuments: detector!.size,
              ...(boilerplateOptions ? { boilerplateShingles: boilerplateStats.shingles, boilerplateClusters: boilerplateStats.clusters } : {}),
            }
          : {
              unitsRemoved: stats.unitsRemoved,
              charactersRemoved: stats.charactersRemoved,
              recordsModified: stats.recordsModified,
              recordsEmptied: stats.recordsEmptied,
            },
        timings,
      };
      await reportOut.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    await html?.write(inputPath, log.count, `${input.name} · neardup ${version} · ${new Date().toISOString()}`);
    const what = documentLevel
      ? `${removed.toLocaleString('en-US')} removed (${stats.exactDuplicates.toLocaleString('en-US')} exact, ${stats.nearDuplicates.toLocaleString('en-US')} near)`
      : `${stats.unitsRemoved.toLocaleString('en-US')} units removed, ${removed.toLocaleString('en-US')} records emptied`;
    const summary = `${records.toLocaleString('en-US')} records: ${kept.toLocaleString('en-US')} kept, ${what}, ${log.count.toLocaleString('en-US')} invalid in ${timings.seconds.toFixed(1)} s (${timings.recordsPerSecond.toLocaleString('en-US')} records/s, ${timings.megabytesPerSecond} MB/s)`;
    return finishRun('dedupe', outputs.all, log, o.quiet, summary, records, input.name, io);
  });
}
