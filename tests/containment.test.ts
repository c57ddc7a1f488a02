import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContainmentIndex, containment, shingles, type ContainmentMatch, type DocId } from '../src/index';
import { minShared } from '../src/containment/containment-index';
import { fmix32 } from '../src/hash/murmur3';

const runs = (numRuns: number) => ({ seed: 151515, numRuns });

/** Sorted distinct Uint32Array from any numbers. */
const toSet = (values: Iterable<number>): Uint32Array => Uint32Array.from(new Set(values)).sort();

/** Small universes make large overlaps likely; big values exercise the whole uint32 range. */
const setArb = (maxLength: number) =>
  fc.oneof(
    fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength }),
    fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength }),
  ).map(toSet);

/** Brute force: every stored set, exact containment, sorted like the index sorts. */
function oracle(stored: Uint32Array[], query: Uint32Array, t: number, containing: boolean): ContainmentMatch[] {
  const out: ContainmentMatch[] = [];
  stored.forEach((x, id) => {
    if (query.length === 0 || x.length === 0) return;
    const c = containing ? containment(query, x) : containment(x, query);
    if (c >= t) out.push({ id, containment: c });
  });
  return out.sort((a, b) => b.containment - a.containment);
}

const threshold = fc.oneof(fc.constantFrom(0.5, 0.7, 0.8, 0.9, 1, 0.3), fc.double({ min: 0.01, max: 1, noNaN: true }));

