/**
 * Text segmentation and normalization throughput: the fast word tokenizer against a `\p{L}+` regex and
 * `Intl.Segmenter` on the same documents in the same run (English and Japanese Debian descriptions),
 * `normalize`, lines / paragraphs / sentences, and the seed article segmented ×10,000.
 */
import { lines, normalize, paragraphs, sentences, words } from '../src/index';
import { wordSpans } from '../src/text';
import { letterRunCount, table, time } from './harness';
import { debianEnglish, debianJapanese, seedArticle } from './data';

const utf8Bytes = (docs: string[]): number => docs.reduce((n, s) => n + Buffer.byteLength(s), 0);

export default async function run(): Promise<string> {
  const english = debianEnglish(20000).map((d) => d.text);
  const japanese = debianJapanese().map((d) => d.text);
  const rows: (string | number)[][] = [];
  const ratios: (string | number)[][] = [];

  const segmenters = new Map<string, Intl.Segmenter>();
  const intlCount = (locale: string) => (s: string): number => {
    let seg = segmenters.get(locale);
    if (!seg) segmenters.set(locale, (seg = new Intl.Segmenter(locale, { granularity: 'word' })));
    let n = 0;
    for (const x of seg.segment(s)) if (x.isWordLike) n++;
    return n;
  };

  /** MB/s of UTF-8 input over `docs`, one call per document; also the tokens per document. */
  const measure = (corpus: string, docs: string[], name: string, fn: (s: string) => number, repeats = 5): number => {
    const mb = utf8Bytes(docs) / 1e6;
    let tokens = 0;
    const t = time(() => {
      tokens = 0;
      for (const d of docs) tokens += fn(d);
      return tokens;
    }, { warmup: 1, repeats });
    const mbps = mb / (t.medianMs / 1000);
    rows.push([corpus, name, mbps, tokens / docs.length]);
    return mbps;
  };

  for (const [corpus, docs, locale] of [
    [`English (${english.length.toLocaleString('en-US')} Debian descriptions)`, english, 'en'],
    [`Japanese (${japanese.length.toLocaleString('en-US')} Debian descriptions)`, japanese, 'ja'],
  ] as const) {
    const fast = measure(corpus, docs, 'neardup wordSpans (fast)', (s) => wordSpans(s).length >> 1);
    measure(corpus, docs, 'neardup words (fast, Segment objects)', (s) => words(s).length);
    const regex = measure(corpus, docs, 'regex /\\p{L}+/gu', letterRunCount);
    // Intl.Segmenter is ~100× slower: a tenth of the documents keeps the run short.
    const sample = docs.filter((_, i) => i % 10 === 0);
    const intl = measure(`${corpus}, every 10th`, sample, `Intl.Segmenter('${locale}') word-like`, intlCount(locale), 3);
    measure(`${corpus}, every 10th`, sample, `neardup words({ segmenter: 'intl' })`, (s) => wordSpans(s, { segmenter: 'intl', locale }).length >> 1, 3);
    ratios.push([corpus, fast, fast / regex, fast / intl]);
  }

  const other: (string | number)[][] = [];
  for (const [corpus, docs] of [['English', english], ['Japanese', japanese]] as const) {
    const mb = utf8Bytes(docs) / 1e6;
    for (const [name, fn] of [
      ['normalize (all steps)', (s: string) => normalize(s).length],
      ['normalize (no NFKC, no marks)', (s: string) => normalize(s, { nfkc: false, combiningMarks: false }).length],
      ['lines', (s: string) => lines(s).length],
      ['paragraphs', (s: string) => paragraphs(s).length],
      ['sentences (rules)', (s: string) => sentences(s).length],
    ] as const) {
      const t = time(() => { let n = 0; for (const d of docs) n += fn(d); return n; }, { warmup: 1, repeats: 5 });
      other.push([corpus, name, mb / (t.medianMs / 1000)]);
    }
  }

  const article = seedArticle();
  const articleMb = Buffer.byteLength(article) / 1e6;
  const seedRows: (string | number)[][] = [];
  for (const [name, fn] of [
    ['words', () => wordSpans(article).length],
    ['normalize', () => normalize(article).length],
    ['paragraphs + sentences + words', () => paragraphs(article).length + sentences(article).length + words(article).length],
  ] as const) {
    const t = time(() => { let n = 0; for (let i = 0; i < 10000; i++) n += fn(); return n; }, { warmup: 1, repeats: 3 });
    seedRows.push([`${name} × 10,000`, t.medianMs, (articleMb * 10000) / (t.medianMs / 1000)]);
  }

  return [
    '## Text (`words`, `normalize`, segmentation)',
    '',
    'One call per document, MB/s of UTF-8 input, median of repeats; tokens per document beside.',
    '`Intl.Segmenter` runs on every 10th document (it is ~100× slower; V8\'s segmenter is also quadratic on',
    'long strings, so neardup feeds it chunks of at most 4,096 units). The regex counts letter runs only',
    '(no digits, no per-character CJK split, so it is not the same tokenization: it is the speed reference).',
    '',
    table(['input', 'tokenizer', 'MB/s', 'tokens/doc'], rows),
    '',
    'Ratios of the fast tokenizer (goal: ≥ 50 MB/s on English):',
    '',
    table(['input', 'wordSpans MB/s', '÷ regex', '÷ Intl.Segmenter'], ratios.map(([c, f, r, i]) => [c as string, f as number, `${(r as number).toFixed(2)}×`, `${(i as number).toFixed(0)}×`])),
    '',
    table(['input', 'function', 'MB/s'], other),
    '',
    `Seed article (${Buffer.byteLength(article).toLocaleString('en-US')} bytes of UTF-8):`,
    '',
    table(['job', 'median ms', 'MB/s'], seedRows),
  ].join('\n');
}
