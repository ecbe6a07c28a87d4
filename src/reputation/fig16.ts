/**
 * Fig. 16 as data (spec/reputation.md, [REP-17]): days until an attacker breaks the consensus group,
 * against its share p of hash power and the time it joins. Model: the pools mine from launch at their
 * shares; from the attacker's join on, it mines share p split evenly over k identities and each honest
 * pool mines (1 − p) of its share; the group is the top |X| by fixed-point R (ties against the attacker);
 * the attack succeeds once its identities hold f + 1 seats, or at least a third of the group's
 * reputation. The best k in 1..|X| is reported; expected keyblock counts, 144 per day.
 * Source: SPChain §6.3, Fig. 16 ("65 % … a month"); RepuCoin §6.1, Table 3 and Fig. 4 (attack resilience);
 * protocol-notes.md §2.6 and §8 (attack model) [DERIVED].
 * @module
 */
import { expectedR1, KEYBLOCKS_PER_DAY } from "./model.js";
import { toFixed } from "./numeric.js";
import type { ReputationConfig } from "./params.js";
import { faultBound } from "./quorum.js";

export const FIG16_JOIN_DAYS: readonly number[] = [30, 90, 180, 365];
export const FIG16_ATTACKER_SHARES: readonly number[] = [
  0.1, 0.15, 0.2, 0.25, 0.26, 0.3, 0.34, 0.4, 0.45, 0.5, 0.51, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9,
];
export const DEFAULT_HORIZON_DAYS = 20 * 365;

export interface AttackSettings {
  readonly groupSize: number;
  readonly horizonDays: number;
}

export type BreakCondition = "seats" | "reputation";

export interface AttackOutcome {
  readonly joinDays: number;
  readonly attackerShare: number;
  /** Days from the join to the break, to the keyblock (1/144 day); null: never within the horizon. */
  readonly days: number | null;
  readonly identities: number | null;
  readonly condition: BreakCondition | null;
}

interface Break {
  readonly identities: number;
  readonly condition: BreakCondition;
}

/**
 * [REP-17] Whether k identities of equal reputation `attacker` break a group of `groupSize` drawn from
 * them and the honest reputations (in any order).
 */
export const breaks = (
  honest: readonly bigint[],
  attacker: bigint,
  identities: number,
  groupSize: number,
): BreakCondition | null => {
  const honestDescending = [...honest].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0));
  const ahead = honestDescending.filter((r) => r >= attacker).length;
  const seats = Math.min(identities, Math.max(0, groupSize - ahead));
  if (seats >= faultBound(groupSize) + 1) return "seats";
  if (seats === 0) return null;
  const attackerTotal = BigInt(seats) * attacker;
  const honestTotal = honestDescending.slice(0, groupSize - seats).reduce((sum, r) => sum + r, 0n);
  return 3n * attackerTotal >= attackerTotal + honestTotal ? "reputation" : null;
};

/** [REP-17] The best split at chain length L (keyblocks since launch), or null if none breaks. */
const breakAt = (
  shares: readonly number[],
  config: ReputationConfig,
  p: number,
  join: number,
  length: number,
  groupSize: number,
): Break | null => {
  const honest = shares.map((s) =>
    toFixed(expectedR1({ before: s, after: (1 - p) * s, switchAt: join }, length, config)),
  );
  for (let k = 1; k <= groupSize; k++) {
    const attacker = toFixed(expectedR1({ before: 0, after: p / k, switchAt: join }, length, config));
    const condition = breaks(honest, attacker, k, groupSize);
    if (condition !== null) return { identities: k, condition };
  }
  return null;
};

/** [REP-17] Scans day by day, then keyblock by keyblock within the first day that ends broken. */
export const attackOutcome = (
  shares: readonly number[],
  config: ReputationConfig,
  joinDays: number,
  attackerShare: number,
  settings: AttackSettings,
): AttackOutcome => {
  const join = joinDays * KEYBLOCKS_PER_DAY;
  const at = (length: number) => breakAt(shares, config, attackerShare, join, length, settings.groupSize);
  const never = { joinDays, attackerShare, days: null, identities: null, condition: null };
  for (let day = 1; day <= settings.horizonDays; day++) {
    if (at(join + day * KEYBLOCKS_PER_DAY) === null) continue;
    for (let kb = (day - 1) * KEYBLOCKS_PER_DAY + 1; kb <= day * KEYBLOCKS_PER_DAY; kb++) {
      const found = at(join + kb);
      if (found !== null) return { joinDays, attackerShare, days: kb / KEYBLOCKS_PER_DAY, ...found };
    }
  }
  return never;
};

/** [REP-17] Every (join, share) pair, joins outermost. */
export const fig16 = (
  shares: readonly number[],
  config: ReputationConfig,
  settings: AttackSettings,
  joinDays: readonly number[] = FIG16_JOIN_DAYS,
  attackerShares: readonly number[] = FIG16_ATTACKER_SHARES,
): AttackOutcome[] =>
  joinDays.flatMap((join) => attackerShares.map((p) => attackOutcome(shares, config, join, p, settings)));
