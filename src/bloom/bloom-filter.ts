import { xxh64Bytes, xxh64Result } from '../hash/xxh64';
import { encodeUtf8, utf8Scratch } from '../hash/utf8';
import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteReader, ByteWriter } from '../internal/bytes';
import { assertInteger, assertNumber, assertOptions, fail } from '../internal/validate';

/**
 * Defaults of {@link BloomFilter}; read with `??`.
 * @example
 * ```ts
 * import { BLOOM_FILTER_DEFAULTS } from 'neardup';
 * BLOOM_FILTER_DEFAULTS.falsePositiveRate; // => 0.01
 * ```
 */
export const BLOOM_FILTER_DEFAULTS: Readonly<{
  /** Target false-positive rate once `expectedItems` distinct items are in: 0.01 (9.6 bits and 7 probes per item). */
  falsePositiveRate: number;
}> = Object.freeze({
  falsePositiveRate: 0.01,
});

/**
 * Options of {@link BloomFilter}.
 * @example
 * ```ts
 * import { BloomFilter, type BloomFilterOptions } from 'neardup';
 * const options: BloomFilterOptions = { expectedItems: 1_000_000, falsePositiveRate: 0.001 };
 * new BloomFilter(options).byteLength; // => 1797200
 * ```
 */
export interface BloomFilterOptions {
  /** How many distinct items the filter is sized for: an integer in [1, 2^32 − 1]. */
  expectedItems: number;
  /** The target false-positive rate once `expectedItems` distinct items are in: a number in (0, 0.5]. Default 0.01. */
  falsePositiveRate?: number;
}

/** The largest bit count: bit positions are unsigned 32-bit integers (a 512 MiB bit array). */
const MAX_BITS = 2 ** 32 - 32;
const FORMAT_VERSION = 1;
const LN2 = Math.LN2;

/**
 * The standard sizing for `n` items at false-positive rate `p`: `m = ⌈−n ln p / (ln 2)²⌉` bits rounded up to a
 * multiple of 32, and `k = round((m / n) ln 2)` hash functions, clamped to [1, 32].
 * @internal
 */
export function bloomParameters(expectedItems: number, falsePositiveRate: number): { bitCount: number; hashCount: number } {
  const exact = Math.ceil((-expectedItems * Math.log(falsePositiveRate)) / (LN2 * LN2));
  const bitCount = Math.max(32, Math.ceil(exact / 32) * 32);
  const hashCount = Math.min(32, Math.max(1, Math.round((bitCount / expectedItems) * LN2)));
  return { bitCount, hashCount };
}

/**
 * A standard Bloom filter: a bit array of `m` bits and `k` bit positions per item, derived from one 64-bit
 * xxh64 key by enhanced double hashing (Dillinger & Manolios 2004: `x ← h1 mod m`, `y ← h2 mod m`, then for
 * each of the k probes `x ← (x + y) mod m`, `y ← (y + i) mod m`, with `h1`/`h2` the low/high 32-bit halves
 * of the key). Sized from `expectedItems` and `falsePositiveRate` by the usual formulas: `m = −n ln p / (ln 2)²`
 * bits (rounded up to a multiple of 32) and `k = round((m / n) ln 2)`, so 0.01 costs 9.6 bits and 7 probes
 * per item. `has` never answers `false` for an added item; it answers `true` for an item never added with
 * probability about `(1 − e^(−kn/m))^k` — see {@link BloomFilter.estimatedFalsePositiveRate}.
 * Adding more than `expectedItems` items works, but the false-positive rate then climbs above the target.
 *
 * Items are strings (hashed as UTF-8, so equal strings always collide) or raw bytes; a string and its UTF-8
 * bytes are the same item. Hashing allocates nothing per call.
 *
 * @example
 * ```ts
 * import { BloomFilter } from 'neardup';
 * const seen = new BloomFilter({ expectedItems: 1000, falsePositiveRate: 0.01 });
 * seen.add('Node.js is an event-based server-side JavaScript engine.'); // => true
 * seen.add('Node.js is an event-based server-side JavaScript engine.'); // => false
 * seen.has('Node.js is an event-based server-side JavaScript engine.'); // => true
 * [seen.bitCount, seen.hashCount]; // => [9600, 7]
 * BloomFilter.fromBytes(seen.toBytes()).has('Node.js is an event-based server-side JavaScript engine.'); // => true
 * ```
 */
export class BloomFilter {
  /** Number of bits `m` (a multiple of 32). */
  readonly bitCount: number;
  /** Number of probes `k` per item. */
  readonly hashCount: number;
  /** The `expectedItems` the filter was sized for. */
  readonly expectedItems: number;
  /** The `falsePositiveRate` the filter was sized for. */
  readonly falsePositiveRate: number;
  private readonly bits: Uint32Array;
  private added = 0;

