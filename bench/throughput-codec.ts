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
import { bytesEqual } from "../src/crypto/bytes.js";
import { CHAMELEON_SCHEMES } from "../src/crypto/chameleon/registry.js";
import { MAX_BATCH_TRANSACTIONS } from "../src/ledger/batch.js";
import {
  type EncodedRecordTx,
  type RecordTx,
  readEncodedRecordTx,
  recordTxBytes,
  TX_TYPE,
  transactionIdOfBytes,
  writeTransaction,
} from "../src/ledger/transaction.js";

/** Object types of this benchmark (not chain objects). */
export const BENCH_TYPE = { submission: 0x70, batch: 0x71 } as const;
/** The smallest record transaction (a medical one without h, TX-8, of any scheme): a submission holds at most this many. */
export const MIN_RECORD_BYTES = Math.min(...[...CHAMELEON_SCHEMES.values()].map((s) => recordTxBytes(s.sizes).medical));
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

/** Transactions a member decoded before, by id (as `latin1`): a batch's transactions came in submissions. */
export type KnownTxs = ReadonlyMap<string, EncodedRecordTx>;

/** [TX-4] Where a record transaction's chameleon scheme id is, from its object header's type byte; its flag "h present" follows. */
const SCHEME_OFFSET: Readonly<Record<number, number>> = { [TX_TYPE.medical]: 16, [TX_TYPE.label]: 48 };

/** [TX-8] The length a record transaction starting at `at` has, if its type byte, scheme id and h flag say so. */
const recordLength = (bytes: Uint8Array, at: number): number | undefined => {
  const type = bytes[at + 1] ?? -1;
  const offset = at + (SCHEME_OFFSET[type] ?? bytes.length);
  const scheme = CHAMELEON_SCHEMES.get(bytes[offset] ?? -1);
  const flag = bytes[offset + 1];
  if (scheme === undefined || (flag !== 0 && flag !== 1)) return undefined;
  const sizes = recordTxBytes(scheme.sizes);
  return (type === TX_TYPE.medical ? sizes.medical : sizes.label) + flag * sizes.withHash;
};

/**
 * The transaction at the reader's position taken from `known` when its bytes are exactly a known
 * transaction's encoding (same id, same bytes: strict decoding would give the same transaction), else
 * undefined and nothing is read.
 */
const readKnown = (r: Reader, bytes: Uint8Array, known: KnownTxs): EncodedRecordTx | undefined => {
  const at = r.position;
  const length = recordLength(bytes, at);
  if (length === undefined || at + length > bytes.length) return undefined;
  const encoded = bytes.subarray(at, at + length);
  const hit = known.get(latin1(transactionIdOfBytes(encoded)));
  if (hit === undefined || !bytesEqual(hit.encoded, encoded)) return undefined;
  r.fixed(length, "known transaction");
  return hit;
};

const readTxs = (r: Reader, bytes: Uint8Array, count: number, known?: KnownTxs): DecodedTxs => {
  const encoded: EncodedRecordTx[] = [];
  let txBytes = 0;
  for (let i = 0; i < count; i++) {
    const one =
      (known === undefined ? undefined : readKnown(r, bytes, known)) ?? readEncodedRecordTx(r, bytes, "transaction");
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

/** With `known`, transactions already decoded (from submissions) are taken from it, not decoded again. */
export const decodeBatchValue = (bytes: Uint8Array, known?: KnownTxs): Result.Result<BatchValue, DecodeError> =>
  decodeWith(bytes, (r) => {
    readObjectHeader(r, [BENCH_TYPE.batch], "batch value");
    const window = r.u32("window");
    const at = r.position;
    const count = r.u32("batch count");
    if (count < 1 || count > MAX_BATCH_TRANSACTIONS) r.fail("LengthOverBound", `batch count ${count}`, at);
    return { window, ...readTxs(r, bytes, count, known) };
  });
