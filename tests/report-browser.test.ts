/**
 * The HTML report in a real browser: headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM) opens the page
 * written by `neardup dedupe --html` from a file:// URL with the network off, and the DOM is checked against the
 * run's JSON report and the library (`dedupeReportData`, `explainDuplicate`). A screenshot is kept in
 * .tmp/artifacts/. Without Chromium the suite is skipped with a printed reason — except under CI=true, where it fails.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupe, dedupeReportData, explainDuplicate, qualityReport, QualityReportBuilder, type DedupeRunOptions } from '../src/index';
import { cli, readJson, root, tempDir } from './cli.helpers';
import { mulberry32 as rng } from './helpers/random';

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const ci = process.env.CI === 'true';
if (!haveChromium && !ci) console.warn(`report-browser.test.ts skipped: no Chromium at ${chromiumPath} (install Debian's chromium or set CHROMIUM; under CI=true this fails instead)`);

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;

/** Documents with exact copies (case, punctuation, CRLF), near copies, an empty text and text that looks like markup. */
function documents(): { id: string; text: string }[] {
  const rand = rng(11);
  const vocab = Array.from({ length: 300 }, (_, i) => `t${i.toString(36)}x`);
  const pick = () => vocab[Math.floor(rand() * vocab.length)]!;
  const docs: { id: string; text: string }[] = [{ id: 'empty', text: '' }, { id: 'markup', text: '<b>not bold</b> & <script>alert(1)</script> stays text' }];
  for (let b = 0; b < 60; b++) {
    const words = Array.from({ length: 30 + Math.floor(rand() * 40) }, pick);
    docs.push({ id: `d${b}`, text: words.join(' ') });
    for (let c = 0; c < (b % 5) + (b === 3 ? 12 : 0); c++) {
      const edited = words.map((w) => (rand() < 0.04 ? pick() : w));
      docs.push({ id: `d${b}-${c}`, text: c % 3 === 0 ? `${words.join(' ').toUpperCase()}.\r\n` : c % 3 === 1 ? edited.join(' ') : `Café ${edited.join('  ')} ＦＩＮ` });
    }
  }
  return docs;
}

