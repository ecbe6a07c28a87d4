/**
 * The numeric discipline of reputation (spec/reputation.md, [REP-1]): aggregates are exact integers;
 * each formula turns them into IEEE-754 binary64 values by a fixed sequence of correctly rounded
 * operations (integer-to-binary64 conversion, +, -, *, /, sqrt, all round-to-nearest-even), so any
 * implementation that follows the same sequence gets the same bits; the result is quantized to the
 * fixed-point units of quorum.ts ([REP-10]) before anything consensus-critical uses it.
 * @module
 */
import { REPUTATION_SCALE } from "./quorum.js";

/** 1.0 of reputation as a binary64 (exact: 10^9 < 2^53). */
export const SCALE_BINARY64 = 1e9;

/** [REP-1] An exact integer rounded to the nearest binary64, ties to even (ECMAScript `Number(bigint)`). */
export const toBinary64 = (value: bigint): number => Number(value);

/** [REP-1] num/den as toBinary64(num) / toBinary64(den), with 0/0 := 0 (A7). */
export const exactRatio = (num: bigint, den: bigint): number => (den === 0n ? 0 : toBinary64(num) / toBinary64(den));

/**
 * [REP-10] floor(r * 1e9) with the product rounded to binary64 first, clamped to [0, SCALE].
 * A NaN cannot arise from the formulas ([REP-14]); meeting one is a bug, so it throws.
 */
export const toFixed = (r: number): bigint => {
  if (Number.isNaN(r)) throw new RangeError("reputation is NaN");
  const scaled = Math.floor(r * SCALE_BINARY64);
  if (scaled <= 0) return 0n;
  const fixed = BigInt(scaled);
  return fixed > REPUTATION_SCALE ? REPUTATION_SCALE : fixed;
};

/** A fixed-point reputation (or Ext) as binary64: toBinary64(v) / 1e9. */
export const fixedToBinary64 = (value: bigint): number => toBinary64(value) / SCALE_BINARY64;

/** ceil(n / d) for non-negative integers. */
export const ceilDiv = (n: number, d: number): number => Math.floor((n + d - 1) / d);

/** [REP-15] The 16 lowercase hex digits of a binary64's IEEE-754 bit pattern (how vectors carry values). */
export const binary64ToHex = (value: number): string => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
};

/** [REP-15] The binary64 of a 16-hex-digit bit pattern. */
export const binary64FromHex = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};
