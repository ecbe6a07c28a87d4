/**
 * The incremental reputation state (spec/reputation.md, [REP-13]): exact integer aggregates per
 * institution, updated per event in O(1) (O(institutions active in the chunk) when a chunk closes), and
 * evaluated in O(institutions). It reaches the same integers as the from-scratch replay (replay.ts) by
 * the closed forms of share.ts, so both give bit-identical R1, R2 and R.
 * @module
 */
import { Result } from "effect";
import { bytesToHex, compareBytes } from "../crypto/bytes.js";
import { ReputationInputError } from "./errors.js";
import { advanceCursor, checkEvent, type EventCursor, type ReputationEvent } from "./events.js";
import { ceilDiv } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { fillRatio, keyblockAggregate, leaderAggregate, leaderTerm, r1FromTerms } from "./r1.js";
import { chunkShare, r2Aggregate, r2FromTerms } from "./r2.js";
import { combine, type Reputation } from "./reputation.js";
import { shareTerm } from "./share.js";

/** Counts of one kind (keyblocks mined, registers or records received) of one institution. */
export interface Tally {
  readonly total: bigint;
  /** Σ over chunks of the per-chunk count squared (the literal readings' Σ v_i²). */
  readonly squares: bigint;
  /** Count in chunk `chunk` (the last chunk with any). */
  readonly inChunk: bigint;
  readonly chunk: number;
  /** Σ F_i and Σ F_i² of the fixed-point chunk shares over closed chunks (R2 resolved reading). */
  readonly shareSum: bigint;
  readonly shareSquares: bigint;
}

export interface InstitutionState {
  readonly key: Uint8Array;
  readonly honest: boolean;
  readonly ext: bigint;
  readonly mined: Tally;
  readonly registers: Tally;
  readonly records: Tally;
  readonly leaderships: bigint;
  readonly fillSum: bigint;
  readonly fillSquares: bigint;
}

/** Everybody's count in the current chunk and in total, for one kind of transaction. */
export interface GlobalTally {
  readonly total: bigint;
  readonly inChunk: bigint;
}

export interface ReputationState {
  readonly config: ReputationConfig;
  readonly cursor: EventCursor;
  readonly registers: GlobalTally;
  readonly records: GlobalTally;
  readonly institutions: ReadonlyMap<string, InstitutionState>;
  /** Institutions with registers or records in the current chunk (folded when it closes). */
  readonly active: ReadonlySet<string>;
}

const EMPTY_TALLY: Tally = { total: 0n, squares: 0n, inChunk: 0n, chunk: 0, shareSum: 0n, shareSquares: 0n };
const EMPTY_GLOBAL: GlobalTally = { total: 0n, inChunk: 0n };

const newInstitution = (key: Uint8Array): InstitutionState => ({
  key,
  honest: true,
  ext: 0n,
  mined: EMPTY_TALLY,
  registers: EMPTY_TALLY,
  records: EMPTY_TALLY,
  leaderships: 0n,
  fillSum: 0n,
  fillSquares: 0n,
});

/** [REP-13] The state of an empty chain that already knows its genesis institutions. */
export const initialState = (config: ReputationConfig, genesis: readonly Uint8Array[] = []): ReputationState => ({
  config,
  cursor: { length: 0, lastLeaderEpoch: 0 },
  registers: EMPTY_GLOBAL,
  records: EMPTY_GLOBAL,
  institutions: new Map(genesis.map((key) => [bytesToHex(key), newInstitution(key)])),
  active: new Set(),
});

/** One more in chunk `chunk`: Σ count² grows by 2·count + 1. */
const bump = (tally: Tally, chunk: number): Tally => {
  const inChunk = tally.chunk === chunk ? tally.inChunk : 0n;
  return {
    ...tally,
    total: tally.total + 1n,
    squares: tally.squares + 2n * inChunk + 1n,
    inChunk: inChunk + 1n,
    chunk,
  };
};

/** Folds a closed chunk's fixed-point share into the closed-chunk sums. */
const fold = (tally: Tally, chunk: number, all: bigint): Tally => {
  if (tally.chunk !== chunk) return tally;
  const share = chunkShare(tally.inChunk, all);
  return { ...tally, shareSum: tally.shareSum + share, shareSquares: tally.shareSquares + share * share };
};

/** The mutable working copy one `applyEvents` call edits; the input state is never touched. */
interface Draft {
  cursor: EventCursor;
  registers: GlobalTally;
  records: GlobalTally;
  institutions: Map<string, InstitutionState>;
  active: Set<string>;
}

const update = (draft: Draft, key: Uint8Array, change: (institution: InstitutionState) => InstitutionState): string => {
  const id = bytesToHex(key);
  draft.institutions.set(id, change(draft.institutions.get(id) ?? newInstitution(key)));
  return id;
};

/** [REP-3] A keyblock that starts a new chunk first closes the previous chunk for every active institution. */
const closeChunk = (draft: Draft, closed: number): void => {
  for (const id of draft.active) {
    const institution = draft.institutions.get(id);
    if (institution === undefined) continue;
    draft.institutions.set(id, {
      ...institution,
      registers: fold(institution.registers, closed, draft.registers.inChunk),
      records: fold(institution.records, closed, draft.records.inChunk),
    });
  }
  draft.active.clear();
  draft.registers = { ...draft.registers, inChunk: 0n };
  draft.records = { ...draft.records, inChunk: 0n };
};

