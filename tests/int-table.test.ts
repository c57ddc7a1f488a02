import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY, IntTable } from '../src/internal/int-table';

const SEED = { seed: 20261207, numRuns: 200 };

type Op =
  | { kind: 'set'; lo: number; hi: number; value: number }
  | { kind: 'delete'; lo: number; hi: number }
  | { kind: 'claim'; lo: number; hi: number }
  | { kind: 'add'; lo: number; hi: number };

/** Keys from a small pool (so keys repeat, collide and come back after deletion) or anywhere in 32 bits. */
const word = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.constantFrom(0, 16, 32, 48, -16));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), lo: word, hi: word, value: fc.integer({ min: 0, max: 0x7fffffff }) }),
  fc.record({ kind: fc.constant('set' as const), lo: word, hi: word, value: fc.integer({ min: 0, max: 0x7fffffff }) }),
  fc.record({ kind: fc.constant('delete' as const), lo: word, hi: word }),
  fc.record({ kind: fc.constant('claim' as const), lo: word, hi: word }),
  fc.record({ kind: fc.constant('add' as const), lo: word, hi: word }),
);

for (const width of [1, 2] as const) {
  const keyOf = (lo: number, hi: number) => (width === 1 ? `${lo | 0}` : `${lo | 0}:${hi | 0}`);

  describe(`IntTable(width ${width}) against a Map oracle`, () => {
    it('get, set, delete, claim, add, size and positions agree with a Map after every operation (fast-check)', () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
          const oracle = new Map<string, number>();
          const claimed = new Set<string>();
          // Where each stored value sits, as the table reports it through claim() and onMove.
          const positionOf = new Map<number, number>();
          const table = new IntTable(width, 0, (value, position) => positionOf.set(value, position));
          const seen: [number, number][] = [];
          let nextValue = 0;
          for (const o of ops) {
            seen.push([o.lo, o.hi]);
            const key = keyOf(o.lo, o.hi);
            if (o.kind === 'set') {
              // Values are unique so that onMove identifies them: a counter, not o.value.
              const value = nextValue++;
              const j = table.claim(o.lo, o.hi);
              const before = table.valueAt(j);
              if (before >= 0) positionOf.delete(before);
              table.setValueAt(j, value);
              positionOf.set(value, j);
              oracle.set(key, value);
              claimed.add(key);
            } else if (o.kind === 'delete') {
              const had = oracle.has(key);
              const v = table.get(o.lo, o.hi);
              expect(table.delete(o.lo, o.hi)).toBe(had);
              if (had) positionOf.delete(v);
              oracle.delete(key);
            } else if (o.kind === 'add') {
              const value = nextValue++;
              const j = table.add(o.lo, o.hi, value);
              // Refused when the key has a value; accepted when the table never held it; a tombstoned key may
              // have been dropped by a rebuild, so either answer is right for it.
              if (oracle.has(key)) expect(j).toBe(-1);
              else if (!claimed.has(key)) expect(j).toBeGreaterThanOrEqual(0);
              if (j >= 0) {
                expect(table.valueAt(j)).toBe(value);
                positionOf.set(value, j);
                oracle.set(key, value);
                claimed.add(key);
              }
            } else {
              const j = table.claim(o.lo, o.hi);
              claimed.add(key);
              expect(table.keyAt(j)).toBe(o.lo | 0);
              if (width === 2) expect(table.key1At(j)).toBe(o.hi | 0);
              expect(table.valueAt(j)).toBe(oracle.get(key) ?? EMPTY);
            }
            expect(table.size).toBe(oracle.size);
          }
          for (const [lo, hi] of seen) {
            const key = keyOf(lo, hi);
            expect(table.get(lo, hi)).toBe(oracle.get(key) ?? -1);
            const j = table.find(lo, hi);
            if (oracle.has(key)) {
              expect(j).toBe(positionOf.get(oracle.get(key)!));
              expect([table.keyAt(j), table.valueAt(j)]).toEqual([lo | 0, oracle.get(key)]);
            }
            if (j >= 0) expect(claimed.has(key)).toBe(true);
          }
          // Every stored value is where the table said it moved it.
          for (const [value, position] of positionOf) expect(table.valueAt(position)).toBe(value);
        }),
        SEED,
      );
    });

    it('stays at most 3/4 full and shrinks back after removals (operation counts, not time)', () => {
      const table = new IntTable(width);
      for (let i = 0; i < 10_000; i++) table.set(Math.imul(i, 0x9e3779b1), i, i);
      expect(table.size).toBe(10_000);
      expect(table.capacity).toBeLessThanOrEqual(4 * 10_000);
      expect(table.capacity * 3).toBeGreaterThanOrEqual(4 * 10_000);
      for (let i = 0; i < 10_000; i++) expect(table.delete(Math.imul(i, 0x9e3779b1), i)).toBe(true);
      // Churn through fresh keys: tombstones are dropped by the rebuilds, so the table does not keep growing.
      for (let i = 10_000; i < 30_000; i++) {
        table.set(Math.imul(i, 0x9e3779b1), i, i);
        table.delete(Math.imul(i, 0x9e3779b1), i);
      }
      expect(table.size).toBe(0);
      expect(table.capacity).toBeLessThanOrEqual(16_384);
    });
  });
}

