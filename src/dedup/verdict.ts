import { editRatio, jaccard } from '../similarity';
import { hamming } from '../simhash';
import type { ResolvedDedupeOptions } from './document-options';
import type { PreparedDocument } from './prepare';

/**
 * The verdict rule shared by every detector (in memory and on Redis), so that "the same verdict on the same
 * sequence" is one function, not two copies that can drift apart.
 */

/** A verified match against a stored document. @internal */
export interface Match {
  /** The stored document: its slot (in memory) or ordinal (Redis); both count kept documents in arrival order. */
  slot: number;
  similarity: number;
  exact: boolean;
}

/**
 * The similarity a detector with options `o` gives candidate `b` for document `a`: the exact similarity under
 * the verification rule (`verify: true`), else the MinHash (or SimHash) estimate. With `verify`, it is 0 or a
 * value below the threshold when a cheap bound already proves the pair is below it: Jaccard ≤ min(|A|, |B|) /
 * max(|A|, |B|), and a MinHash estimate more than 5 standard errors (5 · √(¼ / numPerm)) below the threshold
 * (a miss has probability < 3·10⁻⁷ per pair). A candidate is a match when the result is ≥ `o.threshold`.
 * @internal
 */
export function candidateSimilarity(a: PreparedDocument, b: PreparedDocument, o: ResolvedDedupeOptions): number {
  if (!o.verify) return estimate(a, b);
  if (a.normalized === null || b.normalized === null) {
    const small = Math.min(a.shingles.length, b.shingles.length);
    const large = Math.max(a.shingles.length, b.shingles.length);
    if (small < o.threshold * large) return small / large;
    if (a.signature && b.signature && o.numPerm >= 64 && estimateBelow(a.signature, b.signature, o.threshold - 2.5 / Math.sqrt(o.numPerm))) return 0;
  }
  return verifiedSimilarity(a, b);
}

/** Exact similarity of two prepared documents under the verification rule (edit ratio for short texts). @internal */
export function verifiedSimilarity(a: PreparedDocument, b: PreparedDocument): number {
  if (a.normalized !== null && b.normalized !== null) return editRatio(a.normalized, b.normalized);
  return jaccard(a.shingles, b.shingles);
}

/**
 * Whether match `m` beats `best`: a higher similarity, or the same similarity and an older stored document
 * (smaller slot). The tie rule makes the verdict independent of the order in which an index lists candidates.
 * @internal
 */
export function beats(m: Match, best: Match | null): boolean {
  return best === null || m.similarity > best.similarity || (m.similarity === best.similarity && m.slot < best.slot);
}

function estimate(a: PreparedDocument, b: PreparedDocument): number {
  if (a.signature && b.signature) {
    let equal = 0;
    for (let i = 0; i < a.signature.length; i++) if (a.signature[i] === b.signature[i]) equal++;
    return equal / a.signature.length;
  }
  if (a.fingerprint !== null && b.fingerprint !== null) return 1 - hamming(a.fingerprint, b.fingerprint) / 64;
  return 0;
}

/**
 * Whether the MinHash estimate `equal / n` of two signatures of length n is below `cutoff`, comparing only as
 * many values as it takes to decide: the estimate only grows with the values left, so the answer is settled once
 * `(equal + left) / n` is below the cutoff or `equal / n` is not (the same expression as the full count).
 */
function estimateBelow(a: Uint32Array, b: Uint32Array, cutoff: number): boolean {
  const n = a.length;
  let equal = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) {
      equal++;
      if (!(equal / n < cutoff)) return false;
    } else if ((equal + n - 1 - i) / n < cutoff) return true;
  }
  return equal / n < cutoff;
}
