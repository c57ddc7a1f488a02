import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  dedupeParagraphs,
  DEDUPE_PARAGRAPHS_DEFAULTS,
  jaccard,
  normalize,
  shingles,
  type DedupeParagraphsOptions,
  type ParagraphResult,
  type ParagraphUnit,
} from '../src/index';
import { nearWork } from '../src/paragraphs/near';
import { mulberry32 } from './helpers/random';

const SEED = readFileSync(fileURLToPath(new URL('../seeds/000_cc1f5f790d2f55b7.txt', import.meta.url)), 'utf8');

// The seed article with its repeats removed, spelled out: the lede, the headline, the blank line that followed
// the headline, the subhead and the four paragraphs. Lines 4 (the headline again) and 10–12 (paragraphs 2–4
// again) are gone; the original has no final line break and neither has this.
const SEED_EXPECTED =
  'The Wagner Group has declared its intention to withdraw from Mali, citing the completion of its objectives in the fight against terrorism, which coincides with escalating attacks on military installations in the region.\n' +
  'Wagner Group Announces Strategic Withdrawal from Mali Amid Ongoing Security Challenges\n' +
  '\n' +
  'Russian mercenaries end operations in West Africa after claiming to eliminate thousands of militants\n' +
  'In a statement on its Telegram channel, the Wagner Group asserted that it had successfully collaborated with Mali’s military since 2021 to combat Islamist militants, stating it killed "thousands of militants and their commanders" who had long threatened civilians. This announcement arrives on the heels of reports indicating that Malian forces have retreated from a significant military base in the central part of the country following another deadly assault.\n' +
  'Mali has faced a persistent Islamist insurgency for over ten years, leading to a military coup that ousted an ineffective government years prior. The French military, once a stabilizing force, withdrew in 2022, as Mali’s junta sought the assistance of the Wagner Group in confronting the militant threat. However, Jihadist groups have intensified their attacks against military positions in recent weeks, raising questions about the effectiveness of Wagner\'s involvement.\n' +
  'Recent incidents, including a deadly attack by an al-Qaeda affiliated group on the town of Boulikessi that claimed over 30 soldiers\' lives, and another assault on the historic city of Timbuktu, have further escalated fears regarding Mali\'s security. As the situation unfolds, sources indicate the Malian military’s strategic withdrawal from the Boulikessi base followed due to increased threats.\n' +
  'Despite Wagner\'s exit, a rival Russian mercenary group, Africa Corps, remains in Mali, ensuring Russia\'s persistent military and political influence continues in the region. However, the status of Wagner\'s operations in the Central African Republic, where it has established a headquarters, remains uncertain.';

/** [start, end) of each line of `text` split on `\n` (1-based line numbers index `spans[n - 1]`). */
function lineSpans(text: string, sep = '\n'): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const line of text.split(sep)) {
    out.push([start, start + line.length]);
    start += line.length + sep.length;
  }
  return out;
}

/** Deletes every `[cutStart, cutEnd)` from `text`. */
function minusCuts(text: string, removed: ParagraphResult['removed']): string {
  const cuts = removed.map((r) => [r.cutStart, r.cutEnd] as const).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of cuts) {
    expect(s).toBeGreaterThanOrEqual(at);
    out += text.slice(at, s);
    at = e;
  }
  return out + text.slice(at);
}

