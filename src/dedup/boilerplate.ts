/**
 * Boilerplate shingles: the shingles that occur in very many documents (template lines, navigation, licence
 * footers), found by document frequency in a first pass, so they can be left out before signing and verifying.
 */
import type { Doc } from '../internal/doc';
import { IntTable } from '../internal/int-table';
import { assertInteger, assertNumber, assertOptions, assertString, fail } from '../internal/validate';
import type { ShingleOptions } from '../shingle';
import { resolveShingleOptions, shingleSequence, shinglesResolved, type ResolvedShingleOptions } from '../shingle/shingles';
import { sortUint32 } from '../shingle/sort';
import { simhash } from '../simhash';
import type { ResolvedDedupeOptions } from './document-options';
import { hasherFor, type PreparedDocument } from './prepare';

/**
 * Options of {@link boilerplateShingles} and of `dedupe`'s `boilerplate` option.
 * @example
 * ```ts
 * const options: BoilerplateOptions = { maxDocFrequency: 0.01, minDocuments: 50, sampleSize: 20000 };
 * boilerplateShingles(['a b c d e'], options).length; // => 0
 * ```
 */
export interface BoilerplateOptions {
  /**
   * A shingle is boilerplate when it occurs in more than this share of the (sampled) documents, a number greater
   * than 0 and at most 1. Default 0.005 (0.5%).
   */
  maxDocFrequency?: number;
  /**
   * ... and in at least this many sampled documents, an integer of at least 2. Default 20: a text copied into
   * fewer documents is a near-duplicate family, not a template, even in a small corpus.
   */
  minDocuments?: number;
  /**
   * Most documents counted, an integer of at least 1; larger corpora are sampled evenly (every k-th document).
   * Default 20,000: a template in 0.5% of the documents is then seen about 100 times.
   */
  sampleSize?: number;
}

/**
 * Defaults of {@link BoilerplateOptions} (frozen).
 * @example
 * ```ts
 * BOILERPLATE_DEFAULTS; // => { maxDocFrequency: 0.005, minDocuments: 20, sampleSize: 20000 }
 * ```
 */
export const BOILERPLATE_DEFAULTS: Readonly<Required<BoilerplateOptions>> =
  Object.freeze({ maxDocFrequency: 0.005, minDocuments: 20, sampleSize: 20000 });

const KEYS = ['maxDocFrequency', 'minDocuments', 'sampleSize'] as const;

/** Validated {@link BoilerplateOptions}. @internal */
export type ResolvedBoilerplateOptions = Readonly<Required<BoilerplateOptions>>;

/** Validates and fills in {@link BoilerplateOptions}; `fn` and `path` name the caller for messages. @internal */
export function resolveBoilerplateOptions(options: BoilerplateOptions | undefined, fn: string, path: string): ResolvedBoilerplateOptions {
  assertOptions(fn, path, options, KEYS);
  const r = {
    maxDocFrequency: options?.maxDocFrequency ?? BOILERPLATE_DEFAULTS.maxDocFrequency,
    minDocuments: options?.minDocuments ?? BOILERPLATE_DEFAULTS.minDocuments,
    sampleSize: options?.sampleSize ?? BOILERPLATE_DEFAULTS.sampleSize,
  };
  assertNumber(`${fn}: ${path}.maxDocFrequency`, r.maxDocFrequency, 0, 1, true);
  assertInteger(`${fn}: ${path}.minDocuments`, r.minDocuments, 2, Number.MAX_SAFE_INTEGER);
  assertInteger(`${fn}: ${path}.sampleSize`, r.sampleSize, 1, Number.MAX_SAFE_INTEGER);
  return Object.freeze(r);
}

/**
 * The boilerplate among `sets` (one sorted distinct shingle set per document): the values in more than
 * `maxDocFrequency` of the sampled sets and in at least `minDocuments` of them. Counting sorts the sampled
 * values together, so memory is 4 bytes per sampled shingle.
 * @internal
 */
