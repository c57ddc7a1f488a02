/**
 * Shingling throughput (word 5-grams and char 5-grams) on the Debian English descriptions and the seed
 * article ×10,000, against the naive way (build every n-gram substring, hash it with xxh32, collect a Set)
 * in the same run; exact Jaccard / containment / edit ratio on real pairs.
 */
import { containment, editRatio, jaccard, normalize, shingles, words, xxh32 } from '../src/index';
import { table, time } from './harness';
import { debianEnglish, seedArticle } from './data';

/** The approach neardup avoids: one substring per n-gram, hashed as UTF-8, into a Set, then sorted. */
function naiveWordShingles(text: string, size: number): Uint32Array {
  const ws = words(normalize(text)).map((w) => w.text);
  const set = new Set<number>();
  if (ws.length > 0 && ws.length < size) set.add(xxh32(ws.join(' ')));
  for (let i = 0; i + size <= ws.length; i++) set.add(xxh32(ws.slice(i, i + size).join(' ')));
  return Uint32Array.from(set).sort();
}

function naiveCharShingles(text: string, size: number): Uint32Array {
  const cps = Array.from(normalize(text));
  const set = new Set<number>();
  for (let i = 0; i + size <= cps.length; i++) set.add(xxh32(cps.slice(i, i + size).join('')));
  return Uint32Array.from(set).sort();
}

export default async function run(): Promise<string> {
  const docs = debianEnglish(20000).map((d) => d.text);
  const mb = docs.reduce((n, s) => n + Buffer.byteLength(s), 0) / 1e6;
  const rows: (string | number)[][] = [];
  const measure = (name: string, fn: (s: string) => Uint32Array, repeats = 5): number => {
    let values = 0;
    const t = time(() => {
      values = 0;
      for (const d of docs) values += fn(d).length;
      return values;
    }, { warmup: 1, repeats });
    const mbps = mb / (t.medianMs / 1000);
    rows.push([name, mbps, values / docs.length]);
    return mbps;
  };
  const word = measure('neardup shingles (word, 5)', (s) => shingles(s));
  measure('neardup shingles (word, 5, normalize: false)', (s) => shingles(s, { normalize: false }));
  const naiveWord = measure('naive: n-gram substrings + xxh32 + Set (word, 5)', (s) => naiveWordShingles(s, 5), 3);
  const char = measure('neardup shingles (char, 5)', (s) => shingles(s, { unit: 'char' }));
  measure('neardup shingles (char, 5, normalize: false)', (s) => shingles(s, { unit: 'char', normalize: false }));
  const naiveChar = measure('naive: k-gram substrings + xxh32 + Set (char, 5)', (s) => naiveCharShingles(s, 5), 3);
  measure('(normalize alone, for reference)', (s) => Uint32Array.of(normalize(s).length));

  const article = seedArticle();
  const articleMb = Buffer.byteLength(article) / 1e6;
  const seedRows: (string | number)[][] = [];
  for (const [name, fn] of [
    ['shingles (word, 5) × 10,000', () => shingles(article).length],
    ['shingles (char, 5) × 10,000', () => shingles(article, { unit: 'char' }).length],
  ] as const) {
    const t = time(() => { let n = 0; for (let i = 0; i < 10000; i++) n += fn(); return n; }, { warmup: 1, repeats: 3 });
    seedRows.push([name, t.medianMs, (articleMb * 10000) / (t.medianMs / 1000)]);
  }

  // Similarity on consecutive document pairs (many Debian descriptions share boilerplate).
  const sets = docs.slice(0, 4000).map((d) => shingles(d));
  const pairs = sets.length - 1;
  const simRows: (string | number)[][] = [];
  for (const [name, fn] of [
    ['jaccard (word 5-gram sets)', (i: number) => jaccard(sets[i]!, sets[i + 1]!)],
    ['containment (word 5-gram sets)', (i: number) => containment(sets[i]!, sets[i + 1]!)],
  ] as const) {
    const t = time(() => { let s = 0; for (let i = 0; i < pairs; i++) s += fn(i); return s; }, { warmup: 1, repeats: 5 });
    simRows.push([name, pairs / (t.medianMs / 1000) / 1e6, (t.medianMs * 1e3) / pairs]);
  }
  const short = docs.slice(0, 2000).map((d) => d.slice(0, 300));
  const t = time(() => { let s = 0; for (let i = 0; i + 1 < short.length; i++) s += editRatio(short[i]!, short[i + 1]!); return s; }, { warmup: 1, repeats: 3 });
  simRows.push(['editRatio (first 300 chars of each description)', (short.length - 1) / (t.medianMs / 1000) / 1e6, (t.medianMs * 1e3) / (short.length - 1)]);

  return [
    '## Shingles (`shingles`) and exact similarity',
    '',
    `One call per document over ${docs.length.toLocaleString('en-US')} Debian English descriptions, MB/s of UTF-8 input (median of`,
    'repeats), distinct shingles per document beside. The naive peer builds one substring per n-gram and hashes it',
    'with xxh32; neardup hashes each word once from its UTF-16 units and combines n word hashes with MurmurHash3.',
    '',
    table(['shingler', 'MB/s', 'shingles/doc'], rows),
    '',
    `Ratios: word 5-grams ${(word / naiveWord).toFixed(2)}× the naive way, char 5-grams ${(char / naiveChar).toFixed(2)}×.`,
    '',
    `Seed article (${Buffer.byteLength(article).toLocaleString('en-US')} bytes of UTF-8):`,
    '',
    table(['job', 'median ms', 'MB/s'], seedRows),
    '',
    'Exact similarity of consecutive pairs:',
    '',
    table(['function', 'M pairs/s', 'µs/pair'], simRows),
  ].join('\n');
}
