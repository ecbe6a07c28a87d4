/**
 * Curve fields of the canonical encoding (spec/encoding.md, ENC-6..ENC-9): secp256k1 scalars (32 bytes,
 * big-endian, < n) and points (33-byte SEC1 compressed, on the curve, never the identity), and Ed25519
 * public keys (32 bytes, strict RFC 8032 encoding, not of small order).
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { type Reader, readUint256BE } from "./reader.js";
import type { Writer } from "./writer.js";

export const Secp = secp256k1.Point;
export type SecpPoint = InstanceType<typeof secp256k1.Point>;
/** The order n of secp256k1's group. */
export const CURVE_ORDER: bigint = Secp.Fn.ORDER;
const FIELD_PRIME: bigint = Secp.Fp.ORDER;

export const SCALAR_BYTES = 32;
export const POINT_BYTES = 33;
export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const HASH_BYTES = 32;

/** [ENC-6] A scalar in [0, n) (or [1, n) when `nonZero`), 32 bytes big-endian. */
export const readScalar = (r: Reader, title: string, nonZero = false): bigint => {
  const at = r.position;
  const value = r.u256(title);
  if (value >= CURVE_ORDER) r.fail("ScalarOutOfRange", `${title}: scalar >= n`, at);
  if (nonZero && value === 0n) r.fail("ScalarZero", `${title}: scalar is zero`, at);
  return value;
};

export const scalarToBytes = (value: bigint): Uint8Array => {
  if (value < 0n || value >= CURVE_ORDER) throw new RangeError("scalar out of range");
  return numberToBytesBE(value, SCALAR_BYTES);
};

export const writeScalar = (w: Writer, value: bigint): Writer => w.fixed(scalarToBytes(value), SCALAR_BYTES);

/** [ENC-7] A secp256k1 point: prefix 0x02/0x03, x < p, on the curve; the identity has no encoding. */
export const readPoint = (r: Reader, title: string): SecpPoint => {
  const at = r.position;
  const bytes = r.fixed(POINT_BYTES, title);
  const prefix = bytes[0];
  if (prefix === 0x00) r.fail("PointIdentity", `${title}: identity point`, at);
  if (prefix !== 0x02 && prefix !== 0x03) r.fail("PointNotCompressed", `${title}: prefix ${prefix}`, at);
  const x = readUint256BE(new DataView(bytes.buffer, bytes.byteOffset + 1, POINT_BYTES - 1), 0);
  if (x >= FIELD_PRIME) r.fail("PointNonCanonical", `${title}: x >= p`, at);
  try {
    return Secp.fromBytes(bytes);
  } catch {
    return r.fail("PointNotOnCurve", `${title}: x is not on the curve`, at);
  }
};

export const pointToBytes = (point: SecpPoint): Uint8Array => {
  if (point.is0()) throw new RangeError("the identity point has no encoding");
  return point.toBytes(true);
};

export const writePoint = (w: Writer, point: SecpPoint): Writer => w.fixed(pointToBytes(point), POINT_BYTES);

const ED25519_FIELD_PRIME = 2n ** 255n - 19n;

/**
 * [ENC-8] An Ed25519 public key: the strict RFC 8032 encoding (y < p, no negative zero, on the curve),
 * and not of small order (a small-order key lets one signature verify for many messages).
 */
export const readEd25519Key = (r: Reader, title: string): Uint8Array => {
  const at = r.position;
  const bytes = r.fixed(ED25519_KEY_BYTES, title);
  const y = bytes.slice();
  const signBit = (y[31] ?? 0) >> 7;
  y[31] = (y[31] ?? 0) & 0x7f;
  const yValue = bytesToNumberBE(y.reverse());
  if (yValue >= ED25519_FIELD_PRIME) r.fail("Ed25519KeyNonCanonical", `${title}: y >= p`, at);
  // x = 0 exactly when y = +-1; RFC 8032 5.1.3 step 4 rejects x = 0 with the sign bit set.
  const xIsZero = yValue === 1n || yValue === ED25519_FIELD_PRIME - 1n;
  if (xIsZero && signBit === 1) r.fail("Ed25519KeyNonCanonical", `${title}: negative zero x`, at);
  let point: ReturnType<typeof ed25519.Point.fromBytes>;
  try {
    point = ed25519.Point.fromBytes(bytes, false);
  } catch {
    return r.fail("PointNotOnCurve", `${title}: not a point of edwards25519`, at);
  }
  if (point.isSmallOrder()) r.fail("Ed25519KeySmallOrder", `${title}: point of small order`, at);
  return bytes;
};

/** [ENC-9] Hashes and signatures are opaque fixed-width byte strings. */
export const readHash = (r: Reader, title: string): Uint8Array => r.fixed(HASH_BYTES, title);
