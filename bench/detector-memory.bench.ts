/**
 * Memory per kept document in a `NearDuplicateDetector` (defaults: 128 permutations, 13 × 7 LSH bands, verified):
 * 1M distinct short documents added one by one; retained heap and array buffers after a full GC (the runner
 * passes `--expose-gc`), and the process's peak RSS. Goal: ≤ 600 B per kept document.
 */
import { NearDuplicateDetector } from '../src/index';
import { rng, table } from './harness';

const N = 1_000_000;

function retained(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('detector-memory bench: run with --expose-gc (npm run bench does)');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export default async function run(): Promise<string> {
  const rand = rng(12345);
  const vocab = Array.from({ length: 20000 }, (_, i) => `w${i.toString(36)}q`);
  const detector = new NearDuplicateDetector();
  const base = retained();
  // The process before any document: Node itself, the bench runner, the vocabulary. Peak RSS minus this is what the
  // detector (and the garbage its work leaves for the collector) added.
  const rssBefore = process.memoryUsage().rss;
  let words = 0;
  let kept = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const length = 20 + Math.floor(rand() * 60);
    const w: string[] = [];
    for (let j = 0; j < length; j++) w.push(vocab[Math.floor(rand() * rand() * vocab.length)]!);
    words += length;
    if (detector.add(i, w.join(' ')).duplicateOf === undefined) kept++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const bytes = retained() - base;
  const m = process.memoryUsage();
  // Used after the measurement, so the detector is still reachable during it.
  if (detector.size !== kept) throw new Error(`detector-memory bench: ${detector.size} documents kept, expected ${kept}`);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return [
    '## Detector memory per kept document (`NearDuplicateDetector`)',
    '',
    `${N.toLocaleString('en-US')} distinct documents of 20–79 words (mean ${(words / N).toFixed(1)}; words drawn from 20,000 with a skew),`,
    'added one by one with the defaults; retained = heap used + array buffers after two full GCs, minus the same before.',
    '',
    table(['kept', 'retained B / kept doc', 'of which array buffers (MB)', 'heap used (MB)', 'RSS before (MB)', 'peak RSS (MB)', 'peak RSS / kept doc (B)', 'peak RSS growth / kept doc (B)', 'add() docs/s'], [
      [kept, bytes / kept, m.arrayBuffers / 1e6, m.heapUsed / 1e6, rssBefore / 1e6, peakRss / 1e6, peakRss / kept, (peakRss - rssBefore) / kept, N / seconds],
    ]),
    '',
    'Where it goes (estimated from the layout): packed shingle set ≈ 4 B per shingle (≈ 185 B), 4-bit MinHash sketch 64 B,',
    'LSH ≈ 220 B (13 head-only band tables of 4-byte positions at most half full ≈ 110 B, and per band a key and a',
    'next link of 4 B each ≈ 110 B: `SlotLsh`, addressed by the detector\'s slots, so no id maps of its own), the',
    'detector\'s id array and map ≈ 40 B, the exact-key table ≈ 25 B.',
  ].join('\n');
}
