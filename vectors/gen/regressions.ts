/**
 * The model's regression vectors (spec/model.md, [MOD-14]; spec/vectors.md VEC-5), under vectors/regressions/:
 * one JSON file per failing schedule that a property or a negative control found, saved whole (the
 * configuration and the schedule), with what its replay must show: the same monitor firing again
 * ("violation": every negative control, and a real failure until it is fixed) or no violation at all
 * ("clean": a fixed bug stays fixed). The files are found, not generated: `generate` writes none.
 * The configuration is model/config.ts's `RunConfig`, typed where it is read; the schema pins the envelope.
 * @module
 */
import { nurseryRecords } from "../../model/data.js";
import { MONITOR_NAMES } from "../../model/monitors/index.js";
import { REGRESSION_FORMAT, type RegressionVector, replayRegression } from "../../model/regression.js";
import type { VectorFamily } from "../family.js";
import { arr, documentSchema, int, lit, nullable, obj, oneOf, str } from "../json-schema.js";

const DIR = "regressions/";
const SCHEMA_FILE = "model_regression_schema.json";

/** Configurations are open objects with their top-level fields required (the model's types check the rest). */
const configSchema = {
  type: "object",
  required: [
    "seed",
    "institutions",
    "patients",
    "network",
    "mining",
    "protocol",
    "horizon_ms",
    "max_steps",
    "emr_bytes",
    "variant",
  ],
};

export const regressionSchema = documentSchema(
  "https://spchain.example/vectors/model_regression_schema.json",
  "A failing schedule of the executable model, saved whole, and what its replay must show (MOD-14).",
  obj({
    format: lit(REGRESSION_FORMAT),
    name: str(),
    found: obj({ seed: { type: "integer" }, path: str(), replayPath: nullable(str()) }),
    system: str(),
    monitor: lit(...MONITOR_NAMES),
    description: str(),
    expect: lit("violation", "clean"),
    config: configSchema,
    schedule: oneOf(obj({ tape: arr(int()) }), obj({ seed: str() })),
  }),
);

/** [MOD-14] Replays one committed vector: its outcome must match its expectation. */
const checkRegression = (path: string, json: unknown) => {
  const vector = json as RegressionVector;
  const outcome = replayRegression(vector, nurseryRecords());
  return { cases: 1, failures: outcome.matches ? [] : [`${path} (${vector.name}): ${outcome.detail}`] };
};

export const regressionFamily: VectorFamily = {
  name: "model-regressions",
  owns: (path) => path.startsWith(DIR) && path.endsWith(".json"),
  schemaFile: SCHEMA_FILE,
  schema: regressionSchema,
  generate: () => [],
  expectsFiles: false,
  check: checkRegression,
};
