#!/usr/bin/env node
// Package checks on the packed tarball (run by `npm test` after the build): the package works where users run it.
//   1. no `@internal` declaration in dist/index.d.ts or .d.cts (tsup builds them with stripInternal); publint --strict
//      (exports map, files, types);
//   2. @arethetypeswrong/cli on the tarball (types resolve for node10, node16 CJS/ESM and bundler);
//   3. the tarball installed into a throwaway project: `require('neardup')` (CJS) and `import('neardup')` (ESM);
//   4. the `neardup` binary from that install: --version, dedupe with worker threads, paragraphs on the seed;
//   5. TypeScript consumers compiled with the repo's typescript: moduleResolution nodenext (ESM and CJS, compiled
//      and run) and bundler (type-checked), all with skipLibCheck off so the shipped .d.ts files are checked;
//   6. Bun and Deno run the Node probes (ESM and CJS) on the installed tarball: byte-identical output;
//   7. the browser: a page bundled with esbuild from the installed ESM build runs in headless Chromium
//      (Debian's chromium on PATH or $CHROMIUM, driven by playwright-core, served from 127.0.0.1, every other request
//      refused) and must compute exactly what Node computes (ESM and CJS) — hashes, dedupeParagraphs on the seed,
//      dedupe, the streaming detector, MinHash, the quality report.
// Bun and Deno (from the `bun` and `deno` devDependencies) and Chromium run the same probe on the installed tarball
// and must print exactly Node's bytes. A missing Chromium (or Bun, Deno) skips that check with a message; with
// CI=true (.ci/run) every check is mandatory.
// Usage: node scripts/check-package.mjs [--skip-browser]   (CHROMIUM=/path/to/chromium to use another binary)
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const seedPath = join(root, 'seeds/000_cc1f5f790d2f55b7.txt');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const run = (cmd, args, cwd = root, input) =>
  execFileSync(cmd, args, { cwd, input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let passed = 0;
const step = async (name, fn) => {
  process.stdout.write(`check-package: ${name} … `);
  const t0 = Date.now();
  try {
    const out = await fn();
    console.log(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    passed++;
    return out;
  } catch (err) {
    console.log('FAILED');
    console.error(err.stdout ?? '', err.stderr ?? '', err.stack ?? err.message);
    throw new StepFailed(name);
  }
};
class StepFailed extends Error {}
const write = (path, content) => writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
const expectEqual = (what, actual, expected) => {
  if (!isDeepStrictEqual(actual, expected)) throw new Error(`${what}: expected ${JSON.stringify(expected).slice(0, 400)}, got ${JSON.stringify(actual).slice(0, 400)}`);
};


// CI (.ci/run sets CI=true) must run every check; elsewhere a check whose runtime is missing is skipped, and said so.
const ci = process.env.CI === 'true' || process.env.CI === '1';
const skipped = [];
/** A step that needs an external program: `found` is `{ path }` or `{ why }`; fn's string return is printed. */
const optional = async (name, found, what, how, fn) => {
  if (!found.path) {
    if (ci) {
      console.log(`check-package: ${name} … FAILED`);
      console.error(`${what} is mandatory with CI=true: ${found.why} (${how})`);
      throw new StepFailed(name);
    }
    console.log(`check-package: skipped ${what}: ${found.why} (${how})`);
    skipped.push(`${what} (${found.why})`);
    return;
  }
  await step(name, async () => {
    const note = await fn(found.path);
    if (typeof note === 'string') process.stdout.write(note);
  });
};
/** True when `path` runs `--version` successfully. */
const runs = (path) => {
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};
/** The first file named `name` on PATH. */
const onPath = (name) => (process.env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
/**
 * Chromium: CHROMIUM if set (a path that does not exist means no Chromium), else chromium or chromium-browser on
 * PATH.
 */
const findChromium = () => {
  if (process.env.CHROMIUM !== undefined) return existsSync(process.env.CHROMIUM) ? { path: process.env.CHROMIUM } : { why: `no Chromium found at CHROMIUM=${process.env.CHROMIUM}` };
  const path = onPath('chromium') ?? onPath('chromium-browser');
  return path ? { path } : { why: 'no Chromium found' };
};
/**
 * Bun or Deno from the devDependencies: the npm wrapper in node_modules/.bin, or — when npm did not run the
 * wrapper's install script (npm 11 can block them) — the platform package's binary itself.
 */
const findRuntime = (name, platformBinaries) => {
  const candidates = [join(root, 'node_modules/.bin', name), ...platformBinaries.map((p) => join(root, 'node_modules', p))];
  const path = candidates.find((p) => existsSync(p) && runs(p));
  return path ? { path } : { why: `no working ${name} binary in node_modules` };
};

const work = mkdtempSync(join(tmpdir(), 'neardup-pack-'));
try {
  const tarball = await step('npm pack', () => {
    run('npm', ['pack', '--silent', '--pack-destination', work]);
    return join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));
  });
  await step('no @internal declarations in the shipped types (stripInternal)', () => {
    for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
      const text = readFileSync(join(root, file), 'utf8');
      const at = text.indexOf('@internal');
      if (at >= 0) throw new Error(`${file} still holds an @internal declaration: …${text.slice(Math.max(0, at - 300), at + 40)}…`);
    }
  });
  await step('publint --strict', () => run(join(root, 'node_modules/.bin/publint'), ['--strict']));
  await step('attw (are the types wrong)', () => run(join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'ascii']));

  const app = join(work, 'app');
  await step('install the tarball into a throwaway project', () => {
    mkdirSync(app, { recursive: true });
    write(join(app, 'package.json'), { name: 'smoke', version: '1.0.0', private: true });
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', tarball], app);
  });
  const probe = "String(m.xxh32('abc') === 0x32d153ff && m.xxh64('abc') === 0x44bc2cf5ad770999n)";
  await step("require('neardup') (CommonJS)", () => {
    const out = run('node', ['-e', `const m = require('neardup'); process.stdout.write(${probe})`], app);
    if (out !== 'true') throw new Error(`unexpected output ${out}`);
  });
  await step("import('neardup') (ESM)", () => {
    const out = run('node', ['--input-type=module', '-e', `const m = await import('neardup'); process.stdout.write(${probe})`], app);
    if (out !== 'true') throw new Error(`unexpected output ${out}`);
  });

  // --- the binary ---
  const bin = join(app, 'node_modules/.bin/neardup');
  await step('neardup --version, dedupe --jobs 2, paragraphs (the installed binary)', () => {
    expectEqual('neardup --version', run(bin, ['--version'], app).trim(), pkg.version);
    const text = 'The same description of a package, repeated word for word in two records of the corpus.';
    const lines = [
      JSON.stringify({ id: 1, text }),
      JSON.stringify({ id: 2, text: text.toUpperCase() }),
      JSON.stringify({ id: 3, text: 'Something else entirely, about a library for parsing dates and times.' }),
    ];
    write(join(app, 'in.jsonl'), `${lines.join('\n')}\n`);
    const out = run(bin, ['dedupe', 'in.jsonl', '--jobs', '2', '--removed', 'removed.jsonl', '-q'], app);
    expectEqual('dedupe output', out, `${lines[0]}\n${lines[2]}\n`);
    expectEqual('dedupe removed', JSON.parse(readFileSync(join(app, 'removed.jsonl'), 'utf8')), { id: 2, text: text.toUpperCase(), duplicateOf: 1, duplicateOfLine: 1, similarity: 1, exact: true });
    const cleaned = run(bin, ['paragraphs', seedPath, '-q'], app);
    const expected = run('node', ['--input-type=module', '-e', `import { dedupeParagraphs } from 'neardup'; import { readFileSync } from 'node:fs'; process.stdout.write(dedupeParagraphs(readFileSync(${JSON.stringify(seedPath)}, 'utf8')).text)`], app);
    expectEqual('paragraphs output', cleaned, expected);
  });

  // --- TypeScript consumers ---
  const consumer = `import { xxh32, xxh64, dedupe, dedupeParagraphs, NearDuplicateDetector, qualityReport, DEDUPE_DEFAULTS } from 'neardup';
import type { ParagraphResult, DedupeResult, DetectResult, QualityReport } from 'neardup';
const h32: number = xxh32('abc');
const h64: bigint = xxh64('abc');
const paragraphs: ParagraphResult = dedupeParagraphs('A line that repeats itself here.\\nA line that repeats itself here.');
const result: DedupeResult = dedupe([{ id: 'a', text: 'one two three four five six' }, { id: 'b', text: 'ONE two three four five six!' }]);
const detector = new NearDuplicateDetector({ threshold: DEDUPE_DEFAULTS.threshold });
const first: DetectResult = detector.add(1, 'seven eight nine ten eleven twelve');
const quality: QualityReport = qualityReport('Short.');
const ok = h32 === 0x32d153ff && h64 === 0x44bc2cf5ad770999n && paragraphs.removed.length === 1 &&
  result.kept.length === 1 && first.duplicateOf === undefined && quality.pass === false;
if (!ok) throw new Error('unexpected results');
console.log('ok');
`;
  const tsProject = (name, type, compilerOptions) => {
    const dir = join(app, name);
    mkdirSync(join(dir, 'src'), { recursive: true });
    write(join(dir, 'package.json'), { name, version: '1.0.0', private: true, type });
    write(join(dir, 'tsconfig.json'), {
      compilerOptions: { target: 'ES2022', strict: true, skipLibCheck: false, types: [], rootDir: 'src', outDir: 'out', ...compilerOptions },
      include: ['src'],
    });
    write(join(dir, 'src/index.ts'), consumer);
    run('node', [tsc, '-p', 'tsconfig.json'], dir);
    return dir;
  };
  await step('TypeScript, moduleResolution nodenext, ESM: compiles and runs', () => {
    const dir = tsProject('ts-nodenext-esm', 'module', { module: 'nodenext', moduleResolution: 'nodenext' });
    expectEqual('output', run('node', ['out/index.js'], dir).trim(), 'ok');
  });
  await step('TypeScript, moduleResolution nodenext, CJS: compiles and runs', () => {
    const dir = tsProject('ts-nodenext-cjs', 'commonjs', { module: 'nodenext', moduleResolution: 'nodenext' });
    if (!readFileSync(join(dir, 'out/index.js'), 'utf8').includes('require("neardup")')) throw new Error('expected a require() in the CJS output');
    expectEqual('output', run('node', ['out/index.js'], dir).trim(), 'ok');
  });
  await step('TypeScript, moduleResolution bundler: type-checks', () => {
    tsProject('ts-bundler', 'module', { module: 'esnext', moduleResolution: 'bundler', noEmit: true });
  });

  // --- the Node probes, then Bun, Deno and the browser on the same installed tarball ---
  const esbuild = await import('esbuild');
  const bundles = await step('bundle the probe page (browser) and the Node probes (ESM, CJS) with esbuild', async () => {
    copyFileSync(join(root, 'tests/browser/probe.mjs'), join(app, 'probe.mjs'));
    copyFileSync(seedPath, join(app, 'seed.txt'));
    write(join(app, 'page.mjs'), "import { probe } from './probe.mjs';\ntry { window.__neardup = JSON.stringify(probe()); } catch (e) { window.__neardupError = String(e && e.stack || e); }\n");
    write(join(app, 'node-probe.mjs'), "import { probe } from './probe.mjs';\nprocess.stdout.write(JSON.stringify(probe()));\n");
    const common = { absWorkingDir: app, bundle: true, loader: { '.txt': 'text' }, logLevel: 'silent', target: 'es2022' };
    await esbuild.build({ ...common, entryPoints: ['page.mjs'], outfile: 'www/page.js', format: 'esm', platform: 'browser' });
    // Node probes keep `neardup` external, so the runtime itself resolves the installed package (import vs require).
    await esbuild.build({ ...common, entryPoints: ['node-probe.mjs'], outfile: 'probe-esm.mjs', format: 'esm', platform: 'node', packages: 'external' });
    await esbuild.build({ ...common, entryPoints: ['node-probe.mjs'], outfile: 'probe-cjs.cjs', format: 'cjs', platform: 'node', packages: 'external' });
    if (!readFileSync(join(app, 'probe-cjs.cjs'), 'utf8').includes('require("neardup")')) throw new Error('the CJS probe does not require("neardup")');
    write(join(app, 'www/index.html'), '<!doctype html><meta charset="utf-8"><title>neardup</title><script type="module" src="page.js"></script>\n');
    return { esm: run('node', ['probe-esm.mjs'], app), cjs: run('node', ['probe-cjs.cjs'], app) };
  });
  await step('Node ESM and CJS builds compute the same results', () => expectEqual('CJS vs ESM', JSON.parse(bundles.cjs), JSON.parse(bundles.esm)));
  const sameAsNode = (runtime, output) => {
    if (output !== bundles.esm) {
      const a = JSON.parse(output);
      const b = JSON.parse(bundles.esm);
      for (const key of Object.keys(b)) expectEqual(`${runtime} vs Node: ${key}`, a[key], b[key]);
      throw new Error(`${runtime}: the output differs from Node's in its bytes (same values)`);
    }
  };
  const HOW_RUNTIMES = 'it ships in the bun and deno npm devDependencies: run npm ci';
  await optional('Bun runs the installed tarball (ESM and CJS) byte-identically to Node', findRuntime('bun', ['@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', '@oven/bun-darwin-aarch64/bin/bun', '@oven/bun-darwin-x64/bin/bun', 'bun/bin/bun.exe']), 'the Bun check', HOW_RUNTIMES, (bun) => {
    sameAsNode('Bun ESM', run(bun, ['probe-esm.mjs'], app));
    sameAsNode('Bun CJS', run(bun, ['probe-cjs.cjs'], app));
    return `[Bun ${run(bun, ['--version'], app).trim()}] `;
  });
  await optional('Deno runs the installed tarball (ESM and CJS) byte-identically to Node', findRuntime('deno', ['@deno/linux-x64-glibc/deno', '@deno/linux-arm64-glibc/deno', '@deno/darwin-arm64/deno', '@deno/darwin-x64/deno', 'deno/deno']), 'the Deno check', HOW_RUNTIMES, (deno) => {
    // No permissions granted: the probe only computes (the seed is bundled in), so Deno must need none.
    sameAsNode('Deno ESM', run(deno, ['run', '--quiet', 'probe-esm.mjs'], app));
    sameAsNode('Deno CJS', run(deno, ['run', '--quiet', 'probe-cjs.cjs'], app));
    return `[Deno ${run(deno, ['--version'], app).split('\n')[0].replace(/^deno /, '').split(' ')[0]}] `;
  });

  // --- the browser ---
  if (process.argv.includes('--skip-browser')) {
    console.log('check-package: browser … skipped (--skip-browser)');
  } else {
    await optional('headless Chromium computes the same results as Node', findChromium(), 'the browser check', 'install Debian\'s chromium or set CHROMIUM=…; .ci/run installs it', async (executablePath) => {
      const { chromium } = await import('playwright-core');
      const files = { '/': ['index.html', 'text/html'], '/page.js': ['page.js', 'text/javascript'] };
      const server = createServer((req, res) => {
        const f = files[req.url];
        if (!f) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': `${f[1]}; charset=utf-8` }).end(readFileSync(join(app, 'www', f[0])));
      });
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${server.address().port}`;
      const browser = await chromium.launch({
        executablePath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      try {
        const page = await browser.newPage();
        const problems = [];
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
        await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
        await page.goto(`${origin}/`);
        await page.waitForFunction(() => window.__neardup !== undefined || window.__neardupError !== undefined, null, { timeout: 60_000 });
        const error = await page.evaluate(() => window.__neardupError);
        if (error) throw new Error(`the probe threw in the browser: ${error}`);
        const fromBrowser = JSON.parse(await page.evaluate(() => window.__neardup));
        const ua = await page.evaluate(() => navigator.userAgent);
        if (problems.length) throw new Error(problems.join('\n'));
        const fromNode = JSON.parse(bundles.esm);
        if (fromNode.paragraphs.removed.length === 0 || fromNode.dedupe.duplicates.length === 0) throw new Error('the probe removed nothing: it would prove little');
        for (const key of Object.keys(fromNode)) expectEqual(`browser vs Node: ${key}`, fromBrowser[key], fromNode[key]);
        return `[${ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? ua}] `;
      } finally {
        await browser.close();
        server.close();
      }
    });
  }
  console.log(`check-package: ${passed} passed, 0 failed${skipped.length ? `, skipped: ${skipped.join('; ')}` : ''}`);
} catch (err) {
  if (!(err instanceof StepFailed)) console.error(err);
  console.log(`check-package: ${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
