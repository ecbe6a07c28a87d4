/**
 * What the model puts through the pinning protocol (spec/model.md, [MOD-5] the epoch log): the requests
 * members hold and the values they decide, with canonical encodings (ENC-1 style: object header, fixed
 * widths, u32 length prefixes, strict decoding).
 *
 * A request is one of: a keyblock for the next height, a medical or label transaction, a round's leader
 * seed, a round's microblock bundle, a skip of a round's silent creator, a proof of fraud. A value is
 * the 32-byte id of a keyblock (its pin certificate is then the ledger's keyblock pin, PIN-1), the empty
 * no-op of a NEW-VIEW plan (BFT-12), or a body: the group's id, the control requests it settles, and
 * optionally a batch (Algorithm 2's table of submissions and its selection, BAT-4).
 * @module
 */
import { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  encodeWith,
  HASH_BYTES,
  type Reader,
  readObjectHeader,
  type Writer,
  writeObjectHeader,
} from "../src/codec/index.js";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { readEd25519Signature } from "../src/crypto/signature.js";
import { type Keyblock, readKeyblock, writeKeyblockHeader } from "../src/ledger/keyblock.js";
import { type MicroblockHeader, readMicroblock, writeMicroblock } from "../src/ledger/microblock.js";
import {
  MAX_RECORD_TX_BYTES,
  type RecordTx,
  readTransaction,
  TX_TYPE,
  transactionId,
  writeTransaction,
} from "../src/ledger/transaction.js";
import { decodeFraudProof, encodeFraudProof, type FraudProof, MAX_STATEMENT_BYTES } from "../src/reputation/fraud.js";
import { BoundedMemo, latin1 } from "./crypto-cache.js";

/** [MOD-6] The view of the statements that pin batch roots: no protocol view ever reaches it. */
export const LEDGER_PIN_VIEW = Number.MAX_SAFE_INTEGER;

/** [MOD-5] Type bytes of the model's objects (ENC-10 header). */
export const MODEL_TYPE = { request: 0x60, body: 0x61 } as const;
/** [MOD-5] A skip of a round that has no creator yet (its seed never came). */
export const NO_CREATOR = 0xffff;
/** [MOD-5] Bounds: microblocks per bundle (= registers per keyblock the model mines), controls per body, table size. */
export const MAX_BUNDLE = 256;
export const MAX_CONTROLS = 64;
export const MAX_TABLE = 1024;
/** A record transaction's largest encoding (a label with h, of any scheme: TX-8). */
const MAX_TX_BYTES = MAX_RECORD_TX_BYTES;
const MAX_FRAUD_BYTES = 32 + 2 * (4 + MAX_STATEMENT_BYTES + 64);

export type Request =
  | { readonly _tag: "Keyblock"; readonly keyblock: Keyblock }
  | { readonly _tag: "Record"; readonly tx: RecordTx }
  | { readonly _tag: "Seed"; readonly round: number; readonly signature: Uint8Array }
  | {
      readonly _tag: "Bundle";
      readonly round: number;
      readonly creator: number;
      readonly headers: readonly MicroblockHeader[];
    }
  | { readonly _tag: "Skip"; readonly round: number; readonly creator: number }
  | { readonly _tag: "Fraud"; readonly proof: FraudProof };

const KIND = { Keyblock: 1, Record: 2, Seed: 3, Bundle: 4, Skip: 5, Fraud: 6 } as const;

const writeRequest = (w: Writer, q: Request): void => {
  writeObjectHeader(w, MODEL_TYPE.request).u8(KIND[q._tag]);
  switch (q._tag) {
    case "Keyblock":
      writeKeyblockHeader(w, q.keyblock.header).u32(q.keyblock.registers.length);
      for (const tx of q.keyblock.registers) writeTransaction(w, tx);
      return;
    case "Record":
      writeTransaction(w, q.tx);
      return;
    case "Seed":
      w.u32(q.round).fixed(q.signature, 64);
      return;
    case "Bundle":
      w.u32(q.round).u16(q.creator).u32(q.headers.length);
      for (const h of q.headers) writeMicroblock(w, h);
      return;
    case "Skip":
      w.u32(q.round).u16(q.creator);
      return;
    case "Fraud":
      w.bytes(encodeFraudProof(q.proof), MAX_FRAUD_BYTES);
      return;
  }
};

