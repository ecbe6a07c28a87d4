/**
 * Boundaries and branches of the ledger that the history properties do not reach (spec/transactions.md
 * [TX-3]; spec/chain.md [CHAIN-1], [CHAIN-3]; spec/blocks.md [KB-4]; spec/retrieval.md [RET-1], [RET-4]): the
 * identity commitment against its formula, the configuration's domain at its edges, the work rule against an
 * integer oracle (with a negative control), the Effect API against the Result functions, and every error of
 * a record's proof.
 */
import { scrypt } from "@noble/hashes/scrypt.js";
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex, concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { dss20Scheme } from "../src/crypto/chameleon/dss20-scheme.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { Crypto } from "../src/crypto/signature.js";
import { applyBatchWith } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../src/ledger/apply-microblock.js";
import { applyBatch, applyKeyblock, applyKeyblockPin, applyMicroblock } from "../src/ledger/chain.js";
import { type ChainConfig, checkConfig } from "../src/ledger/config.js";
import { identityCommitment } from "../src/ledger/identity.js";
import { meetsDifficulty } from "../src/ledger/keyblock.js";
import { pinnedHeaders, proveRecord, verifyRecordProof } from "../src/ledger/proof.js";
import { history, patientBlock } from "../src/ledger/retrieval.js";
import type { ChainState } from "../src/ledger/state.js";
import { encodeTransaction, transactionId } from "../src/ledger/transaction.js";
import { nodeCrypto } from "../src/node.js";
import { failsOn, holds } from "./check.js";
import { lazyKit, mustRun } from "./ledger/fixtures.js";

const kit = lazyKit("ledger-units", { patients: 3 });
const crypto = nodeCrypto;
const tagOf = (r: Result.Result<unknown, { readonly _tag: string }>): string =>
  Result.isFailure(r) ? r.failure._tag : "ok";

describe("ledger: identity commitment", () => {
  const params = { N: 16, r: 1, p: 1 };
  const genesis = taggedHash(TAGS.KEYBLOCK, utf8ToBytes("a configuration"));

  it("[TX-3] I = H_IDENTITY(scrypt(u32 len ‖ record number ‖ u16 age, salt = G(KB_0))), computed from the formula", () => {
    const record = utf8ToBytes("NUR-10042");
    const password = concatBytes(Uint8Array.of(0, 0, 0, record.length), record, Uint8Array.of(0x01, 0x2c));
    const expected = taggedHash(TAGS.IDENTITY, scrypt(password, genesis, { ...params, dkLen: 32 }));
    expect(bytesToHex(identityCommitment("NUR-10042", 300, genesis, params))).toBe(bytesToHex(expected));
  });

  it("[TX-3] another record number, age or chain gives another commitment", () => {
    const base = bytesToHex(identityCommitment("7", 30, genesis, params));
    expect(bytesToHex(identityCommitment("8", 30, genesis, params))).not.toBe(base);
    expect(bytesToHex(identityCommitment("7", 31, genesis, params))).not.toBe(base);
    expect(bytesToHex(identityCommitment("7", 30, taggedHash(TAGS.KEYBLOCK, genesis), params))).not.toBe(base);
  });

  it("[TX-3] the patient's inputs are checked at their edges", () => {
    expect(identityCommitment("x".repeat(256), 0, genesis, params)).toHaveLength(32);
    expect(identityCommitment("x", 65_535, genesis, params)).toHaveLength(32);
    for (const [record, age] of [
      ["", 1],
      ["x".repeat(257), 1],
      ["x", -1],
      ["x", 65_536],
      ["x", 1.5],
    ] as const) {
      expect(() => identityCommitment(record, age, genesis, params)).toThrow(RangeError);
    }
  });
});

