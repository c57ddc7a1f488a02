import { describe, expect, it } from 'vitest';
import {
  BloomFilter,
  LshIndex,
  MinHasher,
  NearDuplicateDetector,
  ParagraphDeduplicator,
  SimHashIndex,
  signatureFromBytes,
  signatureToBytes,
} from '../src/index';
import { forge, HEADER, withPayload } from './helpers/envelope';

// Buffers whose checksum is right but whose content holds options the constructors refuse: every decoder must
// refuse them with a RangeError that names it, by the constructor's own rules.

describe('fromBytes refuses forged content with a valid checksum', () => {
  it('LshIndex.fromBytes refuses bands and rows that its weights or minRecall do not give', () => {
    const index = new LshIndex({ threshold: 0.8, numPerm: 128 }); // weights mode: 9 × 13
    index.insert('a', new MinHasher({ numPerm: 128 }).signature(new Uint32Array([1, 2, 3])));
    expect(LshIndex.fromBytes(index.toBytes()).bands).toBe(9);
    // numPerm u32 @0, bands u32 @4, rows u32 @8, threshold f64 @12, mode u8 @20
    const oneBand = forge(index.toBytes(), (p) => {
      p.setUint32(4, 1, true);
      p.setUint32(8, 1, true);
    });
    expect(() => LshIndex.fromBytes(oneBand)).toThrow(RangeError);
    expect(() => LshIndex.fromBytes(oneBand)).toThrow(/LshIndex\.fromBytes: invalid index: 1 bands × 1 rows do not match its options, which give 9 × 13/);
    const recall = new LshIndex({ threshold: 0.8, numPerm: 128, minRecall: 0.95 });
    const forgedRecall = forge(recall.toBytes(), (p) => p.setUint32(8, 1, true));
    expect(() => LshIndex.fromBytes(forgedRecall)).toThrow(/do not match its options, which give 13 × 7/);
  });

  it('LshIndex.fromBytes refuses options the constructor refuses (bands × rows > numPerm, threshold, weights, scheme)', () => {
    const explicit = new LshIndex({ numPerm: 16, bands: 4, rows: 4 });
    expect(() => LshIndex.fromBytes(forge(explicit.toBytes(), (p) => p.setUint32(8, 5, true)))).toThrow(/LshIndex\.fromBytes: invalid index: LshIndex: options\.rows must be at most numPerm \/ bands = 4 .*got 5/);
    expect(() => LshIndex.fromBytes(forge(explicit.toBytes(), (p) => p.setFloat64(12, 1.5, true)))).toThrow(/invalid index: LshIndex: options\.threshold must be a number from 0 to 1, got 1\.5/);
    const weighted = new LshIndex({ numPerm: 16, weights: [0.3, 0.7] });
    expect(() => LshIndex.fromBytes(forge(weighted.toBytes(), (p) => p.setFloat64(21, -1, true)))).toThrow(/LshIndex\.fromBytes: invalid index: .*weights/);
    const named = new LshIndex({ numPerm: 16, bands: 4, rows: 4, seed: 1, scheme: 'fast' });
    // ... mode u8 @20, seed flag @21, seed f64 @22, scheme flag @30, scheme string @31 (u32 length, then the text)
    expect(() => LshIndex.fromBytes(forge(named.toBytes(), (p) => p.setFloat64(22, 0.5, true)))).toThrow(/invalid index: LshIndex: options\.seed must be a safe integer, got 0\.5/);
    const noScheme = forge(named.toBytes(), (p) => p.setUint32(31, 0, true));
    expect(() => LshIndex.fromBytes(noScheme)).toThrow(RangeError);
  });

  it('NearDuplicateDetector.fromBytes refuses an options record the constructor refuses, with a RangeError naming it', () => {
    const detector = new NearDuplicateDetector();
    detector.add('a', 'some text that is kept in the saved state');
    const bytes = detector.toBytes();
    const payload = bytes.subarray(HEADER, bytes.length - 4);
    const jsonLength = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
    const options = JSON.parse(new TextDecoder().decode(payload.subarray(4, 4 + jsonLength))) as Record<string, unknown>;
    const withOptions = (o: unknown): Uint8Array => {
      const json = new TextEncoder().encode(JSON.stringify(o));
      const p = new Uint8Array(4 + json.length + payload.length - 4 - jsonLength);
      new DataView(p.buffer).setUint32(0, json.length, true);
      p.set(json, 4);
      p.set(payload.subarray(4 + jsonLength), 4 + json.length);
      return withPayload(bytes, p);
    };
    expect(NearDuplicateDetector.fromBytes(withOptions(options)).size).toBe(1);
    for (const [change, message] of [
      [{ scheme: 'bogus' }, /options\.scheme must be "classic" or "fast", got "bogus"/],
      [{ verify: 'yes' }, /verify must be a boolean, got "yes"/],
      [{ threshold: 2 }, /options\.threshold must be a number greater than 0 and at most 1, got 2/],
      [{ shingle: { unit: 'word', size: 0 } }, /options\.shingle\.size must be an integer from 1 to \d+, got 0/],
    ] as const) {
      const forged = withOptions({ ...options, ...change });
      expect(() => NearDuplicateDetector.fromBytes(forged)).toThrow(RangeError);
      expect(() => NearDuplicateDetector.fromBytes(forged)).toThrow(/^NearDuplicateDetector\.fromBytes: invalid options in the buffer: /);
      expect(() => NearDuplicateDetector.fromBytes(forged)).toThrow(message);
    }
    expect(() => NearDuplicateDetector.fromBytes(withOptions([1]))).toThrow(RangeError);
  });

  it('BloomFilter.fromBytes refuses a sizing the constructor refuses, before allocating for it', () => {
    const filter = new BloomFilter({ expectedItems: 100, falsePositiveRate: 0.01 });
    // expectedItems f64 @0, falsePositiveRate f64 @8, bitCount u32 @16, hashCount u8 @20, added f64 @21
    const badRate = forge(filter.toBytes(), (p) => p.setFloat64(8, 0.9, true));
    expect(() => BloomFilter.fromBytes(badRate)).toThrow(/BloomFilter\.fromBytes: invalid sizing in the buffer: BloomFilter: options\.falsePositiveRate must be a number greater than 0 and at most 0\.5, got 0\.9/);
    const fractional = forge(filter.toBytes(), (p) => p.setFloat64(0, 100.5, true));
    expect(() => BloomFilter.fromBytes(fractional)).toThrow(/invalid sizing in the buffer: BloomFilter: options\.expectedItems must be an integer/);
    const huge = forge(filter.toBytes(), (p) => {
      p.setFloat64(0, 0xffffffff, true);
      p.setFloat64(8, 1e-300, true);
    });
    expect(() => BloomFilter.fromBytes(huge)).toThrow(/invalid sizing in the buffer: BloomFilter: options\.expectedItems must be small enough for/);
    const otherBits = forge(filter.toBytes(), (p) => p.setUint32(16, 32, true));
    expect(() => BloomFilter.fromBytes(otherBits)).toThrow(/do not match the sizing/);
  });

  it('SimHashIndex.fromBytes and ParagraphDeduplicator.fromBytes refuse options their constructors refuse', () => {
    const index = new SimHashIndex({ maxDistance: 3 });
    expect(() => SimHashIndex.fromBytes(forge(index.toBytes(), (p) => p.setUint8(0, 64)))).toThrow(/SimHashIndex\.fromBytes: invalid options in the buffer: SimHashIndex: options\.maxDistance must be an integer from 0 to 63, got 64/);
    expect(() => SimHashIndex.fromBytes(forge(index.toBytes(), (p) => p.setUint8(1, 2)))).toThrow(/options\.blocks must be an integer from 4 to 64, got 2/);
    const pd = new ParagraphDeduplicator({ store: 'bloom', expectedItems: 100 });
    // unit u8 @0, minLength u32 @1, locale flag @5, store u8 @6, expectedItems f64 @7, falsePositiveRate f64 @15
    expect(() => ParagraphDeduplicator.fromBytes(forge(pd.toBytes(), (p) => p.setFloat64(15, 0.75, true)))).toThrow(/ParagraphDeduplicator\.fromBytes: invalid options/);
    expect(() => ParagraphDeduplicator.fromBytes(forge(pd.toBytes(), (p) => p.setFloat64(7, 0, true)))).toThrow(RangeError);
  });

  it('signatureFromBytes refuses what MinHasher refuses; signatureToBytes writes only what it reads back', () => {
    const sig = new MinHasher({ numPerm: 4, seed: 3 }).signature(new Uint32Array([1, 2]));
    expect(signatureFromBytes(signatureToBytes(sig))).toEqual(sig);
    // scheme u8 @0, seed u32 @1, values: u32 count @5, then the values
    expect(() => signatureFromBytes(forge(signatureToBytes(sig), (p) => p.setUint8(0, 7)))).toThrow(/unknown scheme code 7/);
    const empty = withPayload(signatureToBytes(sig), new Uint8Array([1, 3, 0, 0, 0, 0, 0, 0, 0]));
    expect(() => signatureFromBytes(empty)).toThrow(RangeError);
    expect(() => signatureFromBytes(empty)).toThrow(/signatureFromBytes: signature\.numPerm must be an integer from 1 to 65535, got 0/);
    expect(() => signatureToBytes({ ...sig, scheme: 'bogus' as never })).toThrow(/signatureToBytes: signature\.scheme must be "classic" or "fast", got "bogus"/);
    expect(() => signatureToBytes({ ...sig, seed: -1 })).toThrow(RangeError);
  });
  it('fromBytes refuses a string that is not valid UTF-8 (an options record, an id) with a RangeError naming the function', () => {
    const detector = new NearDuplicateDetector();
    detector.add('ab', 'some text that is kept in the saved state');
    const index = new LshIndex({ numPerm: 8, bands: 4, rows: 2 });
    index.insert('ab', new MinHasher({ numPerm: 8 }).signature(Uint32Array.of(1, 2, 3)));
    // Every string is a u32 byte length then its bytes: make the id "ab" the invalid UTF-8 bytes ff fe.
    const breakId = (bytes: Uint8Array): Uint8Array => forge(bytes, (_, raw) => {
      const at = raw.findIndex((b, i) => b === 2 && raw[i + 1] === 0 && raw[i + 4] === 0x61 && raw[i + 5] === 0x62);
      expect(at).toBeGreaterThan(0);
      raw.set([0xff, 0xfe], at + 4);
    });
    expect(() => LshIndex.fromBytes(breakId(index.toBytes()))).toThrow(RangeError);
    expect(() => LshIndex.fromBytes(breakId(index.toBytes()))).toThrow(/^LshIndex\.fromBytes: the string at byte \d+ is not valid UTF-8$/);
    expect(() => NearDuplicateDetector.fromBytes(breakId(detector.toBytes()))).toThrow(RangeError);
    expect(() => NearDuplicateDetector.fromBytes(breakId(detector.toBytes()))).toThrow(/^NearDuplicateDetector\.fromBytes: the string at byte \d+ is not valid UTF-8$/);
    // The options record (its bytes start at payload byte 4) was already refused as invalid JSON; it now says why.
    const options = forge(detector.toBytes(), (_, raw) => raw.set([0xff], 4));
    expect(() => NearDuplicateDetector.fromBytes(options)).toThrow(RangeError);
    expect(() => NearDuplicateDetector.fromBytes(options)).toThrow(/^NearDuplicateDetector\.fromBytes: .*the string at byte 4 is not valid UTF-8/);
  });
});
