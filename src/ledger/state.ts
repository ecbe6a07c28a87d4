/**
 * The chain state (spec/chain.md [CHAIN-1], [CHAIN-2]): immutable, with structural sharing. Pinned keyblocks
 * by height and patient slots by block number are persistent vectors; registered identities, patient keys and
 * pinned transaction ids are effect `HashMap`s keyed by hex. A transition returns a new state; the old one
 * stays valid, so a property test can branch a state for free.
 * @module
 */
import { HashMap, Option, Result } from "effect";
import type { PinCertificate } from "../consensus/certificate.js";
import { bytesToHex } from "../crypto/bytes.js";
import type { ChameleonKey } from "../crypto/chameleon/scheme.js";
import { type ChainConfig, checkConfig, genesisKeyblockId, genesisMicroblockId } from "./config.js";
import { ChainConfigInvalid } from "./errors.js";
import type { Keyblock, KeyblockHeader } from "./keyblock.js";
import type { MicroblockHeader } from "./microblock.js";
import type { PatientSlot } from "./patient-block.js";
import { PersistentVector } from "./pvec.js";
import type { RecordTx } from "./transaction.js";

/** A pinned keyblock and the progress of its round's microblocks. */
export interface PinnedKeyblock {
  readonly height: number;
  readonly id: Uint8Array;
  /** Undefined for genesis (KB-5), which is a constant, not a mined block. */
  readonly keyblock: Keyblock | undefined;
  readonly pin: PinCertificate | undefined;
  /** The block number of the round's first register transaction. */
  readonly firstNumber: number;
  /** The number of register transactions (= microblocks of the round). */
  readonly registers: number;
  /** How many of the round's microblocks exist (they are created in index order, MB-3). */
  readonly created: number;
}

/** Where a pinned transaction is. */
export type TxLocation =
  | { readonly kind: "register"; readonly number: number }
  | { readonly kind: "medical" | "label"; readonly number: number; readonly leaf: number; readonly sequence: number };

/** A pinned batch: its certificate, epoch, transactions and their entries (PIN-4), in batch order. */
export interface PinnedBatch {
  /** Position among all pinned batches. */
  readonly index: number;
  readonly epoch: number;
  readonly certificate: PinCertificate;
  readonly transactions: readonly RecordTx[];
  readonly entries: readonly Uint8Array[];
}

export interface Candidate {
  readonly id: Uint8Array;
  readonly keyblock: Keyblock;
}

export interface ChainState {
  readonly config: ChainConfig;
  /** [CHAIN-1] Each institution's chameleon key, decoded and prepared once. */
  readonly chKeys: readonly ChameleonKey[];
  readonly genesisMicroblock: Uint8Array;
  readonly keyblocks: PersistentVector<PinnedKeyblock>;
  readonly candidates: readonly Candidate[];
  readonly patients: PersistentVector<PatientSlot>;
  readonly identities: HashMap.HashMap<string, number>;
  readonly patientKeys: HashMap.HashMap<string, number>;
  readonly txs: HashMap.HashMap<string, TxLocation>;
  readonly batches: PersistentVector<PinnedBatch>;
}

/** [CHAIN-1] The genesis state: KB_0 pinned, nothing else. */
export const genesisState = (config: ChainConfig): Result.Result<ChainState, ChainConfigInvalid> =>
  Result.flatMap(checkConfig(config), (checked) => {
    const chKeys: ChameleonKey[] = [];
    for (const [index, entry] of checked.institutions.entries()) {
      const key = entry.chScheme.key(entry.chKey, { prepare: true });
      if (Result.isFailure(key)) {
        return Result.fail(new ChainConfigInvalid({ detail: `institution ${index}: ${key.failure.message}` }));
      }
      chKeys.push(key.success);
    }
    const genesis: PinnedKeyblock = {
      height: 0,
      id: genesisKeyblockId(checked),
      keyblock: undefined,
      pin: undefined,
      firstNumber: 0,
      registers: 0,
      created: 0,
    };
    return Result.succeed({
      config: checked,
      chKeys,
      genesisMicroblock: genesisMicroblockId(checked),
      keyblocks: PersistentVector.empty<PinnedKeyblock>().push(genesis),
      candidates: [],
      patients: PersistentVector.empty<PatientSlot>(),
      identities: HashMap.empty(),
      patientKeys: HashMap.empty(),
      txs: HashMap.empty(),
      batches: PersistentVector.empty<PinnedBatch>(),
    });
  });

/** The last pinned keyblock (genesis at least). */
export const tip = (state: ChainState): PinnedKeyblock => state.keyblocks.last() as PinnedKeyblock;

/** [CHAIN-8] The current epoch: the height of the last pinned keyblock. */
export const currentEpoch = (state: ChainState): number => state.keyblocks.size - 1;

export const patientCount = (state: ChainState): number => state.patients.size;

/** The key a transaction id is recorded under in `txs`: its hex, computed once per placed transaction. */
export const txKey = (id: Uint8Array): string => bytesToHex(id);

export const lookupTxKey = (state: ChainState, key: string): TxLocation | undefined =>
  Option.getOrUndefined(HashMap.get(state.txs, key));

export const lookupTx = (state: ChainState, id: Uint8Array): TxLocation | undefined => lookupTxKey(state, txKey(id));

export const hasIdentity = (state: ChainState, identity: Uint8Array): boolean =>
  HashMap.has(state.identities, bytesToHex(identity));

export const hasPatientKey = (state: ChainState, key: Uint8Array): boolean =>
  HashMap.has(state.patientKeys, bytesToHex(key));

/** The pinned header of a keyblock, if the height is pinned and not genesis. */
export const keyblockHeaderAt = (state: ChainState, height: number): KeyblockHeader | undefined =>
  state.keyblocks.get(height)?.keyblock?.header;

/** The microblock header of a patient, once created. */
export const microblockOf = (state: ChainState, number: number): MicroblockHeader | undefined =>
  state.patients.get(number)?.header;