describe('dedupeParagraphs(seed)', () => {
  it('keeps exactly the lede, the headline, the subhead and the four paragraphs: lines 4, 10, 11, 12 removed', () => {
    const { text, removed } = dedupeParagraphs(SEED);
    expect(text).toBe(SEED_EXPECTED);
    const spans = lineSpans(SEED);
    expect(spans).toHaveLength(12);
    expect(removed.map((r) => [r.start, r.end])).toEqual([spans[3], spans[9], spans[10], spans[11]]);
    expect(removed.map((r) => [r.duplicateOf!.start, r.duplicateOf!.end])).toEqual([spans[1], spans[6], spans[7], spans[8]]);
    expect(removed.map((r) => r.similarity)).toEqual([1, 1, 1, 1]);
    for (const r of removed) expect(r.text).toBe(SEED.slice(r.start, r.end));
  });

  it('line 4 leaves with its own line break; lines 10–12, at the end, with the break before each', () => {
    const { removed } = dedupeParagraphs(SEED);
    const spans = lineSpans(SEED);
    // line 4: between the headline (and the blank line 3) and the subhead, the stretch "\n\n<line 4>\n" keeps
    // its separator with the most breaks ("\n\n", the blank line), so line 4 goes with its own terminator.
    expect([removed[0]!.cutStart, removed[0]!.cutEnd]).toEqual([spans[3]![0], spans[4]![0]]);
    // lines 10–12 end the text: nothing follows, so each goes with the line break before it and the text
    // still ends without a line break, like the original.
    expect(removed.slice(1).map((r) => [r.cutStart, r.cutEnd])).toEqual([
      [spans[8]![1], spans[9]![1]],
      [spans[9]![1], spans[10]![1]],
      [spans[10]![1], spans[11]![1]],
    ]);
    expect(minusCuts(SEED, removed)).toBe(SEED_EXPECTED);
  });

  it('the seed with CRLF line breaks gives the same result with CRLF', () => {
    const crlf = SEED.replace(/\n/g, '\r\n');
    const { text, removed } = dedupeParagraphs(crlf);
    expect(text).toBe(SEED_EXPECTED.replace(/\n/g, '\r\n'));
    expect(removed.map((r) => [r.start, r.end])).toEqual([3, 9, 10, 11].map((i) => lineSpans(crlf, '\r\n')[i]));
  });

  it('the seed with a final line break keeps it', () => {
    expect(dedupeParagraphs(`${SEED}\n`).text).toBe(`${SEED_EXPECTED}\n`);
  });

  it("unit 'sentence' removes the same text from the seed", () => {
    expect(dedupeParagraphs(SEED, { unit: 'sentence', locale: 'en' }).text).toBe(SEED_EXPECTED);
    expect(dedupeParagraphs(SEED, { unit: 'sentence' }).text).toBe(SEED_EXPECTED);
  });

  it("unit 'paragraph' finds no repeated block in the seed (its blocks are lines 1–2 and 4–12)", () => {
    const { text, removed } = dedupeParagraphs(SEED, { unit: 'paragraph' });
    expect(removed).toEqual([]);
    expect(text).toBe(SEED);
  });
});

describe('dedupeParagraphs(text, {unit: "line"}): separators', () => {
  // minChars 0 so that one-letter lines are units.
  const cases: [string, string, string][] = [
    ['a repeat between blank lines does not double the blank line', 'a\n\nb\n\na\n\nc', 'a\n\nb\n\nc'],
    ['a section break after the repeat is kept', 'a\nb\na\n\n\nc', 'a\nb\n\n\nc'],
    ['a final line break is kept', 'a\nb\na\n', 'a\nb\n'],
    ['no final line break is added', 'a\nb\na', 'a\nb'],
    ['a final repeat after a blank line takes the blank line with it', 'a\n\nb\n\na\n', 'a\n\nb\n'],
    ['leading blank lines are kept', '\n\na\na\n', '\n\na\n'],
    ['CRLF', 'a\r\nb\r\na\r\nc', 'a\r\nb\r\nc'],
    ['lone CR', 'a\rb\ra\rc', 'a\rb\rc'],
    ['mixed terminators: the repeat goes with its own', 'a\rb\u2028a\nc', 'a\rb\u2028c'],
    ['U+2029, U+0085, VT and FF are line breaks', 'a\u2029b\x85a\vc\fa', 'a\u2029b\x85c'],
    ['an indented repeat is a repeat; the next line keeps its indentation', 'a\n  a\n b', 'a\n b'],
    ['indentation of kept lines is untouched', '  a\n\tb\n  a  \n c', '  a\n\tb\n c'],
    ['whitespace-only lines are blank lines, kept', 'a\n \nb\n\t\na', 'a\n \nb'],
    ['three copies', 'a\na\na', 'a'],
    ['a run of repeats between kept lines keeps the widest separator', 'a\nb\n\nc\na\n\nb\n\n\nc\nd', 'a\nb\n\nc\n\n\nd'],
    ['only blank lines', '\n\n  \n', '\n\n  \n'],
    ['empty text', '', ''],
    ['lines that normalize to nothing are never repeats', '***\n***\n—\n—', '***\n***\n—\n—'],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name}: ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      const result = dedupeParagraphs(input, { minChars: 0 });
      expect(result.text).toBe(expected);
      expect(minusCuts(input, result.removed)).toBe(expected);
    });
  }

  it('case, spacing, punctuation and curly vs straight quotes do not hide a repeat', () => {
    const text = '“Hello,” she said — twice.\n"hello"   SHE said,  twice!\n‘Hello’, she said: twice';
    const { text: out, removed } = dedupeParagraphs(text, { minChars: 0 });
    expect(out).toBe('“Hello,” she said — twice.');
    expect(removed.map((r) => r.duplicateOf)).toEqual([{ start: 0, end: 26 }, { start: 0, end: 26 }]);
  });

  it('NFKC and digits: full-width letters and other numbers are the same unit', () => {
    const { removed } = dedupeParagraphs('Ｃｈａｐｔｅｒ 12: the beginning of it\nChapter 7 - the beginning of it', { minChars: 0 });
    expect(removed).toHaveLength(1);
  });
});

