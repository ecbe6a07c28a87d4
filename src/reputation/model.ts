/**
 * The expected-keyblock model behind Figs. 15 and 16 (spec/reputation.md, [REP-16] [REP-17]): an
 * identity mines an expected `before` keyblocks per keyblock up to keyblock J and `after` from then on;
 * its per-chunk counts are the expected ones (real numbers), and R1 is RepuCoin's formula over them
 * (y2 = 1, H = 1, Ext = 0), through the same sigmoid and quantization as the chain's R1.
 * Source: protocol-notes.md §2.4, §2.6 and §8 (executable model) [DERIVED]; RepuCoin §4.3, §6.
 * @module
 */
import { ceilDiv } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { componentScore } from "./sigmoid.js";

export const KEYBLOCKS_PER_DAY = 144;

/** Expected keyblocks per keyblock: `before` up to keyblock `switchAt`, `after` from switchAt + 1. */
export interface RateProfile {
  readonly before: number;
  readonly after: number;
  readonly switchAt: number;
}

/** Expected keyblocks mined in keyblocks [from, to] (inclusive, 1-based). */
const expectedIn = (profile: RateProfile, from: number, to: number): number => {
  const early = Math.max(0, Math.min(to, profile.switchAt) - from + 1);
  const late = Math.max(0, to - Math.max(from, profile.switchAt + 1) + 1);
  return profile.before * early + profile.after * late;
};

/**
 * [REP-16] mean = K / L and the spread of the chunk values k_j / c around it, summed by runs: the full
 * chunks before the switch (value `before`), the full chunks after it (value `after`), and at most three
 * single chunks (the one straddling the switch, the partial last one).
 */
export const expectedShareTerm = (
  profile: RateProfile,
  length: number,
  chunkSize: number,
): { mean: number; spread: number } => {
  if (length === 0) return { mean: 0, spread: 0 };
  const chunks = ceilDiv(length, chunkSize);
  const mean = expectedIn(profile, 1, length) / length;
  const fullBefore = Math.floor(Math.min(profile.switchAt, length) / chunkSize);
  const firstAfter = ceilDiv(profile.switchAt, chunkSize) + 1;
  const lastFull = Math.floor(length / chunkSize);
  const deviation = (value: number) => (value - mean) * (value - mean);
  let squares = fullBefore * deviation(profile.before);
  let chunk = fullBefore + 1;
  while (chunk <= chunks) {
    if (chunk >= firstAfter && chunk <= lastFull) {
      squares += (lastFull - firstAfter + 1) * deviation(profile.after);
      chunk = lastFull + 1;
      continue;
    }
    const start = (chunk - 1) * chunkSize + 1;
    squares += deviation(expectedIn(profile, start, Math.min(chunk * chunkSize, length)) / chunkSize);
    chunk += 1;
  }
  return { mean, spread: Math.sqrt(squares / chunks) };
};

/** [REP-16] The model's R1 in binary64 (y2 = 1, H = 1, Ext = 0). */
export const expectedR1 = (profile: RateProfile, length: number, config: ReputationConfig): number => {
  const { mean, spread } = expectedShareTerm(profile, length, config.chunkSize);
  const x = (mean / (1 + spread)) * length;
  return componentScore(x, true, 0, config);
};

/**
 * [REP-16] The model's R2 for a pool that receives the same share of register and of medical/label
 * transactions as of keyblocks, every chunk (resolved reading): q1 = q2 = share, x = share² × L.
 */
export const proportionalR2 = (share: number, length: number, config: ReputationConfig): number =>
  componentScore(share * share * length, true, 0, config);
