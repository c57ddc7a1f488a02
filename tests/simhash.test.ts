import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MinHasher, SIMHASH_DEFAULTS, SIMHASH_INDEX_DEFAULTS, SimHashIndex, hamming, signatureToBytes, simhash,
} from '../src/index';
import type { DocId } from '../src/index';
import { naiveMix32, naiveWords } from './helpers/oracles';
import { mulberry32Uint as mulberry32 } from './helpers/random';

// ---------------------------------------------------------------------------------------------------------
// Naive oracles (BigInt arithmetic, one bit at a time), written from the documentation.
// ---------------------------------------------------------------------------------------------------------
function naiveSimhash(set: ArrayLike<number>, { bits = 64, seed = 0, weights }: { bits?: number; seed?: number; weights?: ArrayLike<number> } = {}): bigint {
  const [k0, k1] = naiveWords(seed, 2, 3) as [number, number];
  const sums = new Array<number>(64).fill(0);
  let total = 0;
  for (let e = 0; e < set.length; e++) {
    const w = weights ? weights[e]! : 1;
    total += w;
    const lo = naiveMix32((set[e]! ^ k0) >>> 0);
    const hi = naiveMix32((lo ^ k1) >>> 0);
    const x = (BigInt(hi) << 32n) | BigInt(lo);
    for (let b = 0; b < 64; b++) if ((x >> BigInt(b)) & 1n) sums[b] = sums[b]! + w;
  }
  let fp = 0n;
  for (let b = 0; b < bits; b++) if (2 * sums[b]! > total) fp |= 1n << BigInt(b);
  return fp;
}
const naiveHamming = (a: bigint, b: bigint): number => [...(a ^ b).toString(2)].filter((c) => c === '1').length;

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const fp64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('simhash(shingles, options)', () => {
  it('uses SIMHASH_DEFAULTS', () => {
    expect(SIMHASH_DEFAULTS).toEqual({ bits: 64, seed: 0 });
    expect(Object.isFrozen(SIMHASH_DEFAULTS)).toBe(true);
  });

  it('golden values (pinned: they are stored in indexes)', () => {
    const r = Uint32Array.from({ length: 1000 }, (_, i) => i);
    const table: [Uint32Array, Parameters<typeof simhash>[1], bigint][] = [
      [new Uint32Array([1, 2, 3]), undefined, 0x51facc5d398da57dn],
      [r, undefined, 0x881b96bab04101bdn],
      [r, { seed: 1 }, 0xe1340834a05857dbn],
      [new Uint32Array([0]), {}, 0x9cfd6e746090dd3dn],
      [r, { weights: Float64Array.from(r, (x) => x % 7) }, 0x884b96ba9d400d3dn],
      [r, { bits: 40 }, 0xbab04101bdn],
    ];
    for (const [set, options, expected] of table) {
      expect(simhash(set, options)).toBe(expected);
      expect(naiveSimhash(set, options ?? {})).toBe(expected);
    }
  });

  it('equals the naive oracle, unweighted, for sets across the bit-slice flush at 255 and 510 (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(uint32, { maxLength: 700 }), uint32, fc.integer({ min: 1, max: 64 }), (xs, seed, bits) => {
        const set = Uint32Array.from(xs);
        expect(simhash(set, { seed, bits })).toBe(naiveSimhash(set, { seed, bits }));
      }),
      { seed: 61, numRuns: 40 },
    );
  });

  it('equals the naive oracle with weights, Float64Array or number[] (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(uint32, fc.double({ min: 0, max: 100, noNaN: true })), { maxLength: 60 }),
        uint32,
        (pairs, seed) => {
          const set = Uint32Array.from(pairs, (p) => p[0]);
          const weights = pairs.map((p) => p[1]);
          const expected = naiveSimhash(set, { seed, weights });
          expect(simhash(set, { seed, weights })).toBe(expected);
          expect(simhash(set, { seed, weights: Float64Array.from(weights) })).toBe(expected);
        },
      ),
      { seed: 62, numRuns: 60 },
    );
  });

  it('is independent of shingle order; unit weights equal no weights; empty set is 0n', () => {
    const set = Uint32Array.from({ length: 300 }, (_, i) => Math.imul(i, 2654435761) >>> 0);
    const reversed = set.slice().reverse();
    expect(simhash(reversed)).toBe(simhash(set));
    expect(simhash(set, { weights: new Float64Array(300).fill(1) })).toBe(simhash(set));
    expect(simhash(new Uint32Array(0))).toBe(0n);
    expect(simhash(new Uint32Array(0), { weights: [] })).toBe(0n);
  });

  it('fingerprints fit in `bits` bits', () => {
    const set = Uint32Array.from({ length: 50 }, (_, i) => i);
    for (const bits of [1, 8, 31, 32, 33, 63, 64]) {
      const fp = simhash(set, { bits });
      expect(fp < 1n << BigInt(bits)).toBe(true);
      expect(fp).toBe(simhash(set) & ((1n << BigInt(bits)) - 1n));
    }
  });

  it('rejects bad input with errors that name the option', () => {
    const set = new Uint32Array([1, 2]);
    expect(() => simhash([1, 2] as unknown as Uint32Array)).toThrow(new TypeError('simhash: shingles must be a Uint32Array, got an array'));
    expect(() => simhash(set, { bits: 0 })).toThrow(new RangeError('simhash: options.bits must be an integer from 1 to 64, got 0'));
    expect(() => simhash(set, { bits: 65 })).toThrow(RangeError);
    expect(() => simhash(set, { seed: -1 })).toThrow(RangeError);
    expect(() => simhash(set, { weights: [1] })).toThrow(new RangeError('simhash: options.weights.length must be 2, one weight per shingle, got 1'));
    expect(() => simhash(set, { weights: [1, -1] })).toThrow(/simhash: options.weights\[1\] must be a finite number of at least 0, got -1/);
    expect(() => simhash(set, { weights: [1, NaN] })).toThrow(RangeError);
    expect(() => simhash(set, { weights: [1, Infinity] })).toThrow(RangeError);
    expect(() => simhash(set, { weights: new Float32Array(2) as unknown as Float64Array })).toThrow(TypeError);
    expect(() => simhash(set, 64 as unknown as object)).toThrow(TypeError);
  });

  it('mean Hamming distance of near-duplicate pairs matches the exact sign-disagreement probability (statistical)', () => {
    // |A| = |B| = 1001 (odd: no ties), |A ∩ B| = c. Each bit is the sign of C + X_A vs C + X_B with C a sum of c
    // independent ±1 and X_A, X_B sums of 1001 − c. P(bits differ) is computed exactly by convolution; the 64
    // bits are independent for an ideal expansion, so the mean distance over P pairs is within 4σ/√P of 64p.
    const n = 1001;
    const PAIRS = 200;
    const binom = (m: number): number[] => {
      // distribution of the number of +1 among m fair ±1
      let row = [1];
      for (let i = 0; i < m; i++) {
        const nextRow = new Array<number>(row.length + 1).fill(0);
        for (let j = 0; j < row.length; j++) {
          nextRow[j] = nextRow[j]! + row[j]! / 2;
          nextRow[j + 1] = nextRow[j + 1]! + row[j]! / 2;
        }
        row = nextRow;
      }
      return row;
    };
    for (const c of [901, 700, 400]) {
      const m = n - c;
      const pc = binom(c);
      const pm = binom(m);
      // cdf of X = 2·(#plus) − m
      let p = 0;
      for (let i = 0; i <= c; i++) {
        const C = 2 * i - c;
        // P(C + X > 0) where X = 2j − m  ⇔  j > (m − C)/2
        let above = 0;
        for (let j = 0; j <= m; j++) if (C + 2 * j - m > 0) above += pm[j]!;
        p += pc[i]! * 2 * above * (1 - above);
      }
      const next = mulberry32(c);
      let sum = 0;
      for (let pair = 0; pair < PAIRS; pair++) {
        const seen = new Set<number>();
        const draw = (): number => {
          for (;;) {
            const v = next();
            if (!seen.has(v)) {
              seen.add(v);
              return v;
            }
          }
        };
        const both = Array.from({ length: c }, draw);
        const a = Uint32Array.from([...both, ...Array.from({ length: m }, draw)]);
        const b = Uint32Array.from([...both, ...Array.from({ length: m }, draw)]);
        sum += hamming(simhash(a, { seed: pair }), simhash(b, { seed: pair }));
      }
      const mean = sum / PAIRS;
      const sigma = Math.sqrt(64 * p * (1 - p));
      expect(Math.abs(mean - 64 * p)).toBeLessThanOrEqual((4 * sigma) / Math.sqrt(PAIRS));
    }
  });
});

