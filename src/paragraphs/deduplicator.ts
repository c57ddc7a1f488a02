import { assertFalsePositiveRate, BloomFilter } from '../bloom/bloom-filter';
import { encodeWtf8, utf8Scratch } from '../hash/utf8';
import { xxh64Bytes, xxh64Result } from '../hash/xxh64';
import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteWriter } from '../internal/bytes';
import type { DocId } from '../internal/doc';
import { assertId, assertInteger, assertOneOf, assertString } from '../internal/validate';
import { KeySet64 } from './keyset';
import { resolveParagraphOptions, type ParagraphOptions, type ParagraphRemoval, type ParagraphResult } from './options';
import { applyRemovals, codePointLength, normalizeUnit, PARAGRAPH_UNITS, segmentUnits, type ParagraphUnit } from './units';

/**
 * Where a {@link ParagraphDeduplicator} remembers the units it has seen: `'exact'` (a set of 64-bit keys) or
 * `'bloom'` (a Bloom filter: smaller, with rare false positives).
 * @example
 * ```ts
 * import { ParagraphDeduplicator, type ParagraphStore } from 'neardup';
 * const store: ParagraphStore = 'bloom';
 * new ParagraphDeduplicator({ store }).store; // => 'bloom'
 * ```
 */
export type ParagraphStore = 'exact' | 'bloom';

/**
 * Defaults of {@link ParagraphDeduplicator}; read with `??`. `unit`, `minChars` and `locale` mean what they
 * mean for `dedupeParagraphs`. `store: 'exact'` keeps every 64-bit key (16–32 bytes per distinct unit, no
 * false positives); `'bloom'` keeps a Bloom filter sized for `expectedItems` distinct units at
 * `falsePositiveRate` (1.8 MB for the defaults), which occasionally removes a unit never seen before.
 * @example
 * ```ts
 * import { PARAGRAPH_DEDUPLICATOR_DEFAULTS } from 'neardup';
 * PARAGRAPH_DEDUPLICATOR_DEFAULTS.store; // => 'exact'
 * [PARAGRAPH_DEDUPLICATOR_DEFAULTS.expectedItems, PARAGRAPH_DEDUPLICATOR_DEFAULTS.falsePositiveRate]; // => [1_000_000, 0.001]
 * ```
 */
export const PARAGRAPH_DEDUPLICATOR_DEFAULTS: Readonly<{
  /** What a unit is: `'line'`. */
  unit: ParagraphUnit;
  /** Units whose normalized form has fewer code points than this are neither removed nor remembered: 20. */
  minChars: number;
  /** Sentence locale: `undefined` (the rule-based splitter). */
  locale: string | undefined;
  /** Where seen units are remembered: `'exact'`. */
  store: ParagraphStore;
  /** Bloom store: distinct units the filter is sized for: 1,000,000. */
  expectedItems: number;
  /** Bloom store: false-positive rate at `expectedItems` distinct units: 0.001 (14.4 bits per unit). */
  falsePositiveRate: number;
}> = Object.freeze({
  unit: 'line',
  minChars: 20,
  locale: undefined,
  store: 'exact',
  expectedItems: 1_000_000,
  falsePositiveRate: 0.001,
});

/**
 * Options of {@link ParagraphDeduplicator}.
 * @example
 * ```ts
 * import { ParagraphDeduplicator, type ParagraphDeduplicatorOptions } from 'neardup';
 * const options: ParagraphDeduplicatorOptions = { store: 'bloom', expectedItems: 100_000, falsePositiveRate: 0.01 };
 * new ParagraphDeduplicator(options).byteLength; // => 119816
 * ```
 */
export interface ParagraphDeduplicatorOptions extends ParagraphOptions {
  /** `'exact'` (default): a set of 64-bit xxh64 keys; `'bloom'`: a Bloom filter. */
  store?: ParagraphStore;
  /** Bloom store: distinct units the filter is sized for, an integer in [1, 2^32 − 1]. Default 1,000,000. Ignored by the exact store, which grows. */
  expectedItems?: number;
  /** Bloom store: target false-positive rate at `expectedItems`, in (0, 0.5]. Default 0.001. */
  falsePositiveRate?: number;
}

const FORMAT_VERSION = 1;
const STORES: readonly ParagraphStore[] = ['exact', 'bloom'];
const DEDUPLICATOR_KEYS = ['store', 'expectedItems', 'falsePositiveRate'] as const;

