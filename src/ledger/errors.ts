/**
 * The typed errors of the ledger (spec/chain.md "Error codes", spec/retrieval.md "Error codes"). Each class
 * is one rejection rule; its `_tag` is the canonical error code that transition vectors carry
 * (`expect_error`), so a second implementation that rejects for another reason does not conform ([CONV-3]).
 * Every error has a `detail` sentence for people; only the tag is normative.
 * @module
 */
import { Data } from "effect";
import type { DecodeError } from "../codec/errors.js";
import type { CertificateInvalid } from "../consensus/certificate.js";
import type { ConsensusGroupInvalid } from "../consensus/group.js";

const ledgerError = <const Tag extends string>(tag: Tag) => {
  const Base = Data.TaggedError(tag)<{ readonly detail: string }>;
  return class extends Base {
    override get message(): string {
      return `${tag}: ${this.detail}`;
    }
  };
};

// [CHAIN-1]
export class ChainConfigInvalid extends ledgerError("ChainConfigInvalid") {}
// [CHAIN-4] [PIN-6]
export class KeyblockKnown extends ledgerError("KeyblockKnown") {}
export class ConflictsWithPin extends ledgerError("ConflictsWithPin") {}
export class KeyblockParentUnknown extends ledgerError("KeyblockParentUnknown") {}
export class MicroblocksMissing extends ledgerError("MicroblocksMissing") {}
export class MicroblockCommitmentMismatch extends ledgerError("MicroblockCommitmentMismatch") {}
export class RegisterRootMismatch extends ledgerError("RegisterRootMismatch") {}
export class InsufficientWork extends ledgerError("InsufficientWork") {}
// [CHAIN-8] [CHAIN-9] [CHAIN-10] [CHAIN-11] [TX-6]
export class RoundTooOld extends ledgerError("RoundTooOld") {}
export class RoundInFuture extends ledgerError("RoundInFuture") {}
export class InsufficientFee extends ledgerError("InsufficientFee") {}
export class UnknownInstitution extends ledgerError("UnknownInstitution") {}
export class BadSignature extends ledgerError("BadSignature") {}
export class TransactionReplayed extends ledgerError("TransactionReplayed") {}
export class IdentityAlreadyRegistered extends ledgerError("IdentityAlreadyRegistered") {}
export class PatientAlreadyRegistered extends ledgerError("PatientAlreadyRegistered") {}
// [PIN-1]
export class PinValueMismatch extends ledgerError("PinValueMismatch") {}
// [CHAIN-6] [MB-1] [MB-2] [MB-3]
export class MicroblockUnexpected extends ledgerError("MicroblockUnexpected") {}
export class MicroblockKnown extends ledgerError("MicroblockKnown") {}
export class MicroblockOutOfOrder extends ledgerError("MicroblockOutOfOrder") {}
export class MicroblockMismatch extends ledgerError("MicroblockMismatch") {}
export class MicroblockPrevMismatch extends ledgerError("MicroblockPrevMismatch") {}
export class NotRoundLeader extends ledgerError("NotRoundLeader") {}
export class BadMicroblockSignature extends ledgerError("BadMicroblockSignature") {}
// [CHAIN-7] [MB-5]
export class BatchEmpty extends ledgerError("BatchEmpty") {}
export class UnknownPatient extends ledgerError("UnknownPatient") {}
export class PatientBlockPending extends ledgerError("PatientBlockPending") {}
export class LabelTargetUnknown extends ledgerError("LabelTargetUnknown") {}
export class LabelTargetNotMedical extends ledgerError("LabelTargetNotMedical") {}
export class LabelTargetOtherPatient extends ledgerError("LabelTargetOtherPatient") {}
export class LabelTargetOtherInstitution extends ledgerError("LabelTargetOtherInstitution") {}
export class LeafValueMismatch extends ledgerError("LeafValueMismatch") {}
export class LeafMissing extends ledgerError("LeafMissing") {}
export class PointerRepeated extends ledgerError("PointerRepeated") {}
export class ChameleonSchemeMismatch extends ledgerError("ChameleonSchemeMismatch") {}
export class ChameleonHashInvalid extends ledgerError("ChameleonHashInvalid") {}
// [RET-1] [RET-4]
export class RecordUnknown extends ledgerError("RecordUnknown") {}
export class ProofBatchUnknown extends ledgerError("ProofBatchUnknown") {}
export class ProofMalformed extends ledgerError("ProofMalformed") {}
export class ProofMismatch extends ledgerError("ProofMismatch") {}
export class ProofPatientMismatch extends ledgerError("ProofPatientMismatch") {}
export class ProofSignatureInvalid extends ledgerError("ProofSignatureInvalid") {}
export class ProofChameleonInvalid extends ledgerError("ProofChameleonInvalid") {}

/** [TX-6] [CHAIN-8]..[CHAIN-11] A transaction rejected in context. */
export type TransactionError =
  | RoundTooOld
  | RoundInFuture
  | InsufficientFee
  | UnknownInstitution
  | BadSignature
  | TransactionReplayed
  | IdentityAlreadyRegistered
  | PatientAlreadyRegistered
  | UnknownPatient
  | PatientBlockPending
  | LabelTargetUnknown
  | LabelTargetNotMedical
  | LabelTargetOtherPatient
  | LabelTargetOtherInstitution
  | LeafValueMismatch
  | LeafMissing
  | PointerRepeated
  | ChameleonSchemeMismatch
  | ChameleonHashInvalid;

/** [CHAIN-4] */
export type KeyblockError =
  | KeyblockKnown
  | ConflictsWithPin
  | KeyblockParentUnknown
  | MicroblocksMissing
  | MicroblockCommitmentMismatch
  | RegisterRootMismatch
  | InsufficientWork
  | TransactionError;

/** [CHAIN-5] [CHAIN-7] */
export type PinError = ConsensusGroupInvalid | PinValueMismatch | CertificateInvalid;

/** [CHAIN-6] */
export type MicroblockError =
  | MicroblockUnexpected
  | MicroblockKnown
  | MicroblockOutOfOrder
  | MicroblockMismatch
  | MicroblockPrevMismatch
  | NotRoundLeader
  | BadMicroblockSignature;

/** [CHAIN-7] */
export type BatchError = PinError | BatchEmpty | TransactionError;

/** Every error a ledger transition can fail with, including malformed encodings. */
export type LedgerError = KeyblockError | PinError | MicroblockError | BatchError | DecodeError;

/** [RET-4] */
export type ProofError =
  | ProofBatchUnknown
  | ProofMalformed
  | ProofMismatch
  | ProofPatientMismatch
  | ProofSignatureInvalid
  | ProofChameleonInvalid;
