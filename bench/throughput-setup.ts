/**
 * The throughput pipeline's chain and workload (SPChain §6.1, Fig. 13; spec/chain.md [CHAIN-7]): a chain of
 * the paper's 26 institutions with registered patients, each with a first record pinned at its home
 * institution, and a stream of signed medical and label transactions on top of it. Everything is a function
 * of the seed: every worker (and the driver) builds the same base state and the same transactions.
 *
 * The base is built through the ledger's own transitions (runScenario: keyblocks, pins, microblocks, a batch
 * of first visits). Setup is not measured, so its first-visit batches share a few chameleon records and HVer
 * is answered from a setup-only memo; the state handed to members carries the real, prepared chameleon keys.
 * @module
 */
import { Effect, Layer, Result } from "effect";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import type { ChameleonKey } from "../src/crypto/chameleon/scheme.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { Crypto, type CryptoShape, type Ed25519KeyPair, keyPairFromSeed } from "../src/crypto/signature.js";
import {
  type ChameleonRecord,
  collideRecord,
  contentAddress,
  labelTx,
  medicalTx,
  recordData,
  recordSeries,
} from "../src/ehealth/records.js";
import { runScenario, type ScenarioOp } from "../src/ehealth/scenario.js";
import { setupWorld, type World } from "../src/ehealth/world.js";
import { type ChainState, currentEpoch } from "../src/ledger/state.js";
import type { RecordTx } from "../src/ledger/transaction.js";
import { makeNodeCrypto } from "../src/node.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";

/** SPChain §6.1: the top-26 mining pools' shares (percent), the institutions of the paper's evaluation. */
const POOL_SHARES = [
  17.02, 15.9, 12.99, 11.25, 6.37, 6.15, 5.22, 4.58, 4.01, 3.81, 3.21, 1.84, 1.68, 1.64, 1.55, 1.2, 0.5, 0.44, 0.33,
  0.1, 0.05, 0.04, 0.04, 0.03, 0.01, 0.01,
] as const;

export interface BaseOptions {
  readonly seed: string;
  /** Institutions in the registry (at most POOL_SHARES.length); the group is the first |X| of them. */
  readonly institutions: number;
  readonly patients: number;
  /** Records per institution's chameleon series (one Hash and series − 1 HCol at setup). */
  readonly series: number;
  readonly registersPerKeyblock: number;
}

export const MIN_FEE = { register: 10, medical: 5, label: 5 } as const;

/**
 * Fixed-point reputations: each pool's share relative to the largest, floored at 0.1 so that every
 * institution has an Algorithm 2 quota of at least one (BAT-2). Descending, so the group (the first |X|)
 * is the top of the ranking.
 */
export const reputations = (institutions: number): bigint[] =>
  POOL_SHARES.slice(0, institutions).map((share) => {
    const scaled = (BigInt(Math.round(share * 1000)) * REPUTATION_SCALE) / 17_020n;
    return scaled < REPUTATION_SCALE / 10n ? REPUTATION_SCALE / 10n : scaled;
  });

export interface Base {
  readonly options: BaseOptions;
  readonly crypto: CryptoShape;
  readonly world: World;
  /** The chain after setup, with the real (prepared) chameleon keys. */
  readonly state: ChainState;
  readonly patients: readonly Ed25519KeyPair[];
  /** Per institution: its series (first element hashed, the others collisions of it). */
  readonly series: readonly (readonly ChameleonRecord[])[];
  /** Per patient: the id of its pinned first visit (what its labels correct). */
  readonly firstVisit: readonly Uint8Array[];
  readonly epoch: number;
}

/** A patient's home institution: where its first visit was pinned, and where its later records go. */
export const homeOf = (base: Base, patient: number): number => patient % base.options.institutions;

/** [CH-8] HVer answered once per input, for the setup only (its batches share a few records). */
const setupMemo = (key: ChameleonKey): ChameleonKey => {
  const known = new Map<string, ReturnType<ChameleonKey["verify"]>>();
  return {
    ...key,
    verify: (message, h, r) => {
      const id = `${Buffer.from(message).toString("hex")}${Buffer.from(h).toString("hex")}${Buffer.from(r).toString("hex")}`;
      const hit = known.get(id);
      if (hit !== undefined) return hit;
      const answer = key.verify(message, h, r);
      known.set(id, answer);
      return answer;
    },
  };
};

/** A deterministic content address standing for a ciphertext held by a custodian (only its address is on chain). */
const pointerFor = (seed: string, institution: number, k: number): Uint8Array =>
  contentAddress(utf8ToBytes(`${seed} ciphertext ${institution}/${k}`));

const layerFor = (crypto: CryptoShape, seed: string) =>
  Layer.mergeAll(Layer.succeed(Crypto, Crypto.of(crypto)), Randomness.seeded(utf8ToBytes(seed)));

/**
 * Builds the base chain: institutions, patients registered in keyblocks of `registersPerKeyblock`, one more
 * keyblock so that every round's microblocks exist, then each patient's first visit at its home institution.
 */
