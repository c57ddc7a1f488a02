import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LshIndex, NearDuplicateDetector, type DocId } from '../src/index';
import { SlotLsh } from '../src/lsh/slot-lsh';
import { EMPTY_SLOT, type MinHashSignature } from '../src/minhash/types';
import { editWords } from '../bench/corpus';
import { seedArticle } from '../bench/data';
import { rng } from '../bench/harness';

const NUM_PERM = 4;
const OPTIONS = { numPerm: NUM_PERM, bands: 2, rows: 2, seed: 1, scheme: 'fast' as const };
const sig = (values: Uint32Array): MinHashSignature => ({ values, numPerm: NUM_PERM, seed: 1, scheme: 'fast' });

/** The buckets of bytes in `LshIndex.toBytes`'s layout: the ids, and per band its buckets in written order. */
function decode(bytes: Uint8Array): { ids: DocId[]; bands: [number, DocId[]][][] } {
  const { index, rd } = LshIndex.readParams(bytes, 'decode');
  const ids: DocId[] = [];
  for (let d = rd.u32(); d > 0; d--) ids.push(rd.id());
  const bands: [number, DocId[]][][] = [];
  for (let b = 0; b < index.bands; b++) {
    const buckets: [number, DocId[]][] = [];
    for (let k = rd.u32(); k > 0; k--) {
      const key = rd.u32();
      const members: DocId[] = [];
      for (let n = rd.u32(); n > 0; n--) members.push(ids[rd.u32()]!);
      buckets.push([key, members]);
    }
    bands.push(buckets);
  }
  rd.end();
  return { ids, bands };
}

/** Band keys of `values`, or null for the empty set's signature. */
function keysOf(lsh: SlotLsh, values: Uint32Array): Int32Array | null {
  const keys = new Int32Array(lsh.bands);
  return lsh.bandKeysInto(values, keys) ? keys : null;
}

/** `bandHits` as one array per band. */
function hitsOf(lsh: SlotLsh, keys: Int32Array, maxPerBand: number): { perBand: number[][]; truncated: boolean } {
  const out: number[] = [];
  const ends = new Int32Array(lsh.bands);
  const truncated = lsh.bandHits(keys, maxPerBand, out, ends);
  return { perBand: [...ends].map((end, b) => out.slice(b === 0 ? 0 : ends[b - 1], end)), truncated };
}

type Op =
  | { kind: 'insert'; values: number[]; empty: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'query'; values: number[]; maxPerBand: number };

// Values 0…9 per row: 100 band values per band, so buckets are shared, tables grow and rebuild, and removals
// empty buckets (tombstones) that later inserts reuse.
const value = fc.integer({ min: 0, max: 9 });
const values = fc.array(value, { minLength: NUM_PERM, maxLength: NUM_PERM });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), values, empty: fc.integer({ min: 0, max: 19 }).map((x) => x === 0) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), values, maxPerBand: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(1000)) }) },
);

