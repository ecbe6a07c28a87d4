/**
 * The project's record of its long campaigns (spec/model.md [MOD-16]): model/campaign-log.jsonl, one
 * `CampaignRecord` per line. A campaign is long as the sum of its records; this module says which records
 * count (finished, clean, of a named commit) and sums them, counting a schedule once however often its seed
 * and sizes were run again (the same seed and sizes draw the same schedules).
 * @module
 */
import type { CampaignRecord } from "./campaign.js";

const RECORD_FIELDS = "finished,commit,dirty,seed,sizes,jobs,schedules,outside,violations,steps,seconds";

/** [MOD-16] A log record of a campaign that ran to the end with no violation, on a clean checkout of a commit. */
export const isCleanRecord = (r: Record<string, unknown>): r is Record<string, unknown> & CampaignRecord => {
  const count = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) >= 0;
  return (
    Object.keys(r).join() === RECORD_FIELDS &&
    !Number.isNaN(Date.parse(String(r.finished))) &&
    /^[0-9a-f]{40}$/.test(String(r.commit)) &&
    r.dirty === false &&
    /^\d+\.\.\d+$/.test(String(r.sizes)) &&
    [r.seed, r.jobs, r.schedules, r.outside, r.steps, r.seconds].every(count) &&
    (r.schedules as number) > 0 &&
    r.violations === 0
  );
};

export interface LogSummary {
  readonly records: number;
  /** Lines that are not clean records (they count for nothing). */
  readonly refused: number;
  /** Schedules of the clean records, and of those the distinct ones (a seed and sizes counted once, at their longest run). */
  readonly schedules: number;
  readonly distinct: number;
  readonly outside: number;
  readonly steps: number;
  readonly seconds: number;
  /** Schedules per commit, in the order the commits first appear. */
  readonly byCommit: readonly (readonly [string, number])[];
}

/** [MOD-16] Sums a campaign log (the text of a .jsonl file). */
export const summarizeLog = (text: string): LogSummary => {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const parsed = lines.map((line): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  });
  const clean = parsed.filter(
    (r): r is CampaignRecord => typeof r === "object" && r !== null && isCleanRecord(r as Record<string, unknown>),
  );
  const longest = new Map<string, number>();
  const byCommit = new Map<string, number>();
  for (const r of clean) {
    const key = `${r.seed}/${r.sizes}`;
    longest.set(key, Math.max(longest.get(key) ?? 0, r.schedules));
    byCommit.set(r.commit as string, (byCommit.get(r.commit as string) ?? 0) + r.schedules);
  }
  const sum = (field: "schedules" | "outside" | "steps" | "seconds"): number =>
    clean.reduce((total, r) => total + r[field], 0);
  return {
    records: clean.length,
    refused: lines.length - clean.length,
    schedules: sum("schedules"),
    distinct: [...longest.values()].reduce((a, b) => a + b, 0),
    outside: sum("outside"),
    steps: sum("steps"),
    seconds: sum("seconds"),
    byCommit: [...byCommit],
  };
};

/** The summary as printed by `campaign --summary FILE`. */
export const summaryLines = (s: LogSummary): string[] => [
  `records        ${s.records} clean, finished campaigns (${s.refused} other lines refused)`,
  `schedules      ${s.schedules}, of which ${s.distinct} distinct (a seed and sizes counted once), 0 violations`,
  `outside        ${s.outside} left the fault assumption and were not judged`,
  `steps          ${s.steps}`,
  `time           ${(s.seconds / 3600).toFixed(1)} h of campaign time (${(s.schedules / Math.max(s.seconds, 1)).toFixed(2)} schedules/s)`,
  ...s.byCommit.map(([commit, n]) => `  ${commit.slice(0, 7)}  ${n} schedules`),
];
