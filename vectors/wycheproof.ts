/**
 * The Wycheproof envelope for this project's crypto vectors (spec/vectors.md, [VEC-1], [VEC-2]):
 * `algorithm, schema, numberOfTests, header, notes, testGroups[{type, source, ..., tests[{tcId,
 * comment, flags, ..., result}]}]`. `buildWycheproof` numbers the tests and enforces the rules that
 * Wycheproof leaves to lint: every non-valid test carries a flag, every flag is a documented note, and
 * every note is used.
 * @module
 */
import { arr, hex, int, type JsonSchema, lit, obj, record, str } from "./json-schema.js";

export const BUG_TYPES = [
  "BASIC",
  "AUTH_BYPASS",
  "CONFIDENTIALITY",
  "FUNCTIONALITY",
  "MALLEABILITY",
  "SIGNATURE_MALLEABILITY",
  "EDGE_CASE",
  "MISSING_STEP",
  "MODIFIED_PARAMETER",
  "WRONG_PRIMITIVE",
  "CAN_OF_WORMS",
  "DEFINED",
] as const;
export type BugType = (typeof BUG_TYPES)[number];

export interface Note {
  readonly bugType: BugType;
  readonly description: string;
  readonly effect?: string;
}

export type TestResult = "valid" | "invalid" | "acceptable";

/** A test before numbering: its own inputs and outputs sit beside these fields. */
export interface TestDraft {
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: TestResult;
  readonly [field: string]: unknown;
}

export interface GroupDraft {
  readonly type: string;
  readonly tests: readonly TestDraft[];
  readonly [field: string]: unknown;
}

export const SOURCE = { name: "spchain-reference", version: "1" } as const;

export interface WycheproofInput {
  readonly algorithm: string;
  readonly schema: string;
  readonly header: readonly string[];
  readonly notes: Readonly<Record<string, Note>>;
  readonly testGroups: readonly GroupDraft[];
}

/** Numbers tests 1..N across groups, counts them, and checks flags against notes. */
export const buildWycheproof = (input: WycheproofInput) => {
  let tcId = 0;
  const used = new Set<string>();
  const testGroups = input.testGroups.map(({ type, tests, ...shared }) => ({
    type,
    source: SOURCE,
    ...shared,
    tests: tests.map(({ comment, flags, result, ...fields }) => {
      tcId += 1;
      for (const flag of flags) {
        if (!(flag in input.notes)) throw new Error(`${input.schema} test ${tcId}: flag ${flag} has no note`);
        used.add(flag);
      }
      if (result !== "valid" && flags.length === 0)
        throw new Error(`${input.schema} test ${tcId}: ${result} without a flag`);
      return { tcId, comment, flags: [...flags], ...fields, result };
    }),
  }));
  const unused = Object.keys(input.notes).filter((flag) => !used.has(flag));
  if (unused.length > 0) throw new Error(`${input.schema}: notes never used: ${unused.join(", ")}`);
  return {
    algorithm: input.algorithm,
    schema: input.schema,
    numberOfTests: tcId,
    header: [...input.header],
    notes: input.notes,
    testGroups,
  };
};

const noteSchema = obj({ bugType: lit(...BUG_TYPES), description: str(), "effect?": str() });

/** The JSON Schema of a Wycheproof file whose groups have `groupFields` and whose tests have `testFields`. */
export const wycheproofSchema = (
  groupType: string,
  groupFields: Record<string, JsonSchema>,
  testFields: Record<string, JsonSchema>,
): JsonSchema =>
  obj({
    algorithm: str(),
    schema: str(),
    numberOfTests: int(1),
    header: arr(str()),
    notes: record(noteSchema),
    testGroups: arr(
      obj({
        type: lit(groupType),
        source: obj({ name: str(), version: str() }),
        ...groupFields,
        tests: arr(
          obj({
            tcId: int(1),
            comment: str(),
            flags: arr(str()),
            ...testFields,
            result: lit("valid", "invalid", "acceptable"),
          }),
          1,
        ),
      }),
      1,
    ),
  });

export { hex };

/** Walks every test of a built file, for checkers. */
export const forEachTest = <G extends { readonly tests: readonly unknown[] }>(
  file: { readonly testGroups: readonly G[] },
  visit: (test: G["tests"][number], group: G) => void,
): number => {
  let count = 0;
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      visit(test, group);
      count += 1;
    }
  }
  return count;
};