export function boilerplateOf(sets: readonly Uint32Array[], o: ResolvedBoilerplateOptions): Uint32Array {
  const n = sets.length;
  const step = n > o.sampleSize ? n / o.sampleSize : 1;
  const sampled: Uint32Array[] = [];
  let total = 0;
  for (let k = 0; k < Math.min(n, o.sampleSize); k++) {
    const s = sets[Math.floor(k * step)]!;
    sampled.push(s);
    total += s.length;
  }
  const all = new Uint32Array(total);
  let at = 0;
  for (const s of sampled) {
    all.set(s, at);
    at += s.length;
  }
  sortUint32(all, total);
  // More than maxDocFrequency of the sample, and at least minDocuments.
  const need = Math.max(o.minDocuments, Math.floor(o.maxDocFrequency * sampled.length) + 1);
  const out: number[] = [];
  for (let i = 0; i < total; ) {
    let j = i + 1;
    while (j < total && all[j] === all[i]) j++;
    if (j - i >= need) out.push(all[i]!);
    i = j;
  }
  return Uint32Array.from(out);
}

/**
 * `set` without the values of `boilerplate` (both sorted distinct), by one merge. Returns `set` itself when
 * nothing is removed.
 * @internal
 */
export function withoutBoilerplate(set: Uint32Array, boilerplate: Uint32Array): Uint32Array {
  if (boilerplate.length === 0 || set.length === 0) return set;
  const out = new Uint32Array(set.length);
  let k = 0;
  let j = 0;
  for (let i = 0; i < set.length; i++) {
    const v = set[i]!;
    while (j < boilerplate.length && boilerplate[j]! < v) j++;
    if (j < boilerplate.length && boilerplate[j] === v) continue;
    out[k++] = v;
  }
  return k === set.length ? set : out.slice(0, k);
}

/**
 * The shingles that occur in very many documents of a corpus — template lines, navigation, licence footers —
 * by document frequency: those in more than `maxDocFrequency` of the documents and in at least `minDocuments`
 * of them (corpora larger than `sampleSize` are sampled evenly). Leave them out before comparing documents
 * (`dedupe`'s `boilerplate` option does this) so that pages sharing only a template are not near-duplicates.
 *
 * A text copied into more documents than the limit is boilerplate by this definition even if it is an article:
 * raise `minDocuments` above the largest family of copies you want found.
 *
 * @param docs - texts or `{ id, text }` documents
 * @param options - see {@link BoilerplateOptions} (defaults in {@link BOILERPLATE_DEFAULTS}), plus `shingle`:
 *   the shingling, as `dedupe`'s (default word 5-grams of the normalized text)
 * @returns the boilerplate shingle values, sorted ascending, distinct
 * @throws TypeError for a document that is neither a string nor a `{ text }` object, an unknown option or a wrong
 *   type; RangeError for an option out of range
 * @example
 * ```ts
 * const footer = 'Copyright 2024 Example Corp. All rights reserved. Terms of use apply.';
 * const w = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26)); // 'aa', 'ba', …
 * const docs = Array.from({ length: 40 }, (_, i) => `Story ${w(i)} tells of ${w(i + 40)} and ${w(i + 80)} in ${w(i + 120)}. ${footer}`);
 * const template = boilerplateShingles(docs);
 * template.length > 0; // => true
 * Array.from(template).every((v) => shingles(footer).includes(v)); // => true
 * ```
 */
