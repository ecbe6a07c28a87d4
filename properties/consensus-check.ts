/**
 * Running the pinning protocol's scenario properties (spec/consensus.md [BFT-16], [BFT-17], [BFT-20]), on top
 * of properties/check.ts: a positive property fails with the one-line REPLAY (seed, path) and saves the
 * failing scenario as a regression vector in vectors/regressions/consensus/; a negative control (a broken
 * rule or a broken fault assumption) must find and shrink a counterexample, and with
 * MODEL_SAVE_REGRESSIONS=1 it is saved too (that is how the committed control vectors were made).
 */
import fc from "fast-check";
import {
  CONSENSUS_REGRESSION_FORMAT,
  CONSENSUS_REGRESSIONS_DIR,
  type ConsensusRegression,
  findings,
  type Judgement,
  saveConsensusRegression,
} from "../model/consensus-regression.js";
import { type Scenario, type SimulationOptions, scenarioSize } from "../model/consensus-sim.js";
import { type Counterexample, failsOn, replayLine, replayParameters } from "./check.js";

const vectorOf = (
  name: string,
  scenario: Scenario,
  j: Judgement,
  finding: string,
  found: { readonly seed: number; readonly path: string },
): ConsensusRegression => ({
  format: CONSENSUS_REGRESSION_FORMAT,
  name,
  found: { ...found, replayPath: null },
  system: j.system,
  checks: j.checks,
  after_gst_ms: j.after_gst_ms,
  finding,
  expect: "violation",
  scenario,
});

/** The first finding of a counterexample, which must replay. */
const firstFinding = (name: string, scenario: Scenario, j: Judgement): string => {
  const [first] = findings(scenario, j);
  if (first === undefined) throw new Error(`${name}: the counterexample does not replay (${scenarioSize(scenario)})`);
  return first;
};

/**
 * [BFT-20] No check of `j` finds anything on any scenario of `arb`. A failure throws with its REPLAY line
 * first, the finding and the scenario, and is saved as a regression vector (expect "violation").
 */
export const holdsConsensus = (
  name: string,
  arb: fc.Arbitrary<Scenario>,
  j: Judgement,
  numRuns: number,
  dir: string = CONSENSUS_REGRESSIONS_DIR,
): void => {
  const params = replayParameters(numRuns) as fc.Parameters<[Scenario]>;
  const details = fc.check(
    fc.property(arb, (s) => findings(s, j).length === 0),
    params,
  );
  if (!details.failed) return;
  const line = replayLine(name, details as fc.RunDetails<unknown>);
  if (details.counterexample === null) throw new Error(`${line}\n${fc.defaultReportMessage(details)}`);
  const [scenario] = details.counterexample;
  const finding = firstFinding(name, scenario, j);
  const found = { seed: details.seed, path: details.counterexamplePath ?? "" };
  const saved = saveConsensusRegression(vectorOf(name, scenario, j, finding, found), dir);
  throw new Error(`${line}\n${finding}\n${scenarioSize(scenario)}\nregression vector: ${saved}`);
};

export interface ConsensusControl {
  readonly counterexample: Counterexample<[Scenario]>;
  readonly scenario: Scenario;
  readonly finding: string;
}

/**
 * [BFT-20] A negative control: on `arb` (a broken assumption) against `j.system` (maybe a broken rule), the
 * checks of `j` must find something; returns the shrunk counterexample and its first finding, and prints
 * them with the replay line. `search`: options that only make the search faster (a run may end at its first
 * disagreement); the finding reported and saved comes from a full run of `j`. MODEL_SAVE_REGRESSIONS=1 saves
 * the counterexample as a regression vector.
 */
export const failsOnConsensus = (
  name: string,
  arb: fc.Arbitrary<Scenario>,
  j: Judgement,
  options: { readonly numRuns?: number; readonly search?: SimulationOptions } = {},
): ConsensusControl => {
  const counterexample = failsOn(
    name,
    fc.property(arb, (s) => findings(s, j, options.search).length === 0),
    options.numRuns,
  );
  const [scenario] = counterexample.value;
  const finding = firstFinding(name, scenario, j);
  console.info(
    `${name}: ${scenarioSize(scenario)} after ${counterexample.shrinks} shrinks\n  ${finding}\n  ${counterexample.replay}`,
  );
  if (process.env.MODEL_SAVE_REGRESSIONS === "1")
    saveConsensusRegression(vectorOf(name, scenario, j, finding, counterexample.found), CONSENSUS_REGRESSIONS_DIR);
  return { counterexample, scenario, finding };
};