describe('IntTable(2) keeps 64-bit keys apart', () => {
  it('keys that share a low word (or a high word) are distinct', () => {
    const table = new IntTable(2);
    for (let hi = 0; hi < 100; hi++) table.set(7, hi, hi);
    for (let lo = 0; lo < 100; lo++) table.set(lo, 7, 1000 + lo);
    for (let hi = 0; hi < 100; hi++) expect(table.get(7, hi)).toBe(hi === 7 ? 1007 : hi);
    expect(table.size).toBe(199);
  });
});

describe('IntTable(1).addAll(keys, values, count, positions): the bulk load', () => {
  it('holds what add() one key at a time holds, at the positions it reports, and stops at the first repeat (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 300 }), fc.array(word, { maxLength: 40 }), fc.boolean(), (bulk, before, alias) => {
        // A table that already holds some keys (and may need to grow), against add() per key on a twin.
        const table = new IntTable(1);
        const twin = new IntTable(1);
        before.forEach((k, i) => {
          table.add(k, 0, 1_000_000 + i);
          twin.add(k, 0, 1_000_000 + i);
        });
        const keys = Int32Array.from(bulk);
        const values = Int32Array.from(bulk, (_, i) => i);
        const positions = alias ? keys : new Int32Array(bulk.length); // readBand lets the positions overwrite the keys
        let expected = -1;
        for (let i = 0; i < bulk.length && expected < 0; i++) if (twin.add(bulk[i]!, 0, i) < 0) expected = i;
        const repeat = table.addAll(keys, values, bulk.length, positions);
        expect(repeat).toBe(expected);
        const added = expected < 0 ? bulk.length : expected;
        if (expected >= 0) expect(keys[expected]).toBe(bulk[expected]! | 0); // still readable for the message
        expect(table.size).toBe(twin.size);
        for (const k of [...before, ...bulk]) expect(table.get(k)).toBe(twin.get(k));
        for (let i = 0; i < added; i++) {
          expect(table.valueAt(positions[i]!)).toBe(i);
          expect(table.keyAt(positions[i]!)).toBe(bulk[i]! | 0);
        }
      }),
      SEED,
    );
  });

  it('sizes the table once: a bulk load of 10,000 keys into an empty table is at most half full', () => {
    const table = new IntTable(1);
    const keys = Int32Array.from({ length: 10_000 }, (_, i) => Math.imul(i, 0x9e3779b1));
    expect(table.addAll(keys, Int32Array.from(keys, (_, i) => i), keys.length, new Int32Array(keys.length))).toBe(-1);
    expect(table.capacity).toBe(32_768);
    expect(() => new IntTable(2).addAll(keys, keys, 1, keys)).toThrow(RangeError);
  });
});
