/**
 * Pinned batches (spec/pins.md [PIN-4], [PIN-5]): a pin certificate and the medical and label transactions it
 * pins, in the group's order. Each transaction's entry (block number, leaf index, sequence number, id, leaf
 * value) fixes its position; the batch root is the Merkle root of the entries, and the certificate signs it.
 * @module
 */
import type { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  encodeWith,
  HASH_BYTES,
  type Reader,
  readObjectHeader,
  writeObjectHeader,
} from "../codec/index.js";
import { type PinCertificate, readCertificate, writeCertificate } from "../consensus/certificate.js";
import { readChameleonScheme } from "../crypto/chameleon/registry.js";
import type { ChameleonSchemeId } from "../crypto/chameleon/scheme.js";
import { merkleRoot, type Sha256Hasher } from "../crypto/merkle.js";
import { type RecordTx, readTransaction, schemeOfId, TX_TYPE, writeTransaction } from "./transaction.js";

/** [PIN-4] */
export const BATCH_TYPE = 0x12;
/** [PIN-4] */
export const MAX_BATCH_TRANSACTIONS = 0xffff;
/** [PIN-4] u32 + u16 + u32 + 32 + 1, before the leaf value (the scheme's hash size). */
export const BATCH_ENTRY_FIXED_BYTES = 43;

/** [PIN-4] A record's position, fixed by its pin. */
export interface BatchEntry {
  readonly number: number;
  readonly leaf: number;
  readonly sequence: number;
  readonly txId: Uint8Array;
  /** The chameleon scheme of the leaf value (its institution's). */
  readonly scheme: ChameleonSchemeId;
  readonly leafValue: Uint8Array;
}

/** [PIN-4] u32 block_number ‖ u16 leaf_index ‖ u32 sequence ‖ tx_id ‖ u8 scheme ‖ leaf_value. */
export const encodeEntry = (e: BatchEntry): Uint8Array =>
  encodeWith((w) =>
    w
      .u32(e.number)
      .u16(e.leaf)
      .u32(e.sequence)
      .fixed(e.txId, HASH_BYTES)
      .u8(e.scheme)
      .fixed(e.leafValue, schemeOfId(e.scheme).sizes.hash_bytes),
  );

/** [PIN-4] The entry fields back from its encoding (for proofs); the scheme id fixes the leaf value's width. */
export const decodeEntry = (bytes: Uint8Array): Result.Result<BatchEntry, DecodeError> =>
  decodeWith(bytes, (r) => {
    const number = r.u32("entry block number");
    const leaf = r.u16("entry leaf");
    const sequence = r.u32("entry sequence");
    const txId = r.fixed(HASH_BYTES, "entry tx id");
    const scheme = readChameleonScheme(r, "entry chameleon scheme");
    return {
      number,
      leaf,
      sequence,
      txId,
      scheme: scheme.id,
      leafValue: r.fixed(scheme.sizes.hash_bytes, "entry leaf value"),
    };
  });

/** [PIN-4] The Merkle root of the encoded entries in batch order. */
export const batchRoot = (hasher: Sha256Hasher, entries: readonly Uint8Array[]): Uint8Array =>
  merkleRoot(hasher, entries);

/** [PIN-4] A batch as pinned: the certificate and the transactions. */
export interface Batch {
  readonly certificate: PinCertificate;
  readonly transactions: readonly RecordTx[];
}

/** [PIN-4] 01 ‖ 12 ‖ pin certificate ‖ u32 count ‖ transactions. */
export const encodeBatch = (batch: Batch): Uint8Array =>
  encodeWith((w) => {
    writeCertificate(writeObjectHeader(w, BATCH_TYPE), batch.certificate).u32(batch.transactions.length);
    for (const tx of batch.transactions) writeTransaction(w, tx);
  });

export const readBatch = (r: Reader): Batch => {
  readObjectHeader(r, [BATCH_TYPE], "batch");
  const certificate = readCertificate(r, ["Commit"], "batch pin") as PinCertificate;
  const count = r.count(MAX_BATCH_TRANSACTIONS, "batch transactions");
  const transactions: RecordTx[] = [];
  for (let i = 0; i < count; i++) {
    transactions.push(readTransaction(r, [TX_TYPE.medical, TX_TYPE.label], `batch transaction ${i}`) as RecordTx);
  }
  return { certificate, transactions };
};

export const decodeBatch = (bytes: Uint8Array): Result.Result<Batch, DecodeError> => decodeWith(bytes, readBatch);
