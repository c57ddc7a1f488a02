/**
 * docs/guides/05-quality.md shows real output: this test recomputes every generated block and fails when the
 * page differs (tests/guides.test.ts runs and type-checks its code). `UPDATE_GUIDE=1 npx vitest run tests/quality-guide.test.ts` rewrites the blocks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dedupeParagraphs, gopherRepetition, qualityReport } from '../src/index';

const guidePath = fileURLToPath(new URL('../docs/guides/05-quality.md', import.meta.url));
const seed = readFileSync(fileURLToPath(new URL('../seeds/000_cc1f5f790d2f55b7.txt', import.meta.url)), 'utf8');
const show = (v: unknown): string => inspect(v, { depth: 4, breakLength: 100, maxArrayLength: 50 });

function blocks(): Record<string, string> {
  const r = gopherRepetition(seed, { tokenizer: 'whitespace' });
  const { pass, reasons } = r;
  const { nLines, lineDupCount, lineDupFrac, lineDupChars, lineDupCharFrac } = r.stats;
  const cleaned = dedupeParagraphs(seed);
  const after = qualityReport(cleaned.text, { tokenizer: 'whitespace' });
  return {
    'seed-before': show({ pass, reasons, nLines, lineDupCount, lineDupFrac, lineDupChars, lineDupCharFrac }),
    'report-before': show(qualityReport(seed, { tokenizer: 'whitespace' }).reasons),
    'seed-after': [
      show(cleaned.removed.length),
      show({ pass: after.pass, reasons: after.reasons, lineDupFrac: after.gopherRepetition.stats.lineDupFrac, charDupRatio: after.fineweb.stats.charDupRatio }),
    ].join('\n'),
  };
}

function render(page: string, values: Record<string, string>): string {
  return page.replace(/<!-- generated:([\w-]+) -->\n[\s\S]*?<!-- \/generated -->/g, (_, name: string) => {
    const body = values[name];
    if (body === undefined) throw new Error(`no generator for block ${name}`);
    return `<!-- generated:${name} -->\n\`\`\`text\n${body}\n\`\`\`\n<!-- /generated -->`;
  });
}

describe('docs/guides/05-quality.md', () => {
  it('shows the real output of its code', () => {
    const page = readFileSync(guidePath, 'utf8');
    const expected = render(page, blocks());
    if (process.env.UPDATE_GUIDE === '1' && expected !== page) writeFileSync(guidePath, expected);
    else expect(page).toBe(expected);
  });
  it('the seed article fails dup_line_frac first, and passes every filter after dedupeParagraphs', () => {
    expect(gopherRepetition(seed, { tokenizer: 'whitespace' }).reasons[0]).toBe('dup_line_frac');
    expect(gopherRepetition(seed).reasons[0]).toBe('dup_line_frac');
    expect(qualityReport(dedupeParagraphs(seed).text, { tokenizer: 'whitespace' }).pass).toBe(true);
  });
});

