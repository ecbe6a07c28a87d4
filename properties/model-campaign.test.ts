/**
 * The long campaign (spec/model.md, [MOD-16]): it counts schedules, and on a violation it stops, prints a
 * replay line that names the campaign's own command and saves the regression vector.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign } from "../cli/commands/campaign.js";

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
});