describe('dedupeParagraphs(text, {minChars})', () => {
  it(`the default minChars (${DEDUPE_PARAGRAPHS_DEFAULTS.minChars}) protects a single word such as "Advertisement"`, () => {
    const text = 'Advertisement\nA first paragraph of real text.\nAdvertisement\nA second paragraph of real text.';
    expect(dedupeParagraphs(text).removed).toEqual([]);
    expect(dedupeParagraphs(text, { minChars: 0 }).text).toBe('Advertisement\nA first paragraph of real text.\nA second paragraph of real text.');
  });

  it('minChars counts code points of the normalized unit, not UTF-16 units', () => {
    const text = '𠀀𠀀𠀀\n𠀀𠀀𠀀'; // three astral CJK letters: 6 UTF-16 units, 3 code points
    expect(dedupeParagraphs(text, { minChars: 3 }).removed).toHaveLength(1);
    expect(dedupeParagraphs(text, { minChars: 4 }).removed).toHaveLength(0);
    // and of the normalized form: punctuation and extra spaces do not count
    expect(dedupeParagraphs('a b!!!\na  b', { minChars: 3 }).removed).toHaveLength(1);
    expect(dedupeParagraphs('a b!!!\na  b', { minChars: 4 }).removed).toHaveLength(0);
  });

  it('a protected unit is never a copy either: a longer unit equal to it is kept', () => {
    expect(dedupeParagraphs('short\nshort', { minChars: 6 }).removed).toEqual([]);
  });
});

describe('dedupeParagraphs(text, {unit: "paragraph"})', () => {
  it('removes a repeated block of several lines and one blank-line separator', () => {
    const text = 'First para line one\nline two\n\nSecond para\n\nfirst para LINE ONE\nline two.\n\nThird para';
    const { text: out, removed } = dedupeParagraphs(text, { unit: 'paragraph', minChars: 0 });
    expect(out).toBe('First para line one\nline two\n\nSecond para\n\nThird para');
    expect(removed).toHaveLength(1);
    expect(removed[0]!.text).toBe('first para LINE ONE\nline two.');
  });

  it('line breaks inside a paragraph count as spaces', () => {
    expect(dedupeParagraphs('a b c\n\nx\n\na\nb  c', { unit: 'paragraph', minChars: 0 }).text).toBe('a b c\n\nx');
  });

  it('keeps indentation of the next paragraph', () => {
    expect(dedupeParagraphs('a\n\n  b\n\n  a\n\n    c', { unit: 'paragraph', minChars: 0 }).text).toBe('a\n\n  b\n\n    c');
  });
});

describe('dedupeParagraphs(text, {unit: "sentence"})', () => {
  it('removes a repeated sentence and the space after it', () => {
    const text = 'One sentence here. Another one here. One sentence here. Last one.';
    expect(dedupeParagraphs(text, { unit: 'sentence', minChars: 0 }).text).toBe('One sentence here. Another one here. Last one.');
  });

  it('a repeated sentence at the start of a line keeps the line break', () => {
    expect(dedupeParagraphs('Xa is here. A is there.\nXa is here. B is there.', { unit: 'sentence', minChars: 0 }).text).toBe(
      'Xa is here. A is there.\nB is there.',
    );
  });

  it('a whole repeated paragraph of sentences goes with one blank line', () => {
    const text = 'A one. B two.\n\nA one. B two.\n\nC three.';
    expect(dedupeParagraphs(text, { unit: 'sentence', minChars: 0 }).text).toBe('A one. B two.\n\nC three.');
  });
});

