/**
 * Liveness after GST and anti-censorship (spec/consensus.md [BFT-17], [BFT-18]): every request held
 * by an honest member is delivered by every honest member within the stated bound after
 * max(GST, submission), whatever the Byzantine members (at most f, < 1/3 of the reputation) do,
 * including a leader that censors it. Negative controls break the assumption or the request timers.
 */
import { describe, expect, it } from "vitest";
import { type ConsensusSystem, type Judgement, judgementOptions } from "../model/consensus-regression.js";
import { CENSORED_ID, honestMembers, livenessViolations, simulate } from "../model/consensus-sim.js";
import { type ScenarioOptions, scenarioArb } from "./consensus-arbitraries.js";
import { failsOnConsensus, holdsConsensus } from "./consensus-check.js";

/** Liveness is judged at the liveness horizon, after every obligation's bound. */
const liveness = (system: ConsensusSystem = "real"): Judgement => ({
  system,
  checks: ["liveness"],
  after_gst_ms: null,
});

const control = (name: string, arb: ScenarioOptions, system: ConsensusSystem = "real") =>
  failsOnConsensus(name, scenarioArb(arb), liveness(system), { numRuns: 100 });

/**
 * A censoring member leads view 0 and pins every request but the first; the network is synchronous
 * early, so only the request timers can unseat it.
 */
const censorship: ScenarioOptions = {
  strategies: ["censor"],
  forceByzantine: 0,
  minByzantine: 1,
  minRequests: 2,
  maxGstMs: 50,
  maxNoise: 0,
};

describe("consensus liveness", () => {
  it("[BFT-17] after GST every request held by an honest member is delivered by every honest member within the bound", () => {
    holdsConsensus("consensus liveness", scenarioArb({ maxMembers: 10 }), liveness(), 120);
  });

  it("[BFT-18] a leader that censors a request cannot keep it out past the bound", () => {
    holdsConsensus("consensus anti-censorship", scenarioArb({ ...censorship, maxMembers: 7 }), liveness(), 40);
  });

  it("[BFT-17] negative control: f+1 silent members stall the group", () => {
    const { scenario } = control("f+1 silent", {
      model: "f+1",
      strategies: ["silent"],
      maxMembers: 7,
      maxGstMs: 100,
      maxNoise: 0,
    });
    expect(scenario.byzantine.length).toBe(Math.floor((scenario.n - 1) / 3) + 1);
  });

  it("[BFT-17] negative control: silent members holding over a third of the reputation (at most f) stall the group", () => {
    const { scenario } = control("silent third", {
      model: "over-third",
      strategies: ["silent"],
      maxMembers: 7,
      maxGstMs: 100,
      maxNoise: 0,
    });
    expect(scenario.byzantine.length).toBeLessThanOrEqual(Math.floor((scenario.n - 1) / 3));
  });

  it("[BFT-18] negative control: without request timers a censoring leader keeps a request out", () => {
    const arb: ScenarioOptions = { ...censorship, maxMembers: 4, maxGstMs: 0 };
    const { scenario } = control("censorship without request timers", arb, "no-request-timers");
    const report = simulate(scenario, judgementOptions(liveness("no-request-timers")));
    expect(livenessViolations(report).every((v) => v.includes(`request ${CENSORED_ID} `))).toBe(true);
    // the censor pinned the other requests: every honest member delivered something, never request 1
    expect(honestMembers(scenario).every((m) => (report.deliveries.get(m)?.length ?? 0) > 0)).toBe(true);
  });
});
