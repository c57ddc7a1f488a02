/**
 * Seeded property tests: the four filters (whitespace tokenizer) against a naive oracle that follows
 * datatrove's Python line by line with real strings, arrays and Maps (joined n-grams as strings, so the
 * hashing, windowing and verification code of the library is checked against plain string equality).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { c4Quality, finewebQuality, gopherQuality, gopherRepetition, qualityReport, TERMINAL_PUNCTUATION } from '../src/index';

// ---- Python string semantics, naively -------------------------------------------------------
const WS = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const isWs = (ch: string): boolean => WS.includes(ch);
const len = (s: string): number => [...s].length;
const split = (s: string): string[] => s.split(new RegExp(`[${WS}]+`, 'u')).filter((w) => w !== '');
const strip = (s: string): string => {
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  while (a < b && isWs(cs[a]!)) a++;
  while (b > a && isWs(cs[b - 1]!)) b--;
  return cs.slice(a, b).join('');
};
const lstrip = (s: string): string => { let i = 0; while (i < s.length && isWs(s[i]!)) i++; return s.slice(i); };
const rstrip = (s: string): string => { let i = s.length; while (i > 0 && isWs(s[i - 1]!)) i--; return s.slice(0, i); };
const splitlines = (s: string): string[] => {
  const parts = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
};
const count = (s: string, sub: string): number => s.split(sub).length - 1;
const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function findDuplicates(xs: string[]): [number, number] {
  const seen = new Set<string>();
  let n = 0;
  let c = 0;
  for (const x of xs) {
    if (seen.has(x)) { n++; c += len(x); } else seen.add(x);
  }
  return [n, c];
}

// ---- The filters, naively -------------------------------------------------------------------
function oracleRepetition(text: string): { reasons: string[]; stats: Record<string, unknown> } {
  const L = len(text);
  const paragraphs = strip(text).split(/\n{2,}/);
  const [pd, pc] = findDuplicates(paragraphs);
  const lines = text.split(/\n+/);
  const [ld, lc] = findDuplicates(lines);
  const words = split(text);
  const reasons: string[] = [];
  if (pd / paragraphs.length > 0.3) reasons.push('dup_para_frac');
  if (L && pc / L > 0.2) reasons.push('dup_para_char_frac');
  if (ld / lines.length > 0.3) reasons.push('dup_line_frac');
  if (L && lc / L > 0.2) reasons.push('dup_line_char_frac');
  const top: Record<number, number | null> = {};
  for (const [n, t] of [[2, 0.2], [3, 0.18], [4, 0.16]] as const) {
    const grams: string[] = [];
    for (let i = 0; i + n <= words.length; i++) grams.push(words.slice(i, i + n).join(' '));
    if (grams.length === 0) { top[n] = null; continue; }
    const counter = new Map<string, number>();
    for (const g of grams) counter.set(g, (counter.get(g) ?? 0) + 1);
    let best = '';
    let bestC = 0;
    for (const [g, c] of counter) if (c > bestC) { best = g; bestC = c; } // Map keeps insertion order: first max wins
    top[n] = len(best) * bestC;
    if (L && top[n]! / L > t) reasons.push(`top_${n}_gram`);
  }
  const dup: Record<number, number> = {};
  for (const [n, t] of [[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]] as const) {
    const unique = new Set<string>();
    let rep = 0;
    let i = 0;
    while (i < words.length - n + 1) {
      const g = words.slice(i, i + n).join('');
      if (unique.has(g)) { rep += len(g); i += n; } else { unique.add(g); i += 1; }
    }
    dup[n] = rep;
    if (L && rep / L > t) reasons.push(`duplicated_${n}_n_grams`);
  }
  return {
    reasons,
    stats: { length: L, nParagraphs: paragraphs.length, paraDupCount: pd, paraDupChars: pc, nLines: lines.length, lineDupCount: ld, lineDupChars: lc, nWords: words.length, topNgramChars: top, dupNgramChars: dup },
  };
}

const PUNCT = new Set([...'!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»']);
for (const [a, b] of [[0, 9], [11, 13], [13, 32], [127, 160]]) for (let c = a!; c < b!; c++) PUNCT.add(String.fromCharCode(c));
for (const t of TERMINAL_PUNCTUATION) PUNCT.add(t);
const STOP = new Set(['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with']);

function oracleQuality(text: string): { reasons: string[]; stats: Record<string, unknown> } {
  const words = split(text);
  const ns = words.filter((w) => [...w].some((c) => !PUNCT.has(c)));
  const mean = ratio(ns.reduce((s, w) => s + len(w), 0), ns.length);
  const hashR = ratio(count(text, '#'), words.length);
  const ellR = ratio(count(text, '...') + count(text, '…'), words.length);
  const lines = splitlines(text);
  const bullets = lines.filter((s) => lstrip(s).startsWith('•') || lstrip(s).startsWith('-')).length;
  const endEll = lines.filter((s) => rstrip(s).endsWith('...') || rstrip(s).endsWith('…')).length;
  const alpha = words.filter((w) => [...w].some((c) => /\p{L}/u.test(c))).length;
  const found = [...new Set(words.filter((w) => STOP.has(w)))].sort();
  const reasons: string[] = [];
  const gt = (v: number | null, t: number): boolean => v !== null && v > t;
  const lt = (v: number | null, t: number): boolean => v !== null && v < t;
  if (ns.length < 50) reasons.push('gopher_short_doc');
  if (ns.length > 100000) reasons.push('gopher_long_doc');
  if (lt(mean, 3)) reasons.push('gopher_below_avg_threshold');
  if (gt(mean, 10)) reasons.push('gopher_above_avg_threshold');
  if (gt(hashR, 0.1)) reasons.push('gopher_too_many_hashes');
  if (gt(ellR, 0.1)) reasons.push('gopher_too_many_ellipsis');
  if (gt(ratio(bullets, lines.length), 0.9)) reasons.push('gopher_too_many_bullets');
  if (gt(ratio(endEll, lines.length), 0.3)) reasons.push('gopher_too_many_end_ellipsis');
  if (lt(ratio(alpha, words.length), 0.8)) reasons.push('gopher_below_alpha_threshold');
  if (found.length < 2) reasons.push('gopher_enough_stop_words');
  return {
    reasons,
    stats: { nWords: words.length, nNonSymbolWords: ns.length, meanNonSymbolWordLen: mean, hashRatio: hashR, ellipsisRatio: ellR, nLines: lines.length, bulletLines: bullets, endEllipsisLines: endEll, alphaWords: alpha, stopWordsFound: found },
  };
}

function oracleFineweb(text: string): { reasons: string[]; stats: Record<string, unknown> } {
  const lines = text.split('\n').filter((l) => strip(l) !== '');
  const punct = lines.filter((l) => TERMINAL_PUNCTUATION.some((t) => l.endsWith(t))).length;
  const short = lines.filter((l) => len(l) <= 30).length;
  const dupChars = findDuplicates(lines)[1];
  const noNl = len(text.replaceAll('\n', ''));
  const nl = count(text, '\n');
  const nWords = split(text).length;
  const reasons: string[] = [];
  if (lines.length === 0) return { reasons: ['empty'], stats: { nLines: 0 } };
  if (punct / lines.length < 0.12) reasons.push('line_punct_ratio');
  if (short / lines.length > 0.67) reasons.push('short_line_ratio');
  if (dupChars / noNl > 0.01) reasons.push('char_dup_ratio');
  if (nl / nWords > 0.3) reasons.push('list_ratio');
  return { reasons, stats: { nLines: lines.length, punctLines: punct, shortLines: short, dupLineChars: dupChars, charsWithoutNewlines: noNl, newlineCount: nl, nWords } };
}

function oracleC4(text: string, terminal: boolean): { reasons: string[]; text: string | null; numSentences: number } {
  let num = 0;
  const kept: string[] = [];
  const reasons: string[] = [];
  for (let line of splitlines(text)) {
    line = strip(line);
    const words = split(line);
    if (words.some((w) => len(w) > 1000)) continue;
    line = line.replace(/\[\p{Nd}*\]|\[edit\]|\[citation needed\]/gu, '');
    if (terminal && (!/[.?!"']$/.test(line) || line.endsWith('...'))) continue;
    if (words.length < 3) continue;
    const low = line.toLowerCase();
    if (low.includes('lorem ipsum')) { if (!reasons.includes('lorem_ipsum')) reasons.push('lorem_ipsum'); continue; }
    if (low.includes('javascript')) continue;
    if (line.includes('{')) { if (!reasons.includes('curly_bracket')) reasons.push('curly_bracket'); continue; }
    if (['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies'].some((p) => low.includes(p))) continue;
    num += Math.max(1, (line.match(new RegExp(`[.!?]+(?=[${WS}]|$)`, 'gu')) ?? []).length);
    kept.push(line);
  }
  if (num < 5) reasons.push('too_few_sentences');
  return { reasons, text: reasons.length ? null : strip(kept.join('\n')), numSentences: num };
}

// ---- Generators -----------------------------------------------------------------------------
const PIECES = [
  'a', 'b', 'ab', 'c', 'bc', 'the', 'and', 'with', 'Word', 'word.', 'end!', 'why?', '"q"', "it's",
  ' ', ' ', ' ', '  ', '\n', '\n', '\n\n', '\r\n', '\r', '\t', '\u2028', '\x1c', '\x85', '\u00a0', '\u3000', '\v', '\f',
  '.', '...', '…', '#', '•', '- ', '!', '?', '[1]', '[edit]', '[٣]', '{', '😀', '𝐀𝐁', 'é', 'e\u0301', '\ud83d',
  '日本語。', 'lorem ipsum', 'JavaScript', 'cookie policy', '\u200b', '\ufeff',
];
const piece = fc.constantFrom(...PIECES);
const doc = fc.array(piece, { minLength: 0, maxLength: 120 }).map((ps) => ps.join(''));
/** Repetitive documents: a few lines or phrases repeated, to exercise duplicate paths. */
const repetitive = fc
  .tuple(fc.array(fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join('')), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }), fc.constantFrom('\n', ' ', '\n\n', ''))
  .map(([units, picks, sep]) => picks.map((i) => units[i % units.length]).join(sep));
