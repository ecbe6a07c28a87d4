/**
 * Failures of the pinning protocol's scenario properties replay (spec/consensus.md [BFT-20]): a failing
 * property prints its REPLAY line first and saves the scenario as a vector that replays the same finding,
 * and the replay tells a fixed bug from a live one. The committed vectors themselves run in the vector
 * runner (vectors/runner.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ConsensusRegression, replayConsensusRegression } from "../model/consensus-regression.js";
import { scenarioArb } from "./consensus-arbitraries.js";
import { holdsConsensus } from "./consensus-check.js";

describe("[BFT-20] consensus failures replay", () => {
  it("[BFT-20] a failing property prints its REPLAY line first and saves a vector that replays it; a clean expectation then fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "spchain-consensus-regressions-"));
    let message = "";
    try {
      const judgement = { system: "quorum-2f", checks: ["certificates"], after_gst_ms: 2000 } as const;
      const arb = scenarioArb({ maxMembers: 4, maxRequests: 1, maxGstMs: 0, maxNoise: 0 });
      holdsConsensus("consensus: broken quorum (a failure on purpose)", arb, judgement, 5, dir);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    try {
      const lines = message.split("\n");
      expect(lines[0]).toMatch(/^REPLAY FC_SEED=-?\d+ FC_PATH=\S+ npx vitest run -t /);
      expect(lines[1]).toMatch(/NoQuorum/);
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      const vector = JSON.parse(readFileSync(join(dir, files[0] as string), "utf8")) as ConsensusRegression;
      expect(vector.finding).toBe(lines[1]);
      expect(message).toContain(join(dir, files[0] as string));
      expect(replayConsensusRegression(vector).matches).toBe(true);
      // the same scenario marked as fixed must fail its replay, and so must the real rules: the runner can tell
      expect(replayConsensusRegression({ ...vector, expect: "clean" }).matches).toBe(false);
      expect(replayConsensusRegression({ ...vector, system: "real" }).matches).toBe(false);
      expect(replayConsensusRegression({ ...vector, system: "real", expect: "clean" }).matches).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
