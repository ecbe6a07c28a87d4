/**
 * The input boundaries of the reputation area, one rule at a time: every bound is tried on both sides,
 * every key field with a malformed key, and every typed error's message names its reason. Found by
 * mutation testing (a mutant that moved a bound or dropped a check survived the properties).
 */
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { nobleCrypto } from "../src/crypto/signature.js";
import { type BatchInput, checkProposal, formBatch } from "../src/reputation/batching.js";
import {
  BatchInputError,
  BatchProposalRejected,
  FraudProofInvalid,
  GroupInputError,
  ReputationConfigError,
  ReputationInputError,
  RewardInputError,
} from "../src/reputation/errors.js";
import type { ReputationEvent } from "../src/reputation/events.js";
import { FIG15_TIMES, fig15, poolReputation } from "../src/reputation/fig15.js";
import {
  attackOutcome,
  breaks,
  DEFAULT_HORIZON_DAYS,
  FIG16_ATTACKER_SHARES,
  FIG16_JOIN_DAYS,
  fig16,
} from "../src/reputation/fig16.js";
import { decodeFraudProof, encodeFraudProof, prefixSlot, verifyFraudProof } from "../src/reputation/fraud.js";
import { selectGroup } from "../src/reputation/group.js";
import { MAX_HEIGHT } from "../src/reputation/limits.js";
import { toFixed } from "../src/reputation/numeric.js";
import { makeReputationConfig, presetConfig } from "../src/reputation/params.js";
import { normalizedShares, SPCHAIN_POOLS_PERCENT, topSetSize } from "../src/reputation/pools.js";
import { REPUTATION_SCALE, tallyQuorum } from "../src/reputation/quorum.js";
import { r1 } from "../src/reputation/r1.js";
import { r2 } from "../src/reputation/r2.js";
import { checkFee, keyblockPayout, splitEpochFees } from "../src/reputation/rewards.js";
import { sigmoid } from "../src/reputation/sigmoid.js";
import { applyEvents, initialState } from "../src/reputation/state.js";
import { identity } from "./reputation-arbitraries.js";

const reasonOf = <A>(result: Result.Result<A, { readonly reason: string }>): string =>
  Result.isFailure(result) ? result.failure.reason : "accepted";
const c1 = Result.getOrThrow(makeReputationConfig({ chunkSize: 1 }));
const BAD_KEY = new Uint8Array(31);

