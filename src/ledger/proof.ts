/**
 * Inclusion proofs of records (spec/retrieval.md [RET-3], [RET-4]): a node proves that a record is pinned at
 * its position by the record's entry, its transaction and the Merkle path of the entry in its batch; a client
 * holding only pinned headers (batch certificates, microblock headers, the configuration) checks the path
 * against the certified root, the patient's signature against the header's key, and HVer against the leaf
 * value. The proof fails for any other record.
 * @module
 */
import { Result } from "effect";
import type { PinCertificate } from "../consensus/certificate.js";
import { bytesEqual } from "../crypto/bytes.js";
import type { ChameleonKey } from "../crypto/chameleon/scheme.js";
import { inclusionProof, rootFromInclusionProof } from "../crypto/merkle.js";
import type { CryptoShape } from "../crypto/signature.js";
import { type BatchEntry, decodeEntry } from "./batch.js";
import {
  ProofBatchUnknown,
  ProofChameleonInvalid,
  type ProofError,
  ProofMalformed,
  ProofMismatch,
  ProofPatientMismatch,
  ProofSignatureInvalid,
  RecordUnknown,
} from "./errors.js";
import type { MicroblockHeader } from "./microblock.js";
import { recordAt } from "./patient-block.js";
import { certifies } from "./pin.js";
import { type ChainState, lookupTx } from "./state.js";
import {
  decodeTransaction,
  encodeTransaction,
  type RecordTx,
  transactionIdOfBytes,
  verifyTransaction,
} from "./transaction.js";

/** [RET-4] */
export interface RecordProof {
  /** The batch's position among all pinned batches. */
  readonly batch: number;
  readonly index: number;
  readonly size: number;
  /** The encoded entry (PIN-4) and the encoded transaction. */
  readonly entry: Uint8Array;
  readonly transaction: Uint8Array;
  readonly path: readonly Uint8Array[];
}

/** [RET-3] What a light client holds: batch certificates, microblock headers, and the registry's keys. */
export interface PinnedHeaders {
  readonly batches: ReadonlyMap<number, PinCertificate>;
  readonly microblocks: ReadonlyMap<number, MicroblockHeader>;
  readonly chKeys: readonly ChameleonKey[];
}

/** [RET-3] The pinned headers of a state: what a node sends a client that follows the chain's headers. */
export const pinnedHeaders = (state: ChainState): PinnedHeaders => {
  const batches = new Map<number, PinCertificate>();
  for (const batch of state.batches) batches.set(batch.index, batch.certificate);
  const microblocks = new Map<number, MicroblockHeader>();
  for (const slot of state.patients) if (slot.header !== undefined) microblocks.set(slot.number, slot.header);
  return { batches, microblocks, chKeys: state.chKeys };
};

/** [RET-4] The proof of the pinned medical or label transaction `id`. */
export const proveRecord = (
  crypto: CryptoShape,
  state: ChainState,
  id: Uint8Array,
): Result.Result<RecordProof, RecordUnknown> => {
  const location = lookupTx(state, id);
  if (location === undefined || location.kind === "register") {
    return Result.fail(new RecordUnknown({ detail: "no pinned medical or label transaction has this id" }));
  }
  const slot = state.patients.get(location.number);
  const record = slot === undefined ? undefined : recordAt(slot, location.leaf, location.sequence);
  const batch = record === undefined ? undefined : state.batches.get(record.pinned.batch);
  if (record === undefined || batch === undefined) throw new RangeError("a pinned record without its batch");
  const { entry } = record.pinned;
  const path = inclusionProof(crypto, batch.entries, entry);
  if (Result.isFailure(path)) throw new RangeError("a pinned record outside its batch");
  return Result.succeed({
    batch: batch.index,
    index: entry,
    size: batch.entries.length,
    entry: batch.entries[entry] as Uint8Array,
    transaction: encodeTransaction(record.tx),
    path: path.success,
  });
};

