import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BloomFilter, BLOOM_FILTER_DEFAULTS, xxh64 } from '../src/index';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Reads the bit array back out of a serialized filter: header 12 + 8 + 8 + 4 + 1 + 8 + 4 bytes, then the words. */
function bitsOf(filter: BloomFilter): Uint32Array {
  const bytes = filter.toBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = 12 + 8 + 8 + 4 + 1 + 8;
  const words = view.getUint32(start, true);
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = view.getUint32(start + 4 + 4 * i, true);
  return out;
}

/** The naive oracle: enhanced double hashing spelled out with BigInt from the public xxh64. */
function oraclePositions(item: string, m: number, k: number): number[] {
  const h = xxh64(item);
  const bm = BigInt(m);
  let x = (h & 0xffffffffn) % bm;
  let y = (h >> 32n) % bm;
  const out: number[] = [];
  for (let i = 0n; i < BigInt(k); i++) {
    out.push(Number(x));
    x = (x + y) % bm;
    y = (y + i) % bm;
  }
  return out;
}

describe('BloomFilter sizing', () => {
  // m = ⌈−n ln p / (ln 2)²⌉ rounded up to a multiple of 32; k = round((m / n) ln 2), clamped to [1, 32].
  const cases: [number, number, number, number][] = [
    [1, 0.5, 32, 22],
    [1000, 0.01, 9600, 7],
    [1000, 0.001, 14400, 10],
    [1_000_000, 0.01, 9_585_088, 7],
    [1_000_000, 0.001, 14_377_600, 10],
    [10, 1e-12, 576, 32],
  ];
  for (const [n, p, m, k] of cases) {
    it(`new BloomFilter({expectedItems: ${n}, falsePositiveRate: ${p}}) has ${m} bits and ${k} probes`, () => {
      const f = new BloomFilter({ expectedItems: n, falsePositiveRate: p });
      expect([f.bitCount, f.hashCount]).toEqual([m, k]);
      const exact = Math.ceil((-n * Math.log(p)) / Math.LN2 ** 2);
      expect(f.bitCount).toBe(Math.max(32, Math.ceil(exact / 32) * 32));
      expect(f.byteLength).toBe(m / 8);
    });
  }

  it('falsePositiveRate defaults to BLOOM_FILTER_DEFAULTS.falsePositiveRate', () => {
    expect(BLOOM_FILTER_DEFAULTS.falsePositiveRate).toBe(0.01);
    expect(Object.isFrozen(BLOOM_FILTER_DEFAULTS)).toBe(true);
    const f = new BloomFilter({ expectedItems: 1000 });
    expect(f.falsePositiveRate).toBe(0.01);
    expect(f.bitCount).toBe(9600);
  });
});

describe('BloomFilter probes', () => {
  it('add(item) sets exactly the bits of the BigInt double-hashing oracle', () => {
    for (const [n, p] of [[10, 0.1], [1000, 0.01], [3, 1e-9]] as const) {
      for (const item of ['', 'a', 'Node.js is an event-based server-side JavaScript engine.', '日本語😀']) {
        const f = new BloomFilter({ expectedItems: n, falsePositiveRate: p });
        f.add(item);
        const bits = bitsOf(f);
        const set: number[] = [];
        for (let i = 0; i < f.bitCount; i++) if (bits[i >>> 5]! & (1 << (i & 31))) set.push(i);
        const expected = [...new Set(oraclePositions(item, f.bitCount, f.hashCount))].sort((a, b) => a - b);
        expect(set).toEqual(expected);
      }
    }
  });

  it('a string and its UTF-8 bytes are the same item', () => {
    const f = new BloomFilter({ expectedItems: 100 });
    expect(f.add('héllo wörld')).toBe(true);
    expect(f.add(utf8('héllo wörld'))).toBe(false);
    expect(f.has(utf8('héllo wörld'))).toBe(true);
  });

  it('add returns true for a new item, false for a repeat; count counts the true answers', () => {
    const f = new BloomFilter({ expectedItems: 100, falsePositiveRate: 0.001 });
    expect(f.add('a')).toBe(true);
    expect(f.add('b')).toBe(true);
    expect(f.add('a')).toBe(false);
    expect(f.count).toBe(2);
    expect(f.has('c')).toBe(false);
  });

  it('has(item) is true for every added item (no false negatives, property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 200 }), fc.integer({ min: 1, max: 500 }), (items, n) => {
        const f = new BloomFilter({ expectedItems: n, falsePositiveRate: 0.05 });
        for (const s of items) f.add(s);
        for (const s of items) if (!f.has(s)) return false;
        return true;
      }),
      { seed: 20240401, numRuns: 200 },
    );
  });
});

