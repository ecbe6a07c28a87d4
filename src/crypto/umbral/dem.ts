/**
 * The DEM (spec/proxy-re-encryption.md, [PRE-8]): key = HKDF-SHA256(ikm = the 33-byte compressed shared
 * point, no salt, empty info, 32 bytes); ciphertext = nonce (24) ‖ XChaCha20-Poly1305(key, nonce,
 * plaintext, aad = the capsule's 98-byte simple encoding), i.e. nonce ‖ body ‖ tag (16).
 * @module
 */
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Result } from "effect";
import { concatBytes } from "../bytes.js";
import { DecryptionFailed } from "./errors.js";
import { NONCE_BYTES, TAG_BYTES } from "./params.js";

const KEY_BYTES = 32;

/** [PRE-8] The DEM key from the key seed (the compressed shared point). */
export const demKey = (keySeed: Uint8Array): Uint8Array => hkdf(sha256, keySeed, undefined, undefined, KEY_BYTES);

/** [PRE-8] nonce ‖ ciphertext ‖ tag. */
export const demEncrypt = (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array => {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`the DEM nonce is ${NONCE_BYTES} bytes`);
  return concatBytes(nonce, xchacha20poly1305(key, nonce, aad).encrypt(plaintext));
};

/** [PRE-8] Splits off the nonce and opens the AEAD; any failure is `DecryptionFailed`. */
export const demDecrypt = (
  key: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Result.Result<Uint8Array, DecryptionFailed> => {
  if (ciphertext.length < NONCE_BYTES + TAG_BYTES) {
    return Result.fail(
      new DecryptionFailed({
        reason: "CiphertextTooShort",
        detail: `${ciphertext.length} bytes, at least ${NONCE_BYTES + TAG_BYTES} (nonce and tag) needed`,
      }),
    );
  }
  try {
    const nonce = ciphertext.subarray(0, NONCE_BYTES);
    return Result.succeed(xchacha20poly1305(key, nonce, aad).decrypt(ciphertext.subarray(NONCE_BYTES)));
  } catch {
    return Result.fail(
      new DecryptionFailed({ reason: "AuthenticationFailed", detail: "the Poly1305 tag does not verify" }),
    );
  }
};
