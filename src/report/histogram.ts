/** Histograms of a report: plain JSON, `counts[i]` documents in `[edges[i], edges[i + 1])` (the last bin includes its upper edge). */

/** One histogram: `edges.length === counts.length + 1`.
 * @example
 * ```ts
 * const h: Histogram = dedupeReportData(['a b c d e f', 'a b c d e f'], dedupe(['a b c d e f', 'a b c d e f'])).histograms.clusterSizes;
 * h; // => { edges: [2, 4], counts: [1] }
 * ```
 */
export interface Histogram {
  /** Bin edges, increasing. */
  readonly edges: number[];
  /** Count per bin. */
  readonly counts: number[];
}

/** Bin of `x ≥ 0` among the power-of-two edges 0, 1, 2, 4, 8, …: 0 for 0, else ⌊log₂ x⌋ + 1. */
export function log2Bin(x: number): number {
  return x < 1 ? 0 : Math.floor(Math.log2(x)) + 1;
}

/** The edges 0, 1, 2, 4, … for `bins` power-of-two bins. */
export function log2Edges(bins: number): number[] {
  const edges = [0];
  for (let k = 0; k < bins; k++) edges.push(2 ** k);
  return edges;
}

/** `bins` equal bins over [lo, 1]: the edges, rounded to 4 decimals for display. */
export function unitEdges(lo: number, bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, k) => Math.round((lo + ((1 - lo) * k) / bins) * 1e4) / 1e4);
}

/** The bin of `x` among equal bins over [lo, 1] (clamped into range). */
export function unitBin(x: number, lo: number, bins: number): number {
  const k = Math.floor(((x - lo) / (1 - lo)) * bins);
  return k < 0 ? 0 : k >= bins ? bins - 1 : k;
}
