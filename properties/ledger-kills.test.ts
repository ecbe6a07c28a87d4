/**
 * Tests added after mutation testing of src/ledger (issue 3; npm run mutation:ledger): the field layout of
 * every ledger decoder, checked by truncating an encoding where each field starts (spec/blocks.md [MB-1],
 * spec/pins.md [PIN-4], spec/transactions.md [TX-1], spec/chain.md [CHAIN-1]); the state's lookups and its
 * genesis with an unusable chameleon key ([CHAIN-1]); a batch checked against an invalid group snapshot
 * before anything else ([CHAIN-7], [PIN-2]); every step of a record proof's verification on proofs forged
 * to pass all steps before it ([RET-4]); the spec's default identity parameters ([TX-3]). Every ledger
 * error carries a detail sentence for people (src/ledger/errors.ts), checked with its tag, and where the
 * detail names the object at fault (a batch, a patient, an institution) that name is checked too.
 */
import { HashMap, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecodeError } from "../src/codec/errors.js";
import { Secp, scalarToBytes } from "../src/codec/fields.js";
import { type PinCertificate, valueHash } from "../src/consensus/certificate.js";
import { bytesToHex, concatBytes } from "../src/crypto/bytes.js";
import { am04Scheme } from "../src/crypto/chameleon/am04-scheme.js";
import { dss20Scheme } from "../src/crypto/chameleon/dss20-scheme.js";
import { merkleRoot } from "../src/crypto/merkle.js";
import { allSigners } from "../src/ehealth/world.js";
import { applyBatchWith, applyEncodedBatchWith } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith, expectedPrevMicroblock } from "../src/ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../src/ledger/apply-microblock.js";
import { decodeBatch, decodeEntry, encodeBatch, encodeEntry } from "../src/ledger/batch.js";
import { type ChainConfig, checkConfig, decodeConfig, encodeConfig } from "../src/ledger/config.js";
import { DEFAULT_IDENTITY_PARAMS, identityCommitment } from "../src/ledger/identity.js";
import { decodeMicroblock, encodeMicroblock } from "../src/ledger/microblock.js";
import { attachCorrection, institutionRoot, leafRecords, type PatientSlot } from "../src/ledger/patient-block.js";
import { certify, pinGroup } from "../src/ledger/pin.js";
import {
  pinnedHeaders,
  proveRecord,
  type RecordProof,
  type SequenceGap,
  sequenceGaps,
  type VerifiedRecord,
  verifyRecordProof,
} from "../src/ledger/proof.js";
import { PersistentVector } from "../src/ledger/pvec.js";
import { history, historyByScan, patientBlock } from "../src/ledger/retrieval.js";
import {
  type ChainState,
  genesisState,
  keyblockHeaderAt,
  lookupTx,
  microblockOf,
  type PinnedBatch,
} from "../src/ledger/state.js";
import {
  decodeTransaction,
  encodeRecordTx,
  encodeTransaction,
  type LabelTx,
  type MedicalTx,
  type RecordTx,
  schemeOfId,
  type Transaction,
  transactionId,
} from "../src/ledger/transaction.js";
import { checkFee, checkFreshness, checkInstitution } from "../src/ledger/validate-tx.js";
import { nodeCrypto } from "../src/node.js";
import { failsOn, holds } from "./check.js";
import { lazyKit, mustRun } from "./ledger/fixtures.js";

const kit = lazyKit("ledger-kills", { patients: 3 });
const crypto = nodeCrypto;

/** Patients 0 and 1 registered in round 1; batch 0: first visits; batch 1: a later visit (h omitted) and a label. */
let built: ReturnType<typeof mustRun> | undefined;
const fixture = () => {
  built ??= mustRun(kit, [
    { _tag: "Round", registers: 2, miner: 0 },
    {
      _tag: "Batch",
      records: [
        { patient: 0, institution: 0, label: false, includeHash: true },
        { patient: 1, institution: 1, label: false, includeHash: true },
      ],
    },
    {
      _tag: "Batch",
      records: [
        { patient: 0, institution: 0, label: false, includeHash: false },
        { patient: 0, institution: 0, label: true, includeHash: true },
      ],
    },
  ]);
  return built;
};
const batchAt = (state: ChainState, index: number): PinnedBatch => {
  const batch = state.batches.get(index);
  if (batch === undefined) throw new Error(`fixture without batch ${index}`);
  return batch;
};
const txOf = <T extends RecordTx["_tag"]>(state: ChainState, tag: T, omitted: boolean) => {
  const found = [...state.batches]
    .flatMap((b) => b.transactions)
    .find((tx) => tx._tag === tag && (tx.record.h === undefined) === omitted);
  if (found === undefined) throw new Error(`fixture without a ${tag}`);
  return found as Extract<RecordTx, { _tag: T }>;
};

/** The typed error with its tag and a detail sentence (matching `detail` where that names the object at fault). */
const expectError = (
  result: Result.Result<unknown, { readonly _tag: string; readonly detail?: string }>,
  tag: string,
  detail?: RegExp,
) => {
  if (Result.isSuccess(result)) throw new Error(`accepted, expected ${tag}`);
  expect(result.failure._tag).toBe(tag);
  expect(result.failure.detail).toMatch(detail ?? /\w/);
};

