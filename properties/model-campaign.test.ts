/**
 * The long campaign (spec/model.md, [MOD-16]): it counts schedules, and on a violation it stops, prints a
 * replay line that names the campaign's own command and saves the regression vector.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign, runCampaignJobs } from "../cli/commands/campaign.js";

describe("[MOD-16] the campaign", () => {
  it("[MOD-16] [MOD-9] a campaign against a broken quorum fails with its REPLAY command and a regression vector", () => {
    const dir = mkdtempSync(join(tmpdir(), "spchain-campaign-"));
    const seen: number[] = [];
    const result = runCampaign({
      schedules: 5,
      seed: 3,
      minMembers: 4,
      maxMembers: 4,
      dir,
      cases: { variant: "quorum-2f", calm: true, horizonMs: 4_000, maxPatients: 1 },
      onSchedule: (stats) => seen.push(stats.schedules),
    });
    expect(result.stats.violations).toBe(1);
    expect(seen[0]).toBe(1);
    expect(result.failure?.split("\n")[0]).toMatch(/^REPLAY npm run campaign -- --seed 3 --path \S+ --size 4\.\.4$/);
    expect(result.failure).toMatch(/quorum: /);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("[MOD-16] a campaign of the real system within the assumption counts its schedules and finds nothing", () => {
    const result = runCampaign({
      schedules: 2,
      seed: 5,
      minMembers: 4,
      maxMembers: 4,
      cases: { calm: true, horizonMs: 6_000, maxPatients: 1 },
    });
    expect(result.failure).toBeUndefined();
    expect(result.stats.schedules).toBe(2);
    expect(result.stats.checks.agreement).toBeGreaterThan(0);
  });

  it("[MOD-16] shards of a campaign run exactly its schedules, each once", () => {
    const base = { schedules: 6, seed: 8, minMembers: 4, maxMembers: 5 };
    const cases = { calm: true, horizonMs: 5_000, maxPatients: 1 };
    const whole = runCampaign({ ...base, cases }).stats;
    const shards = [0, 1, 2].map((index) => runCampaign({ ...base, cases, shard: { index, count: 3 } }).stats);
    expect(shards.map((s) => s.schedules)).toEqual([2, 2, 2]);
    expect(shards.reduce((sum, s) => sum + s.steps, 0)).toBe(whole.steps);
    for (const [m, n] of Object.entries(whole.checks))
      expect(shards.reduce((sum, s) => sum + (s.checks[m] ?? 0), 0)).toBe(n);
    // the comparison can fail: a shard that ran another schedule set would differ in its steps
    const other = runCampaign({ ...base, seed: 9, cases, shard: { index: 0, count: 3 } }).stats;
    expect(other.steps).not.toBe(shards[0]?.steps);
  });

  it("[MOD-16] [MOD-9] a campaign in two worker threads stops at a violation with a replay line one thread reproduces", async () => {
    const dir = mkdtempSync(join(tmpdir(), "spchain-campaign-jobs-"));
    const options = {
      schedules: 6,
      seed: 3,
      minMembers: 4,
      maxMembers: 4,
      dir,
      cases: { variant: "quorum-2f" as const, calm: true, horizonMs: 4_000, maxPatients: 1 },
    };
    const result = await runCampaignJobs(options, 2);
    expect(result.stats.violations).toBe(1);
    const line = result.failure?.split("\n")[0] ?? "";
    const path = /--path (\S+)/.exec(line)?.[1];
    expect(line).toMatch(/^REPLAY npm run campaign -- --seed 3 --path \S+ --size 4\.\.4$/);
    const replayed = runCampaign({
      ...options,
      path: path ?? "(none)",
      dir: mkdtempSync(join(tmpdir(), "spchain-replay-")),
    });
    expect(replayed.stats.violations).toBe(1);
    expect(replayed.failure?.split("\n")[1]).toBe(result.failure?.split("\n")[1]);
  });
});
