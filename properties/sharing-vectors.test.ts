/**
 * [SHARE-8] The sharing vector family's check can fail: the committed files pass (the runner also checks
 * that), and each kind of wrong expectation is reported: a changed stored byte or pointer, a changed EMR, a
 * changed error code or reason, an invalid case marked valid.
 */
import { describe, expect, it } from "vitest";
import { sharingFamily } from "../vectors/gen/sharing.js";
import { failuresAfter as editFailures, flipHex, loadVectorFile as load, type Test } from "./vector-edits.js";

const FILES = {
  seal: "crypto/sharing_seal_test.json",
  open: "crypto/sharing_open_test.json",
  openOwn: "crypto/sharing_open_own_test.json",
};

const failuresAfter = (path: string, pick: (t: Test) => boolean, edit: (t: Test) => void) =>
  editFailures(sharingFamily, path, pick, edit);

describe("sharing vector family", () => {
  it("[SHARE-8] the committed files pass their check", () => {
    for (const path of Object.values(FILES)) {
      const report = sharingFamily.check(path, load(path));
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThanOrEqual(4);
    }
  });

  it("[SHARE-8] a wrong stored byte, pointer, EMR, error code or verdict is reported", () => {
    const valid = (t: Test) => t.result === "valid" && String(t.emr ?? "").length > 0;
    expect(failuresAfter(FILES.seal, valid, (t) => Object.assign(t, { stored: flipHex(t.stored) }))).toHaveLength(1);
    expect(failuresAfter(FILES.seal, valid, (t) => Object.assign(t, { pointer: flipHex(t.pointer) }))).toHaveLength(1);
    expect(failuresAfter(FILES.open, valid, (t) => Object.assign(t, { emr: flipHex(t.emr) }))).toHaveLength(1);
    expect(failuresAfter(FILES.openOwn, valid, (t) => Object.assign(t, { emr: flipHex(t.emr) }))).toHaveLength(1);
    const moved = (t: Test) => t.error === "RecordOpenFailed";
    expect(failuresAfter(FILES.open, moved, (t) => Object.assign(t, { error: "PointerMismatch" }))).toHaveLength(1);
    const decode = (t: Test) => t.error === "DecodeError";
    expect(
      failuresAfter(FILES.open, decode, (t) => Object.assign(t, { reason: "TrailingBytes", flags: ["TrailingBytes"] })),
    ).toHaveLength(1);
    const refused = (t: Test) => t.result === "invalid";
    expect(
      failuresAfter(FILES.openOwn, refused, (t) => {
        for (const key of ["error", "reason"]) delete t[key];
        Object.assign(t, { result: "valid" });
      }),
    ).toHaveLength(1);
  });
});
