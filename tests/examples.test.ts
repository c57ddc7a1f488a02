/**
 * Every public export must carry TSDoc with an `@example`, and every example runs here — including those on
 * class members (methods, accessors).
 *
 * Example convention: code in a ```ts fence; `import … from 'neardup'` lines are dropped (all public
 * exports are in scope); a statement followed by `// => <expression>` (on the same line, or alone on the next line)
 * asserts that the statement's value deep-equals the expression. Examples may be async (top-level `await` works).
 *
 * Examples that need a Redis server say so on a line of their own: `// needs: redis-server`. They get `redis`, a
 * node-redis client connected to a private redis-server started for this file (flushed before each such example).
 * Without redis-server on PATH they are reported as skipped — except under CI=true, where they fail
 * (see tests/helpers/redis-server.ts).
 */
import ts from 'typescript';
import { transformSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { fileURLToPath } from 'node:url';
import * as api from '../src/index';
import { instrument } from './helpers/instrument';
import { REDIS_SERVER, startRedis, type RedisServer } from './helpers/redis-server';

const indexPath = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const program = ts.createProgram([indexPath], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true });
const checker = program.getTypeChecker();
const indexFile = program.getSourceFile(indexPath)!;
const moduleSymbol = checker.getSymbolAtLocation(indexFile)!;
const exported = checker.getExportsOfModule(moduleSymbol);

interface Example { name: string; code: string; where: string }

function examplesOf(sym: ts.Symbol): { examples: Example[]; documented: boolean } {
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const examples: Example[] = [];
  let documented = false;
  for (const decl of target.declarations ?? []) {
    const file = decl.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
    // The declaration's own examples, then those of class members (methods, accessors, static methods).
    const nodes: [string, ts.Node][] = [[sym.name, decl]];
    if (ts.isClassDeclaration(decl)) {
      for (const member of decl.members) {
        const memberName = member.name && ts.isIdentifier(member.name) ? member.name.text : 'constructor';
        nodes.push([`${sym.name}.${memberName}`, member]);
      }
    }
    for (const [name, node] of nodes) {
      for (const tag of ts.getJSDocTags(node)) {
        if (node === decl) documented = true;
        if (tag.tagName.text !== 'example') continue;
        const text = typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '';
        const fence = /```(?:ts|typescript|js)?\n([\s\S]*?)```/.exec(text);
        const at = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        examples.push({ name, code: fence ? fence[1]! : text, where: `${file.fileName.replace(/.*\/src\//, 'src/')}:${node === decl ? line : at}` });
      }
    }
    if (ts.getJSDocCommentsAndTags(decl).length > 0) documented = true;
  }
  return { examples, documented };
}

const all = exported.map((sym) => ({ sym, ...examplesOf(sym) }));

describe('public API documentation', () => {
  it('every export of src/index.ts has TSDoc with an @example', () => {
    const missing = all.filter((e) => !e.examples.some((x) => x.name === e.sym.name)).map((e) => e.sym.name);
    expect(missing).toEqual([]);
  });
});

interface ExampleClient { quit(): Promise<unknown>; flushDb(): Promise<unknown> }

/** `// needs: redis-server` on a line of its own marks an example that runs against a real server. */
const NEEDS_REDIS = /^\s*\/\/ needs: redis-server\b/m;

let redisServer: Promise<{ server: RedisServer; client: ExampleClient }> | undefined;
/** The private server and a connected client, started on first use. */
function redisForExamples(): Promise<{ server: RedisServer; client: ExampleClient }> {
  redisServer ??= startRedis().then(async (server) => {
    const client = createClient({ url: server.url });
    await client.connect();
    return { server, client: client as unknown as ExampleClient };
  });
  return redisServer;
}
afterAll(async () => {
  if (!redisServer) return;
  const { server, client } = await redisServer;
  await client.quit();
  await server.stop();
});

describe('TSDoc examples run', () => {
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const names = Object.keys(api);
  for (const { examples } of all) {
    for (const ex of examples) {
      const needsRedis = NEEDS_REDIS.test(ex.code);
      if (needsRedis && !REDIS_SERVER && process.env.CI !== 'true') {
        it.skip(`${ex.name} (${ex.where}) — needs redis-server on PATH`, () => {});
        continue;
      }
      it(`${ex.name} (${ex.where})`, async () => {
        let redis: unknown;
        if (needsRedis) {
          if (!REDIS_SERVER) throw new Error('this example needs redis-server on PATH (CI=true: it must run, not skip)');
          const { client } = await redisForExamples();
          await client.flushDb();
          redis = client;
        }
        const js = transformSync(instrument(ex.code), { loader: 'ts', format: 'esm' }).code;
        let checks = 0;
        const check = (actual: unknown, expected: unknown, line: string): void => {
          checks++;
          expect(actual, line).toEqual(expected);
        };
        const fn = new AsyncFunction(...names, '__check', 'redis', `{\n${js}\n}`);
        await fn(...names.map((n) => (api as Record<string, unknown>)[n]), check, redis);
        expect(checks, 'an example must assert at least one `// =>` value').toBeGreaterThan(0);
      });
    }
  }
});
