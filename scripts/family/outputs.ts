/**
 * Prints one line per case: a digest of everything `dedupe()` returns (kept ids, duplicates with `duplicateOf`,
 * similarity and `exact`, clusters, every stat but `milliseconds`), for an equality check between two checkouts:
 *
 *   npx tsx scripts/family/outputs.ts > /tmp/new.txt   (in each checkout; then diff the files)
 *
 * Cases: the family bench's corpora (1% and 3% edits, N = 1k … 50k), the planted corpus of `bench/dedupe.bench.ts`,
 * the Debian descriptions, and option variants that stress the candidate ranking (few verifications, a small
 * candidate budget, other bandings, no verification, connected clustering). Pass case-name prefixes to run a subset.
 */
import { createHash } from 'node:crypto';
import { dedupe, type DedupeOptions } from '../../src/index';
import { plantedCorpus, vocabularyFrom } from '../../bench/corpus';
import { debianEnglish } from '../../bench/data';
import { corpus } from '../../bench/family.bench';

type Input = { id: number | string; text: string };
const debian = debianEnglish().map((d) => d.text);
const vocab = vocabularyFrom(debian.slice(0, 20000));
const cases: [string, () => Input[], DedupeOptions & { clustering?: 'greedy' | 'connected' }][] = [];
for (const rate of [0.01, 0.03]) {
  for (const n of [1000, 2000, 5000, 10000, 50000]) cases.push([`family ${rate * 100}% N=${n}`, () => corpus(n, rate, debian, vocab), {}]);
}
const variants: [string, DedupeOptions & { clustering?: 'greedy' | 'connected' }][] = [
  ['connected', { clustering: 'connected' }],
  ['maxVerifications 3', { maxVerifications: 3 }],
  ['maxVerifications 1 connected', { maxVerifications: 1, clustering: 'connected' }],
  ['maxCandidates 200', { maxCandidates: 200, maxVerifications: 16 }],
  ['numPerm 64', { numPerm: 64 }],
  ['numPerm 102 bands 17x6', { numPerm: 102, bands: 17, rows: 6, maxVerifications: 8 }],
  ['verify false', { verify: false }],
  ['threshold 0.9', { threshold: 0.9, maxVerifications: 5 }],
];
for (const rate of [0.01, 0.03]) {
  for (const [name, options] of variants) cases.push([`family ${rate * 100}% N=5000 ${name}`, () => corpus(5000, rate, debian, vocab), options]);
}
const planted = plantedCorpus(2026, 2000, 5, vocab).map((d, i) => ({ id: i, text: d.text }));
for (const [name, options] of [['', {}], ...variants] as const) cases.push([`planted ${name}`.trim(), () => planted, options]);
const deb = debian.map((text, id) => ({ id, text }));
for (const [name, options] of [['', {}], ...variants] as const) cases.push([`debian ${name}`.trim(), () => deb, options]);

const only = process.argv.slice(2);
for (const [name, docs, options] of cases) {
  if (only.length > 0 && !only.some((p) => name.startsWith(p))) continue;
  const result = dedupe(docs(), options);
  const { milliseconds, ...stats } = result.stats;
  const digest = createHash('sha256').update(JSON.stringify([result.kept, result.duplicates, result.clusters])).digest('hex').slice(0, 16);
  console.log(`${name}\t${digest}\t${JSON.stringify(stats)}\t${Math.round(milliseconds)} ms`);
}
