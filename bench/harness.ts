/**
 * The bench harness: seeded inputs, warm-up, repeats, medians, and a sink against dead-code elimination.
 * Each `bench/*.bench.ts` exports `default async function (): Promise<string>` returning a Markdown section;
 * `scripts/run-bench.mjs` runs each in its own process and writes `bench/results/<name>.md`, then
 * assembles `bench/RESULTS.md`.
 */

/** Results are folded in here so the optimiser cannot drop the measured work. */
export let sink = 0;
export function consume(value: unknown): void {
  if (typeof value === 'number') sink = (sink + value) | 0;
  else if (typeof value === 'bigint') sink = (sink + Number(value & 0xffffn)) | 0;
  else if (value && typeof value === 'object' && 'length' in value) sink = (sink + (value as { length: number }).length) | 0;
  else sink = (sink + 1) | 0;
}

export interface Timing {
  /** Median wall time of one repeat, in milliseconds. */
  medianMs: number;
  /** Every repeat, in milliseconds. */
  samples: number[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Runs `fn` `warmup` times untimed, then `repeats` times timed; returns the median. */
export function time(fn: () => unknown, { warmup = 2, repeats = 7 }: { warmup?: number; repeats?: number } = {}): Timing {
  for (let i = 0; i < warmup; i++) consume(fn());
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    consume(fn());
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samples };
}

/** Async variant of {@link time}. */
export async function timeAsync(fn: () => Promise<unknown>, { warmup = 1, repeats = 5 }: { warmup?: number; repeats?: number } = {}): Promise<Timing> {
  for (let i = 0; i < warmup; i++) consume(await fn());
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    consume(await fn());
    samples.push(performance.now() - t0);
  }
  return { medianMs: median(samples), samples };
}

/** Mulberry32: the documented seeded generator every bench input comes from. */
/**
 * Letter runs in `s`, found by one pass of `/\p{L}+/gu` with `exec`: what the simplest Unicode-aware regex tokenizer
 * costs (the speed reference of issue 11).
 */
const letterRuns = /\p{L}+/gu;
export function letterRunCount(s: string): number {
  letterRuns.lastIndex = 0;
  let n = 0;
  while (letterRuns.exec(s) !== null) n++;
  return n;
}

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Markdown table from a header row and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const fmt = (v: string | number): string => (typeof v === 'number' ? formatNumber(v) : v);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  ].join('\n');
}

/** Three significant digits, thousands separated. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) >= 100) return v.toLocaleString('en-US');
  const abs = Math.abs(v);
  if (abs >= 100) return Math.round(v).toLocaleString('en-US');
  if (abs >= 10) return v.toFixed(1);
  if (abs >= 1) return v.toFixed(2);
  if (abs === 0) return '0';
  return v.toPrecision(3);
}

/** Two full garbage collections when the process runs with `--expose-gc` (`npm run bench` does); else nothing. */
export function fullGc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** Live memory for bytes-per-document figures: V8 heap used plus ArrayBuffers (typed arrays live outside the heap). */
export function heapBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
