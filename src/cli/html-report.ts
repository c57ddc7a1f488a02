/**
 * `--html FILE` of `neardup dedupe` and `neardup quality`. For dedupe: feeds the library's `DedupeReportBuilder` with the records as the run streams
 * them, reads the input a second time for the few kept copies the report shows (when the input is a file; from
 * stdin they are marked as not available), and writes `renderDedupeReport`'s page through the atomic outputs of
 * ./output, committed with the command's other outputs. For quality: computes each valid record's `qualityReport`
 * again on the main thread (the workers send back only pass/reasons, not the statistics the charts need — about
 * twice the single-thread CPU time of the run) and feeds `QualityReportBuilder`.
 */
import type { DedupeRunOptions, DocId, DuplicateRecord } from '../dedup';
import { qualityReport, type QualityReportOptions } from '../quality';
import { DedupeReportBuilder, QualityReportBuilder, renderDedupeReport, renderQualityReport } from '../report';
import { UsageError, usageErrorFrom } from './errors';
import { lineBatches, lineText, openInput, type LineBatch } from './input';
import { BATCH } from './jsonl';
import { abortAll, openOptionalOutput, type Output } from './output';
import { parseRecord, type FieldConfig } from './records';

/** The HTML report of one `neardup dedupe` run. */
export class DedupeHtmlReport {
  private readonly builder: DedupeReportBuilder;

  private constructor(private readonly output: Output, options: DedupeRunOptions, private readonly fields: FieldConfig) {
    this.builder = new DedupeReportBuilder({ dedupe: options });
  }

  /**
   * Opens the `--html` output (null when not asked for) and appends it to `outputs`, so that it is committed or
   * aborted with them; on error, aborts `outputs` first.
   */
  static open(path: string | undefined, level: string, options: DedupeRunOptions, fields: FieldConfig, stdout: NodeJS.WritableStream, outputs: (Output | null)[]): DedupeHtmlReport | null {
    if (path === undefined) return null;
    try {
      if (level !== 'document') throw new UsageError('--html needs --level document (the report shows removed documents beside their kept copies)');
      if (path === '-') throw new UsageError('--html needs a file name, not stdout');
      const output = openOptionalOutput(path, stdout)!;
      outputs.push(output);
      try {
        return new DedupeHtmlReport(output, options, fields);
      } catch (err) {
        throw usageErrorFrom(err);
      }
    } catch (err) {
      abortAll(outputs);
      throw err;
    }
  }

  /** A kept record of `length` UTF-16 code units. */
  kept(length: number): void {
    this.builder.kept(length);
  }

  /** A removed record: its text is decoded from the batch only if the report samples it. */
  removed(id: DocId, duplicateOf: DocId, similarity: number, exact: boolean, length: number, batch: LineBatch, i: number): void {
    const record: DuplicateRecord = { id, duplicateOf, similarity, exact };
    this.builder.removed(record, length, () => {
      const r = parseRecord(lineText(batch, i), batch.lineNumbers[i]!, this.fields);
      return r.ok ? r.text : '';
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
      const found = new Set<DocId>();
      const input = openInput(inputPath);
      for await (const batch of lineBatches(input.chunks(), BATCH)) {
        for (let i = 0; i < batch.count; i++) {
          const r = parseRecord(lineText(batch, i), batch.lineNumbers[i]!, this.fields);
          // The first record with an id is the one the run read (a later one was an invalid duplicate id).
          if (r.ok && wanted.has(r.id) && !found.has(r.id)) {
            this.builder.text(r.id, r.text);
            found.add(r.id);
          }
        }
        if (found.size === wanted.size) break;
      }
    }
    await this.output.write(renderDedupeReport(this.builder.build(), { subtitle }));
  }
}

/** The HTML report of one `neardup quality` run. */
export class QualityHtmlReport {
  private readonly builder: QualityReportBuilder;

  private constructor(private readonly output: Output, private readonly options: QualityReportOptions, private readonly fields: FieldConfig) {
    this.builder = new QualityReportBuilder({ quality: options });
  }

  /** Opens the `--html` output (null when not asked for) and appends it to `outputs`; on error, aborts `outputs` first. */
  static open(path: string | undefined, options: QualityReportOptions, fields: FieldConfig, stdout: NodeJS.WritableStream, outputs: (Output | null)[]): QualityHtmlReport | null {
    if (path === undefined) return null;
    try {
      if (path === '-') throw new UsageError('--html needs a file name, not stdout');
      const output = openOptionalOutput(path, stdout)!;
      outputs.push(output);
      return new QualityHtmlReport(output, options, fields);
    } catch (err) {
      abortAll(outputs);
      throw err;
    }
  }

  /** A valid record: line `i` of `batch`. */
  add(batch: LineBatch, i: number): void {
    const r = parseRecord(lineText(batch, i), batch.lineNumbers[i]!, this.fields);
    if (r.ok) this.builder.add(qualityReport(r.text, this.options), r.text, r.id);
  }

  /** Renders the page and writes it; `invalid` is the number of invalid records skipped. */
  async write(invalid: number, subtitle: string): Promise<void> {
    this.builder.invalid(invalid);
    await this.output.write(renderQualityReport(this.builder.build(), { subtitle }));
  }
}
