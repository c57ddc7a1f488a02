import { ByteWriter, Kind, openEnvelope, sealEnvelope } from '../internal/bytes';
import { assertInteger, fail, integerRange } from '../internal/validate';
import { MINHASH_LIMITS } from './minhasher';
import type { MinHashScheme, MinHashSignature } from './types';

const VERSION = 1;
const SCHEME_CODES: readonly MinHashScheme[] = ['classic', 'fast'];

/**
 * Serializes a signature into the neardup envelope (magic `NDUP`, format version, kind `MinHashSignature`,
 * length, xxh32 checksum). Payload, little-endian: scheme (u8: 0 classic, 1 fast), seed (u32), numPerm (u32),
 * then the numPerm values (u32 each): 4 · numPerm + 25 bytes in all (537 bytes at 128 permutations).
 *
 * @param signature - a signature from {@link MinHasher.signature}
 * @returns a new byte array
 * @throws TypeError if `signature` is not a signature; RangeError if its seed or numPerm is outside MinHasher's ranges
 * @example
 * ```ts
 * const hasher = new MinHasher({ numPerm: 128 });
 * const sig = hasher.signature(new Uint32Array([1, 2, 3]));
 * const bytes = signatureToBytes(sig);
 * bytes.length; // => 537
 * signatureFromBytes(bytes); // => sig
 * ```
 */
export function signatureToBytes(signature: MinHashSignature): Uint8Array {
  const s = signature as Partial<MinHashSignature> | null;
  if (typeof s !== 'object' || s === null || !(s.values instanceof Uint32Array) || typeof s.seed !== 'number' ||
      !SCHEME_CODES.includes(s.scheme as MinHashScheme) || s.values.length !== s.numPerm) {
    fail(TypeError, 'signatureToBytes: signature', 'a MinHashSignature ({ values: Uint32Array, numPerm, seed, scheme })', signature);
  }
  // The same ranges MinHasher enforces, so every buffer written here reads back as the same signature.
  assertInteger('signatureToBytes: signature.seed', s.seed, 0, MINHASH_LIMITS.maxSeed);
  assertInteger('signatureToBytes: signature.numPerm', s.numPerm, MINHASH_LIMITS.minNumPerm, MINHASH_LIMITS.maxNumPerm);
  const w = new ByteWriter().u8(SCHEME_CODES.indexOf(s.scheme!)).u32(s.seed).u32Array(s.values);
  return sealEnvelope(Kind.MinHashSignature, VERSION, w);
}

/**
 * Reads a signature written by {@link signatureToBytes}.
 *
 * @param bytes - the serialized signature
 * @returns the signature, equal to the one serialized
 * @throws TypeError if `bytes` is not a Uint8Array; RangeError if it is not a neardup MinHash signature
 *   (wrong magic, kind or version, truncated, corrupted, or with out-of-range fields)
 * @example
 * ```ts
 * const sig = new MinHasher({ numPerm: 8, seed: 7 }).signature(new Uint32Array([42]));
 * signatureFromBytes(signatureToBytes(sig)).seed; // => 7
 * ```
 */
export function signatureFromBytes(bytes: Uint8Array): MinHashSignature {
  const what = 'signatureFromBytes';
  const r = openEnvelope(bytes, Kind.MinHashSignature, VERSION, what);
  const code = r.u8();
  const scheme = SCHEME_CODES[code];
  if (scheme === undefined) throw new RangeError(`${what}: unknown scheme code ${code} (expected 0 classic or 1 fast)`);
  const seed = r.u32();
  const values = r.u32Array();
  r.end();
  if (values.length < MINHASH_LIMITS.minNumPerm || values.length > MINHASH_LIMITS.maxNumPerm) {
    fail(RangeError, `${what}: numPerm`, integerRange(MINHASH_LIMITS.minNumPerm, MINHASH_LIMITS.maxNumPerm), values.length);
  }
  return { values, numPerm: values.length, seed, scheme };
}
