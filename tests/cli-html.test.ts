import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, readJson, tempDir } from './cli.helpers';

const tmp = tempDir('neardup-cli-html-');
afterAll(() => tmp.remove());

const records = [
  { id: 'a', text: 'Wagner Group announces strategic withdrawal from Mali amid ongoing security challenges in the region.' },
  { id: 'b', text: 'WAGNER GROUP ANNOUNCES STRATEGIC WITHDRAWAL FROM MALI, AMID ONGOING SECURITY CHALLENGES IN THE REGION!' },
  { id: 'c', text: 'Wagner Group announces strategic withdrawal from Mali amid ongoing security challenges in the region, sources say.' },
  { id: 'd', text: 'Africa Corps, a rival Russian mercenary group, remains in Mali.' },
];
const input = join(tmp.dir, 'in.jsonl');
writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** The embedded report data of a page. */
const dataOf = (html: string): Record<string, unknown> => JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!);

describe('neardup dedupe|quality --html FILE', () => {
  it('neardup dedupe --html writes the page with the same counts as --report', () => {
    const html = join(tmp.dir, 'r.html');
    const json = join(tmp.dir, 'r.json');
    const r = cli(['dedupe', input, '-q', '-o', join(tmp.dir, 'kept.jsonl'), '--report', json, '--html', html]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const data = dataOf(readFileSync(html, 'utf8')) as { counts: Record<string, number>; samples: { id: string; kept: { text: string } }[] };
    const report = readJson<{ input: number; kept: number; removed: number }>(json);
    expect(data.counts).toMatchObject({ input: report.input, kept: report.kept, removed: report.removed, exact: 1, near: 1 });
    expect(data.samples.map((s) => [s.id, s.kept.text])).toEqual([['b', records[0]!.text], ['c', records[0]!.text]]);
  });

  it('neardup quality --html writes the page with the same counts as --report', () => {
    const html = join(tmp.dir, 'q.html');
    const json = join(tmp.dir, 'q.json');
    const r = cli(['quality', input, '-q', '-o', '/dev/null', '--report', json, '--html', html]);
    expect(r.code).toBe(0);
    const data = dataOf(readFileSync(html, 'utf8')) as { counts: Record<string, number>; reasons: Record<string, number> };
    const report = readJson<{ input: number; stats: { passed: number; failed: number; reasons: Record<string, number> } }>(json);
    expect(data.counts).toEqual({ input: report.input, pass: report.stats.passed, fail: report.stats.failed, invalid: 0 });
    expect(data.reasons).toEqual(report.stats.reasons);
  });

  it('neardup quality --filters c4 --html counts the run\'s verdict, as --report does', () => {
    const html = join(tmp.dir, 'q4.html');
    const json = join(tmp.dir, 'q4.json');
    const r = cli(['quality', input, '-q', '--filters', 'c4', '-o', '/dev/null', '--report', json, '--html', html]);
    expect(r.code).toBe(0);
    const data = dataOf(readFileSync(html, 'utf8')) as { counts: Record<string, number>; reasons: Record<string, number> };
    const report = readJson<{ stats: { passed: number; failed: number; reasons: Record<string, number> } }>(json);
    expect([data.counts.pass, data.counts.fail, data.reasons]).toEqual([report.stats.passed, report.stats.failed, report.stats.reasons]);
  });

  it('neardup dedupe --html shows records without an id under their line number', () => {
    const noIds = join(tmp.dir, 'noids.jsonl');
    writeFileSync(noIds, records.map((r) => JSON.stringify({ text: r.text })).join('\n') + '\n');
    const html = join(tmp.dir, 'noids.html');
    expect(cli(['dedupe', noIds, '-q', '-o', '/dev/null', '--html', html]).code).toBe(0);
    const data = dataOf(readFileSync(html, 'utf8')) as { samples: { id: unknown; duplicateOf: unknown; kept: { text: string } }[] };
    expect(data.samples.map((s) => [s.id, s.duplicateOf, s.kept.text])).toEqual([[2, 1, records[0]!.text], [3, 1, records[0]!.text]]);
  });

  it('neardup dedupe --html: usage errors (exit 2) for stdout, paragraph level and a path shared with another output; nothing written', () => {
    const before = readdirSync(tmp.dir).sort();
    const cases: [string[], RegExp][] = [
      [['--html', '-'], /--html needs a file name/],
      [['--level', 'paragraph', '--html', join(tmp.dir, 'p.html')], /--html needs --level document/],
      [['--report', join(tmp.dir, 'same.html'), '--html', join(tmp.dir, 'same.html')], /--report and --html name the same file/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['dedupe', input, '-q', '-o', '/dev/null', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(tmp.dir).sort()).toEqual(before);
  });

  it('neardup dedupe --html: a run stopped by an invalid line leaves no page (nor a temporary file)', () => {
    const bad = join(tmp.dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(records[0])}\n{"id": "x", "text": 42}\n`);
    const html = join(tmp.dir, 'bad.html');
    const r = cli(['dedupe', bad, '-q', '-o', '/dev/null', '--html', html]);
    expect(r.code).toBe(1);
    expect(existsSync(html)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
