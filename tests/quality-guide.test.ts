/**
 * docs/guides/quality.md shows real output: this test recomputes every generated block and fails when the
 * page differs. `UPDATE_GUIDE=1 npx vitest run tests/quality-guide.test.ts` rewrites the blocks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { dedupeParagraphs, gopherRepetition, qualityReport } from '../src/index';

const guidePath = fileURLToPath(new URL('../docs/guides/quality.md', import.meta.url));
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

describe('docs/guides/quality.md', () => {
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

const root = fileURLToPath(new URL('..', import.meta.url));
/** Names the guide's first block uses without defining them: the reader's text and what they do with it. */
const PRELUDE = 'declare const text: string;\ndeclare function keep(text: string): void;\n';

/**
 * Type-checks TypeScript sources with the project's strict options, `neardup` resolving to src/index.ts;
 * returns the diagnostics as `file:line: message` strings.
 */
function typeCheck(sources: Record<string, string>): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, baseUrl: root, paths: { neardup: ['src/index.ts'] }, noUnusedLocals: false };
  const host = ts.createCompilerHost(options);
  const files = new Map(Object.entries(sources).map(([name, code]) => [`${root}${name}`, code]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) => {
    const code = files.get(name);
    return code === undefined ? getSourceFile(name, version, onError) : ts.createSourceFile(name, code, version);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName.slice(root.length)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The guide's ```ts blocks, grouped: a block without imports continues the one before it. */
function guidePrograms(page: string): string[] {
  const groups: string[] = [];
  for (const [, code] of page.matchAll(/```ts\n([\s\S]*?)```/g)) {
    if (/^import /m.test(code!) || groups.length === 0) groups.push(code!);
    else groups[groups.length - 1] += code!;
  }
  return groups;
}

describe('docs/guides/quality.md code', () => {
  it('compiles under the project\'s strict options (c4.pass narrows c4.text to a string)', () => {
    const programs = guidePrograms(readFileSync(guidePath, 'utf8'));
    expect(programs.length).toBeGreaterThanOrEqual(2);
    const sources = Object.fromEntries(programs.map((code, i) => [`tests/.guide-block-${i}.ts`, `${PRELUDE}${code}\nexport {};\n`]));
    expect(typeCheck(sources)).toEqual([]);
  });

  it('the check is real: reading a rejected result\'s text as a string does not compile', () => {
    const wrong = "import { c4Quality } from 'neardup';\nconst r = c4Quality('x');\nconst s: string = r.text;\nif (!r.pass) { const t: string = r.text; }\nexport {};\n";
    const errors = typeCheck({ 'tests/.guide-wrong.ts': wrong });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^tests\/\.guide-wrong\.ts:3: Type 'string \| null' is not assignable to type 'string'/);
    expect(errors[1]).toMatch(/^tests\/\.guide-wrong\.ts:4: Type 'null' is not assignable to type 'string'/);
  });
});
