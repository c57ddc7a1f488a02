/**
 * Every page of the docs site (docs/index.md and docs/guides/*.md) is runnable, so a guide cannot rot:
 * - its ```ts blocks (a block without imports continues the one before) type-check under the project's strict
 *   options and run, `'neardup'` being src/index.ts, with the working directory at the repository root;
 *   `expr; // => expected` lines assert deep equality (the TSDoc example convention);
 * - what a ts block prints with `console.log` must be the ```text block right after it, exactly; a block marked
 *   `<!-- output -->` that the code before it does not print fails too;
 * - a block marked `<!-- file: NAME -->` is written to NAME in a temporary directory, where the page's ```console
 *   blocks run: each `$ command` line runs in bash (`neardup` is the CLI from source) and its stdout and stderr
 *   must be the lines that follow, timings aside (`in 0.1 s (…)`); ```sh blocks run their `neardup` lines and
 *   must exit 0 (install lines are not run);
 * - a program whose first block is marked `<!-- runtime: bun -->` or `<!-- runtime: deno -->` also runs in that
 *   runtime (from source; Deno's `npm:neardup` is the package too) and must print the same output block;
 * - a program marked `<!-- needs: redis-server -->` runs with `REDIS_URL` pointing at a private redis-server
 *   (skipped with a printed reason when none is on PATH, failing under CI=true).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, inspect, isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { instrument } from './helpers/instrument';
import { fences, programs, withoutTimings, type Fence } from './helpers/markdown';
import { REDIS_SERVER, startRedis } from './helpers/redis-server';
import { typeCheck } from './helpers/typecheck';

const root = fileURLToPath(new URL('..', import.meta.url));
const pages = ['docs/index.md', ...readdirSync(join(root, 'docs/guides')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/guides/${f}`)];
const scratch = join(root, '.tmp/guides');
mkdirSync(scratch, { recursive: true });

/** A `neardup` on PATH that runs the CLI from source. */
const bin = mkdtempSync(join(tmpdir(), 'neardup-guide-bin-'));
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
writeFileSync(join(bin, 'neardup'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(root, 'src/cli/main.ts')}" "$@"\n`);
chmodSync(join(bin, 'neardup'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** `from 'neardup'`, or Deno's `from 'npm:neardup'`: the package, which the runner points at src/index.ts. */
const NEARDUP = /from\s+'(?:npm:)?neardup'/g;

/** Runtimes a block marked `<!-- runtime: NAME -->` also runs in: the binaries of the devDependencies. */
const RUNTIMES: Record<string, (file: string) => string[]> = {
  bun: (file) => [join(root, 'node_modules/.bin/bun'), 'run', file],
  deno: (file) => [join(root, 'node_modules/.bin/deno'), 'run', '--quiet', '--unstable-sloppy-imports', '--allow-read', '--allow-env', file],
};

/** Runs a program (a page's blocks `group`) in Bun or Deno from source; returns its stdout. */
function runIn(runtime: string, page: string, blocks: Fence[], group: number[], n: number): string {
  const code = group.map((i) => blocks[i]!.body).join('').replace(NEARDUP, `from ${JSON.stringify(join(root, 'src/index.ts'))}`);
  const file = join(scratch, `${slug(page)}-${n}.${runtime}.ts`);
  writeFileSync(file, code);
  const [cmd, ...args] = RUNTIMES[runtime]!(file);
  const r = spawnSync(cmd!, args, { cwd: root, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${page}: ${runtime} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const slug = (page: string): string => page.replace(/^docs\//, '').replace(/[^\w]+/g, '-').replace(/-md$/, '');

interface Check { actual: unknown; expected: unknown; line: string }

/** Runs one program of a page; returns what each of its blocks printed and the `// =>` checks. */
async function run(page: string, blocks: Fence[], group: number[], n: number): Promise<{ printed: Map<number, string>; checks: Check[] }> {
  const code = group
    .map((i) => `${instrument(blocks[i]!.body, false)}\nglobalThis.__mark(${i});\n`)
    .join('')
    .replace(NEARDUP, `from ${JSON.stringify(join(root, 'src/index.ts'))}`);
  const file = join(scratch, `${slug(page)}-${n}.ts`);
  writeFileSync(file, `${code}\nexport {};\n`);
  const lines: string[] = [];
  const printed = new Map<number, string>();
  const checks: Check[] = [];
  let from = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  g.__check = (actual: unknown, expected: unknown, line: string) => checks.push({ actual, expected, line });
  g.__mark = (i: number) => {
    printed.set(i, lines.slice(from).join('\n'));
    from = lines.length;
  };
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  try {
    await import(`${pathToFileURL(file).href}?run=${Date.now()}`);
  } finally {
    spy.mockRestore();
    delete g.__check;
    delete g.__mark;
  }
  return { printed, checks };
}

/** Runs a page's console and sh blocks in a temporary directory holding its `file:` blocks. */
function runShell(blocks: Fence[]): { where: string; expected: string; actual: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'neardup-guide-'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const results: { where: string; expected: string; actual: string }[] = [];
  try {
    let status = 0;
    for (const b of blocks) {
      const file = /^file:\s*(\S+)$/.exec(b.marker ?? '');
      if (file) writeFileSync(join(dir, file[1]!), b.body);
      if (b.lang === 'sh') {
        for (const cmd of b.body.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim())) {
          if (!/^(npx )?neardup /.test(cmd)) continue;
          const r = spawnSync('bash', ['-c', cmd.replace(/^npx /, '')], { cwd: dir, env, encoding: 'utf8' });
          results.push({ where: `line ${b.line}: ${cmd}`, expected: 'exit 0', actual: r.status === 0 ? 'exit 0' : `exit ${r.status}: ${r.stderr}` });
        }
      }
      if (b.lang !== 'console') continue;
      const steps = b.body.split(/^\$ /m).slice(1);
      for (const step of steps) {
        const [cmd, ...expected] = step.replace(/\n$/, '').split('\n');
        let actual: string;
        if (cmd === 'echo $?') actual = String(status);
        else {
          const r = spawnSync('bash', ['-c', `${cmd!.replace(/^npx /, '')} 2>&1`], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
          status = r.status ?? 1;
          actual = r.stdout.replace(/\n$/, '');
        }
        results.push({ where: `line ${b.line}: $ ${cmd}`, expected: withoutTimings(expected.join('\n')), actual: withoutTimings(actual) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** What is wrong with a run of a program: failed `// =>` checks and printed output that the page does not show. */
function problems(page: string, blocks: Fence[], group: number[], { printed, checks }: { printed: Map<number, string>; checks: Check[] }): string[] {
  const out: string[] = [];
  for (const c of checks) {
    if (!isDeepStrictEqual(c.actual, c.expected)) out.push(`${page}: ${c.line}: got ${inspect(c.actual, { depth: 4 })}`);
  }
  for (const i of group) {
    const text = printed.get(i) ?? '';
    const next = blocks[i + 1];
    const where = `${page}:${blocks[i]!.line}`;
    if (text !== '' && next?.lang !== 'text') out.push(`${where} prints, so the next block must be its \`\`\`text output:\n${text}`);
    else if (text !== '' && `${text}\n` !== next!.body) out.push(`${where} prints\n${text}\nbut the page shows\n${next!.body}`);
    else if (text === '' && next?.marker === 'output') out.push(`${where} prints nothing, but the block after it is marked output`);
  }
  return out;
}

describe('docs pages run', () => {
  it('every ts program of every page type-checks in strict mode', () => {
    const sources: Record<string, string> = {};
    for (const page of pages) {
      const blocks = fences(readFileSync(join(root, page), 'utf8'));
      programs(blocks).forEach((group, n) => {
        sources[`.tmp/guides/${slug(page)}-${n}.check.ts`] = `${group.map((i) => blocks[i]!.body).join('')}\nexport {};\n`;
      });
    }
    expect(Object.keys(sources).length).toBeGreaterThan(pages.length);
    expect(typeCheck(sources)).toEqual([]);
  });

  it('the type check is real: a wrong type in a guide block is reported', () => {
    const wrong = "import { c4Quality } from 'neardup';\nconst r = c4Quality('x');\nconst s: string = r.text;\nexport {};\n";
    expect(typeCheck({ '.tmp/guides/wrong.ts': wrong })).toEqual([
      ".tmp/guides/wrong.ts:3: Type 'string | null' is not assignable to type 'string'.\n  Type 'null' is not assignable to type 'string'.",
    ]);
  });

  for (const page of pages) {
    it(`${page}: its code runs, its // => assertions hold, and it prints what the page shows`, async () => {
      const blocks = fences(readFileSync(join(root, page), 'utf8'));
      const groups = programs(blocks);
      for (const [n, group] of groups.entries()) {
        const needsRedis = blocks[group[0]!]!.marker === 'needs: redis-server';
        if (needsRedis && !REDIS_SERVER) {
          if (process.env.CI === 'true') throw new Error(`${page}:${blocks[group[0]!]!.line} needs redis-server on PATH (CI=true: it must run, not skip)`);
          console.warn(`${page}:${blocks[group[0]!]!.line}: skipped a block that needs redis-server (not on PATH)`);
          continue;
        }
        const redis = needsRedis ? await startRedis() : undefined;
        if (redis) process.env.REDIS_URL = redis.url;
        const { printed, checks } = await run(page, blocks, group, n).finally(async () => {
          delete process.env.REDIS_URL;
          await redis?.stop();
        });
        expect(problems(page, blocks, group, { printed, checks })).toEqual([]);
        const runtime = /^runtime:\s*(\w+)$/.exec(blocks[group[0]!]!.marker ?? '')?.[1];
        if (runtime !== undefined) {
          expect(Object.keys(RUNTIMES), `${page}:${blocks[group[0]!]!.line}: unknown runtime`).toContain(runtime);
          const last = group[group.length - 1]!;
          expect(runIn(runtime, page, blocks, group, n), `${page}:${blocks[group[0]!]!.line} in ${runtime}`).toBe(blocks[last + 1]!.body);
        }
      }
    });

    const shell = fences(readFileSync(join(root, page), 'utf8')).some((b) => b.lang === 'console' || (b.lang === 'sh' && /^(npx )?neardup /m.test(b.body)));
    if (shell) {
      it(`${page}: its command lines run against the CLI and print what the page shows`, () => {
        for (const r of runShell(fences(readFileSync(join(root, page), 'utf8')))) expect(r.actual, r.where).toBe(r.expected);
      });
    }
  }
});

describe('the guide runner', () => {
  it('reports a wrong // => value, output the page does not show, and a missing output', async () => {
    const page = [
      '```ts', "import { dedupe } from 'neardup';", "dedupe(['same words here', 'same words here']).kept; // => [0, 1]", "console.log('printed');", '```', '',
      '```text', 'shown', '```', '',
      '```ts', 'const quiet = 1;', '```', '',
      '<!-- output -->', '```text', 'never printed', '```', '',
    ].join('\n');
    const blocks = fences(page);
    const [group] = programs(blocks);
    const found = problems('synthetic.md', blocks, group!, await run('synthetic.md', blocks, group!, 0));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/=> \[0, 1\]: got \[ 0 \]/);
    expect(found[1]).toMatch(/prints\nprinted\nbut the page shows\nshown/);
    expect(found[2]).toMatch(/prints nothing, but the block after it is marked output/);
  });
});

describe('tests/helpers/markdown', () => {
  it('fences() reads markers, languages and lines; programs() joins blocks without imports', () => {
    const page = "# t\n\n```ts\nimport { x } from 'neardup';\n```\n\n<!-- output -->\n```text\n1\n```\n\n```ts\nx;\n```\n";
    const blocks = fences(page);
    expect(blocks.map((b) => [b.lang, b.marker, b.line])).toEqual([['ts', null, 3], ['text', 'output', 8], ['ts', null, 12]]);
    expect(programs(blocks)).toEqual([[0, 2]]);
    expect(() => fences('```ts\nopen')).toThrow(/unclosed/);
  });
  it('withoutTimings() hides only the timing of a CLI summary', () => {
    expect(withoutTimings('5 records: 2 kept in 0.1 s (50 records/s, 0 MB/s)')).toBe('5 records: 2 kept in … s (… records/s, … MB/s)');
    expect(withoutTimings('63,956 records in 1.6 s (39,229 records/s, 19.63 MB/s)')).toBe('63,956 records in … s (… records/s, … MB/s)');
  });
});

