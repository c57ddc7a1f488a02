import { assertInteger, assertNumber, fail } from '../internal/validate';

/**
 * A banding of a MinHash signature and the error areas it leaves at a threshold, as returned by
 * {@link optimalLshParams} and {@link recallLshParams}.
 * @example
 * ```ts
 * const p: LshParams = optimalLshParams(0.5, 128);
 * [p.bands, p.rows, p.falsePositive.toFixed(4), p.falseNegative.toFixed(4)]; // => [25, 5, '0.0537', '0.0338']
 * ```
 */
export interface LshParams {
  /** Number of bands (hash tables). */
  readonly bands: number;
  /** Rows (signature values) per band; `bands * rows <= numPerm`, the rest of the signature is unused. */
  readonly rows: number;
  /** False-positive area `∫₀ᵗ P(s) ds`, with `P(s) = 1 − (1 − sʳ)ᵇ`. */
  readonly falsePositive: number;
  /** False-negative area `∫ₜ¹ (1 − P(s)) ds`. */
  readonly falseNegative: number;
}

/** Largest `numPerm` the parameter choosers and the index accept. @internal */
export const MAX_NUM_PERM = 65535;

/**
 * The S-curve of banded LSH: the probability that two signatures of Jaccard similarity `s` share at least
 * one of `bands` bands of `rows` values, `1 − (1 − sʳ)ᵇ`. No checks.
 * @internal
 */
