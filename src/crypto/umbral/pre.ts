/**
 * Umbral proxy re-encryption, the operations SPChain uses (spec/proxy-re-encryption.md, [PRE-1],
 * [PRE-7]..[PRE-15], [PRE-19]): KeyGen, Enc (KEM + DEM), Dec1 by the delegator, ReKeyGen into t-of-N
 * kfrags, ReEnc by the proxy (the custodian institution Ã), Dec2 by the delegatee. Each randomized
 * operation has a `…WithRandomness` form taking every random value, and an Effect form drawing them from
 * the `Randomness` service in umbral-pre's order (PRE-19).
 * @module
 */
import { Effect, Result } from "effect";
import type { Randomness } from "../random.js";
import { type Capsule, capsuleAssociatedData, encapsulate, openOriginal } from "./capsule.js";
import { reencryptWithRandomness, type VerifiedCapsuleFrag } from "./cfrag.js";
import { checkBytesCoin, coinsAreFine, drawBytes, drawNonZeroScalar } from "./coins.js";
import { demDecrypt, demEncrypt, demKey } from "./dem.js";
import type { CapsuleInvalid, DecryptionFailed, PreBadCoins, ThresholdInvalid } from "./errors.js";
import type { PublicKey, SecretKey } from "./keys.js";
import {
  checkThreshold,
  generateKFragsWithRandomness,
  type KFragCoins,
  type KFragRequest,
  type VerifiedKeyFrag,
} from "./kfrag.js";
import { type OpenError, openReencrypted } from "./open.js";
import { ENTROPY_BYTES, KFRAG_ID_BYTES, NONCE_BYTES } from "./params.js";
import { type Signature, signWithEntropy } from "./signature.js";

/** What Enc gives: the capsule (KEM) and nonce ‖ AEAD ciphertext (DEM). */
export interface Encrypted {
  readonly capsule: Capsule;
  readonly ciphertext: Uint8Array;
}

/** [PRE-19] Enc's random values: r, u in [1, n), the 24-byte DEM nonce. */
export interface EncryptCoins {
  readonly r: bigint;
  readonly u: bigint;
  readonly nonce: Uint8Array;
}

/** [PRE-5] KeyGen: a uniform secret key in [1, n) (32-byte draws, redrawn when out of range). */
export const generateSecretKey: Effect.Effect<SecretKey, never, Randomness> = Effect.map(drawNonZeroScalar, (scalar) =>
  Object.freeze({ scalar }),
);

/** [PRE-7] [PRE-8] Enc with explicit randomness. */
export const encryptWithRandomness = (
  delegating: PublicKey,
  plaintext: Uint8Array,
  coins: EncryptCoins,
): Result.Result<Encrypted, PreBadCoins> => {
  const badNonce = checkBytesCoin("nonce", coins.nonce, NONCE_BYTES);
  if (badNonce !== undefined) return Result.fail(badNonce);
  return Result.map(encapsulate(delegating, coins.r, coins.u), ({ capsule, keySeed }) => ({
    capsule,
    ciphertext: demEncrypt(demKey(keySeed), coins.nonce, plaintext, capsuleAssociatedData(capsule)),
  }));
};

/** [PRE-7] [PRE-8] Enc: draws r, u, then the nonce. */
export const encrypt = (delegating: PublicKey, plaintext: Uint8Array): Effect.Effect<Encrypted, never, Randomness> =>
  coinsAreFine(
    Effect.gen(function* () {
      const r = yield* drawNonZeroScalar;
      const u = yield* drawNonZeroScalar;
      const nonce = yield* drawBytes(NONCE_BYTES);
      return yield* Effect.fromResult(encryptWithRandomness(delegating, plaintext, { r, u, nonce }));
    }),
  );

/** [PRE-10] Dec1: the delegator opens its own capsule and the DEM. */
export const decryptOriginal = (
  delegating: SecretKey,
  capsule: Capsule,
  ciphertext: Uint8Array,
): Result.Result<Uint8Array, CapsuleInvalid | DecryptionFailed> =>
  Result.flatMap(openOriginal(delegating, capsule), (keySeed) =>
    demDecrypt(demKey(keySeed), ciphertext, capsuleAssociatedData(capsule)),
  );

/** [PRE-11] ReKeyGen: draws x_A, the t − 1 coefficients, then per kfrag its id and two ECDSA entropies. */
export const generateKFrags = (request: KFragRequest): Effect.Effect<VerifiedKeyFrag[], ThresholdInvalid, Randomness> =>
  coinsAreFine(
    Effect.gen(function* () {
      const threshold = request.threshold ?? 1;
      const shares = request.shares ?? 1;
      const bad = checkThreshold(threshold, shares);
      if (bad !== undefined) return yield* Effect.fail(bad);
      const precursor = yield* drawNonZeroScalar;
      const coefficients: bigint[] = [];
      for (let i = 1; i < threshold; i++) coefficients.push(yield* drawNonZeroScalar);
      const fragments: KFragCoins["fragments"][number][] = [];
      for (let i = 0; i < shares; i++) {
        const id = yield* drawBytes(KFRAG_ID_BYTES);
        const receiverEntropy = yield* drawBytes(ENTROPY_BYTES);
        const proxyEntropy = yield* drawBytes(ENTROPY_BYTES);
        fragments.push({ id, receiverEntropy, proxyEntropy });
      }
      return yield* Effect.fromResult(generateKFragsWithRandomness(request, { precursor, coefficients, fragments }));
    }),
  );

/** [PRE-13] ReEnc by the proxy: draws τ. */
export const reencrypt = (
  capsule: Capsule,
  kfrag: VerifiedKeyFrag,
): Effect.Effect<VerifiedCapsuleFrag, CapsuleInvalid, Randomness> =>
  coinsAreFine(
    Effect.flatMap(drawNonZeroScalar, (tau) => Effect.fromResult(reencryptWithRandomness(capsule, kfrag, tau))),
  );

/** [PRE-15] Dec2: the delegatee opens the capsule from ≥ threshold verified cfrags (default 1), then the DEM. */
export const decryptReencrypted = (
  receiving: SecretKey,
  delegating: PublicKey,
  capsule: Capsule,
  cfrags: readonly VerifiedCapsuleFrag[],
  ciphertext: Uint8Array,
  threshold = 1,
): Result.Result<Uint8Array, OpenError | DecryptionFailed> =>
  Result.flatMap(openReencrypted(receiving, delegating, capsule, cfrags, threshold), (keySeed) =>
    demDecrypt(demKey(keySeed), ciphertext, capsuleAssociatedData(capsule)),
  );

/** [PRE-6] Signs a message as umbral-pre's `Signer.sign` (draws 32 bytes of nonce entropy). */
export const sign = (signer: SecretKey, message: Uint8Array): Effect.Effect<Signature, never, Randomness> =>
  Effect.map(drawBytes(ENTROPY_BYTES), (entropy) => signWithEntropy(signer, message, entropy));
