import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SLOT, MINHASH_DEFAULTS, MINHASH_LIMITS, MinHasher, estimateJaccard, signatureFromBytes, signatureToBytes,
} from '../src/index';
import type { MinHashScheme, MinHashSignature } from '../src/index';
import { fssWasmActive, setFssWasmEnabled } from '../src/minhash/kernels';
import { isEmptySignature } from '../src/minhash/types';
import { naiveMix32, naiveWords } from './helpers/oracles';
import { mulberry32Uint as mulberry32 } from './helpers/random';

const M32 = 0xffffffffn;

const SCHEMES: MinHashScheme[] = ['classic', 'fast'];

// ---------------------------------------------------------------------------------------------------------
// Naive oracles, written from the documentation with BigInt arithmetic (independent of Math.imul).
// ---------------------------------------------------------------------------------------------------------
const clampSlot = (v: number): number => (v === EMPTY_SLOT ? EMPTY_SLOT - 1 : v);

/** Classic: slot i = min over x of mix32(mix32(x ^ key) ^ salt_i). */
function naiveClassic(set: ArrayLike<number>, numPerm: number, seed: number): Uint32Array {
  const key = naiveWords(seed, 1, 0)[0]!;
  const salts = naiveWords(seed, numPerm, 1);
  const out = new Uint32Array(numPerm).fill(EMPTY_SLOT);
  if (set.length === 0) return out;
  for (let i = 0; i < numPerm; i++) {
    let best = Infinity;
    for (let e = 0; e < set.length; e++) best = Math.min(best, naiveMix32((naiveMix32((set[e]! ^ key) >>> 0) ^ salts[i]!) >>> 0));
    out[i] = clampSlot(best);
  }
  return out;
}

/** Fast Similarity Sketching without early termination: every element, all 2k rounds. */
function naiveFast(set: ArrayLike<number>, k: number, seed: number): Uint32Array {
  const key = naiveWords(seed, 1, 0)[0]!;
  const salts = naiveWords(seed, 2 * k, 2);
  const R = Math.ceil(Math.log2(2 * k));
  const out = new Uint32Array(k).fill(EMPTY_SLOT);
  if (set.length === 0) return out;
  const best = new Array<number>(k).fill(Infinity);
  for (let e = 0; e < set.length; e++) {
    const y = naiveMix32((set[e]! ^ key) >>> 0);
    for (let r = 0; r < 2 * k; r++) {
      const h = naiveMix32((y ^ salts[r]!) >>> 0);
      let bin: number;
      let frac: number;
      if (r < k) {
        const prod = BigInt(h) * BigInt(k);
        bin = Number(prod >> 32n);
        frac = Number(prod & M32);
      } else {
        bin = r - k;
        frac = h;
      }
      const v = r * 2 ** (32 - R) + Math.floor(frac / 2 ** R);
      if (v < best[bin]!) best[bin] = v;
    }
  }
  for (let b = 0; b < k; b++) out[b] = clampSlot(best[b]!);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Seeded construction of set pairs with an exact Jaccard similarity.
// ---------------------------------------------------------------------------------------------------------

/** Two sets with |A ∪ B| = union and |A ∩ B| = J · union exactly (random distinct uint32 elements). */
function pairWithJaccard(next: () => number, jaccard: number, union: number): [Uint32Array, Uint32Array] {
  const inter = Math.round(jaccard * union);
  expect(inter / union).toBe(jaccard);
  const seen = new Set<number>();
  const draw = (): number => {
    for (;;) {
      const v = next();
      if (!seen.has(v)) {
        seen.add(v);
        return v;
      }
    }
  };
  const both = Array.from({ length: inter }, draw);
  const onlyA = Array.from({ length: Math.floor((union - inter) / 2) }, draw);
  const onlyB = Array.from({ length: union - inter - onlyA.length }, draw);
  return [Uint32Array.from([...both, ...onlyA]), Uint32Array.from([...onlyB, ...both])];
}

const exactJaccard = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const A = new Set(Array.from(a));
  const B = new Set(Array.from(b));
  const inter = [...A].filter((x) => B.has(x)).length;
  const union = A.size + B.size - inter;
  return union === 0 ? 0 : inter / union;
};

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const uint32Set = (maxLength: number): fc.Arbitrary<Uint32Array> =>
  fc.uniqueArray(uint32, { maxLength }).map((xs) => Uint32Array.from(xs));

