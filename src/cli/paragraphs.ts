/**
 * `neardup paragraphs FILE`: the library's `dedupeParagraphs` on one text file. The cleaned text goes to stdout
 * (or `-o`), byte for byte what the library returns; the removal report goes to stderr, or as JSON to `--report`.
 */
import { dedupeParagraphs, type DedupeParagraphsOptions, type ParagraphRemoval, type ParagraphUnit } from '../paragraphs';
import { UsageError, usageErrorFrom } from './errors';
import { openInput, readText } from './input';
import { Stopwatch, type Io, type Timings } from './jsonl';
import { abortAll, checkOutputs, commitAll, openOutputs } from './output';
import { version } from '../../package.json';

/** Options of `neardup paragraphs`, as parsed from the command line. */
export interface ParagraphsCommandOptions {
  output?: string;
  report?: string;
  unit: ParagraphUnit;
  minLength: number;
  near: boolean;
  nearThreshold: number;
  locale?: string;
  quiet: boolean;
}

/** One removal in the `--report`, with 1-based line numbers added to the library's offsets. */
export interface ParagraphsReportRemoval extends ParagraphRemoval {
  /** Line of the removed unit's start. */
  readonly line: number;
  /** Line where the kept copy starts. */
  readonly duplicateOfLine: number;
}

/** The `--report` of `neardup paragraphs`. */
export interface ParagraphsReport {
  readonly command: 'paragraphs';
  readonly version: string;
  readonly input: { path: string; characters: number; lines: number };
  readonly output: { path: string; characters: number };
  /** Units removed. */
  readonly removed: number;
  /** UTF-16 code units deleted (units and their separators). */
  readonly charactersRemoved: number;
  readonly removals: ParagraphsReportRemoval[];
  readonly options: DedupeParagraphsOptions;
  readonly timings: Omit<Timings, 'recordsPerSecond'>;
}

/** 1-based line number of each offset, by binary search over the line starts. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const preview = (s: string, max = 70): string => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
};

/** Runs `neardup paragraphs`; returns the exit code. */
export async function paragraphsCommand(inputPath: string, o: ParagraphsCommandOptions, io: Io): Promise<number> {
  const options: DedupeParagraphsOptions = {
    unit: o.unit,
    minChars: o.minLength,
    near: o.near ? { threshold: o.nearThreshold } : false,
    ...(o.locale !== undefined ? { locale: o.locale } : {}),
  };
  try {
    dedupeParagraphs('', options);
  } catch (err) {
    throw usageErrorFrom(err);
  }
  checkOutputs({ '--output': o.output, '--report': o.report });
  const watch = new Stopwatch();
  const input = openInput(inputPath, io.stdin);
  const { out, report: reportOut, all: outputs } = await openOutputs({ output: o.output, report: o.report }, io);
  try {
    const text = await readText(input);
    const result = dedupeParagraphs(text, options);
    const lineOf = lineLocator(text);
    const removals = result.removed.map((r) => ({ ...r, line: lineOf(r.start), duplicateOfLine: lineOf(r.duplicateOf!.start) }));
    const charactersRemoved = text.length - result.text.length;
    await out.write(result.text);
    const t = watch.timings(1, input.bytes);
    if (reportOut) {
      const report: ParagraphsReport = {
        command: 'paragraphs',
        version,
        input: { path: input.name, characters: text.length, lines: lineOf(text.length) },
        output: { path: out.name, characters: result.text.length },
        removed: removals.length,
        charactersRemoved,
        removals,
        options,
        timings: { startedAt: t.startedAt, seconds: t.seconds, cpuSeconds: t.cpuSeconds, megabytesPerSecond: t.megabytesPerSecond },
      };
      await reportOut.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    await commitAll(outputs);
    if (!o.quiet && !reportOut) {
      const unit = o.unit === 'line' ? 'line' : o.unit;
      const lines = [
        `neardup paragraphs: removed ${removals.length} repeated ${unit}${removals.length === 1 ? '' : 's'} (${charactersRemoved.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters) from ${input.name}`,
        ...removals.map(
          (r) => `  line ${r.line}: repeats line ${r.duplicateOfLine}${r.similarity < 1 ? ` (similarity ${r.similarity.toFixed(2)})` : ''}: ${preview(r.text)}`,
        ),
      ];
      // On a terminal, the cleaned text (which may not end with a newline) and this summary share the screen.
      const fresh = io.stdoutIsTTY === true && out.name === '<stdout>' && result.text.length > 0 && !result.text.endsWith('\n') ? '\n' : '';
      io.stderr.write(`${fresh}${lines.join('\n')}\n`);
    }
    return 0;
  } catch (err) {
    abortAll(outputs);
    throw err;
  }
}
