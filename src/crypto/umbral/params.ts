/**
 * Umbral's public parameters and constants (spec/proxy-re-encryption.md, [PRE-3], [PRE-4], [PRE-16]):
 * the second generator U, the domain strings of its hashes (Umbral's own, byte for byte, so that the
 * objects interoperate with rust-umbral / @nucypher/umbral-pre 0.10.0), and the encoded sizes.
 * @module
 */
import { secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { POINT_BYTES, SCALAR_BYTES, type SecpPoint } from "../../codec/fields.js";
import { utf8ToBytes } from "../bytes.js";

/** [PRE-4] Umbral's domain strings, as rust-umbral defines them (not SPCHAIN tags: they are part of the format). */
export const UMBRAL_DST = {
  POLYNOMIAL_ARG: "POLYNOMIAL_ARG",
  SHARED_SECRET: "SHARED_SECRET",
  CAPSULE_POINTS: "CAPSULE_POINTS",
  CFRAG_VERIFICATION: "CFRAG_VERIFICATION",
} as const;

/** [PRE-3] U = hash_to_curve(msg = "POINT_U", DST = "PARAMETERS"), suite secp256k1_XMD:SHA-256_SSWU_RO_. */
export const U_MESSAGE = "POINT_U";
export const U_DST = "PARAMETERS";

/** [PRE-16] Sizes in bytes. */
export const KFRAG_ID_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
export const ENTROPY_BYTES = 32;
/** E ‖ V ‖ s: the capsule's "simple" form and the AEAD associated data. */
export const CAPSULE_SIMPLE_BYTES = 2 * POINT_BYTES + SCALAR_BYTES;
/** E1 ‖ V1 ‖ id ‖ X_A ‖ E2 ‖ V2 ‖ U1 ‖ U2 ‖ z ‖ signature. */
export const CFRAG_SIMPLE_BYTES = 7 * POINT_BYTES + KFRAG_ID_BYTES + SCALAR_BYTES + SIGNATURE_BYTES;

/**
 * [PRE-21] Bounds on thresholds and share counts, so every loop over fragments is bounded.
 * Decision: 255 shares is far above any custody arrangement SPChain has (1-of-1 by default).
 */
export const MAX_SHARES = 255;

/** The window of U's precomputed table: U is used in every ReKeyGen, ReEnc and cfrag check. */
const U_WINDOW_BITS = 8;

let cachedU: SecpPoint | undefined;
let cachedUBytes: Uint8Array | undefined;

/** [PRE-3] The parameter point U, with a precomputed multiplication table (built on first use). */
export const umbralU = (): SecpPoint => {
  if (cachedU === undefined) {
    const point = secp256k1_hasher.hashToCurve(utf8ToBytes(U_MESSAGE), { DST: U_DST }) as SecpPoint;
    cachedU = point.precompute(U_WINDOW_BITS, false);
  }
  return cachedU;
};

/** [PRE-3] The compressed encoding of U (33 bytes). */
export const umbralUBytes = (): Uint8Array => {
  if (cachedUBytes === undefined) cachedUBytes = umbralU().toBytes(true);
  return cachedUBytes;
};
