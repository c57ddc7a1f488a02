/**
 * `neardup dedupe --measure containment` and `--boilerplate`: the CLI gives what the library's `dedupe` gives on
 * the same records, with the boilerplate flags on removed records and in the report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dedupe, type DedupeRunOptions } from '../src/index';
import { mulberry32 } from './helpers/random';
import { readJson, readJsonl, run, tempDir } from './cli.helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());
const path = (name: string): string => join(tmp.dir, name);

/** Letters only: the default normalization folds digits. */
const rand = mulberry32(2026);
const word = (): string => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
const words = (n: number): string => Array.from({ length: n }, word).join(' ');

const HEADER = words(70);
const FOOTER = words(70);
/** 30 articles inside one template (140 template words, 8 of their own), a near copy, a quote, a longer copy. */
const records: { id: string; text: string }[] = [];
for (let i = 0; i < 30; i++) records.push({ id: `a${i}`, text: `${HEADER} ${words(8)} ${FOOTER}` });
const story = words(60);
records.push({ id: 'story', text: story });
records.push({ id: 'quote', text: story.split(' ').slice(10, 40).join(' ') });
records.push({ id: 'longer', text: `${words(30)} ${story} ${words(30)}` });
writeFileSync(path('in.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** Runs `neardup dedupe in.jsonl ARGS` and returns the removed records and the report. */
async function dedupeCli(name: string, args: string[]): Promise<{ removed: Record<string, unknown>[]; report: Record<string, any> }> {
  const r = await run(['dedupe', path('in.jsonl'), '-o', path(`${name}.out`), '--removed', path(`${name}.removed`), '--report', path(`${name}.json`), '-q', '--jobs', '1', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { removed: readJsonl(path(`${name}.removed`)), report: readJson(path(`${name}.json`)) };
}

/** The library's answer as removed records: id, duplicateOf, similarity. */
function library(options: DedupeRunOptions): { id: unknown; duplicateOf: unknown; similarity: unknown }[] {
  return dedupe(records, options).duplicates.map((d) => ({ id: d.id, duplicateOf: d.duplicateOf, similarity: d.similarity }));
}
const pick = (removed: Record<string, unknown>[]) => removed.map((r) => ({ id: r['id'], duplicateOf: r['duplicateOf'], similarity: r['similarity'] }));

describe('neardup dedupe --measure', () => {
  it('--measure containment removes the quote (contained in the story) and agrees with dedupe(docs, { measure })', async () => {
    const { removed, report } = await dedupeCli('containment', ['--measure', 'containment']);
    expect(pick(removed)).toEqual(library({ measure: 'containment' }));
    expect(removed.map((r) => r['id'])).toContain('quote');
    expect(report['options'].detector.measure).toBe('containment');
    // Jaccard keeps the quote: 30 of 60 words is no whole-document copy.
    expect(pick((await dedupeCli('jaccard', [])).removed).map((r) => r.id)).not.toContain('quote');
  });

  it('--measure containment --keep longest keeps the longest text that contains the others', async () => {
    const { removed } = await dedupeCli('longest', ['--measure', 'containment', '--keep', 'longest']);
    expect(pick(removed)).toEqual(library({ measure: 'containment', keep: 'longest' }));
    expect(removed.filter((r) => r['id'] === 'story' || r['id'] === 'quote').map((r) => r['duplicateOf'])).toEqual(['longer', 'longer']);
  });

  it('refuses --measure containment with --method simhash or --no-verify, naming the flag (exit 2)', async () => {
    const simhash = await run(['dedupe', path('in.jsonl'), '--measure', 'containment', '--method', 'simhash', '--simhash-max-distance', '6']);
    expect([simhash.code, simhash.stderr]).toEqual([2, 'neardup: --method must be "minhash" or "exact" with measure "containment" (SimHash estimates Jaccard, not containment), got "simhash"\n']);
    const noVerify = await run(['dedupe', path('in.jsonl'), '--measure', 'containment', '--no-verify']);
    expect([noVerify.code, noVerify.stderr]).toEqual([2, 'neardup: --no-verify cannot be used with --measure containment (there is no containment estimate to report)\n']);
    const bad = await run(['dedupe', path('in.jsonl'), '--measure', 'dice']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are jaccard, containment');
  });
});

describe('neardup dedupe --boilerplate', () => {
  it('without it the template joins the articles; --boilerplate leaves the template out and agrees with dedupe(docs, { boilerplate })', async () => {
    const plain = await dedupeCli('plain', []);
    expect(plain.removed.filter((r) => String(r['id']).startsWith('a')).length).toBe(29); // 132 of 144 shingles shared: Jaccard 0.85
    const { removed, report } = await dedupeCli('boilerplate', ['--boilerplate']);
    const lib = dedupe(records, { boilerplate: true });
    expect(pick(removed)).toEqual(lib.duplicates.map((d) => ({ id: d.id, duplicateOf: d.duplicateOf, similarity: d.similarity })));
    expect(removed.filter((r) => String(r['id']).startsWith('a'))).toEqual([]);
    for (const r of removed) expect(r['heldByBoilerplate']).toBe(false);
    expect(report['stats'].boilerplateShingles).toBe(lib.boilerplate!.shingles);
    expect(report['stats'].boilerplateClusters).toBe(0);
    expect(report['options'].boilerplate).toEqual({ maxDocFrequency: 0.005, minDocuments: 20, sampleSize: 20000, discount: true });
  });

  it('--boilerplate-flag-only matches on every shingle and marks the clusters the template holds (heldByBoilerplate), as the library does', async () => {
    const { removed, report } = await dedupeCli('flag', ['--boilerplate-flag-only']);
    const lib = dedupe(records, { boilerplate: { discount: false } });
    expect(pick(removed)).toEqual(lib.duplicates.map((d) => ({ id: d.id, duplicateOf: d.duplicateOf, similarity: d.similarity })));
    const heldBy = new Map(lib.clusters.map((c) => [c.kept, c.heldByBoilerplate]));
    for (const r of removed) expect(r['heldByBoilerplate'], String(r['id'])).toBe(heldBy.get(r['duplicateOf'] as string));
    expect(removed.filter((r) => r['heldByBoilerplate'] === true).map((r) => r['duplicateOf'])).toEqual(Array(29).fill('a0'));
    expect(report['stats'].boilerplateClusters).toBe(lib.boilerplate!.clusters);
    expect(report['stats'].boilerplateClusters).toBe(1);
  });

  it('--boilerplate-min-documents and --boilerplate-max-doc-frequency reach the library; bad values name the flag (exit 2)', async () => {
    // A template in 30 records is not boilerplate when 31 are needed: the articles are joined again.
    const { removed, report } = await dedupeCli('min', ['--boilerplate-min-documents', '31']);
    expect(report['stats'].boilerplateShingles).toBe(0);
    expect(removed.filter((r) => String(r['id']).startsWith('a')).length).toBe(29);
    const high = await dedupeCli('freq', ['--boilerplate-max-doc-frequency', '0.95']);
    expect(high.report['stats'].boilerplateShingles).toBe(0);
    const range = await run(['dedupe', path('in.jsonl'), '--boilerplate-max-doc-frequency', '2']);
    expect([range.code, range.stderr]).toEqual([2, 'neardup: --boilerplate-max-doc-frequency must be a number greater than 0 and at most 1, got 2\n']);
    const min = await run(['dedupe', path('in.jsonl'), '--boilerplate', '--boilerplate-min-documents', '1']);
    expect([min.code, min.stderr]).toEqual([2, 'neardup: --boilerplate-min-documents must be an integer of at least 2, got 1\n']);
    const paragraph = await run(['dedupe', path('in.jsonl'), '--boilerplate', '--level', 'paragraph']);
    expect([paragraph.code, paragraph.stderr]).toEqual([2, 'neardup: --boilerplate (and its --boilerplate-* options) works at --level document only\n']);
  });
});
