/**
 * The MessagePack subset of umbral-pre's `toBytes` (spec/proxy-re-encryption.md, [PRE-16], [PRE-17]):
 * rmp-serde writes a struct as a fixarray of its fields in declaration order, a byte string as bin8
 * (0xc4, length, bytes) and a boolean as 0xc2 / 0xc3. Only that canonical form is accepted: the other
 * MessagePack spellings rmp-serde also reads (array16, maps with field names, bin16/bin32, uncompressed
 * or identity points inside a bin) are rejected, so every accepted object has exactly one encoding.
 * @module
 */
import { POINT_BYTES, readPoint, readScalar, SCALAR_BYTES, type SecpPoint } from "../../codec/fields.js";
import type { Reader } from "../../codec/reader.js";
import type { Writer } from "../../codec/writer.js";
import { compressed } from "./points.js";

const FIXARRAY = 0x90;
const MAX_FIXARRAY = 15;
const BIN8 = 0xc4;
const FALSE = 0xc2;
const TRUE = 0xc3;
const UNCOMPRESSED_POINT_BYTES = 65;

const hexByte = (value: number): string => `0x${value.toString(16).padStart(2, "0")}`;

/** [PRE-16] A struct header: fixarray of `fields` entries. */
export const writeStruct = (w: Writer, fields: number): Writer => {
  if (fields < 0 || fields > MAX_FIXARRAY) throw new RangeError(`fixarray of ${fields} entries`);
  return w.u8(FIXARRAY | fields);
};

export const readStruct = (r: Reader, fields: number, title: string): void => {
  const at = r.position;
  const marker = r.u8(`${title} header`);
  if (marker !== (FIXARRAY | fields)) {
    r.fail(
      "BadType",
      `${title}: expected fixarray(${fields}) ${hexByte(FIXARRAY | fields)}, got ${hexByte(marker)}`,
      at,
    );
  }
};

/** [PRE-16] A byte string: bin8 header then the bytes. */
export const writeBin = (w: Writer, bytes: Uint8Array): Writer =>
  w.u8(BIN8).u8(bytes.length).fixed(bytes, bytes.length);

/** Reads a bin8 header; returns the length it announces (the callers check it and read the body). */
const readBinHeader = (r: Reader, title: string): number => {
  const at = r.position;
  const marker = r.u8(`${title} marker`);
  if (marker !== BIN8) r.fail("BadType", `${title}: expected bin8 (0xc4), got ${hexByte(marker)}`, at);
  return r.u8(`${title} length`);
};

/** [PRE-16] A bin8 header announcing exactly `length` bytes; the caller reads the body. */
export const expectBin = (r: Reader, length: number, title: string): void => {
  const at = r.position;
  const announced = readBinHeader(r, title);
  if (announced !== length) r.fail("BadType", `${title}: bin8 of ${announced} bytes, expected ${length}`, at);
};

export const readBin = (r: Reader, length: number, title: string): Uint8Array => {
  expectBin(r, length, title);
  return r.fixed(length, title);
};

/**
 * [PRE-17] A point: bin8 of 33 bytes holding a compressed point (ENC-7). A bin of 65 bytes (SEC1
 * uncompressed, which rust-umbral reads) is rejected as `PointNotCompressed`, a bin holding the single
 * byte 0x00 (the identity) as `PointIdentity`.
 */
export const readBinPoint = (r: Reader, title: string): SecpPoint => {
  const at = r.position;
  const announced = readBinHeader(r, title);
  if (announced === UNCOMPRESSED_POINT_BYTES) r.fail("PointNotCompressed", `${title}: uncompressed point`, at);
  if (announced === 1 && r.remaining >= 1 && r.fixed(1)[0] === 0) r.fail("PointIdentity", `${title}: identity`, at);
  if (announced !== POINT_BYTES) r.fail("BadType", `${title}: bin8 of ${announced} bytes, expected 33`, at);
  return readPoint(r, title);
};

export const writeBinPoint = (w: Writer, point: SecpPoint): Writer => writeBin(w, compressed(point));

/**
 * [PRE-16] A scalar: bin8 of 32 bytes, big-endian, < n. Zero is accepted: the MessagePack forms carry
 * only scalars that may be zero (the capsule's s, a kfrag's rk, a cfrag's z; PRE-17).
 */
export const readBinScalar = (r: Reader, title: string): bigint => {
  expectBin(r, SCALAR_BYTES, title);
  return readScalar(r, title);
};

/** [PRE-16] A boolean: 0xc2 (false) or 0xc3 (true); anything else is `NonCanonicalBool`. */
export const writeBool = (w: Writer, value: boolean): Writer => w.u8(value ? TRUE : FALSE);

export const readBool = (r: Reader, title: string): boolean => {
  const at = r.position;
  const marker = r.u8(title);
  if (marker !== TRUE && marker !== FALSE) {
    r.fail("NonCanonicalBool", `${title}: expected 0xc2 or 0xc3, got ${hexByte(marker)}`, at);
  }
  return marker === TRUE;
};
