/**
 * `neardup plan`: the task list of a staged run, as JSON for any job runner, and the work folder's `plan.json`
 * that every task reads (inputs, options, outputs). The printed JSON is a public interface:
 *
 * ```
 * { "version": 1, "work": "W",
 *   "stages": [ { "name": "sign", "tasks": [ { "argv": ["stage", "sign", "--work", "W", "--task", "0"] }, … ] }, … ],
 *   "outputs": [ { "input": "a.jsonl", "kept": "…", "removed": "…", "report": "…" }, … ] }
 * ```
 *
 * Stages run in order; the tasks of one stage in any order, on any machine that sees the work folder.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DedupeOptions } from '../../dedup';
import { scaleSetup, type ScaleOptions, type ScaleSetup } from '../../scale/setup';
import { UsageError, usageErrorFrom } from '../errors';
import { optionsDiff } from '../../scale/file';
import { isDone, readJson, writeAtomic } from './files';

/** The version of the plan JSON. */
export const PLAN_VERSION = 1;

/** The work folder's plan.json. */
export interface WorkPlan {
  readonly version: number;
  readonly inputs: string[];
  readonly scale: ScaleOptions;
  readonly skipInvalid: boolean;
  readonly outputs: PlanOutput[];
  /**
   * The earlier runs this one dedups against (`--against`): every shard of the earlier work folder, and the
   * shards it was itself run against, oldest first. Absent when none.
   */
  readonly against?: AgainstShard[];
}

/** One shard of an earlier run: its kept documents are matched, never removed. */
export interface AgainstShard {
  /** The earlier work folder (absolute). */
  readonly work: string;
  /** The shard's index in that folder's plan. */
  readonly shard: number;
  /** Its input file. */
  readonly input: string;
}

/** Where one input's records land. */
export interface PlanOutput {
  readonly input: string;
  readonly kept: string;
  readonly removed: string;
  readonly report: string;
}

/** One stage of the printed plan. */
export interface PlanStage {
  readonly name: 'sign' | 'ids' | 'pairs' | 'cluster' | 'filter';
  readonly tasks: { argv: string[] }[];
}

/** The printed plan. */
export interface PrintedPlan {
  readonly version: number;
  readonly work: string;
  readonly stages: PlanStage[];
  readonly outputs: PlanOutput[];
}

const INPUT_NAME = /\.(jsonl|ndjson|json)(\.gz)?$/;

/** Files of a directory that look like JSONL (optionally gzip), sorted by name. */
function directoryInputs(dir: string): string[] {
  return readdirSync(dir).filter((n) => INPUT_NAME.test(n)).sort().map((n) => join(dir, n));
}

