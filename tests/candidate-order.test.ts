import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32Uint } from './helpers/random';
import { prepareDocument } from '../src/index';
import { CandidateOrder, nthSmallest } from '../src/dedup/candidate-order';
import { resolveDedupeOptions, type ResolvedDedupeOptions } from '../src/dedup/document-options';
import { KeptStore } from '../src/dedup/kept-store';
import { rankByBands, RANKED_PER_VERIFICATION, type VerdictStats } from '../src/dedup/verdict';

/** Distinct non-negative int32 values in a seeded random order, or in a pattern that defeats naive pivots. */
const distinctValues = fc
  .tuple(fc.uniqueArray(fc.integer({ min: 0, max: 0x7fffffff }), { minLength: 1, maxLength: 300 }), fc.constantFrom('random', 'ascending', 'descending', 'organ'))
  .map(([values, shape]) => {
    const sorted = [...values].sort((a, b) => a - b);
    if (shape === 'ascending') return sorted;
    if (shape === 'descending') return sorted.reverse();
    if (shape === 'organ') return [...sorted.filter((_, i) => i % 2 === 0), ...sorted.filter((_, i) => i % 2 === 1).reverse()];
    return values;
  });

describe('nthSmallest(a, n, k)', () => {
  it('nthSmallest(a, n, k) equals the k-th value of the sorted values (property)', () => {
    fc.assert(
      fc.property(distinctValues, fc.nat(), (values, at) => {
        const k = at % values.length;
        const sorted = [...values].sort((a, b) => a - b);
        const a = Int32Array.from([...values, -1, -1]); // room past n is never read
        expect(nthSmallest(a, values.length, k)).toBe(sorted[k]);
        expect([...a.subarray(0, values.length)].sort((x, y) => x - y)).toEqual(sorted);
      }),
      { seed: 21, numRuns: 400 },
    );
  });
});

describe('CandidateOrder', () => {
  /** Band-major hits: band b lists some of the slots 0 … slots − 1 (each at most once per band). */
  const bandLists = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 80 }), { maxLength: 40 }), { minLength: 1, maxLength: 16 });

  it('distinct(hits, ends) lists first-seen slots, their band counts and the first band that held each (property)', () => {
    fc.assert(
      fc.property(bandLists, (lists) => {
        const hits = lists.flat();
        const ends = Int32Array.from(lists.map((_, b) => lists.slice(0, b + 1).flat().length));
        const order = new CandidateOrder();
        const n = order.distinct([...hits, 81, 82, 0], ends); // what a reused array holds past ends[bands − 1] is not read
        const firstSeen = [...new Set(hits)];
        expect(n).toBe(firstSeen.length);
        expect([...order.slots.subarray(0, n)]).toEqual(firstSeen);
        expect([...order.collisions.subarray(0, n)]).toEqual(firstSeen.map((s) => hits.filter((h) => h === s).length));
        expect([...order.bandOf.subarray(0, n)]).toEqual(firstSeen.map((s) => lists.findIndex((l) => l.includes(s))));
        // Without ends, the same slots and counts, and no band.
        const plain = new CandidateOrder();
        expect(plain.distinct(hits)).toBe(n);
        expect([...plain.slots.subarray(0, n)]).toEqual(firstSeen);
        expect([...plain.bandOf.subarray(0, n)]).toEqual(firstSeen.map(() => -1));
      }),
      { seed: 22, numRuns: 200 },
    );
  });

  it('byRank(n, rankOf) orders slots by rank, then slot, and rank(k) reads them back (property: counted and sorted ranks)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 0x7fffffff }), { minLength: 1, maxLength: 300 }), fc.constantFrom(3, 129, 5000, 2 ** 21 - 1), fc.integer(), (slots, span, seed) => {
        const next = mulberry32Uint(seed);
        const rankOf = new Map(slots.map((s) => [s, next() % span]));
        const order = new CandidateOrder();
        const n = order.take(slots);
        const positions: number[] = [];
        order.byRank(n, (slot, k) => {
          positions.push(k);
          return rankOf.get(slot)!;
        });
        const expected = [...slots].sort((a, b) => rankOf.get(a)! - rankOf.get(b)! || a - b);
        expect(positions).toEqual(slots.map((_, k) => k));
        expect([...order.slots.subarray(0, n)]).toEqual(expected);
        expect(expected.map((_, k) => order.rank(k))).toEqual(expected.map((s) => rankOf.get(s)));
      }),
      { seed: 27, numRuns: 300 },
    );
  });

  it('mostCollisions(n, keep) keeps the same slots as byRank(n, bands − collisions) truncated to keep (property)', () => {
    fc.assert(
      fc.property(bandLists, fc.nat(), (lists, at) => {
        const hits = lists.flat();
        const bands = lists.length;
        const sorted = new CandidateOrder();
        const n = sorted.distinct(hits);
        fc.pre(n >= 2);
        const keep = 1 + (at % (n - 1));
        const collisions = sorted.collisions.slice(0, n);
        sorted.byRank(n, (_, k) => bands - collisions[k]!);
        const selected = new CandidateOrder();
        selected.distinct(hits);
        selected.mostCollisions(n, keep);
        const asc = (a: Int32Array): number[] => [...a].sort((x, y) => x - y);
        expect(asc(selected.slots.subarray(0, keep))).toEqual(asc(sorted.slots.subarray(0, keep)));
        expect(asc(selected.slots.subarray(keep, n))).toEqual(asc(sorted.slots.subarray(keep, n)));
      }),
      { seed: 23, numRuns: 300 },
    );
  });
});