const readRequest = (r: Reader): Request => {
  readObjectHeader(r, [MODEL_TYPE.request], "request");
  const kind = r.oneOf([1, 2, 3, 4, 5, 6], "BadEnum", "request kind");
  switch (kind) {
    case 1:
      return { _tag: "Keyblock", keyblock: readKeyblock(r) };
    case 2:
      return { _tag: "Record", tx: readTransaction(r, [TX_TYPE.medical, TX_TYPE.label]) as RecordTx };
    case 3:
      return { _tag: "Seed", round: r.u32("round"), signature: readEd25519Signature(r, "seed") };
    case 4: {
      const round = r.u32("round");
      const creator = r.u16("creator");
      const count = r.count(MAX_BUNDLE, "bundle");
      const headers: MicroblockHeader[] = [];
      for (let i = 0; i < count; i++) headers.push(readMicroblock(r));
      return { _tag: "Bundle", round, creator, headers };
    }
    case 5:
      return { _tag: "Skip", round: r.u32("round"), creator: r.u16("creator") };
    default: {
      const at = r.position;
      const decoded = decodeFraudProof(r.bytes(MAX_FRAUD_BYTES, "fraud proof"));
      if (Result.isFailure(decoded)) r.fail(decoded.failure.reason, decoded.failure.detail, at);
      return { _tag: "Fraud", proof: decoded.success };
    }
  }
};

/**
 * [MOD-12] Decodings every node and run shares, keyed by the exact bytes: every member decodes the same
 * requests and values, and decoding is pure (the reader copies what it returns, nothing mutates a decoded
 * object), so the first decoding is every later one's answer. Bounded: each holds at most this many.
 */
export const DECODE_MEMO_ENTRIES = 20_000;
const requestMemo = new BoundedMemo<Result.Result<Request, DecodeError>>(DECODE_MEMO_ENTRIES);
const bodyMemo = new BoundedMemo<Result.Result<Value, DecodeError>>(DECODE_MEMO_ENTRIES);

/** [MOD-5] The canonical encoding of a request. */
export const encodeRequest = (q: Request): Uint8Array => encodeWith((w) => writeRequest(w, q));
export const decodeRequest = (bytes: Uint8Array): Result.Result<Request, DecodeError> => {
  const key = latin1(bytes);
  return requestMemo.get(key) ?? requestMemo.set(key, decodeWith(bytes, readRequest));
};

/** One institution's submissions in a batch table, in arrival order. */
export interface TableQueue {
  readonly institution: number;
  readonly txs: readonly RecordTx[];
}

/** [MOD-5] [BAT-4] A batch: the window, the submissions table, and the selection claimed to be Algorithm 2's. */
export interface BatchProposal {
  readonly window: number;
  readonly table: readonly TableQueue[];
  readonly selected: readonly Uint8Array[];
}

export interface Body {
  readonly group: Uint8Array;
  readonly controls: readonly Uint8Array[];
  readonly batch: BatchProposal | undefined;
}

export type Value =
  | { readonly _tag: "Noop" }
  | { readonly _tag: "KeyblockId"; readonly id: Uint8Array }
  | { readonly _tag: "Body"; readonly body: Body };

