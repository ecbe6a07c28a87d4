/**
 * Liveness after GST and anti-censorship (spec/consensus.md [BFT-17], [BFT-18]): every request held
 * by an honest member is delivered by every honest member within the stated bound after
 * max(GST, submission), whatever the Byzantine members (at most f, < 1/3 of the reputation) do,
 * including a leader that censors it. Negative controls break the assumption or the request timers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { failsOn, holds } from "./check.js";
import {
  CENSORED_ID,
  honestMembers,
  livenessBoundMs,
  livenessViolations,
  type Scenario,
  type ScenarioOptions,
  type SimulationOptions,
  scenarioArb,
  scenarioSize,
  simulate,
} from "./consensus-harness.js";

const live =
  (options: SimulationOptions = {}) =>
  (scenario: Scenario) => {
    const report = simulate(scenario, options);
    if (report.thrown !== undefined) throw new Error(`step threw: ${report.thrown}`);
    const found = livenessViolations(report);
    if (found.length > 0)
      throw new Error(`${found.slice(0, 3).join("\n")} (bound ${livenessBoundMs(report.group.faults)} ms)`);
    return true;
  };

const control = (name: string, arb: ScenarioOptions, options: SimulationOptions = {}, numRuns = 100) => {
  const found = failsOn(name, fc.property(scenarioArb(arb), live(options)), numRuns);
  const [scenario] = found.value;
  const violation = livenessViolations(simulate(scenario, options))[0] ?? "";
  console.info(`${name}: ${scenarioSize(scenario)} after ${found.shrinks} shrinks\n  ${violation}\n  ${found.replay}`);
  return found;
};

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

/**
 * Found by a 10× run of this suite (`FC_RUNS_SCALE=10`, REPLAY FC_SEED=-348549112 FC_PATH=848): member 0
 * asked for decisions (SYNC) just before members 1 and 2 decided request 3, learned that they had from their
 * VIEW-CHANGEs, but could not ask again before W more deliveries, and the group fell quiet; it never delivered
 * request 3. Since then a SYNC is a standing ask (BFT-13).
 */
const ASKED_TOO_EARLY: Scenario = {
  n: 4,
  byzantine: [3],
  strategies: ["rogue"],
  weights: [50, 42, 88, 5],
  sides: [true, false, false, false],
  requests: [
    { at_ms: 338, to: 0 },
    { at_ms: 6, to: 2 },
    { at_ms: 305, to: 1 },
  ],
  gst_ms: 622,
  drop_percent: 1,
  commit_drop_percent: 55,
  tape: [9, 110, 28],
  noise: [
    144, 117, 245, 244, 174, 181, 41, 98, 249, 16, 189, 149, 167, 76, 157, 231, 146, 196, 75, 56, 59, 165, 236, 27, 80,
    52, 152, 11, 127, 99, 80, 139, 114, 229, 136, 16, 203, 214, 234, 150, 89, 193, 28, 217, 15, 65, 224, 192, 13, 198,
    56, 242, 191, 205, 190, 194,
  ],
  isolate_decider: true,
};

describe("consensus liveness", () => {
  it("[BFT-13] [BFT-17] regression: a member that asked for a decision before anyone had it still delivers it", () => {
    expect(live()(ASKED_TOO_EARLY)).toBe(true);
  });

  it("[BFT-17] after GST every request held by an honest member is delivered by every honest member within the bound", () => {
    holds("consensus liveness", fc.property(scenarioArb({ maxMembers: 10 }), live()), { numRuns: 120 });
  });

  it("[BFT-18] a leader that censors a request cannot keep it out past the bound", () => {
    holds("consensus anti-censorship", fc.property(scenarioArb({ ...censorship, maxMembers: 7 }), live()), {
      numRuns: 40,
    });
  });

  it("[BFT-17] negative control: f+1 silent members stall the group", () => {
    const found = control("f+1 silent", {
      model: "f+1",
      strategies: ["silent"],
      maxMembers: 7,
      maxGstMs: 100,
      maxNoise: 0,
    });
    expect(found.value[0].byzantine.length).toBe(Math.floor((found.value[0].n - 1) / 3) + 1);
  });

  it("[BFT-17] negative control: silent members holding over a third of the reputation (at most f) stall the group", () => {
    const found = control("silent third", {
      model: "over-third",
      strategies: ["silent"],
      maxMembers: 7,
      maxGstMs: 100,
      maxNoise: 0,
    });
    expect(found.value[0].byzantine.length).toBeLessThanOrEqual(Math.floor((found.value[0].n - 1) / 3));
  });

  it("[BFT-18] negative control: without request timers a censoring leader keeps a request out", () => {
    const found = control(
      "censorship without request timers",
      { ...censorship, maxMembers: 4, maxGstMs: 0 },
      { dropTimer: (timer) => timer.startsWith("request:") },
    );
    const report = simulate(found.value[0], { dropTimer: (t) => t.startsWith("request:") });
    const violations = livenessViolations(report);
    expect(violations.every((v) => v.includes(`request ${CENSORED_ID} `))).toBe(true);
    // the censor pinned the other requests: every honest member delivered something, never request 1
    expect(honestMembers(found.value[0]).every((m) => (report.deliveries.get(m)?.length ?? 0) > 0)).toBe(true);
  });
});
