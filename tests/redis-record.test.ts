/**
 * The record a RedisNearDuplicateDetector stores per document (src/service/record.ts), without a server: what
 * verification and ranking read back must be what the in-memory detector keeps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDedupeOptions } from '../src/dedup/document-options';
import { prepareWith } from '../src/dedup/prepare';
import { decodeRecord, encodeRecord } from '../src/service/record';

describe('encodeRecord / decodeRecord', () => {
  it('encodeRecord(id, doc, bands, rows, true) keeps the low 4 bits of every MinHash value, two to a byte (odd numPerm too)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta'), { minLength: 6, maxLength: 60 }),
        fc.constantFrom(128, 33, 7), (words, numPerm) => {
          const o = resolveDedupeOptions({ numPerm, threshold: 0.8 }, 'test');
          const doc = prepareWith(words.join(' '), o);
          const rec = encodeRecord('sid', doc, 0, 0, true);
          const r = decodeRecord(rec, 'test', numPerm);
          expect(r.sketch!.length).toBe((numPerm + 1) >> 1);
          const values = Array.from({ length: numPerm }, (_, i) => (r.sketch![i >> 1]! >> (4 * (i & 1))) & 15);
          expect(values).toEqual(Array.from(doc.signature!, (v) => v & 15));
          expect([r.id, r.keyHi, r.keyLo, Array.from(r.shingles)]).toEqual(['id', doc.keyHi, doc.keyLo, Array.from(doc.shingles)]);
        }),
      { seed: 13, numRuns: 60 },
    );
  });

  it('decodeRecord(bytes) of a record cut short names the record as malformed', () => {
    const o = resolveDedupeOptions({}, 'test');
    const rec = encodeRecord('sid', prepareWith('one two three four five six seven', o), 13, 7, true);
    expect(() => decodeRecord(rec.subarray(0, rec.length - 1), 'where', 128)).toThrow(/where: a stored document record is malformed/);
  });
});