// ---------------------------------------------------------------------------------------------------------

describe('MinHasher options', () => {
  it('new MinHasher() uses MINHASH_DEFAULTS', () => {
    const h = new MinHasher();
    expect([h.numPerm, h.seed, h.scheme]).toEqual([MINHASH_DEFAULTS.numPerm, MINHASH_DEFAULTS.seed, MINHASH_DEFAULTS.scheme]);
    expect([h.numPerm, h.seed, h.scheme]).toEqual([128, 1, 'fast']);
    expect(Object.isFrozen(MINHASH_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(MINHASH_LIMITS)).toBe(true);
  });

  it('new MinHasher({seed: 0}) keeps seed 0 (read with ??, not ||)', () => {
    expect(new MinHasher({ seed: 0 }).seed).toBe(0);
  });

  it('new MinHasher({numPerm}) accepts the limits and rejects what is outside them', () => {
    expect(new MinHasher({ numPerm: 1 }).numPerm).toBe(1);
    expect(new MinHasher({ numPerm: MINHASH_LIMITS.maxNumPerm, scheme: 'fast' }).numPerm).toBe(65535);
    expect(() => new MinHasher({ numPerm: 0 })).toThrow(new RangeError('MinHasher: options.numPerm must be an integer from 1 to 65535, got 0'));
    expect(() => new MinHasher({ numPerm: 65536 })).toThrow(RangeError);
    expect(() => new MinHasher({ numPerm: 1.5 })).toThrow(RangeError);
    expect(() => new MinHasher({ numPerm: '128' as unknown as number })).toThrow(TypeError);
  });

  it('new MinHasher({seed}) rejects seeds outside [0, 2^32 − 1]', () => {
    expect(new MinHasher({ seed: 0xffffffff }).seed).toBe(0xffffffff);
    expect(() => new MinHasher({ seed: -1 })).toThrow(/MinHasher: options.seed must be an integer from 0 to 4294967295, got -1/);
    expect(() => new MinHasher({ seed: 2 ** 32 })).toThrow(RangeError);
    expect(() => new MinHasher({ seed: NaN })).toThrow(RangeError);
  });

  it('new MinHasher({scheme}) rejects unknown schemes', () => {
    expect(() => new MinHasher({ scheme: 'oph' as MinHashScheme })).toThrow(new RangeError('MinHasher: options.scheme must be "classic" or "fast", got "oph"'));
    expect(() => new MinHasher({ scheme: 1 as unknown as MinHashScheme })).toThrow(TypeError);
  });

  it('new MinHasher(options) rejects a non-object', () => {
    expect(() => new MinHasher(128 as unknown as object)).toThrow(TypeError);
  });
});

describe('MinHasher golden vectors', () => {
  // First six slots at numPerm 128. Pinned: changing them breaks every stored signature and LSH index.
  const inputs: Record<string, Uint32Array> = {
    '[1,2,3]': new Uint32Array([1, 2, 3]),
    '[0]': new Uint32Array([0]),
    '0..999': Uint32Array.from({ length: 1000 }, (_, i) => i),
    '[0xffffffff]': new Uint32Array([0xffffffff]),
  };
  const table: [MinHashScheme, number, string, number[]][] = [
    ['classic', 1, '[1,2,3]', [0x31926055, 0x1f596c54, 0x4c105632, 0xacd0e209, 0x2e503aec, 0x4d39ebbf]],
    ['classic', 1, '[0]', [0xec8db5d3, 0xb9c1526c, 0x4d63937e, 0x31f4ab10, 0xefb4d859, 0x15397cef]],
    ['classic', 1, '0..999', [0x005ce2f4, 0x00733d7c, 0x00098b06, 0x00152c26, 0x00420f69, 0x0034a204]],
    ['classic', 1, '[0xffffffff]', [0xbc84d14a, 0x3360a9fc, 0x62b6241e, 0xf6ee55ae, 0x5ddfbca1, 0x5c65952c]],
    ['classic', 0, '[1,2,3]', [0x8ff4582f, 0x548cfa2e, 0x499e2230, 0x577ca28f, 0x1171b208, 0xa68ed489]],
    ['classic', 0, '[0]', [0x52a3266c, 0x61eda9f7, 0xb5fcb512, 0x37654605, 0x9de9e842, 0x44ff2ca2]],
    ['classic', 0, '0..999', [0x007b9458, 0x000e9d1d, 0x000f5480, 0x00959f2a, 0x0031b4cc, 0x0002825b]],
    ['classic', 0, '[0xffffffff]', [0xf793f0e2, 0x9d19614f, 0x51b0230e, 0x8a4ece62, 0x0847c9d6, 0xdb1ecaee]],
    ['fast', 1, '[1,2,3]', [0x07fc1602, 0x094a6ca9, 0x7f29c56d, 0x03a38b60, 0x01466ebc, 0x00d947c4]],
    ['fast', 1, '[0]', [0x5a97f686, 0x813844eb, 0x3f178396, 0x698ebe33, 0x402e74b9, 0x62cc908f]],
    ['fast', 1, '0..999', [0x001a8f0e, 0x0036ae20, 0x000c9d70, 0x002e125e, 0x0068614a, 0x005e6731]],
    ['fast', 1, '[0xffffffff]', [0x807297ae, 0x81249c49, 0x820c20a6, 0x8310724c, 0x841894b1, 0x85eaee43]],
    ['fast', 0, '[1,2,3]', [0x1b0abefc, 0x8140f439, 0x259da5e7, 0x085d6bec, 0x021645ba, 0x60f72b76]],
    ['fast', 0, '[0]', [0x80a66738, 0x00138e8b, 0x191b1e37, 0x51c1d4b2, 0x84e1dd51, 0x85671930]],
    ['fast', 0, '0..999', [0x00130738, 0x00138e8b, 0x001dd68a, 0x00439bd1, 0x00055900, 0x0000cb60]],
    ['fast', 0, '[0xffffffff]', [0x309a9cba, 0x044dcaf6, 0x64b85968, 0x839238b9, 0x547b100f, 0x852762c8]],
  ];
  for (const [scheme, seed, name, expected] of table) {
    it(`MinHasher({scheme: '${scheme}', seed: ${seed}}) on ${name}: signature, signatureInto, bytes round trip and naive oracle agree`, () => {
      const set = inputs[name]!;
      const hasher = new MinHasher({ scheme, seed, numPerm: 128 });
      const sig = hasher.signature(set);
      expect(Array.from(sig.values.subarray(0, 6))).toEqual(expected);
      const into = new Uint32Array(128);
      expect(hasher.signatureInto(set, into)).toBe(into);
      expect(into).toEqual(sig.values);
      expect(signatureFromBytes(signatureToBytes(sig))).toEqual(sig);
      // Order and duplicates do not matter.
      const shuffled = Uint32Array.from([...Array.from(set).reverse(), ...Array.from(set)]);
      expect(hasher.signature(shuffled).values).toEqual(sig.values);
      const oracle = scheme === 'classic' ? naiveClassic(set, 128, seed) : naiveFast(set, 128, seed);
      expect(sig.values).toEqual(oracle);
    });
  }
});

describe('MinHasher.signature(shingles) against naive oracles', () => {
  it('classic equals min over x of mix32(mix32(x ^ key) ^ salt_i) (fast-check)', () => {
    fc.assert(
      fc.property(uint32Set(20), fc.integer({ min: 1, max: 40 }), uint32, (set, numPerm, seed) => {
        expect(new MinHasher({ scheme: 'classic', numPerm, seed }).signature(set).values).toEqual(naiveClassic(set, numPerm, seed));
      }),
      { seed: 11, numRuns: 60 },
    );
  });

  it('fast (early-terminated rounds) equals FSS run over all 2k rounds, power-of-two and other k (fast-check)', () => {
    fc.assert(
      fc.property(uint32Set(30), fc.integer({ min: 1, max: 70 }), uint32, (set, numPerm, seed) => {
        expect(new MinHasher({ scheme: 'fast', numPerm, seed }).signature(set).values).toEqual(naiveFast(set, numPerm, seed));
      }),
      { seed: 12, numRuns: 80 },
    );
  });

  it('fast at numPerm 128 (the WebAssembly kernel has a loop of its own for it) and its neighbours equals the oracle, with and without WebAssembly (fast-check)', () => {
    expect(fssWasmActive()).toBe(true);
    try {
      fc.assert(
        fc.property(uint32Set(200), fc.constantFrom(64, 127, 128, 129, 256), uint32, (set, numPerm, seed) => {
          const hasher = new MinHasher({ scheme: 'fast', numPerm, seed });
          const expected = naiveFast(set, numPerm, seed);
          setFssWasmEnabled(true);
          expect(hasher.signature(set).values).toEqual(expected);
          setFssWasmEnabled(false);
          expect(hasher.signature(set).values).toEqual(expected);
        }),
        { seed: 13, numRuns: 40 },
      );
    } finally {
      setFssWasmEnabled(true);
    }
  });
});

describe('estimateJaccard(a, b) accuracy (statistical)', () => {
  // For every exact Jaccard J and scheme: PAIRS seeded pairs, each hashed with its own seed. With
  // σ = √(J(1 − J)/k): |mean error| ≤ 4σ/√PAIRS; every |error| ≤ 5σ; the number of pairs with |error| > 2σ is
  // at most the binomial mean + 4 binomial standard deviations (P(|Z| > 2) = 0.0455); RMSE ≤ σ(1 + 4√(2/PAIRS))
  // (the sample-variance tolerance), i.e. the fast scheme is at least as accurate as classic MinHash.
  const K = 128;
  const PAIRS = 300;
  for (const scheme of SCHEMES) {
    for (const J of [0.1, 0.3, 0.5, 0.8, 0.95]) {
      it(`${scheme}: J = ${J}, k = ${K}, ${PAIRS} pairs of 20 to 2000 elements`, () => {
        const next = mulberry32(Math.round(J * 1000) + (scheme === 'fast' ? 7 : 0));
        const sigma = Math.sqrt((J * (1 - J)) / K);
        const errors: number[] = [];
        const unions = [20, 100, 200, 2000];
        for (let p = 0; p < PAIRS; p++) {
          const [a, b] = pairWithJaccard(next, J, unions[p % unions.length]!);
          const hasher = new MinHasher({ scheme, numPerm: K, seed: p });
          errors.push(estimateJaccard(hasher.signature(a), hasher.signature(b)) - J);
        }
        const mean = errors.reduce((s, e) => s + e, 0) / PAIRS;
        const rmse = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / PAIRS);
        const beyond2 = errors.filter((e) => Math.abs(e) > 2 * sigma).length;
        const q = 0.0455;
        expect(Math.abs(mean)).toBeLessThanOrEqual((4 * sigma) / Math.sqrt(PAIRS));
        expect(Math.max(...errors.map(Math.abs))).toBeLessThanOrEqual(5 * sigma);
        expect(beyond2).toBeLessThanOrEqual(PAIRS * q + 4 * Math.sqrt(PAIRS * q * (1 - q)));
        expect(rmse).toBeLessThanOrEqual(sigma * (1 + 4 * Math.sqrt(2 / PAIRS)));
      });
    }
  }

  it('estimateJaccard(a, a) is 1 and disjoint random sets estimate below 3/k', () => {
    for (const scheme of SCHEMES) {
      const hasher = new MinHasher({ scheme });
      const next = mulberry32(99);
      const [a, b] = pairWithJaccard(next, 0, 500);
      const sa = hasher.signature(a);
      expect(estimateJaccard(sa, sa)).toBe(1);
      expect(estimateJaccard(sa, hasher.signature(b))).toBeLessThan(3 / 128);
    }
  });
});

