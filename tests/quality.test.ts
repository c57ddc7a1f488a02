/**
 * Reference vectors: every number and verdict of datatrove's four filters on 306 documents
 * (tests/fixtures/quality-vectors.jsonl, made with Python `str.split()` words), reproduced with
 * `tokenizer: 'whitespace'` through each filter and through `qualityReport`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { c4Quality, finewebQuality, gopherQuality, gopherRepetition, qualityReport } from '../src/index';
import { doubled, pySplitSpans, splitlinesSpans } from '../src/quality/python';

type Block = Record<string, unknown> & { keep: boolean | null; reason: string | null };
interface Row {
  id: string;
  source: string;
  text: string;
  gopher_repetition: Block;
  gopher_quality: Block;
  fineweb: Block;
  c4: Block;
  c4_no_terminal_punct: Block;
}

const path = fileURLToPath(new URL('./fixtures/quality-vectors.jsonl', import.meta.url));
const [headerLine, ...rowLines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
const header = JSON.parse(headerLine!) as { header: boolean; count: number };
const rows = rowLines.map((l) => JSON.parse(l) as Row);

const camel = (s: string): string => (s === 'L' ? 'length' : s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
const TOL = 1e-12;

/** Asserts every fixture field (except verdict fields) against the stats object. */
function expectStats(stats: Record<string, unknown>, block: Block, skip: readonly string[] = []): void {
  for (const [key, expected] of Object.entries(block)) {
    if (['keep', 'reason', 'error', ...skip].includes(key)) continue;
    const actual = stats[camel(key)];
    if (typeof expected === 'number' && !Number.isInteger(expected)) {
      expect(typeof actual, key).toBe('number');
      expect(Math.abs((actual as number) - expected), `${key}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
    } else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
      // per-n tables ({"2": …}): compare entry by entry with the same tolerance rule
      expect(Object.keys(actual as object).sort(), key).toEqual(Object.keys(expected).sort());
      for (const [n, v] of Object.entries(expected)) expect((actual as Record<string, unknown>)[n], `${key}[${n}]`).toBe(v);
    } else {
      expect(actual, key).toEqual(expected);
    }
  }
}

/** Asserts the verdict: `keep: true` → pass; `keep: false` → reasons[0] is datatrove's reason. */
function expectVerdict(result: { pass: boolean; reasons: readonly string[] }, block: Block): void {
  if (block.keep === true) {
    expect(result.reasons).toEqual([]);
    expect(result.pass).toBe(true);
  } else if (block.keep === false) {
    expect(result.pass).toBe(false);
    expect(result.reasons[0]).toBe(block.reason);
  } else {
    // datatrove raised (only the empty text, ZeroDivisionError in GopherRepetition): defined as a pass here
    expect(block.error).toMatch(/ZeroDivisionError/);
    expect(result.pass).toBe(true);
    expect(result.reasons).toEqual([]);
  }
}

function expectC4(result: ReturnType<typeof c4Quality>, block: Block): void {
  expectVerdict(result, block);
  if (block.num_sentences === null) {
    // datatrove stopped at a document rule and recorded no counts; neardup keeps counting
    expect(['lorem_ipsum', 'curly_bracket']).toContain(block.reason);
  } else {
    expect(result.stats.numSentences).toBe(block.num_sentences);
    expect(result.stats.keptLines).toBe(block.kept_lines);
  }
  expect(result.text).toBe(block.text_out);
}

const WS = { tokenizer: 'whitespace' } as const;

describe('quality-vectors.jsonl', () => {
  it('has the header and the announced number of rows', () => {
    expect(header.header).toBe(true);
    expect(rows.length).toBe(header.count);
    expect(rows.length).toBe(306);
  });
});

describe.each(rows.map((r, i) => [`#${i} ${r.id}`, r] as const))('%s', (_, row) => {
  it('gopherRepetition(text, {tokenizer: whitespace})', () => {
    const r = gopherRepetition(row.text, WS);
    expectStats(r.stats as unknown as Record<string, unknown>, row.gopher_repetition);
    expectVerdict(r, row.gopher_repetition);
  });
  it('gopherQuality(text, {tokenizer: whitespace})', () => {
    const r = gopherQuality(row.text, WS);
    expectStats(r.stats as unknown as Record<string, unknown>, row.gopher_quality);
    expectVerdict(r, row.gopher_quality);
  });
  it('c4Quality(text, {tokenizer: whitespace})', () => {
    expectC4(c4Quality(row.text, WS), row.c4);
  });
  it('c4Quality(text, {tokenizer: whitespace, filterNoTerminalPunct: false})', () => {
    expectC4(c4Quality(row.text, { ...WS, filterNoTerminalPunct: false }), row.c4_no_terminal_punct);
  });
  it('finewebQuality(text, {tokenizer: whitespace})', () => {
    const r = finewebQuality(row.text, WS);
    expectStats(r.stats as unknown as Record<string, unknown>, row.fineweb);
    expectVerdict(r, row.fineweb);
  });
  it('qualityReport(text, {tokenizer: whitespace}) reproduces every block', () => {
    const r = qualityReport(row.text, WS);
    expectStats(r.gopherRepetition.stats as unknown as Record<string, unknown>, row.gopher_repetition);
    expectVerdict(r.gopherRepetition, row.gopher_repetition);
    expectStats(r.gopherQuality.stats as unknown as Record<string, unknown>, row.gopher_quality);
    expectVerdict(r.gopherQuality, row.gopher_quality);
    expectC4(r.c4, row.c4);
    expectStats(r.fineweb.stats as unknown as Record<string, unknown>, row.fineweb);
    expectVerdict(r.fineweb, row.fineweb);
    expect(r.reasons).toEqual([...r.gopherRepetition.reasons, ...r.gopherQuality.reasons, ...r.c4.reasons, ...r.fineweb.reasons]);
    expect(r.pass).toBe(r.reasons.length === 0);
  });
  it('qualityReport(text, {tokenizer: whitespace, c4: {filterNoTerminalPunct: false}})', () => {
    const r = qualityReport(row.text, { ...WS, c4: { filterNoTerminalPunct: false } });
    expectC4(r.c4, row.c4_no_terminal_punct);
  });
});

describe('the span splitters grow their buffer (doubled) without losing a span', () => {
  it('pySplitSpans and splitlinesSpans give every word and line of texts far past the first 64 entries', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const text = words.join(' \t');
    const spans = pySplitSpans(text);
    const got: string[] = [];
    for (let k = 0; k < spans.length; k += 2) got.push(text.slice(spans[k], spans[k + 1]));
    expect(got).toEqual(text.split(/[ \t]+/));
    const lines = words.join('\r\n');
    const ls = splitlinesSpans(lines);
    const gotLines: string[] = [];
    for (let k = 0; k < ls.length; k += 2) gotLines.push(lines.slice(ls[k], ls[k + 1]));
    expect(gotLines).toEqual(words);
    expect(Array.from(doubled(Uint32Array.of(1, 2)))).toEqual([1, 2, 0, 0]);
  });
});
