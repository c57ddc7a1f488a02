/**
 * A staged run against earlier ones (`neardup plan|run … --against W`): the new release's outputs equal
 * single-process `neardup dedupe --clustering connected` over the earlier runs' kept records followed by the new
 * records, byte for byte once a copy of an earlier document names that run's line, run and shard; earlier
 * documents are never removed; a run planned with other options is refused, naming what differs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupe } from '../src/dedup';
import { rng, run, tempDir, words } from './cli.helpers';
import { buildCli, neardup, plantedCorpus, shuffled, splitLines } from './helpers/scale-cli';

interface Plan {
  work: string;
  stages: { name: string; tasks: { argv: string[] }[] }[];
  outputs: { input: string; kept: string; removed: string; report: string }[];
}

/** A finished run: its folder, its inputs' texts (one per shard) and its kept records, in order. */
interface Release {
  work: string;
  shards: string[];
  kept: string[];
}

const tmp = tempDir('neardup-against-');
afterAll(() => tmp.remove());

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** Marks every record of release `n` (a first member `"rel":n`), so its records can be told apart in a reference output. */
function mark(corpus: string, n: number): string[] {
  return corpus.split('\n').slice(0, -1).map((l) => {
    if (!l.startsWith('{"')) return l;
    try {
      JSON.parse(l);
    } catch {
      return l;
    }
    return `{"rel":${n},${l.slice(1)}`;
  });
}

