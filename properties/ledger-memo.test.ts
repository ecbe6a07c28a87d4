/**
 * Checking a batch once (spec/chain.md [CHAIN-7]; spec/pins.md [PIN-4]; spec/transactions.md [TX-1], [TX-6],
 * [TX-7]): transactions carried with their encoding and id, and the placement memo that lets applying a
 * pinned batch reuse the placement its proposal computed. With a memo every call must answer exactly what it
 * answers without one: a changed batch (another transaction, order, length) is checked in full. Negative
 * controls: a memo keyed by the state alone, and a signature check on the wrong bytes, are caught.
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Reader } from "../src/codec/reader.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import { TAGS, tagPrefix } from "../src/crypto/hash.js";
import type { CryptoShape, Ed25519KeyPair } from "../src/crypto/signature.js";
import { type ChameleonRecord, medicalTx, recordData } from "../src/ehealth/records.js";
import { allSigners, type World } from "../src/ehealth/world.js";
import { applyEncodedBatchWith, encodedBatchRoot, type Placed } from "../src/ledger/apply-batch.js";
import type { BatchError } from "../src/ledger/errors.js";
import { certify, pinGroup } from "../src/ledger/pin.js";
import { PlacementMemo, type PlacementMemory } from "../src/ledger/placement-memo.js";
import { type ChainState, currentEpoch } from "../src/ledger/state.js";
import {
  type EncodedRecordTx,
  encodeRecordTx,
  encodeTransaction,
  type RecordTx,
  readEncodedRecordTx,
  transactionId,
  verifyEncodedTransaction,
  verifyTransaction,
} from "../src/ledger/transaction.js";
import { nodeCrypto } from "../src/node.js";
import { summarize } from "../vectors/gen/ledger-transition.js";
import { failsOn, holds } from "./check.js";
import { lazyKit, mustRun } from "./ledger/fixtures.js";

const kit = lazyKit("ledger-memo");
const crypto = nodeCrypto;

interface Fixture {
  readonly world: World;
  /** Valid follow-up records, a forged signature and a repeated pointer: batches of them pass or fail. */
  readonly pool: readonly EncodedRecordTx[];
}

let fixture: Fixture | undefined;
const fixtureOf = (): Fixture => {
  if (fixture !== undefined) return fixture;
  const { world } = mustRun(kit, [
    { _tag: "Round", registers: 2, miner: 0 },
    {
      _tag: "Batch",
      records: [
        { patient: 0, institution: 0, label: false, includeHash: true },
        { patient: 1, institution: 1, label: false, includeHash: true },
      ],
    },
  ]);
  const context = { institution: 0, round: currentEpoch(world.state), fee: 50 };
  const record = (institution: number, k: number) => recordData(kit.series[institution]?.[k] as ChameleonRecord, true);
  const patient = (p: number) => kit.patients[p] as Ed25519KeyPair;
  const a = medicalTx(crypto, patient(0), 0, record(0, 1), context);
  const b = medicalTx(crypto, patient(1), 1, record(1, 1), { ...context, institution: 1 });
  const c = medicalTx(crypto, patient(0), 0, record(0, 2), { ...context, fee: 51 });
  const forged: RecordTx = { ...b, signature: a.signature };
  const samePointer = medicalTx(crypto, patient(0), 0, record(0, 1), { ...context, fee: 52 });
  fixture = { world, pool: [a, b, c, forged, samePointer].map(encodeRecordTx) };
  return fixture;
};

const certificateFor = (world: World, root: Uint8Array) =>
  certify(crypto, Result.getOrThrow(pinGroup(currentEpoch(world.state), world.group)), allSigners(world), root);

type Answer = string;
const answerOf = (r: Result.Result<Uint8Array | ChainState, BatchError>): Answer => {
  if (Result.isFailure(r)) return `fail ${r.failure._tag}`;
  return r.success instanceof Uint8Array
    ? Buffer.from(r.success).toString("hex")
    : JSON.stringify(summarize(r.success));
};

const batchArb = fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 4 });

