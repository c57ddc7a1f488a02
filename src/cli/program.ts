/**
 * The `neardup` command line: argument parsing (commander), help with defaults, and exit codes
 * (0 success, 1 invalid input, 2 usage error). The commands hold no logic of their own: they call the library.
 */
import { availableParallelism } from 'node:os';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BOILERPLATE_DEFAULTS, DEDUPE_DEFAULTS } from '../dedup';
import { DEDUPE_PARAGRAPHS_DEFAULTS, PARAGRAPH_DEDUPLICATOR_DEFAULTS } from '../paragraphs';
import { SHINGLE_DEFAULTS } from '../shingle';
import { version } from '../../package.json';
import { CONTAINMENT_INDEX_DEFAULTS } from '../containment';
import { containsCommand, type ContainsCommandOptions } from './contains';
import { dedupeCommand, type DedupeCommandOptions } from './dedupe';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE, InputError, UsageError, messageOf } from './errors';
import type { Io } from './jsonl';
import { paragraphsCommand, type ParagraphsCommandOptions } from './paragraphs';
import { makePlan, printedPlan, type PlanCommandOptions } from './scale/plan';
import { runCommand } from './scale/run';
import { runStage, STAGES, type StageName } from './scale/stages';
import { QUALITY_FILTERS, qualityCommand, type QualityCommandOptions, type QualityFilter } from './quality';

