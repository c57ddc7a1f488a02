/**
 * Explanations and reports: `explainDuplicate` on every duplicate pair `dedupe` finds in the Debian descriptions,
 * on near-copies from 128 KB to 1 MB (growth should be about linear: the ratio of medians per doubling is shown),
 * and the report of the Debian run — `dedupeReportData` then `renderDedupeReport` — with the page's size.
 */
import { dedupe, dedupeReportData, explainDuplicate, renderDedupeReport } from '../src/index';
import { debianEnglish } from './data';
import { rng, table, time } from './harness';

export default async function run(): Promise<string> {
  const docs = debianEnglish();
  const seen = new Set<string>();
  const unique = docs.filter((d) => (seen.has(d.id) ? false : (seen.add(d.id), true)));
  const result = dedupe(unique);
  const byId = new Map(unique.map((d) => [d.id, d.text]));
  const pairs = result.duplicates.map((d) => [byId.get(d.id as string)!, byId.get(d.duplicateOf as string)!] as const);
  const all = time(() => {
    let words = 0;
    for (const [a, b] of pairs) words += explainDuplicate(a, b).words.shared;
    return words;
  }, { warmup: 1, repeats: 3 });
  const perPair = (all.medianMs * 1000) / pairs.length;

  // Near-copies: random words from a 3,000-word vocabulary, 1% of them replaced.
  const rand = rng(42);
  const vocab = Array.from({ length: 3000 }, (_, i) => `v${i.toString(36)}q`);
  const sizes = [128, 256, 512, 1024];
  const growth: (string | number)[][] = [];
  let previous = NaN;
  for (const kb of sizes) {
    const words: string[] = [];
    let length = 0;
    while (length < kb * 1024) {
      const w = vocab[Math.floor(rand() * vocab.length)]!;
      words.push(w);
      length += w.length + 1;
    }
    const a = words.join(' ');
    const b = words.map((w) => (rand() < 0.01 ? 'CHANGED' : w)).join(' ');
    let alignment = '';
    const t = time(() => {
      const e = explainDuplicate(a, b);
      alignment = `${e.alignment}, ${e.words.shared.toLocaleString('en-US')} of ${e.words.a.toLocaleString('en-US')} words`;
      return e;
    }, { warmup: 1, repeats: 7 }); // the machine is shared: more repeats for a steadier median
    growth.push([`${kb} KB`, t.medianMs, Number.isNaN(previous) ? '–' : (t.medianMs / previous).toFixed(2), alignment]);
    previous = t.medianMs;
  }

  let bytes = 0;
  const report = time(() => {
    const html = renderDedupeReport(dedupeReportData(unique, result));
    bytes = html.length;
    return html;
  }, { warmup: 1, repeats: 3 });

  return [
    '## Explanations and reports',
    '',
    `\`explainDuplicate(removed, kept)\` on all ${pairs.length.toLocaleString('en-US')} duplicate pairs \`dedupe\` finds in the Debian descriptions (${unique.length.toLocaleString('en-US')} documents, default options):`,
    '',
    table(['pairs', 'median total ms', 'µs per pair'], [[pairs.length, all.medianMs, perPair]]),
    '',
    'Near-copies (random words, 1% replaced), one pair per size; time should about double per doubling:',
    '',
    table(['text size', 'median ms', 'ratio to the size before', 'alignment'], growth),
    '',
    `The Debian run's report (\`dedupeReportData\` + \`renderDedupeReport\`, default caps: 20 samples, 10 clusters × 5 members):`,
    '',
    table(['median ms', 'HTML size (UTF-16 code units)'], [[report.medianMs, bytes]]),
  ].join('\n');
}
