/**
 * The CLI under load and abuse: the streaming line splitter against a naive oracle (random chunking), `--jobs 1`
 * and `--jobs N` giving identical outputs, a 50 MB input accounted for line by line, and interrupted runs that
 * never leave a partial output under the final name.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lineBatches, lineText, type LineBatch } from '../src/cli/input';
import { formatDuration, formatProgress } from '../src/cli/progress';
import { cli, cliSpawn, debianPath, readJson, rng, tempDir, words } from './cli.helpers';

const tmp = tempDir('neardup-robust-');
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

async function collect(chunks: Uint8Array[], maxLines = 3, maxBytes = 40): Promise<{ batches: LineBatch[]; lines: number }> {
  const counter = { lines: 0 };
  async function* gen(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield c;
  }
  const batches: LineBatch[] = [];
  for await (const b of lineBatches(gen(), { maxLines, maxBytes, counter })) batches.push(b);
  return { batches, lines: counter.lines };
}

/** The naive oracle: split on LF, drop one trailing CR and a leading BOM, skip whitespace-only lines, number from 1. */
function oracle(text: string): { lines: [number, string][]; total: number } {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  const lines: [number, string][] = [];
  parts.forEach((p, i) => {
    let line = p.endsWith('\r') ? p.slice(0, -1) : p;
    if (line.startsWith('\ufeff')) line = line.slice(1); // on any line: concatenated files
    if (line.trim() !== '') lines.push([i + 1, line]);
  });
  return { lines, total: parts.length };
}

describe('lineBatches(chunks, options)', () => {
  it('lineBatches(chunks) splits any chunking of any text like the naive oracle', async () => {
    const piece = fc.constantFrom('a', 'é', '🎉', ' ', '\t', '\n', '\r\n', '\r', '{', '"', '\u3000', '\u00a0', 'xyz', '\ufeff');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }), fc.boolean(), async (pieces, cuts, bom) => {
        const text = (bom ? '\ufeff' : '') + pieces.join('');
        const bytes = Buffer.from(text, 'utf8');
        const chunks: Uint8Array[] = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const n = cuts[k % cuts.length]!;
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        const { batches, lines } = await collect(chunks);
        const got: [number, string][] = [];
        for (const b of batches) {
          expect(b.count).toBeLessThanOrEqual(3);
          for (let i = 0; i < b.count; i++) got.push([b.lineNumbers[i]!, lineText(b, i)]);
        }
        const want = oracle(text);
        expect(got).toEqual(want.lines);
        expect(lines).toBe(want.total);
      }),
      { seed: 6, numRuns: 300 },
    );
  });

  it('lineBatches(chunks) assembles a line split over many chunks in linear time', async () => {
    const long = 'x'.repeat(1 << 20);
    const text = Buffer.from(`{"a":1}\n${long}\n{"b":2}`);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < text.length; at += 1000) chunks.push(text.subarray(at, at + 1000));
    const { batches } = await collect(chunks, 256, 1 << 20);
    const all = batches.flatMap((b) => Array.from({ length: b.count }, (_, i) => lineText(b, i)));
    expect(all.map((l) => l.length)).toEqual([7, long.length, 7]);
  });
});