/**
 * Streaming paragraph dedup across documents (dolma's paragraph dedup): each call to `process` removes the
 * units (lines by default) already seen in earlier documents, and repeats within the document, keeping
 * everything else byte-for-byte. Units, normalization, `minChars` and what is deleted with a unit are as in
 * `dedupeParagraphs` (exact matching only).
 *
 * A unit is remembered as the 64-bit xxh64 (seed 0) of the UTF-8 of its normalized text (a lone surrogate is
 * hashed as the three bytes of its code point, WTF-8, not as U+FFFD, so units that differ only there stay
 * apart, as they do in `dedupeParagraphs`). `store: 'exact'`
 * keeps those keys in an open-addressing table of 32-bit pairs (16–32 bytes per distinct unit; two distinct
 * units collide with probability ~ n²/2^65, about 3·10^−8 for 10^6 units). `store: 'bloom'` keeps a
 * {@link BloomFilter} sized from `expectedItems` and `falsePositiveRate` (14.4 bits per unit at 0.001): a
 * new unit is wrongly removed with probability about `falsePositiveRate` once `expectedItems` distinct units
 * are in, more beyond. State is saved with `toBytes` and restored with `ParagraphDeduplicator.fromBytes`, so
 * a crawl can run in several sessions. Documents are processed in the order given: the first copy wins.
 *
 * @example
 * ```ts
 * import { ParagraphDeduplicator } from 'neardup';
 * const pd = new ParagraphDeduplicator({ store: 'exact' });
 * const boiler = 'Node.js is an event-based server-side JavaScript engine.';
 * pd.process('node-a', `Library A for Node.js\n${boiler}`).removed; // => []
 * pd.process('node-b', `Library B for Node.js\n${boiler}`).text; // => 'Library B for Node.js'
 * const restored = ParagraphDeduplicator.fromBytes(pd.toBytes());
 * restored.process('node-c', `${boiler}\nLibrary C for Node.js`).text; // => 'Library C for Node.js'
 * [restored.documents, restored.removedUnits]; // => [3, 2]
 * ```
 */
export class ParagraphDeduplicator {
  /** The unit in use. */
  readonly unit: ParagraphUnit;
  /** The `minChars` in use (code points of the normalized unit). */
  readonly minChars: number;
  /** The sentence locale, if any. */
  readonly locale: string | undefined;
  /** The store in use. */
  readonly store: ParagraphStore;
  /** The `expectedItems` in use. */
  readonly expectedItems: number;
  /** The `falsePositiveRate` in use. */
  readonly falsePositiveRate: number;
  private readonly keys: KeySet64 | undefined;
  private bloom: BloomFilter | undefined;
  private docs = 0;
  private seenUnits = 0;
  private removedCount = 0;

  /**
   * @param options - `unit`, `minChars`, `locale`, `store`, `expectedItems`, `falsePositiveRate`; defaults in
   *   {@link PARAGRAPH_DEDUPLICATOR_DEFAULTS}
   * @throws TypeError if an option key is unknown or an option has the wrong type; RangeError if `unit` or `store` is not one of the allowed
   *   names, `minChars` is not an integer ≥ 0, `expectedItems` is not an integer in [1, 2^32 − 1],
   *   `falsePositiveRate` is not in (0, 0.5], the Bloom filter would exceed 2^32 bits, or `locale` is invalid
   * @example
   * ```ts
   * const pd = new ParagraphDeduplicator({ unit: 'paragraph', minChars: 0 });
   * [pd.unit, pd.minChars, pd.store]; // => ['paragraph', 0, 'exact']
   * ```
   */
  constructor(options?: ParagraphDeduplicatorOptions) {
    const d = PARAGRAPH_DEDUPLICATOR_DEFAULTS;
    const at = 'ParagraphDeduplicator: options';
    ({ unit: this.unit, minChars: this.minChars, locale: this.locale } =
      resolveParagraphOptions('ParagraphDeduplicator', options, d, DEDUPLICATOR_KEYS));
    const store = options?.store ?? d.store;
    assertOneOf(`${at}.store`, store, STORES);
    this.store = store;
    const expectedItems = options?.expectedItems ?? d.expectedItems;
    assertInteger(`${at}.expectedItems`, expectedItems, 1, 0xffffffff);
    this.expectedItems = expectedItems;
    const falsePositiveRate = options?.falsePositiveRate ?? d.falsePositiveRate;
    assertFalsePositiveRate(`${at}.falsePositiveRate`, falsePositiveRate);
    this.falsePositiveRate = falsePositiveRate;
    if (store === 'bloom') {
      this.bloom = new BloomFilter({ expectedItems, falsePositiveRate });
      this.keys = undefined;
    } else {
      this.keys = new KeySet64();
      this.bloom = undefined;
    }
  }

