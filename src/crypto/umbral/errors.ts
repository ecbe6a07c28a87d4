/**
 * Typed errors of Umbral proxy re-encryption (spec/proxy-re-encryption.md, [PRE-18]). Their `_tag`s are
 * the canonical error codes that the vectors carry; `reason` (where present) says which check failed.
 * Malformed bytes are the codec's `DecodeError` (ENC-5, PRE-17), never one of these.
 * @module
 */
import { Data } from "effect";

/** [PRE-9] The capsule's proof of well-formedness s·G = V + h·E fails, or E + V is the identity. */
export class CapsuleInvalid extends Data.TaggedError("CapsuleInvalid")<{ readonly detail: string }> {
  override get message(): string {
    return this.detail;
  }
}

export type KeyFragInvalidReason = "Commitment" | "DelegatingKeyNotProvided" | "ReceivingKeyNotProvided" | "Signature";

/** [PRE-12] A key fragment fails verification. */
export class KeyFragInvalid extends Data.TaggedError("KeyFragInvalid")<{
  readonly reason: KeyFragInvalidReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

export type CapsuleFragInvalidReason = "Signature" | "Proof";

/**
 * [PRE-14] A capsule fragment fails verification: its kfrag signature does not verify under the signer
 * for these delegating and receiving keys (`Signature`), or its re-encryption proof fails (`Proof`).
 */
export class CapsuleFragInvalid extends Data.TaggedError("CapsuleFragInvalid")<{
  readonly reason: CapsuleFragInvalidReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [PRE-15] Dec2 was given fewer capsule fragments than the threshold (at least one is always needed). */
export class NotEnoughFragments extends Data.TaggedError("NotEnoughFragments")<{
  readonly given: number;
  readonly needed: number;
}> {
  override get message(): string {
    return `${this.given} capsule fragments given, ${this.needed} needed`;
  }
}

/** [PRE-15] The capsule fragments come from different ReKeyGen runs (their precursors X_A differ). */
export class MismatchedFragments extends Data.TaggedError("MismatchedFragments")<{ readonly detail: string }> {
  override get message(): string {
    return this.detail;
  }
}

/** [PRE-15] Two capsule fragments have the same share index (the same kfrag was used twice). */
export class RepeatedFragments extends Data.TaggedError("RepeatedFragments")<{ readonly detail: string }> {
  override get message(): string {
    return this.detail;
  }
}

/**
 * [PRE-15] The combined fragments do not open this capsule for this delegator and delegatee: the check
 * (s/d)·pk_A = h·E' + V' fails (another capsule, another delegating or receiving key, too few or
 * tampered fragments).
 */
export class CapsuleOpenFailed extends Data.TaggedError("CapsuleOpenFailed")<{ readonly detail: string }> {
  override get message(): string {
    return this.detail;
  }
}

export type DecryptionFailedReason = "CiphertextTooShort" | "AuthenticationFailed";

/** [PRE-8] The DEM rejects the ciphertext: shorter than nonce + tag, or the Poly1305 tag does not verify. */
export class DecryptionFailed extends Data.TaggedError("DecryptionFailed")<{
  readonly reason: DecryptionFailedReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [PRE-21] ReKeyGen was asked for a threshold t and share count N outside 1 ≤ t ≤ N ≤ MAX_SHARES. */
export class ThresholdInvalid extends Data.TaggedError("ThresholdInvalid")<{
  readonly threshold: number;
  readonly shares: number;
  readonly detail: string;
}> {
  override get message(): string {
    return this.detail;
  }
}

/**
 * [PRE-19] An explicitly supplied random value is out of its range (a scalar that is zero or ≥ n, a
 * nonce, id or entropy of the wrong length), or the values give a degenerate result (r + u = 0 mod n).
 */
export class PreBadCoins extends Data.TaggedError("PreBadCoins")<{
  readonly coin: string;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.coin}: ${this.detail}`;
  }
}