describe('MinHasher.merge(a, b)', () => {
  for (const scheme of SCHEMES) {
    it(`${scheme}: merge(signature(A), signature(B)) equals signature(A ∪ B) (fast-check)`, () => {
      fc.assert(
        fc.property(uint32Set(60), uint32Set(60), fc.constantFrom(1, 3, 16, 100, 128), uint32, (a, b, numPerm, seed) => {
          const hasher = new MinHasher({ scheme, numPerm, seed });
          const union = Uint32Array.from(new Set([...a, ...b]));
          const merged = hasher.merge(hasher.signature(a), hasher.signature(b));
          expect(merged).toEqual(hasher.signature(union));
        }),
        { seed: scheme === 'fast' ? 21 : 22, numRuns: 80 },
      );
    });
  }

  it('merging shards in any grouping equals the signature of the whole set', () => {
    const hasher = new MinHasher();
    const whole = Uint32Array.from({ length: 3000 }, (_, i) => Math.imul(i, 2654435761) >>> 0);
    const shards = [0, 1, 2, 3].map((s) => whole.subarray(s * 750, (s + 1) * 750));
    const sigs = shards.map((s) => hasher.signature(s));
    const left = hasher.merge(hasher.merge(hasher.merge(sigs[0]!, sigs[1]!), sigs[2]!), sigs[3]!);
    const right = hasher.merge(hasher.merge(sigs[3]!, sigs[2]!), hasher.merge(sigs[1]!, sigs[0]!));
    expect(left.values).toEqual(hasher.signature(whole).values);
    expect(right.values).toEqual(left.values);
  });

  it('merge(a, empty) is a', () => {
    for (const scheme of SCHEMES) {
      const hasher = new MinHasher({ scheme, numPerm: 64 });
      const a = hasher.signature(new Uint32Array([5, 6, 7]));
      const empty = hasher.signature(new Uint32Array(0));
      expect(hasher.merge(a, empty)).toEqual(a);
      expect(hasher.merge(empty, empty).values.every((v) => v === EMPTY_SLOT)).toBe(true);
    }
  });
});

