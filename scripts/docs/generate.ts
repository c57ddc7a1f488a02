/**
 * Computes the parts of the docs that come from the library, the benchmarks and the bundler rather than from a
 * writer: the LSH S-curve chart and trade-off table (from `LshIndex.collisionProbability` and the parameter
 * choosers), tables of bench/RESULTS.md, and the bundle sizes (esbuild, min + gzip). `npm run docs` runs it before
 * typedoc; scripts/docs/typedoc-generated.mjs puts each part into the pages at its `<!-- build:NAME -->` …
 * `<!-- /build -->` marker, so the site always shows current figures. `--write` also refreshes the copies
 * committed in the Markdown files (what GitHub shows).
 *
 * Usage: npx tsx scripts/docs/generate.ts [--write]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LshIndex, optimalLshParams, recallLshParams, type LshParams } from '../../src/index';
import { fillBuildBlocks } from './blocks.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const GENERATED = join(root, '.tmp/docs/generated.json');

const THRESHOLD = 0.8;
const NUM_PERM = 128;

/** The bandings the guide compares at threshold 0.8 and 128 permutations. */
function bandings(): { label: string; index: LshIndex; params: LshParams }[] {
  const weighted = optimalLshParams(THRESHOLD, NUM_PERM);
  return [
    { label: `datasketch's choice (weights 0.5/0.5): ${weighted.bands} × ${weighted.rows}`, index: new LshIndex({ threshold: THRESHOLD, numPerm: NUM_PERM }), params: weighted },
    ...[0.9, 0.95, 0.99].map((minRecall) => {
      const params = recallLshParams(THRESHOLD, NUM_PERM, minRecall);
      const tag = minRecall === 0.95 ? ' (dedupe default)' : '';
      const label = `minRecall ${minRecall}${tag}: ${params.bands} × ${params.rows}`;
      return { label, index: new LshIndex({ threshold: THRESHOLD, numPerm: NUM_PERM, minRecall }), params };
    }),
  ];
}

const COLORS = ['#d9480f', '#1c7ed6', '#2b8a3e', '#862e9c'];

