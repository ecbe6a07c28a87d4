/**
 * The model's regression vectors (spec/model.md, [MOD-14]; spec/vectors.md VEC-5), under vectors/regressions/:
 * one JSON file per failing schedule that a property or a negative control found, saved whole (the
 * configuration and the schedule), with what its replay must show: the same monitor firing again
 * ("violation": every negative control, and a real failure until it is fixed) or no violation at all
 * ("clean": a fixed bug stays fixed). The files are found, not generated: `generate` writes none.
 * The configuration is model/config.ts's `RunConfig`, typed where it is read; the schema pins the envelope.
 * @module
 */
import { VARIANTS } from "../../model/config.js";
import { nurseryRecords } from "../../model/data.js";
import { MONITOR_NAMES } from "../../model/monitors/index.js";
import { REGRESSION_FORMAT, type RegressionVector, replayRegression } from "../../model/regression.js";
import type { VectorFamily } from "../family.js";
import { arr, documentSchema, int, type JsonSchema, lit, nullable, num, obj, oneOf, str } from "../json-schema.js";

/** The model's vectors sit directly in regressions/ (the consensus simulator's have their own folder). */
const MODEL_VECTOR = /^regressions\/[^/]+\.json$/;
const SCHEMA_FILE = "model_regression_schema.json";

/**
 * The configuration (model/config.ts `RunConfig`): closed where it is flat (network, mining), open where the
 * model's own types check it when a run reads it (behaviour parameters, patients' plans, protocol).
 */
const open = (kind: string): JsonSchema => ({ type: "object", description: kind });
const configSchema = obj({
  seed: str(),
  institutions: arr(
    obj({
      hash_share: num(),
      ext: str(),
      behaviour: { type: "object", properties: { kind: str() }, required: ["kind"] },
    }),
    1,
  ),
  patients: arr(open("PatientSpec")),
  network: obj({
    delta_ms: int(1),
    pre_gst_max_delay_ms: int(1),
    gst_ms: int(),
    drop_per_mille: int(),
    dup_per_mille: int(),
    partitions: arr(obj({ start_ms: int(), end_ms: int(), side: arr(int()) })),
  }),
  mining: obj({
    first_ms: int(),
    stop_ms: int(),
    min_interval_ms: int(),
    max_interval_ms: int(),
    max_registers: int(),
  }),
  protocol: open("ProtocolParams"),
  horizon_ms: int(),
  max_steps: int(1),
  emr_bytes: int(1),
  variant: lit(...VARIANTS),
});

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
  owns: (path) => MODEL_VECTOR.test(path),
  schemaFile: SCHEMA_FILE,
  schema: regressionSchema,
  generate: () => [],
  expectsFiles: false,
  check: checkRegression,
};
