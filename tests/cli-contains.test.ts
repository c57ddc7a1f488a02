/** `neardup contains`: decontamination of a JSONL corpus against reference texts. */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containment, normalize, shingles } from '../src/index';
import { cli, readJson, readJsonl, rng, run, tempDir, words } from './cli.helpers';

interface Match { ref: unknown; refLine: number; containment: number; spans: [number, number][] }
interface Report { input: number; kept: number; removed: number; invalid: number; errors: { line: number; reason: string }[]; stats: Record<string, number>; found: { ref: unknown; refLine: number; records: number }[] }

const next = rng(77);
/** 30 reference items of 12–40 words. */
const REFS = Array.from({ length: 30 }, (_, i) => ({ id: `item-${i}`, text: words(next, 12 + Math.floor(next() * 28)) }));
/** A light edit that normalization folds (case, punctuation, spacing) and, in every third item, its last word dropped. */
let edits = 0;
const edit = (text: string): string => {
  const w = text.split(' ').map((x) => (next() < 0.2 ? `${x},` : x));
  if (edits++ % 3 === 0) w.pop();
  return w.join('  ').toUpperCase();
};
/** 200 records, 10–100 times longer than an item; every fourth embeds an edited item, every tenth line is invalid. */
const LINES: string[] = [];
for (let i = 0; i < 200; i++) {
  if (i % 10 === 9) {
    LINES.push(i % 20 === 9 ? '{"id": broken' : '');
    continue;
  }
  const body = words(next, 300 + Math.floor(next() * 1500));
  if (i % 4 === 0) {
    const ref = REFS[i % REFS.length]!;
    const cut = body.indexOf(' ', Math.floor(body.length / 2));
    LINES.push(JSON.stringify({ id: i, text: `${body.slice(0, cut)} ${edit(ref.text)}. ${body.slice(cut + 1)}` }));
  } else {
    LINES.push(JSON.stringify({ id: i, text: body }));
  }
}

