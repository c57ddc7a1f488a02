/**
 * The staged run (`neardup run`, `neardup stage …`) against single-process `neardup dedupe`, on synthetic
 * records: end-to-end scaling of 2 worker processes against 1 (with two independent single-process runs as the
 * ceiling of this machine), peak RSS of each stage as the corpus grows, bytes written per document per stage, and
 * one-core staged throughput against `neardup dedupe --clustering connected --jobs 1`.
 * Sizes: SCALE_BENCH_N (default 1,000,000) and SCALE_BENCH_N2 (default 2 × N) for the memory growth;
 * SCALE_BENCH_ROUNDS (default 1) rounds of single / staged 1 worker / staged 2 workers, alternated, medians reported.
 * Besides wall time, the CPU time (user + system) of each command's whole process tree is read from
 * /proc/self/stat (children's times, Linux): on a machine shared with other work it is the steadier figure.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, rng, table } from './harness';
import { LshIndex } from '../src/lsh';
import { DEDUPE_DEFAULTS } from '../src/dedup';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const N = Number(process.env['SCALE_BENCH_N'] ?? 1_000_000);
const N2 = Number(process.env['SCALE_BENCH_N2'] ?? 2 * N);
const ROUNDS = Number(process.env['SCALE_BENCH_ROUNDS'] ?? 1);
const SHARDS = 4;
const WORDS = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);

/** N synthetic records (~25 words) in SHARDS files: 10% exact copies, 10% near copies (2 words changed). */
async function corpus(dir: string, n: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const next = rng(2026);
  const files = Array.from({ length: SHARDS }, (_, s) => join(dir, `${s}.jsonl`));
  const streams = files.map((f) => createWriteStream(f));
  const recent: string[] = [];
  for (let i = 0; i < n; i++) {
    let text: string;
    const r = next();
    if (r < 0.1 && recent.length > 0) text = recent[Math.floor(next() * recent.length)]!.toUpperCase();
    else if (r < 0.2 && recent.length > 0) {
      const w = recent[Math.floor(next() * recent.length)]!.split(' ');
      w[Math.floor(next() * w.length)] = 'x';
      w[Math.floor(next() * w.length)] = 'y';
      text = w.join(' ');
    } else {
      const w: string[] = [];
      for (let k = 0; k < 20 + Math.floor(next() * 10); k++) w.push(WORDS[Math.floor(next() * WORDS.length)]!);
      text = w.join(' ');
      recent.push(text);
      if (recent.length > 1000) recent.shift();
    }
    const s = Math.floor((i * SHARDS) / n);
    if (!streams[s]!.write(`{"id":${i},"text":${JSON.stringify(text)}}\n`)) await new Promise<void>((res) => streams[s]!.once('drain', () => res()));
  }
  await Promise.all(streams.map((s) => new Promise<void>((res) => s.end(() => res()))));
  return files;
}

/** CPU seconds (user + system) of this process's waited-for children so far (Linux: /proc/self/stat), or NaN. */
function childrenCpu(): number {
  try {
    // Fields after the command name: state is field 3, cutime and cstime are fields 16 and 17 (clock ticks, 100/s).
    const rest = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(rest[13]) + Number(rest[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Runs the CLI; wall and CPU seconds (CPU of the whole process tree). */
function timed(args: string[]): { wall: number; cpu: number } {
  const c0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`neardup ${args.join(' ')}: ${r.stderr}`);
  return { wall: (performance.now() - t0) / 1000, cpu: childrenCpu() - c0 };
}

/** Runs the CLI; wall seconds. */
function wall(args: string[]): number {
  return timed(args).wall;
}

/** Two CLI runs at once; wall seconds until both end. */
async function pairWall(a: string[], b: string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all([a, b].map((args) => new Promise<void>((res, rej) => {
    const c = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'ignore' });
    c.on('close', (code) => (code === 0 ? res() : rej(new Error(`exit ${code}`))));
  })));
  return (performance.now() - t0) / 1000;
}

/** Bytes under a folder. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(p) : statSync(p).size;
  }
  return total;
}

/** Largest peak RSS (MB) of each stage's tasks, from the stats files. */
function stageRss(work: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of readdirSync(join(work, 'stats'))) {
    const stage = f.replace(/(-\d+)?\.json$/, '');
    const kb = (JSON.parse(readFileSync(join(work, 'stats', f), 'utf8')) as { maxRssKb: number }).maxRssKb;
    out[stage] = Math.max(out[stage] ?? 0, kb / 1024);
  }
  return out;
}

