/**
 * Applying a pinned batch of medical and label transactions (spec/chain.md [CHAIN-7]; spec/pins.md [PIN-4];
 * spec/blocks.md [MB-4]..[MB-6]): the certificate of the current epoch's group is checked, the transactions
 * are placed in order (a new leaf on first treatment, the next sequence number otherwise; a label attached to
 * its target), and the entries' root must be the certified value.
 * @module
 */
import { HashMap, Result } from "effect";
import { bytesToHex } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { GroupSnapshot } from "../reputation/quorum.js";
import { type Batch, batchRoot, encodeEntry } from "./batch.js";
import { BatchEmpty, type BatchError, PinValueMismatch } from "./errors.js";
import { appendRecord, attachCorrection, newRecord } from "./patient-block.js";
import { certifies, checkCertificate, pinGroup } from "./pin.js";
import { type ChainState, currentEpoch } from "./state.js";
import { type RecordTx, transactionId } from "./transaction.js";
import { checkRecord } from "./validate-tx.js";

/** [CHAIN-7] step 4: one transaction placed on `state`; its entry (PIN-4) is returned with the new state. */
const placeRecord = (
  crypto: CryptoShape,
  state: ChainState,
  epoch: number,
  tx: RecordTx,
  entryIndex: number,
): Result.Result<{ readonly state: ChainState; readonly entry: Uint8Array }, BatchError> => {
  const id = transactionId(tx);
  return Result.map(checkRecord(crypto, state, epoch, tx, id), (placement) => {
    const pinned = { epoch, batch: state.batches.size, entry: entryIndex };
    const appended = appendRecord(
      placement.slot,
      placement.leafIndex,
      placement.leafValue,
      tx.institution,
      newRecord(id, tx, pinned),
    );
    const slot =
      placement.target === undefined
        ? appended.slot
        : attachCorrection(appended.slot, placement.target.leaf, placement.target.sequence, appended.sequence);
    const location = { kind: tx._tag, number: tx.patient, leaf: appended.leaf, sequence: appended.sequence };
    const entry = encodeEntry({
      number: tx.patient,
      leaf: appended.leaf,
      sequence: appended.sequence,
      txId: id,
      leafValue: placement.leafValue,
    });
    return {
      state: {
        ...state,
        patients: state.patients.set(tx.patient, slot),
        txs: HashMap.set(state.txs, bytesToHex(id), location),
      },
      entry,
    };
  });
};

/** [CHAIN-7] step 4 for every transaction in order: the state after them and their entries. */
const placeAll = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly RecordTx[],
): Result.Result<{ readonly state: ChainState; readonly entries: readonly Uint8Array[] }, BatchError> => {
  const epoch = currentEpoch(state);
  let current = state;
  const entries: Uint8Array[] = [];
  for (const [index, tx] of transactions.entries()) {
    const placed = placeRecord(crypto, current, epoch, tx, index);
    if (Result.isFailure(placed)) return Result.fail(placed.failure);
    current = placed.success.state;
    entries.push(placed.success.entry);
  }
  return Result.succeed({ state: current, entries });
};

/**
 * [PIN-4] The root a batch of `transactions` would have if pinned now: what the group certifies. Fails
 * with the first transaction's error if one of them would be rejected.
 */
export const proposedBatchRoot = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly RecordTx[],
): Result.Result<Uint8Array, BatchError> =>
  Result.map(placeAll(crypto, state, transactions), ({ entries }) => batchRoot(crypto, entries));

/** [CHAIN-7] Applies a pinned batch, given the group snapshot of the current epoch. */
export const applyBatchWith = (
  crypto: CryptoShape,
  state: ChainState,
  batch: Batch,
  snapshot: GroupSnapshot,
): Result.Result<ChainState, BatchError> => {
  const group = pinGroup(currentEpoch(state), snapshot);
  if (Result.isFailure(group)) return Result.fail(group.failure);
  if (batch.transactions.length === 0)
    return Result.fail(new BatchEmpty({ detail: "a batch pins at least one transaction" }));
  const certified = checkCertificate(crypto, group.success, batch.certificate);
  if (Result.isFailure(certified)) return Result.fail(certified.failure);
  const placed = placeAll(crypto, state, batch.transactions);
  if (Result.isFailure(placed)) return Result.fail(placed.failure);
  const { entries } = placed.success;
  if (!certifies(batch.certificate, batchRoot(crypto, entries))) {
    return Result.fail(new PinValueMismatch({ detail: "the certificate certifies another batch root" }));
  }
  const after = placed.success.state;
  const pinned = {
    index: state.batches.size,
    epoch: currentEpoch(state),
    certificate: batch.certificate,
    transactions: batch.transactions,
    entries,
  };
  return Result.succeed({ ...after, batches: after.batches.push(pinned) });
};
