/**
 * Negative controls of the model's monitors (spec/model.md, [MOD-10]): each monitor, run against a
 * deliberately broken rule or a broken fault assumption, must find a counterexample and shrink it. The
 * shrunk cases are small (a handful of members and patients) and replay from their REPLAY line; their
 * committed copies are the regression vectors of vectors/regressions/ (MOD-14).
 */
import { describe, expect, it } from "vitest";
import { modelCaseArb } from "./model-arbitraries.js";
import { failsOnModel } from "./model-check.js";

const small = { minMembers: 4, maxMembers: 5, maxPatients: 1, maxTape: 200 } as const;
/** A calm network, a whole tape and a short horizon: for controls whose bug shows early without network faults. */
const quick = (horizonMs: number) => ({ calm: true, shrinkTape: false, horizonMs }) as const;

describe("[MOD-10] negative controls: each monitor finds the bug it exists for", () => {
  it("[MOD-8] [MOD-10] agreement: f+1 equivocating members (Twins) fork the chain", () => {
    const r = failsOnModel(
      "agreement control: f+1 twins",
      modelCaseArb({
        ...small,
        sizes: [4, 7],
        faults: "f+1",
        behaviours: ["equivocate"],
        splitTwins: true,
        minGstMs: 3_000,
        maxGstMs: 8_000,
        maxDropPerMille: 0,
        horizonMs: 12_000,
      }),
      "agreement",
      "fault assumption: f+1 Byzantine members",
    );
    expect(r.violation.description).toMatch(/decided different values|fork past a pin|two different roots/);
    console.info(`f+1 twins: ${r.size}: ${r.violation.description}\n  ${r.counterexample.replay}`);
  });

  it("[MOD-8] [MOD-10] agreement: a node that takes a conflicting keyblock after a pin is caught", () => {
    const r = failsOnModel(
      "agreement control: conflicting keyblock accepted",
      modelCaseArb({
        ...small,
        ...quick(16_000),
        behaviours: ["selfish"],
        variant: "accept-conflicting-keyblock",
        faults: "third",
      }),
      "agreement",
      "variant: accept-conflicting-keyblock",
    );
    expect(r.violation.description).toMatch(/took another keyblock|fork past a pin/);
  });

  it("[MOD-8] [MOD-10] quorum: a quorum of 2f members is caught on the first decision", () => {
    const r = failsOnModel(
      "quorum control: 2f",
      modelCaseArb({ ...small, variant: "quorum-2f" }),
      "quorum",
      "variant: quorum-2f",
    );
    expect(r.violation.description).toMatch(/signers/);
  });

  it("[MOD-8] [MOD-10] labels: with HVer skipped, a forged label is pinned and caught", () => {
    const r = failsOnModel(
      "labels control: HVer skipped",
      modelCaseArb({ ...small, ...quick(16_000), faults: "third", behaviours: ["forger"], variant: "skip-hver" }),
      "labels",
      "variant: skip-hver",
    );
    expect(r.violation.description).toMatch(/HVer fails|randomness not made/);
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
  });

  it("[MOD-8] [MOD-10] reputation: a node that forgets convictions keeps a fraudster's reputation", () => {
    const r = failsOnModel(
      "reputation control: fraud forgotten",
      modelCaseArb({
        ...small,
        ...quick(8_000),
        faults: "third",
        behaviours: ["equivocate"],
        variant: "forget-fraud",
        maxGstMs: 2_000,
      }),
      "reputation",
      "variant: forget-fraud",
    );
    expect(r.violation.description).toMatch(/convicted/);
  });

  it("[MOD-8] [MOD-10] liveness: silent members holding a third of the reputation stop the group", () => {
    const r = failsOnModel(
      "liveness control: a third of the reputation silent",
      modelCaseArb({ ...small, faults: "third", behaviours: ["silent"] }),
      "liveness",
      "fault assumption: Byzantine members with a third of the reputation",
    );
    expect(r.violation.description).toMatch(/not done/);
  });
});
