/**
 * A vector family: one kind of vector file (or directory of case files), the JSON Schema that every
 * such file must satisfy, the generator that writes it from a seed, and the checker that runs it
 * against the implementation (spec/vectors.md, [VEC-5]).
 * @module
 */
import type { JsonSchema } from "./json-schema.js";

export interface VectorFile {
  /** Path relative to vectors/, with forward slashes. */
  readonly path: string;
  readonly json: unknown;
}

export interface CheckReport {
  /** Cases run. */
  readonly cases: number;
  /** One line per failed case: its id and what went wrong. */
  readonly failures: readonly string[];
}

export interface VectorFamily {
  readonly name: string;
  /** Does this family own the file at `path` (relative to vectors/)? */
  readonly owns: (path: string) => boolean;
  /** Schema file name under vectors/schema/, and its content. */
  readonly schemaFile: string;
  readonly schema: JsonSchema;
  /** All files of the family, deterministically from the seed. */
  readonly generate: (seed: Uint8Array) => readonly VectorFile[];
  /** False only for families whose files appear on failure (regressions); otherwise no file is an error. */
  readonly expectsFiles: boolean;
  /** Runs every case of one file against the implementation. */
  readonly check: (path: string, json: unknown) => CheckReport;
}

/** Collects case failures instead of stopping at the first, so a report lists them all. */
export const runCases = <T>(cases: Iterable<T>, id: (c: T) => string, run: (c: T) => void): CheckReport => {
  const failures: string[] = [];
  let count = 0;
  for (const c of cases) {
    count += 1;
    try {
      run(c);
    } catch (error) {
      failures.push(`${id(c)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { cases: count, failures };
};

/** Assertion helper for checkers: a failed expectation, with what was expected. */
export const expect = (condition: boolean, what: string): void => {
  if (!condition) throw new Error(what);
};
