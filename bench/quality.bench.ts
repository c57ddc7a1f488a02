/**
 * qualityReport throughput: documents/s and MB/s (UTF-8) on the Debian package descriptions (English and
 * Japanese) with both tokenizers, on the seed article, and per filter; adversarial 1 MB inputs for scale.
 * Accuracy beside speed: verdict agreement with datatrove on the 306 reference documents.
 * There is no JavaScript peer implementing these filters, so no ratio column.
 */
import { readFileSync } from 'node:fs';
import { c4Quality, finewebQuality, gopherQuality, gopherRepetition, qualityReport } from '../src/index';
import type { QualityTokenizer } from '../src/index';
import { debianEnglish, debianJapanese, seedArticle } from './data';
import { table, time } from './harness';

const utf8Bytes = (texts: readonly string[]): number => texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

function measure(texts: readonly string[], fn: (t: string) => unknown, repeats: number): { docsPerS: number; mbPerS: number; ms: number } {
  const t = time(() => {
    let acc = 0;
    for (const s of texts) acc += (fn(s) as { pass: boolean }).pass ? 1 : 0;
    return acc;
  }, { warmup: 1, repeats });
  const s = t.medianMs / 1000;
  return { docsPerS: texts.length / s, mbPerS: utf8Bytes(texts) / 1e6 / s, ms: t.medianMs };
}

/** Verdict agreement with datatrove on the reference file (whitespace tokenizer). */
function referenceAgreement(): string {
  const path = new URL('../tests/fixtures/quality-vectors.jsonl', import.meta.url);
  const rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).slice(1).map((l) => JSON.parse(l) as Record<string, any>);
  let agree = 0;
  let total = 0;
  for (const row of rows) {
    const r = qualityReport(row.text, { tokenizer: 'whitespace' });
    const nt = c4Quality(row.text, { tokenizer: 'whitespace', filterNoTerminalPunct: false });
    for (const [mine, ref] of [
      [r.gopherRepetition, row.gopher_repetition],
      [r.gopherQuality, row.gopher_quality],
      [r.c4, row.c4],
      [r.fineweb, row.fineweb],
      [nt, row.c4_no_terminal_punct],
    ] as const) {
      total++;
      const ok = ref.keep === null ? mine.pass : ref.keep ? mine.pass : !mine.pass && mine.reasons[0] === ref.reason;
      if (ok) agree++;
    }
  }
  return `Verdicts equal to datatrove's on the reference file (whitespace tokenizer): **${agree} / ${total}** ` +
    `(306 documents × 5 filter runs; the empty text, where datatrove raises, counts as a pass).`;
}

export default async function run(): Promise<string> {
  const english = debianEnglish(10000).map((d) => d.text);
  const japanese = debianJapanese().map((d) => d.text);
  const seed = seedArticle();

  const rows: (string | number)[][] = [];
  for (const [label, texts, repeats] of [
    ['Debian en (10,000 docs)', english, 3],
    ['Debian ja (6,606 docs)', japanese, 3],
    ['seed article (×200)', Array.from({ length: 200 }, () => seed), 5],
  ] as const) {
    for (const tokenizer of ['whitespace', 'default'] as QualityTokenizer[]) {
      const m = measure(texts, (t) => qualityReport(t, { tokenizer }), repeats);
      rows.push([label, tokenizer, Math.round(m.docsPerS), m.mbPerS]);
    }
  }

  const perFilter: (string | number)[][] = [];
  for (const [name, fn] of [
    ['gopherRepetition', gopherRepetition],
    ['gopherQuality', gopherQuality],
    ['c4Quality', c4Quality],
    ['finewebQuality', finewebQuality],
    ['qualityReport (all four)', qualityReport],
  ] as const) {
    const m = measure(english, (t) => (fn as (t: string, o: object) => unknown)(t, { tokenizer: 'whitespace' }), 3);
    perFilter.push([name, Math.round(m.docsPerS), m.mbPerS]);
  }

  const MB = 1 << 20;
  const adversarial: (string | number)[][] = [];
  const repeated = 'The same line of text repeats here, again and again.\n'.repeat(Math.ceil(MB / 53)).slice(0, MB);
  let noNewlines = '';
  for (let i = 0; noNewlines.length < MB; i++) noNewlines += `w${(Math.imul(i, 2654435761) >>> 0) % 5000} `;
  for (const [label, text] of [
    ['1 MB, one line repeated', repeated],
    ['1 MB, no newline', noNewlines],
    ['100k bullet lines', '• item\n'.repeat(100_000)],
    ['1 MB of "."', '.'.repeat(MB)],
    ['1 MB of "\\n"', '\n'.repeat(MB)],
  ] as const) {
    const m = measure([text], (t) => qualityReport(t, { tokenizer: 'whitespace' }), 3);
    adversarial.push([label, m.ms, m.mbPerS]);
  }

  return [
    '## Content quality (`qualityReport`)',
    '',
    'All four filters (Gopher repetition, Gopher quality, C4, FineWeb) on each document, one segmentation',
    'pass shared. MB = UTF-8 megabytes (10^6 bytes) of input. Median of repeats after a warm-up.',
    '',
    table(['input', 'tokenizer', 'documents/s', 'MB/s'], rows),
    '',
    'Per filter, Debian en, whitespace tokenizer:',
    '',
    table(['function', 'documents/s', 'MB/s'], perFilter),
    '',
    'Adversarial inputs (linear time), whitespace tokenizer:',
    '',
    table(['input', 'ms', 'MB/s'], adversarial),
    '',
    referenceAgreement(),
    '',
  ].join('\n');
}
