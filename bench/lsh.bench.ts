/**
 * LshIndex: insert and query throughput, per-query latency (p50/p99), heap bytes per indexed document and
 * recall at 10^5 and 10^6 signatures of 128 values, and the same inputs through a naive
 * `Map<string, Set<id>>`-per-band index (the design of the JS peers) at 10^5.
 *
 * Inputs are synthetic MinHash signatures from a seeded integer hash (no text): documents come in pairs,
 * the second a variant of the first that keeps each value with probability 0.9 (expected Jaccard 0.9).
 * Each query is a fresh 0.9-variant of a random stored document, so its target is found with probability
 * `collisionProbability(0.9)`; a quarter of the queries are unrelated signatures (misses).
 * Signatures are generated on the fly into one reused buffer, so the heap measured is the index alone.
 */
import { LshIndex } from '../src/index';
import type { MinHashSignature } from '../src/minhash/types';
import { consume, formatNumber, fullGc, heapBytes, median, quantile, table, time } from './harness';
import { fmix32 } from '../src/hash/murmur3';

const NUM_PERM = 128;
const SIMILARITY = 0.9;
const SEED = 0x5eed;

/** A 32-bit integer hash of two words (murmur3 fmix of a combination): the seeded source of every value. */
function h2(a: number, b: number): number {
  return fmix32(Math.imul(a, 0x9e3779b1) ^ Math.imul(b + SEED, 0x85ebca77));
}

/** Document `i`'s signature: pairs (2k, 2k+1) share each value with probability SIMILARITY. */
function docInto(i: number, out: Uint32Array): void {
  const base = i & ~1;
  for (let j = 0; j < NUM_PERM; j++) out[j] = h2(base, j);
  if (i & 1) variantInto(out, i, 0x1111);
}

/** Replaces each value with probability 1 − SIMILARITY, from stream `(tag, salt)`. */
function variantInto(out: Uint32Array, tag: number, salt: number): void {
  const keep = SIMILARITY * 2 ** 32;
  for (let j = 0; j < NUM_PERM; j++) {
    if (h2(tag ^ salt, j * 2 + 1) >= keep) out[j] = h2(tag + salt, j * 2 + 7) ^ 0xa5a5a5a5;
  }
}

interface QuerySet {
  sigs: MinHashSignature[];
  targets: Int32Array; // the stored doc each query is a variant of, or -1 for a miss
}

function makeQueries(n: number, count: number): QuerySet {
  const sigs: MinHashSignature[] = [];
  const targets = new Int32Array(count);
  for (let q = 0; q < count; q++) {
    const values = new Uint32Array(NUM_PERM);
    if (q % 4 === 3) {
      for (let j = 0; j < NUM_PERM; j++) values[j] = h2(0x7fffffff - q, j);
      targets[q] = -1;
    } else {
      const t = h2(q, 0xabcdef) % n;
      docInto(t, values);
      variantInto(values, q, 0x2222);
      targets[q] = t;
    }
    sigs.push({ values, numPerm: NUM_PERM, seed: 1, scheme: 'fast' });
  }
  return { sigs, targets };
}

const hasGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === 'function';

/** The peers' design: per band, `Map<string, Set<id>>` keyed by the band's values joined with commas. */
class NaiveLsh {
  private readonly tables: Map<string, Set<number>>[] = [];
  constructor(private readonly bands: number, private readonly rows: number) {
    for (let b = 0; b < bands; b++) this.tables.push(new Map());
  }
  private key(values: Uint32Array, b: number): string {
    return values.subarray(b * this.rows, (b + 1) * this.rows).join(',');
  }
  insert(id: number, values: Uint32Array): void {
    for (let b = 0; b < this.bands; b++) {
      const k = this.key(values, b);
      const t = this.tables[b]!;
      let set = t.get(k);
      if (!set) t.set(k, (set = new Set()));
      set.add(id);
    }
  }
  query(values: Uint32Array): number[] {
    const out = new Set<number>();
    for (let b = 0; b < this.bands; b++) {
      const set = this.tables[b]!.get(this.key(values, b));
      if (set) for (const id of set) out.add(id);
    }
    return [...out];
  }
}

interface Measured {
  label: string;
  n: number;
  insertPerSec: number;
  queryPerSec: number;
  p50us: number;
  p99us: number;
  bytesPerDoc: number;
  recall: number;
  candidates: number;
}