export function sCurve(s: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

/**
 * Visits every `(b, r)` with `b·r ≤ numPerm` and its error areas at `threshold`.
 *
 * With `I_r(b) = ∫₀ᵗ (1 − sʳ)ᵇ ds`, integration by parts gives the recurrence
 * `I_r(b) = (t·(1 − tʳ)ᵇ + r·b·I_r(b − 1)) / (1 + r·b)`, `I_r(0) = t`, and at `t = 1` the product
 * `J_r(b) = Π_{k≤b} r·k / (r·k + 1)`. Then `FP = t − I_r(b)` and `FN = J_r(b) − I_r(b)`.
 * Every term is positive and each step is a weighted mean, so rounding errors shrink instead of growing:
 * the areas are exact to about `b · 2⁻⁵³` (checked against 160-digit values in the tests), far below the
 * smallest gap between competing parameter pairs (1.1e-7 on datasketch's grid). O(numPerm · ln numPerm).
 */
function forEachBanding(
  threshold: number,
  numPerm: number,
  visit: (b: number, r: number, fp: number, fn: number) => void,
): void {
  const t = threshold;
  for (let r = 1; r <= numPerm; r++) {
    const q = 1 - Math.pow(t, r);
    const maxB = Math.floor(numPerm / r);
    let i = t; // I_r(0)
    let j = 1; // J_r(0)
    let qb = 1; // q^b
    for (let b = 1; b <= maxB; b++) {
      const rb = r * b;
      qb *= q;
      i = (t * qb + rb * i) / (1 + rb);
      j = (rb * j) / (1 + rb);
      visit(b, r, t - i, j - i);
    }
  }
}

/** Earlier in datasketch's search order (b outer, r inner). */
const before = (b1: number, r1: number, b2: number, r2: number): boolean => b1 < b2 || (b1 === b2 && r1 < r2);

function checkThresholdAndPerms(fn: string, threshold: unknown, numPerm: unknown): asserts threshold is number {
  assertNumber(`${fn}: threshold`, threshold, 0, 1);
  assertInteger(`${fn}: numPerm`, numPerm, 1, MAX_NUM_PERM);
}

/**
 * Checks an LSH `weights` option (`name` is the caller and path, e.g. `'LshIndex: options.weights'`): two numbers
 * from 0 to 1 (false-positive weight, false-negative weight) that sum to 1 (within 1e-9).
 * @internal
 */
export function checkWeights(name: string, weights: unknown): asserts weights is readonly [number, number] {
  if (!Array.isArray(weights) || weights.length !== 2) {
    fail(TypeError, name, 'a pair [falsePositiveWeight, falseNegativeWeight]', weights);
  }
  assertNumber(`${name}[0]`, weights[0], 0, 1);
  assertNumber(`${name}[1]`, weights[1], 0, 1);
  const sum = (weights[0] as number) + (weights[1] as number);
  if (Math.abs(sum - 1) > 1e-9) fail(RangeError, name, `two weights that sum to 1 (these sum to ${sum})`, weights);
}

/**
 * Chooses bands × rows for a Jaccard `threshold` the way datasketch's `MinHashLSH` does: among every
 * `(b, r)` with `b = 1…numPerm` and `r = 1…⌊numPerm / b⌋`, the one with the smallest weighted error
 * `w_fp · ∫₀ᵗ P(s) ds + w_fn · ∫ₜ¹ (1 − P(s)) ds`, where `P(s) = 1 − (1 − sʳ)ᵇ` is the probability that
 * a pair of similarity `s` becomes a candidate. On equal error the first pair in datasketch's order
 * (`b` ascending, then `r` ascending) wins. The picks equal datasketch 1.10's on its whole test grid
 * (num_perm 16…256, thresholds 0.1…0.95, four weightings).
 *
 * The areas are computed in closed form by a stable recurrence, not by numerical quadrature. Unlike
 * datasketch, a result of one band (`bands: 1`, for few permutations at high thresholds) is returned and
 * accepted by {@link LshIndex}: a single band of `r` rows is a valid (if blunt) index, candidates being the
 * documents whose first `r` values all match.
 *
 * These weights minimise areas, not recall at the threshold: at `threshold: 0.9, numPerm: 128` the pick
 * (5 bands × 25 rows) finds a pair of similarity exactly 0.9 only 31% of the time. When missing
 * duplicates is costly, use {@link recallLshParams} or false-negative-heavy weights such as `[0.1, 0.9]`.
 *
 * @param threshold - the Jaccard similarity to separate, in [0, 1]
 * @param numPerm - the signature length, an integer in [1, 65535]
 * @param weights - `[falsePositiveWeight, falseNegativeWeight]`, each in [0, 1], summing to 1; default `[0.5, 0.5]`
 * @returns the chosen `bands` and `rows` with their false-positive and false-negative areas
 * @throws TypeError or RangeError naming the bad argument and its allowed range
 * @example
 * ```ts
 * const p = optimalLshParams(0.9, 128);
 * [p.bands, p.rows]; // => [5, 25]
 * const q = optimalLshParams(0.8, 128);
 * [q.bands, q.rows]; // => [9, 13]
 * optimalLshParams(0.9, 128, [0.1, 0.9]).bands; // => 8
 * ```
 */
export function optimalLshParams(
  threshold: number,
  numPerm: number,
  weights: readonly [number, number] = [0.5, 0.5],
): LshParams {
  checkThresholdAndPerms('optimalLshParams', threshold, numPerm);
  checkWeights('optimalLshParams: weights', weights);
  const [wfp, wfn] = weights;
  let best = Infinity;
  let pick: LshParams = { bands: 0, rows: 0, falsePositive: NaN, falseNegative: NaN };
  forEachBanding(threshold, numPerm, (b, r, fp, fn) => {
    const error = wfp * fp + wfn * fn;
    if (error < best || (error === best && before(b, r, pick.bands, pick.rows))) {
      best = error;
      pick = { bands: b, rows: r, falsePositive: fp, falseNegative: fn };
    }
  });
  return pick;
}

/**
 * Chooses the most selective bands × rows that still make a pair of similarity `threshold` a candidate
 * with probability at least `minRecall`: among every `(b, r)` with `b · r ≤ numPerm` and
 * `1 − (1 − thresholdʳ)ᵇ ≥ minRecall`, the one with the smallest false-positive area `∫₀ᵗ P(s) ds`
 * (ties: fewer bands, then fewer rows). The S-curve rises with similarity, so every pair at or above the
 * threshold is found with probability at least `minRecall`.
 *
 * @param threshold - the Jaccard similarity that must be found, in [0, 1]
 * @param numPerm - the signature length, an integer in [1, 65535]
 * @param minRecall - the required collision probability at `threshold`, in (0, 1]
 * @returns the chosen `bands` and `rows` with their false-positive and false-negative areas
 * @throws TypeError or RangeError naming the bad argument; RangeError when no banding of `numPerm`
 *   values reaches `minRecall` at `threshold` (the message gives the best reachable recall)
 * @example
 * ```ts
 * const p = recallLshParams(0.9, 128, 0.95);
 * [p.bands, p.rows]; // => [10, 12]
 * 1 - Math.pow(1 - Math.pow(0.9, p.rows), p.bands) >= 0.95; // => true
 * ```
 */
export function recallLshParams(threshold: number, numPerm: number, minRecall: number): LshParams {
  checkThresholdAndPerms('recallLshParams', threshold, numPerm);
  assertNumber('recallLshParams: minRecall', minRecall, 0, 1, true);
  return recallParams('recallLshParams: minRecall', threshold, numPerm, minRecall);
}

/**
 * {@link recallLshParams} on checked arguments; `name` is the caller and path of `minRecall` for the
 * unreachable-recall error.
 * @internal
 */
export function recallParams(name: string, threshold: number, numPerm: number, minRecall: number): LshParams {
  let bestFp = Infinity;
  let pick: LshParams | undefined;
  let reach = -1;
  let reachBands = 0;
  let reachRows = 0;
  forEachBanding(threshold, numPerm, (b, r, fp, fn) => {
    const recall = sCurve(threshold, b, r);
    if (recall > reach) {
      reach = recall;
      reachBands = b;
      reachRows = r;
    }
    if (recall < minRecall) return;
    if (fp < bestFp || (fp === bestFp && pick !== undefined && before(b, r, pick.bands, pick.rows))) {
      bestFp = fp;
      pick = { bands: b, rows: r, falsePositive: fp, falseNegative: fn };
    }
  });
  if (pick === undefined) {
    fail(RangeError, name,
      `reachable at threshold ${threshold} with numPerm ${numPerm}: at most ${reach} (bands ${reachBands}, rows ${reachRows}); ` +
        'lower it or use more permutations', minRecall);
  }
  return pick;
}
