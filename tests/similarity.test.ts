import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containment, editRatio, jaccard, shingles } from '../src/index';

const runs = (numRuns: number) => ({ seed: 424242, numRuns });
const set = fc
  .uniqueArray(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 60 })
  .map((xs) => Uint32Array.from(xs).sort());

/** Levenshtein over code points by the textbook dynamic program: the oracle. */
function naiveLevenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

describe('jaccard', () => {
  it('jaccard(a, b) is |a ∩ b| / |a ∪ b|', () => {
    expect(jaccard(Uint32Array.of(1, 2, 3), Uint32Array.of(2, 3, 4))).toBe(0.5);
    expect(jaccard(Uint32Array.of(1), Uint32Array.of(2))).toBe(0);
    expect(jaccard(Uint32Array.of(0, 0xffffffff), Uint32Array.of(0xffffffff))).toBe(0.5);
    expect(jaccard(Uint32Array.of(5), new Uint32Array(0))).toBe(0);
  });

  it('jaccard(empty, empty) is 0, so empty texts are never duplicates', () => {
    expect(jaccard(new Uint32Array(0), new Uint32Array(0))).toBe(0);
    expect(jaccard(shingles(''), shingles('...'))).toBe(0);
  });

  it('jaccard(a, b) equals the Set oracle and is symmetric', () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        const sb = new Set(b);
        const common = [...a].filter((v) => sb.has(v)).length;
        const union = new Set([...a, ...b]).size;
        expect(jaccard(a, b)).toBe(union === 0 ? 0 : common / union);
        expect(jaccard(b, a)).toBe(jaccard(a, b));
        if (a.length > 0) expect(jaccard(a, a)).toBe(1);
      }),
      runs(1000),
    );
  });

  it('jaccard(a, b) rejects arrays that are not sorted distinct Uint32Arrays', () => {
    expect(() => jaccard([1, 2] as unknown as Uint32Array, Uint32Array.of(1))).toThrow(/jaccard: a must be a Uint32Array of sorted distinct values, got an array/);
    expect(() => jaccard(Uint32Array.of(1), Int32Array.of(1) as unknown as Uint32Array)).toThrow(TypeError);
    expect(() => jaccard(Uint32Array.of(2, 1), Uint32Array.of(1))).toThrow(/jaccard: a\[1\] must be greater than the value before it, 2 \(sorted ascending, distinct\), got 1/);
    expect(() => jaccard(Uint32Array.of(1), Uint32Array.of(3, 3))).toThrow(/jaccard: b\[1\] must be greater than the value before it, 3/);
  });
});

describe('containment', () => {
  it('containment(a, b) is |a ∩ b| / |a|', () => {
    expect(containment(Uint32Array.of(2, 3), Uint32Array.of(1, 2, 3, 4))).toBe(1);
    expect(containment(Uint32Array.of(1, 2, 3, 4), Uint32Array.of(2, 3))).toBe(0.5);
    expect(containment(new Uint32Array(0), Uint32Array.of(1))).toBe(0);
    expect(containment(new Uint32Array(0), new Uint32Array(0))).toBe(0);
    expect(containment(Uint32Array.of(7), new Uint32Array(0))).toBe(0);
  });

  it('containment(a, b) equals the Set oracle', () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        const sb = new Set(b);
        const common = [...a].filter((v) => sb.has(v)).length;
        expect(containment(a, b)).toBe(a.length === 0 ? 0 : common / a.length);
      }),
      runs(1000),
    );
  });

  it('containment(paragraph, document) is 1 for a quoted paragraph', () => {
    const para = 'the committee approved the new budget after a long debate on tuesday';
    const doc = `In other news, ${para}. Reporters said more would follow.`;
    expect(containment(shingles(para), shingles(doc))).toBe(1);
    expect(containment(shingles(doc), shingles(para))).toBeLessThan(1);
  });

  it('containment(a, b) rejects unsorted input', () => {
    expect(() => containment(Uint32Array.of(3, 1), Uint32Array.of(1))).toThrow(RangeError);
    expect(() => containment(Uint32Array.of(1), 'x' as unknown as Uint32Array)).toThrow(/containment: b must be a Uint32Array/);
  });
});

describe('editRatio', () => {
  it('editRatio(a, b) is 1 − levenshtein / max length', () => {
    expect(editRatio('kitten', 'sitting')).toBe(1 - 3 / 7);
    expect(editRatio('abc', 'abc')).toBe(1);
    expect(editRatio('abc', '')).toBe(0);
    expect(editRatio('abc', 'xyz')).toBe(0);
    expect(editRatio('flaw', 'lawn')).toBe(0.5);
  });

  it('editRatio("", "") is 0, like jaccard', () => {
    expect(editRatio('', '')).toBe(0);
  });

  it('editRatio(a, b) counts code points, not UTF-16 units', () => {
    expect(editRatio('👍', '👎')).toBe(0); // one substitution over one character
    expect(editRatio('a👍', 'a👎')).toBe(0.5);
    expect(editRatio('😀😀', '😀')).toBe(0.5);
    expect(editRatio('𠀋b', '𠀌b')).toBe(0.5);
    expect(editRatio('a\ud800', 'a\udc00')).toBe(0.5); // a lone surrogate is one code point
  });

  it('editRatio(a, b) equals a naive code-point Levenshtein and is symmetric', () => {
    const s = fc.array(fc.constantFrom('a', 'b', 'c', 'é', '日', '😀', '👍', '𠀋', '\ud800', 'x'), { maxLength: 40 }).map((a) => a.join(''));
    const any = fc.oneof(s, fc.string({ unit: 'binary', maxLength: 40 }));
    fc.assert(
      fc.property(any, any, (a, b) => {
        const max = Math.max(Array.from(a).length, Array.from(b).length);
        const expected = max === 0 ? 0 : 1 - naiveLevenshtein(a, b) / max;
        expect(editRatio(a, b)).toBeCloseTo(expected, 12);
        expect(editRatio(b, a)).toBe(editRatio(a, b));
      }),
      runs(1000),
    );
  });

  it('editRatio(a, b) works past 32 units (the bit-parallel blocks)', () => {
    const a = 'x'.repeat(100) + 'abc' + '😀'.repeat(50);
    const b = 'x'.repeat(99) + 'abd' + '😀'.repeat(51);
    expect(Array.from(a)).toHaveLength(153);
    expect(editRatio(a, b)).toBeCloseTo(1 - naiveLevenshtein(a, b) / 153, 12);
  });

  it('editRatio(a, b) rejects non-strings', () => {
    expect(() => editRatio('a', 1 as unknown as string)).toThrow(/editRatio: b must be a string, got 1/);
    expect(() => editRatio(null as unknown as string, 'a')).toThrow(/editRatio: a must be a string, got null/);
  });
});
