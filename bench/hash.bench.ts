/**
 * xxh32 / xxh64 throughput against xxhashjs (the reference package) and xxhash-wasm, same inputs, same run.
 * Inputs: seeded random ASCII/UTF-8 text of 16 B, 1 KiB and 64 KiB; the seed article.
 */
import XXH from 'xxhashjs';
import xxhashWasm from 'xxhash-wasm';
import { xxh32, xxh64 } from '../src/index';
import { rng, table, time } from './harness';
import { debianEnglish, seedArticle } from './data';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz     ,.éü日本😀';

function makeStrings(count: number, bytes: number, seed: number): string[] {
  const rand = rng(seed);
  const chars = [...ALPHABET];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    while (new TextEncoder().encode(s).length < bytes) s += chars[Math.floor(rand() * chars.length)];
    out.push(s);
  }
  return out;
}

export default async function run(): Promise<string> {
  const wasm = await xxhashWasm();
  const rows: (string | number)[][] = [];
  const ratios: string[] = [];
  const english = debianEnglish(4000).map((d) => d.text).join('\n');
  const englishChunks = (size: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => english.slice((i * 997) % (english.length - size), ((i * 997) % (english.length - size)) + size));
  for (const [label, strings, repeats] of [
    ['16 B English', englishChunks(16, 20000), 7],
    ['1 KiB English', englishChunks(1024, 2000), 7],
    ['1 KiB mixed scripts', makeStrings(2000, 1024, 1066), 7],
    ['64 KiB English', englishChunks(65536, 40), 5],
  ] as const) {
    const count = strings.length;
    const size = Buffer.byteLength(strings[0]!);
    const mb = strings.reduce((n, s) => n + Buffer.byteLength(s), 0) / 1e6;
    const measure = (name: string, fn: (s: string) => unknown, reps: number = repeats): number => {
      const t = time(() => {
        let acc = 0;
        for (const s of strings) acc ^= Number(fn(s) as number) | 0;
        return acc;
      }, { warmup: 2, repeats: reps });
      const mbps = mb / (t.medianMs / 1000);
      rows.push([label, name, mbps, (count / (t.medianMs / 1000)) / 1e6]);
      return mbps;
    };
    const slowReps = size >= 65536 ? 3 : repeats;
    const scratch = new Uint8Array(size * 3 + 16);
    const encoder = new TextEncoder();
    measure('(TextEncoder.encodeInto alone: the floor for any string hash)', (s) => encoder.encodeInto(s, scratch).written);
    const ours32 = measure('neardup xxh32', (s) => xxh32(s));
    const ref32 = measure('xxhashjs h32', (s) => XXH.h32(s, 0).toNumber(), slowReps);
    const wasm32 = measure('xxhash-wasm h32', (s) => wasm.h32(s, 0));
    const ours64 = measure('neardup xxh64', (s) => Number(xxh64(s) & 0xffffn));
    const ref64 = measure('xxhashjs h64', (s) => XXH.h64(s, 0).toNumber(), slowReps);
    const wasm64 = measure('xxhash-wasm h64', (s) => Number(wasm.h64(s, 0n) & 0xffffn));
    ratios.push(`| ${label} | ${(ours32 / ref32).toFixed(0)}× | ${(ours64 / ref64).toFixed(0)}× | ${(ours32 / wasm32).toFixed(2)}× | ${(ours64 / wasm64).toFixed(2)}× |`);
  }

  // Byte input: no UTF-8 encoding, so the kernels themselves are compared.
  const byteInputs = englishChunks(1024, 2000).map((s) => Buffer.from(s)); // Buffer: xxhashjs needs .copy()
  const byteMb = byteInputs.reduce((n, b) => n + b.length, 0) / 1e6;
  const byteRows: [string, number][] = [];
  for (const [name, fn] of [
    ['neardup xxh32', (b: Buffer) => xxh32(b)],
    ['xxhashjs h32', (b: Buffer) => XXH.h32(b, 0).toNumber()],
    ['xxhash-wasm h32Raw', (b: Buffer) => wasm.h32Raw(b, 0)],
    ['neardup xxh64', (b: Buffer) => Number(xxh64(b) & 0xffffn)],
    ['xxhashjs h64', (b: Buffer) => XXH.h64(b, 0).toNumber()],
    ['xxhash-wasm h64Raw', (b: Buffer) => Number(wasm.h64Raw(b, 0n) & 0xffffn)],
  ] as const) {
    const t = time(() => { let acc = 0; for (const b of byteInputs) acc ^= fn(b); return acc; }, { repeats: 5 });
    byteRows.push([name, byteMb / (t.medianMs / 1000)]);
  }
  const byteOf = (n: string): number => byteRows.find((r) => r[0] === n)![1];
  ratios.push(`| 1 KiB bytes (Uint8Array) | ${(byteOf('neardup xxh32') / byteOf('xxhashjs h32')).toFixed(0)}× | ${(byteOf('neardup xxh64') / byteOf('xxhashjs h64')).toFixed(0)}× | ${(byteOf('neardup xxh32') / byteOf('xxhash-wasm h32Raw')).toFixed(2)}× | ${(byteOf('neardup xxh64') / byteOf('xxhash-wasm h64Raw')).toFixed(2)}× |`);
  for (const [name, mbps] of byteRows) rows.push(['1 KiB bytes (Uint8Array)', name, mbps, byteInputs.length / (byteMb / mbps) / 1e6]);

  const article = seedArticle();
  const articleBytes = Buffer.byteLength(article);
  const seedTimes = [
    ['xxh32 × 10,000', time(() => { let a = 0; for (let i = 0; i < 10000; i++) a ^= xxh32(article, i); return a; }, { repeats: 5 })],
    ['xxh64 × 10,000', time(() => { let a = 0n; for (let i = 0; i < 10000; i++) a ^= xxh64(article, BigInt(i)); return a; }, { repeats: 5 })],
  ] as const;

  return [
    '## Hashing (`xxh32`, `xxh64`)',
    '',
    'Strings hashed as UTF-8: slices of the Debian English descriptions (almost all ASCII), and seeded random',
    'mixed-script text (Latin-1, CJK, emoji: there `TextEncoder.encodeInto` itself bounds every implementation',
    'near 450 MB/s here). MB/s of UTF-8 input and millions of calls per second, median of repeats.',
    '',
    table(['input', 'implementation', 'MB/s', 'M calls/s'], rows),
    '',
    'Ratios (neardup ÷ peer, MB/s). Goal on 1 KiB: xxh32 ≥ 20× xxhashjs, xxh64 ≥ 50× xxhashjs.',
    '',
    '| input | xxh32 ÷ xxhashjs | xxh64 ÷ xxhashjs | xxh32 ÷ xxhash-wasm | xxh64 ÷ xxhash-wasm |',
    '| --- | --- | --- | --- | --- |',
    ...ratios,
    '',
    `Seed article (${articleBytes.toLocaleString('en-US')} bytes of UTF-8):`,
    '',
    table(['job', 'median ms', 'MB/s'], seedTimes.map(([n, t]) => [n, t.medianMs, (articleBytes * 10000) / 1e6 / (t.medianMs / 1000)])),
  ].join('\n');
}