describe.skipIf(!haveChromium && !ci)('neardup dedupe --html in headless Chromium', () => {
  const tmp = tempDir('neardup-html-');
  const docs = documents();
  const input = join(tmp.dir, 'in.jsonl');
  // A repeated id: invalid for dedupe (counted in the report), an ordinary record for quality.
  const repeated = { id: 'd0', text: 'a duplicate id: invalid' };
  writeFileSync(input, [...docs, repeated].map((d) => JSON.stringify(d)).join('\n') + '\n');
  const options: DedupeRunOptions = { threshold: 0.7 };
  let browser: Browser;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true and no Chromium at ${chromiumPath}: the browser test must not be skipped in CI`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    tmp.remove();
  });

  /** Opens a report from file:// offline; fails on any network request, page error or console error. */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 1400 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const url = pathToFileURL(path).href;
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('request', (r) => r.url() !== url && problems.push(`request: ${r.url()}`));
    await page.goto(url);
    return { page, problems };
  }

  it('shows the run\'s counts, charts with one bar per bin, and highlights equal to explainDuplicate\'s spans', async () => {
    const html = join(tmp.dir, 'report.html');
    const json = join(tmp.dir, 'report.json');
    const r = cli(['dedupe', input, '--skip-invalid', '-q', '--threshold', '0.7', '-o', join(tmp.dir, 'kept.jsonl'), '--report', json, '--html', html]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = readJson<{ input: number; kept: number; removed: number; invalid: number; stats: { exactDuplicates: number; nearDuplicates: number } }>(json);
    const { page, problems } = await open(html);

    const count = async (k: string) => Number((await page.textContent(`[data-count="${k}"]`))!.replace(/,/g, ''));
    expect([await count('input'), await count('kept'), await count('removed'), await count('invalid'), await count('exact'), await count('near')])
      .toEqual([report.input, report.kept, report.removed, report.invalid, report.stats.exactDuplicates, report.stats.nearDuplicates]);
    expect(report.removed).toBeGreaterThan(20);
    expect(report.invalid).toBe(1);

    // The library computes the same histograms from the same documents: one bar per bin (two series for lengths).
    const expected = dedupeReportData(docs, dedupe(docs, options), { dedupe: options });
    const bars = (chart: string, series?: string) =>
      page.$$eval(`svg[data-chart="${chart}"] rect.bar${series ? `[data-series="${series}"]` : ''}`, (rs) => rs.map((x) => Number(x.getAttribute('data-count'))));
    expect(await bars('similarity')).toEqual(expected.histograms.similarity.counts);
    expect(expected.histograms.similarity.counts.length).toBe(20);
    expect(await bars('cluster-sizes')).toEqual(expected.histograms.clusterSizes.counts);
    expect(await bars('lengths', 'kept')).toEqual(expected.histograms.lengths.kept);
    expect(await bars('lengths', 'removed')).toEqual(expected.histograms.lengths.removed);
    expect((await bars('lengths')).length).toBe(2 * expected.histograms.lengths.kept.length);

    // Every shown pair: its <mark> spans are explainDuplicate's differing segments of the texts shown.
    const pairs = await page.$$eval('.pair', (ps) => ps.map((p) => {
      const side = (s: string) => {
        const el = p.querySelector(`.text[data-side="${s}"]`);
        return el === null ? null : {
          text: el.textContent!,
          marks: Array.from(el.querySelectorAll('mark')).map((m) => ({ start: Number(m.dataset.start), end: Number(m.dataset.end), text: m.textContent! })),
        };
      };
      return { where: p.getAttribute('data-where'), id: JSON.parse(p.getAttribute('data-id')!), kept: JSON.parse(p.getAttribute('data-kept')!), removed: side('removed'), keptSide: side('kept') };
    }));
    expect(pairs.filter((p) => p.where === 'sample').length).toBe(20);
    expect(pairs.filter((p) => p.where === 'cluster').length).toBeGreaterThan(10);
    const byId = new Map(docs.map((d) => [d.id, d.text]));
    let marked = 0;
    for (const p of pairs) {
      const a = byId.get(p.id)!;
      const b = byId.get(p.kept)!;
      const e = explainDuplicate(a, b, options);
      const lf = (s: string) => s.replace(/\r\n?/g, '\n'); // the HTML parser turns CRLF into LF in text
      for (const [shown, text, segments] of [[p.removed, a, e.a], [p.keptSide, b, e.b]] as const) {
        expect(lf(shown!.text)).toBe(lf(text));
        const want = segments.filter((s) => !s.shared).map((s) => ({ start: s.start, end: s.end, text: lf(text.slice(s.start, s.end)) }));
        expect(shown!.marks).toEqual(want);
        marked += want.length;
      }
    }
    expect(marked).toBeGreaterThan(10);
    expect(await page.$$eval('svg.chart', (s) => s.length)).toBe(3);
    expect(await page.$$eval('script', (xs) => xs.map((x) => x.id))).toEqual(['report-data']); // no script but the data
    expect(problems).toEqual([]);
    mkdirSync(join(root, '.tmp/artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, '.tmp/artifacts/report-browser.png'), fullPage: false });
    await page.context().close();
  });

  it('from stdin the kept copies cannot be read again: clearly marked empty blocks, an intact page', async () => {
    const html = join(tmp.dir, 'stdin.html');
    const r = cli(['dedupe', '-', '-q', '--threshold', '0.7', '-o', '/dev/null', '--html', html], docs.map((d) => JSON.stringify(d)).join('\n'));
    expect(r.code).toBe(0);
    const { page, problems } = await open(html);
    const empty = await page.$$eval('.empty[data-side="kept"]', (xs) => xs.map((x) => x.textContent));
    // Samples show the removed text beside a marked block; clusters, whose member texts were never read, say so.
    expect(empty.length).toBe(20);
    for (const x of empty) expect(x).toMatch(/^Text not available/);
    expect(await page.$$eval('.text[data-side="removed"]', (xs) => xs.length)).toBe(20);
    expect(await page.$$eval('.cluster .empty', (xs) => xs.map((x) => x.textContent))).toEqual(new Array(10).fill('No member text available for this cluster.'));
    expect(await page.$$eval('svg.chart', (s) => s.length)).toBe(3);
    expect(await page.$$eval('section', (s) => s.map((x) => x.id))).toEqual(['counts', 'warnings', 'charts', 'clusters', 'samples', 'options']);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('neardup quality --html: counts equal the JSON report, one chart per statistic with its bars and thresholds, failing samples', async () => {
    const html = join(tmp.dir, 'quality.html');
    const json = join(tmp.dir, 'quality.json');
    const r = cli(['quality', input, '--skip-invalid', '-q', '-o', '/dev/null', '--report', json, '--html', html]);
    expect(r.code).toBe(0);
    const report = readJson<{ input: number; invalid: number; stats: { passed: number; failed: number; reasons: Record<string, number> } }>(json);
    const { page, problems } = await open(html);
    const count = async (k: string) => Number((await page.textContent(`[data-count="${k}"]`))!.replace(/,/g, ''));
    expect([await count('input'), await count('pass'), await count('fail'), await count('invalid')]).toEqual([report.input, report.stats.passed, report.stats.failed, report.invalid]);
    const reasons = await page.$$eval('[data-reason-count]', (xs) => Object.fromEntries(xs.map((x) => [x.getAttribute('data-reason-count'), Number(x.textContent!.replace(/,/g, ''))])));
    expect(reasons).toEqual(report.stats.reasons);
    // The same documents through the library give the same histograms: one bar per bin, one line per threshold.
    const builder = new QualityReportBuilder();
    for (const d of [...docs, repeated]) builder.add(qualityReport(d.text), d.text, d.id);
    const expected = builder.build();
    const charts = await page.$$eval('svg.chart', (cs) => cs.map((c) => ({
      name: c.getAttribute('data-chart'),
      bars: Array.from(c.querySelectorAll('rect.bar')).map((b) => Number(b.getAttribute('data-count'))),
      thresholds: Array.from(c.querySelectorAll('line.threshold')).map((l) => Number(l.getAttribute('data-value'))),
    })));
    expect(charts).toEqual(expected.statistics.map((s) => ({ name: s.name, bars: s.histogram.counts, thresholds: s.thresholds.map((t) => t.value) })));
    expect(await page.$$eval('.failure', (xs) => xs.length)).toBe(Math.min(20, report.stats.failed));
    expect(await page.$$eval('tr.failing', (xs) => xs.length)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(root, '.tmp/artifacts/quality-browser.png') });
    await page.context().close();
  });
});
