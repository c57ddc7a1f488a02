/**
 * RedisNearDuplicateDetector on a private local redis-server (Debian's, `--save '' --appendonly no`): adds per second
 * from one client (sequential and batched, node-redis and ioredis) and from 4 client processes, cold and warm (median
 * of 5 runs each, with the server's and the clients' CPU per document, hence the ceiling of this machine), Redis memory per
 * document from `INFO memory` deltas, and check latency (p50/p99). The in-memory detector on the same documents is the
 * reference; datasketch's Redis storage figures come from /work/shared/notes/scale-and-service.md §2.3 (its own code,
 * same machine class, Redis 7.0.15), not rerun here (datasketch is a Python package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { NearDuplicateDetector, RedisNearDuplicateDetector } from '../src/index';
import { startRedis } from '../tests/helpers/redis-process';
import { debianEnglish } from './data';
import { median, quantile, table } from './harness';

const WRITER = fileURLToPath(new URL('../tests/fixtures/redis-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** CPU seconds redis-server has used (user + system, `INFO cpu`): unlike commandstats' wall-clock µs, not inflated
 * when other processes share the cores. */
async function serverCpu(client: Redis): Promise<number> {
  const info = String(await client.info('cpu'));
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
}

async function usedMemory(client: Redis): Promise<number> {
  const info = String(await client.info('memory'));
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** A writer process (tests/fixtures/redis-writer.ts); `ready` is called once it printed `ready` (warmed up, waiting for SIGUSR2). */
function writer(job: object, ready: (child: ChildProcess) => void): Promise<{ start: number; end: number; cpu: number; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    const was = /^ready$/m.test(out);
    out += c.toString();
    if (!was && /^ready$/m.test(out)) ready(child);
  });
  child.stdin!.end(JSON.stringify(job));
  return new Promise((resolve, reject) => child.on('exit', (code) => {
    if (code !== 0) return reject(new Error(`writer exited with ${code}`));
    const at = (w: string) => Number(new RegExp(`^${w} (\\d+)$`, 'm').exec(out)![1]);
    resolve({ start: at('start'), end: at('end'), cpu: at('cpu'), out });
  }));
}

