import { NearDuplicateDetector, type DedupeRunOptions, type PreparedDocument } from '../dedup';
import { DEDUPE_KEYS, resolveDedupeOptions, type ResolvedDedupeOptions } from '../dedup/document-options';
import { assertOneOf, assertOptions, assertString } from '../internal/validate';
import { estimateJaccard } from '../minhash';
import { hamming } from '../simhash';
import { resolveNormalizeOptions, type ResolvedNormalizeOptions } from '../text/normalize';
import { align } from './align';
import { foldings, type Folding } from './folding';
import { Dictionary, unitsOf, type Units } from './units';

/** A piece of one text in an explanation: UTF-16 offsets `[start, end)` and whether it is shared with the other text.
 * @example
 * ```ts
 * const [first]: ExplainSegment[] = explainDuplicate('same words here', 'same words there').a;
 * first; // => { start: 0, end: 10, shared: true }
 * ```
 */
export interface ExplainSegment {
  /** UTF-16 offset of the first code unit. */
  readonly start: number;
  /** UTF-16 offset after the last code unit. */
  readonly end: number;
  /** True when every word in it is aligned with an equal (normalized) word of the other text. */
  readonly shared: boolean;
}

/** UTF-16 offsets `[start, end)` into a text. @inline */
interface Span {
  /** UTF-16 offset of the first code unit. */
  readonly start: number;
  /** UTF-16 offset after the last code unit. */
  readonly end: number;
}

/** A run of words the two texts share, in the same order: `[start, end)` UTF-16 offsets into each.
 * @example
 * ```ts
 * const [block]: SharedBlock[] = explainDuplicate('An old cat sat', 'the old cat sat down').shared;
 * block; // => { a: { start: 3, end: 14 }, b: { start: 4, end: 15 }, words: 3 }
 * ```
 */
export interface SharedBlock {
  /** The run in text `a`: from the start of its first word to the end of its last. */
  readonly a: Span;
  /** The run in text `b`. */
  readonly b: Span;
  /** Number of (normalized) words in the run. */
  readonly words: number;
}

/** How {@link DuplicateExplanation.similarity} was measured: the rule `dedupe` applies to the pair
 * (`'containment'`, with `measure: 'containment'`, is how much of `a` is inside `b`).
 * @example
 * ```ts
 * const measure: SimilarityMeasure = explainDuplicate('a b c d e f g', 'a b c d e f h').measure;
 * measure; // => 'jaccard'
 * explainDuplicate('a b c d e f', 'a b c d e f g h', { measure: 'containment' }).measure; // => 'containment'
 * ```
 */
export type SimilarityMeasure = 'exact' | 'jaccard' | 'containment' | 'editRatio' | 'minhash' | 'simhash';

/** The answer of {@link explainDuplicate}.
 * @example
 * ```ts
 * const e: DuplicateExplanation = explainDuplicate('Hello World', 'hello world!');
 * [e.exact, e.identical, e.duplicate, e.similarity]; // => [true, false, true, 1]
 * ```
 */
export interface DuplicateExplanation {
  /** The similarity `dedupe` reports for the pair: 1 for exact duplicates, else by {@link DuplicateExplanation.measure}; 0 when a text is empty after normalization. */
  readonly similarity: number;
  /** The rule that gave `similarity`. */
  readonly measure: SimilarityMeasure;
  /** The run's threshold. */
  readonly threshold: number;
  /** True when `dedupe` would call the pair duplicates once its index proposes it: exact, or `similarity ≥ threshold` (never when a text is empty after normalization). */
  readonly duplicate: boolean;
  /** True when the normalized texts are equal (and not empty): equal after normalization, see `folded`. */
  readonly exact: boolean;
  /** True when the original texts are equal, code unit for code unit. */
  readonly identical: boolean;
  /** Word counts: normalized words of each text (the units aligned) and how many are aligned. */
  readonly words: {
    /** Normalized words of text `a`. */
    readonly a: number;
    /** Normalized words of text `b`. */
    readonly b: number;
    /** Words aligned (equal in both, in order). */
    readonly shared: number;
  };
  /**
   * `'longest'` when `words.shared` is the length of a longest common subsequence of the two word sequences
   * (always when the part left after removing the common prefix and suffix is at most 2²² word pairs), else
   * `'anchored'` (aligned around words unique to both texts: a common subsequence, possibly shorter).
   */
  readonly alignment: 'longest' | 'anchored';
  /** Runs of aligned words, in order. */
  readonly shared: SharedBlock[];
  /** Text `a` cut into shared and differing pieces: consecutive, covering `[0, a.length)`. */
  readonly a: ExplainSegment[];
  /** Text `b` cut the same way. */
  readonly b: ExplainSegment[];
  /** The normalization steps that changed something in either text, with counts and examples. */
  readonly folded: Folding[];
}

/**
 * An options error thrown by a validator that names `inner` and its own `options`, renamed for a caller `fn`
 * whose options hold them at `path` (`options.dedupe`): `inner: options.x must be …` becomes
 * `fn: options.dedupe.x must be …`, and an unknown key `"x"` becomes `"dedupe.x"`. Other errors pass unchanged.
 * @internal
 */
