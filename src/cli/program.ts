/**
 * The `neardup` command line: argument parsing (commander), help with defaults, and exit codes
 * (0 success, 1 invalid input, 2 usage error). The commands hold no logic of their own: they call the library.
 */
import { availableParallelism } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEDUPE_DEFAULTS } from '../dedup';
import { DEDUPE_PARAGRAPHS_DEFAULTS, PARAGRAPH_DEDUPLICATOR_DEFAULTS } from '../paragraphs';
import { SHINGLE_DEFAULTS } from '../shingle';
import { version } from '../../package.json';
import { dedupeCommand, type DedupeCommandOptions } from './dedupe';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, InputError, UsageError, messageOf } from './errors';
import type { Io } from './jsonl';
import { paragraphsCommand, type ParagraphsCommandOptions } from './paragraphs';
import { qualityCommand, type QualityCommandOptions } from './quality';

/** Parses an integer option value. */
function integer(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parses a number option value. */
function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/** Parses `--jobs`: an integer ≥ 1. */
function jobs(value: string): number {
  const n = integer(value);
  if (n < 1 || n > 1024) throw new InvalidArgumentError(`expected an integer in [1, 1024], got ${value}`);
  return n;
}

/** Boolean flags are absent (undefined) unless given: make them false. */
function flags<T extends object>(options: T, names: (keyof T & string)[]): T {
  const out = { ...options } as Record<string, unknown>;
  for (const n of names) out[n] = out[n] === true;
  return out as T;
}

const INPUT_HELP = 'JSONL file (gzip is detected and decompressed), or - for stdin';

/** Options every JSONL command shares. */
function jsonlOptions(cmd: Command, cores: number): Command {
  return cmd
    .option('--text-field <name>', 'top-level field holding the text', 'text')
    .option('--id-field <name>', 'top-level field holding the id (a record without it gets its line number)', 'id')
    .addOption(new Option('-j, --jobs <n>', 'threads for per-record work (1: main thread only)').argParser(jobs).default(cores, `the number of cores, ${cores}`))
    .option('--skip-invalid', 'record invalid lines in the report\'s errors and go on (without it the first invalid line stops the run, exit 1)')
    .option('-q, --quiet', 'no progress or summary on stderr');
}

/** Builds the program; `setCode` receives each command's exit code. */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const cores = Math.max(1, availableParallelism());
  const program = new Command('neardup')
    .description('Exact and near-duplicate removal and quality filtering for text corpora (JSONL in, JSONL out).')
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 invalid input (a malformed record without --skip-invalid, a corrupt gzip stream), 2 usage error.\nOutputs are written to a temporary file and renamed when the run succeeds.',
    );

  jsonlOptions(
    program
      .command('dedupe')
      .description(
        'Remove exact and near-duplicate records (document level: kept = the first copy in input order), or repeated lines/paragraphs across records (paragraph level). Each non-blank input line ends up in exactly one of: the output, --removed (with duplicateOf and similarity), the report\'s errors.',
      )
      .argument('<input>', INPUT_HELP)
      .option('-o, --output <file>', 'kept records, JSONL (default: stdout)')
      .option('--removed <file>', 'removed records, JSONL, each with duplicateOf, similarity and exact added')
      .option('--report <file>', 'JSON report: input/kept/removed/invalid counts, errors, options, timings')
      .addOption(new Option('--level <level>', 'document: drop duplicate records; paragraph: drop repeated units inside records').choices(['document', 'paragraph']).default('document'))
      .option('--threshold <x>', 'document level: Jaccard similarity of word-shingle sets at which records are duplicates, in (0, 1]', number, DEDUPE_DEFAULTS.threshold)
      .addOption(new Option('--method <method>', 'document level: candidate search').choices(['minhash', 'simhash', 'exact']).default(DEDUPE_DEFAULTS.method))
      .option('--num-perm <n>', 'document level: MinHash permutations', integer, DEDUPE_DEFAULTS.numPerm)
      .option('--seed <n>', 'document level: seed of the MinHash family', integer, DEDUPE_DEFAULTS.seed)
      .addOption(new Option('--shingle-unit <unit>', 'document level: shingle unit').choices(['word', 'char']).default(SHINGLE_DEFAULTS.unit))
      .option('--shingle-size <n>', 'document level: words (or characters) per shingle', integer, SHINGLE_DEFAULTS.size)
      .addOption(new Option('--unit <unit>', 'paragraph level: what a unit is').choices(['line', 'paragraph', 'sentence']).default(PARAGRAPH_DEDUPLICATOR_DEFAULTS.unit))
      .option('--min-length <n>', 'paragraph level: units shorter than this (code points, normalized) are never removed', integer, PARAGRAPH_DEDUPLICATOR_DEFAULTS.minLength)
      .addOption(new Option('--store <store>', 'paragraph level: exact key set, or a Bloom filter').choices(['exact', 'bloom']).default(PARAGRAPH_DEDUPLICATOR_DEFAULTS.store)),
    cores,
  )
    .addHelpText('after', '\nExample:\n  neardup dedupe corpus.jsonl.gz -o kept.jsonl --removed removed.jsonl --report report.json --threshold 0.8')
    .action(async (input: string, options: DedupeCommandOptions) => setCode(await dedupeCommand(input, flags(options, ['skipInvalid', 'quiet']), io)));

  jsonlOptions(
    program
      .command('quality')
      .description('Add the quality report (Gopher repetition, Gopher quality, C4, FineWeb) to each record, or keep only passing records with --filter.')
      .argument('<input>', INPUT_HELP)
      .option('-o, --output <file>', 'records, JSONL (default: stdout)')
      .option('--filter', 'keep only records that pass every filter, unchanged; failing ones go to --removed')
      .option('--removed <file>', 'with --filter: failing records, JSONL, with the report added')
      .option('--report <file>', 'JSON report: counts, failures per rule, errors, options, timings')
      .option('--field <name>', 'field the quality report is added under', 'quality')
      .option('--details', 'add every filter\'s statistics, not just { pass, reasons }')
      .addOption(new Option('--tokenizer <tokenizer>', 'word splitting: Unicode-aware, or Python str.split() as datatrove').choices(['default', 'whitespace']).default('default')),
    cores,
  )
    .addHelpText('after', '\nExample:\n  neardup quality corpus.jsonl --filter -o good.jsonl --removed bad.jsonl --report quality.json')
    .action(async (input: string, options: QualityCommandOptions) => setCode(await qualityCommand(input, flags(options, ['skipInvalid', 'quiet', 'filter', 'details']), io)));

  program
    .command('paragraphs')
    .description('Remove repeated lines (or paragraphs, sentences) from one text file, keeping the first copy; prints the cleaned text, and the removal report on stderr (or as JSON with --report).')
    .argument('<file>', 'text file (gzip is detected), or - for stdin')
    .option('-o, --output <file>', 'cleaned text (default: stdout)')
    .option('--report <file>', 'JSON removal report (instead of the summary on stderr)')
    .addOption(new Option('--unit <unit>', 'what a unit is').choices(['line', 'paragraph', 'sentence']).default(DEDUPE_PARAGRAPHS_DEFAULTS.unit))
    .option('--min-length <n>', 'units shorter than this (code points, normalized) are never removed', integer, DEDUPE_PARAGRAPHS_DEFAULTS.minLength)
    .option('--near', 'also remove near repeats (character-shingle Jaccard similarity)')
    .option('--near-threshold <x>', 'with --near: similarity at which a unit repeats an earlier one, in (0, 1]', number, DEDUPE_PARAGRAPHS_DEFAULTS.near.threshold)
    .option('--locale <tag>', 'with --unit sentence: BCP 47 locale for sentence segmentation')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', '\nExample:\n  neardup paragraphs article.txt -o cleaned.txt --report removed.json')
    .action(async (file: string, options: ParagraphsCommandOptions) => setCode(await paragraphsCommand(file, flags(options, ['quiet', 'near']), io)));

  return program;
}

/** The real process streams. */
export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, stderrIsTTY: process.stderr.isTTY === true, stdoutIsTTY: process.stdout.isTTY === true };
}

/**
 * Runs the command line `argv` (without `node` and the script); returns the exit code. Errors are reported on
 * stderr, never thrown.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (err instanceof UsageError) {
      io.stderr.write(`neardup: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.stderr.write(`neardup: ${err.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    io.stderr.write(`neardup: ${messageOf(err)}\n`);
    if (process.env['NEARDUP_DEBUG']) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return EXIT_INVALID_INPUT;
  }
}
