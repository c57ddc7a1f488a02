/**
 * Which normalization step changed which characters of a text: what turns "equal after normalization" into
 * something a person can check (`Ｈello` and `hello` are exact duplicates because of `nfkc` and `lowercase`).
 * Internal module, not public API.
 */
import { normalizeResolved, type NormalizeOptions, type ResolvedNormalizeOptions } from '../text/normalize';

/** A normalization step, named as its option in `NormalizeOptions`.
 * @example
 * ```ts
 * const steps: NormalizeStep[] = explainDuplicate('Ｈello', 'hello').folded.map((f) => f.step);
 * steps; // => ['lowercase', 'nfkc']
 * ```
 */
export type NormalizeStep = keyof NormalizeOptions;

/** What one normalization step changed in the two texts of an explanation.
 * @example
 * ```ts
 * const [digits]: Folding[] = explainDuplicate('call 555 1234', 'call 555 9876').folded;
 * digits; // => { step: 'digits', a: 7, b: 7, examples: [{ from: '5', to: '0' }, { from: '1', to: '0' }, { from: '2', to: '0' }] }
 * ```
 */
export interface Folding {
  /** The step (its `NormalizeOptions` flag). */
  readonly step: NormalizeStep;
  /** Code points of text `a` the step changed (for `whitespace`: whitespace code points collapsed or trimmed). */
  readonly a: number;
  /** The same count in text `b`. */
  readonly b: number;
  /** Up to three distinct examples, first seen first (a, then b): the original and what the normalization made of it (a collapsed whitespace run shows as `' '`, a trimmed one as `''`). */
  readonly examples: {
    /** The original character (or whitespace run). */
    readonly from: string;
    /** What normalization made of it. */
    readonly to: string;
  }[];
}

const CASE = 1;
const NFKC = 2;
const MARKS = 4;
const PUNCT = 8;
const DIGIT = 16;
const SPACE = 32;
const STEPS: readonly [NormalizeStep, number][] = [
  ['lowercase', CASE], ['nfkc', NFKC], ['combiningMarks', MARKS], ['punctuation', PUNCT], ['digits', DIGIT], ['whitespace', SPACE],
];
const MAX_EXAMPLES = 3;

// The classes of each code point seen, decided once (a text repeats its characters).
let classes: Map<number, number> | undefined;
let reMark: RegExp | undefined;
let rePunct: RegExp | undefined;
let reDigit: RegExp | undefined;
let reSpace: RegExp | undefined;

function classOf(cp: number, ch: string): number {
  classes ??= new Map();
  let c = classes.get(cp);
  if (c !== undefined) return c;
  reMark ??= /(?![\u3099\u309a])[\p{Mn}\p{Me}]/u;
  rePunct ??= /^[\p{P}\p{S}]$/u;
  reDigit ??= /^\p{Nd}$/u;
  reSpace ??= /^[\s\u0085]$/u;
  c = 0;
  if (ch.toLowerCase() !== ch) c |= CASE;
  if (ch.normalize('NFKC') !== ch.normalize('NFC')) c |= NFKC;
  if (reMark.test(ch.normalize('NFD'))) c |= MARKS;
  if (rePunct.test(ch)) c |= PUNCT;
  if (reDigit.test(ch)) c |= DIGIT;
  if (reSpace.test(ch)) c |= SPACE;
  classes.set(cp, c);
  return c;
}

/**
 * The steps of `norm` that changed something in `a` or `b`, in the order of `NormalizeOptions`; empty when
 * `norm` is null (no normalization). Linear in the texts' lengths.
 * @internal
 */
export function foldings(a: string, b: string, norm: ResolvedNormalizeOptions | null): Folding[] {
  if (norm === null) return [];
  const on = (norm.lowercase ? CASE : 0) | (norm.nfkc ? NFKC : 0) | (norm.combiningMarks ? MARKS : 0) |
    (norm.punctuation ? PUNCT : 0) | (norm.digits ? DIGIT : 0) | (norm.whitespace ? SPACE : 0);
  // Examples are normalized without the whitespace step, so that punctuation shows as the space it becomes.
  const exampleNorm: ResolvedNormalizeOptions = { ...norm, whitespace: false, all: false };
  const counts = [new Int32Array(STEPS.length), new Int32Array(STEPS.length)];
  const examples: { from: string; to: string }[][] = STEPS.map(() => []);
  const seen = STEPS.map(() => new Set<string>());
  [a, b].forEach((text, side) => {
    const count = counts[side]!;
    let runStart = -1; // start of the current whitespace run
    for (let i = 0; i <= text.length; ) {
      const cp = i < text.length ? text.codePointAt(i)! : -1;
      const w = cp > 0xffff ? 2 : 1;
      const ch = cp < 0 ? '' : text.slice(i, i + w);
      const c = cp < 0 ? 0 : classOf(cp, ch) & on;
      if (c & SPACE) {
        if (runStart < 0) runStart = i;
        i += w;
        continue;
      }
      if (runStart >= 0) {
        // A run of whitespace is folded unless it is one plain space between two other characters.
        const run = text.slice(runStart, i);
        if (!(run === ' ' && runStart > 0 && cp >= 0)) {
          count[STEPS.length - 1]! += [...run].length;
          note(STEPS.length - 1, run, runStart === 0 || cp < 0 ? '' : ' ');
        }
        runStart = -1;
      }
      if (cp < 0) break;
      for (let s = 0; s < STEPS.length - 1; s++) {
        if (c & STEPS[s]![1]) {
          count[s]!++;
          note(s, ch, '');
        }
      }
      i += w;
    }
  });
  function note(s: number, from: string, to: string): void {
    if (examples[s]!.length >= MAX_EXAMPLES || seen[s]!.has(from)) return;
    seen[s]!.add(from);
    examples[s]!.push({ from, to: s === STEPS.length - 1 ? to : normalizeResolved(from, exampleNorm) });
  }
  const out: Folding[] = [];
  STEPS.forEach(([step], s) => {
    if (counts[0]![s]! + counts[1]![s]! > 0) out.push({ step, a: counts[0]![s]!, b: counts[1]![s]!, examples: examples[s]! });
  });
  return out;
}