describe('empty sets', () => {
  it('signature(empty) is all EMPTY_SLOT and estimates 0 with everything, itself included', () => {
    for (const scheme of SCHEMES) {
      const hasher = new MinHasher({ scheme, numPerm: 32 });
      const empty = hasher.signature(new Uint32Array(0));
      expect(empty.values).toEqual(new Uint32Array(32).fill(0xffffffff));
      expect(isEmptySignature(empty.values)).toBe(true);
      expect(estimateJaccard(empty, empty)).toBe(0);
      expect(hasher.estimateJaccard(empty, hasher.signature(new Uint32Array([1])))).toBe(0);
    }
  });

  it('no slot of a non-empty signature is EMPTY_SLOT (fast-check, including k = 1)', () => {
    fc.assert(
      fc.property(uint32Set(10).filter((s) => s.length > 0), fc.constantFrom(...SCHEMES), fc.integer({ min: 1, max: 16 }), uint32, (set, scheme, numPerm, seed) => {
        const values = new MinHasher({ scheme, numPerm, seed }).signature(set).values;
        expect(values.includes(EMPTY_SLOT)).toBe(false);
        expect(isEmptySignature(values)).toBe(false);
      }),
      { seed: 31, numRuns: 200 },
    );
  });
});

describe('fast scheme: a filling round that yields 0xFFFFFFFF', () => {
  // mix32 is a bijection, so an element whose filling-round hash is 0xFFFFFFFF can be built by running it backwards.
  const inverse = (a: bigint): bigint => {
    let x = a; // Newton's iteration for the inverse of an odd number mod 2^32
    for (let i = 0; i < 5; i++) x = (x * (2n - a * x)) & M32;
    return x;
  };
  const unshift = (v: bigint, s: bigint): bigint => {
    let x = v;
    for (let i = 0; i < 32; i++) x = v ^ (x >> s);
    return x & M32;
  };
  const unmix = (h: number): number => {
    let v = unshift(BigInt(h >>> 0), 16n);
    v = (v * inverse(0x846ca68bn)) & M32;
    v = unshift(v, 15n);
    v = (v * inverse(0x7feb352dn)) & M32;
    return Number(unshift(v, 16n));
  };

  it('is stored as 0xFFFFFFFE, with and without WebAssembly (k = 2: the last bin filled by round 3)', () => {
    expect(naiveMix32(unmix(0x12345678))).toBe(0x12345678);
    let found = 0;
    for (let seed = 0; found < 3 && seed < 200; seed++) {
      const key = naiveWords(seed, 1, 0)[0]!;
      const salts = naiveWords(seed, 4, 2);
      // Round 3 fills bin 1 with (3 << 30) | (h >>> 2): all ones when h = 0xFFFFFFFF.
      const y = (unmix(0xffffffff) ^ salts[3]!) >>> 0;
      const x = (unmix(y) ^ key) >>> 0;
      // Bin 1 must be left empty by the random rounds 0 and 1 (the top bit of h picks the bin when k = 2).
      if ([0, 1].some((r) => naiveMix32((y ^ salts[r]!) >>> 0) >= 0x80000000)) continue;
      found++;
      const set = Uint32Array.of(x);
      expect(naiveFast(set, 2, seed)[1]).toBe(0xfffffffe);
      for (const wasm of [true, false]) {
        setFssWasmEnabled(wasm);
        try {
          expect(new MinHasher({ numPerm: 2, seed }).signature(set).values).toEqual(naiveFast(set, 2, seed));
        } finally {
          setFssWasmEnabled(true);
        }
      }
    }
    expect(found).toBe(3);
  });
});