export function nestedOptionError(err: unknown, inner: string, fn: string, path: string): unknown {
  if (!(err instanceof TypeError || err instanceof RangeError)) return err;
  if (inner === fn && path === 'options') return err;
  const Err = err instanceof RangeError ? RangeError : TypeError;
  const below = path === 'options' ? '' : `${path.replace(/^options\./, '')}.`;
  let m = err.message.replace(`${inner}: options.`, `${fn}: ${path}.`);
  if (m.startsWith(`${inner}: unknown option "`)) {
    m = m.replace(`${inner}: unknown option "`, `${fn}: unknown option "${below}`).replace('did you mean "', `did you mean "${below}`)
      .replace(/\(allowed: (.*)\)$/, (_, list: string) => `(allowed: ${list.split(', ').map((k) => below + k).join(', ')})`);
  }
  return new Err(m);
}

/**
 * Explains one pair under a run's rules: reuses a detector (its options resolved and validated once) and the
 * word dictionary cache, so a report explaining many pairs normalizes each distinct word once per pair.
 * @internal
 */
export class Explainer {
  readonly detector: NearDuplicateDetector;
  private readonly norm: ResolvedNormalizeOptions | null;

  /**
   * @param options - the run's options, as given to `dedupe`
   * @param fn - the public function or class named in error messages
   * @param path - where `options` sits in the caller's own options (`options`, `options.dedupe`)
   */
  constructor(options: DedupeRunOptions | undefined, fn = 'explainDuplicate', path = 'options') {
    assertOptions(fn, path, options, [...DEDUPE_KEYS, 'keep', 'clustering']);
    const { keep, clustering, ...detectorOptions } = options ?? {};
    // Checked as dedupe checks them, though neither changes an explanation.
    if (keep !== undefined && typeof keep !== 'function') assertOneOf(`${fn}: ${path}.keep`, keep, ['first', 'longest'] as const);
    if (clustering !== undefined) assertOneOf(`${fn}: ${path}.clustering`, clustering, ['greedy', 'connected'] as const);
    try {
      resolveDedupeOptions(detectorOptions, fn); // the messages name the caller, not the detector
    } catch (err) {
      throw nestedOptionError(err, fn, fn, path);
    }
    this.detector = new NearDuplicateDetector(detectorOptions);
    const n = this.detector.options.shingle.normalize;
    this.norm = n === true || n === undefined ? resolveNormalizeOptions(undefined) : n ? resolveNormalizeOptions(n) : null;
  }

  explain(a: string, b: string): DuplicateExplanation {
    const o = this.detector.options;
    const pa = this.detector.prepare(a);
    const pb = this.detector.prepare(b);
    const empty = pa.empty || pb.empty;
    const exact = !empty && pa.keyHi === pb.keyHi && pa.keyLo === pb.keyLo;
    const { similarity, measure } = empty ? { similarity: 0, measure: measureOf(o, pa, pb) } : exact ? { similarity: 1, measure: 'exact' as const } : this.similarity(pa, pb);
    const dict = new Dictionary(this.norm);
    const ua = unitsOf(a, dict);
    const ub = unitsOf(b, dict);
    const al = align(ua.key, ua.count, ub.key, ub.count, dict.words.length);
    const matchedA = new Uint8Array(ua.count);
    const matchedB = new Uint8Array(ub.count);
    const shared: SharedBlock[] = [];
    let first = -1;
    for (let k = 0; k <= al.length; k++) {
      const i = k < al.length ? al.pairs[2 * k]! : -1;
      const j = k < al.length ? al.pairs[2 * k + 1]! : -1;
      if (k < al.length) {
        matchedA[i] = 1;
        matchedB[j] = 1;
      }
      // A block ends where the next pair is not the next word on both sides.
      if (first >= 0 && (k === al.length || i !== al.pairs[2 * k - 2]! + 1 || j !== al.pairs[2 * k - 1]! + 1)) {
        const i0 = al.pairs[2 * first]!;
        const j0 = al.pairs[2 * first + 1]!;
        const i1 = al.pairs[2 * k - 2]!;
        const j1 = al.pairs[2 * k - 1]!;
        shared.push({ a: { start: ua.start[i0]!, end: ua.end[i1]! }, b: { start: ub.start[j0]!, end: ub.end[j1]! }, words: k - first });
        first = k;
      }
      if (first < 0) first = k;
    }
    return {
      similarity,
      measure,
      threshold: o.threshold,
      duplicate: !empty && (exact || (o.method !== 'exact' && similarity >= o.threshold)),
      exact,
      identical: a === b,
      words: { a: ua.count, b: ub.count, shared: al.length },
      alignment: al.exact ? 'longest' : 'anchored',
      shared,
      a: segments(a.length, ua, matchedA),
      b: segments(b.length, ub, matchedB),
      folded: foldings(a, b, this.norm),
    };
  }

