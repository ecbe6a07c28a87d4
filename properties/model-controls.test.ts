/**
 * Negative controls of the model's monitors (spec/model.md, [MOD-10]): each monitor, run against a
 * deliberately broken rule or a broken fault assumption, must find a counterexample and shrink it. The
 * shrunk cases are small (four or five members, at most one patient) and replay from their REPLAY line;
 * with MODEL_SAVE_REGRESSIONS=1 they are saved as the regression vectors of vectors/regressions/ (MOD-14).
 * Controls whose bug shows early and needs no network fault run on a calm network with a short horizon
 * and keep their tape whole (a schedule that is not shrunk element by element shrinks much faster).
 */
import { describe, expect, it } from "vitest";
import { type CaseOptions, modelCaseArb } from "./model-arbitraries.js";
import { type ControlResult, failsOnModel } from "./model-check.js";

const small = { minMembers: 4, maxMembers: 5, maxPatients: 1, maxTape: 200 } as const;
/** A calm network, a whole tape and a short horizon: for controls whose bug shows early without network faults. */
const quick = (horizonMs: number): CaseOptions => ({ calm: true, shrinkTape: false, horizonMs });

/** The shrunk case is small, and the report says what was found (one line per control). */
const small_ = (r: ControlResult, name: string): void => {
  const n = r.counterexample.value[0].config.institutions.length;
  expect(n).toBeLessThanOrEqual(5);
  console.info(`${name}: ${r.size}: ${r.violation.description}\n  ${r.counterexample.replay}`);
};

describe("[MOD-10] negative controls: each monitor finds the bug it exists for", () => {
  it("[MOD-8] [MOD-10] agreement: f+1 equivocating members (Twins) fork the chain", () => {
    const r = failsOnModel(
      "agreement control: f+1 twins",
      modelCaseArb({
        ...small,
        ...quick(8_000),
        sizes: [4],
        maxPatients: 0,
        faults: "f+1",
        behaviours: ["equivocate"],
        splitTwins: true,
        minGstMs: 3_000,
        maxGstMs: 6_000,
      }),
      "agreement",
      "fault assumption: f+1 Byzantine members",
    );
    expect(r.violation.description).toMatch(/decided different values|fork past a pin|two different roots/);
    small_(r, "f+1 twins");
  });

  it("[MOD-8] [MOD-10] agreement: a node that takes a conflicting keyblock after a pin is caught", () => {
    const r = failsOnModel(
      "agreement control: conflicting keyblock accepted",
      modelCaseArb({
        ...small,
        ...quick(12_000),
        sizes: [4],
        maxPatients: 0,
        behaviours: ["selfish"],
        variant: "accept-conflicting-keyblock",
        faults: "third",
      }),
      "agreement",
      "variant: accept-conflicting-keyblock",
    );
    expect(r.violation.description).toMatch(/took another keyblock|fork past a pin/);
    small_(r, "conflicting keyblock");
  });

  it("[MOD-8] [MOD-10] quorum: a quorum of 2f members is caught on the first decision", () => {
    const r = failsOnModel(
      "quorum control: 2f",
      modelCaseArb({ ...small, variant: "quorum-2f" }),
      "quorum",
      "variant: quorum-2f",
    );
    expect(r.violation.description).toMatch(/signers/);
    small_(r, "quorum 2f");
  });

  it("[MOD-8] [MOD-10] labels: with HVer skipped, a forged label is pinned and caught", () => {
    const r = failsOnModel(
      "labels control: HVer skipped",
      modelCaseArb({ ...small, ...quick(16_000), faults: "third", behaviours: ["forger"], variant: "skip-hver" }),
      "labels",
      "variant: skip-hver",
    );
    expect(r.violation.description).toMatch(/HVer fails|randomness not made/);
    small_(r, "labels skip-hver");
  });

  it("[MOD-8] [MOD-10] confidentiality: records encrypted to the custodian are opened by a curious one", () => {
    const r = failsOnModel(
      "confidentiality control: encrypted to the custodian",
      modelCaseArb({
        ...small,
        ...quick(12_000),
        faults: "third",
        behaviours: ["curious"],
        variant: "encrypt-to-custodian",
      }),
      "confidentiality",
      "variant: encrypt-to-custodian",
    );
    expect(r.violation.description).toMatch(/without a delegation/);
    small_(r, "confidentiality");
  });

  it("[MOD-8] [MOD-10] integrity: a retrieval without the content-address check accepts altered bytes", () => {
    const r = failsOnModel(
      "integrity control: no content-address check",
      modelCaseArb({
        ...small,
        ...quick(26_000),
        faults: "third",
        behaviours: ["tamper"],
        variant: "no-content-check",
      }),
      "integrity",
      "variant: no-content-check",
    );
    expect(r.violation.description).toMatch(/accepted altered/);
    small_(r, "integrity");
  });

  it("[MOD-8] [MOD-10] reputation: a node that forgets convictions keeps a fraudster's reputation", () => {
    const r = failsOnModel(
      "reputation control: fraud forgotten",
      modelCaseArb({
        ...small,
        ...quick(8_000),
        sizes: [4],
        leaderByzantine: true,
        faults: "third",
        behaviours: ["equivocate"],
        variant: "forget-fraud",
        maxGstMs: 0,
      }),
      "reputation",
      "variant: forget-fraud",
    );
    expect(r.violation.description).toMatch(/convicted/);
    small_(r, "reputation");
  });

  it("[MOD-8] [MOD-10] liveness: silent members holding a third of the reputation stop the group", () => {
    const r = failsOnModel(
      "liveness control: a third of the reputation silent",
      modelCaseArb({ ...small, faults: "third", behaviours: ["silent"] }),
      "liveness",
      "fault assumption: Byzantine members with a third of the reputation",
    );
    expect(r.violation.description).toMatch(/not done/);
    small_(r, "liveness");
  });
});