describe("ledger: configuration domain", () => {
  const valid = (): ChainConfig => kit.world.state.config;
  const ok = (config: ChainConfig) => tagOf(checkConfig(config));

  it("[CHAIN-1] the configuration's fields are accepted exactly in their ranges", () => {
    const c = valid();
    expect(ok(c)).toBe("ok");
    expect(ok({ ...c, difficulty_bits: 255 })).toBe("ok");
    expect(ok({ ...c, freshness_window: 1 })).toBe("ok");
    expect(ok({ ...c, freshness_window: 0xffff_ffff })).toBe("ok");
    expect(ok({ ...c, min_fee: { register: 0xffff_ffff, medical: 0, label: 0 } })).toBe("ok");
    const bad: ChainConfig[] = [
      { ...c, difficulty_bits: 256 },
      { ...c, difficulty_bits: -1 },
      { ...c, difficulty_bits: 1.5 },
      { ...c, freshness_window: 0 },
      { ...c, freshness_window: 2 ** 32 },
      { ...c, min_fee: { ...c.min_fee, medical: 2 ** 32 } },
      { ...c, min_fee: { ...c.min_fee, label: -1 } },
      { ...c, min_fee: { ...c.min_fee, register: 0.5 } },
      { ...c, institutions: [] },
      {
        ...c,
        institutions: [{ ...(c.institutions[0] as ChainConfig["institutions"][number]), key: new Uint8Array(31) }],
      },
      {
        ...c,
        institutions: [{ ...(c.institutions[0] as ChainConfig["institutions"][number]), chKey: new Uint8Array(32) }],
      },
    ];
    for (const config of bad) expect(ok(config)).toBe("ChainConfigInvalid");
  });

  it("[CHAIN-1] the registry holds at most 65535 institutions", () => {
    const c = valid();
    const entry = c.institutions[0] as ChainConfig["institutions"][number];
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...entry,
        key: Uint8Array.from([i & 0xff, i >> 8, ...new Uint8Array(30)]),
      }));
    expect(ok({ ...c, institutions: many(0xffff) })).toBe("ok");
    expect(ok({ ...c, institutions: many(0x10000) })).toBe("ChainConfigInvalid");
    expect(dss20Scheme.sizes.publicKey_bytes).toBe(33);
  });
});

/** The work rule by integers: the digest read big-endian is below 2^(256 - d). */
const workOracle = (digest: Uint8Array, d: number): boolean =>
  BigInt(`0x${bytesToHex(digest)}`) < 2n ** BigInt(256 - d);

/** A broken rule that looks at whole zero bytes only. */
const wholeBytesOnly = (digest: Uint8Array, d: number): boolean =>
  digest.subarray(0, Math.floor(d / 8)).every((b) => b === 0);