describe('dedupeParagraphs(text, {near})', () => {
  it('near: true removes a line that differs by one word; exact matching keeps it', () => {
    const line = 'The quick brown fox jumps over the lazy dog near the old river bank on a sunny afternoon.';
    const text = `${line}\n${line.replace('lazy dog', 'lazy cat')}`;
    expect(dedupeParagraphs(text).removed).toEqual([]);
    const { text: out, removed } = dedupeParagraphs(text, { near: true });
    expect(out).toBe(line);
    expect(removed).toHaveLength(1);
    const norm = (s: string): Uint32Array => shingles(normalize(s), { unit: 'char', size: 5, normalize: false });
    const expected = jaccard(norm(removed[0]!.text), norm(out));
    expect(removed[0]!.similarity).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(0.8);
    expect(expected).toBeLessThan(1);
  });

  it('the threshold decides', () => {
    const text = 'Mali has faced a persistent insurgency for ten years.\nMali has faced a long insurgency for over ten years.';
    const { removed } = dedupeParagraphs(text, { near: { threshold: 0.5 } });
    expect(removed).toHaveLength(1);
    const sim = removed[0]!.similarity;
    expect(dedupeParagraphs(text, { near: { threshold: sim } }).removed).toHaveLength(1);
    expect(dedupeParagraphs(text, { near: { threshold: Math.min(1, sim + 1e-9) } }).removed).toHaveLength(0);
  });

  it('reports the most similar kept unit, the earliest on ties', () => {
    const a = 'alpha beta gamma delta epsilon zeta eta theta';
    const b = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
    const c = 'alpha beta gamma delta epsilon zeta eta theta iota';
    const { removed } = dedupeParagraphs([a, b, c].join('\n'), { near: { threshold: 0.7 } });
    // b is near a; c is compared with a only (b was removed) — idempotence needs kept-only comparison
    expect(removed.map((r) => r.duplicateOf!.start)).toEqual([0, 0]);
  });

  it('near matching removes the seed repeats too, and nothing else', () => {
    expect(dedupeParagraphs(SEED, { near: true }).text).toBe(SEED_EXPECTED);
  });

  /** Naive oracle: every unit against every earlier kept unit, exact Jaccard of char shingles. */
  function naiveNear(units: string[], threshold: number, size: number, minChars: number): number[] {
    const kept: { i: number; norm: string; set: Uint32Array }[] = [];
    const copyOf: number[] = [];
    units.forEach((u, i) => {
      const norm = normalize(u);
      if (norm === '' || [...norm].length < minChars) return void copyOf.push(-1);
      const set = shingles(norm, { unit: 'char', size, normalize: false });
      let best = -1;
      let bestSim = -1;
      for (const k of kept) {
        const sim = k.norm === norm ? 1 : jaccard(set, k.set);
        if (sim >= threshold && sim > bestSim) {
          best = k.i;
          bestSim = sim;
        }
      }
      copyOf.push(best);
      if (best < 0) kept.push({ i, norm, set });
    });
    return copyOf;
  }

  it('prefix-filtered candidates give exactly the pairwise oracle (property)', () => {
    const words = ['mali', 'wagner', 'group', 'army', 'base', 'attack', 'the', 'of', 'a', 'in'];
    const line = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 9 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0.3, 0.5, 0.7, 0.9, 1),
        fc.integer({ min: 1, max: 6 }),
        (units, threshold, size) => {
          const text = units.join('\n');
          const { removed } = dedupeParagraphs(text, { minChars: 0, near: { threshold, shingleSize: size } });
          const spans = lineSpans(text);
          const oracle = naiveNear(units, threshold, size, 0);
          const got = new Map(removed.map((r) => [r.start, r.duplicateOf!.start]));
          spans.forEach(([start], i) => {
            const want = oracle[i]!;
            expect(got.get(start) ?? -1).toBe(want < 0 ? -1 : spans[want]![0]);
          });
        },
      ),
      { seed: 4242, numRuns: 150 },
    );
  });

  it('near.maxCandidates bounds the work; every reported pair still meets the threshold', () => {
    const rand = mulberry32(7);
    const alphabet = 'abcde';
    const linesOut: string[] = [];
    for (let i = 0; i < 1500; i++) {
      let s = '';
      for (let j = 0; j < 30; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      linesOut.push(s);
    }
    const text = linesOut.join('\n');
    const { removed } = dedupeParagraphs(text, { minChars: 0, near: { threshold: 0.5, shingleSize: 3, maxCandidates: 20 } });
    for (const r of removed.slice(0, 50)) {
      const a = shingles(normalize(r.text), { unit: 'char', size: 3, normalize: false });
      const b = shingles(normalize(text.slice(r.duplicateOf!.start, r.duplicateOf!.end)), { unit: 'char', size: 3, normalize: false });
      expect(jaccard(a, b)).toBe(r.similarity);
      expect(r.similarity).toBeGreaterThanOrEqual(0.5);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties against naive oracles

const TERMINATORS = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\v', '\f', '\x85'];
const POOL = [
  'The Wagner Group has declared its intention to withdraw.',
  'the wagner group HAS declared its intention, to withdraw',
  '“Mali’s junta” sought assistance.',
  '"Mali\'s junta" sought   assistance!',
  'Advertisement',
  'Jihadist groups intensified their attacks.',
  'Short',
  '***',
  'Café crème et 2 croissants.',
  'Cafe\u0301 CRÈME et 7 croissants',
  '日本語のテキストです。',
  '😀 emoji line 😀',
];

/** Random texts: lines from a small pool (so repeats happen), random terminators, blank lines and indentation. */
const textArb = fc
  .array(
    fc.record({
      line: fc.constantFrom(...POOL),
      indent: fc.constantFrom('', '', ' ', '\t', '  '),
      trail: fc.constantFrom('', '', ' ', '\t'),
      term: fc.constantFrom(...TERMINATORS),
      blank: fc.constantFrom('', '', '', '\n', ' \n', '\r\n\r\n'),
    }),
    { maxLength: 25 },
  )
  .chain((parts) =>
    fc.record({
      lead: fc.constantFrom('', '\n', ' \n\n'),
      tail: fc.boolean(),
      parts: fc.constant(parts),
    }),
  )
  .map(({ lead, tail, parts }) => {
    let s = lead;
    parts.forEach((p, i) => {
      s += p.indent + p.line + p.trail;
      if (i < parts.length - 1 || tail) s += p.term + p.blank;
    });
    return s;
  });

/** Naive line oracle: split on a regex, skip blank lines, first occurrence of each normalized line wins. */
function naiveLineRemovals(text: string, minChars: number): number[] {
  const out: number[] = [];
  const seen = new Set<string>();
  const re = /\r\n|[\n\v\f\r\x85\u2028\u2029]/g;
  let start = 0;
  const visit = (s: number, e: number): void => {
    const line = text.slice(s, e);
    if (line.trim() === '') return;
    const norm = normalize(line);
    if (norm === '' || [...norm].length < minChars) return;
    if (seen.has(norm)) out.push(s);
    else seen.add(norm);
  };
  for (let m = re.exec(text); m; m = re.exec(text)) {
    visit(start, m.index);
    start = m.index + m[0].length;
  }
  visit(start, text.length);
  return out;
}

const countBreaks = (s: string): number => (s.match(/\r\n|[\n\v\f\r\x85\u2028\u2029]/g) ?? []).length;
const BREAK = /\r\n|[\n\v\f\r\x85\u2028\u2029]/;
/** Leading whitespace up to and including its last line break (what precedes the first line). */
const leadingBreaks = (s: string): string => {
  const ws = /^[\s\x85]*/u.exec(s)![0];
  let end = 0;
  for (let i = 0; i < ws.length; i++) if (BREAK.test(ws[i]!)) end = i + 1;
  return ws.slice(0, end);
};
/** Trailing whitespace from its first line break on (what follows the last line). */
const trailingBreaks = (s: string): string => {
  const ws = /[\s\x85]*$/u.exec(s)![0];
  const at = ws.search(BREAK);
  return at < 0 ? '' : ws.slice(at);
};

describe('dedupeParagraphs properties', () => {
  const units: ParagraphUnit[] = ['line', 'paragraph', 'sentence'];
  for (const unit of units) {
    it(`unit ${unit}: output = input minus the cuts; each cut is the unit plus whitespace; removed units repeat an earlier kept unit; idempotent`, () => {
      fc.assert(
        fc.property(textArb, fc.constantFrom(0, 5, 20), (text, minChars) => {
          const options: DedupeParagraphsOptions = { unit, minChars, locale: 'en' };
          const result = dedupeParagraphs(text, options);
          expect(minusCuts(text, result.removed)).toBe(result.text);
          const removedStarts = new Set(result.removed.map((r) => r.start));
          for (const r of result.removed) {
            expect(r.text).toBe(text.slice(r.start, r.end));
            expect(r.cutStart).toBeLessThanOrEqual(r.start);
            expect(r.cutEnd).toBeGreaterThanOrEqual(r.end);
            expect(text.slice(r.cutStart, r.start) + text.slice(r.end, r.cutEnd)).toMatch(/^[\s\x85]*$/u);
            expect(r.duplicateOf!.start).toBeLessThan(r.start);
            expect(removedStarts.has(r.duplicateOf!.start)).toBe(false);
            expect(normalize(r.text)).toBe(normalize(text.slice(r.duplicateOf!.start, r.duplicateOf!.end)));
            expect([...normalize(r.text)].length).toBeGreaterThanOrEqual(Math.max(1, minChars));
            expect(r.similarity).toBe(1);
          }
          // the text keeps its own leading blank lines and its own ending (from the last line's final line break on)
          if (result.text.trim() !== '') {
            expect(leadingBreaks(result.text)).toBe(leadingBreaks(text));
            expect(trailingBreaks(result.text)).toBe(trailingBreaks(text));
          }
          const maxRun = (s: string): number => Math.max(0, ...(s.match(/[\s\x85]+/gu) ?? []).map(countBreaks));
          expect(maxRun(result.text)).toBeLessThanOrEqual(maxRun(text));
          // idempotence
          expect(dedupeParagraphs(result.text, options).removed).toEqual([]);
        }),
        { seed: 1234 + unit.length, numRuns: 300 },
      );
    });
  }

  it('unit line: the removed lines are exactly those of a naive regex-split oracle', () => {
    fc.assert(
      fc.property(textArb, fc.constantFrom(0, 5, 20), (text, minChars) => {
        const got = dedupeParagraphs(text, { minChars }).removed.map((r) => r.start);
        // the oracle sees the raw line start; ours includes indentation as part of the line, the same start
        expect(got).toEqual(naiveLineRemovals(text, minChars));
      }),
      { seed: 99, numRuns: 400 },
    );
  });
});

describe('dedupeParagraphs on large and adversarial input', () => {
  it('100,000 lines: half one boilerplate line, half distinct', () => {
    // letters only: normalize folds digit runs to 0, so numbered lines would all be the same unit
    const letters = (i: number): string => i.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]!);
    const many = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 'the same boilerplate line, again and again' : `distinct line ${letters(i)} here`));
    const { removed, text } = dedupeParagraphs(many.join('\n'));
    expect(removed).toHaveLength(49_999);
    expect(text).toBe(many.filter((l, i) => i % 2 === 0 || i === 1).join('\n'));
  });

  it('one 1 MB line of punctuation, combining marks and astral characters', () => {
    const chunk = '!?…\u0301😀\u2028';
    const text = chunk.repeat(Math.ceil(1e6 / chunk.length));
    expect(dedupeParagraphs(text, { minChars: 0 }).removed).toEqual([]);
  });
});