describe('ContainmentIndex', () => {
  it('containing(q) and containedIn(q) equal brute-force containment on random sets (sampleRate 1)', () => {
    fc.assert(
      fc.property(fc.array(setArb(40), { maxLength: 25 }), setArb(40), threshold, fc.integer({ min: 0, max: 0xffffffff }), (stored, query, t, seed) => {
        const index = new ContainmentIndex({ threshold: t, seed });
        stored.forEach((s, id) => index.insert(id, s));
        expect(index.containing(query)).toEqual(oracle(stored, query, t, true));
        expect(index.containedIn(query)).toEqual(oracle(stored, query, t, false));
        // Queries drawn from the stored sets themselves (subsets and supersets are the interesting cases).
        for (const s of stored.slice(0, 3)) {
          const sub = s.filter((_, i) => i % 3 !== 0);
          expect(index.containing(sub)).toEqual(oracle(stored, sub, t, true));
          expect(index.containedIn(s)).toEqual(oracle(stored, s, t, false));
        }
      }),
      runs(300),
    );
  });

  it('sets of very different sizes: a 10-shingle quote inside 1000-shingle texts is found both ways', () => {
    const index = new ContainmentIndex({ threshold: 0.8 });
    const long: Uint32Array[] = [];
    for (let d = 0; d < 50; d++) {
      long.push(toSet(Array.from({ length: 1000 }, (_, i) => fmix32(d * 100003 + i))));
      index.insert(d, long[d]!);
    }
    const quote = toSet([...long[17]!.subarray(100, 108), 7, 8]); // 8 of 10 shingles from document 17
    expect(index.containing(quote)).toEqual([{ id: 17, containment: 0.8 }]);
    const refs = new ContainmentIndex({ threshold: 0.8 });
    refs.insert('quote', quote);
    expect(refs.containedIn(long[17]!)).toEqual([{ id: 'quote', containment: 0.8 }]);
    expect(refs.containedIn(long[16]!)).toEqual([]);
  });

  it('sampleRate f < 1 returns exactly the matches whose smallest shared mixed key is sampled (a subset of the exact answer)', () => {
    fc.assert(
      fc.property(fc.array(setArb(40), { maxLength: 20 }), setArb(40), threshold, fc.integer({ min: 0, max: 0xffffffff }), fc.double({ min: 0.05, max: 1, noNaN: true }),
        (stored, query, t, seed, f) => {
          const index = new ContainmentIndex({ threshold: t, seed, sampleRate: f });
          stored.forEach((s, id) => index.insert(id, s));
          const salt = fmix32((seed ^ 0x9e3779b9) >>> 0);
          const sampledShared = (x: Uint32Array) => [...x].some((v) => query.includes(v) && fmix32((v ^ salt) >>> 0) < f * 2 ** 32);
          for (const containing of [true, false]) {
            const expected = oracle(stored, query, t, containing).filter((m) => sampledShared(stored[m.id as number]!));
            expect(containing ? index.containing(query) : index.containedIn(query)).toEqual(expected);
          }
        }),
      runs(200),
    );
  });

  it('collisionProbability(k) = 1 − (1 − f)^k matches the observed recall within 4 standard errors', () => {
    const f = 0.25;
    const k = 4;
    const trials = 2000;
    let found = 0;
    for (let trial = 0; trial < trials; trial++) {
      const index = new ContainmentIndex({ threshold: 0.5, sampleRate: f, seed: trial });
      const shared = Array.from({ length: k }, (_, i) => fmix32(trial * 16 + i));
      index.insert('x', toSet([...shared, ...Array.from({ length: 20 }, (_, i) => fmix32(1e8 + trial * 32 + i))]));
      if (index.containing(toSet([...shared, fmix32(2e8 + trial)])).length === 1) found++;
    }
    const p = index0().collisionProbability(k);
    function index0() { return new ContainmentIndex({ sampleRate: f }); }
    expect(p).toBeCloseTo(1 - 0.75 ** 4, 12);
    expect(Math.abs(found / trials - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / trials));
  });

  it('minShared(n, t) is the least k with k / n >= t in floating point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), threshold, (n, t) => {
        const k = minShared(n, t);
        expect(k / n >= t).toBe(true);
        if (k > 0) expect((k - 1) / n >= t).toBe(false);
      }),
      runs(500),
    );
    expect(minShared(10, 0.7)).toBe(7); // 0.7 * 10 = 7.000000000000001
  });

  it('empty sets: an empty stored set is never returned, an empty query returns nothing', () => {
    const index = new ContainmentIndex({ threshold: 0.1 });
    index.insert('empty', new Uint32Array(0));
    index.insert('x', Uint32Array.of(1));
    expect(index.containing(new Uint32Array(0))).toEqual([]);
    expect(index.containedIn(new Uint32Array(0))).toEqual([]);
    expect(index.containedIn(Uint32Array.of(1, 2))).toEqual([{ id: 'x', containment: 1 }]);
    expect(index.has('empty')).toBe(true);
  });

  it('remove(id) drops a set from every answer, also after the lists are compacted', () => {
    const index = new ContainmentIndex({ threshold: 0.5 });
    const sets = Array.from({ length: 300 }, (_, d) => toSet(Array.from({ length: 20 }, (_, i) => (d % 7) * 1000 + i + (d % 3))));
    sets.forEach((s, d) => index.insert(d, s));
    for (let d = 0; d < 300; d += 2) expect(index.remove(d)).toBe(true);
    expect(index.size).toBe(150);
    const kept = sets.map((s, d) => (d % 2 === 1 ? s : new Uint32Array(0)));
    for (const q of sets.slice(0, 14)) {
      expect(index.containing(q)).toEqual(oracle(kept, q, 0.5, true));
      expect(index.containedIn(q)).toEqual(oracle(kept, q, 0.5, false));
    }
    index.insert(0, sets[0]!); // an id can come back
    expect(index.containing(sets[0]!).map((m) => m.id)).toContain(0);
  });

  it('insert copies the caller’s set', () => {
    const index = new ContainmentIndex();
    const set = Uint32Array.of(1, 2, 3);
    index.insert('a', set);
    set.fill(9);
    expect(index.containing(Uint32Array.of(1, 2, 3))).toEqual([{ id: 'a', containment: 1 }]);
  });

  it('works on real shingles: a paragraph quoted in a longer article', () => {
    const article = 'Officials said on Tuesday that the bridge would reopen next month after repairs to its deck. ' +
      'The work, which began in March, cost more than expected because of corrosion found in the steel beams. ' +
      'Commuters have used a ferry service in the meantime, and local businesses reported fewer customers.';
    const post = 'I read this: the work, which began in March, cost more than expected because of corrosion found in the steel beams. Crazy.';
    const index = new ContainmentIndex({ threshold: 0.6 });
    index.insert('article', shingles(article));
    const [match] = index.containing(shingles(post));
    expect(match!.id).toBe('article');
    expect(match!.containment).toBeCloseTo(containment(shingles(post), shingles(article)), 15);
  });

  it('toBytes/fromBytes round-trips options, ids and answers', () => {
    fc.assert(
      fc.property(fc.array(setArb(30), { maxLength: 12 }), setArb(30), threshold, fc.double({ min: 0.05, max: 1, noNaN: true }), (stored, query, t, f) => {
        const index = new ContainmentIndex({ threshold: t, sampleRate: f, seed: 5 });
        stored.forEach((s, id) => index.insert(id % 2 ? id : `s${id}`, s));
        index.remove('s0');
        const copy = ContainmentIndex.fromBytes(index.toBytes());
        expect([copy.threshold, copy.sampleRate, copy.seed, copy.size]).toEqual([t, f, 5, index.size]);
        expect(copy.containing(query)).toEqual(index.containing(query));
        expect(copy.containedIn(query)).toEqual(index.containedIn(query));
        expect(copy.toBytes()).toEqual(index.toBytes());
      }),
      runs(100),
    );
  });

  describe('fromBytes refuses invalid content as strictly as the constructor', () => {
    /** Re-seals a payload edited in place (so the checksum is right and the content check must catch it). */
    const reseal = async (bytes: Uint8Array, edit: (view: DataView) => void): Promise<Uint8Array> => {
      const { xxh32 } = await import('../src/hash/xxh32');
      const copy = bytes.slice();
      const view = new DataView(copy.buffer);
      edit(view);
      view.setUint32(copy.length - 4, xxh32(copy.subarray(0, copy.length - 4)), true);
      return copy;
    };
    const base = () => {
      const index = new ContainmentIndex({ threshold: 0.5 });
      index.insert(1, Uint32Array.of(1, 2, 3));
      index.insert(2, Uint32Array.of(4, 5));
      return index.toBytes();
    };
    // Payload at 12: threshold f64, sampleRate f64, seed u32, count u32, then id (tag u8, f64), set (u32 n, values).
    it('a threshold out of range', async () => {
      const bad = await reseal(base(), (v) => v.setFloat64(12, 0, true));
      expect(() => ContainmentIndex.fromBytes(bad)).toThrow(/ContainmentIndex.fromBytes: invalid index: .*options.threshold must be a number greater than 0 and at most 1, got 0/);
    });
    it('a sampleRate out of range', async () => {
      const bad = await reseal(base(), (v) => v.setFloat64(20, 1.5, true));
      expect(() => ContainmentIndex.fromBytes(bad)).toThrow(/sampleRate must be a number greater than 0 and at most 1, got 1.5/);
    });
    it('a repeated id', async () => {
      const bad = await reseal(base(), (v) => v.setFloat64(12 + 24 + 1 + 8 + 4 + 12 + 1, 1, true));
      expect(() => ContainmentIndex.fromBytes(bad)).toThrow('ContainmentIndex.fromBytes: invalid index: id 1 appears twice');
    });
    it('a set not strictly ascending', async () => {
      const bad = await reseal(base(), (v) => v.setUint32(12 + 24 + 9 + 4 + 4, 1, true));
      expect(() => ContainmentIndex.fromBytes(bad)).toThrow('ContainmentIndex.fromBytes: invalid index: the set of document 0 is not strictly ascending at position 1');
    });
    it('an absurd count, truncation, corruption and another kind', () => {
      const bytes = base();
      expect(() => ContainmentIndex.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
      const flipped = bytes.slice();
      flipped[20] = flipped[20]! ^ 1;
      expect(() => ContainmentIndex.fromBytes(flipped)).toThrow(/checksum mismatch/);
      expect(() => ContainmentIndex.fromBytes(new Uint8Array(3) as never)).toThrow(RangeError);
    });
    it('an absurd document count', async () => {
      const bad = await reseal(base(), (v) => v.setUint32(12 + 20, 0xffffffff, true));
      expect(() => ContainmentIndex.fromBytes(bad)).toThrow(/4294967295 documents cannot fit/);
    });
  });

  it('validates options and arguments with the one message format', () => {
    expect(() => new ContainmentIndex({ treshold: 0.5 } as never)).toThrow(new TypeError('ContainmentIndex: unknown option "treshold" (did you mean "threshold"?)'));
    expect(() => new ContainmentIndex({ threshold: 0 })).toThrow(new RangeError('ContainmentIndex: options.threshold must be a number greater than 0 and at most 1, got 0'));
    expect(() => new ContainmentIndex({ sampleRate: '1' as never })).toThrow(TypeError);
    expect(() => new ContainmentIndex({ seed: -1 })).toThrow(new RangeError('ContainmentIndex: options.seed must be an integer from 0 to 4294967295, got -1'));
    const index = new ContainmentIndex();
    expect(() => index.insert(NaN, Uint32Array.of(1))).toThrow(new TypeError('ContainmentIndex.insert: id must be a string or a finite number, got NaN'));
    expect(() => index.insert('a', [1, 2] as never)).toThrow(TypeError);
    expect(() => index.insert('a', Uint32Array.of(2, 1))).toThrow(new RangeError('ContainmentIndex.insert: shingles[1] must be greater than the value before it, 2 (sorted ascending, distinct), got 1'));
    index.insert('a', Uint32Array.of(1));
    expect(() => index.insert('a', Uint32Array.of(1))).toThrow(new RangeError('ContainmentIndex.insert: id must be an id not already in the index, got "a"'));
    expect(() => index.containing(Uint32Array.of(3, 3))).toThrow(RangeError);
    expect(() => index.containedIn(null as never)).toThrow(TypeError);
    expect(() => index.collisionProbability(-1)).toThrow(RangeError);
    expect(() => index.collisionProbability(1.5)).toThrow(RangeError);
  });

  it('ids 0 and -0 are one id', () => {
    const index = new ContainmentIndex();
    index.insert(-0, Uint32Array.of(1));
    expect(() => index.insert(0, Uint32Array.of(1))).toThrow(RangeError);
    expect(Object.is((index.containing(Uint32Array.of(1))[0]!.id as DocId), 0)).toBe(true);
  });
});
