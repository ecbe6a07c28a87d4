/**
 * How every property in this project is run (spec/conventions.md, [CONV-5]):
 * - `holds(name, property)` runs it; on failure the error's first line is a one-line replay:
 *   `REPLAY FC_SEED=<seed> FC_PATH=<path> [FC_REPLAY_PATH=<replayPath>] vitest run -t "<name>"`.
 * - `failsOn(name, property)` is a negative control: the property, run against a deliberately broken
 *   system, must find a counterexample (and shrink it); if it does not, the check cannot fail.
 * Seeds: FC_SEED / FC_PATH / FC_REPLAY_PATH replay one failure; FC_RUNS_SCALE scales every run count
 * (the long campaigns); without them each run draws a fresh seed and prints it on failure. Negative
 * controls run from a fixed seed (FC_NEGATIVE_SEED overrides it) so that they find their bug on every run.
 * @module
 */
import fc from "fast-check";

/** An integer from the environment, or undefined when unset or empty. */
export const envInt = (name: string): number | undefined => {
  const raw = process.env[name];
  return raw === undefined || raw === "" ? undefined : Number.parseInt(raw, 10);
};

/** Multiplies each property's run count (FC_RUNS_SCALE), for long campaigns. */
export const runScale = (): number => envInt("FC_RUNS_SCALE") ?? 1;

export interface HoldsOptions {
  readonly numRuns?: number;
  readonly replayPath?: string;
}

/** The run parameters of a positive property: FC_SEED / FC_PATH replay one failure, FC_RUNS_SCALE scales. */
export const replayParameters = (numRuns: number): fc.Parameters<unknown> => {
  const seed = envInt("FC_SEED");
  const path = process.env.FC_PATH;
  const params: fc.Parameters<unknown> = { numRuns: numRuns * runScale(), endOnFailure: true };
  if (seed !== undefined) return { ...params, seed, ...(path ? { path } : {}) };
  return params;
};

/** The one-line replay of a failed run. */
export const replayLine = (name: string, details: fc.RunDetails<unknown>, replayPath?: string): string => {
  const parts = [`REPLAY FC_SEED=${details.seed}`];
  if (details.counterexamplePath !== null) parts.push(`FC_PATH=${details.counterexamplePath}`);
  if (replayPath !== undefined) parts.push(`FC_REPLAY_PATH=${replayPath}`);
  parts.push(`npx vitest run -t ${JSON.stringify(name)}`);
  return parts.join(" ");
};

/** Runs the property; a failure throws with the replay line first, then fast-check's report. */
export const holds = <Ts>(
  name: string,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  options: HoldsOptions = {},
): void | Promise<void> => {
  const params = replayParameters(options.numRuns ?? 100) as fc.Parameters<Ts>;
  const report = (details: fc.RunDetails<Ts>): void => {
    if (!details.failed) return;
    const line = replayLine(name, details as fc.RunDetails<unknown>, options.replayPath);
    throw new Error(`${line}\n${fc.defaultReportMessage(details)}`);
  };
  if (property.isAsync()) return (fc.check(property, params) as Promise<fc.RunDetails<Ts>>).then(report);
  report(fc.check(property as fc.IProperty<Ts>, params) as fc.RunDetails<Ts>);
};

/** The seed of every negative control: FC_NEGATIVE_SEED, or a constant so that CI is deterministic. */
const negativeControlSeed = (): number => envInt("FC_NEGATIVE_SEED") ?? 20_201_026;

export interface Counterexample<Ts> {
  readonly value: Ts;
  readonly shrinks: number;
  readonly replay: string;
  /** Where fast-check found it: the seed and the path of the shrunk counterexample. */
  readonly found: { readonly seed: number; readonly path: string };
}

/**
 * Negative control: the property must FAIL. Returns the shrunk counterexample so the test can
 * assert it is the expected kind of failure (and small).
 */
export const failsOn = <Ts>(name: string, property: fc.IProperty<Ts>, numRuns = 200): Counterexample<Ts> => {
  // A fixed seed: a negative control must find its counterexample on every CI run, not on most.
  const details = fc.check(property, { numRuns, seed: negativeControlSeed() });
  if (!details.failed || details.counterexample === null) {
    throw new Error(`negative control ${name}: no counterexample in ${details.numRuns} runs; the check cannot fail`);
  }
  return {
    value: details.counterexample,
    shrinks: details.numShrinks,
    replay: replayLine(name, details as fc.RunDetails<unknown>),
    found: { seed: details.seed, path: details.counterexamplePath ?? "" },
  };
};
