/**
 * Running model properties (spec/model.md, [MOD-9] replay lines, [MOD-14] regression vectors), on top of
 * properties/check.ts: a positive property fails with the one-line REPLAY (seed, path) and saves the
 * shrunk schedule as a regression vector in vectors/regressions/; a negative control (a broken rule or a
 * broken fault assumption) must find and shrink a counterexample, and with MODEL_SAVE_REGRESSIONS=1 it is
 * saved too (that is how the committed control vectors were made).
 */
import fc from "fast-check";
import { nurseryRecords } from "../model/data.js";
import type { MonitorName, Violation } from "../model/monitors/index.js";
import { REGRESSION_FORMAT, REGRESSIONS_DIR, type RegressionVector, saveRegression } from "../model/regression.js";
import { Run, type RunReport, runModel } from "../model/run.js";
import { type Counterexample, envInt, failsOn, replayLine, runScale } from "./check.js";
import { describeCase, type ModelCase } from "./model-arbitraries.js";

/** Runs a case; with `only`, just those monitors watch and the run stops at the first violation. */
export const runCase = (c: ModelCase, only?: readonly MonitorName[]): RunReport =>
  runModel({
    config: c.config,
    schedule: { tape: c.tape },
    records: nurseryRecords(),
    stopOnViolation: true,
    ...(only === undefined ? {} : { monitors: only }),
  });

const firstViolation = (c: ModelCase, only?: readonly MonitorName[]): Violation | undefined =>
  runCase(c, only).violations[0];

/** A run judged against the fault assumption: its report, and the first epoch that broke the assumption. */
export interface JudgedRun {
  readonly report: RunReport;
  /** Why the run left the fault assumption (MOD-15), or undefined if every epoch's group kept it. */
  readonly outside: string | undefined;
}

/**
 * [MOD-15] Runs a case and checks the fault assumption in every epoch an honest node enters: at most f of
 * the group's members are Byzantine and together they hold strictly less than 1/3 of its reputation.
 * (Reputation moves with mining, so a case that starts within the assumption can leave it; such a run
 * promises nothing and the positive properties discard it.)
 */
export const runJudged = (c: ModelCase): JudgedRun => {
  const run = new Run({
    config: c.config,
    schedule: { tape: c.tape },
    records: nurseryRecords(),
    stopOnViolation: true,
  });
  const watcher = [...run.honest][0];
  let seenEpoch = -1;
  let outside: string | undefined;
  const judge = (): void => {
    const node = watcher === undefined ? undefined : run.institutions[watcher];
    if (node === undefined || node.epoch === seenEpoch || outside !== undefined) return;
    seenEpoch = node.epoch;
    const { snapshot, memberNodes, group } = node.group;
    let byzantine = 0;
    let byzantineReputation = 0n;
    let total = 0n;
    snapshot.members.forEach((m, i) => {
      total += m.reputation;
      if (run.honest.has(memberNodes[i] ?? -1)) return;
      byzantine += 1;
      byzantineReputation += m.reputation;
    });
    if (byzantine > group.faults) outside = `epoch ${node.epoch}: ${byzantine} Byzantine members > f = ${group.faults}`;
    else if (byzantine > 0 && 3n * byzantineReputation >= total)
      outside = `epoch ${node.epoch}: Byzantine members hold ${byzantineReputation}/${total} of the reputation`;
  };
  judge();
  while (run.step()) judge();
  return { report: run.finish(), outside };
};

/** [MOD-15] The positive property's predicate: no violation, or the run left the fault assumption. */
export const modelHolds = (c: ModelCase): boolean => {
  const judged = runJudged(c);
  return judged.report.violations.length === 0 || judged.outside !== undefined;
};

const vectorOf = (
  name: string,
  c: ModelCase,
  v: Violation,
  system: string,
  found: { seed: number; path: string },
): RegressionVector => ({
  format: REGRESSION_FORMAT,
  name,
  found: { ...found, replayPath: null },
  system,
  monitor: v.monitor,
  description: v.description,
  expect: "violation",
  config: c.config,
  schedule: { tape: [...c.tape] },
});

/**
 * [MOD-8] [MOD-9] No monitor fires on any case of `arb`. A failure throws with its REPLAY line first, the
 * violation and the case, and is saved as a regression vector (expect "violation", system "real").
 */
export const holdsModel = (
  name: string,
  arb: fc.Arbitrary<ModelCase>,
  numRuns: number,
  dir: string = REGRESSIONS_DIR,
): void => {
  const seed = envInt("FC_SEED");
  const path = process.env.FC_PATH;
  const params: fc.Parameters<[ModelCase]> = {
    numRuns: numRuns * runScale(),
    ...(seed === undefined ? {} : { seed, ...(path ? { path } : {}) }),
  };
  const details = fc.check(fc.property(arb, modelHolds), params);
  const failure = reportFailure(name, details, replayLine(name, details as fc.RunDetails<unknown>), dir);
  if (failure !== undefined) throw new Error(failure);
};

/**
 * [MOD-9] [MOD-14] The report of a failed positive property: the replay line first, the violation, the
 * case, and the path of the regression vector it was saved as; undefined if the property held.
 */
export const reportFailure = (
  name: string,
  details: fc.RunDetails<[ModelCase]>,
  line: string,
  dir: string = REGRESSIONS_DIR,
): string | undefined => {
  if (!details.failed) return undefined;
  if (details.counterexample === null) return `${line}\n${fc.defaultReportMessage(details)}`;
  const [c] = details.counterexample;
  const v = runJudged(c).report.violations[0];
  let saved = "(no violation on replay: the property threw)";
  if (v !== undefined) {
    const found = { seed: details.seed, path: details.counterexamplePath ?? "" };
    const system = c.config.variant === "real" ? "real" : `variant: ${c.config.variant}`;
    saved = saveRegression(vectorOf(name, c, v, system, found), dir);
  }
  return `${line}\n${v?.monitor}: ${v?.description} (step ${v?.step}, ${v?.time_ms} ms, nodes ${v?.nodes.join(",")})\n${describeCase(c)}\nregression vector: ${saved}`;
};

export interface ControlResult {
  readonly counterexample: Counterexample<[ModelCase]>;
  readonly violation: Violation;
  readonly size: string;
}

/**
 * [MOD-10] A negative control: on `arb` (a broken rule or assumption) `monitor` must fire; returns the
 * shrunk counterexample. MODEL_SAVE_REGRESSIONS=1 saves it as a regression vector of `system`.
 */
export const failsOnModel = (
  name: string,
  arb: fc.Arbitrary<ModelCase>,
  monitor: MonitorName,
  system: string,
  numRuns = 30,
): ControlResult => {
  const counterexample = failsOn(
    name,
    fc.property(arb, (c) => firstViolation(c, [monitor]) === undefined),
    numRuns,
  );
  const [c] = counterexample.value;
  const violation = firstViolation(c, [monitor]);
  if (violation === undefined) throw new Error(`${name}: the shrunk counterexample does not replay`);
  if (process.env.MODEL_SAVE_REGRESSIONS === "1")
    saveRegression(vectorOf(name, c, violation, system, counterexample.found), REGRESSIONS_DIR);
  return { counterexample, violation, size: describeCase(c) };
};
