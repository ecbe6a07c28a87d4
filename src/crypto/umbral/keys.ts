/**
 * Umbral key pairs (spec/proxy-re-encryption.md, [PRE-2], [PRE-5]): a secret key is a scalar a in
 * [1, n), encoded as 32 bytes big-endian (umbral-pre `SecretKey.toBEBytes`); its public key is a·G,
 * encoded as a 33-byte compressed point (`PublicKey.toCompressedBytes`). The same key type serves as
 * the delegating (PRE) key, the receiving key and the kfrag signer key; SPChain keeps a patient's PRE
 * key apart from every other key it holds (PRE-2).
 * @module
 */
import type { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { readPoint, readScalar, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
import { decodeWith } from "../../codec/reader.js";
import { compressed, mulBase } from "./points.js";

/** A secret key: a scalar in [1, n). */
export interface SecretKey {
  readonly scalar: bigint;
}

/** A public key: a point other than the identity. */
export interface PublicKey {
  readonly point: SecpPoint;
}

/** [PRE-5] The public key a·G of a secret key. */
export const publicKeyOf = (secretKey: SecretKey): PublicKey => ({ point: mulBase(secretKey.scalar) });

/** [PRE-5] 32 bytes big-endian; zero and values ≥ n are rejected (`ScalarZero`, `ScalarOutOfRange`). */
export const decodeSecretKey = (bytes: Uint8Array): Result.Result<SecretKey, DecodeError> =>
  decodeWith(bytes, (r) => ({ scalar: readScalar(r, "Umbral secret key", true) }));

export const encodeSecretKey = (secretKey: SecretKey): Uint8Array => {
  if (secretKey.scalar === 0n) throw new RangeError("a secret key is never zero");
  return scalarToBytes(secretKey.scalar);
};

/** [PRE-5] 33 bytes, SEC1 compressed (ENC-7). */
export const decodePublicKey = (bytes: Uint8Array): Result.Result<PublicKey, DecodeError> =>
  decodeWith(bytes, (r) => ({ point: readPoint(r, "Umbral public key") }));

export const encodePublicKey = (publicKey: PublicKey): Uint8Array => compressed(publicKey.point).slice();

/** Public keys are equal when their points are. */
export const samePublicKey = (a: PublicKey, b: PublicKey): boolean => a.point.equals(b.point);
