/**
 * The staged run (`neardup plan` + `neardup stage …`): the same bytes as single-process
 * `neardup dedupe --clustering connected` for any shard and part count and task order, each stage in its own
 * `node` process; crash safety; refusal of files that do not belong; accounting across shards.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync, copyFileSync, truncateSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dedupe } from '../src/dedup';
import { taskLists } from '../src/cli/scale/run';
import { run, tempDir, type CliResult } from './cli.helpers';
import { buildCli, neardup, neardupSpawn, plantedCorpus, shuffled, splitLines } from './helpers/scale-cli';

interface Plan {
  version: number;
  work: string;
  stages: { name: string; tasks: { argv: string[] }[] }[];
  outputs: { input: string; kept: string; removed: string; report: string }[];
}

const tmp = tempDir('neardup-scale-');
const corpus = plantedCorpus(12, 140);
const corpusPath = join(tmp.dir, 'corpus.jsonl');
let reference: { kept: Buffer; removed: Buffer; report: { input: number; kept: number; removed: number; invalid: number } };

beforeAll(async () => {
  await buildCli();
  writeFileSync(corpusPath, corpus);
  const r = await run(['dedupe', corpusPath, '--clustering', 'connected', '--skip-invalid', '--jobs', '1', '-q',
    '-o', join(tmp.dir, 'ref.kept.jsonl'), '--removed', join(tmp.dir, 'ref.removed.jsonl'), '--report', join(tmp.dir, 'ref.report.json')]);
  expect(r.stderr).toBe('');
  reference = {
    kept: readFileSync(join(tmp.dir, 'ref.kept.jsonl')),
    removed: readFileSync(join(tmp.dir, 'ref.removed.jsonl')),
    report: JSON.parse(readFileSync(join(tmp.dir, 'ref.report.json'), 'utf8')) as typeof reference.report,
  };
}, 60_000);
afterAll(() => tmp.remove());

/** Writes the corpus as `k` shards and plans a work folder for them. */
async function planShards(name: string, k: number, parts: number, extra: string[] = []): Promise<{ plan: Plan; work: string }> {
  const dir = join(tmp.dir, name);
  const shards = splitLines(corpus, k).map((text, s) => {
    const p = join(dir, `in`, `${String(s).padStart(2, '0')}.jsonl`);
    return { p, text };
  });
  for (const { p, text } of shards) {
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  const work = join(dir, 'work');
  const r = await run(['plan', join(dir, 'in'), '--work', work, '--parts', String(parts), '--skip-invalid', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { plan: JSON.parse(r.stdout) as Plan, work };
}

/**
 * Runs every stage of the plan, its tasks in a shuffled order: `process` runs each stage as its own `node` process
 * (nothing in memory is shared between stages), `inline` runs them in this process through the CLI's main (the
 * same code; cheap enough for the whole shard × part matrix on a busy 2-core machine).
 */
async function runPlan(plan: Plan, seed: number, via: 'process' | 'inline' = 'inline'): Promise<void> {
  for (const stage of plan.stages) {
    const tasks = shuffled(stage.tasks.map((t) => t.argv[t.argv.length - 1]!), seed);
    const args = ['stage', stage.name, '--work', plan.work, '--task', tasks.join(','), '-q'];
    const r: CliResult = via === 'process' ? neardup(args) : await run(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }
}

const concat = (paths: string[]): Buffer => Buffer.concat(paths.map((p) => readFileSync(p)));

describe('neardup plan + stage', () => {
  // Every shard count and every part count (not their whole product: each case is ~1 s on a busy 2-core machine).
  const matrix = ([[1, 4], [2, 1], [2, 2], [3, 1], [5, 4], [8, 1]] as const).map(([k, p]) => [k, p, 'inline'] as const);
  it.each([...matrix, [3, 2, 'process'] as const, [8, 4, 'process'] as const])('%i shards, %i parts per band, shuffled tasks, stages %s: byte-identical to dedupe --clustering connected', async (k, parts, via) => {
    const { plan } = await planShards(`k${k}p${parts}${via}`, k, parts);
    expect(plan.stages.map((s) => s.name)).toEqual(['sign', 'ids', 'pairs', 'cluster', 'filter']);
    expect(plan.stages[0]!.tasks).toHaveLength(k);
    expect(plan.stages[2]!.tasks.length % parts).toBe(0);
    await runPlan(plan, k * 10 + parts, via);
    expect(concat(plan.outputs.map((o) => o.kept)).toString()).toBe(reference.kept.toString());
    expect(concat(plan.outputs.map((o) => o.removed)).toString()).toBe(reference.removed.toString());
    // Accounting across shards: non-blank lines = kept + removed + invalid, and by id.
    const reports = plan.outputs.map((o) => JSON.parse(readFileSync(o.report, 'utf8')) as { input: number; kept: number; removed: number; invalid: number });
    const sum = (f: 'input' | 'kept' | 'removed' | 'invalid'): number => reports.reduce((a, r) => a + r[f], 0);
    expect([sum('input'), sum('kept'), sum('removed'), sum('invalid')]).toEqual([reference.report.input, reference.report.kept, reference.report.removed, reference.report.invalid]);
    expect(sum('input')).toBe(sum('kept') + sum('removed') + sum('invalid'));
    expect(sum('input')).toBe(corpus.split('\n').filter((l) => l.trim() !== '').length);
    const idsOf = (paths: string[]): string[] => paths.flatMap((p) => readFileSync(p, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.stringify((JSON.parse(l) as { id?: unknown }).id ?? null)));
    expect(idsOf(plan.outputs.flatMap((o) => [o.kept, o.removed])).sort()).toEqual(idsOf([join(tmp.dir, 'ref.kept.jsonl'), join(tmp.dir, 'ref.removed.jsonl')]).sort());
  }, 60_000);

  /** The valid records, in order, with the first occurrence of each id (what the CLI accepts), known by line. */
  function validDocs(): { docs: { id: number; text: string }[]; idOfLine: Map<number, string> } {
    const docs: { id: number; text: string }[] = [];
    const idOfLine = new Map<number, string>();
    const seen = new Set<string>();
    corpus.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let r: { id?: unknown; text?: unknown };
      try {
        r = JSON.parse(line) as typeof r;
      } catch {
        return;
      }
      if (typeof r.text !== 'string') return;
      const idText = r.id === undefined ? null : JSON.stringify(r.id);
      if (idText !== null && seen.has(idText)) return;
      if (idText !== null) seen.add(idText);
      docs.push({ id: i + 1, text: r.text });
      idOfLine.set(i + 1, line);
    });
    return { docs, idOfLine };
  }

  it('dedupe --keep longest (greedy) agrees with the library dedupe({ keep: "longest" })', async () => {
    const r = await run(['dedupe', corpusPath, '--keep', 'longest', '--skip-invalid', '--jobs', '1', '-q', '-o', join(tmp.dir, 'gl.kept'), '--removed', join(tmp.dir, 'gl.removed')]);
    expect(r.code).toBe(0);
    const lib = dedupe(validDocs().docs, { keep: 'longest' });
    const removed = readFileSync(join(tmp.dir, 'gl.removed'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { duplicateOfLine: number; similarity: number; exact: boolean });
    expect(removed.map((x) => [x.duplicateOfLine, x.similarity, x.exact])).toEqual(lib.duplicates.map((d) => [d.duplicateOf, d.similarity, d.exact]));
  });

  it('agrees with the library dedupe({ clustering: "connected" }) on every document', async () => {
    const { plan } = await planShards('library', 3, 2);
    await runPlan(plan, 7);
    const { docs, idOfLine } = validDocs();
    const lib = dedupe(docs, { clustering: 'connected' });
    const removed = readFileSync(plan.outputs[0]!.removed, 'utf8') + plan.outputs.slice(1).map((o) => readFileSync(o.removed, 'utf8')).join('');
    const staged = removed.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { duplicateOfLine: number; similarity: number; exact: boolean });
    expect(staged.map((r) => [r.duplicateOfLine, r.similarity, r.exact])).toEqual(lib.duplicates.map((d) => [d.duplicateOf, d.similarity, d.exact]));
    const keptLines = plan.outputs.map((o) => readFileSync(o.kept, 'utf8')).join('').split('\n').filter((l) => l !== '');
    expect(keptLines).toEqual(lib.kept.map((line) => idOfLine.get(line as number)));
  }, 60_000);

  it('--keep longest: the staged run equals dedupe --clustering connected --keep longest', async () => {
    const ref = await run(['dedupe', corpusPath, '--clustering', 'connected', '--keep', 'longest', '--skip-invalid', '--jobs', '1', '-q',
      '-o', join(tmp.dir, 'long.kept.jsonl'), '--removed', join(tmp.dir, 'long.removed.jsonl')]);
    expect(ref.code).toBe(0);
    const { plan } = await planShards('longest', 4, 1, ['--keep', 'longest']);
    await runPlan(plan, 3);
    expect(concat(plan.outputs.map((o) => o.kept)).toString()).toBe(readFileSync(join(tmp.dir, 'long.kept.jsonl'), 'utf8'));
    expect(concat(plan.outputs.map((o) => o.removed)).toString()).toBe(readFileSync(join(tmp.dir, 'long.removed.jsonl'), 'utf8'));
  }, 60_000);

  it('takes the task index from JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, CLOUD_RUN_TASK_INDEX; skips a finished task', async () => {
    const { work } = await planShards('env', 4, 1);
    const vars = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'AWS_BATCH_JOB_ARRAY_INDEX', 'CLOUD_RUN_TASK_INDEX'];
    vars.forEach((name, i) => {
      const r = neardup(['stage', 'sign', '--work', work], { [name]: String(i) });
      expect(r.code).toBe(0);
      expect(existsSync(join(work, 'done', `sign-0000${i}`))).toBe(true);
    });
    const again = await run(['stage', 'sign', '--work', work, '--task', '2']);
    expect(again.stderr).toContain('already done');
    const bad = await run(['stage', 'sign', '--work', work, '--task', '4']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--task must be in [0, 3] (4 tasks), got 4')]);
  }, 60_000);
});

describe('taskLists(weights, workers)', () => {
  it('gives every task to one of at most `workers` lists, each in task order, none heavier than an even share plus the heaviest task (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (weights, workers) => {
        const lists = taskLists(weights, workers);
        expect(lists.length).toBe(Math.min(workers, weights.length));
        expect(lists.flat().sort((a, b) => a - b)).toEqual(weights.map((_, t) => t));
        for (const l of lists) expect(l).toEqual([...l].sort((a, b) => a - b));
        const total = weights.reduce((a, b) => a + b, 0);
        for (const l of lists) expect(l.reduce((a, t) => a + weights[t]!, 0)).toBeLessThanOrEqual(total / lists.length + Math.max(0, ...weights));
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});

describe('neardup run (the local runner)', () => {
  it('runs every stage as child processes, 2 at a time, on a glob of inputs: byte-identical to dedupe --clustering connected', async () => {
    const dir = join(tmp.dir, 'runner');
    splitLines(corpus, 2).forEach((text, s) => {
      mkdirSync(join(dir, 'in'), { recursive: true });
      writeFileSync(join(dir, 'in', `part-${s}.jsonl`), text);
    });
    writeFileSync(join(dir, 'in', 'notes.txt'), 'not an input');
    const r = neardup(['run', join(dir, 'in', 'part-*.jsonl'), '--work', join(dir, 'work'), '--output-dir', join(dir, 'out'), '--jobs', '2', '--skip-invalid']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/neardup run: sign: 2 tasks in [\d.]+ s\n/);
    expect(r.stderr).toContain(`neardup run: ${reference.report.input} records in 2 inputs: ${reference.report.kept} kept, ${reference.report.removed} removed, ${reference.report.invalid} invalid`);
    expect(concat([0, 1].map((s) => join(dir, 'out', `0000${s}.kept.jsonl`))).toString()).toBe(reference.kept.toString());
    expect(concat([0, 1].map((s) => join(dir, 'out', `0000${s}.removed.jsonl`))).toString()).toBe(reference.removed.toString());
  }, 120_000);
});

describe('neardup stage: crash safety', () => {
  it.each(['sign', 'pairs'])('SIGKILL of a %s task mid-write, then a rerun: identical output, no partial file under a final name', async (stage) => {
    const { plan, work } = await planShards(`kill-${stage}`, 2, 1);
    const before = plan.stages.slice(0, plan.stages.findIndex((s) => s.name === stage));
    await runPlan({ ...plan, stages: before }, 1);
    const target = plan.stages.find((s) => s.name === stage)!;
    const child = neardupSpawn(['stage', stage, '--work', work, '--task', target.tasks.map((t) => t.argv[t.argv.length - 1]).join(','), '-q']);
    // Kill as soon as a temporary file shows up.
    const temps = (): string[] => {
      const out: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name));
          else if (e.name.includes('.tmp-')) out.push(join(d, e.name));
        }
      };
      walk(work);
      return out;
    };
    const started = Date.now();
    while (temps().length === 0 && child.exitCode === null && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    // Every file under a final name is complete: the next stage's checks accept it, or it is absent.
    for (const t of temps()) expect(t).toContain('.tmp-');
    await runPlan(plan, 2);
    expect(concat(plan.outputs.map((o) => o.kept)).toString()).toBe(reference.kept.toString());
    expect(concat(plan.outputs.map((o) => o.removed)).toString()).toBe(reference.removed.toString());
  }, 60_000);
});

