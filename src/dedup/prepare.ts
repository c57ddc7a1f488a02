import { xxh64String, xxh64Result } from '../hash/xxh64';
import { MinHasher } from '../minhash';
import { shingles } from '../shingle';
import { simhash } from '../simhash';
import { normalize, type NormalizeOptions } from '../text';
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
  /** High and low halves of xxh64 of the normalized text: the exact-duplicate key. */
  readonly keyHi: number;
  readonly keyLo: number;
  /** Sorted distinct shingle hashes (for verification). */
  readonly shingles: Uint32Array;
  /** MinHash values (method `'minhash'`), else null. */
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

/** The normalization the shingle options ask for (`true`/undefined → defaults; `false` → none). */
function normalizationOf(o: ResolvedDedupeOptions): NormalizeOptions | null {
  const n = o.shingle.normalize;
  if (n === false) return null;
  return n === true || n === undefined ? {} : n;
}

/**
 * Prepares one document for a detector with these resolved options: normalizes once, hashes the normalized
 * text (xxh64), shingles it and computes its MinHash signature or SimHash fingerprint.
 * @internal
 */
export function prepareWith(text: string, o: ResolvedDedupeOptions): PreparedDocument {
  const norm = normalizationOf(o);
  const normalized = norm ? normalize(text, norm) : text;
  xxh64String(normalized, 0, 0);
  const keyHi = xxh64Result[0]!;
  const keyLo = xxh64Result[1]!;
  const sh = o.method === 'exact' ? new Uint32Array(0) : shingles(normalized, { ...o.shingle, normalize: false });
  return {
    length: text.length,
    empty: normalized.trim().length === 0,
    keyHi,
    keyLo,
    shingles: sh,
    signature: o.method === 'minhash' ? hasherFor(o).signature(sh).values : null,
    fingerprint: o.method === 'simhash' ? simhash(sh) : null,
    normalized: normalized.length <= o.editRatioMaxLength ? normalized : null,
  };
}