describe("reputation inputs", () => {
  it("[REP-1] L may be 2^32 - 1 but not 2^32; counts are non-negative integers", () => {
    const wide = Result.getOrThrow(makeReputationConfig({ chunkSize: 1 << 20 }));
    const chunks = (length: number) => Array(Math.ceil(length / (1 << 20))).fill(0);
    const at = (length: number) => r1({ length, chunks: chunks(length), leaderships: [], honest: true, ext: 0n }, wide);
    expect(reasonOf(at(MAX_HEIGHT))).toBe("accepted");
    expect(reasonOf(at(MAX_HEIGHT + 1))).toBe("CountOutOfRange");
    expect(reasonOf(r1({ length: 1, chunks: [-1], leaderships: [], honest: true, ext: 0n }, c1))).toBe(
      "CountOutOfRange",
    );
    expect(
      reasonOf(r1({ length: 1, chunks: [1], leaderships: [{ created: -1, expected: 2 }], honest: true, ext: 0n }, c1)),
    ).toBe("CountOutOfRange");
    expect(
      reasonOf(r1({ length: 1, chunks: [1], leaderships: [{ created: 0, expected: 0.5 }], honest: true, ext: 0n }, c1)),
    ).toBe("CountOutOfRange");
    const empty = { own: [0], all: [0] };
    expect(reasonOf(r2({ length: -1, registers: empty, records: empty, honest: true }, c1))).toBe("CountOutOfRange");
    expect(reasonOf(r2({ length: 1, registers: { own: [-1], all: [0] }, records: empty, honest: true }, c1))).toBe(
      "CountOutOfRange",
    );
    expect(reasonOf(r2({ length: 1, registers: { own: [0], all: [0, 0] }, records: empty, honest: true }, c1))).toBe(
      "ChunkCountMismatch",
    );
    expect(reasonOf(r2({ length: 1, registers: empty, records: { own: [0, 0], all: [0] }, honest: true }, c1))).toBe(
      "ChunkCountMismatch",
    );
  });

  it("[REP-12] every event's keys, epochs, counts and Ext are checked at their bounds", () => {
    const state = Result.getOrThrow(
      applyEvents(initialState(c1), [
        { _tag: "KeyblockPinned", height: 1, miner: identity(0), registers: [] },
        { _tag: "LeaderTerm", epoch: 1, leader: identity(1), created: 0, expected: 1 },
        { _tag: "KeyblockPinned", height: 2, miner: identity(0), registers: [] },
      ]),
    );
    const reason = (event: ReputationEvent) => reasonOf(applyEvents(state, [event]));
    expect(reason({ _tag: "KeyblockPinned", height: 3, miner: identity(0), registers: [BAD_KEY] })).toBe("BadKey");
    expect(reason({ _tag: "RecordPinned", epoch: 2, receiver: BAD_KEY })).toBe("BadKey");
    expect(reason({ _tag: "LeaderTerm", epoch: 2, leader: BAD_KEY, created: 0, expected: 0 })).toBe("BadKey");
    expect(reason({ _tag: "FraudRecorded", offender: BAD_KEY })).toBe("BadKey");
    expect(reason({ _tag: "ExternalReputationSet", institution: BAD_KEY, ext: 0n })).toBe("BadKey");
    expect(reason({ _tag: "LeaderTerm", epoch: 1, leader: identity(1), created: 0, expected: 0 })).toBe(
      "LeaderEpochOutOfOrder",
    );
    expect(reason({ _tag: "LeaderTerm", epoch: 2, leader: identity(1), created: -1, expected: 0 })).toBe(
      "CountOutOfRange",
    );
    expect(reason({ _tag: "LeaderTerm", epoch: 2, leader: identity(1), created: 0, expected: -1 })).toBe(
      "CountOutOfRange",
    );
    expect(reason({ _tag: "LeaderTerm", epoch: 2, leader: identity(1), created: 1, expected: 1 })).toBe("accepted");
    const ext = (value: bigint) => reason({ _tag: "ExternalReputationSet", institution: identity(1), ext: value });
    expect([ext(-1n), ext(0n), ext(REPUTATION_SCALE), ext(REPUTATION_SCALE + 1n)]).toEqual([
      "ExtOutOfRange",
      "accepted",
      "accepted",
      "ExtOutOfRange",
    ]);
  });

  it("[REP-10] quantization clamps below 0 and above 1", () => {
    expect(toFixed(-1)).toBe(0n);
    expect(toFixed(-1e-12)).toBe(0n);
    expect(toFixed(2)).toBe(REPUTATION_SCALE);
    expect(toFixed(1e-9)).toBe(1n);
  });

  it("[REP-11] slot prefixes, message bounds and canonical order at their edges", () => {
    const verify = () => true;
    const statement = (bytes: number[]) => ({ message: new Uint8Array(bytes), signature: new Uint8Array(64) });
    const proof = (a: number[], b: number[]) => ({ offender: identity(1), first: statement(a), second: statement(b) });
    // A message exactly as long as the slot header has a slot: the whole message.
    expect(reasonOf(verifyFraudProof(proof([1, 1], [1, 2]), verify, prefixSlot(2)))).toBe("DifferentSlots");
    expect(reasonOf(verifyFraudProof(proof([1], [1, 2]), verify, prefixSlot(2)))).toBe("NoSlot");
    expect(reasonOf(verifyFraudProof(proof([1, 1], [1]), verify, prefixSlot(2)))).toBe("NotCanonicalOrder");
    expect(reasonOf(verifyFraudProof(proof([1, 1, 0], [1, 1]), verify, prefixSlot(2)))).toBe("NotCanonicalOrder");
    expect(reasonOf(verifyFraudProof(proof([1, 1], [1, 1, 0]), verify, prefixSlot(3)))).toBe("NoSlot");
    const max = Array(4096).fill(0);
    expect(reasonOf(verifyFraudProof(proof(max, [...max.slice(1), 1]), verify, prefixSlot(0)))).toBe("accepted");
    const same = encodeFraudProof({ ...proof([1, 2], [1, 2]), offender: nobleCrypto.publicKey(new Uint8Array(32)) });
    expect(reasonOf(decodeFraudProof(same))).toBe("NotSorted");
  });
});

