#!/usr/bin/env node
/**
 * Entry point of the `neardup` binary (bundled as `dist/cli.js`). Installs the handlers that delete
 * uncommitted temporary outputs on exit, on SIGINT/SIGTERM/SIGHUP and on a broken stdout pipe, then runs.
 */
import { removePendingOutputs } from './output';
import { main } from './program';

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

process.on('exit', removePendingOutputs);
for (const [signal, code] of Object.entries(SIGNAL_CODES)) {
  process.once(signal, () => {
    removePendingOutputs();
    process.stderr.write(`neardup: interrupted (${signal}); no output was written\n`);
    process.exit(code);
  });
}
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  removePendingOutputs();
  if (err.code === 'EPIPE') process.exit(0); // the reader went away (e.g. `| head`)
  process.stderr.write(`neardup: cannot write to stdout: ${err.message}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`neardup: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
