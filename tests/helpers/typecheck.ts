/** Type-checks in-memory TypeScript sources with the project's strict options, `neardup` (and Deno's `npm:neardup`) resolving to src/index.ts. */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Diagnostics of `sources` (names relative to the repository root) as `file:line: message` strings. */
export function typeCheck(sources: Record<string, string>): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, baseUrl: root, paths: { neardup: ['src/index.ts'], 'npm:neardup': ['src/index.ts'] }, noUnusedLocals: false };
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
