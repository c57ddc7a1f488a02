import { resolvedBanding, type DedupeOptions, type ResolvedDedupeOptions } from '../dedup/document-options';
import { snapshot } from '../dedup/prepare';
import { assertInteger, assertOptions, fail } from '../internal/validate';

/**
 * How long documents stay in a {@link RedisNearDuplicateDetector}: the last `documents` kept documents, or those
 * kept in the last `milliseconds` (server clock). The window is cut into `segments` equal segments and a segment is
 * dropped whole once it is older than the window, so between `documents` and `documents · (1 + 1/segments)`
 * documents (or that much time) are remembered.
 * @example
 * ```ts
 * const lastWeek: RedisWindow = { milliseconds: 7 * 24 * 3600 * 1000, segments: 7 };
 * const lastMillion: RedisWindow = { documents: 1_000_000 };
 * [lastWeek.segments, lastMillion.documents]; // => [7, 1000000]
 * ```
 */
export type RedisWindow =
  | {
      /** Keep the last this many kept documents, an integer in [segments, 2^32 − 1]. */
      readonly documents: number;
      /** Segments the window is cut into, an integer in [1, 1024]; default 4. */
      readonly segments?: number;
    }
  | {
      /** Keep what was kept in the last this many milliseconds (server clock), an integer ≥ segments. */
      readonly milliseconds: number;
      /** Segments the window is cut into, an integer in [1, 1024]; default 4. */
      readonly segments?: number;
    };

/**
 * Options of {@link RedisNearDuplicateDetector.open}: a key prefix, the {@link DedupeOptions} of the detector, and
 * the server-side layout. Everything but `timeoutMs` is stored with the index; opening it with other values is
 * refused.
 * @example
 * ```ts
 * const options: RedisDetectorOptions = { prefix: 'comments', threshold: 0.7, window: { documents: 100_000 }, timeoutMs: 2000 };
 * options.prefix; // => 'comments'
 * ```
 */
export interface RedisDetectorOptions extends DedupeOptions {
  /** Names the index: every key is `{prefix}:…` (one hash tag, so one Redis Cluster slot). A non-empty string. */
  prefix: string;
  /** Keep only recent documents (see {@link RedisWindow}); default: keep everything until removed. */
  window?: RedisWindow;
  /**
   * Small hashes per segment that hold the band, exact-key and id entries, a power of two in [1, 65536]. Redis
   * stores a hash compactly (listpack) up to 128 fields, so pick about (documents per segment) × (bands + 2) / 100.
   * Default: that figure for a `documents` window, else 1024 (compact up to ≈ 7,000 documents at 13 bands).
   */
  buckets?: number;
  /**
   * Milliseconds to wait for any reply before the promise rejects (not stored). Default 5000. A call whose
   * connection is lost is sent again within this time (a call that writes is answered from its receipt if it ran).
   */
  timeoutMs?: number;
}

/**
 * Defaults of {@link RedisDetectorOptions} beyond those of `DEDUPE_DEFAULTS` (frozen): `segments` 4, `buckets`
 * 1024 (without a `documents` window), `timeoutMs` 5000, `batchSize` 256 (documents per script call of
 * `addMany`).
 * @example
 * ```ts
 * [REDIS_DETECTOR_DEFAULTS.timeoutMs, REDIS_DETECTOR_DEFAULTS.segments]; // => [5000, 4]
 * ```
 */
export const REDIS_DETECTOR_DEFAULTS: Readonly<{
  /** Segments of a window. */
  segments: number;
  /** Small hashes per segment without a `documents` window. */
  buckets: number;
  /** Milliseconds to wait for a reply. */
  timeoutMs: number;
  /** Documents per script call of `addMany`. */
  batchSize: number;
}> = Object.freeze({ segments: 4, buckets: 1024, timeoutMs: 5000, batchSize: 256 });

/** What is stored with an index: every option that changes what is stored or how it is compared. @internal */
export interface StoredOptions {
  format: number;
  threshold: number;
  method: string;
  shingle: { unit: unknown; size: unknown; seed: unknown; normalize: unknown };
  numPerm: number;
  seed: number;
  scheme: string;
  minRecall: number;
  bands: number;
  rows: number;
  verify: boolean;
  editRatioMaxLength: number;
  window: { mode: 'none' | 'documents' | 'ms'; span: number; keep: number };
  buckets: number;
}

