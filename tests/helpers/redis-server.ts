/**
 * A private redis-server per test file (see redis-process.ts).
 *
 * `REDIS_SERVER` says whether the binary is on PATH. Test files use `describeRedis` for their suites: without the
 * binary they are skipped with a printed message, except under `CI=true`, where a missing redis-server fails the run
 * (CI installs it in .ci/run; it must never skip silently).
 */
import { describe, it } from 'vitest';
import { REDIS_SERVER } from './redis-process';

export { freePort, REDIS_SERVER, startRedis, type RedisServer } from './redis-process';

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

