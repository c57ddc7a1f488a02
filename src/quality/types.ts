/**
 * The result shape every quality filter returns, a union discriminated by `pass` (so `if (r.pass)` narrows
 * `c4Quality`'s `text` to a string).
 * - `pass`: true when no rule failed.
 * - `reasons`: every failed rule, by datatrove's reason name, in datatrove's order of checks
 *   (`reasons[0]` is the reason datatrove itself gives, since it stops at the first failure).
 * - `stats`: every number the filter computed.
 * @example
 * ```ts
 * const r: QualityResult<string, { nWords: number }> = gopherQuality('one two three', { tokenizer: 'whitespace' });
 * r.stats.nWords; // => 3
 * ```
 */
export type QualityResult<Reason extends string, Stats> =
  | {
      /** No rule failed. */
      pass: true;
      /** Empty: no rule failed. */
      reasons: Reason[];
      /** Every number the filter computed. */
      stats: Stats;
    }
  | {
      /** At least one rule failed. */
      pass: false;
      /** Every failed rule, by datatrove's reason name, in datatrove's order of checks (`reasons[0]` is datatrove's own). */
      reasons: Reason[];
      /** Every number the filter computed. */
      stats: Stats;
    };

/** The result for `reasons`: `pass` is true exactly when none failed. @internal */
export function verdict<Reason extends string, Stats>(reasons: Reason[], stats: Stats): QualityResult<Reason, Stats> {
  return reasons.length === 0 ? { pass: true, reasons, stats } : { pass: false, reasons, stats };
}
