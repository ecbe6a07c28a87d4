/**
 * RepuCoin's reputation sigmoid f(x) (spec/reputation.md, [REP-4]), shared by R1 and R2.
 * f(x) = ½·(1 + (x − a)/(λ + |x − a|)): inflection at x = a, range [0, 1], slope at most 1/(2λ)
 * (RepuCoin Theorem 1), and a floor f(0) = λ/(2(λ + a)) for an identity that has done nothing (A8).
 * @module
 */
import type { ReputationConfig, SigmoidParams } from "./params.js";

/** [REP-4] d = x − a; f = 0.5 × (1 + d / (λ + |d|)), each operation rounded to binary64 in this order. */
export const sigmoid = (x: number, params: SigmoidParams): number => {
  const d = x - params.a;
  return 0.5 * (1 + d / (params.lambda + Math.abs(d)));
};

/** [REP-4] The f(x) term of a score: 0 when `zeroWhenInactive` is set and x = 0 (A8), f(x) otherwise. */
export const sigmoidTerm = (x: number, config: ReputationConfig): number =>
  config.zeroWhenInactive && x === 0 ? 0 : sigmoid(x, config.sigmoid);

/**
 * [REP-7] A component score: 0 if dishonest (H = 0), else min(1, ext + f(x)). With ext = 0 the sum is
 * f(x) exactly, so R2 (which has no Ext) uses the same function.
 */
export const componentScore = (x: number, honest: boolean, ext: number, config: ReputationConfig): number =>
  honest ? Math.min(1, ext + sigmoidTerm(x, config)) : 0;