const applyOne = (draft: Draft, event: ReputationEvent, chunkSize: number): void => {
  const chunk = ceilDiv(draft.cursor.length, chunkSize);
  switch (event._tag) {
    case "KeyblockPinned": {
      const next = ceilDiv(event.height, chunkSize);
      if (next !== chunk && chunk > 0) closeChunk(draft, chunk);
      update(draft, event.miner, (m) => ({ ...m, mined: bump(m.mined, next) }));
      for (const receiver of event.registers) {
        draft.active.add(update(draft, receiver, (r) => ({ ...r, registers: bump(r.registers, next) })));
      }
      const count = BigInt(event.registers.length);
      draft.registers = { total: draft.registers.total + count, inChunk: draft.registers.inChunk + count };
      return;
    }
    case "RecordPinned":
      draft.active.add(update(draft, event.receiver, (r) => ({ ...r, records: bump(r.records, chunk) })));
      draft.records = { total: draft.records.total + 1n, inChunk: draft.records.inChunk + 1n };
      return;
    case "LeaderTerm": {
      const fill = fillRatio(event);
      // [REP-6] A term that asked for nothing is not counted, but it still names the leader ([REP-12]).
      if (fill === undefined) {
        update(draft, event.leader, (l) => l);
        return;
      }
      update(draft, event.leader, (l) => ({
        ...l,
        leaderships: l.leaderships + 1n,
        fillSum: l.fillSum + fill,
        fillSquares: l.fillSquares + fill * fill,
      }));
      return;
    }
    case "FraudRecorded":
      update(draft, event.offender, (o) => ({ ...o, honest: false, ext: 0n }));
      return;
    case "ExternalReputationSet":
      update(draft, event.institution, (i) => ({ ...i, ext: i.honest ? event.ext : 0n }));
      return;
  }
};

/**
 * [REP-12] [REP-13] Applies events in chain order. All or nothing: the first rejected event fails the
 * call (its index in the detail) and the input state stays as it was.
 */
export const applyEvents = (
  state: ReputationState,
  events: readonly ReputationEvent[],
): Result.Result<ReputationState, ReputationInputError> => {
  const draft: Draft = {
    cursor: state.cursor,
    registers: state.registers,
    records: state.records,
    institutions: new Map(state.institutions),
    active: new Set(state.active),
  };
  for (const [index, event] of events.entries()) {
    const checked = checkEvent(event, draft.cursor);
    if (Result.isFailure(checked)) {
      const { reason, detail } = checked.failure;
      return Result.fail(new ReputationInputError({ reason, detail: `event ${index}: ${detail}` }));
    }
    applyOne(draft, event, state.config.chunkSize);
    draft.cursor = advanceCursor(event, draft.cursor);
  }
  return Result.succeed({ config: state.config, ...draft });
};

export interface InstitutionReputation {
  readonly key: Uint8Array;
  readonly honest: boolean;
  /** Keyblocks mined: the hash-power evidence that group selection by power share uses. */
  readonly mined: bigint;
  readonly reputation: Reputation;
}

/** The current chunk's fixed-point share, for the resolved reading's open chunk. */
const openShare = (tally: Tally, chunk: number, all: bigint): bigint =>
  tally.chunk === chunk ? chunkShare(tally.inChunk, all) : 0n;

const r2Of = (state: ReputationState, institution: InstitutionState) => {
  const { config, cursor } = state;
  const chunk = ceilDiv(cursor.length, config.chunkSize);
  const chunks = BigInt(chunk);
  const term = (tally: Tally, global: GlobalTally, literalExtra: bigint) => {
    if (config.r2Reading === "literal") {
      return shareTerm(
        r2Aggregate(
          "literal",
          chunks,
          config.chunkSize,
          tally.total,
          global.total + literalExtra,
          tally.total,
          tally.squares,
        ),
      );
    }
    const open = openShare(tally, chunk, global.inChunk);
    return shareTerm(
      r2Aggregate(
        "resolved",
        chunks,
        config.chunkSize,
        tally.total,
        global.total,
        tally.shareSum + open,
        tally.shareSquares + open * open,
      ),
    );
  };
  return r2FromTerms(
    term(institution.registers, state.registers, 0n),
    term(institution.records, state.records, state.registers.total),
    cursor.length,
    institution.honest,
    config,
  );
};

/** [REP-13] R1, R2 and R of one institution from its aggregates (closed forms). */
export const evaluateInstitution = (state: ReputationState, institution: InstitutionState): InstitutionReputation => {
  const { config, cursor } = state;
  const keyblocks = shareTerm(
    keyblockAggregate(cursor.length, config.chunkSize, institution.mined.total, institution.mined.squares),
  );
  const leader = leaderTerm(leaderAggregate(institution.leaderships, institution.fillSum, institution.fillSquares));
  const r1 = r1FromTerms(keyblocks, leader, cursor.length, institution.honest, institution.ext, config);
  return {
    key: institution.key,
    honest: institution.honest,
    mined: institution.mined.total,
    reputation: combine(r1, r2Of(state, institution)),
  };
};

/** [REP-13] Every known institution's reputation, in key order: O(institutions). */
export const evaluate = (state: ReputationState): InstitutionReputation[] =>
  [...state.institutions.values()]
    .map((institution) => evaluateInstitution(state, institution))
    .sort((x, y) => compareBytes(x.key, y.key));
