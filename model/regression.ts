/**
 * Regression vectors of the model (spec/model.md, [MOD-14]): a failing schedule saved whole, so that it
 * replays without fast-check and without the arbitrary that found it. A vector names the property that
 * failed, how fast-check found it (seed, path, replayPath), the system it ran against (the real rules, or
 * a deliberately broken variant under a named fault assumption), the monitor that fired, the configuration
 * and the schedule, and what the replay must show:
 * - `"violation"`: the monitor fires again. Negative controls keep this for good (the monitor must go on
 *   catching the bug). A failure of the real system is saved with it too, and replays as that failure
 *   until the bug is fixed; then the check fails and says so, and the maintainer flips it to
 * - `"clean"`: no monitor fires (a fixed bug stays fixed).
 * @module
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunConfig } from "./config.js";
import type { MonitorName, Violation } from "./monitors/index.js";
import { runModel, type Schedule } from "./run.js";

export const REGRESSION_FORMAT = "spchain-model-regression/1";

export interface RegressionVector {
  readonly format: typeof REGRESSION_FORMAT;
  readonly name: string;
  readonly found: { readonly seed: number; readonly path: string; readonly replayPath: string | null };
  /** "real", or what was broken on purpose (a variant, or the fault assumption). */
  readonly system: string;
  readonly monitor: MonitorName;
  readonly description: string;
  readonly expect: "violation" | "clean";
  readonly config: RunConfig;
  readonly schedule: Schedule;
}

/** A stable file name: the property's slug and a digest of what identifies the failing run. */
export const vectorFileName = (name: string, identity: unknown): string => {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  const digest = createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 12);
  return `${slug}-${digest}.json`;
};

/** Writes a vector under `dir` as `fileName`, in the vectors' stable JSON; returns its path. */
export const writeVector = (v: object, dir: string, fileName: string): string => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, fileName);
  writeFileSync(path, `${JSON.stringify(v, null, 2)}\n`);
  return path;
};

export interface ReplayOutcome {
  readonly violations: readonly Violation[];
  /** Does the outcome match the vector's expectation? */
  readonly matches: boolean;
  readonly detail: string;
}

/**
 * [MOD-14] Replays a vector's run and compares the outcome with its expectation: "violation" replays with
 * the vector's monitor alone (as a negative control watched it; monitors never change a run) and needs the
 * same first violation, description and all; "clean" replays with every monitor and needs none.
 */
export const replayRegression = (v: RegressionVector, records: readonly string[]): ReplayOutcome => {
  const report = runModel({
    config: v.config,
    schedule: v.schedule,
    records,
    stopOnViolation: v.expect === "violation",
    ...(v.expect === "violation" ? { monitors: [v.monitor] } : {}),
  });
  const fired = report.violations.filter((x) => x.monitor === v.monitor);
  if (v.expect === "violation") {
    const first = fired[0]?.description;
    if (first === v.description) return { violations: report.violations, matches: true, detail: first };
    return {
      violations: report.violations,
      matches: false,
      detail:
        first === undefined
          ? `monitor ${v.monitor} no longer fires: if this was a real failure and it is fixed, set "expect": "clean"`
          : `monitor ${v.monitor} fires with another violation: ${first}`,
    };
  }
  return report.violations.length === 0
    ? { violations: report.violations, matches: true, detail: "clean" }
    : {
        violations: report.violations,
        matches: false,
        detail: `regressed: ${report.violations[0]?.monitor}: ${report.violations[0]?.description}`,
      };
};

/** [MOD-14] Writes a vector under `dir` (vectors/regressions/), named by its configuration and schedule. */
export const saveRegression = (v: RegressionVector, dir: string): string =>
  writeVector(v, dir, vectorFileName(v.name, [v.config, v.schedule]));

/** Where regression vectors live. */
export const REGRESSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "vectors", "regressions");
