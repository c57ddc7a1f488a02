import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index';
import { LshIndex, LSH_DEFAULTS, MinHasher, optimalLshParams, recallLshParams } from '../src/index';
import type { DocId } from '../src/index';
import { Kind, sealEnvelope } from '../src/envelope';
import { ByteWriter } from '../src/internal/bytes';
import { EMPTY_SLOT, type MinHashSignature } from '../src/minhash/types';
import { rng } from '../bench/harness';
import fixture from './fixtures/lsh-params.json';

interface Row {
  num_perm: number;
  threshold: number;
  weights: [number, number];
  b: number;
  r: number;
  fp: number;
  fn: number;
  fp_exact: number;
  fn_exact: number;
  margin: number;
  minhashlsh_constructor_error: string | null;
}
const rows = (fixture as unknown as { rows: Row[] }).rows;

const sig = (values: ArrayLike<number>, seed = 1, scheme: 'fast' | 'classic' = 'fast'): MinHashSignature => ({
  values: Uint32Array.from(values),
  numPerm: values.length,
  seed,
  scheme,
});
const emptySig = (n: number): MinHashSignature => sig(new Array<number>(n).fill(EMPTY_SLOT));
const sCurve = (s: number, b: number, r: number): number => 1 - Math.pow(1 - Math.pow(s, r), b);
const sorted = (ids: DocId[]): string[] => ids.map((x) => `${typeof x}:${x}`).sort();

/** Brute force: the ids whose signature shares at least one whole band with the query. */
function oracle(store: Map<DocId, Uint32Array>, q: Uint32Array, bands: number, rowsPerBand: number): DocId[] {
  const isEmpty = (v: Uint32Array): boolean => v.every((x) => x === EMPTY_SLOT);
  if (isEmpty(q)) return [];
  const out: DocId[] = [];
  for (const [id, v] of store) {
    if (isEmpty(v)) continue;
    for (let b = 0; b < bands; b++) {
      let same = true;
      for (let i = b * rowsPerBand; i < (b + 1) * rowsPerBand; i++) if (v[i] !== q[i]) same = false;
      if (same) {
        out.push(id);
        break;
      }
    }
  }
  return out;
}

