/**
 * Transactions checked in context (spec/chain.md [CHAIN-4] step 9, [CHAIN-7] step 4, [CHAIN-8]..[CHAIN-11];
 * spec/transactions.md [TX-6]; spec/blocks.md [MB-5]): freshness, fee, institution, patient, signature,
 * replay, identity, label target, leaf value, pointer and HVer, in the order the rules list, the first failure
 * being the error. A record that passes gets its placement (leaf, leaf value) in the patient's block.
 * @module
 */
import { Result } from "effect";
import { bytesEqual, bytesToHex } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { ChainConfig, TransactionKind } from "./config.js";
import {
  BadSignature,
  ChameleonHashInvalid,
  ChameleonSchemeMismatch,
  IdentityAlreadyRegistered,
  InsufficientFee,
  LabelTargetNotMedical,
  LabelTargetOtherInstitution,
  LabelTargetOtherPatient,
  LabelTargetUnknown,
  LeafMissing,
  LeafValueMismatch,
  PatientAlreadyRegistered,
  PatientBlockPending,
  PointerRepeated,
  RoundInFuture,
  RoundTooOld,
  type TransactionError,
  TransactionReplayed,
  UnknownInstitution,
  UnknownPatient,
} from "./errors.js";
import { leafIndexOf, leafRecords, type PatientSlot } from "./patient-block.js";
import { type ChainState, hasIdentity, hasPatientKey, lookupTx, lookupTxKey, txKey } from "./state.js";
import { type RecordTx, type RegisterTx, verifyEncodedTransaction, verifyTransaction } from "./transaction.js";

/** [CHAIN-8] Fresh in epoch e iff e - W < round <= e. */
export const checkFreshness = (
  config: ChainConfig,
  epoch: number,
  round: number,
): RoundTooOld | RoundInFuture | undefined => {
  if (round > epoch) return new RoundInFuture({ detail: `round ${round} is after epoch ${epoch}` });
  if (round + config.freshness_window <= epoch) {
    return new RoundTooOld({
      detail: `round ${round} is ${config.freshness_window} or more rounds before epoch ${epoch}`,
    });
  }
  return undefined;
};

/** [CHAIN-9] [RWD-1] A fee below its kind's minimum (a missing fee is 0) is rejected. */
export const checkFee = (config: ChainConfig, kind: TransactionKind, fee: number): InsufficientFee | undefined =>
  fee >= config.min_fee[kind]
    ? undefined
    : new InsufficientFee({ detail: `${kind} fee ${fee} < ${config.min_fee[kind]}` });

/** [TX-2] The receiver is an index of the registry. */
export const checkInstitution = (config: ChainConfig, index: number): UnknownInstitution | undefined =>
  index < config.institutions.length
    ? undefined
    : new UnknownInstitution({ detail: `institution ${index} of ${config.institutions.length}` });

/** [CHAIN-7] A record names its institution's chameleon scheme (TX-4); call after `checkInstitution`. */
export const checkScheme = (config: ChainConfig, tx: RecordTx): ChameleonSchemeMismatch | undefined => {
  const expected = config.institutions[tx.institution]?.chScheme;
  return expected === undefined || expected.id === tx.record.scheme
    ? undefined
    : new ChameleonSchemeMismatch({
        detail: `record names scheme ${tx.record.scheme}, institution ${tx.institution} uses ${expected.id}`,
      });
};

/** Register transactions seen earlier in the same keyblock (CHAIN-10, CHAIN-11). */
export interface RegisterSeen {
  readonly ids: Set<string>;
  readonly identities: Set<string>;
  readonly keys: Set<string>;
}

/** [CHAIN-4] step 9: a register transaction in epoch `epoch` = i - 1. */
export const checkRegister = (
  crypto: CryptoShape,
  state: ChainState,
  epoch: number,
  tx: RegisterTx,
  id: Uint8Array,
  seen: RegisterSeen,
): TransactionError | undefined => {
  const idHex = bytesToHex(id);
  const early =
    checkFreshness(state.config, epoch, tx.round) ??
    checkFee(state.config, "register", tx.fee) ??
    checkInstitution(state.config, tx.institution);
  if (early !== undefined) return early;
  if (!verifyTransaction(crypto, tx.patientKey, tx)) return new BadSignature({ detail: `register ${idHex}` });
  if (lookupTx(state, id) !== undefined || seen.ids.has(idHex)) {
    return new TransactionReplayed({ detail: `register ${idHex}` });
  }
  const identity = bytesToHex(tx.identity);
  if (hasIdentity(state, tx.identity) || seen.identities.has(identity)) {
    return new IdentityAlreadyRegistered({ detail: `identity ${identity}` });
  }
  const key = bytesToHex(tx.patientKey);
  if (hasPatientKey(state, tx.patientKey) || seen.keys.has(key)) {
    return new PatientAlreadyRegistered({ detail: `patient key ${key}` });
  }
  return undefined;
};

/** Where an accepted record goes: its patient's slot, its leaf (-1 for a new one) and the leaf value. */
export interface Placement {
  readonly slot: PatientSlot;
  readonly leafIndex: number;
  readonly leafValue: Uint8Array;
  /** For a label: the labelled record's leaf and sequence number. */
  readonly target: { readonly leaf: number; readonly sequence: number } | undefined;
  /** The transaction id's key in the state's `txs` (txKey), computed once for the replay check and the placing. */
  readonly idKey: string;
}