export default async function (): Promise<string> {
  execFileSync(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
  const tmp = join(root, 'node_modules/.cache/scale-bench');
  rmSync(tmp, { recursive: true, force: true });
  const files = await corpus(join(tmp, 'in'), N);
  const all = join(tmp, 'all.jsonl');
  writeFileSync(all, Buffer.concat(files.map((f) => readFileSync(f))));
  const runArgs = (work: string, jobs: number, inputs = files): string[] => ['run', ...inputs, '--work', work, '--jobs', String(jobs), '-q'];

  const load0 = loadavg()[0]!;
  const runs: Record<'single' | 'staged1' | 'staged2', { wall: number; cpu: number }[]> = { single: [], staged1: [], staged2: [] };
  let same = true;
  for (let r = 0; r < ROUNDS; r++) {
    // Alternated, so that a change in the machine's load touches every command alike.
    for (const w of ['w1', 'w2']) rmSync(join(tmp, w), { recursive: true, force: true });
    runs.single.push(timed(['dedupe', all, '--clustering', 'connected', '--jobs', '1', '-q', '-o', join(tmp, 'single.jsonl')]));
    runs.staged1.push(timed(runArgs(join(tmp, 'w1'), 1)));
    runs.staged2.push(timed(runArgs(join(tmp, 'w2'), 2)));
    same &&= readFileSync(join(tmp, 'single.jsonl')).equals(Buffer.concat(files.map((_, s) => readFileSync(join(tmp, 'w2', 'out', `${String(s).padStart(5, '0')}.kept.jsonl`)))));
  }
  const med = (k: keyof typeof runs, f: 'wall' | 'cpu'): number => median(runs[k].map((x) => x[f]));
  const single = med('single', 'wall');
  const staged1 = med('staged1', 'wall');
  const staged2 = med('staged2', 'wall');
  // The ceiling: two independent single-process runs on half the corpus each (half the shards), at once, against
  // one after the other.
  const halves = [files.slice(0, SHARDS >> 1), files.slice(SHARDS >> 1)].map((part, i) => {
    const file = join(tmp, `half${i}.in.jsonl`);
    writeFileSync(file, Buffer.concat(part.map((f) => readFileSync(f))));
    return file;
  });
  const halfArgs = (i: number): string[] => ['dedupe', halves[i]!, '--jobs', '1', '-q', '-o', join(tmp, `half${i}.jsonl`)];
  const oneAfterOther = wall(halfArgs(0)) + wall(halfArgs(1));
  const together = await pairWall(halfArgs(0), halfArgs(1));
  const load1 = loadavg()[0]!;

  const perStage = ['docs', 'bands', 'ids', 'invalid', 'edges', 'remove'].map((d) => [d, bytesUnder(join(tmp, 'w2', d)) / N] as const);
  const lsh = new LshIndex({ threshold: DEDUPE_DEFAULTS.threshold, numPerm: DEDUPE_DEFAULTS.numPerm, minRecall: DEDUPE_DEFAULTS.minRecall });
  const rss1 = stageRss(join(tmp, 'w1'));
  rmSync(join(tmp, 'w1'), { recursive: true, force: true });
  rmSync(join(tmp, 'w2'), { recursive: true, force: true });
  const files2 = await corpus(join(tmp, 'in2'), N2);
  wall(runArgs(join(tmp, 'w3'), 2, files2));
  const rss2 = stageRss(join(tmp, 'w3'));
  rmSync(tmp, { recursive: true, force: true });

  const bands = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const f = (x: number, d = 2): string => x.toFixed(d);
  const round = (x: number): string => Math.round(x).toLocaleString('en-US');
  const bandBytes = perStage.find(([d]) => d === 'bands')![1];
  return [
    '## Staged run (`neardup run`, `neardup stage`)',
    '',
    `Synthetic records (~25 words from 5,000, 10% exact and 10% near copies of a recent record), ${N.toLocaleString('en-US')} in ${SHARDS} shard files; built binary, wall time from spawn to exit and CPU time (user + system) of the whole process tree; median of ${ROUNDS} alternated round${ROUNDS === 1 ? '' : 's'}; ${availableParallelism()} cores, Node ${process.version}, neardup ${bands}. Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} after the scaling runs: this machine is shared, so wall-time ratios, and most of all the 2-worker speed-up, are depressed when it is busy. Staged output byte-identical to single-process: **${same}**.`,
    '',
    table(['run', 'wall s', 'CPU s', 'records/s (wall)', 'wall vs staged 1 worker', 'CPU vs single process'], [
      ['`dedupe --clustering connected --jobs 1` (one process)', f(single, 1), f(med('single', 'cpu'), 1), round(N / single), f(staged1 / single), '1.00'],
      ['`run --jobs 1` (staged, 1 worker)', f(staged1, 1), f(med('staged1', 'cpu'), 1), round(N / staged1), '1.00', f(med('staged1', 'cpu') / med('single', 'cpu'))],
      ['`run --jobs 2` (staged, 2 workers)', f(staged2, 1), f(med('staged2', 'cpu'), 1), round(N / staged2), f(staged1 / staged2), f(med('staged2', 'cpu') / med('single', 'cpu'))],
      ['ceiling: two independent `dedupe --jobs 1` on half each, at once vs one after the other', f(together, 1), '', '', f(oneAfterOther / together), ''],
    ]),
    '',
    `Peak RSS per stage (largest worker process, MB; with one worker it runs all of a stage's tasks), ${N.toLocaleString('en-US')} vs ${N2.toLocaleString('en-US')} records (${SHARDS} shards, so sign and filter tasks grow with the shard):`,
    '',
    table(['stage', `${N.toLocaleString('en-US')}`, `${N2.toLocaleString('en-US')}`], Object.keys(rss1).map((s) => [s, f(rss1[s]!, 0), f(rss2[s] ?? 0, 0)])),
    '',
    `Bytes written per document, by folder. Band records are 16 B (64-bit band hash, shard, ordinal) for each of the ${lsh.bands} bands and the exact-key band: ${f(bandBytes, 1)} B/doc here. datatrove writes ${8 * 8 + 4} B per band record (its default 8 rows of 64-bit hashes and a 32-bit index): ${(8 * 8 + 4) * lsh.bands} B/doc at ${lsh.bands} bands, ${(8 * lsh.rows + 4) * lsh.bands} B/doc at this banding's ${lsh.rows} rows. The docs folder holds what verification needs (shingles, signature, id), which datatrove does not keep (it reads the text again).`,
    '',
    table(['folder', 'B/doc'], perStage.map(([d, b]) => [d, f(b, 1)])),
    '',
  ].join('\n');
}