describe('BloomFilter false-positive rate against theory', () => {
  // For ideal hashing the bits are independent given the fill: a never-added item is a false positive with
  // probability q = fill^k, so over N queries the count is Binomial(N, q); we allow 4 standard deviations.
  // The fill itself is close to its expectation 1 − (1 − 1/m)^(kn): its standard deviation is below
  // sqrt(f(1 − f) / m), and we allow 4 of those. At n = expectedItems the rate is near the target p.
  const check = (n: number, p: number, inserted: number, queries: number): void => {
    const f = new BloomFilter({ expectedItems: n, falsePositiveRate: p });
    for (let i = 0; i < inserted; i++) f.add(`member ${i}`);
    const m = f.bitCount;
    const k = f.hashCount;
    const fillExpected = 1 - (1 - 1 / m) ** (k * inserted);
    expect(Math.abs(f.fillRatio - fillExpected)).toBeLessThanOrEqual(4 * Math.sqrt((fillExpected * (1 - fillExpected)) / m));
    const q = f.fillRatio ** k;
    expect(f.estimatedFalsePositiveRate()).toBeCloseTo(q, 12);
    let positives = 0;
    for (let i = 0; i < queries; i++) if (f.has(`stranger ${i}`)) positives++;
    const sigma = Math.sqrt(queries * q * (1 - q));
    expect(Math.abs(positives - queries * q)).toBeLessThanOrEqual(4 * sigma + 1);
    return void positives;
  };

  it('at expectedItems (n = 20,000, p = 0.01): false positives are Binomial(N, fill^k) and fill^k ≈ p', () => {
    check(20_000, 0.01, 20_000, 200_000);
    const f = new BloomFilter({ expectedItems: 20_000, falsePositiveRate: 0.01 });
    for (let i = 0; i < 20_000; i++) f.add(`member ${i}`);
    // (1 − e^(−kn/m))^k with the rounded m and k is within a few percent of the target.
    const theory = (1 - Math.exp((-f.hashCount * 20_000) / f.bitCount)) ** f.hashCount;
    expect(Math.abs(theory - 0.01) / 0.01).toBeLessThan(0.05);
    expect(Math.abs(f.estimatedFalsePositiveRate() - theory)).toBeLessThan(0.1 * theory);
  });

  it('at a stricter target (n = 5,000, p = 0.001)', () => {
    check(5_000, 0.001, 5_000, 400_000);
  });

  it('over capacity (3× expectedItems) the rate climbs as theory says', () => {
    check(2_000, 0.01, 6_000, 50_000);
  });

  it('count after n distinct additions is n minus the additions that hit only set bits', () => {
    const f = new BloomFilter({ expectedItems: 10_000, falsePositiveRate: 0.01 });
    for (let i = 0; i < 10_000; i++) f.add(`member ${i}`);
    // each addition is "not new" with probability at most p, so the shortfall is at most ~ n p + 4 sqrt(n p)
    expect(f.count).toBeLessThanOrEqual(10_000);
    expect(10_000 - f.count).toBeLessThanOrEqual(10_000 * 0.01 + 4 * Math.sqrt(10_000 * 0.01));
  });
});

