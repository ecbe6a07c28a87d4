/**
 * Proofs of equivocation (spec/consensus.md, [BFT-14]): two different statements signed by one member
 * for the same slot (type, group, sender, view, instance) -- two proposals, two PREPAREs or two COMMITs
 * on different values. Honest members never sign such a pair, so the pair proves fraud; the reputation
 * module records it on chain and sets the offender's honesty bit to 0. The shape (offender key, two
 * signed messages in byte order, slot = a fixed-length prefix) is the proof of fraud of [REP-11].
 * Source: RepuCoin §4.3 (presenting conflicting signed messages is misbehaviour; H := 0 via a
 * proof-of-fraud transaction); Tendermint's duplicate-vote evidence (testing-and-vectors-notes.md §3.1).
 * @module
 */
import { Data, Result } from "effect";
import { decodeWith, ED25519_SIGNATURE_BYTES, HASH_BYTES, readObjectHeader } from "../codec/index.js";
import { bytesEqual, compareBytes } from "../crypto/bytes.js";
import { TAGS, tagPrefix } from "../crypto/hash.js";
import { STATEMENT_SLOT_BYTES, type Statement, safeVerify, statementMessage } from "./certificate.js";
import type { ConsensusGroup } from "./group.js";
import { MSG } from "./params.js";
import { readMember, readU53, type SignatureScheme } from "./wire.js";

export interface SignedStatement {
  /** The signed bytes: VOTE tag prefix ‖ statement body. */
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** [BFT-14] Two conflicting statements of one member; `first.message` sorts before `second.message`. */
export interface Evidence {
  readonly offender: number;
  readonly offender_key: Uint8Array;
  readonly first: SignedStatement;
  readonly second: SignedStatement;
}

/** [BFT-14] Builds the canonical evidence of two conflicting signed statements of member `offender`. */
export const makeEvidence = (
  group: ConsensusGroup,
  offender: number,
  a: SignedStatement,
  b: SignedStatement,
): Evidence => {
  const [first, second] = compareBytes(a.message, b.message) < 0 ? [a, b] : [b, a];
  return { offender, offender_key: group.snapshot.members[offender]?.key ?? new Uint8Array(), first, second };
};

export const signedStatement = (s: Statement, signature: Uint8Array): SignedStatement => ({
  message: statementMessage(s),
  signature,
});

export const EVIDENCE_FAILURES = [
  "UnknownOffender",
  "NotAStatement",
  "SameStatement",
  "NotCanonicalOrder",
  "DifferentSlots",
  "WrongGroup",
  "WrongSender",
  "BadSignature",
] as const;
export type EvidenceFailure = (typeof EVIDENCE_FAILURES)[number];

export class EvidenceInvalid extends Data.TaggedError("EvidenceInvalid")<{
  readonly reason: EvidenceFailure;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

const invalid = (reason: EvidenceFailure, detail: string) => Result.fail(new EvidenceInvalid({ reason, detail }));

const STATEMENT_TYPES = [MSG.Propose, MSG.Prepare, MSG.Commit] as const;

/** Parses signed statement bytes back into (group, sender); undefined when they are not a statement. */
const parseStatement = (message: Uint8Array): { group: Uint8Array; sender: number } | undefined => {
  const prefix = tagPrefix(TAGS.VOTE);
  if (message.length < prefix.length || !bytesEqual(message.subarray(0, prefix.length), prefix)) return undefined;
  const parsed = decodeWith(message.subarray(prefix.length), (r) => {
    readObjectHeader(r, STATEMENT_TYPES, "statement");
    const group = r.fixed(HASH_BYTES, "group");
    const sender = readMember(r, "sender");
    readU53(r, "view");
    readU53(r, "instance");
    r.fixed(HASH_BYTES, "value hash");
    return { group, sender };
  });
  return parsed._tag === "Success" ? parsed.success : undefined;
};

/**
 * [BFT-14] Evidence is valid for `group` when: the offender is a member and the key is its key; both
 * messages are statements; they differ and are in byte order; they claim the same slot (the first
 * STATEMENT_SLOT_BYTES bytes); they name this group and the offender as sender; both signatures verify.
 */
export const verifyEvidence = (
  group: ConsensusGroup,
  crypto: SignatureScheme,
  evidence: Evidence,
): Result.Result<Evidence, EvidenceInvalid> => {
  const key = group.snapshot.members[evidence.offender]?.key;
  if (key === undefined || !bytesEqual(key, evidence.offender_key)) {
    return invalid("UnknownOffender", `member ${evidence.offender} with this key is not in the group`);
  }
  const parsed = [parseStatement(evidence.first.message), parseStatement(evidence.second.message)];
  if (parsed[0] === undefined || parsed[1] === undefined) return invalid("NotAStatement", "not a signed statement");
  const order = compareBytes(evidence.first.message, evidence.second.message);
  if (order === 0) return invalid("SameStatement", "both messages are the same statement");
  if (order > 0) return invalid("NotCanonicalOrder", "the first message must sort before the second");
  const slot = (m: Uint8Array) => m.subarray(0, STATEMENT_SLOT_BYTES);
  if (!bytesEqual(slot(evidence.first.message), slot(evidence.second.message))) {
    return invalid("DifferentSlots", "the statements claim different slots");
  }
  if (!bytesEqual(parsed[0].group, group.id)) return invalid("WrongGroup", "the statements name another group");
  if (parsed[0].sender !== evidence.offender) return invalid("WrongSender", "the statements name another sender");
  for (const statement of [evidence.first, evidence.second]) {
    if (
      statement.signature.length !== ED25519_SIGNATURE_BYTES ||
      !safeVerify(crypto, key, statement.message, statement.signature)
    ) {
      return invalid("BadSignature", "a signature does not verify under the offender's key");
    }
  }
  return Result.succeed(evidence);
};
