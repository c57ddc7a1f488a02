import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boilerplateShingles, dedupe, normalize, shingles, words, type DedupeResult } from '../src/index';
import { boilerplateLookup, boilerplateOf, contentShingles, withoutBoilerplate } from '../src/dedup/boilerplate';
import { resolveShingleOptions, shingleSequence } from '../src/shingle/shingles';

const runs = (numRuns: number) => ({ seed: 373737, numRuns });
const toSet = (v: Iterable<number>) => Uint32Array.from(new Set(v)).sort();
const setArb = fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }).map(toSet);

describe('boilerplateOf(sets, options)', () => {
  it('equals the naive document-frequency count on random sets (no sampling)', () => {
    fc.assert(
      fc.property(fc.array(setArb, { maxLength: 60 }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.integer({ min: 2, max: 10 }), (sets, f, minDocuments) => {
        const df = new Map<number, number>();
        for (const s of sets) for (const v of s) df.set(v, (df.get(v) ?? 0) + 1);
        const expected = toSet([...df].filter(([, c]) => c > f * sets.length && c >= minDocuments).map(([v]) => v));
        expect(boilerplateOf(sets, { maxDocFrequency: f, minDocuments, sampleSize: 1e9 })).toEqual(expected);
      }),
      runs(300),
    );
  });

  it('samples every k-th set when there are more than sampleSize', () => {
    const sets = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? Uint32Array.of(1, 2) : Uint32Array.of(2)));
    // Sampling 25 of 100 takes sets 0, 4, 8, …: all hold 1.
    expect(boilerplateOf(sets, { maxDocFrequency: 0.5, minDocuments: 2, sampleSize: 25 })).toEqual(Uint32Array.of(1, 2));
    expect(boilerplateOf(sets, { maxDocFrequency: 0.5, minDocuments: 2, sampleSize: 100 })).toEqual(Uint32Array.of(2));
  });
});

describe('withoutBoilerplate(set, boilerplate)', () => {
  it('is the set difference', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        expect(withoutBoilerplate(a, b)).toEqual(Uint32Array.from([...a].filter((v) => !b.includes(v))));
      }),
      runs(300),
    );
  });
});

describe('boilerplateShingles(docs, options)', () => {
  const w = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26) % 26, 97 + Math.floor(i / 676));
  const body = (i: number) => Array.from({ length: 30 }, (_, k) => w(i * 31 + k)).join(' ');
  const header = 'Home | News | Sport | Weather | Contact us | Sign in to your account';
  const footer = 'Copyright Example Corp. All rights reserved. Terms of use and privacy policy apply to this site.';

  it('finds the template shared by every page and nothing of the articles', () => {
    const docs = Array.from({ length: 300 }, (_, i) => ({ id: i, text: `${header}\n${body(i)}\n${footer}` }));
    const template = boilerplateShingles(docs);
    const inTemplate = new Set([...shingles(header), ...shingles(footer)]);
    expect(template.length).toBeGreaterThan(0);
    expect([...template].every((v) => !shingles(body(7)).includes(v))).toBe(true);
    // Every shingle of the header and the footer is found (the ones that span the template and an article are not).
    for (const v of inTemplate) expect(template).toContain(v);
  });

  it('a family of near-duplicates below minDocuments is not boilerplate', () => {
    const docs = [...Array.from({ length: 15 }, () => body(1)), ...Array.from({ length: 50 }, (_, i) => body(i + 2))];
    expect(boilerplateShingles(docs)).toEqual(new Uint32Array(0));
    expect(boilerplateShingles(docs, { minDocuments: 10 }).length).toBe(shingles(body(1)).length);
  });

  it('uses the shingle options', () => {
    const docs = Array.from({ length: 30 }, (_, i) => `${body(i)} same tail here`);
    expect(boilerplateShingles(docs, { shingle: { size: 3 } })).toEqual(shingles('same tail here', { size: 3 }));
  });
});

