import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boilerplateShingles, shingles } from '../src/index';
import { boilerplateOf, withoutBoilerplate } from '../src/dedup/boilerplate';

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
