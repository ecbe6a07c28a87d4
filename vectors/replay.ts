/**
 * The replay half of the reference runner (spec/vectors.md, [VEC-7]) for a chosen set of families, used by
 * the mutation-testing configs (vectors/*.mutation.ts): one test per committed file a family owns, which
 * passes when the family's check reports cases and no failure. Schema validation and the "every file read"
 * checks stay in vectors/runner.test.ts.
 * @module
 */
import { expect, it } from "vitest";
import type { VectorFamily } from "./family.js";
import { listDataFiles, readJson, VECTORS_DIR } from "./io.js";

export const replayFamilies = (families: readonly VectorFamily[]): void => {
  const files = listDataFiles(VECTORS_DIR);
  for (const family of families) {
    for (const path of files.filter((file) => family.owns(file))) {
      it(`${family.name}: ${path}`, () => {
        const report = family.check(path, readJson(VECTORS_DIR, path));
        expect(report.failures).toEqual([]);
        expect(report.cases).toBeGreaterThan(0);
      });
    }
  }
};
