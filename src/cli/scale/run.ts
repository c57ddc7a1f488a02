/**
 * `neardup run`: the local runner. Plans the work folder, then runs each stage's tasks in `--jobs` separate `node`
 * processes (one per core by default), each taking a list of tasks (`neardup stage S --task a,b,c`): independent
 * processes, no shared index, so the per-record work and the verification scale with the cores, and a process
 * start (about 0.1 s of CPU) is paid per worker and stage, not per task.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors';
import type { Io } from '../jsonl';
import { makePlan, printedPlan, type PlanCommandOptions } from './plan';

/** How to start the `neardup` binary that is running now (the bundled dist/cli.js, or src/cli/main.ts under tsx). */
export function selfCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]!] };
}

/** Runs one task as a child process; resolves with its stderr, rejects when it fails. */
function runTask(argv: string[]): Promise<string> {
  const self = selfCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(self.command, [...self.args, ...argv, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(err);
      else reject(new InputError(`neardup ${argv.slice(0, 2).join(' ')} --task ${argv[argv.length - 1]} failed (${signal ?? `exit ${code}`}): ${err.trim()}`));
    });
  });
}

/**
 * Cuts tasks `0 … weights.length - 1` into at most `workers` lists of about equal total weight (longest first, each
 * to the lightest list so far), each list in task order.
 */
export function taskLists(weights: readonly number[], workers: number): number[][] {
  const lists: { tasks: number[]; total: number }[] = Array.from({ length: Math.min(workers, weights.length) }, () => ({ tasks: [], total: 0 }));
  const order = weights.map((_, t) => t).sort((a, b) => weights[b]! - weights[a]! || a - b);
  for (const t of order) {
    let best = lists[0]!;
    for (const l of lists) if (l.total < best.total) best = l;
    best.tasks.push(t);
    best.total += weights[t]!;
  }
  return lists.map((l) => l.tasks.sort((a, b) => a - b));
}

/** Runs one stage's tasks in `jobs` worker processes; the first failure is thrown once the others end. */
async function runStageTasks(stage: string, work: string, weights: readonly number[], jobs: number): Promise<void> {
  const results = await Promise.allSettled(taskLists(weights, jobs).map((tasks) => runTask(['stage', stage, '--work', work, '--task', tasks.join(',')])));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs the whole plan locally; returns the exit code. */
export async function runCommand(inputs: readonly string[], o: PlanCommandOptions & { jobs: number; quiet: boolean }, io: Io): Promise<number> {
  const t0 = performance.now();
  const { plan, setup, work } = makePlan(inputs, o);
  const printed = printedPlan(plan, setup, work);
  for (const stage of printed.stages) {
    const s0 = performance.now();
    // Sign and filter tasks read one input each: their size is their weight. Pairs tasks are alike.
    const weights = stage.name === 'sign' || stage.name === 'filter' ? plan.inputs.map((p) => statSync(p).size) : stage.tasks.map(() => 1);
    await runStageTasks(stage.name, work, weights, o.jobs);
    if (!o.quiet) io.stderr.write(`neardup run: ${stage.name}: ${stage.tasks.length} task${stage.tasks.length === 1 ? '' : 's'} in ${((performance.now() - s0) / 1000).toFixed(1)} s\n`);
  }
  let input = 0;
  let kept = 0;
  let removed = 0;
  let invalid = 0;
  for (const out of plan.outputs) {
    const r = JSON.parse(readFileSync(out.report, 'utf8')) as { input: number; kept: number; removed: number; invalid: number };
    input += r.input;
    kept += r.kept;
    removed += r.removed;
    invalid += r.invalid;
  }
  if (!o.quiet) {
    io.stderr.write(`neardup run: ${input.toLocaleString('en-US')} records in ${plan.inputs.length} input${plan.inputs.length === 1 ? '' : 's'}: ${kept.toLocaleString('en-US')} kept, ${removed.toLocaleString('en-US')} removed, ${invalid.toLocaleString('en-US')} invalid in ${((performance.now() - t0) / 1000).toFixed(1)} s; outputs: ${plan.outputs[0] ? plan.outputs[0].kept.replace(/\d{5}\.kept\.jsonl$/, '') : ''}\n`);
  }
  return 0;
}
