/**
 * tests/examples.test.ts runs the @example of every export of src/index.ts, but not those of class members
 * (MinHasher.signature, SimHashIndex.query, …). This file runs every @example fence in src/minhash and
 * src/simhash, with the same `// =>` convention.
 */
import { transformSync } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';

const folders = ['minhash', 'simhash'];

function examples(): { where: string; code: string }[] {
  const out: { where: string; code: string }[] = [];
  for (const folder of folders) {
    const dir = fileURLToPath(new URL(`../src/${folder}/`, import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(dir + file, 'utf8');
      const re = /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const line = text.slice(0, m.index).split('\n').length;
        const code = m[2]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
        out.push({ where: `src/${folder}/${file}:${line}`, code });
      }
    }
  }
  return out;
}

function instrument(code: string): string {
  return code
    .split('\n')
    .filter((l) => !/^\s*import\s.*from\s+['"]neardup['"]/.test(l))
    .map((l) => {
      const m = /^(\s*)(?:(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*)?(.+?);?\s*\/\/\s*=>\s*(.+)$/.exec(l);
      if (!m) return l;
      const [, indent, binding, expr, expected] = m;
      if (binding) return `${indent}const ${binding} = ${expr}; __check(${binding}, (${expected}), ${JSON.stringify(l.trim())});`;
      return `${indent}__check((${expr}), (${expected}), ${JSON.stringify(l.trim())});`;
    })
    .join('\n');
}

describe('every @example in src/minhash and src/simhash runs, class members included', () => {
  const all = examples();
  it('finds the member examples', () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const names = Object.keys(api);
  for (const ex of all) {
    it(ex.where, async () => {
      const js = transformSync(instrument(ex.code), { loader: 'ts', format: 'esm' }).code;
      let checks = 0;
      const check = (actual: unknown, expected: unknown, line: string): void => {
        checks++;
        expect(actual, line).toEqual(expected);
      };
      await new AsyncFunction(...names, '__check', js)(...names.map((n) => (api as Record<string, unknown>)[n]), check);
      expect(checks, 'an example must assert at least one `// =>` value').toBeGreaterThan(0);
    });
  }
});
