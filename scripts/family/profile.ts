/**
 * Profiles `dedupe()` on the family bench's corpus (issue 11): builds the corpus exactly as
 * `bench/family.bench.ts` does and runs `dedupe()` once (plus a warm-up at N = 1k).
 *
 *   (tsx compiles on the fly; bench/data.ts finds the corpora relative to its own file)
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx scripts/family/profile.ts 50000 0.01
 *   npx tsx scripts/family/profile-summary.ts /tmp/prof/<file>.cpuprofile
 */
import { dedupe } from '../../src/index';
import { vocabularyFrom } from '../../bench/corpus';
import { debianEnglish } from '../../bench/data';
import { corpus } from '../../bench/family.bench';

const n = Number(process.argv[2] ?? 50000);
const rate = Number(process.argv[3] ?? 0.01);
const repeats = Number(process.argv[4] ?? 1);
const debian = debianEnglish().map((d) => d.text);
const vocab = vocabularyFrom(debian.slice(0, 20000));
const docs = corpus(n, rate, debian, vocab);
dedupe(corpus(1000, rate, debian, vocab)); // warm-up
const ms: number[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const result = dedupe(docs);
  ms.push(performance.now() - t0);
  if (r === 0) console.error(JSON.stringify(result.stats));
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ n, rate, documents: docs.length, ms: ms[ms.length >> 1], usPerDoc: (ms[ms.length >> 1]! * 1000) / docs.length, samples: ms }));
