/**
 * Keeps docs/guides/04-cleaning-a-scraped-article.md honest: every block between `<!-- generated:NAME -->` and
 * `<!-- /generated -->` is real output of the code below. The test fails when the guide is stale;
 * `UPDATE_GUIDE=1 npx vitest run tests/paragraphs-guide.test.ts` rewrites those blocks (and only those).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dedupeParagraphs, ParagraphDeduplicator, paragraphFrequencies, type ParagraphRemoval } from '../src/index';

const guidePath = fileURLToPath(new URL('../docs/guides/04-cleaning-a-scraped-article.md', import.meta.url));
const seed = readFileSync(fileURLToPath(new URL('../seeds/000_cc1f5f790d2f55b7.txt', import.meta.url)), 'utf8');

const WIDTH = 84;
const clip = (s: string, width = WIDTH): string => (s.length > width ? `${s.slice(0, width - 1)}…` : s);

/** The text as numbered lines, long lines clipped, line breaks shown as they are. */
function numbered(text: string): string {
  return text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(2)} │ ${clip(line)}`)
    .join('\n');
}

/** 1-based line number of a UTF-16 offset. */
const lineOf = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

function reportTable(text: string, removed: ParagraphRemoval[]): string {
  const rows = removed.map(
    (r) =>
      `| ${lineOf(text, r.start)} | ${r.start}–${r.end} | ${r.cutStart}–${r.cutEnd} | line ${lineOf(text, r.duplicateOf!.start)} (${r.duplicateOf!.start}–${r.duplicateOf!.end}) | ${r.similarity} | ${clip(r.text, 40).replace(/\|/g, '\\|')} |`,
  );
  return ['| line | start–end | cut | duplicateOf | similarity | text |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const fence = (body: string, lang = 'text'): string => `\`\`\`${lang}\n${body}\n\`\`\``;

function blocks(): Record<string, string> {
  const result = dedupeParagraphs(seed);
  const first = result.removed[0]!;

  // near matching: a copy of the seed in which the repeated second paragraph was lightly edited
  const lines = seed.split('\n');
  lines[9] = lines[9]!.replace('intensified their attacks', 'stepped up their attacks').replace('over ten years', 'more than a decade');
  const variant = lines.join('\n');
  const exactOnVariant = dedupeParagraphs(variant);
  const nearOnVariant = dedupeParagraphs(variant, { near: true });

  // across documents: the seed, then a syndicated copy with its own lede and a footer
  const pd = new ParagraphDeduplicator();
  const a = pd.process('original', seed);
  const syndicated = `By our Africa correspondent\n\n${seed.split('\n').slice(4, 9).join('\n')}\n\nRead more: Africa news`;
  const b = pd.process('syndicated', syndicated);
  const freq = paragraphFrequencies([seed, syndicated], { top: 3 });

  return {
    input: fence(numbered(seed)),
    output: fence(numbered(result.text)),
    report: reportTable(seed, result.removed),
    'first-removal': fence(JSON.stringify({ ...first, text: clip(first.text, 60) }, null, 2), 'json'),
    near: fence(
      [
        `exact: removed lines ${exactOnVariant.removed.map((r) => lineOf(variant, r.start)).join(', ')}`,
        `near:  removed lines ${nearOnVariant.removed.map((r) => lineOf(variant, r.start)).join(', ')}`,
        ...nearOnVariant.removed.map(
          (r) => `       line ${lineOf(variant, r.start)} ~ line ${lineOf(variant, r.duplicateOf!.start)}, similarity ${r.similarity.toFixed(4)}`,
        ),
      ].join('\n'),
    ),
    stream: fence(
      [
        `original:   ${a.removed.length} units removed, ${a.text.length} of ${seed.length} chars kept`,
        `syndicated: ${b.removed.length} units removed (duplicateOf: ${b.removed.map((r) => (r.duplicateOf === null ? 'null' : 'same text')).join(', ')})`,
        '',
        'syndicated text after process():',
        numbered(b.text),
        '',
        `documents ${pd.documents}, units ${pd.units}, removedUnits ${pd.removedUnits}, storedUnits ${pd.storedUnits}, store ${pd.byteLength} bytes`,
      ].join('\n'),
    ),
    frequencies: fence(
      freq.map((f) => `${String(f.count).padStart(2)}× in ${f.documents} docs, ${String(f.chars).padStart(4)} chars  ${clip(f.text, 60)}`).join('\n'),
    ),
  };
}

/** Replaces the body of every generated block in `guide`; throws if a block is missing. */
function render(guide: string, generated: Record<string, string>): string {
  let out = guide;
  for (const [name, body] of Object.entries(generated)) {
    const open = `<!-- generated:${name} -->`;
    const start = out.indexOf(open);
    if (start < 0) throw new Error(`guide has no block ${open}`);
    const end = out.indexOf('<!-- /generated -->', start);
    if (end < 0) throw new Error(`block ${name} is not closed`);
    out = `${out.slice(0, start + open.length)}\n${body}\n${out.slice(end)}`;
  }
  return out;
}

describe('docs/guides/04-cleaning-a-scraped-article.md', () => {
  it('every generated block is the real output of the code it describes', () => {
    const guide = readFileSync(guidePath, 'utf8');
    const fresh = render(guide, blocks());
    if (process.env.UPDATE_GUIDE === '1') writeFileSync(guidePath, fresh);
    else expect(guide).toBe(fresh);
  });
});
