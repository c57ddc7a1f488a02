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

/**
 * WTF-8 written from its definition: generalized UTF-8 over code points, a lone surrogate encoded as the three
 * bytes of its code point. UTF-8 on well-formed strings; the bytes of exact-duplicate keys.
 */
export function naiveWtf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}