/**
 * The property: propose batch `b1`, then apply `b2` (b1 itself, or another batch) under a certificate on
 * the root of b1 or of b2, with the memo `memo` and with none: every answer is the same.
 */
const memoIsInvisible = (makeMemo: () => PlacementMemory<Placed>) =>
  fc.property(batchArb, batchArb, fc.boolean(), fc.boolean(), (i1, i2, same, certifyFirst) => {
    const { world, pool } = fixtureOf();
    const b1 = i1.map((i) => pool[i] as EncodedRecordTx);
    const b2 = same ? b1 : i2.map((i) => pool[i] as EncodedRecordTx);
    const state = world.state;
    const fresh1 = encodedBatchRoot(crypto, state, b1);
    const fresh2 = encodedBatchRoot(crypto, state, b2);
    const certified = certifyFirst ? fresh1 : fresh2;
    const certificate = certificateFor(world, Result.isSuccess(certified) ? certified.success : new Uint8Array(32));
    const memo = makeMemo();
    const proposed = encodedBatchRoot(crypto, state, b1, memo);
    const applied = applyEncodedBatchWith(crypto, state, certificate, b2, world.group, memo);
    const reference = applyEncodedBatchWith(crypto, state, certificate, b2, world.group);
    return answerOf(proposed) === answerOf(fresh1) && answerOf(applied) === answerOf(reference);
  });

/** A broken memo: keyed by the state alone, so another batch on the same state gets the first one's placement. */
const stateOnlyMemo = (): PlacementMemory<Placed> => {
  const known = new Map<ChainState, Placed>();
  return {
    lookup: (state) => known.get(state),
    remember: (state, _crypto, _ids, value) => {
      known.set(state, value);
    },
  };
};

/** A crypto that counts the transaction signatures it verifies. */
const counting = (): { readonly crypto: CryptoShape; readonly txVerifications: () => number } => {
  const prefix = tagPrefix(TAGS.TX_SIG);
  let count = 0;
  return {
    crypto: {
      ...nodeCrypto,
      verify: (key, message, signature) => {
        if (bytesEqual(message.subarray(0, prefix.length), prefix)) count += 1;
        return nodeCrypto.verify(key, message, signature);
      },
    },
    txVerifications: () => count,
  };
};

describe("ledger: a batch checked once", () => {
  it("[CHAIN-7] with a placement memo, proposing then applying answers what it answers without one", () => {
    holds(
      "the memo is invisible",
      memoIsInvisible(() => new PlacementMemo()),
      { numRuns: 40 },
    );
  });

  it("[CHAIN-7] negative control: a memo keyed by the state alone applies another batch's placement", () => {
    const found = failsOn("the memo is invisible (keyed by state only)", memoIsInvisible(stateOnlyMemo));
    const [i1, i2, same] = found.value;
    expect(same).toBe(false);
    expect(i1).not.toEqual(i2);
  });

  it("[CHAIN-7] the proposed batch is applied without checking its transactions again; a changed one is checked in full", () => {
    const { world, pool } = fixtureOf();
    const batch = [pool[0], pool[1]] as EncodedRecordTx[];
    const changed = [pool[0], pool[2]] as EncodedRecordTx[];
    const counter = counting();
    const memo = new PlacementMemo<Placed>();
    const root = Result.getOrThrow(encodedBatchRoot(counter.crypto, world.state, batch, memo));
    expect(counter.txVerifications()).toBe(2);
    const applied = applyEncodedBatchWith(
      counter.crypto,
      world.state,
      certificateFor(world, root),
      batch,
      world.group,
      memo,
    );
    expect(Result.isSuccess(applied)).toBe(true);
    expect(counter.txVerifications()).toBe(2);
    const changedRoot = Result.getOrThrow(encodedBatchRoot(crypto, world.state, changed));
    const reapplied = applyEncodedBatchWith(
      counter.crypto,
      world.state,
      certificateFor(world, changedRoot),
      changed,
      world.group,
      memo,
    );
    expect(Result.isSuccess(reapplied)).toBe(true);
    expect(counter.txVerifications()).toBe(4);
  });

  it("[CHAIN-7] the memo is bounded: the oldest placement is forgotten first", () => {
    const { world, pool } = fixtureOf();
    const memo = new PlacementMemo<Placed>(2);
    const batches = [[pool[0]], [pool[1]], [pool[2]]] as EncodedRecordTx[][];
    for (const batch of batches) Result.getOrThrow(encodedBatchRoot(crypto, world.state, batch, memo));
    expect(memo.size).toBe(2);
    const idsOf = (batch: readonly EncodedRecordTx[]) => batch.map((t) => t.id);
    expect(memo.lookup(world.state, crypto, idsOf(batches[0] as EncodedRecordTx[]))).toBeUndefined();
    expect(memo.lookup(world.state, crypto, idsOf(batches[2] as EncodedRecordTx[]))).toBeDefined();
    expect(() => new PlacementMemo(0)).toThrow(RangeError);
  });
});