describe('dedupeParagraphs bad input', () => {
  it('names the option, the allowed range and the value', () => {
    expect(() => dedupeParagraphs(42 as unknown as string)).toThrow(/text must be a string, got 42/);
    expect(() => dedupeParagraphs('x', 'line' as unknown as DedupeParagraphsOptions)).toThrow(TypeError);
    expect(() => dedupeParagraphs('x', { unit: 'word' as ParagraphUnit })).toThrow(/dedupeParagraphs: options.unit must be "line", "paragraph" or "sentence", got "word"/);
    expect(() => dedupeParagraphs('x', { unit: 3 as unknown as ParagraphUnit })).toThrow(TypeError);
    expect(() => dedupeParagraphs('x', { minChars: -1 })).toThrow(/dedupeParagraphs: options.minChars must be an integer from 0 to 2147483647, got -1/);
    expect(() => dedupeParagraphs('x', { minChars: 1.5 })).toThrow(RangeError);
    expect(() => dedupeParagraphs('x', { minChars: '3' as unknown as number })).toThrow(TypeError);
    expect(() => dedupeParagraphs('x', { near: { threshold: 0 } })).toThrow(/dedupeParagraphs: options.near.threshold must be a number greater than 0 and at most 1, got 0/);
    expect(() => dedupeParagraphs('x', { near: { threshold: 1.5 } })).toThrow(RangeError);
    expect(() => dedupeParagraphs('x', { near: { threshold: '0.8' as unknown as number } })).toThrow(TypeError);
    expect(() => dedupeParagraphs('x', { near: { shingleSize: 0 } })).toThrow(/dedupeParagraphs: options.near.shingleSize must be an integer from 1 to 32, got 0/);
    expect(() => dedupeParagraphs('x', { near: { maxCandidates: 0 } })).toThrow(/near.maxCandidates/);
    expect(() => dedupeParagraphs('x', { near: 'yes' as unknown as boolean })).toThrow(/dedupeParagraphs: options.near must be a boolean or a NearParagraphOptions object, got "yes"/);
    expect(() => dedupeParagraphs('x', { locale: 12 as unknown as string })).toThrow(TypeError);
    expect(() => dedupeParagraphs('x', { locale: 'not a locale!!' })).toThrow(/dedupeParagraphs: options.locale must be a valid BCP 47 language tag/);
  });

  it('DEDUPE_PARAGRAPHS_DEFAULTS is frozen', () => {
    expect(Object.isFrozen(DEDUPE_PARAGRAPHS_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DEDUPE_PARAGRAPHS_DEFAULTS.near)).toBe(true);
  });
});


