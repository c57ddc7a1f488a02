#!/usr/bin/env node
// Package checks on the packed tarball (run by `npm test` after the build):
//   1. publint --strict (exports map, files, types);
//   2. @arethetypeswrong/cli on the tarball (types resolve for node10, node16 CJS/ESM and bundler);
//   3. smoke: install the tarball into a throwaway project and `require('neardup')` and `import('neardup')`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
const step = (name, fn) => {
  process.stdout.write(`check-package: ${name} … `);
  try {
    const out = fn();
    console.log('ok');
    return out;
  } catch (err) {
    console.log('FAILED');
    console.error(err.stdout ?? '', err.stderr ?? '', err.message);
    process.exit(1);
  }
};

const work = mkdtempSync(join(tmpdir(), 'neardup-pack-'));
try {
  const tarball = step('npm pack', () => {
    run('npm', ['pack', '--silent', '--pack-destination', work]);
    return join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
  });
  step('publint --strict', () => run(join(root, 'node_modules/.bin/publint'), ['--strict']));
  step('attw (are the types wrong)', () => run(join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'ascii']));

  const app = join(work, 'app');
  step('install the tarball into a throwaway project', () => {
    run('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'smoke', version: '1.0.0', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], app);
  });
  const probe = "String(m.xxh32('abc') === 0x32d153ff && m.xxh64('abc') === 0x44bc2cf5ad770999n)";
  step("require('neardup') (CommonJS)", () => {
    const out = run('node', ['-e', `const m = require('neardup'); process.stdout.write(${probe})`], app);
    if (out !== 'true') throw new Error(`unexpected output ${out}`);
  });
  step("import('neardup') (ESM)", () => {
    const out = run('node', ['--input-type=module', '-e', `const m = await import('neardup'); process.stdout.write(${probe})`], app);
    if (out !== 'true') throw new Error(`unexpected output ${out}`);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
