/**
 * Umbral's hashes (spec/proxy-re-encryption.md, [PRE-4], [PRE-11]): SHA-256 over u32be(|dst|) ‖ dst ‖
 * parts (the same framing as HASH-1, with Umbral's own domain strings), reduced to a non-zero scalar as
 * (OS2IP(digest) mod (n − 1)) + 1; points enter as 33-byte compressed encodings. Also the message that
 * the kfrag signatures cover.
 * @module
 */
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { CURVE_ORDER, type SecpPoint } from "../../codec/fields.js";
import { concatBytes } from "../bytes.js";
import { taggedHash } from "../hash.js";
import { UMBRAL_DST, umbralUBytes } from "./params.js";
import { compressed } from "./points.js";

/** [PRE-4] SHA-256 with Umbral's framing, reduced to a scalar in [1, n). */
export const hashToNonZeroScalar = (dst: string, ...parts: Uint8Array[]): bigint =>
  (bytesToNumberBE(taggedHash(dst, ...parts)) % (CURVE_ORDER - 1n)) + 1n;

const hashPoints = (dst: string, points: readonly SecpPoint[], ...extra: Uint8Array[]): bigint =>
  hashToNonZeroScalar(dst, ...points.map(compressed), ...extra);

/** [PRE-4] x_i = H_POLYNOMIAL_ARG(X_A ‖ pk_B ‖ dh ‖ id): the share index of a kfrag. */
export const hashToPolynomialArg = (
  precursor: SecpPoint,
  receiving: SecpPoint,
  dh: SecpPoint,
  kfragId: Uint8Array,
): bigint => hashPoints(UMBRAL_DST.POLYNOMIAL_ARG, [precursor, receiving, dh], kfragId);

/** [PRE-4] d = H_SHARED_SECRET(X_A ‖ pk_B ‖ dh): the non-interactive shared secret. */
export const hashToSharedSecret = (precursor: SecpPoint, receiving: SecpPoint, dh: SecpPoint): bigint =>
  hashPoints(UMBRAL_DST.SHARED_SECRET, [precursor, receiving, dh]);

/** [PRE-4] h = H_CAPSULE_POINTS(E ‖ V): the capsule's challenge. */
export const hashCapsulePoints = (e: SecpPoint, v: SecpPoint): bigint => hashPoints(UMBRAL_DST.CAPSULE_POINTS, [e, v]);

/** The nine points of the re-encryption proof's challenge, in hashing order (U is implied). */
export interface ProofPoints {
  readonly e: SecpPoint;
  readonly e1: SecpPoint;
  readonly e2: SecpPoint;
  readonly v: SecpPoint;
  readonly v1: SecpPoint;
  readonly v2: SecpPoint;
  readonly u1: SecpPoint;
  readonly u2: SecpPoint;
}

/** [PRE-4] h = H_CFRAG_VERIFICATION(E ‖ E1 ‖ E2 ‖ V ‖ V1 ‖ V2 ‖ U ‖ U1 ‖ U2). */
export const hashToCfragVerification = (p: ProofPoints): bigint =>
  hashToNonZeroScalar(
    UMBRAL_DST.CFRAG_VERIFICATION,
    ...[p.e, p.e1, p.e2, p.v, p.v1, p.v2].map(compressed),
    umbralUBytes(),
    compressed(p.u1),
    compressed(p.u2),
  );

/**
 * [PRE-11] The message a kfrag signature covers: id ‖ U1 ‖ X_A ‖ flag ‖ [pk_A] ‖ flag ‖ [pk_B], where each
 * flag is 0x01 followed by the 33-byte key when the key is signed, and a lone 0x00 when it is not.
 */
export const kfragSignatureMessage = (
  kfragId: Uint8Array,
  commitment: SecpPoint,
  precursor: SecpPoint,
  delegating: SecpPoint | undefined,
  receiving: SecpPoint | undefined,
): Uint8Array => {
  const optionalKey = (key: SecpPoint | undefined): Uint8Array[] =>
    key === undefined ? [Uint8Array.of(0)] : [Uint8Array.of(1), compressed(key)];
  return concatBytes(
    kfragId,
    compressed(commitment),
    compressed(precursor),
    ...optionalKey(delegating),
    ...optionalKey(receiving),
  );
};
