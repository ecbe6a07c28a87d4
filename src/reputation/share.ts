/**
 * The share-and-spread term that R1 and R2 are built from (spec/reputation.md, [REP-5]): a mean share
 * M/Q and the population standard deviation of per-chunk values v_i/D around it, combined into
 * y = mean / (1 + spread). RepuCoin's y1 (keyblocks), y2 (leader fill) and SPChain's q1, q2 are all
 * this term with different (v_i, D, M, Q).
 * @module
 */
import { exactRatio } from "./numeric.js";

/** The exact integer aggregates of one term. */
export interface ShareAggregate {
  /** Number of values n (chunks, or leaderships). */
  readonly count: bigint;
  /** The common denominator D of the values v_i / D. */
  readonly denominator: bigint;
  /** The mean share is meanNumerator / meanDenominator (M / Q). */
  readonly meanNumerator: bigint;
  readonly meanDenominator: bigint;
  /** Σ v_i and Σ v_i² over the n values. */
  readonly sum: bigint;
  readonly sumSquares: bigint;
}

export interface ShareTerm {
  readonly mean: number;
  readonly spread: number;
  readonly term: number;
}

/**
 * [REP-5] The exact spread numerator Σ (v_i·Q − M·D)², by its closed form
 * Q²·Σv² − 2·Q·M·D·Σv + n·M²·D² (equal as integers, so the incremental state can keep only sums).
 */
export const spreadNumerator = (a: ShareAggregate): bigint => {
  const { count: n, denominator: d, meanNumerator: m, meanDenominator: q, sum, sumSquares } = a;
  return q * q * sumSquares - 2n * q * m * d * sum + n * m * m * d * d;
};

/** [REP-5] The same numerator straight from its definition, over explicit values (the from-scratch path). */
export const spreadNumeratorOfValues = (
  values: readonly bigint[],
  denominator: bigint,
  meanNumerator: bigint,
  meanDenominator: bigint,
): bigint => {
  let total = 0n;
  for (const v of values) {
    const deviation = v * meanDenominator - meanNumerator * denominator;
    total += deviation * deviation;
  }
  return total;
};

/**
 * [REP-5] mean = ratio(M, Q); spread = sqrt(ratio(Σ(v_i·Q − M·D)², n·D²·Q²)); term = mean / (1 + spread).
 * Both ratios are 0/0 := 0 (A7), so an empty history gives mean = spread = term = 0.
 */
export const shareTermFrom = (a: ShareAggregate, numerator: bigint): ShareTerm => {
  const mean = exactRatio(a.meanNumerator, a.meanDenominator);
  const q = a.meanDenominator;
  const spread = Math.sqrt(exactRatio(numerator, a.count * a.denominator * a.denominator * q * q));
  return { mean, spread, term: mean / (1 + spread) };
};

export const shareTerm = (a: ShareAggregate): ShareTerm => shareTermFrom(a, spreadNumerator(a));