describe('dedupe(docs, {boilerplate})', () => {
  const w = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26) % 26, 97 + Math.floor(i / 676));
  const article = (i: number, n = 80) => Array.from({ length: n }, (_, k) => w(i * 53 + k)).join(' ');
  const template = (s: string) => `${Array.from({ length: 300 }, (_, k) => `nav${w(k)}`).join(' ')}\n${s}\n${Array.from({ length: 200 }, (_, k) => `foot${w(k)}`).join(' ')}`;
  // 60 distinct articles in one big template, and 10 of them again with one word changed (real near-duplicates).
  const docs = [
    ...Array.from({ length: 60 }, (_, i) => ({ id: `a${i}`, text: template(article(i)) })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `a${i}-copy`, text: template(article(i).split(' ').map((x, k) => (k === 40 ? 'changed' : x)).join(' ')) })),
  ];

  it('without it the template merges unrelated articles; with it only the real copies are merged', () => {
    const plain = dedupe(docs);
    // The template holds ~85% of every page: unrelated articles are merged.
    const unrelated = (r: DedupeResult) => r.duplicates.filter((d) => String(d.id).replace('-copy', '') !== d.duplicateOf).length;
    expect(unrelated(plain)).toBeGreaterThan(20);
    const aware = dedupe(docs, { boilerplate: true });
    expect(aware.kept.length).toBe(60);
    expect(unrelated(aware)).toBe(0);
    expect(aware.duplicates.map((d) => [d.id, d.duplicateOf])).toEqual(Array.from({ length: 10 }, (_, i) => [`a${i}-copy`, `a${i}`]));
    expect(aware.boilerplate!.shingles).toBeGreaterThan(490);
    // Those clusters share the template too (most of what they share), but their articles are what joined them.
    for (const c of aware.clusters) expect([c.boilerplateShare! > 0.5, c.heldByBoilerplate]).toEqual([true, false]);
    expect(aware.boilerplate!.clusters).toBe(0);
  });

  it('discount: false only reports: the template clusters are flagged', () => {
    const r = dedupe(docs, { boilerplate: { discount: false } });
    expect(r.kept).toEqual(dedupe(docs).kept);
    // Every cluster that joins different articles is flagged; the real copies' clusters are not.
    const mixed = r.clusters.filter((c) => new Set(c.members.map((m) => String(m).replace('-copy', ''))).size > 1);
    expect(mixed.length).toBeGreaterThan(0);
    for (const c of r.clusters) expect(c.heldByBoilerplate).toBe(mixed.includes(c));
    expect(r.boilerplate!.clusters).toBe(mixed.length);
  });

  it('shingles: a table given (e.g. from boilerplateShingles on a larger corpus) skips the first pass', () => {
    const table = boilerplateShingles(docs);
    expect(dedupe(docs, { boilerplate: { shingles: table } })).toMatchObject({ kept: dedupe(docs, { boilerplate: true }).kept });
    expect(dedupe(docs, { boilerplate: { shingles: new Uint32Array(0) } }).kept).toEqual(dedupe(docs).kept);
  });

  it('exact duplicates stay exact duplicates; a page of only template is no near-duplicate of another', () => {
    const r = dedupe([template(''), template(''), template('x y'), ...docs.slice(0, 30)], { boilerplate: true });
    expect(r.duplicates).toEqual([{ id: 1, duplicateOf: 0, similarity: 1, exact: true }]);
  });

  it('validates the option', () => {
    expect(() => dedupe([], { boilerplate: 1 as never })).toThrow(new TypeError('dedupe: options.boilerplate must be a boolean or a boilerplate options object, got 1'));
    expect(() => dedupe([], { boilerplate: { maxDocFrequence: 1 } as never })).toThrow(new TypeError('dedupe: unknown option "boilerplate.maxDocFrequence" (did you mean "boilerplate.maxDocFrequency"?)'));
    expect(() => dedupe([], { boilerplate: { minDocuments: 1 } })).toThrow(new RangeError('dedupe: options.boilerplate.minDocuments must be an integer of at least 2, got 1'));
    expect(() => dedupe([], { boilerplate: { discount: 'no' as never } })).toThrow(TypeError);
    expect(() => dedupe([], { boilerplate: { shingles: Uint32Array.of(2, 1) } })).toThrow(RangeError);
  });
});

