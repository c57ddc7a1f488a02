/**
 * The staged run (`neardup run`, `neardup stage …`) against single-process `neardup dedupe`, on synthetic
 * records: end-to-end scaling of 2 worker processes against 1 (with two independent single-process runs as the
 * ceiling of this machine), peak RSS of each stage as the corpus grows, bytes written per document per stage, and
 * one-core staged throughput against `neardup dedupe --clustering connected --jobs 1`.
 * Sizes: SCALE_BENCH_N (default 1,000,000) and SCALE_BENCH_N2 (default 2 × N) for the memory growth.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, table } from './harness';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const N = Number(process.env['SCALE_BENCH_N'] ?? 1_000_000);
const N2 = Number(process.env['SCALE_BENCH_N2'] ?? 2 * N);
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

/** Runs the CLI; wall seconds. */
function wall(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`neardup ${args.join(' ')}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
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

  const single = wall(['dedupe', all, '--clustering', 'connected', '--jobs', '1', '-q', '-o', join(tmp, 'single.jsonl')]);
  const staged1 = wall(runArgs(join(tmp, 'w1'), 1));
  const staged2 = wall(runArgs(join(tmp, 'w2'), 2));
  // The ceiling: two independent single-process runs on half the corpus each, at once, against one after the other.
  const halfArgs = (i: number): string[] => ['dedupe', files[i]!, '--jobs', '1', '-q', '-o', join(tmp, `half${i}.jsonl`)];
  const oneAfterOther = wall(halfArgs(0)) + wall(halfArgs(1));
  const together = await pairWall(halfArgs(0), halfArgs(1));
  const same = readFileSync(join(tmp, 'single.jsonl')).equals(Buffer.concat(files.map((_, s) => readFileSync(join(tmp, 'w2', 'out', `${String(s).padStart(5, '0')}.kept.jsonl`)))));

  const perStage = ['docs', 'bands', 'ids', 'invalid', 'edges', 'remove'].map((d) => [d, bytesUnder(join(tmp, 'w2', d)) / N]);
  const rss1 = stageRss(join(tmp, 'w1'));
  rmSync(join(tmp, 'w1'), { recursive: true, force: true });
  rmSync(join(tmp, 'w2'), { recursive: true, force: true });
  const files2 = await corpus(join(tmp, 'in2'), N2);
  wall(runArgs(join(tmp, 'w3'), 2, files2));
  const rss2 = stageRss(join(tmp, 'w3'));
  rmSync(tmp, { recursive: true, force: true });

  const bands = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const f = (x: number, d = 2): string => x.toFixed(d);
  return [
    '## Staged run (`neardup run`, `neardup stage`)',
    '',
    `Synthetic records (~25 words from 5,000, 10% exact and 10% near copies of a recent record), ${N.toLocaleString('en-US')} in ${SHARDS} shard files; built binary, wall time from spawn to exit; ${availableParallelism()} cores, Node ${process.version}, neardup ${bands}. Staged output byte-identical to single-process: **${same}**.`,
    '',
    table(['run', 'wall s', 'records/s', 'vs staged 1 worker'], [
      ['`dedupe --clustering connected --jobs 1` (one process)', f(single, 1), Math.round(N / single).toLocaleString('en-US'), f(staged1 / single)],
      ['`run --jobs 1` (staged, 1 worker)', f(staged1, 1), Math.round(N / staged1).toLocaleString('en-US'), '1.00'],
      ['`run --jobs 2` (staged, 2 workers)', f(staged2, 1), Math.round(N / staged2).toLocaleString('en-US'), f(staged1 / staged2)],
      ['ceiling: two independent `dedupe --jobs 1` on half each, at once vs one after the other', f(together, 1), '', f(oneAfterOther / together)],
    ]),
    '',
    `Peak RSS per stage (largest task, MB), ${N.toLocaleString('en-US')} vs ${N2.toLocaleString('en-US')} records (${SHARDS} shards, so sign and filter tasks grow with the shard):`,
    '',
    table(['stage', `${N.toLocaleString('en-US')}`, `${N2.toLocaleString('en-US')}`], Object.keys(rss1).map((s) => [s, f(rss1[s]!, 0), f(rss2[s] ?? 0, 0)])),
    '',
    'Bytes written per document, by folder (datatrove: 68 B per band record at 64-bit, × bands + 1):',
    '',
    table(['folder', 'B/doc'], perStage.map(([d, b]) => [d as string, f(b as number, 1)])),
    '',
  ].join('\n');
}
