/**
 * Runs batches of per-record work on `--jobs` threads and hands the results back in input order.
 *
 * With `jobs` = 1 everything runs on the main thread. With more, a piscina pool of `jobs` worker threads
 * computes each batch (parsing, normalization, shingles, signatures, quality reports) while the main thread
 * reads the input, owns the index and writes the outputs. At most `maxInFlight` batches are submitted and not
 * yet consumed, so memory stays bounded however large the input is, and results are consumed strictly in
 * submission order, so the output is identical to a `--jobs 1` run.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { runTask, type Task, type TaskResult } from './records';

/** Something that runs tasks: inline or on worker threads. */
export interface Runner {
  /** Worker threads in use (0: inline). */
  readonly threads: number;
  run(task: Task): Promise<TaskResult>;
  close(): Promise<void>;
}

/** The worker script next to this module: `cli-worker.js` in the build, `worker.ts` when run from source. */
function workerPath(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? './worker.ts' : './cli-worker.js', here));
}

/** A runner for `jobs` threads: inline for 1, a piscina pool otherwise. */
export function createRunner(jobs: number): Runner {
  if (jobs <= 1) {
    return { threads: 0, run: (task) => Promise.resolve(runTask(task)), close: () => Promise.resolve() };
  }
  const pool = new Piscina<Task, TaskResult>({
    filename: workerPath(),
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: 60_000,
  });
  let failure: Error | null = null;
  pool.on('error', (err: Error) => {
    failure ??= err; // a worker that died outside a task: reported by the next run()
  });
  return {
    threads: jobs,
    run: (task) => (failure ? Promise.reject(failure) : pool.run(task)),
    close: () => pool.destroy(),
  };
}

/**
 * Submits a task per batch and consumes the results in order, with at most `maxInFlight` batches outstanding.
 * If reading or `consume` throws, the outstanding tasks are awaited (their results ignored) before the error
 * propagates, so the pool is never torn down under a running task.
 */
export async function runOrdered<B>(
  batches: AsyncIterable<B>,
  submit: (batch: B) => Promise<TaskResult>,
  consume: (batch: B, result: TaskResult) => Promise<void> | void,
  maxInFlight: number,
): Promise<void> {
  const queue: { batch: B; result: Promise<TaskResult> }[] = [];
  const settle = async (): Promise<void> => {
    await Promise.allSettled(queue.map((q) => q.result));
  };
  try {
    for await (const batch of batches) {
      const result = submit(batch);
      result.catch(() => undefined); // observed below, in order; avoid an unhandled rejection meanwhile
      queue.push({ batch, result });
      if (queue.length >= maxInFlight) {
        const head = queue.shift()!;
        await consume(head.batch, await head.result);
      }
    }
    while (queue.length > 0) {
      const head = queue.shift()!;
      await consume(head.batch, await head.result);
    }
  } catch (err) {
    await settle();
    throw err;
  }
}
