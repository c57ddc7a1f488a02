/**
 * The `neardup` command end to end, as users run it: the built binary (dist/cli.js, rebuilt first) in a child
 * process, timed from spawn to exit, with peak RSS from /usr/bin/time. Throughput and the --jobs speed-up on the
 * Debian descriptions, and peak memory on a generated 1M-record file (the index grows with the kept documents,
 * not with the input).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { median, rng, table } from './harness';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const debian = join(root, 'bench/data/debian-desc-en.jsonl.gz');
const TIME = '/usr/bin/time';
/** `NEARDUP_BENCH_QUICK=1`: one repeat and a 100k-record synthetic file, to check the bench itself quickly. */
const QUICK = process.env['NEARDUP_BENCH_QUICK'] === '1';
const REPEATS = QUICK ? 1 : 3;
const SYNTHETIC_RECORDS = QUICK ? 100_000 : 1_000_000;

interface Run {
  seconds: number;
  /** Peak resident set size in MB (10⁶ bytes), or NaN without /usr/bin/time. */
  rssMB: number;
  report: { input: number; kept: number; removed: number; invalid: number; inputInfo: { bytes: number } };
}

/** Median seconds of the `quality --jobs 1` row. */
function byQualityOne(rows: (string | number)[][]): number {
  const row = rows.find((r) => r[0] === 'quality' && r[1] === '1');
  return row ? (row[4] as number) : NaN;
}

