/**
 * End-to-end tests of the `neardup` command (run from source in a child process): help and exit codes, the
 * "nothing lost" accounting of `dedupe` and `quality`, input formats (blank lines, CRLF, no final newline, gzip,
 * stdin), and agreement with the library calls the commands wrap.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { NearDuplicateDetector } from '../src/dedup';
import { dedupeParagraphs, ParagraphDeduplicator } from '../src/paragraphs';
import { qualityReport } from '../src/quality';
import { cli, parseJsonl, readJson, readJsonl, run, seedPath, tempDir } from './cli.helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

const A =
  'The river flows through the old city past the library and the museum before it reaches the harbour where ' +
  'fishing boats wait for the morning tide and the market opens early every day of the summer season';
const A_EXACT = A.toUpperCase().replace(/ the /g, ', the ') + '!';
const A_NEAR = A.replace('summer season', 'summer months');

/**
 * A file with every kind of line: valid records, an exact and a near duplicate, blank and whitespace-only lines,
 * a CRLF line, invalid JSON, a non-object, a missing and a non-string text field, a bad id, a duplicate id, a
 * record without id (known by its line number), and a final line without newline.
 */
const MIXED_LINES: string[] = [
  JSON.stringify({ id: 'a', text: A, source: 'x' }), // 1 kept
  '', // 2 blank
  JSON.stringify({ id: 'b', text: A_EXACT }), // 3 removed (exact)
  ' \t ', // 4 blank
  JSON.stringify({ id: 'c', text: A_NEAR }), // 5 removed (near)
  '{"id": "broken", "text": "unterminated', // 6 invalid JSON
  '[1, 2, 3]', // 7 not an object
  JSON.stringify({ id: 'd' }), // 8 missing text
  JSON.stringify({ id: 'e', text: 42 }), // 9 non-string text
  JSON.stringify({ id: { nested: true }, text: 'a record whose id is an object' }), // 10 bad id
  JSON.stringify({ id: 'a', text: 'a different text that reuses the id of the first record' }), // 11 duplicate id
  JSON.stringify({ text: 'a record without an id about tomatoes growing in a small garden in the summer' }), // 12 kept, id 12
  `${JSON.stringify({ id: 'f', text: 'ünïcödé text with emoji 🎉 and enough words to make several shingles' })}\r`, // 13 kept (CRLF)
  JSON.stringify({ id: 'g', text: 'the last line has no newline and talks about astronomy and distant stars' }), // 14 kept
];
const MIXED = MIXED_LINES.join('\n'); // no final newline
const INVALID_LINES = [6, 7, 8, 9, 10, 11];

interface Report {
  input: number;
  kept: number;
  removed: number;
  invalid: number;
  errors: { line: number; reason: string }[];
  inputInfo: { lines: number; gzip: boolean };
  options: Record<string, unknown>;
  stats: Record<string, number>;
  timings: Record<string, unknown>;
}