  /**
   * @param options - `expectedItems` (required) and `falsePositiveRate` (default 0.01)
   * @throws TypeError if `options` is not an object, has an unknown key or an option has the wrong type; RangeError if
   *   `expectedItems` is not an integer in [1, 2^32 − 1], `falsePositiveRate` is not in (0, 0.5], or the two
   *   together need more than 2^32 − 32 bits
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 10_000, falsePositiveRate: 0.001 });
   * [filter.bitCount, filter.hashCount, filter.byteLength]; // => [143776, 10, 17972]
   * ```
   */
  constructor(options: BloomFilterOptions) {
    if (options === undefined) fail(TypeError, 'BloomFilter: options', 'an options object with expectedItems', options);
    assertOptions('BloomFilter', 'options', options, BLOOM_KEYS);
    const expectedItems = options.expectedItems;
    const falsePositiveRate = options.falsePositiveRate ?? BLOOM_FILTER_DEFAULTS.falsePositiveRate;
    const { bitCount, hashCount } = checkedSizing(expectedItems, falsePositiveRate);
    this.bitCount = bitCount;
    this.hashCount = hashCount;
    this.expectedItems = expectedItems;
    this.falsePositiveRate = falsePositiveRate;
    this.bits = new Uint32Array(bitCount / 32);
  }

  /** Number of `add` calls that set at least one new bit (an estimate of the distinct items added, low by the false positives). */
  get count(): number {
    return this.added;
  }

  /** Fraction of the bits that are set, in [0, 1]. */
  get fillRatio(): number {
    let set = 0;
    const bits = this.bits;
    for (let i = 0; i < bits.length; i++) set += popcount(bits[i]!);
    return set / this.bitCount;
  }

  /** Size of the bit array in bytes. */
  get byteLength(): number {
    return this.bits.byteLength;
  }

  /**
   * The probability that `has` answers `true` for an item never added, given the bits set now:
   * `fillRatio ^ hashCount` (exact for ideal hashing, conditional on the current bit array).
   * @returns a probability in [0, 1]
   * @throws never
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 100 });
   * filter.estimatedFalsePositiveRate(); // => 0
   * for (let i = 0; i < 100; i++) filter.add(`item ${i}`);
   * filter.estimatedFalsePositiveRate() < 0.02; // => true
   * ```
   */
  estimatedFalsePositiveRate(): number {
    return this.fillRatio ** this.hashCount;
  }

  /**
   * Adds an item.
   * @param item - a string (hashed as UTF-8) or bytes
   * @returns `true` if at least one of its bits was clear (the item was certainly new), `false` if all were
   *   already set (the item was probably added before)
   * @throws TypeError if `item` is neither a string nor a Uint8Array
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 100 });
   * [filter.add('abc'), filter.add('abc'), filter.add(new Uint8Array([97, 98, 99]))]; // => [true, false, false]
   * filter.count; // => 1
   * ```
   */
  add(item: string | Uint8Array): boolean {
    hashItem(item, 'BloomFilter.add');
    return this.addKey(xxh64Result[0]!, xxh64Result[1]!);
  }

  /**
   * Tests an item.
   * @param item - a string (hashed as UTF-8) or bytes
   * @returns `false` if the item was certainly never added, `true` if it probably was
   * @throws TypeError if `item` is neither a string nor a Uint8Array
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 100 });
   * filter.add('seen');
   * [filter.has('seen'), filter.has('never added')]; // => [true, false]
   * ```
   */
  has(item: string | Uint8Array): boolean {
    hashItem(item, 'BloomFilter.has');
    return this.hasKey(xxh64Result[0]!, xxh64Result[1]!);
  }

  /**
   * Adds the item whose 64-bit xxh64 key is `hi:lo` (unsigned 32-bit halves). Returns `true` if a bit changed.
   * @internal
   */
  addKey(hi: number, lo: number): boolean {
    const m = this.bitCount;
    const bits = this.bits;
    let x = lo % m;
    let y = hi % m;
    let changed = false;
    for (let i = 0; i < this.hashCount; i++) {
      const w = x >>> 5;
      const mask = 1 << (x & 31);
      if ((bits[w]! & mask) === 0) {
        bits[w] = bits[w]! | mask;
        changed = true;
      }
      x += y;
      if (x >= m) x -= m;
      y += i;
      if (y >= m) y -= m;
    }
    if (changed) this.added++;
    return changed;
  }

  /**
   * Tests the item whose 64-bit xxh64 key is `hi:lo` (unsigned 32-bit halves).
   * @internal
   */
  hasKey(hi: number, lo: number): boolean {
    const m = this.bitCount;
    const bits = this.bits;
    let x = lo % m;
    let y = hi % m;
    for (let i = 0; i < this.hashCount; i++) {
      if ((bits[x >>> 5]! & (1 << (x & 31))) === 0) return false;
      x += y;
      if (x >= m) x -= m;
      y += i;
      if (y >= m) y -= m;
    }
    return true;
  }

