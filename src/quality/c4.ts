import { Analysis } from './analysis';
import { boundary, resolveC4, type C4QualityOptions, type ResolvedC4 } from './options';
import {
  codePointAt,
  cpLength,
  isDecimalCodePoint,
  isPyWhitespace,
  skipWhitespace,
  trimEndWhitespace,
  unitsOf,
} from './python';
import { defaultSentenceCount, defaultSentenceSpans } from './tokenizer';
import type { QualityResult } from './types';

/**
 * Reason names of {@link c4Quality}, in the order datatrove meets them.
 * @example
 * ```ts
 * const reason: C4QualityReason = 'curly_bracket';
 * c4Quality('Call f { x } now.', { tokenizer: 'whitespace' }).reasons; // => [reason, 'too_few_sentences']
 * ```
 */
export type C4QualityReason = 'lorem_ipsum' | 'curly_bracket' | 'too_few_sentences';

/**
 * Every number {@link c4Quality} computes, named after datatrove's `stat_update` keys. Each line is counted
 * once, under the first rule that drops it.
 * @example
 * ```ts
 * const s: C4QualityStats = c4Quality('Enable JavaScript to view this page.\nok', { tokenizer: 'whitespace' }).stats;
 * s.lineFilterJavascript; // => 1
 * s.lineFilterNoTerminalPunc; // => 1
 * ```
 */
export interface C4QualityStats {
  /** Sentences in the kept lines (whitespace tokenizer: runs of `.` `!` `?` before whitespace or the end, at least 1 per line). */
  numSentences: number;
  /** Lines kept in the cleaned text. */
  keptLines: number;
  /** Lines looked at (sentences, with `splitParagraph: false`). */
  lineTotal: number;
  /** Lines dropped for a word longer than `maxWordLength`. */
  lineFilterTooLongWord: number;
  /** Lines dropped for not ending in terminal punctuation (`filterNoTerminalPunct`). */
  lineFilterNoTerminalPunc: number;
  /** Lines dropped for having fewer than `minWordsPerLine` words. */
  lineFilterTooFewWords: number;
  /** Lines dropped for mentioning "javascript" (`filterJavascript`). */
  lineFilterJavascript: number;
  /** Lines dropped for a cookie or policy phrase (`filterPolicy`). */
  lineFilterPolicy: number;
  /** Lines that triggered a document rule (`lorem_ipsum`, `curly_bracket`); datatrove stops at the first. */
  lineFilterDocumentRule: number;
}

/**
 * Result of {@link c4Quality}: the verdict and the cleaned text.
 * @example
 * ```ts
 * const r: C4QualityResult = c4Quality('One. Two. Three. Four. Five.', { tokenizer: 'whitespace' });
 * r.text; // => 'One. Two. Three. Four. Five.'
 * ```
 */
export type C4QualityResult =
  | (QualityResult<C4QualityReason, C4QualityStats> & {
      /** No rule failed: `text` is the cleaned text. */
      pass: true;
      /** The cleaned text: kept lines joined with `\n` (or with a space when `splitParagraph` is false), then stripped. */
      text: string;
    })
  | (QualityResult<C4QualityReason, C4QualityStats> & {
      /** At least one rule failed: `text` is `null`. */
      pass: false;
      /** `null`: the document is rejected (datatrove drops it unchanged). */
      text: null;
    });

const END_PUNCTUATION = new Set([0x2e, 0x3f, 0x21, 0x22, 0x27]); // . ? ! " '
const POLICY_SUBSTRINGS = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'];

/** Index of the first `[` in `[from, end)`, or -1. */
function nextBracket(text: string, from: number, end: number): number {
  for (let k = from; k < end; k++) if (text.charCodeAt(k) === 0x5b) return k;
  return -1;
}

