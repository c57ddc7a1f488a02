// The same computations in every runtime the package claims: Node ESM, Node CJS and headless Chromium.
// scripts/check-package.mjs bundles this file three ways against the installed tarball and compares the JSON.
// Plain JavaScript on purpose: it is bundled from a throwaway project, not type-checked with the repo.
import { xxh32, xxh64, dedupeParagraphs, dedupe, NearDuplicateDetector, qualityReport, shingles, MinHasher } from 'neardup';
import seed from './seed.txt';

/** Everything to compare, as JSON-safe values (bigints as strings). */
export function probe() {
  const inputs = ['', 'a', 'abc', 'Nobody inspects the spammish repetition', 'ünïcödé 🎉 text', seed];
  const hashes = inputs.map((s) => [xxh32(s), xxh32(s, 0x9747b28c), String(xxh64(s)), String(xxh64(s, 0x123456789abcdefn))]);
  const bytes = new TextEncoder().encode(seed);
  hashes.push([xxh32(bytes), String(xxh64(bytes))]);

  const paragraphs = dedupeParagraphs(seed);

  // Documents: every line of the seed, then near and exact variants of some of them.
  const lines = seed.split('\n').filter((l) => l.trim().length > 40);
  const docs = lines.map((text, i) => ({ id: `line-${i}`, text }));
  lines.slice(0, 6).forEach((text, i) => docs.push({ id: `upper-${i}`, text: text.toUpperCase() }));
  lines.slice(0, 6).forEach((text, i) => docs.push({ id: `edit-${i}`, text: `${text} Reported by the wire.` }));
  const result = dedupe(docs, { threshold: 0.7 });
  const { milliseconds: _ms, ...stats } = result.stats;

  const detector = new NearDuplicateDetector({ threshold: 0.7, method: 'simhash', maxDistance: 6 });
  const streaming = docs.map((d) => detector.add(d.id, d.text));

  const signature = Array.from(new MinHasher({ numPerm: 16, seed: 7 }).signature(shingles(seed)).values);
  const quality = qualityReport(seed);

  return {
    hashes,
    paragraphs,
    dedupe: { kept: result.kept, duplicates: result.duplicates, clusters: result.clusters, stats },
    streaming,
    signature,
    quality: { pass: quality.pass, reasons: quality.reasons },
  };
}
