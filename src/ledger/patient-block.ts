/**
 * A patient's block (spec/blocks.md [MB-4]..[MB-6]): the immutable header (once the leader created it), the
 * institution leaves in order of first treatment, each with its leaf value h, the records in pin order, and
 * the institution root. Leaves and records are only appended; a label is attached to its target, which
 * stays.
 *
 * Layout (spec/retrieval.md [RET-2]): a slot holds all its records in one array in pin order, each record
 * carrying its leaf index, institution and leaf value, so that a history reads the slot, that array and the
 * records, and nothing else: at a million patients every further object is one more scattered page to reach
 * (bench/ledger-retrieval.ts). Slots and records are built as whole object literals, never by spreading: V8
 * gives a spread copy only 4 in-object fields and puts the rest in a separate property array, one more object
 * to reach on every read.
 * @module
 */
import { TAGS, taggedHash } from "../crypto/hash.js";
import { merkleRoot, type Sha256Hasher } from "../crypto/merkle.js";
import type { MicroblockHeader } from "./microblock.js";
import type { LabelTx, MedicalTx } from "./transaction.js";

/** Where a record was pinned: the batch (among all pinned batches) and its entry in it. */
export interface PinPosition {
  readonly epoch: number;
  readonly batch: number;
  readonly entry: number;
}

interface RecordFields {
  readonly id: Uint8Array;
  /** The record's leaf: its index in the slot's leaves, its institution and its leaf value h. */
  readonly leaf: number;
  readonly institution: number;
  readonly leafValue: Uint8Array;
  /** Its position among the leaf's records (0, 1, 2, ...). */
  readonly sequence: number;
  readonly pinned: PinPosition;
  /** [RET-2] For a medical record: the sequence numbers (in the same leaf) of the labels that correct it. */
  readonly corrections: readonly number[];
}

/**
 * [MB-5] A record of a leaf. Its type is kept beside the transaction (`kind` = `tx._tag`), so that reading a
 * history touches no transaction body.
 */
export type LeafRecord =
  | (RecordFields & { readonly kind: "medical"; readonly tx: MedicalTx })
  | (RecordFields & { readonly kind: "label"; readonly tx: LabelTx });

/** [RET-2] The corrections of a record that has none: one shared empty list. */
export const NO_CORRECTIONS: readonly number[] = Object.freeze([]);

/** A record before its place in the block (leaf and sequence number) is known. */
export type NewRecord = LeafRecord extends infer R
  ? R extends LeafRecord
    ? Omit<R, "leaf" | "institution" | "leafValue" | "sequence">
    : never
  : never;

/** [MB-5] A new record of `tx`, pinned at `pinned`, with no corrections yet. */
export const newRecord = (id: Uint8Array, tx: MedicalTx | LabelTx, pinned: PinPosition): NewRecord =>
  tx._tag === "medical"
    ? { id, kind: "medical", tx, pinned, corrections: NO_CORRECTIONS }
    : { id, kind: "label", tx, pinned, corrections: NO_CORRECTIONS };

/** [MB-4] An institution's leaf: its index and its leaf value h (its records are the slot's with its index). */
export interface Leaf {
  readonly institution: number;
  readonly value: Uint8Array;
}

/** [MB-1] [MB-4] A patient slot: fixed at the keyblock's pin; the header arrives with the leader's microblock. */
export interface PatientSlot {
  readonly number: number;
  readonly round: number;
  readonly index: number;
  readonly registerTx: Uint8Array;
  readonly patientKey: Uint8Array;
  readonly header: MicroblockHeader | undefined;
  readonly leaves: readonly Leaf[];
  /** [MB-5] Every leaf's records, in pin order (the order in which they were appended). */
  readonly records: readonly LeafRecord[];
}

/** [MB-4] The leaf of `institution`, or -1 if the institution never treated the patient. */
export const leafIndexOf = (slot: PatientSlot, institution: number): number =>
  slot.leaves.findIndex((leaf) => leaf.institution === institution);

/** A slot with new leaves, records or header, every field in the object itself (see the module comment). */
const slotWith = (
  slot: PatientSlot,
  leaves: readonly Leaf[],
  records: readonly LeafRecord[],
  header = slot.header,
): PatientSlot => ({
  number: slot.number,
  round: slot.round,
  index: slot.index,
  registerTx: slot.registerTx,
  patientKey: slot.patientKey,
  header,
  leaves,
  records,
});

