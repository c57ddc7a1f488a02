/**
 * The HTML report of a run: one self-contained file (inline CSS, inline SVG charts, the data as embedded JSON, no
 * script and no network), built as a string so that it runs anywhere the core runs.
 *
 * Why SVG written here rather than a charting library: the charts are bar charts of a few dozen bins, which take a
 * few lines of SVG; a library would add a dependency, tens of kilobytes to every report, and a script — and the
 * report must open offline from a `file://` URL, in any browser, years later.
 */
import type { DuplicateExplanation, ExplainSegment } from '../explain';
import { assertOptions, assertString, fail } from '../internal/validate';
import type { DedupeReportData, ReportCluster, ReportPair, ReportText } from './dedupe-report';
import type { QualityReportData } from './quality-report';
import type { Histogram } from './histogram';

/** Escapes text for HTML content and attribute values (double-quoted). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** JSON safe inside a `<script type="application/json">` element: `<` is escaped so `</script>` cannot end it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const idText = (id: unknown): string => (typeof id === 'string' ? id : String(id));

const CSS = `
:root{--fg:#1d2330;--muted:#5b6472;--line:#d8dde5;--bg:#f6f7f9;--card:#fff;--accent:#2f6fdf;--warn:#b3261e;--mark:#ffe08a;--kept:#2f9e6b;--removed:#d9642b}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:18px 28px;background:#1d2330;color:#fff}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c5cbd6;font-size:13px}
main{padding:18px 28px;max-width:1280px}section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:10px 0 6px}.muted{color:var(--muted)}
.counts{display:grid;grid-template-columns:repeat(6,minmax(110px,1fr));gap:10px;margin:0}.counts div{background:var(--bg);border-radius:6px;padding:8px 10px}
.counts dt{font-size:12px;color:var(--muted)}.counts dd{margin:0;font-size:20px;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:14px}.chart{width:100%;height:auto}.chart text{font-size:10px;fill:var(--muted)}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--muted)}
.warn{color:var(--warn);font-weight:600}.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:var(--bg);border:1px solid var(--line);margin-right:4px}
.badge.warn{border-color:var(--warn)}.pair{border-top:1px solid var(--line);padding-top:10px;margin-top:10px}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}.text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border-radius:6px;padding:8px 10px;max-height:320px;overflow:auto;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
mark{background:var(--mark);border-radius:2px}.empty{color:var(--warn);font-style:italic;background:#fdf1f0;border-radius:6px;padding:8px 10px}
pre{background:var(--bg);padding:8px 10px;border-radius:6px;overflow:auto;font-size:12px}details summary{cursor:pointer}
`;

interface Series {
  readonly name: string;
  readonly counts: number[];
  readonly color: string;
}

/** A bar chart of one histogram (one or more series per bin), as inline SVG. Every bin gets a `rect.bar`, empty or not. */
export function barChart(name: string, title: string, edges: number[], series: Series[], log: boolean, label: (x: number) => string, thresholds: readonly { value: number; label: string }[] = []): string {
  const W = 560;
  const H = 200;
  const left = 44;
  const bottom = 28;
  const top = 10;
  const bins = edges.length - 1;
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const scale = (c: number): number => (log ? Math.log10(1 + c) / Math.log10(1 + max) : c / max) * (H - top - bottom);
  const slot = (W - left - 24) / Math.max(1, bins); // room on the right for the last label
  const barW = Math.max(1, (slot - 2) / series.length);
  let bars = '';
  for (let k = 0; k < bins; k++) {
    series.forEach((s, si) => {
      const c = s.counts[k] ?? 0;
      const h = scale(c);
      const x = left + k * slot + 1 + si * barW;
      bars += `<rect class="bar" data-series="${escapeHtml(s.name)}" data-bin="${k}" data-count="${c}" x="${x.toFixed(1)}" y="${(H - bottom - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${s.name} ${label(edges[k]!)}–${label(edges[k + 1]!)}: ${fmt(c)}`)}</title></rect>`;
    });
  }
  // X labels: about six, evenly spaced over the edges.
  let ticks = '';
  const step = Math.max(1, Math.ceil(bins / 6));
  for (let k = 0; k <= bins; k += step) ticks += `<text x="${(left + k * slot).toFixed(1)}" y="${H - bottom + 14}" text-anchor="middle">${escapeHtml(label(edges[k]!))}</text>`;
  const axes = `<line x1="${left}" y1="${H - bottom}" x2="${W - 4}" y2="${H - bottom}" stroke="#9aa3b0"/><line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#9aa3b0"/>` +
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end">${fmt(max)}</text><text x="${left - 4}" y="${H - bottom}" text-anchor="end">0</text>` +
    `<text x="${left + 4}" y="${H - 4}">${log ? 'count, log scale' : 'count'}</text>`;
  // Thresholds: a dashed line at the value, placed by linear interpolation inside its bin.
  let lines = '';
  for (const t of thresholds) {
    let k = 0;
    while (k < bins - 1 && t.value >= edges[k + 1]!) k++;
    const lo = edges[k]!;
    const hi = edges[k + 1]!;
    const f = Math.min(1, Math.max(0, hi > lo ? (t.value - lo) / (hi - lo) : 0));
    const x = left + (k + f) * slot;
    lines += `<line class="threshold" data-value="${t.value}" x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${H - bottom}" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="4 3"><title>${escapeHtml(t.label)}</title></line>` +
      `<text x="${(x + 3).toFixed(1)}" y="${top + 10}" fill="#b3261e">${escapeHtml(t.label)}</text>`;
  }
  const legend = series.length > 1 ? `<div class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.name)}</span>`).join('')}</div>` : '';
  return `<figure><h3>${escapeHtml(title)}</h3>${legend}<svg class="chart" data-chart="${escapeHtml(name)}" data-bins="${bins}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(title)}">${axes}${bars}${ticks}${lines}</svg></figure>`;
}

/** A text with its differing segments in `<mark data-start data-end>` (offsets in UTF-16 code units of the text shown). */
export function markedText(text: string, segments: readonly ExplainSegment[]): string {
  let out = '';
  for (const s of segments) {
    const piece = escapeHtml(text.slice(s.start, s.end));
    out += s.shared ? piece : `<mark data-start="${s.start}" data-end="${s.end}">${piece}</mark>`;
  }
  return out;
}

function textBlock(label: string, side: 'removed' | 'kept', t: ReportText | null, segments: readonly ExplainSegment[] | null, id: unknown): string {
  const head = `<h3>${escapeHtml(label)} <span class="muted">${escapeHtml(idText(id))}</span></h3>`;
  if (t === null) return `<div>${head}<p class="empty" data-side="${side}">Text not available: this document could not be read again for the report (e.g. input from stdin), so no comparison is shown.</p></div>`;
  if (t.text.length === 0) return `<div>${head}<p class="empty" data-side="${side}">Empty text.</p></div>`;
  const body = segments === null ? escapeHtml(t.text) : markedText(t.text, segments);
  const cut = t.truncated ? `<p class="muted">First ${fmt(t.text.length)} of ${fmt(t.length)} UTF-16 code units shown.</p>` : '';
  return `<div>${head}<div class="text" data-side="${side}">${body}</div>${cut}</div>`;
}

function explanationLine(e: DuplicateExplanation | null): string {
  if (e === null) return '';
  const parts = [`${fmt(e.words.shared)} of ${fmt(e.words.a)} / ${fmt(e.words.b)} words aligned`];
  if (e.exact) parts.push(e.identical ? 'identical texts' : '<b>exact after normalization</b>');
  if (e.folded.length > 0) {
    parts.push(`normalization folded: ${e.folded.map((f) => `${escapeHtml(f.step)} (${fmt(f.a)}/${fmt(f.b)}${f.examples.length > 0 ? `, e.g. ${f.examples.map((x) => `${escapeHtml(JSON.stringify(x.from))}→${escapeHtml(JSON.stringify(x.to))}`).join(' ')}` : ''})`).join('; ')}`);
  }
  return `<p class="muted">${parts.join(' · ')}</p>`;
}

function pairBlock(p: ReportPair, where: string): string {
  const e = p.explanation;
  const sim = p.exact ? 'exact duplicate' : `similarity ${p.similarity.toFixed(3)}`;
  return `<div class="pair" data-where="${where}" data-id="${escapeHtml(JSON.stringify(p.id))}" data-kept="${escapeHtml(JSON.stringify(p.duplicateOf))}">` +
    `<p><span class="badge">${escapeHtml(sim)}</span>${e?.measure !== undefined && !p.exact ? `<span class="badge">${escapeHtml(e.measure)}</span>` : ''}</p>` +
    explanationLine(e) +
    `<div class="side">${textBlock('Removed', 'removed', p.text, e?.a ?? null, p.id)}${textBlock('Kept copy', 'kept', p.kept, e?.b ?? null, p.duplicateOf)}</div></div>`;
}

function clusterBlock(c: ReportCluster, rank: number): string {
  const warn = c.warnings.map((w) => `<span class="badge warn">${w === 'large' ? 'very large' : 'template / boilerplate'}</span>`).join('');
  const members = c.members.length > 0 ? c.members.map((m) => pairBlock(m, 'cluster')).join('') : '<p class="empty">No member text available for this cluster.</p>';
  return `<details class="cluster" data-kept="${escapeHtml(JSON.stringify(c.kept))}" data-size="${c.size}"${rank < 3 ? ' open' : ''}><summary><b>#${rank + 1}</b> kept ${escapeHtml(idText(c.kept))} · ${fmt(c.size)} members ${warn}</summary>${members}</details>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

