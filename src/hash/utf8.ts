/**
 * UTF-8 encoding into a reused scratch buffer, so hashing a string allocates nothing in the common case.
 * Lone surrogates become U+FFFD (EF BF BD), exactly as `TextEncoder` writes them; {@link encodeWtf8} keeps them
 * apart instead, for keys that must tell every string from every other.
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

// String.prototype.isWellFormed is ES2024 (Node 20, Chrome 111, Firefox 119, Safari 16.4); the regex is the
// fallback: with the `u` flag a surrogate pair is one code point, so the class matches lone surrogates only.
const loneSurrogate = /[\ud800-\udfff]/u;

/** Whether `text` has a lone surrogate (a UTF-16 code unit that UTF-8 cannot represent). */
export function hasLoneSurrogate(text: string): boolean {
  const s = text as string & { isWellFormed?: () => boolean };
  return typeof s.isWellFormed === 'function' ? !s.isWellFormed() : loneSurrogate.test(text);
}

/**
 * Encodes `text` as WTF-8 into the shared scratch buffer (see {@link utf8Scratch}) and returns the number of bytes
 * written: the UTF-8 of every well-formed string, and for a lone surrogate the three bytes of its code point
 * (ED A0 80 – ED BF BF), which never occur in UTF-8. Unlike UTF-8 with U+FFFD, this is one-to-one on UTF-16
 * strings, so a hash of it is a key that only equal strings share (up to hash collisions).
 */
export function encodeWtf8(text: string): number {
  const n = encodeUtf8(text);
  if (!hasLoneSurrogate(text)) return n;
  const out = scratch; // already 3 bytes per code unit
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        out[o++] = 0xf0 | (c >> 18);
        out[o++] = 0x80 | ((c >> 12) & 0x3f);
        out[o++] = 0x80 | ((c >> 6) & 0x3f);
        out[o++] = 0x80 | (c & 0x3f);
        continue;
      }
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      // Every other BMP unit, lone surrogates included (as generalized UTF-8).
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return o;
}
