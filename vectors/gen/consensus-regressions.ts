/**
 * The consensus simulator's regression vectors (spec/consensus.md [BFT-20]; spec/vectors.md VEC-5), under
 * vectors/regressions/consensus/: one JSON file per failing scenario that a property or a negative control
 * of the pinning protocol found, saved whole, with the system it ran against, the checks that judge it and
 * what its replay must show: the same first finding ("violation": every negative control, and a real failure
 * until it is fixed) or none ("clean": a fixed bug stays fixed). Found, not generated: `generate` writes none.
 * @module
 */
import {
  CONSENSUS_CHECK_NAMES,
  CONSENSUS_REGRESSION_FORMAT,
  CONSENSUS_SYSTEM_NAMES,
  type ConsensusRegression,
  replayConsensusRegression,
} from "../../model/consensus-regression.js";
import { STRATEGIES } from "../../model/consensus-sim.js";
import type { VectorFamily } from "../family.js";
import { arr, bool, documentSchema, int, lit, nullable, obj, str } from "../json-schema.js";

const DIR = "regressions/consensus/";
const SCHEMA_FILE = "consensus_regression_schema.json";

const scenarioSchema = obj({
  n: int(4),
  byzantine: arr(int()),
  strategies: arr(lit(...STRATEGIES)),
  weights: arr(int()),
  sides: arr(bool()),
  requests: arr(obj({ at_ms: int(), to: int() })),
  gst_ms: int(),
  drop_percent: int(),
  commit_drop_percent: int(),
  tape: arr(int()),
  noise: arr(int()),
  isolate_decider: bool(),
});

export const consensusRegressionSchema = documentSchema(
  "https://spchain.example/vectors/consensus_regression_schema.json",
  "A failing scenario of the pinning protocol's simulator, saved whole, and what its replay must show (BFT-20).",
  obj({
    format: lit(CONSENSUS_REGRESSION_FORMAT),
    name: str(),
    found: obj({ seed: { type: "integer" }, path: str(), replayPath: nullable(str()) }),
    system: lit(...CONSENSUS_SYSTEM_NAMES),
    checks: arr(lit(...CONSENSUS_CHECK_NAMES), 1),
    after_gst_ms: nullable(int()),
    finding: str(),
    expect: lit("violation", "clean"),
    scenario: scenarioSchema,
  }),
);

/** [BFT-20] Replays one committed vector: its outcome must match its expectation. */
const checkConsensusRegression = (path: string, json: unknown) => {
  const vector = json as ConsensusRegression;
  const outcome = replayConsensusRegression(vector);
  return { cases: 1, failures: outcome.matches ? [] : [`${path} (${vector.name}): ${outcome.detail}`] };
};

export const consensusRegressionFamily: VectorFamily = {
  name: "consensus-regressions",
  owns: (path) => path.startsWith(DIR) && path.endsWith(".json"),
  schemaFile: SCHEMA_FILE,
  schema: consensusRegressionSchema,
  generate: () => [],
  expectsFiles: false,
  check: checkConsensusRegression,
};
