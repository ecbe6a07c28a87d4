/**
 * Applying a pinned batch of medical and label transactions (spec/chain.md [CHAIN-7]; spec/pins.md [PIN-4];
 * spec/blocks.md [MB-4]..[MB-6]): the certificate of the current epoch's group is checked, the transactions
 * are placed in order (a new leaf on first treatment, the next sequence number otherwise; a label attached to
 * its target), and the entries' root must be the certified value.
 * @module
 */
import { HashMap, Result } from "effect";
import type { PinCertificate } from "../consensus/certificate.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { GroupSnapshot } from "../reputation/quorum.js";
import { type Batch, batchRoot, encodeEntry } from "./batch.js";
import { BatchEmpty, type BatchError, PinValueMismatch } from "./errors.js";
import { appendRecord, attachCorrection, newRecord } from "./patient-block.js";
import { certifies, checkCertificate, pinGroup } from "./pin.js";
import type { PlacementMemory } from "./placement-memo.js";
import { type ChainState, currentEpoch } from "./state.js";
import { type EncodedRecordTx, encodeRecordTx, type RecordTx } from "./transaction.js";
import { checkRecord } from "./validate-tx.js";

/** [CHAIN-7] step 4: one transaction placed on `state`; its entry (PIN-4) is returned with the new state. */
const placeRecord = (
  crypto: CryptoShape,
  state: ChainState,
  epoch: number,
  { tx, encoded, id }: EncodedRecordTx,
  entryIndex: number,
): Result.Result<{ readonly state: ChainState; readonly entry: Uint8Array }, BatchError> =>
  Result.map(checkRecord(crypto, state, epoch, tx, id, encoded), (placement) => {
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
      scheme: tx.record.scheme,
      leafValue: placement.leafValue,
    });
    return {
      state: {
        ...state,
        patients: state.patients.set(tx.patient, slot),
        txs: HashMap.set(state.txs, placement.idKey, location),
      },
      entry,
    };
  });

/** A batch's transactions placed: the state after them, their entries and the batch root. */
export interface Placed {
  readonly state: ChainState;
  readonly entries: readonly Uint8Array[];
  readonly root: Uint8Array;
}

/** [CHAIN-7] step 4 for every transaction in order, and the batch root (PIN-4). */
const placeAll = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly EncodedRecordTx[],
): Result.Result<Placed, BatchError> => {
  const epoch = currentEpoch(state);
  let current = state;
  const entries: Uint8Array[] = [];
  for (const [index, tx] of transactions.entries()) {
    const placed = placeRecord(crypto, current, epoch, tx, index);
    if (Result.isFailure(placed)) return Result.fail(placed.failure);
    current = placed.success.state;
    entries.push(placed.success.entry);
  }
  return Result.succeed({ state: current, entries, root: batchRoot(crypto, entries) });
};

/** placeAll, answered from `memo` when it holds the same state, crypto and transactions (placement-memo.ts). */
const placeAllWith = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly EncodedRecordTx[],
  memo: PlacementMemory<Placed> | undefined,
): Result.Result<Placed, BatchError> => {
  if (memo === undefined) return placeAll(crypto, state, transactions);
  const ids = transactions.map((t) => t.id);
  const known = memo.lookup(state, crypto, ids);
  if (known !== undefined) return Result.succeed(known);
  const placed = placeAll(crypto, state, transactions);
  if (Result.isSuccess(placed)) memo.remember(state, crypto, ids, placed.success);
  return placed;
};

/**
 * [PIN-4] The root a batch of `transactions` would have if pinned now: what the group certifies. Fails
 * with the first transaction's error if one of them would be rejected.
 */
export const proposedBatchRoot = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly RecordTx[],
): Result.Result<Uint8Array, BatchError> => encodedBatchRoot(crypto, state, transactions.map(encodeRecordTx));

/**
 * [PIN-4] `proposedBatchRoot` of transactions already encoded; with `memo`, the placement is kept for the
 * `applyEncodedBatchWith` of the same batch on the same state.
 */
export const encodedBatchRoot = (
  crypto: CryptoShape,
  state: ChainState,
  transactions: readonly EncodedRecordTx[],
  memo?: PlacementMemory<Placed>,
): Result.Result<Uint8Array, BatchError> =>
  Result.map(placeAllWith(crypto, state, transactions, memo), ({ root }) => root);

/** [CHAIN-7] [PIN-3] The checks before placing: the epoch's group, a non-empty batch, its certificate. */
const pinError = (
  crypto: CryptoShape,
  state: ChainState,
  certificate: PinCertificate,
  count: number,
  snapshot: GroupSnapshot,
): BatchError | undefined => {
  const group = pinGroup(currentEpoch(state), snapshot);
  if (Result.isFailure(group)) return group.failure;
  if (count === 0) return new BatchEmpty({ detail: "a batch pins at least one transaction" });
  const certified = checkCertificate(crypto, group.success, certificate);
  return Result.isFailure(certified) ? certified.failure : undefined;
};

/** [CHAIN-7] Places the transactions, checks the certified root and records the pinned batch. */
const pinPlaced = (
  crypto: CryptoShape,
  state: ChainState,
  certificate: PinCertificate,
  transactions: readonly EncodedRecordTx[],
  memo: PlacementMemory<Placed> | undefined,
): Result.Result<ChainState, BatchError> => {
  const placed = placeAllWith(crypto, state, transactions, memo);
  if (Result.isFailure(placed)) return Result.fail(placed.failure);
  const { entries, root, state: after } = placed.success;
  if (!certifies(certificate, root)) {
    return Result.fail(new PinValueMismatch({ detail: "the certificate certifies another batch root" }));
  }
  const pinned = {
    index: state.batches.size,
    epoch: currentEpoch(state),
    certificate,
    transactions: transactions.map((t) => t.tx),
    entries,
  };
  return Result.succeed({ ...after, batches: after.batches.push(pinned) });
};

/** [CHAIN-7] Applies a pinned batch, given the group snapshot of the current epoch. */
export const applyBatchWith = (
  crypto: CryptoShape,
  state: ChainState,
  batch: Batch,
  snapshot: GroupSnapshot,
): Result.Result<ChainState, BatchError> => {
  const error = pinError(crypto, state, batch.certificate, batch.transactions.length, snapshot);
  if (error !== undefined) return Result.fail(error);
  return pinPlaced(crypto, state, batch.certificate, batch.transactions.map(encodeRecordTx), undefined);
};

/**
 * [CHAIN-7] `applyBatchWith` on transactions already encoded; with `memo`, a placement that
 * `encodedBatchRoot` computed for the same state and transactions is taken instead of placing them again.
 */
export const applyEncodedBatchWith = (
  crypto: CryptoShape,
  state: ChainState,
  certificate: PinCertificate,
  transactions: readonly EncodedRecordTx[],
  snapshot: GroupSnapshot,
  memo?: PlacementMemory<Placed>,
): Result.Result<ChainState, BatchError> => {
  const error = pinError(crypto, state, certificate, transactions.length, snapshot);
  if (error !== undefined) return Result.fail(error);
  return pinPlaced(crypto, state, certificate, transactions, memo);
};