const tmp = tempDir('neardup-contains-');
const path = (name: string): string => join(tmp.dir, name);
beforeAll(() => {
  writeFileSync(path('refs.jsonl'), REFS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(path('corpus.jsonl'), LINES.join('\n') + '\n');
});
afterAll(() => tmp.remove());

describe('neardup contains', () => {
  it('puts every non-blank line in exactly one of output, removed, errors, and agrees with exact containment', async () => {
    const r = await run(['contains', path('corpus.jsonl'), '--refs', path('refs.jsonl'), '--skip-invalid', '--jobs', '1', '-o', path('clean.jsonl'), '--removed', path('hits.jsonl'), '--report', path('report.json')]);
    expect(r.code).toBe(0);
    const report = readJson<Report>(path('report.json'));
    const clean = readJsonl(path('clean.jsonl'));
    const hits = readJsonl(path('hits.jsonl'));
    const nonBlank = LINES.filter((l) => l.trim() !== '').length;
    expect(report.input).toBe(nonBlank);
    expect(report.kept + report.removed + report.invalid).toBe(report.input);
    expect([clean.length, hits.length, report.invalid]).toEqual([report.kept, report.removed, 10]);
    const placed = [...clean, ...hits].map((x) => x['id'] as number).sort((a, b) => a - b);
    const valid = LINES.map((l, i) => (l.startsWith('{"id":') && !l.includes('broken') ? i : -1)).filter((i) => i >= 0);
    expect(placed).toEqual(valid);

    // The oracle: exact containment of every reference in every valid record.
    const refSets = REFS.map((x) => shingles(x.text));
    for (const rec of [...clean, ...hits]) {
      const set = shingles(rec['text'] as string);
      const expected = refSets
        .map((s, n) => ({ n, c: containment(s, set) }))
        .filter((m) => m.c >= 0.8)
        .sort((a, b) => b.c - a.c || a.n - b.n)
        .map((m) => ({ ref: REFS[m.n]!.id, refLine: m.n + 1, containment: m.c }));
      const got = ((rec['contains'] ?? []) as Match[]).map(({ ref, refLine, containment: c }) => ({ ref, refLine, containment: c }));
      expect(got).toEqual(expected);
    }
    // Every planted item is found (its containment is 1, or (k − 1)/k ≥ 0.8 with one word dropped, k ≥ 8 shingles); clean lines are the input bytes.
    expect(hits.map((h) => h['id'])).toEqual(valid.filter((i) => i % 4 === 0));
    const cleanText = readFileSync(path('clean.jsonl'), 'utf8');
    expect(cleanText).toBe(valid.filter((i) => i % 4 !== 0).map((i) => `${LINES[i]}\n`).join(''));
    expect(report.stats['matches']).toBe(hits.reduce((s, h) => s + (h['contains'] as Match[]).length, 0));
  });

  it('spans are UTF-16 offsets of the matched words: the text there normalizes to the edited item', () => {
    for (const h of readJsonl(path('hits.jsonl'))) {
      const text = h['text'] as string;
      for (const m of h['contains'] as Match[]) {
        expect(m.spans.length).toBeGreaterThan(0);
        const covered = m.spans.map(([s, e]) => normalize(text.slice(s, e))).join(' ');
        const item = REFS[m.refLine - 1]!.text;
        // Every covered word belongs to the item, and the covered words hold at least threshold of its shingles.
        expect(containment(shingles(item), shingles(covered))).toBeGreaterThanOrEqual(m.containment - 1e-12);
        for (const w of covered.split(' ')) expect(item.split(' ')).toContain(w);
      }
    }
  });

  it('--jobs 2 gives the same bytes as --jobs 1', () => {
    const a = cli(['contains', path('corpus.jsonl'), '--refs', path('refs.jsonl'), '--skip-invalid', '--jobs', '2', '-q', '--removed', path('hits2.jsonl')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(readFileSync(path('clean.jsonl'), 'utf8'));
    expect(readFileSync(path('hits2.jsonl'), 'utf8')).toBe(readFileSync(path('hits.jsonl'), 'utf8'));
  });

  it('an invalid or wordless reference stops the run with exit 1 and writes no output', async () => {
    writeFileSync(path('bad-refs.jsonl'), `${JSON.stringify(REFS[0])}\n{"id":"x","text":"..."}\n`);
    const r = await run(['contains', path('corpus.jsonl'), '--refs', path('bad-refs.jsonl'), '--skip-invalid', '-j', '1', '-o', path('never.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad-refs.jsonl:2: the reference has no word');
    expect(existsSync(path('never.jsonl'))).toBe(false);
    writeFileSync(path('bad-refs2.jsonl'), '{"id":1}\n');
    const r2 = await run(['contains', path('corpus.jsonl'), '--refs', path('bad-refs2.jsonl'), '-j', '1']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('bad-refs2.jsonl:1: missing text field "text"');
  });

  it('usage errors exit 2: a threshold out of range, both inputs on stdin, --refs missing', async () => {
    const t = await run(['contains', path('corpus.jsonl'), '--refs', path('refs.jsonl'), '--threshold', '1.5', '-j', '1']);
    expect([t.code, t.stderr.trim()]).toEqual([2, 'neardup: --threshold must be a number greater than 0 and at most 1, got 1.5']);
    const s = await run(['contains', '-', '--refs', '-', '-j', '1']);
    expect([s.code, s.stderr.trim()]).toEqual([2, 'neardup: the corpus and --refs cannot both be read from stdin']);
    const m = await run(['contains', path('corpus.jsonl'), '-j', '1']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("required option '--refs <file>' not specified");
  });

  it('--refs-text-field and --threshold: a lower threshold finds partial copies', async () => {
    writeFileSync(path('refs-q.jsonl'), `${JSON.stringify({ question: 'alpha beta gamma delta epsilon zeta eta theta iota kappa' })}\n`);
    writeFileSync(path('half.jsonl'), `${JSON.stringify({ text: 'intro words alpha beta gamma delta epsilon zeta then something else entirely' })}\n`);
    const strict = await run(['contains', path('half.jsonl'), '--refs', path('refs-q.jsonl'), '--refs-text-field', 'question', '-j', '1', '-q', '-o', path('h1.jsonl'), '--removed', path('h2.jsonl')]);
    expect([strict.code, readJsonl(path('h2.jsonl')).length]).toEqual([0, 0]);
    const loose = await run(['contains', path('half.jsonl'), '--refs', path('refs-q.jsonl'), '--refs-text-field', 'question', '--threshold', '0.3', '-j', '1', '-q', '-o', path('h1.jsonl'), '--removed', path('h2.jsonl')]);
    expect(loose.code).toBe(0);
    const [hit] = readJsonl(path('h2.jsonl'));
    expect(hit!['contains']).toEqual([{ ref: null, refLine: 1, containment: 2 / 6, spans: [[12, 47]] }]);
  });
});

describe('neardup dedupe --method simhash', () => {
  it('a threshold SimHash cannot reach is a usage error naming the flags; a reachable one derives the distance', async () => {
    writeFileSync(path('two.jsonl'), '{"id":1,"text":"a b c d e f"}\n{"id":2,"text":"a b c d e f"}\n');
    const r = await run(['dedupe', path('two.jsonl'), '--method', 'simhash', '-j', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('neardup: --threshold must be at least 0.89 with method "simhash"');
    expect(r.stderr).toContain('give --simhash-max-distance to accept the cost');
    const ok = await run(['dedupe', path('two.jsonl'), '--method', 'simhash', '--threshold', '0.9', '-j', '1', '-q', '--report', path('sim.json'), '-o', path('sim.out')]);
    expect(ok.code).toBe(0);
    expect(readJson<{ options: { detector: { maxDistance: number } } }>(path('sim.json')).options.detector.maxDistance).toBe(11);
  });
});