describe('progress line', () => {
  it('formatProgress shows records/s, MB/s and, with a known size, percentage and ETA', () => {
    expect(formatProgress({ records: 12000, bytes: 6e6, rawBytes: 25, total: 100, seconds: 3 })).toBe('12,000 records  4,000 rec/s  2.0 MB/s  25%  ETA 0:09');
    expect(formatProgress({ records: 5, bytes: 100, rawBytes: 100, total: null, seconds: 0 })).toBe('5 records  0 rec/s  0.0 MB/s');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});

/** A report without what legitimately differs between runs. */
function stable(report: Record<string, unknown>): Record<string, unknown> {
  const { timings: _t, files: _f, options, ...rest } = report;
  const { jobs: _j, ...opts } = options as Record<string, unknown>;
  return { ...rest, options: opts };
}

describe('neardup --jobs N', () => {
  // The first 3,000 Debian descriptions (many near duplicates), plus invalid lines.
  const debian = gunzipSync(readFileSync(debianPath)).toString('utf8').split('\n').slice(0, 3000);
  debian.splice(100, 0, '{"id": "broken"');
  debian.splice(2000, 0, '{"id": "no-text"}');
  writeFileSync(path('debian.jsonl'), debian.join('\n'));

  it('dedupe --jobs 1, 2 and 3 write identical outputs and reports', () => {
    const runs = [1, 2, 3].map((jobs) => {
      const r = cli(['dedupe', path('debian.jsonl'), '--skip-invalid', '-q', '--jobs', String(jobs), '-o', path(`kept-${jobs}.jsonl`), '--removed', path(`removed-${jobs}.jsonl`), '--report', path(`report-${jobs}.json`)]);
      expect(r.code).toBe(0);
      return {
        kept: readFileSync(path(`kept-${jobs}.jsonl`)),
        removed: readFileSync(path(`removed-${jobs}.jsonl`)),
        report: stable(readJson(path(`report-${jobs}.json`))),
      };
    });
    const report = runs[0]!.report as { input: number; kept: number; removed: number; invalid: number };
    expect(report.removed).toBeGreaterThan(100);
    expect(report.invalid).toBeGreaterThanOrEqual(2);
    expect(report.kept + report.removed + report.invalid).toBe(report.input);
    for (const r of runs.slice(1)) {
      expect(r.kept.equals(runs[0]!.kept)).toBe(true);
      expect(r.removed.equals(runs[0]!.removed)).toBe(true);
      expect(r.report).toEqual(runs[0]!.report);
    }
  });

  it('dedupe --jobs 2 without --skip-invalid stops cleanly at the first invalid line, tasks in flight', () => {
    const r = cli(['dedupe', path('debian.jsonl'), '-q', '--jobs', '2', '-o', path('stopped.jsonl')]);
    expect(r.code).toBe(1);
    // Exactly one line: our message, no stack trace from a pool torn down under running tasks.
    expect(r.stderr).toMatch(/^neardup: \S*debian\.jsonl:101: invalid JSON \([^\n]*\); stopped \(use --skip-invalid to record invalid lines in the report and go on\)\n$/);
    expect(existsSync(path('stopped.jsonl'))).toBe(false);
  });

  it('quality --jobs 1 and 2 write identical outputs', () => {
    const small = path('debian-500.jsonl');
    writeFileSync(small, debian.slice(0, 500).join('\n'));
    const [one, two] = [1, 2].map((jobs) => cli(['quality', small, '--skip-invalid', '-q', '--jobs', String(jobs)]));
    expect(one!.code).toBe(0);
    expect(one!.stdout.length).toBeGreaterThan(0);
    expect(two!.stdoutBytes.equals(one!.stdoutBytes)).toBe(true);
  });
});

describe('neardup dedupe on a 50 MB file', () => {
  // ~50 MB, generated: 1 record in 5 repeats an earlier text (new id), 1 in 5,000 lines is invalid JSON,
  // 1 in 1,000 is blank, 1 in 3 ends with CRLF, and the last line has no newline.
  const big = path('big.jsonl');
  const next = rng(50);
  const texts: string[] = [];
  const parts: string[] = [];
  let size = 0;
  let records = 0;
  let invalid = 0;
  let blank = 0;
  let repeats = 0;
  for (let i = 0; size < 50e6; i++) {
    let line: string;
    const roll = next();
    if (roll < 0.0002) {
      line = `{"id": "bad-${i}", "text": "cut short`;
      invalid++;
    } else if (roll < 0.0012) {
      line = '';
      blank++;
    } else if (roll < 0.2 && texts.length > 0) {
      line = JSON.stringify({ id: `r${i}`, text: texts[Math.floor(next() * texts.length)] });
      repeats++;
    } else {
      const text = words(next, 60 + Math.floor(next() * 60));
      if (texts.length < 5000) texts.push(text);
      line = JSON.stringify({ id: `r${i}`, text });
    }
    if (line !== '') records++;
    if (next() < 1 / 3) line += '\r';
    parts.push(line);
    size += line.length + 1;
  }
  writeFileSync(big, parts.join('\n'));
  const lines = parts.length;

  it('dedupe 50MB.jsonl --skip-invalid accounts for every non-blank line', () => {
    expect(statSync(big).size).toBeGreaterThanOrEqual(50e6);
    const r = cli(['dedupe', big, '--method', 'exact', '--skip-invalid', '-q', '--jobs', '2', '-o', path('big-kept.jsonl'), '--removed', path('big-removed.jsonl'), '--report', path('big.json')]);
    expect(r.code).toBe(0);
    const report = readJson<{ input: number; kept: number; removed: number; invalid: number; inputInfo: { lines: number } }>(path('big.json'));
    expect(report.input).toBe(records);
    expect(report.inputInfo.lines).toBe(lines);
    expect(report.invalid).toBe(invalid);
    expect(report.removed).toBeGreaterThanOrEqual(repeats); // every repeat, and any generated text that happens to repeat
    expect(report.kept + report.removed + report.invalid).toBe(report.input);
    const count = (p: string): number => readFileSync(p, 'utf8').split('\n').length - 1;
    expect(count(path('big-kept.jsonl'))).toBe(report.kept);
    expect(count(path('big-removed.jsonl'))).toBe(report.removed);
    expect(blank).toBeGreaterThan(0);
  });

  /** Starts a run, waits until it is writing its temporary output, then sends `signal`. */
  async function interrupt(signal: NodeJS.Signals, name: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const child = cliSpawn(['dedupe', big, '--skip-invalid', '-q', '--jobs', '1', '-o', path(name), '--report', path(`${name}.json`)]);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
    const writing = (): boolean => readdirSync(tmp.dir).some((f) => f.startsWith(`.${name}.neardup-`) && statSync(join(tmp.dir, f)).size > 0);
    const deadline = Date.now() + 60_000;
    while (!writing() && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    expect(writing()).toBe(true);
    child.kill(signal);
    return { ...(await exited), stderr };
  }

  it('an interrupted run (SIGINT) leaves no output and removes its temporary files', async () => {
    const r = await interrupt('SIGINT', 'int.jsonl');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted (SIGINT)');
    expect(existsSync(path('int.jsonl'))).toBe(false);
    expect(existsSync(path('int.jsonl.json'))).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('.int.jsonl'))).toEqual([]);
  });

  it('a killed run (SIGKILL, no chance to clean up) never leaves a partial file under the final name', async () => {
    const r = await interrupt('SIGKILL', 'kill.jsonl');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(path('kill.jsonl'))).toBe(false);
    expect(existsSync(path('kill.jsonl.json'))).toBe(false);
  });
});
