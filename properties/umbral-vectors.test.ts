/**
 * The umbral vector checker can fail (spec/vectors.md VEC-5; spec/proxy-re-encryption.md PRE-18): the runner
 * shows it accepts the committed files; here it rejects a test once a stored output (or input), error code,
 * reason or result is changed.
 */
import { describe, expect, it } from "vitest";
import { checkUmbralFile } from "../vectors/gen/umbral.js";
import { listDataFiles, readJson, VECTORS_DIR } from "../vectors/io.js";

interface Test {
  result: string;
  error?: string;
  reason?: string;
  flags: string[];
  [field: string]: unknown;
}
interface File {
  testGroups: { tests: Test[] }[];
}

const files = listDataFiles(VECTORS_DIR).filter((path) => /^crypto\/umbral_.*_test\.json$/.test(path));
const OUTPUT_FIELDS = ["capsule", "ciphertext", "kfrags", "kfrag", "cfrag", "plaintext"];

const flipLastHex = (value: string): string => `${value.slice(0, -1)}${value.endsWith("0") ? "1" : "0"}`;

/** The failures of the file reduced to its first test that `change` accepts (and changes); undefined if none. */
const failuresAfter = (path: string, change: (test: Test) => boolean): number | undefined => {
  const file = structuredClone(readJson(VECTORS_DIR, path)) as File;
  const test = file.testGroups.flatMap((g) => g.tests).find(change);
  return test === undefined ? undefined : checkUmbralFile(path, { testGroups: [{ tests: [test] }] }).failures.length;
};

const changeOutput = (t: Test): boolean => {
  const field = OUTPUT_FIELDS.find((f) => t.result === "valid" && t[f] !== undefined);
  if (field === undefined) return false;
  const value = t[field];
  t[field] = Array.isArray(value) ? [flipLastHex(String(value[0])), ...value.slice(1)] : flipLastHex(String(value));
  return true;
};
const flipResult = (t: Test): boolean => {
  if (t.result !== "invalid") return false;
  t.result = "valid";
  return true;
};
const changeError = (t: Test): boolean => {
  if (t.error === undefined) return false;
  t.error = t.error === "CapsuleInvalid" ? "DecryptionFailed" : "CapsuleInvalid";
  return true;
};
const changeReason = (t: Test): boolean => {
  if (t.reason === undefined) return false;
  t.reason = `${t.reason}X`;
  return true;
};

describe("umbral vector checker", () => {
  it("[PRE-18] a changed output, error code, reason or result is reported", () => {
    for (const path of files) {
      expect(
        [flipResult, changeError, changeReason].map((c) => failuresAfter(path, c)),
        path,
      ).toEqual([1, 1, 1]);
      expect(failuresAfter(path, changeOutput), path).toBe(1);
    }
  });
});
