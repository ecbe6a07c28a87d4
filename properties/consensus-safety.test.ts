/**
 * Safety of the pinning protocol on adversarial schedules (spec/consensus.md [BFT-16], with [BFT-5],
 * [BFT-7], [BFT-9], [BFT-14]): n = 4..10 members, up to f Byzantine holding < 1/3 of the reputation,
 * messages lost, duplicated, delayed and reordered before GST. Each check has negative controls that
 * break the assumption or one rule and must find, and shrink, a counterexample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../src/consensus/index.js";
import { type Counterexample, failsOn, holds } from "./check.js";
import {
  agreementViolations,
  BROKEN_QUORUMS,
  certificateViolations,
  evidenceViolations,
  forgetfulReproposals,
  lockViolations,
  orderViolations,
  type Report,
  type Scenario,
  type ScenarioOptions,
  type SimulationOptions,
  scenarioArb,
  scenarioSize,
  simulate,
  testApp,
  validityViolations,
} from "./consensus-harness.js";

type Check = (report: Report) => string[];

const safetyChecks: readonly Check[] = [
  agreementViolations,
  lockViolations,
  orderViolations,
  validityViolations,
  certificateViolations,
  evidenceViolations,
];

/** A property over scenarios: simulate, then every check must find nothing (the first finding fails). */
const clean =
  (checks: readonly Check[], options: SimulationOptions = {}) =>
  (scenario: Scenario) => {
    const report = simulate(scenario, options);
    if (report.thrown !== undefined) throw new Error(`step threw: ${report.thrown}`);
    const found = checks.flatMap((check) => check(report));
    if (found.length > 0) throw new Error(found.slice(0, 3).join("\n"));
    return true;
  };

/** A negative control over the harness: must fail; prints the replay line and the shrunk scenario. */
const control = (
  name: string,
  arb: ScenarioOptions,
  checks: readonly Check[],
  options: SimulationOptions = {},
  numRuns = 150,
): Counterexample<[Scenario]> => {
  const fast = { ...options, stopOnDisagreement: true, afterGstMs: 2000 };
  const found = failsOn(name, fc.property(scenarioArb(arb), clean(checks, fast)), numRuns);
  const [scenario] = found.value;
  const report = simulate(scenario, { ...options, afterGstMs: 2000 });
  const violation = checks.flatMap((check) => check(report))[0] ?? "";
  console.info(`${name}: ${scenarioSize(scenario)} after ${found.shrinks} shrinks\n  ${violation}\n  ${found.replay}`);
  return found;
};

/** Byzantine twins leading view 0, the network synchronous from the start: aims at equivocation. */
const twinsAttack: ScenarioOptions = {
  strategies: ["twins"],
  forceByzantine: 0,
  maxGstMs: 0,
  maxRequests: 2,
  maxNoise: 0,
};

