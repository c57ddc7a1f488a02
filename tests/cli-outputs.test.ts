/**
 * Where the CLI's outputs go and what is left when writing fails: a full disk (a 1 MB tmpfs, when running as root)
 * for every command and every output, all-or-nothing across a run's outputs, and output paths that must be written
 * in place and never replaced (`-`, a FIFO, `/dev/stdout`, `/dev/stderr`, symlinks).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliArgv, root, run, tempDir } from './cli.helpers';

const tmp = tempDir('neardup-outputs-');
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

const TEXT_A = 'The river flows through the old city past the library and the museum before it reaches the harbour';
const TEXT_B = 'Africa Corps, a rival Russian mercenary group, remains in Mali after the withdrawal of the others';
const CORPUS = `${[
  JSON.stringify({ id: 1, text: TEXT_A }),
  JSON.stringify({ id: 2, text: TEXT_A.toUpperCase() }),
  JSON.stringify({ id: 3, text: TEXT_B }),
].join('\n')}\n`;
/** What `dedupe` keeps of CORPUS. */
const KEPT = `${CORPUS.split('\n')[0]}\n${CORPUS.split('\n')[2]}\n`;
const ARTICLE = 'A line that repeats.\nAnother line here.\nA line that repeats.\n';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canMount = isRoot && spawnSync('sh', ['-c', 'command -v mount && command -v umount'], { encoding: 'utf8' }).status === 0;

/** Every command and every one of its file outputs: the flag under test writes into the full file system. */
const CASES: { name: string; args: (full: string, ok: string) => string[]; target: string }[] = [
  { name: 'dedupe -o', args: (full) => ['dedupe', path('corpus.jsonl'), '-o', join(full, 'out'), '-q'], target: 'out' },
  { name: 'dedupe --removed', args: (full, ok) => ['dedupe', path('corpus.jsonl'), '-o', join(ok, 'kept'), '--removed', join(full, 'out'), '-q'], target: 'out' },
  { name: 'dedupe --report', args: (full, ok) => ['dedupe', path('corpus.jsonl'), '-o', join(ok, 'kept'), '--report', join(full, 'out'), '-q'], target: 'out' },
  { name: 'quality -o', args: (full) => ['quality', path('corpus.jsonl'), '-o', join(full, 'out'), '-q'], target: 'out' },
  { name: 'quality --report', args: (full, ok) => ['quality', path('corpus.jsonl'), '-o', join(ok, 'kept'), '--report', join(full, 'out'), '-q'], target: 'out' },
  { name: 'quality --filter --removed', args: (full, ok) => ['quality', path('corpus.jsonl'), '--filter', '-o', join(ok, 'kept'), '--removed', join(full, 'out'), '-q'], target: 'out' },
  { name: 'paragraphs -o', args: (full) => ['paragraphs', path('article.txt'), '-o', join(full, 'out'), '-q'], target: 'out' },
  { name: 'paragraphs --report', args: (full, ok) => ['paragraphs', path('article.txt'), '-o', join(ok, 'kept'), '--report', join(full, 'out')], target: 'out' },
];

beforeAll(() => {
  writeFileSync(path('corpus.jsonl'), CORPUS);
  writeFileSync(path('article.txt'), ARTICLE);
});

describe.skipIf(!canMount)('a full disk (1 MB tmpfs; needs root — skipped otherwise, .ci/run runs as root)', () => {
  const full = path('full');
  const ok = path('ok');
  beforeAll(() => {
    mkdirSync(full);
    mkdirSync(ok);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount failed: ${m.stderr}`);
    // Fill it: dd stops with ENOSPC, which is the point.
    spawnSync('dd', ['if=/dev/zero', `of=${join(full, 'fill')}`, 'bs=1k', 'count=2000'], { encoding: 'utf8' });
  });
  afterAll(() => {
    spawnSync('umount', [full]);
    spawnSync('umount', ['-l', full]); // in case the first one failed: never leave a mount behind
  });

  for (const c of CASES) {
    it(`${c.name} into a full file system: non-zero exit, a message naming the file, nothing under the final name`, () => {
      const r = cli(c.args(full, ok));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(join(full, c.target));
      expect(r.stderr).toMatch(/no space left on device|ENOSPC/i);
      expect(existsSync(join(full, c.target))).toBe(false);
      // All or nothing: the output that could be written is not renamed into place either.
      expect(existsSync(join(ok, 'kept'))).toBe(false);
      // No temporary file left behind.
      expect(readdirSync(full).filter((f) => f !== 'fill')).toEqual([]);
      expect(readdirSync(ok)).toEqual([]);
    });
  }

  it('stdout redirected by the shell into the full file system: non-zero exit and a message', () => {
    const q = (x: string): string => `'${x.replace(/'/g, "'\\''")}'`;
    const sh = `${q(process.execPath)} ${cliArgv(['dedupe', path('corpus.jsonl'), '-q']).map(q).join(' ')} > ${q(join(full, 'shell.out'))}`;
    const r = spawnSync('sh', ['-c', sh], { cwd: root, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no space left on device|ENOSPC/i);
    spawnSync('rm', ['-f', join(full, 'shell.out')]);
  });

  it('a previous file under the final name is left untouched when the disk is full', () => {
    const out = join(ok, 'previous.jsonl');
    writeFileSync(out, 'previous content\n');
    const r = cli(['dedupe', path('corpus.jsonl'), '-o', out, '--report', join(full, 'report.json'), '-q']);
    expect(r.code).not.toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('previous content\n');
    expect(existsSync(join(full, 'report.json'))).toBe(false);
  });
});

