/**
 * The node:crypto fast path of the `Crypto` service (spec/signatures.md, SIG-7), behind the
 * `spchain/node` export: the only file of src/ that imports a node: module. It MUST give the same
 * answer as `Crypto.noble` on every input. OpenSSL's Ed25519 verification differs from strict RFC 8032
 * (noble `zip215: false`) in two directions, and each is closed here:
 * - OpenSSL accepts what strict RFC 8032 rejects: small-order public keys (and their non-canonical
 *   encodings) let one forged signature verify for many messages. Pre-check, on the bytes: the key is
 *   canonically encoded and is not one of the eight small-order points (an off-curve key fails inside
 *   OpenSSL). S < L is also checked here, so that acceptance never depends on the linked OpenSSL's own
 *   range check.
 * - OpenSSL rejects what strict RFC 8032 accepts: it checks the cofactorless equation R = [S]B - [k]A,
 *   RFC 8032 §5.1.7 (and noble) the cofactored one, so a signature whose R or A carries a small-order
 *   component can verify under the second only. Post-check: a rejection is confirmed by the noble
 *   verifier; valid signatures, the common case, never pay for it.
 * @module
 */
import { createPrivateKey, createPublicKey, hash, type KeyObject, sign, verify } from "node:crypto";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { Layer } from "effect";
import { ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES } from "./codec/fields.js";
import { bytesToHex } from "./crypto/bytes.js";
import { BoundedCache } from "./crypto/ed25519-key-cache.js";
import { useSha256Backend } from "./crypto/hash.js";
import { Crypto, type CryptoShape, checkSecretKey, verifyStrict } from "./crypto/signature.js";

/** DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410 §4) up to the raw 32 key bytes. */
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
/** DER PKCS #8 PrivateKeyInfo of an Ed25519 key (RFC 8410 §7) up to the raw 32 secret bytes. */
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
/** The order L of the Ed25519 base point (RFC 8032 §5.1). */
const ED25519_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;
const ED25519_FIELD_PRIME = 2n ** 255n - 19n;
const SIGN_BIT = 2n ** 255n;
/** The canonical encodings of the eight points of small order (the subgroup of order 8), as hex. */
const SMALL_ORDER_KEYS: ReadonlySet<string> = new Set([
  "0100000000000000000000000000000000000000000000000000000000000000",
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  "0000000000000000000000000000000000000000000000000000000000000000",
  "0000000000000000000000000000000000000000000000000000000000000080",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
]);

/** [SIG-7] Default cache bounds: verifiers meet many keys, signers use a few. */
export const PUBLIC_KEY_CACHE_ENTRIES = 4096;
export const SECRET_KEY_CACHE_ENTRIES = 16;

/** A plain Uint8Array view of a Buffer, so that both implementations return the same type. */
const view = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/**
 * The cache key of 32 key bytes: their latin1 string (one character per byte, made natively), looked up on
 * every verification; a hex string costs twice the characters and a JS loop to build.
 */
const cacheKey = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** [SIG-7] SHA-256 by OpenSSL's one-shot digest. */
export const nodeSha256 = (data: Uint8Array): Uint8Array => view(hash("sha256", data, "buffer"));

// [HASH-1] Loading the node entry point means running on Node: taggedHash (ids, entries, votes) uses OpenSSL's
// SHA-256 from here on. The same bytes as noble's on every input, so nothing but the speed changes.
useSha256Backend(nodeSha256);

/** An OpenSSL key object for 32 raw public-key bytes, with no check at all (OpenSSL checks none). */
export const spkiKeyObject = (publicKey: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });

