// A BullMQ worker for neardup's staged run: each job is one task of the plan (`job.data.argv`, the argument list
// for the `neardup` binary). Start as many of these processes as you like, on any machine that sees the work
// folder and the Redis server. Environment: REDIS_HOST (127.0.0.1), REDIS_PORT (6379), NEARDUP_CLI (the
// neardup binary's script, default node_modules/neardup/dist/cli.js), QUEUE (neardup).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from 'bullmq';

const run = promisify(execFile);
const connection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };
const cli = process.env.NEARDUP_CLI ?? 'node_modules/neardup/dist/cli.js';

const worker = new Worker(
  process.env.QUEUE ?? 'neardup',
  async (job) => {
    // A task that already finished (its completion marker exists) returns at once: retries are safe.
    const { stderr } = await run(process.execPath, [cli, ...job.data.argv], { maxBuffer: 64 * 1024 * 1024 });
    return stderr.trim();
  },
  { connection, concurrency: 1 },
);
worker.on('failed', (job, err) => console.error(`task ${job?.name} failed: ${err.message}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => worker.close().then(() => process.exit(0)));
