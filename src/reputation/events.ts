/**
 * The events the chain feeds to reputation (spec/reputation.md, [REP-12]), in chain order, and the
 * checks every consumer (incremental state and from-scratch replay) applies to them.
 * Source: SPChain §5.1 (Table 1: TR_i, TML_i per chunk; L); RepuCoin §4.3 (leaders' microblocks,
 * honesty); ambiguity register A5, A6, A10.
 * @module
 */
import { Result } from "effect";
import { ReputationInputError } from "./errors.js";
import { checkKey, countError, isCount, MAX_COUNT } from "./limits.js";
import { REPUTATION_SCALE } from "./quorum.js";

/** A pinned keyblock at `height` (= L + 1): its miner, and the receiving institution of each register tx. */
export interface KeyblockPinned {
  readonly _tag: "KeyblockPinned";
  readonly height: number;
  readonly miner: Uint8Array;
  readonly registers: readonly Uint8Array[];
}

/** A pinned medical or label transaction: its receiving institution and the epoch it was pinned in (A6). */
export interface RecordPinned {
  readonly _tag: "RecordPinned";
  readonly epoch: number;
  readonly receiver: Uint8Array;
}

/** The leader of `epoch` and the patient microblocks it created out of `expected` (= |T_R| of that keyblock). */
export interface LeaderTerm {
  readonly _tag: "LeaderTerm";
  readonly epoch: number;
  readonly leader: Uint8Array;
  readonly created: number;
  readonly expected: number;
}

/** A proof of fraud recorded on chain (verified before it was recorded, [REP-11]). */
export interface FraudRecorded {
  readonly _tag: "FraudRecorded";
  readonly offender: Uint8Array;
}

/** RepuCoin's optional external reputation of an identity, fixed point in [0, SCALE]. */
export interface ExternalReputationSet {
  readonly _tag: "ExternalReputationSet";
  readonly institution: Uint8Array;
  readonly ext: bigint;
}

export type ReputationEvent = KeyblockPinned | RecordPinned | LeaderTerm | FraudRecorded | ExternalReputationSet;

/** What an event is checked against: the chain length so far and the last epoch with a leader term. */
export interface EventCursor {
  readonly length: number;
  readonly lastLeaderEpoch: number;
}

const fail = (reason: ReputationInputError["reason"], detail: string) =>
  Result.fail(new ReputationInputError({ reason, detail }));

const keysOk = (keys: readonly Uint8Array[], what: string): Result.Result<void, ReputationInputError> => {
  for (const key of keys) {
    const checked = checkKey(key, what);
    if (Result.isFailure(checked)) return Result.fail(checked.failure);
  }
  return Result.succeed(undefined);
};

/**
 * [REP-12] Checks one event against the cursor: keyblocks extend the chain by exactly one; records are
 * pinned in the current epoch (so after the first keyblock); leader terms name an epoch already pinned,
 * after the last one reported, with created <= expected; Ext is in [0, SCALE].
 */
export const checkEvent = (event: ReputationEvent, cursor: EventCursor): Result.Result<void, ReputationInputError> => {
  switch (event._tag) {
    case "KeyblockPinned":
      if (event.height !== cursor.length + 1) {
        return fail("HeightNotNext", `keyblock at height ${event.height}, expected ${cursor.length + 1}`);
      }
      return keysOk([event.miner, ...event.registers], "keyblock key");
    case "RecordPinned":
      if (cursor.length === 0 || event.epoch !== cursor.length) {
        return fail("EpochNotCurrent", `record pinned in epoch ${event.epoch}, current epoch ${cursor.length}`);
      }
      return keysOk([event.receiver], "receiver");
    case "LeaderTerm":
      if (!Number.isSafeInteger(event.epoch) || event.epoch <= cursor.lastLeaderEpoch || event.epoch > cursor.length) {
        return fail(
          "LeaderEpochOutOfOrder",
          `leader term for epoch ${event.epoch}; must be in (${cursor.lastLeaderEpoch}, ${cursor.length}]`,
        );
      }
      if (!isCount(event.created) || !isCount(event.expected)) {
        return Result.fail(countError("leader counts", Math.min(event.created, event.expected), MAX_COUNT));
      }
      if (event.created > event.expected) {
        return fail("CreatedOverExpected", `created ${event.created} of ${event.expected} expected microblocks`);
      }
      return keysOk([event.leader], "leader");
    case "FraudRecorded":
      return keysOk([event.offender], "offender");
    case "ExternalReputationSet":
      if (event.ext < 0n || event.ext > REPUTATION_SCALE) {
        return fail("ExtOutOfRange", `Ext must be in [0, SCALE]: ${event.ext}`);
      }
      return keysOk([event.institution], "institution");
  }
};

/** The cursor after an accepted event. */
export const advanceCursor = (event: ReputationEvent, cursor: EventCursor): EventCursor => {
  if (event._tag === "KeyblockPinned") return { ...cursor, length: event.height };
  if (event._tag === "LeaderTerm") return { ...cursor, lastLeaderEpoch: event.epoch };
  return cursor;
};
