/**
 * [VEC-5] A family of Wycheproof files with one file per operation (chameleon hash, Umbral): each test
 * names its inputs, the operation runs on them, and the outcome is either outputs to compare byte for
 * byte or a typed error whose code is the test's first flag ([VEC-2]). The generator writes a file only
 * if this same check accepts it.
 * @module
 */
import { Result } from "effect";
import { type CheckReport, expect, runCases, type VectorFamily, type VectorFile } from "./family.js";
import { documentSchema, type JsonSchema, oneOf } from "./json-schema.js";
import { buildWycheproof, forEachTest, type Note, type TestDraft, wycheproofSchema } from "./wycheproof.js";

/** What running an operation gave: its outputs (a `valid: false` output means "rejected"), or a typed error. */
export type OpOutcome =
  | { readonly ok: Readonly<Record<string, unknown>> }
  | { readonly error: string; readonly reason?: string };

export const failedOutcome = (error: { readonly _tag: string; readonly reason?: string }): OpOutcome =>
  error.reason === undefined ? { error: error._tag } : { error: error._tag, reason: error.reason };

/** Chains decoders and operations; the first failure is the outcome. */
export const outcomeOf = <A>(
  result: Result.Result<A, { readonly _tag: string; readonly reason?: string }>,
  ok: (a: A) => OpOutcome,
): OpOutcome => (Result.isSuccess(result) ? ok(result.success) : failedOutcome(result.failure));

/** Builds the Wycheproof file of one operation (given to `build`). */
export type FileBuilder<Op extends string = string> = (
  op: Op,
  header: readonly string[],
  tests: readonly TestDraft[],
) => VectorFile;

export interface OpFamilySpec<Op extends string, Inputs = Readonly<Record<string, unknown>>> {
  readonly name: string;
  readonly schemaFile: string;
  readonly description: string;
  readonly algorithm: string;
  readonly notes: Readonly<Record<string, Note>>;
  readonly files: Readonly<Record<Op, string>>;
  readonly groupTypes: Readonly<Record<Op, string>>;
  readonly inputFields: Readonly<Record<Op, readonly string[]>>;
  readonly outputs: Readonly<Record<Op, readonly string[]>>;
  readonly run: Readonly<Record<Op, (inputs: Inputs) => OpOutcome>>;
  /** Per-operation test fields of the JSON Schema (inputs, outputs, error and reason). */
  readonly testFields: (op: Op) => Record<string, JsonSchema>;
  /** The canonical error code of a failure: what the first flag must be. */
  readonly errorCode: (error: string, reason: string | undefined) => string | undefined;
  /** Every file, built with `file`. */
  readonly build: (seed: Uint8Array, file: FileBuilder<Op>) => VectorFile[];
}

interface StoredTest {
  readonly tcId: number;
  readonly flags: readonly string[];
  readonly result: string;
  readonly error?: string;
  readonly reason?: string;
  readonly [field: string]: unknown;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface OpFamily<Op extends string> {
  readonly family: VectorFamily;
  /** Runs every test of one file (exposed so tests can show the check catches corrupted files). */
  readonly check: (path: string, json: unknown) => CheckReport;
  readonly opOf: (path: string) => Op | undefined;
}

export const opFamily = <Op extends string, Inputs>(spec: OpFamilySpec<Op, Inputs>): OpFamily<Op> => {
  const ops = Object.keys(spec.files) as Op[];
  const opOf = (path: string): Op | undefined => ops.find((op) => spec.files[op] === path);

  /** Recomputes one test: outputs byte for byte, the accept/reject verdict, or the error tag, reason and first flag. */
  const checkTest = (op: Op, test: StoredTest): void => {
    // The file passed its JSON Schema (VEC-4), which pins each input's shape.
    const inputs = Object.fromEntries(
      spec.inputFields[op].filter((f) => test[f] !== undefined).map((f) => [f, test[f]]),
    ) as Inputs;
    const got = spec.run[op](inputs);
    if ("error" in got) {
      expect(test.result === "invalid", `unexpected ${got.error} ${got.reason ?? ""}`);
      expect(got.error === test.error, `error ${got.error}, expected ${test.error}`);
      expect(got.reason === test.reason, `reason ${got.reason}, expected ${test.reason}`);
      const code = spec.errorCode(got.error, got.reason);
      expect(code === test.flags[0], `first flag ${test.flags[0]} is not ${code}`);
      return;
    }
    expect(test.error === undefined, `expected ${test.error}, but the operation succeeded`);
    const accepted = got.ok.valid === undefined || got.ok.valid === true;
    expect(accepted === (test.result === "valid"), `accepted = ${accepted}, expected ${test.result}`);
    for (const field of spec.outputs[op])
      expect(same(got.ok[field], test[field]), `${field} differs from the stored value`);
  };

  const check = (path: string, json: unknown): CheckReport => {
    const op = opOf(path);
    if (op === undefined) return { cases: 0, failures: [`${path}: not a ${spec.name} vector file`] };
    const cases: StoredTest[] = [];
    forEachTest(json as { testGroups: { tests: StoredTest[] }[] }, (test) => cases.push(test));
    return runCases(
      cases,
      (t) => `${path} tcId ${t.tcId}`,
      (t) => checkTest(op, t),
    );
  };

  /** One file per operation, with only the notes its tests use. */
  const file: FileBuilder<Op> = (op, header, tests) => {
    const used = new Set(tests.flatMap((t) => t.flags));
    const notes = Object.fromEntries(Object.entries(spec.notes).filter(([flag]) => used.has(flag)));
    const json = buildWycheproof({
      algorithm: spec.algorithm,
      schema: spec.schemaFile,
      header,
      notes,
      testGroups: [{ type: spec.groupTypes[op], tests }],
    });
    return { path: spec.files[op], json };
  };

  const family: VectorFamily = {
    name: spec.name,
    owns: (path) => opOf(path) !== undefined,
    schemaFile: spec.schemaFile,
    schema: documentSchema(
      spec.schemaFile,
      spec.description,
      oneOf(...ops.map((op) => wycheproofSchema(spec.groupTypes[op], {}, spec.testFields(op)))),
    ),
    expectsFiles: true,
    generate: (seed) => {
      const files = spec.build(seed, file);
      for (const f of files) {
        const report = check(f.path, f.json);
        if (report.failures.length > 0) throw new Error(`${spec.name} generator: ${report.failures.join("; ")}`);
      }
      return files;
    },
    check,
  };
  return { family, check, opOf };
};
