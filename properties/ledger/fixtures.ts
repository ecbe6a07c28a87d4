/**
 * Shared fixtures of the ledger properties: a genesis world of three institutions with low difficulty, each
 * institution's precomputed record series (one Hash and a few HCol, reused by every run because a series fits
 * any patient), and patient keys. Built once per test file from a fixed seed.
 */
import { Effect, Layer, Result } from "effect";
import fc from "fast-check";
import { bytesToHex, utf8ToBytes } from "../../src/crypto/bytes.js";
import type { ChameleonKey } from "../../src/crypto/chameleon/scheme.js";
import { Randomness } from "../../src/crypto/random.js";
import { type Crypto, type Ed25519KeyPair, generateKeyPair } from "../../src/crypto/signature.js";
import { contentAddress, recordSeries } from "../../src/ehealth/records.js";
import { runScenario, type ScenarioKit, type ScenarioOp, type ScenarioResult } from "../../src/ehealth/scenario.js";
import { setupWorld } from "../../src/ehealth/world.js";
import { nodeCryptoLayer } from "../../src/node.js";

/** The node:crypto fast path (SIG-7: it agrees with noble on every input) keeps the signature work cheap. */
export const layerOf = (seed: string) => Layer.mergeAll(nodeCryptoLayer, Randomness.seeded(utf8ToBytes(seed)));

/**
 * HVer answers memoized on the whole input (pointer, h, r): the series are reused by every run, so each
 * distinct check is computed once per file. The answers are the real scheme's.
 */
const memoized = (key: ChameleonKey): ChameleonKey => {
  const answers = new Map<string, ReturnType<ChameleonKey["verify"]>>();
  return {
    ...key,
    verify: (message, h, r) => {
      const id = `${bytesToHex(message)}${bytesToHex(h)}${bytesToHex(r)}`;
      const known = answers.get(id);
      if (known !== undefined) return known;
      const answer = key.verify(message, h, r);
      answers.set(id, answer);
      return answer;
    },
  };
};

export const runWith = <A, E>(seed: string, effect: Effect.Effect<A, E, Crypto | Randomness>): A =>
  Effect.runSync(Effect.provide(effect, layerOf(seed)));

export const MIN_FEE = { register: 10, medical: 5, label: 5 } as const;

export interface KitOptions {
  readonly institutions?: number;
  readonly difficulty_bits?: number;
  readonly freshness_window?: number;
  readonly seriesLength?: number;
  readonly patients?: number;
}

/** A genesis world with its record series and patient keys. */
export const makeKit = (seed: string, options: KitOptions = {}): ScenarioKit =>
  runWith(
    seed,
    Effect.gen(function* () {
      const names = ["A", "B", "C", "D", "E"].slice(0, options.institutions ?? 3);
      const world = yield* setupWorld({
        institutions: names,
        difficulty_bits: options.difficulty_bits ?? 4,
        freshness_window: options.freshness_window ?? 3,
        min_fee: MIN_FEE,
      });
      const series = [];
      for (const institution of world.institutions) {
        const pointers = Array.from({ length: options.seriesLength ?? 4 }, (_, k) =>
          contentAddress(utf8ToBytes(`${institution.name} record ${k}`)),
        );
        series.push(yield* Effect.orDie(recordSeries(institution, pointers)));
      }
      const patients: Ed25519KeyPair[] = [];
      for (let i = 0; i < (options.patients ?? 8); i++) patients.push(yield* generateKeyPair);
      const state = { ...world.state, chKeys: world.state.chKeys.map(memoized) };
      return { world: { ...world, state }, series, patients };
    }),
  );

const recordOp = fc.record({
  patient: fc.nat({ max: 31 }),
  institution: fc.nat({ max: 7 }),
  label: fc.boolean(),
  includeHash: fc.boolean(),
});

/** A plan that starts with a round that registers someone, then mixes rounds and batches. */
export const scenarioOps = (maxOps = 5, maxRecords = 4): fc.Arbitrary<ScenarioOp[]> =>
  fc
    .tuple(
      fc.record({ registers: fc.integer({ min: 1, max: 3 }), miner: fc.nat({ max: 7 }) }),
      fc.array(
        fc.oneof(
          fc
            .record({ registers: fc.nat({ max: 2 }), miner: fc.nat({ max: 7 }) })
            .map((r) => ({ _tag: "Round" as const, ...r })),
          fc
            .array(recordOp, { minLength: 1, maxLength: maxRecords })
            .map((records) => ({ _tag: "Batch" as const, records })),
        ),
        { maxLength: maxOps },
      ),
    )
    .map(([first, rest]) => [{ _tag: "Round" as const, ...first }, ...rest]);

/** Runs a plan that must be valid; a ledger error is a test failure with its tag. */
export const mustRun = (kit: ScenarioKit, ops: readonly ScenarioOp[]): ScenarioResult => {
  const result = runScenario(kit, ops);
  if (Result.isFailure(result))
    throw new Error(`valid history rejected: ${result.failure._tag}: ${result.failure.message}`);
  return result.success;
};

/**
 * A kit built when a test first reads it, not when the file loads: the work then belongs to a test (so that
 * mutation testing can attribute coverage), and files whose tests are filtered out build nothing.
 */
export const lazyKit = (seed: string, options: KitOptions = {}): ScenarioKit => {
  let built: ScenarioKit | undefined;
  const get = (): ScenarioKit => {
    built ??= makeKit(seed, options);
    return built;
  };
  return {
    get world() {
      return get().world;
    },
    get series() {
      return get().series;
    },
    get patients() {
      return get().patients;
    },
  };
};