/** The S-curves of the bandings as one SVG element on one line (Markdown ends an HTML block at a blank line). */
export function sCurveSvg(): string {
  const W = 640, H = 360, L = 56, R = 16, T = 16, B = 48;
  const x = (s: number): number => L + s * (W - L - R);
  const y = (p: number): number => T + (1 - p) * (H - T - B);
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" role="img" aria-label="Probability that LSH proposes a pair, by Jaccard similarity" style="max-width:100%;height:auto;font:12px sans-serif">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
  ];
  for (let i = 0; i <= 10; i++) {
    const v = i / 10;
    parts.push(`<line x1="${f(x(v))}" y1="${f(y(0))}" x2="${f(x(v))}" y2="${f(y(1))}" stroke="#e9ecef"/>`);
    parts.push(`<line x1="${f(x(0))}" y1="${f(y(v))}" x2="${f(x(1))}" y2="${f(y(v))}" stroke="#e9ecef"/>`);
    parts.push(`<text x="${f(x(v))}" y="${f(y(0) + 16)}" text-anchor="middle" fill="#333">${v.toFixed(1)}</text>`);
    parts.push(`<text x="${f(x(0) - 6)}" y="${f(y(v) + 4)}" text-anchor="end" fill="#333">${v.toFixed(1)}</text>`);
  }
  parts.push(`<line x1="${f(x(THRESHOLD))}" y1="${f(y(0))}" x2="${f(x(THRESHOLD))}" y2="${f(y(1))}" stroke="#495057" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${f(x(THRESHOLD) - 4)}" y="${f(y(1) + 12)}" text-anchor="end" fill="#495057">threshold ${THRESHOLD}</text>`);
  parts.push(`<text x="${f((x(0) + x(1)) / 2)}" y="${H - 8}" text-anchor="middle" fill="#333">Jaccard similarity of the pair</text>`);
  parts.push(`<text transform="translate(14 ${f((y(0) + y(1)) / 2)}) rotate(-90)" text-anchor="middle" fill="#333">P(the pair is a candidate)</text>`);
  bandings().forEach(({ label, index }, i) => {
    const points: string[] = [];
    for (let k = 0; k <= 200; k++) points.push(`${f(x(k / 200))},${f(y(index.collisionProbability(k / 200)))}`);
    parts.push(`<polyline fill="none" stroke="${COLORS[i]}" stroke-width="2" points="${points.join(' ')}"/>`);
    parts.push(`<line x1="${x(0.03)}" y1="${y(0.95 - i * 0.07)}" x2="${x(0.08)}" y2="${y(0.95 - i * 0.07)}" stroke="${COLORS[i]}" stroke-width="2"/>`);
    parts.push(`<text x="${f(x(0.09))}" y="${f(y(0.95 - i * 0.07) + 4)}" fill="#333">${label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The recall/precision trade-off of the bandings, in numbers. */
export function tradeoffTable(): string {
  const at = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];
  const rows = bandings().map(({ label, index, params: p }) => {
    return `| ${label} | ${at.map((s) => index.collisionProbability(s).toFixed(3)).join(' | ')} | ${p.falsePositive.toFixed(4)} | ${p.falseNegative.toFixed(4)} |`;
  });
  return [
    `| banding (${NUM_PERM} permutations, threshold ${THRESHOLD}) | ${at.map((s) => `P at ${s}`).join(' | ')} | false-positive area | false-negative area |`,
    `| --- | ${at.map(() => '---').join(' | ')} | --- | --- |`,
    ...rows,
  ].join('\n');
}

/** Table `n` (from 0) of the bench/RESULTS.md section written by `npm run bench -- <section>`, with its source. */
export function benchTable(results: string, section: string, n: number): string {
  const start = results.search(new RegExp(`^<!-- ${section}: `, 'm'));
  if (start < 0) throw new Error(`bench/RESULTS.md has no section "${section}"`);
  const rest = results.slice(start);
  const next = rest.slice(1).search(/^<!-- [\w-]+: /m);
  const body = next < 0 ? rest : rest.slice(0, next + 1);
  const [, date] = /^<!-- [\w-]+: (\S+?)(?:T|,)/.exec(body)!;
  const title = /^## (.+)$/m.exec(body)![1]!;
  const tables = body.match(/(?:^\|.*\|\n)+/gm) ?? [];
  const table = tables[n];
  if (!table) throw new Error(`bench/RESULTS.md section "${section}" has no table ${n}`);
  const machine = /^- machine: (.+)$/m.exec(results)?.[1] ?? 'unknown machine';
  const runtime = /^- runtime: (.+)$/m.exec(results)?.[1] ?? '';
  return `${table.trimEnd()}\n\n_From bench/RESULTS.md, “${title}” (\`npm run bench -- ${section}\`, ${date}; ${machine}, ${runtime})._`;
}

/** Minified + gzipped size of what a bundler keeps for an import of the package (esbuild, from source). */
export async function bundleSizes(): Promise<string> {
  const cases: [string, string][] = [
    ["`import * as neardup from 'neardup'` (the whole ESM entry)", "export * from './src/index';"],
    ["`import { dedupe } from 'neardup'`", "export { dedupe } from './src/index';"],
    ["`import { NearDuplicateDetector } from 'neardup'`", "export { NearDuplicateDetector } from './src/index';"],
    ["`import { dedupeParagraphs } from 'neardup'`", "export { dedupeParagraphs } from './src/index';"],
    ["`import { qualityReport } from 'neardup'`", "export { qualityReport } from './src/index';"],
    ["`import { xxh64 } from 'neardup'`", "export { xxh64 } from './src/index';"],
  ];
  const rows: string[] = [];
  for (const [label, contents] of cases) {
    const out = await build({
      stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true, minify: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, logLevel: 'silent',
      mainFields: ['module', 'main'],
    });
    const bytes = out.outputFiles[0]!.contents;
    const kb = (n: number): string => (n / 1024).toFixed(1);
    rows.push(`| ${label} | ${kb(bytes.length)} KB | ${kb(gzipSync(bytes, { level: 9 }).length)} KB |`);
  }
  const esbuildVersion = JSON.parse(readFileSync(join(root, 'node_modules/esbuild/package.json'), 'utf8')).version as string;
  return ['| import | minified | minified + gzip |', '| --- | --- | --- |', ...rows, '', `_Bundled from source with esbuild ${esbuildVersion} (\`--bundle --minify --format=esm\`), gzip level 9; computed by the docs build._`].join('\n');
}

/** Every generated part, by the name used in `<!-- build:NAME -->`. */
export async function generate(): Promise<Record<string, string>> {
  const results = readFileSync(join(root, 'bench/RESULTS.md'), 'utf8');
  const parts: Record<string, string> = { 's-curve': sCurveSvg(), 'lsh-tradeoff': tradeoffTable(), 'bundle-sizes': await bundleSizes() };
  // every bench table a page asks for: <!-- build:bench:SECTION:N -->
  for (const file of ['index.md', ...readdirSync(join(root, 'docs/guides')).map((f) => `guides/${f}`)]) {
    if (!file.endsWith('.md')) continue;
    for (const [, section, n] of readFileSync(join(root, 'docs', file), 'utf8').matchAll(/<!-- build:bench:([\w-]+):(\d+) -->/g)) {
      parts[`bench:${section}:${n}`] = benchTable(results, section!, Number(n));
    }
  }
  return parts;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const parts = await generate();
  mkdirSync(join(root, '.tmp/docs'), { recursive: true });
  writeFileSync(GENERATED, JSON.stringify(parts, null, 1));
  if (process.argv.includes('--write')) {
    for (const file of ['index.md', ...readdirSync(join(root, 'docs/guides')).filter((f) => f.endsWith('.md')).map((f) => `guides/${f}`)]) {
      const path = join(root, 'docs', file);
      const page = readFileSync(path, 'utf8');
      const filled = fillBuildBlocks(page, parts, file);
      if (filled !== page) writeFileSync(path, filled);
    }
  }
  console.log(`docs: generated ${Object.keys(parts).join(', ')} → ${GENERATED.slice(root.length)}`);
}
