/**
 * Umbral proxy re-encryption on secp256k1, byte-compatible with @nucypher/umbral-pre 0.10.0
 * (spec/proxy-re-encryption.md, PRE-1..PRE-22). Exported from the package root as the `umbral` namespace.
 * @module
 */
export {
  type Capsule,
  checkCapsule,
  decodeCapsule,
  decodeCapsuleSimple,
  encodeCapsule,
  encodeCapsuleSimple,
} from "./capsule.js";
export {
  type CapsuleFrag,
  type CapsuleFragProof,
  type CFragVerificationKeys,
  decodeCapsuleFrag,
  decodeCapsuleFragSimple,
  encodeCapsuleFrag,
  encodeCapsuleFragSimple,
  reencryptWithRandomness,
  type VerifiedCapsuleFrag,
  verifyCapsuleFrag,
} from "./cfrag.js";
export * from "./errors.js";
export {
  decodePublicKey,
  decodeSecretKey,
  encodePublicKey,
  encodeSecretKey,
  type PublicKey,
  preparePublicKey,
  publicKeyOf,
  type SecretKey,
} from "./keys.js";
export {
  decodeKeyFrag,
  encodeKeyFrag,
  generateKFragsWithRandomness,
  type KeyFrag,
  type KFragCoins,
  type KFragRequest,
  type KFragVerificationKeys,
  type VerifiedKeyFrag,
  verifyKeyFrag,
} from "./kfrag.js";
export type { OpenError } from "./open.js";
export { CAPSULE_SIMPLE_BYTES, CFRAG_SIMPLE_BYTES, MAX_SHARES, UMBRAL_DST, umbralU } from "./params.js";
export * from "./pre.js";
export { decodeSignature, type Signature, signWithEntropy, verifySignature } from "./signature.js";