describe("group, quorum and rewards inputs", () => {
  it("[GRP-2] negative reputation or keyblocks, minSize 0 and targets above 1.0 are rejected", () => {
    const ok = { key: identity(1), reputation: 5n, mined: 1n };
    const size = { _tag: "Size" as const, size: 3 };
    expect(reasonOf(selectGroup([{ ...ok, reputation: -1n }], size, 1n))).toBe("ReputationOutOfRange");
    expect(reasonOf(selectGroup([{ ...ok, mined: -1n }], size, 1n))).toBe("CountOutOfRange");
    expect(reasonOf(selectGroup([ok], { _tag: "PowerShare", target: 1n, minSize: 0 }, 1n))).toBe("CountOutOfRange");
    expect(reasonOf(selectGroup([ok], { _tag: "PowerShare", target: REPUTATION_SCALE, minSize: 1 }, 1n))).toBe(
      "accepted",
    );
    expect(reasonOf(selectGroup([ok], { _tag: "PowerShare", target: REPUTATION_SCALE + 1n, minSize: 1 }, 1n))).toBe(
      "CountOutOfRange",
    );
  });

  it("[GRP-3] a signer index outside the group is a programming error", () => {
    const group = { members: [{ key: identity(0), reputation: 1n }] };
    expect(() => tallyQuorum(group, [1])).toThrow(RangeError);
  });

  it("[RWD-1] fees are never negative, even under a negative minimum", () => {
    const lax = { minimumFee: { register: -5n, medical: -5n, label: -5n }, keyblockReward: 0n };
    expect(reasonOf(checkFee(lax, "label", 0n))).toBe("accepted");
    expect(reasonOf(checkFee(lax, "label", -1n))).toBe("FeeBelowMinimum");
  });

  it("[RWD-3] keys, amounts and the miner's reputation are checked", () => {
    const schedule = { minimumFee: { register: 0n, medical: 0n, label: 0n }, keyblockReward: 1n };
    expect(reasonOf(keyblockPayout(schedule, BAD_KEY, []))).toBe("BadKey");
    const epoch = {
      miner: identity(1),
      leader: identity(2),
      minerReputation: 1n,
      fees: [1n],
      seed: new Uint8Array(64),
    };
    expect(reasonOf(splitEpochFees({ ...epoch, miner: BAD_KEY }))).toBe("BadKey");
    expect(reasonOf(splitEpochFees({ ...epoch, leader: BAD_KEY }))).toBe("BadKey");
    expect(reasonOf(splitEpochFees({ ...epoch, fees: [1n, -1n] }))).toBe("NegativeAmount");
    expect(reasonOf(splitEpochFees({ ...epoch, minerReputation: -1n }))).toBe("ReputationOutOfRange");
  });
});

describe("batching inputs", () => {
  const queue = {
    key: identity(1),
    reputation: REPUTATION_SCALE,
    lastServed: null,
    pending: [new Uint8Array(32).fill(1)],
  };
  const input = (patch: Partial<BatchInput>): BatchInput => ({ window: 2, capacity: 1, queues: [queue], ...patch });

  it("[BAT-1] capacity, reputation and lastServed are checked at their bounds", () => {
    expect(reasonOf(formBatch(input({ capacity: 2 ** 32 - 1 })))).toBe("accepted");
    expect(reasonOf(formBatch(input({ capacity: 2 ** 32 })))).toBe("BadCapacity");
    expect(reasonOf(formBatch(input({ queues: [{ ...queue, reputation: REPUTATION_SCALE + 1n }] })))).toBe(
      "ReputationOutOfRange",
    );
    expect(reasonOf(formBatch(input({ queues: [{ ...queue, lastServed: -1 }] })))).toBe("BadWindow");
    expect(reasonOf(formBatch(input({ queues: [{ ...queue, lastServed: 1 }] })))).toBe("accepted");
  });

  it("[BAT-4] a proposal is checked against valid inputs only; a short proposal is LengthDiffers", () => {
    expect(reasonOf(checkProposal(input({ capacity: 0 }), []))).toBe("BadCapacity");
    const two = input({
      capacity: 2,
      queues: [{ ...queue, pending: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)] }],
    });
    const short = checkProposal(two, [new Uint8Array(32).fill(1)]);
    expect(Result.isFailure(short) && short.failure).toMatchObject({ reason: "LengthDiffers", position: 1 });
    const long = checkProposal(two, [
      new Uint8Array(32).fill(1),
      new Uint8Array(32).fill(2),
      new Uint8Array(32).fill(3),
    ]);
    expect(Result.isFailure(long) && long.failure).toMatchObject({ reason: "LengthDiffers", position: 2 });
  });
});

