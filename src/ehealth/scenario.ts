/**
 * Valid histories from a plan (spec/chain.md [CHAIN-4]..[CHAIN-7]; spec/retrieval.md [RET-2]): rounds that
 * register patients, and batches of first visits, later visits and corrections, turned into signed
 * transactions and applied through the honest producers of world.ts. Besides the new world it returns every
 * step it applied and the history each patient should now have, so that properties, vectors and the model
 * can compare the ledger with an independent account of what happened.
 * @module
 */
import { Result } from "effect";
import { bytesToHex } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import type { Ed25519KeyPair } from "../crypto/signature.js";
import type { Batch } from "../ledger/batch.js";
import type { LedgerError } from "../ledger/errors.js";
import type { Keyblock } from "../ledger/keyblock.js";
import type { MicroblockHeader } from "../ledger/microblock.js";
import { currentEpoch } from "../ledger/state.js";
import { type RecordTx, type RegisterTx, transactionId } from "../ledger/transaction.js";
import { type ChameleonRecord, labelTx, medicalTx, recordData, registerTx } from "./records.js";
import { pinBatch, runRound, type World } from "./world.js";

/** One record of a batch: which patient and institution (both taken modulo what exists), and its form. */
export interface RecordOp {
  readonly patient: number;
  readonly institution: number;
  /** A correction of one of the patient's records at that institution, if it has one. */
  readonly label: boolean;
  /** Repeat h although the leaf exists (TX-4 allows both). */
  readonly includeHash: boolean;
}

export type ScenarioOp =
  | { readonly _tag: "Round"; readonly registers: number; readonly miner: number }
  | { readonly _tag: "Batch"; readonly records: readonly RecordOp[] };

/**
 * What a scenario draws on: the world, each institution's record series (one leaf value each, its records'
 * pointers distinct), patient keys. A leaf takes the series' records in order, so its length bounds how many
 * records one patient gets at one institution.
 */
export interface ScenarioKit {
  readonly world: World;
  readonly series: readonly (readonly ChameleonRecord[])[];
  readonly patients: readonly Ed25519KeyPair[];
}

/** A step as applied, in order (what a transition vector replays). */
export type AppliedStep =
  | { readonly _tag: "Keyblock"; readonly keyblock: Keyblock }
  | { readonly _tag: "KeyblockPin"; readonly pin: Batch["certificate"] }
  | { readonly _tag: "Microblock"; readonly header: MicroblockHeader; readonly leader: Uint8Array }
  | { readonly _tag: "Batch"; readonly batch: Batch };

/** [RET-2] A medical record as the patient's history should show it. */
export interface ExpectedRecord {
  readonly id: Uint8Array;
  readonly institution: number;
  readonly corrections: Uint8Array[];
}

export interface ScenarioResult {
  readonly world: World;
  readonly steps: readonly AppliedStep[];
  /** Per block number, the medical records in pin order. */
  readonly expected: ReadonlyMap<number, readonly ExpectedRecord[]>;
}

/** [TX-3] A scenario identity: distinct per patient key (tests skip the scrypt stretching). */
export const scenarioIdentity = (patient: Ed25519KeyPair): Uint8Array => taggedHash(TAGS.IDENTITY, patient.publicKey);

interface Progress {
  world: World;
  registered: number;
  fee: number;
  readonly steps: AppliedStep[];
  readonly expected: Map<number, ExpectedRecord[]>;
}

const round = (
  kit: ScenarioKit,
  p: Progress,
  op: Extract<ScenarioOp, { _tag: "Round" }>,
): Result.Result<void, LedgerError> => {
  const epoch = currentEpoch(p.world.state);
  const n = p.world.institutions.length;
  const registers: RegisterTx[] = [];
  for (let i = 0; i < op.registers && p.registered + i < kit.patients.length; i++) {
    const patient = kit.patients[p.registered + i] as Ed25519KeyPair;
    const context = { institution: (p.registered + i) % n, round: epoch, fee: p.world.state.config.min_fee.register };
    registers.push(registerTx(p.world.crypto, patient, scenarioIdentity(patient), context));
  }
  return Result.map(runRound(p.world, registers, op.miner % n), ({ world, round: out }) => {
    p.world = world;
    p.registered += registers.length;
    p.steps.push({ _tag: "Keyblock", keyblock: out.keyblock }, { _tag: "KeyblockPin", pin: out.pin });
    for (const header of out.microblocks)
      p.steps.push({ _tag: "Microblock", header, leader: out.leader.signing.publicKey });
  });
};

/**
 * [CHAIN-7] The record `op` asks for, or undefined once its leaf has used every record of its institution's
 * series: a leaf never repeats a pointer (PointerRepeated), so the k-th record of a leaf is the series' k-th.
 */
const makeRecord = (
  kit: ScenarioKit,
  p: Progress,
  op: RecordOp,
  leafRecords: Map<string, number>,
): RecordTx | undefined => {
  const n = p.world.institutions.length;
  const number = op.patient % p.registered;
  const institution = op.institution % n;
  const leafKey = `${number}/${institution}`;
  const k = leafRecords.get(leafKey) ?? 0;
  const record = kit.series[institution]?.[k];
  if (record === undefined) return undefined;
  leafRecords.set(leafKey, k + 1);
  const patient = kit.patients[number] as Ed25519KeyPair;
  const context = {
    institution,
    round: currentEpoch(p.world.state),
    fee: p.world.state.config.min_fee.medical + p.fee++,
  };
  const data = recordData(record, k > 0 && !op.includeHash);
  const history = p.expected.get(number) ?? [];
  const targets = history.filter((r) => r.institution === institution);
  const target = targets[op.patient % Math.max(1, targets.length)];
  if (op.label && target !== undefined) {
    const tx = labelTx(p.world.crypto, patient, number, target.id, data, context);
    target.corrections.push(transactionId(tx));
    return tx;
  }
  const tx = medicalTx(p.world.crypto, patient, number, data, context);
  p.expected.set(number, [...history, { id: transactionId(tx), institution, corrections: [] }]);
  return tx;
};

/** Runs the plan from a genesis world; a failure is a ledger error on a history that should have been valid. */
export const runScenario = (
  kit: ScenarioKit,
  ops: readonly ScenarioOp[],
): Result.Result<ScenarioResult, LedgerError> => {
  const p: Progress = { world: kit.world, registered: 0, fee: 0, steps: [], expected: new Map() };
  const leafRecords = new Map<string, number>();
  for (const op of ops) {
    if (op._tag === "Round") {
      const done = round(kit, p, op);
      if (Result.isFailure(done)) return Result.fail(done.failure);
      continue;
    }
    if (p.registered === 0) continue;
    const transactions = op.records.flatMap((record) => makeRecord(kit, p, record, leafRecords) ?? []);
    if (transactions.length === 0) continue;
    const pinned = pinBatch(p.world, transactions, p.steps.length);
    if (Result.isFailure(pinned)) return Result.fail(pinned.failure);
    p.world = pinned.success.world;
    p.steps.push({ _tag: "Batch", batch: pinned.success.batch });
  }
  return Result.succeed({ world: p.world, steps: p.steps, expected: p.expected });
};

/** Hex ids of an expected history, for comparisons. */
export const expectedIds = (records: readonly ExpectedRecord[]): string[] => records.map((r) => bytesToHex(r.id));
