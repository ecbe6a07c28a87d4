/**
 * Benchmark suite "schedules" (spec/model.md, [MOD-15], [MOD-16]): how many schedules per second the
 * model's positive property reaches, for groups of 4 and of 7 members: the schedules are the property's
 * own (fixed seed), each run with every monitor and judged against the fault assumption, one after the
 * other in this process, after two warm-up schedules that build the shared kit (MOD-12); then the
 * campaign itself (sizes 4..7) in 1 and in 2 worker threads (`--jobs`), its rate taken between each
 * job's first finished schedule and the last one (so thread start-up and the kit are left out). The
 * campaign's rate is what sets how long `npm run campaign` takes.
 * @module
 */
import fc from "fast-check";
import { runCampaignJobs } from "../cli/commands/campaign.js";
import { modelCaseArb } from "../properties/model-arbitraries.js";
import { runJudged } from "../properties/model-check.js";
import type { BenchSuite } from "./harness.js";

/** Schedules timed per group size, and the seed they are drawn from. */
const SCHEDULES = { 4: 24, 7: 12 } as const;
const WARMUP = 2;
const SEED = 20_261_126;

interface Row {
  readonly members: number;
  readonly schedules: number;
  readonly seconds: number;
  readonly schedules_per_s: number;
  readonly steps_per_s: number;
  readonly mean_steps: number;
  readonly violations: number;
  readonly outside: number;
}

const measureSize = (members: 4 | 7): Row => {
  const count = SCHEDULES[members];
  const cases = fc.sample(modelCaseArb({ sizes: [members] }), { numRuns: count + WARMUP, seed: SEED });
  for (const c of cases.slice(0, WARMUP)) runJudged(c);
  let steps = 0;
  let violations = 0;
  let outside = 0;
  const start = performance.now();
  for (const c of cases.slice(WARMUP)) {
    const judged = runJudged(c);
    steps += judged.report.steps;
    if (judged.outside !== undefined) outside += 1;
    else if (judged.report.violations.length > 0) violations += 1;
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    members,
    schedules: count,
    seconds,
    schedules_per_s: count / seconds,
    steps_per_s: steps / seconds,
    mean_steps: steps / count,
    violations,
    outside,
  };
};

/** Schedules of the campaign timed per job count (the first of each job is its warm-up). */
const CAMPAIGN_SCHEDULES = 40;

interface CampaignRow {
  readonly jobs: number;
  readonly schedules: number;
  readonly seconds: number;
  readonly schedules_per_s: number;
}

const measureCampaign = async (jobs: number): Promise<CampaignRow> => {
  let warm: { at_ms: number; done: number } | undefined;
  let last = { at_ms: 0, done: 0 };
  const result = await runCampaignJobs(
    {
      schedules: CAMPAIGN_SCHEDULES,
      seed: SEED,
      minMembers: 4,
      maxMembers: 7,
      onSchedule: (stats) => {
        const now = performance.now();
        if (warm === undefined && stats.schedules >= jobs) warm = { at_ms: now, done: stats.schedules };
        last = { at_ms: now, done: stats.schedules };
      },
    },
    jobs,
  );
  if (result.failure !== undefined) throw new Error(`schedules bench: the campaign failed\n${result.failure}`);
  const schedules = last.done - (warm?.done ?? 0);
  const seconds = (last.at_ms - (warm?.at_ms ?? 0)) / 1000;
  return { jobs, schedules, seconds, schedules_per_s: schedules / seconds };
};

export const schedulesSuite: BenchSuite = {
  name: "schedules",
  run: async () => {
    const rows = [measureSize(4), measureSize(7)];
    const campaign = [await measureCampaign(1), await measureCampaign(2)];
    const markdown = [
      "### Model property schedules per second (one core, every monitor on)",
      "",
      "| members | schedules | seconds | schedules/s | steps/s | mean steps | violations | outside the assumption |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.members} | ${r.schedules} | ${r.seconds.toFixed(1)} | ${r.schedules_per_s.toFixed(2)} | ${r.steps_per_s.toFixed(0)} | ${r.mean_steps.toFixed(0)} | ${r.violations} | ${r.outside} |`,
      ),
      "",
      `### The campaign (sizes 4..7, ${CAMPAIGN_SCHEDULES} schedules, after each job's first)`,
      "",
      "| jobs | schedules timed | seconds | schedules/s |",
      "|---:|---:|---:|---:|",
      ...campaign.map(
        (r) => `| ${r.jobs} | ${r.schedules} | ${r.seconds.toFixed(1)} | ${r.schedules_per_s.toFixed(2)} |`,
      ),
      "",
    ].join("\n");
    return { markdown, json: { seed: SEED, rows, campaign } };
  },
};