  /** Number of documents processed. */
  get documents(): number {
    return this.docs;
  }

  /** Number of units looked at (protected units excluded), over all documents. */
  get units(): number {
    return this.seenUnits;
  }

  /** Number of units removed, over all documents. */
  get removedUnits(): number {
    return this.removedCount;
  }

  /** Distinct units remembered (for the Bloom store: the additions that set a new bit). */
  get storedUnits(): number {
    return this.keys ? this.keys.size : this.bloom!.count;
  }

  /** Bytes held by the store (the key table or the bit array). */
  get byteLength(): number {
    return this.keys ? this.keys.byteLength : this.bloom!.byteLength;
  }

  /**
   * The probability that a unit never seen is removed now: 0 for the exact store (up to 64-bit key
   * collisions); for the Bloom store, `fill^k` of its bit array, which grows past `falsePositiveRate` once more
   * than `expectedItems` distinct units are in.
   * @returns a probability in [0, 1]
   * @throws never
   * @example
   * ```ts
   * new ParagraphDeduplicator().estimatedFalsePositiveRate(); // => 0
   * const bloom = new ParagraphDeduplicator({ store: 'bloom', expectedItems: 1000 });
   * bloom.process(1, 'A line that is long enough to be remembered by the filter.');
   * bloom.estimatedFalsePositiveRate() > 0; // => true
   * ```
   */
  estimatedFalsePositiveRate(): number {
    return this.bloom ? this.bloom.estimatedFalsePositiveRate() : 0;
  }

  /**
   * Removes the units of `text` seen before (in earlier documents or earlier in `text`) and remembers the rest.
   * @param id - the document's identifier (a string or a finite number), used in error messages; not stored
   * @param text - the document
   * @returns the text without the repeated units, and the removed units in text order
   * @throws TypeError if `id` is not a string or finite number or `text` is not a string
   * @example
   * ```ts
   * const pd = new ParagraphDeduplicator();
   * const footer = 'Copyright 2024 Example Media. All rights reserved.';
   * pd.process('p1', `First story.\n${footer}`).text; // => `First story.\n${footer}`
   * pd.process('p2', `Second story.\n${footer}`).text; // => 'Second story.'
   * [pd.documents, pd.units, pd.removedUnits, pd.storedUnits]; // => [2, 2, 1, 1]
   * ```
   */
  process(id: DocId, text: string): ParagraphResult {
    assertId('ParagraphDeduplicator.process: id', id);
    assertString('ParagraphDeduplicator.process: text', text);
    const units = segmentUnits(text, this.unit, this.locale);
    const n = units.starts.length;
    const removed = new Uint8Array(n);
    const keptAt = new Int32Array(n).fill(-1); // the kept unit in this text, −1: seen in an earlier document
    const local = new Map<string, number>(); // normalized → kept index in this text, or −1 if seen earlier
    for (let k = 0; k < n; k++) {
      const norm = normalizeUnit(text.slice(units.starts[k], units.ends[k]));
      if (norm === '' || codePointLength(norm) < this.minChars) continue;
      this.seenUnits++;
      const first = local.get(norm);
      if (first !== undefined) {
        removed[k] = 1;
        keptAt[k] = first;
        continue;
      }
      const length = encodeWtf8(norm); // before utf8Scratch(): encoding may replace the scratch buffer
      xxh64Bytes(utf8Scratch(), length, 0, 0);
      const isNew = this.addKey(xxh64Result[0]!, xxh64Result[1]!);
      local.set(norm, isNew ? k : -1);
      if (!isNew) removed[k] = 1;
    }
    const applied = applyRemovals(text, units, removed);
    const out: ParagraphRemoval[] = [];
    let r = 0;
    for (let k = 0; k < n; k++) {
      if (!removed[k]) continue;
      const start = units.starts[k]!;
      const end = units.ends[k]!;
      const c = keptAt[k]!;
      out.push({
        start,
        end,
        text: text.slice(start, end),
        cutStart: applied.cutStarts[r]!,
        cutEnd: applied.cutEnds[r]!,
        duplicateOf: c < 0 ? null : { start: units.starts[c]!, end: units.ends[c]! },
        similarity: 1,
      });
      r++;
    }
    this.docs++;
    this.removedCount += out.length;
    return { text: applied.text, removed: out };
  }