export function boilerplateShingles(docs: Iterable<string | Doc>, options?: BoilerplateOptions & { shingle?: ShingleOptions }): Uint32Array {
  assertOptions('boilerplateShingles', 'options', options, [...KEYS, 'shingle']);
  const { shingle, ...rest } = options ?? {};
  const o = resolveBoilerplateOptions(rest, 'boilerplateShingles', 'options');
  const so = resolveShingleOptions(shingle, 'boilerplateShingles', 'options.shingle');
  if (typeof docs !== 'object' || docs === null || typeof (docs as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    fail(TypeError, 'boilerplateShingles: docs', 'an Iterable of texts or documents', docs);
  }
  const texts: string[] = [];
  let i = 0;
  for (const d of docs) {
    const text = typeof d === 'string' ? d : typeof d === 'object' && d !== null ? d.text : d;
    assertString(`boilerplateShingles: docs[${i}]${typeof d === 'string' ? '' : '.text'}`, text);
    texts.push(text);
    i++;
  }
  const step = texts.length > o.sampleSize ? texts.length / o.sampleSize : 1;
  const sets: Uint32Array[] = [];
  for (let k = 0; k < Math.min(texts.length, o.sampleSize); k++) sets.push(shinglesResolved(texts[Math.floor(k * step)]!, so));
  return boilerplateOf(sets, { ...o, sampleSize: sets.length });
}

/**
 * The shingles of `text` that touch no boilerplate, sorted distinct. A window whose shingle is boilerplate covers
 * its units (words or code points); every shingle whose window holds a covered unit is left out — the boilerplate
 * shingles themselves and the ones that straddle the boundary between a template and the content (four template
 * words and one word of the article, at word 5-grams). What remains is what the content stretches alone would
 * give, so two articles in one template compare as the articles do. (Leaving out only the boilerplate values
 * keeps the straddling shingles: they make every edit near the boundary count five times, as inside a text, and
 * cost templated near-duplicates 1.5 points of recall on the template bench.)
 * @param text - the document
 * @param set - its shingle set under `so` (sorted distinct): returned as is when none of it is boilerplate
 * @param boilerplate - the boilerplate values ({@link boilerplateLookup})
 * @param so - the run's resolved shingle options
 * @internal
 */
export function contentShingles(text: string, set: Uint32Array, boilerplate: IntTable, so: ResolvedShingleOptions): Uint32Array {
  let any = false;
  for (let i = 0; i < set.length && !any; i++) any = boilerplate.get(set[i]!) >= 0;
  if (!any) return set;
  const { values, width } = shingleSequence(text, so);
  const n = values.length;
  // covered[u] = 1 when unit u lies in a boilerplate window; a window is kept when it holds no covered unit.
  const covered = new Uint8Array(n + width);
  let until = 0; // units below this are covered by the last boilerplate window seen
  for (let i = 0; i < n; i++) {
    if (boilerplate.get(values[i]!) < 0) continue;
    for (let u = Math.max(i, until); u < i + width; u++) covered[u] = 1;
    until = i + width;
  }
  const kept: number[] = [];
  let run = 0; // uncovered units ending at the current one
  for (let u = 0; u < n + width - 1; u++) {
    run = covered[u] === 1 ? 0 : run + 1;
    // Window u − width + 1 ends at unit u: kept when its `width` units are all uncovered.
    if (run >= width) kept.push(values[u - width + 1]!);
  }
  const out = Uint32Array.from(kept).sort();
  let k = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[k++] = out[i]!;
  return out.slice(0, k);
}

/**
 * The boilerplate values as a hash set for {@link contentShingles}: made once per run (a binary search per window
 * made the discount ten times slower than shingling).
 * @internal
 */
export function boilerplateLookup(boilerplate: Uint32Array): IntTable {
  const t = new IntTable(1, boilerplate.length);
  for (let i = 0; i < boilerplate.length; i++) t.set(boilerplate[i]!, 0, 0);
  return t;
}

/**
 * `doc` with its shingles replaced by `shingles` (its {@link contentShingles}) and re-signed (MinHash signature and
 * SimHash fingerprint recomputed from them) so the index and verification see only the content. The
 * exact-duplicate key is the text's and stays. Returns `doc` itself when `shingles` is its own set.
 * @internal
 */
export function discountPrepared(doc: PreparedDocument, shingles: Uint32Array, o: ResolvedDedupeOptions): PreparedDocument {
  if (shingles === doc.shingles) return doc;
  return {
    ...doc,
    shingles,
    signature: doc.signature === null ? null : hasherFor(o).signature(shingles).values,
    fingerprint: doc.fingerprint === null ? null : simhash(shingles, { seed: o.seed }),
  };
}