describe('contentShingles(text, set, boilerplate, shingleOptions)', () => {
  const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen', 'ibis', 'jay'];
  const textArb = fc.array(fc.constantFrom(...WORDS, 'Ant,', 'BEE!', '…'), { maxLength: 30 }).map((w) => w.join(' '));

  /** Naive: each window's shingle from its words alone, words covered by a boilerplate window, windows of uncovered words. */
  function naive(text: string, table: Uint32Array, size: number): Uint32Array {
    const ws = words(normalize(text)).map((w) => w.text);
    const width = Math.min(size, ws.length);
    const windows = ws.length === 0 ? [] : Array.from({ length: ws.length - width + 1 }, (_, i) => shingles(ws.slice(i, i + width).join(' '), { size: width, normalize: false })[0]!);
    const covered = new Set<number>();
    windows.forEach((v, i) => {
      if (table.includes(v)) for (let u = i; u < i + width; u++) covered.add(u);
    });
    return toSet(windows.filter((_, i) => Array.from({ length: width }, (_, k) => i + k).every((u) => !covered.has(u))));
  }

  it('leaves out every shingle whose window holds a word of a boilerplate window (random texts and tables, word unit)', () => {
    fc.assert(
      fc.property(textArb, fc.array(textArb, { maxLength: 4 }), fc.integer({ min: 1, max: 5 }), (text, templates, size) => {
        const so = resolveShingleOptions({ size });
        const set = shingles(text, { size });
        const table = toSet(templates.flatMap((t) => [...shingles(t, { size })]));
        const got = contentShingles(text, set, boilerplateLookup(table), so);
        expect(got).toEqual(naive(text, table, size));
        // The values of the window sequence are the shingles, and no content shingle is boilerplate.
        expect(toSet(shingleSequence(text, so).values)).toEqual(set);
        expect(withoutBoilerplate(got, table)).toEqual(got);
        if (!templates.some((t) => t.length > 0 && [...shingles(t, { size })].some((v) => set.includes(v)))) expect(got).toBe(set);
      }),
      runs(400),
    );
  });

  it('shingleSequence(text, { unit: "char" }) has the values of shingles(text, { unit: "char" }), astral characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', ' ', 'Z') , maxLength: 30 }), fc.integer({ min: 1, max: 6 }), (text, size) => {
        const o = { unit: 'char', size } as const;
        expect(toSet(shingleSequence(text, resolveShingleOptions(o)).values)).toEqual(shingles(text, o));
      }),
      runs(300),
    );
  });

  it('an article inside a template keeps exactly the shingles of the article alone: none straddles the edge', () => {
    const w = (i: number) => `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}x`;
    const header = Array.from({ length: 40 }, (_, i) => w(i)).join(' ');
    const footer = Array.from({ length: 30 }, (_, i) => w(100 + i)).join(' ');
    const articles = Array.from({ length: 25 }, (_, a) => Array.from({ length: 12 }, (_, i) => w(300 + a * 12 + i)).join(' '));
    const pages = articles.map((a) => `${header}\n\n${a}\n\n${footer}`);
    const table = boilerplateShingles(pages);
    const so = resolveShingleOptions(undefined);
    // The table holds the template's own shingles, none of the ones that straddle its edge (too rare).
    expect(withoutBoilerplate(shingles(header), table)).toEqual(new Uint32Array(0));
    pages.forEach((p, k) => {
      const all = shingles(p);
      expect(withoutBoilerplate(all, table).length).toBe(shingles(articles[k]!).length + 8); // 4 straddle each edge
      expect(contentShingles(p, all, boilerplateLookup(table), so)).toEqual(shingles(articles[k]!));
    });
  });
});
