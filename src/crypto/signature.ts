/**
 * Ed25519 signatures and the `Crypto` service (spec/signatures.md, SIG-1..SIG-9).
 * The service bundles the hot primitives (SHA-256, Ed25519 key derivation, sign, verify) as plain
 * synchronous functions; `Crypto.noble` is the portable implementation and the reference, and the
 * node:crypto fast path (`spchain/node`) must give the same answer on every input (SIG-7).
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { Context, Data, Effect, Layer } from "effect";
import { ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES } from "../codec/fields.js";
import type { Reader } from "../codec/reader.js";
import { type Tag, tagPrefix } from "./hash.js";
import { Randomness } from "./random.js";

/** [SIG-1] Secret keys are the 32-byte RFC 8032 private key (the seed the signing scalar is derived from). */
export const ED25519_SECRET_KEY_BYTES = 32;

/**
 * [SIG-1] A secret key of the wrong length was passed to `sign` or `publicKey`. Secret keys never come
 * from the wire, so this is a programming error; it is thrown (typed) rather than returned, which keeps
 * the hot path free of allocations.
 */
export class SecretKeyLength extends Data.TaggedError("SecretKeyLength")<{ readonly length: number }> {
  override get message(): string {
    return `Ed25519 secret key must be ${ED25519_SECRET_KEY_BYTES} bytes, got ${this.length}`;
  }
}

/** [SIG-1] Throws `SecretKeyLength` unless `secretKey` is 32 bytes. */
export const checkSecretKey = (secretKey: Uint8Array): void => {
  if (secretKey.length !== ED25519_SECRET_KEY_BYTES) throw new SecretKeyLength({ length: secretKey.length });
};

/** The primitives every node needs many times per block; synchronous because they are hot. */
export interface CryptoShape {
  /** `"noble"` or `"node"`: which implementation this is (for reports, never for decisions). */
  readonly implementation: string;
  readonly sha256: (data: Uint8Array) => Uint8Array;
  /** [SIG-1] The 32-byte public key of a 32-byte secret key (RFC 8032 §5.1.5). */
  readonly publicKey: (secretKey: Uint8Array) => Uint8Array;
  /** [SIG-2] The 64-byte deterministic signature of `message` (RFC 8032 §5.1.6). */
  readonly sign: (secretKey: Uint8Array, message: Uint8Array) => Uint8Array;
  /** [SIG-3] Strict RFC 8032 verification; false for every malformed input, never a throw. */
  readonly verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
}

/**
 * [SIG-3] The verification rule, as noble implements it with `zip215: false`: A and R decode strictly
 * (y < p, no negative zero, on the curve), S < L, A is not of small order, and the cofactored equation
 * [8][S]B = [8]R + [8][k]A holds with k = SHA-512(R ‖ A ‖ M) over the bytes as given. Wrong lengths
 * are false here (noble would throw).
 */
export const verifyStrict = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean =>
  publicKey.length === ED25519_KEY_BYTES &&
  signature.length === ED25519_SIGNATURE_BYTES &&
  ed25519.verify(signature, message, publicKey, { zip215: false });

/** [SIG-1..SIG-3] The portable implementation (@noble/curves, @noble/hashes): the reference. */
export const nobleCrypto: CryptoShape = {
  implementation: "noble",
  sha256,
  publicKey: (secretKey) => {
    checkSecretKey(secretKey);
    return ed25519.getPublicKey(secretKey);
  },
  sign: (secretKey, message) => {
    checkSecretKey(secretKey);
    return ed25519.sign(message, secretKey);
  },
  verify: verifyStrict,
};

/** [SIG-6] The `Crypto` service: `Crypto.noble` everywhere; the node:crypto Layer lives in `spchain/node`. */
export class Crypto extends Context.Service<Crypto, CryptoShape>()("spchain/crypto/Crypto") {
  static readonly noble: Layer.Layer<Crypto> = Layer.succeed(Crypto, Crypto.of(nobleCrypto));
}

/** [SIG-4] The signed bytes of a domain-tagged message: u32be(|tag|) ‖ tag ‖ message. */
export const taggedMessage = (tag: Tag, message: Uint8Array): Uint8Array => concatBytes(tagPrefix(tag), message);

/** [SIG-4] Signs `message` under the domain `tag`. */
export const signTagged = (crypto: CryptoShape, tag: Tag, secretKey: Uint8Array, message: Uint8Array): Uint8Array =>
  crypto.sign(secretKey, taggedMessage(tag, message));

/** [SIG-4] Verifies a signature made by `signTagged` under the same `tag`. */
export const verifyTagged = (
  crypto: CryptoShape,
  tag: Tag,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean => crypto.verify(publicKey, taggedMessage(tag, message), signature);

export interface Ed25519KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** [SIG-5] The key pair of a 32-byte seed: the seed is the secret key. */
export const keyPairFromSeed = (crypto: CryptoShape, seed: Uint8Array): Ed25519KeyPair => {
  const secretKey = seed.slice();
  return { secretKey, publicKey: crypto.publicKey(secretKey) };
};

/** [SIG-5] A fresh key pair: 32 bytes from `Randomness`, the public key from `Crypto`. */
export const generateKeyPair: Effect.Effect<Ed25519KeyPair, never, Crypto | Randomness> = Effect.gen(function* () {
  const randomness = yield* Randomness;
  const crypto = yield* Crypto;
  return keyPairFromSeed(crypto, randomness.bytes(ED25519_SECRET_KEY_BYTES));
});

/**
 * [SIG-8] A signature field of an on-chain object: 64 opaque bytes. Its validity (S < L, R canonical,
 * the equation) is decided by `verify`, not by the decoder, because a bad signature is a failed
 * authentication of a well-formed object rather than a malformed encoding.
 */
export const readEd25519Signature = (r: Reader, title: string): Uint8Array => r.fixed(ED25519_SIGNATURE_BYTES, title);
