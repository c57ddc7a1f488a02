/**
 * The SimHash distance that matches a Jaccard threshold. For two shingle sets of equal size and Jaccard
 * similarity `t`, the cosine of their indicator vectors is `2t / (1 + t)`, and each of the 64 SimHash bits differs
 * with probability `p(t) = arccos(2t / (1 + t)) / π` (Charikar 2002). The Hamming distance of a pair at `t` is
 * then Binomial(64, p(t)); the distance that keeps a pair at `t` with probability `minRecall` is that law's
 * `minRecall` quantile. On the planted corpus of `bench/dedupe.bench.ts` (word 5-grams, 1–20% word edits) the
 * model's mean matches the measured median distance to within a bit in every 0.05-wide Jaccard band from 0.5 to
 * 0.95 (0.80–0.85: 9 measured, 9.0 predicted; 0.85–0.90: 7 and 7.5).
 * @internal
 */

const BITS = 64;

/**
 * The largest derived distance `dedupe` accepts (threshold 0.89 at minRecall 0.95): the detector's index then keeps C(13, 2) = 78 tables keyed by
 * ~9.8 bits and compares about 11% of the stored documents per query; beyond it the share grows fast (16% at 12,
 * 74% at 15, which makes a run quadratic). An explicit `maxDistance` may go further (to 43).
 */
export const MAX_DERIVED_DISTANCE = 11;

/** Probability that one SimHash bit differs for a pair of equal-size sets at Jaccard `t`. */
export function bitFlipProbability(t: number): number {
  return Math.acos(Math.min(1, (2 * t) / (1 + t))) / Math.PI;
}

/** P[Binomial(64, p) ≤ d]. */
function binomialCdf(p: number, d: number): number {
  if (p <= 0) return 1;
  let term = (1 - p) ** BITS; // P[X = 0]
  let sum = term;
  for (let k = 1; k <= d; k++) {
    term *= ((BITS - k + 1) / k) * (p / (1 - p));
    sum += term;
  }
  return sum;
}

/**
 * The smallest Hamming distance `d` such that a pair at Jaccard `threshold` is within `d` bits with probability
 * at least `minRecall` under the model above (at most 64).
 */
export function simhashDistanceFor(threshold: number, minRecall: number): number {
  const p = bitFlipProbability(threshold);
  let d = 0;
  // 1e-12: the sum of 65 terms may round just below 1.
  while (d < BITS && binomialCdf(p, d) < minRecall - 1e-12) d++;
  return d;
}

/** The smallest threshold (to 0.01) whose derived distance is at most {@link MAX_DERIVED_DISTANCE}, for messages. */
export function lowestSimhashThreshold(minRecall: number): number {
  let t = 1;
  while (t > 0.01 && simhashDistanceFor(Math.round((t - 0.01) * 100) / 100, minRecall) <= MAX_DERIVED_DISTANCE) t = Math.round((t - 0.01) * 100) / 100;
  return t;
}