describe('BloomFilter.toBytes / fromBytes', () => {
  const small = (): BloomFilter => {
    const f = new BloomFilter({ expectedItems: 10, falsePositiveRate: 0.1 });
    for (const s of ['alpha', 'beta', 'gamma']) f.add(s);
    return f;
  };

  it('round-trips: same answers, same bytes, same counters', () => {
    const f = new BloomFilter({ expectedItems: 1000, falsePositiveRate: 0.01 });
    for (let i = 0; i < 500; i++) f.add(`item ${i}`);
    const g = BloomFilter.fromBytes(f.toBytes());
    expect(g.toBytes()).toEqual(f.toBytes());
    expect([g.bitCount, g.hashCount, g.count, g.expectedItems, g.falsePositiveRate]).toEqual([f.bitCount, f.hashCount, f.count, 1000, 0.01]);
    for (let i = 0; i < 2000; i++) expect(g.has(`item ${i}`)).toBe(f.has(`item ${i}`));
    expect(f.toBytes().length).toBe(f.byteLength + 49);
  });

  it('BloomFilter.fromBytes refuses every single flipped byte and every flipped bit', () => {
    const bytes = small().toBytes();
    expect(bytes.length).toBeLessThan(80);
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice();
      copy[i] = copy[i]! ^ 0xff;
      expect(() => BloomFilter.fromBytes(copy), `byte ${i}`).toThrow(RangeError);
      for (let b = 0; b < 8; b++) {
        const bit = bytes.slice();
        bit[i] = bit[i]! ^ (1 << b);
        expect(() => BloomFilter.fromBytes(bit), `byte ${i} bit ${b}`).toThrow(RangeError);
      }
    }
  });

  it('BloomFilter.fromBytes refuses every truncation and padding', () => {
    const bytes = small().toBytes();
    for (let len = 0; len < bytes.length; len++) {
      expect(() => BloomFilter.fromBytes(bytes.slice(0, len)), `length ${len}`).toThrow(RangeError);
    }
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expect(() => BloomFilter.fromBytes(padded)).toThrow(/truncated or padded/);
  });

  it('BloomFilter.fromBytes refuses other kinds and non-buffers with a clear message', () => {
    const bytes = small().toBytes();
    const other = bytes.slice();
    other[6] = 1; // kind LshIndex
    expect(() => BloomFilter.fromBytes(other)).toThrow(/holds a LshIndex, expected a BloomFilter/);
    expect(() => BloomFilter.fromBytes([1, 2, 3] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => BloomFilter.fromBytes(new TextEncoder().encode('not a filter at all, really'))).toThrow(/magic/);
  });
});

describe('BloomFilter bad input', () => {
  it('new BloomFilter(options) names the option, the range and the value', () => {
    expect(() => new BloomFilter(undefined as unknown as { expectedItems: number })).toThrow(TypeError);
    expect(() => new BloomFilter({} as { expectedItems: number })).toThrow(/BloomFilter: options.expectedItems must be an integer from 1 to 4294967295, got undefined/);
    expect(() => new BloomFilter({ expectedItems: 0 })).toThrow(RangeError);
    expect(() => new BloomFilter({ expectedItems: 1.5 })).toThrow(/BloomFilter: options.expectedItems must be an integer from 1 to 4294967295, got 1.5/);
    expect(() => new BloomFilter({ expectedItems: '10' as unknown as number })).toThrow(TypeError);
    expect(() => new BloomFilter({ expectedItems: 10, falsePositiveRate: 0 })).toThrow(/BloomFilter: options.falsePositiveRate must be a number greater than 0 and at most 0.5, got 0/);
    expect(() => new BloomFilter({ expectedItems: 10, falsePositiveRate: 0.6 })).toThrow(RangeError);
    expect(() => new BloomFilter({ expectedItems: 10, falsePositiveRate: Number.NaN })).toThrow(RangeError);
    expect(() => new BloomFilter({ expectedItems: 10, falsePositiveRate: '0.1' as unknown as number })).toThrow(TypeError);
    expect(() => new BloomFilter({ expectedItems: 2 ** 32 - 1, falsePositiveRate: 1e-6 })).toThrow(/BloomFilter: options.expectedItems must be small enough for 4294967264 bits at falsePositiveRate 0.000001 \(this one needs \d+\), got 4294967295/);
  });

  it('add / has refuse non-string, non-bytes items', () => {
    const f = new BloomFilter({ expectedItems: 10 });
    expect(() => f.add(42 as unknown as string)).toThrow(/BloomFilter.add: item must be a string or a Uint8Array, got 42/);
    expect(() => f.has(null as unknown as string)).toThrow(TypeError);
  });
});
