/**
 * `neardup run`: the local runner. Plans the work folder, then runs every stage's tasks as separate `node`
 * processes, `--jobs` at a time (one per core by default): independent processes, no shared index, so the
 * per-record work and the verification scale with the cores.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
      else reject(new InputError(`task ${argv.slice(0, 2).join(' ')} ${argv[argv.length - 1]} failed (${signal ?? `exit ${code}`}): ${err.trim()}`));
    });
  });
}

/** Runs `tasks` with at most `jobs` at once; the first failure stops new tasks and is thrown once the others end. */
async function pool(tasks: string[][], jobs: number): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const argv = tasks[next++]!;
      try {
        await runTask(argv);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  if (failure !== null) throw failure;
}

/** Runs the whole plan locally; returns the exit code. */
export async function runCommand(inputs: readonly string[], o: PlanCommandOptions & { jobs: number; quiet: boolean }, io: Io): Promise<number> {
  const t0 = performance.now();
  const { plan, setup, work } = makePlan(inputs, o);
  const printed = printedPlan(plan, setup, work);
  for (const stage of printed.stages) {
    const s0 = performance.now();
    await pool(stage.tasks.map((t) => t.argv), o.jobs);
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