const digestArb = fc
  .tuple(fc.nat({ max: 6 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([zeros, bytes]) => Uint8Array.from(bytes, (b, i) => (i < zeros ? 0 : i === zeros ? b >> (zeros % 8) : b)));

const workMatchesOracle = (rule: (digest: Uint8Array, d: number) => boolean) =>
  fc.property(digestArb, fc.integer({ min: 0, max: 64 }), (digest, d) => {
    expect(rule(digest, d)).toBe(workOracle(digest, d));
  });

describe("ledger: the work rule", () => {
  it("[KB-4] meetsDifficulty is 'the digest is below 2^(256 - d)'", () => {
    holds("work rule", workMatchesOracle(meetsDifficulty), { numRuns: 500 });
  });

  it("[KB-4] negative control: a rule that checks whole bytes only is caught", () => {
    failsOn("work rule (whole bytes)", workMatchesOracle(wholeBytesOnly), 500);
  });
});

describe("ledger: the Effect API", () => {
  it("[CHAIN-3] the Effect transitions give the Result transitions' states and errors", () => {
    const { world, steps } = mustRun(kit, [
      { _tag: "Round", registers: 2, miner: 0 },
      { _tag: "Batch", records: [{ patient: 0, institution: 0, label: false, includeHash: true }] },
    ]);
    const run = <A, E>(effect: Effect.Effect<A, E, Crypto>) =>
      Effect.runSync(Effect.result(Effect.provide(effect, Crypto.noble)));
    let viaEffect: ChainState = kit.world.state;
    let viaResult: ChainState = kit.world.state;
    for (const step of steps) {
      if (step._tag === "Keyblock") {
        viaEffect = Result.getOrThrow(run(applyKeyblock(viaEffect, step.keyblock)));
        viaResult = Result.getOrThrow(applyKeyblockWith(crypto, viaResult, step.keyblock));
        expect(tagOf(run(applyKeyblock(viaEffect, step.keyblock)))).toBe("KeyblockKnown");
      } else if (step._tag === "KeyblockPin") {
        viaEffect = Result.getOrThrow(run(applyKeyblockPin(viaEffect, step.pin, world.group)));
        viaResult = Result.getOrThrow(applyKeyblockPinWith(crypto, viaResult, step.pin, world.group));
      } else if (step._tag === "Microblock") {
        viaEffect = Result.getOrThrow(run(applyMicroblock(viaEffect, step.header, step.leader)));
        viaResult = Result.getOrThrow(applyMicroblockWith(crypto, viaResult, step.header, step.leader));
      } else {
        viaEffect = Result.getOrThrow(run(applyBatch(viaEffect, step.batch, world.group)));
        viaResult = Result.getOrThrow(applyBatchWith(crypto, viaResult, step.batch, world.group));
        expect(tagOf(run(applyBatch(viaEffect, step.batch, world.group)))).toBe("TransactionReplayed");
      }
      expect(viaEffect.keyblocks.size).toBe(viaResult.keyblocks.size);
      expect(viaEffect.batches.size).toBe(viaResult.batches.size);
    }
    expect(JSON.stringify(Result.getOrThrow(history(viaEffect, 0)).map((i) => bytesToHex(i.id)))).toBe(
      JSON.stringify(Result.getOrThrow(history(viaResult, 0)).map((i) => bytesToHex(i.id))),
    );
  });
});

describe("ledger: proofs and lookups, every error", () => {
  it("[RET-1] [RET-4] unknown patients and records, and each proof check, fail with their tags", () => {
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
    const state = world.state;
    expect(tagOf(history(state, 2))).toBe("UnknownPatient");
    expect(tagOf(patientBlock(crypto, state, 2))).toBe("UnknownPatient");
    const [first, second] = [...state.batches][0]?.transactions ?? [];
    if (first === undefined || second === undefined) throw new Error("fixture");
    expect(tagOf(proveRecord(crypto, state, new Uint8Array(32)))).toBe("RecordUnknown");
    expect(tagOf(proveRecord(crypto, state, state.patients.get(0)?.registerTx as Uint8Array))).toBe("RecordUnknown");
    const proof = Result.getOrThrow(proveRecord(crypto, state, transactionId(first)));
    const headers = pinnedHeaders(state);
    const verify = (p = proof, h = headers) => tagOf(verifyRecordProof(crypto, h, p));
    expect(verify()).toBe("ok");
    const register = state.keyblocks.get(1)?.keyblock?.registers[0];
    if (register === undefined) throw new Error("fixture");
    expect(verify({ ...proof, transaction: encodeTransaction(register) })).toBe("ProofMalformed");
    expect(verify({ ...proof, transaction: proof.transaction.subarray(1) })).toBe("ProofMalformed");
    expect(verify({ ...proof, entry: proof.entry.subarray(1) })).toBe("ProofMalformed");
    const otherHeader = headers.microblocks.get(1);
    if (otherHeader === undefined) throw new Error("fixture");
    const swappedKey = new Map(headers.microblocks).set(0, { ...otherHeader, number: 0 });
    expect(verify(proof, { ...headers, microblocks: swappedKey })).toBe("ProofSignatureInvalid");
    const rotated = [...headers.chKeys.slice(1), headers.chKeys[0]] as typeof headers.chKeys;
    expect(verify(proof, { ...headers, chKeys: rotated })).toBe("ProofChameleonInvalid");
  });
});
