/**
 * [CH-14] The chameleon vector family's check can fail: the committed files pass (the runner also checks
 * that), and each kind of wrong expectation is reported: a changed output byte, a changed verification
 * result, a changed error code or reason, and a changed input.
 */
import { describe, expect, it } from "vitest";
import { chameleonFamily } from "../vectors/gen/chameleon.js";
import { failuresAfter as editFailures, flipHex, loadVectorFile as load, type Test } from "./vector-edits.js";

const FILES = {
  hash: "crypto/chameleon_dss20_hash_test.json",
  verify: "crypto/chameleon_dss20_verify_test.json",
  collide: "crypto/chameleon_dss20_collide_test.json",
  keygen: "crypto/chameleon_dss20_keygen_test.json",
};

const failuresAfter = (path: string, pick: (t: Test) => boolean, edit: (t: Test) => void) =>
  editFailures(chameleonFamily, path, pick, edit);

describe("chameleon vector family", () => {
  it("[CH-14] the committed files pass their check", () => {
    for (const path of Object.values(FILES)) {
      const report = chameleonFamily.check(path, load(path));
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThan(5);
    }
  });

  it("[CH-14] a wrong output byte, result, error code or input is reported", () => {
    const valid = (t: Test) => t.result === "valid";
    expect(failuresAfter(FILES.hash, valid, (t) => Object.assign(t, { h: flipHex(t.h) }))).toHaveLength(1);
    expect(failuresAfter(FILES.hash, valid, (t) => Object.assign(t, { r: flipHex(t.r) }))).toHaveLength(1);
    expect(failuresAfter(FILES.collide, valid, (t) => Object.assign(t, { rNew: flipHex(t.rNew) }))).toHaveLength(1);
    expect(
      failuresAfter(FILES.keygen, valid, (t) => Object.assign(t, { publicKey: flipHex(t.publicKey) })),
    ).toHaveLength(1);
    expect(failuresAfter(FILES.verify, valid, (t) => Object.assign(t, { result: "invalid" }))).toHaveLength(1);
    expect(failuresAfter(FILES.verify, valid, (t) => Object.assign(t, { msg: `${t.msg}00` }))).toHaveLength(1);
    const decodeFailure = (t: Test) => t.error === "DecodeError";
    expect(
      failuresAfter(FILES.verify, decodeFailure, (t) =>
        Object.assign(t, { reason: "ShortInput", flags: ["ShortInput"] }),
      ).length,
    ).toBe(1);
    const refusal = (t: Test) => t.error === "ChameleonTrapdoorMismatch";
    expect(
      failuresAfter(FILES.collide, refusal, (t) => Object.assign(t, { error: "ChameleonOriginalInvalid" })),
    ).toHaveLength(1);
    const rejected = (t: Test) => t.result === "invalid" && t.error === undefined;
    expect(failuresAfter(FILES.verify, rejected, (t) => Object.assign(t, { result: "valid" }))).toHaveLength(1);
  });
});
