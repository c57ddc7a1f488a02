import { xxh32 } from '../hash/xxh32';
import { encodeWtf8, hasLoneSurrogate, utf8Scratch } from '../hash/utf8';
import { xxh64Bytes, xxh64Of, xxh64String, xxh64Result } from '../hash/xxh64';
import { MinHasher } from '../minhash';
import { foldedText, foldedTextLength, foldedWordHashes, foldWordHashes } from '../shingle/fused';
import { wasmShinglesInto, wasmText, wasmTextHash, wasmTextLength, wasmWordShingles } from '../shingle/wasm';
import { resolveShingleOptions, shingleScratch, sourceShinglesScratch, wordShinglesScratch, type ResolvedShingleOptions } from '../shingle/shingles';
import { simhash } from '../simhash';
import {
  asciiString, foldDefault, foldScratch, normalizeResolved, normalizeSteps, resolveNormalizeOptions, type NormalizeOptions, type ResolvedNormalizeOptions,
} from '../text/normalize';
import type { ResolvedDedupeOptions } from './document-options';

/**
 * Everything expensive about one document, computed once and independent of every other document — so it can
 * be computed in a worker thread and sent to the thread that owns the index. Structured-clonable (typed arrays,
 * numbers, strings, bigint).
 *
 * @example
 * ```ts
 * const prepared: PreparedDocument = prepareDocument('Hello, world: these words get shingled and signed.');
 * [prepared.empty, prepared.shingles.length, prepared.signature?.length]; // => [false, 4, 128]
 * ```
 */
export interface PreparedDocument {
  /** Length of the original text in UTF-16 code units (the `'longest'` keep rule uses it). */
  readonly length: number;
  /** True when the normalized text is empty: such a document is never anyone's duplicate. */
  readonly empty: boolean;
  /** High 32 bits (unsigned) of xxh64 (seed 0) of the normalized text's UTF-8 (WTF-8: lone surrogates as their own bytes); with `keyLo`, the exact-duplicate key. */
  readonly keyHi: number;
  /** Low 32 bits (unsigned) of that xxh64; with `keyHi`, the exact-duplicate key. */
  readonly keyLo: number;
  /**
   * xxh32 of the options that shape the preparation (method, shingling, normalization, MinHash parameters): a
   * detector refuses a document prepared with other options instead of silently comparing unlike values.
   */
  readonly optionsHash: number;
  /**
   * Sorted distinct shingle hashes (for verification). Like `signature`, a view on a buffer that documents
   * prepared in the same thread may share (blocks of 16 KB; a larger document has its own): cloning one document
   * copies its block, so `slice()` the arrays before keeping a few documents of many or transferring a buffer.
   */
  readonly shingles: Uint32Array;
  /** MinHash values (method `'minhash'` with measure `'jaccard'`), else null. A view, right after `shingles` in the same buffer. */
  readonly signature: Uint32Array | null;
  /** 64-bit SimHash (method `'simhash'`), else null. */
  readonly fingerprint: bigint | null;
  /** The normalized text, kept only when it is short enough for edit-ratio verification; else null. */
  readonly normalized: string | null;
}

// One MinHasher per parameter set, created on first use (never at import time).
const hashers = new Map<string, MinHasher>();
export function hasherFor(o: ResolvedDedupeOptions): MinHasher {
  const key = `${o.numPerm}/${o.seed}/${o.scheme}`;
  let h = hashers.get(key);
  if (!h) hashers.set(key, (h = new MinHasher({ numPerm: o.numPerm, seed: o.seed, scheme: o.scheme })));
  return h;
}

/** Whether documents prepared with `o` carry a MinHash signature: Jaccard with method `'minhash'` (containment uses none). @internal */
export function signs(o: ResolvedDedupeOptions): boolean {
  return o.method === 'minhash' && o.measure !== 'containment';
}

/** What {@link prepareWith} does for one set of resolved options, validated once. */
interface Plan {
  /** The normalization (null: none). */
  readonly norm: ResolvedNormalizeOptions | null;
  /** The shingling of the normalized text (null for method `'exact'`, which needs no shingles). */
  readonly shingle: ResolvedShingleOptions | null;
  /** The MinHash hasher (method `'minhash'`), else null. */
  readonly hasher: MinHasher | null;
  /** The `shingle.normalize` option the plan was made from: the value, or a copy of its flags when an object. */
  readonly normalizeOption: unknown;
  /** {@link PreparedDocument.optionsHash} of documents prepared with this plan. */
  readonly optionsHash: number;
}

