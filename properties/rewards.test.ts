/**
 * Fees (RWD-1), keyblock payouts (RWD-2), the epoch fee split of RepuCoin's Algorithm 1 (RWD-3) and
 * conservation over random histories (RWD-4).
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RewardInputError } from "../src/reputation/errors.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import {
  checkFee,
  type EpochFees,
  type FeeSchedule,
  type FeeSplit,
  keyblockPayout,
  minerItemCount,
  splitEpochFees,
  splitOffset,
} from "../src/reputation/rewards.js";
import { failsOn, holds } from "./check.js";
import { identity } from "./reputation-arbitraries.js";

const schedule: FeeSchedule = { minimumFee: { register: 3n, medical: 2n, label: 1n }, keyblockReward: 50n };
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("fees and payouts", () => {
  it("[RWD-1] a fee below its kind's minimum is rejected", () => {
    expect(Result.getOrThrow(checkFee(schedule, "register", 3n))).toBe(3n);
    const low = checkFee(schedule, "medical", 1n);
    expect(Result.isFailure(low) && low.failure.reason).toBe("FeeBelowMinimum");
    const zeroMin: FeeSchedule = { ...schedule, minimumFee: { register: 0n, medical: 0n, label: 0n } };
    expect(Result.isFailure(checkFee(zeroMin, "label", -1n))).toBe(true);
  });

  it("[RWD-2] the miner of a pinned keyblock gets the reward plus its register fees", () => {
    const credit = Result.getOrThrow(keyblockPayout(schedule, identity(1), [3n, 4n, 10n]));
    expect(credit.amount).toBe(67n);
    expect(hex(credit.key)).toBe(hex(identity(1)));
    const negative = keyblockPayout(schedule, identity(1), [-1n]);
    expect(Result.isFailure(negative) && negative.failure.reason).toBe("NegativeAmount");
  });
});

describe("epoch fee split", () => {
  const arbEpoch: fc.Arbitrary<EpochFees> = fc.record({
    miner: fc.constant(identity(1)),
    leader: fc.constant(identity(2)),
    minerReputation: fc.oneof(
      fc.constantFrom(0n, 1n, 500_000_000n, REPUTATION_SCALE - 1n, REPUTATION_SCALE),
      fc.bigInt({ min: 0n, max: REPUTATION_SCALE }),
    ),
    fees: fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { maxLength: 20 }),
    seed: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  });

  it("[RWD-3] the miner takes ceil(R n) consecutive items from H(seed) mod n; the leader the rest", () => {
    const property = (split: typeof splitEpochFees) =>
      fc.property(arbEpoch, (epoch) => {
        const result = Result.getOrThrow(split(epoch));
        const n = epoch.fees.length;
        const count = Math.ceil((Number(epoch.minerReputation) * n) / 1e9 - 1e-12);
        if (n === 0) return result.minerItems.length === 0 && result.miner.amount === 0n && result.leader.amount === 0n;
        const start = splitOffset(epoch.seed, n);
        const expected = Array.from({ length: count }, (_, k) => (start + k) % n).sort((a, b) => a - b);
        return minerItemCount(epoch.minerReputation, n) === count && result.minerItems.join() === expected.join();
      });
    holds("Algorithm 1 split", property(splitEpochFees), { numRuns: 300 });
    // Negative control: floor(R n) items instead of |{k : k < R n}| = ceil(R n).
    const floorCount: typeof splitEpochFees = (epoch) =>
      Result.map(splitEpochFees(epoch), (s) => ({
        ...s,
        minerItems: s.minerItems.slice(
          0,
          Number((epoch.minerReputation * BigInt(epoch.fees.length)) / REPUTATION_SCALE),
        ),
      }));
    failsOn("split with floor", property(floorCount));
    const all = Result.getOrThrow(
      splitEpochFees({
        miner: identity(1),
        leader: identity(2),
        minerReputation: REPUTATION_SCALE,
        fees: [1n, 2n],
        seed: new Uint8Array(64),
      }),
    );
    expect(all.miner.amount).toBe(3n);
    const none = Result.getOrThrow(
      splitEpochFees({
        miner: identity(1),
        leader: identity(2),
        minerReputation: 0n,
        fees: [1n, 2n],
        seed: new Uint8Array(64),
      }),
    );
    expect(none.leader.amount).toBe(3n);
    const bad = splitEpochFees({
      miner: identity(1),
      leader: identity(2),
      minerReputation: REPUTATION_SCALE + 1n,
      fees: [],
      seed: new Uint8Array(64),
    });
    expect(Result.isFailure(bad) && bad.failure.reason).toBe("ReputationOutOfRange");
  });

  type Split = (epoch: EpochFees) => Result.Result<FeeSplit, RewardInputError>;

  /** A random history: keyblocks with register fees, then each epoch's medical/label fees split. */
  const arbHistory = fc.array(
    fc.record({
      miner: fc.nat({ max: 4 }),
      leader: fc.nat({ max: 4 }),
      reputation: fc.bigInt({ min: 0n, max: REPUTATION_SCALE }),
      registers: fc.array(fc.tuple(fc.nat({ max: 6 }), fc.bigInt({ min: 3n, max: 1000n })), { maxLength: 4 }),
      records: fc.array(fc.tuple(fc.nat({ max: 6 }), fc.bigInt({ min: 1n, max: 1000n })), { maxLength: 6 }),
      seed: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }),
    { maxLength: 12 },
  );

  it("[RWD-4] totals are conserved: balances change by exactly the keyblock rewards", () => {
    const property = (split: Split) =>
      fc.property(arbHistory, (history) => {
        const balances = new Map<string, bigint>();
        const add = (key: Uint8Array, amount: bigint) =>
          balances.set(hex(key), (balances.get(hex(key)) ?? 0n) + amount);
        // Patients 100.. start with funds; nobody else has any.
        for (let p = 0; p <= 6; p++) add(identity(100 + p), 10n ** 9n);
        const start = [...balances.values()].reduce((a, b) => a + b, 0n);
        for (const [e, epoch] of history.entries()) {
          for (const [payer, fee] of [...epoch.registers, ...epoch.records]) add(identity(100 + payer), -fee);
          const payout = Result.getOrThrow(
            keyblockPayout(
              schedule,
              identity(epoch.miner),
              epoch.registers.map(([, f]) => f),
            ),
          );
          add(payout.key, payout.amount);
          const seed = history[e + 1]?.seed ?? epoch.seed;
          const s = Result.getOrThrow(
            split({
              miner: identity(epoch.miner),
              leader: identity(epoch.leader),
              minerReputation: epoch.reputation,
              fees: epoch.records.map(([, f]) => f),
              seed,
            }),
          );
          add(s.miner.key, s.miner.amount);
          add(s.leader.key, s.leader.amount);
        }
        const end = [...balances.values()].reduce((a, b) => a + b, 0n);
        return end - start === BigInt(history.length) * schedule.keyblockReward;
      });
    holds("conservation", property(splitEpochFees), { numRuns: 300 });
    // Negative control: a split that rounds twice, floor(R x total) and floor((1 - R) x total).
    const roundsTwice: Split = (epoch) => {
      const total = epoch.fees.reduce((a, b) => a + b, 0n);
      const toMiner = (epoch.minerReputation * total) / REPUTATION_SCALE;
      const toLeader = ((REPUTATION_SCALE - epoch.minerReputation) * total) / REPUTATION_SCALE;
      return Result.succeed({
        miner: { key: epoch.miner, amount: toMiner },
        leader: { key: epoch.leader, amount: toLeader },
        minerItems: [],
      });
    };
    const found = failsOn("split rounding twice", property(roundsTwice));
    expect(found.value[0].length).toBeLessThanOrEqual(2);
  });
});
