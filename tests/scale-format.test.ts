/**
 * The library part of the staged run (`src/scale/`): the stage file layout and its refusals, the k-way merge, the
 * cluster union-find and the candidate rule, each against a naive oracle (seeded fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupe, NearDuplicateDetector, prepareDocument } from '../src/dedup';
import { LshIndex } from '../src/lsh';
import { shareBand } from '../src/dedup/detector';
import { Kind } from '../src/envelope';
import { bandKey } from '../src/lsh/band-key';
import {
  blockCount, blockSpan, checkBlock, decodeDoc, encodeDoc, mergeGroups, NONE, OrdinalSet, parseHeader, ScaleClusters, sortRecords4, StageFileWriter,
  type FileIdentity,
} from '../src/scale';

const id = (over: Partial<FileIdentity> = {}): FileIdentity => ({ kind: Kind.ScaleBand, optionsJson: '{"threshold":0.8,"seed":1}', shard: 3, band: 1, part: 0, ...over });

/** Writes a whole file in memory: header, then the sealed blocks. */
function writeFile(identity: FileIdentity, chunks: Uint8Array[], records: number, blockBytes = 32): Uint8Array {
  const w = new StageFileWriter(identity, blockBytes);
  const blocks: Uint8Array[] = [];
  for (const c of chunks) blocks.push(...w.write(c));
  const { tail, header } = w.finish(records, 7);
  blocks.push(...tail);
  const out = new Uint8Array(header.length + blocks.reduce((a, b) => a + b.length, 0));
  out.set(header);
  let at = header.length;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Reads it back through the checks; returns the payload. */
function readFile(bytes: Uint8Array, expect: FileIdentity): Uint8Array {
  const h = parseHeader(bytes, expect, 'f.ndb', bytes.length);
  const out: number[] = [];
  for (let i = 0; i < blockCount(h); i++) {
    const { position, length } = blockSpan(h, i);
    out.push(...checkBlock(h, i, bytes.subarray(position, position + length + 4), 'f.ndb'));
  }
  return Uint8Array.from(out);
}

describe('StageFileWriter / parseHeader / checkBlock', () => {
  it('round-trips any payload cut into any chunks (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 8 }), fc.integer({ min: 16, max: 64 }), (chunks, blockBytes) => {
        const bytes = writeFile(id(), chunks, 5, blockBytes);
        const payload = Uint8Array.from(chunks.flatMap((c) => [...c]));
        expect(readFile(bytes, id())).toEqual(payload);
        const h = parseHeader(bytes, id(), 'f', bytes.length);
        expect([h.records, h.extra, h.payloadBytes]).toEqual([5, 7, payload.length]);
      }),
      { seed: 12, numRuns: 100 },
    );
  });

  it('refuses any single flipped bit, naming the file (seeded)', () => {
    const bytes = writeFile(id(), [Uint8Array.from({ length: 100 }, (_, i) => i)], 6);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
        const copy = bytes.slice();
        copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
        expect(() => readFile(copy, id())).toThrow(/^f\.ndb: /);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('refuses a truncated file, another kind, shard, band or part, and other options (naming them)', () => {
    const bytes = writeFile(id(), [new Uint8Array(50)], 3);
    expect(() => parseHeader(bytes, id(), 'f', bytes.length - 1)).toThrow(`f: the header announces ${bytes.length} bytes but the file has ${bytes.length - 1} (truncated)`);
    expect(() => parseHeader(bytes, id({ kind: Kind.ScaleEdges }), 'f', bytes.length)).toThrow('f: holds a ScaleBand, expected a ScaleEdges');
    expect(() => parseHeader(bytes, id({ shard: 4 }), 'f', bytes.length)).toThrow('f: belongs to shard 3, expected 4');
    expect(() => parseHeader(bytes, id({ band: NONE }), 'f', bytes.length)).toThrow('f: belongs to band 1, expected none');
    expect(() => parseHeader(bytes, id({ optionsJson: '{"threshold":0.9,"seed":1}' }), 'f', bytes.length)).toThrow('f: written with other options: threshold 0.8 (this run: 0.9)');
    expect(() => parseHeader(new TextEncoder().encode('{"a":1}'.padEnd(80)), id(), 'f', 80)).toThrow('f: not a neardup file');
  });
});

