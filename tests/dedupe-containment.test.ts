import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withPayload, HEADER } from './helpers/envelope';
import {
  containment, dedupe, explainDuplicate, NearDuplicateDetector, prepareDocument, shingles,
} from '../src/index';
import { containmentPackedAtLeast, packedLength, packSet } from '../src/dedup/packed-sets';
import { scaleSetup } from '../src/scale/setup';

const runs = (numRuns: number) => ({ seed: 424242, numRuns });

/** Texts over a small vocabulary, so that random documents share shingles (and contain each other) often. */
const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen'];
const textArb = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 14 }).map((w) => w.join(' '));
/** Documents that are often pieces of one another: a random text, or a slice of an earlier one plus a few words. */
const corpusArb = fc.array(fc.tuple(textArb, fc.nat(), fc.nat(), textArb), { minLength: 1, maxLength: 30 }).map((parts) => {
  const docs: string[] = [];
  for (const [fresh, from, cut, tail] of parts) {
    if (docs.length === 0 || from % 3 === 0) docs.push(fresh);
    else {
      const words = docs[from % docs.length]!.split(' ');
      const start = cut % (words.length + 1);
      docs.push([...words.slice(start, start + 4 + (cut % 7)), ...tail.split(' ').slice(0, cut % 3)].join(' '));
    }
  }
  return docs;
});
const thresholdArb = fc.constantFrom(0.5, 0.7, 0.8, 0.9, 1);
const sizeArb = fc.constantFrom(1, 2, 3);

