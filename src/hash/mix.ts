/**
 * The seeded randomness of the sketches (MinHash, SimHash): one 32-bit mixer and one seeded stream.
 *
 * - {@link mix32} is Chris Wellons' `lowbias32` (hash-prospector): a bijection of the 32-bit integers with
 *   near-ideal avalanche (two multiplies, three xor-shifts).
 * - {@link seededWords} is SplitMix32: the Weyl sequence `state_t = mix32(seed) + (t + 1) · 0x9e3779b9`
 *   (mod 2^32) passed through {@link mix32}. Because both steps are bijections, the first 2^32 words of a
 *   stream are pairwise distinct, so no two MinHash permutations ever share a salt.
 *
 * Everything here is 32-bit integer arithmetic (`Math.imul`, `>>>`), identical on every platform.
 *
 * Deliberate copies of {@link mix32}, inlined in the per-shingle loops where a call per element would cost: the
 * MinHash kernels (src/minhash/kernels.ts, src/minhash/wasm/fss.wat) and the SimHash counting loops
 * (src/simhash/simhash.ts). tests/minhash.test.ts and tests/simhash.test.ts check them against BigInt oracles
 * of `lowbias32` (tests/helpers/oracles.ts), and tests/murmur3.test.ts checks this file against the same oracles.
 * Internal module, not public API.
 */

/** Golden-ratio increment of the Weyl sequence. */
const GAMMA = 0x9e3779b9;

/**
 * `lowbias32`: a 32-bit bijective mixer. Returns an unsigned 32-bit integer.
 * @internal
 */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * `count` pseudo-random unsigned 32-bit words from SplitMix32 seeded with `seed`; pairwise distinct.
 * `stream` selects an independent stream for the same seed (the state starts at `mix32(seed ^ mix32(stream))`).
 * @internal
 */
export function seededWords(seed: number, count: number, stream = 0): Uint32Array {
  const out = new Uint32Array(count);
  let state = mix32((seed ^ mix32(stream + 1)) >>> 0);
  for (let t = 0; t < count; t++) {
    state = (state + GAMMA) | 0;
    out[t] = mix32(state);
  }
  return out;
}
