/**
 * The events the chain feeds (REP-12), chunking (REP-3), permanent fraud (REP-11) and the agreement of
 * the incremental state with the from-scratch replay, bit for bit (REP-13).
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReputationEvent } from "../src/reputation/events.js";
import { binary64ToHex } from "../src/reputation/numeric.js";
import { makeReputationConfig, type ReputationConfig } from "../src/reputation/params.js";
import { chunkLength } from "../src/reputation/r1.js";
import { replayReputation } from "../src/reputation/replay.js";
import {
  applyEvents,
  evaluate,
  type InstitutionReputation,
  initialState,
  type ReputationState,
} from "../src/reputation/state.js";
import { failsOn, holds } from "./check.js";
import { arbConfig, arbHistory, arbSplit, identity } from "./reputation-arbitraries.js";

const config = (input: Parameters<typeof makeReputationConfig>[0]): ReputationConfig =>
  Result.getOrThrow(makeReputationConfig(input));

/** Every binary64 and fixed-point output of an evaluation, as comparable text. */
const fingerprint = (list: readonly InstitutionReputation[]): string[] =>
  list.map(({ key, honest, mined, reputation: r }) =>
    [
      Buffer.from(key).toString("hex"),
      honest,
      mined,
      binary64ToHex(r.r1.keyblocks.spread),
      binary64ToHex(r.r1.leader),
      binary64ToHex(r.r1.value),
      binary64ToHex(r.r2.registers.spread),
      binary64ToHex(r.r2.records.spread),
      binary64ToHex(r.r2.value),
      binary64ToHex(r.value),
      r.fixed,
    ].join("/"),
  );

const applyAll = (state: ReputationState, slices: readonly ReputationEvent[][]): ReputationState =>
  slices.reduce((s, slice) => Result.getOrThrow(applyEvents(s, slice)), state);

const reasonOf = (state: ReputationState, events: ReputationEvent[]): string => {
  const result = applyEvents(state, events);
  if (Result.isSuccess(result)) throw new Error("expected a rejection");
  return result.failure.reason;
};

const kb = (height: number, miner: number, registers: number[] = []): ReputationEvent => ({
  _tag: "KeyblockPinned",
  height,
  miner: identity(miner),
  registers: registers.map(identity),
});
const rec = (epoch: number, receiver: number): ReputationEvent => ({
  _tag: "RecordPinned",
  epoch,
  receiver: identity(receiver),
});

