/**
 * Point arithmetic helpers for Umbral (spec/proxy-re-encryption.md, [PRE-22]): which multiplication is
 * used for which scalar, and a cache of compressed encodings.
 * - Secret scalars (keys, kfrag shares, nonces, the shared secret d) go through noble's `multiply`,
 *   which does not branch on the scalar; public scalars (hashes, proof responses, capsule signatures)
 *   may use the faster variable-time `multiplyUnsafe` / `mulAddUnsafe`.
 * - A zero scalar gives the identity instead of noble's exception, so that crafted inputs end in a
 *   typed error at the check that follows, never in a throw.
 * - Every point hashed or written is compressed once per point object (decoded points are affine,
 *   so theirs is cheap; computed points pay one field inversion).
 * @module
 */
import { CURVE_ORDER, pointToBytes, Secp, type SecpPoint } from "../../codec/fields.js";

const encodings = new WeakMap<SecpPoint, Uint8Array>();

/** The 33-byte compressed encoding of a point other than the identity (cached per point object). */
export const compressed = (point: SecpPoint): Uint8Array => {
  let bytes = encodings.get(point);
  if (bytes === undefined) {
    bytes = pointToBytes(point);
    encodings.set(point, bytes);
  }
  return bytes;
};

/** [PRE-22] k·P for a secret k (noble's constant-time path); the identity when k = 0. */
export const mulSecret = (point: SecpPoint, k: bigint): SecpPoint => (k === 0n ? Secp.ZERO : point.multiply(k));

/** [PRE-22] k·G for a secret k, with noble's precomputed base table. */
export const mulBase = (k: bigint): SecpPoint => mulSecret(Secp.BASE, k);

/** [PRE-22] k·P for a public k (variable time). */
export const mulPublic = (point: SecpPoint, k: bigint): SecpPoint => point.multiplyUnsafe(k);

/** [PRE-22] a·P − b·Q for public a, b (one Strauss–Shamir pass). */
export const mulSubPublic = (p: SecpPoint, a: bigint, q: SecpPoint, b: bigint): SecpPoint =>
  p.mulAddUnsafe(a, q, b === 0n ? 0n : CURVE_ORDER - b);
