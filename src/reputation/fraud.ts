/**
 * Proofs of fraud (spec/reputation.md, [REP-11]): two different messages, signed by one identity, that
 * claim the same slot (a vote for two values in one round, two keyblock seeds for one height, ...).
 * Once recorded on chain, the offender's honesty bit is 0 for good ([REP-12] FraudRecorded), which
 * zeroes R1 and R2 (A10).
 * Source: RepuCoin §4.3 (misbehaviour, H := 0, proof-of-fraud transaction); SPChain §6.3 ("lose all
 * reputation"); ambiguity register A10.
 * @module
 */
import { Effect, Result } from "effect";
import { decodeWith, ED25519_KEY_BYTES, ED25519_SIGNATURE_BYTES, encodeWith, readEd25519Key } from "../codec/index.js";
import { bytesEqual, compareBytes } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { Crypto, type CryptoShape } from "../crypto/signature.js";
import { FraudProofInvalid } from "./errors.js";
import type { FraudRecorded } from "./events.js";

/** The signature check of the `Crypto` service ([SIG-3] strict verification, false on bad input). */
export type Verify = CryptoShape["verify"];

/** The slot a signed message claims, or undefined when the message is not slot-bound. */
export type SlotOf = (message: Uint8Array) => Uint8Array | undefined;

/** The largest signed message a proof may carry (a consensus message, not a block). */
export const MAX_STATEMENT_BYTES = 4096;

export interface SignedStatement {
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

export interface FraudProof {
  readonly offender: Uint8Array;
  /** first.message < second.message bytewise: one proof has one encoding. */
  readonly first: SignedStatement;
  readonly second: SignedStatement;
}

/**
 * [REP-11] The slot rule for messages whose canonical encoding starts with a fixed-length slot header
 * (domain tag prefix, height, round, phase, ...): the slot is the first `length` bytes.
 */
export const prefixSlot =
  (length: number): SlotOf =>
  (message) =>
    message.length >= length ? message.subarray(0, length) : undefined;

const invalid = (reason: FraudProofInvalid["reason"], detail: string) =>
  Result.fail(new FraudProofInvalid({ reason, detail }));

/**
 * [REP-11] A proof is valid when: the offender key is 32 bytes; both messages are at most
 * MAX_STATEMENT_BYTES and strictly ordered (first < second, so they differ); both claim a slot and the
 * slots are equal; both signatures verify under the offender's key. Checked in this order, so the
 * first failing check names the reason.
 */
export const verifyFraudProof = (
  proof: FraudProof,
  verify: Verify,
  slotOf: SlotOf,
): Result.Result<FraudRecorded, FraudProofInvalid> => {
  const { offender, first, second } = proof;
  if (offender.length !== ED25519_KEY_BYTES) return invalid("BadKey", `offender key has ${offender.length} bytes`);
  for (const statement of [first, second]) {
    if (statement.message.length > MAX_STATEMENT_BYTES) {
      return invalid("MessageTooLong", `${statement.message.length} bytes over ${MAX_STATEMENT_BYTES}`);
    }
  }
  const order = compareBytes(first.message, second.message);
  if (order === 0) return invalid("SameMessage", "both statements sign the same message");
  if (order > 0) return invalid("NotCanonicalOrder", "the first message must sort before the second");
  const slotA = slotOf(first.message);
  const slotB = slotOf(second.message);
  if (slotA === undefined || slotB === undefined) return invalid("NoSlot", "a message claims no slot");
  if (!bytesEqual(slotA, slotB)) return invalid("DifferentSlots", "the messages claim different slots");
  if (!verify(offender, first.message, first.signature)) return invalid("BadSignatureFirst", "first signature");
  if (!verify(offender, second.message, second.signature)) return invalid("BadSignatureSecond", "second signature");
  return Result.succeed({ _tag: "FraudRecorded", offender });
};

/** [REP-11] verifyFraudProof with the `Crypto` service's verification. */
export const verifyFraudProofWithCrypto = (
  proof: FraudProof,
  slotOf: SlotOf,
): Effect.Effect<FraudRecorded, FraudProofInvalid, Crypto> =>
  Effect.flatMap(
    Crypto.useSync((crypto) => verifyFraudProof(proof, crypto.verify, slotOf)),
    Effect.fromResult,
  );

/** [REP-11] Canonical encoding: offender (32) ‖ message₁ (u32 len) ‖ sig₁ (64) ‖ message₂ (u32 len) ‖ sig₂ (64). */
export const encodeFraudProof = (proof: FraudProof): Uint8Array =>
  encodeWith((w) => {
    w.fixed(proof.offender, ED25519_KEY_BYTES);
    for (const statement of [proof.first, proof.second]) {
      w.bytes(statement.message, MAX_STATEMENT_BYTES);
      w.fixed(statement.signature, ED25519_SIGNATURE_BYTES);
    }
  });

/** [REP-11] Decodes a proof; the two messages must be in canonical order (reason NotSorted). */
export const decodeFraudProof = (bytes: Uint8Array) =>
  decodeWith(bytes, (r) => {
    const offender = readEd25519Key(r, "offender");
    const statement = (title: string): SignedStatement => ({
      message: r.bytes(MAX_STATEMENT_BYTES, `${title} message`),
      signature: r.fixed(ED25519_SIGNATURE_BYTES, `${title} signature`),
    });
    const first = statement("first");
    const at = r.position;
    const second = statement("second");
    if (compareBytes(first.message, second.message) >= 0) r.fail("NotSorted", "messages not in strict order", at);
    return { offender, first, second };
  });

/** [REP-11] The proof's identifier: H_FRAUD(encoding), so a proof is recorded once. */
export const fraudProofId = (proof: FraudProof): Uint8Array => taggedHash(TAGS.FRAUD, encodeFraudProof(proof));
