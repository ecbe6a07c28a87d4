/**
 * The mining-pool hash distributions the figures use (spec/reputation.md, [REP-16] [REP-17]).
 * Source: SPChain §6.1 footnote 2 (top 26 pools, btc.com yearly; sums to 99.97 %); RepuCoin §6 (24 pools,
 * bitcoinchain.com, April 2017; sums to 99.6 %), via protocol-notes.md §2.5 and §7.
 * @module
 */

/** SPChain footnote 2, in percent, largest first. */
export const SPCHAIN_POOLS_PERCENT: readonly number[] = [
  17.02, 15.9, 12.99, 11.25, 6.37, 6.15, 5.22, 4.58, 4.01, 3.81, 3.21, 1.84, 1.68, 1.64, 1.55, 1.2, 0.5, 0.44, 0.33,
  0.1, 0.05, 0.04, 0.04, 0.03, 0.01, 0.01,
];

/** RepuCoin's evaluation distribution, in percent, largest first. */
export const REPUCOIN_POOLS_PERCENT: readonly number[] = [
  15.1, 10.1, 10.0, 9.5, 8.3, 7.1, 6.4, 5.9, 5.5, 4.0, 2.9, 2.8, 2.4, 2.2, 1.7, 1.5, 1.5, 0.7, 0.5, 0.5, 0.3, 0.3, 0.2,
  0.2,
];

export const POOL_SETS = { spchain: SPCHAIN_POOLS_PERCENT, repucoin: REPUCOIN_POOLS_PERCENT } as const;
export type PoolSetName = keyof typeof POOL_SETS;

/** [REP-16] Shares normalised to sum to 1 (the listed pools are the whole network). */
export const normalizedShares = (percent: readonly number[]): number[] => {
  const sum = percent.reduce((s, p) => s + p, 0);
  return percent.map((p) => p / sum);
};

/** [REP-17] The smallest number of top pools whose shares reach `target` (RepuCoin's |X| rule). */
export const topSetSize = (shares: readonly number[], target: number): number => {
  const sorted = [...shares].sort((x, y) => y - x);
  let covered = 0;
  for (const [index, share] of sorted.entries()) {
    covered += share;
    if (covered >= target) return index + 1;
  }
  return sorted.length;
};
