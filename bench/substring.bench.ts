/**
 * Suffix array (SA-IS) and LCP (Kasai) construction throughput on Debian package descriptions, in both
 * units (word tokens, code points), at 1, 10 and 50 MB; memory per unit; `findRepeats` / `removeRepeats`
 * end to end on 10 MB.
 *
 * Inputs: the 63,956 English Debian descriptions (26 MB), as documents. Sizes past the corpus take further
 * copies of it, each in a seeded random document order (mulberry32, seed 4), so the larger inputs hold
 * whole-document duplicates, as a crawl does. MB are 10^6 bytes of UTF-8.
 */
import { findRepeats, removeRepeats } from '../src/index';
import { lcpArrayUnchecked, suffixArrayUnchecked } from '../src/substring/suffix-array';
import { charUnits, tokenUnits, type UnitString } from '../src/substring/units';
import { wordSpans } from '../src/text';
import { consume, rng, table, time } from './harness';
import { debianEnglish } from './data';

/** Documents totalling `mb` MB of UTF-8: the corpus in order, then seeded shuffles of it. */
function corpusOf(texts: string[], bytes: number[], mb: number): string[] {
  const target = mb * 1e6;
  const out: string[] = [];
  let total = 0;
  const rand = rng(4);
  let order = texts.map((_, i) => i);
  for (let round = 0; total < target; round++) {
    if (round > 0) {
      order = order.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    for (const i of order) {
      if (total >= target) break;
      out.push(texts[i]!);
      total += bytes[i]!;
    }
  }
  return out;
}

const maxRss = (): number => process.resourceUsage().maxRSS * 1024;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

export default async function run(): Promise<string> {
  const docs = debianEnglish().map((d) => d.text);
  const encoder = new TextEncoder();
  const bytes = docs.map((t) => encoder.encode(t).length);
  const build = (unit: 'word' | 'char', texts: string[]): UnitString =>
    unit === 'char' ? charUnits(texts) : tokenUnits(texts, (t) => wordSpans(t));

  // 50 MB first, token then char: the process' peak RSS only grows, and the char pipeline's peak is the larger,
  // so each pipeline's growth over the baseline is its own peak. Held bytes are read after a full GC.
  const rows: (string | number)[][] = [];
  const memRows: (string | number)[][] = [];
  const big = corpusOf(docs, bytes, 50);
  const bigMb = big.reduce((s, t) => s + encoder.encode(t).length, 0) / 1e6;
  gc();
  const baseRss = maxRss();
  // Freed array buffers are released by V8's sweeper after the GC: collect, yield, collect again, then read.
  const buffers = async (): Promise<number> => {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    return process.memoryUsage().arrayBuffers;
  };
  for (const unit of ['word', 'char'] as const) {
    const b0 = await buffers();
    let t0 = performance.now();
    let units: UnitString | undefined = build(unit, big);
    const msUnits = performance.now() - t0;
    const n = units.ids.length;
    const b1 = await buffers();
    t0 = performance.now();
    let sa: Uint32Array | undefined = suffixArrayUnchecked(units.ids, units.alphabetSize);
    const msSa = performance.now() - t0;
    const b2 = await buffers();
    t0 = performance.now();
    let lcp: Uint32Array | undefined = lcpArrayUnchecked(units.ids, sa);
    const msLcp = performance.now() - t0;
    const b3 = await buffers();
    const peak = maxRss() - baseRss;
    consume(sa[0]! + lcp[n - 1]!);
    rows.push([
      '50 MB', unit, n, units.alphabetSize, msUnits, msSa, bigMb / (msSa / 1000), n / 1e6 / (msSa / 1000), msLcp, n / 1e6 / (msLcp / 1000),
    ]);
    memRows.push([unit, n, (b1 - b0) / n, (b2 - b1) / n, (b3 - b2) / n, peak / n]);
    units = sa = lcp = undefined;
  }

  for (const mb of [10, 1] as const) {
    const texts = corpusOf(docs, bytes, mb);
    const realMb = texts.reduce((s, t) => s + encoder.encode(t).length, 0) / 1e6;
    const repeats = mb === 1 ? 5 : 3;
    const warmup = mb === 1 ? 2 : 0;
    for (const unit of ['word', 'char'] as const) {
      gc();
      let units = build(unit, texts);
      const tUnits = time(() => (units = build(unit, texts)), { warmup: 0, repeats: 3 });
      const n = units.ids.length;
      let sa: Uint32Array = new Uint32Array(0);
      const tSa = time(() => (sa = suffixArrayUnchecked(units.ids, units.alphabetSize)), { warmup, repeats });
      const tLcp = time(() => lcpArrayUnchecked(units.ids, sa), { warmup: Math.min(warmup, 1), repeats });
      rows.unshift([
        `${mb} MB`, unit, n, units.alphabetSize,
        tUnits.medianMs, tSa.medianMs, realMb / (tSa.medianMs / 1000), n / 1e6 / (tSa.medianMs / 1000),
        tLcp.medianMs, n / 1e6 / (tLcp.medianMs / 1000),
      ]);
    }
  }
  rows.sort((x, y) => parseInt(String(x[0]), 10) - parseInt(String(y[0]), 10) || String(x[1]).localeCompare(String(y[1])) * -1);

  // End to end on 10 MB: findRepeats and removeRepeats, both units.
  const ten = corpusOf(docs, bytes, 10);
  const tenChars = ten.reduce((s, t) => s + t.length, 0);
  const e2e: (string | number)[][] = [];
  for (const [unit, minLength] of [['word', 50], ['char', 200]] as const) {
    gc();
    let found: ReturnType<typeof findRepeats> = [];
    const tFind = time(() => (found = findRepeats(ten, { unit, minLength })), { warmup: 0, repeats: 2 });
    const spans = found.reduce((s, r) => s + r.occurrences.length, 0);
    const covered = found.reduce((s, r) => s + r.occurrences.reduce((c, o) => c + o.end - o.start, 0), 0);
    let kept = 0;
    const tRemove = time(() => { kept = removeRepeats(ten, { unit, minLength }).texts.reduce((s, t) => s + t.length, 0); return kept; }, { warmup: 0, repeats: 2 });
    e2e.push([
      `${unit}, minLength ${minLength}`, tFind.medianMs, 10 / (tFind.medianMs / 1000), found.length, spans,
      `${((100 * covered) / tenChars).toFixed(1)} %`, tRemove.medianMs, `${((100 * (tenChars - kept)) / tenChars).toFixed(1)} %`,
    ]);
  }

  return [
    '## Exact repeated substrings (`suffixArray`, `findRepeats`, `removeRepeats`)',
    '',
    'Debian English descriptions as documents (copies in seeded random order past the 26 MB corpus), MB of UTF-8.',
    '`units`: tokenizing (`words()` tokens) or reading code points and interning them as dense ids, with a',
    'sentinel per document; `SA-IS`: suffix array construction on those ids; `LCP`: Kasai. Median of',
    '5 / 3 / 1 runs at 1 / 10 / 50 MB.',
    '',
    table(['input', 'unit', 'units', 'alphabet', 'units ms', 'SA-IS ms', 'SA-IS MB/s', 'SA-IS M units/s', 'LCP ms', 'LCP M units/s'], rows),
    '',
    'Memory per unit on 50 MB, measured: bytes held after each stage (array buffers after a full GC): the units',
    '(ids, UTF-16 starts and ends: 12 by design), the suffix array (4), the LCP array (4); and the growth of',
    "the process' peak RSS over the whole pipeline (transient buffers included: SA-IS adds 1 byte per unit for",
    'the L/S types plus two alphabet-sized tables per recursion level; Kasai a 4-byte inverse suffix array).',
    '',
    table(['unit', 'units', 'units bytes/unit', 'SA bytes/unit', 'LCP bytes/unit', 'peak RSS bytes/unit'], memRows),
    '',
    `End to end on 10 MB (${ten.length.toLocaleString('en-US')} documents): \`findRepeats\` and \`removeRepeats\` including`,
    'tokenization, suffix array and LCP; covered = share of characters inside a reported span; removed = share',
    'of characters cut. Median of 2 runs.',
    '',
    table(['unit', 'findRepeats ms', 'MB/s', 'repeats', 'spans', 'covered', 'removeRepeats ms', 'removed'], e2e),
  ].join('\n');
}
