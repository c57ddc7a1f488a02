/**
 * Linear time on adversarial input: each case must simply finish (no time bound here; timings are in
 * bench/quality.bench.ts) and give the numbers that follow from its construction.
 */
import { describe, expect, it } from 'vitest';
import { c4Quality, gopherQuality, gopherRepetition, qualityReport } from '../src/index';

const MB = 1 << 20;
const W = { tokenizer: 'whitespace' } as const;

describe('quality filters on adversarial inputs', () => {
  it('qualityReport(1 MB of one repeated line) finishes, both tokenizers', () => {
    const line = 'The same line of text repeats here, again and again.\n';
    const k = Math.ceil(MB / line.length);
    const text = line.repeat(k);
    const r = qualityReport(text, W);
    expect(r.gopherRepetition.stats.nLines).toBe(k + 1); // re.split keeps the trailing empty line
    expect(r.gopherRepetition.stats.lineDupCount).toBe(k - 1);
    expect(r.gopherRepetition.reasons[0]).toBe('dup_line_frac'); // one paragraph (no blank line): no paragraph rule
    expect(r.fineweb.stats.dupLineChars).toBe((k - 1) * (line.length - 1));
    expect(qualityReport(text).gopherRepetition.stats.lineDupCount).toBe(k - 1);
  });

  it('qualityReport(1 MB without a newline) finishes, both tokenizers', () => {
    let text = '';
    for (let i = 0; text.length < MB; i++) text += `w${(Math.imul(i, 2654435761) >>> 0) % 5000} `;
    const r = qualityReport(text, W);
    expect(r.fineweb.stats.nLines).toBe(1);
    expect(r.gopherRepetition.stats.nWords).toBe(text.split(' ').length - 1);
    expect(qualityReport(text).gopherQuality.stats.nWords).toBeGreaterThan(100000);
  });

  it('qualityReport(1 MB single word, no whitespace at all) finishes', () => {
    const text = 'abcdefghij'.repeat(MB / 8);
    const r = qualityReport(text, W);
    expect(r.gopherRepetition.stats.nWords).toBe(1);
    expect(r.gopherRepetition.stats.topNgramChars).toEqual({ 2: null, 3: null, 4: null });
    expect(r.c4.stats.lineFilterTooLongWord).toBe(1);
  });

  it('qualityReport(100k bullet lines) finishes', () => {
    const text = '• item\n'.repeat(100_000);
    const r = qualityReport(text, W);
    expect(r.gopherQuality.stats.nLines).toBe(100_000);
    expect(r.gopherQuality.stats.bulletLines).toBe(100_000);
    expect(r.c4.stats.lineTotal).toBe(100_000);
    expect(qualityReport(text).gopherQuality.stats.bulletLines).toBe(100_000);
  });

  it('qualityReport(deep punctuation runs) finishes', () => {
    const dots = '.'.repeat(MB);
    const r = qualityReport(dots, W);
    expect(r.gopherQuality.stats.tripleDotCount).toBe(Math.floor(MB / 3));
    expect(r.c4.stats.lineFilterTooLongWord).toBe(1);
    expect(c4Quality(dots, { ...W, maxWordLength: -1, minWordsPerLine: -1, filterNoTerminalPunct: false }).stats.numSentences).toBe(1);
    expect(qualityReport('!?'.repeat(MB / 2), W).gopherQuality.stats.nWords).toBe(1);
    expect(qualityReport('[1]'.repeat(MB / 3) + ' end of line.', { ...W, c4: { maxWordLength: -1 } }).c4.stats.keptLines).toBe(1);
    expect(qualityReport('['.repeat(MB), W).c4.stats.lineTotal).toBe(1);
    expect(qualityReport('[' + '1'.repeat(MB), W).c4.stats.lineTotal).toBe(1);
    expect(qualityReport('... '.repeat(MB / 4), W).gopherQuality.stats.endEllipsisLines).toBe(1);
  });

  it('qualityReport(1 MB of newlines or carriage returns) finishes', () => {
    const nl = qualityReport('\n'.repeat(MB), W);
    expect(nl.gopherQuality.stats.nLines).toBe(MB);
    expect(nl.gopherRepetition.stats.nLines).toBe(2);
    expect(nl.fineweb.reasons).toEqual(['empty']);
    const cr = qualityReport('\r'.repeat(MB), W);
    expect(cr.c4.stats.lineTotal).toBe(MB);
  });

  it('gopherRepetition(periodic and astral text) finishes', () => {
    const periodic = 'a b '.repeat(MB / 4);
    const r = gopherRepetition(periodic, W);
    expect(r.stats.topNgramChars[2]).toBe(3 * (MB / 4)); // "a b" occurs MB/4 times, "b a" one time less
    const astral = gopherRepetition('😀 𝐀𝐁 '.repeat(MB / 8), W);
    expect(astral.stats.length).toBe(5 * (MB / 8));
  });

  it('gopherRepetition(windows over words longer than the power table) stays exact', () => {
    const big = 'ab'.repeat(600_000); // 1.2 M units: window powers computed by squaring
    const text = [big, 'y', big, 'y', big].join(' ');
    const r = gopherRepetition(text, { ...W, dupNGrams: [[2, 0.5]] });
    expect(r.stats.topNgramChars[2]).toBe((big.length + 2) * 2); // "big y" twice, seen first
    expect(r.stats.dupNgramChars[2]).toBe(big.length + 1); // "bigy", "ybig", then "bigy" again
    expect(gopherQuality(text, W).stats.meanNonSymbolWordLen).toBe((3 * big.length + 2) / 5);
  });
});
