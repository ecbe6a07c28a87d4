/**
 * The reference runner (spec/vectors.md, [VEC-7]): every file under vectors/ is validated against its
 * family's JSON Schema and every case in it is run. A file that no family owns, a family whose
 * schema is missing, or a family without files fails the run, so nothing is silently skipped.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "./families.js";
import { listDataFiles, readJson, SCHEMA_DIR, VECTORS_DIR } from "./io.js";

const files = listDataFiles(VECTORS_DIR);
const ajv = new Ajv2020({ allErrors: true, strict: true });
const read = new Set<string>();

describe("[VEC-7] vector runner", () => {
  for (const family of FAMILIES) {
    const schemaPath = `${SCHEMA_DIR}/${family.schemaFile}`;
    const validate = ajv.compile(readJson(VECTORS_DIR, schemaPath) as object);
    read.add(schemaPath);
    const owned = files.filter((path) => family.owns(path));
    if (family.expectsFiles) it(`${family.name} has vector files`, () => expect(owned.length).toBeGreaterThan(0));
    for (const path of owned) {
      it(`${family.name}: ${path}`, () => {
        read.add(path);
        const json = readJson(VECTORS_DIR, path);
        const valid = validate(json);
        expect(valid, `[VEC-4] ${ajv.errorsText(validate.errors)}`).toBe(true);
        const report = family.check(path, json);
        expect(report.failures).toEqual([]);
        expect(report.cases).toBeGreaterThan(0);
      });
    }
  }

  it("every file under vectors/ belongs to exactly one family", () => {
    for (const path of files) {
      const owners = FAMILIES.filter((family) => family.owns(path) || path === `${SCHEMA_DIR}/${family.schemaFile}`);
      expect(
        owners.map((f) => f.name),
        path,
      ).toHaveLength(1);
    }
  });

  it("the runner read every file", () => {
    const unread = files.filter((path) => !read.has(path));
    expect(unread).toEqual([]);
  });
});