/** The hash every document prepared with options `o` carries (see {@link PreparedDocument.optionsHash}). @internal */
export function optionsHashOf(o: ResolvedDedupeOptions): number {
  const shingle = o.shingle;
  const fields: unknown[] = [o.method, o.numPerm, o.seed, o.scheme, o.editRatioMaxLength, shingle.unit ?? 'word',
    shingle.size ?? null, shingle.seed ?? 0, snapshot(shingle.normalize ?? true)];
  // Only a containment document differs (it carries no MinHash signature): Jaccard hashes stay as they were.
  if (o.measure === 'containment') fields.push(o.measure);
  return xxh32(JSON.stringify(fields));
}

// The plan of the last options seen: a detector or a dedupe run prepares every document with one options object.
let lastOptions: ResolvedDedupeOptions | undefined;
let lastPlan: Plan | undefined;

const NORMALIZE_KEYS = ['nfkc', 'lowercase', 'punctuation', 'digits', 'whitespace', 'combiningMarks'] as const;

/** A copy of the `shingle.normalize` option: the value itself, or its six flags when it is an object. @internal */
export function snapshot(n: unknown): unknown {
  if (typeof n !== 'object' || n === null) return n;
  const copy: Record<string, unknown> = {};
  for (const k of NORMALIZE_KEYS) copy[k] = (n as Record<string, unknown>)[k];
  return copy;
}

/** True when the `shingle.normalize` option `n` still reads as the snapshot `s` (flags compared one by one). */
function sameNormalize(n: unknown, s: unknown): boolean {
  if (typeof n !== 'object' || n === null || typeof s !== 'object' || s === null) return n === s;
  for (const k of NORMALIZE_KEYS) if ((n as Record<string, unknown>)[k] !== (s as Record<string, unknown>)[k]) return false;
  return true;
}

/**
 * True when `o` leads to the plan made for `b`: `prepareDocument(text, options)` resolves its options on every
 * call, so the last plan is reused when every field it depends on is equal — the normalization flags included,
 * read again on every call (a caller may change them between calls, as it could before the plan was cached).
 */
function samePlan(o: ResolvedDedupeOptions, b: ResolvedDedupeOptions, plan: Plan): boolean {
  const x = o.shingle;
  const y = b.shingle;
  // editRatioMaxLength is part of the optionsHash the plan carries, so it must match too.
  return (o === b || (o.method === b.method && o.measure === b.measure && o.numPerm === b.numPerm && o.seed === b.seed && o.scheme === b.scheme &&
    o.editRatioMaxLength === b.editRatioMaxLength && x.unit === y.unit && x.size === y.size && x.seed === y.seed)) &&
    sameNormalize(x.normalize, plan.normalizeOption);
}

/**
 * Validates the shingle and normalization options of `o` in the order (and with the errors) of the former
 * `normalize(text, norm)` then `shingles(normalized, { ...o.shingle, normalize: false })` calls: a falsy
 * `normalize` option means no normalization, `true`/undefined the defaults, anything else is checked as
 * `NormalizeOptions`; unit, size and seed are checked only when shingles are needed. Nothing is cached on error.
 */
function planFor(o: ResolvedDedupeOptions): Plan {
  if (lastOptions !== undefined && samePlan(o, lastOptions, lastPlan!)) return lastPlan!;
  const n = o.shingle.normalize;
  const raw = n === true || n === undefined ? {} : n;
  const norm = raw ? resolveNormalizeOptions(raw as NormalizeOptions) : null;
  const shingle = o.method === 'exact' ? null : resolveShingleOptions({ ...o.shingle, normalize: false });
  const plan: Plan = {
    norm, shingle, hasher: signs(o) ? hasherFor(o) : null, normalizeOption: snapshot(n), optionsHash: optionsHashOf(o),
  };
  lastOptions = o;
  lastPlan = plan;
  return plan;
}

/** Bytes of a block that the arrays of documents are carved from; a document needing more than a quarter of it gets its own buffer. @internal */
export const PREPARED_BLOCK_BYTES = 16384;
let block: ArrayBuffer | undefined; // created on first use
let blockUsed = 0;
/** Where the bytes given by the last {@link carve} call start in its buffer. */
let carvedAt = 0;

/**
 * A buffer with `bytes` free bytes from {@link carvedAt} on, for one document's shingles and signature. An
 * ArrayBuffer per document (a separate allocation outside the JS heap, swept later) cost about a tenth of
 * `detector.prepare` on short documents: documents share blocks of {@link PREPARED_BLOCK_BYTES} instead (about 20
 * Debian descriptions each). A document needing more than a quarter of a block, or nothing, gets a buffer of its
 * own, so a block wastes less than a quarter of itself at its end.
 */
function carve(bytes: number): ArrayBuffer {
  if (bytes === 0 || bytes > PREPARED_BLOCK_BYTES / 4) {
    carvedAt = 0;
    return new ArrayBuffer(bytes);
  }
  if (block === undefined || blockUsed + bytes > PREPARED_BLOCK_BYTES) {
    block = new ArrayBuffer(PREPARED_BLOCK_BYTES);
    blockUsed = 0;
  }
  carvedAt = blockUsed;
  blockUsed += bytes;
  return block;
}