/** datatrove `CITATION_REGEX.sub("", line)`: removes `[digits]`, `[edit]`, `[citation needed]` (digits: Unicode Nd). */
function removeCitations(text: string, s: number, e: number): string {
  let i = nextBracket(text, s, e);
  if (i === -1) return text.slice(s, e);
  let out = '';
  let from = s;
  while (i !== -1) {
    let j = i + 1;
    while (j < e) {
      const cp = codePointAt(text, j, e);
      if (!isDecimalCodePoint(cp)) break;
      j += unitsOf(cp);
    }
    let end = -1;
    if (j < e && text.charCodeAt(j) === 0x5d) end = j + 1;
    else if (i + 6 <= e && text.startsWith('[edit]', i)) end = i + 6;
    else if (i + 17 <= e && text.startsWith('[citation needed]', i)) end = i + 17;
    if (end === -1) {
      i = nextBracket(text, i + 1, e);
      continue;
    }
    out += text.slice(from, i);
    from = end;
    i = nextBracket(text, end, e);
  }
  return out + text.slice(from, e);
}

const isSentencePunct = (c: number): boolean => c === 0x2e || c === 0x21 || c === 0x3f; // . ! ?

/**
 * Calls `onRun(end)` for every sentence end of the reference's rule in `text`: a maximal run of `.` `!` `?`
 * followed by Python whitespace or the end of the text (`end` is the index just after the run).
 */
function forEachSentenceEnd(text: string, onRun: (end: number) => void): void {
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isSentencePunct(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isSentencePunct(text.charCodeAt(j))) j++;
    if (j === n || isPyWhitespace(text.charCodeAt(j))) onRun(j);
    i = j;
  }
}

/** The reference's sentence count for one kept line: runs of `.` `!` `?` before whitespace or the end; at least 1. */
export function ruleSentenceCount(line: string): number {
  let count = 0;
  forEachSentenceEnd(line, () => count++);
  return Math.max(1, count);
}

/** Sentence pieces for `splitParagraph: false` with the whitespace tokenizer: cut after each counted run. */
function ruleSentenceSpans(text: string): Uint32Array {
  const out: number[] = [];
  let s = 0;
  forEachSentenceEnd(text, (end) => {
    out.push(s, end);
    s = end;
  });
  if (s < text.length) out.push(s, text.length);
  return Uint32Array.from(out);
}

/** Python `str.strip()` of a whole string. */
function pyStrip(s: string): string {
  const a = skipWhitespace(s, 0, s.length);
  return s.slice(a, trimEndWhitespace(s, a, s.length));
}

/** @internal The filter on an already segmented text. */
export function evaluateC4(a: Analysis, o: ResolvedC4): C4QualityResult {
  const { text } = a;
  const whitespace = a.tokenizer === 'whitespace';
  const units = o.splitParagraph ? a.splitlines() : whitespace ? ruleSentenceSpans(text) : defaultSentenceSpans(text);
  const reasons: C4QualityReason[] = [];
  const kept: string[] = [];
  const stats: C4QualityStats = {
    numSentences: 0,
    keptLines: 0,
    lineTotal: 0,
    lineFilterTooLongWord: 0,
    lineFilterNoTerminalPunc: 0,
    lineFilterTooFewWords: 0,
    lineFilterJavascript: 0,
    lineFilterPolicy: 0,
    lineFilterDocumentRule: 0,
  };
  const docRule = (r: C4QualityReason): void => {
    stats.lineFilterDocumentRule++;
    if (!reasons.includes(r)) reasons.push(r);
  };

  for (let k = 0; k < units.length >> 1; k++) {
    const s = skipWhitespace(text, units[2 * k]!, units[2 * k + 1]!);
    const e = trimEndWhitespace(text, s, units[2 * k + 1]!);
    stats.lineTotal++;
    // words = line.split(): count them and look for one longer than maxWordLength (code points)
    let nWords = 0;
    let tooLong = false;
    for (let i = s; i < e; ) {
      while (i < e && isPyWhitespace(text.charCodeAt(i))) i++;
      if (i >= e) break;
      const ws = i;
      while (i < e && !isPyWhitespace(text.charCodeAt(i))) i++;
      nWords++;
      if (o.maxWordLength !== -1 && !tooLong && i - ws > o.maxWordLength && cpLength(text, ws, i) > o.maxWordLength) tooLong = true;
    }
    if (tooLong) {
      stats.lineFilterTooLongWord++;
      continue;
    }
    const line = o.removeCitations ? removeCitations(text, s, e) : text.slice(s, e);
    if (o.filterNoTerminalPunct && (line.length === 0 || !END_PUNCTUATION.has(line.charCodeAt(line.length - 1)) || line.endsWith('...'))) {
      stats.lineFilterNoTerminalPunc++;
      continue;
    }
    if (nWords < o.minWordsPerLine) {
      stats.lineFilterTooFewWords++;
      continue;
    }
    const lower = line.toLowerCase();
    if (o.filterLoremIpsum && lower.includes('lorem ipsum')) {
      docRule('lorem_ipsum');
      continue;
    }
    if (o.filterJavascript && lower.includes('javascript')) {
      stats.lineFilterJavascript++;
      continue;
    }
    if (o.filterCurlyBracket && line.includes('{')) {
      docRule('curly_bracket');
      continue;
    }
    if (o.filterPolicy && POLICY_SUBSTRINGS.some((p) => lower.includes(p))) {
      stats.lineFilterPolicy++;
      continue;
    }
    stats.numSentences += !o.splitParagraph ? 1 : whitespace ? ruleSentenceCount(line) : Math.max(1, defaultSentenceCount(line));
    kept.push(line);
  }
  stats.keptLines = kept.length;
  if (stats.numSentences < o.minNumSentences) reasons.push('too_few_sentences');
  if (reasons.length > 0) return { pass: false, reasons, stats, text: null };
  return { pass: true, reasons, stats, text: pyStrip(kept.join(o.splitParagraph ? '\n' : ' ')) };
}