describe('neardup --help and exit codes', () => {
  it('neardup --help lists the commands and exits 0', async () => {
    const r = cli(['--help']); // the real binary, in a child process
    expect(r.code).toBe(0);
    for (const c of ['dedupe', 'quality', 'paragraphs']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes: 0 success, 1 invalid input');
  });

  it('every command has --help with its defaults', async () => {
    const dedupe = await run(['dedupe', '--help']);
    expect(dedupe.code).toBe(0);
    const flat = (s: string): string => s.replace(/\s+/g, ' ');
    for (const d of ['(default: 0.8)', 'default: "minhash"', '(default: 128)', '(default: "text")', '(default: "id")', 'default: "document"', 'the number of cores']) {
      expect(flat(dedupe.stdout)).toContain(d);
    }
    const quality = await run(['quality', '--help']);
    expect(quality.code).toBe(0);
    expect(quality.stdout).toContain('--filter');
    expect(flat(quality.stdout)).toContain('(default: "quality")');
    const paragraphs = await run(['paragraphs', '--help']);
    expect(paragraphs.code).toBe(0);
    expect(flat(paragraphs.stdout)).toContain('default: "line"');
    expect(flat(paragraphs.stdout)).toContain('(default: 20)');
  });

  it('usage errors exit 2 with a message naming the problem', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    const unknown = await run(['dedupe', seedPath, '--no-such-option']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--no-such-option'");
    const notNumber = await run(['dedupe', seedPath, '--threshold', 'high']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('expected a number, got "high"');
    const range = await run(['dedupe', seedPath, '--threshold', '2']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('neardup: --threshold must be a number greater than 0 and at most 1');
    const perm = await run(['dedupe', seedPath, '--num-perm', '0']);
    expect([perm.code, perm.stderr]).toEqual([2, 'neardup: --num-perm must be an integer from 1 to 65535, got 0\n']);
    const jobs = await run(['dedupe', seedPath, '--jobs', '0']);
    expect(jobs.code).toBe(2);
    const method = await run(['dedupe', seedPath, '--method', 'fuzzy']);
    expect(method.code).toBe(2);
    expect(method.stderr).toContain('Allowed choices are minhash, simhash, exact');
    const missing = await run(['dedupe', path('does-not-exist.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const twoStdouts = await run(['dedupe', seedPath, '--report', '-']);
    expect(twoStdouts.code).toBe(2);
    expect(twoStdouts.stderr).toContain('would both go to stdout');
  });

  it('an existing device or FIFO output (like /dev/null) is written into, never replaced', async () => {
    const fifo = path('out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (d) => received.push(d as Buffer));
    const closed = new Promise<void>((res) => reader.on('close', () => res()));
    // Let the reader's open(2) reach the thread pool (it blocks there until a writer opens the FIFO); otherwise
    // the CLI's synchronous open for writing would wait forever in this same process.
    await new Promise((res) => setTimeout(res, 20));
    writeFileSync(path('small.jsonl'), `${MIXED_LINES[0]}\n`);
    const r = await run(['dedupe', path('small.jsonl'), '--jobs', '1', '-o', fifo, '--report', fifo]);
    await closed;
    expect(r.code).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    const got = Buffer.concat(received).toString('utf8');
    expect(got.startsWith(`${MIXED_LINES[0]}\n{\n  "command": "dedupe"`)).toBe(true);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a corrupt gzip stream is invalid input: exit 1', async () => {
    const gz = gzipSync(Buffer.from(MIXED));
    writeFileSync(path('corrupt.jsonl.gz'), gz.subarray(0, gz.length - 12));
    const r = await run(['dedupe', path('corrupt.jsonl.gz'), '--jobs', '1', '--skip-invalid', '-o', path('corrupt.out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a valid gzip stream');
    expect(existsSync(path('corrupt.out'))).toBe(false);
  });
});

describe('neardup dedupe: nothing lost', () => {
  writeFileSync(path('mixed.jsonl'), MIXED);

  it('dedupe FILE --skip-invalid puts every non-blank line in exactly one of output, removed, errors', async () => {
    const r = await run(['dedupe', path('mixed.jsonl'), '--skip-invalid', '--jobs', '1', '-o', path('kept.jsonl'), '--removed', path('removed.jsonl'), '--report', path('report.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped 6 invalid lines: line 6: invalid JSON');
    const report = readJson<Report>(path('report.json'));
    const kept = readJsonl(path('kept.jsonl'));
    const removed = readJsonl(path('removed.jsonl'));
    const nonBlank = MIXED_LINES.map((l, i) => (l.trim() === '' ? 0 : i + 1)).filter((n) => n > 0);

    expect([report.input, report.kept, report.removed, report.invalid]).toEqual([12, 4, 2, 6]);
    expect(report.kept + report.removed + report.invalid).toBe(report.input);
    expect(report.input).toBe(nonBlank.length);
    expect(report.inputInfo.lines).toBe(14);
    expect(kept.length).toBe(report.kept);
    expect(removed.length).toBe(report.removed);
    expect(report.errors.map((e) => e.line)).toEqual(INVALID_LINES);

    // Map every output record back to its input line: the sets are disjoint and cover every non-blank line.
    const lineOfId = new Map<unknown, number>([['a', 1], ['b', 3], ['c', 5], ['f', 13], ['g', 14]]);
    const lineOf = (rec: Record<string, unknown>): number => lineOfId.get(rec['id']) ?? (rec['id'] === undefined ? 12 : -1);
    const placed = [...kept.map(lineOf), ...removed.map(lineOf), ...report.errors.map((e) => e.line)].sort((x, y) => x - y);
    expect(placed).toEqual(nonBlank);
  });

  it('dedupe FILE: kept lines are the input bytes, removed lines carry duplicateOf, similarity, exact', async () => {
    const keptText = readFileSync(path('kept.jsonl'), 'utf8');
    expect(keptText).toBe(`${[MIXED_LINES[0], MIXED_LINES[11], MIXED_LINES[12]!.slice(0, -1), MIXED_LINES[13]].join('\n')}\n`);
    const removed = readJsonl(path('removed.jsonl'));
    expect(removed[0]).toEqual({ id: 'b', text: A_EXACT, duplicateOf: 'a', duplicateOfLine: 1, similarity: 1, exact: true });
    expect(removed[1]).toMatchObject({ id: 'c', text: A_NEAR, duplicateOf: 'a', exact: false });
    expect(removed[1]!['similarity']).toBeGreaterThanOrEqual(0.8);
    expect(removed[1]!['similarity']).toBeLessThan(1);
  });

  it('dedupe FILE --skip-invalid reports the reason of each invalid line', async () => {
    const report = readJson<Report>(path('report.json'));
    const reasons = report.errors.map((e) => e.reason);
    expect(reasons[0]).toMatch(/^invalid JSON \(/);
    expect(reasons[1]).toBe('not a JSON object (got array)');
    expect(reasons[2]).toBe('missing text field "text"; it has no string field (the text field is named with --text-field)');
    expect(reasons[3]).toBe('text field "text" is not a string (got number)');
    expect(reasons[4]).toBe('id field "id" is not a string or a number (got object)');
    expect(reasons[5]).toBe('duplicate id "a" (ids must be unique; --duplicate-ids allow accepts repeated ids)');
    expect(report.options).toMatchObject({ level: 'document', textField: 'text', idField: 'id', jobs: 1, skipInvalid: true });
    expect(report.options['detector']).toMatchObject({ threshold: 0.8, method: 'minhash', numPerm: 128, seed: 1 });
    expect(report.stats).toMatchObject({ exactDuplicates: 1, nearDuplicates: 1 });
    expect(typeof report.timings['seconds']).toBe('number');
  });

  it('dedupe FILE without --skip-invalid stops at the first invalid line: exit 1, no output written', async () => {
    const r = await run(['dedupe', path('mixed.jsonl'), '--jobs', '1', '-o', path('stopped.jsonl'), '--removed', path('stopped-removed.jsonl'), '--report', path('stopped.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mixed.jsonl:6: invalid JSON');
    expect(r.stderr).toContain('--skip-invalid');
    for (const f of ['stopped.jsonl', 'stopped-removed.jsonl', 'stopped.json']) expect(existsSync(path(f))).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('dedupe agrees with NearDuplicateDetector.add over the valid records, in order', async () => {
    const valid = MIXED_LINES.map((l, i) => ({ l, line: i + 1 })).filter(({ l, line }) => l.trim() !== '' && !INVALID_LINES.includes(line));
    const detector = new NearDuplicateDetector();
    const expected = valid.map(({ l, line }) => {
      const rec = JSON.parse(l) as { id?: string; text: string };
      return detector.add(rec.id ?? line, rec.text);
    });
    const removed = readJsonl(path('removed.jsonl'));
    const fromCli = expected.filter((e) => e.duplicateOf !== undefined);
    expect(removed.map((r) => ({ duplicateOf: r['duplicateOf'], similarity: r['similarity'], exact: r['exact'] }))).toEqual(fromCli);
  });

  it('dedupe: CRLF line endings, gzip input and stdin give the same output', async () => {
    const lf = await run(['dedupe', path('mixed.jsonl'), '--skip-invalid', '-q', '--jobs', '1']);
    expect(lf.code).toBe(0);
    writeFileSync(path('mixed-crlf.jsonl'), MIXED_LINES.map((l) => l.replace(/\r$/, '')).join('\r\n'));
    writeFileSync(path('mixed.jsonl.gz'), gzipSync(Buffer.from(MIXED)));
    const crlf = await run(['dedupe', path('mixed-crlf.jsonl'), '--skip-invalid', '-q', '--jobs', '1']);
    const gz = cli(['dedupe', path('mixed.jsonl.gz'), '--skip-invalid', '-q', '--jobs', '2', '--report', path('gz.json')]);
    const stdinGz = await run(['dedupe', '-', '--skip-invalid', '-q', '--jobs', '1'], gzipSync(Buffer.from(MIXED)));
    const stdinPlain = cli(['dedupe', '-', '--skip-invalid', '-q'], MIXED); // real stdin, default --jobs
    for (const r of [crlf, gz, stdinGz, stdinPlain]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(lf.stdout);
    }
    expect(readJson<Report>(path('gz.json')).inputInfo.gzip).toBe(true);
  });

  it('dedupe --text-field --id-field read other fields', async () => {
    const lines = [
      { key: 1, body: A },
      { key: 2, body: A_EXACT },
      { key: 3, body: 'something else entirely, about trains and railway bridges over the valley' },
    ].map((r) => JSON.stringify(r));
    writeFileSync(path('fields.jsonl'), `${lines.join('\n')}\n`);
    const r = await run(['dedupe', path('fields.jsonl'), '--jobs', '1', '--text-field', 'body', '--id-field', 'key', '--removed', path('fields-removed.jsonl'), '-q']);
    expect(r.code).toBe(0);
    expect(parseJsonl(r.stdout).map((x) => x['key'])).toEqual([1, 3]);
    expect(readJsonl(path('fields-removed.jsonl'))).toEqual([{ key: 2, body: A_EXACT, duplicateOf: 1, duplicateOfLine: 1, similarity: 1, exact: true }]);
  });

  it('dedupe --level paragraph --unit line agrees with ParagraphDeduplicator.process', async () => {
    const boiler = 'This package is part of the neardup test suite and is released under the MIT licence.';
    const docs = [
      { id: 'p1', text: `First package: a parser.\n${boiler}` },
      { id: 'p2', text: `Second package: a printer.\n${boiler}` },
      { id: 'p3', text: boiler },
      { id: 'p4', text: 'Nothing repeated here at all.' },
    ];
    writeFileSync(path('para.jsonl'), `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const r = await run(['dedupe', path('para.jsonl'), '--jobs', '1', '--level', 'paragraph', '--unit', 'line', '--removed', path('para-removed.jsonl'), '--report', path('para.json'), '-q']);
    expect(r.code).toBe(0);
    const pd = new ParagraphDeduplicator();
    const expected = docs.map((d) => ({ ...d, text: pd.process(d.id, d.text).text })).filter((d) => d.text.trim() !== '');
    expect(parseJsonl(r.stdout)).toEqual(expected);
    expect(readJsonl(path('para-removed.jsonl'))).toEqual([{ ...docs[2], duplicateOf: null, unitsRemoved: 1 }]);
    const report = readJson<Report>(path('para.json'));
    expect([report.input, report.kept, report.removed, report.invalid]).toEqual([4, 3, 1, 0]);
    expect(report.stats).toMatchObject({ unitsRemoved: 2, recordsModified: 1, recordsEmptied: 1 });
  });
});

describe('neardup quality', () => {
  const docs = [
    { id: 1, text: 'Buy now!\nBuy now!\nBuy now!' },
    {
      id: 2,
      text:
        'The village library opened a new reading room this winter. It has tall windows, long oak tables and a small ' +
        'kitchen where visitors can make tea.\nThe librarians say the room is full every afternoon, and that the ' +
        'children of the school come on Fridays to hear stories read aloud by volunteers from the town.\nNext year ' +
        'they hope to add a music corner with a piano that was given to the museum by a family from the valley.',
    },
  ];
  const file = path('quality.jsonl');
  writeFileSync(file, `${docs.map((d) => JSON.stringify(d)).join('\n')}\n\n`);

  it('quality FILE adds { pass, reasons } from qualityReport to every record', async () => {
    const r = cli(['quality', file, '-q', '--jobs', '2']);
    expect(r.code).toBe(0);
    const expected = docs.map((d) => {
      const q = qualityReport(d.text);
      return { ...d, quality: { pass: q.pass, reasons: q.reasons } };
    });
    expect(parseJsonl(r.stdout)).toEqual(expected);
  });

  it('quality FILE --filter keeps passing records unchanged and sends the others to --removed', async () => {
    const r = await run(['quality', file, '--jobs', '1', '--filter', '-o', path('good.jsonl'), '--removed', path('bad.jsonl'), '--report', path('q.json'), '--jobs', '1']);
    expect(r.code).toBe(0);
    const pass = docs.map((d) => qualityReport(d.text).pass);
    expect(readJsonl(path('good.jsonl'))).toEqual(docs.filter((_, i) => pass[i]));
    expect(readJsonl(path('bad.jsonl')).map((x) => x['id'])).toEqual(docs.filter((_, i) => !pass[i]).map((d) => d.id));
    const report = readJson<Report & { stats: { passed: number; failed: number; reasons: Record<string, number> } }>(path('q.json'));
    expect(report.kept + report.removed + report.invalid).toBe(report.input);
    expect(report.input).toBe(2);
    expect(report.stats.passed).toBe(pass.filter(Boolean).length);
    expect(report.stats.reasons['dup_line_frac']).toBe(1);
  });

  it('quality --details adds every filter\'s statistics', async () => {
    const r = await run(['quality', file, '--details', '--field', 'q', '-q', '--jobs', '1']);
    expect(r.code).toBe(0);
    const first = parseJsonl(r.stdout)[0]!['q'] as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['pass', 'reasons', 'gopherRepetition', 'gopherQuality', 'c4', 'fineweb']);
  });
});

describe('neardup paragraphs', () => {
  const seed = readFileSync(seedPath, 'utf8');
  const expected = dedupeParagraphs(seed);

  it('paragraphs FILE prints dedupeParagraphs(text).text byte for byte and the removals on stderr', async () => {
    const r = await run(['paragraphs', seedPath]);
    expect(r.code).toBe(0);
    expect(r.stdoutBytes.equals(Buffer.from(expected.text, 'utf8'))).toBe(true);
    expect(r.stderr).toContain(`removed ${expected.removed.length} repeated lines`);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  line ')).length).toBe(expected.removed.length);
  });

  it('paragraphs FILE -o OUT --report R writes the cleaned text and the removals as JSON', async () => {
    const r = await run(['paragraphs', seedPath, '-o', path('seed.txt'), '--report', path('seed.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(path('seed.txt'), 'utf8')).toBe(expected.text);
    const report = readJson<{ removed: number; removals: { start: number; line: number; duplicateOfLine: number }[]; charactersRemoved: number }>(path('seed.json'));
    expect(report.removed).toBe(expected.removed.length);
    expect(report.removals.map((x) => x.start)).toEqual(expected.removed.map((x) => x.start));
    expect(report.charactersRemoved).toBe(seed.length - expected.text.length);
    for (const x of report.removals) {
      expect(x.line).toBe(seed.slice(0, x.start).split('\n').length);
      expect(x.duplicateOfLine).toBeLessThan(x.line);
    }
  });

  it('paragraphs - reads stdin; --unit and --min-length reach dedupeParagraphs', async () => {
    const text = 'Short.\nShort.\nA line that is long enough.\n\nA line that is long enough.\n';
    const r = await run(['paragraphs', '-', '--min-length', '0', '-q'], text);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(dedupeParagraphs(text, { minChars: 0 }).text);
    const p = await run(['paragraphs', '-', '--unit', 'paragraph', '-q'], text);
    expect(p.stdout).toBe(dedupeParagraphs(text, { unit: 'paragraph' }).text);
  });
});
