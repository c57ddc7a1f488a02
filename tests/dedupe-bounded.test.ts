import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from './helpers/random';
import { dedupe, jaccard, NearDuplicateDetector, normalize, prepareDocument, shingles, type DedupeRunOptions } from '../src/index';
import { jaccardPacked, jaccardPackedAtLeast, packedLength, packSet, unpackSet } from '../src/dedup/packed-sets';
import { Kind, sealEnvelope } from '../src/envelope';
import { ByteReader, ByteWriter } from '../src/internal/bytes';
import { KeptStore } from '../src/dedup/kept-store';
import { lshOptionsOf, resolveDedupeOptions } from '../src/dedup/document-options';
import { candidateSimilarity } from '../src/dedup/verdict';
import { LshIndex } from '../src/lsh';

const VOCAB = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
const word = (rand: () => number): string => VOCAB[Math.floor(rand() * VOCAB.length)]!;

/** `words` random words, and `count` variants of them with word substitutions, deletions and insertions at `rate`. */
function family(seed: number, count: number, words: number, rate: number): string[] {
  const rand = rng(seed);
  const base = Array.from({ length: words }, () => word(rand));
  return Array.from({ length: count }, () => {
    const out: string[] = [];
    for (const w of base) {
      const r = rand();
      if (r < rate / 3) out.push(word(rand));
      else if (r < (2 * rate) / 3) continue;
      else if (r < rate) out.push(w, word(rand));
      else out.push(w);
    }
    return out.join(' ');
  });
}

/** Several small families at mixed edit rates, exact copies and unrelated texts, shuffled. */
function mixedCorpus(seed: number): string[] {
  const rand = rng(seed);
  const docs: string[] = [];
  for (let f = 0; f < 6; f++) docs.push(...family(seed * 31 + f, 4 + Math.floor(rand() * 12), 40 + Math.floor(rand() * 80), [0.01, 0.03, 0.08][f % 3]!));
  for (let i = 0; i < 20; i++) docs.push(Array.from({ length: 30 + Math.floor(rand() * 50) }, () => word(rand)).join(' '));
  for (let i = 0; i < 5; i++) docs.push(docs[Math.floor(rand() * docs.length)]!.toUpperCase());
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return docs;
}

/**
 * Greedy keep-first by brute force: a document is a duplicate when its normalized text equals a kept one's or its
 * exact word-5-gram Jaccard with some kept document is ≥ threshold. Returns the kept positions.
 */
function oracleKept(docs: string[], threshold: number): number[] {
  const kept: number[] = [];
  const keys = new Set<string>();
  const sets = docs.map((d) => shingles(d));
  docs.forEach((d, i) => {
    const key = normalize(d);
    if (key.trim() !== '' && keys.has(key)) return;
    if (sets[i]!.length > 0 && kept.some((k) => jaccard(sets[i]!, sets[k]!) >= threshold)) return;
    kept.push(i);
    keys.add(key);
  });
  return kept;
}

