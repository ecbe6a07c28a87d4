/**
 * Rewards and fees (spec/rewards.md, [RWD-1]..[RWD-4]): every transaction pays at least its kind's
 * minimum fee; a pinned keyblock pays its miner the keyblock reward plus its register fees; the medical
 * and label fees pinned in an epoch are split between that epoch's keyblock miner and its leader by
 * RepuCoin's Algorithm 1, item by item, so nothing is minted or lost but the keyblock reward ([RWD-4]).
 * Amounts are integers (bigint) in the chain's smallest unit.
 * Source: RepuCoin §4.4, Algorithm 1 (reward sharing); SPChain §5.1 (reward mechanism), §6.3 (every
 * transaction carries a fee).
 * @module
 */
import { Result } from "effect";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { RewardInputError } from "./errors.js";
import { digestToBigInt } from "./group.js";
import { KEY_BYTES } from "./limits.js";
import { REPUTATION_SCALE } from "./quorum.js";

export type TransactionKind = "register" | "medical" | "label";

export interface FeeSchedule {
  /** [RWD-1] The least fee a transaction of each kind must carry (config). */
  readonly minimumFee: Readonly<Record<TransactionKind, bigint>>;
  /** [RWD-2] Minted once per pinned keyblock. */
  readonly keyblockReward: bigint;
}

export interface Credit {
  readonly key: Uint8Array;
  readonly amount: bigint;
}

const fail = (reason: RewardInputError["reason"], detail: string) =>
  Result.fail(new RewardInputError({ reason, detail }));

/** [RWD-1] A transaction's fee must be at least its kind's minimum (and so never negative). */
export const checkFee = (
  schedule: FeeSchedule,
  kind: TransactionKind,
  fee: bigint,
): Result.Result<bigint, RewardInputError> =>
  fee >= 0n && fee >= schedule.minimumFee[kind]
    ? Result.succeed(fee)
    : fail("FeeBelowMinimum", `${kind} fee ${fee} below the minimum ${schedule.minimumFee[kind]}`);

const total = (amounts: readonly bigint[]): bigint => amounts.reduce((sum, a) => sum + a, 0n);

const checkAmounts = (amounts: readonly bigint[], keys: readonly Uint8Array[]): RewardInputError | undefined => {
  if (keys.some((k) => k.length !== KEY_BYTES))
    return new RewardInputError({ reason: "BadKey", detail: "32-byte keys" });
  const negative = amounts.find((a) => a < 0n);
  return negative === undefined
    ? undefined
    : new RewardInputError({ reason: "NegativeAmount", detail: `amount ${negative} is negative` });
};

/** [RWD-2] The miner of a pinned keyblock receives keyblockReward + Σ register fees of that keyblock. */
export const keyblockPayout = (
  schedule: FeeSchedule,
  miner: Uint8Array,
  registerFees: readonly bigint[],
): Result.Result<Credit, RewardInputError> => {
  const invalid = checkAmounts([schedule.keyblockReward, ...registerFees], [miner]);
  if (invalid !== undefined) return Result.fail(invalid);
  return Result.succeed({ key: miner, amount: schedule.keyblockReward + total(registerFees) });
};

export interface EpochFees {
  /** Miner of the epoch's keyblock KB_e. */
  readonly miner: Uint8Array;
  /** Leader of epoch e. */
  readonly leader: Uint8Array;
  /** The miner's fixed-point R in the snapshot the epoch's group was ranked by ([GRP-5]). */
  readonly minerReputation: bigint;
  /** Fees of the medical and label transactions pinned in epoch e, in pin order. */
  readonly fees: readonly bigint[];
  /** The leader-seed signature of KB_{e+1} ([GRP-4]): fixed after e ends, unbiasable by the group. */
  readonly seed: Uint8Array;
}

export interface FeeSplit {
  readonly miner: Credit;
  readonly leader: Credit;
  /** Indices (into `fees`) of the items whose fee goes to the miner. */
  readonly minerItems: readonly number[];
}

/** [RWD-3] |M′| = ceil(R × n): the count of k in 0 <= k < R·n, exact in fixed point. */
export const minerItemCount = (reputation: bigint, items: number): number =>
  Number((reputation * BigInt(items) + REPUTATION_SCALE - 1n) / REPUTATION_SCALE);

/** [RWD-3] i′ = u256(H_REWARD_SPLIT(seed)) mod n. */
export const splitOffset = (seed: Uint8Array, items: number): number =>
  Number(digestToBigInt(taggedHash(TAGS.REWARD_SPLIT, seed)) % BigInt(items));

/**
 * [RWD-3] M′ = {m_((i′ + k) mod n) : 0 <= k < R·n} goes to the miner, the rest to the leader. Whole
 * items move, so miner + leader = Σ fees exactly.
 */
export const splitEpochFees = (epoch: EpochFees): Result.Result<FeeSplit, RewardInputError> => {
  const invalid = checkAmounts(epoch.fees, [epoch.miner, epoch.leader]);
  if (invalid !== undefined) return Result.fail(invalid);
  if (epoch.minerReputation < 0n || epoch.minerReputation > REPUTATION_SCALE) {
    return fail("ReputationOutOfRange", `miner reputation ${epoch.minerReputation}`);
  }
  const n = epoch.fees.length;
  const count = minerItemCount(epoch.minerReputation, n);
  const offset = n === 0 ? 0 : splitOffset(epoch.seed, n);
  const minerItems = Array.from({ length: count }, (_, k) => (offset + k) % n).sort((x, y) => x - y);
  const toMiner = new Set(minerItems);
  const sumWhere = (goesToMiner: boolean) => total(epoch.fees.filter((_, i) => toMiner.has(i) === goesToMiner));
  return Result.succeed({
    miner: { key: epoch.miner, amount: sumWhere(true) },
    leader: { key: epoch.leader, amount: sumWhere(false) },
    minerItems,
  });
};