/** Builds an index of n documents, measuring insert time and heap; then queries. */
function measure(
  label: string,
  n: number,
  queries: QuerySet,
  make: () => { insert: (id: number, sig: MinHashSignature) => void; query: (sig: MinHashSignature) => number[]; index?: LshIndex },
): { m: Measured; keep: unknown } {
  const scratch: MinHashSignature = { values: new Uint32Array(NUM_PERM), numPerm: NUM_PERM, seed: 1, scheme: 'fast' };
  fullGc();
  const before = heapBytes();
  const index = make();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    docInto(i, scratch.values);
    index.insert(i, scratch);
  }
  const insertMs = performance.now() - t0;
  fullGc();
  const bytesPerDoc = (heapBytes() - before) / n;

  // Throughput: the whole query set, median of repeats.
  const { sigs, targets } = queries;
  const t = time(() => {
    let acc = 0;
    for (const s of sigs) acc += index.query(s).length;
    return acc;
  }, { warmup: 1, repeats: 5 });
  // Latency: each query timed alone.
  const lat: number[] = [];
  let found = 0;
  let planted = 0;
  let candidates = 0;
  for (let q = 0; q < sigs.length; q++) {
    const s0 = performance.now();
    const ids = index.query(sigs[q]!);
    lat.push((performance.now() - s0) * 1000);
    candidates += ids.length;
    if (targets[q]! >= 0) {
      planted++;
      if (ids.includes(targets[q]!)) found++;
    }
    consume(ids);
  }
  return {
    m: {
      label,
      n,
      insertPerSec: n / (insertMs / 1000),
      queryPerSec: sigs.length / (t.medianMs / 1000),
      p50us: median(lat),
      p99us: quantile(lat, 0.99),
      bytesPerDoc,
      recall: found / planted,
      candidates: candidates / sigs.length,
    },
    keep: index,
  };
}

export default async function run(): Promise<string> {
  const rows: (string | number)[][] = [];
  const results: Measured[] = [];
  const defaults = new LshIndex();
  const expectedRecall = defaults.collisionProbability(SIMILARITY);
  const notes: string[] = [];
  let serial: (string | number)[][] = [];

  for (const n of [100_000, 1_000_000]) {
    const queries = makeQueries(n, 20_000);
    const ours = measure(`neardup LshIndex (${defaults.bands}×${defaults.rows})`, n, queries, () => {
      const index = new LshIndex();
      return { insert: (id, s) => index.insert(id, s), query: (s) => index.query(s) as number[], index };
    });
    results.push(ours.m);
    if (n === 100_000) {
      const index = (ours.keep as { index: LshIndex }).index;
      consume(index.size);
      const w = time(() => index.toBytes(), { warmup: 1, repeats: 3 });
      const bytes = index.toBytes();
      const r = time(() => LshIndex.fromBytes(bytes), { warmup: 1, repeats: 3 });
      serial = [[formatNumber(n), bytes.length / n, w.medianMs, r.medianMs]];
    }
    ours.keep = undefined;
    fullGc();
    if (n === 100_000) {
      // Memory grows with the number of bands: a recall-oriented index for comparison.
      const recallIndex = new LshIndex({ threshold: 0.8, minRecall: 0.95 });
      const rec = measure(`neardup LshIndex, minRecall 0.95 at 0.8 (${recallIndex.bands}×${recallIndex.rows})`, n, queries, () => {
        const index = new LshIndex({ threshold: 0.8, minRecall: 0.95 });
        return { insert: (id, s) => index.insert(id, s), query: (s) => index.query(s) as number[] };
      });
      results.push(rec.m);
      rec.keep = undefined;
      fullGc();
      const naive = measure(`naive Map<string, Set> per band (${defaults.bands}×${defaults.rows})`, n, queries, () => {
        const index = new NaiveLsh(defaults.bands, defaults.rows);
        return { insert: (id, s) => index.insert(id, s.values), query: (s) => index.query(s.values) };
      });
      results.push(naive.m);
      naive.keep = undefined;
      fullGc();
      const ratio = (f: (m: Measured) => number): string => (f(ours.m) / f(naive.m)).toFixed(1);
      notes.push(
        `At 10^5 neardup vs naive: inserts ${ratio((m) => m.insertPerSec)}× faster, queries ` +
          `${ratio((m) => m.queryPerSec)}× faster, ${(naive.m.bytesPerDoc / ours.m.bytesPerDoc).toFixed(1)}× less memory ` +
          '(the naive index is not run at 10^6: it would need several GB).',
      );
    }
  }
  for (const m of results) {
    rows.push([m.label, formatNumber(m.n), m.insertPerSec, m.queryPerSec, m.p50us, m.p99us, Math.round(m.bytesPerDoc), m.recall, m.candidates]);
  }

  return [
    '## LSH index (`LshIndex`)',
    '',
    `Signatures of ${NUM_PERM} values from a seeded integer hash; documents in pairs of expected Jaccard ${SIMILARITY};`,
    'queries are fresh 0.9-variants of random stored documents (¾) or unrelated signatures (¼), 20,000 per size.',
    'Inserts/s over one build; queries/s median of 5 passes; latency of each query timed alone; bytes per document',
    `= growth of V8 heap + ArrayBuffers across the build, after \`gc()\`${hasGc() ? '' : ' (**gc unavailable: run with --expose-gc**)'}, numeric ids.`,
    `Recall = planted targets returned (expected \`collisionProbability(0.9)\` = ${expectedRecall.toFixed(3)} for 9×13, higher for 13×7);`,
    'candidates = mean ids returned per query (targets, their pair partners, and rare chance collisions).',
    '',
    table(['index', 'documents', 'inserts/s', 'queries/s', 'p50 µs', 'p99 µs', 'bytes/doc', 'recall', 'candidates/query'], rows),
    '',
    ...notes,
    '',
    'Goals (issue 3): p50 query < 50 µs at 10^6; ≤ 600 bytes per document at 128 perms (defaults).',
    '',
    'Serialization (`toBytes` / `fromBytes`, defaults):',
    '',
    table(['documents', 'bytes/doc serialized', 'toBytes ms', 'fromBytes ms'], serial),
  ].join('\n');
}