describe('dedupe(docs, {maxCandidates, maxVerifications}): bounded work per document', () => {
  it('dedupe(docs, options) never reports a pair below the threshold, however tight the bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(1, 2, 5, 64),
        fc.constantFrom(1, 13, 100, 1024),
        fc.constantFrom<'greedy' | 'connected'>('greedy', 'connected'),
        fc.constantFrom(0.6, 0.8, 0.9),
        (seed, maxVerifications, maxCandidates, clustering, threshold) => {
          const docs = mixedCorpus(seed);
          const sets = docs.map((d) => shingles(d));
          const r = dedupe(docs, { threshold, maxVerifications, maxCandidates, clustering });
          expect(r.kept.length + r.duplicates.length).toBe(docs.length);
          for (const d of r.duplicates) {
            const exact = jaccard(sets[d.id as number]!, sets[d.duplicateOf as number]!);
            expect(d.similarity).toBeCloseTo(exact, 12);
            if (clustering === 'greedy') expect(d.similarity).toBeGreaterThanOrEqual(threshold);
          }
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });

  it('dedupe(docs) keeps exactly what a brute-force exact oracle keeps when no bound applies (seeded corpora)', () => {
    let duplicates = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const docs = mixedCorpus(seed);
      // minRecall close to 1: LSH misses no pair near the threshold, so the oracle is the reference.
      const r = dedupe(docs, { minRecall: 0.9999 });
      expect(r.stats.skippedCandidates).toBe(0);
      expect(r.stats.truncatedQueries).toBe(0);
      expect(r.kept).toEqual(oracleKept(docs, 0.8));
      duplicates += r.duplicates.length - r.stats.exactDuplicates;
    }
    expect(duplicates).toBeGreaterThan(100); // near duplicates, not just exact copies
  });

  it('dedupe(docs) gives the same kept set and clusters with and without bounds when they do not apply', () => {
    for (let seed = 20; seed < 26; seed++) {
      const docs = mixedCorpus(seed);
      for (const clustering of ['greedy', 'connected'] as const) {
        const bounded = dedupe(docs, { clustering });
        const unbounded = dedupe(docs, { clustering, maxCandidates: 1e9, maxVerifications: 1e9 });
        expect(bounded.stats.skippedCandidates + bounded.stats.truncatedQueries).toBe(0);
        expect(bounded.kept).toEqual(unbounded.kept);
        expect(bounded.duplicates).toEqual(unbounded.duplicates);
      }
    }
  });

  it('dedupe(docs) stats: candidates = checked + skipped + left after the decision; verified ≤ candidates', () => {
    const docs = family(5, 400, 120, 0.03);
    const s = dedupe(docs, { maxVerifications: 4 }).stats;
    expect(s.skippedCandidates).toBeGreaterThan(0);
    expect(s.verifiedCandidates).toBeLessThanOrEqual(4 * s.documents);
    expect(s.verifiedCandidates + s.estimateRejectedCandidates + s.skippedCandidates).toBeLessThanOrEqual(s.candidates);
    expect(s.estimateRejectedCandidates).toBeLessThanOrEqual(s.rejectedCandidates);
  });

  it('NearDuplicateDetector.add(id, text): exact verifications per query stay bounded on a family of 2k vs 8k members', () => {
    const perQuery = (members: number, options: DedupeRunOptions): { max: number; mean: number; maxCandidates: number } => {
      const detector = new NearDuplicateDetector(options);
      const docs = family(99, members, 150, 0.03);
      let max = 0;
      let maxCandidates = 0;
      let lastCandidates = 0;
      docs.forEach((text, i) => {
        const before = detector.verified;
        detector.add(i, text);
        max = Math.max(max, detector.verified - before);
        maxCandidates = Math.max(maxCandidates, detector.candidates - lastCandidates);
        lastCandidates = detector.candidates;
      });
      return { max, mean: detector.verified / members, maxCandidates };
    };
    const small = perQuery(2000, {});
    const large = perQuery(8000, {});
    expect(large.max).toBeLessThanOrEqual(64);
    expect(large.maxCandidates).toBeLessThanOrEqual(4096);
    // Four times the family, not four times the work per query.
    expect(large.mean).toBeLessThanOrEqual(1.25 * small.mean);
    // Without the bounds, work per query grows with the family (what the bounds are for).
    const u1 = perQuery(300, { maxCandidates: 1e9, maxVerifications: 1e9 });
    const u2 = perQuery(1200, { maxCandidates: 1e9, maxVerifications: 1e9 });
    expect(u2.mean).toBeGreaterThan(2 * u1.mean);
  });

  it('method simhash: candidates per query stay within maxCandidates on a family, and the bound is invisible when no bucket is full', () => {
    const maxPerQuery = (docs: string[], options: DedupeRunOptions): { max: number; truncated: number; kept: number } => {
      const detector = new NearDuplicateDetector({ method: 'simhash', threshold: 0.9, ...options });
      let max = 0;
      let last = 0;
      docs.forEach((text, i) => {
        detector.add(i, text);
        max = Math.max(max, detector.candidates - last);
        last = detector.candidates;
      });
      return { max, truncated: detector.truncatedQueries, kept: detector.size };
    };
    const docs = family(41, 1500, 150, 0.01);
    const bounded = maxPerQuery(docs, { maxCandidates: 100 });
    const unbounded = maxPerQuery(docs, { maxCandidates: 1e9, maxVerifications: 1e9 });
    expect(bounded.max).toBeLessThanOrEqual(100);
    expect(bounded.truncated).toBeGreaterThan(0);
    expect(unbounded.max).toBeGreaterThan(100); // what the bound is for
    for (let seed = 30; seed < 34; seed++) {
      const corpus = mixedCorpus(seed);
      const withBound = dedupe(corpus, { method: 'simhash', threshold: 0.9 });
      const without = dedupe(corpus, { method: 'simhash', threshold: 0.9, maxCandidates: 1e9, maxVerifications: 1e9 });
      expect(withBound.stats.truncatedQueries).toBe(0);
      expect(withBound.duplicates).toEqual(without.duplicates);
    }
  });

  it('NearDuplicateDetector.check(text) with maxVerifications 1 still verifies what it reports', () => {
    const docs = family(7, 300, 100, 0.01);
    const detector = new NearDuplicateDetector({ maxVerifications: 1 });
    docs.forEach((text, i) => detector.add(i, text));
    const sets = docs.map((d) => shingles(d));
    for (const text of family(8, 50, 100, 0.01)) {
      const r = detector.check(text);
      if (r.duplicateOf === undefined) continue;
      expect(r.similarity).toBeCloseTo(jaccard(shingles(text), sets[r.duplicateOf as number]!), 12);
      expect(r.similarity).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('NearDuplicateDetector(options) rejects maxCandidates and maxVerifications outside [1, 2^31 − 1]', () => {
    expect(() => new NearDuplicateDetector({ maxCandidates: 0 })).toThrow(/maxCandidates/);
    expect(() => new NearDuplicateDetector({ maxVerifications: 1.5 })).toThrow(RangeError);
    expect(() => dedupe([], { maxVerifications: -1 })).toThrow(/maxVerifications/);
    expect(new NearDuplicateDetector().options.maxVerifications).toBe(64);
    expect(NearDuplicateDetector.fromBytes(new NearDuplicateDetector({ maxCandidates: 99 }).toBytes()).options.maxCandidates).toBe(99);
  });
});

describe('packed shingle sets and the lighter detector', () => {
  const sortedSet = fc.uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 }).map((xs) => Uint32Array.from(xs.sort((a, b) => a - b)));

  it('jaccardPacked(a, packSet(b)) equals jaccard(a, b), jaccardPackedAtLeast decides the threshold exactly; unpackSet(packSet(b)) equals b (property)', () => {
    fc.assert(
      fc.property(sortedSet, sortedSet, fc.integer({ min: 0, max: 7 }), (a, b, at) => {
        const bytes = new Uint8Array(at + packedLength(b));
        expect(packSet(b, bytes, at)).toBe(bytes.length);
        expect(unpackSet(bytes, at, b.length)).toEqual(b);
        expect(jaccardPacked(a, bytes, at, b.length)).toBe(jaccard(a, b));
        // Overlapping sets too (random ones rarely share values).
        const c = Uint32Array.from(new Set([...a.slice(0, a.length >> 1), ...b])).sort();
        expect(jaccardPacked(c, bytes, at, b.length)).toBe(jaccard(c, b));
        for (const t of [0.1, 0.5, 0.8, 1]) {
          // A near copy of b as well: most of the merge runs before the answer is known.
          const d = Uint32Array.from(new Set([...b.filter((_, i) => i % 10 !== 3), ...a.slice(0, 3)])).sort();
          for (const q of [a, c, d]) {
            const exact = jaccard(q, b);
            const decided = jaccardPackedAtLeast(q, bytes, at, b.length, t);
            if (exact >= t) expect(decided).toBe(exact);
            else expect(decided).toBeLessThan(t);
          }
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('NearDuplicateDetector: the LSH buckets it fills with the query\'s band keys (SlotLsh.insert) equal LshIndex.insert of the kept signatures', () => {
    for (const seed of [21, 22, 23]) {
      const docs = mixedCorpus(seed);
      for (const options of [{}, { clustering: 'connected' as const }, { threshold: 0.6, minRecall: 0.95 }, { mode: 'interleaved' }]) {
        const { clustering, mode, ...detectorOptions } = { clustering: 'greedy' as const, mode: 'add', ...options };
        const detector = new NearDuplicateDetector(detectorOptions);
        const reference = new LshIndex(lshOptionsOf(detector.options));
        const kept: number[] = [];
        if (mode === 'interleaved') {
          // A store right after the query of another document: that query's keys must not be taken for this one's.
          docs.forEach((text, i) => {
            const doc = detector.prepare(text);
            const other = detector.prepare(`${docs[(i + 1) % docs.length]!} and a word or two more`); // never an exact copy
            detector.firstMatch(other);
            kept.push(detector.store(i, doc));
            if (doc.signature) reference.insert(kept.at(-1)!, { values: doc.signature, numPerm: 128, seed: detector.options.seed, scheme: detector.options.scheme });
          });
          expect(kept.length).toBe(docs.length);
          expect((detector as unknown as { lsh: LshIndex }).lsh.toBytes()).toEqual(reference.toBytes());
          continue;
        }
        if (clustering === 'connected') {
          // dedupe()'s connected path: forEachMatch, then store, on the same prepared document.
          docs.forEach((text, i) => {
            const doc = detector.prepare(text);
            if (detector.exactSlot(doc) >= 0) return;
            detector.forEachMatch(doc, () => false, () => undefined);
            kept.push(detector.store(i, doc));
            if (doc.signature) reference.insert(kept.at(-1)!, { values: doc.signature, numPerm: 128, seed: detector.options.seed, scheme: detector.options.scheme });
          });
        } else {
          // addPrepared, with duplicates in between whose keys must not be reused for the next stored document.
          docs.forEach((text, i) => {
            const doc = detector.prepare(text);
            if (detector.addPrepared(i, doc).duplicateOf !== undefined) return;
            const slot = kept.length;
            kept.push(slot);
            if (doc.signature) reference.insert(slot, { values: doc.signature, numPerm: 128, seed: detector.options.seed, scheme: detector.options.scheme });
          });
        }
        expect(kept.length).toBeLessThan(docs.length);
        const inner = (detector as unknown as { lsh: LshIndex }).lsh;
        expect(inner.toBytes()).toEqual(reference.toBytes());
      }
    }
  });

  it('KeptStore: agreements, queryAgreements and sharesBand (with any band hint) on the stored 4-bit sketch (or full values) equal a naive count (property)', () => {
    const base = prepareDocument('a kept document whose signature the property replaces with random values');
    const uint32 = fc.integer({ min: 0, max: 0xffffffff });
    // 128: the word-at-a-time path; 13 (odd, not a multiple of 8): the value-at-a-time one and a half-used last byte.
    for (const [numPerm, bandings] of [[128, [[9, 13], [32, 4], [128, 1], [1, 128]]], [13, [[13, 1], [1, 13], [4, 3]]]] as const) {
    // A query that agrees with the stored signature where `same` says so: in full, in the low 4 bits only, or
    // differing by a random non-zero xor (which may leave the low 4 bits equal).
    const pair = fc.tuple(fc.array(uint32, { minLength: numPerm, maxLength: numPerm }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: numPerm, maxLength: numPerm }), uint32);
    for (const verify of [true, false]) {
      const o = resolveDedupeOptions({ verify, numPerm });
      fc.assert(
        fc.property(fc.array(pair, { minLength: 1, maxLength: 12 }), (docs) => {
          const kept = new KeptStore(o);
          const queries = docs.map(([values, same, salt], slot) => {
            const stored = Uint32Array.from(values);
            kept.put(slot, { ...base, signature: stored });
            return stored.map((v, i) => (same[i] === 0 ? v : same[i] === 1 ? (v & 0xf) | (Math.imul(salt | 1, i + 1) << 4) : v ^ ((salt % 255) + 1)));
          });
          docs.forEach(([values], slot) => {
            const q = queries[slot]!;
            const agree = (i: number) => (verify ? (q[i]! & 0xf) === (values[i]! & 0xf) : q[i] === values[i]);
            const naiveCount = values.filter((_, i) => agree(i)).length;
            expect(kept.agreements(q, slot)).toBe(naiveCount);
            kept.setQuery(q);
            expect(kept.queryAgreements(slot)).toBe(naiveCount);
            for (const [bands, rows] of bandings) {
              const naive = Array.from({ length: bands }, (_, b) => Array.from({ length: rows }, (_, r) => agree(b * rows + r)).every(Boolean)).some(Boolean);
              expect(kept.sharesBand(q, slot, bands, rows)).toBe(naive);
              // A hint (the band whose bucket held the slot) is checked first: any band, or none, gives the same answer.
              for (const hint of [0, bands >> 1, bands - 1, -1]) expect(kept.sharesBand(q, slot, bands, rows, hint)).toBe(naive);
            }
          });
        }),
        { seed: 11, numRuns: 60 },
      );
    }
    }
  });

  it('candidateSimilarity(a, b, o) (the staged run) matches exactly when a detector holding b matches a: the estimate bound on the 4-bit sketch, at every agreement count', () => {
    // Identical shingle sets (Jaccard 1) under different exact keys, so only the estimate bound decides. Band 0
    // agrees in full (an LSH candidate); of the other values, `k − rows` agree in their low 4 bits (in full, or only
    // there: bits 4–7 differ, so the low bytes would not agree) and the rest differ there. Every count k is tried,
    // so the cutoff 2.5 / √numPerm below the threshold is pinned to one agreement.
    const base = prepareDocument('the staged run and the in-memory detector must give every pair the same verdict here');
    const rand = rng(12);
    for (const [numPerm, bands, rows, threshold] of [[64, 8, 8, 0.8], [72, 9, 8, 0.7], [129, 43, 3, 0.5]] as const) {
      const o = resolveDedupeOptions({ numPerm, bands, rows, threshold });
      const cutoff = threshold - 2.5 / Math.sqrt(numPerm);
      const outcomes = new Set<boolean>();
      for (let k = rows; k <= numPerm; k++) {
        const sa = Uint32Array.from({ length: numPerm }, () => Math.floor(rand() * 2 ** 32));
        // Which positions past band 0 agree in the sketch: k − rows of them, at random.
        const order = Array.from({ length: numPerm - rows }, (_, i) => rows + i).sort(() => rand() - 0.5);
        const agree = new Set(order.slice(0, k - rows));
        const sb = sa.map((v, i) => (i < rows ? v : agree.has(i) ? (rand() < 0.5 ? v : v ^ (16 << Math.floor(rand() * 4))) : v ^ (1 + Math.floor(rand() * 15))));
        const a = { ...base, normalized: null, keyHi: 1, keyLo: 1, signature: sa };
        const b = { ...base, normalized: null, keyHi: 2, keyLo: 2, signature: sb };
        const detector = new NearDuplicateDetector({ numPerm, bands, rows, threshold });
        detector.store('b', b);
        const matched = detector.firstMatch(a) !== null;
        expect(matched).toBe(k / numPerm >= cutoff);
        expect(candidateSimilarity(a, b, o) >= threshold).toBe(matched);
        expect(candidateSimilarity(b, a, o) >= threshold).toBe(matched);
        outcomes.add(matched);
      }
      expect(outcomes.size).toBe(2);
    }
  });

  it('NearDuplicateDetector.fromBytes(bytes) refuses an odd numPerm\'s sketch whose unused last half-byte is set', () => {
    const options = { numPerm: 13, bands: 13, rows: 1 };
    const kept = new KeptStore(resolveDedupeOptions(options));
    kept.put(0, prepareDocument('a kept document with an odd number of permutations, so a half-used last byte', options));
    const w = new ByteWriter();
    kept.write(w, 0);
    const bytes = w.toBytes();
    expect(bytes[bytes.length - 1]! >> 4).toBe(0); // the sketch (7 bytes for 13 values) ends the record
    const read = (b: Uint8Array) => new KeptStore(resolveDedupeOptions(options)).read(new ByteReader(b, 'what'), 0, 'what');
    expect(read(bytes).keyHi).toBe(kept.keyHi(0));
    bytes[bytes.length - 1]! |= 0x10;
    expect(() => read(bytes)).toThrow(new RangeError('what: a stored sketch is corrupt'));
  });

  it('NearDuplicateDetector.fromBytes(bytes) reads format 2 buffers (a low byte per MinHash value) into the state a live detector has', () => {
    // tests/fixtures/detector-format2.bin: written by neardup at format 2 for this corpus, threshold 0.7, id 7 removed.
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/detector-format2.bin', import.meta.url)));
    expect(bytes[4]).toBe(2);
    const live = new NearDuplicateDetector({ threshold: 0.7 });
    mixedCorpus(3).forEach((text, id) => live.add(id, text));
    live.remove(7);
    const restored = NearDuplicateDetector.fromBytes(bytes);
    expect(restored.size).toBe(live.size);
    // Both loaded (a loaded LSH index lays its tables out as one bulk load, not as the inserts did).
    expect(restored.toBytes()).toEqual(NearDuplicateDetector.fromBytes(live.toBytes()).toBytes());
    for (const text of mixedCorpus(4)) expect(restored.check(text)).toEqual(live.check(text));
  });

  it('NearDuplicateDetector.fromBytes(bytes) reads format 1 (neardup 0.1) buffers and answers as the detector that wrote them', () => {
    const docs = mixedCorpus(3);
    const options = { threshold: 0.7 };
    const live = new NearDuplicateDetector(options);
    const w = new ByteWriter();
    w.string(JSON.stringify(live.options));
    const kept: { id: number; doc: ReturnType<typeof prepareDocument> }[] = [];
    docs.forEach((text, id) => {
      if (live.add(id, text).duplicateOf === undefined) kept.push({ id, doc: prepareDocument(text, options) });
    });
    w.u32(kept.length);
    for (const { id, doc } of kept) {
      w.id(id).f64(doc.length).u8(doc.empty ? 1 : 0).u32(doc.keyHi).u32(doc.keyLo).u32Array(doc.shingles);
      w.u8(1).u32Array(doc.signature!).u8(0).u8(0);
    }
    w.u32(0);
    const restored = NearDuplicateDetector.fromBytes(sealEnvelope(Kind.NearDuplicateDetector, 1, w));
    expect(restored.size).toBe(live.size);
    for (const text of mixedCorpus(4)) expect(restored.check(text)).toEqual(live.check(text));
    const v4 = live.toBytes();
    v4[4] = 4;
    expect(() => NearDuplicateDetector.fromBytes(v4)).toThrow(/format version 4 is not supported/);
  });

  it('NearDuplicateDetector: toBytes() renumbers the remembered documents densely, so a restored detector holds nothing for removed ones and answers alike', () => {
    const docs = mixedCorpus(5);
    for (const options of [{}, { method: 'simhash' as const, maxDistance: 6 }, { measure: 'containment' as const, threshold: 0.7 }, { maxCandidates: 13, maxVerifications: 1 }]) {
      const live = new NearDuplicateDetector(options);
      docs.forEach((text, id) => live.add(id, text));
      // A sliding window: keep the last 10 remembered documents, and add the corpus again under new ids.
      const order: number[] = docs.map((_, id) => id).filter((id) => live.has(id));
      for (const id of order.slice(0, -10)) live.remove(id);
      docs.forEach((text, id) => live.add(1000 + id, text));
      const restored = NearDuplicateDetector.fromBytes(live.toBytes());
      const slots = (d: NearDuplicateDetector) => (d as unknown as { ids: unknown[] }).ids.length;
      expect(slots(live)).toBeGreaterThan(live.size);
      expect(slots(restored)).toBe(live.size);
      expect(restored.size).toBe(live.size);
      for (const text of [...mixedCorpus(6), ...docs]) expect(restored.check(text)).toEqual(live.check(text));
      expect(restored.add('next', docs[2]!)).toEqual(live.add('next', docs[2]!));
    }
  });

  it('NearDuplicateDetector: toBytes()/fromBytes() keep answers with simhash, verify: false and edit-ratio options', () => {
    const docs = mixedCorpus(8);
    for (const options of [{ method: 'simhash' as const, maxDistance: 6 }, { verify: false }, { editRatioMaxLength: 400, threshold: 0.7 }, { method: 'exact' as const }]) {
      const live = new NearDuplicateDetector(options);
      docs.forEach((text, id) => live.add(id, text));
      live.remove(3);
      const restored = NearDuplicateDetector.fromBytes(live.toBytes());
      expect(restored.size).toBe(live.size);
      for (const text of mixedCorpus(9)) expect(restored.check(text)).toEqual(live.check(text));
      expect(restored.add('new', docs[3]!)).toEqual(live.add('new', docs[3]!));
    }
  });
});
