/**
 * The library options the CLI exposes (MinHash recall and scheme, SimHash distance, verification, quality filter
 * selection and overrides), their usage errors (exit 2, naming the flag), and `--level paragraph`'s default unit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { c4Quality, qualityReport } from '../src/quality';
import { parseJsonl, readJson, run, tempDir } from './cli.helpers';

const tmp = tempDir('neardup-options-');
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

const A = 'The river flows through the old city past the library and the museum before it reaches the harbour';
const B = 'Africa Corps, a rival Russian mercenary group, remains in Mali after the withdrawal of the others';

beforeAll(() => {
  writeFileSync(path('corpus.jsonl'), `${[JSON.stringify({ id: 1, text: A }), JSON.stringify({ id: 2, text: `${A}, they say` }), JSON.stringify({ id: 3, text: B })].join('\n')}\n`);
});

describe('dedupe: detector options', () => {
  it('--min-recall, --scheme, --simhash-max-distance, --no-verify, --edit-ratio-max-length reach the detector', async () => {
    const r = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '-q', '--min-recall', '0.9', '--scheme', 'classic', '--simhash-max-distance', '9', '--no-verify', '--edit-ratio-max-length', '40', '--report', path('r.json'), '-o', path('r.out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = readJson<{ options: { detector: Record<string, unknown> } }>(path('r.json'));
    expect(report.options.detector).toMatchObject({ minRecall: 0.9, scheme: 'classic', maxDistance: 9, verify: false, editRatioMaxLength: 40 });
  });

  it('defaults are the library defaults (verify on; maxDistance derived from the threshold: 15 at 0.8)', async () => {
    await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '-q', '--report', path('d.json'), '-o', path('d.out')]);
    expect(readJson<{ options: { detector: Record<string, unknown> } }>(path('d.json')).options.detector).toMatchObject({ minRecall: 0.95, scheme: 'fast', maxDistance: 15, verify: true });
  });

  it('--bands/--rows set the LSH banding, --max-candidates/--max-verifications the bounds', async () => {
    const r = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '-q', '--bands', '16', '--rows', '8', '--max-candidates', '100', '--max-verifications', '3', '--report', path('b.json'), '-o', path('b.out')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readJson<{ options: { detector: Record<string, unknown> } }>(path('b.json')).options.detector).toMatchObject({ bands: 16, rows: 8, maxCandidates: 100, maxVerifications: 3 });
  });

  it('half a banding, or one that does not fit --num-perm, is a usage error naming the flag', async () => {
    const half = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '--bands', '16']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--rows must be given together with --bands, got undefined');
    const big = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', '--bands', '20', '--rows', '7']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--rows must be at most --num-perm / --bands = 6 (bands × rows must not exceed numPerm 128), got 7');
  });

  for (const [flag, value] of [['--max-candidates', '0'], ['--max-verifications', '0'], ['--min-recall', '0'], ['--min-recall', '1.5'], ['--simhash-max-distance', '63'], ['--edit-ratio-max-length', '-1'], ['--scheme', 'slow']] as const) {
    it(`${flag} ${value} is a usage error (exit 2) naming ${flag}`, async () => {
      const r = await run(['dedupe', path('corpus.jsonl'), '--jobs', '1', flag, value]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(flag);
    });
  }
});

describe('dedupe --level paragraph', () => {
  it('cuts whole paragraphs by default, never a hard-wrapped sentence in the middle', async () => {
    const shared = 'This package is part of the suite of tools\nthat the project ships for every release.';
    const lines = [
      JSON.stringify({ id: 1, text: `First tool for parsing files.\n\n${shared}` }),
      JSON.stringify({ id: 2, text: `Second tool for writing files.\n\n${shared}` }),
      // Shares one wrapped line with the paragraph above, but is another paragraph: kept whole.
      JSON.stringify({ id: 3, text: 'Third tool.\n\nThis package is part of the suite of tools\nthat a different team maintains on its own.' }),
    ];
    writeFileSync(path('wrapped.jsonl'), `${lines.join('\n')}\n`);
    const r = await run(['dedupe', path('wrapped.jsonl'), '--level', 'paragraph', '--min-length', '10', '--jobs', '1', '-q']);
    expect(r.code).toBe(0);
    const out = parseJsonl(r.stdout).map((x) => x['text']);
    expect(out).toEqual([`First tool for parsing files.\n\n${shared}`, 'Second tool for writing files.', 'Third tool.\n\nThis package is part of the suite of tools\nthat a different team maintains on its own.']);
    // --unit line is still there for line-oriented text, and cuts line 1 of record 3's paragraph.
    const byLine = await run(['dedupe', path('wrapped.jsonl'), '--level', 'paragraph', '--unit', 'line', '--min-length', '10', '--jobs', '1', '-q']);
    expect(parseJsonl(byLine.stdout)[2]!['text']).toBe('Third tool.\n\nthat a different team maintains on its own.');
  });
});

describe('quality: --filters and --set', () => {
  const short = 'Too short to pass.';
  beforeAll(() => writeFileSync(path('q.jsonl'), `${JSON.stringify({ id: 1, text: short })}\n`));

  it('--filters c4 decides pass/fail with C4 alone, as c4Quality does', async () => {
    const r = await run(['quality', path('q.jsonl'), '--filters', 'c4', '--details', '--jobs', '1', '-q']);
    expect(r.code).toBe(0);
    const [rec] = parseJsonl(r.stdout) as { quality: Record<string, unknown> }[];
    const c4 = c4Quality(short);
    expect(rec!.quality).toEqual({ pass: c4.pass, reasons: c4.reasons, c4: JSON.parse(JSON.stringify(qualityReport(short).c4)) });
  });

  it('--set filter.option=value overrides a threshold (null disables a rule), as the library option does', async () => {
    const r = await run(['quality', path('q.jsonl'), '--filters', 'gopher-quality,c4', '--set', 'gopher-quality.minDocWords=null', '--set', 'c4.minWordsPerLine=1', '--set', 'c4.minNumSentences=1', '--jobs', '1', '-q']);
    expect(r.code).toBe(0);
    const expected = qualityReport(short, { gopherQuality: { minDocWords: null }, c4: { minWordsPerLine: 1, minNumSentences: 1 } });
    const [rec] = parseJsonl(r.stdout) as { quality: { pass: boolean; reasons: string[] } }[];
    expect(rec!.quality).toEqual({ pass: expected.gopherQuality.pass && expected.c4.pass, reasons: [...expected.gopherQuality.reasons, ...expected.c4.reasons] });
  });

  for (const args of [['--filters', 'c5'], ['--filters', ','], ['--set', 'c4.minWordsPerLine'], ['--set', 'c9.minWordsPerLine=3'], ['--set', 'c4.minWordsPreLine=3'], ['--set', 'c4.splitParagraph=3']]) {
    it(`quality ${args.join(' ')} is a usage error (exit 2) naming ${args[0]}`, async () => {
      const r = await run(['quality', path('q.jsonl'), '--jobs', '1', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(args[0]);
    });
  }

  it('the report records the filters and the overrides', async () => {
    await run(['quality', path('q.jsonl'), '--filters', 'fineweb', '--set', 'fineweb.linePunctThr=0.5', '--jobs', '1', '-q', '--report', path('q.json'), '-o', path('q.out')]);
    const report = JSON.parse(readFileSync(path('q.json'), 'utf8')) as { options: Record<string, unknown> };
    expect(report.options).toMatchObject({ filters: ['fineweb'], fineweb: { linePunctThr: 0.5 } });
  });
});
