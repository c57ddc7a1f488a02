/**
 * Text → MinHash signature (word 5-grams, 128 permutations), end to end and stage by stage, on the Debian English
 * descriptions; bloom-filters' MinHash and the `minhash` package do their own end-to-end text → signature on the
 * same documents in the same run, with the same word 5-grams built the straightforward way (split the normalized
 * text into words, join each 5-gram into a string, hash it). Issue 3 §5 goal: ≥ 60 MB/s on one core and ≥ 20×
 * bloom-filters end to end.
 */
import { createRequire } from 'node:module';
import { MinHasher, NearDuplicateDetector, normalize, prepareDocument, shingles, xxh32 } from '../src/index';
import { setFssWasmEnabled } from '../src/minhash/kernels';
import { setShingleWasmEnabled } from '../src/shingle/wasm';
import { consume, letterRunCount, median, table } from './harness';
import { debianEnglish } from './data';

const require = createRequire(import.meta.url);
const { MinHashFactory } = require('bloom-filters') as {
  MinHashFactory: new (nbHashes: number, maxValue: number) => { create(): { bulkLoad(values: number[]): void; _signature: number[] } };
};
const { Minhash } = require('minhash') as {
  Minhash: new (config?: { numPerm?: number; seed?: number }) => { update(s: string): void; hashvalues: number[] };
};

/** The word 5-grams of the normalized text as strings: split on the single spaces `normalize` leaves, join. */
function gramStrings(text: string, size = 5): string[] {
  const t = normalize(text);
  if (t.length === 0) return [];
  const ws = t.split(' ');
  if (ws.length < size) return [ws.join(' ')];
  const out: string[] = [];
  for (let i = 0; i + size <= ws.length; i++) out.push(ws.slice(i, i + size).join(' '));
  return out;
}

interface Row {
  name: string;
  docs: number;
  ms: number;
  mb: number;
}

