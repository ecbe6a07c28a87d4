/** The vector formats and their generation (spec/vectors.md). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "./families.js";
import { generateAll } from "./generate.js";
import { listDataFiles, stableJson, VECTORS_DIR } from "./io.js";
import { buildWycheproof, type Note } from "./wycheproof.js";

const note: Note = { bugType: "BASIC", description: "d" };

describe("vector formats", () => {
  it("[VEC-1] tests are numbered 1..N across groups and counted", () => {
    const file = buildWycheproof({
      algorithm: "x",
      schema: "x.json",
      header: [],
      notes: { F: note },
      testGroups: [
        { type: "T", tests: [{ comment: "a", flags: [], result: "valid" }] },
        {
          type: "T",
          tests: [
            { comment: "b", flags: ["F"], result: "invalid" },
            { comment: "c", flags: [], result: "valid" },
          ],
        },
      ],
    });
    expect(file.numberOfTests).toBe(3);
    expect(file.testGroups.flatMap((g) => g.tests.map((t) => t.tcId))).toEqual([1, 2, 3]);
  });

  it("[VEC-2] an invalid test without a flag, an undocumented flag, or an unused note is refused", () => {
    const base = { algorithm: "x", schema: "x.json", header: [] };
    const build = (notes: Record<string, Note>, flags: string[], result: "valid" | "invalid") => () =>
      buildWycheproof({ ...base, notes, testGroups: [{ type: "T", tests: [{ comment: "c", flags, result }] }] });
    expect(build({}, [], "invalid")).toThrow(/without a flag/);
    expect(build({}, ["G"], "invalid")).toThrow(/has no note/);
    expect(build({ F: note, G: note }, ["F"], "invalid")).toThrow(/never used/);
    expect(build({ F: note }, ["F"], "invalid")).not.toThrow();
  });

  it("[VEC-3] files are stable JSON: two-space indent and a final newline", () => {
    expect(stableJson({ a: [1, "b"] })).toBe('{\n  "a": [\n    1,\n    "b"\n  ]\n}\n');
  });

  it("[VEC-6] regeneration from the seed reproduces the committed files byte for byte", () => {
    const out = mkdtempSync(join(tmpdir(), "spchain-vectors-"));
    try {
      generateAll(out);
      const fresh = listDataFiles(out);
      const committed = listDataFiles(VECTORS_DIR).filter((p) => !p.startsWith("regressions/"));
      expect(fresh).toEqual(committed);
      const differing = fresh.filter(
        (p) => readFileSync(join(out, p), "utf8") !== readFileSync(join(VECTORS_DIR, p), "utf8"),
      );
      expect(differing).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("[VEC-5] every family names a schema file and owns its generated paths", () => {
    for (const family of FAMILIES) {
      expect(family.schemaFile).toMatch(/\.json$/);
      expect(family.name.length).toBeGreaterThan(0);
    }
  });
});
