/**
 * Reputation configuration (spec/reputation.md, [REP-2]): the sigmoid's (a, lambda) as named presets,
 * the chunk size c, the reading of Algorithm 1 (resolved or paper-literal) and `zeroWhenInactive`.
 * Every value is validated here, once, so the formulas downstream work on a domain where they are total.
 * @module
 */
import { Result } from "effect";
import { ReputationConfigError } from "./errors.js";

/** The sigmoid's parameters, in keyblocks (integers, so their binary64 values are exact). */
export interface SigmoidParams {
  readonly a: number;
  readonly lambda: number;
}

/** [REP-2] The three presets of the ambiguity register (A8). */
export const PRESETS = {
  /** SPChain §6.2: a = 5000, lambda = 20000. */
  spchain: { a: 5000, lambda: 20000 },
  /** RepuCoin §4.3 as printed: a = 10000, lambda = 50000. */
  "repucoin-printed": { a: 10000, lambda: 50000 },
  /** RepuCoin as its own Table 2 implies: a = 10000, lambda = 5000. */
  "repucoin-calibrated": { a: 10000, lambda: 5000 },
} as const satisfies Record<string, SigmoidParams>;
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * [REP-2] Default chunk size: 144 keyblocks, one day at one keyblock per 10 minutes. A day is long
 * enough that a 17 % pool mines ~25 keyblocks per chunk (the spread then measures regularity, not
 * sampling noise), and short enough that a partial last chunk distorts the spread for at most a day.
 */
export const DEFAULT_CHUNK_SIZE = 144;
export const MAX_CHUNK_SIZE = 1 << 20;
/** The largest sigmoid parameter: 2^32 keyblocks is ~81,000 years of keyblocks. */
export const MAX_SIGMOID_PARAM = 2 ** 32;

/** Which reading of SPChain Algorithm 1 computes R2 (A2, A4). */
export type R2Reading = "resolved" | "literal";

export interface ReputationConfig {
  readonly sigmoid: SigmoidParams;
  readonly chunkSize: number;
  readonly r2Reading: R2Reading;
  /** A8: when x = 0 the f(x) term is 0 instead of the floor f(0). */
  readonly zeroWhenInactive: boolean;
}

export interface ReputationConfigInput {
  readonly preset?: string;
  readonly a?: number;
  readonly lambda?: number;
  readonly chunkSize?: number;
  readonly r2Reading?: string;
  readonly zeroWhenInactive?: boolean;
}

const isPreset = (name: string): name is PresetName => Object.hasOwn(PRESETS, name);

const integerIn = (value: number, min: number, max: number): boolean =>
  Number.isSafeInteger(value) && value >= min && value <= max;

/**
 * [REP-2] Builds a validated configuration. `a` and `lambda` override the preset (default `spchain`);
 * a must be an integer in [0, 2^32], lambda an integer in [1, 2^32], the chunk size in [1, 2^20].
 */
export const makeReputationConfig = (
  input: ReputationConfigInput = {},
): Result.Result<ReputationConfig, ReputationConfigError> => {
  const presetName = input.preset ?? "spchain";
  if (!isPreset(presetName)) {
    return Result.fail(
      new ReputationConfigError({ reason: "BadPreset", detail: `unknown preset ${JSON.stringify(presetName)}` }),
    );
  }
  const preset = PRESETS[presetName];
  const a = input.a ?? preset.a;
  const lambda = input.lambda ?? preset.lambda;
  if (!integerIn(a, 0, MAX_SIGMOID_PARAM) || !integerIn(lambda, 1, MAX_SIGMOID_PARAM)) {
    return Result.fail(
      new ReputationConfigError({
        reason: "BadSigmoid",
        detail: `a must be an integer in [0, 2^32] and lambda in [1, 2^32]: a=${a}, lambda=${lambda}`,
      }),
    );
  }
  const chunkSize = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!integerIn(chunkSize, 1, MAX_CHUNK_SIZE)) {
    return Result.fail(
      new ReputationConfigError({ reason: "BadChunkSize", detail: `chunk size must be in [1, 2^20]: ${chunkSize}` }),
    );
  }
  const r2Reading = input.r2Reading ?? "resolved";
  if (r2Reading !== "resolved" && r2Reading !== "literal") {
    return Result.fail(
      new ReputationConfigError({ reason: "BadPreset", detail: `r2Reading must be resolved or literal: ${r2Reading}` }),
    );
  }
  return Result.succeed({
    sigmoid: { a, lambda },
    chunkSize,
    r2Reading,
    zeroWhenInactive: input.zeroWhenInactive ?? false,
  });
};

/** The configuration of a preset with every other setting at its default (for the CLI and models). */
export const presetConfig = (name: PresetName, chunkSize = DEFAULT_CHUNK_SIZE): ReputationConfig => ({
  sigmoid: PRESETS[name],
  chunkSize,
  r2Reading: "resolved",
  zeroWhenInactive: false,
});
