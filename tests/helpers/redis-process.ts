/**
 * A private redis-server: `startRedis()` starts `redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly
 * no` and resolves once it accepts connections; `stop()` kills it. No test framework here, so the bench uses it too.
 * `$REDIS_SERVER_BIN` replaces the binary (a Valkey build, or a missing name to try the skip path of the tests).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
/** Whether the server binary runs. */
export const REDIS_SERVER = spawnSync(BIN, ['--version'], { encoding: 'utf8' }).status === 0;

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
