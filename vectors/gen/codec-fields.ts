/**
 * The primitive fields of the canonical encoding, as (read, write) pairs over a canonical value
 * representation (hex for byte strings, decimal for integers). Shared by the codec vectors and the
 * codec properties so both exercise exactly the decoders of src/codec.
 * @module
 */
import { type Reader, readEd25519Key, readPoint, readScalar, type Writer, writeScalar } from "../../src/codec/index.js";
import { bytesToHex, hexToBytes } from "../../src/crypto/bytes.js";

export const BYTES_BOUND = 32;

export interface FieldCodec {
  /** Reads the field and returns its canonical text form. */
  readonly read: (r: Reader) => string;
  /** Writes the field from its canonical text form. */
  readonly write: (w: Writer, value: string) => void;
}

export const FIELDS = {
  u8: { read: (r) => String(r.u8()), write: (w, v) => w.u8(Number(v)) },
  u16: { read: (r) => String(r.u16()), write: (w, v) => w.u16(Number(v)) },
  u32: { read: (r) => String(r.u32()), write: (w, v) => w.u32(Number(v)) },
  u64: { read: (r) => String(r.u64()), write: (w, v) => w.u64(BigInt(v)) },
  bool: { read: (r) => String(r.bool()), write: (w, v) => w.bool(v === "true") },
  bytes32: {
    read: (r) => bytesToHex(r.bytes(BYTES_BOUND)),
    write: (w, v) => w.bytes(hexToBytes(v), BYTES_BOUND),
  },
  scalar: { read: (r) => readScalar(r, "scalar").toString(16), write: (w, v) => writeScalar(w, BigInt(`0x${v}`)) },
  nonZeroScalar: {
    read: (r) => readScalar(r, "scalar", true).toString(16),
    write: (w, v) => writeScalar(w, BigInt(`0x${v}`)),
  },
  point: { read: (r) => bytesToHex(readPoint(r, "point").toBytes(true)), write: (w, v) => w.fixed(hexToBytes(v), 33) },
  ed25519Key: { read: (r) => bytesToHex(readEd25519Key(r, "key")), write: (w, v) => w.fixed(hexToBytes(v), 32) },
} as const satisfies Record<string, FieldCodec>;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