describe('determinism', () => {
  it('two MinHashers with the same options give the same signatures; another seed gives others', () => {
    const set = Uint32Array.from({ length: 50 }, (_, i) => i * 7919);
    for (const scheme of SCHEMES) {
      const a = new MinHasher({ scheme, seed: 5 }).signature(set);
      const b = new MinHasher({ scheme, seed: 5 }).signature(set);
      expect(a).toEqual(b);
      const c = new MinHasher({ scheme, seed: 6 }).signature(set);
      expect(c.values).not.toEqual(a.values);
    }
  });

  it('signatures do not depend on earlier calls (shared scratch buffers are reset)', () => {
    const hasher = new MinHasher();
    const small = new Uint32Array([1, 2, 3]);
    const first = hasher.signature(small);
    hasher.signature(Uint32Array.from({ length: 5000 }, (_, i) => i));
    new MinHasher({ numPerm: 1000 }).signature(Uint32Array.from({ length: 10 }, (_, i) => i));
    expect(hasher.signature(small)).toEqual(first);
  });

  it('estimateJaccard is a multiple of 1/numPerm in [0, 1] and symmetric (fast-check)', () => {
    fc.assert(
      fc.property(uint32Set(40), uint32Set(40), fc.constantFrom(...SCHEMES), (a, b, scheme) => {
        const hasher = new MinHasher({ scheme, numPerm: 64 });
        const sa = hasher.signature(a);
        const sb = hasher.signature(b);
        const e = estimateJaccard(sa, sb);
        expect(e).toBe(estimateJaccard(sb, sa));
        expect(Number.isInteger(e * 64)).toBe(true);
        expect(e >= 0 && e <= 1).toBe(true);
        // Identical signatures imply nothing, but J = 1 implies identical signatures.
        if (exactJaccard(a, b) === 1 && a.length > 0) expect(e).toBe(1);
      }),
      { seed: 41, numRuns: 100 },
    );
  });
});

