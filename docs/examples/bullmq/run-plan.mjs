// Runs a neardup plan (the JSON printed by `neardup plan`) on BullMQ workers (worker.mjs): the tasks of each
// stage are queued together and run in any order on any worker; the next stage starts when all of them are done.
// Usage: node run-plan.mjs tasks.json   (REDIS_HOST, REDIS_PORT, QUEUE as for worker.mjs)
import { readFileSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const connection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const name = process.env.QUEUE ?? 'neardup';
const queue = new Queue(name, { connection });
const events = new QueueEvents(name, { connection });
// One listener per task waiting to finish (on the queue and its events): a stage can have hundreds.
queue.setMaxListeners(0);
events.setMaxListeners(0);
await events.waitUntilReady();

try {
  for (const stage of plan.stages) {
    const t0 = Date.now();
    const jobs = await queue.addBulk(
      stage.tasks.map((task, i) => ({ name: `${stage.name}-${i}`, data: { argv: task.argv }, opts: { attempts: 2, removeOnComplete: true } })),
    );
    await Promise.all(jobs.map((job) => job.waitUntilFinished(events)));
    console.log(`${stage.name}: ${jobs.length} task${jobs.length === 1 ? '' : 's'} in ${Date.now() - t0} ms`);
  }
  for (const o of plan.outputs) console.log(`${o.input} → ${o.kept} (removed: ${o.removed})`);
} catch (err) {
  console.error(`a task failed: ${err.message}`);
  process.exitCode = 1;
} finally {
  await events.close();
  await queue.close();
}
