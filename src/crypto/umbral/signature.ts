/**
 * The kfrag signatures (spec/proxy-re-encryption.md, [PRE-6]): ECDSA over secp256k1 with SHA-256 of the
 * message, as umbral-pre's `Signer`: the nonce is RFC 6979's HMAC-DRBG seeded with the key, the
 * message hash and 32 bytes of extra entropy (RFC 6979 §3.6, k256's randomized signing), s is
 * normalized to the low half, and the encoding is r ‖ s (32 bytes each, big-endian). Verification
 * rejects high-s signatures, as k256 does.
 * @module
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { readScalar, scalarToBytes } from "../../codec/fields.js";
import type { Reader } from "../../codec/reader.js";
import { decodeWith } from "../../codec/reader.js";
import type { PublicKey, SecretKey } from "./keys.js";
import { ENTROPY_BYTES, SIGNATURE_BYTES } from "./params.js";
import { compressed } from "./points.js";

/** [PRE-6] A 64-byte r ‖ s signature with r, s in [1, n). */
export type Signature = Uint8Array;

/** [PRE-6] Signs SHA-256(message) with hedged RFC 6979 nonces (`entropy`: 32 bytes). */
export const signWithEntropy = (signer: SecretKey, message: Uint8Array, entropy: Uint8Array): Signature => {
  if (entropy.length !== ENTROPY_BYTES) throw new RangeError(`ECDSA entropy must be ${ENTROPY_BYTES} bytes`);
  return secp256k1.sign(message, scalarToBytes(signer.scalar), { prehash: true, lowS: true, extraEntropy: entropy });
};

/** [PRE-6] Verifies a signature over SHA-256(message); high-s and out-of-range values are rejected. */
export const verifySignature = (verifying: PublicKey, message: Uint8Array, signature: Signature): boolean =>
  signature.length === SIGNATURE_BYTES &&
  secp256k1.verify(signature, message, compressed(verifying.point), { prehash: true, lowS: true });

/** [PRE-6] Reads r ‖ s: each 32 bytes big-endian in [1, n) (`ScalarZero`, `ScalarOutOfRange`). */
export const readSignatureBody = (r: Reader, title: string): Signature => {
  const rValue = readScalar(r, `${title} r`, true);
  const sValue = readScalar(r, `${title} s`, true);
  const out = new Uint8Array(SIGNATURE_BYTES);
  out.set(scalarToBytes(rValue), 0);
  out.set(scalarToBytes(sValue), 32);
  return out;
};

export const decodeSignature = (bytes: Uint8Array): Result.Result<Signature, DecodeError> =>
  decodeWith(bytes, (r) => readSignatureBody(r, "ECDSA signature"));
