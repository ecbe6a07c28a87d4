/**
 * The throughput benchmark's pure parts (bench/throughput-limit.ts, bench/throughput-codec.ts): the
 * verifications a transaction needs, the crypto limit, the steady-state window, and the strict codec of its
 * submissions and batches. No timing here (spec/conventions.md [CONV-7]): the figures are the bench's.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median } from "../bench/harness.js";
import {
  BENCH_TYPE,
  decodeBatchValue,
  decodeSubmission,
  encodeBatchValue,
  encodeSubmission,
  latin1,
} from "../bench/throughput-codec.js";
import {
  type CryptoCost,
  cryptoLimitTps,
  faultsOf,
  type PinnedBatch,
  steadyTps,
  verificationsPerTx,
} from "../bench/throughput-limit.js";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { CHAMELEON_SCHEME_IDS } from "../src/crypto/chameleon/scheme.js";
import { seededSource } from "../src/crypto/random.js";
import { keyPairFromSeed, nobleCrypto } from "../src/crypto/signature.js";
import { labelTx, medicalTx } from "../src/ehealth/records.js";
import {
  type EncodedRecordTx,
  encodeRecordTx,
  encodeTransaction,
  type RecordTx,
  transactionId,
} from "../src/ledger/transaction.js";
import { failsOn, holds } from "./check.js";

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe("throughput limit", () => {
  /** Counted member by member: the patient signatures, the PROPOSE (non-leaders), 6f votes and its own pin vote. */
  const perTxByMember = (size: number, perBatch: number): number => {
    const f = Math.floor((size - 1) / 3);
    let perBatchTotal = 0;
    for (let member = 0; member < size; member++) {
      perBatchTotal += perBatch + (member === 0 ? 0 : 1) + 2 * f + 2 * f + 2 * f + 1;
    }
    return perBatchTotal / perBatch;
  };
  const counted = (formula: (size: number, perBatch: number) => number) =>
    fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 10_000 }), (size, perBatch) =>
      close(formula(size, perBatch), perTxByMember(size, perBatch)),
    );

  it("[BFT-2] verifications per transaction: the formula equals a count member by member", () => {
    holds("verifications per transaction", counted(verificationsPerTx), { numRuns: 300 });
    expect(faultsOf(4)).toBe(1);
    expect(faultsOf(11)).toBe(3);
    expect(() => verificationsPerTx(0, 10)).toThrow(RangeError);
    expect(() => verificationsPerTx(4, 0)).toThrow(RangeError);
  });

  it("negative control: f taken as ⌊|X|/3⌋ is caught at a group of 3", () => {
    const wrongF = (size: number, perBatch: number) =>
      size + (size - 1 + size * (6 * Math.floor(size / 3) + 1)) / perBatch;
    const found = failsOn("verifications per transaction, wrong f", counted(wrongF));
    expect(found.value[0] % 3).toBe(0);
  });

  const arbCost = fc.record({
    perTx: fc.double({ min: 0.5, max: 100, noNaN: true }),
    perSecondPerCore: fc.double({ min: 1, max: 1e6, noNaN: true }),
  });
  /** Each cost alone: rate × cores ÷ operations; together the times per transaction add up. */
  const limitProperty = (limit: (cores: number, costs: readonly CryptoCost[]) => number) =>
    fc.property(fc.integer({ min: 1, max: 64 }), fc.array(arbCost, { minLength: 1, maxLength: 4 }), (cores, costs) => {
      const alone = costs.map((c) => limit(cores, [c]));
      const eachRight = costs.every((c, i) => close(alone[i] as number, (c.perSecondPerCore * cores) / c.perTx));
      const together = 1 / alone.reduce((sum, l) => sum + 1 / l, 0);
      return eachRight && close(limit(cores, costs), together);
    });

  it("the crypto limit: rate × cores ÷ operations per transaction, and costs add as times", () => {
    holds("crypto limit", limitProperty(cryptoLimitTps), { numRuns: 300 });
    expect(() => cryptoLimitTps(2, [])).toThrow(RangeError);
    expect(() => cryptoLimitTps(2, [{ perTx: 1, perSecondPerCore: 0 }])).toThrow(RangeError);
  });

  it("negative control: a limit that keeps only the slowest operation is caught with two costs", () => {
    const slowest = (cores: number, costs: readonly CryptoCost[]) =>
      Math.min(...costs.map((c) => cryptoLimitTps(cores, [c])));
    const found = failsOn("crypto limit, slowest only", limitProperty(slowest));
    expect(found.value[1].length).toBe(2);
  });

  /**
   * A run at a steady `txs` per `gap_ms`, whose first batch (start-up) and last `inFlight` batches (drain)
   * come at any time with any size: the steady rate is measured whatever they are.
   */
  const steadyProperty = (tps: (batches: readonly PinnedBatch[], inFlight: number) => number | undefined) =>
    fc.property(
      fc.integer({ min: 0, max: 4 }),
      fc.integer({ min: 2, max: 12 }),
      fc.integer({ min: 1, max: 5_000 }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.record({ txs: fc.integer({ min: 1, max: 5_000 }), before_ms: fc.integer({ min: 1, max: 10_000 }) }),
      fc.array(fc.record({ txs: fc.integer({ min: 1, max: 5_000 }), after_ms: fc.integer({ min: 1, max: 1_000 }) }), {
        minLength: 4,
        maxLength: 4,
      }),
      (inFlight, steady, txs, gap_ms, startup, drain) => {
        const batches: PinnedBatch[] = [{ txs: startup.txs, at_ms: 1_000_000 - startup.before_ms }];
        for (let i = 0; i < steady; i++) batches.push({ txs, at_ms: 1_000_000 + i * gap_ms });
        let at = 1_000_000 + (steady - 1) * gap_ms;
        for (const d of drain.slice(0, inFlight)) {
          at += d.after_ms;
          batches.push({ txs: d.txs, at_ms: at });
        }
        const measured = tps(batches, inFlight);
        return measured !== undefined && close(measured, (1000 * txs) / gap_ms);
      },
    );

  it("the steady-state rate leaves out the start-up batch and the in-flight drain", () => {
    holds("steady-state rate", steadyProperty(steadyTps), { numRuns: 300 });
    const batch = { txs: 10, at_ms: 5 };
    expect(steadyTps([batch, batch, batch], 1)).toBeUndefined();
    expect(steadyTps([batch, { txs: 10, at_ms: 6 }], 0)).toBeUndefined();
  });

  it("negative control: a rate over the whole run is caught", () => {
    const whole = (batches: readonly PinnedBatch[]) => {
      const first = batches[0] as PinnedBatch;
      const last = batches[batches.length - 1] as PinnedBatch;
      const txs = batches.slice(1).reduce((sum, b) => sum + b.txs, 0);
      return (1000 * txs) / (last.at_ms - first.at_ms);
    };
    failsOn("steady-state rate, whole run", steadyProperty(whole));
  });

  const medianProperty = (med: (values: readonly number[]) => number) =>
    fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 9 }), (values) => {
      const m = med(values);
      return (
        values.filter((v) => v <= m).length * 2 >= values.length &&
        values.filter((v) => v >= m).length * 2 >= values.length
      );
    });

  it("the median has at least half the values on each side", () => {
    holds("median", medianProperty(median), { numRuns: 300 });
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it("negative control: the mean is caught", () => {
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    failsOn("median, mean", medianProperty(mean));
  });
});