/** Parses an integer option value. */
function integer(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parses `--task`: one task index or several separated by commas. */
function taskList(value: string): number[] {
  return value.split(',').map((v) => {
    const n = integer(v);
    if (n < 0) throw new InvalidArgumentError(`expected task indices ≥ 0, got ${JSON.stringify(value)}`);
    return n;
  });
}

/** Parses a number option value. */
function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * The most `--jobs`: twice the cores (at least 4). Per-record work is CPU-bound, so threads beyond the cores only
 * add memory (each holds its own module instance and up to IN_FLIGHT_PER_THREAD batches of 1,024 lines) and
 * scheduling; `--jobs 1000` took 20–32 s and 5.5 GB on a 3,000-line file. Twice the cores leaves room for
 * hyper-threads and I/O waits.
 */
export function maxJobs(cores: number): number {
  return Math.max(4, 2 * cores);
}

/** Parses `--jobs`: an integer in [1, maxJobs(cores)]. */
function jobs(cores: number): (value: string) => number {
  return (value) => {
    const n = integer(value);
    const max = maxJobs(cores);
    if (n < 1 || n > max) throw new InvalidArgumentError(`--jobs must be an integer in [1, ${max}] (at most twice the ${cores} cores: more threads only add memory), got ${value}`);
    return n;
  };
}

/** Parses `--filters`: a comma-separated list of quality filters, each at most once. */
function filterList(value: string): QualityFilter[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new InvalidArgumentError(`expected one or more of ${QUALITY_FILTERS.join(', ')}, got ${JSON.stringify(value)}`);
  for (const n of names) {
    if (!(QUALITY_FILTERS as readonly string[]).includes(n)) throw new InvalidArgumentError(`unknown filter ${JSON.stringify(n)} (allowed: ${QUALITY_FILTERS.join(', ')})`);
  }
  return [...new Set(names)] as QualityFilter[];
}

/** Collects `--set filter.option=value` (parsed in quality.ts, where the options are validated). */
function collectSetting(value: string, previous: string[]): string[] {
  return [...previous, value];
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
    .option('--id-field <name>', 'top-level field holding the id (a record without one is known by its line number: duplicateOf null, duplicateOfLine N)', 'id')
    .addOption(new Option('-j, --jobs <n>', 'threads for per-record work (1: main thread only)').argParser(jobs(cores)).default(cores, `the number of cores, ${cores}`))
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
      [
        '',
        'Exit codes: 0 success, 1 invalid input (a malformed record without --skip-invalid, a corrupt gzip stream, no valid',
        'record at all) or an output that could not be written (a full disk), 2 usage error.',
        'Outputs: each file is written to a temporary file, flushed, fsynced and checked; only when every output of the run',
        'succeeded are they renamed into place, so a failed run (a full disk too) leaves none under its final name.',
        '- (and /dev/stdout, /dev/stderr) are the process streams; devices and FIFOs are written in place, never replaced;',
        'a symlink to a file is resolved and its target replaced atomically.',
      ].join('\n'),
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
      .option('--html <file>', 'document level: self-contained HTML report (counts, histograms, largest clusters, sampled removed records beside their kept copies, suspicious clusters)')
      .addOption(new Option('--level <level>', 'document: drop duplicate records; paragraph: drop repeated units inside records').choices(['document', 'paragraph']).default('document'))
      .option('--threshold <x>', 'document level: similarity of word-shingle sets (see --measure) at which records are duplicates, in (0, 1]', number, DEDUPE_DEFAULTS.threshold)
      .addOption(new Option('--method <method>', 'document level: candidate search').choices(['minhash', 'simhash', 'exact']).default(DEDUPE_DEFAULTS.method))
      .addOption(
        new Option('--measure <measure>', 'document level: jaccard (whole-record copies) or containment (a record whose shingles are at least --threshold inside a kept record\'s is its duplicate: quotes, partial copies; the direction is new-in-kept, so add --keep longest to remove every record contained in a longer one whatever the order; needs --method minhash)')
          .choices(['jaccard', 'containment'])
          .default(DEDUPE_DEFAULTS.measure),
      )
      .option('--num-perm <n>', 'document level: MinHash permutations', integer, DEDUPE_DEFAULTS.numPerm)
      .option('--seed <n>', 'document level: seed of the MinHash family', integer, DEDUPE_DEFAULTS.seed)
      .option('--min-recall <p>', 'document level, minhash: probability that LSH proposes a pair at exactly --threshold (sets bands × rows), in (0, 1]', number, DEDUPE_DEFAULTS.minRecall)
      .option('--bands <n>', 'document level, minhash: an explicit LSH banding instead of the one --min-recall chooses: the number of bands, with --rows (bands × rows ≤ --num-perm)', integer)
      .option('--rows <n>', 'document level, minhash: rows per band of an explicit banding, with --bands', integer)
      .option('--max-candidates <n>', 'document level, minhash: the most candidates one record collects from the LSH index (bounds the work on families of similar records; see truncatedQueries in the report)', integer, DEDUPE_DEFAULTS.maxCandidates)
      .option('--max-verifications <n>', 'document level: the most exact verifications per record, best candidates first (see skippedCandidates in the report)', integer, DEDUPE_DEFAULTS.maxVerifications)
      .addOption(new Option('--scheme <scheme>', 'document level, minhash: MinHash scheme').choices(['fast', 'classic']).default(DEDUPE_DEFAULTS.scheme))
      .option('--simhash-max-distance <n>', 'document level, simhash: largest Hamming distance (of 64 bits) that makes a candidate, an integer from 0 to 43 (default: derived from --threshold and --min-recall, e.g. 11 at 0.9; thresholds below 0.89 need it given, or --method minhash)', integer)
      .option('--no-verify', 'document level: report MinHash/SimHash estimates instead of verifying each candidate with the exact Jaccard similarity')
      .option('--edit-ratio-max-length <n>', 'document level: texts up to this many UTF-16 units (normalized) are verified by edit-distance ratio instead of Jaccard; 0: off', integer, DEDUPE_DEFAULTS.editRatioMaxLength)
      .addOption(new Option('--shingle-unit <unit>', 'document level: shingle unit').choices(['word', 'char']).default(SHINGLE_DEFAULTS.unit))
      .option('--shingle-size <n>', 'document level: words (or characters) per shingle', integer, SHINGLE_DEFAULTS.size)
      .addOption(
        new Option('--unit <unit>', 'paragraph level: what a unit is (paragraph: blank-line separated, so hard-wrapped text such as Debian descriptions is never cut mid-sentence)')
          .choices(['line', 'paragraph', 'sentence'])
          .default('paragraph'),
      )
      .option('--min-length <n>', 'paragraph level: units shorter than this (code points, normalized) are never removed', integer, PARAGRAPH_DEDUPLICATOR_DEFAULTS.minChars)
      .addOption(new Option('--store <store>', 'paragraph level: exact key set, or a Bloom filter').choices(['exact', 'bloom']).default(PARAGRAPH_DEDUPLICATOR_DEFAULTS.store))
      .addOption(new Option('--clustering <rule>', 'document level: greedy (each record against the kept ones, streaming) or connected (components of the verified pairs; reads the whole input first; what the staged run gives)').choices(['greedy', 'connected']).default('greedy'))
      .addOption(new Option('--keep <rule>', 'document level: which copy of a cluster is kept: first (input order) or longest (ties: first; reads the whole input first)').choices(['first', 'longest']).default('first'))
      .option('--boilerplate', 'document level: leave out the shingles found in very many records (templates, navigation, licence footers) before matching, so records that share only a template are not duplicates; reads the whole input first; removed records get heldByBoilerplate')
      .option('--boilerplate-max-doc-frequency <x>', `with --boilerplate (implied): a shingle in more than this share of the records is boilerplate, in (0, 1] (default ${BOILERPLATE_DEFAULTS.maxDocFrequency})`, number)
      .option('--boilerplate-min-documents <n>', `with --boilerplate (implied): ... and in at least this many records, an integer of at least 2 (default ${BOILERPLATE_DEFAULTS.minDocuments})`, integer)
      .option('--boilerplate-flag-only', 'with --boilerplate (implied): match on every shingle, but mark removed records whose cluster only the boilerplate holds together (heldByBoilerplate: true)')
      .addOption(
        new Option('--duplicate-ids <policy>', 'a repeated id: invalid (an invalid line), or allow (ids need not be unique, e.g. concatenated files; duplicateOfLine tells the copies apart)')
          .choices(['invalid', 'allow'])
          .default('invalid'),
      ),
    cores,
  )
    .addHelpText('after', '\nExample:\n  neardup dedupe corpus.jsonl.gz -o kept.jsonl --removed removed.jsonl --report report.json --threshold 0.8')
    .action(async (input: string, options: DedupeCommandOptions) => setCode(await dedupeCommand(input, flags(options, ['skipInvalid', 'quiet', 'boilerplate', 'boilerplateFlagOnly']), io)));

  jsonlOptions(
    program
      .command('contains')
      .description(
        'Decontamination: find the records that contain a reference text (benchmark items): at least --threshold of the reference\'s word shingles occur in the record, checked exactly. Each non-blank input line ends up in exactly one of: the output (clean), --removed (with contains: [{ref, refLine, containment, spans}], spans as UTF-16 [start, end) offsets into the text), the report\'s errors.',
      )
      .argument('<input>', INPUT_HELP)
      .requiredOption('--refs <file>', 'reference texts, JSONL (gzip detected; - for stdin); every line must be a valid record with at least one word')
      .option('-o, --output <file>', 'records that contain no reference, JSONL (default: stdout)')
      .option('--removed <file>', 'records that contain a reference, JSONL, each with contains added')
      .option('--report <file>', 'JSON report: input/kept/removed/invalid counts, references found, errors, options, timings')
      .option('--threshold <x>', 'share of a reference\'s word shingles a record must contain, in (0, 1]', number, CONTAINMENT_INDEX_DEFAULTS.threshold)
      .option('--shingle-size <n>', 'words per shingle (normalized text)', integer, SHINGLE_DEFAULTS.size)
      .option('--refs-text-field <name>', 'text field of the references (default: --text-field)')
      .option('--refs-id-field <name>', 'id field of the references (default: --id-field)'),
    cores,
  )
    .addHelpText('after', '\nExample:\n  neardup contains corpus.jsonl.gz --refs benchmark.jsonl -o clean.jsonl --removed contaminated.jsonl --report contains.json')
    .action(async (input: string, options: ContainsCommandOptions) => setCode(await containsCommand(input, flags(options, ['skipInvalid', 'quiet']), io)));

  jsonlOptions(
    program
      .command('quality')
      .description('Add the quality report (Gopher repetition, Gopher quality, C4, FineWeb) to each record, or keep only passing records with --filter.')
      .argument('<input>', INPUT_HELP)
      .option('-o, --output <file>', 'records, JSONL (default: stdout)')
      .option('--filter', 'keep only records that pass every filter, unchanged; failing ones go to --removed')
      .option('--removed <file>', 'with --filter: failing records, JSONL, with the report added')
      .option('--report <file>', 'JSON report: counts, failures per rule, errors, options, timings')
      .option('--html <file>', 'self-contained HTML report: pass/fail per filter and rule, each statistic\'s distribution with its threshold, sampled failing records')
      .option('--field <name>', 'field the quality report is added under', 'quality')
      .option('--details', 'add every filter\'s statistics, not just { pass, reasons }')
      .addOption(new Option('--tokenizer <tokenizer>', 'word splitting: Unicode-aware, or Python str.split() as datatrove').choices(['default', 'whitespace']).default('default'))
      .option('--filters <list>', `comma-separated filters that decide pass/fail: ${QUALITY_FILTERS.join(', ')}`, filterList, [...QUALITY_FILTERS])
      .option('--set <filter.option=value>', 'override a filter option (repeatable; value as JSON, null disables a rule), e.g. --set c4.minWordsPerLine=2 --set gopher-quality.minDocWords=null', collectSetting, []),
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
    .option('--min-length <n>', 'units shorter than this (code points, normalized) are never removed', integer, DEDUPE_PARAGRAPHS_DEFAULTS.minChars)
    .option('--near', 'also remove near repeats (character-shingle Jaccard similarity)')
    .option('--near-threshold <x>', 'with --near: similarity at which a unit repeats an earlier one, in (0, 1]', number, DEDUPE_PARAGRAPHS_DEFAULTS.near.threshold)
    .option('--locale <tag>', 'with --unit sentence: BCP 47 locale for sentence segmentation')
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', '\nExample:\n  neardup paragraphs article.txt -o cleaned.txt --report removed.json')
    .action(async (file: string, options: ParagraphsCommandOptions) => setCode(await paragraphsCommand(file, flags(options, ['quiet', 'near']), io)));

  const stagedOptions = (cmd: Command): Command =>
    cmd
      .requiredOption('--work <dir>', 'work folder (shared by every task; holds plan.json and the intermediate files)')
      .option('--output-dir <dir>', 'where each input\'s kept, removed and report files land (default: WORK/out)')
      .option('--parts <n>', 'pairs tasks per band (each takes one part of the band\'s hash range)', integer, 1)
      .option('--against <dir>', 'the work folder of an earlier, finished staged run (same options): its kept documents are matched too and never removed; a new record that copies one names it in duplicateOf, duplicateOfRun and duplicateOfShard')
      .addOption(new Option('--keep <rule>', 'which copy of a cluster is kept: first (input order across the inputs) or longest').choices(['first', 'longest']).default('first'))
      .option('--threshold <x>', 'Jaccard similarity of word-shingle sets at which records are duplicates, in (0, 1]', number, DEDUPE_DEFAULTS.threshold)
      .option('--num-perm <n>', 'MinHash permutations', integer, DEDUPE_DEFAULTS.numPerm)
      .option('--seed <n>', 'seed of the MinHash family', integer, DEDUPE_DEFAULTS.seed)
      .option('--min-recall <p>', 'probability that LSH proposes a pair at exactly --threshold (sets bands × rows), in (0, 1]', number, DEDUPE_DEFAULTS.minRecall)
      .option('--bands <n>', 'an explicit LSH banding instead of the one --min-recall chooses: the number of bands, with --rows (bands × rows ≤ --num-perm)', integer)
      .option('--rows <n>', 'rows per band of an explicit banding, with --bands', integer)
      .addOption(new Option('--scheme <scheme>', 'MinHash scheme').choices(['fast', 'classic']).default(DEDUPE_DEFAULTS.scheme))
      .option('--no-verify', 'decide pairs by the MinHash estimate instead of the exact Jaccard similarity')
      .option('--edit-ratio-max-length <n>', 'texts up to this many UTF-16 units (normalized) are verified by edit-distance ratio; 0: off', integer, DEDUPE_DEFAULTS.editRatioMaxLength)
      .addOption(new Option('--shingle-unit <unit>', 'shingle unit').choices(['word', 'char']).default(SHINGLE_DEFAULTS.unit))
      .option('--shingle-size <n>', 'words (or characters) per shingle', integer, SHINGLE_DEFAULTS.size)
      .option('--text-field <name>', 'top-level field holding the text', 'text')
      .option('--id-field <name>', 'top-level field holding the id', 'id')
      .addOption(new Option('--duplicate-ids <policy>', 'a repeated id (across all inputs): invalid, or allow').choices(['invalid', 'allow']).default('invalid'))
      .option('--skip-invalid', 'record invalid lines in the reports and go on (without it the first invalid line fails its task)');
  const planOptions = (o: Record<string, unknown>): PlanCommandOptions => ({
    work: o['work'] as string,
    ...(o['outputDir'] !== undefined ? { outputDir: o['outputDir'] as string } : {}),
    parts: o['parts'] as number,
    ...(o['against'] !== undefined ? { against: o['against'] as string } : {}),
    keep: o['keep'] as 'first' | 'longest',
    textField: o['textField'] as string,
    idField: o['idField'] as string,
    duplicateIds: o['duplicateIds'] as 'invalid' | 'allow',
    skipInvalid: o['skipInvalid'] === true,
    dedupe: {
      threshold: o['threshold'] as number, numPerm: o['numPerm'] as number, seed: o['seed'] as number, minRecall: o['minRecall'] as number,
      ...(o['bands'] === undefined ? {} : { bands: o['bands'] as number }),
      ...(o['rows'] === undefined ? {} : { rows: o['rows'] as number }),
      scheme: o['scheme'] as 'fast' | 'classic', verify: o['verify'] !== false, editRatioMaxLength: o['editRatioMaxLength'] as number,
      shingle: { unit: o['shingleUnit'] as 'word' | 'char', size: o['shingleSize'] as number },
    },
  });

  stagedOptions(
    program
      .command('plan')
      .description('Plan a staged document-level dedup of one or more inputs (files, directories, globs; each input one shard): writes WORK/plan.json and prints the task list as JSON for any job runner ({ version, work, stages: [{ name, tasks: [{ argv }] }], outputs }). Run the stages in order, the tasks of a stage in any order and anywhere that sees WORK; the result equals neardup dedupe --clustering connected.')
      .argument('<inputs...>', 'JSONL files (gzip detected), directories (their *.jsonl[.gz] files) or globs in the last path segment'),
  )
    .addHelpText('after', '\nExample:\n  neardup plan data/ --work /shared/w --parts 2 > tasks.json\n  # then, per task: neardup stage sign --work /shared/w --task 3  (or set JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or CLOUD_RUN_TASK_INDEX)')
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      const { plan, setup, work } = makePlan(inputs, planOptions(options));
      io.stdout.write(`${JSON.stringify(printedPlan(plan, setup, work), null, 2)}\n`);
      setCode(EXIT_OK);
    });

  program
    .command('stage')
    .description('Run one task of a planned staged run (see neardup plan). A finished task leaves WORK/done/STAGE-N and is skipped when run again.')
    .addArgument(new Argument('<stage>', 'the stage').choices([...STAGES]))
    .requiredOption('--work <dir>', 'the planned work folder')
    .option('--task <n>', `task index, or several separated by commas (run one after the other); default: the first of ${['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'AWS_BATCH_JOB_ARRAY_INDEX', 'CLOUD_RUN_TASK_INDEX'].join(', ')} that is set; 0 for one-task stages`, taskList)
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (stage: StageName, options: { work: string; task?: number[]; quiet?: boolean }) => {
      for (const task of options.task ?? [undefined]) {
        const line = await runStage(stage, options.work, task);
        if (options.quiet !== true) io.stderr.write(`${line}\n`);
      }
      setCode(EXIT_OK);
    });

  stagedOptions(
    program
      .command('run')
      .description('Plan and run a staged dedup on this machine: --jobs worker processes, each taking a list of a stage\'s tasks. Same result as neardup dedupe --clustering connected on the inputs concatenated (duplicateOfLine counts lines across the inputs in order).')
      .argument('<inputs...>', 'JSONL files (gzip detected), directories or globs'),
  )
    .addOption(new Option('-j, --jobs <n>', 'worker processes (tasks at once)').argParser(jobs(cores)).default(cores, `the number of cores, ${cores}`))
    .option('-q, --quiet', 'no progress or summary on stderr')
    .addHelpText('after', '\nExample:\n  neardup run data/*.jsonl.gz --work w --output-dir deduped --jobs 8')
    .action(async (inputs: string[], options: Record<string, unknown>) => {
      setCode(await runCommand(inputs, { ...planOptions(options), jobs: options['jobs'] as number, quiet: options['quiet'] === true }, io));
    });

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