const anyDoc = fc.oneof(doc, repetitive);
const W = { tokenizer: 'whitespace' } as const;

function pickStats(stats: object, keys: Record<string, unknown>): Record<string, unknown> {
  const s = stats as Record<string, unknown>;
  return Object.fromEntries(Object.keys(keys).map((k) => [k, s[k]]));
}

describe('quality filters against a naive oracle (seeded)', () => {
  it('gopherRepetition(text, {tokenizer: whitespace}) equals the oracle', () => {
    fc.assert(fc.property(anyDoc, (text) => {
      const o = oracleRepetition(text);
      const r = gopherRepetition(text, W);
      expect(pickStats(r.stats, o.stats)).toEqual(o.stats);
      expect(r.reasons).toEqual(o.reasons);
    }), { seed: 20240501, numRuns: 600 });
  });
  it('gopherQuality(text, {tokenizer: whitespace}) equals the oracle', () => {
    fc.assert(fc.property(anyDoc, (text) => {
      const o = oracleQuality(text);
      const r = gopherQuality(text, W);
      expect(pickStats(r.stats, o.stats)).toEqual(o.stats);
      expect(r.reasons).toEqual(o.reasons);
    }), { seed: 20240502, numRuns: 600 });
  });
  it('finewebQuality(text, {tokenizer: whitespace}) equals the oracle', () => {
    fc.assert(fc.property(anyDoc, (text) => {
      const o = oracleFineweb(text);
      const r = finewebQuality(text, W);
      expect(pickStats(r.stats, o.stats)).toEqual(o.stats);
      expect(r.reasons).toEqual(o.reasons);
    }), { seed: 20240503, numRuns: 600 });
  });
  it('c4Quality(text, {tokenizer: whitespace}) equals the oracle, with and without the punctuation rule', () => {
    fc.assert(fc.property(anyDoc, fc.boolean(), (text, terminal) => {
      const o = oracleC4(text, terminal);
      const r = c4Quality(text, { ...W, filterNoTerminalPunct: terminal });
      expect(r.reasons).toEqual(o.reasons);
      expect(r.text).toBe(o.text);
      expect(r.stats.numSentences).toBe(o.numSentences);
    }), { seed: 20240504, numRuns: 600 });
  });
  it('qualityReport(text) equals the four filters called alone, for both tokenizers', () => {
    fc.assert(fc.property(anyDoc, fc.constantFrom('whitespace', 'default'), (text, tokenizer) => {
      const r = qualityReport(text, { tokenizer });
      expect(r.gopherRepetition).toEqual(gopherRepetition(text, { tokenizer }));
      expect(r.gopherQuality).toEqual(gopherQuality(text, { tokenizer }));
      expect(r.c4).toEqual(c4Quality(text, { tokenizer }));
      expect(r.fineweb).toEqual(finewebQuality(text, { tokenizer }));
    }), { seed: 20240505, numRuns: 200 });
  });
});

describe('n-gram joins that are not injective', () => {
  it('gopherRepetition counts "ab c" and "a bc" as the same "".join 5-gram, like datatrove', () => {
    // windows ["ab","c","x","y","z"] and ["a","bc","x","y","z"] both join to "abcxyz"
    const text = 'ab c x y z q a bc x y z';
    const o = oracleRepetition(text);
    expect(o.stats.dupNgramChars).toMatchObject({ 5: 6 });
    expect(gopherRepetition(text, W).stats.dupNgramChars[5]).toBe(6);
  });
  it('gopherRepetition does not merge them for the " ".join top n-grams', () => {
    const r = gopherRepetition('ab c a bc', W);
    expect(r.stats.topNgramChars[2]).toBe(4); // "ab c" seen once, first
  });
});
