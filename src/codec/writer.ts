/**
 * Canonical encoder (spec/encoding.md, [ENC-1]): fixed-order fields, big-endian integers, u32 length
 * prefixes for variable-length byte strings. The writer only accepts values the decoder accepts back,
 * so `decode(encode(x))` is the identity; a value out of range is a programming error and throws.
 * @module
 */

const INITIAL_CAPACITY_BYTES = 256;

export class Writer {
  private buffer = new Uint8Array(INITIAL_CAPACITY_BYTES);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(extra_bytes: number): void {
    const needed = this.length + extra_bytes;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): this {
    assertUint(value, 0xff, "u8");
    this.reserve(1);
    this.buffer[this.length++] = value;
    return this;
  }

  u16(value: number): this {
    assertUint(value, 0xffff, "u16");
    this.reserve(2);
    this.view.setUint16(this.length, value);
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    assertUint(value, 0xffff_ffff, "u32");
    this.reserve(4);
    this.view.setUint32(this.length, value);
    this.length += 4;
    return this;
  }

  u64(value: bigint): this {
    if (value < 0n || value > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64: out of range: ${value}`);
    this.reserve(8);
    this.view.setBigUint64(this.length, value);
    this.length += 8;
    return this;
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  /** Fixed-width bytes: the length is part of the type, not written. */
  fixed(bytes: Uint8Array, width_bytes: number): this {
    if (bytes.length !== width_bytes) throw new RangeError(`fixed: expected ${width_bytes} bytes, got ${bytes.length}`);
    this.reserve(width_bytes);
    this.buffer.set(bytes, this.length);
    this.length += width_bytes;
    return this;
  }

  /** Variable-width bytes: u32 big-endian length, then the bytes; the bound is the decoder's. */
  bytes(bytes: Uint8Array, max_bytes: number): this {
    if (bytes.length > max_bytes) throw new RangeError(`bytes: ${bytes.length} over the bound ${max_bytes}`);
    this.u32(bytes.length);
    return this.fixed(bytes, bytes.length);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const assertUint = (value: number, max: number, title: string): void => {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${title}: out of range: ${value}`);
};

/** Encodes with a fresh writer. */
export const encodeWith = (write: (w: Writer) => void): Uint8Array => {
  const w = new Writer();
  write(w);
  return w.finish();
};

/** [ENC-10] The version of every top-level object's encoding. */
export const OBJECT_VERSION = 1;

/** [ENC-10] Every top-level object starts with u8 version, u8 type. */
export const writeObjectHeader = (w: Writer, type: number): Writer => w.u8(OBJECT_VERSION).u8(type);