describe('hamming(a, b)', () => {
  it('equals a naive popcount (fast-check)', () => {
    fc.assert(fc.property(fp64, fp64, (a, b) => {
      expect(hamming(a, b)).toBe(naiveHamming(a, b));
    }), { seed: 71, numRuns: 300 });
  });

  it('rejects non-bigints and values outside [0, 2^64)', () => {
    expect(() => hamming(1 as unknown as bigint, 2n)).toThrow(new TypeError('hamming: a must be a bigint from 0n to 2n ** 64n − 1n, got 1'));
    expect(() => hamming(1n, -1n)).toThrow(new RangeError('hamming: b must be a bigint from 0n to 2n ** 64n − 1n, got -1n'));
    expect(() => hamming(2n ** 64n, 0n)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------

/** A fingerprint at Hamming distance exactly `d` from `fp`: flips `d` distinct random bits. */
function flipBits(fp: bigint, d: number, next: () => number): bigint {
  const bits = new Set<number>();
  while (bits.size < d) bits.add(next() % 64);
  let out = fp;
  for (const b of bits) out ^= 1n << BigInt(b);
  return out;
}

/** Brute force: every stored id within distance, nearest first, ties in insertion order. */
function bruteQuery(model: Map<DocId, bigint>, fp: bigint, d: number): DocId[] {
  return [...model.entries()]
    .map(([id, f], order) => ({ id, dist: naiveHamming(f, fp), order }))
    .filter((x) => x.dist <= d)
    .sort((a, b) => a.dist - b.dist || a.order - b.order)
    .map((x) => x.id);
}

describe('SimHashIndex', () => {
  it('options: defaults, blocks, table count, validation', () => {
    const index = new SimHashIndex();
    expect([index.maxDistance, index.blocks, index.tables, index.size]).toEqual([3, 4, 4, 0]);
    expect(SIMHASH_INDEX_DEFAULTS).toEqual({ maxDistance: 3, maxTables: 1024 });
    expect(new SimHashIndex({ maxDistance: 3, blocks: 6 }).tables).toBe(20);
    expect(new SimHashIndex({ maxDistance: 0 }).tables).toBe(1);
    expect(new SimHashIndex({ maxDistance: 63 }).tables).toBe(64);
    expect(() => new SimHashIndex({ maxDistance: -1 })).toThrow(new RangeError('SimHashIndex: options.maxDistance must be an integer from 0 to 63, got -1'));
    expect(() => new SimHashIndex({ maxDistance: 64 })).toThrow(RangeError);
    expect(() => new SimHashIndex({ maxDistance: 3, blocks: 3 })).toThrow(new RangeError('SimHashIndex: options.blocks must be an integer from 4 to 64, got 3'));
    expect(() => new SimHashIndex({ maxDistance: 10, blocks: 20 })).toThrow(/SimHashIndex: options.blocks must be few enough for C\(blocks, maxDistance 10\) ≤ 1024 tables \(this needs 184756\); use fewer blocks, got 20/);
    expect(() => new SimHashIndex({ maxDistance: '3' as unknown as number })).toThrow(TypeError);
    expect(() => new SimHashIndex([] as unknown as object)).toThrow(TypeError);
  });

  it('query(fp) returns fingerprints at exactly maxDistance and never at maxDistance + 1', () => {
    const next = mulberry32(5);
    for (let d = 0; d <= 8; d++) {
      for (const extra of [1, 2]) {
        const index = new SimHashIndex({ maxDistance: d, blocks: Math.min(64, d + extra) });
        for (let trial = 0; trial < 40; trial++) {
          const base = (BigInt(next()) << 32n) | BigInt(next());
          const at = flipBits(base, d, next);
          const beyond = flipBits(base, d + 1, next);
          index.insert(`at${trial}`, at);
          index.insert(`beyond${trial}`, beyond);
          const found = index.query(base);
          expect(found).toContain(`at${trial}`);
          expect(found).not.toContain(`beyond${trial}`);
          index.remove(`at${trial}`);
          index.remove(`beyond${trial}`);
        }
        expect(index.size).toBe(0);
      }
    }
  });

  it('query(fp) equals brute force under random inserts, removes and queries (fast-check)', () => {
    const op = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), base: fc.nat(7), flips: fc.nat(6), rnd: uint32, id: fc.nat(40) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), id: fc.nat(40) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('query' as const), base: fc.nat(7), flips: fc.nat(6), rnd: uint32 }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.array(fp64, { minLength: 8, maxLength: 8 }), fc.array(op, { maxLength: 120 }), (d, extra, bases, ops) => {
        const index = new SimHashIndex({ maxDistance: d, blocks: d + extra });
        const model = new Map<DocId, bigint>();
        for (const o of ops) {
          if (o.kind === 'insert') {
            const id = o.id % 2 ? `s${o.id}` : o.id;
            const fp = flipBits(bases[o.base]!, o.flips, mulberry32(o.rnd));
            if (model.has(id)) {
              expect(() => index.insert(id, fp)).toThrow(/SimHashIndex.insert: id must be an id not already in the index/);
            } else {
              index.insert(id, fp);
              model.set(id, fp);
            }
          } else if (o.kind === 'remove') {
            const id = o.id % 2 ? `s${o.id}` : o.id;
            expect(index.remove(id)).toBe(model.delete(id));
          } else {
            const fp = flipBits(bases[o.base]!, o.flips, mulberry32(o.rnd));
            expect(index.query(fp)).toEqual(bruteQuery(model, fp, d));
            for (const { id, distance } of index.queryWithDistance(fp)) expect(distance).toBe(naiveHamming(model.get(id)!, fp));
          }
          expect(index.size).toBe(model.size);
        }
        for (const [id, fp] of model) {
          expect(index.has(id)).toBe(true);
          expect(index.get(id)).toBe(fp);
        }
      }),
      { seed: 81, numRuns: 150 },
    );
  });

  it('stays exact through growth, tombstones and rehashing (5,000 clustered fingerprints, half removed)', () => {
    const next = mulberry32(9);
    const index = new SimHashIndex({ maxDistance: 3 });
    const model = new Map<DocId, bigint>();
    const bases = Array.from({ length: 50 }, () => (BigInt(next()) << 32n) | BigInt(next()));
    for (let i = 0; i < 5000; i++) {
      const fp = flipBits(bases[i % 50]!, next() % 7, next);
      index.insert(i, fp);
      model.set(i, fp);
    }
    for (let i = 0; i < 5000; i += 2) {
      index.remove(i);
      model.delete(i);
    }
    for (let i = 5000; i < 5500; i++) {
      const fp = flipBits(bases[i % 50]!, next() % 7, next);
      index.insert(i, fp);
      model.set(i, fp);
    }
    for (let q = 0; q < 100; q++) {
      const fp = flipBits(bases[q % 50]!, next() % 5, next);
      expect(index.query(fp)).toEqual(bruteQuery(model, fp, 3));
    }
  });

  it('insert(id, fp) validates the id and the fingerprint; remove/has accept anything', () => {
    const index = new SimHashIndex();
    expect(() => index.insert(NaN, 1n)).toThrow(TypeError);
    expect(() => index.insert({} as unknown as string, 1n)).toThrow(/id must be a string or a finite number/);
    expect(() => index.insert('a', 1 as unknown as bigint)).toThrow(TypeError);
    expect(() => index.insert('a', 2n ** 64n)).toThrow(RangeError);
    expect(() => index.query(-1n)).toThrow(RangeError);
    index.insert('a', 1n);
    expect(() => index.insert('a', 2n)).toThrow(new RangeError('SimHashIndex.insert: id must be an id not already in the index (remove it first to replace it), got "a"'));
    expect(index.remove({} as unknown as string)).toBe(false);
    expect(index.has(undefined as unknown as string)).toBe(false);
    expect(index.remove('a')).toBe(true);
    index.insert('a', 2n);
    expect(index.get('a')).toBe(2n);
  });

  it('toBytes() / fromBytes(bytes) round-trips options, ids, order and answers', () => {
    const next = mulberry32(13);
    const index = new SimHashIndex({ maxDistance: 4, blocks: 6 });
    const fps: bigint[] = [];
    for (let i = 0; i < 300; i++) {
      const fp = (BigInt(next()) << 32n) | BigInt(next());
      fps.push(fp);
      index.insert(i % 3 === 0 ? `doc-${i}-é` : i * 1.5, fp);
    }
    for (let i = 0; i < 300; i += 7) index.remove(i % 3 === 0 ? `doc-${i}-é` : i * 1.5);
    const copy = SimHashIndex.fromBytes(index.toBytes());
    expect([copy.maxDistance, copy.blocks, copy.tables, copy.size]).toEqual([4, 6, 15, index.size]);
    for (const fp of fps) {
      const q = flipBits(fp, next() % 6, next);
      expect(copy.query(q)).toEqual(index.query(q));
    }
    expect(copy.toBytes()).toEqual(index.toBytes());
  });

  it('fromBytes refuses every truncation, every flipped byte and other kinds', () => {
    const index = new SimHashIndex({ maxDistance: 2 });
    index.insert('x', 12345678901234567890n);
    index.insert(7, 1n);
    const bytes = index.toBytes();
    for (let len = 0; len < bytes.length; len++) expect(() => SimHashIndex.fromBytes(bytes.slice(0, len))).toThrow(RangeError);
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] = bad[i]! ^ 0x10;
      expect(() => SimHashIndex.fromBytes(bad)).toThrow(RangeError);
    }
    const sig = signatureToBytes(new MinHasher({ numPerm: 4 }).signature(new Uint32Array([1])));
    expect(() => SimHashIndex.fromBytes(sig)).toThrow(/holds a MinHashSignature, expected a SimHashIndex/);
    expect(() => SimHashIndex.fromBytes('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('SimHashIndex.remove in long buckets', () => {
  it('removing 20,000 identical fingerprints oldest-first unlinks each in O(tables) and leaves the rest intact', () => {
    const index = new SimHashIndex({ maxDistance: 3 });
    for (let i = 0; i < 20000; i++) index.insert(i, 0x1234_5678_9abc_def0n);
    for (let i = 0; i < 19990; i++) expect(index.remove(i)).toBe(true);
    expect(index.query(0x1234_5678_9abc_def0n).sort((a, b) => Number(a) - Number(b))).toEqual([19990, 19991, 19992, 19993, 19994, 19995, 19996, 19997, 19998, 19999]);
    for (let i = 19999; i >= 19990; i--) index.remove(i);
    expect(index.size).toBe(0);
    expect(index.query(0x1234_5678_9abc_def0n)).toEqual([]);
  });
});
