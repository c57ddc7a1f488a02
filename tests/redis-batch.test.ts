/**
 * How `addMany` picks the documents of a round (src/service/batch.ts), without a server: one reused `IntTable`
 * must give what the Map-based code it replaced gave (kept here as the oracle).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntTable } from '../src/internal/int-table';
import { keysOf, sendable, sharedKeys } from '../src/service/batch';

/** The previous implementation: per document, the keys whose count over the batch is above 1. */
function sharedOracle(keys: number[][]): (number[] | null)[] {
  const count = new Map<number, number>();
  for (const k of keys) for (const key of k) count.set(key, (count.get(key) ?? 0) + 1);
  return keys.map((k) => {
    const shared = k.filter((key) => count.get(key)! > 1);
    return shared.length === 0 ? null : shared;
  });
}

/** The previous implementation of the round: 1 touched by a document sent, 2 blocked. */
function sendableOracle(shared: (number[] | null)[]): number[] {
  const state = new Map<number, number>();
  const round: number[] = [];
  shared.forEach((keys, i) => {
    keys ??= [];
    const blocked = keys.some((k) => state.get(k) === 2);
    const touched = keys.some((k) => state.get(k) === 1);
    if (!blocked) round.push(i);
    const mark = blocked || touched ? 2 : 1;
    for (const k of keys) if (mark === 2 || state.get(k) === undefined) state.set(k, mark);
  });
  return round;
}

// Keys from a small range (so documents share them), and any 30-bit key.
const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0x3fffffff }));
const batch = fc.array(fc.array(key, { minLength: 1, maxLength: 15 }), { maxLength: 300 });

describe('addMany rounds (batch.ts)', () => {
  it('sharedKeys and sendable give what the Map-based oracle gives, the table reused across rounds of any size', () => {
    const table = new IntTable(1);
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 4 }), (rounds) => {
        for (const keys of rounds) {
          const shared = sharedKeys(keys, table);
          expect(shared).toEqual(sharedOracle(keys));
          expect(sendable(shared, table)).toEqual(sendableOracle(shared));
        }
      }),
      { seed: 29, numRuns: 300 },
    );
  });

  it('IntTable.clear(): a table reused round after round agrees with a fresh Map each round, through growth', () => {
    const op = fc.tuple(fc.constantFrom('set', 'get'), key, fc.integer({ min: 0, max: 9 }));
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 1500 }), { minLength: 1, maxLength: 5 }), (rounds) => {
        const table = new IntTable(1);
        for (const ops of rounds) {
          table.clear();
          const oracle = new Map<number, number>();
          for (const [kind, k, v] of ops) {
            if (kind === 'set') {
              table.set(k, 0, v);
              oracle.set(k, v);
            } else {
              expect(table.get(k)).toBe(oracle.get(k) ?? -1);
            }
          }
          expect(table.size).toBe(oracle.size);
          for (const [k, v] of oracle) expect(table.get(k)).toBe(v);
        }
      }),
      { seed: 31, numRuns: 100 },
    );
  });

  it('keysOf(idHash, empty, …) is the id alone for an empty text, else id, exact key and one key per band entry, all 30-bit', () => {
    const parts = new Uint8Array([0, 1, 2, 3, 4, 1, 1, 2, 3, 4]);
    expect(keysOf(0xffffffff, true, 1, 2, parts)).toEqual([0x3fffffff]);
    const keys = keysOf(7, false, 1, 2, parts);
    expect(keys.length).toBe(4);
    expect(keys.every((k) => k >= 0 && k < 2 ** 30)).toBe(true);
    expect(new Set(keys.slice(2)).size).toBe(2); // the same band key in two bands: two keys
  });
});
