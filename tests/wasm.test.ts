import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MinHasher, shingles, xxh32, xxh64 } from '../src/index';
import { setWasmEnabled, wasmKernel } from '../src/hash/wasm/kernel';
import { fssWasmActive, setFssWasmEnabled } from '../src/minhash/kernels';
import { setShingleWasmEnabled, shingleWasmActive } from '../src/shingle/wasm';
// @ts-expect-error -- a plain .mjs build script without types
import { compileWat, generatedFor, watFiles } from '../scripts/build-wasm.mjs';

const root = new URL('..', import.meta.url).pathname;

afterEach(() => {
  setWasmEnabled(true);
  setShingleWasmEnabled(true);
  setFssWasmEnabled(true);
});

describe('scripts/build-wasm.mjs', () => {
  const files = watFiles() as string[];

  it('finds every .wat source (xxHash, shingles, MinHash fast scheme)', () => {
    expect(files.map((f) => relative(root, f))).toEqual([
      'src/hash/wasm/xxhash.wat',
      'src/minhash/wasm/fss.wat',
      'src/shingle/wasm/shingle.wat',
    ]);
  });

  it.each(files.map((f) => [relative(root, f), f]))('%s compiles to exactly the bytes of its generated module', async (_, wat) => {
    const { path, constant } = generatedFor(wat) as { path: string; constant: string };
    const generated = (await import(path)) as Record<string, readonly number[]>;
    const compiled = Array.from((await compileWat(wat)) as Uint8Array);
    expect(generated[constant]).toEqual(compiled);
  });

  it('no WebAssembly text is embedded in a TypeScript source', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const embedded = sources(join(root, 'src')).filter((f) => /\(func\s+(\$|\(export)/.test(readFileSync(f, 'utf8')));
    expect(embedded).toEqual([]);
  });
});

// The kernels' values before the .wat sources moved out of src/shingle/wasm.ts and src/minhash/kernels.ts (commit
// 4457124), pinned: the XXH64 of the bytes of each result. The seed article with its non-ASCII characters
// blanked, so the ASCII WebAssembly shingle kernel runs; then the same with every kernel off (the JS paths).
const PINNED: [size: number, count: number, shingleHash: string, signatureHash: string][] = [
  [1, 172, 'f65d9856d0ac7031', '45e043babafad877'],
  [3, 301, '8416435dde1b1141', '9410e186734422e8'],
  [5, 310, '8e15b18b05f55c87', '57fb6ad10ce6c337'],
];

describe('WebAssembly kernels give the values they gave before the build moved', () => {
  const text = readFileSync(`${root}/seeds/000_cc1f5f790d2f55b7.txt`, 'utf8').replace(/[^\x00-\x7f]/g, ' ');
  const bytes = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const run = () => {
    expect(xxh32(text)).toBe(1276337297);
    expect(xxh64(text).toString(16)).toBe('2a7015887d988867');
    for (const [size, count, shingleHash, signatureHash] of PINNED) {
      const s = shingles(text, { unit: 'word', size });
      const sig = new MinHasher({ numPerm: 128, seed: 7 }).signature(s);
      expect([s.length, xxh64(bytes(s)).toString(16), xxh64(bytes(sig.values)).toString(16)]).toEqual([count, shingleHash, signatureHash]);
    }
  };

  it('with the WebAssembly kernels', () => {
    expect([wasmKernel() !== null, shingleWasmActive(), fssWasmActive()]).toEqual([true, true, true]);
    run();
  });

  it('with the JS kernels', () => {
    setWasmEnabled(false);
    setShingleWasmEnabled(false);
    setFssWasmEnabled(false);
    expect([wasmKernel(), shingleWasmActive(), fssWasmActive()]).toEqual([null, false, false]);
    run();
  });
});
