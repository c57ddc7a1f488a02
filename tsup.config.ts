import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    // stripInternal: `@internal` members and declarations stay out of index.d.ts (scripts/check-package.mjs checks).
    dts: { compilerOptions: { stripInternal: true } },
    sourcemap: true,
    // Spare the CLI bundles below: both configs build into dist/ at the same time.
    clean: ['!cli.js', '!cli.js.map', '!cli-worker.js', '!cli-worker.js.map'],
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
  },
  {
    // The `neardup` binary (ESM, Node only; the shebang of src/cli/main.ts is kept and the file made executable)
    // and the worker-thread script it starts for --jobs N. Runtime dependencies (commander, piscina) stay external.
    entry: { cli: 'src/cli/main.ts', 'cli-worker': 'src/cli/worker.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    splitting: false,
    target: 'node20',
    platform: 'node',
    treeshake: true,
  },
]);