export const buildBase = (options: BaseOptions): Base => {
  // Patients sign from many keys: the key caches hold them all, as a busy node's would.
  const crypto = makeNodeCrypto({
    secretKeyCacheEntries: options.patients + options.institutions + 16,
    publicKeyCacheEntries: options.patients + options.institutions + 64,
  });
  const layer = layerFor(crypto, `${options.seed} setup`);
  const world = Effect.runSync(
    Effect.provide(
      setupWorld({
        institutions: Array.from({ length: options.institutions }, (_, i) => `pool ${i}`),
        difficulty_bits: 4,
        freshness_window: 1_000_000,
        min_fee: MIN_FEE,
        reputations: reputations(options.institutions),
      }),
      layer,
    ),
  );
  const series = Effect.runSync(
    Effect.provide(
      Effect.forEach(world.institutions, (institution, i) =>
        Effect.orDie(
          recordSeries(
            institution,
            Array.from({ length: options.series }, (_, k) => pointerFor(options.seed, i, k)),
          ),
        ),
      ),
      layer,
    ),
  );
  const source = seededSource(utf8ToBytes(`${options.seed} patients`));
  const patients = Array.from({ length: options.patients }, () => keyPairFromSeed(crypto, source.bytes(32)));
  const realKeys = world.state.chKeys;
  const setupWorldState = { ...world, state: { ...world.state, chKeys: realKeys.map(setupMemo) } };
  const ops: ScenarioOp[] = [];
  for (let first = 0; first < options.patients; first += options.registersPerKeyblock) {
    ops.push({ _tag: "Round", registers: Math.min(options.registersPerKeyblock, options.patients - first), miner: 0 });
  }
  ops.push({ _tag: "Round", registers: 0, miner: 1 });
  const visits = Array.from({ length: options.patients }, (_, p) => ({
    patient: p,
    institution: p % options.institutions,
    label: false,
    includeHash: false,
  }));
  for (let first = 0; first < visits.length; first += 1000) {
    ops.push({ _tag: "Batch", records: visits.slice(first, first + 1000) });
  }
  const result = Result.getOrThrow(runScenario({ world: setupWorldState, series, patients }, ops));
  const state = { ...result.world.state, chKeys: realKeys };
  const firstVisit = patients.map((_, p) => {
    const record = result.expected.get(p)?.[0];
    if (record === undefined) throw new Error(`setup: patient ${p} has no first visit`);
    return record.id;
  });
  return {
    options,
    crypto,
    world: { ...result.world, state },
    state,
    patients,
    series,
    firstVisit,
    epoch: currentEpoch(state),
  };
};

export interface StreamOptions {
  /** Every `labelEvery`-th transaction is a label correcting the patient's first visit (0: none). */
  readonly labelEvery: number;
  /**
   * Chameleon records by transaction index (distinct ones for the full-validation runs, so that no
   * member's HVer is ever answered for another transaction); default: the institution's series, reused.
   */
  readonly records?: (index: number, institution: number) => ChameleonRecord;
}

/**
 * Transaction `j` of the stream: patient j mod P at its home institution, h omitted (the leaf exists), a
 * distinct fee (TX-7), and a record whose pointer is new to the patient's leaf (CHAIN-7): the k-th
 * transaction of a patient takes its institution's series record k + 1 (record 0 is the first visit), so
 * the stream holds at most (series − 1) × P transactions unless `records` gives distinct ones.
 */
export const streamTransaction = (base: Base, options: StreamOptions, j: number): RecordTx => {
  const patient = j % base.options.patients;
  const institution = homeOf(base, patient);
  const own = base.series[institution] ?? [];
  const record = options.records?.(j, institution) ?? own[1 + Math.floor(j / base.options.patients)];
  if (record === undefined) {
    throw new RangeError(`stream transaction ${j}: the series of ${own.length} records is used up for its patient`);
  }
  const key = base.patients[patient] as Ed25519KeyPair;
  const data = recordData(record, true);
  const context = { institution, round: base.epoch, fee: MIN_FEE.medical + 1 + j };
  const target = base.firstVisit[patient] as Uint8Array;
  const label = options.labelEvery > 0 && j % options.labelEvery === options.labelEvery - 1;
  return label
    ? labelTx(base.crypto, key, patient, target, data, context)
    : medicalTx(base.crypto, key, patient, data, context);
};

/**
 * [CH-9] Distinct collisions for transactions `indices` of a stream: record j at institution i is a
 * collision of i's series head on a fresh pointer. Expensive (one HCol each): spread over workers.
 */
export const distinctRecords = (
  base: Base,
  indices: readonly number[],
): { readonly index: number; readonly record: ChameleonRecord }[] =>
  indices.map((j) => {
    const institution = homeOf(base, j % base.options.patients);
    const account = base.world.institutions[institution];
    const head = base.series[institution]?.[0];
    if (account === undefined || head === undefined) throw new Error(`no institution ${institution}`);
    const pointer = pointerFor(`${base.options.seed} stream`, institution, j);
    // One seeded source per record: the records do not depend on how the indices are split among workers.
    const layer = layerFor(base.crypto, `${base.options.seed} collision ${j}`);
    const record = Effect.runSync(Effect.provide(Effect.orDie(collideRecord(account, head, pointer)), layer));
    return { index: j, record };
  });