describe("events", () => {
  it("[REP-12] each malformed or out-of-order event is rejected with its reason", () => {
    const empty = initialState(config({ chunkSize: 2 }));
    expect(reasonOf(empty, [kb(2, 0)])).toBe("HeightNotNext");
    expect(reasonOf(empty, [rec(0, 1)])).toBe("EpochNotCurrent");
    expect(reasonOf(empty, [kb(1, 0), rec(2, 1)])).toBe("EpochNotCurrent");
    expect(reasonOf(empty, [kb(1, 0), kb(2, 0), rec(1, 1)])).toBe("EpochNotCurrent");
    const lead = (epoch: number, created: number, expected: number): ReputationEvent => ({
      _tag: "LeaderTerm",
      epoch,
      leader: identity(3),
      created,
      expected,
    });
    expect(reasonOf(empty, [kb(1, 0), lead(2, 0, 0)])).toBe("LeaderEpochOutOfOrder");
    expect(reasonOf(empty, [kb(1, 0), kb(2, 0), lead(2, 0, 0), lead(1, 0, 0)])).toBe("LeaderEpochOutOfOrder");
    expect(reasonOf(empty, [kb(1, 0), lead(1, 3, 2)])).toBe("CreatedOverExpected");
    expect(reasonOf(empty, [{ _tag: "KeyblockPinned", height: 1, miner: new Uint8Array(31), registers: [] }])).toBe(
      "BadKey",
    );
    expect(reasonOf(empty, [{ _tag: "ExternalReputationSet", institution: identity(1), ext: 1_000_000_001n }])).toBe(
      "ExtOutOfRange",
    );
  });

  it("[REP-12] applying a list is all or nothing", () => {
    const start = Result.getOrThrow(applyEvents(initialState(config({ chunkSize: 2 })), [kb(1, 0, [1])]));
    const before = fingerprint(evaluate(start));
    const failed = applyEvents(start, [kb(2, 1, [1]), rec(2, 0), kb(4, 0)]);
    expect(Result.isFailure(failed)).toBe(true);
    if (Result.isFailure(failed)) expect(failed.failure.detail).toMatch(/^event 2:/);
    expect(fingerprint(evaluate(start))).toEqual(before);
    expect(start.cursor.length).toBe(1);
  });

  it("[REP-3] chunks hold c keyblocks; a record counts in the chunk of the epoch it was pinned in", () => {
    expect([1, 2, 3].map((j) => chunkLength(j, 7, 3))).toEqual([3, 3, 1]);
    // c = 2: institution 1 receives a record in epoch 1 (chunk 1), institution 2 in epoch 3 (chunk 2).
    const c2 = config({ chunkSize: 2 });
    const state = Result.getOrThrow(
      applyEvents(initialState(c2), [kb(1, 0), rec(1, 1), kb(2, 0), kb(3, 0), rec(3, 2), kb(4, 0)]),
    );
    const [, one, two] = evaluate(state);
    // Each has share 1 in one chunk and 0 in the other around a mean of 1/2: spread 1/2.
    expect(one?.reputation.r2.records.spread).toBe(0.5);
    expect(two?.reputation.r2.records.spread).toBe(0.5);
    expect(one?.reputation.r2.records.term).toBe(0.5 / 1.5);
  });

  it("[REP-11] a recorded fraud zeroes R1, R2 and R for good", () => {
    const property = (evaluateWith: (s: ReputationState) => InstitutionReputation[]) =>
      fc.property(arbConfig(), arbHistory(4, 30, false), arbHistory(4, 30, false), (c, before, after) => {
        const s0 = Result.getOrThrow(applyEvents(initialState(c, [identity(0)]), before));
        const fraud: ReputationEvent = { _tag: "FraudRecorded", offender: identity(0) };
        const length = s0.cursor.length;
        const later = after.map((e) =>
          e._tag === "KeyblockPinned"
            ? { ...e, height: e.height + length }
            : e._tag === "RecordPinned"
              ? { ...e, epoch: e.epoch + length }
              : e._tag === "LeaderTerm"
                ? { ...e, epoch: e.epoch + length }
                : e,
        );
        const s1 = applyEvents(s0, [fraud, ...later]);
        if (Result.isFailure(s1)) return true; // a shifted leader term may fall behind the last one
        const offender = evaluateWith(s1.success).find((i) => i.key[1] === 0 && i.key[0] === 0);
        const r = offender?.reputation;
        return r !== undefined && r.r1.value === 0 && r.r2.value === 0 && r.fixed === 0n && !offender?.honest;
      });
    holds("fraud is permanent", property(evaluate), { numRuns: 100 });
    // Negative control: an evaluation that lets a later keyblock restore honesty.
    const forgiving = (s: ReputationState) =>
      evaluate({
        ...s,
        institutions: new Map(
          [...s.institutions].map(([id, i]) => [id, i.mined.total > 0n ? { ...i, honest: true } : i]),
        ),
      });
    failsOn("fraud forgiven by mining", property(forgiving));
  });
});

describe("incremental state", () => {
  const agrees = (evaluateIncremental: (s: ReputationState) => InstitutionReputation[]) =>
    fc.property(
      arbConfig().chain((c) =>
        arbHistory(5, 80).chain((events) => fc.tuple(fc.constant(c), fc.constant(events), arbSplit(events))),
      ),
      ([c, events, slices]) => {
        const incremental = evaluateIncremental(applyAll(initialState(c, [identity(9)]), slices));
        const scratch = Result.getOrThrow(replayReputation(c, events, [identity(9)]));
        const a = fingerprint(incremental);
        const b = fingerprint(scratch);
        return a.length === b.length && a.every((line, i) => line === b[i]);
      },
    );

  it("[REP-13] incremental equals from scratch, bit for bit, however the events are split", () => {
    holds("incremental = from scratch", agrees(evaluate), { numRuns: 250 });
  });

  it("[REP-13] negative control: an incremental state that never folds closed chunks is caught", () => {
    const unfolded = (s: ReputationState) =>
      evaluate({
        ...s,
        institutions: new Map(
          [...s.institutions].map(([id, i]) => [
            id,
            {
              ...i,
              registers: { ...i.registers, shareSum: 0n, shareSquares: 0n },
              records: { ...i.records, shareSum: 0n, shareSquares: 0n },
            },
          ]),
        ),
      });
    const found = failsOn("no chunk folding", agrees(unfolded), 500);
    expect(found.value[0][1].length).toBeLessThan(20);
  });
});
