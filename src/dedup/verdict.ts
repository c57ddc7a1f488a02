import { containment, editRatio, jaccard } from '../similarity';
import type { CandidateOrder } from './candidate-order';
import type { ResolvedDedupeOptions } from './document-options';
import { sketchAgreements, type KeptStore } from './kept-store';
import type { PreparedDocument } from './prepare';

/**
 * The verdict rule shared by every detector (in memory and on Redis), so that "the same verdict on the same
 * sequence" is one piece of code, not two copies that can drift apart: both put their candidates in a
 * {@link CandidateOrder} and a {@link KeptStore} (the Redis client fills a scratch one per query, slots in
 * arrival order) and call {@link rankByBands} and {@link verifyInOrder}.
 */

/** A verified match against a stored document. @internal */
export interface Match {
  /** The stored document: its slot (in memory) or ordinal (Redis); both count kept documents in arrival order. */
  slot: number;
  similarity: number;
  exact: boolean;
}

/** The per-run counters a query updates (the `dedupe` stats). @internal */
export interface VerdictStats {
  candidates: number;
  rejected: number;
  estimateRejected: number;
  verified: number;
  skipped: number;
}

/** Candidates ranked by MinHash agreement per allowed verification; the others are ranked by band collisions only. */
export const RANKED_PER_VERIFICATION = 4;

/**
 * Ranks the `n` distinct LSH candidates in `order` (after `order.distinct(hits)`) for `signature`: when there are
 * more than `RANKED_PER_VERIFICATION · maxVerifications`, band collisions (most first, ties older first) pick
 * that many (`order.mostCollisions`) and the rest are counted as seen and skipped; then MinHash agreement with the kept sketches orders
 * them (most first, ties older first). Candidates that share no whole band of `rows` values with `signature`
 * (a band key collision) are dropped first. Returns the number of candidates left in `order.slots`. @internal
 */
export function rankByBands(
  signature: Uint32Array, n: number, bands: number, rows: number, o: ResolvedDedupeOptions, kept: KeptStore,
  order: CandidateOrder, counts: (slot: number) => boolean, stats: VerdictStats,
): number {
  if (!kept.hasSketch) return n;
  // A band key is a hash: a candidate whose kept MinHash data agrees with `signature` on no whole band only
  // collided by chance, and is no candidate (so candidates are the pairs that share a band, as in the staged run).
  // The band whose bucket held a slot (`bandOf`, when the caller knows it) agrees unless its key collided by chance.
  const slots = order.slots;
  const collisions = order.collisions;
  const bandOf = order.bandOf;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const slot = slots[k]!;
    if (!kept.sharesBand(signature, slot, bands, rows, bandOf[k]!)) continue;
    slots[m] = slot;
    collisions[m++] = collisions[k]!;
  }
  n = m;
  const ranked = RANKED_PER_VERIFICATION * o.maxVerifications;
  if (n > ranked) {
    order.mostCollisions(n, ranked);
    for (let k = ranked; k < n; k++) {
      if (counts(slots[k]!)) {
        stats.candidates++;
        stats.skipped++;
      }
    }
    n = ranked;
  }
  kept.setQuery(signature);
  order.byRank(n, (slot) => o.numPerm - kept.queryAgreements(slot));
  return n;
}

/**
 * Verifies the `n` ranked candidates of `doc` in `order.slots` in order: drops those a cheap bound rules out,
 * verifies at most `maxVerifications` and calls `onMatch` for each one ≥ threshold until it returns true (greedy
 * stops at the first verified match in rank order). Slots for which `counts` is false (the exact copy, removed
 * documents) are passed over; `skip`, asked just before a candidate is checked, spares it the check. @internal
 */
export function verifyInOrder(
  doc: PreparedDocument, n: number, o: ResolvedDedupeOptions, kept: KeptStore, order: CandidateOrder,
  counts: (slot: number) => boolean, skip: ((slot: number) => boolean) | undefined,
  onMatch: (slot: number, similarity: number) => boolean, stats: VerdictStats,
): void {
  const ranked = order.slots;
  const signature = doc.signature;
  // The estimate bound: a MinHash estimate more than 2.5 / √numPerm (5 standard errors at similarity ½) below
  // the threshold rules a candidate out (a miss has probability < 3·10⁻⁷ per pair). With verification the
  // store compares 4-bit sketch values, which agree wherever the full values do: it rules out no pair the full
  // signatures would have kept.
  const useEstimate = o.verify && signature !== null && kept.hasSketch && o.numPerm >= 64;
  const cutoff = o.threshold - 2.5 / Math.sqrt(o.numPerm);
  let verifications = 0;
  for (let k = 0; k < n; k++) {
    const slot = ranked[k]!;
    if (!counts(slot)) continue;
    stats.candidates++;
    if (skip?.(slot)) continue;
    let similarity: number;
    if (o.verify) {
      if (ruledOut(doc, slot, o, kept, useEstimate && (o.numPerm - order.rank(k)) / o.numPerm < cutoff)) {
        stats.rejected++;
        stats.estimateRejected++;
        continue;
      }
      if (verifications === o.maxVerifications) {
        stats.skipped++;
        continue;
      }
      similarity = verifySlot(doc, slot, o, kept);
    } else {
      if (verifications === o.maxVerifications) {
        stats.skipped++;
        continue;
      }
      similarity = signature ? (o.numPerm - order.rank(k)) / o.numPerm : 1 - order.rank(k) / 64;
    }
    verifications++;
    stats.verified++;
    if (similarity < o.threshold) {
      stats.rejected++;
      continue;
    }
    if (onMatch(slot, similarity)) {
      // Decided: the rest are proposed but need no check.
      for (k++; k < n; k++) if (counts(ranked[k]!)) stats.candidates++;
      return;
    }
  }
}

