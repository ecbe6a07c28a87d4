/**
 * R = (R1 + R2) / 2 and its fixed-point value (spec/reputation.md, [REP-10]).
 * Source: SPChain §5.1 ("R = ½(R1 + R2)"), Algorithm 1 line 11.
 * @module
 */
import { toFixed } from "./numeric.js";
import type { R1Score } from "./r1.js";
import type { R2Score } from "./r2.js";

export interface Reputation {
  readonly r1: R1Score;
  readonly r2: R2Score;
  /** (R1 + R2) / 2 in binary64. */
  readonly value: number;
  /** floor(value × 1e9), clamped to [0, SCALE]: the only form consensus uses. */
  readonly fixed: bigint;
}

/** [REP-10] (r1 + r2) / 2: two binary64 operations in this order. */
export const combinedValue = (r1: number, r2: number): number => (r1 + r2) / 2;

/** [REP-10] R of two component scores, then quantized. */
export const combine = (r1: R1Score, r2: R2Score): Reputation => {
  const value = combinedValue(r1.value, r2.value);
  return { r1, r2, value, fixed: toFixed(value) };
};
