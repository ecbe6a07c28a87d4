/** [CONV-5] The property runner prints a one-line replay, and negative controls find counterexamples. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { failsOn, holds } from "./check.js";

describe("property runner", () => {
  it("[CONV-5] a failing property reports a replay line first", () => {
    const run = () =>
      holds(
        "x is small",
        fc.property(fc.integer({ min: 0, max: 1000 }), (x) => x < 500),
      );
    expect(run).toThrow(/^REPLAY FC_SEED=-?\d+ FC_PATH=[\d:]+ npx vitest run -t "x is small"\n/);
  });

  it("[CONV-5] the replay line replays the same shrunk counterexample", () => {
    let message = "";
    try {
      holds(
        "replay",
        fc.property(fc.integer({ min: 0, max: 1000 }), (x) => x < 500),
      );
    } catch (error) {
      message = (error as Error).message;
    }
    const [, seed, path] = /FC_SEED=(-?\d+) FC_PATH=([\d:]+)/.exec(message) ?? [];
    const details = fc.check(
      fc.property(fc.integer({ min: 0, max: 1000 }), (x) => x < 500),
      {
        seed: Number(seed),
        path: path ?? "",
      },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample).toEqual([500]);
  });

  it("[CONV-5] a negative control that finds nothing is an error", () => {
    expect(() =>
      failsOn(
        "always true",
        fc.property(fc.nat(), () => true),
        20,
      ),
    ).toThrow(/cannot fail/);
    const found = failsOn(
      "broken",
      fc.property(fc.nat(), (x) => x < 10),
    );
    expect(found.value).toEqual([10]);
  });
});