/** [MOD-5] body = 01 ‖ 61 ‖ group(32) ‖ u32 n ‖ bytes(request)^n ‖ bool batch ‖ [u32 window ‖ table ‖ selection]. */
export const encodeBody = (body: Body): Uint8Array =>
  encodeWith((w) => {
    writeObjectHeader(w, MODEL_TYPE.body).fixed(body.group, HASH_BYTES).u32(body.controls.length);
    for (const c of body.controls) w.bytes(c, 1 << 16);
    w.bool(body.batch !== undefined);
    if (body.batch === undefined) return;
    w.u32(body.batch.window).u32(body.batch.table.length);
    for (const q of body.batch.table) {
      w.u16(q.institution).u32(q.txs.length);
      for (const tx of q.txs)
        w.bytes(
          encodeWith((x) => writeTransaction(x, tx)),
          MAX_TX_BYTES,
        );
    }
    w.u32(body.batch.selected.length);
    for (const id of body.batch.selected) w.fixed(id, HASH_BYTES);
  });

const readBody = (r: Reader): Body => {
  readObjectHeader(r, [MODEL_TYPE.body], "body");
  const group = r.fixed(HASH_BYTES, "group");
  const controls: Uint8Array[] = [];
  const count = r.count(MAX_CONTROLS, "controls");
  for (let i = 0; i < count; i++) controls.push(r.bytes(1 << 16, "control"));
  if (!r.bool("batch")) return { group, controls, batch: undefined };
  const window = r.u32("window");
  const queues = r.count(MAX_TABLE, "queues");
  const table: TableQueue[] = [];
  let total = 0;
  for (let i = 0; i < queues; i++) {
    const institution = r.u16("institution");
    const n = r.count(MAX_TABLE, "queue");
    total += n;
    if (total > MAX_TABLE) r.fail("LengthOverBound", `table over ${MAX_TABLE} transactions`);
    const txs: RecordTx[] = [];
    for (let k = 0; k < n; k++) {
      const at = r.position;
      const decoded = decodeWith(r.bytes(MAX_TX_BYTES, "tx"), (x) =>
        readTransaction(x, [TX_TYPE.medical, TX_TYPE.label]),
      );
      if (Result.isFailure(decoded)) r.fail(decoded.failure.reason, decoded.failure.detail, at);
      txs.push(decoded.success as RecordTx);
    }
    table.push({ institution, txs });
  }
  const selected: Uint8Array[] = [];
  const chosen = r.count(MAX_TABLE, "selected");
  for (let i = 0; i < chosen; i++) selected.push(r.fixed(HASH_BYTES, "selected id"));
  return { group, controls, batch: { window, table, selected } };
};

/** [MOD-5] A decided or proposed value: empty = no-op, 32 bytes = keyblock id, else a body (strict). */
export const decodeValue = (bytes: Uint8Array): Result.Result<Value, DecodeError> => {
  if (bytes.length === 0) return Result.succeed({ _tag: "Noop" });
  if (bytes.length === HASH_BYTES) return Result.succeed({ _tag: "KeyblockId", id: bytes });
  const key = latin1(bytes);
  return (
    bodyMemo.get(key) ??
    bodyMemo.set(
      key,
      Result.map(decodeWith(bytes, readBody), (body): Value => ({ _tag: "Body", body })),
    )
  );
};

/** The selection's transactions, looked up in the table (undefined if one is not in it). */
export const selectedTransactions = (batch: BatchProposal): RecordTx[] | undefined => {
  const byId = new Map<string, RecordTx>();
  for (const q of batch.table) for (const tx of q.txs) byId.set(bytesToHex(transactionId(tx)), tx);
  const out: RecordTx[] = [];
  for (const id of batch.selected) {
    const tx = byId.get(bytesToHex(id));
    if (tx === undefined) return undefined;
    out.push(tx);
  }
  return out;
};

/** A request's identity for deduplication: H_BFT_REQUEST of its encoding (the member's own key, BFT-6). */
export const requestKey = (bytes: Uint8Array): string => bytesToHex(taggedHash(TAGS.BFT_REQUEST, bytes));

/** Does the body carry exactly these request bytes as a control? */
export const carriesControl = (body: Body, request: Uint8Array): boolean =>
  body.controls.some((c) => bytesEqual(c, request));
