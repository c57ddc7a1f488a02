/**
 * The layers of src/, defined here and nowhere else (CONTRIBUTING quotes {@link ORDER}, and a test below checks
 * that it does): a folder may import its own files and folders of a lower layer, never a folder of its own layer
 * or above. Imports are read with the TypeScript compiler's own pre-processor (imports, re-exports, dynamic
 * imports, `import type` alike), so a type-only import counts too.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Bottom to top; folders in one layer are peers and may not import each other. `.` is src/index.ts (the public
 * API), which the CLI may use.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['internal'],
  ['hash'],
  ['text', 'envelope'],
  ['shingle', 'substring', 'quality'],
  ['minhash', 'simhash', 'similarity'],
  ['lsh', 'bloom', 'containment'],
  ['dedup', 'paragraphs'],
  ['service', 'explain', 'scale'],
  ['report'],
  ['.'],
  ['cli'],
];

/** Folders that may use less than everything below them. */
const ONLY: Readonly<Record<string, readonly string[]>> = {
  substring: ['text', 'hash', 'internal'],
  quality: ['text', 'hash', 'internal'],
};

/** Only these may import `node:` modules: the core runs in browsers, Deno and Bun. */
const NODE_ALLOWED = new Set(['cli']);

/** The order as CONTRIBUTING writes it. */
const ORDER = LAYERS.map((layer) => layer.filter((f) => f !== '.').join('/')).filter((l) => l !== '').join(' ← ');

const src = fileURLToPath(new URL('../src', import.meta.url));
const rank = new Map(LAYERS.flatMap((layer, r) => layer.map((folder) => [folder, r] as const)));

/** The top folder of a path under src/ (`.` for a file directly in src/); `path` may be a folder (`../lsh`). */
function folderOf(path: string): string {
  const parts = relative(src, path).split(sep);
  return parts.length > 1 || isDirectory(path) ? parts[0]! : '.';
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Every import specifier of a TypeScript source. */
function importsOf(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

/** The layering violations of one file's imports, as readable lines. */
export function violations(file: string, specifiers: readonly string[]): string[] {
  const from = folderOf(file);
  const out: string[] = [];
  const where = relative(src, file);
  if (!rank.has(from)) return [`${where}: folder "${from}" is in no layer (add it to LAYERS in tests/layering.test.ts)`];
  for (const spec of specifiers) {
    if (spec.startsWith('node:')) {
      if (!NODE_ALLOWED.has(from)) out.push(`${where}: imports ${spec}; only ${[...NODE_ALLOWED].join(', ')} may use node: modules`);
      continue;
    }
    if (!spec.startsWith('.')) continue; // a package
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src + sep)) {
      if (!target.endsWith(`${sep}package.json`)) out.push(`${where}: imports ${spec}, outside src/`);
      continue;
    }
    const to = folderOf(target);
    if (to === from) continue;
    const allowed = ONLY[from];
    if (!rank.has(to)) out.push(`${where}: imports ${spec}: folder "${to}" is in no layer`);
    else if (allowed !== undefined && !allowed.includes(to)) out.push(`${where}: imports ${to}/ (${spec}); ${from}/ may use ${allowed.join(', ')} only`);
    else if (rank.get(to)! >= rank.get(from)!) {
      const how = rank.get(to) === rank.get(from) ? 'a peer in its own layer' : 'a folder above it';
      out.push(`${where}: imports ${to}/ (${spec}), ${how} (${ORDER})`);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('layering of src/', () => {
  it(`no folder imports a folder above it or a peer (${ORDER}); only cli/ imports node:`, () => {
    const found = sources(src).flatMap((f) => violations(f, importsOf(readFileSync(f, 'utf8'))));
    expect(found).toEqual([]);
  });

  it('no file comment above an import is @internal (stripInternal would drop the import from the shipped types)', () => {
    // A doc comment attaches to the statement after it: on an import, `@internal` makes the declaration build drop
    // that import and leaves the types that use it unresolved in dist/index.d.ts.
    const found = sources(src).filter((f) => /^\/\*\*(?:(?!\*\/)[\s\S])*@internal(?:(?!\*\/)[\s\S])*\*\/\s*import\b/.test(readFileSync(f, 'utf8')));
    expect(found.map((f) => relative(src, f))).toEqual([]);
  });

  it('every folder of src/ has a layer, and every layer names a folder that exists', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !rank.has(f))).toEqual([]);
    expect([...rank.keys()].filter((f) => f !== '.' && !folders.includes(f))).toEqual([]);
  });

  it('CONTRIBUTING states the same order', () => {
    const contributing = readFileSync(fileURLToPath(new URL('../CONTRIBUTING.md', import.meta.url)), 'utf8');
    expect(contributing).toContain(ORDER);
  });

  it('violations(file, imports) reports upward, peer, node: and restricted imports (the check can fail)', () => {
    const at = (p: string) => join(src, p);
    expect(violations(at('hash/xxh32.ts'), ['../internal/validate', './utf8'])).toEqual([]);
    expect(violations(at('simhash/simhash.ts'), ['../minhash/random'])).toEqual([
      `simhash/simhash.ts: imports minhash/ (../minhash/random), a peer in its own layer (${ORDER})`,
    ]);
    expect(violations(at('internal/bytes.ts'), ['../hash/xxh32'])).toEqual([
      `internal/bytes.ts: imports hash/ (../hash/xxh32), a folder above it (${ORDER})`,
    ]);
    expect(violations(at('quality/ngrams.ts'), ['../envelope'])).toEqual([
      'quality/ngrams.ts: imports envelope/ (../envelope); quality/ may use text, hash, internal only',
    ]);
    expect(violations(at('text/words.ts'), ['node:fs'])).toEqual(['text/words.ts: imports node:fs; only cli may use node: modules']);
    expect(violations(at('cli/main.ts'), ['node:fs', '../dedup', '../index'])).toEqual([]);
    expect(violations(at('index.ts'), ['./cli/main'])).toHaveLength(1);
    expect(importsOf("import type { A } from '../x';\nexport { b } from './y';\nconst c = import('../z');")).toEqual(['../x', './y', '../z']);
  });
});
