/**
 * The core runs wherever JavaScript runs: no file under src/ except src/cli/ imports a Node builtin (`node:fs`
 * or a bare `fs`), calls `require`, or reads Node-only globals (`Buffer`, `process`, `__dirname`). The browser
 * run in scripts/check-package.mjs proves the same on the built package.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NODE_GLOBALS = new Set(['Buffer', 'process', '__dirname', '__filename', 'require', 'global', 'setImmediate']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every Node-specific thing a source file uses, as `"line: what"`. */
function nodeUses(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const at = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const specifier = (node: ts.Node, spec: ts.Expression | undefined): void => {
    if (spec && ts.isStringLiteral(spec) && (builtins.has(spec.text) || spec.text.startsWith('node:'))) found.push(`${at(node)}: imports ${spec.text}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier(node, node.moduleSpecifier);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      specifier(node, node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      // `import('node:fs')` in a type position is erased; still, keep the core free of Node types.
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) specifier(node, arg.literal);
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        ((ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === node) ||
        (ts.isQualifiedName(parent) && parent.right === node);
      const isDeclaration = (ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node;
      if (!isPropertyName && !isDeclaration) found.push(`${at(node)}: uses ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('portability of the core', () => {
  const files = filesUnder(src).filter((f) => !relative(src, f).startsWith(`cli`));

  it('no file under src/ except src/cli/ imports a Node builtin or uses Node globals', () => {
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((f) => nodeUses(f).map((u) => `src/${relative(src, f)}:${u}`));
    expect(offenders).toEqual([]);
  });

  it('the check itself catches node: imports, bare builtins, require and Buffer', () => {
    const probe = join(src, 'cli', 'records.ts'); // a CLI file: it does use Node
    expect(nodeUses(probe).some((u) => u.includes('uses Buffer'))).toBe(true);
    const main = join(src, 'cli', 'input.ts');
    const uses = nodeUses(main);
    expect(uses.some((u) => u.includes('imports node:fs'))).toBe(true);
    expect(uses.some((u) => u.includes('imports node:zlib'))).toBe(true);
  });
});
