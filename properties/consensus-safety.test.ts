/**
 * Safety of the pinning protocol on adversarial schedules (spec/consensus.md [BFT-16], with [BFT-5],
 * [BFT-7], [BFT-9], [BFT-14]): n = 4..10 members, up to f Byzantine holding < 1/3 of the reputation,
 * messages lost, duplicated, delayed and reordered before GST. Each check has negative controls that
 * break the assumption or one rule and must find, and shrink, a counterexample.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ConsensusCheck, ConsensusSystem, Judgement } from "../model/consensus-regression.js";
import { evidenceViolations, orderViolations, type Report, scenarioSize, simulate } from "../model/consensus-sim.js";
import { failsOn } from "./check.js";
import { type ScenarioOptions, scenarioArb } from "./consensus-arbitraries.js";
import { failsOnConsensus, holdsConsensus } from "./consensus-check.js";

const SAFETY_CHECKS: readonly ConsensusCheck[] = ["agreement", "lock", "order", "validity", "certificates", "evidence"];

/** Safety is judged over the whole run, to the liveness horizon. */
const safety = (checks: readonly ConsensusCheck[] = SAFETY_CHECKS): Judgement => ({
  system: "real",
  checks,
  after_gst_ms: null,
});

/**
 * A negative control against `system`: its checks judge runs that end 2 s after GST, and the search stops
 * a run at its first disagreement; prints the replay line and the shrunk scenario.
 */
const control = (
  name: string,
  arb: ScenarioOptions,
  checks: readonly ConsensusCheck[],
  system: ConsensusSystem = "real",
  numRuns = 150,
) =>
  failsOnConsensus(
    name,
    scenarioArb(arb),
    { system, checks, after_gst_ms: 2000 },
    {
      numRuns,
      search: { stopOnDisagreement: true },
    },
  );

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
    holdsConsensus("consensus safety", scenarioArb({ maxMembers: 10 }), safety(), 200);
  });

  it("[BFT-16] the same holds while the first decider is cut off and commits are lost before GST", () => {
    const arb = scenarioArb({
      maxMembers: 7,
      isolateDecider: true,
      minCommitDropPercent: 50,
      minGstMs: 300,
      maxGstMs: 1200,
    });
    holdsConsensus("consensus safety isolated decider", arb, safety(), 80);
  });

  it("[BFT-2] [BFT-16] with exactly one third of the reputation Byzantine, the strict quorum still keeps agreement", () => {
    const arb = scenarioArb({ ...twinsAttack, model: "exact-third", minMembers: 5, maxMembers: 5 });
    holdsConsensus("consensus safety exact third", arb, safety(["agreement", "lock"]), 40);
  });

  it("[BFT-16] negative control: f+1 Byzantine members break agreement", () => {
    const { scenario } = control("f+1 byzantine", { ...twinsAttack, model: "f+1", maxMembers: 7 }, ["agreement"]);
    expect(scenario.byzantine.length).toBe(Math.floor((scenario.n - 1) / 3) + 1);
  });

  it("[BFT-16] negative control: Byzantine members holding over a third of the reputation (at most f of them) break agreement", () => {
    const arb: ScenarioOptions = { ...twinsAttack, model: "over-third", minMembers: 5, maxMembers: 6 };
    const { scenario } = control("byzantine third", arb, ["agreement"]);
    expect(scenario.byzantine.length).toBeLessThanOrEqual(Math.floor((scenario.n - 1) / 3));
  });

  it("[BFT-2] negative control: a quorum of 2f members breaks agreement", () => {
    const arb: ScenarioOptions = { ...twinsAttack, maxMembers: 7, minByzantine: 1 };
    const { scenario } = control("2f quorum", arb, ["agreement"], "quorum-2f");
    expect(scenario.n).toBeLessThanOrEqual(7);
  });

  it("[BFT-2] negative control: at least (instead of more than) 2/3 of the reputation breaks agreement", () => {
    const arb: ScenarioOptions = { ...twinsAttack, model: "exact-third", minMembers: 5, maxMembers: 5 };
    const { scenario } = control(">= 2/3 quorum", arb, ["agreement"], "quorum-at-least-two-thirds");
    expect(scenario.n).toBe(5);
  });

  it("[BFT-5] negative control: certificates of a 2f quorum do not verify", () => {
    const arb: ScenarioOptions = { maxGstMs: 0, maxMembers: 7, maxRequests: 1 };
    const { scenario } = control("2f certificates", arb, ["certificates"], "quorum-2f");
    expect(scenario.requests.length).toBe(1);
  });

  it("[BFT-12] [BFT-16] negative control: a view change that forgets prepared values breaks the lock or agreement", () => {
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
    const { scenario } = control("forgetful view change", arb, ["agreement", "lock"], "forgetful-view-change", 200);
    expect(scenario.n).toBe(4);
  });

  it("[BFT-7] negative control: members that accept any value decide invalid ones", () => {
    const arb: ScenarioOptions = {
      strategies: ["rogue"],
      forceByzantine: 0,
      minByzantine: 1,
      maxGstMs: 0,
      maxRequests: 1,
    };
    const { scenario } = control("permissive validity", arb, ["validity"], "permissive-validity");
    expect(scenario.byzantine).toEqual([0]);
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
    const arb = scenarioArb({ strategies: ["clone"], forceByzantine: 0, maxGstMs: 0, maxRequests: 1 });
    const found = failsOn(
      "amnesic restart",
      fc.property(arb, (s) => asIfHonest(simulate(s, { afterGstMs: 2000 })).length === 0),
      150,
    );
    console.info(`amnesic restart: ${scenarioSize(found.value[0])}\n  ${found.replay}`);
    expect(found.value[0].strategies).toContain("clone");
  });
});