const canMount = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v mount && command -v umount && command -v dd'], { encoding: 'utf8' }).status === 0;
if (!canMount) console.log('skipped the staged full-disk tests: they mount a tmpfs, which needs root and mount (.ci/run runs as root)');

describe.skipIf(!canMount)('neardup stage / run on a full disk (a 1 MB tmpfs, filled; needs root — skipped otherwise)', () => {
  const full = join(tmp.dir, 'full');
  /** Files under a folder, relative, sorted. */
  const filesUnder = (d: string): string[] => (existsSync(d) ? readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(d.length + 1)).sort() : []);
  beforeAll(() => {
    mkdirSync(full, { recursive: true });
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount failed: ${m.stderr}`);
  });
  afterAll(() => {
    spawnSync('umount', [full]);
    spawnSync('umount', ['-l', full]); // in case the first one failed: never leave a mount behind
  });

  it('a sign task whose work folder fills up: exit 1, a message naming the file, no file under a final name, no temporary file', async () => {
    const work = join(full, 'work');
    expect((await run(['plan', corpusPath, '--work', work, '--skip-invalid'])).code).toBe(0);
    // Fill the file system: dd stops with ENOSPC, which is the point.
    spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'fill')}`, 'bs=1k', 'count=2000'], { encoding: 'utf8' });
    const r = neardup(['stage', 'sign', '--work', work, '--task', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`cannot write ${work.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+: ENOSPC: no space left on device`));
    expect(filesUnder(work)).toEqual(['plan.json']);
    rmSync(join(full, 'fill'));
  }, 60_000);

  it('neardup run whose output folder fills up: exit 1, a message naming the output, no output under a final name', () => {
    const out = join(full, 'out');
    spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'fill')}`, 'bs=1k', 'count=2000'], { encoding: 'utf8' });
    const r = neardup(['run', corpusPath, '--work', join(tmp.dir, 'full-run'), '--output-dir', out, '--jobs', '1', '--skip-invalid', '-q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write ${join(out, '00000.kept.jsonl')}: ENOSPC: no space left on device`);
    expect(filesUnder(out)).toEqual([]);
    expect(existsSync(join(tmp.dir, 'full-run', 'done', 'filter-00000'))).toBe(false);
    rmSync(join(full, 'fill'));
  }, 60_000);
});

