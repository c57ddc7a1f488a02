/**
 * A private redis-server per test file: `startRedis()` starts `redis-server --port <free> --bind 127.0.0.1
 * --save '' --appendonly no` and resolves once it accepts connections; `stop()` kills it.
 *
 * `REDIS_SERVER` says whether the binary is on PATH. Test files use `describeRedis` for their suites: without the
 * binary they are skipped with a printed message, except under `CI=true`, where a missing redis-server fails the run
 * (CI installs it in .ci/run; it must never skip silently).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, it } from 'vitest';

/** The server binary: `redis-server`, or `$REDIS_SERVER_BIN` (e.g. a Valkey build, or a missing name to try the skip path). */
const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
export const REDIS_SERVER = spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0;

const HOW = 'install it (Debian: apt-get install redis-server) to run them; .ci/run does';

/** `describe` when redis-server is available; otherwise a skipped suite (or, with CI=true, a failing test). */
export function describeRedis(name: string, body: () => void): void {
  if (REDIS_SERVER) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs redis-server on PATH (CI=true: the Redis suite must run, not skip)', () => {
        throw new Error(`redis-server is not on PATH; ${HOW}`);
      });
    });
    return;
  }
  console.log(`[neardup] Redis tests "${name}" skipped: redis-server is not on PATH; ${HOW}.`);
  describe.skip(name, body);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server (no persistence) on a free port. */
export async function startRedis(): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ready) {
      const stop = async (): Promise<void> => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
      };
      return { port, url: `redis://127.0.0.1:${port}`, process: child, stop };
    }
    child.kill('SIGKILL');
    if (attempt >= 2) throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }
}
