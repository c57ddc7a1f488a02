import { describe, expect, it } from 'vitest';
import { plantedCorpus } from './helpers/planted';
import { mulberry32 as rng } from './helpers/random';
import { dedupe, jaccard, NearDuplicateDetector, normalize, prepareDocument, shingles, xxh64, type DedupeOptions, type Doc } from '../src/index';


/** Brute force over all pairs of `docs` with Jaccard ≥ `min`: how many there are, and how many share a cluster. */
function pairsInOneCluster(
  docs: readonly { id: string }[],
  sets: ReadonlyMap<string, Uint32Array>,
  clusters: readonly { id: number; members: readonly unknown[] }[],
  min: number,
): { pairs: number; found: number } {
  const clusterOf = new Map<unknown, number>();
  for (const c of clusters) for (const m of c.members) clusterOf.set(m, c.id);
  let pairs = 0;
  let found = 0;
  for (let i = 0; i < docs.length; i++) {
    for (let j = i + 1; j < docs.length; j++) {
      if (jaccard(sets.get(docs[i]!.id)!, sets.get(docs[j]!.id)!) < min) continue;
      pairs++;
      const ci = clusterOf.get(docs[i]!.id);
      if (ci !== undefined && ci === clusterOf.get(docs[j]!.id)) found++;
    }
  }
  return { pairs, found };
}

