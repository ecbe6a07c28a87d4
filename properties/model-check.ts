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
import { type RunReport, runModel } from "../model/run.js";
import { type Counterexample, failsOn, replayLine, runScale } from "./check.js";
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

const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? undefined : Number.parseInt(raw, 10);
};

/**
 * [MOD-8] [MOD-9] No monitor fires on any case of `arb`. A failure throws with its REPLAY line first, the
 * violation and the case, and is saved as a regression vector (expect "violation", system "real").
 */
export const holdsModel = (name: string, arb: fc.Arbitrary<ModelCase>, numRuns: number): void => {
  const seed = envInt("FC_SEED");
  const path = process.env.FC_PATH;
  const params: fc.Parameters<[ModelCase]> = {
    numRuns: numRuns * runScale(),
    ...(seed === undefined ? {} : { seed, ...(path ? { path } : {}) }),
  };
  const details = fc.check(
    fc.property(arb, (c) => firstViolation(c) === undefined),
    params,
  );
  if (!details.failed || details.counterexample === null) return;
  const [c] = details.counterexample;
  const v = firstViolation(c);
  const line = replayLine(name, details as fc.RunDetails<unknown>);
  let saved = "";
  if (v !== undefined) {
    const found = { seed: details.seed, path: details.counterexamplePath ?? "" };
    saved = saveRegression(vectorOf(name, c, v, "real", found), REGRESSIONS_DIR);
  }
  throw new Error(
    `${line}\n${v?.monitor}: ${v?.description} (step ${v?.step}, ${v?.time_ms} ms, nodes ${v?.nodes.join(",")})\n${describeCase(c)}\nsaved ${saved}`,
  );
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
  if (process.env.MODEL_SAVE_REGRESSIONS === "1") {
    const [, seed, path] = /FC_SEED=(-?\d+) FC_PATH=(\S+)/.exec(counterexample.replay) ?? [];
    saveRegression(
      vectorOf(name, c, violation, system, { seed: Number(seed ?? 0), path: path ?? "" }),
      REGRESSIONS_DIR,
    );
  }
  return { counterexample, violation, size: describeCase(c) };
};
