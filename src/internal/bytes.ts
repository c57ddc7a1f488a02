/**
 * Little-endian byte writer and bounds-checked reader for the payloads of serialized structures (no hashing, no
 * framing: src/envelope wraps a payload in the checksummed envelope).
 * Internal module, not public API.
 */

/** A growable little-endian byte writer. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; return this; }
  u16(v: number): this { this.reserve(2); this.view.setUint16(this.length, v, true); this.length += 2; return this; }
  u32(v: number): this { this.reserve(4); this.view.setUint32(this.length, v, true); this.length += 4; return this; }
  f64(v: number): this { this.reserve(8); this.view.setFloat64(this.length, v, true); this.length += 8; return this; }
  bytes(v: Uint8Array): this { this.reserve(v.length); this.buf.set(v, this.length); this.length += v.length; return this; }
  /** Writes a u32 count then the values, little-endian. */
  u32Array(v: Uint32Array): this {
    this.u32(v.length);
    this.reserve(v.length * 4);
    for (let i = 0; i < v.length; i++) this.view.setUint32(this.length + i * 4, v[i]!, true);
    this.length += v.length * 4;
    return this;
  }
  /** Writes a u32 byte length then the UTF-8 bytes. */
  string(s: string): this {
    const encoded = new TextEncoder().encode(s);
    this.u32(encoded.length);
    return this.bytes(encoded);
  }
  /** Writes an id that is either a number (tag 0, f64) or a string (tag 1). */
  id(v: number | string): this {
    return typeof v === 'number' ? this.u8(0).f64(v) : this.u8(1).string(v);
  }
  toBytes(): Uint8Array { return this.buf.slice(0, this.length); }
}

/** A bounds-checked little-endian reader: reading past the end throws a clear `RangeError`. */
export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.offset + n > this.buf.length) {
      throw new RangeError(`${this.what}: payload truncated at byte ${this.offset} (needed ${n} more bytes)`);
    }
  }
  u8(): number { this.need(1); return this.view.getUint8(this.offset++); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.offset, true); this.offset += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.offset, true); this.offset += 4; return v; }
  f64(): number { this.need(8); const v = this.view.getFloat64(this.offset, true); this.offset += 8; return v; }
  bytes(n: number): Uint8Array { this.need(n); const v = this.buf.slice(this.offset, this.offset + n); this.offset += n; return v; }
  u32Array(): Uint32Array {
    const n = this.u32();
    this.need(n * 4);
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getUint32(this.offset + i * 4, true);
    this.offset += n * 4;
    return out;
  }
  string(): string {
    const n = this.u32();
    const at = this.offset;
    const bytes = this.bytes(n);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // The decoder's own error is a TypeError naming neither the structure nor the place.
      throw new RangeError(`${this.what}: the string at byte ${at} is not valid UTF-8`);
    }
  }
  id(): number | string {
    const tag = this.u8();
    if (tag === 0) return this.f64();
    if (tag === 1) return this.string();
    throw new RangeError(`${this.what}: invalid id tag ${tag} at byte ${this.offset - 1}`);
  }
  /** Throws unless every payload byte was consumed. */
  end(): void {
    if (this.offset !== this.buf.length) {
      throw new RangeError(`${this.what}: ${this.buf.length - this.offset} unexpected trailing payload bytes`);
    }
  }
}