describe('encodeDoc / decodeDoc', () => {
  it('round-trips prepared documents with and without id and normalized text', () => {
    for (const [text, idText, editRatioMaxLength] of [['Some text, with a few words in it here.', '"a"', 0], ['short', null, 100], ['', '7', 0]] as const) {
      const doc = prepareDocument(text, { editRatioMaxLength });
      const back = decodeDoc(encodeDoc(42, idText, doc), 128, doc.optionsHash);
      expect(back).toEqual({ line: 42, id: idText, doc });
    }
  });
});

/** Random sorted runs of (hi, lo, shard, ordinal) with few distinct hashes, so groups form. */
const runsArb = fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })), { maxLength: 30 }), { minLength: 1, maxLength: 6 });

describe('mergeGroups(runs)', () => {
  it('yields exactly the groups of ≥ 2 records sharing a hash, members in (shard, ordinal) order (seeded, naive oracle)', async () => {
    await fc.assert(
      fc.asyncProperty(runsArb, fc.integer({ min: 1, max: 5 }), async (runs, chunkRecords) => {
        const sorted = runs.map((r, shard) => {
          const words = new Uint32Array(r.flatMap(([hi, lo], ordinal) => [hi * 0x40000000, lo, shard, ordinal]));
          return sortRecords4(words, r.length);
        });
        const sources = sorted.map((w) => {
          let at = 0;
          return { next: async () => (at < w.length ? w.slice(at, (at += 4 * chunkRecords)) : null) };
        });
        const got: number[][] = [];
        for await (const g of mergeGroups(sources, (i) => `run ${i}`)) got.push([...g]);
        // Oracle: group every record by hash, in hash order.
        const all = sorted.flatMap((w) => Array.from({ length: w.length / 4 }, (_, i) => [...w.subarray(4 * i, 4 * i + 4)]));
        all.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]!);
        const want: number[][] = [];
        for (let i = 0; i < all.length; ) {
          let j = i;
          while (j < all.length && all[j]![0] === all[i]![0] && all[j]![1] === all[i]![1]) j++;
          if (j - i >= 2) want.push(all.slice(i, j).flatMap((r) => [r[2]!, r[3]!]));
          i = j;
        }
        expect(got).toEqual(want);
      }),
      { seed: 5, numRuns: 150 },
    );
  });

  it('refuses a run that is out of order, naming it', async () => {
    const w = new Uint32Array([2, 0, 0, 0, 1, 0, 0, 1]);
    const src = { next: (() => { let done = false; return async () => (done ? null : ((done = true), w)); })() };
    await expect((async () => { for await (const _ of mergeGroups([src], () => 'bands/000/000/00000.ndb')) void _; })()).rejects.toThrow('bands/000/000/00000.ndb: records out of order');
  });
});

describe('ScaleClusters', () => {
  it('gives the components of the edges and keeps the first (or longest) member, an earlier run\'s (pinned) member first (seeded, naive oracle)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 40, maxLength: 40 }),
        fc.boolean(),
        fc.nat(),
        (counts, rawEdges, lens, longest, pin) => {
          const n = counts.reduce((a, b) => a + b, 0);
          if (n === 0) return;
          const lengths = longest ? Uint32Array.from(lens.slice(0, n)) : null;
          const pinnedShards = pin % (counts.length + 1);
          const pinned = counts.slice(0, pinnedShards).reduce((a, b) => a + b, 0);
          const uf = new ScaleClusters(counts, lengths, pinnedShards);
          const edges = rawEdges.map(([a, b]) => [a % n, b % n] as const);
          for (const [a, b] of edges) uf.union(a, b);
          // Oracle: label propagation to a fixed point, then the preferred member of each component.
          const label = Array.from({ length: n }, (_, i) => i);
          for (let changed = true; changed; ) {
            changed = false;
            for (const [a, b] of edges) {
              const m = Math.min(label[a]!, label[b]!);
              if (label[a] !== m || label[b] !== m) { label[a] = m; label[b] = m; changed = true; }
            }
          }
          const better = (a: number, b: number): boolean =>
            a < pinned !== b < pinned ? a < pinned : lengths && lengths[a] !== lengths[b] ? lengths[a]! > lengths[b]! : a < b;
          const rep = new Map<number, number>();
          for (let i = 0; i < n; i++) {
            const r = rep.get(label[i]!);
            if (r === undefined || better(i, r)) rep.set(label[i]!, i);
          }
          let offset = 0;
          counts.forEach((count, shard) => {
            const want: number[] = [];
            for (let o = 0; o < count; o++) {
              const r = rep.get(label[offset + o]!)!;
              if (r !== offset + o) {
                const rs = uf.shardOf(r);
                want.push(o, rs, r - uf.offsets[rs]!);
              }
            }
            expect([...uf.removals(shard)]).toEqual(want);
            // An earlier run's document is never removed for a new one.
            if (shard < pinnedShards) for (let k = 1; k < want.length; k += 3) expect(want[k]).toBeLessThan(pinnedShards);
            offset += count;
          });
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });
});