  private addKey(hi: number, lo: number): boolean {
    return this.keys ? this.keys.add(hi, lo) : this.bloom!.addKey(hi, lo);
  }

  /**
   * Serializes the state (options, counters, store) in the neardup envelope: magic, format version, kind,
   * length and an xxh32 checksum.
   * @returns a new buffer
   * @throws never
   * @example
   * ```ts
   * const pd = new ParagraphDeduplicator();
   * pd.process(1, 'Subscribe to our newsletter for more stories like this one.');
   * ParagraphDeduplicator.fromBytes(pd.toBytes()).storedUnits; // => 1
   * ```
   */
  toBytes(): Uint8Array {
    const w = new ByteWriter();
    w.u8(PARAGRAPH_UNITS.indexOf(this.unit)).u32(this.minChars);
    w.u8(this.locale === undefined ? 0 : 1);
    if (this.locale !== undefined) w.string(this.locale);
    w.u8(STORES.indexOf(this.store)).f64(this.expectedItems).f64(this.falsePositiveRate);
    w.f64(this.docs).f64(this.seenUnits).f64(this.removedCount);
    if (this.keys) w.u32Array(this.keys.keys());
    else this.bloom!.writeTo(w);
    return sealEnvelope(Kind.ParagraphDeduplicator, FORMAT_VERSION, w);
  }

  /**
   * Restores a deduplicator written by {@link ParagraphDeduplicator.toBytes}: it goes on exactly where the
   * saved one stopped.
   * @param bytes - the serialized state
   * @returns the restored deduplicator
   * @throws TypeError if `bytes` is not a Uint8Array; RangeError if it is not a neardup ParagraphDeduplicator
   *   buffer of a supported version, is truncated or padded, fails its checksum, or holds inconsistent fields
   * @example
   * ```ts
   * const pd = new ParagraphDeduplicator({ store: 'bloom', expectedItems: 10_000 });
   * pd.process(1, 'Subscribe to our newsletter for more stories like this one.');
   * const restored = ParagraphDeduplicator.fromBytes(pd.toBytes());
   * restored.process(2, 'Subscribe to our newsletter for more stories like this one.').text; // => ''
   * [restored.store, restored.documents]; // => ['bloom', 2]
   * ```
   */
  static fromBytes(bytes: Uint8Array): ParagraphDeduplicator {
    const what = 'ParagraphDeduplicator.fromBytes';
    const r = openEnvelope(bytes, Kind.ParagraphDeduplicator, FORMAT_VERSION, what);
    const unit = PARAGRAPH_UNITS[r.u8()];
    const minChars = r.u32();
    const hasLocale = r.u8();
    if (hasLocale > 1) throw new RangeError(`${what}: invalid locale flag ${hasLocale}`);
    const locale = hasLocale === 1 ? r.string() : undefined;
    const store = STORES[r.u8()];
    const expectedItems = r.f64();
    const falsePositiveRate = r.f64();
    const docs = r.f64();
    const seenUnits = r.f64();
    const removedCount = r.f64();
    if (unit === undefined || store === undefined) throw new RangeError(`${what}: invalid unit or store code`);
    for (const [name, v] of [['documents', docs], ['units', seenUnits], ['removedUnits', removedCount]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${what}: invalid ${name} counter ${v}`);
    }
    let pd: ParagraphDeduplicator;
    try {
      pd = new ParagraphDeduplicator({ unit, minChars, store, expectedItems, falsePositiveRate, ...(locale === undefined ? {} : { locale }) });
    } catch (e) {
      throw new RangeError(`${what}: invalid options (${(e as Error).message})`);
    }
    if (pd.keys) {
      const pairs = r.u32Array();
      if (pairs.length % 2 !== 0) throw new RangeError(`${what}: key array has an odd length ${pairs.length}`);
      for (let i = 0; i < pairs.length; i += 2) {
        if (!pd.keys.add(pairs[i]!, pairs[i + 1]!)) throw new RangeError(`${what}: duplicate key at ${i / 2}`);
      }
    } else {
      const bloom = BloomFilter.readFrom(r, what);
      if (bloom.expectedItems !== expectedItems || bloom.falsePositiveRate !== falsePositiveRate) {
        throw new RangeError(`${what}: Bloom filter sizing does not match the options`);
      }
      pd.bloom = bloom;
    }
    r.end();
    pd.docs = docs;
    pd.seenUnits = seenUnits;
    pd.removedCount = removedCount;
    return pd;
  }
}
