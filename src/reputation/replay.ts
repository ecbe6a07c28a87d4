/**
 * Reputation from scratch (spec/reputation.md, [REP-13]): replays the whole event list into explicit
 * per-chunk counts and evaluates R1 and R2 from their definitions (r1.ts, r2.ts). It is the reference
 * the incremental state must agree with bit for bit; it costs O(events + institutions × chunks).
 * @module
 */
import { Result } from "effect";
import { bytesToHex, compareBytes } from "../crypto/bytes.js";
import { ReputationInputError } from "./errors.js";
import { advanceCursor, checkEvent, type EventCursor, type ReputationEvent } from "./events.js";
import { ceilDiv } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { type Leadership, r1 } from "./r1.js";
import { r2 } from "./r2.js";
import { combine } from "./reputation.js";
import type { InstitutionReputation } from "./state.js";

interface History {
  readonly key: Uint8Array;
  honest: boolean;
  ext: bigint;
  readonly mined: number[];
  readonly registers: number[];
  readonly records: number[];
  readonly leaderships: Leadership[];
}

const increment = (counts: number[], chunk: number): void => {
  counts[chunk - 1] = (counts[chunk - 1] ?? 0) + 1;
};

const padded = (counts: readonly number[], chunks: number): number[] =>
  Array.from({ length: chunks }, (_, i) => counts[i] ?? 0);

/** [REP-13] Every institution's reputation after `events`, computed from the definitions. */
export const replayReputation = (
  config: ReputationConfig,
  events: readonly ReputationEvent[],
  genesis: readonly Uint8Array[] = [],
): Result.Result<InstitutionReputation[], ReputationInputError> => {
  const histories = new Map<string, History>();
  const history = (key: Uint8Array): History => {
    const id = bytesToHex(key);
    let found = histories.get(id);
    if (found === undefined) {
      found = { key, honest: true, ext: 0n, mined: [], registers: [], records: [], leaderships: [] };
      histories.set(id, found);
    }
    return found;
  };
  for (const key of genesis) history(key);
  const allRegisters: number[] = [];
  const allRecords: number[] = [];
  let cursor: EventCursor = { length: 0, lastLeaderEpoch: 0 };
  for (const [index, event] of events.entries()) {
    const checked = checkEvent(event, cursor);
    if (Result.isFailure(checked)) {
      const { reason, detail } = checked.failure;
      return Result.fail(new ReputationInputError({ reason, detail: `event ${index}: ${detail}` }));
    }
    cursor = advanceCursor(event, cursor);
    const chunk = ceilDiv(cursor.length, config.chunkSize);
    switch (event._tag) {
      case "KeyblockPinned":
        increment(history(event.miner).mined, chunk);
        for (const receiver of event.registers) {
          increment(history(receiver).registers, chunk);
          increment(allRegisters, chunk);
        }
        break;
      case "RecordPinned":
        increment(history(event.receiver).records, chunk);
        increment(allRecords, chunk);
        break;
      case "LeaderTerm":
        history(event.leader).leaderships.push({ created: event.created, expected: event.expected });
        break;
      case "FraudRecorded": {
        const offender = history(event.offender);
        offender.honest = false;
        offender.ext = 0n;
        break;
      }
      case "ExternalReputationSet": {
        const target = history(event.institution);
        target.ext = target.honest ? event.ext : 0n;
        break;
      }
    }
  }
  const length = cursor.length;
  const chunks = ceilDiv(length, config.chunkSize);
  const out: InstitutionReputation[] = [];
  for (const h of histories.values()) {
    const one = r1(
      { length, chunks: padded(h.mined, chunks), leaderships: h.leaderships, honest: h.honest, ext: h.ext },
      config,
    );
    const two = r2(
      {
        length,
        registers: { own: padded(h.registers, chunks), all: padded(allRegisters, chunks) },
        records: { own: padded(h.records, chunks), all: padded(allRecords, chunks) },
        honest: h.honest,
      },
      config,
    );
    if (Result.isFailure(one)) return Result.fail(one.failure);
    if (Result.isFailure(two)) return Result.fail(two.failure);
    const mined = BigInt(h.mined.reduce((sum, k) => sum + k, 0));
    out.push({ key: h.key, honest: h.honest, mined, reputation: combine(one.success, two.success) });
  }
  return Result.succeed(out.sort((x, y) => compareBytes(x.key, y.key)));
};
