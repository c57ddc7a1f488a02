/**
 * The scaffolding shared by the record commands (src/cli/command.ts): the end of a run and the clean-up of a
 * failed one, on real outputs in a temp folder. The commands themselves are covered end to end by tests/cli*.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { finishRun, guardRun, reportHead } from '../src/cli/command';
import { openInput, readText } from '../src/cli/input';
import { version } from '../package.json';
import { InvalidLog, type Io } from '../src/cli/jsonl';
import { openOutputs } from '../src/cli/output';
import { createRunner } from '../src/cli/pool';
import { Progress } from '../src/cli/progress';
import { tempDir } from './cli.helpers';

const tmp = tempDir('neardup-command-');
afterAll(() => tmp.remove());

function io(): { io: Io; err: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { io: { stdin: new PassThrough(), stdout: new PassThrough(), stderr, stderrIsTTY: false }, err: () => text };
}

describe('finishRun and guardRun (src/cli/command.ts)', () => {
  it('finishRun commits the outputs, then writes the skipped-lines note and the summary, and gives the exit code', async () => {
    const path = join(tmp.dir, 'kept.jsonl');
    const { out, all } = await openOutputs({ output: path }, { stdout: new PassThrough(), stderr: new PassThrough() });
    await out.write(Buffer.from('{"text":"a"}\n'));
    const log = new InvalidLog('in.jsonl', true);
    log.add(2, 'no text');
    const { io: streams, err } = io();
    expect(await finishRun('quality', all, log, false, '2 records: 1 pass', 2, 'in.jsonl', streams)).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('{"text":"a"}\n');
    expect(err()).toBe('neardup quality: skipped 1 invalid line: line 2: no text\nneardup quality: 2 records: 1 pass\n');

    const quiet = io();
    const none = await openOutputs({ output: join(tmp.dir, 'none.jsonl') }, { stdout: new PassThrough(), stderr: new PassThrough() });
    const allInvalid = new InvalidLog('in.jsonl', true);
    allInvalid.add(1, 'no text');
    expect(await finishRun('contains', none.all, allInvalid, true, 'unused', 1, 'in.jsonl', quiet.io)).toBe(1);
    expect(quiet.err()).toBe('neardup contains: no valid record in in.jsonl: all 1 lines are invalid (first: line 1: no text); exit 1\n');
  });

  it('guardRun aborts every output of a failing run (no file, no temp file left) and rethrows', async () => {
    const dir = join(tmp.dir, 'failing');
    mkdirSync(dir);
    const { out, all } = await openOutputs({ output: join(dir, 'out.jsonl'), report: join(dir, 'report.json') }, { stdout: new PassThrough(), stderr: new PassThrough() });
    const runner = createRunner(1);
    await expect(guardRun(new Progress(null), all, runner, async () => {
      await out.write(Buffer.from('{"text":"half"}\n'));
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(await guardRun(new Progress(null), [], runner, () => Promise.resolve(7))).toBe(7);
  });

  it('reportHead gives the first fields of every report, in the order the reports write them', async () => {
    const log = new InvalidLog('in.jsonl', true);
    log.add(3, 'no text');
    const path = join(tmp.dir, 'head.jsonl');
    writeFileSync(path, '{"text":"a"}\n');
    const input = openInput(path);
    expect(await readText(input)).toBe('{"text":"a"}\n');
    const head = reportHead('dedupe', { records: 3, kept: 1, removed: 1 }, log, { input: path, output: '<stdout>', removed: null }, input, 3);
    expect(Object.keys(head)).toEqual(['command', 'version', 'input', 'kept', 'removed', 'invalid', 'errors', 'files', 'inputInfo']);
    expect(head).toMatchObject({ command: 'dedupe', version, input: 3, kept: 1, removed: 1, invalid: 1, errors: [{ line: 3, reason: 'no text' }] });
    expect(head.inputInfo).toEqual({ path, gzip: false, bytes: 13, lines: 3 });
  });
});