type VerifyEncoded = (crypto: CryptoShape, key: Uint8Array, encoded: Uint8Array) => boolean;

/**
 * The property: on a pool transaction's encoding, with one bit flipped or none, under the right key or
 * another, `verifyEncoded` answers as verifyTransaction on the decoded transaction (flips that break the
 * encoding are skipped: there is no transaction to compare with).
 */
const verifiesAlike = (verifyEncoded: VerifyEncoded) =>
  fc.property(fc.nat({ max: 4 }), fc.nat({ max: 1 }), fc.option(fc.nat(), { nil: undefined }), (i, p, flip) => {
    const bytes = ((fixtureOf().pool[i] as EncodedRecordTx).encoded as Uint8Array).slice();
    if (flip !== undefined) bytes[flip % bytes.length] = (bytes[flip % bytes.length] as number) ^ 1;
    const key = (kit.patients[p] as Ed25519KeyPair).publicKey;
    let tx: RecordTx;
    try {
      tx = readEncodedRecordTx(new Reader(bytes), bytes, "tx").tx;
    } catch {
      return true;
    }
    return verifyEncoded(crypto, key, bytes) === verifyTransaction(crypto, key, tx);
  });

/** A broken check: the signed body keeps the signature's first byte. */
const bodyPlusOne: VerifyEncoded = (c, key, encoded) =>
  c.verify(
    key,
    new Uint8Array([...tagPrefix(TAGS.TX_SIG), ...encoded.subarray(0, encoded.length - 63)]),
    encoded.subarray(encoded.length - 64),
  );

describe("ledger: transactions carried with their encoding", () => {
  it("[TX-1] [TX-7] encodeRecordTx and readEncodedRecordTx carry the complete encoding and the id", () => {
    const { pool } = fixtureOf();
    const joined = new Uint8Array(pool.reduce((n, t) => n + t.encoded.length, 0));
    let at = 0;
    for (const t of pool) {
      expect(bytesEqual(t.encoded, encodeTransaction(t.tx))).toBe(true);
      expect(bytesEqual(t.id, transactionId(t.tx))).toBe(true);
      joined.set(t.encoded, at);
      at += t.encoded.length;
    }
    const r = new Reader(joined);
    for (const t of pool) {
      const read = readEncodedRecordTx(r, joined, "tx");
      expect(bytesEqual(read.encoded, t.encoded)).toBe(true);
      expect(bytesEqual(read.id, t.id)).toBe(true);
    }
  });

  it("[TX-6] a signature checked on the encoding answers as verifyTransaction, for any key and any flipped bit", () => {
    holds("verifyEncodedTransaction = verifyTransaction", verifiesAlike(verifyEncodedTransaction), { numRuns: 60 });
  });

  it("[TX-6] negative control: a signed body that keeps one signature byte is caught", () => {
    const found = failsOn("verifyEncodedTransaction = verifyTransaction (body + 1 byte)", verifiesAlike(bodyPlusOne));
    // caught on an unmodified valid transaction under its own key
    expect(found.value[2]).toBeUndefined();
  });
});