describe('optimalLshParams(threshold, numPerm, weights)', () => {
  it('reproduces datasketch _optimal_param on all 280 rows of tests/fixtures/lsh-params.json', () => {
    expect(rows).toHaveLength(280);
    const wrong: string[] = [];
    for (const row of rows) {
      const p = optimalLshParams(row.threshold, row.num_perm, row.weights);
      if (p.bands !== row.b || p.rows !== row.r) {
        wrong.push(`n=${row.num_perm} t=${row.threshold} w=${row.weights}: got ${p.bands}x${p.rows}, want ${row.b}x${row.r}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('computes the error areas to 1e-14 of the 160-digit closed form on every row', () => {
    let worst = 0;
    for (const row of rows) {
      const p = optimalLshParams(row.threshold, row.num_perm, row.weights);
      worst = Math.max(worst, Math.abs(p.falsePositive - row.fp_exact), Math.abs(p.falseNegative - row.fn_exact));
    }
    // Far below the smallest margin between competing picks in the table (1.1e-7).
    expect(worst).toBeLessThan(1e-14);
    expect(Math.min(...rows.map((r) => r.margin))).toBeGreaterThan(1e-7);
  });

  it('returns b = 1 where datasketch does (9 rows), and LshIndex accepts it where MinHashLSH refuses', () => {
    const single = rows.filter((r) => r.b === 1);
    expect(single).toHaveLength(9);
    for (const row of single) {
      expect(row.minhashlsh_constructor_error).toMatch(/b < 2/);
      const index = new LshIndex({ threshold: row.threshold, numPerm: row.num_perm, weights: row.weights });
      expect([index.bands, index.rows]).toEqual([1, row.r]);
      const v = Array.from({ length: row.num_perm }, (_, i) => i);
      index.insert('a', sig(v));
      expect(index.query(sig(v))).toEqual(['a']);
      const w = v.slice();
      w[row.r - 1] = 999; // the one band differs
      expect(index.query(sig(w))).toEqual([]);
      w[row.r - 1] = row.r - 1;
      if (row.r < row.num_perm) {
        w[row.num_perm - 1] = 999; // unused values do not matter
        expect(index.query(sig(w))).toEqual(['a']);
      }
    }
  });

  it('defaults weights to [0.5, 0.5] and gives datasketch README picks', () => {
    expect(optimalLshParams(0.9, 128)).toEqual(optimalLshParams(0.9, 128, [0.5, 0.5]));
    expect([optimalLshParams(0.9, 128).bands, optimalLshParams(0.9, 128).rows]).toEqual([5, 25]);
  });

  it('handles thresholds 0 and 1 and numPerm 1', () => {
    expect(optimalLshParams(0, 16)).toMatchObject({ falsePositive: 0 });
    expect(optimalLshParams(1, 16)).toMatchObject({ falseNegative: 0 });
    expect(optimalLshParams(0.5, 1)).toMatchObject({ bands: 1, rows: 1 });
  });

  it('rejects bad arguments with messages naming them', () => {
    expect(() => optimalLshParams(1.5, 128)).toThrow(new RangeError('optimalLshParams: threshold must be a number from 0 to 1, got 1.5'));
    expect(() => optimalLshParams(Number.NaN, 128)).toThrow(RangeError);
    expect(() => optimalLshParams(0.5, 0)).toThrow(new RangeError('optimalLshParams: numPerm must be an integer from 1 to 65535, got 0'));
    expect(() => optimalLshParams(0.5, 12.5)).toThrow(RangeError);
    expect(() => optimalLshParams(0.5, 128, [0.5, 0.6])).toThrow(/optimalLshParams: weights must be two weights that sum to 1 \(these sum to 1.1\), got an array/);
    expect(() => optimalLshParams(0.5, 128, [-0.5, 1.5])).toThrow(/optimalLshParams: weights\[0\] must be a number from 0 to 1, got -0.5/);
    expect(() => optimalLshParams(0.5, 128, [1] as unknown as [number, number])).toThrow(TypeError);
    expect(() => optimalLshParams('0.5' as unknown as number, 128)).toThrow(TypeError);
  });
});

describe('recallLshParams(threshold, numPerm, minRecall)', () => {
  it('is the brute-force minimum false-positive area among bandings that reach minRecall', () => {
    const cases: [number, number, number][] = [
      [0.9, 128, 0.95],
      [0.8, 128, 0.95],
      [0.5, 64, 0.9],
      [0.7, 256, 0.99],
      [0.3, 32, 0.5],
    ];
    for (const [t, n, recall] of cases) {
      const p = recallLshParams(t, n, recall);
      expect(sCurve(t, p.bands, p.rows)).toBeGreaterThanOrEqual(recall);
      // Oracle: every (b, r), false-positive area by adaptive Simpson (independent of the recurrence).
      let best = Infinity;
      for (let b = 1; b <= n; b++) {
        for (let r = 1; b * r <= n; r++) {
          if (sCurve(t, b, r) < recall) continue;
          best = Math.min(best, simpson((s) => sCurve(s, b, r), 0, t));
        }
      }
      expect(Math.abs(p.falsePositive - best)).toBeLessThan(1e-9);
    }
  });

  it('gives a recall-oriented choice at datasketch default t = 0.9', () => {
    const weighted = optimalLshParams(0.9, 128);
    expect(sCurve(0.9, weighted.bands, weighted.rows)).toBeCloseTo(0.311, 3); // the 31% of the docs
    const p = recallLshParams(0.9, 128, 0.95);
    expect(sCurve(0.9, p.bands, p.rows)).toBeGreaterThanOrEqual(0.95);
  });

  it('throws a RangeError naming the best reachable recall when minRecall is out of reach', () => {
    expect(() => recallLshParams(0.1, 16, 0.99)).toThrow(/recallLshParams: minRecall must be reachable at threshold 0.1 with numPerm 16: at most 0.81\d* \(bands 16, rows 1\); lower it or use more permutations, got 0.99/);
    expect(() => recallLshParams(0.5, 16, 0)).toThrow(RangeError);
    expect(() => recallLshParams(0.5, 16, 1.1)).toThrow(RangeError);
  });
});

/** Adaptive Simpson quadrature, the test's independent integrator. */
function simpson(f: (x: number) => number, a: number, b: number, eps = 1e-12, depth = 50): number {
  const m = (a + b) / 2;
  const fa = f(a);
  const fb = f(b);
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, eps: number, depth: number): number => {
    const m = (a + b) / 2;
    const lm = (a + m) / 2;
    const rm = (m + b) / 2;
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    if (depth <= 0 || Math.abs(left + right - whole) <= 15 * eps) return left + right + (left + right - whole) / 15;
    return rec(a, m, fa, flm, fm, left, eps / 2, depth - 1) + rec(m, b, fm, frm, fb, right, eps / 2, depth - 1);
  };
  return rec(a, b, fa, fm, fb, whole, eps, depth);
}

describe('new LshIndex(options)', () => {
  it('uses LSH_DEFAULTS (frozen): threshold 0.8, 128 perms, 9 bands x 13 rows', () => {
    expect(Object.isFrozen(LSH_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(LSH_DEFAULTS.weights)).toBe(true);
    const index = new LshIndex();
    expect([index.threshold, index.numPerm, index.bands, index.rows]).toEqual([0.8, 128, 9, 13]);
    expect(index.weights).toEqual([0.5, 0.5]);
    expect([index.minRecall, index.seed, index.scheme, index.size]).toEqual([undefined, undefined, undefined, 0]);
  });

  it('matches the fixture through the constructor on every row', () => {
    for (const row of rows) {
      const index = new LshIndex({ threshold: row.threshold, numPerm: row.num_perm, weights: row.weights });
      expect([index.bands, index.rows]).toEqual([row.b, row.r]);
    }
  });

  it('accepts explicit {bands, rows} and minRecall', () => {
    const e = new LshIndex({ numPerm: 128, bands: 16, rows: 8 });
    expect([e.bands, e.rows, e.weights, e.minRecall]).toEqual([16, 8, undefined, undefined]);
    const r = new LshIndex({ threshold: 0.9, minRecall: 0.95 });
    expect([r.bands, r.rows, r.minRecall, r.weights]).toEqual([10, 12, 0.95, undefined]);
    expect(r.collisionProbability(0.9)).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects bad options naming option, range and value', () => {
    expect(() => new LshIndex({ numPerm: 0 })).toThrow('LshIndex: options.numPerm must be an integer from 1 to 65535, got 0');
    expect(() => new LshIndex({ threshold: -0.1 })).toThrow('LshIndex: options.threshold must be a number from 0 to 1, got -0.1');
    expect(() => new LshIndex({ weights: [0.2, 0.2] })).toThrow(/LshIndex: options.weights must be two weights that sum to 1/);
    expect(() => new LshIndex({ bands: 4 })).toThrow(new TypeError('LshIndex: options.rows must be given together with options.bands, got undefined'));
    expect(() => new LshIndex({ bands: 20, rows: 8 })).toThrow(
      'LshIndex: options.rows must be at most numPerm / bands = 6 (bands × rows must not exceed numPerm 128, which defaults to 128: did you forget it?), got 8',
    );
    expect(() => new LshIndex({ numPerm: 64, bands: 0, rows: 8 })).toThrow('LshIndex: options.bands must be an integer from 1 to 64, got 0');
    expect(() => new LshIndex({ bands: 4, rows: 4, weights: [0.5, 0.5] })).toThrow(TypeError);
    expect(() => new LshIndex({ minRecall: 0.9, weights: [0.5, 0.5] })).toThrow('LshIndex: options.minRecall must be left out when options.weights is given (give one of them), got 0.9');
    expect(() => new LshIndex({ seed: 1.5 })).toThrow(new RangeError('LshIndex: options.seed must be a safe integer, got 1.5'));
    expect(() => new LshIndex({ scheme: '' as 'fast' })).toThrow(RangeError);
    expect(() => new LshIndex({ scheme: 3 as unknown as 'fast' })).toThrow(TypeError);
    expect(() => new LshIndex(5 as unknown as object)).toThrow(TypeError);
  });
});

describe('LshIndex.collisionProbability(s)', () => {
  it('is the S-curve 1 - (1 - s^r)^b', () => {
    const index = new LshIndex({ threshold: 0.9, numPerm: 128 });
    expect([index.bands, index.rows]).toEqual([5, 25]);
    // datasketch's default finds a pair of similarity 0.9 only 31.1% of the time.
    expect(index.collisionProbability(0.9)).toBeCloseTo(0.31098022646612, 13);
    expect(index.collisionProbability(0)).toBe(0);
    expect(index.collisionProbability(1)).toBe(1);
    const d = new LshIndex();
    expect(d.collisionProbability(0.8)).toBeCloseTo(sCurve(0.8, 9, 13), 15);
    expect(d.collisionProbability(0.8)).toBeCloseTo(0.3988, 4);
    let last = 0;
    for (let s = 0; s <= 1; s += 0.01) {
      const p = d.collisionProbability(s);
      expect(p).toBeGreaterThanOrEqual(last);
      last = p;
    }
    expect(() => d.collisionProbability(1.01)).toThrow(RangeError);
  });

  it('predicts the measured hit rate of pairs whose values agree independently with probability s', () => {
    const index = new LshIndex(); // 9 x 13 of 128
    const random = rng(42);
    const n = 3000;
    const base: Uint32Array[] = [];
    for (let i = 0; i < n; i++) {
      const v = new Uint32Array(128);
      for (let j = 0; j < 128; j++) v[j] = (random() * 2 ** 32) >>> 0;
      base.push(v);
      index.insert(i, sig(v));
    }
    for (const s of [0.6, 0.8, 0.9]) {
      let hits = 0;
      for (let i = 0; i < n; i++) {
        const q = base[i]!.slice();
        for (let j = 0; j < 128; j++) if (random() >= s) q[j] = (random() * 2 ** 32) >>> 0;
        if (index.query(sig(q)).includes(i)) hits++;
      }
      const p = index.collisionProbability(s);
      expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe('LshIndex with MinHasher signatures', () => {
  it('finds pairs of exact Jaccard 0.8 at the rate collisionProbability(0.8) predicts (classic scheme)', () => {
    const hasher = new MinHasher({ numPerm: 128, seed: 11, scheme: 'classic' });
    const index = new LshIndex({ seed: 11, scheme: 'classic' }); // 9 x 13
    const random = rng(2024);
    const n = 1500;
    const queries: MinHashSignature[] = [];
    for (let i = 0; i < n; i++) {
      // 80 shared elements + 10 own on each side: Jaccard exactly 80 / 100.
      const shared = Array.from({ length: 80 }, () => (random() * 2 ** 32) >>> 0);
      const a = Uint32Array.from([...shared, ...Array.from({ length: 10 }, () => (random() * 2 ** 32) >>> 0)]);
      const b = Uint32Array.from([...shared, ...Array.from({ length: 10 }, () => (random() * 2 ** 32) >>> 0)]);
      index.insert(i, hasher.signature(a));
      queries.push(hasher.signature(b));
    }
    let hits = 0;
    for (let i = 0; i < n; i++) if (index.query(queries[i]!).includes(i)) hits++;
    const p = index.collisionProbability(0.8);
    expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it('fast-scheme signatures: identical sets always collide, the empty set never does', () => {
    const hasher = new MinHasher({ numPerm: 128, seed: 3 });
    const index = new LshIndex();
    const set = Uint32Array.from({ length: 50 }, (_, i) => i * 7919);
    index.insert('doc', hasher.signature(set));
    index.insert('empty', hasher.signature(new Uint32Array(0)));
    index.insert('empty2', hasher.signature(new Uint32Array(0)));
    expect([index.seed, index.scheme]).toEqual([3, 'fast']);
    expect(index.query(hasher.signature(set.slice().reverse()))).toEqual(['doc']);
    expect(index.query(hasher.signature(new Uint32Array(0)))).toEqual([]);
    expect(() => index.query(new MinHasher({ numPerm: 128, seed: 4 }).signature(set))).toThrow(/LshIndex.query: signature.seed must be the index's seed 3 .*, got 4/);
  });
});

describe('LshIndex insert / query / remove / has / size', () => {
  const small = (): LshIndex => new LshIndex({ numPerm: 4, bands: 2, rows: 2 });

  it('insert(id, sig) then query returns ids sharing a band, each once', () => {
    const index = small();
    index.insert('a', sig([1, 2, 3, 4]));
    index.insert('b', sig([1, 2, 3, 4])); // shares both bands with the query
    index.insert('c', sig([1, 2, 9, 9]));
    index.insert('d', sig([9, 9, 9, 9]));
    expect(sorted(index.query(sig([1, 2, 3, 4])))).toEqual(['string:a', 'string:b', 'string:c']);
    expect(index.query(sig([0, 0, 0, 0]))).toEqual([]);
    expect(index.size).toBe(4);
  });

  it('equal band values in different bands never collide', () => {
    const index = small();
    index.insert('a', sig([5, 6, 7, 8]));
    expect(index.query(sig([7, 8, 5, 6]))).toEqual([]);
    expect(index.query(sig([5, 6, 0, 0]))).toEqual(['a']);
    // The same with many bands of identical values.
    const wide = new LshIndex({ numPerm: 64, bands: 32, rows: 2 });
    const v = Array.from({ length: 64 }, (_, i) => (i >> 1) % 2); // bands alternate [0,0] [1,1]
    wide.insert(1, sig(v));
    const shifted = Array.from({ length: 64 }, (_, i) => 1 - ((i >> 1) % 2));
    expect(wide.query(sig(shifted))).toEqual([]);
  });

  it('ids are numbers or strings; 1 and "1" are distinct; bad ids are TypeErrors', () => {
    const index = small();
    index.insert(1, sig([1, 1, 1, 1]));
    index.insert('1', sig([1, 1, 1, 1]));
    index.insert(-0.5, sig([1, 1, 1, 1]));
    expect(sorted(index.query(sig([1, 1, 1, 1])))).toEqual(['number:-0.5', 'number:1', 'string:1']);
    expect(() => index.insert(Number.NaN, sig([1, 1, 1, 1]))).toThrow(new TypeError('LshIndex.insert: id must be a string or a finite number, got NaN'));
    expect(() => index.insert({} as unknown as string, sig([1, 1, 1, 1]))).toThrow(TypeError);
  });

  it('insert of an id already stored throws and leaves the index unchanged', () => {
    const index = small();
    index.insert('a', sig([1, 2, 3, 4]));
    expect(() => index.insert('a', sig([5, 6, 7, 8]))).toThrow(
      new RangeError('LshIndex.insert: id must be an id not already in the index (remove it first to replace it), got "a"'),
    );
    expect(index.size).toBe(1);
    expect(index.query(sig([5, 6, 7, 8]))).toEqual([]);
    expect(index.query(sig([1, 2, 3, 4]))).toEqual(['a']);
  });

  it('remove(id) unlinks it from every band; has/size follow; the id can be inserted again', () => {
    const index = small();
    for (let i = 0; i < 5; i++) index.insert(i, sig([1, 2, 3, 4]));
    expect(index.remove(2)).toBe(true);
    expect(index.remove(2)).toBe(false);
    expect(index.has(2)).toBe(false);
    expect(index.size).toBe(4);
    expect(sorted(index.query(sig([1, 2, 3, 4])))).toEqual(['number:0', 'number:1', 'number:3', 'number:4']);
    for (const i of [0, 1, 3, 4]) index.remove(i);
    expect(index.query(sig([1, 2, 3, 4]))).toEqual([]);
    index.insert(2, sig([3, 4, 3, 4]));
    expect(index.query(sig([0, 0, 3, 4]))).toEqual([2]);
    expect(index.query(sig([1, 2, 0, 0]))).toEqual([]);
    expect(index.remove('never')).toBe(false);
  });

  it('does not keep the caller signature array', () => {
    const index = small();
    const s = sig([1, 2, 3, 4]);
    index.insert('a', s);
    s.values.fill(0);
    expect(index.query(sig([1, 2, 3, 4]))).toEqual(['a']);
    expect(index.query(sig([0, 0, 0, 0]))).toEqual([]);
  });

  it('empty signatures are stored (has() true) but never bucketed nor returned; querying one returns []', () => {
    const index = small();
    index.insert('e1', emptySig(4));
    index.insert('e2', emptySig(4));
    index.insert('x', sig([1, 2, 3, 4]));
    expect([index.has('e1'), index.has('e2'), index.size]).toEqual([true, true, 3]);
    expect(index.query(emptySig(4))).toEqual([]);
    expect(index.query(sig([EMPTY_SLOT, EMPTY_SLOT, 3, 4]))).toEqual(['x']);
    expect(index.remove('e1')).toBe(true);
    expect(index.size).toBe(2);
    expect(index.query(sig([1, 2, 3, 4]))).toEqual(['x']);
  });

  it('checks numPerm, seed and scheme: the first insert fixes seed and scheme', () => {
    const index = small();
    expect(index.query(sig([1, 2, 3, 4], 9, 'classic'))).toEqual([]); // nothing fixed yet
    expect(index.seed).toBeUndefined();
    index.insert('a', sig([1, 2, 3, 4], 7, 'classic'));
    expect([index.seed, index.scheme]).toEqual([7, 'classic']);
    expect(() => index.query(sig([1, 2, 3, 4], 8, 'classic'))).toThrow(
      "LshIndex.query: signature.seed must be the index's seed 7 (signatures of different seeds are not comparable), got 8",
    );
    expect(() => index.insert('b', sig([1, 2, 3, 4], 7, 'fast'))).toThrow(
      `LshIndex.insert: signature.scheme must be the index's scheme "classic", got "fast"`,
    );
    expect(() => index.query(sig([1, 2, 3]))).toThrow(
      "LshIndex.query: signature.numPerm must be 4, the index's numPerm, with as many values (it has 3), got 3",
    );
    expect(() => index.query({ ...sig([1, 2, 3, 4], 7, 'classic'), numPerm: 5 })).toThrow(RangeError);
    expect(() => index.query({ values: [1, 2, 3, 4] } as unknown as MinHashSignature)).toThrow(TypeError);
    expect(() => index.query(null as unknown as MinHashSignature)).toThrow(TypeError);
    expect(index.size).toBe(1);

    const fixed = new LshIndex({ numPerm: 4, bands: 2, rows: 2, seed: 3, scheme: 'fast' });
    expect(() => fixed.insert('a', sig([1, 2, 3, 4], 1, 'fast'))).toThrow(/signature.seed must be the index's seed 3 \(signatures of different seeds are not comparable\), got 1/);
    expect(fixed.size).toBe(0);
    fixed.insert('a', sig([1, 2, 3, 4], 3, 'fast'));
    expect(fixed.query(sig([1, 2, 3, 4], 3, 'fast'))).toEqual(['a']);
  });

  it('property: query returns exactly the ids sharing a full band (brute-force oracle over bands)', () => {
    const op = (alphabet: number, n: number) =>
      fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), id: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom('a', 'b', 'c')), values: fc.array(fc.integer({ min: 0, max: alphabet - 1 }), { minLength: n, maxLength: n }), empty: fc.boolean() }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom('a', 'b', 'c')) }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), values: fc.array(fc.integer({ min: 0, max: alphabet - 1 }), { minLength: n, maxLength: n }) }) },
      );
    const shapes = fc.constantFrom([3, 2, 2], [4, 1, 3], [2, 3, 6], [5, 2, 50], [1, 4, 3]);
    fc.assert(
      fc.property(
        shapes.chain(([bands, r, alphabet]) =>
          fc.tuple(fc.constant([bands, r, alphabet] as const), fc.array(op(alphabet, bands * r + 1), { maxLength: 250, size: 'max' })),
        ),
        ([[bands, r], ops]) => {
          const n = bands * r + 1; // one unused value at the end
          const index = new LshIndex({ numPerm: n, bands, rows: r });
          const store = new Map<DocId, Uint32Array>();
          const check = (q: Uint32Array): void => {
            const got = index.query(sig(q));
            expect(new Set(got).size).toBe(got.length); // each id once
            expect(sorted(got)).toEqual(sorted(oracle(store, q, bands, r)));
          };
          for (const o of ops) {
            if (o.kind === 'insert') {
              const v = o.empty && o.values[0] === 0 ? new Uint32Array(n).fill(EMPTY_SLOT) : Uint32Array.from(o.values);
              if (store.has(o.id)) {
                expect(() => index.insert(o.id, sig(v))).toThrow(/LshIndex.insert: id must be an id not already in the index/);
              } else {
                index.insert(o.id, sig(v));
                store.set(o.id, v);
              }
            } else if (o.kind === 'remove') {
              expect(index.remove(o.id)).toBe(store.delete(o.id));
            } else {
              check(Uint32Array.from(o.values));
            }
            expect(index.size).toBe(store.size);
          }
          for (const [id, v] of store) {
            expect(index.has(id)).toBe(true);
            check(v);
          }
        },
      ),
      { seed: 20240611, numRuns: 150 },
    );
  });

  it('stays exact through table growth, tombstones and slot reuse (20,000 docs with churn)', () => {
    const random = rng(7);
    const n = 12;
    const index = new LshIndex({ numPerm: n, bands: 4, rows: 3 });
    const store = new Map<DocId, Uint32Array>();
    const make = (): Uint32Array => Uint32Array.from({ length: n }, () => Math.floor(random() * 40)); // 40^3 band values
    for (let i = 0; i < 20000; i++) {
      const v = make();
      index.insert(i, sig(v));
      store.set(i, v);
      if (i % 3 === 2) {
        const victim = Math.floor(random() * i);
        expect(index.remove(victim)).toBe(store.delete(victim));
      }
    }
    expect(index.size).toBe(store.size);
    for (let k = 0; k < 300; k++) {
      const q = make();
      expect(sorted(index.query(sig(q)))).toEqual(sorted(oracle(store, q, 4, 3)));
    }
  });
});

