/**
 * The worked runner example (docs/examples/bullmq): a neardup plan run by BullMQ workers in separate processes on
 * a real redis-server (started on a free port, no persistence) gives the same bytes as single-process
 * `neardup dedupe --clustering connected`. Skipped with a message without redis-server; failing under CI=true.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { root, run, tempDir } from './cli.helpers';
import { describeRedis, startRedis, type RedisServer } from './helpers/redis-server';
import { buildCli, cliJs, plantedCorpus, splitLines } from './helpers/scale-cli';

const example = join(root, 'docs/examples/bullmq');

describeRedis('the BullMQ runner example (real redis-server, workers in separate processes)', () => {
  const tmp = tempDir('neardup-bullmq-');
  let server: RedisServer;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    await buildCli();
    server = await startRedis();
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('close', r)) : null)));
    await server?.stop();
    tmp.remove();
  });

  it('runs every stage on two workers: byte-identical to dedupe --clustering connected', async () => {
    const corpus = plantedCorpus(31, 80);
    const whole = join(tmp.dir, 'all.jsonl');
    writeFileSync(whole, corpus);
    mkdirSync(join(tmp.dir, 'in'));
    splitLines(corpus, 3).forEach((text, s) => writeFileSync(join(tmp.dir, 'in', `${s}.jsonl`), text));
    const ref = await run(['dedupe', whole, '--clustering', 'connected', '--skip-invalid', '--jobs', '1', '-q', '-o', join(tmp.dir, 'ref.kept'), '--removed', join(tmp.dir, 'ref.removed')]);
    expect(ref.code).toBe(0);
    const planned = await run(['plan', join(tmp.dir, 'in'), '--work', join(tmp.dir, 'work'), '--parts', '2', '--skip-invalid']);
    expect(planned.code).toBe(0);
    writeFileSync(join(tmp.dir, 'tasks.json'), planned.stdout);
    const env = { ...process.env, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(server.port), NEARDUP_CLI: cliJs, QUEUE: 'neardup-test' };
    for (let i = 0; i < 2; i++) workers.push(spawn(process.execPath, [join(example, 'worker.mjs')], { cwd: root, env, stdio: 'ignore' }));
    const r = spawnSync(process.execPath, [join(example, 'run-plan.mjs'), join(tmp.dir, 'tasks.json')], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^sign: 3 tasks in \d+ ms\nids: 1 task in/);
    const plan = JSON.parse(planned.stdout) as { outputs: { kept: string; removed: string }[] };
    const cat = (k: 'kept' | 'removed'): string => plan.outputs.map((o) => readFileSync(o[k], 'utf8')).join('');
    expect(cat('kept')).toBe(readFileSync(join(tmp.dir, 'ref.kept'), 'utf8'));
    expect(cat('removed')).toBe(readFileSync(join(tmp.dir, 'ref.removed'), 'utf8'));
  }, 120_000);
});