const patientOf = (state: ChainState, tx: RecordTx): Result.Result<PatientSlot, TransactionError> => {
  const slot = state.patients.get(tx.patient);
  if (slot === undefined)
    return Result.fail(new UnknownPatient({ detail: `no patient has block number ${tx.patient}` }));
  if (slot.header === undefined) {
    return Result.fail(
      new PatientBlockPending({ detail: `the microblock of patient ${tx.patient} is not created yet` }),
    );
  }
  return Result.succeed(slot);
};

/** [CHAIN-7] A label's target: a pinned medical record of the same patient and institution. */
const labelTarget = (
  state: ChainState,
  tx: RecordTx,
): Result.Result<{ readonly leaf: number; readonly sequence: number } | undefined, TransactionError> => {
  if (tx._tag !== "label") return Result.succeed(undefined);
  const hex = txKey(tx.target);
  const location = lookupTxKey(state, hex);
  if (location === undefined) return Result.fail(new LabelTargetUnknown({ detail: `no pinned transaction ${hex}` }));
  if (location.kind !== "medical") {
    return Result.fail(new LabelTargetNotMedical({ detail: `${hex} is a ${location.kind} transaction` }));
  }
  if (location.number !== tx.patient) {
    return Result.fail(new LabelTargetOtherPatient({ detail: `${hex} is patient ${location.number}'s record` }));
  }
  const institution = state.patients.get(location.number)?.leaves[location.leaf]?.institution;
  if (institution !== tx.institution) {
    return Result.fail(new LabelTargetOtherInstitution({ detail: `${hex} was issued by institution ${institution}` }));
  }
  return Result.succeed({ leaf: location.leaf, sequence: location.sequence });
};

/**
 * [MB-5] The leaf value a record must carry: its leaf's, or its own h for a first treatment; [CHAIN-7] its
 * pointer must be new to the leaf.
 */
const leafOf = (
  slot: PatientSlot,
  tx: RecordTx,
): Result.Result<{ readonly leafIndex: number; readonly leafValue: Uint8Array }, TransactionError> => {
  const leafIndex = leafIndexOf(slot, tx.institution);
  const h = tx.record.h;
  const existing = slot.leaves[leafIndex];
  if (existing === undefined) {
    return h === undefined
      ? Result.fail(new LeafMissing({ detail: `institution ${tx.institution} has no leaf for patient ${tx.patient}` }))
      : Result.succeed({ leafIndex: -1, leafValue: h });
  }
  if (h !== undefined && !bytesEqual(h, existing.value)) {
    return Result.fail(new LeafValueMismatch({ detail: `h differs from leaf ${leafIndex}'s value` }));
  }
  // HVer holds for every (pointer, r) pair already under the leaf: restating one needs no trapdoor, so only a
  // pointer new to the leaf can show the institution's work (AMB-53).
  const repeated = leafRecords(slot, leafIndex).find((record) =>
    bytesEqual(record.tx.record.pointer, tx.record.pointer),
  );
  if (repeated !== undefined) {
    return Result.fail(new PointerRepeated({ detail: `pointer of record ${repeated.sequence} in leaf ${leafIndex}` }));
  }
  return Result.succeed({ leafIndex, leafValue: existing.value });
};

/**
 * [CHAIN-7] step 4: a medical or label transaction in epoch `epoch`, against the state as it is now. With
 * `encoded`, tx's complete encoding (an EncodedRecordTx's), the signature is checked on it (TX-6).
 */
export const checkRecord = (
  crypto: CryptoShape,
  state: ChainState,
  epoch: number,
  tx: RecordTx,
  id: Uint8Array,
  encoded?: Uint8Array,
): Result.Result<Placement, TransactionError> => {
  const early =
    checkFreshness(state.config, epoch, tx.round) ??
    checkFee(state.config, tx._tag, tx.fee) ??
    checkInstitution(state.config, tx.institution) ??
    checkScheme(state.config, tx);
  if (early !== undefined) return Result.fail(early);
  return Result.flatMap(patientOf(state, tx), (slot) => {
    const authentic =
      encoded === undefined
        ? verifyTransaction(crypto, slot.patientKey, tx)
        : verifyEncodedTransaction(crypto, slot.patientKey, encoded);
    if (!authentic) {
      return Result.fail(new BadSignature({ detail: `${tx._tag} of patient ${tx.patient}` }));
    }
    const idKey = txKey(id);
    if (lookupTxKey(state, idKey) !== undefined) return Result.fail(new TransactionReplayed({ detail: idKey }));
    return Result.flatMap(labelTarget(state, tx), (target) =>
      Result.flatMap(leafOf(slot, tx), ({ leafIndex, leafValue }) => {
        const key = state.chKeys[tx.institution];
        const verified = key?.verify(tx.record.pointer, leafValue, tx.record.r);
        if (verified === undefined || Result.isFailure(verified) || !verified.success) {
          return Result.fail(new ChameleonHashInvalid({ detail: `HVer fails under institution ${tx.institution}` }));
        }
        return Result.succeed({ slot, leafIndex, leafValue, target, idKey });
      }),
    );
  });
};
