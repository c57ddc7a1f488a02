/**
 * The worker-thread entry of `neardup … --jobs N` (bundled as `dist/cli-worker.js`): piscina calls the default
 * export with one batch of lines and sends the result back to the main thread, which owns the index.
 */
import { packPrepared, runTask, type DedupeTaskResult, type Task, type TaskResult } from './records';

export default function work(task: Task): TaskResult {
  const result = runTask(task);
  if (task.kind === 'dedupe' && task.options) packPrepared(result as DedupeTaskResult);
  return result;
}
