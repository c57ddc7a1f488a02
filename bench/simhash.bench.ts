/**
 * SimHash: fingerprints per second on the Debian English word-5-gram shingle sets (simhash-js from text for
 * scale), then SimHashIndex insert and query throughput, query latency and memory at 10^5 and 10^6 fingerprints.
 */
import { createRequire } from 'node:module';
import * as api from '../src/index';
import { SimHashIndex, simhash, xxh32 } from '../src/index';
import { fullGc, heapBytes, median, quantile, rng, table, time } from './harness';
import { debianEnglish } from './data';

const require = createRequire(import.meta.url);
const { SimHash } = require('simhash-js') as { SimHash: new () => { hash(text: string): number } };

type ShinglesFn = (text: string, options: { unit: 'word'; size: number }) => Uint32Array;

function shingler(): { fn: ShinglesFn; label: string } {
  const real = (api as Record<string, unknown>)['shingles'] as ShinglesFn | undefined;
  if (typeof real === 'function') return { fn: real, label: "neardup `shingles(text, { unit: 'word', size: 5 })`" };
  const fn: ShinglesFn = (text, { size }) => {
    const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
    const out = new Set<number>();
    if (words.length < size) out.add(xxh32(words.join(' ')));
    for (let i = 0; i + size <= words.length; i++) out.add(xxh32(words.slice(i, i + size).join(' ')));
    return Uint32Array.from(out).sort();
  };
  return { fn, label: 'a local stand-in (src/shingle was not exported yet): lower-cased whitespace-separated words, xxh32 of each 5-gram' };
}

const heap = (): number => {
  fullGc();
  return heapBytes();
};

export default async function run(): Promise<string> {
  const { fn: shingles, label } = shingler();
  const N = 8000;
  const M = 800;
  const texts = debianEnglish(N).map((d) => d.text);
  const sets = texts.map((t) => shingles(t, { unit: 'word', size: 5 }));
  const mb = (count: number): number => texts.slice(0, count).reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  const rand = rng(7);
  const weights = sets.map((s) => Float64Array.from(s, () => 1 + Math.floor(rand() * 5)));

  const rows: (string | number)[][] = [];
  const rate: Record<string, number> = {};
  const measure = (name: string, count: number, fn: (i: number) => unknown, repeats = 5): void => {
    const t = time(() => {
      let acc = 0;
      for (let i = 0; i < count; i++) acc ^= Number(fn(i) as number | bigint) | 0;
      return acc;
    }, { warmup: 1, repeats });
    rate[name] = count / (t.medianMs / 1000);
    rows.push([name, count, rate[name]!, mb(count) / (t.medianMs / 1000)]);
  };
  measure('neardup simhash(shingles) (64-bit)', N, (i) => simhash(sets[i]!) & 0xffn);
  measure('neardup simhash(shingles, { weights }) (64-bit)', N, (i) => simhash(sets[i]!, { weights: weights[i]! }) & 0xffn);
  measure('neardup simhash(shingles(text)) (64-bit, from text)', N, (i) => simhash(shingles(texts[i]!, { unit: 'word', size: 5 })) & 0xffn);
  const sim = new SimHash();
  measure('simhash-js hash(text) (32-bit, from text)', M, (i) => sim.hash(texts[i]!), 3);
  const base = rate['neardup simhash(shingles) (64-bit)']!;
  const fpRows = rows.map((r) => [...r, `${(base / rate[r[0] as string]!).toFixed(1)}×`]);

  // ---- the index -----------------------------------------------------------------------------------------
  // Stored fingerprints: seeded random 64-bit values. Queries: 10,000, half a stored fingerprint with 0–4 random
  // bits flipped (so about half of those are within distance 3), half fresh random values.
  const indexRows: (string | number)[][] = [];
  const randomFp = (r: () => number): bigint => (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  for (const [count, blocks] of [[100_000, 4], [100_000, 5], [100_000, 6], [1_000_000, 4], [1_000_000, 5]] as const) {
    const r = rng(count + blocks);
    const fps = Array.from({ length: count }, () => randomFp(r));
    const queries = Array.from({ length: 10_000 }, (_, q) => {
      if (q % 2) return randomFp(r);
      let fp = fps[Math.floor(r() * count)]!;
      const flips = Math.floor(r() * 5);
      for (let f = 0; f < flips; f++) fp ^= 1n << BigInt(Math.floor(r() * 64));
      return fp;
    });
    const before = heap();
    let index = new SimHashIndex({ maxDistance: 3, blocks });
    const t0 = performance.now();
    for (let i = 0; i < count; i++) index.insert(i, fps[i]!);
    const insertMs = performance.now() - t0;
    const bytesPer = (heap() - before) / count;
    const lat: number[] = [];
    let found = 0;
    for (let pass = 0; pass < 2; pass++) {
      lat.length = 0;
      found = 0;
      for (const q of queries) {
        const s = performance.now();
        found += index.query(q).length;
        lat.push(performance.now() - s);
      }
    }
    const total = lat.reduce((a, b) => a + b, 0);
    indexRows.push([
      count.toLocaleString('en-US'), `${blocks} (${index.tables} tables)`, count / (insertMs / 1000), queries.length / (total / 1000),
      median(lat) * 1000, quantile(lat, 0.99) * 1000, found / queries.length, bytesPer,
    ]);
    index = new SimHashIndex();
  }

  return [
    '## SimHash',
    '',
    `Fingerprints of the first ${N.toLocaleString('en-US')} Debian English descriptions (${mb(N).toFixed(2)} MB), word 5-grams from ${label}, ` +
      `shingled once outside the timings except in the "from text" rows. Weights: seeded integers 1–5 per shingle. ` +
      `simhash-js (first ${M} documents) takes text only, shingles it its own way (4-character shingles, 128 kept) and returns 32 bits: listed for scale.`,
    '',
    table(['method', 'docs', 'fingerprints/s', 'MB/s of text', 'neardup simhash ÷ this'], fpRows),
    '',
    '### SimHashIndex (maxDistance 3)',
    '',
    'Seeded random 64-bit fingerprints; 10,000 queries, half a stored fingerprint with 0–4 flipped bits, half random; ' +
      'latency is per `query()` call (median of the second of two passes). Memory: heap plus array buffers after inserting, per fingerprint (ids are numbers).',
    '',
    table(['fingerprints', 'blocks', 'inserts/s', 'queries/s', 'p50 µs', 'p99 µs', 'results/query', 'bytes/fingerprint'], indexRows),
  ].join('\n');
}
