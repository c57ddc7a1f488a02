/**
 * The result shape every quality filter returns.
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
export interface QualityResult<Reason extends string, Stats> {
  /** True when no rule failed. */
  pass: boolean;
  /** Every failed rule, by datatrove's reason name, in datatrove's order of checks (`reasons[0]` is datatrove's own). */
  reasons: Reason[];
  /** Every number the filter computed. */
  stats: Stats;
}
