/**
 * What the throughput pipeline puts through the pinning protocol (spec/consensus.md [BFT-6]; spec/batching.md
 * [BAT-1]): a request is a *submission*, an institution's bundle of medical and label transactions (at most
 * MAX_REQUEST_BYTES, so a member's pending set stays a few hundred entries however many transactions are in
 * flight); a value is a *batch*: its Algorithm 2 window and its transactions in selection order. Both are
 * strictly decoded (ENC-2) with the object header of ENC-10; the type bytes are this benchmark's own.
 * @module
 */
import type { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  encodeWith,
  type Reader,
  readObjectHeader,
  writeObjectHeader,
} from "../src/codec/index.js";
import { MAX_REQUEST_BYTES } from "../src/consensus/params.js";
import { MAX_BATCH_TRANSACTIONS } from "../src/ledger/batch.js";
import {
  type EncodedRecordTx,
  type RecordTx,
  readEncodedRecordTx,
  writeTransaction,
} from "../src/ledger/transaction.js";

/** Object types of this benchmark (not chain objects). */
export const BENCH_TYPE = { submission: 0x70, batch: 0x71 } as const;
/** The smallest record transaction (a medical one without h, TX-8): a submission holds at most this many. */
export const MIN_RECORD_BYTES = 241;
export const MAX_SUBMISSION_TXS = Math.floor(MAX_REQUEST_BYTES / MIN_RECORD_BYTES);

/** Transactions as decoded, with what the pipeline keys them by. */
export interface DecodedTxs {
  /** [TX-1] [TX-7] The transactions with the bytes they were read from and their ids, hashed from those bytes. */
  readonly encoded: readonly EncodedRecordTx[];
  readonly txs: readonly RecordTx[];
  /** [TX-7] Their ids, hashed from the received bytes. */
  readonly ids: readonly Uint8Array[];
  /** A transaction's signature as a string: unique per transaction of a workload (for `settles`). */
  readonly keys: readonly string[];
  /** Encoded bytes of the transactions alone. */
  readonly txBytes: number;
}

export interface Submission extends DecodedTxs {}

export interface BatchValue extends DecodedTxs {
  /** [BAT-1] The Algorithm 2 window this batch is for. */
  readonly window: number;
}

/** Bytes as a string key (one char per byte), for maps and sets. */
export const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** A transaction's signature as a key: unique per transaction of a workload. */
export const signatureKey = (tx: RecordTx): string => latin1(tx.signature);

const readTxs = (r: Reader, bytes: Uint8Array, count: number): DecodedTxs => {
  const encoded: EncodedRecordTx[] = [];
  let txBytes = 0;
  for (let i = 0; i < count; i++) {
    const one = readEncodedRecordTx(r, bytes, `transaction ${i}`);
    encoded.push(one);
    txBytes += one.encoded.length;
  }
  const txs = encoded.map((e) => e.tx);
  return { encoded, txs, ids: encoded.map((e) => e.id), keys: txs.map(signatureKey), txBytes };
};

/** header(0x70) ‖ u16 count (1..MAX_SUBMISSION_TXS) ‖ transaction^count */
export const encodeSubmission = (txs: readonly RecordTx[]): Uint8Array => {
  if (txs.length < 1 || txs.length > MAX_SUBMISSION_TXS)
    throw new RangeError(`submission of ${txs.length} transactions`);
  return encodeWith((w) => {
    writeObjectHeader(w, BENCH_TYPE.submission).u16(txs.length);
    for (const tx of txs) writeTransaction(w, tx);
  });
};

export const decodeSubmission = (bytes: Uint8Array): Result.Result<Submission, DecodeError> =>
  decodeWith(bytes, (r) => {
    readObjectHeader(r, [BENCH_TYPE.submission], "submission");
    const at = r.position;
    const count = r.u16("submission count");
    if (count < 1 || count > MAX_SUBMISSION_TXS) r.fail("LengthOverBound", `submission count ${count}`, at);
    return readTxs(r, bytes, count);
  });

/**
 * header(0x71) ‖ u32 window ‖ u32 count (1..MAX_BATCH_TRANSACTIONS) ‖ transaction^count, the transactions
 * copied from the encodings they arrived in rather than encoded again.
 */
export const encodeBatchValue = (window: number, txs: readonly EncodedRecordTx[]): Uint8Array =>
  encodeWith((w) => {
    writeObjectHeader(w, BENCH_TYPE.batch).u32(window).u32(txs.length);
    for (const { encoded } of txs) w.fixed(encoded, encoded.length);
  });

export const decodeBatchValue = (bytes: Uint8Array): Result.Result<BatchValue, DecodeError> =>
  decodeWith(bytes, (r) => {
    readObjectHeader(r, [BENCH_TYPE.batch], "batch value");
    const window = r.u32("window");
    const at = r.position;
    const count = r.u32("batch count");
    if (count < 1 || count > MAX_BATCH_TRANSACTIONS) r.fail("LengthOverBound", `batch count ${count}`, at);
    return { window, ...readTxs(r, bytes, count) };
  });