/** Options of {@link renderDedupeReport}.
 * @example
 * ```ts
 * const options: ReportRenderOptions = { title: 'Nightly crawl', subtitle: 'crawl-2026-12-07.jsonl.gz' };
 * renderDedupeReport(dedupeReportData([], dedupe([])), options).includes('<title>Nightly crawl</title>'); // => true
 * ```
 */
export interface ReportRenderOptions {
  /** Title of the page. Default `'neardup dedupe report'`. */
  title?: string;
  /** One line under the title (input file, version, time). */
  subtitle?: string;
}

/** Checks a renderer's arguments at the boundary. */
function checkRender(fn: string, kind: string, data: unknown, options: ReportRenderOptions | undefined): void {
  if (typeof data !== 'object' || data === null || (data as { kind?: unknown }).kind !== kind) {
    fail(TypeError, `${fn}: data`, `report data of kind "${kind}" (from the ${kind === 'dedupe' ? 'dedupeReportData' : 'QualityReportBuilder'} API)`, data);
  }
  assertOptions(fn, 'options', options, ['title', 'subtitle']);
  if (options?.title !== undefined) assertString(`${fn}: options.title`, options.title);
  if (options?.subtitle !== undefined) assertString(`${fn}: options.subtitle`, options.subtitle);
}

