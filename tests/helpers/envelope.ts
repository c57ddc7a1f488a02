import { xxh32 } from '../../src/index';

/** Size of the neardup envelope header: magic (4), version (2), kind (2), payload length (4). */
export const HEADER = 12;

/**
 * A copy of a neardup buffer with its payload edited by `edit` (given a DataView on the payload) and its
 * checksum recomputed: what a forger or a buggy writer produces, which only content checks can refuse.
 */
export function forge(bytes: Uint8Array, edit: (payload: DataView, raw: Uint8Array) => void): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const length = view.getUint32(8, true);
  edit(new DataView(out.buffer, HEADER, length), out.subarray(HEADER, HEADER + length));
  view.setUint32(HEADER + length, xxh32(out.subarray(0, HEADER + length)), true);
  return out;
}

/** A copy of a neardup buffer with a new payload (length and checksum recomputed). */
export function withPayload(bytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length + 4);
  out.set(bytes.subarray(0, 8));
  const view = new DataView(out.buffer);
  view.setUint32(8, payload.length, true);
  out.set(payload, HEADER);
  view.setUint32(HEADER + payload.length, xxh32(out.subarray(0, HEADER + payload.length)), true);
  return out;
}