// ---------------------------------------------------------------------------------------------------------
// Decoder field layouts

/** A field of an encoding: the title its decoder reports, or undefined for bytes checked elsewhere. */
type Field = readonly [title: string | undefined, width_bytes: number];

/**
 * Where the decoder disagrees with `fields`: cut the encoding where each field starts, the decoder must
 * fail with ShortInput at that offset, naming the field and its width; the fields must add up to the whole.
 */
const layoutMismatches = (
  encoded: Uint8Array,
  decode: (bytes: Uint8Array) => Result.Result<unknown, DecodeError>,
  fields: readonly Field[],
): string[] => {
  const found: string[] = [];
  let at = 0;
  for (const [title, width] of fields) {
    if (title !== undefined) {
      const cut = decode(encoded.subarray(0, at));
      const want = `ShortInput@${at} ${title}: need ${width} bytes, 0 left`;
      const got = Result.isFailure(cut) ? `${cut.failure.reason}@${cut.failure.offset} ${cut.failure.detail}` : "ok";
      if (got !== want) found.push(`want ${want}, got ${got}`);
    }
    at += width;
  }
  if (at !== encoded.length) found.push(`fields cover ${at} of ${encoded.length} bytes`);
  return found;
};

const header = (title: string): Field[] => [
  [`${title} version`, 1],
  [`${title} type`, 1],
];
const recordFields = (tx: RecordTx): Field[] => {
  const { sizes } = schemeOfId(tx.record.scheme);
  return [
    ["record chameleon scheme", 1],
    ["h present", 1],
    ...(tx.record.h === undefined ? [] : [["h", sizes.hash_bytes] as Field]),
    ["r", sizes.randomness_bytes],
    ["pointer", 32],
  ];
};
/** [TX-1] A medical or label transaction's fields under the title its container gives it. */
const recordTxFields = (tx: RecordTx, title: string): Field[] => [
  ...header(title),
  [`${title} patient`, 4],
  [`${title} institution`, 2],
  [`${title} round`, 4],
  [`${title} fee`, 4],
  ...(tx._tag === "label" ? [[`${title} target`, 32] as Field] : []),
  ...recordFields(tx),
  [title, 64],
];