describe("throughput codec", () => {
  const source = seededSource(utf8ToBytes("throughput codec test"));
  const key = keyPairFromSeed(nobleCrypto, source.bytes(32));
  /** DSS20 randomness with four valid scalars (1, 2, 3, 4), as the strict decoder requires. */
  const r = new Uint8Array(128);
  for (let i = 0; i < 4; i++) r[32 * i + 31] = i + 1;
  const tx = (j: number): RecordTx => {
    const data = { scheme: CHAMELEON_SCHEME_IDS.DSS20, h: undefined, r, pointer: source.bytes(32) };
    const context = { institution: j % 26, round: 7, fee: 6 + j };
    return j % 3 === 2
      ? labelTx(nobleCrypto, key, j, source.bytes(32), data, context)
      : medicalTx(nobleCrypto, key, j, data, context);
  };
  const txs = Array.from({ length: 7 }, (_, j) => tx(j));

  it("a submission and a batch decode to their transactions, ids and byte counts", () => {
    const submission = decodeSubmission(encodeSubmission(txs));
    const batch = decodeBatchValue(encodeBatchValue(41, txs.map(encodeRecordTx)));
    for (const decoded of [submission, batch]) {
      if (decoded._tag !== "Success") throw new Error(`decoding failed: ${JSON.stringify(decoded.failure)}`);
      const value = decoded.success;
      expect(value.txs.map(encodeTransaction)).toEqual(txs.map(encodeTransaction));
      expect(value.ids).toEqual(txs.map(transactionId));
      expect(value.encoded.map((e) => e.encoded)).toEqual(txs.map(encodeTransaction));
      expect(value.txBytes).toBe(txs.reduce((sum, t) => sum + encodeTransaction(t).length, 0));
      expect(new Set(value.keys).size).toBe(txs.length);
    }
    if (batch._tag === "Success") expect(batch.success.window).toBe(41);
  });

  /** A batch value decoded with the submissions' transactions as known: what decoding without them gives. */
  const decodesAlike = (forge: boolean) =>
    fc.property(fc.subarray([0, 1, 2, 3, 4, 5, 6]), fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }), (k, b) => {
      const known = new Map<string, EncodedRecordTx>();
      for (const i of k) {
        const one = encodeRecordTx(txs[i] as RecordTx);
        // a forged memory: another transaction's bytes under this one's id
        const other = encodeRecordTx(txs[(i + 1) % txs.length] as RecordTx);
        known.set(latin1(one.id), forge ? { ...other, id: one.id } : one);
      }
      const bytes = encodeBatchValue(
        3,
        b.map((i) => encodeRecordTx(txs[i] as RecordTx)),
      );
      const plain = decodeBatchValue(bytes);
      const withKnown = decodeBatchValue(bytes, known);
      if (plain._tag !== "Success" || withKnown._tag !== "Success") return false;
      const encodings = (v: typeof plain.success) => v.encoded.map((e) => Buffer.from(e.encoded).toString("hex"));
      return (
        JSON.stringify(encodings(withKnown.success)) === JSON.stringify(encodings(plain.success)) &&
        JSON.stringify(withKnown.success.txs.map(encodeTransaction).map((e) => Buffer.from(e).toString("hex"))) ===
          JSON.stringify(encodings(plain.success))
      );
    });

  it("a batch value decoded with known transactions is the one decoded without them, even from a forged memory", () => {
    holds("known transactions change nothing", decodesAlike(false), { numRuns: 40 });
    holds("a forged memory changes nothing", decodesAlike(true), { numRuns: 40 });
  });

  it("rejects trailing bytes, truncation, a zero count and the other object's type", () => {
    const bytes = encodeSubmission(txs);
    expect(decodeSubmission(Uint8Array.of(...bytes, 0))._tag).toBe("Failure");
    expect(decodeSubmission(bytes.subarray(0, bytes.length - 1))._tag).toBe("Failure");
    expect(decodeBatchValue(bytes)._tag).toBe("Failure");
    const zero = Uint8Array.from(bytes.subarray(0, 4));
    zero[2] = 0;
    zero[3] = 0;
    expect(decodeSubmission(zero)._tag).toBe("Failure");
    expect(bytes[1]).toBe(BENCH_TYPE.submission);
    expect(() => encodeSubmission([])).toThrow(RangeError);
  });
});