/** [RET-4] A verified record: the transaction and where it is pinned. */
export interface VerifiedRecord {
  readonly tx: RecordTx;
  readonly entry: BatchEntry;
}

const decodeProof = (proof: RecordProof): Result.Result<{ tx: RecordTx; entry: BatchEntry }, ProofMalformed> => {
  const tx = decodeTransaction(proof.transaction);
  const entry = decodeEntry(proof.entry);
  if (Result.isFailure(tx) || tx.success._tag === "register")
    return Result.fail(new ProofMalformed({ detail: "not a record transaction" }));
  if (Result.isFailure(entry)) return Result.fail(new ProofMalformed({ detail: entry.failure.message }));
  if (!bytesEqual(entry.success.txId, transactionIdOfBytes(proof.transaction))) {
    return Result.fail(new ProofMalformed({ detail: "the entry names another transaction" }));
  }
  return Result.succeed({ tx: tx.success, entry: entry.success });
};

/** [RET-4] Steps 1-6, in order; the first failure is the error. */
export const verifyRecordProof = (
  crypto: CryptoShape,
  headers: PinnedHeaders,
  proof: RecordProof,
): Result.Result<VerifiedRecord, ProofError> => {
  const certificate = headers.batches.get(proof.batch);
  if (certificate === undefined) return Result.fail(new ProofBatchUnknown({ detail: `batch ${proof.batch}` }));
  const decoded = decodeProof(proof);
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure);
  const { tx, entry } = decoded.success;
  const root = rootFromInclusionProof(crypto, {
    size: proof.size,
    index: proof.index,
    leaf: proof.entry,
    proof: proof.path,
  });
  if (Result.isFailure(root)) return Result.fail(new ProofMalformed({ detail: root.failure.message }));
  if (!certifies(certificate, root.success))
    return Result.fail(new ProofMismatch({ detail: "the path leads to another root" }));
  const header = headers.microblocks.get(entry.number);
  if (header === undefined || tx.patient !== entry.number) {
    return Result.fail(new ProofPatientMismatch({ detail: `patient ${tx.patient}, entry block ${entry.number}` }));
  }
  if (!verifyTransaction(crypto, header.patient, tx))
    return Result.fail(new ProofSignatureInvalid({ detail: "patient" }));
  const verified = headers.chKeys[tx.institution]?.verify(tx.record.pointer, entry.leafValue, tx.record.r);
  if (verified === undefined || Result.isFailure(verified) || !verified.success) {
    return Result.fail(new ProofChameleonInvalid({ detail: `institution ${tx.institution}` }));
  }
  return Result.succeed({ tx, entry });
};

/** [RET-5] A leaf of a patient's block with sequence numbers missing below the highest one received. */
export interface SequenceGap {
  readonly number: number;
  readonly leaf: number;
  readonly missing: readonly number[];
}

/**
 * [RET-5] The gaps in a set of verified records: within a leaf, sequence numbers run 0, 1, 2, … so a record
 * left out of the middle of a leaf shows as a missing number. Records left out after the last one received
 * cannot show: no pinned header commits to a leaf's record count.
 */
export const sequenceGaps = (records: readonly VerifiedRecord[]): SequenceGap[] => {
  const byLeaf = new Map<string, { number: number; leaf: number; seen: Set<number>; max: number }>();
  for (const { entry } of records) {
    const key = `${entry.number}/${entry.leaf}`;
    const group = byLeaf.get(key) ?? { number: entry.number, leaf: entry.leaf, seen: new Set<number>(), max: -1 };
    group.seen.add(entry.sequence);
    group.max = Math.max(group.max, entry.sequence);
    byLeaf.set(key, group);
  }
  const gaps: SequenceGap[] = [];
  for (const group of byLeaf.values()) {
    const missing: number[] = [];
    for (let s = 0; s < group.max; s++) if (!group.seen.has(s)) missing.push(s);
    if (missing.length > 0) gaps.push({ number: group.number, leaf: group.leaf, missing });
  }
  return gaps;
};
