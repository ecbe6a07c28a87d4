/**
 * Regression vectors of the pinning protocol's simulator (spec/consensus.md [BFT-20]; spec/model.md
 * [MOD-14] for the model's own): a failing consensus scenario saved whole, so that it replays without
 * fast-check and without the arbitrary that found it. A vector names the property, how fast-check found it
 * (seed, path, replayPath), the system (the real rules, or one broken on purpose), the checks that judge the
 * run, how long the run goes on after GST (null: to the liveness horizon), the first finding, the scenario,
 * and what the replay must show:
 * - `"violation"`: the checks report the same first finding again (negative controls keep it for good; a
 *   real failure keeps it until the bug is fixed, and then its replay fails and says so);
 * - `"clean"`: the checks find nothing (a fixed bug stays fixed).
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_RULES } from "../src/consensus/index.js";
import {
  agreementViolations,
  BROKEN_QUORUMS,
  certificateViolations,
  evidenceViolations,
  forgetfulReproposals,
  livenessViolations,
  lockViolations,
  orderViolations,
  type Report,
  type Scenario,
  type SimulationOptions,
  simulate,
  testApp,
  validityViolations,
} from "./consensus-sim.js";
import { vectorFileName, writeVector } from "./regression.js";

export const CONSENSUS_REGRESSION_FORMAT = "spchain-consensus-regression/1";

/** The checks a vector can name, each a function of the run's report. */
export const CONSENSUS_CHECKS = {
  agreement: agreementViolations,
  lock: lockViolations,
  order: orderViolations,
  validity: validityViolations,
  certificates: certificateViolations,
  evidence: evidenceViolations,
  liveness: livenessViolations,
} as const satisfies Record<string, (report: Report) => string[]>;
export type ConsensusCheck = keyof typeof CONSENSUS_CHECKS;
export const CONSENSUS_CHECK_NAMES = Object.keys(CONSENSUS_CHECKS) as readonly ConsensusCheck[];

/** The systems a vector can run against: the real rules, and each rule the negative controls break. */
export const CONSENSUS_SYSTEMS = {
  real: {},
  "quorum-2f": { rules: { ...DEFAULT_RULES, quorum: BROKEN_QUORUMS.twoF } },
  "quorum-at-least-two-thirds": { rules: { ...DEFAULT_RULES, quorum: BROKEN_QUORUMS.atLeastTwoThirds } },
  "forgetful-view-change": { rules: { ...DEFAULT_RULES, reproposals: forgetfulReproposals } },
  "permissive-validity": { honestApp: { ...testApp(), isValidValue: () => true } },
  "no-request-timers": { dropTimer: (timer) => timer.startsWith("request:") },
} as const satisfies Record<string, SimulationOptions>;
export type ConsensusSystem = keyof typeof CONSENSUS_SYSTEMS;
export const CONSENSUS_SYSTEM_NAMES = Object.keys(CONSENSUS_SYSTEMS) as readonly ConsensusSystem[];

export interface ConsensusRegression {
  readonly format: typeof CONSENSUS_REGRESSION_FORMAT;
  readonly name: string;
  readonly found: { readonly seed: number; readonly path: string; readonly replayPath: string | null };
  readonly system: ConsensusSystem;
  readonly checks: readonly ConsensusCheck[];
  /** Run until GST plus this long (safety checks), or null: to the liveness horizon. */
  readonly after_gst_ms: number | null;
  readonly finding: string;
  readonly expect: "violation" | "clean";
  readonly scenario: Scenario;
}

/** How a scenario is judged: against which system, by which checks, for how long. */
export interface Judgement {
  readonly system: ConsensusSystem;
  readonly checks: readonly ConsensusCheck[];
  readonly after_gst_ms: number | null;
}

/** The simulation options of a judgement (`extra`: options that only make a search faster). */
export const judgementOptions = (j: Judgement, extra: SimulationOptions = {}): SimulationOptions => ({
  ...CONSENSUS_SYSTEMS[j.system],
  ...(j.after_gst_ms === null ? {} : { afterGstMs: j.after_gst_ms }),
  ...extra,
});

/** Everything the judgement's checks find in a scenario's run, in check order; a throw is a finding too. */
export const findings = (scenario: Scenario, j: Judgement, extra: SimulationOptions = {}): string[] => {
  const report = simulate(scenario, judgementOptions(j, extra));
  if (report.thrown !== undefined) return [`step threw: ${report.thrown}`];
  return j.checks.flatMap((check) => CONSENSUS_CHECKS[check](report));
};

export interface ConsensusReplay {
  readonly matches: boolean;
  readonly detail: string;
}

/** [BFT-20] Replays a vector and compares the outcome with its expectation. */
export const replayConsensusRegression = (v: ConsensusRegression): ConsensusReplay => {
  const [first] = findings(v.scenario, v);
  if (v.expect === "clean")
    return first === undefined ? { matches: true, detail: "clean" } : { matches: false, detail: `regressed: ${first}` };
  if (first === v.finding) return { matches: true, detail: first };
  return {
    matches: false,
    detail:
      first === undefined
        ? `the checks no longer find anything: if this was a real failure and it is fixed, set "expect": "clean"`
        : `the checks find something else first: ${first}`,
  };
};

/** [BFT-20] Writes a vector under `dir`, named by its property and a digest of its system and scenario. */
export const saveConsensusRegression = (v: ConsensusRegression, dir: string): string =>
  writeVector(v, dir, vectorFileName(v.name, [v.system, v.scenario]));

/** Where the consensus regression vectors live: beside the model's, in their own folder. */
export const CONSENSUS_REGRESSIONS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "vectors",
  "regressions",
  "consensus",
);