describe('dedupeParagraphs near matching stays bounded', () => {
  it('dedupeParagraphs(text, {near}) on 20,000 lines crafted to share one prefix token finishes', () => {
    // Every line shares the rare prefix shingle but differs in size, so the size filter skips them: each query used
    // to walk the whole posting list. Now every visited entry counts toward 8 × maxCandidates.
    const lines: string[] = [];
    for (let i = 0; i < 20000; i++) lines.push(`zzzzz ${'ab'.repeat(10 + (i % 400))} ${i.toString(36)}`);
    const { text } = dedupeParagraphs(lines.join('\n'), { near: { threshold: 0.9, maxCandidates: 10 } });
    expect(text.length).toBeGreaterThan(0);
  });
});

/** 200 common English words: the low-vocabulary text where every line shares shingles with most others. */
const COMMON = (
  'the of and to a in is it you that he was for on are with as his they be at one have this from or had by hot ' +
  'word but what some we can out other were all there when up use your how said an each she which do their time ' +
  'if will way about many then them write would like so these her long make thing see him two has look more day ' +
  'could go come did number sound no most people my over know water than call first who may down side been now ' +
  'find any new work part take get place made live where after back little only round man year came show every ' +
  'good me give our under name very through just form sentence great think say help low line differ turn cause ' +
  'much mean before move right boy old too same tell does set three want air well also play small end put home ' +
  'read hand port large spell add even land here must big high such follow act why ask men change went light kind ' +
  'off need house picture try us again animal point mother world near build self earth father'
).split(' ');

