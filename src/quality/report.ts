import { Analysis } from './analysis';
import { evaluateC4, type C4QualityReason, type C4QualityResult } from './c4';
import { evaluateFineweb, type FinewebQualityReason, type FinewebQualityResult } from './fineweb';
import { evaluateGopherQuality, type GopherQualityReason, type GopherQualityResult } from './gopher-quality';
import { evaluateGopherRepetition, type GopherRepetitionReason, type GopherRepetitionResult } from './gopher-repetition';
import {
  boundary,
  resolveC4,
  resolveFineweb,
  resolveGopherQuality,
  resolveGopherRepetition,
  type QualityReportOptions,
} from './options';
import { assertOptions, assertOptionsObject } from '../internal/validate';

/**
 * Any reason a quality filter can give.
 * @example
 * ```ts
 * const reason: QualityReason = qualityReport('', { tokenizer: 'whitespace' }).reasons[0]!;
 * reason; // => 'gopher_short_doc'
 * ```
 */
export type QualityReason = GopherRepetitionReason | GopherQualityReason | C4QualityReason | FinewebQualityReason;

/**
 * Result of {@link qualityReport}: each filter's result and the overall verdict.
 * @example
 * ```ts
 * const r: QualityReport = qualityReport('Hello.', { tokenizer: 'whitespace' });
 * r.gopherQuality.stats.nWords; // => 1
 * ```
 */
export interface QualityReport {
  /** True when all four filters pass. */
  pass: boolean;
  /** Every failed rule of every filter, in the FineWeb pipeline order: Gopher repetition, Gopher quality, C4, FineWeb. */
  reasons: QualityReason[];
  /** The result of {@link gopherRepetition} with the report's options. */
  gopherRepetition: GopherRepetitionResult;
  /** The result of {@link gopherQuality} with the report's options. */
  gopherQuality: GopherQualityResult;
  /** The result of {@link c4Quality} with the report's options. */
  c4: C4QualityResult;
  /** The result of {@link finewebQuality} with the report's options. */
  fineweb: FinewebQualityResult;
}

const KEYS = ['tokenizer', 'gopherRepetition', 'gopherQuality', 'c4', 'fineweb'] as const;

/**
 * Runs {@link gopherRepetition}, {@link gopherQuality}, {@link c4Quality} and {@link finewebQuality} on one
 * text, segmenting it once (words, `splitlines()` lines and code-point lengths are shared). Each result is
 * identical to calling the filter alone with the same options.
 *
 * @param text - the document
 * @param options - `tokenizer` for all four filters, and each filter's own options under
 *   `gopherRepetition`, `gopherQuality`, `c4` and `fineweb`
 * @returns `{ pass, reasons, gopherRepetition, gopherQuality, c4, fineweb }`
 * @throws TypeError when `text` is not a string or an option has the wrong type or an unknown name
 * @throws RangeError when an option is out of its range (see each filter)
 * @example
 * ```ts
 * const r = qualityReport('Buy now!\nBuy now!\nBuy now!', { tokenizer: 'whitespace' });
 * r.pass; // => false
 * r.gopherRepetition.reasons[0]; // => 'dup_line_frac'
 * r.fineweb.reasons; // => ['short_line_ratio', 'char_dup_ratio', 'list_ratio']
 * r.reasons.length; // => 11
 * r.c4.text; // => null
 * ```
 */
export function qualityReport(text: string, options?: QualityReportOptions): QualityReport {
  const fn = 'qualityReport';
  const { bag, tokenizer } = boundary(fn, text, options);
  assertOptions(fn, 'options', options, KEYS);
  const sub = (key: string): Record<string, unknown> => {
    const v = bag[key];
    assertOptionsObject(`${fn}: options.${key}`, v);
    return (v ?? {}) as Record<string, unknown>;
  };
  const rep = resolveGopherRepetition(fn, 'options.gopherRepetition', sub('gopherRepetition'), false);
  const qual = resolveGopherQuality(fn, 'options.gopherQuality', sub('gopherQuality'), false);
  const c4o = resolveC4(fn, 'options.c4', sub('c4'), false);
  const fw = resolveFineweb(fn, 'options.fineweb', sub('fineweb'), false);

  const a = new Analysis(text, tokenizer);
  const gopherRepetition = evaluateGopherRepetition(a, rep);
  const gopherQuality = evaluateGopherQuality(a, qual);
  const c4 = evaluateC4(a, c4o);
  const fineweb = evaluateFineweb(a, fw);
  const reasons: QualityReason[] = [...gopherRepetition.reasons, ...gopherQuality.reasons, ...c4.reasons, ...fineweb.reasons];
  return { pass: reasons.length === 0, reasons, gopherRepetition, gopherQuality, c4, fineweb };
}
