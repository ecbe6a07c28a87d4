/**
 * `spchain fig16`: the paper's Fig. 16 as data (spec/reputation.md, [REP-17]) — days until an attacker
 * with share p of hash power, joining 1, 3, 6 or 12 months after launch, breaks the consensus group.
 * @module
 */
import { DEFAULT_HORIZON_DAYS, FIG16_ATTACKER_SHARES, FIG16_JOIN_DAYS, fig16 } from "../../src/reputation/fig16.js";
import { topSetSize } from "../../src/reputation/pools.js";
import { faultBound } from "../../src/reputation/quorum.js";
import type { Command } from "../command.js";
import {
  type OutputFormat,
  parseChoice,
  parsePools,
  parsePositiveInt,
  parsePresets,
  renderCsv,
  renderTable,
  runWithUsage,
} from "./fig15.js";

const USAGE = [
  "usage: spchain fig16 [--preset spchain|repucoin-printed|repucoin-calibrated|all] [--format table|csv|json]",
  "                     [--pools spchain|repucoin] [--group-size N] [--horizon-years N] [--chunk-size N]",
  "",
  "Days from the attacker's join until it holds f + 1 of the top-|X| seats or a third of the group's",
  "reputation (best split into k <= |X| identities; honest pools mine (1 - p) of their share after the",
  "join). |X| defaults to the smallest top set of pools covering 90 % of the hash power.",
].join("\n");

const joinLabel = (days: number): string => `join ${Math.round(days / 30.4)} mo`;
const daysText = (days: number | null): string => (days === null ? "never" : days.toFixed(1));

const body = (args: readonly string[]): string => {
  const format = parseChoice<OutputFormat>(args, "format", ["table", "csv", "json"], "table");
  const pools = parsePools(args);
  const groupSize = parsePositiveInt(args, "group-size", topSetSize(pools.shares, 0.9));
  const horizonDays = parsePositiveInt(args, "horizon-years", DEFAULT_HORIZON_DAYS / 365) * 365;
  const f = faultBound(groupSize);
  const results = parsePresets(args).map(({ name, config }) => ({
    name,
    config,
    outcomes: fig16(pools.shares, config, { groupSize, horizonDays }),
  }));
  if (format === "json") {
    const json = results.map(({ name, config, outcomes }) => ({
      preset: name,
      a: config.sigmoid.a,
      lambda: config.sigmoid.lambda,
      chunkSize: config.chunkSize,
      pools: pools.name,
      groupSize,
      f,
      horizonDays,
      outcomes,
    }));
    return JSON.stringify(json, null, 2);
  }
  if (format === "csv") {
    const rows = results.flatMap(({ name, outcomes }) =>
      outcomes.map((o) => [
        name,
        pools.name,
        String(groupSize),
        String(f),
        String(o.joinDays),
        o.attackerShare.toFixed(2),
        o.days === null ? "" : o.days.toFixed(3),
        o.identities === null ? "" : String(o.identities),
        o.condition ?? "",
      ]),
    );
    return renderCsv(
      ["preset", "pools", "group_size", "f", "join_days", "attacker_share", "days_to_break", "identities", "condition"],
      rows,
    );
  }
  const header = ["attacker p", ...FIG16_JOIN_DAYS.map(joinLabel)];
  return results
    .map(({ name, config, outcomes }) => {
      const rows = FIG16_ATTACKER_SHARES.map((p) => [
        `${(100 * p).toFixed(0)} %`,
        ...FIG16_JOIN_DAYS.map((join) =>
          daysText(outcomes.find((o) => o.joinDays === join && o.attackerShare === p)?.days ?? null),
        ),
      ]);
      return [
        `Fig. 16, preset ${name} (a = ${config.sigmoid.a}, lambda = ${config.sigmoid.lambda}), ${pools.name} pools, ` +
          `|X| = ${groupSize}, f = ${f}: days from the join to the break ("never" = not within ${horizonDays / 365} years)`,
        renderTable(header, rows),
      ].join("\n");
    })
    .join("\n\n");
};

export const fig16Command: Command = {
  name: "fig16",
  summary: "Fig. 16 as data: days for an attacker of hash share p to break the group, per join time",
  usage: USAGE,
  run: (args) => runWithUsage(USAGE, () => body(args)),
};