describe("NearDuplicateDetector({ measure: 'containment' })", () => {
  it('add(id, text) agrees with brute-force containment against every kept document (random corpora)', () => {
    fc.assert(
      fc.property(corpusArb, thresholdArb, sizeArb, (docs, t, size) => {
        const d = new NearDuplicateDetector({ measure: 'containment', threshold: t, shingle: { size } });
        const kept: { id: number; set: Uint32Array; text: string }[] = [];
        docs.forEach((text, id) => {
          const set = shingles(text, { size });
          const empty = text.trim() === '';
          const r = d.add(id, text);
          const best = empty ? [] : kept.filter((k) => k.text.length > 0 && containment(set, k.set) >= t);
          if (r.duplicateOf === undefined) {
            // Recall: nothing kept contains it at the threshold.
            expect(best, `doc ${id} ${JSON.stringify(text)}`).toEqual([]);
            kept.push({ id, set, text: text.trim() });
          } else {
            // Precision: the reported similarity is the exact containment in the kept document, ≥ threshold.
            const of = kept.find((k) => k.id === r.duplicateOf)!;
            expect(r.similarity).toBe(r.exact ? 1 : containment(set, of.set));
            expect(r.similarity!).toBeGreaterThanOrEqual(t);
          }
        });
      }),
      runs(300),
    );
  });

  it("dedupe(docs, { measure: 'containment', keep: 'longest' }) leaves no kept document contained in a longer kept one", () => {
    fc.assert(
      fc.property(corpusArb, thresholdArb, (docs, t) => {
        const r = dedupe(docs, { measure: 'containment', threshold: t, keep: 'longest', shingle: { size: 2 } });
        const sets = docs.map((text) => shingles(text, { size: 2 }));
        // Keep order: longest first (ties: input order); a kept document is contained in no kept one before it.
        const order = [...r.kept as number[]].sort((a, b) => docs[b]!.length - docs[a]!.length || a - b);
        for (let i = 0; i < order.length; i++) {
          if (docs[order[i]!]!.trim() === '') continue;
          for (let j = 0; j < i; j++) expect(containment(sets[order[i]!]!, sets[order[j]!]!)).toBeLessThan(t);
        }
        for (const dup of r.duplicates) {
          expect(dup.similarity).toBeGreaterThanOrEqual(t);
          if (!dup.exact) expect(dup.similarity).toBe(containment(sets[dup.id as number]!, sets[dup.duplicateOf as number]!));
        }
      }),
      runs(200),
    );
  });

  it('the direction: a short text after a longer one containing it is removed; a longer text after a short kept one is kept', () => {
    const article = 'the council approved the new budget on monday after a long debate about schools roads and parks in the city';
    const quote = 'the council approved the new budget on monday after a long debate';
    const similarity = containment(shingles(quote), shingles(article)); // 1: every shingle of the quote is in the article
    expect(dedupe([article, quote], { measure: 'containment' }).duplicates).toEqual([{ id: 1, duplicateOf: 0, similarity, exact: false }]);
    expect(dedupe([quote, article], { measure: 'containment' }).kept).toEqual([0, 1]);
    expect(dedupe([quote, article], { measure: 'containment', keep: 'longest' }).duplicates).toEqual([{ id: 0, duplicateOf: 1, similarity, exact: false }]);
    // Jaccard sees neither as a copy of the other.
    expect(dedupe([article, quote]).kept).toEqual([0, 1]);
  });

  it("dedupe(docs, { clustering: 'connected' }) joins every verified pair and reports each member's containment in the kept copy", () => {
    const a = 'one two three four five six seven eight nine ten eleven twelve';
    const b = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
    const c = 'five six seven eight nine ten eleven twelve thirteen fourteen';
    const r = dedupe([c, a, b], { measure: 'containment', clustering: 'connected', keep: 'longest', threshold: 0.9 });
    expect(r.kept).toEqual([2]);
    const sets = [c, a, b].map((t) => shingles(t));
    expect(r.duplicates).toEqual([
      { id: 0, duplicateOf: 2, similarity: containment(sets[0]!, sets[2]!), exact: false },
      { id: 1, duplicateOf: 2, similarity: containment(sets[1]!, sets[2]!), exact: false },
    ]);
  });

  it('toBytes()/fromBytes() carries the measure and answers as the original; a record whose measure was changed is refused', () => {
    const texts = Array.from({ length: 40 }, (_, i) => Array.from({ length: 12 + (i % 9) }, (_, k) => WORDS[(i * 7 + k * (1 + (i % 3))) % WORDS.length]).join(' '));
    const d = new NearDuplicateDetector({ measure: 'containment', threshold: 0.7, shingle: { size: 2 } });
    texts.slice(0, 20).forEach((t, i) => d.add(i, t));
    d.remove(3);
    const restored = NearDuplicateDetector.fromBytes(d.toBytes());
    expect(restored.options).toEqual(d.options);
    expect(restored.size).toBe(d.size);
    texts.slice(20).forEach((t, i) => expect(restored.add(20 + i, t)).toEqual(d.add(20 + i, t)));
    expect(NearDuplicateDetector.fromBytes(restored.toBytes()).toBytes()).toEqual(d.toBytes());

    // The options record says which layout follows: switch the measure (checksum recomputed) and the rest no longer fits.
    const switched = (bytes: Uint8Array, from: string, to: string): Uint8Array => {
      const payload = bytes.subarray(HEADER, bytes.length - 4);
      const view = new DataView(payload.buffer, payload.byteOffset);
      const length = view.getUint32(0, true);
      const json = new TextDecoder().decode(payload.subarray(4, 4 + length)).replace(`"measure":"${from}"`, `"measure":"${to}"`);
      const encoded = new TextEncoder().encode(json);
      const out = new Uint8Array(4 + encoded.length + payload.length - 4 - length);
      new DataView(out.buffer).setUint32(0, encoded.length, true);
      out.set(encoded, 4);
      out.set(payload.subarray(4 + length), 4 + encoded.length);
      return withPayload(bytes, out);
    };
    const jaccard = new NearDuplicateDetector({ threshold: 0.7, shingle: { size: 2 } });
    texts.slice(0, 5).forEach((t, i) => jaccard.add(i, t));
    for (const [bytes, from, to] of [[jaccard.toBytes(), 'jaccard', 'containment'], [d.toBytes(), 'containment', 'jaccard']] as const) {
      const forged = switched(bytes, from, to);
      expect(forged.length).toBe(bytes.length + to.length - from.length);
      expect(() => NearDuplicateDetector.fromBytes(forged), `${from} → ${to}`).toThrow(RangeError);
    }
  });

  it('addPrepared refuses a document prepared for the other measure', () => {
    const d = new NearDuplicateDetector({ measure: 'containment' });
    const text = 'a document prepared for a jaccard detector is not one for a containment detector';
    expect(prepareDocument(text, { measure: 'containment' }).signature).toBeNull();
    expect(() => d.addPrepared(1, prepareDocument(text))).toThrow(RangeError);
    expect(d.addPrepared(1, prepareDocument(text, { measure: 'containment' }))).toEqual({});
  });

  it("refuses what cannot measure containment: method 'simhash', verify false, editRatioMaxLength; Redis and the staged run refuse it", async () => {
    const c = { measure: 'containment' } as const;
    expect(() => new NearDuplicateDetector({ ...c, method: 'simhash', maxDistance: 6 })).toThrow(
      'NearDuplicateDetector: options.method must be "minhash" or "exact" with measure "containment" (SimHash estimates Jaccard, not containment), got "simhash"',
    );
    expect(() => dedupe([], { ...c, verify: false })).toThrow(new RangeError('dedupe: options.verify must be true with measure "containment" (there is no containment estimate to report), got false'));
    expect(() => dedupe([], { ...c, editRatioMaxLength: 10 })).toThrow(RangeError);
    expect(() => dedupe([], { measure: 'dice' as never })).toThrow(new RangeError('dedupe: options.measure must be "jaccard" or "containment", got "dice"'));
    expect(() => dedupe([], { measure: 5 as never })).toThrow(TypeError);
    // method 'exact' compares no shingles: the measure changes nothing there.
    expect(dedupe(['a b c d e f', 'A b c d e f!', 'a b c d e'], { ...c, method: 'exact' }).kept).toEqual([0, 2]);
    expect(() => scaleSetup({ dedupe: c, parts: 1, keep: 'first', textField: 'text', idField: 'id', duplicateIds: 'invalid' } as never)).toThrow(
      "staged dedup supports measure 'jaccard' only, got \"containment\"",
    );
    const { RedisNearDuplicateDetector } = await import('../src/index');
    const noServer = { call: () => new Promise<never>(() => {}) };
    await expect(RedisNearDuplicateDetector.open(noServer as never, { prefix: 'p', ...c })).rejects.toThrow(
      "RedisNearDuplicateDetector.open: options.measure must be 'jaccard' for a Redis index (use NearDuplicateDetector for containment), got \"containment\"",
    );
  });

  it('explainDuplicate(a, b, { measure }) reports the containment of a in b', () => {
    const a = 'the quick brown fox jumps over the lazy dog';
    const b = 'yesterday the quick brown fox jumps over the lazy dog again and again';
    const e = explainDuplicate(a, b, { measure: 'containment' });
    expect([e.measure, e.similarity, e.duplicate]).toEqual(['containment', containment(shingles(a), shingles(b)), true]);
    expect(explainDuplicate(a, b).duplicate).toBe(false);
  });

  it('work stays bounded: a family of kept texts that share the query prefix costs at most maxVerifications checks', () => {
    // Digits fold to 0 under the default normalization: words are spelled in letters.
    const w = (n: number): string => `${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + (Math.floor(n / 26) % 26))}${String.fromCharCode(97 + Math.floor(n / 676))}`;
    // 300 kept texts that share a 20-word opening with the query: 16 of its 40 shingles, far below 0.8.
    const opening = Array.from({ length: 20 }, (_, i) => w(i)).join(' ');
    const d = new NearDuplicateDetector({ measure: 'containment', threshold: 0.8, maxVerifications: 8 });
    for (let i = 0; i < 300; i++) d.add(i, `${opening} ${Array.from({ length: 20 }, (_, k) => w(1000 + i * 20 + k)).join(' ')}`);
    expect(d.size).toBe(300);
    const before = { verified: d.verified, skipped: d.skipped };
    expect(d.check(`${opening} ${Array.from({ length: 24 }, (_, k) => w(9000 + k)).join(' ')}`)).toEqual({});
    expect(d.verified - before.verified).toBeLessThanOrEqual(8);
    expect(d.skipped - before.skipped).toBeGreaterThan(0);
  });
});

describe('containmentPackedAtLeast(a, packed, at, count, threshold)', () => {
  it('is the exact containment when it is ≥ threshold, else a value below threshold (random sets)', () => {
    const setArb = fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 0xffffffff })), { maxLength: 90 })
      .map((v) => Uint32Array.from(v).sort());
    fc.assert(
      fc.property(setArb, setArb, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, t) => {
        const bytes = new Uint8Array(packedLength(b) + 3);
        packSet(b, bytes, 3);
        const exact = containment(a, b);
        const got = containmentPackedAtLeast(a, bytes, 3, b.length, t);
        if (exact >= t) expect(got).toBe(exact);
        else expect(got).toBeLessThan(t);
        expect(containmentPackedAtLeast(a, bytes, 3, b.length, 0)).toBe(exact);
      }),
      runs(500),
    );
  });
});