describe('output paths that are written in place, never replaced', () => {
  it('-o - writes to stdout', () => {
    const r = cli(['dedupe', path('corpus.jsonl'), '-o', '-', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(KEPT);
  });

  /** Runs `neardup ARGS` through `sh` with stdout and stderr redirected to files; returns the exit code and both files. */
  const redirected = (args: string[]): { code: number | null; out: string; err: string } => {
    const q = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
    const sh = `${q(process.execPath)} ${cliArgv(args).map(q).join(' ')} > ${q(path('so.txt'))} 2> ${q(path('se.txt'))}`;
    const r = spawnSync('sh', ['-c', sh], { cwd: root, encoding: 'utf8' });
    return { code: r.status, out: readFileSync(path('so.txt'), 'utf8'), err: readFileSync(path('se.txt'), 'utf8') };
  };

  it('symlinks into /proc/self/fd (what /dev/stdout is) with the streams redirected to files: written through, the links kept', () => {
    symlinkSync('/proc/self/fd/1', path('my-stdout'));
    symlinkSync('/proc/self/fd/2', path('my-stderr'));
    const r = redirected(['dedupe', path('corpus.jsonl'), '-o', path('my-stdout'), '--removed', path('my-stderr'), '-q']);
    expect(r.code).toBe(0);
    expect(readlinkSync(path('my-stdout'))).toBe('/proc/self/fd/1');
    expect(readlinkSync(path('my-stderr'))).toBe('/proc/self/fd/2');
    expect(r.out).toBe(KEPT);
    expect(JSON.parse(r.err)).toMatchObject({ id: 2, duplicateOf: 1, exact: true });
  });

  it('-o /dev/stdout and --removed /dev/stderr redirected to files: written through, the /dev links untouched', () => {
    const links = { '/dev/stdout': readlinkSync('/dev/stdout'), '/dev/stderr': readlinkSync('/dev/stderr') };
    try {
      const r = redirected(['dedupe', path('corpus.jsonl'), '-o', '/dev/stdout', '--removed', '/dev/stderr', '-q']);
      expect(r.code).toBe(0);
      expect(r.out).toBe(KEPT);
      expect(JSON.parse(r.err)).toMatchObject({ id: 2, duplicateOf: 1, exact: true });
    } finally {
      // A regression here replaces the machine's /dev links (as root): put them back before failing.
      for (const [link, target] of Object.entries(links)) {
        if (!lstatSync(link).isSymbolicLink()) {
          rmSync(link);
          symlinkSync(target, link);
          throw new Error(`${link} was replaced by a regular file (restored)`);
        }
      }
    }
  });

  it('a symlink to a regular file: the target gets the output (atomically), the link stays a link', () => {
    const target = path('target.jsonl');
    const link = path('link.jsonl');
    writeFileSync(target, 'old\n');
    symlinkSync(target, link);
    const r = cli(['dedupe', path('corpus.jsonl'), '-o', link, '-q']);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(KEPT);
  });

  it('two outputs that are one file through a symlink are a usage error (exit 2)', async () => {
    const target = path('same-target.jsonl');
    const link = path('same-link.jsonl');
    writeFileSync(target, '');
    symlinkSync(target, link);
    const r = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '-o', link, '--removed', target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--output and --removed name the same file');
    const both = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '--removed', '/dev/stdout']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('would both go to stdout');
  });

  it('a dangling symlink is refused (exit 2), never replaced', () => {
    const link = path('dangling.jsonl');
    symlinkSync(path('nowhere/at/all.jsonl'), link);
    const r = cli(['dedupe', path('corpus.jsonl'), '-o', link, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('a FIFO is written in place, never replaced', async () => {
    const fifo = path('out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const readerDone = new Promise<void>((res) => reader.on('close', () => res()));
    const child = spawn(process.execPath, cliArgv(['dedupe', path('corpus.jsonl'), '-o', fifo, '-q']), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    await readerDone;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(KEPT);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('/dev/null is written in place', () => {
    const r = cli(['quality', path('corpus.jsonl'), '-o', '/dev/null', '--report', path('q.json'), '-q']);
    expect(r.code).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(JSON.parse(readFileSync(path('q.json'), 'utf8'))).toMatchObject({ input: 3 });
  });
});
