/**
 * The typed errors of the reputation area (spec/reputation.md, spec/group.md, spec/batching.md,
 * spec/rewards.md). Each `_tag` is the canonical error code that vectors carry; `reason` says which
 * rule the input broke, so a second implementation is failed for rejecting for the wrong reason.
 * @module
 */
import { Data } from "effect";

/** [REP-2] A configuration outside its domain (a, lambda, chunk size, group or batch parameters). */
export class ReputationConfigError extends Data.TaggedError("ReputationConfigError")<{
  readonly reason: "BadPreset" | "BadSigmoid" | "BadChunkSize" | "BadGroupConfig" | "BadBeta";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [REP-1] [REP-12] An input to a reputation function or an event that the rules reject. */
export class ReputationInputError extends Data.TaggedError("ReputationInputError")<{
  readonly reason:
    | "BadKey"
    | "CountOutOfRange"
    | "ChunkCountMismatch"
    | "ChunkOverfull"
    | "ExtOutOfRange"
    | "HeightNotNext"
    | "EpochNotCurrent"
    | "LeaderEpochOutOfOrder"
    | "CreatedOverExpected";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [REP-11] A proof of fraud that does not prove fraud. */
export class FraudProofInvalid extends Data.TaggedError("FraudProofInvalid")<{
  readonly reason:
    | "BadKey"
    | "MessageTooLong"
    | "NotCanonicalOrder"
    | "SameMessage"
    | "NoSlot"
    | "DifferentSlots"
    | "BadSignatureFirst"
    | "BadSignatureSecond";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [GRP-1] [GRP-4] Group or leader inputs the rules reject. */
export class GroupInputError extends Data.TaggedError("GroupInputError")<{
  readonly reason: "BadKey" | "DuplicateKey" | "ReputationOutOfRange" | "CountOutOfRange" | "EmptyGroup";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [BAT-1] Batching inputs the rules reject. */
export class BatchInputError extends Data.TaggedError("BatchInputError")<{
  readonly reason:
    | "BadKey"
    | "DuplicateKey"
    | "DuplicateTransaction"
    | "BadTransactionId"
    | "ReputationOutOfRange"
    | "BadCapacity"
    | "BadWindow";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** [BAT-4] A leader's batch proposal that is not the batch the rule selects. */
export class BatchProposalRejected extends Data.TaggedError("BatchProposalRejected")<{
  readonly reason: "LengthDiffers" | "TransactionDiffers";
  readonly position: number;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason} at ${this.position}: ${this.detail}`;
  }
}

/** [RWD-1] [RWD-3] Fee and reward inputs the rules reject. */
export class RewardInputError extends Data.TaggedError("RewardInputError")<{
  readonly reason: "FeeBelowMinimum" | "NegativeAmount" | "ReputationOutOfRange" | "BadKey";
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}
