/**
 * Canonical decoder (spec/encoding.md, ENC-2..ENC-5). A `Reader` walks the input once; every field
 * decoder checks canonicality and fails with a `DecodeError` that records the offset. `decodeWith`
 * is the only place that turns that failure into a `Result`, and it also rejects trailing bytes.
 * @module
 */
import { Result } from "effect";
import { DecodeError, type DecodeReason } from "./errors.js";
import { OBJECT_VERSION } from "./writer.js";

/**
 * The unsigned big-endian value of the 32 bytes at `offset` of `view`, as four 64-bit reads: noble's
 * bytesToNumberBE goes through a hex string, which made scalar decoding the decoders' top allocation site.
 */
export const readUint256BE = (view: DataView, offset: number): bigint =>
  (view.getBigUint64(offset) << 192n) |
  (view.getBigUint64(offset + 8) << 128n) |
  (view.getBigUint64(offset + 16) << 64n) |
  view.getBigUint64(offset + 24);

/** Thrown inside a decoder and caught by `decodeWith`; never escapes the codec. */
class DecodeAbort {
  constructor(readonly error: DecodeError) {}
}

export class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly input: Uint8Array) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.input.length - this.offset;
  }

  /** Fails at `at` (default: the current offset). */
  fail(reason: DecodeReason, detail: string, at: number = this.offset): never {
    throw new DecodeAbort(new DecodeError({ offset: at, reason, detail }));
  }

  private need(width_bytes: number, title: string): number {
    if (this.remaining < width_bytes) {
      this.fail("ShortInput", `${title}: need ${width_bytes} bytes, ${this.remaining} left`);
    }
    const start = this.offset;
    this.offset += width_bytes;
    return start;
  }

  u8(title = "u8"): number {
    return this.view.getUint8(this.need(1, title));
  }

  u16(title = "u16"): number {
    return this.view.getUint16(this.need(2, title));
  }

  u32(title = "u32"): number {
    return this.view.getUint32(this.need(4, title));
  }

  u64(title = "u64"): bigint {
    return this.view.getBigUint64(this.need(8, title));
  }

  /** A 32-byte big-endian unsigned integer, read in place (no copy of the bytes). */
  u256(title = "u256"): bigint {
    return readUint256BE(this.view, this.need(32, title));
  }

  /** [ENC-4] Booleans are exactly 0x00 or 0x01. */
  bool(title = "bool"): boolean {
    const at = this.offset;
    const value = this.u8(title);
    if (value > 1) this.fail("NonCanonicalBool", `${title}: ${value} is not 0 or 1`, at);
    return value === 1;
  }

  /** A u8 that must be one of `allowed` (type and enum bytes). */
  oneOf<const T extends number>(allowed: readonly T[], reason: "BadType" | "BadEnum" | "BadVersion", title: string): T {
    const at = this.offset;
    const value = this.u8(title);
    if (!allowed.includes(value as T)) this.fail(reason, `${title}: ${value} not in [${allowed.join(", ")}]`, at);
    return value as T;
  }

  fixed(width_bytes: number, title = "bytes"): Uint8Array {
    const start = this.need(width_bytes, title);
    return this.input.slice(start, start + width_bytes);
  }

  /** [ENC-3] u32 length prefix, bounded before anything is allocated. */
  bytes(max_bytes: number, title = "bytes"): Uint8Array {
    const at = this.offset;
    const length = this.u32(`${title} length`);
    if (length > max_bytes) this.fail("LengthOverBound", `${title}: length ${length} over the bound ${max_bytes}`, at);
    return this.fixed(length, title);
  }

  /** [ENC-3] A u32 element count, bounded. */
  count(max: number, title: string): number {
    const at = this.offset;
    const n = this.u32(`${title} count`);
    if (n > max) this.fail("LengthOverBound", `${title}: count ${n} over the bound ${max}`, at);
    return n;
  }
}

/**
 * [ENC-2] Runs a decoder over the whole input: any field failure, and any byte left over, is a
 * `DecodeError`. Exceptions other than decode failures are bugs and propagate.
 */
export const decodeWith = <T>(input: Uint8Array, read: (r: Reader) => T): Result.Result<T, DecodeError> => {
  const r = new Reader(input);
  try {
    const value = read(r);
    if (r.remaining !== 0) r.fail("TrailingBytes", `${r.remaining} bytes after the end of the value`);
    return Result.succeed(value);
  } catch (abort) {
    if (abort instanceof DecodeAbort) return Result.fail(abort.error);
    throw abort;
  }
};

/** [ENC-10] Reads the version byte (must be OBJECT_VERSION) and a type byte from `allowed`. */
export const readObjectHeader = <const T extends number>(r: Reader, allowed: readonly T[], title: string): T => {
  r.oneOf([OBJECT_VERSION], "BadVersion", `${title} version`);
  return r.oneOf(allowed, "BadType", `${title} type`);
};