describe('LshIndex.toBytes() / LshIndex.fromBytes(bytes)', () => {
  function sample(): { index: LshIndex; queries: MinHashSignature[] } {
    const index = new LshIndex({ numPerm: 8, bands: 3, rows: 2, threshold: 0.6, seed: 5, scheme: 'classic' });
    const s = (v: number[]): MinHashSignature => sig(v, 5, 'classic');
    index.insert('a', s([1, 2, 3, 4, 5, 6, 7, 8]));
    index.insert(2, s([1, 2, 0, 0, 0, 0, 0, 0]));
    index.insert('é', s(new Array<number>(8).fill(EMPTY_SLOT)));
    index.insert(3.5, s([9, 9, 3, 4, 9, 9, 0, 0]));
    index.insert('gone', s([1, 2, 3, 4, 5, 6, 0, 0]));
    index.remove('gone');
    const queries = [s([1, 2, 3, 4, 5, 6, 7, 8]), s([0, 0, 0, 0, 0, 0, 0, 0]), s([1, 2, 9, 9, 9, 9, 9, 9]), s([9, 9, 3, 4, 0, 0, 0, 0])];
    return { index, queries };
  }

  it('round-trips parameters, ids and every query result (same order)', () => {
    const { index, queries } = sample();
    const copy = LshIndex.fromBytes(index.toBytes());
    expect([copy.numPerm, copy.bands, copy.rows, copy.threshold, copy.seed, copy.scheme, copy.size]).toEqual([8, 3, 2, 0.6, 5, 'classic', 4]);
    expect([copy.weights, copy.minRecall]).toEqual([undefined, undefined]);
    for (const id of ['a', 2, 'é', 3.5]) expect(copy.has(id)).toBe(true);
    expect(copy.has('gone')).toBe(false);
    for (const q of queries) expect(copy.query(q)).toEqual(index.query(q));
    expect(copy.toBytes()).toEqual(index.toBytes());
    // The copy is a working index.
    copy.insert('new', sig([7, 7, 7, 7, 7, 7, 7, 8], 5, 'classic'));
    expect(copy.query(sig([7, 7, 1, 1, 1, 1, 1, 1], 5, 'classic'))).toEqual(['new']);
    expect(copy.remove('a')).toBe(true);
  });

  it('round-trips weights / minRecall / unfixed seed and a large random index', () => {
    const w = LshIndex.fromBytes(new LshIndex({ threshold: 0.7, weights: [0.3, 0.7] }).toBytes());
    expect([w.threshold, w.weights, w.bands, w.rows, w.seed, w.scheme]).toEqual([0.7, [0.3, 0.7], ...[optimalLshParams(0.7, 128, [0.3, 0.7])].flatMap((p) => [p.bands, p.rows]), undefined, undefined]);
    const r = LshIndex.fromBytes(new LshIndex({ threshold: 0.9, minRecall: 0.9 }).toBytes());
    expect([r.minRecall, r.weights]).toEqual([0.9, undefined]);

    const random = rng(99);
    const big = new LshIndex({ numPerm: 16, bands: 4, rows: 4 });
    const make = (): MinHashSignature => sig(Array.from({ length: 16 }, () => Math.floor(random() * 6)));
    for (let i = 0; i < 3000; i++) {
      big.insert(i % 2 ? i : `id${i}`, make());
      if (i % 4 === 3) big.remove(i - 2);
    }
    const copy = LshIndex.fromBytes(big.toBytes());
    expect(copy.size).toBe(big.size);
    for (let k = 0; k < 200; k++) {
      const q = make();
      expect(copy.query(q)).toEqual(big.query(q));
    }
  });

  it('refuses every single-byte corruption with a RangeError (never a crash, never another index)', () => {
    const bytes = sample().index.toBytes();
    let refused = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const flip of [0x01, 0x10, 0x80, 0xff]) {
        const bad = bytes.slice();
        bad[i]! ^= flip;
        expect(() => LshIndex.fromBytes(bad), `byte ${i} ^ ${flip}`).toThrow(RangeError);
        refused++;
      }
    }
    expect(refused).toBe(bytes.length * 4);
  });

  it('refuses every truncation and any padding', () => {
    const bytes = sample().index.toBytes();
    for (let len = 0; len < bytes.length; len++) {
      expect(() => LshIndex.fromBytes(bytes.slice(0, len)), `length ${len}`).toThrow(RangeError);
    }
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expect(() => LshIndex.fromBytes(padded)).toThrow(/truncated or padded/);
  });

  it('refuses foreign buffers and non-bytes with clear errors', () => {
    expect(() => LshIndex.fromBytes('nope' as unknown as Uint8Array)).toThrow(new TypeError('LshIndex.fromBytes: expected a Uint8Array'));
    expect(() => LshIndex.fromBytes(new TextEncoder().encode('{"not": "an index at all"}'))).toThrow(/magic "NDUP" missing/);
    const other = sealEnvelope(Kind.SimHashIndex, 1, new ByteWriter().u32(0));
    expect(() => LshIndex.fromBytes(other)).toThrow('LshIndex.fromBytes: buffer holds a SimHashIndex, expected a LshIndex');
    const future = sealEnvelope(Kind.LshIndex, 2, new ByteWriter().u32(0));
    expect(() => LshIndex.fromBytes(future)).toThrow(/format version 2 is not supported/);
  });

  it('refuses well-sealed but inconsistent payloads with "invalid index" errors', () => {
    type Doc = number | string;
    // A writer for hand-made payloads: header (numPerm 4, bands 2, rows 2, explicit), ids, then buckets.
    const build = (opts: { numPerm?: number; bands?: number; rows?: number; mode?: number; ids?: Doc[]; docCount?: number; buckets?: [number, number[]][][]; trailing?: boolean }): Uint8Array => {
      const w = new ByteWriter();
      const bands = opts.bands ?? 2;
      w.u32(opts.numPerm ?? 4).u32(bands).u32(opts.rows ?? 2).f64(0.8).u8(opts.mode ?? 2).u8(0).u8(0);
      const ids = opts.ids ?? ['a', 'b'];
      w.u32(opts.docCount ?? ids.length);
      for (const id of ids) w.id(id);
      const buckets = opts.buckets ?? [[[11, [0, 1]]], [[12, [0]], [13, [1]]]];
      for (const band of buckets) {
        w.u32(band.length);
        for (const [key, docs] of band) {
          w.u32(key).u32(docs.length);
          for (const d of docs) w.u32(d);
        }
      }
      if (opts.trailing) w.u8(0);
      return sealEnvelope(Kind.LshIndex, 1, w);
    };
    expect(LshIndex.fromBytes(build({})).size).toBe(2); // the baseline is valid
    const cases: [Parameters<typeof build>[0], RegExp][] = [
      [{ numPerm: 0 }, /numPerm must be an integer/],
      [{ bands: 3, rows: 2, buckets: [[], [], []] , ids: [] }, /invalid index: LshIndex: options.rows must be at most numPerm \/ bands = 1/],
      [{ mode: 7 }, /unknown parameter mode 7/],
      [{ ids: ['a', 'a'] }, /id "a" appears twice/],
      [{ ids: ['a', Number.POSITIVE_INFINITY] }, /has id Infinity/],
      [{ docCount: 1e9 }, /1000000000 documents cannot fit/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0]], [13, [2]]]] }, /lists document 2 of 2/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0]], [13, [0]]]] }, /document 0 is in two buckets of band 1/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0]], [12, [1]]]] }, /band 1 has key 12 twice/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0, 1]], [13, []]]] }, /band 1 bucket 1 has 0 documents/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0]]]] }, /document 1 is in 1 of 2 bands/],
      [{ buckets: [[[11, [0, 1]]], [[12, [0]], [13, [1]], [14, []]]] }, /band 1 has 3 buckets for 2 documents/],
      [{ trailing: true }, /1 unexpected trailing payload bytes/],
    ];
    for (const [opts, message] of cases) {
      expect(() => LshIndex.fromBytes(build(opts)), message.source).toThrow(message);
      expect(() => LshIndex.fromBytes(build(opts))).toThrow(RangeError);
    }
  });
});

