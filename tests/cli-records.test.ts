/**
 * Records the CLI must handle exactly: ids (above 2^53, missing, repeated), a text field under another name, runs
 * where no record is valid, invalid UTF-8, byte-order marks on any line, the final summary when stderr is not a
 * terminal, and the limits of `--jobs`.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, parseJsonl, readJson, run, tempDir } from './cli.helpers';

const tmp = tempDir('neardup-records-');
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

const A = 'The river flows through the old city past the library and the museum before it reaches the harbour';
const B = 'Africa Corps, a rival Russian mercenary group, remains in Mali after the withdrawal of the others';
const C = 'A small garden of tomatoes and beans grows behind the school on the hill above the quiet village';

interface Report {
  input: number;
  kept: number;
  removed: number;
  invalid: number;
  errors: { line: number; reason: string }[];
}

describe('ids', () => {
  it('numeric ids above 2^53 that are distinct in the JSON text are distinct ids', async () => {
    // 9007199254740993 and 9007199254740992 are the same double.
    writeFileSync(path('big.jsonl'), `{"id":9007199254740992,"text":"${A}"}\n{"id":9007199254740993,"text":"${B}"}\n`);
    const r = await run(['dedupe', path('big.jsonl'), '--jobs', '1', '--report', path('big.json'), '-o', path('big.out')]);
    expect(r.stderr).not.toContain('duplicate id');
    expect(r.code).toBe(0);
    expect(readJson<Report>(path('big.json'))).toMatchObject({ input: 2, kept: 2, invalid: 0 });
  });

  it('duplicateOf keeps a big numeric id exactly as written', async () => {
    writeFileSync(path('big2.jsonl'), `{"id":9007199254740993,"text":"${A}"}\n{"id":2,"text":"${A.toUpperCase()}"}\n`);
    const r = await run(['dedupe', path('big2.jsonl'), '--jobs', '1', '-o', path('big2.out'), '--removed', path('big2.removed'), '-q']);
    expect(r.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path('big2.removed'), 'utf8')).toContain('"duplicateOf":9007199254740993,"duplicateOfLine":1');
  });

  it('a record without an id never collides with an explicit numeric id equal to its line number', async () => {
    writeFileSync(path('noid.jsonl'), `${JSON.stringify({ text: A })}\n${JSON.stringify({ id: 1, text: B })}\n${JSON.stringify({ id: 9, text: A })}\n`);
    const r = await run(['dedupe', path('noid.jsonl'), '--jobs', '1', '--removed', path('noid.removed'), '--report', path('noid.json')]);
    expect(r.code).toBe(0);
    expect(readJson<Report>(path('noid.json'))).toMatchObject({ input: 3, kept: 2, removed: 1, invalid: 0 });
    // The copy of line 1 (no id) refers to it by line: duplicateOf is null, never the other record's id 1.
    const removed = parseJsonl((await import('node:fs')).readFileSync(path('noid.removed'), 'utf8'));
    expect(removed).toEqual([{ id: 9, text: A, duplicateOf: null, duplicateOfLine: 1, similarity: 1, exact: true }]);
  });

  it('--duplicate-ids allow: repeated ids (concatenated files, Debian names) are records like any other', async () => {
    const lines = [JSON.stringify({ id: 'x', text: A }), JSON.stringify({ id: 'x', text: B }), JSON.stringify({ id: 'x', text: A })];
    writeFileSync(path('rep.jsonl'), `${lines.join('\n')}\n`);
    const strict = await run(['dedupe', path('rep.jsonl'), '--jobs', '1', '-o', path('rep.strict')]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('duplicate id "x"');
    expect(strict.stderr).toContain('--duplicate-ids allow');
    const r = await run(['dedupe', path('rep.jsonl'), '--jobs', '1', '--duplicate-ids', 'allow', '-o', path('rep.out'), '--removed', path('rep.removed'), '-q']);
    expect(r.code).toBe(0);
    const removed = parseJsonl((await import('node:fs')).readFileSync(path('rep.removed'), 'utf8'));
    expect(removed).toEqual([{ id: 'x', text: A, duplicateOf: 'x', duplicateOfLine: 1, similarity: 1, exact: true }]);
    const bad = await run(['dedupe', path('rep.jsonl'), '--duplicate-ids', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--duplicate-ids');
  });
});

describe('the text field and runs without a valid record', () => {
  const lines = [JSON.stringify({ id: 1, content: A }), JSON.stringify({ id: 2, content: B })];

  it('a record whose text is under another name: the error names --text-field and the fields the record has', async () => {
    writeFileSync(path('content.jsonl'), `${lines.join('\n')}\n`);
    for (const command of ['dedupe', 'quality']) {
      const r = await run([command, path('content.jsonl'), '--jobs', '1', '-o', path(`content-${command}.out`)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('missing text field "text"');
      expect(r.stderr).toContain('--text-field');
      expect(r.stderr).toContain('"content"');
    }
  });

  it('--skip-invalid where no record is valid: exit 1 (the report is still written)', async () => {
    for (const command of ['dedupe', 'quality']) {
      const r = await run([command, path('content.jsonl'), '--jobs', '1', '--skip-invalid', '-o', path(`none-${command}.out`), '--report', path(`none-${command}.json`)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no valid record');
      expect(r.stderr).toContain('--text-field');
      expect(readJson<Report>(path(`none-${command}.json`))).toMatchObject({ input: 2, kept: 0, invalid: 2 });
    }
  });

  it('an empty input is not an error: exit 0', async () => {
    writeFileSync(path('empty.jsonl'), '\n\n');
    const r = await run(['dedupe', path('empty.jsonl'), '--jobs', '1', '-q']);
    expect(r.code).toBe(0);
  });
});

describe('bytes', () => {
  it('invalid UTF-8 in a record makes the line invalid (never silently replaced)', async () => {
    const good = Buffer.from(`${JSON.stringify({ id: 1, text: A })}\n`);
    const bad = Buffer.concat([Buffer.from(`{"id":2,"text":"${B} `), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const fffd = Buffer.from(`${JSON.stringify({ id: 3, text: `${C} \ufffd` })}\n`); // a real U+FFFD is valid text
    writeFileSync(path('utf8.jsonl'), Buffer.concat([good, bad, fffd]));
    for (const command of ['dedupe', 'quality']) {
      const r = await run([command, path('utf8.jsonl'), '--jobs', '1', '--skip-invalid', '-o', path('utf8.out'), '--report', path('utf8.json'), '-q']);
      expect(r.code).toBe(0);
      const report = readJson<Report>(path('utf8.json'));
      expect(report).toMatchObject({ input: 3, kept: 3 - 1 - report.removed, invalid: 1 });
      expect(report.errors).toEqual([{ line: 2, reason: 'not valid UTF-8' }]);
    }
  });

  it('a byte-order mark at the start of any line (concatenated files) is dropped, not an invalid record', async () => {
    const bom = '\ufeff';
    writeFileSync(path('bom.jsonl'), `${bom}${JSON.stringify({ id: 1, text: A })}\n${bom}${JSON.stringify({ id: 2, text: B })}\n`);
    const r = await run(['dedupe', path('bom.jsonl'), '--jobs', '1', '--report', path('bom.json'), '-o', path('bom.out')]);
    expect(r.code).toBe(0);
    expect(readJson<Report>(path('bom.json'))).toMatchObject({ input: 2, kept: 2, invalid: 0 });
  });
});

describe('stderr', () => {
  it('dedupe and quality print their one-line summary when stderr is not a terminal (and not with -q)', async () => {
    writeFileSync(path('sum.jsonl'), `${JSON.stringify({ id: 1, text: A })}\n${JSON.stringify({ id: 2, text: A })}\n`);
    const d = await run(['dedupe', path('sum.jsonl'), '--jobs', '1', '-o', path('sum.out')]);
    expect(d.stderr).toMatch(/^neardup dedupe: 2 records: 1 kept, 1 removed \(1 exact, 0 near\), 0 invalid in /);
    const q = await run(['quality', path('sum.jsonl'), '--jobs', '1', '-o', path('sum.out')]);
    expect(q.stderr).toMatch(/^neardup quality: 2 records: \d pass, \d fail, 0 invalid in /);
    expect((await run(['dedupe', path('sum.jsonl'), '--jobs', '1', '-o', path('sum.out'), '-q'])).stderr).toBe('');
  });
});

describe('--jobs', () => {
  const cap = Math.max(4, 2 * availableParallelism());
  it(`--jobs above twice the cores (${cap} here) is a usage error naming the flag and the range`, async () => {
    const r = await run(['dedupe', path('sum.jsonl'), '--jobs', String(cap + 1)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs');
    expect(r.stderr).toContain(`[1, ${cap}]`);
    expect((await run(['dedupe', path('sum.jsonl'), '--jobs', '1000'])).code).toBe(2);
  });

  it(`--jobs ${cap} (the cap) runs and gives the --jobs 1 output`, () => {
    const one = cli(['dedupe', path('sum.jsonl'), '--jobs', '1', '-q']);
    const many = cli(['dedupe', path('sum.jsonl'), '--jobs', String(cap), '-q']);
    expect(many.code).toBe(0);
    expect(many.stdout).toBe(one.stdout);
  });
});

describe('rawMember(line, key)', () => {
  it('rawMember(line, key) finds the source text of a top-level member past strings, escapes and nesting', async () => {
    const { rawMember } = await import('../src/cli/records');
    const line = '{ "a\\"id" : "x,}", "nested": {"id": 1, "s": "}{"}, "list": [1, [2, {"id": 3}]], "id" : 12345678901234567891 , "z": true}';
    expect(rawMember(line, 'id')).toBe('12345678901234567891');
    expect(rawMember(line, 'a"id')).toBe('"x,}"');
    expect(rawMember(line, 'nested')).toBe('{"id": 1, "s": "}{"}');
    expect(rawMember(line, 'missing')).toBeNull();
    expect(rawMember('{"id":1,"id":2e400}', 'id')).toBe('2e400'); // the last one, as JSON.parse
    expect(rawMember('{"id":-0.1000000000000000000001}', 'id')).toBe('-0.1000000000000000000001');
  });
});
