/**
 * The WebAssembly kernel of word shingles under the default normalization, for pure-ASCII text: the same single
 * pass as `scanAscii` in ./fused (fold, words, MurmurHash3 per word), then the n-gram hashes and the sort with
 * duplicates removed, and the XXH64 of the normalized text for `prepareDocument`, in one ~2.3 KB module. About twice as fast as the JS path and, unlike it, compiled ahead of
 * time, so its speed does not depend on what the JIT happened to inline. Instantiated synchronously on first use
 * (browsers refuse synchronous compiles above 4 KB on the main thread); where WebAssembly is missing or forbidden,
 * or for texts that are not pure ASCII or longer than {@link WASM_MAX_UNITS}, callers use the JS paths, which give
 * the same values (tests/shingle.test.ts runs the oracle comparisons both ways).
 *
 * Memory layout (bytes) for a text of L UTF-16 units: the fold table of ASCII bytes at 0 (256 bytes), the XXH64
 * of the normalized text (8 bytes), then the UTF-8 input (3L + 2 bytes: two sentinel spaces after it), the normalized text (L), the word hashes, the
 * shingles, a scratch array (4 (L/2 + 2) bytes each) and the bucket counts (4 (L + 4)).
 *
 * The source is ./wasm/shingle.wat, compiled into ./wasm/shingle-bytes.ts by scripts/build-wasm.mjs.
 * Internal module, not public API.
 */
import { asciiFoldTable } from '../text/normalize';
import { sortDistinct } from './sort';
import { SHINGLE_WASM } from './wasm/shingle-bytes';
import { instantiateWasm } from '../hash/wasm/instantiate';

/** Longer texts use the JS path (the module's memory never shrinks). */
export const WASM_MAX_UNITS = 1 << 20;

interface Exports {
  memory: WebAssembly.Memory;
  textLength: WebAssembly.Global;
  words(input: number, n: number, out: number, hashes: number, seed: number): number;
  xxh64(p: number, len: number, seedLo: number, seedHi: number): void;
  shingles(hashes: number, words: number, size: number, seed: number, values: number, tmp: number, counts: number): number;
}

interface Kernel {
  readonly exports: Exports;
  bytes: Uint8Array;
  words: Uint32Array;
  /** The memory's size in bytes (read from the buffer only when it grows). */
  capacity: number;
  /** View from the input's offset to the end of memory: `encodeInto` writes only what it needs. */
  input: Uint8Array;
}

/** Where the XXH64 of the normalized text is written (8 bytes, after the fold table). */
const HASH = 256;
/** Where the UTF-8 input starts. */
const INPUT = 264;

let kernel: Kernel | null | undefined;
let encoder: TextEncoder | undefined;
// Where the last call left its results.
let outAt = 0;
let valuesAt = 0;

function refresh(k: Kernel): void {
  const buffer = k.exports.memory.buffer;
  k.bytes = new Uint8Array(buffer);
  k.words = new Uint32Array(buffer);
  k.capacity = buffer.byteLength;
  k.input = k.bytes.subarray(INPUT);
}

function instance(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const exports = instantiateWasm<Exports>(SHINGLE_WASM);
  if (exports === null) return (kernel = null);
  const k: Kernel = { exports, bytes: new Uint8Array(0), words: new Uint32Array(0), capacity: 0, input: new Uint8Array(0) };
  refresh(k);
  k.bytes.set(asciiFoldTable(), 0);
  kernel = k;
  return kernel;
}

/** Turns the WebAssembly kernel off (or back on), for tests of the JS paths. */
export function setShingleWasmEnabled(enabled: boolean): void {
  kernel = enabled ? undefined : null;
}

/** True when the WebAssembly kernel is available. */
export function shingleWasmActive(): boolean {
  return instance() !== null;
}

const align = (x: number): number => (x + 7) & ~7;

/**
 * The distinct sorted word `size`-gram shingles of `text` under the default normalization, or -1 when the kernel
 * does not apply (no WebAssembly, text not pure ASCII or too long). On success the values are in
 * {@link wasmShingles} and the normalized text (ASCII bytes) in {@link wasmText}, until the next call.
 * @param text - the raw text
 * @param size - words per shingle, ≥ 1
 * @param seed - uint32 seed
 * @returns the number of shingles, or -1
 */
export function wasmWordShingles(text: string, size: number, seed: number): number {
  const L = text.length;
  if (L > WASM_MAX_UNITS) return -1;
  const k = instance();
  if (k === null) return -1;
  const input = INPUT;
  const out = input + align(3 * L + 2);
  const hashes = out + align(L);
  const span = align(4 * ((L >> 1) + 2));
  const values = hashes + span;
  const tmp = values + span;
  const counts = tmp + span;
  const need = counts + 4 * (L + 4);
  if (k.capacity < need) {
    try {
      k.exports.memory.grow(Math.ceil((need - k.capacity) / 65536));
    } catch {
      return -1; // the engine refused the memory: the JS path
    }
    refresh(k);
  }
  encoder ??= new TextEncoder();
  // The memory holds at least 3L + 2 bytes from INPUT on, so the whole text is written, before `out`.
  const n = encoder.encodeInto(text, k.input).written;
  if (n !== L) return -1; // not pure ASCII
  k.bytes[input + n] = 0x20;
  k.bytes[input + n + 1] = 0x20;
  const words = k.exports.words(input, n, out, hashes, seed);
  if (words < 0) return -1;
  outAt = out;
  valuesAt = values;
  let m = k.exports.shingles(hashes, words, size, seed, values, tmp, counts);
  if (m < 0) {
    // A bucket overflowed (adversarial input): sort the unsorted shingles the JS way, O(n log n).
    const count = words - size + 1;
    m = sortDistinct(k.words.subarray(values >> 2, (values >> 2) + count), count);
  }
  return m;
}

/** The shingles left by the last successful {@link wasmWordShingles} call (a view: copy what you keep). */
export function wasmShingles(m: number): Uint32Array {
  return kernel!.words.subarray(valuesAt >> 2, (valuesAt >> 2) + m);
}

/** Copies the shingles left by the last successful {@link wasmWordShingles} call into `out` (exactly that many). */
export function wasmShinglesInto(out: Uint32Array): void {
  const words = kernel!.words;
  const from = valuesAt >> 2;
  for (let i = 0; i < out.length; i++) out[i] = words[from + i]!;
}

/**
 * XXH64 (seed 0) of the normalized text left by the last successful {@link wasmWordShingles} call — the bytes are
 * its UTF-8 — written as `[hi, lo]` into `result` (the same value as `xxh64String(normalized)`).
 */
export function wasmTextHash(result: Uint32Array): void {
  const k = kernel!;
  k.exports.xxh64(outAt, k.exports.textLength.value as number, 0, 0);
  result[0] = k.words[(HASH >> 2) + 1]!;
  result[1] = k.words[HASH >> 2]!;
}

/** The length of the normalized text left by the last successful {@link wasmWordShingles} call, in bytes (= UTF-16 units). */
export function wasmTextLength(): number {
  return kernel!.exports.textLength.value as number;
}

/** The normalized text (ASCII bytes) left by the last successful {@link wasmWordShingles} call (a view). */
export function wasmText(): Uint8Array {
  const k = kernel!;
  return k.bytes.subarray(outAt, outAt + (k.exports.textLength.value as number));
}
