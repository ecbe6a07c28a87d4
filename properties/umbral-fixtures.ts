/**
 * Shared fixtures of the Umbral tests (spec/proxy-re-encryption.md): parties and a complete share
 * (Enc, ReKeyGen, ReEnc) built from a seed through the `Randomness` service, memoized per seed so that
 * shrinking a tamper position does not redo the crypto.
 * @module
 */
import { Effect, Result } from "effect";
import fc from "fast-check";
import { CURVE_ORDER } from "../src/codec/fields.js";
import { bytesToHex } from "../src/crypto/bytes.js";
import { Randomness } from "../src/crypto/random.js";
import * as U from "../src/crypto/umbral/index.js";

/** Runs an effect needing `Randomness` with the seeded generator. */
export const seeded = <A, E>(seed: Uint8Array, effect: Effect.Effect<A, E, Randomness>): A =>
  Effect.runSync(Effect.provide(effect, Randomness.seeded(seed)));

/** The success value, or a test failure naming the error. */
export const ok = <A, E>(result: Result.Result<A, E>): A => {
  if (Result.isFailure(result)) throw new Error(`unexpected failure: ${String(result.failure)}`);
  return result.success;
};

/** The `_tag` of a failure, or "success". */
export const outcome = <A, E extends { readonly _tag: string }>(result: Result.Result<A, E>): string =>
  Result.isFailure(result) ? result.failure._tag : "success";

/** The `_tag` of an Effect's failure, or "success", as its value. */
export const effectOutcome = <A, E extends { readonly _tag: string }, R>(
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<string, never, R> => Effect.match(effect, { onFailure: (e) => e._tag, onSuccess: () => "success" });

export const scalarArb = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n });
/**
 * Enc's coins (r, u) with r + u ≢ 0 mod n: the other pairs are refused with PreBadCoins (PRE-7), and
 * fast-check's bias towards the ends of the range draws them often enough to matter.
 */
export const usableCoins = (r: bigint, u: bigint): boolean => (r + u) % CURVE_ORDER !== 0n;
export const seedArb = fc.noShrink(fc.uint8Array({ minLength: 16, maxLength: 16 }));
export const messageArb = fc.uint8Array({ maxLength: 48 });

export interface Party {
  readonly secret: U.SecretKey;
  readonly public: U.PublicKey;
}

export const party = (scalar: bigint): Party => ({ secret: { scalar }, public: U.publicKeyOf({ scalar }) });

/** Everything of one share: the patient A, delegatee B, signer S, a record, its kfrags and cfrags. */
export interface Share {
  readonly delegator: Party;
  readonly delegatee: Party;
  readonly signer: Party;
  readonly message: Uint8Array;
  readonly capsule: U.Capsule;
  readonly ciphertext: Uint8Array;
  readonly threshold: number;
  readonly kfrags: readonly U.VerifiedKeyFrag[];
  readonly cfrags: readonly U.VerifiedCapsuleFrag[];
  readonly keys: U.CFragVerificationKeys;
}

const drawParty = Effect.map(U.generateSecretKey, (secret) => party(secret.scalar));

const shares = new Map<string, Share>();
const MAX_MEMO = 64;

/** A t-of-n share of `message`, every random value drawn from `seed`. */
export const buildShare = (seed: Uint8Array, message: Uint8Array, threshold = 1, count = 1): Share => {
  const key = `${bytesToHex(seed)}/${bytesToHex(message)}/${threshold}/${count}`;
  const known = shares.get(key);
  if (known !== undefined) return known;
  const share = seeded(
    seed,
    Effect.gen(function* () {
      const delegator = yield* drawParty;
      const delegatee = yield* drawParty;
      const signer = yield* drawParty;
      const { capsule, ciphertext } = yield* U.encrypt(delegator.public, message);
      const kfrags = yield* U.generateKFrags({
        delegating: delegator.secret,
        receiving: delegatee.public,
        signer: signer.secret,
        threshold,
        shares: count,
      });
      const cfrags: U.VerifiedCapsuleFrag[] = [];
      for (const kfrag of kfrags) cfrags.push(yield* U.reencrypt(capsule, kfrag));
      const keys = { verifying: signer.public, delegating: delegator.public, receiving: delegatee.public };
      return { delegator, delegatee, signer, message, capsule, ciphertext, threshold, kfrags, cfrags, keys };
    }),
  );
  if (shares.size >= MAX_MEMO) shares.clear();
  shares.set(key, share);
  return share;
};

/** Dec2 of the share's ciphertext with the given (already verified) fragments and threshold. */
export const decryptShare = (
  share: Share,
  cfrags: readonly U.VerifiedCapsuleFrag[],
  threshold?: number,
  ciphertext = share.ciphertext,
) => U.decryptReencrypted(share.delegatee.secret, share.delegator.public, share.capsule, cfrags, ciphertext, threshold);

/** The delegatee's side: decode each cfrag, verify it, then Dec2. */
export const receive = (share: Share, cfragBytes: readonly Uint8Array[], ciphertext = share.ciphertext) =>
  Result.gen(function* () {
    const verified: U.VerifiedCapsuleFrag[] = [];
    for (const bytes of cfragBytes) {
      const cfrag = yield* U.decodeCapsuleFrag(bytes);
      verified.push(yield* U.verifyCapsuleFrag(cfrag, share.capsule, share.keys));
    }
    return yield* decryptShare(share, verified, share.threshold, ciphertext);
  });

/** Flips one bit of a copy of `bytes`. */
export const flipBit = (bytes: Uint8Array, index: number, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[index % out.length] = (out[index % out.length] ?? 0) ^ (1 << bit);
  return out;
};