const similarityLabel = (x: number): string => x.toFixed(2);
const sizeLabel = (x: number): string => (x >= 1e6 ? `${+(x / 1e6).toPrecision(2)}M` : x >= 1e3 ? `${+(x / 1e3).toPrecision(2)}k` : String(x));

function histogramChart(name: string, title: string, h: Histogram, color: string, log: boolean, label: (x: number) => string): string {
  return barChart(name, title, h.edges, [{ name: 'documents', counts: h.counts, color }], log, label);
}

/**
 * Renders a dedupe run's report data as one self-contained HTML page (see the module comment). Every text is
 * escaped; a missing kept copy or an empty text shows as a clearly marked empty block, never a broken page.
 *
 * @param data - what {@link dedupeReportData} (or a {@link DedupeReportBuilder}) returned
 * @param options - title and subtitle of the page
 * @returns the page, a complete HTML document
 * @throws TypeError when `data` is not report data of this kind, or for an unknown or non-string option
 * @example
 * ```ts
 * const docs = ['Tea is grown in Assam and Darjeeling.', 'Tea is grown in Assam and in Darjeeling!'];
 * const html = renderDedupeReport(dedupeReportData(docs, dedupe(docs, { threshold: 0.3 }), { dedupe: { threshold: 0.3 } }));
 * html.startsWith('<!doctype html>'); // => true
 * html.includes('<mark data-start="25" data-end="29"> in </mark>'); // => true
 * ```
 */
