/**
 * Fig. 15 as data (spec/reputation.md, [REP-16]): the share of hash power whose reputation falls in each
 * band [0,.2), [.2,.4), [.4,.6), [.6,.8), [.8,1] after 1 month .. 20 years, for the paper's 26 pools
 * mining from launch at their hash shares, with expected keyblock counts (144 per day).
 * Source: SPChain §6.3, Fig. 15 (a = 5000, lambda = 20000; top 26 pools, footnote 2); RepuCoin §6,
 * Table 2 (the same bands); protocol-notes.md §7 and §8.
 * @module
 */
import { expectedR1, KEYBLOCKS_PER_DAY, proportionalR2 } from "./model.js";
import { toFixed } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { REPUTATION_SCALE } from "./quorum.js";

export const BANDS = ["[0,0.2)", "[0.2,0.4)", "[0.4,0.6)", "[0.6,0.8)", "[0.8,1]"] as const;

/** [REP-16] The paper's time points; a month is 30 days and a year 365 days. */
export const FIG15_TIMES: readonly { readonly label: string; readonly days: number }[] = [
  { label: "1 month", days: 30 },
  { label: "6 months", days: 180 },
  { label: "1 year", days: 365 },
  { label: "2 years", days: 730 },
  { label: "3 years", days: 1095 },
  { label: "4 years", days: 1460 },
  { label: "5 years", days: 1825 },
  { label: "20 years", days: 7300 },
];

/** How R2 enters for pools: not at all (R = R1), or as institutions with patients in proportion to power. */
export type PoolR2 = "none" | "proportional";

export interface Fig15Row {
  readonly label: string;
  readonly days: number;
  /** Percent of hash power per band, in BANDS order. */
  readonly bandPercent: readonly number[];
  /** The smallest and largest fixed-point R among the pools. */
  readonly minReputation: bigint;
  readonly maxReputation: bigint;
}

/** [REP-16] Band index of a fixed-point R: floor(5R), the top band closed at 1. */
export const bandOf = (reputation: bigint): number => Math.min(4, Number((5n * reputation) / REPUTATION_SCALE));

/** [REP-16] A pool's R after `days`: R1 of a steady miner, or (R1 + R2) / 2 with proportional patients. */
export const poolReputation = (share: number, days: number, config: ReputationConfig, r2: PoolR2): bigint => {
  const length = days * KEYBLOCKS_PER_DAY;
  const one = expectedR1({ before: share, after: share, switchAt: length }, length, config);
  return toFixed(r2 === "none" ? one : (one + proportionalR2(share, length, config)) / 2);
};

/** [REP-16] One row per time point. `shares` are normalised hash shares. */
export const fig15 = (shares: readonly number[], config: ReputationConfig, r2: PoolR2 = "none"): Fig15Row[] =>
  FIG15_TIMES.map(({ label, days }) => {
    const bandPercent = BANDS.map(() => 0);
    const reputations = shares.map((share) => poolReputation(share, days, config, r2));
    for (const [i, reputation] of reputations.entries()) {
      const band = bandOf(reputation);
      bandPercent[band] = (bandPercent[band] ?? 0) + 100 * (shares[i] ?? 0);
    }
    const sorted = [...reputations].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return {
      label,
      days,
      bandPercent,
      minReputation: sorted[0] ?? 0n,
      maxReputation: sorted[sorted.length - 1] ?? 0n,
    };
  });
