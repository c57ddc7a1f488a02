/**
 * What every task of a staged run agrees on: the resolved dedupe options, the banding, the number of parts each
 * band's hash range is cut into, the keep rule and the record fields — as one canonical JSON text stored in every
 * file's header (a file written under other options is refused, naming the options that differ).
 * Internal module, not public API.
 */
import { lshOptionsOf, resolveDedupeOptions, type DedupeOptions, type ResolvedDedupeOptions } from '../dedup/document-options';
import { assertInteger, assertOneOf } from '../internal/validate';
import { LshIndex } from '../lsh';

/** Options of a staged run. */
export interface ScaleOptions {
  /** Dedupe options (method must be `'minhash'`). */
  readonly dedupe: DedupeOptions;
  /** Parts each band's hash range is cut into (pairs tasks per band), an integer in [1, 256]. */
  readonly parts: number;
  readonly keep: 'first' | 'longest';
  /** Record fields and the repeated-id policy (the CLI's); they change which records are valid. */
  readonly textField: string;
  readonly idField: string;
  readonly duplicateIds: 'invalid' | 'allow';
}

/** The resolved setup of a staged run. */
export interface ScaleSetup {
  readonly options: ResolvedDedupeOptions;
  readonly bands: number;
  readonly rows: number;
  readonly parts: number;
  readonly keep: 'first' | 'longest';
  readonly textField: string;
  readonly idField: string;
  readonly duplicateIds: 'invalid' | 'allow';
  /** Canonical JSON of all of the above: the identity written into every file. */
  readonly json: string;
}

/** Pseudo-band index of the exact-key runs (`bands`) and of the id-key runs (`bands + 1`). */
export const exactBand = (s: ScaleSetup): number => s.bands;
export const idBand = (s: ScaleSetup): number => s.bands + 1;

/** Resolves and validates the options of a staged run. */
export function scaleSetup(o: ScaleOptions): ScaleSetup {
  const options = resolveDedupeOptions(o.dedupe);
  if (options.method !== 'minhash') throw new RangeError(`staged dedup supports method 'minhash' only, got ${JSON.stringify(options.method)}`);
  // The staged run pairs documents through MinHash bands; containment has no band keys to sort by.
  if (options.measure !== 'jaccard') throw new RangeError(`staged dedup supports measure 'jaccard' only, got ${JSON.stringify(options.measure)}`);
  assertInteger('parts', o.parts, 1, 256);
  assertOneOf('keep', o.keep, ['first', 'longest'] as const);
  assertOneOf('duplicateIds', o.duplicateIds, ['invalid', 'allow'] as const);
  const lsh = new LshIndex(lshOptionsOf(options));
  const base = { options, bands: lsh.bands, rows: lsh.rows, parts: o.parts, keep: o.keep, textField: o.textField, idField: o.idField, duplicateIds: o.duplicateIds };
  const json = JSON.stringify({
    threshold: options.threshold, numPerm: options.numPerm, seed: options.seed, scheme: options.scheme, minRecall: options.minRecall,
    verify: options.verify, editRatioMaxLength: options.editRatioMaxLength, shingle: options.shingle,
    bands: base.bands, rows: base.rows, parts: base.parts, keep: base.keep, textField: base.textField, idField: base.idField, duplicateIds: base.duplicateIds,
  });
  return Object.freeze({ ...base, json });
}

/** The part of a band's hash range that a hash with high word `hi` falls in. */
export function partOf(hi: number, parts: number): number {
  return Math.floor(((hi >>> 0) * parts) / 0x100000000);
}