/** A glob in the last path segment (`*`, `?`): the matching files, sorted. */
function globInputs(pattern: string): string[] {
  const dir = dirname(pattern);
  const re = new RegExp(`^${basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => join(dir, n));
}

/**
 * Expands the inputs: files as given, a directory to its `*.jsonl[.gz]` (and `.ndjson`, `.json`) files by name,
 * a pattern with `*` or `?` in its last segment to its matches by name. Each resulting file is one shard.
 */
export function expandInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (/[*?]/.test(basename(a))) {
      const found = globInputs(a);
      if (found.length === 0) throw new UsageError(`no file matches ${a}`);
      out.push(...found);
      continue;
    }
    if (!existsSync(a)) throw new UsageError(`cannot read ${a}: no such file`);
    if (statSync(a).isDirectory()) {
      const found = directoryInputs(a);
      if (found.length === 0) throw new UsageError(`${a} holds no .jsonl, .jsonl.gz, .ndjson or .json file`);
      out.push(...found);
    } else out.push(a);
  }
  const absolute = out.map((p) => resolve(p));
  const seen = new Set<string>();
  for (const p of absolute) {
    if (seen.has(p)) throw new UsageError(`${p} is given twice: each input is one shard`);
    seen.add(p);
  }
  return absolute;
}

const pad = (n: number, width = 5): string => String(n).padStart(width, '0');

/** Paths of the work folder. */
export const workPaths = {
  plan: (w: string) => join(w, 'plan.json'),
  docs: (w: string, s: number) => join(w, 'docs', `${pad(s)}.ndd`),
  index: (w: string, s: number) => join(w, 'docs', `${pad(s)}.ndx`),
  band: (w: string, b: number, p: number, s: number) => join(w, 'bands', pad(b, 3), pad(p, 3), `${pad(s)}.ndb`),
  ids: (w: string, s: number) => join(w, 'ids', `${pad(s)}.ndb`),
  invalid: (w: string, s: number) => join(w, 'invalid', `${pad(s)}.ndi`),
  edges: (w: string, b: number, p: number) => join(w, 'edges', `${pad(b, 3)}-${pad(p, 3)}.nde`),
  remove: (w: string, s: number) => join(w, 'remove', `${pad(s)}.ndr`),
  done: (w: string, stage: string, task: number | null) => join(w, 'done', task === null ? stage : `${stage}-${pad(task)}`),
  stats: (w: string, stage: string, task: number | null) => join(w, 'stats', task === null ? `${stage}.json` : `${stage}-${pad(task)}.json`),
};

/** The default outputs of input `s`: `DIR/NNNNN.kept.jsonl`, `.removed.jsonl`, `.report.json`. */
function outputsFor(inputs: readonly string[], dir: string): PlanOutput[] {
  return inputs.map((input, s) => ({
    input,
    kept: join(dir, `${pad(s)}.kept.jsonl`),
    removed: join(dir, `${pad(s)}.removed.jsonl`),
    report: join(dir, `${pad(s)}.report.json`),
  }));
}

/** Options of `neardup plan` / `neardup run`, as parsed. */
export interface PlanCommandOptions {
  work: string;
  outputDir?: string;
  parts: number;
  keep: 'first' | 'longest';
  textField: string;
  idField: string;
  duplicateIds: 'invalid' | 'allow';
  skipInvalid: boolean;
  dedupe: DedupeOptions;
  /** An earlier, finished work folder to dedup against (its kept documents stay; new copies of them are removed). */
  against?: string;
}

/**
 * The shards of an earlier run that a new one is planned against: the earlier folder's own shards after those it
 * was itself run against. Refuses a folder that is not planned, not clustered yet, or planned with other options
 * (naming the options that differ).
 */
function againstShards(againstArg: string, setup: ScaleSetup): AgainstShard[] {
  const prev = loadPlan(againstArg);
  if (prev.setup.json !== setup.json) {
    throw new UsageError(`--against ${againstArg}: that run was planned with other options: ${optionsDiff(prev.setup.json, setup.json)}; plan this run with the same options`);
  }
  // The earlier run's removal lists are what the new run reads; they exist once its cluster stage is done.
  if (!isDone(workPaths.done(prev.work, 'cluster', null))) {
    throw new UsageError(`--against ${againstArg}: that run has not finished its cluster stage (${workPaths.done(prev.work, 'cluster', null)} is missing)`);
  }
  return [...(prev.plan.against ?? []), ...prev.plan.inputs.map((input, shard) => ({ work: prev.work, shard, input }))];
}

/**
 * Writes (or checks) the work folder's plan.json and returns it. A work folder already planned with other inputs or
 * options is refused, naming what differs.
 */
export function makePlan(inputArgs: readonly string[], o: PlanCommandOptions): { plan: WorkPlan; setup: ScaleSetup; work: string } {
  const work = resolve(o.work);
  const inputs = expandInputs(inputArgs);
  const scale: ScaleOptions = { dedupe: o.dedupe, parts: o.parts, keep: o.keep, textField: o.textField, idField: o.idField, duplicateIds: o.duplicateIds };
  let setup: ScaleSetup;
  try {
    setup = scaleSetup(scale);
  } catch (err) {
    throw usageErrorFrom(err);
  }
  const against = o.against === undefined ? [] : againstShards(o.against, setup);
  if (against.some((a) => a.work === work)) throw new UsageError(`--against ${o.against}: a run cannot be planned against its own work folder`);
  const plan: WorkPlan = {
    version: PLAN_VERSION, inputs, scale, skipInvalid: o.skipInvalid,
    outputs: outputsFor(inputs, resolve(o.outputDir ?? join(work, 'out'))),
    ...(against.length > 0 ? { against } : {}),
  };
  const path = workPaths.plan(work);
  if (existsSync(path)) {
    const old = readJson<WorkPlan>(path);
    const a = JSON.stringify(old);
    const b = JSON.stringify(plan);
    if (a !== b) {
      const what: string[] = [];
      if (JSON.stringify(old.inputs) !== JSON.stringify(plan.inputs)) what.push('the inputs');
      if (JSON.stringify(old.scale) !== JSON.stringify(plan.scale)) what.push(`the options (${JSON.stringify(old.scale)} vs ${JSON.stringify(plan.scale)})`);
      if (JSON.stringify(old.outputs) !== JSON.stringify(plan.outputs)) what.push('the outputs');
      if (old.skipInvalid !== plan.skipInvalid) what.push('--skip-invalid');
      if (JSON.stringify(old.against ?? []) !== JSON.stringify(plan.against ?? [])) what.push('--against');
      throw new UsageError(`${path}: the work folder was planned with other ${what.join(' and ') || 'settings'}; use a new --work folder`);
    }
  } else writeAtomic(path, `${JSON.stringify(plan, null, 2)}\n`);
  return { plan, setup, work };
}

/** Loads a work folder's plan.json and its setup. */
export function loadPlan(workArg: string): { plan: WorkPlan; setup: ScaleSetup; work: string } {
  const work = resolve(workArg);
  const path = workPaths.plan(work);
  if (!existsSync(path)) throw new UsageError(`${path}: no plan (run neardup plan … --work ${workArg} first)`);
  const plan = readJson<WorkPlan>(path);
  if (plan.version !== PLAN_VERSION) throw new UsageError(`${path}: plan version ${plan.version} is not supported (expected ${PLAN_VERSION})`);
  return { plan, setup: scaleSetup(plan.scale), work };
}

/** Number of tasks of each stage. */
export function taskCounts(plan: WorkPlan, setup: ScaleSetup): Record<PlanStage['name'], number> {
  const shards = plan.inputs.length;
  return { sign: shards, ids: 1, pairs: (setup.bands + 1) * setup.parts, cluster: 1, filter: shards };
}

/** The printed plan: every stage's tasks as argument lists for the `neardup` binary. */
export function printedPlan(plan: WorkPlan, setup: ScaleSetup, work: string): PrintedPlan {
  const counts = taskCounts(plan, setup);
  const stages: PlanStage[] = (['sign', 'ids', 'pairs', 'cluster', 'filter'] as const).map((name) => ({
    name,
    tasks: Array.from({ length: counts[name] }, (_, i) => ({ argv: ['stage', name, '--work', work, '--task', String(i)] })),
  }));
  return { version: PLAN_VERSION, work, stages, outputs: plan.outputs };
}

/** The task index: `--task`, else the first of the runners' environment variables that is set. */
export const TASK_ENV = ['JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'AWS_BATCH_JOB_ARRAY_INDEX', 'CLOUD_RUN_TASK_INDEX'] as const;

export function taskIndex(given: number | undefined, count: number, stage: string, env: NodeJS.ProcessEnv = process.env): number {
  let index = given;
  let from = '--task';
  if (index === undefined) {
    for (const name of TASK_ENV) {
      const v = env[name];
      if (v !== undefined && v !== '') {
        if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a task index (an integer ≥ 0), got ${JSON.stringify(v)}`);
        index = Number(v);
        from = name;
        break;
      }
    }
  }
  if (index === undefined) {
    if (count === 1) return 0;
    throw new UsageError(`stage ${stage}: give --task N or set one of ${TASK_ENV.join(', ')}`);
  }
  if (index < 0 || index >= count) throw new UsageError(`stage ${stage}: ${from} must be in [0, ${count - 1}] (${count} tasks), got ${index}`);
  return index;
}