/**
 * Format of the stored layout (2: records carry the MinHash sketch, a byte per value; 3: 4 bits per value, two to a
 * byte); a change makes older indexes refuse to open. @internal
 */
export const FORMAT = 3;

/** Validates the Redis-specific options and builds the stored record. @internal */
export function storedOptions(what: string, o: ResolvedDedupeOptions, options: RedisDetectorOptions): StoredOptions {
  if (o.method === 'simhash') {
    fail(RangeError, `${what}: options.method`, "'minhash' or 'exact' for a Redis index", o.method);
  }
  // The shared index keeps MinHash bands on the server; a containment search would need a posting list per shingle.
  if (o.measure === 'containment') {
    fail(RangeError, `${what}: options.measure`, "'jaccard' for a Redis index (use NearDuplicateDetector for containment)", o.measure);
  }
  const { bands, rows } = o.method === 'minhash' ? resolvedBanding(o) : { bands: 0, rows: 0 };
  if (bands > 255) fail(RangeError, `${what}: the banding of options.numPerm ${o.numPerm}`, 'at most 255 bands for a Redis index', bands);
  let window: StoredOptions['window'] = { mode: 'none', span: 1, keep: 0 };
  const w = options.window;
  if (w !== undefined) {
    assertOptions(what, 'options.window', w, ['documents', 'milliseconds', 'segments']);
    const segments = w.segments ?? REDIS_DETECTOR_DEFAULTS.segments;
    assertInteger(`${what}: options.window.segments`, segments, 1, 1024);
    if ('documents' in w && 'milliseconds' in w) fail(TypeError, `${what}: options.window`, 'either { documents } or { milliseconds }, not both', w);
    if ('documents' in w) {
      assertInteger(`${what}: options.window.documents`, w.documents, segments, 2 ** 32 - 1);
      window = { mode: 'documents', span: Math.ceil(w.documents / segments), keep: segments };
    } else if ('milliseconds' in w) {
      assertInteger(`${what}: options.window.milliseconds`, w.milliseconds, segments, Number.MAX_SAFE_INTEGER);
      window = { mode: 'ms', span: Math.ceil(w.milliseconds / segments), keep: segments };
    } else {
      fail(TypeError, `${what}: options.window`, '{ documents } or { milliseconds }', w);
    }
  }
  let buckets = options.buckets;
  if (buckets === undefined) {
    buckets = REDIS_DETECTOR_DEFAULTS.buckets;
    if (window.mode === 'documents') {
      buckets = 1;
      while (buckets < 65536 && buckets * 100 < window.span * (bands + 2)) buckets *= 2;
    }
  }
  assertInteger(`${what}: options.buckets`, buckets, 1, 65536);
  if ((buckets & (buckets - 1)) !== 0) fail(RangeError, `${what}: options.buckets`, 'a power of two from 1 to 65536', buckets);
  const s = o.shingle;
  return {
    format: FORMAT,
    threshold: o.threshold,
    method: o.method,
    shingle: { unit: s.unit ?? 'word', size: s.size ?? null, seed: s.seed ?? 0, normalize: snapshot(s.normalize ?? true) },
    numPerm: o.numPerm,
    seed: o.seed,
    scheme: o.scheme,
    minRecall: o.minRecall,
    bands,
    rows,
    verify: o.verify,
    editRatioMaxLength: o.editRatioMaxLength,
    window,
    buckets,
  };
}

/** The fields in which two stored-option records differ, as `name (stored X, given Y)`. @internal */
export function differences(stored: Record<string, unknown>, given: StoredOptions): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(stored), ...Object.keys(given)]);
  for (const k of keys) {
    const a = JSON.stringify(stored[k]);
    const b = JSON.stringify((given as unknown as Record<string, unknown>)[k]);
    if (a !== b) out.push(`${k} (stored ${a ?? 'nothing'}, given ${b ?? 'nothing'})`);
  }
  return out;
}