describe("consensus safety", () => {
  it("[BFT-16] [BFT-9] [BFT-7] [BFT-5] [BFT-14] agreement, the lock, in-order delivery, validity, certificates and evidence hold under any schedule", () => {
    holds("consensus safety", fc.property(scenarioArb({ maxMembers: 10 }), clean(safetyChecks)), { numRuns: 200 });
  });

  it("[BFT-16] the same holds while the first decider is cut off and commits are lost before GST", () => {
    const arb = scenarioArb({
      maxMembers: 7,
      isolateDecider: true,
      minCommitDropPercent: 50,
      minGstMs: 300,
      maxGstMs: 1200,
    });
    holds("consensus safety isolated decider", fc.property(arb, clean(safetyChecks)), { numRuns: 80 });
  });

  it("[BFT-2] [BFT-16] with exactly one third of the reputation Byzantine, the strict quorum still keeps agreement", () => {
    const arb = scenarioArb({ ...twinsAttack, model: "exact-third", minMembers: 5, maxMembers: 5 });
    holds("consensus safety exact third", fc.property(arb, clean([agreementViolations, lockViolations])), {
      numRuns: 40,
    });
  });

  it("[BFT-16] negative control: f+1 Byzantine members break agreement", () => {
    const found = control("f+1 byzantine", { ...twinsAttack, model: "f+1", maxMembers: 7 }, [agreementViolations]);
    expect(found.value[0].byzantine.length).toBe(Math.floor((found.value[0].n - 1) / 3) + 1);
  });

  it("[BFT-16] negative control: Byzantine members holding over a third of the reputation (at most f of them) break agreement", () => {
    const found = control("byzantine third", { ...twinsAttack, model: "over-third", minMembers: 5, maxMembers: 6 }, [
      agreementViolations,
    ]);
    expect(found.value[0].byzantine.length).toBeLessThanOrEqual(Math.floor((found.value[0].n - 1) / 3));
  });

  it("[BFT-2] negative control: a quorum of 2f members breaks agreement", () => {
    const rules = { ...DEFAULT_RULES, quorum: BROKEN_QUORUMS.twoF };
    const found = control("2f quorum", { ...twinsAttack, maxMembers: 7, minByzantine: 1 }, [agreementViolations], {
      rules,
    });
    expect(found.value[0].n).toBeLessThanOrEqual(7);
  });

  it("[BFT-2] negative control: at least (instead of more than) 2/3 of the reputation breaks agreement", () => {
    const rules = { ...DEFAULT_RULES, quorum: BROKEN_QUORUMS.atLeastTwoThirds };
    const arb = { ...twinsAttack, model: "exact-third" as const, minMembers: 5, maxMembers: 5 };
    const found = control(">= 2/3 quorum", arb, [agreementViolations], { rules });
    expect(found.value[0].n).toBe(5);
  });

  it("[BFT-5] negative control: certificates of a 2f quorum do not verify", () => {
    const rules = { ...DEFAULT_RULES, quorum: BROKEN_QUORUMS.twoF };
    const found = control("2f certificates", { maxGstMs: 0, maxMembers: 7, maxRequests: 1 }, [certificateViolations], {
      rules,
    });
    expect(found.value[0].requests.length).toBe(1);
  });

  it("[BFT-12] [BFT-16] negative control: a view change that forgets prepared values breaks the lock or agreement", () => {
    const rules = { ...DEFAULT_RULES, reproposals: forgetfulReproposals };
    const arb: ScenarioOptions = {
      strategies: ["rogue"],
      minByzantine: 1,
      forceByzantine: 1,
      minMembers: 4,
      maxMembers: 4,
      isolateDecider: true,
      minGstMs: 600,
      maxGstMs: 1000,
      maxDropPercent: 10,
      maxTape: 120,
      maxNoise: 0,
    };
    const found = control("forgetful view change", arb, [agreementViolations, lockViolations], { rules }, 200);
    expect(found.value[0].n).toBe(4);
  });

  it("[BFT-7] negative control: members that accept any value decide invalid ones", () => {
    const honestApp = { ...testApp(), isValidValue: () => true };
    const arb: ScenarioOptions = {
      strategies: ["rogue"],
      forceByzantine: 0,
      minByzantine: 1,
      maxGstMs: 0,
      maxRequests: 1,
    };
    const found = control("permissive validity", arb, [validityViolations], { honestApp });
    expect(found.value[0].byzantine).toEqual([0]);
  });

  it("[BFT-9] negative control: the order check catches a member delivering out of order", () => {
    const swapped = (report: Report): Report => ({
      ...report,
      deliveries: new Map(
        [...report.deliveries].map(([m, list]) => {
          const [first, second, ...rest] = list;
          return [m, first !== undefined && second !== undefined ? [second, first, ...rest] : list];
        }),
      ),
    });
    const found = failsOn(
      "out of order",
      fc.property(
        scenarioArb({ maxGstMs: 0, maxMembers: 4, minByzantine: 0 }),
        (s) => orderViolations(swapped(simulate(s))).length === 0,
      ),
    );
    expect(found.value[0].requests.length).toBeGreaterThanOrEqual(1);
  });

  it("[BFT-14] negative control: a member that restarts without memory (a clone) is caught equivocating", () => {
    const asIfHonest = (report: Report): string[] =>
      evidenceViolations({ ...report, scenario: { ...report.scenario, byzantine: [] } });
    const found = control(
      "amnesic restart",
      { strategies: ["clone"], forceByzantine: 0, maxGstMs: 0, maxRequests: 1 },
      [asIfHonest],
    );
    expect(found.value[0].strategies).toContain("clone");
  });
});
