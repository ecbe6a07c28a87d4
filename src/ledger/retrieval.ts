/**
 * Retrieval (spec/retrieval.md [RET-1], [RET-2]): a patient's block by block number, O(log32 n) with a
 * constant bound, and the patient's history in chronological order with labelled records marked and their
 * corrections attached. `historyByScan` is how a chain without patient blocks answers the same question, by
 * reading every pinned batch: the baseline of bench/ledger-retrieval.ts and an oracle for the properties.
 * @module
 */
import { Result } from "effect";
import { bytesEqual } from "../crypto/bytes.js";
import type { Sha256Hasher } from "../crypto/merkle.js";
import { UnknownPatient } from "./errors.js";
import { institutionRoot, type LeafRecord, type PatientSlot, type PinPosition, recordAt } from "./patient-block.js";
import type { ChainState } from "./state.js";
import { type LabelTx, type MedicalTx, transactionId } from "./transaction.js";

/** [RET-1] A patient's block with its current institution root. */
export interface PatientBlockView {
  readonly slot: PatientSlot;
  readonly institutionRoot: Uint8Array;
}

/** [RET-1] The block of patient `number`. */
export const patientBlock = (
  hasher: Sha256Hasher,
  state: ChainState,
  number: number,
): Result.Result<PatientBlockView, UnknownPatient> => {
  const slot = state.patients.get(number);
  if (slot === undefined) return Result.fail(new UnknownPatient({ detail: `no patient has block number ${number}` }));
  return Result.succeed({ slot, institutionRoot: institutionRoot(hasher, state.config.institutions, slot) });
};

/** [RET-2] A label attached to the record it corrects. */
export interface Correction {
  readonly id: Uint8Array;
  readonly tx: LabelTx;
  readonly sequence: number;
  readonly pinned: PinPosition;
}

/** [RET-2] One medical record of a history. */
export interface HistoryItem {
  readonly id: Uint8Array;
  readonly tx: MedicalTx;
  readonly institution: number;
  readonly leaf: number;
  readonly sequence: number;
  readonly leafValue: Uint8Array;
  readonly pinned: PinPosition;
  readonly labelled: boolean;
  readonly corrections: readonly Correction[];
}

/** [RET-2] The label `sequence` of `record`'s leaf, as a correction. */
const correction = (slot: PatientSlot, record: LeafRecord, sequence: number): Correction => {
  const label = recordAt(slot, record.leaf, sequence);
  // Corrections are attached only for labels of the same leaf (CHAIN-7), so a miss is a corrupted state.
  if (label === undefined || label.kind !== "label" || label.tx._tag !== "label") {
    throw new RangeError(`correction ${sequence} missing`);
  }
  return { id: label.id, tx: label.tx, sequence, pinned: label.pinned };
};

/**
 * [RET-2] Medical records in pin order, each with its corrections in pin order. The slot keeps its records in
 * pin order and each record its leaf's institution and value, so a history reads the slot, its records array
 * and the records themselves: the same few objects at any chain length.
 */
export const history = (state: ChainState, number: number): Result.Result<HistoryItem[], UnknownPatient> => {
  const slot = state.patients.get(number);
  if (slot === undefined) return Result.fail(new UnknownPatient({ detail: `no patient has block number ${number}` }));
  const items: HistoryItem[] = [];
  for (const record of slot.records) {
    if (record.kind !== "medical") continue;
    const corrections = record.corrections.map((sequence) => correction(slot, record, sequence));
    items.push({
      id: record.id,
      tx: record.tx,
      institution: record.institution,
      leaf: record.leaf,
      sequence: record.sequence,
      leafValue: record.leafValue,
      pinned: record.pinned,
      labelled: corrections.length > 0,
      corrections,
    });
  }
  return Result.succeed(items);
};

/** [RET-1] One record found by scanning: its transaction, id and pin position. */
export interface ScannedRecord {
  readonly id: Uint8Array;
  readonly tx: MedicalTx | LabelTx;
  readonly pinned: PinPosition;
}

/**
 * [RET-1] The baseline: every pinned batch read in order, keeping patient `number`'s transactions, and each
 * label matched to its target by id: O(records on the chain), as on a chain without patient blocks.
 */
export const historyByScan = (
  state: ChainState,
  number: number,
): { medical: ScannedRecord; labels: ScannedRecord[] }[] => {
  const found: { medical: ScannedRecord; labels: ScannedRecord[] }[] = [];
  for (const batch of state.batches) {
    for (const [entry, tx] of batch.transactions.entries()) {
      if (tx.patient !== number) continue;
      const scanned = { id: transactionId(tx), tx, pinned: { epoch: batch.epoch, batch: batch.index, entry } };
      if (tx._tag === "medical") found.push({ medical: scanned, labels: [] });
      else found.find((item) => bytesEqual(item.medical.id, tx.target))?.labels.push(scanned);
    }
  }
  return found;
};