describe('mismatched or malformed signatures', () => {
  const set = new Uint32Array([1, 2, 3]);
  const base = new MinHasher({ numPerm: 64, seed: 1, scheme: 'fast' });
  const sig = base.signature(set);

  it('estimateJaccard(a, b) throws a RangeError naming the differing field', () => {
    expect(() => estimateJaccard(sig, new MinHasher({ numPerm: 32, seed: 1 }).signature(set))).toThrow(/estimateJaccard: b.numPerm must be a.numPerm = 64 \(only signatures made with the same numPerm, seed and scheme can be compared or merged\), got 32/);
    expect(() => estimateJaccard(sig, new MinHasher({ numPerm: 64, seed: 2 }).signature(set))).toThrow(/estimateJaccard: b.seed must be a.seed = 1 .*, got 2/);
    expect(() => estimateJaccard(sig, new MinHasher({ numPerm: 64, scheme: 'classic' }).signature(set))).toThrow(RangeError);
    expect(() => estimateJaccard(sig, new MinHasher({ numPerm: 64, scheme: 'classic' }).signature(set))).toThrow(/estimateJaccard: b.scheme must be a.scheme = "fast" .*, got "classic"/);
  });

  it('hasher.estimateJaccard and hasher.merge refuse signatures from another hasher', () => {
    const other = new MinHasher({ numPerm: 64, seed: 9 }).signature(set);
    expect(() => base.estimateJaccard(sig, other)).toThrow(/MinHasher.estimateJaccard: b.seed must be hasher.seed = 1 .*, got 9/);
    expect(() => base.merge(other, sig)).toThrow(RangeError);
  });

  it('estimateJaccard(a, b) throws a TypeError for non-signatures and a RangeError for a wrong length', () => {
    expect(() => estimateJaccard(sig, sig.values as unknown as MinHashSignature)).toThrow(TypeError);
    expect(() => estimateJaccard(null as unknown as MinHashSignature, sig)).toThrow(TypeError);
    expect(() => estimateJaccard(sig, { ...sig, values: new Uint32Array(3) })).toThrow(RangeError);
  });

  it('signature(shingles) and signatureInto(shingles, out) check their arguments', () => {
    expect(() => base.signature([1, 2, 3] as unknown as Uint32Array)).toThrow(new TypeError('MinHasher.signature: shingles must be a Uint32Array, got an array'));
    expect(() => base.signatureInto(set, new Uint32Array(63))).toThrow(new RangeError('MinHasher.signatureInto: out.length must be numPerm = 64, got 63'));
    expect(() => base.signatureInto(set, new Int32Array(64) as unknown as Uint32Array)).toThrow(TypeError);
  });
});

