/**
 * R1, RepuCoin's reputation function (spec/reputation.md, [REP-5] [REP-6] [REP-7]), from its
 * definition: per-chunk keyblock counts, the leader fill ratios, the honesty bit and Ext.
 * Source: RepuCoin (IACR ePrint 2018/239) §4.3, Algorithm 2; SPChain §5.1 (R1 is RepuCoin's R).
 * @module
 */
import { Result } from "effect";
import { ReputationInputError } from "./errors.js";
import { countError, isCount, MAX_HEIGHT } from "./limits.js";
import { ceilDiv, fixedToBinary64, toFixed } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { REPUTATION_SCALE } from "./quorum.js";
import { type ShareAggregate, type ShareTerm, shareTerm, shareTermFrom, spreadNumeratorOfValues } from "./share.js";
import { componentScore } from "./sigmoid.js";

/** One leadership: patient microblocks the leader created and how many it should have (|T_R| of the keyblock). */
export interface Leadership {
  readonly created: number;
  readonly expected: number;
}

export interface R1Input {
  /** L: pinned keyblocks. */
  readonly length: number;
  /** k_i, the identity's keyblocks in chunk i, for i = 1..⌈L/c⌉. */
  readonly chunks: readonly number[];
  readonly leaderships: readonly Leadership[];
  readonly honest: boolean;
  /** RepuCoin's external reputation, fixed point in [0, SCALE]; SPChain uses 0. */
  readonly ext: bigint;
}

export interface R1Score {
  readonly keyblocks: ShareTerm;
  /** y2: 1 for an identity that never led an epoch with work to do. */
  readonly leader: number;
  readonly x: number;
  readonly value: number;
  readonly fixed: bigint;
}

/** [REP-3] Keyblocks in chunk i (1-based) of a chain of length L: c, or the remainder for the last chunk. */
export const chunkLength = (chunk: number, length: number, chunkSize: number): number =>
  Math.min(chunkSize, length - (chunk - 1) * chunkSize);

/** [REP-6] A leadership's fill ratio in fixed point: floor(created × SCALE / expected); none when expected = 0. */
export const fillRatio = (leadership: Leadership): bigint | undefined =>
  leadership.expected === 0 ? undefined : (BigInt(leadership.created) * REPUTATION_SCALE) / BigInt(leadership.expected);

/** [REP-5] y1's aggregate: values k_i / c around the mean K / L over t = ⌈L/c⌉ chunks. */
export const keyblockAggregate = (
  length: number,
  chunkSize: number,
  mined: bigint,
  minedSquares: bigint,
): ShareAggregate => ({
  count: BigInt(ceilDiv(length, chunkSize)),
  denominator: BigInt(chunkSize),
  meanNumerator: mined,
  meanDenominator: BigInt(length),
  sum: mined,
  sumSquares: minedSquares,
});

/** [REP-6] y2's aggregate: fill ratios F_j / SCALE around the mean ΣF / (N·SCALE) over N leaderships. */
export const leaderAggregate = (leaderships: bigint, fillSum: bigint, fillSquares: bigint): ShareAggregate => ({
  count: leaderships,
  denominator: REPUTATION_SCALE,
  meanNumerator: fillSum,
  meanDenominator: leaderships * REPUTATION_SCALE,
  sum: fillSum,
  sumSquares: fillSquares,
});

/** [REP-6] y2 = 1 when N = 0, else the share term of the fill ratios. */
export const leaderTerm = (aggregate: ShareAggregate, numerator?: bigint): number => {
  if (aggregate.count === 0n) return 1;
  return (numerator === undefined ? shareTerm(aggregate) : shareTermFrom(aggregate, numerator)).term;
};

/** [REP-7] x = (y1 × y2) × L; R1 = 0 if H = 0 else min(1, ext + f(x)); then quantized ([REP-10]). */
export const r1FromTerms = (
  keyblocks: ShareTerm,
  leader: number,
  length: number,
  honest: boolean,
  ext: bigint,
  config: ReputationConfig,
): R1Score => {
  const x = keyblocks.term * leader * length;
  const value = componentScore(x, honest, fixedToBinary64(ext), config);
  return { keyblocks, leader, x, value, fixed: toFixed(value) };
};

const checkR1Input = (input: R1Input, chunkSize: number): ReputationInputError | undefined => {
  if (!isCount(input.length, MAX_HEIGHT)) return countError("L", input.length, MAX_HEIGHT);
  const chunkCount = ceilDiv(input.length, chunkSize);
  if (input.chunks.length !== chunkCount) {
    return new ReputationInputError({
      reason: "ChunkCountMismatch",
      detail: `L=${input.length}, c=${chunkSize} has ${chunkCount} chunks, got ${input.chunks.length}`,
    });
  }
  for (const [index, k] of input.chunks.entries()) {
    const capacity = chunkLength(index + 1, input.length, chunkSize);
    if (!isCount(k)) return countError(`k_${index + 1}`, k);
    if (k > capacity) {
      return new ReputationInputError({
        reason: "ChunkOverfull",
        detail: `chunk ${index + 1} holds ${capacity} keyblocks, k=${k}`,
      });
    }
  }
  for (const { created, expected } of input.leaderships) {
    if (!isCount(created) || !isCount(expected)) return countError("leadership counts", Math.max(created, expected));
    if (created > expected) {
      return new ReputationInputError({
        reason: "CreatedOverExpected",
        detail: `created ${created} of ${expected} expected microblocks`,
      });
    }
  }
  if (input.ext < 0n || input.ext > REPUTATION_SCALE) {
    return new ReputationInputError({ reason: "ExtOutOfRange", detail: `Ext must be in [0, SCALE]: ${input.ext}` });
  }
  return undefined;
};

/**
 * [REP-7] R1 from its definition: the spread numerators are summed over every chunk and leadership
 * (the from-scratch path; the incremental state reaches the same integers by closed forms).
 */
export const r1 = (input: R1Input, config: ReputationConfig): Result.Result<R1Score, ReputationInputError> => {
  const invalid = checkR1Input(input, config.chunkSize);
  if (invalid !== undefined) return Result.fail(invalid);
  const values = input.chunks.map(BigInt);
  const mined = values.reduce((sum, k) => sum + k, 0n);
  const aggregate = keyblockAggregate(input.length, config.chunkSize, mined, 0n);
  const keyblocks = shareTermFrom(
    aggregate,
    spreadNumeratorOfValues(values, aggregate.denominator, mined, aggregate.meanDenominator),
  );
  const fills = input.leaderships.map(fillRatio).filter((f): f is bigint => f !== undefined);
  const fillSum = fills.reduce((sum, f) => sum + f, 0n);
  const leaders = leaderAggregate(BigInt(fills.length), fillSum, 0n);
  const leader = leaderTerm(
    leaders,
    spreadNumeratorOfValues(fills, leaders.denominator, fillSum, leaders.meanDenominator),
  );
  return Result.succeed(r1FromTerms(keyblocks, leader, input.length, input.honest, input.ext, config));
};