/**
 * The C4 rules (Raffel et al. 2020), computed exactly as datatrove's `C4QualityFilter`. Line rules, in
 * order, on each stripped line: drop it if a word is longer than 1000 code points; remove Wikipedia
 * citations (`[1]`, `[edit]`, `[citation needed]`); drop it unless it ends in `.` `?` `!` `"` `'` (and not
 * `...`); drop it with fewer than 3 words; reject the document on "lorem ipsum"; drop it on "javascript";
 * reject the document on `{`; drop it on cookie/policy phrases. Then reject the document with fewer than
 * 5 sentences in the kept lines. A kept document's text is the kept lines joined by `\n`.
 *
 * Words per line are always Python `str.split()` words, as in datatrove. Sentences: with
 * `tokenizer: 'whitespace'`, the reference file's rule (runs of `.` `!` `?` followed by whitespace or the
 * end of the line, at least 1 per line); with `'default'`, the library's sentence segmentation (at least 1).
 *
 * datatrove stops at the first document rule (`lorem_ipsum`, `curly_bracket`); this function keeps
 * scanning (the offending line is dropped) so `reasons` lists every failed rule and the counts are complete.
 *
 * @param text - the document
 * @param options - rules (see {@link C4_QUALITY_DEFAULTS}) and `tokenizer`; FineWeb runs it with `filterNoTerminalPunct: false`
 * @returns `{ pass, reasons, stats, text }`, `text` being the cleaned text, or `null` when rejected
 * @throws TypeError when `text` is not a string or an option has the wrong type or an unknown name
 * @throws RangeError when `minNumSentences`, `minWordsPerLine` or `maxWordLength` is not an integer ≥ -1
 * @example
 * ```ts
 * const doc = 'Menu\nThe cat sat on the mat. It purred.\nWe use cookies to improve this site.\nDogs bark at night. Birds sing at dawn. Fish swim all day.';
 * const r = c4Quality(doc, { tokenizer: 'whitespace' });
 * r.pass; // => true
 * r.text; // => 'The cat sat on the mat. It purred.\nDogs bark at night. Birds sing at dawn. Fish swim all day.'
 * r.stats.numSentences; // => 5
 * ```
 */
export function c4Quality(text: string, options?: C4QualityOptions): C4QualityResult {
  const { bag, tokenizer } = boundary('c4Quality', text, options);
  const o = resolveC4('c4Quality', 'options', bag, true);
  return evaluateC4(new Analysis(text, tokenizer), o);
}