describe("ledger decoders: every field at its offset, under its name", () => {
  it("[MB-1] a microblock header: number, round, index, register tx, patient, prev, leader, signature", () => {
    const mb = microblockOf(fixture().world.state, 0);
    if (mb === undefined) throw new Error("fixture without a microblock");
    const fields: Field[] = [
      ...header("microblock"),
      ["microblock number", 4],
      ["microblock round", 4],
      ["microblock index", 4],
      ["register_tx", 32],
      ["patient", 32],
      ["prev", 32],
      ["leader", 32],
      ["leader signature", 64],
    ];
    expect(layoutMismatches(encodeMicroblock(mb), decodeMicroblock, fields)).toEqual([]);
  });

  it("[MB-1] negative control: a layout with two fields swapped is caught", () => {
    const mb = microblockOf(fixture().world.state, 0);
    if (mb === undefined) throw new Error("fixture without a microblock");
    const swapped: Field[] = [...header("microblock"), ["microblock round", 4], ["microblock number", 4]];
    expect(layoutMismatches(encodeMicroblock(mb), decodeMicroblock, swapped)).toHaveLength(3);
  });

  it("[PIN-4] a batch entry: block number, leaf, sequence, tx id, leaf value", () => {
    const entry = batchAt(fixture().world.state, 0).entries[0] as Uint8Array;
    const fields: Field[] = [
      ["entry block number", 4],
      ["entry leaf", 2],
      ["entry sequence", 4],
      ["entry tx id", 32],
      ["entry chameleon scheme", 1],
      ["entry leaf value", am04Scheme.sizes.hash_bytes],
    ];
    expect(layoutMismatches(entry, decodeEntry, fields)).toEqual([]);
    const decoded = Result.getOrThrow(decodeEntry(entry));
    expect(encodeEntry(decoded)).toEqual(entry);
  });

  it("[PIN-4] a batch: header, certificate, count, then each transaction under its position", () => {
    const pinned = batchAt(fixture().world.state, 1);
    const encoded = encodeBatch(pinned);
    const txs = pinned.transactions;
    const txBytes = txs.reduce((sum, tx) => sum + encodeTransaction(tx).length, 0);
    const certificate_bytes = encoded.length - 2 - 4 - txBytes;
    const fields: Field[] = [
      ...header("batch"),
      ["batch pin version", 1],
      [undefined, certificate_bytes - 1],
      ["batch transactions count", 4],
      ...txs.flatMap((tx, i) => recordTxFields(tx, `batch transaction ${i}`)),
    ];
    expect(txs.map((tx) => tx._tag)).toEqual(["medical", "label"]);
    expect(layoutMismatches(encoded, decodeBatch, fields)).toEqual([]);
  });

  it("[TX-1] [TX-4] [TX-5] standalone transactions: register, medical with and without h, label", () => {
    const state = fixture().world.state;
    const register = state.keyblocks.get(1)?.keyblock?.registers[0];
    if (register === undefined) throw new Error("fixture without a register transaction");
    const registerFields: Field[] = [
      ...header("transaction"),
      ["transaction patient key", 32],
      ["transaction institution", 2],
      ["transaction round", 4],
      ["transaction fee", 4],
      ["transaction identity", 32],
      ["transaction signature", 64],
    ];
    expect(layoutMismatches(encodeTransaction(register), decodeTransaction, registerFields)).toEqual([]);
    const records: Transaction[] = [
      txOf(state, "medical", false) as MedicalTx,
      txOf(state, "medical", true) as MedicalTx,
      txOf(state, "label", false) as LabelTx,
    ];
    for (const tx of records as RecordTx[]) {
      expect(layoutMismatches(encodeTransaction(tx), decodeTransaction, recordTxFields(tx, "transaction"))).toEqual([]);
    }
  });

  it("[TX-4] a malformed h or r fails where the bad element starts, named under its field", () => {
    const medical = txOf(fixture().world.state, "medical", false) as MedicalTx;
    expect([medical.record.scheme, medical.record.h?.length]).toEqual([am04Scheme.id, 32]);
    const generator = Secp.BASE.toBytes(true);
    const dss20 = {
      ...medical,
      record: {
        scheme: dss20Scheme.id,
        h: concatBytes(generator, generator),
        r: concatBytes(...[1n, 2n, 3n, 4n].map(scalarToBytes)),
        pointer: medical.record.pointer,
      },
    };
    const hAt = 2 + 4 + 2 + 4 + 4 + 2;
    const cases = [
      { tx: medical, from: hAt, to: hAt + 32, offset: hAt, detail: /^h: AM04 hash h/ },
      { tx: medical, from: hAt + 64, to: hAt + 96, offset: hAt + 64, detail: /^r: AM04 randomness s/ },
      { tx: dss20, from: hAt + 33 + 1, to: hAt + 66, offset: hAt + 33, detail: /^h: DSS20 hash h2/ },
      { tx: dss20, from: hAt + 66 + 64, to: hAt + 66 + 96, offset: hAt + 66 + 64, detail: /^r: DSS20 randomness s1/ },
    ];
    for (const c of cases) {
      const bad = encodeTransaction(c.tx);
      bad.fill(0xff, c.from, c.to);
      const result = decodeTransaction(bad);
      if (Result.isSuccess(result)) throw new Error("accepted a malformed record");
      expect(result.failure.offset).toBe(c.offset);
      expect(result.failure.detail).toMatch(c.detail);
    }
  });

  it("[CHAIN-1] the configuration: difficulty, window, three fees, the registry entry by entry", () => {
    const config = kit.world.state.config;
    const fields: Field[] = [
      ...header("config"),
      ["difficulty_bits", 1],
      ["freshness_window", 4],
      ["min_fee register", 4],
      ["min_fee medical", 4],
      ["min_fee label", 4],
      ["institution count", 2],
      ...config.institutions.flatMap((entry, i): Field[] => [
        [`institution ${i} key`, 32],
        [`institution ${i} chameleon scheme`, 1],
        [`institution ${i} chameleon key`, entry.chScheme.sizes.publicKey_bytes],
      ]),
    ];
    expect(layoutMismatches(encodeConfig(config), decodeConfig as never, fields)).toEqual([]);
  });

  it("[CHAIN-1] a registry key that is no point fails at its offset, naming the institution", () => {
    const config = kit.world.state.config;
    const encoded = encodeConfig(config);
    const entry_bytes = 32 + 1 + 33;
    const keyAt = encoded.length - 33; // the last institution's chameleon key
    const bad = encoded.slice();
    bad.fill(0xff, keyAt + 1);
    const result = decodeConfig(bad);
    if (Result.isSuccess(result)) throw new Error("accepted a chameleon key that is no point");
    const failure = result.failure as DecodeError;
    expect(failure._tag).toBe("DecodeError");
    expect(failure.offset).toBe(keyAt);
    expect(failure.detail).toMatch(new RegExp(`^institution ${config.institutions.length - 1}: \\w`));
    expect(encoded.length).toBe(2 + 1 + 4 * 4 + 2 + entry_bytes * config.institutions.length);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The chain state

/** The steps of the fixture's first round applied up to (not including) its first microblock. */
const beforeMicroblocks = (): ChainState => {
  const { world, steps } = fixture();
  let state = kit.world.state;
  for (const step of steps) {
    if (step._tag === "Keyblock") state = Result.getOrThrow(applyKeyblockWith(crypto, state, step.keyblock));
    else if (step._tag === "KeyblockPin")
      state = Result.getOrThrow(applyKeyblockPinWith(crypto, state, step.pin, world.group));
    else break;
  }
  return state;
};

describe("ledger: transaction rules at their edges", () => {
  type Rejection = { readonly _tag: string; readonly detail: string } | undefined;
  const tagOrOk = (e: Rejection) => (e === undefined ? "ok" : e._tag);
  /** The rejection's tag, and a detail that names each value at fault (in any wording and order). */
  const expectNaming = (e: Rejection, tag: string, values: readonly (string | number)[]) => {
    expect(tagOrOk(e)).toBe(tag);
    for (const value of values) expect(e?.detail).toMatch(new RegExp(`(^|[^\\w-])${value}($|[^\\w])`));
  };

  it("[CHAIN-8] a round is fresh in epoch e exactly when e - W < round <= e", () => {
    const config = { ...kit.world.state.config, freshness_window: 3 };
    expect(tagOrOk(checkFreshness(config, 10, 10))).toBe("ok");
    expect(tagOrOk(checkFreshness(config, 10, 8))).toBe("ok");
    expectNaming(checkFreshness(config, 10, 11), "RoundInFuture", [11, 10]);
    expectNaming(checkFreshness(config, 10, 7), "RoundTooOld", [7, 3, 10]);
    const one = { ...config, freshness_window: 1 };
    expect(tagOrOk(checkFreshness(one, 0, 0))).toBe("ok");
    expectNaming(checkFreshness(one, 5, 4), "RoundTooOld", [4, 5]);
  });

  it("[CHAIN-9] each kind's fee is compared with its own minimum, which itself is enough", () => {
    const config = { ...kit.world.state.config, min_fee: { register: 10, medical: 7, label: 3 } };
    for (const [kind, min] of [
      ["register", 10],
      ["medical", 7],
      ["label", 3],
    ] as const) {
      expect(tagOrOk(checkFee(config, kind, min))).toBe("ok");
      expectNaming(checkFee(config, kind, min - 1), "InsufficientFee", [kind, min - 1, min]);
    }
  });

  it("[TX-2] an institution index is known exactly below the registry size", () => {
    const config = kit.world.state.config;
    const size = config.institutions.length;
    expect(tagOrOk(checkInstitution(config, size - 1))).toBe("ok");
    expectNaming(checkInstitution(config, size), "UnknownInstitution", [size]);
  });
});

describe("ledger: configuration errors name the field at fault", () => {
  it("[CHAIN-1] each rule's ChainConfigInvalid names its field, value and bound", () => {
    const c = kit.world.state.config;
    const [first, second] = c.institutions;
    if (first === undefined || second === undefined) throw new Error("fixture without two institutions");
    const cases: [ChainConfig, RegExp][] = [
      [{ ...c, difficulty_bits: 256 }, /^difficulty_bits 256 is not in \[0, 255\]$/],
      [{ ...c, freshness_window: 0 }, /^freshness_window 0 is not in \[1, 2\^32 - 1\]$/],
      [{ ...c, min_fee: { ...c.min_fee, register: -1 } }, /^min_fee\.register -1 is not a u32$/],
      [{ ...c, min_fee: { ...c.min_fee, label: 2 ** 32 } }, /^min_fee\.label 4294967296 is not a u32$/],
      [{ ...c, institutions: [] }, /^0 institutions, expected 1\.\.65535$/],
      [{ ...c, institutions: [first, { ...second, key: new Uint8Array(33) }] }, /^institution 1: key of 33 bytes$/],
      [
        { ...c, institutions: [first, { ...second, chKey: new Uint8Array(32) }] },
        /^institution 1: chameleon key of 32 bytes$/,
      ],
      [{ ...c, institutions: [first, { ...second, key: first.key }] }, /^institution 1: key registered twice$/],
    ];
    for (const [config, detail] of cases) expectError(checkConfig(config), "ChainConfigInvalid", detail);
  });

  it("[CHAIN-1] the lower edges are accepted: difficulty 0 and a registry of one institution", () => {
    const c = kit.world.state.config;
    expect(Result.isSuccess(checkConfig({ ...c, difficulty_bits: 0 }))).toBe(true);
    expect(Result.isSuccess(checkConfig({ ...c, institutions: c.institutions.slice(0, 1) }))).toBe(true);
  });
});

describe("ledger: applying a microblock to a corrupted state", () => {
  it("[CHAIN-6] a pinned round that counts more register transactions than slots is a bug: a RangeError", () => {
    const { world } = fixture();
    const state = world.state;
    const round = state.keyblocks.get(1);
    const header = microblockOf(state, 1);
    if (round === undefined || header === undefined) throw new Error("fixture without round 1");
    const corrupted = { ...state, keyblocks: state.keyblocks.set(1, { ...round, registers: 3 }) };
    const leader = header.leader;
    expect(() => applyMicroblockWith(crypto, corrupted, { ...header, index: 2 }, leader)).toThrow(
      /^pinned register transaction without a slot at round 1 index 2$/,
    );
    expectError(
      applyMicroblockWith(crypto, state, { ...header, index: 2 }, leader),
      "MicroblockUnexpected",
      /round 1 index 2/,
    );
  });
});

describe("ledger state: genesis and lookups", () => {
  it("[KB-6] the microblock commitment of a keyblock two rounds past the tip is a caller's bug: a RangeError", () => {
    const state = fixture().world.state;
    const top = state.keyblocks.size - 1;
    expect(Result.isSuccess(expectedPrevMicroblock(state, top + 1))).toBe(true);
    expect(() => expectedPrevMicroblock(state, top + 3)).toThrow(new RegExp(`^round ${top + 1} is not pinned$`));
  });

  it("[CHAIN-1] a registry chameleon key of the right length that is no point is ChainConfigInvalid, naming its entry", () => {
    const config = kit.world.state.config;
    const [first, second] = config.institutions;
    if (first === undefined || second === undefined) throw new Error("fixture without two institutions");
    const notAPoint = new Uint8Array(first.chScheme.sizes.publicKey_bytes).fill(0xff);
    notAPoint[0] = 0x02;
    const bad: ChainConfig = { ...config, institutions: [first, { ...second, chKey: notAPoint }] };
    expectError(genesisState(bad), "ChainConfigInvalid", /^institution 1: \w/);
    expect(Result.isSuccess(genesisState(config))).toBe(true);
  });

  it("[CHAIN-1] [KB-5] genesis has no keyblock header; a pinned height has its own; beyond the tip, none", () => {
    const state = fixture().world.state;
    expect(keyblockHeaderAt(state, 0)).toBeUndefined();
    expect(keyblockHeaderAt(state, 1)).toEqual(state.keyblocks.get(1)?.keyblock?.header);
    expect(keyblockHeaderAt(state, 1)?.height).toBe(1);
    expect(keyblockHeaderAt(state, state.keyblocks.size)).toBeUndefined();
  });

  it("[CHAIN-6] a patient's microblock: none before it is created, its own after, none for an unknown number", () => {
    const pending = beforeMicroblocks();
    expect(pending.patients.size).toBe(2);
    expect(microblockOf(pending, 0)).toBeUndefined();
    const state = fixture().world.state;
    expect(microblockOf(state, 1)?.number).toBe(1);
    expect(microblockOf(state, 2)).toBeUndefined();
  });

  it("[RET-3] the pinned headers hold only created microblocks", () => {
    const pending = beforeMicroblocks();
    expect([...pinnedHeaders(pending).microblocks.keys()]).toEqual([]);
    expect([...pinnedHeaders(fixture().world.state).microblocks.keys()]).toEqual([0, 1]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Applying a batch

describe("ledger: applying a batch", () => {
  it("[CHAIN-7] [PIN-2] the group snapshot is checked first: an invalid one rejects even an empty batch", () => {
    const { world } = fixture();
    const batch = batchAt(world.state, 1);
    expectError(
      applyBatchWith(crypto, world.state, { ...batch, transactions: [] }, { members: [] }),
      "ConsensusGroupInvalid",
    );
    expectError(applyBatchWith(crypto, world.state, batch, { members: [] }), "ConsensusGroupInvalid");
    expectError(applyBatchWith(crypto, world.state, { ...batch, transactions: [] }, world.group), "BatchEmpty");
  });

  it("[CHAIN-7] [PIN-2] [PIN-3] the encoded-batch entry point makes the same checks first", () => {
    const { world } = fixture();
    const state = beforeBatches();
    const batch = batchAt(world.state, 0);
    const encoded = batch.transactions.map(encodeRecordTx);
    const apply = (txs: typeof encoded, snapshot: typeof world.group, certificate = batch.certificate) =>
      applyEncodedBatchWith(crypto, state, certificate, txs, snapshot);
    expectError(apply(encoded, { members: [] }), "ConsensusGroupInvalid");
    expectError(apply([], world.group), "BatchEmpty");
    expectError(apply(encoded, world.group, { ...batch.certificate, votes: [] }), "CertificateInvalid");
    expect(Result.getOrThrow(apply(encoded, world.group)).batches.size).toBe(1);
  });

  it("[CHAIN-7] [PIN-4] a certificate of another root is PinValueMismatch; the same batch with its own root applies", () => {
    const { world } = fixture();
    const state = beforeBatches();
    const batch = batchAt(world.state, 0);
    const group = Result.getOrThrow(pinGroup(1, world.group));
    const other = certify(crypto, group, allSigners(world), merkleRoot(crypto, batch.entries.slice(1)));
    expectError(applyBatchWith(crypto, state, { ...batch, certificate: other }, world.group), "PinValueMismatch");
    const applied = Result.getOrThrow(applyBatchWith(crypto, state, batch, world.group));
    expect(applied.batches.size).toBe(1);
  });
});

/** The fixture's state after its rounds, before its batches. */
const beforeBatches = (): ChainState => {
  const { world, steps } = fixture();
  let state = kit.world.state;
  for (const step of steps) {
    if (step._tag === "Keyblock") state = Result.getOrThrow(applyKeyblockWith(crypto, state, step.keyblock));
    else if (step._tag === "KeyblockPin")
      state = Result.getOrThrow(applyKeyblockPinWith(crypto, state, step.pin, world.group));
    else if (step._tag === "Microblock")
      state = Result.getOrThrow(applyMicroblockWith(crypto, state, step.header, step.leader));
  }
  return state;
};

// ---------------------------------------------------------------------------------------------------------
// Retrieval

describe("ledger: retrieval", () => {
  it("[RET-1] [RET-2] the scan baseline finds each medical record and its labels where they are pinned", () => {
    const state = fixture().world.state;
    const label = txOf(state, "label", false);
    const scanned = historyByScan(state, 0);
    const items = Result.getOrThrow(history(state, 0));
    expect(scanned.map((s) => bytesToHex(s.medical.id))).toEqual(items.map((i) => bytesToHex(i.id)));
    expect(scanned.map((s) => s.medical.pinned)).toEqual(items.map((i) => i.pinned));
    expect(scanned.map((s) => s.labels.map((l) => bytesToHex(l.id)))).toEqual(
      items.map((i) => i.corrections.map((c) => bytesToHex(c.id))),
    );
    expect(scanned.map((s) => s.labels.map((l) => l.pinned))).toEqual(
      items.map((i) => i.corrections.map((c) => c.pinned)),
    );
    expect(scanned.flatMap((s) => s.labels.map((l) => bytesToHex(l.id)))).toEqual([bytesToHex(transactionId(label))]);
    expect(scanned[0]?.medical.pinned).toEqual({ epoch: 1, batch: 0, entry: 0 });
  });

  it("[RET-2] a correction the leaf does not hold is a corrupted state, reported as a RangeError", () => {
    const state = fixture().world.state;
    const slot = state.patients.get(0);
    if (slot === undefined || slot.leaves.length === 0) throw new Error("fixture without a leaf");
    const leaf = leafRecords(slot, 0);
    const labelled = leaf.findIndex((r) => r.corrections.length > 0);
    expect(labelled).toBeGreaterThanOrEqual(0);
    /** The labelled record's corrections replaced, and optionally one record's kind changed (leaf 0). */
    const corrupt = (corrections: number[], kindOf?: { sequence: number; kind: "medical" | "label" }) => {
      const records = slot.records.map((r) => ({
        ...r,
        ...(r.leaf === 0 && r.sequence === labelled ? { corrections } : {}),
        ...(r.leaf === 0 && r.sequence === kindOf?.sequence ? { kind: kindOf.kind } : {}),
      })) as unknown as typeof slot.records; // deliberately inconsistent records
      return { ...state, patients: state.patients.set(0, { ...slot, records }) };
    };
    const labelSequence = leaf.findIndex((r) => r.kind === "label");
    const laterMedical = leaf.findIndex((r, i) => r.kind === "medical" && i !== labelled);
    expect([labelled, laterMedical, labelSequence].every((i) => i >= 0)).toBe(true);
    const cases: [number, ReturnType<typeof corrupt>][] = [
      [leaf.length, corrupt([leaf.length])],
      [labelled, corrupt([labelled])],
      // The record and its transaction disagree: either one alone must not pass for a label.
      [labelSequence, corrupt([labelSequence], { sequence: labelSequence, kind: "medical" })],
      [laterMedical, corrupt([laterMedical], { sequence: laterMedical, kind: "label" })],
    ];
    for (const [sequence, corrupted] of cases) {
      expect(() => history(corrupted, 0)).toThrow(new RegExp(`^correction ${sequence} missing$`));
    }
    expect(() => history(corrupt([]), 0)).not.toThrow();
  });

  it("[RET-1] an unknown block number is UnknownPatient naming it", () => {
    const state = fixture().world.state;
    expectError(history(state, 2), "UnknownPatient", /\b2\b/);
    expectError(patientBlock(crypto, state, 2), "UnknownPatient", /\b2\b/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Record proofs

const located = (state: ChainState, id: Uint8Array) => {
  const location = lookupTx(state, id);
  if (location === undefined || location.kind === "register") throw new Error("fixture without the record");
  return location;
};

/** A certificate the client holds for `root`: verification trusts held certificates and compares value hashes. */
const heldCertificate = (root: Uint8Array): PinCertificate => ({
  kind: "Commit",
  group: new Uint8Array(32),
  view: 0,
  instance: 0,
  value_hash: valueHash(root),
  votes: [],
});

/** A one-entry proof of `transaction` at `entry`, with a held certificate of its root as batch 7. */
const forged = (transaction: Uint8Array, entry: Uint8Array) => {
  const proof: RecordProof = { batch: 7, index: 0, size: 1, entry, transaction, path: [] };
  return { proof, certificate: heldCertificate(merkleRoot(crypto, [entry])) };
};

describe("ledger: record proofs, each check on a proof that passes every check before it", () => {
  it("[RET-4] a state whose index names a record it does not hold is a bug, reported as a RangeError", () => {
    const state = fixture().world.state;
    const medical = txOf(state, "medical", false);
    const id = transactionId(medical);
    const slot = state.patients.get(medical.patient);
    if (slot === undefined) throw new Error("fixture without the slot");
    const noRecords = { ...state, patients: state.patients.set(medical.patient, { ...slot, records: [] }) };
    const noPatient = { ...state, txs: HashMap.set(state.txs, bytesToHex(id), { ...located(state, id), number: 99 }) };
    const noBatches = { ...state, batches: PersistentVector.empty<PinnedBatch>() };
    for (const corrupt of [noRecords, noPatient, noBatches]) {
      expect(() => proveRecord(crypto, corrupt, id)).toThrow(/^a pinned record without its batch$/);
    }
    const emptied = { ...batchAt(state, 0), entries: [] };
    const noEntries = { ...state, batches: state.batches.set(0, emptied) };
    expect(() => proveRecord(crypto, noEntries, id)).toThrow(/^a pinned record outside its batch$/);
  });

  it("[RET-4] proving: an unknown id and a register id are RecordUnknown, with a detail", () => {
    const state = fixture().world.state;
    expectError(proveRecord(crypto, state, new Uint8Array(32)), "RecordUnknown");
    expectError(proveRecord(crypto, state, state.patients.get(0)?.registerTx as Uint8Array), "RecordUnknown");
  });

  it("[RET-4] a batch the client does not hold is ProofBatchUnknown naming the batch", () => {
    const state = fixture().world.state;
    const proof = Result.getOrThrow(proveRecord(crypto, state, transactionId(txOf(state, "label", false))));
    expect(proof.batch).toBe(1);
    const headers = pinnedHeaders(state);
    expect(Result.isSuccess(verifyRecordProof(crypto, headers, proof))).toBe(true);
    const held = new Map(headers.batches);
    held.delete(1);
    expectError(verifyRecordProof(crypto, { ...headers, batches: held }, proof), "ProofBatchUnknown", /\b1\b/);
  });

  it("[RET-4] malformed proofs: a register transaction, an undecodable entry, an entry of another transaction, a bad path", () => {
    const state = fixture().world.state;
    const headers = pinnedHeaders(state);
    const medical = txOf(state, "medical", false);
    const proof = Result.getOrThrow(proveRecord(crypto, state, transactionId(medical)));
    const register = state.keyblocks.get(1)?.keyblock?.registers[0];
    if (register === undefined) throw new Error("fixture without a register transaction");
    const verify = (p: RecordProof) => verifyRecordProof(crypto, headers, p);
    expectError(verify({ ...proof, transaction: encodeTransaction(register) }), "ProofMalformed", /record/);
    expectError(verify({ ...proof, transaction: proof.transaction.subarray(1) }), "ProofMalformed", /record/);
    expectError(verify({ ...proof, entry: proof.entry.subarray(1) }), "ProofMalformed", /\w/);
    const other = encodeTransaction(txOf(state, "label", false));
    expectError(verify({ ...proof, transaction: other }), "ProofMalformed", /another transaction/);
    expectError(verify({ ...proof, size: 0 }), "ProofMalformed");
    const tampered = proof.entry.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expectError(verify({ ...proof, entry: tampered }), "ProofMismatch", /root/);
  });

  it("[RET-4] an entry of another block number, or without the client's header, is ProofPatientMismatch", () => {
    const state = fixture().world.state;
    const headers = pinnedHeaders(state);
    const medical = txOf(state, "medical", false);
    const encoded = encodeTransaction(medical);
    const own = Result.getOrThrow(decodeEntry(batchAt(state, 0).entries[0] as Uint8Array));
    expect(own.number).toBe(medical.patient);
    const otherNumber = 1 - medical.patient;
    const moved = forged(encoded, encodeEntry({ ...own, txId: transactionId(medical), number: otherNumber }));
    const withMoved = { ...headers, batches: new Map([[7, moved.certificate]]) };
    expectError(
      verifyRecordProof(crypto, withMoved, moved.proof),
      "ProofPatientMismatch",
      new RegExp(`patient ${medical.patient}, entry block ${otherNumber}`),
    );
    const honest = forged(encoded, encodeEntry({ ...own, txId: transactionId(medical) }));
    const held = { ...headers, batches: new Map([[7, honest.certificate]]) };
    expect(Result.isSuccess(verifyRecordProof(crypto, held, honest.proof))).toBe(true);
    const noHeader = new Map(headers.microblocks);
    noHeader.delete(medical.patient);
    expectError(verifyRecordProof(crypto, { ...held, microblocks: noHeader }, honest.proof), "ProofPatientMismatch");
  });

  it("[RET-4] a header with another patient's key is ProofSignatureInvalid; HVer refused or failing is ProofChameleonInvalid", () => {
    const state = fixture().world.state;
    const headers = pinnedHeaders(state);
    const medical = txOf(state, "medical", false);
    const proof = Result.getOrThrow(proveRecord(crypto, state, transactionId(medical)));
    const own = headers.microblocks.get(medical.patient);
    const other = headers.microblocks.get(1 - medical.patient);
    if (own === undefined || other === undefined) throw new Error("fixture without headers");
    const swapped = new Map(headers.microblocks).set(medical.patient, { ...own, patient: other.patient });
    expectError(verifyRecordProof(crypto, { ...headers, microblocks: swapped }, proof), "ProofSignatureInvalid");
    const institution = new RegExp(`institution ${medical.institution}`);
    const withKey = (verify: (typeof headers.chKeys)[number]["verify"]) =>
      headers.chKeys.map((key, i) => (i === medical.institution ? { ...key, verify } : key));
    for (const chKeys of [
      withKey(() => Result.succeed(false)),
      withKey(() => Result.fail(undefined as never)),
      headers.chKeys.slice(0, medical.institution),
    ]) {
      expectError(verifyRecordProof(crypto, { ...headers, chKeys }, proof), "ProofChameleonInvalid", institution);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The persistent vector

describe("ledger: persistent vector bounds", () => {
  it("[CHAIN-2] from needs no size check: no array is longer than a vector may be (2^32 - 1)", () => {
    const items: number[] = [];
    items.length = 2 ** 32 - 1;
    expect(() => {
      items.length = 2 ** 32;
    }).toThrow(RangeError);
    expect(PersistentVector.from(items.slice(0, 3)).size).toBe(3);
  });

  it("[CHAIN-2] set refuses every index outside [0, size), and changes nothing", () => {
    const vector = PersistentVector.from(Array.from({ length: 40 }, (_, i) => i));
    for (const index of [-1, -32, 0.5, 39.5, Number.NaN, 40, 64]) {
      expect(() => vector.set(index, -1)).toThrow(new RegExp(`^index ${index} outside a vector of 40$`));
    }
    expect([...vector]).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(vector.set(39, -1).get(39)).toBe(-1);
    expect(vector.set(0, -1).get(31)).toBe(31);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Sequence gaps

type Gaps = (records: readonly VerifiedRecord[]) => SequenceGap[];
const verifiedAt = ([number, leaf, sequence]: readonly [number, number, number]): VerifiedRecord => ({
  tx: undefined as never,
  entry: { number, leaf, sequence, txId: new Uint8Array(32), scheme: 1, leafValue: new Uint8Array(66) },
});
/** The oracle: per (block, leaf), every sequence number below the highest one received that was not received. */
const gapsOracle = (positions: readonly (readonly [number, number, number])[]): string[] => {
  const leaves = [...new Set(positions.map(([number, leaf]) => `${number}/${leaf}`))];
  const out: string[] = [];
  for (const key of leaves) {
    const seen = positions.filter(([number, leaf]) => `${number}/${leaf}` === key).map(([, , sequence]) => sequence);
    const missing = Array.from({ length: Math.max(...seen) }, (_, q) => q).filter((q) => !seen.includes(q));
    if (missing.length > 0) out.push(`${key}: ${missing.join(",")}`);
  }
  return out.sort();
};
const gapsMatch = (gaps: Gaps) =>
  fc.property(
    fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 6 })), { maxLength: 12 }),
    (positions) => {
      const got = gaps(positions.map(verifiedAt)).map((g) => `${g.number}/${g.leaf}: ${g.missing.join(",")}`);
      expect(got.sort()).toEqual(gapsOracle(positions));
    },
  );

describe("ledger: sequence gaps", () => {
  it("[RET-5] gaps are found per block and leaf: every missing number below the highest received", () => {
    holds("sequence gaps", gapsMatch(sequenceGaps), { numRuns: 300 });
  });

  it("[RET-5] negative control: gaps grouped by block number only are caught", () => {
    const byBlock: Gaps = (records) =>
      sequenceGaps(records.map((r) => ({ ...r, entry: { ...r.entry, leaf: 0 } }))).map((g) => ({
        ...g,
        leaf: records.find((r) => r.entry.number === g.number)?.entry.leaf ?? 0,
      }));
    const found = failsOn("sequence gaps (by block)", gapsMatch(byBlock), 300);
    expect(new Set(found.value[0].map(([, leaf]) => leaf)).size).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Identity

describe("ledger: identity commitment inputs", () => {
  const genesis = new Uint8Array(32).fill(7);
  const cheap = { N: 2, r: 1, p: 1 };

  it("[TX-3] an over-long record number or an age outside u16 is refused by the commitment's own check", () => {
    // The encoder below would refuse these too, with its own message: the commitment names the patient's input.
    expect(() => identityCommitment("x".repeat(257), 1, genesis, cheap)).toThrow(/^record number must be 1\.\.256 /);
    expect(() => identityCommitment("é".repeat(129), 1, genesis, cheap)).toThrow(/^record number/);
    expect(identityCommitment("é".repeat(128), 1, genesis, cheap)).toHaveLength(32);
    for (const age of [-1, 65_536, 0.5, Number.NaN]) {
      expect(() => identityCommitment("x", age, genesis, cheap)).toThrow(/^age must be in \[0, 65535\]$/);
    }
  });

  it("[TX-3] the default cost parameters are the spec's: N = 2^15, r = 8, p = 1", () => {
    expect(DEFAULT_IDENTITY_PARAMS).toEqual({ N: 32_768, r: 8, p: 1 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// A slot's records across leaves

describe("a patient slot with two leaves", () => {
  /** Patient 0 treated first at institution 0, then at institution 1, then at 0 again. */
  let twoLeaves: PatientSlot | undefined;
  const slotOfTwo = (): PatientSlot => {
    twoLeaves ??= mustRun(kit, [
      { _tag: "Round", registers: 1, miner: 0 },
      {
        _tag: "Batch",
        records: [
          { patient: 0, institution: 0, label: false, includeHash: true },
          { patient: 0, institution: 1, label: false, includeHash: true },
          { patient: 0, institution: 0, label: false, includeHash: false },
        ],
      },
    ]).world.state.patients.get(0);
    if (twoLeaves === undefined) throw new Error("fixture without patient 0");
    return twoLeaves;
  };

  it("[MB-5] leafRecords gives one leaf's records in sequence order, not the slot's", () => {
    const slot = slotOfTwo();
    expect(slot.records.map((r) => [r.leaf, r.sequence])).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(leafRecords(slot, 0).map((r) => r.sequence)).toEqual([0, 1]);
    expect(leafRecords(slot, 1).map((r) => r.institution)).toEqual([1]);
    expect(leafRecords(slot, 2)).toEqual([]);
  });

  it("[RET-2] a correction of a record the slot does not have, or a leaf of an unknown institution, is a corrupted state", () => {
    const slot = slotOfTwo();
    expect(() => attachCorrection(slot, 1, 1, 2)).toThrow(new RangeError("no record 1 in leaf 1"));
    const registry = kit.world.state.config.institutions.slice(0, 1);
    expect(() => institutionRoot(crypto, registry, slot)).toThrow(new RangeError("leaf of unknown institution 1"));
  });
});
