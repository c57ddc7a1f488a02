/**
 * The 32-bit key of one band: MurmurHash3 (x86, 32-bit) of the band's `rows` values read as little-endian
 * words, seeded with the band index, as a signed int32 for the bucket tables. Keys only pick a bucket inside that
 * band's own table, so equal values in different bands can never meet; the seed just keeps the bands' key streams
 * independent. Different band values share a key with probability 2⁻³² per pair (an extra candidate, never a miss).
 *
 * A deliberate copy of `hashWords` (src/hash/murmur3.ts), which it equals as `hashWords(values, start, rows, band) | 0`
 * (tests/murmur3.test.ts checks it): written out, int32 throughout, it is inlined into the LSH query and insert
 * loops; calling `hashWords` (and converting its uint32 result) took about a fifth of a query's time (A/B in one
 * process at 10^5 documents: 508k → 658k queries per CPU-second).
 * @internal
 */
export function bandKey(values: Uint32Array, start: number, rows: number, band: number): number {
  let h = band | 0;
  const end = start + rows;
  for (let i = start; i < end; i++) {
    let k = Math.imul(values[i]!, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= rows << 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
