import { hashWords } from '../hash/murmur3';

/**
 * The 32-bit key of one band: MurmurHash3 (x86, 32-bit) of the band's `rows` values read as little-endian
 * words, seeded with the band index ({@link hashWords}, as a signed int32 for the bucket tables). Keys only pick
 * a bucket inside that band's own table, so equal values in different bands can never meet; the seed just keeps
 * the bands' key streams independent. Different band values share a key with probability 2⁻³² per pair (an
 * extra candidate, never a miss).
 * @internal
 */
export function bandKey(values: Uint32Array, start: number, rows: number, band: number): number {
  return hashWords(values, start, rows, band) | 0;
}