/** [SIG-7] OpenSSL's Ed25519 verification (cofactorless, lenient on keys): only valid after the pre-checks. */
export const opensslVerify = (key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean =>
  verify(null, message, key, signature);

/**
 * [SIG-7] The key pre-check, on the 32 bytes alone: y < p, not x = 0 with the sign bit (RFC 8032 §5.1.3),
 * and not a small-order point. On keys that are on the curve it agrees with ENC-8's `readEd25519Key`; a
 * key off the curve passes it but is then rejected by OpenSSL and by noble, so no point decoding is needed.
 */
export const passesKeyPrecheck = (publicKey: Uint8Array): boolean => {
  const encoded = bytesToNumberLE(publicKey);
  const y = encoded % SIGN_BIT;
  if (y >= ED25519_FIELD_PRIME) return false;
  const negativeZero = encoded >= SIGN_BIT && (y === 1n || y === ED25519_FIELD_PRIME - 1n);
  return !negativeZero && !SMALL_ORDER_KEYS.has(bytesToHex(publicKey));
};

/** L as 32 little-endian bytes. */
const ORDER_LE = numberToBytesLE(ED25519_ORDER, ED25519_KEY_BYTES);

/**
 * [SIG-3] S, the little-endian second half of a signature, is below L: compared byte by byte from the most
 * significant end (no bigint on the hot path).
 */
export const scalarBelowOrder = (signature: Uint8Array): boolean => {
  for (let i = ED25519_KEY_BYTES - 1; i >= 0; i--) {
    const s = signature[ED25519_KEY_BYTES + i] as number;
    const l = ORDER_LE[i] as number;
    if (s !== l) return s < l;
  }
  return false;
};

export interface NodeCryptoOptions {
  readonly publicKeyCacheEntries?: number;
  readonly secretKeyCacheEntries?: number;
}

/** [SIG-7] A node:crypto implementation with its own bounded key caches. */
export const makeNodeCrypto = (options: NodeCryptoOptions = {}): CryptoShape => {
  const publicKeys = new BoundedCache<KeyObject>(options.publicKeyCacheEntries ?? PUBLIC_KEY_CACHE_ENTRIES);
  const secretKeys = new BoundedCache<KeyObject>(options.secretKeyCacheEntries ?? SECRET_KEY_CACHE_ENTRIES);

  // Only keys that pass the pre-check are cached, so a cached key needs no pre-check again (it is a
  // function of the 32 bytes alone); a key that fails it is checked again each time and never cached.
  const checkedKeyObject = (publicKey: Uint8Array): KeyObject | undefined => {
    const id = cacheKey(publicKey);
    const cached = publicKeys.lookup(id);
    if (cached !== undefined) return cached;
    return passesKeyPrecheck(publicKey) ? publicKeys.insert(id, spkiKeyObject(publicKey)) : undefined;
  };

  // Keyed by a digest of the secret, so the secret itself never becomes a long-lived string.
  const secretKeyObject = (secretKey: Uint8Array): KeyObject => {
    checkSecretKey(secretKey);
    const id = bytesToHex(nodeSha256(secretKey));
    const cached = secretKeys.lookup(id);
    if (cached !== undefined) return cached;
    const der = Buffer.concat([PKCS8_PREFIX, secretKey]);
    return secretKeys.insert(id, createPrivateKey({ key: der, format: "der", type: "pkcs8" }));
  };

  return {
    implementation: "node",
    sha256: nodeSha256,
    publicKey: (secretKey) =>
      view(createPublicKey(secretKeyObject(secretKey)).export({ format: "der", type: "spki" })).slice(
        SPKI_PREFIX.length,
      ),
    sign: (secretKey, message) => view(sign(null, message, secretKeyObject(secretKey))),
    verify: (publicKey, message, signature) => {
      if (publicKey.length !== ED25519_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
      if (!scalarBelowOrder(signature)) return false;
      const key = checkedKeyObject(publicKey);
      if (key === undefined) return false;
      return opensslVerify(key, message, signature) || verifyStrict(publicKey, message, signature);
    },
  };
};

/** [SIG-7] The default fast-path instance. */
export const nodeCrypto: CryptoShape = makeNodeCrypto();

/** [SIG-6] [SIG-7] The fast path as a Layer of the `Crypto` service. */
export const nodeCryptoLayer: Layer.Layer<Crypto> = Layer.succeed(Crypto, Crypto.of(nodeCrypto));