describe('sortRecords4(words, count)', () => {
  const word = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0x7ff, 0x800, 0x3fffff, 0x400000, 0xffffffff));
  it('equals a comparator sort by all four words, unsigned, for runs in (shard, ordinal) order and any others (seeded, naive oracle)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word, word, word), { maxLength: 300 }), fc.boolean(), fc.integer({ min: 0, max: 20 }), (records, signLike, extra) => {
        // A sign-stage run: one shard, ordinals appended in order (the fast path); otherwise arbitrary records.
        const rs = signLike ? records.map(([a, b], i) => [a, b, 7, i] as const) : records;
        const words = new Uint32Array(4 * rs.length + 4 * extra).fill(0xdeadbeef);
        rs.forEach((r, i) => words.set(r, 4 * i));
        const oracle = [...rs].sort((x, y) => {
          for (let k = 0; k < 4; k++) if (x[k] !== y[k]) return x[k]! < y[k]! ? -1 : 1;
          return 0;
        });
        expect([...sortRecords4(words, rs.length)]).toEqual(oracle.flat());
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});

describe('OrdinalSet', () => {
  it('has(o) agrees with a Set for any ordinals added, inside and past the shard (seeded, naive oracle)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.array(fc.nat(), { maxLength: 60 }), (documents, raw) => {
        const set = new OrdinalSet(documents);
        const oracle = new Set<number>();
        for (const r of raw) {
          if (documents === 0) break;
          set.add(r % documents);
          oracle.add(r % documents);
        }
        expect(set.size).toBe(oracle.size);
        for (let o = 0; o < documents + 40; o++) expect(set.has(o)).toBe(oracle.has(o));
      }),
      { seed: 4, numRuns: 200 },
    );
  });
});

describe('the candidate rule', () => {
  it('shareBand(a, b) is true exactly when some band has all rows equal (seeded, naive oracle)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }), (x, y) => {
        const a = Uint32Array.from(x);
        const b = Uint32Array.from(y);
        const naive = [0, 1, 2, 3].some((band) => [0, 1, 2].every((r) => a[band * 3 + r] === b[band * 3 + r]));
        expect(shareBand(a, b, 4, 3)).toBe(naive);
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  it('a pair whose 32-bit band keys collide but whose band values differ is not a candidate of the in-process detector', () => {
    const options = { numPerm: 2, threshold: 0.9, minRecall: 0.5, shingle: { unit: 'word' as const, size: 1 } };
    const { bands, rows } = new LshIndex({ threshold: 0.9, numPerm: 2, minRecall: 0.5 });
    expect([bands, rows]).toEqual([1, 2]);
    // Two different 2-value bands with the same 32-bit key (a birthday search).
    const seen = new Map<number, number>();
    const v = new Uint32Array(2);
    const band = (i: number): Uint32Array => Uint32Array.of(i, Math.imul(i, 0x9e3779b1) >>> 0);
    let pair: [number, number] | null = null;
    for (let i = 1; pair === null && i < 1_000_000; i++) {
      v.set(band(i));
      const k = bandKey(v, 0, 2, 0);
      const j = seen.get(k);
      if (j !== undefined) pair = [j, i];
      else seen.set(k, i);
    }
    expect(pair).not.toBeNull();
    // Same shingle set (Jaccard 1), different texts (not exact), signatures forced onto the colliding bands.
    const a = prepareDocument('alpha beta', options);
    const b = prepareDocument('beta alpha', options);
    const detector = new NearDuplicateDetector(options);
    expect(detector.addPrepared('a', { ...a, signature: band(pair![0]) })).toEqual({});
    expect(detector.addPrepared('b', { ...b, signature: band(pair![1]) })).toEqual({});
    expect(detector.candidates).toBe(0);
    // With equal band values the same pair is a candidate, verified, and a duplicate.
    const d2 = new NearDuplicateDetector(options);
    d2.addPrepared('a', { ...a, signature: band(pair![0]) });
    expect(d2.addPrepared('b', { ...b, signature: band(pair![0]) })).toEqual({ duplicateOf: 'a', similarity: 1, exact: false });
  });
});