export default async function run(): Promise<string> {
  const N = 20000; // documents for neardup
  const M = 600; // documents for the slow peers: a prefix of the same documents (rates compare per byte and per document)
  const texts = debianEnglish(N).map((d) => d.text);
  const bytes = texts.map((t) => Buffer.byteLength(t));
  const mbOf = (count: number): number => bytes.slice(0, count).reduce((s, b) => s + b, 0) / 1e6;
  const sets = texts.map((t) => shingles(t));
  const hasher = new MinHasher({ numPerm: 128, seed: 1 });
  const factory = new MinHashFactory(128, 2 ** 32);
  const detector = new NearDuplicateDetector(); // default options: word 5-grams, 128 permutations, seed 1
  const wasm = (on: boolean): void => {
    setShingleWasmEnabled(on);
    setFssWasmEnabled(on);
  };

  // Each task is timed over its documents in rounds that alternate between tasks (so that a slower moment of a
  // shared machine does not fall on one task only); the figure is the median round after two warm-up rounds.
  // The speed reference of issue 11: one pass of a Unicode regex that finds the letter runs (no normalization, no
  // hashing: what the simplest Unicode-aware regex tokenizer costs): `letterRunCount`, shared with bench/text.bench.ts.

  const tasks: { name: string; count: number; fn: (i: number) => unknown }[] = [
    { name: 'regex `/\\p{L}+/gu` letter runs (`exec` loop; the speed reference of issue 11, not a tokenization neardup uses)', count: N, fn: (i) => letterRunCount(texts[i]!) },
    { name: 'neardup `normalize(text)`', count: N, fn: (i) => normalize(texts[i]!).length },
    { name: 'neardup `shingles(text)` (normalize, words, hashes, 5-grams, sort)', count: N, fn: (i) => shingles(texts[i]!).length },
    { name: 'neardup `hasher.signature(shingles)` (shingles given)', count: N, fn: (i) => hasher.signature(sets[i]!).values[0] },
    { name: 'neardup end to end: `hasher.signature(shingles(text))`', count: N, fn: (i) => hasher.signature(shingles(texts[i]!)).values[0] },
    {
      name: 'neardup end to end: `detector.prepare(text)` (normalize, xxh64 key, shingles, signature; what `dedupe` does per document)',
      count: N,
      fn: (i) => detector.prepare(texts[i]!).signature![0],
    },
    {
      name: 'neardup end to end: `prepareDocument(text)` (the same, options resolved on every call)',
      count: N,
      fn: (i) => prepareDocument(texts[i]!).signature![0],
    },

    {
      name: 'bloom-filters: 5-gram strings → xxh32 → `MinHashFactory(128).create().bulkLoad`',
      count: M,
      fn: (i) => {
        const m = factory.create();
        m.bulkLoad(Array.from(new Set(gramStrings(texts[i]!).map((g) => xxh32(g)))));
        return m._signature[0];
      },
    },
    {
      name: 'minhash (npm): 5-gram strings → `new Minhash({ numPerm: 128 }).update(gram)` each',
      count: M,
      fn: (i) => {
        const m = new Minhash({ numPerm: 128 });
        for (const g of gramStrings(texts[i]!)) m.update(g);
        return m.hashvalues[0];
      },
    },
  ];
  const samples = tasks.map(() => [] as number[]);
  const ROUNDS = 9;
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (let t = 0; t < tasks.length; t++) {
      const { count, fn } = tasks[t]!;
      const t0 = performance.now();
      let acc = 0;
      for (let i = 0; i < count; i++) acc ^= Number(fn(i) ?? 0) | 0;
      const ms = performance.now() - t0;
      consume(acc);
      if (round >= 2) samples[t]!.push(ms);
    }
  }
  const rows: Row[] = tasks.map((task, t) => ({ name: task.name, docs: task.count, ms: median(samples[t]!), mb: mbOf(task.count) }));
  // The JS kernels last, on their own (running them between the other rows would change what the JIT compiles for those).
  wasm(false);
  const jsSamples: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const t0 = performance.now();
    let acc = 0;
    for (let i = 0; i < N; i++) acc ^= detector.prepare(texts[i]!).signature![0]!;
    const ms = performance.now() - t0;
    consume(acc);
    if (round >= 2) jsSamples.push(ms);
  }
  wasm(true);
  rows.splice(7, 0, {
    name: 'neardup end to end: `detector.prepare(text)` with WebAssembly off (the JS kernels, for engines without it; measured after the others)',
    docs: N,
    ms: median(jsSamples),
    mb: mbOf(N),
  });
  const rate = (r: Row): number => r.mb / (r.ms / 1000);
  const regex = rows[0]!;
  const end = rows[5]!;
  const bloom = rows[8]!;
  const mh = rows[9]!;

  // The straightforward 5-grams are the same shingles: same count per document (up to 32-bit hash collisions).
  let agree = 0;
  for (let i = 0; i < M; i++) if (new Set(gramStrings(texts[i]!)).size === sets[i]!.length) agree++;

  const totalMb = mbOf(N);
  return [
    '## Text → signature pipeline',
    '',
    `Inputs: the first ${N.toLocaleString('en-US')} Debian English package descriptions (${totalMb.toFixed(2)} MB of UTF-8, ` +
      `${Math.round((totalMb * 1e6) / N)} bytes per document on average; ${(sets.reduce((s, x) => s + x.length, 0) / N).toFixed(1)} word 5-grams per document), ` +
      `128 permutations, seed 1, the default \`'fast'\` scheme. The peers run on the first ${M} of the same documents, with neardup's \`normalize\` ` +
      'and the straightforward 5-grams (split on spaces, join, hash: xxh32 for bloom-filters, whose MinHash takes numbers; ' +
      `the \`minhash\` package hashes strings itself); their 5-gram sets have neardup's size on ${agree} of ${M} documents. ` +
      'neardup normalizes, tokenizes and hashes pure-ASCII text in one pass of a small WebAssembly kernel (a JS pass for other ' +
      'foldable text, the step-by-step path for the rest) and computes the MinHash signature in another (JS kernels give the same ' +
      'values where WebAssembly is unavailable: the row with WebAssembly off). ' +
      'MB/s counts the UTF-8 bytes of the original text for every row, so the rows compare directly; each figure is the median of ' +
      `${ROUNDS} rounds that alternate between the rows, after two warm-up rounds.`,
    '',
    table(
      ['stage (128 permutations, word 5-grams)', 'docs', 'docs/s', 'MB/s of text', 'time per byte ÷ `detector.prepare`’s'],
      rows.map((r) => [r.name, r.docs, r.docs / (r.ms / 1000), rate(r), `${(rate(end) / rate(r)).toFixed(2)}×`]),
    ),
    '',
    `End to end (\`detector.prepare\`): **${rate(end).toFixed(1)} MB/s** on one core (issue goal ≥ 60 MB/s); ` +
      `${(rate(end) / rate(bloom)).toFixed(0)}× bloom-filters (goal ≥ 20×) and ${(rate(end) / rate(mh)).toFixed(0)}× the \`minhash\` package. ` +
      'The last column is the time per byte relative to the whole `detector.prepare` (below 1 for its stages; for the peers, their slowdown).',
    '',
    `Against the regex pass over the same texts in the same rounds: \`detector.prepare\` runs at **${(rate(end) / rate(regex)).toFixed(2)}×** ` +
      `its speed (${rate(end).toFixed(1)} ÷ ${rate(regex).toFixed(1)} MB/s; issue 11 goal ≥ 0.75× and ≥ 100 MB/s end to end).`,
  ].join('\n');
}