export default async function run(): Promise<string> {
  // Debian repeats some package names: ids are positions.
  const docs = debianEnglish(40_000).map((d, i) => ({ id: `d${i}`, text: d.text }));
  const server = await startRedis();
  const nodeRedis = createClient({ url: server.url });
  nodeRedis.on('error', () => {}); // the server is stopped at the end
  await nodeRedis.connect();
  const io = new Redis(server.port, '127.0.0.1');
  const out: string[] = ['## Shared index on Redis (`RedisNearDuplicateDetector`)', ''];
  try {
    const rows: (string | number)[][] = [];
    // Reference: the in-memory detector.
    {
      const local = new NearDuplicateDetector();
      const t0 = performance.now();
      for (const d of docs) local.add(d.id, d.text);
      rows.push(['in-memory `NearDuplicateDetector` (reference)', '1', docs.length, docs.length / ((performance.now() - t0) / 1000), local.size]);
    }
    // One client, sequential adds (one round trip or more per document).
    const sequential = docs.slice(0, 5000);
    for (const [name, client] of [['node-redis', nodeRedis], ['ioredis', io]] as const) {
      const d = await RedisNearDuplicateDetector.open(client, { prefix: `seq-${name}` });
      const t0 = performance.now();
      for (const x of sequential) await d.add(x.id, x.text);
      rows.push([`${name}, \`add\` one at a time`, '1', sequential.length, sequential.length / ((performance.now() - t0) / 1000), await d.size()]);
    }
    // One client, pipelined.
    let bytesPerDoc = 0;
    let kept = 0;
    let serverUsPerDoc = 0;
    let serverCpuPerDoc = 0;
    let callsPerDoc = 0;
    for (const [name, client] of [['node-redis', nodeRedis], ['ioredis', io]] as const) {
      await io.flushall();
      const before = await usedMemory(io);
      await io.config('RESETSTAT');
      const d = await RedisNearDuplicateDetector.open(client, { prefix: `pipe-${name}`, buckets: 16384 });
      const c0 = await serverCpu(io);
      const t0 = performance.now();
      await d.addMany(docs, { batchSize: 256 });
      const rate = docs.length / ((performance.now() - t0) / 1000);
      if (name === 'node-redis') serverCpuPerDoc = ((await serverCpu(io)) - c0) * 1e6 / docs.length;
      kept = await d.size();
      if (name === 'node-redis') {
        bytesPerDoc = ((await usedMemory(io)) - before) / kept;
        // Server time is what bounds a Redis shared by many writers; it depends little on the client's machine.
        const stat = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(String(await io.info('commandstats')))!;
        callsPerDoc = Number(stat[1]) / docs.length;
        serverUsPerDoc = Number(stat[2]) / docs.length;
      }
      rows.push([`${name}, \`addMany\` (256 per call)`, '1', docs.length, rate, kept]);
    }
    // Four client processes (2 node-redis, 2 ioredis), each a quarter of the documents, started together (a signal
    // once all are ready); 5 runs (the machine is shared: the median, with the range). Server CPU is read when the
    // writers start and end. Cold:
    // the writers' first documents are the measured ones (JIT compilation, wasm tier-up and heap growth included:
    // about 250 ms of CPU per process). Warm: each writer first adds 10,000 other documents (Debian descriptions
    // 40,000–49,999) to a scratch index of its own, as a long-running service process is warm (after only 2,500,
    // the clients still spent 73–85 µs of CPU per document in trial runs, against 56–65 after 10,000); runs alternate cold and warm.
    type Four = { rate: number; server: number; clients: number; kept: number };
    const fours: Record<'cold' | 'warm', Four[]> = { cold: [], warm: [] };
    const parts = [0, 1, 2, 3].map((w) => docs.filter((_, i) => i % 4 === w));
    const extra = debianEnglish(50_000).slice(40_000).map((d, i) => ({ id: `w${i}`, text: d.text }));
    for (let run = 0; run < 5; run++) {
      for (const mode of ['cold', 'warm'] as const) {
        await io.flushall();
        await RedisNearDuplicateDetector.open(nodeRedis, { prefix: 'four', buckets: 16384 });
        // Every writer prints `ready` once connected (and warmed up); then all get SIGUSR2 together. No fixed start
        // time: writers idling for seconds before the start let V8 shrink their heaps (then the first measured
        // documents pay for regrowing them), which a process under steady load does not do.
        const waiting: ChildProcess[] = [];
        let go!: () => void;
        const allReady = new Promise<void>((resolve) => (go = resolve));
        const running = Promise.all(parts.map((part, w) =>
          writer({ port: server.port, prefix: 'four', client: w % 2 ? 'ioredis' : 'node-redis', batchSize: 256, signal: true, buckets: 16384, docs: part,
            ...(mode === 'warm' ? { warm: extra } : {}) }, (child) => {
            waiting.push(child);
            if (waiting.length === parts.length) go();
          })));
        await Promise.race([allReady, running]);
        const c0 = await serverCpu(io);
        for (const child of waiting) child.kill('SIGUSR2');
        const runs = await running;
        const c1 = await serverCpu(io);
        const wall = Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start));
        const kept = await (await RedisNearDuplicateDetector.open(io, { prefix: 'four', buckets: 16384 })).size();
        fours[mode].push({ rate: docs.length / (wall / 1000), server: ((c1 - c0) * 1e6) / docs.length, clients: runs.reduce((a, r) => a + r.cpu, 0) / docs.length, kept });
      }
    }
    const med = (mode: 'cold' | 'warm', k: 'rate' | 'server' | 'clients') => median(fours[mode].map((f) => f[k]));
    const range = (xs: number[]) => `${Math.round(Math.min(...xs)).toLocaleString('en-US')}–${Math.round(Math.max(...xs)).toLocaleString('en-US')}`;
    rows.push(['4 processes, `addMany` (256 per call), cold, median of 5 runs', '4', docs.length, med('cold', 'rate'), fours.cold[4]!.kept]);
    rows.push(['4 processes, `addMany` (256 per call), warm, median of 5 runs', '4', docs.length, med('warm', 'rate'), fours.warm[4]!.kept]);
    const four = await RedisNearDuplicateDetector.open(io, { prefix: 'four', buckets: 16384 });

    // Check latency against the full index.
    const checks = docs.slice(0, 2000).map((d) => d.text.toUpperCase());
    const latency: number[] = [];
    for (const text of checks) {
      const t0 = performance.now();
      await four.check(text);
      latency.push(performance.now() - t0);
    }
    const sizes = docs.map((d) => new NearDuplicateDetector().prepare(d.text).shingles.length);
    out.push(
      `${docs.length.toLocaleString('en-US')} Debian package descriptions (the first of \`bench/data\`; median ${median(sizes)} word 5-grams each), ` +
        'defaults (threshold 0.8, 128 permutations: 13 bands × 7 rows, verified); a private `redis-server` 7 on 127.0.0.1 ' +
        `(no persistence) on the same 2-core machine, so clients and server share the cores (load average at the end: ${loadavg()[0]!.toFixed(1)}):`,
      '',
      table(['writer', 'client processes', 'documents', 'adds/s', 'kept'], rows),
      '',
      table(['measure', 'value'], [
        ['Redis memory per kept document (`INFO memory` used_memory delta / kept, 16,384 buckets)', `${Math.round(bytesPerDoc)} B`],
        ['server time per added document, one node-redis client (`INFO commandstats`, EVALSHA usec / documents; script calls per document)', `${serverUsPerDoc.toFixed(1)} µs (${callsPerDoc.toFixed(3)})`],
        ['server CPU per added document, one node-redis client (`INFO cpu` user + sys delta / documents)', `${serverCpuPerDoc.toFixed(1)} µs`],
        ...(['cold', 'warm'] as const).flatMap((mode) => [
          [`4 processes, ${mode}: adds/s over the 5 runs (min–max)`, range(fours[mode].map((f) => f.rate))],
          [`4 processes, ${mode}: server CPU per added document (median)`, `${med(mode, 'server').toFixed(1)} µs`],
          [`4 processes, ${mode}: the 4 clients' CPU per added document (median, \`process.cpuUsage\` from first to last add)`, `${med(mode, 'clients').toFixed(1)} µs`],
          [`4 processes, ${mode}: ceiling with one core for the server (10⁶ / server CPU per document)`, `${Math.round(1e6 / med(mode, 'server')).toLocaleString('en-US')} adds/s`],
          [`4 processes, ${mode}: ceiling of the whole 2-core machine (2·10⁶ / (server + clients CPU per document))`, `${Math.round(2e6 / (med(mode, 'server') + med(mode, 'clients'))).toLocaleString('en-US')} adds/s`],
        ]),
        ['of which the record (33 B + 5 B/band + id + 4 B per shingle + ½ B per permutation, median document)', `${33 + 65 + 6 + 4 * median(sizes) + 64} B`],
        ['`check` latency p50 (index of ' + kept.toLocaleString('en-US') + ' documents, ioredis, sequential)', `${quantile(latency, 0.5).toFixed(3)} ms`],
        ['`check` latency p99', `${quantile(latency, 0.99).toFixed(3)} ms`],
      ]),
      '',
      "datasketch's Redis storage, measured with its own code on this machine class (notes §2.3, not rerun): 1,018 inserts/s, " +
        '7,692 B of Redis memory per document (random signatures, no shingles stored: it cannot verify), 1.78 ms per query. ' +
        'Here the memory includes the shingles that exact verification needs and the 4-bit MinHash sketch the ranking reads (64 B at 128 permutations); most of it is that record.',
    );
  } finally {
    await nodeRedis.quit();
    io.disconnect();
    await server.stop();
  }
  return out.join('\n');
}
