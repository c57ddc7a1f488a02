import { describe, expect, it } from 'vitest';
import {
  dedupe, dedupeReportData, DedupeReportBuilder, explainDuplicate, qualityReport, QualityReportBuilder, renderDedupeReport, renderQualityReport,
  type Doc, type DedupeResult, type DedupeRunOptions,
} from '../src/index';
import { mulberry32 as rng } from './helpers/random';

const VOCAB = Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}k`);

/** Bases with edited copies (near), case/punctuation copies (exact) and unique documents. */
function corpus(seed: number, bases: number): { id: string; text: string }[] {
  const rand = rng(seed);
  const pick = () => VOCAB[Math.floor(rand() * VOCAB.length)]!;
  const docs: { id: string; text: string }[] = [];
  for (let b = 0; b < bases; b++) {
    const base = Array.from({ length: 20 + Math.floor(rand() * 60) }, pick);
    docs.push({ id: `b${b}`, text: base.join(' ') });
    const copies = Math.floor(rand() * 4) * (b % 7 === 0 ? 5 : 1);
    for (let c = 0; c < copies; c++) {
      const text = c % 2 === 0 ? base.map((w) => (rand() < 0.03 ? pick() : w)).join(' ') : `${base.join(', ').toUpperCase()}!`;
      docs.push({ id: `b${b}c${c}`, text });
    }
  }
  return docs;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('dedupeReportData(docs, result, options)', () => {
  const docs = corpus(1, 400);
  const result = dedupe(docs);
  const data = dedupeReportData(docs, result);

  it('dedupeReportData(docs, result) counts and histograms agree with the dedupe result', () => {
    expect(data.counts).toEqual({
      input: docs.length, kept: result.stats.kept, removed: result.stats.duplicates, exact: result.stats.exactDuplicates, near: result.stats.nearDuplicates, invalid: 0,
    });
    const h = data.histograms;
    expect(sum(h.similarity.counts)).toBe(result.stats.duplicates);
    expect(h.similarity.edges.length).toBe(h.similarity.counts.length + 1);
    expect(h.similarity.edges[0]).toBe(0.8);
    expect(sum(h.clusterSizes.counts)).toBe(result.stats.clusters);
    expect(h.clusterSizes.edges.length).toBe(h.clusterSizes.counts.length + 1);
    // Every cluster size falls in its power-of-two bin.
    const expected = new Array<number>(h.clusterSizes.counts.length).fill(0);
    for (const c of result.clusters) expected[Math.floor(Math.log2(c.members.length)) - 1]!++;
    expect(h.clusterSizes.counts).toEqual(expected);
    expect(sum(h.lengths.kept)).toBe(result.stats.kept);
    expect(sum(h.lengths.removed)).toBe(result.stats.duplicates);
    expect(data.clusters.count).toBe(result.stats.clusters);
  });

  it('dedupeReportData(docs, result) lists the largest clusters with their first members, explained', () => {
    const sizes = result.clusters.map((c) => c.members.length).sort((a, b) => b - a);
    expect(data.largestClusters.map((c) => c.size)).toEqual(sizes.slice(0, 10));
    const byId = new Map(docs.map((d) => [d.id, d.text]));
    for (const c of data.largestClusters) {
      expect(c.keptText?.text).toBe(byId.get(c.kept as string));
      const members = result.clusters.find((x) => x.kept === c.kept)!.members.filter((m) => m !== c.kept);
      expect(c.members.map((m) => m.id)).toEqual(members.slice(0, 5));
      for (const m of c.members) expect(m.explanation).toEqual(explainDuplicate(byId.get(m.id as string)!, byId.get(c.kept as string)!));
    }
  });

  it('dedupeReportData(docs, result) samples removed documents uniformly, seeded, in input order, with their kept copy', () => {
    expect(data.samples.length).toBe(20);
    const order = new Map(docs.map((d, i) => [d.id, i]));
    const positions = data.samples.map((s) => order.get(s.id as string)!);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const byId = new Map(docs.map((d) => [d.id, d.text]));
    const removed = new Map(result.duplicates.map((d) => [d.id, d]));
    for (const s of data.samples) {
      expect(removed.get(s.id)).toEqual({ id: s.id, duplicateOf: s.duplicateOf, similarity: s.similarity, exact: s.exact });
      expect(s.kept?.text).toBe(byId.get(s.duplicateOf as string));
      expect(s.explanation).toEqual(explainDuplicate(s.text.text, s.kept!.text));
    }
    expect(dedupeReportData(docs, result).samples).toEqual(data.samples);
    expect(dedupeReportData(docs, result, { seed: 2 }).samples.map((s) => s.id)).not.toEqual(data.samples.map((s) => s.id));
  });

  it('dedupeReportData(docs, result, caps) stays bounded on a big run: size independent of the number of documents', () => {
    const big = corpus(2, 4000);
    const bigResult = dedupe(big);
    const caps = { samples: 5, clusters: 3, membersPerCluster: 2, textLength: 50 };
    const small = dedupeReportData(big, bigResult, caps);
    expect(small.samples.length).toBe(5);
    expect(small.largestClusters.length).toBe(3);
    for (const c of small.largestClusters) expect(c.members.length).toBeLessThanOrEqual(2);
    for (const s of small.samples) {
      expect(s.text.text.length).toBeLessThanOrEqual(50);
      expect(s.text.truncated).toBe(s.text.length > 50);
    }
    expect(JSON.stringify(small).length).toBeLessThan(60_000);
    expect(small.counts.input).toBe(big.length);
  });

  it('dedupeReportData flags very large clusters and template clusters, not extended copies', () => {
    const header = 'Welcome to the example shop where every page starts with this very same long header text';
    const footer = 'all rights reserved copyright example shop contact us about us privacy terms sitemap newsletter';
    const rand = rng(3);
    const pick = () => VOCAB[Math.floor(rand() * VOCAB.length)]!;
    const template: (string | Doc)[] = Array.from({ length: 6 }, (_, i) => ({ id: `page${i}`, text: `${header} ${Array.from({ length: 8 }, pick).join(' ')} ${footer}` }));
    const base = Array.from({ length: 30 }, pick).join(' ');
    const extended: (string | Doc)[] = [{ id: 'base', text: base }, ...Array.from({ length: 3 }, (_, i) => ({ id: `ext${i}`, text: `${base} ${Array.from({ length: 4 }, pick).join(' ')}` }))];
    const all = [...template, ...extended];
    const options: DedupeRunOptions = { threshold: 0.4 };
    const r = dedupe(all, options);
    const report = dedupeReportData(all, r, { dedupe: options, largeCluster: 5 });
    const page = report.largestClusters.find((c) => c.kept === 'page0')!;
    expect(page.size).toBe(6);
    expect(page.warnings).toEqual(['large', 'template']);
    const ext = report.largestClusters.find((c) => c.kept === 'base')!;
    expect([ext.size, ext.warnings, ext.templateMembers]).toEqual([4, [], 0]);
    expect(report.clusters.large).toBe(1);
    expect(renderDedupeReport(report)).toContain('<tr class="suspicious"><td>page0</td><td>6</td>');
  });

  it('dedupeReportData handles an empty run and empty texts', () => {
    const empty = dedupeReportData([], dedupe([]));
    expect(empty.counts).toEqual({ input: 0, kept: 0, removed: 0, exact: 0, near: 0, invalid: 0 });
    expect([empty.samples, empty.largestClusters, empty.histograms.clusterSizes]).toEqual([[], [], { edges: [2, 4], counts: [0] }]);
    const html = renderDedupeReport(empty);
    expect(html).toContain('<p class="empty">No removed documents to show.</p>');
    expect(html).toContain('<p class="empty">No clusters: nothing was removed.</p>');
    const blanks = dedupeReportData(['', '', '  '], dedupe(['', '', '  ']));
    expect(blanks.counts.removed).toBe(0);
  });

  it('DedupeReportBuilder without the kept copies\' texts marks them as not available', () => {
    const b = new DedupeReportBuilder();
    b.kept(11);
    b.removed({ id: 1, duplicateOf: 0, similarity: 1, exact: true }, 12, 'Hello world!');
    b.invalid(2);
    const data = b.build();
    expect(data.counts).toEqual({ input: 4, kept: 1, removed: 1, exact: 1, near: 0, invalid: 2 });
    expect(data.samples[0]).toMatchObject({ id: 1, kept: null, explanation: null });
    const html = renderDedupeReport(data);
    expect(html).toContain('<p class="empty" data-side="kept">Text not available');
    expect(() => b.kept(1)).toThrow(new RangeError('DedupeReportBuilder: state must be open (every record comes before wanted() and build()), got closed'));
  });

  it('renderDedupeReport(data) escapes every text: no markup from the documents reaches the page', () => {
    const evil = ['<script>alert(1)</script> & "quotes" \'single\' </script><b>x</b> more words here', '<SCRIPT>alert(1)</SCRIPT> & "quotes" \'single\' </script><b>x</b> more words here'];
    const html = renderDedupeReport(dedupeReportData(evil, dedupe(evil)));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Only the one data script element, which the texts cannot close.
    expect(html.match(/<script/g)!.length).toBe(1);
    expect(html.match(/<\/script>/g)!.length).toBe(1);
  });

  it('DedupeReportBuilder(options) rejects bad caps with RangeError/TypeError naming them', () => {
    expect(() => new DedupeReportBuilder({ samples: -1 })).toThrow(new RangeError('DedupeReportBuilder: options.samples must be an integer from 0 to 1000, got -1'));
    expect(() => new DedupeReportBuilder({ textLength: 0 })).toThrow(RangeError);
    expect(() => new DedupeReportBuilder({ dedupe: { threshold: 3 } })).toThrow(new RangeError('DedupeReportBuilder: options.dedupe.threshold must be a number greater than 0 and at most 1, got 3'));
    expect(() => new DedupeReportBuilder({ dedupe: { treshold: 0.5 } as object })).toThrow(new TypeError('DedupeReportBuilder: unknown option "dedupe.treshold" (did you mean "dedupe.threshold"?)'));
    expect(() => new DedupeReportBuilder({ sample: 3 } as object)).toThrow(new TypeError('DedupeReportBuilder: unknown option "sample" (did you mean "samples"?)'));
    expect(() => new DedupeReportBuilder(7 as unknown as object)).toThrow(TypeError);
    expect(() => dedupeReportData(5 as unknown as string[], dedupe([] as string[]))).toThrow(TypeError);
    expect(() => dedupeReportData([], {} as DedupeResult)).toThrow(/dedupeReportData: result must be what dedupe returned/);
  });
});

describe('QualityReportBuilder(options)', () => {
  const texts = [
    '', 'Too short.', 'Buy now!\nBuy now!\nBuy now!\nBuy now!',
    ...Array.from({ length: 40 }, (_, i) => `The ${i} cats sat on the mat and they looked at the dog. `.repeat(1 + (i % 9)) + (i % 4 === 0 ? '\n#tag #tag #tag' : '')),
  ];
  const reports = texts.map((t) => qualityReport(t));

  it('QualityReportBuilder counts pass/fail per filter and per rule like qualityReport', () => {
    const b = new QualityReportBuilder();
    texts.forEach((t, i) => b.add(reports[i]!, t));
    b.invalid(3);
    const data = b.build();
    const fails = reports.filter((r) => !r.pass).length;
    expect(data.counts).toEqual({ input: texts.length + 3, pass: texts.length - fails, fail: fails, invalid: 3 });
    for (const f of ['gopherRepetition', 'gopherQuality', 'c4', 'fineweb'] as const) {
      expect(data.filters[f]).toEqual({ pass: reports.filter((r) => r[f].pass).length, fail: reports.filter((r) => !r[f].pass).length });
    }
    const reasons: Record<string, number> = {};
    for (const r of reports) for (const x of new Set(r.reasons)) reasons[x] = (reasons[x] ?? 0) + 1;
    expect(data.reasons).toEqual(reasons);
    const counts = Object.values(data.reasons);
    expect([...counts].sort((x, y) => y - x)).toEqual(counts);
  });

  it('QualityReportBuilder bins every statistic (or counts it missing) and records its thresholds', () => {
    const b = new QualityReportBuilder();
    texts.forEach((t, i) => b.add(reports[i]!, t));
    const data = b.build();
    expect(data.statistics.length).toBe(19);
    for (const s of data.statistics) {
      expect(sum(s.histogram.counts) + s.missing).toBe(texts.length);
      expect(s.histogram.edges.length).toBe(s.histogram.counts.length + 1);
      expect(s.thresholds.length).toBeGreaterThan(0);
    }
    const words = data.statistics.find((s) => s.name === 'gopherQuality.nNonSymbolWords')!;
    expect(words.scale).toBe('log2');
    const expected = new Array<number>(words.histogram.counts.length).fill(0);
    for (const r of reports) expected[r.gopherQuality.stats.nNonSymbolWords === 0 ? 0 : Math.floor(Math.log2(r.gopherQuality.stats.nNonSymbolWords)) + 1]!++;
    expect(words.histogram.counts).toEqual(expected);
    const lineDup = data.statistics.find((s) => s.name === 'gopherRepetition.lineDupFrac')!;
    expect([lineDup.scale, lineDup.histogram.edges[0], lineDup.histogram.edges[20], lineDup.thresholds]).toEqual(['linear', 0, 1, [{ reason: 'dup_line_frac', value: 0.3, keep: 'at most' }]]);
    // Thresholds follow the run's options.
    const custom = new QualityReportBuilder({ quality: { gopherQuality: { minDocWords: 7 } } }).build();
    expect(custom.statistics[0]!.thresholds[0]).toEqual({ reason: 'gopher_short_doc', value: 7, keep: 'at least' });
  });

  it('QualityReportBuilder samples failing documents (seeded, bounded) with the numbers that made them fail', () => {
    const b = new QualityReportBuilder({ samples: 5, textLength: 30 });
    texts.forEach((t, i) => b.add(reports[i]!, () => t, `doc${i}`));
    const data = b.build();
    expect(data.samples.length).toBe(5);
    for (const s of data.samples) {
      const i = Number((s.id as string).slice(3));
      expect(reports[i]!.pass).toBe(false);
      expect(s.reasons).toEqual(reports[i]!.reasons);
      expect(s.text.text).toBe(texts[i]!.slice(0, 30));
      for (const f of s.failing) {
        expect(reports[i]!.reasons).toContain(f.reason);
        const st = data.statistics.find((x) => x.name === f.statistic)!;
        expect(st.thresholds.map((t) => t.value)).toContain(f.threshold);
      }
    }
    const again = new QualityReportBuilder({ samples: 5, textLength: 30 });
    texts.forEach((t, i) => again.add(reports[i]!, t, `doc${i}`));
    expect(again.build().samples).toEqual(data.samples);
  });

  it('renderQualityReport(data) draws one threshold line per rule and marks empty sections', () => {
    const b = new QualityReportBuilder();
    texts.forEach((t, i) => b.add(reports[i]!, t));
    const data = b.build();
    const html = renderQualityReport(data);
    expect(html.match(/<line class="threshold"/g)!.length).toBe(sum(data.statistics.map((s) => s.thresholds.length)));
    expect(html.match(/<svg class="chart"/g)!.length).toBe(19);
    const empty = renderQualityReport(new QualityReportBuilder().build());
    expect(empty).toContain('<p class="empty">No failing documents to show.</p>');
    expect(empty).toContain('<p class="empty">No document failed any rule.</p>');
    expect(() => new QualityReportBuilder({ samples: 1001 })).toThrow(new RangeError('QualityReportBuilder: options.samples must be an integer from 0 to 1000, got 1001'));
  });
});