describe('TSDoc examples of src/lsh members run', () => {
  // tests/examples.test.ts runs the examples of exported symbols; this runs those of class members too,
  // with the same convention (`expr; // => expected` asserts deep equality).
  const dir = fileURLToPath(new URL('../src/lsh/', import.meta.url));
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
  const names = Object.keys(api);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(dir + file, 'utf8');
    const fences = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^\s*\* ?/gm, ''));
    fences.forEach((code, k) => {
      it(`${file} example ${k + 1}`, async () => {
        const instrumented = code
          .split('\n')
          .map((l) => {
            const m = /^(\s*)(?:(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*)?(.+?);?\s*\/\/\s*=>\s*(.+)$/.exec(l);
            if (!m) return l;
            const [, indent, binding, expr, expected] = m;
            if (binding) return `${indent}const ${binding} = ${expr}; __check(${binding}, (${expected}));`;
            return `${indent}__check((${expr}), (${expected}));`;
          })
          .join('\n');
        const js = transformSync(instrumented, { loader: 'ts', format: 'esm' }).code;
        let checks = 0;
        const fn = new AsyncFunction(...names, '__check', js);
        await fn(...names.map((n) => (api as Record<string, unknown>)[n]), (a: unknown, e: unknown) => {
          checks++;
          expect(a).toEqual(e);
        });
        expect(checks).toBeGreaterThan(0);
      });
    });
  }
});
