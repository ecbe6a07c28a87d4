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
import { readPoint, readScalar, Secp, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
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

const publicKeys = new WeakMap<SecretKey, PublicKey>();

/** [PRE-5] The public key a·G of a secret key (computed once per key object: keys are immutable). */
export const publicKeyOf = (secretKey: SecretKey): PublicKey => {
  let publicKey = publicKeys.get(secretKey);
  if (publicKey === undefined) {
    publicKey = { point: mulBase(secretKey.scalar) };
    publicKeys.set(secretKey, publicKey);
  }
  return publicKey;
};

/** [PRE-5] 32 bytes big-endian; zero and values ≥ n are rejected (`ScalarZero`, `ScalarOutOfRange`). */
export const decodeSecretKey = (bytes: Uint8Array): Result.Result<SecretKey, DecodeError> =>
  decodeWith(bytes, (r) => Object.freeze({ scalar: readScalar(r, "Umbral secret key", true) }));

export const encodeSecretKey = (secretKey: SecretKey): Uint8Array => {
  if (secretKey.scalar === 0n) throw new RangeError("a secret key is never zero");
  return scalarToBytes(secretKey.scalar);
};

/** [PRE-5] 33 bytes, SEC1 compressed (ENC-7). */
export const decodePublicKey = (bytes: Uint8Array): Result.Result<PublicKey, DecodeError> =>
  decodeWith(bytes, (r) => ({ point: readPoint(r, "Umbral public key") }));

export const encodePublicKey = (publicKey: PublicKey): Uint8Array => compressed(publicKey.point).slice();

/** The window of a prepared key's table: 6 bits builds in ~17 ms and makes each multiplication ~4x cheaper. */
const PREPARED_WINDOW_BITS = 6;

/**
 * [PRE-22] A copy of a long-lived public key with a precomputed multiplication table: the patient's own
 * key when it encrypts many records (Enc), pk_A at a delegatee opening many records (Dec2). Results are
 * identical; only the time changes.
 */
export const preparePublicKey = (publicKey: PublicKey): PublicKey => ({
  point: Secp.fromAffine(publicKey.point.toAffine()).precompute(PREPARED_WINDOW_BITS, false),
});
