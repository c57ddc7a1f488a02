/**
 * Paragraph dedup: `dedupeParagraphs` on the seed article (ops/s, per unit and with near matching), and the
 * streaming `ParagraphDeduplicator` over the 63,956 Debian descriptions (documents/s, share of units and
 * characters removed, exact store against Bloom stores, the Bloom false-positive rate measured against the
 * exact store, store memory). Plus `BloomFilter` add/has throughput beside the bloom-filters package.
 */
import bloomFilters from 'bloom-filters';
import { BloomFilter, dedupeParagraphs, ParagraphDeduplicator, type ParagraphDeduplicatorOptions, type ParagraphUnit } from '../src/index';
import { consume, table, time } from './harness';

// bloom-filters is CommonJS: take the class from its default export
const PeerBloom = bloomFilters.BloomFilter;
type PeerBloom = InstanceType<typeof PeerBloom>;
import { debianEnglish, seedArticle, type Doc } from './data';

const pct = (x: number): string => `${x === 0 ? '0' : (100 * x).toPrecision(3)} %`;

function seedSection(): string {
  const seed = seedArticle();
  const rows: (string | number)[][] = [];
  const cases: [string, Parameters<typeof dedupeParagraphs>[1]][] = [
    ["unit 'line' (default)", {}],
    ["unit 'paragraph'", { unit: 'paragraph' }],
    ["unit 'sentence'", { unit: 'sentence', locale: 'en' }],
    ["unit 'line', near: true (char 5-gram Jaccard ≥ 0.8)", { near: true }],
  ];
  for (const [label, options] of cases) {
    const reps = 2000;
    const t = time(() => {
      let n = 0;
      for (let i = 0; i < reps; i++) n += dedupeParagraphs(seed, options).removed.length;
      return n;
    }, { warmup: 1, repeats: 5 });
    const removed = dedupeParagraphs(seed, options).removed.length;
    rows.push([label, reps / (t.medianMs / 1000), (seed.length * reps) / 1e6 / (t.medianMs / 1000), String(removed)]);
  }
  return [
    `### dedupeParagraphs on the seed article (${seed.length.toLocaleString('en-US')} UTF-16 units, 12 lines)`,
    '',
    table(['options', 'ops/s', 'M chars/s', 'units removed'], rows),
  ].join('\n');
}

interface Run {
  label: string;
  seconds: number;
  units: number;
  removedUnits: number;
  removedChars: number;
  stored: number;
  bytes: number;
  removedStarts: Int32Array[];
  estimatedFp?: number;
}