describe('SlotLsh (the detector\'s LSH buckets by slot)', () => {
  it('bandHits equals a naive Map-of-arrays oracle (newest first, truncated at maxPerBand, removed slots skipped) and LshIndex.query (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400, size: 'max' }), (ops) => {
        const lsh = new SlotLsh(new LshIndex(OPTIONS));
        const reference = new LshIndex(OPTIONS);
        const oracle = Array.from({ length: lsh.bands }, () => new Map<number, number[]>());
        const keysOfSlot: (Int32Array | null)[] = [];
        let removed = false;
        for (const o of ops) {
          if (o.kind === 'insert') {
            const v = o.empty ? new Uint32Array(NUM_PERM).fill(EMPTY_SLOT) : Uint32Array.from(o.values);
            const slot = keysOfSlot.length;
            const keys = keysOf(lsh, v);
            keysOfSlot.push(keys);
            lsh.insert(slot, keys);
            reference.insert(slot, sig(v));
            if (keys) keys.forEach((k, b) => oracle[b]!.set(k, [slot, ...(oracle[b]!.get(k) ?? [])]));
          } else if (o.kind === 'remove') {
            const slot = o.pick % (keysOfSlot.length + 1); // sometimes never stored, or removed already
            const was = reference.has(slot);
            expect(lsh.remove(slot)).toBe(was);
            expect(reference.remove(slot)).toBe(was);
            const keys = keysOfSlot[slot];
            if (was && keys) keys.forEach((k, b) => oracle[b]!.set(k, oracle[b]!.get(k)!.filter((s) => s !== slot)));
            removed ||= was;
          } else {
            const v = Uint32Array.from(o.values);
            const keys = keysOf(lsh, v)!;
            const { perBand, truncated } = hitsOf(lsh, keys, o.maxPerBand);
            const expected = [...keys].map((k, b) => oracle[b]!.get(k) ?? []);
            expect(perBand).toEqual(expected.map((list) => list.slice(0, o.maxPerBand)));
            expect(truncated).toBe(expected.some((list) => list.length > o.maxPerBand));
            if (o.maxPerBand === 1000) expect([...new Set(perBand.flat())]).toEqual(reference.query(sig(v)));
          }
          expect(lsh.size).toBe(reference.size);
        }
        // The tables place, grow, rebuild and drop emptied buckets as LshIndex's IntTables do: the same buckets in
        // the same order; without removals, the very same bytes (with them, LshIndex numbers ids by its reused slots).
        const mine = lsh.toBytes();
        const theirs = reference.toBytes();
        expect(decode(mine).bands).toEqual(decode(theirs).bands);
        expect(decode(mine).ids).toEqual([...decode(theirs).ids].sort((a, b) => Number(a) - Number(b)));
        if (!removed) expect(mine).toEqual(theirs);
        // Both byte streams read back (LshIndex's with its own slot order) into an index with the same buckets.
        for (const bytes of [mine, theirs]) {
          const copy = SlotLsh.fromBytes(bytes, keysOfSlot.length);
          expect(copy.size).toBe(reference.size);
          for (let slot = 0; slot < keysOfSlot.length; slot++) expect(copy.has(slot)).toBe(reference.has(slot));
          expect(decode(copy.toBytes()).bands).toEqual(decode(LshIndex.fromBytes(bytes).toBytes()).bands);
          for (const keys of keysOfSlot) if (keys) expect(hitsOf(copy, keys, 3)).toEqual(hitsOf(lsh, keys, 3));
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('removing the 50,000 members of one bucket, with a query after each removal, passes each removed node O(1) times (operation count)', () => {
    const n = 50_000;
    const maxPerBand = 10;
    const keys = Int32Array.of(7, -7);
    for (const order of ['newest first', 'oldest first', 'shuffled'] as const) {
      const lsh = new SlotLsh(new LshIndex(OPTIONS));
      for (let slot = 0; slot < n; slot++) lsh.insert(slot, keys);
      const slots = Array.from({ length: n }, (_, i) => (order === 'newest first' ? n - 1 - i : i));
      if (order === 'shuffled') {
        let s = 12345;
        for (let i = n - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [slots[i], slots[j]] = [slots[j]!, slots[i]!];
        }
      }
      const before = lsh.steps;
      const out: number[] = [];
      const ends = new Int32Array(2);
      let left = n;
      for (const slot of slots) {
        lsh.remove(slot);
        left--;
        lsh.bandHits(keys, maxPerBand, out, ends);
        expect(ends[1]).toBe(2 * Math.min(left, maxPerBand));
      }
      // Each removed node is unlinked when first passed (at most n per band); each query passes at most
      // maxPerBand + 1 live nodes and one tombstone per band besides.
      expect(lsh.steps - before).toBeLessThanOrEqual(2 * n + n * 2 * (maxPerBand + 2));
      expect(lsh.size).toBe(0);
    }
  });

  it('bandHits(keys, maxPerBand, out, ends) writes from out[0] over a reused array and leaves the rest; an empty index ends every band at 0', () => {
    const lsh = new SlotLsh(new LshIndex(OPTIONS));
    for (let slot = 0; slot < 30; slot++) lsh.insert(slot, Int32Array.of(slot % 3, 5));
    const out: number[] = Array.from({ length: 100 }, () => -1);
    const ends = new Int32Array(2);
    expect(lsh.bandHits(Int32Array.of(1, 5), 4, out, ends)).toBe(true);
    expect([...ends]).toEqual([4, 8]);
    expect(out.slice(0, 8)).toEqual([28, 25, 22, 19, 29, 28, 27, 26]);
    expect(out.slice(8)).toEqual(Array.from({ length: 92 }, () => -1));
    expect(lsh.bandHits(Int32Array.of(1, 6), 10, out, ends)).toBe(false);
    expect([...ends]).toEqual([10, 10]);
    const empty = new SlotLsh(new LshIndex(OPTIONS));
    ends.fill(9);
    expect(empty.bandHits(Int32Array.of(1, 5), 5, out, ends)).toBe(false);
    expect([...ends]).toEqual([0, 0]);
  });

  it('insert(slot, keys) refuses a slot stored before, even once removed (its nodes may still sit in buckets)', () => {
    const lsh = new SlotLsh(new LshIndex(OPTIONS));
    lsh.insert(3, Int32Array.of(1, 2));
    lsh.remove(3);
    expect(() => lsh.insert(3, Int32Array.of(1, 2))).toThrow(new RangeError('SlotLsh.insert: slot must be a slot never stored before, got 3'));
    expect([lsh.has(0), lsh.has(3), lsh.size]).toEqual([false, false, 0]);
  });

  it('fromBytes(bytes, slots) refuses ids that are not slots below slots, with LshIndex.fromBytes\'s messages', () => {
    const index = new LshIndex(OPTIONS);
    index.insert('a', sig(Uint32Array.of(1, 2, 3, 4)));
    expect(() => SlotLsh.fromBytes(index.toBytes(), 10)).toThrow(new RangeError('LshIndex.fromBytes: invalid index: document 0 has id "a", not a slot below 10'));
    const numeric = new LshIndex(OPTIONS);
    numeric.insert(4, sig(Uint32Array.of(1, 2, 3, 4)));
    expect(() => SlotLsh.fromBytes(numeric.toBytes(), 4)).toThrow(/document 0 has id 4, not a slot below 4/);
    expect(SlotLsh.fromBytes(numeric.toBytes(), 5).has(4)).toBe(true);
    const bytes = numeric.toBytes();
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 1;
    expect(() => SlotLsh.fromBytes(bytes, 5)).toThrow(/LshIndex\.fromBytes: .*checksum/);
  });
});

describe('NearDuplicateDetector.remove(id) (lazy LSH removal)', () => {
  it('check(text) then answers as a detector that stored only the kept survivors, in order, whether maxCandidates truncates or not; so does its toBytes copy', () => {
    // A family of variants of one article (3% word edits: most pairs below 0.8, so most are kept and share buckets).
    const words = seedArticle().split(/\s+/).filter(Boolean).slice(0, 150);
    for (const [seed, maxCandidates] of [[1, 13], [2, 39], [3, 5000]] as const) {
      const rand = rng(seed);
      const variant = (): string => editWords(words, 0.03, words, rand).join(' ');
      const texts = Array.from({ length: 300 }, variant);
      const a = new NearDuplicateDetector({ maxCandidates });
      const kept: number[] = [];
      texts.forEach((text, id) => {
        if (a.add(id, text).duplicateOf === undefined) kept.push(id);
      });
      const removed = new Set(kept.filter(() => rand() < 0.5));
      for (const id of removed) expect(a.remove(id)).toBe(true);
      const b = new NearDuplicateDetector({ maxCandidates });
      for (const id of kept) if (!removed.has(id)) b.store(id, b.prepare(texts[id]!));
      const copy = NearDuplicateDetector.fromBytes(a.toBytes());
      const truncatedBefore = [a.truncatedQueries, b.truncatedQueries, copy.truncatedQueries];
      let duplicates = 0;
      const added = new Set(texts);
      for (let i = 0; i < 150; i++) {
        let query = variant();
        // Not a text `a` saw: `a` remembers the answers its duplicates got (echoes), which `b` never saw.
        while (added.has(query)) query = variant();
        const expected = b.check(query);
        expect(a.check(query)).toEqual(expected);
        expect(copy.check(query)).toEqual(expected);
        if (expected.duplicateOf !== undefined) duplicates++;
      }
      const truncated = [a.truncatedQueries, b.truncatedQueries, copy.truncatedQueries].map((t, i) => t - truncatedBefore[i]!);
      expect(new Set(truncated).size).toBe(1);
      expect([kept.length > 150, removed.size > 50, duplicates > 0]).toEqual([true, true, true]);
      if (maxCandidates === 13) expect(truncated[0]).toBeGreaterThan(100); // most queries read only part of their buckets
      if (maxCandidates === 5000) expect(truncated[0]).toBe(0);
    }
  });
});