/**
 * Prepares one document for a detector with these resolved options: normalizes once, hashes the normalized
 * text (xxh64), shingles it and computes its MinHash signature or SimHash fingerprint.
 *
 * Under the default normalization a foldable text (ASCII, or characters that normalize to ASCII letters, digits
 * or separators: most English text) takes a fused path: one pass over its UTF-8 bytes writes the normalized text
 * as bytes (hashed by xxh64 as they are: they are its UTF-8) and the word hashes, with no intermediate string
 * (`tests/shingle.test.ts` checks every field against the unfused pipeline). Other texts are normalized to a
 * string first.
 * @internal
 */
export function prepareWith(text: string, o: ResolvedDedupeOptions): PreparedDocument {
  const p = planFor(o);
  const sp = p.shingle;
  let count = -1; // number of shingles, once they are computed (in the WebAssembly kernel when `hashed`, else in shingleScratch())
  let length = -1; // length of the normalized text when it is ASCII bytes in `bytes`
  let bytes: Uint8Array | null = null;
  let hashed = false; // the WebAssembly kernel ran: xxh64Result holds the key, the kernel the shingles
  let unfoldable = false; // a fused scanner gave up: the text needs the six steps of normalize, no second fold attempt
  if (p.norm !== null && p.norm.all) {
    if (sp !== null && sp.unit === 'word') {
      count = wasmWordShingles(text, sp.size, sp.seed);
      if (count >= 0) {
        length = wasmTextLength();
        // The normalized text leaves the kernel only when it is kept (short texts, for the edit ratio).
        if (length <= o.editRatioMaxLength) bytes = wasmText();
        wasmTextHash(xxh64Result);
        hashed = true;
      } else {
        const words = foldWordHashes(text, sp.seed);
        if (words >= 0) {
          length = foldedTextLength();
          bytes = foldedText();
          count = wordShinglesScratch(foldedWordHashes(), words, sp.size, sp.seed);
        } else {
          unfoldable = true;
        }
      }
    } else {
      length = foldDefault(text);
      if (length >= 0) bytes = foldScratch();
    }
  }
  let normalized: string | null = null;
  let empty: boolean;
  if (hashed) {
    // The WebAssembly kernel's text (ASCII): no leading or trailing whitespace, so blank exactly when empty.
    empty = length === 0;
    if (bytes !== null) normalized = asciiString(bytes, length);
  } else if (bytes !== null) {
    xxh64Of(bytes.length === length ? bytes : bytes.subarray(0, length), 0, 0);
    // The folded text has no leading or trailing whitespace: it is blank exactly when it is empty.
    empty = length === 0;
    if (length <= o.editRatioMaxLength || (sp !== null && count < 0)) normalized = asciiString(bytes, length);
  } else {
    normalized = p.norm === null ? text : unfoldable ? normalizeSteps(text, p.norm) : normalizeResolved(text, p.norm);
    // The key must tell apart every two texts the shingles tell apart: a lone surrogate is hashed as its own
    // three bytes (WTF-8), not as U+FFFD like TextEncoder; well-formed text is hashed as its UTF-8.
    if (hasLoneSurrogate(normalized)) {
      const n = encodeWtf8(normalized); // before utf8Scratch(): encoding may replace the scratch buffer
      xxh64Bytes(utf8Scratch(), n, 0, 0);
    } else {
      xxh64String(normalized, 0, 0);
    }
    empty = normalized.trim().length === 0;
  }
  const keyHi = xxh64Result[0]!;
  const keyLo = xxh64Result[1]!;
  if (sp === null) count = 0;
  else if (count < 0) count = sourceShinglesScratch(normalized!, sp.unit, sp.size, sp.seed);
  // The shingles and the signature side by side, carved from a shared block (see carve).
  const k = p.hasher !== null ? p.hasher.numPerm : 0;
  const buffer = carve(4 * (count + k));
  const at = carvedAt;
  const sh = new Uint32Array(buffer, at, count);
  if (hashed) wasmShinglesInto(sh); // straight from the kernel's memory: no view to allocate
  else {
    const values = shingleScratch();
    for (let i = 0; i < count; i++) sh[i] = values[i]!;
  }
  const signature = p.hasher !== null ? p.hasher.signatureInto(sh, new Uint32Array(buffer, at + 4 * count, k)) : null;
  return {
    length: text.length,
    empty,
    keyHi,
    keyLo,
    optionsHash: p.optionsHash,
    shingles: sh,
    signature,
    fingerprint: o.method === 'simhash' ? simhash(sh, { seed: o.seed }) : null,
    normalized: normalized !== null && normalized.length <= o.editRatioMaxLength ? normalized : null,
  };
}
