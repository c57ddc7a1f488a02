/**
 * The WebAssembly xxHash kernels (src/hash/wasm/xxhash.wat), instantiated synchronously and lazily on the first
 * call — nothing runs at import time. The module is ~1 KB, under every engine's limit for synchronous compilation
 * (Chrome refuses synchronous compiles above 4 KB on the main thread). Where WebAssembly is missing or forbidden
 * (a Content-Security-Policy without 'wasm-unsafe-eval'), {@link wasmKernel} returns null and callers use the
 * pure-JS kernels, which give identical values.
 * Internal module, not public API.
 */
import { XXHASH_WASM } from './xxhash-bytes';

interface XxhashExports {
  memory: WebAssembly.Memory;
  xxh32(ptr: number, len: number, seed: number): number;
  xxh64(ptr: number, len: number, seedLo: number, seedHi: number): void;
}

/** Where input bytes start in the module's memory; [0, 8) holds the XXH64 result. */
export const INPUT = 16;
const PAGE = 65536;
// Beyond this many bytes of input the copy into wasm memory (which never shrinks) is not worth it.
export const WASM_MAX_INPUT = 256 * 1024 * 1024;

export interface WasmKernel {
  readonly exports: XxhashExports;
  /** View of the input area; replaced when memory grows. */
  input: Uint8Array;
  /** View of the result words: [lo, hi] of the last XXH64. */
  result: Uint32Array;
}

let kernel: WasmKernel | null | undefined;

/** The instantiated kernel, or null when WebAssembly is unavailable. */
export function wasmKernel(): WasmKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const module = new WebAssembly.Module(new Uint8Array(XXHASH_WASM));
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as XxhashExports;
    kernel = { exports, input: new Uint8Array(0), result: new Uint32Array(0) };
    refreshViews(kernel);
  } catch {
    kernel = null;
  }
  return kernel;
}

function refreshViews(k: WasmKernel): void {
  const buffer = k.exports.memory.buffer;
  k.input = new Uint8Array(buffer, INPUT);
  k.result = new Uint32Array(buffer, 0, 2);
}

/** Grows the module's memory so the input area holds at least `bytes` bytes. */
export function ensureInputCapacity(k: WasmKernel, bytes: number): void {
  if (k.input.length >= bytes) return;
  const needed = INPUT + bytes - k.exports.memory.buffer.byteLength;
  k.exports.memory.grow(Math.ceil(needed / PAGE));
  refreshViews(k);
}

/** Disables (or re-enables) the WebAssembly kernels, for tests of the JS fallback. @internal */
export function setWasmEnabled(enabled: boolean): void {
  kernel = enabled ? undefined : null;
}
