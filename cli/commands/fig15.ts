/**
 * `spchain fig15`: the paper's Fig. 15 as data (spec/reputation.md, [REP-16]) — the share of hash power
 * in each reputation band over time for the 26 pools, per preset, as a table, CSV or JSON. Also holds
 * the option parsing and table/CSV rendering that `spchain fig16` shares.
 * @module
 */
import { BANDS, fig15, type PoolR2 } from "../../src/reputation/fig15.js";
import {
  makeReputationConfig,
  PRESET_NAMES,
  type PresetName,
  type ReputationConfig,
} from "../../src/reputation/params.js";
import { normalizedShares, POOL_SETS, type PoolSetName } from "../../src/reputation/pools.js";
import { sigmoid } from "../../src/reputation/sigmoid.js";
import { type Command, flag } from "../command.js";

export type OutputFormat = "table" | "csv" | "json";

/** A usage error: printed to stderr with exit code 2. */
export class UsageError extends Error {}

export const parseChoice = <T extends string>(
  args: readonly string[],
  name: string,
  choices: readonly T[],
  fallback: T,
): T => {
  const value = flag(args, name, fallback);
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}: ${value}`);
  }
  return value as T;
};

export const parsePositiveInt = (args: readonly string[], name: string, fallback: number): number => {
  const raw = flag(args, name, String(fallback));
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer: ${raw}`);
  return value;
};

/** `--preset NAME|all` (default all), each with the chunk size of `--chunk-size`. */
export const parsePresets = (args: readonly string[]): { name: PresetName; config: ReputationConfig }[] => {
  const chosen = parseChoice(args, "preset", [...PRESET_NAMES, "all"], "all");
  const chunkSize = parsePositiveInt(args, "chunk-size", 144);
  const names = chosen === "all" ? PRESET_NAMES : [chosen];
  return names.map((name) => {
    const made = makeReputationConfig({ preset: name, chunkSize });
    if (made._tag === "Failure") throw new UsageError(made.failure.message);
    return { name, config: made.success };
  });
};

export const parsePools = (args: readonly string[]): { name: PoolSetName; shares: number[] } => {
  const name = parseChoice(args, "pools", ["spchain", "repucoin"] as const, "spchain");
  return { name, shares: normalizedShares(POOL_SETS[name]) };
};

/** Left-aligned first column, right-aligned others, two spaces between. */
export const renderTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
};

const csvCell = (cell: string): string => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
export const renderCsv = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n");

export const fixedText = (value: bigint): string => (Number(value) / 1e9).toFixed(4);

/** Runs a command body, turning usage errors into exit code 2. */
export const runWithUsage = async (usage: string, body: () => string): Promise<number> => {
  try {
    console.log(body());
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
};

const USAGE = [
  "usage: spchain fig15 [--preset spchain|repucoin-printed|repucoin-calibrated|all] [--format table|csv|json]",
  "                     [--pools spchain|repucoin] [--chunk-size N] [--r2 none|proportional]",
  "",
  "Share of hash power (%) in each reputation band after 1 month .. 20 years: every pool mines from launch",
  "at its hash share (expected counts, 144 keyblocks a day). --r2 none: R = R1 (default); proportional: the",
  "pools are institutions whose patients arrive in proportion to their hash power, R = (R1 + R2) / 2.",
].join("\n");

const body = (args: readonly string[]): string => {
  const format = parseChoice<OutputFormat>(args, "format", ["table", "csv", "json"], "table");
  const r2 = parseChoice<PoolR2>(args, "r2", ["none", "proportional"], "none");
  const pools = parsePools(args);
  const results = parsePresets(args).map(({ name, config }) => ({
    name,
    config,
    rows: fig15(pools.shares, config, r2),
  }));
  if (format === "json") {
    const json = results.map(({ name, config, rows }) => ({
      preset: name,
      a: config.sigmoid.a,
      lambda: config.sigmoid.lambda,
      chunkSize: config.chunkSize,
      pools: pools.name,
      r2,
      bands: BANDS,
      rows: rows.map((r) => ({
        time: r.label,
        days: r.days,
        bandPercent: r.bandPercent,
        minReputation: Number(r.minReputation) / 1e9,
        maxReputation: Number(r.maxReputation) / 1e9,
      })),
    }));
    return JSON.stringify(json, null, 2);
  }
  const header = ["time", ...BANDS.map((b) => `${b} %`), "min R", "max R"];
  const tableRows = (rows: (typeof results)[number]["rows"]) =>
    rows.map((r) => [
      r.label,
      ...r.bandPercent.map((p) => p.toFixed(2)),
      fixedText(r.minReputation),
      fixedText(r.maxReputation),
    ]);
  if (format === "csv") {
    const csvRows = results.flatMap(({ name, config, rows }) =>
      tableRows(rows).map((row) => [name, String(config.sigmoid.a), String(config.sigmoid.lambda), ...row]),
    );
    return renderCsv(["preset", "a", "lambda", ...header], csvRows);
  }
  return results
    .map(({ name, config, rows }) =>
      [
        `Fig. 15, preset ${name} (a = ${config.sigmoid.a}, lambda = ${config.sigmoid.lambda}, f(0) = ${sigmoid(0, config.sigmoid).toFixed(4)}), ` +
          `${pools.name} pools, c = ${config.chunkSize}, R = ${r2 === "none" ? "R1" : "(R1 + R2) / 2"}`,
        renderTable(header, tableRows(rows)),
      ].join("\n"),
    )
    .join("\n\n");
};

export const fig15Command: Command = {
  name: "fig15",
  summary: "Fig. 15 as data: reputation bands of the 26 pools over time, per preset",
  usage: USAGE,
  run: (args) => runWithUsage(USAGE, () => body(args)),
};