describe('rankByBands(signature, n, bands, rows, o, kept, order, counts, stats)', () => {
  /** The ranking as it was before the fast paths: two typed-array sorts, a byte loop, `sharesBand` from band 0. */
  function rankByBandsBefore(
    signature: Uint32Array, n: number, bands: number, rows: number, o: ResolvedDedupeOptions, kept: KeptStore,
    order: CandidateOrder, counts: (slot: number) => boolean, stats: VerdictStats,
  ): number {
    let m = 0;
    for (let k = 0; k < n; k++) {
      const slot = order.slots[k]!;
      if (!kept.sharesBand(signature, slot, bands, rows)) continue;
      order.slots[m] = slot;
      order.collisions[m++] = order.collisions[k]!;
    }
    n = m;
    const ranked = RANKED_PER_VERIFICATION * o.maxVerifications;
    if (n > ranked) {
      const collisions = order.collisions;
      order.byRank(n, (_, k) => bands - collisions[k]!);
      for (let k = ranked; k < n; k++) {
        if (counts(order.slots[k]!)) {
          stats.candidates++;
          stats.skipped++;
        }
      }
      n = ranked;
    }
    order.byRank(n, (slot) => o.numPerm - kept.agreements(signature, slot));
    return n;
  }

  const newStats = (): VerdictStats => ({ candidates: 0, rejected: 0, estimateRejected: 0, verified: 0, skipped: 0 });

  it('ranks, keeps and counts exactly as the sort-based ranking it replaces (property: bandings, verify, bounds)', () => {
    const base = prepareDocument('a kept document whose signature the property replaces with values near the query');
    const setting = fc.constantFrom(
      { numPerm: 128, bands: 13, rows: 7, verify: true },
      { numPerm: 128, bands: 13, rows: 7, verify: false },
      { numPerm: 64, bands: 8, rows: 8, verify: true },
      { numPerm: 102, bands: 17, rows: 6, verify: true },
      { numPerm: 32, bands: 32, rows: 1, verify: true },
    );
    fc.assert(
      fc.property(setting, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 120 }), fc.integer(), fc.boolean(), (s, maxVerifications, slots, seed, withEnds) => {
        const o = resolveDedupeOptions({ numPerm: s.numPerm, bands: s.bands, rows: s.rows, verify: s.verify, maxVerifications });
        const next = mulberry32Uint(seed);
        const query = Uint32Array.from({ length: s.numPerm }, () => next());
        const kept = new KeptStore(o);
        // Each slot copies some of the query's bands, agrees on scattered values (in full or in the low byte only)
        // and is listed in the buckets of some bands (shared ones, and chance key collisions).
        const lists: number[][] = Array.from({ length: s.bands }, () => []);
        for (let slot = 0; slot < slots; slot++) {
          const signature = query.map((v) => (next() % 3 === 0 ? v : next() % 4 === 0 ? (v & 0xff) | (next() & 0xffffff00) : next()));
          for (let b = 0; b < s.bands; b++) {
            const share = next() % 3 === 0;
            if (share) for (let r = 0; r < s.rows; r++) signature[b * s.rows + r] = query[b * s.rows + r]!;
            if (share || next() % 16 === 0) lists[b]!.push(slot);
          }
          kept.put(slot, { ...base, signature });
        }
        for (const list of lists) list.sort(() => (next() & 1) - 0.5);
        const hits = lists.flat();
        const ends = Int32Array.from(lists.map((_, b) => lists.slice(0, b + 1).flat().length));
        const excluded = next() % slots;
        const counts = (slot: number): boolean => slot !== excluded;
        const before = new CandidateOrder();
        const beforeStats = newStats();
        const nBefore = rankByBandsBefore(query, before.distinct(hits), s.bands, s.rows, o, kept, before, counts, beforeStats);
        const after = new CandidateOrder();
        const afterStats = newStats();
        const nAfter = rankByBands(query, withEnds ? after.distinct(hits, ends) : after.distinct(hits), s.bands, s.rows, o, kept, after, counts, afterStats);
        expect(nAfter).toBe(nBefore);
        expect([...after.slots.subarray(0, nAfter)]).toEqual([...before.slots.subarray(0, nBefore)]);
        expect(Array.from({ length: nAfter }, (_, k) => after.rank(k))).toEqual(Array.from({ length: nBefore }, (_, k) => before.rank(k)));
        expect(afterStats).toEqual(beforeStats);
      }),
      { seed: 24, numRuns: 300 },
    );
  });
});

describe('KeptStore.queryAgreements(slot)', () => {
  it('equals agreements(signature, slot) for the signature given to setQuery, whatever numPerm (property)', () => {
    const base = prepareDocument('a kept document whose signature the property replaces with random values');
    for (const numPerm of [128, 64, 4, 102, 7]) {
      for (const verify of [true, false]) {
        const o = resolveDedupeOptions({ numPerm, verify });
        fc.assert(
          fc.property(fc.integer(), fc.integer({ min: 1, max: 20 }), (seed, slots) => {
            const next = mulberry32Uint(seed);
            const query = Uint32Array.from({ length: numPerm }, () => next());
            const kept = new KeptStore(o);
            for (let slot = 0; slot < slots; slot++) {
              const p = next() % 5; // from mostly different to mostly equal
              kept.put(slot, { ...base, signature: query.map((v) => (next() % 4 < p ? v : next() % 2 === 0 ? (v & 0xff) | (next() & 0xff00) : next())) });
            }
            kept.setQuery(query);
            for (let slot = 0; slot < slots; slot++) expect(kept.queryAgreements(slot)).toBe(kept.agreements(query, slot));
          }),
          { seed: 25, numRuns: 40 },
        );
      }
    }
  });
});