/** [MB-1] The slot once its microblock header is pinned. */
export const withHeader = (slot: PatientSlot, header: MicroblockHeader): PatientSlot =>
  slotWith(slot, slot.leaves, slot.records, header);

/** A record placed in leaf `leaf` with `corrections`, every field in the object itself. */
const placed = (
  record: NewRecord,
  leaf: Leaf & { readonly index: number },
  sequence: number,
  corrections: readonly number[],
): LeafRecord =>
  ({
    id: record.id,
    kind: record.kind,
    tx: record.tx,
    leaf: leaf.index,
    institution: leaf.institution,
    leafValue: leaf.value,
    sequence,
    pinned: record.pinned,
    corrections,
  }) as LeafRecord;

/** [MB-5] The records of leaf `leaf`, in sequence order. */
export const leafRecords = (slot: PatientSlot, leaf: number): LeafRecord[] =>
  slot.records.filter((record) => record.leaf === leaf);

/** [MB-5] The position in `slot.records` of record `sequence` of leaf `leaf`, or -1. */
const positionOf = (slot: PatientSlot, leaf: number, sequence: number): number =>
  slot.records.findIndex((record) => record.leaf === leaf && record.sequence === sequence);

/** [MB-5] Record `sequence` of leaf `leaf`, if any. */
export const recordAt = (slot: PatientSlot, leaf: number, sequence: number): LeafRecord | undefined =>
  slot.records[positionOf(slot, leaf, sequence)];

/**
 * [MB-5] [MB-6] Appends a record to leaf `leafIndex`, or to a new leaf with value `newLeafValue` when
 * `leafIndex` is -1 (first treatment). The record's sequence number is the leaf's record count.
 */
export const appendRecord = (
  slot: PatientSlot,
  leafIndex: number,
  newLeafValue: Uint8Array,
  institution: number,
  record: NewRecord,
): { readonly slot: PatientSlot; readonly leaf: number; readonly sequence: number } => {
  const existing = slot.leaves[leafIndex];
  const leaf = existing === undefined ? slot.leaves.length : leafIndex;
  const leaves = existing === undefined ? [...slot.leaves, { institution, value: newLeafValue }] : slot.leaves;
  const { value } = leaves[leaf] as Leaf;
  let sequence = 0;
  for (const other of slot.records) if (other.leaf === leaf) sequence += 1;
  const added = placed(record, { index: leaf, institution, value }, sequence, record.corrections);
  return { slot: slotWith(slot, leaves, [...slot.records, added]), leaf, sequence };
};

/**
 * [MB-6] [RET-2] Attaches a label (by its sequence number: a label is always in its target's leaf, since both
 * are the same institution's) to the medical record it corrects; the record itself is unchanged.
 */
export const attachCorrection = (
  slot: PatientSlot,
  leaf: number,
  sequence: number,
  labelSequence: number,
): PatientSlot => {
  const position = positionOf(slot, leaf, sequence);
  const target = slot.records[position];
  if (target === undefined) throw new RangeError(`no record ${sequence} in leaf ${leaf}`);
  const records = slot.records.slice();
  const leafOfTarget = { index: target.leaf, institution: target.institution, value: target.leafValue };
  records[position] = placed(target, leafOfTarget, sequence, [...target.corrections, labelSequence]);
  return slotWith(slot, slot.leaves, records);
};

/** [MB-4] The leaf data H_INSTITUTION_LEAF(institution key ‖ h). */
export const institutionLeafData = (institutionKey: Uint8Array, value: Uint8Array): Uint8Array =>
  taggedHash(TAGS.INSTITUTION_LEAF, institutionKey, value);

/** [MB-4] The Merkle root of the leaves in order of first treatment (the empty root before any record). */
export const institutionRoot = (
  hasher: Sha256Hasher,
  institutions: readonly { readonly key: Uint8Array }[],
  slot: PatientSlot,
): Uint8Array =>
  merkleRoot(
    hasher,
    slot.leaves.map((leaf) => {
      const institution = institutions[leaf.institution];
      // Leaves are created only for registry indices (CHAIN-7), so a miss is a corrupted state.
      if (institution === undefined) throw new RangeError(`leaf of unknown institution ${leaf.institution}`);
      return institutionLeafData(institution.key, leaf.value);
    }),
  );