/**
 * Exact similarity of two prepared documents under the verification rule: `editRatio` of the normalized texts
 * when both are short enough to keep them (`editRatioMaxLength`), else Jaccard of the shingle sets (with measure
 * `'containment'`: the containment of `a`'s shingles in `b`'s, `|A ∩ B| / |A|`) — what
 * {@link verifyInOrder} computes against a kept document, for callers that hold both documents (`explain`).
 * @internal
 */
export function verifiedSimilarity(a: PreparedDocument, b: PreparedDocument, measure: ResolvedDedupeOptions['measure'] = 'jaccard'): number {
  if (measure === 'containment') return containment(a.shingles, b.shingles);
  if (a.normalized !== null && b.normalized !== null) return editRatio(a.normalized, b.normalized);
  return jaccard(a.shingles, b.shingles);
}

/**
 * Whether a cheap bound proves `doc` below the threshold against a slot (edit-ratio verification has none): for
 * Jaccard the size ratio, Jaccard ≤ min(|A|, |B|) / max(|A|, |B|), or the estimate bound; for containment
 * `|B| / |A|`.
 */
function ruledOut(doc: PreparedDocument, slot: number, o: ResolvedDedupeOptions, kept: KeptStore, estimateBelow: boolean): boolean {
  if (doc.normalized !== null && kept.text(slot) !== null) return false;
  const a = doc.shingles.length;
  const b = kept.count(slot);
  // Containment: |A ∩ B| / |A| ≤ |B| / |A| (the same division the verification makes, so the bound never disagrees).
  if (o.measure === 'containment') return b / a < o.threshold;
  return Math.min(a, b) < o.threshold * Math.max(a, b) || estimateBelow;
}

/**
 * Similarity of `doc` and a kept document under the verification rule (containment of `doc` in it with measure
 * `'containment'`): exact when it is ≥ threshold, else some value below the threshold (the merge stops once the
 * threshold is out of reach).
 */
function verifySlot(doc: PreparedDocument, slot: number, o: ResolvedDedupeOptions, kept: KeptStore): number {
  const text = kept.text(slot);
  if (o.measure === 'containment') return kept.containmentAtLeast(doc.shingles, slot, o.threshold);
  if (doc.normalized !== null && text !== null) return editRatio(doc.normalized, text);
  return kept.jaccardAtLeast(doc.shingles, slot, o.threshold);
}

/**
 * The verdict of the in-memory detector on one pair, for callers that hold both prepared documents (the staged
 * run's pairs stage): with `verify`, the same cheap bounds {@link verifyInOrder} applies — the size ratio, and the
 * estimate bound on the MinHash **sketch** (low 4 bits of each value) as the packed store compares it — then the exact similarity (a value
 * below the threshold whenever a bound rules the pair out); without `verify`, the MinHash estimate. A candidate is
 * a match when the result is ≥ `o.threshold`, exactly when the detector would match it. MinHash only. @internal
 */
export function candidateSimilarity(a: PreparedDocument, b: PreparedDocument, o: ResolvedDedupeOptions): number {
  const sa = a.signature;
  const sb = b.signature;
  if (!o.verify) {
    if (!sa || !sb) return 0;
    let equal = 0;
    for (let i = 0; i < sa.length; i++) if (sa[i] === sb[i]) equal++;
    return equal / sa.length;
  }
  if (a.normalized === null || b.normalized === null) {
    const small = Math.min(a.shingles.length, b.shingles.length);
    const large = Math.max(a.shingles.length, b.shingles.length);
    if (small < o.threshold * large) return small / large;
    if (sa && sb && o.numPerm >= 64 && sketchAgreements(sa, sb) / o.numPerm < o.threshold - 2.5 / Math.sqrt(o.numPerm)) return 0;
  }
  return verifiedSimilarity(a, b);
}