describe('neardup stage: refuses files that do not belong', () => {
  let work = '';
  let plan: Plan;
  beforeAll(async () => {
    ({ plan, work } = await planShards('refuse', 2, 1));
    await runPlan({ ...plan, stages: plan.stages.slice(0, 4) }, 1);
  }, 60_000);
  const band = (): string => join(work, 'bands', '000', '000', '00001.ndb');
  const pairs0 = async (): Promise<CliResult> => {
    rmSync(join(work, 'done', 'pairs-00000'), { force: true });
    return run(['stage', 'pairs', '--work', work, '--task', '0']);
  };

  it('a truncated band file', async () => {
    const copy = readFileSync(band());
    truncateSync(band(), statSync(band()).size - 5);
    const r = await pairs0();
    writeFileSync(band(), copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${band()}: the header announces`);
    expect(r.stderr).toContain('truncated');
  });

  it.each([
    ['a band file', (): string => band(), -3, /00001\.ndb: checksum mismatch in block 0/],
    ['a band file header', (): string => band(), 20, /00001\.ndb: header checksum mismatch/],
    ['a docs file header', (): string => join(work, 'docs', '00001.ndd'), 30, /00001\.ndd: header checksum mismatch/],
  ] as const)('a bit flipped in %s', async (_, file, at, message) => {
    const path = file();
    const copy = readFileSync(path);
    const flipped = Buffer.from(copy);
    const i = at < 0 ? flipped.length + at - 4 : at;
    flipped[i] = flipped[i]! ^ 0x10;
    writeFileSync(path, flipped);
    const r = await pairs0();
    writeFileSync(path, copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it('a foreign file', async () => {
    const copy = readFileSync(band());
    writeFileSync(band(), Buffer.from('{"not":"a neardup file","padding":"........................................................"}'));
    const r = await pairs0();
    writeFileSync(band(), copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${band()}: not a neardup file`);
  });

  it.each([
    [['--seed', '2'], 'seed 2 (this run: 1)'],
    [['--threshold', '0.7'], 'threshold 0.7 (this run: 0.8)'],
    [['--shingle-size', '3'], '"size":3'],
  ])('a file written with other options (%j)', async (options, expected) => {
    const other = await planShards(`other-${options.join('')}`, 2, 1, options);
    await runPlan({ ...other.plan, stages: other.plan.stages.slice(0, 1) }, 1);
    const copy = readFileSync(band());
    copyFileSync(join(other.work, 'bands', '000', '000', '00001.ndb'), band());
    const r = await pairs0();
    writeFileSync(band(), copy);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${band()}: written with other options: `);
    expect(r.stderr).toContain(expected);
  }, 60_000);

  it('a plan for other options in the same work folder', async () => {
    const r = await run(['plan', join(tmp.dir, 'refuse', 'in'), '--work', work, '--threshold', '0.9', '--skip-invalid']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the work folder was planned with other the options');
  });
});
