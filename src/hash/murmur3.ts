/**
 * MurmurHash3 (x86, 32-bit) over UTF-16 code units and over uint32 words, with no allocation: the one
 * MurmurHash3 of the library — the per-word hash and the n-gram combiner of `shingles`, the band keys of
 * `LshIndex`. Reference: Austin Appleby's MurmurHash3_x86_32 (public domain, github.com/aappleby/smhasher).
 *
 * Deliberate copies, each for a measured reason and each checked against these functions by
 * tests/murmur3.test.ts: the fused scanner of src/shingle/fused.ts and src/shingle/wasm/shingle.wat hash each
 * word while they fold its bytes, with no string to hand to {@link hashUtf16}; `wordShinglesScratch` in
 * src/shingle/shingles.ts computes each word's block once for all the windows it is in (3× cheaper than
 * {@link hashWords} per window at size 5); `bandKey` in src/lsh/band-key.ts is {@link hashWords} written out
 * as int32, so that it inlines into the LSH query and insert loops (the call took a fifth of a query's time).
 * Internal module, not public API.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** The MurmurHash3 finalizer: every input bit affects every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3_x86_32 of the UTF-16LE bytes of `text.slice(start, end)`, read straight from the code
 * units (two per 4-byte block), so no substring is built. Lone surrogates are hashed as they are.
 * @param text - the string
 * @param start - first UTF-16 unit, inclusive
 * @param end - last UTF-16 unit, exclusive
 * @param seed - uint32 seed
 * @returns the unsigned 32-bit hash
 */
export function hashUtf16(text: string, start: number, end: number, seed: number): number {
  let h = seed | 0;
  let i = start;
  const last = end - 1;
  while (i < last) {
    let k = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    i += 2;
  }
  return finishUtf16(h, i < end ? text.charCodeAt(i) : -1, end - start);
}

/**
 * Ends a MurmurHash3_x86_32 over UTF-16 units: mixes the pending odd unit (`tail`, or −1 when the count is even),
 * then the byte length (2 per unit) and the finalizer. Shared by {@link hashUtf16} and the fused scanners.
 * @param h - the running hash after the last full 4-byte block
 * @param tail - the last unit when `units` is odd, else −1
 * @param units - number of UTF-16 units hashed
 * @returns the unsigned 32-bit hash
 */
export function finishUtf16(h: number, tail: number, units: number): number {
  if (tail >= 0) {
    let k = Math.imul(tail, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  return fmix32(h ^ (units << 1));
}

/**
 * MurmurHash3_x86_32 of the 4·`count` little-endian bytes of `words[from … from + count)`: the combiner
 * that turns `count` consecutive word hashes into one n-gram hash.
 * @param words - uint32 values (word hashes)
 * @param from - index of the first value
 * @param count - number of values
 * @param seed - uint32 seed
 * @returns the unsigned 32-bit hash
 */
export function hashWords(words: Uint32Array, from: number, count: number, seed: number): number {
  let h = seed | 0;
  const to = from + count;
  for (let i = from; i < to; i++) {
    let k = Math.imul(words[i]!, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ (count << 2));
}