describe("errors", () => {
  it("[REP-1] every typed error's message names its reason and detail", () => {
    const errors = [
      new ReputationConfigError({ reason: "BadChunkSize", detail: "d1" }),
      new ReputationInputError({ reason: "BadKey", detail: "d2" }),
      new FraudProofInvalid({ reason: "NoSlot", detail: "d3" }),
      new GroupInputError({ reason: "EmptyGroup", detail: "d4" }),
      new BatchInputError({ reason: "BadWindow", detail: "d5" }),
      new BatchProposalRejected({ reason: "LengthDiffers", position: 7, detail: "d6" }),
      new RewardInputError({ reason: "BadKey", detail: "d7" }),
    ];
    for (const [i, error] of errors.entries()) {
      expect(error.message).toContain(error.reason);
      expect(error.message).toContain(`d${i + 1}`);
    }
    expect(errors[5]?.message).toContain("7");
  });
});

describe("figure models", () => {
  const SHARES = normalizedShares(SPCHAIN_POOLS_PERCENT);

  it("[REP-16] the figure's time points, R with proportional patients, and the min/max columns", () => {
    expect(FIG15_TIMES).toEqual([
      { label: "1 month", days: 30 },
      { label: "6 months", days: 180 },
      { label: "1 year", days: 365 },
      { label: "2 years", days: 730 },
      { label: "3 years", days: 1095 },
      { label: "4 years", days: 1460 },
      { label: "5 years", days: 1825 },
      { label: "20 years", days: 7300 },
    ]);
    const spchain = presetConfig("spchain");
    // A 17 % pool after a year: x1 = 0.17 x 52560, x2 = 0.17^2 x 52560, R = (f(x1) + f(x2)) / 2.
    const expected = (sigmoid(0.17 * 52560, spchain.sigmoid) + sigmoid(0.17 * 0.17 * 52560, spchain.sigmoid)) / 2;
    expect(Number(poolReputation(0.17, 365, spchain, "proportional")) / 1e9).toBeCloseTo(expected, 8);
    const rows = fig15([0.1, 0.6, 0.3], spchain);
    for (const [i, row] of rows.entries()) {
      const days = FIG15_TIMES[i]?.days ?? 0;
      const values = [0.1, 0.6, 0.3].map((s) => poolReputation(s, days, spchain, "none"));
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(row.minReputation).toBe(sorted[0]);
      expect(row.maxReputation).toBe(sorted[2]);
    }
    expect(topSetSize([0.1, 0.5, 0.4], 0.5 + 0.4)).toBe(2);
  });

  it("[REP-17] the grid, the horizon and the break conditions at their edges", () => {
    expect(FIG16_JOIN_DAYS).toEqual([30, 90, 180, 365]);
    expect(FIG16_ATTACKER_SHARES[0]).toBe(0.1);
    expect(FIG16_ATTACKER_SHARES[FIG16_ATTACKER_SHARES.length - 1]).toBe(0.9);
    expect(FIG16_ATTACKER_SHARES).toContain(0.65);
    expect(DEFAULT_HORIZON_DAYS).toBe(7300);
    // Only the top |X| - seats honest reputations count: 6 against 3 + 3 + 3 (not against 3 + 3 + 3 + 3 + 2).
    expect(breaks([3n, 1n, 3n, 3n, 3n, 2n], 6n, 1, 4)).toBe("reputation");
    // Honest reputations in any order: 9 against the top three 9s is under a third, not against 1 + 1 + 1.
    expect(breaks([1n, 1n, 1n, 9n, 9n, 9n], 9n, 1, 4)).toBeNull();
    expect(breaks([0n, 0n, 0n, 0n], 0n, 1, 4)).toBeNull();
    const settings = { groupSize: 11, horizonDays: 730 };
    const spchain = presetConfig("spchain");
    const full = attackOutcome(SHARES, spchain, 90, 0.65, settings);
    const day = Math.ceil(full.days ?? 0);
    expect(attackOutcome(SHARES, spchain, 90, 0.65, { ...settings, horizonDays: day }).days).toBe(full.days);
    expect(attackOutcome(SHARES, spchain, 90, 0.65, { ...settings, horizonDays: day - 1 }).days).toBeNull();
    const grid = fig16(SHARES, spchain, { groupSize: 11, horizonDays: 60 }, [30, 90], [0.65, 0.9]);
    expect(grid.map((o) => [o.joinDays, o.attackerShare])).toEqual([
      [30, 0.65],
      [30, 0.9],
      [90, 0.65],
      [90, 0.9],
    ]);
    expect(grid[2]?.days).toBe(full.days);
  });
});