export function renderDedupeReport(data: DedupeReportData, options?: ReportRenderOptions): string {
  checkRender('renderDedupeReport', 'dedupe', data, options);
  const c = data.counts;
  const counts = ([['input', 'Input records'], ['kept', 'Kept'], ['exact', 'Removed: exact'], ['near', 'Removed: near'], ['removed', 'Removed: total'], ['invalid', 'Invalid']] as const)
    .map(([k, label]) => `<div><dt>${label}</dt><dd data-count="${k}">${fmt(c[k])}</dd></div>`).join('');
  const suspicious = data.largestClusters.filter((x) => x.warnings.length > 0);
  const warnings = (data.clusters.large > 0 ? `<p class="warn">${fmt(data.clusters.large)} cluster(s) with at least ${fmt(data.caps.largeCluster)} members: check that they are real copies, not pages of one template.</p>` : '') +
    (suspicious.length > 0
      ? `<table><tr><th>kept</th><th>members</th><th>warning</th><th>template-like members shown</th></tr>${suspicious.map((x) => `<tr class="suspicious"><td>${escapeHtml(idText(x.kept))}</td><td>${fmt(x.size)}</td><td>${x.warnings.map((w) => (w === 'large' ? 'very large' : 'shares little beyond a common prefix/suffix')).join(', ')}</td><td>${x.templateMembers} of ${x.members.length}</td></tr>`).join('')}</table>`
      : '<p class="muted">No suspicious cluster among the largest ones: none very large, none whose members share only a common prefix or suffix.</p>');
  const h = data.histograms;
  const charts = `<div class="charts">${histogramChart('similarity', 'Similarity of removed documents to their kept copy', h.similarity, '#2f6fdf', false, similarityLabel)}` +
    `${histogramChart('cluster-sizes', 'Cluster sizes (members; power-of-two bins)', h.clusterSizes, '#7a4fd0', true, sizeLabel)}` +
    `${barChart('lengths', 'Document length, UTF-16 code units (power-of-two bins)', h.lengths.edges, [{ name: 'kept', counts: h.lengths.kept, color: '#2f9e6b' }, { name: 'removed', counts: h.lengths.removed, color: '#d9642b' }], true, sizeLabel)}</div>`;
  const clusters = data.largestClusters.length > 0
    ? `<p class="muted">${fmt(data.clusters.count)} clusters in all; the ${data.largestClusters.length} largest, each with its first ${data.caps.membersPerCluster} removed members beside the kept copy (differences highlighted).</p>${data.largestClusters.map(clusterBlock).join('')}`
    : '<p class="empty">No clusters: nothing was removed.</p>';
  const samples = data.samples.length > 0
    ? `<p class="muted">${data.samples.length} of ${fmt(c.removed)} removed documents, sampled uniformly (seed ${data.caps.seed}); words that differ from the kept copy are highlighted.</p>${data.samples.map((p) => pairBlock(p, 'sample')).join('')}`
    : '<p class="empty">No removed documents to show.</p>';
  const caps = `Report caps: ${data.caps.samples} samples, ${data.caps.clusters} clusters × ${data.caps.membersPerCluster} members, texts cut at ${fmt(data.caps.textLength)} UTF-16 code units.`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(options?.title ?? 'neardup dedupe report')}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(options?.title ?? 'neardup dedupe report')}</h1><p>${escapeHtml(options?.subtitle ?? '')}</p></header><main>` +
    section('counts', 'Counts', `<dl class="counts">${counts}</dl><p class="muted">${fmt(data.clusters.count)} clusters of two or more documents. ${escapeHtml(caps)}</p>`) +
    section('warnings', 'Suspicious clusters', warnings) +
    section('charts', 'Distributions', charts) +
    section('clusters', 'Largest clusters', clusters) +
    section('samples', 'Sample of removed documents', samples) +
    section('options', 'Options', `<pre>${escapeHtml(JSON.stringify(data.options, null, 2))}</pre>`) +
    `</main><script type="application/json" id="report-data">${scriptJson(data)}</script></body></html>\n`;
}

const ratioLabel = (x: number): string => String(+x.toFixed(2));

/**
 * Renders a quality run's report data as one self-contained HTML page: counts, pass/fail per filter and per rule,
 * the distribution of each thresholded statistic with its threshold drawn, and sampled failing documents with
 * the numbers that made them fail. Every text is escaped; empty sections are marked as such.
 *
 * @param data - what {@link QualityReportBuilder.build} returned
 * @param options - title and subtitle of the page
 * @returns the page, a complete HTML document
 * @throws TypeError when `data` is not report data of this kind, or for an unknown or non-string option
 * @example
 * ```ts
 * const b = new QualityReportBuilder();
 * b.add(qualityReport('Too short.'), 'Too short.');
 * const html = renderQualityReport(b.build());
 * html.includes('<td>gopher_short_doc</td><td data-reason-count="gopher_short_doc">1</td>'); // => true
 * ```
 */
export function renderQualityReport(data: QualityReportData, options?: ReportRenderOptions): string {
  checkRender('renderQualityReport', 'quality', data, options);
  const title = options?.title ?? 'neardup quality report';
  const c = data.counts;
  const counts = ([['input', 'Input records'], ['pass', 'Pass'], ['fail', 'Fail'], ['invalid', 'Invalid']] as const)
    .map(([k, label]) => `<div><dt>${label}</dt><dd data-count="${k}">${fmt(c[k])}</dd></div>`).join('');
  const filters = `<table><tr><th>filter</th><th>pass</th><th>fail</th></tr>${Object.entries(data.filters).map(([f, x]) => `<tr><td>${escapeHtml(f)}</td><td data-filter-pass="${escapeHtml(f)}">${fmt(x.pass)}</td><td data-filter-fail="${escapeHtml(f)}">${fmt(x.fail)}</td></tr>`).join('')}</table>`;
  const reasons = Object.keys(data.reasons).length > 0
    ? `<table><tr><th>rule (reason)</th><th>documents failing it</th></tr>${Object.entries(data.reasons).map(([r, n]) => `<tr><td>${escapeHtml(r)}</td><td data-reason-count="${escapeHtml(r)}">${fmt(n)}</td></tr>`).join('')}</table>`
    : '<p class="empty">No document failed any rule.</p>';
  const charts = `<div class="charts">${data.statistics.map((s) => {
    const t = s.thresholds.map((x) => ({ value: x.value, label: `${x.keep === 'at least' ? '≥' : '≤'} ${x.value}` }));
    const chart = barChart(s.name, `${s.label} (${s.name})`, s.histogram.edges, [{ name: 'documents', counts: s.histogram.counts, color: '#2f6fdf' }], true, s.scale === 'log2' ? sizeLabel : ratioLabel, t);
    return s.missing > 0 ? chart.replace('</figure>', `<p class="muted">${fmt(s.missing)} documents without a value.</p></figure>`) : chart;
  }).join('')}</div>`;
  const samples = data.samples.length > 0
    ? `<p class="muted">${data.samples.length} of ${fmt(c.fail)} failing documents, sampled uniformly (seed ${data.caps.seed}).</p>${data.samples.map((s) => {
      const nums = s.failing.length > 0
        ? `<table><tr><th>rule</th><th>statistic</th><th>value</th><th>threshold</th></tr>${s.failing.map((f) => `<tr class="failing"><td>${escapeHtml(f.reason)}</td><td>${escapeHtml(f.statistic)}</td><td>${f.value === null ? 'n/a' : escapeHtml(String(+f.value.toFixed(4)))}</td><td>${escapeHtml(String(f.threshold))}</td></tr>`).join('')}</table>`
        : '';
      const text = s.text.text.length > 0 ? `<div class="text">${escapeHtml(s.text.text)}</div>` : '<p class="empty">Empty text.</p>';
      return `<div class="pair failure" data-id="${escapeHtml(JSON.stringify(s.id))}"><h3>${escapeHtml(idText(s.id))}</h3><p>${s.reasons.map((r) => `<span class="badge warn">${escapeHtml(r)}</span>`).join('')}</p>${nums}${text}</div>`;
    }).join('')}`
    : '<p class="empty">No failing documents to show.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(options?.subtitle ?? '')}</p></header><main>` +
    section('counts', 'Counts', `<dl class="counts">${counts}</dl><p class="muted">${escapeHtml(`Report caps: ${data.caps.samples} samples, texts cut at ${fmt(data.caps.textLength)} UTF-16 code units.`)}</p>`) +
    section('filters', 'Pass and fail per filter', filters) +
    section('reasons', 'Failures per rule', reasons) +
    section('charts', 'Statistics and thresholds', charts) +
    section('samples', 'Sample of failing documents', samples) +
    section('options', 'Options', `<pre>${escapeHtml(JSON.stringify(data.options, null, 2))}</pre>`) +
    `</main><script type="application/json" id="report-data">${scriptJson(data)}</script></body></html>\n`;
}