describe('dedupe(docs, options)', () => {
  it('dedupe(docs) finds exact duplicates after normalization and keeps the first', () => {
    const r = dedupe(['Hello,   World! 2024', 'hello world 1999', 'something else entirely here']);
    expect(r.kept).toEqual([0, 2]);
    expect(r.duplicates).toEqual([{ id: 1, duplicateOf: 0, similarity: 1, exact: true }]);
    expect(r.stats.exactDuplicates).toBe(1);
  });

  it('dedupe(docs) never reports a pair below the threshold and finds ≥ 98% of pairs at Jaccard ≥ 0.85', () => {
    const docs = plantedCorpus(11, 100, 4, 120);
    const threshold = 0.8;
    const r = dedupe(docs, { threshold });
    const sets = new Map(docs.map((d) => [d.id, shingles(d.text)]));
    // Precision: every reported pair verifies.
    for (const d of r.duplicates) {
      expect(jaccard(sets.get(String(d.id))!, sets.get(String(d.duplicateOf))!)).toBeCloseTo(d.similarity, 12);
      expect(d.similarity).toBeGreaterThanOrEqual(threshold);
    }
    // Recall: brute force over all pairs with J ≥ 0.85 — both end up in the same cluster.
    const { pairs, found } = pairsInOneCluster(docs, sets, r.clusters, 0.85);
    expect(pairs).toBeGreaterThan(120);
    expect(found / pairs).toBeGreaterThanOrEqual(0.98);
    // No two kept documents are duplicates of each other (greedy with verification).
    const kept = r.kept.map((id) => sets.get(String(id))!);
    let keptPairsAbove = 0;
    for (let i = 0; i < kept.length; i++) for (let j = i + 1; j < kept.length; j++) if (jaccard(kept[i]!, kept[j]!) >= threshold) keptPairsAbove++;
    expect(keptPairsAbove).toBeLessThanOrEqual(Math.ceil(0.02 * pairs));
  });

  it('dedupe(docs, {method}) works for minhash, simhash and exact', () => {
    const docs = plantedCorpus(5, 20, 2, 80);
    const exact = dedupe(docs, { method: 'exact' });
    const minhash = dedupe(docs, { method: 'minhash' });
    const simhash = dedupe(docs, { method: 'simhash', threshold: 0.8, maxDistance: 15 });
    expect(exact.stats.nearDuplicates).toBe(0);
    expect(minhash.duplicates.length).toBeGreaterThan(exact.duplicates.length);
    expect(simhash.duplicates.length).toBeGreaterThan(exact.duplicates.length);
    for (const r of [minhash, simhash]) for (const d of r.duplicates) expect(d.similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('dedupe(docs, {method: "simhash"}) derives maxDistance from threshold and minRecall, and refuses what it cannot reach', () => {
    const at = (o: DedupeOptions) => new NearDuplicateDetector(o).options.maxDistance;
    expect([at({ method: 'simhash', threshold: 0.9 }), at({ method: 'simhash', threshold: 0.95 }), at({ method: 'simhash', threshold: 0.9, minRecall: 0.5 })]).toEqual([11, 8, 7]);
    expect(at({ threshold: 0.8 })).toBe(15); // reported for every method, used by simhash only
    expect(() => dedupe([], { method: 'simhash' })).toThrow(new RangeError(
      'dedupe: options.threshold must be at least 0.89 with method "simhash" and minRecall 0.95 (a pair at 0.8 is found with that probability only within 15 of 64 bits, where the index compares most pairs): use method "minhash", or give options.maxDistance to accept the cost or the lost recall, got 0.8',
    ));
    expect(() => dedupe([], { method: 'simhash', threshold: 0.85, minRecall: 0.5 })).not.toThrow();
    expect(at({ method: 'simhash', threshold: 0.8, maxDistance: 6 })).toBe(6); // given: taken as is
  });

  it('dedupe(docs, {method: "simhash", threshold: 0.9}) finds ≥ 95% of the pairs at Jaccard ≥ 0.9, as the MinHash path', () => {
    const docs = plantedCorpus(23, 150, 4, 120);
    const r = dedupe(docs, { method: 'simhash', threshold: 0.9 });
    const sets = new Map(docs.map((d) => [d.id, shingles(d.text)]));
    for (const d of r.duplicates) expect(d.similarity).toBeGreaterThanOrEqual(0.9);
    const { pairs, found } = pairsInOneCluster(docs, sets, r.clusters, 0.9);
    expect(pairs).toBeGreaterThan(150);
    // Each pair at ≥ 0.9 is within the derived distance with probability ≥ 0.95; 4 standard errors of slack.
    expect(found / pairs).toBeGreaterThanOrEqual(0.95 - 4 * Math.sqrt((0.95 * 0.05) / pairs));
  });

  it('dedupe(docs) never merges empty or all-punctuation documents', () => {
    const r = dedupe(['', '   ', '!!! ...', '', 'real text here']);
    expect(r.kept).toEqual([0, 1, 2, 3, 4]);
    expect(r.stats.emptyDocuments).toBe(4);
  });

  it("dedupe(docs, {keep: 'longest'}) keeps the longest copy; a comparator can choose", () => {
    const base = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen';
    const docs = [
      { id: 'short', text: base },
      { id: 'long', text: `${base}!!! (see more)` },
    ];
    expect(dedupe(docs, { keep: 'longest' }).kept).toEqual(['long']);
    expect(dedupe(docs, { keep: (a, b) => String(a.id).localeCompare(String(b.id)) }).kept).toEqual(['long']);
    expect(dedupe(docs, { keep: (a, b) => String(b.id).localeCompare(String(a.id)) }).kept).toEqual(['short']);
  });

  it("dedupe(docs, {clustering: 'connected'}) joins chains A≈B≈C and reports similarity to the kept copy", () => {
    const words = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const a = words.join(' ');
    const b = [...words.slice(0, 36), 'x1', 'x2', 'x3', 'x4'].join(' ');
    const c = [...words.slice(0, 32), 'x1', 'x2', 'x3', 'x4', 'y1', 'y2', 'y3', 'y4'].join(' ');
    const sa = shingles(a), sb = shingles(b), sc = shingles(c);
    const t = Math.min(jaccard(sa, sb), jaccard(sb, sc)) - 0.01;
    expect(jaccard(sa, sc)).toBeLessThan(t);
    const greedy = dedupe([a, b, c], { threshold: t, minRecall: 0.999 });
    expect(greedy.kept).toEqual([0, 2]);
    const connected = dedupe([a, b, c], { threshold: t, minRecall: 0.999, clustering: 'connected' });
    expect(connected.kept).toEqual([0]);
    expect(connected.clusters).toEqual([{ id: 0, kept: 0, members: [0, 1, 2] }]);
    expect(connected.duplicates.find((d) => d.id === 2)!.similarity).toBeCloseTo(jaccard(sa, sc), 12);
  });

  it('dedupe(asyncIterable) returns a promise of the same result', async () => {
    const docs = plantedCorpus(3, 10, 3, 60);
    async function* gen(): AsyncGenerator<string | Doc> {
      for (const d of docs) yield d;
    }
    const sync = dedupe(docs);
    const asyncResult = await dedupe(gen());
    expect({ ...asyncResult, stats: { ...asyncResult.stats, milliseconds: 0 } }).toEqual({ ...sync, stats: { ...sync.stats, milliseconds: 0 } });
  });

  it('dedupe(docs) rejects malformed documents, repeated ids and bad options', () => {
    expect(() => dedupe([{ id: 'a', text: 'x' }, { id: 'a', text: 'y' }])).toThrow(/dedupe: docs\[1\].id must be an id not used by an earlier document, got "a"/);
    expect(() => dedupe([{ id: 'a', text: 5 } as never])).toThrow(TypeError);
    expect(() => dedupe([42 as never])).toThrow(/dedupe: docs\[0\] must be a string or a \{ id, text \} document, got 42/);
    expect(() => dedupe([{ id: NaN, text: '' }])).toThrow(/dedupe: docs\[0\].id must be a string or a finite number, got NaN/);
    expect(() => dedupe(['a'], { threshold: 0 })).toThrow(RangeError);
    expect(() => dedupe(['a'], { threshold: 1.5 })).toThrow(/threshold/);
    expect(() => dedupe(['a'], { method: 'fuzzy' as never })).toThrow(/dedupe: options.method must be "minhash", "simhash" or "exact", got "fuzzy"/);
    expect(() => dedupe(['a'], { keep: 'last' as never })).toThrow(/dedupe: options.keep must be "first" or "longest", got "last"/);
    expect(() => dedupe(5 as never)).toThrow(TypeError);
  });
});

describe('NearDuplicateDetector', () => {
  it('add(id, text) equals addPrepared(id, prepareDocument(text, options))', () => {
    const docs = plantedCorpus(9, 15, 3, 50);
    const options = { threshold: 0.75 };
    const a = new NearDuplicateDetector(options);
    const b = new NearDuplicateDetector(options);
    for (const d of docs) expect(b.addPrepared(d.id, prepareDocument(d.text, options))).toEqual(a.add(d.id, d.text));
    expect(a.size).toBe(b.size);
  });

  it('remembers only kept documents; remove() forgets; re-adding an id throws', () => {
    const d = new NearDuplicateDetector();
    const text = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    expect(d.add(1, text)).toEqual({});
    expect(d.add(2, text)).toEqual({ duplicateOf: 1, similarity: 1, exact: true });
    expect(d.has(2)).toBe(false);
    expect(() => d.add(1, 'other')).toThrow(/NearDuplicateDetector.add: id must be an id not already in the detector, got 1/);
    expect(d.check(text).duplicateOf).toBe(1);
    expect(d.remove(1)).toBe(true);
    expect(d.remove(1)).toBe(false);
    expect(d.check(text)).toEqual({});
    expect(d.add(3, text)).toEqual({});
  });

  it('toBytes()/fromBytes() round-trips; every flipped byte and truncation is refused', () => {
    const d = new NearDuplicateDetector({ threshold: 0.7 });
    const docs = plantedCorpus(4, 3, 2, 30);
    for (const doc of docs) d.add(doc.id, doc.text);
    const bytes = d.toBytes();
    const restored = NearDuplicateDetector.fromBytes(bytes);
    expect(restored.size).toBe(d.size);
    expect(restored.options).toEqual(d.options);
    for (const doc of docs) expect(restored.check(doc.text)).toEqual(d.check(doc.text));
    // Same content; not byte-identical: the embedded LSH index may list its buckets in another table order.
    expect(restored.toBytes().length).toBe(bytes.length);
    const twice = NearDuplicateDetector.fromBytes(restored.toBytes());
    for (const doc of docs) expect(twice.check(doc.text)).toEqual(d.check(doc.text));
    const small = new NearDuplicateDetector();
    small.add('x', 'a few words in a small document here');
    const sb = small.toBytes();
    for (let i = 0; i < sb.length; i++) {
      const bad = sb.slice();
      bad[i]! ^= 0x20;
      expect(() => NearDuplicateDetector.fromBytes(bad), `flip byte ${i}`).toThrow(RangeError);
    }
    for (let n = 0; n < sb.length; n++) expect(() => NearDuplicateDetector.fromBytes(sb.subarray(0, n)), `truncate ${n}`).toThrow(RangeError);
    expect(() => NearDuplicateDetector.fromBytes('nope' as never)).toThrow(TypeError);
  });
});

describe('dedupe(docs) on degenerate corpora', () => {
  it("dedupe(docs, {clustering: 'connected'}) on 3,000 identical documents stores one copy", () => {
    const text = 'the very same document text, repeated many many times over in this corpus';
    const r = dedupe(Array.from({ length: 3000 }, () => text), { clustering: 'connected' });
    expect(r.kept).toEqual([0]);
    expect(r.stats.duplicates).toBe(2999);
    expect(r.stats.candidates).toBe(0);
    expect(r.clusters[0]!.members.length).toBe(3000);
  });

  it('dedupe(docs, options) validates options and shingle options before the first document', () => {
    expect(() => dedupe([], 'fast' as never)).toThrow(TypeError);
    expect(() => dedupe([], { shingle: { size: 0 } })).toThrow(RangeError);
    expect(() => dedupe([], { maxDistance: 63 })).toThrow(RangeError);
  });
});

describe('NearDuplicateDetector.addPrepared(id, doc) checks where doc came from', () => {
  it('add(id, text) works on detectors that differ only in editRatioMaxLength, used in turn', () => {
    const text = 'two detectors whose options differ only in the edit ratio length';
    const plain = new NearDuplicateDetector();
    const edit = new NearDuplicateDetector({ editRatioMaxLength: 400 });
    expect(plain.add(1, text)).toEqual({});
    expect(edit.add(1, text)).toEqual({});
    expect(plain.add(2, `${text}!`).duplicateOf).toBe(1);
  });

  it('addPrepared refuses a document prepared with other options', () => {
    const detector = new NearDuplicateDetector({ threshold: 0.8 });
    const text = 'words for a document prepared elsewhere with some other options';
    expect(() => detector.addPrepared(1, prepareDocument(text, { method: 'simhash', threshold: 0.9 }))).toThrow(/NearDuplicateDetector.addPrepared: doc must be a document prepared with this detector's options/);
    expect(() => detector.addPrepared(1, prepareDocument(text, { shingle: { size: 3 } }))).toThrow(RangeError);
    expect(detector.addPrepared(1, prepareDocument(text, detector.options))).toEqual({});
    expect(detector.addPrepared(2, detector.prepare(text)).duplicateOf).toBe(1);
  });
});

describe('NearDuplicateDetector.add(id, text) with detectors of different options in turn', () => {
  it('two detectors that differ only in editRatioMaxLength can add alternately (the preparation cache tells them apart)', () => {
    const a = new NearDuplicateDetector({ threshold: 0.6 });
    const b = new NearDuplicateDetector({ threshold: 0.6, editRatioMaxLength: 300 });
    const text = 'A short text, prepared for two detectors one after the other.';
    expect(a.add(1, text)).toEqual({});
    expect(b.add(1, text)).toEqual({});
    expect(a.add(2, text).duplicateOf).toBe(1);
    expect(b.add(2, text).duplicateOf).toBe(1);
  });
});

describe('identical texts share a cluster', () => {
  it('a second identical copy of a duplicate gets the same kept document, even if a closer one was kept in between', () => {
    const base = Array.from({ length: 40 }, (_, i) => `t${String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26))}`);
    const a = base.join(' ');
    const copy = [...base.slice(0, 38), 'zz', 'zy'].join(' '); // Jaccard 34/38 = 0.895 to a
    const closer = ['zw', ...copy.split(' ').slice(1)].join(' '); // 35/37 = 0.946 to copy, 33/39 = 0.846 to a
    const options = { threshold: 0.87, minRecall: 0.999 };
    const t = new NearDuplicateDetector(options);
    const first = t.add('a', a);
    const r1 = t.add('copy-1', copy);
    const between = t.add('closer', closer);
    const r2 = t.add('copy-2', copy);
    expect(first).toEqual({});
    expect(r1.duplicateOf).toBe('a');
    expect(between).toEqual({});
    expect(r2).toEqual(r1);
    // And the echo survives a save and restore.
    expect(NearDuplicateDetector.fromBytes(t.toBytes()).check(copy)).toEqual(r1);
  });
});

describe('NearDuplicateDetector exact keys under churn', () => {
  it('matches a naive map of kept texts through growth, removals (tombstones) and re-adds (method exact)', () => {
    const rand = rng(20261125);
    const word = (i: number): string => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26)); // letters only: digits normalize alike
    const pool = Array.from({ length: 400 }, (_, i) => `text ${word(i)} with some words ${word(i % 7)}`);
    const detector = new NearDuplicateDetector({ method: 'exact' });
    const kept = new Map<string, number>(); // text → id of the kept document holding it
    const textOf = new Map<number, string>();
    for (let id = 0; id < 20_000; id++) {
      if (rand() < 0.3 && textOf.size > 0) {
        // Remove a random kept document (or try an id that is not kept).
        const victim = Math.floor(rand() * id);
        const text = textOf.get(victim);
        expect(detector.remove(victim)).toBe(text !== undefined);
        if (text !== undefined) {
          kept.delete(text);
          textOf.delete(victim);
        }
        continue;
      }
      const text = pool[Math.floor(rand() * pool.length)]!;
      const owner = kept.get(text);
      const r = detector.add(id, rand() < 0.5 ? text : text.toUpperCase());
      if (owner === undefined) {
        expect(r).toEqual({});
        kept.set(text, id);
        textOf.set(id, text);
      } else {
        expect(r).toEqual({ duplicateOf: owner, similarity: 1, exact: true });
      }
    }
    expect(detector.size).toBe(textOf.size);
  });

  it('gives identical copies of a near duplicate its answer, also after a save and restore (echoes)', () => {
    const base = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau';
    const near = base.replace('sigma', 'sigmas');
    const detector = new NearDuplicateDetector({ threshold: 0.7 });
    detector.add('a', base);
    const first = detector.add('b', near);
    expect(first.duplicateOf).toBe('a');
    const restored = NearDuplicateDetector.fromBytes(detector.toBytes());
    for (const d of [detector, restored]) {
      expect(d.add('c', near.toUpperCase())).toEqual(first);
      d.remove('a');
      expect(d.add('e', near)).toEqual({}); // its kept document is gone: the copy is new now
    }
  });
});

describe('simhashDistanceFor(threshold, minRecall)', () => {
  it('is the minRecall quantile of Binomial(64, arccos(2t/(1+t))/π), computed independently with log-factorials', async () => {
    const { simhashDistanceFor, bitFlipProbability } = await import('../src/dedup/simhash-distance');
    const lf = (n: number): number => { let s = 0; for (let i = 2; i <= n; i++) s += Math.log(i); return s; };
    const cdf = (p: number, d: number): number => {
      let s = 0;
      for (let k = 0; k <= d; k++) s += Math.exp(lf(64) - lf(k) - lf(64 - k) + k * Math.log(p) + (64 - k) * Math.log1p(-p));
      return s;
    };
    for (const t of [0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.99]) {
      for (const r of [0.5, 0.9, 0.95, 0.99]) {
        const d = simhashDistanceFor(t, r);
        const p = bitFlipProbability(t);
        expect(cdf(p, d)).toBeGreaterThanOrEqual(r - 1e-9);
        if (d > 0) expect(cdf(p, d - 1)).toBeLessThan(r);
      }
    }
    expect(simhashDistanceFor(1, 0.95)).toBe(0);
  });
});

describe('exact keys agree with shingles on lone surrogates', () => {
  it('dedupe(docs) does not call texts that differ only in lone surrogates exact duplicates', () => {
    const docs = [{ id: 'a', text: ' \ud801' }, { id: 'b', text: ' \ud800' }];
    // Their char 2-shingles are disjoint (Jaccard 0): they used to share an exact key (both hashed as U+FFFD).
    expect(jaccard(shingles(' \ud801', { unit: 'char', size: 2 }), shingles(' \ud800', { unit: 'char', size: 2 }))).toBe(0);
    expect(dedupe(docs, { shingle: { unit: 'char', size: 2 } }).duplicates).toEqual([]);
    expect(dedupe(docs, { method: 'exact' }).duplicates).toEqual([]);
    expect(dedupe([...docs, { id: 'c', text: ' \ud800' }], { method: 'exact' }).duplicates).toEqual([{ id: 'c', duplicateOf: 'b', similarity: 1, exact: true }]);
    // Well-formed text keeps its key, the xxh64 of the UTF-8 of the normalized text, as before.
    const key = (text: string): bigint => {
      const d = prepareDocument(text);
      return (BigInt(d.keyHi) << 32n) | BigInt(d.keyLo);
    };
    expect(key('日本語 テキスト')).toBe(xxh64(normalize('日本語 テキスト')));
    expect(key('abc \ud800')).not.toBe(key('abc \ud801'));
    expect(key('abc \ud800')).not.toBe(xxh64('abc \ufffd'));
  });

  it('NearDuplicateDetector.add(id, text) keeps a text that differs from a kept one only in a lone surrogate, also after a save and restore', () => {
    const detector = new NearDuplicateDetector({ method: 'exact' });
    expect(detector.add('a', 'same words here \ud800')).toEqual({});
    const restored = NearDuplicateDetector.fromBytes(detector.toBytes());
    for (const d of [detector, restored]) {
      expect(d.check('same words here \ud801')).toEqual({});
      expect(d.check('same words here \ud800')).toMatchObject({ duplicateOf: 'a', exact: true });
    }
  });
});

describe('an explicit LSH banding (options.bands, options.rows)', () => {
  it('gives the same verdicts as minRecall when it is the banding minRecall chooses, and survives toBytes', () => {
    const docs = plantedCorpus(31, 80, 3, 100);
    const derived = dedupe(docs);
    const explicit = dedupe(docs, { bands: 13, rows: 7 });
    expect(explicit.kept).toEqual(derived.kept);
    expect(explicit.duplicates).toEqual(derived.duplicates);
    const d = new NearDuplicateDetector({ bands: 16, rows: 8 });
    d.add('a', docs[0]!.text);
    const restored = NearDuplicateDetector.fromBytes(d.toBytes());
    expect(restored.options).toMatchObject({ bands: 16, rows: 8 });
  });

  it('changes which pairs are proposed: one band of all 128 rows proposes only signatures equal in full', () => {
    const docs = plantedCorpus(37, 40, 3, 100);
    const loose = dedupe(docs, { verify: false });
    const strict = dedupe(docs, { verify: false, bands: 1, rows: 128 });
    expect(strict.duplicates.length).toBeLessThan(loose.duplicates.length);
    for (const d of strict.duplicates) expect(d.similarity).toBe(1);
  });
});

describe('NearDuplicateDetector.addPrepared(id, doc) checks the arrays too', () => {
  it('refuses a document whose signature has the wrong length or is missing, with the options hash intact', () => {
    const detector = new NearDuplicateDetector();
    const doc = detector.prepare('a few words are enough to make a handful of shingles here');
    expect(() => detector.addPrepared(1, { ...doc, signature: doc.signature!.subarray(0, 64) })).toThrow(/signature of 128 values/);
    expect(() => detector.addPrepared(2, { ...doc, signature: null })).toThrow(RangeError);
    expect(() => detector.addPrepared(3, { ...doc, shingles: [1, 2, 3] as never })).toThrow(RangeError);
    expect(detector.size).toBe(0);
    expect(detector.addPrepared(4, doc)).toEqual({});
  });
});