function runDedup(docs: Doc[], label: string, options: ParagraphDeduplicatorOptions): Run {
  // timed once more after a warm-up pass over a slice: a full pass mutates the store, so each timing needs a fresh one
  const warm = new ParagraphDeduplicator(options);
  for (let i = 0; i < Math.min(5000, docs.length); i++) consume(warm.process(i, docs[i]!.text).text);
  let best = Infinity;
  let last: Run | undefined;
  for (let rep = 0; rep < 2; rep++) {
    const pd = new ParagraphDeduplicator(options);
    const removedStarts: Int32Array[] = new Array<Int32Array>(docs.length);
    let removedChars = 0;
    const t0 = performance.now();
    for (let i = 0; i < docs.length; i++) {
      const r = pd.process(docs[i]!.id, docs[i]!.text);
      const starts = new Int32Array(r.removed.length);
      for (let k = 0; k < r.removed.length; k++) {
        starts[k] = r.removed[k]!.start;
        removedChars += r.removed[k]!.cutEnd - r.removed[k]!.cutStart;
      }
      removedStarts[i] = starts;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (seconds < best) best = seconds;
    last = {
      label,
      seconds: best,
      units: pd.units,
      removedUnits: pd.removedUnits,
      removedChars,
      stored: pd.storedUnits,
      bytes: pd.byteLength,
      removedStarts,
      ...(options.store === 'bloom' ? { estimatedFp: pd.estimatedFalsePositiveRate() } : {}),
    };
  }
  return { ...last!, seconds: best };
}

function debianSection(): string {
  const docs = debianEnglish();
  const totalChars = docs.reduce((n, d) => n + d.text.length, 0);
  const out: string[] = [
    `### ParagraphDeduplicator over the Debian descriptions (${docs.length.toLocaleString('en-US')} documents, ${(totalChars / 1e6).toFixed(1)} M chars)`,
    '',
    'Documents in file order; the first copy of each unit is kept; docs/s is the best of 2 passes. `false positives` are',
    'units the Bloom store removed that the exact store kept (never seen before), over the units the exact store kept.',
    'Bloom stores are sized for the number of distinct units N the exact store found, so the false-positive rate climbs',
    'from 0 to the target p only at the end of the run: `theory (run)` is the expected rate averaged over the N new',
    'units, (1/N) Σ_{i<N} (1 − (1 − 1/m)^{k·i})^k, and `fill^k (end)` the filter\'s own estimate after the last document.',
    '',
  ];
  const rows: (string | number)[][] = [];
  for (const unit of ['line', 'paragraph'] as ParagraphUnit[]) {
    const exact = runDedup(docs, `${unit}, exact`, { unit, store: 'exact' });
    const distinct = exact.stored;
    const runs = [
      exact,
      runDedup(docs, `${unit}, bloom p = 0.01`, { unit, store: 'bloom', expectedItems: distinct, falsePositiveRate: 0.01 }),
      runDedup(docs, `${unit}, bloom p = 0.001`, { unit, store: 'bloom', expectedItems: distinct, falsePositiveRate: 0.001 }),
    ];
    for (const run of runs) {
      let fp = 0;
      if (run !== exact) {
        for (let i = 0; i < docs.length; i++) fp += run.removedStarts[i]!.length - exact.removedStarts[i]!.length;
      }
      const keptByExact = exact.units - exact.removedUnits;
      let theory = '—';
      if (run !== exact) {
        const f = new BloomFilter({ expectedItems: distinct, falsePositiveRate: run.label.endsWith('0.01') ? 0.01 : 0.001 });
        let sum = 0;
        const perItem = Math.log1p(-1 / f.bitCount) * f.hashCount;
        for (let i = 0; i < distinct; i++) sum += (1 - Math.exp(perItem * i)) ** f.hashCount;
        theory = pct(sum / distinct);
      }
      rows.push([
        run.label,
        docs.length / run.seconds,
        run.units,
        pct(run.removedUnits / run.units),
        pct(run.removedChars / totalChars),
        run === exact ? '—' : `${fp} (${pct(fp / keptByExact)})`,
        theory,
        run.estimatedFp === undefined ? '—' : pct(run.estimatedFp),
        `${(run.bytes / 1e6).toFixed(2)} MB (${(run.bytes / distinct).toFixed(1)} B/unit)`,
      ]);
    }
  }
  out.push(table(['unit, store', 'docs/s', 'units', 'units removed', 'chars removed', 'false positives', 'theory (run)', 'fill^k (end)', 'store memory'], rows));
  return out.join('\n');
}

function bloomSection(): string {
  const n = 200_000;
  const keys = Array.from({ length: n }, (_, i) => `unit number ${i} of the benchmark`);
  const strangers = Array.from({ length: n }, (_, i) => `stranger ${i} never added`);
  const rows: (string | number)[][] = [];
  const ours = (): BloomFilter => new BloomFilter({ expectedItems: n, falsePositiveRate: 0.01 });
  const peer = (): PeerBloom => PeerBloom.create(n, 0.01);
  const tAdd = time(() => {
    const f = ours();
    for (const k of keys) f.add(k);
    return f.count;
  }, { warmup: 1, repeats: 5 });
  const tPeerAdd = time(() => {
    const f = peer();
    for (const k of keys) f.add(k);
    return f.size;
  }, { warmup: 1, repeats: 3 });
  const f = ours();
  for (const k of keys) f.add(k);
  const p = peer();
  for (const k of keys) p.add(k);
  const tHas = time(() => {
    let c = 0;
    for (const k of strangers) if (f.has(k)) c++;
    return c;
  }, { warmup: 1, repeats: 5 });
  const tPeerHas = time(() => {
    let c = 0;
    for (const k of strangers) if (p.has(k)) c++;
    return c;
  }, { warmup: 1, repeats: 3 });
  let fpOurs = 0;
  let fpPeer = 0;
  for (const k of strangers) {
    if (f.has(k)) fpOurs++;
    if (p.has(k)) fpPeer++;
  }
  rows.push(['neardup BloomFilter', n / (tAdd.medianMs / 1000), n / (tHas.medianMs / 1000), pct(fpOurs / n), f.bitCount, String(f.hashCount)]);
  rows.push(['bloom-filters BloomFilter', n / (tPeerAdd.medianMs / 1000), n / (tPeerHas.medianMs / 1000), pct(fpPeer / n), p.size, String(p._nbHashes)]);
  return [
    `### BloomFilter: ${n.toLocaleString('en-US')} string items at p = 0.01`,
    '',
    table(['filter', 'adds/s', 'has/s (absent items)', 'measured FP rate', 'bits', 'k'], rows),
    '',
    `Speed ratio (ours / bloom-filters): add ${(tPeerAdd.medianMs / tAdd.medianMs).toFixed(1)}×, has ${(tPeerHas.medianMs / tHas.medianMs).toFixed(1)}×.`,
  ].join('\n');
}

export default async function run(): Promise<string> {
  return ['## Paragraph dedup', '', seedSection(), '', debianSection(), '', bloomSection()].join('\n');
}