describe('signatureToBytes / signatureFromBytes', () => {
  const hasher = new MinHasher({ numPerm: 16, seed: 3, scheme: 'classic' });
  const sig = hasher.signature(new Uint32Array([10, 20, 30]));
  const bytes = signatureToBytes(sig);

  it('round-trips every scheme, seed and length, empty signatures included (fast-check)', () => {
    fc.assert(
      fc.property(uint32Set(10), fc.constantFrom(...SCHEMES), fc.integer({ min: 1, max: 300 }), uint32, (set, scheme, numPerm, seed) => {
        const s = new MinHasher({ scheme, numPerm, seed }).signature(set);
        const back = signatureFromBytes(signatureToBytes(s));
        expect(back).toEqual(s);
        expect(signatureToBytes(s).length).toBe(4 * numPerm + 25);
      }),
      { seed: 51, numRuns: 50 },
    );
  });

  it('refuses every truncation and every single flipped byte', () => {
    for (let len = 0; len < bytes.length; len++) expect(() => signatureFromBytes(bytes.slice(0, len))).toThrow(RangeError);
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] = bad[i]! ^ 0x40;
      expect(() => signatureFromBytes(bad)).toThrow(RangeError);
    }
  });

  it('refuses other inputs with clear errors', () => {
    expect(() => signatureFromBytes([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => signatureToBytes({ values: [1] } as unknown as MinHashSignature)).toThrow(TypeError);
  });
});

describe('signatureToBytes(signature) range checks', () => {
  it('signatureToBytes rejects a seed or numPerm that MinHasher would not produce', () => {
    const values = new Uint32Array(4);
    expect(() => signatureToBytes({ values, numPerm: 4, seed: -1, scheme: 'fast' })).toThrow(RangeError);
    expect(() => signatureToBytes({ values, numPerm: 4, seed: 1.5, scheme: 'fast' })).toThrow(RangeError);
    expect(() => signatureToBytes({ values: new Uint32Array(0), numPerm: 0, seed: 1, scheme: 'fast' })).toThrow(RangeError);
  });
});

describe('signatures with parameters MinHasher refuses', () => {
  const sig = new MinHasher({ numPerm: 8 }).signature(new Uint32Array([1, 2, 3]));

  it('estimateJaccard(a, b) rejects an unknown scheme like new MinHasher({ scheme }) does', () => {
    const bogus = { ...sig, scheme: 'bogus' } as unknown as MinHashSignature;
    expect(() => new MinHasher({ scheme: 'bogus' as never })).toThrow(/MinHasher: options\.scheme must be "classic" or "fast", got "bogus"/);
    expect(() => estimateJaccard(bogus, bogus)).toThrow(RangeError);
    expect(() => estimateJaccard(bogus, bogus)).toThrow(/estimateJaccard: a\.scheme must be "classic" or "fast", got "bogus"/);
    expect(() => estimateJaccard(sig, { ...sig, scheme: 42 } as unknown as MinHashSignature)).toThrow(TypeError);
  });

  it('estimateJaccard(a, b) and hasher.merge(a, b) reject a seed or numPerm out of MinHasher\'s ranges', () => {
    const hasher = new MinHasher({ numPerm: 8 });
    expect(() => estimateJaccard({ ...sig, seed: -1 }, { ...sig, seed: -1 })).toThrow(/estimateJaccard: a\.seed must be an integer from 0 to 4294967295, got -1/);
    expect(() => estimateJaccard({ ...sig, seed: 1.5 }, sig)).toThrow(RangeError);
    const empty = { values: new Uint32Array(0), numPerm: 0, seed: 1, scheme: 'fast' } as MinHashSignature;
    expect(() => estimateJaccard(empty, empty)).toThrow(/estimateJaccard: a\.numPerm must be an integer from 1 to 65535, got 0/);
    expect(() => hasher.merge(sig, { ...sig, scheme: 'bogus' } as unknown as MinHashSignature)).toThrow(/MinHasher\.merge: b\.scheme must be "classic" or "fast"/);
  });
});
