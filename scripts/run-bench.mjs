#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those named on the command line) each in a fresh Node process,
// stores each section in bench/results/<name>.md, then assembles bench/RESULTS.md with the machine,
// Node version, date and package versions. Usage: npm run bench [-- name ...]; `-- --assemble` only reassembles
// bench/RESULTS.md from the stored sections (after a merge, say).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'bench');
const resultsDir = join(benchDir, 'results');
mkdirSync(resultsDir, { recursive: true });

const all = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const assembleOnly = process.argv.includes('--assemble');
const wanted = process.argv.slice(2).filter((a) => a !== '--assemble');
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${all.join(', ')})`);
  process.exit(2);
}
for (const name of assembleOnly ? [] : wanted.length ? wanted : all) {
  console.error(`bench: ${name} …`);
  const t0 = Date.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'scripts/bench-one.ts'), name], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const stamp = `<!-- ${name}: ${new Date().toISOString()}, ${((Date.now() - t0) / 1000).toFixed(0)} s -->`;
  writeFileSync(join(resultsDir, `${name}.md`), `${stamp}\n${out.trim()}\n`);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = (name) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
};
const peers = ['xxhashjs', 'xxhash-wasm', 'bloom-filters', 'minhash', 'simhash-js', 'fast-levenshtein', 'tsx'];
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const sections = all.filter((n) => existsSync(join(resultsDir, `${n}.md`))).map((n) => readFileSync(join(resultsDir, `${n}.md`), 'utf8').trim());
const header = `# neardup benchmarks

Written by \`npm run bench\` (script: \`scripts/run-bench.mjs\`); do not edit by hand. Each section names the
command that reproduces it (\`npm run bench -- <name>\`). Every figure is the median of repeated runs after
warm-up, peers run in the same process on the same inputs; inputs are seeded.

- machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}
- runtime: Node ${process.version}
- last assembled: ${new Date().toISOString()}
- neardup ${pkg.version}; peers: ${peers.map((p) => `${p} ${version(p)}`).join(', ')}
`;
writeFileSync(join(benchDir, 'RESULTS.md'), `${header}\n${sections.join('\n\n')}\n`);
console.error('wrote bench/RESULTS.md');
