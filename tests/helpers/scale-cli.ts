/**
 * Helpers of the staged-run tests: the `neardup` binary bundled once with esbuild (a child process then starts
 * in ~0.1 s instead of ~1 s under tsx), and a seeded corpus with planted exact and near duplicates.
 */
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll } from 'vitest';
import { root, rng, words, type CliResult } from '../cli.helpers';

// One folder per test file (and per checkout sharing node_modules): test files run in parallel, and one bundling
// over another's would hand a child process a half-written or foreign cli.js. Inside node_modules so that the
// bundle's external packages resolve.
const outdir = join(root, 'node_modules/.cache/neardup-scale-test', randomBytes(6).toString('hex'));
export const cliJs = join(outdir, 'cli.js');
afterAll(() => rmSync(outdir, { recursive: true, force: true })); // registered in the test file that imports this

/** Bundles src/cli/main.ts (and the worker script) to node_modules/.cache; dependencies stay external. */
export async function buildCli(): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { cli: join(root, 'src/cli/main.ts'), 'cli-worker': join(root, 'src/cli/worker.ts') },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outdir, packages: 'external', logLevel: 'silent',
  });
}

/** Runs the bundled `neardup ARGS`. */
export function neardup(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: root, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stdoutBytes: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Starts the bundled `neardup ARGS` without waiting. */
export function neardupSpawn(args: string[]): ChildProcess {
  return spawn(process.execPath, [cliJs, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A seeded JSONL corpus: originals, exact copies (case and punctuation changed), near copies (a few words
 * changed, some chained A≈B≈C), records without id, blank lines, invalid lines, a repeated id, empty texts.
 */
export function plantedCorpus(seed: number, originals: number): string {
  const next = rng(seed);
  const lines: string[] = [];
  const texts: string[] = [];
  let id = 0;
  const push = (text: string): void => {
    const r = next();
    if (r < 0.08) lines.push(JSON.stringify({ text, n: lines.length }));
    else lines.push(JSON.stringify({ id: r < 0.5 ? `d${id++}` : id++, text }));
  };
  for (let i = 0; i < originals; i++) {
    const base = words(next, 20 + Math.floor(next() * 40));
    texts.push(base);
    push(base);
    const r = next();
    if (r < 0.2) push(base.toUpperCase() + '!');
    else if (r < 0.45) {
      // a chain: each copy one word from the previous one
      let t = base;
      for (let k = 0; k < 1 + Math.floor(next() * 3); k++) {
        const w = t.split(' ');
        w[Math.floor(next() * w.length)] = 'changed';
        t = w.join(' ');
        push(t);
      }
    }
    if (next() < 0.05) lines.push('');
    if (next() < 0.03) lines.push('{"broken json');
    if (next() < 0.03) lines.push(JSON.stringify({ id: 'x', text: 'empty text follows' }));
    if (next() < 0.03) lines.push(JSON.stringify({ text: '   ' }));
  }
  // Later copies of early originals, far from them (other shards).
  for (let i = 0; i < Math.min(10, texts.length); i++) push(`${texts[i]!}.`);
  return `${lines.join('\n')}\n`;
}

/** Cuts JSONL text into `k` shard texts of consecutive lines (blank lines kept, so line numbers add up). */
export function splitLines(text: string, k: number): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  for (let s = 0; s < k; s++) {
    const part = lines.slice(Math.floor((s * lines.length) / k), Math.floor(((s + 1) * lines.length) / k));
    out.push(part.length > 0 ? `${part.join('\n')}\n` : '');
  }
  return out;
}

/** A seeded shuffle. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const next = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