  /** The similarity of a non-exact pair under the run's rule — the detector's own verification, or its estimate when `verify` is off. */
  private similarity(pa: PreparedDocument, pb: PreparedDocument): { similarity: number; measure: SimilarityMeasure } {
    const o = this.detector.options;
    const measure = measureOf(o, pa, pb);
    if (measure === 'exact') return { similarity: 0, measure };
    if (o.verify) return { similarity: this.detector.verify(pa, pb), measure };
    if (measure === 'minhash') {
      const sig = (values: Uint32Array) => ({ values, numPerm: o.numPerm, seed: o.seed, scheme: o.scheme });
      return { similarity: estimateJaccard(sig(pa.signature!), sig(pb.signature!)), measure };
    }
    return { similarity: 1 - hamming(pa.fingerprint!, pb.fingerprint!) / 64, measure };
  }
}

function measureOf(o: ResolvedDedupeOptions, pa: PreparedDocument, pb: PreparedDocument): SimilarityMeasure {
  if (o.method === 'exact') return 'exact';
  if (!o.verify) return o.method;
  if (o.measure === 'containment') return 'containment';
  return pa.normalized !== null && pb.normalized !== null ? 'editRatio' : 'jaccard';
}

/**
 * Cuts a text of `length` code units into consecutive shared / differing pieces. A word is shared when all its
 * units are aligned; the characters between two words (spaces, punctuation) take the kind of their neighbours when
 * both agree, else they differ; those before the first word or after the last take that word's kind.
 */
function segments(length: number, u: Units, matched: Uint8Array): ExplainSegment[] {
  const out: ExplainSegment[] = [];
  const push = (start: number, end: number, shared: boolean): void => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.shared === shared && last.end === start) out[out.length - 1] = { start: last.start, end, shared };
    else out.push({ start, end, shared });
  };
  if (u.count === 0) {
    push(0, length, false);
    return out;
  }
  let pos = 0;
  let prevShared = true;
  let k = 0;
  while (k < u.count) {
    const start = u.start[k]!;
    const end = u.end[k]!;
    let shared = true;
    for (; k < u.count && u.start[k] === start; k++) if (!matched[k]) shared = false;
    push(pos, start, pos === 0 ? shared : prevShared && shared);
    push(start, end, shared);
    pos = end;
    prevShared = shared;
  }
  push(pos, length, prevShared);
  return out;
}

/**
 * Explains why two texts are (or are not) duplicates under the rules of a `dedupe` run: the similarity the run
 * reports for the pair, whether they are equal after normalization, which normalization steps folded what, and
 * which words they share — as UTF-16 offsets into both original texts, ready to highlight.
 *
 * The words are those of `words` (the fast tokenizer) in the original text, each normalized with the run's
 * normalization (`shingle.normalize`); the alignment is a longest common subsequence of the two normalized word
 * sequences (see {@link DuplicateExplanation.alignment} for the bound on very long texts). Characters outside
 * words (spaces, punctuation, symbols) are never aligned themselves: they take the kind of the words around them.
 * Runs in time linear in the texts plus the exact alignment of what differs (at most 2²² word pairs per region);
 * a 1 MB pair takes well under a second.
 *
 * @param a - one text (e.g. the removed document)
 * @param b - the other (e.g. its kept copy)
 * @param options - the run's options, as given to `dedupe` (`keep` and `clustering` play no part)
 * @returns the explanation: similarity, exactness, normalization steps, shared runs and segments of both texts
 * @throws TypeError if `a` or `b` is not a string; TypeError/RangeError for invalid options (as `dedupe`)
 * @example
 * ```ts
 * const a = 'The quick brown fox jumps over the lazy dog.';
 * const b = 'THE QUICK BROWN FOX leaps over the lazy dog';
 * const e = explainDuplicate(a, b, { threshold: 0.5, shingle: { size: 2 } });
 * [e.exact, e.duplicate, e.measure, e.similarity]; // => [false, true, 'jaccard', 0.6]
 * e.words; // => { a: 9, b: 9, shared: 8 }
 * e.b.filter((s) => !s.shared).map((s) => b.slice(s.start, s.end)); // => [' leaps ']
 * e.folded.map((f) => f.step); // => ['lowercase', 'punctuation']
 * ```
 * @example
 * ```ts
 * // "Exact" can mean "equal after normalization": folded says what made them equal.
 * const e = explainDuplicate('Ｃafé: 2024', 'cafe 1999');
 * [e.exact, e.identical]; // => [true, false]
 * e.folded.map((f) => `${f.step} ${f.a}/${f.b}`); // => ['lowercase 1/0', 'nfkc 1/0', 'combiningMarks 1/0', 'punctuation 1/0', 'digits 4/4']
 * ```
 */
export function explainDuplicate(a: string, b: string, options?: DedupeRunOptions): DuplicateExplanation {
  assertString('explainDuplicate: a', a);
  assertString('explainDuplicate: b', b);
  // Without options, one explainer serves every call (made on first use): building one costs more than a short pair.
  if (options === undefined) return (defaultExplainer ??= new Explainer(undefined)).explain(a, b);
  return new Explainer(options).explain(a, b);
}

let defaultExplainer: Explainer | undefined;
