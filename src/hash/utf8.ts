/**
 * UTF-8 encoding into a reused scratch buffer, so hashing a string allocates nothing in the common case.
 * Lone surrogates become U+FFFD (EF BF BD), exactly as `TextEncoder` writes them.
 * Internal module, not public API.
 */

let encoder: TextEncoder | undefined;
let scratch = new Uint8Array(0);

/**
 * Encodes `text` as UTF-8 into a shared scratch buffer and returns the number of bytes written.
 * The bytes are valid until the next call. The buffer grows lazily (3 bytes per UTF-16 unit is the worst case).
 */
export function encodeUtf8(text: string): number {
  const needed = text.length * 3;
  if (scratch.length < needed) scratch = new Uint8Array(Math.max(needed, 256, scratch.length * 2));
  encoder ??= new TextEncoder();
  return encoder.encodeInto(text, scratch).written;
}

/** The scratch buffer filled by the last {@link encodeUtf8} call. */
export function utf8Scratch(): Uint8Array {
  return scratch;
}

/** Encodes `text` as UTF-8 into `target` (which must hold `3 × text.length` bytes); returns the bytes written. */
export function encodeUtf8Into(text: string, target: Uint8Array): number {
  encoder ??= new TextEncoder();
  return encoder.encodeInto(text, target).written;
}
