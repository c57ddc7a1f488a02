/**
 * Naive oracles for the seeded generator of src/hash/mix.ts, written from its documentation with BigInt
 * arithmetic (independent of Math.imul): the MinHash and SimHash tests both check against them.
 */
const M32 = 0xffffffffn;

/** lowbias32 mixer. */
export function naiveMix32(x: number): number {
  let v = BigInt(x >>> 0);
  v ^= v >> 16n;
  v = (v * 0x7feb352dn) & M32;
  v ^= v >> 15n;
  v = (v * 0x846ca68bn) & M32;
  v ^= v >> 16n;
  return Number(v);
}

/** SplitMix32 stream `stream` of `seed`: `count` words. */
export function naiveWords(seed: number, count: number, stream: number): number[] {
  let state = naiveMix32((seed ^ naiveMix32(stream + 1)) >>> 0);
  const out: number[] = [];
  for (let t = 0; t < count; t++) {
    state = (state + 0x9e3779b9) % 2 ** 32;
    out.push(naiveMix32(state));
  }
  return out;
}