/** Valid texts and ids of a release's records (the first occurrence of each id). */
function records(text: string): { id: unknown; text: string }[] {
  return lines(text).flatMap((l) => {
    try {
      const r = JSON.parse(l) as { id?: unknown; text?: unknown };
      return typeof r.text === 'string' && r.text.trim() !== '' ? [{ id: r.id, text: r.text }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Release 1: a planted corpus and two documents A and B below the threshold from each other (two words of 60
 * changed), both kept. Release 2: a planted corpus, exact and near copies of release-1 texts, a document X
 * between A and B (joins both: the single-process run over old kept ++ new then removes B, the staged run never
 * does, and removes X as a copy of A in both), a repeated id of a kept release-1 record and the id of a removed one.
 */
function corpora(): { first: string[]; second: (removedId: unknown) => string[]; third: string[] } {
  const next = rng(5);
  const a = words(next, 60).split(' ');
  const b = [...a];
  b[10] = 'bridgeone';
  b[40] = 'bridgetwo';
  const x = [...a];
  x[10] = 'bridgeone';
  const first = [...mark(plantedCorpus(31, 50), 1), JSON.stringify({ id: 'A', text: a.join(' ') }), ...mark(plantedCorpus(33, 20), 1), JSON.stringify({ id: 'B', text: b.join(' ') })];
  const old = records(first.join('\n'));
  const second = (removedId: unknown): string[] => {
    const extra: string[] = [];
    old.slice(0, 12).forEach((r, i) => {
      extra.push(JSON.stringify({ rel: 2, id: `copy${i}`, text: `${r.text.toUpperCase()}!` }));
      const w = r.text.split(' ');
      w[Math.floor(w.length / 2)] = 'changed';
      extra.push(JSON.stringify({ rel: 2, id: `near${i}`, text: w.join(' ') }));
    });
    extra.push(JSON.stringify({ rel: 2, id: 'X', text: x.join(' ') }));
    extra.push(JSON.stringify({ rel: 2, id: 'A', text: 'a repeated id of a kept earlier record' }));
    extra.push(JSON.stringify({ rel: 2, id: removedId, text: 'the id of an earlier record that its run removed' }));
    const planted = mark(plantedCorpus(32, 50), 2).map((l) => l.replace(/"id":"d(\d+)"/, '"id":"e$1"'));
    return shuffled([...planted.slice(0, 40), ...extra], 9).concat(planted.slice(40));
  };
  const third = [...mark(plantedCorpus(34, 20), 3), ...old.slice(20, 26).map((r, i) => JSON.stringify({ rel: 3, id: `again${i}`, text: r.text }))];
  return { first, second, third };
}

/** Writes a release as `k` shard files under `dir/in`. */
function writeShards(dir: string, release: string[], k: number): string[] {
  const texts = splitLines(`${release.join('\n')}\n`, k);
  mkdirSync(join(dir, 'in'), { recursive: true });
  texts.forEach((t, s) => writeFileSync(join(dir, 'in', `${s}.jsonl`), t));
  return texts;
}

const readAll = (paths: string[]): string => paths.map((p) => readFileSync(p, 'utf8')).join('');

/** Runs every stage of a plan in this process, the tasks of each stage in a shuffled order. */
async function runPlan(plan: Plan, seed: number): Promise<void> {
  for (const stage of plan.stages) {
    const tasks = shuffled(stage.tasks.map((t) => t.argv[t.argv.length - 1]!), seed);
    const r = await run(['stage', stage.name, '--work', plan.work, '--task', tasks.join(','), '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}

/**
 * The single-process reference over (every earlier release's kept records ++ this release's records), and what the
 * staged run must write for this release: the reference's records of release `rel`, where a removed record whose
 * kept copy is an earlier release's record names that record's line in its own run, the run and the shard.
 */
async function expected(dir: string, earlier: Release[], current: string[], rel: number): Promise<{ kept: string; removed: string }> {
  const input = join(dir, 'reference.jsonl');
  writeFileSync(input, [...earlier.flatMap((e) => e.kept), ...current].map((l) => `${l}\n`).join(''));
  const r = await run(['dedupe', input, '--clustering', 'connected', '--skip-invalid', '--jobs', '1', '-q', '-o', join(dir, 'ref.kept'), '--removed', join(dir, 'ref.removed')]);
  expect(r.code).toBe(0);
  // Where each earlier kept record sits in its run: its line across that run's inputs and its shard (kept records
  // are in input order, so the first unmatched equal line is the one; an equal later line is never kept before it).
  const origin: { line: number; run: string; shard: number }[] = [];
  for (const e of earlier) {
    const all = e.shards.flatMap((t, s) => t.split('\n').slice(0, -1).map((l) => ({ l, s })));
    let at = 0;
    for (const k of e.kept) {
      while (all[at]!.l !== k) at++;
      origin.push({ line: at + 1, run: e.work, shard: all[at]!.s });
      at++;
    }
  }
  const mine = (l: string): boolean => l.startsWith(`{"rel":${rel},`);
  const kept = lines(readFileSync(join(dir, 'ref.kept'), 'utf8')).filter(mine).map((l) => `${l}\n`).join('');
  const removed = lines(readFileSync(join(dir, 'ref.removed'), 'utf8')).filter(mine).map((l) => {
    const m = /"duplicateOfLine":(\d+),/.exec(l)!;
    const line = Number(m[1]);
    const o = origin[line - 1];
    const now = o ? `"duplicateOfLine":${o.line},"duplicateOfRun":${JSON.stringify(o.run)},"duplicateOfShard":${o.shard},` : `"duplicateOfLine":${line - origin.length},`;
    return `${l.slice(0, m.index)}${now}${l.slice(m.index + m[0].length)}\n`;
  }).join('');
  return { kept, removed };
}

describe('neardup plan|run --against an earlier run', () => {
  const { first, second, third } = corpora();
  const releases: Release[] = [];
  let secondLines: string[] = [];

  beforeAll(async () => {
    await buildCli();
    const dir = join(tmp.dir, 'r1');
    const shards = writeShards(dir, first, 2);
    const work = join(dir, 'work');
    const r = neardup(['run', join(dir, 'in'), '--work', work, '--jobs', '2', '--parts', '2', '--skip-invalid', '-q']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const outs = [0, 1].map((s) => join(work, 'out', `0000${s}`));
    releases.push({ work, shards, kept: lines(readAll(outs.map((o) => `${o}.kept.jsonl`))) });
    const removedId = (JSON.parse(lines(readAll(outs.map((o) => `${o}.removed.jsonl`))).find((l) => l.includes('"id":'))!) as { id: unknown }).id;
    secondLines = second(removedId);
  }, 60_000);

  it('the construction: A and B are both kept alone, and X joins them', () => {
    const [a, b] = ['A', 'B'].map((id) => records(first.join('\n')).find((r) => r.id === id)!.text);
    const x = records(secondLines.join('\n')).find((r) => r.id === 'X')!.text;
    expect(dedupe([a!, b!]).duplicates).toEqual([]);
    expect(dedupe([a!, x, b!], { clustering: 'connected' }).duplicates.map((d) => d.duplicateOf)).toEqual([0, 0]);
    expect(releases[0]!.kept.some((l) => l.includes('"id":"B"'))).toBe(true);
  });

  it('3 shards, 2 parts per band, shuffled tasks: equal to dedupe --clustering connected over (earlier kept ++ new)', async () => {
    const dir = join(tmp.dir, 'r2');
    const shards = writeShards(dir, secondLines, 3);
    const work = join(dir, 'work');
    const p = await run(['plan', join(dir, 'in'), '--work', work, '--parts', '2', '--skip-invalid', '--against', releases[0]!.work]);
    expect([p.code, p.stderr]).toEqual([0, '']);
    const plan = JSON.parse(p.stdout) as Plan;
    await runPlan(plan, 4);
    const want = await expected(dir, releases, secondLines, 2);
    expect(readAll(plan.outputs.map((o) => o.kept))).toBe(want.kept);
    expect(readAll(plan.outputs.map((o) => o.removed))).toBe(want.removed);
    // X is removed as a copy of A (release 1), B is never touched, the repeated id "A" is invalid, the id of a removed
    // earlier record is not.
    const removed = lines(readAll(plan.outputs.map((o) => o.removed))).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(removed.find((r) => r['id'] === 'X')).toMatchObject({ duplicateOf: 'A', duplicateOfRun: releases[0]!.work });
    // The 12 exact copies and X at least (a near copy of a short text can fall below the threshold).
    expect(removed.filter((r) => r['duplicateOfRun'] !== undefined).length).toBeGreaterThanOrEqual(13);
    const reports = plan.outputs.map((o) => JSON.parse(readFileSync(o.report, 'utf8')) as { input: number; kept: number; removed: number; invalid: number; errors: { reason: string }[] });
    const sum = (f: 'input' | 'kept' | 'removed' | 'invalid'): number => reports.reduce((a, r) => a + r[f], 0);
    expect(sum('input')).toBe(secondLines.filter((l) => l.trim() !== '').length);
    expect(sum('input')).toBe(sum('kept') + sum('removed') + sum('invalid'));
    expect(reports.flatMap((r) => r.errors.map((e) => e.reason))).toContain('duplicate id "A" (ids must be unique; --duplicate-ids allow accepts repeated ids)');
    releases.push({ work, shards, kept: lines(readAll(plan.outputs.map((o) => o.kept))) });
  }, 60_000);

  it('neardup run --against a run that was itself against another: matches both earlier releases', async () => {
    expect(releases).toHaveLength(2);
    const dir = join(tmp.dir, 'r3');
    writeShards(dir, third, 2);
    const work = join(dir, 'work');
    const r = neardup(['run', join(dir, 'in'), '--work', work, '--jobs', '2', '--parts', '2', '--skip-invalid', '-q', '--against', releases[1]!.work]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const want = await expected(dir, releases, third, 3);
    const outs = [0, 1].map((s) => join(work, 'out', `0000${s}`));
    expect(readAll(outs.map((o) => `${o}.kept.jsonl`))).toBe(want.kept);
    expect(readAll(outs.map((o) => `${o}.removed.jsonl`))).toBe(want.removed);
    expect(want.removed).toContain(`"duplicateOfRun":${JSON.stringify(releases[0]!.work)}`);
  }, 60_000);

  it.each([
    [['--threshold', '0.7'], 'threshold 0.8 (this run: 0.7)'],
    [['--seed', '3'], 'seed 1 (this run: 3)'],
    [['--parts', '1'], 'parts 2 (this run: 1)'],
    [['--shingle-size', '3'], 'shingle {"unit":"word","size":5} (this run: {"unit":"word","size":3})'],
  ])('refuses an earlier run planned with other options (%j), naming what differs', async (options, what) => {
    const dir = join(tmp.dir, `mismatch-${options.join('')}`);
    writeShards(dir, third, 1);
    const r = await run(['plan', join(dir, 'in'), '--work', join(dir, 'work'), '--skip-invalid', '--parts', '2', '--against', releases[0]!.work, ...options]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--against ${releases[0]!.work}: that run was planned with other options: ${what}`);
  });

  it('refuses an earlier run that has not finished its cluster stage, and a folder with no plan', async () => {
    const dir = join(tmp.dir, 'unfinished');
    writeShards(dir, third, 1);
    expect((await run(['plan', join(dir, 'in'), '--work', join(dir, 'w1'), '--skip-invalid'])).code).toBe(0);
    const r = await run(['plan', join(dir, 'in'), '--work', join(dir, 'w2'), '--skip-invalid', '--against', join(dir, 'w1')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('that run has not finished its cluster stage');
    const none = await run(['plan', join(dir, 'in'), '--work', join(dir, 'w3'), '--skip-invalid', '--against', join(dir, 'nothing')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no plan');
  });
});