  /**
   * Serializes the filter: the neardup envelope (magic, version, kind, checksum) around the sizing, the count
   * and the bit array.
   * @returns a new buffer of `byteLength + 49` bytes
   * @throws never
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 1000 });
   * filter.toBytes().length; // => filter.byteLength + 49
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    this.writeTo(w);
    return sealEnvelope(Kind.BloomFilter, FORMAT_VERSION, w);
  }

  /**
   * Restores a filter written by {@link BloomFilter.toBytes}.
   * @param bytes - the serialized filter
   * @returns the filter, answering exactly as the one serialized
   * @throws TypeError if `bytes` is not a Uint8Array; RangeError if it is not a neardup BloomFilter buffer of
   *   a supported version, is truncated or padded, fails its checksum, or holds inconsistent fields
   * @example
   * ```ts
   * const filter = new BloomFilter({ expectedItems: 1000 });
   * filter.add('kept across sessions');
   * const copy = BloomFilter.fromBytes(filter.toBytes());
   * [copy.has('kept across sessions'), copy.count, copy.bitCount === filter.bitCount]; // => [true, 1, true]
   * ```
   */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    const what = 'BloomFilter.fromBytes';
    const r = openEnvelope(bytes, Kind.BloomFilter, FORMAT_VERSION, what);
    const filter = BloomFilter.readFrom(r, what);
    r.end();
    return filter;
  }

  /** Writes the fields (no envelope): used by structures that embed a filter. @internal */
  writeTo(w: ByteWriter): void {
    w.f64(this.expectedItems).f64(this.falsePositiveRate).u32(this.bitCount).u8(this.hashCount).f64(this.added);
    w.u32Array(this.bits);
  }

  /** Reads the fields written by {@link BloomFilter.writeTo}, checking their consistency. @internal */
  static readFrom(r: ByteReader, what: string): BloomFilter {
    const expectedItems = r.f64();
    const falsePositiveRate = r.f64();
    const bitCount = r.u32();
    const hashCount = r.u8();
    const added = r.f64();
    // The sizing is checked by the constructor's own rules (before anything is allocated for it), and the stored
    // sizes must be the ones it gives.
    let sizing: { bitCount: number; hashCount: number };
    try {
      sizing = checkedSizing(expectedItems, falsePositiveRate);
    } catch (e) {
      throw new RangeError(`${what}: invalid sizing in the buffer: ${(e as Error).message}`);
    }
    if (bitCount !== sizing.bitCount || hashCount !== sizing.hashCount) {
      throw new RangeError(
        `${what}: bitCount ${bitCount} / hashCount ${hashCount} do not match the sizing (expected ${sizing.bitCount} / ${sizing.hashCount})`,
      );
    }
    if (!Number.isInteger(added) || added < 0) throw new RangeError(`${what}: invalid item count ${added}`);
    const bits = r.u32Array();
    if (bits.length !== bitCount / 32) throw new RangeError(`${what}: bit array has ${bits.length} words, expected ${bitCount / 32}`);
    const filter = new BloomFilter({ expectedItems, falsePositiveRate });
    filter.bits.set(bits);
    filter.added = added;
    return filter;
  }
}

/** The constructor's checks of the sizing options, and the sizes they give (nothing allocated). */
function checkedSizing(expectedItems: unknown, falsePositiveRate: unknown): { bitCount: number; hashCount: number } {
  assertInteger('BloomFilter: options.expectedItems', expectedItems, 1, 0xffffffff);
  assertFalsePositiveRate('BloomFilter: options.falsePositiveRate', falsePositiveRate);
  const sizing = bloomParameters(expectedItems, falsePositiveRate);
  if (sizing.bitCount > MAX_BITS) {
    fail(RangeError, 'BloomFilter: options.expectedItems',
      `small enough for ${MAX_BITS} bits at falsePositiveRate ${falsePositiveRate} (this one needs ${sizing.bitCount})`, expectedItems);
  }
  return sizing;
}

const BLOOM_KEYS = ['expectedItems', 'falsePositiveRate'] as const;

/** Throws unless `value` is a false-positive rate a filter can be sized for: greater than 0 and at most 0.5. @internal */
export function assertFalsePositiveRate(name: string, value: unknown): asserts value is number {
  assertNumber(name, value, 0, 0.5, true);
}

/** Hashes a string (UTF-8) or bytes with xxh64 seed 0 into `xxh64Result`. */
function hashItem(item: unknown, what: string): void {
  if (typeof item === 'string') {
    const len = encodeUtf8(item);
    xxh64Bytes(utf8Scratch(), len, 0, 0);
  } else if (item instanceof Uint8Array) {
    xxh64Bytes(item, item.length, 0, 0);
  } else {
    fail(TypeError, `${what}: item`, 'a string or a Uint8Array', item);
  }
}

function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