/** Lines of `wordsPerLine` words drawn from the first `vocabulary` common words, about `length` code units in all. */
function lowVocabulary(length: number, seed: number, vocabulary = 200, wordsPerLine = 17): string {
  const rand = mulberry32(seed);
  const out: string[] = [];
  let n = 0;
  while (n < length) {
    const line: string[] = [];
    for (let i = 0; i < wordsPerLine; i++) line.push(COMMON[Math.floor(rand() * vocabulary)]!);
    const s = line.join(' ');
    out.push(s);
    n += s.length + 1;
  }
  return out.join('\n');
}

describe('dedupeParagraphs near matching on low-vocabulary text', () => {
  /** Every unit against every earlier kept unit (the exact answer), as pairs start → kept start. */
  function pairwise(text: string, threshold: number, size: number): Map<number, number> {
    const spans = lineSpans(text);
    const kept: { start: number; norm: string; set: Uint32Array }[] = [];
    const out = new Map<number, number>();
    for (const [start, end] of spans) {
      const norm = normalize(text.slice(start, end));
      if (norm === '') continue;
      const set = shingles(norm, { unit: 'char', size, normalize: false });
      let best = -1;
      let bestSim = -1;
      for (const k of kept) {
        const sim = k.norm === norm ? 1 : jaccard(set, k.set);
        if (sim >= threshold && sim > bestSim) {
          best = k.start;
          bestSim = sim;
        }
      }
      if (best >= 0) out.set(start, best);
      else kept.push({ start, norm, set });
    }
    return out;
  }

  it('dedupeParagraphs(text, {near}) equals comparing every pair when the bound does not bite (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0.3, 0.5, 0.6, 0.8, 0.9, 1),
        fc.integer({ min: 1, max: 6 }),
        (seed, vocabulary, wordsPerLine, threshold, size) => {
          const text = lowVocabulary(3000, seed, vocabulary, wordsPerLine);
          const { removed } = dedupeParagraphs(text, { minChars: 0, near: { threshold, shingleSize: size, maxCandidates: 1e6 } });
          const got = new Map(removed.map((r) => [r.start, r.duplicateOf!.start]));
          expect(got).toEqual(pairwise(text, threshold, size));
        },
      ),
      { seed: 4243, numRuns: 60 },
    );
  });

  it('dedupeParagraphs(text, {near: true}) gives the same result with maxCandidates 100 (the default) and 10^6 on 100,000 code units', () => {
    const text = lowVocabulary(100_000, 11);
    // Some near duplicates too: every 50th line is an earlier one with a word added.
    const lines = text.split('\n');
    const edited = lines.map((l, i) => (i % 50 === 49 ? `${lines[i - 30]!} too` : l)).join('\n');
    const bounded = dedupeParagraphs(edited, { near: true });
    expect(bounded.removed.length).toBeGreaterThan(10);
    expect(bounded).toEqual(dedupeParagraphs(edited, { near: { maxCandidates: 1e6 } }));
  });

  it('dedupeParagraphs(text, {near: {maxCandidates: 2^31 − 1}}) allocates for the units, not for the bound', () => {
    const text = lowVocabulary(20_000, 3);
    expect(dedupeParagraphs(text, { near: { maxCandidates: 0x7fffffff } })).toEqual(dedupeParagraphs(text, { near: true }));
  });

  it('dedupeParagraphs(text, {near}) does bounded work per line: at most 8·maxCandidates entries + maxCandidates merges', () => {
    // Work is counted, not timed, so the test means the same on a busy machine: posting entries visited plus merge
    // steps of verifications (nearWork). Each line has 17 words, hence at most 13 word 5-grams, and a merge of
    // two such sets takes at most 26 steps.
    const lines = (text: string): number => text.split('\n').length;
    const text = lowVocabulary(524_288, 5);
    const before = nearWork.steps;
    dedupeParagraphs(text, { near: true });
    const maxCandidates = 100; // the default (near.maxCandidates)
    expect((nearWork.steps - before) / lines(text)).toBeLessThanOrEqual(8 * maxCandidates + maxCandidates * 26);
  });

  it('dedupeParagraphs(text, {near}) does linear work on 200-word text (work at 4× the input ≤ 6× that at 1×)', () => {
    // With the default bound (100 candidates) the work per line still grows until about 5M code units, where the
    // bound is reached; a bound of 10 is reached early, so 512K → 2M code units shows the linear regime.
    const work = (n: number): number => {
      const text = lowVocabulary(n, 5);
      const before = nearWork.steps;
      dedupeParagraphs(text, { near: { maxCandidates: 10 } });
      return nearWork.steps - before;
    };
    expect(work(4 * 524_288) / work(524_288)).toBeLessThanOrEqual(6); // measured 4.5
  });
});
