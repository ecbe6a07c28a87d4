/**
 * Helpers for the tests that show a vector family's check can fail (spec/vectors.md VEC-5): load a committed
 * Wycheproof-form file, change one test in it, and collect what the family's `check` reports.
 */
import type { VectorFamily } from "../vectors/family.js";
import { readJson, VECTORS_DIR } from "../vectors/io.js";

export type Test = Record<string, unknown> & { tcId: number; result: string; flags: string[] };
export type File = { testGroups: { tests: Test[] }[] };

export const loadVectorFile = (path: string): File => readJson(VECTORS_DIR, path) as File;

/** A hex string with its first digit changed (so the bytes differ in the first one). */
export const flipHex = (value: unknown): string => {
  const text = String(value);
  return (text[0] === "0" ? "1" : "0") + text.slice(1);
};

/** The failures `family` reports after `edit` changes the first test of `path` that `pick` selects. */
export const failuresAfter = (
  family: VectorFamily,
  path: string,
  pick: (t: Test) => boolean,
  edit: (t: Test) => void,
): readonly string[] => {
  const file = loadVectorFile(path);
  const test = file.testGroups.flatMap((g) => g.tests).find(pick);
  if (test === undefined) throw new Error(`${path}: no test to edit`);
  edit(test);
  return family.check(path, file).failures;
};
