import { Kind, openEnvelope, sealEnvelope } from '../envelope';
import { ByteWriter } from '../internal/bytes';
import { assertSignature } from './minhasher';
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
 * @throws TypeError if `signature` is not a signature; RangeError if its scheme, seed or numPerm is one MinHasher refuses
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
  // The rules of MinHasher's constructor, so every buffer written here reads back as the same signature.
  assertSignature('signatureToBytes', 'signature', signature);
  const s = signature;
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
  const signature: MinHashSignature = { values, numPerm: values.length, seed, scheme };
  try {
    assertSignature(what, 'signature', signature); // the rules of MinHasher's constructor
  } catch (e) {
    throw new RangeError((e as Error).message);
  }
  return signature;
}
