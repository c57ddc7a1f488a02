/**
 * `--html FILE` of `neardup dedupe` and `neardup quality`.
 *
 * Dedupe: feeds the library's `DedupeReportBuilder` with the records as the run streams them — known by line
 * number, as the command's detector knows them — then reads the input a second time for the few kept copies the
 * report shows (when the input is a file; from stdin they are marked as not available), and writes
 * `renderDedupeReport`'s page. Records are shown under their id (or their line number when they have none).
 *
 * Quality: computes each valid record's `qualityReport` again on the main thread (the workers send back only the
 * verdict, not the statistics the charts need — about twice the single-thread CPU time of the run) and feeds
 * `QualityReportBuilder` with it and the run's own verdict (so `--filters` counts as in `--report`).
 *
 * The page goes through ./output like every other output: written whole or not at all, with the others.
 */
import type { DedupeRunOptions, DocId } from '../dedup';
import { qualityReport, type QualityReason, type QualityReportOptions } from '../quality';
import { DedupeReportBuilder, QualityReportBuilder, renderDedupeReport, renderQualityReport, type DedupeReportData, type ReportPair } from '../report';
import { UsageError, usageErrorFrom } from './errors';
import { lineBatches, lineText, openInput, type LineBatch } from './input';
import { BATCH } from './jsonl';
import { abortAll, openOutput, type Output, type Streams } from './output';
import { parseRecord, type FieldConfig } from './records';

/** Opens the `--html` output and appends it to `outputs`; on error, aborts `outputs` first. */
async function openHtml(path: string, streams: Streams, outputs: Output[]): Promise<Output> {
  try {
    if (path === '-') throw new UsageError('--html needs a file name, not stdout');
    const output = await openOutput(path, streams);
    outputs.push(output);
    return output;
  } catch (err) {
    abortAll(outputs);
    throw err;
  }
}

/** How a record is shown: its id (canonical JSON text, parsed back), or its line number when it has none. */
function label(id: string | null, line: number): DocId {
  if (id === null) return line;
  try {
    const v: unknown = JSON.parse(id);
    return typeof v === 'string' || (typeof v === 'number' && String(v) === id) ? v : id;
  } catch {
    return id;
  }
}

/** The HTML report of one `neardup dedupe` run. */
export class DedupeHtmlReport {
  private readonly builder: DedupeReportBuilder;
  /** Line number → id shown, for the records whose text the report holds. */
  private readonly labels = new Map<number, DocId>();

  private constructor(private readonly output: Output, options: DedupeRunOptions, private readonly fields: FieldConfig) {
    this.builder = new DedupeReportBuilder({ dedupe: options });
  }

  /** Opens the report (null when `--html` is not given); its output joins `outputs`. */
  static async open(path: string | undefined, level: string, options: DedupeRunOptions, fields: FieldConfig, streams: Streams, outputs: Output[]): Promise<DedupeHtmlReport | null> {
    if (path === undefined) return null;
    if (level !== 'document') {
      abortAll(outputs);
      throw new UsageError('--html needs --level document (the report shows removed records beside their kept copies)');
    }
    const output = await openHtml(path, streams, outputs);
    try {
      return new DedupeHtmlReport(output, options, fields);
    } catch (err) {
      abortAll(outputs);
      throw usageErrorFrom(err);
    }
  }

  /** A kept record of `length` UTF-16 code units. */
  kept(length: number): void {
    this.builder.kept(length);
  }

  /** The removed record at line `line` (line `i` of `batch`): decoded only if the report samples it. */
  removed(line: number, duplicateOfLine: number, similarity: number, exact: boolean, length: number, batch: LineBatch, i: number): void {
    this.builder.removed({ id: line, duplicateOf: duplicateOfLine, similarity, exact }, length, () => {
      const r = parseRecord(lineText(batch, i), this.fields);
      if (!r.ok) return '';
      this.labels.set(line, label(r.id, line));
      return r.text;
    });
  }

  /**
   * After the run: reads the input again for the texts the report needs (unless it was stdin), renders the page
   * and writes it. `invalid` is the number of invalid records skipped.
   */
  async write(inputPath: string, invalid: number, subtitle: string): Promise<void> {
    this.builder.invalid(invalid);
    const wanted = this.builder.wanted();
    if (wanted.size > 0 && inputPath !== '-') {
      let found = 0;
      const input = openInput(inputPath);
      for await (const batch of lineBatches(input.chunks(), BATCH)) {
        for (let i = 0; i < batch.count; i++) {
          const line = batch.lineNumbers[i]!;
          if (!wanted.has(line)) continue;
          const r = parseRecord(lineText(batch, i), this.fields);
          if (!r.ok) continue;
          this.builder.text(line, r.text);
          this.labels.set(line, label(r.id, line));
          found++;
        }
        if (found === wanted.size) break;
      }
    }
    await this.output.write(renderDedupeReport(this.relabel(this.builder.build()), { subtitle }));
  }

  /** The data with records shown under their ids instead of their line numbers. */
  private relabel(data: DedupeReportData): DedupeReportData {
    const l = (line: DocId): DocId => this.labels.get(line as number) ?? line;
    const pair = (p: ReportPair): ReportPair => ({ ...p, id: l(p.id), duplicateOf: l(p.duplicateOf) });
    return {
      ...data,
      samples: data.samples.map(pair),
      largestClusters: data.largestClusters.map((c) => ({ ...c, kept: l(c.kept), members: c.members.map(pair) })),
    };
  }
}

/** The HTML report of one `neardup quality` run. */
export class QualityHtmlReport {
  private readonly builder: QualityReportBuilder;

  private constructor(private readonly output: Output, private readonly options: QualityReportOptions, private readonly fields: FieldConfig) {
    this.builder = new QualityReportBuilder({ quality: options });
  }

  /** Opens the report (null when `--html` is not given); its output joins `outputs`. */
  static async open(path: string | undefined, options: QualityReportOptions, fields: FieldConfig, streams: Streams, outputs: Output[]): Promise<QualityHtmlReport | null> {
    if (path === undefined) return null;
    return new QualityHtmlReport(await openHtml(path, streams, outputs), options, fields);
  }

  /** A valid record, line `i` of `batch`, with the run's verdict on it (`pass`, `reasons`). */
  add(batch: LineBatch, i: number, pass: boolean, reasons: readonly string[]): void {
    const r = parseRecord(lineText(batch, i), this.fields);
    if (r.ok) this.builder.add({ ...qualityReport(r.text, this.options), pass, reasons: [...reasons] as QualityReason[] }, r.text, label(r.id, batch.lineNumbers[i]!));
  }

  /** Renders the page and writes it; `invalid` is the number of invalid records skipped. */
  async write(invalid: number, subtitle: string): Promise<void> {
    this.builder.invalid(invalid);
    await this.output.write(renderQualityReport(this.builder.build(), { subtitle }));
  }
}