/** Runs the CLI once; wall time from spawn to exit; peak RSS of the process (all its threads). */
function runCli(args: string[], reportPath: string): Run {
  const useTime = existsSync(TIME);
  const argv = useTime ? [TIME, '-f', 'maxrss_kb=%M', process.execPath, cli, ...args] : [process.execPath, cli, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`neardup ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr);
  return { seconds, rssMB: rss ? (Number(rss[1]) * 1024) / 1e6 : NaN, report: JSON.parse(readFileSync(reportPath, 'utf8')) as Run['report'] };
}

/** Median of `repeats` runs (after one warm-up run that fills the page cache). */
function measure(args: string[], reportPath: string, repeats: number): Run {
  runCli(args, reportPath);
  const runs = Array.from({ length: repeats }, () => runCli(args, reportPath));
  const m = median(runs.map((r) => r.seconds));
  return { ...runs.find((r) => r.seconds === m) ?? runs[0]!, seconds: m, rssMB: Math.max(...runs.map((r) => r.rssMB)) };
}

/**
 * A seeded synthetic corpus of `n` records: 15–40 words from a 20,000-word vocabulary of pseudo-words; one record
 * in 5 repeats an earlier text exactly (new id), one in 10 repeats one with a word changed.
 */
function synthetic(path: string, n: number): number {
  const next = rng(1_000_000);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'sa', 'do', 'fu', 'gi', 'ho', 'ja', 'be'];
  const vocab = Array.from({ length: 20_000 }, () => {
    let w = '';
    const len = 2 + Math.floor(next() * 3);
    for (let i = 0; i < len; i++) w += syllables[Math.floor(next() * syllables.length)];
    return w;
  });
  const recent: string[][] = [];
  const parts: string[] = [];
  let bytes = 0;
  const flush = (): void => {
    writeFileSync(path, parts.join(''), { flag: 'a' });
    parts.length = 0;
  };
  writeFileSync(path, '');
  for (let i = 0; i < n; i++) {
    const roll = next();
    let words: string[];
    if (roll < 0.2 && recent.length > 0) words = recent[Math.floor(next() * recent.length)]!;
    else if (roll < 0.3 && recent.length > 0) {
      words = [...recent[Math.floor(next() * recent.length)]!];
      words[Math.floor(next() * words.length)] = vocab[Math.floor(next() * vocab.length)]!;
    } else {
      words = Array.from({ length: 15 + Math.floor(next() * 26) }, () => vocab[Math.floor(next() * vocab.length)]!);
      if (recent.length < 10_000) recent.push(words);
      else recent[Math.floor(next() * recent.length)] = words;
    }
    const line = `${JSON.stringify({ id: `s${i}`, text: words.join(' ') })}\n`;
    bytes += line.length;
    parts.push(line);
    if (parts.length === 10_000) flush();
  }
  flush();
  return bytes;
}

export default async function run(): Promise<string> {
  execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'neardup-bench-cli-'));
  const report = join(work, 'report.json');
  const out = join(work, 'out.jsonl');
  const mb = gunzipSync(readFileSync(debian)).length / 1e6;
  const cores = availableParallelism();
  try {
    const rows: (string | number)[][] = [];
    const speedups: string[] = [];
    const jobsList = [...new Set([1, 2, cores])].filter((j) => j <= Math.max(2, cores));
    const cases: [string, string[]][] = [
      ['dedupe (minhash, document level)', ['dedupe', debian, '--skip-invalid']],
      ['dedupe --method exact', ['dedupe', debian, '--skip-invalid', '--method', 'exact']],
      ['dedupe --level paragraph', ['dedupe', debian, '--skip-invalid', '--level', 'paragraph']],
      ['quality', ['quality', debian]],
    ];
    for (const [label, args] of cases) {
      const byJobs = new Map<number, Run>();
      for (const jobs of jobsList) {
        const r = measure([...args, '-q', '--jobs', String(jobs), '-o', out, '--report', report], report, REPEATS);
        byJobs.set(jobs, r);
        const base = byJobs.get(1)!;
        rows.push([
          label,
          String(jobs),
          r.report.input.toLocaleString('en-US'),
          `${r.report.kept.toLocaleString('en-US')} / ${r.report.removed.toLocaleString('en-US')} / ${r.report.invalid}`,
          r.seconds,
          r.report.input / r.seconds,
          mb / r.seconds,
          r.rssMB,
          jobs === 1 ? '1×' : `${(base.seconds / r.seconds).toFixed(2)}×`,
        ]);
      }
      const two = byJobs.get(2);
      if (two) speedups.push(`${label}: ${(byJobs.get(1)!.seconds / two.seconds).toFixed(2)}×`);
    }

    // The machine's own ceiling: two independent single-threaded runs at once (no shared work, no messaging).
    const alone = byQualityOne(rows);
    const pairArgs = ['quality', debian, '-q', '--jobs', '1', '-o', join(work, 'pair.jsonl')];
    const t0 = performance.now();
    const pair = [spawn(process.execPath, [cli, ...pairArgs], { cwd: root, stdio: 'ignore' }), spawn(process.execPath, [cli, ...pairArgs.slice(0, -1), join(work, 'pair2.jsonl')], { cwd: root, stdio: 'ignore' })];
    await Promise.all(pair.map((c) => new Promise((res) => c.on('exit', res))));
    const pairSeconds = (performance.now() - t0) / 1000;
    const ceiling = (2 * alone) / pairSeconds;

    // Peak memory on a 1M-record file (generated, seeded).
    const synth = join(work, 'synthetic.jsonl');
    const bytes = synthetic(synth, SYNTHETIC_RECORDS);
    const memRows: (string | number)[][] = [];
    for (const [label, args] of [
      ['dedupe (minhash), --jobs 1', ['dedupe', synth, '--jobs', '1']],
      ['dedupe (minhash), --jobs 2', ['dedupe', synth, '--jobs', '2']],
      ['dedupe --method exact, --jobs 2', ['dedupe', synth, '--jobs', '2', '--method', 'exact']],
    ] as [string, string[]][]) {
      const r = runCli([...args, '-q', '-o', out, '--report', report], report);
      memRows.push([label, r.report.input.toLocaleString('en-US'), `${r.report.kept.toLocaleString('en-US')} / ${r.report.removed.toLocaleString('en-US')}`, r.seconds, r.report.input / r.seconds, bytes / 1e6 / r.seconds, r.rssMB]);
    }
    const synthMB = statSync(synth).size / 1e6;

    return [
      '## Command line (`neardup`)',
      '',
      `The built binary (\`node dist/cli.js\`) in a child process, timed from spawn to exit (startup included), median of ${REPEATS} run${REPEATS > 1 ? 's' : ''} after a warm-up; peak RSS of the whole process (main thread and workers) from \`/usr/bin/time\`. Input: the ${mb.toFixed(1)} MB (decompressed) Debian descriptions, read from the .jsonl.gz; output to a file; this machine has ${cores} cores. \`--jobs N\` runs the per-record work (JSON parsing, normalization, shingles, MinHash, quality reports) on N worker threads while the main thread reads, owns the index and writes.`,
      '',
      table(['command', '--jobs', 'records', 'kept / removed / invalid', 'seconds', 'records/s', 'MB/s', 'peak RSS MB', 'speed-up'], rows),
      '',
      `Speed-up of \`--jobs 2\` over \`--jobs 1\`: ${speedups.join('; ')}. For scale, two independent \`quality --jobs 1\` processes run at the same time on this machine give ${ceiling.toFixed(2)}× the throughput of one (the ceiling of any 2-thread speed-up here). \`quality\` is per-record work only; in \`dedupe\` the main thread's share — the LSH index, verification of candidates, receiving the prepared documents from the workers (about 900 bytes each, mostly the 128 MinHash values), reading and writing — does not parallelize and bounds the speed-up.`,
      '',
      `Peak memory on a generated file of ${SYNTHETIC_RECORDS.toLocaleString('en-US')} records (${synthMB.toFixed(0)} MB; 15–40 words each; 20% exact and 10% one-word-edit repeats of earlier records), one run:`,
      '',
      table(['command', 'records', 'kept / removed', 'seconds', 'records/s', 'MB/s', 'peak RSS MB'], memRows),
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
