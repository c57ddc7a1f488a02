/** Helpers of the CLI tests: run `neardup` from source (tsx) in a child process, temp dirs, JSONL parsing. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const mainTs = join(root, 'src/cli/main.ts');
export const seedPath = join(root, 'seeds/000_cc1f5f790d2f55b7.txt');
export const debianPath = join(root, 'bench/data/debian-desc-en.jsonl.gz');

/** The command line that runs the CLI from source. */
export const cliArgv = (args: string[]): string[] => ['--import', 'tsx', mainTs, ...args];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/** Runs `neardup ARGS` to completion (stdin from `input`, or empty). */
export function cli(args: string[], input?: string | Buffer): CliResult {
  const r = spawnSync(process.execPath, cliArgv(args), {
    cwd: root,
    input: input ?? '',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NEARDUP_DEBUG: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stdoutBytes: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** Starts `neardup ARGS` without waiting. */
export function cliSpawn(args: string[]): ChildProcess {
  return spawn(process.execPath, cliArgv(args), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh temporary directory and its remover. */
export function tempDir(prefix = 'neardup-cli-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Parses a JSONL string (blank lines skipped). */
export function parseJsonl(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Reads and parses a JSONL file. */
export const readJsonl = (path: string): Record<string, unknown>[] => parseJsonl(readFileSync(path, 'utf8'));

/** Reads a JSON file. */
export const readJson = <T = Record<string, unknown>>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Mulberry32, the seeded generator of every generated test input. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is was for on that with as by at from his her an which are were be this have has had not but ' +
  'they one all their there been can who more when will would about into time only other new some could these two ' +
  'river mountain city garden library engine package server network market village harbour winter summer science ' +
  'history music language painting bridge railway island forest valley kitchen school hospital theatre museum'
).split(' ');

/** A seeded pseudo-English document of `n` words. */
export function words(next: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  return out.join(' ');
}

/**
 * Runs `neardup ARGS` in this process through `main(argv, io)` (the same code the binary runs, with the streams
 * replaced). Only for `--jobs 1`: worker threads need the built or tsx-loaded worker script, so multi-threaded
 * runs use {@link cli}.
 */
export async function run(args: string[], input?: string | Buffer): Promise<CliResult> {
  const { main } = await import('../src/cli/program');
  const { PassThrough, Writable } = await import('node:stream');
  const stdin = new PassThrough();
  stdin.end(input ?? '');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]): NodeJS.WritableStream =>
    new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        into.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
        cb();
      },
    });
  const code = await main(args, { stdin, stdout: sink(out), stderr: sink(err), stderrIsTTY: false });
  const stdoutBytes = Buffer.concat(out);
  return { code, signal: null, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') };
}
