/**
 * Ledger codec vectors (spec/transactions.md, spec/blocks.md, spec/pins.md, spec/chain.md; spec/vectors.md
 * VEC-1, VEC-2): for each ledger object (register, medical and label transactions, keyblock, microblock
 * header, pinned batch, configuration), valid encodings taken from a real history with the object's id, and
 * invalid encodings with the reason they must be rejected for (a DecodeError reason, or ChainConfigInvalid).
 * @module
 */
import { Result } from "effect";
import { Secp, scalarToBytes } from "../../src/codec/fields.js";
import { bytesToHex, concatBytes, hexToBytes } from "../../src/crypto/bytes.js";
import { CHAMELEON_SCHEME_IDS } from "../../src/crypto/chameleon/scheme.js";
import { type Batch, decodeBatch, encodeBatch } from "../../src/ledger/batch.js";
import { decodeConfig, encodeConfig, genesisKeyblockId } from "../../src/ledger/config.js";
import { decodeKeyblock, encodeKeyblock, type Keyblock, keyblockId } from "../../src/ledger/keyblock.js";
import {
  decodeMicroblock,
  encodeMicroblock,
  type MicroblockHeader,
  microblockId,
} from "../../src/ledger/microblock.js";
import { decodeTransaction, encodeTransaction, type Transaction, transactionId } from "../../src/ledger/transaction.js";
import { type CheckReport, expect, runCases, type VectorFamily } from "../family.js";
import { hex, lit } from "../json-schema.js";
import { buildWycheproof, forEachTest, type Note, type TestDraft, wycheproofSchema } from "../wycheproof.js";
import { makeBase } from "./ledger-cases.js";

const FILE = "ledger/ledger_codec_test.json";
const SCHEMA = "ledger_codec_test_schema.json";
const OBJECTS = ["register", "medical", "label", "keyblock", "microblock", "batch", "config"] as const;
type ObjectName = (typeof OBJECTS)[number];

const NOTES: Record<string, Note> = {
  ShortInput: { bugType: "BASIC", description: "The input ends inside the object." },
  TrailingBytes: { bugType: "MALLEABILITY", description: "Bytes after a complete object." },
  BadVersion: { bugType: "MODIFIED_PARAMETER", description: "An object version other than 1 (ENC-10)." },
  BadType: { bugType: "MODIFIED_PARAMETER", description: "A type byte not allowed where the object is read (ENC-10)." },
  NonCanonicalBool: { bugType: "MALLEABILITY", description: "An h-present flag other than 0x00 or 0x01 (TX-4)." },
  PointNotCompressed: { bugType: "MALLEABILITY", description: "A point of h with a prefix other than 0x02/0x03." },
  PointIdentity: { bugType: "EDGE_CASE", description: "The identity as a point of h." },
  PointNonCanonical: { bugType: "MALLEABILITY", description: "A point of h with x >= p." },
  PointNotOnCurve: { bugType: "CAN_OF_WORMS", description: "A key or point that is not on its curve." },
  ScalarOutOfRange: { bugType: "MALLEABILITY", description: "A scalar of r >= n." },
  Ed25519KeySmallOrder: {
    bugType: "SIGNATURE_MALLEABILITY",
    description: "A patient, miner or leader key of small order.",
  },
  Ed25519KeyNonCanonical: { bugType: "MALLEABILITY", description: "An Ed25519 key with y >= p." },
  LengthOverBound: {
    bugType: "CAN_OF_WORMS",
    description: "A count over its bound, rejected before reading the list.",
  },
  NotSorted: { bugType: "MALLEABILITY", description: "Certificate signers not strictly ascending." },
  BadEnum: { bugType: "MODIFIED_PARAMETER", description: "An unknown chameleon-hash scheme id in the registry." },
  ChainConfigInvalid: { bugType: "DEFINED", description: "A configuration outside its domain (CHAIN-1)." },
};

type Decoded = { readonly bytes: Uint8Array; readonly id: Uint8Array | undefined };
type DecodeResult = Result.Result<Decoded, { readonly _tag: string; readonly reason?: string }>;

const txOf =
  (name: ObjectName) =>
  (bytes: Uint8Array): DecodeResult =>
    Result.flatMap(decodeTransaction(bytes), (tx: Transaction) =>
      tx._tag === name
        ? Result.succeed({ bytes: encodeTransaction(tx), id: transactionId(tx) })
        : Result.fail({ _tag: "WrongObject", reason: tx._tag }),
    );

const DECODERS: Record<ObjectName, (bytes: Uint8Array) => DecodeResult> = {
  register: txOf("register"),
  medical: txOf("medical"),
  label: txOf("label"),
  keyblock: (b) => Result.map(decodeKeyblock(b), (kb) => ({ bytes: encodeKeyblock(kb), id: keyblockId(kb.header) })),
  microblock: (b) => Result.map(decodeMicroblock(b), (mb) => ({ bytes: encodeMicroblock(mb), id: microblockId(mb) })),
  batch: (b) => Result.map(decodeBatch(b), (batch) => ({ bytes: encodeBatch(batch), id: undefined })),
  config: (b) => Result.map(decodeConfig(b), (c) => ({ bytes: encodeConfig(c), id: genesisKeyblockId(c) })),
};

const edit = (bytes: Uint8Array, at: number, patch: Uint8Array): Uint8Array => {
  const copy = bytes.slice();
  copy.set(patch, at);
  return copy;
};
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const le = (value: bigint): Uint8Array => hexToBytes(value.toString(16).padStart(64, "0")).reverse();
const P25519 = 2n ** 255n - 19n;
const SMALL_ORDER = new Uint8Array(32);
const ORDER_N = hexToBytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const FIELD_P = hexToBytes("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");

interface Valid {
  readonly register: Uint8Array;
  readonly medical: Uint8Array;
  readonly medicalNoHash: Uint8Array;
  /** `medical` with a DSS20 record in place of its AM04 one (h = G ‖ G, r = 1 ‖ 2 ‖ 3 ‖ 4): it decodes. */
  readonly dss20Medical: Uint8Array;
  readonly label: Uint8Array;
  readonly keyblock: Uint8Array;
  readonly emptyKeyblock: Uint8Array;
  readonly microblock: Uint8Array;
  readonly batch: Uint8Array;
  /** The encoding of the batch's last transaction, which the register swap replaces. */
  readonly lastBatchTx: Uint8Array;
  readonly config: Uint8Array;
}

/** Framing faults every object shares. */
const framing = (bytes: Uint8Array): [string, Uint8Array, string][] => [
  ["truncated by one byte", bytes.subarray(0, bytes.length - 1), "ShortInput"],
  ["one byte appended", concatBytes(bytes, Uint8Array.of(0)), "TrailingBytes"],
  ["version 2", edit(bytes, 0, Uint8Array.of(2)), "BadVersion"],
  ["unknown type", edit(bytes, 1, Uint8Array.of(0xee)), "BadType"],
];

const invalidCases = (v: Valid): Record<ObjectName, [string, Uint8Array, string][]> => {
  const configCount = (v.config[19] ?? 0) * 256 + (v.config[20] ?? 0);
  const duplicate = concatBytes(
    v.config.subarray(0, 19),
    Uint8Array.of(0, 2),
    v.config.subarray(21, 87),
    v.config.subarray(21, 87),
  );
  return {
    register: [
      ...framing(v.register),
      ["patient key of small order", edit(v.register, 2, SMALL_ORDER), "Ed25519KeySmallOrder"],
      ["patient key with y = p", edit(v.register, 2, le(P25519)), "Ed25519KeyNonCanonical"],
      ["patient key off the curve (y = 2)", edit(v.register, 2, le(2n)), "PointNotOnCurve"],
    ],
    medical: [
      ...framing(v.medical),
      ["chameleon scheme id 3 (none)", edit(v.medical, 16, Uint8Array.of(3)), "BadEnum"],
      ["h flag 2", edit(v.medical, 17, Uint8Array.of(2)), "NonCanonicalBool"],
      ["AM04 h = n", edit(v.medical, 18, ORDER_N), "ScalarOutOfRange"],
      ["AM04 r's rho = n", edit(v.medical, 18 + 32, ORDER_N), "ScalarOutOfRange"],
      [
        "without h: AM04 r's s = 2^256 - 1",
        edit(v.medicalNoHash, 18 + 32, new Uint8Array(32).fill(0xff)),
        "ScalarOutOfRange",
      ],
      ["DSS20 h1 uncompressed prefix", edit(v.dss20Medical, 18, Uint8Array.of(4)), "PointNotCompressed"],
      ["DSS20 h1 identity", edit(v.dss20Medical, 18, new Uint8Array(33)), "PointIdentity"],
      ["DSS20 h2 with x = p", edit(v.dss20Medical, 51, concatBytes(Uint8Array.of(2), FIELD_P)), "PointNonCanonical"],
      ["DSS20 r's e1 = n", edit(v.dss20Medical, 84, ORDER_N), "ScalarOutOfRange"],
    ],
    label: [
      ...framing(v.label),
      ["h flag 2", edit(v.label, 49, Uint8Array.of(2)), "NonCanonicalBool"],
      ["AM04 r's s = n", edit(v.label, 50 + 32, ORDER_N), "ScalarOutOfRange"],
    ],
    keyblock: [
      ...framing(v.keyblock),
      ["miner key of small order", edit(v.keyblock, 102, SMALL_ORDER), "Ed25519KeySmallOrder"],
      ["register count 65536", edit(v.emptyKeyblock, 142, u32(65536)), "LengthOverBound"],
      [
        "a medical transaction in the register list",
        concatBytes(edit(v.emptyKeyblock, 142, u32(1)), v.medical),
        "BadType",
      ],
    ],
    microblock: [
      ...framing(v.microblock),
      ["patient key with y = p", edit(v.microblock, 46, le(P25519)), "Ed25519KeyNonCanonical"],
      ["leader key of small order", edit(v.microblock, 110, SMALL_ORDER), "Ed25519KeySmallOrder"],
    ],
    batch: [
      ...framing(v.batch),
      ["a prepared certificate instead of a pin", edit(v.batch, 3, Uint8Array.of(0x48)), "BadType"],
      [
        "signers not ascending",
        concatBytes(
          v.batch.subarray(0, 86),
          v.batch.subarray(152, 218),
          v.batch.subarray(86, 152),
          v.batch.subarray(218),
        ),
        "NotSorted",
      ],
      [
        "a register transaction in the batch",
        concatBytes(v.batch.subarray(0, v.batch.length - v.lastBatchTx.length), v.register),
        "BadType",
      ],
    ],
    config: [
      ...framing(v.config),
      ["freshness window 0", edit(v.config, 3, u32(0)), "ChainConfigInvalid"],
      ["no institution", concatBytes(v.config.subarray(0, 19), Uint8Array.of(0, 0)), "ChainConfigInvalid"],
      ["one institution key twice", duplicate, "ChainConfigInvalid"],
      ["unknown chameleon scheme", edit(v.config, 21 + 32, Uint8Array.of(0x7f)), "BadEnum"],
      [
        "chameleon key with x = p",
        edit(v.config, 21 + 33, concatBytes(Uint8Array.of(2), FIELD_P)),
        "PointNonCanonical",
      ],
      ["institution key of small order", edit(v.config, 21, SMALL_ORDER), "Ed25519KeySmallOrder"],
      [
        `count ${configCount + 1} with ${configCount} entries`,
        edit(v.config, 19, Uint8Array.of(0, configCount + 1)),
        "ShortInput",
      ],
    ],
  };
};

const validObjects = (seed: Uint8Array): Valid => {
  const base = makeBase(seed);
  const kb = base.steps.find((s) => s._tag === "Keyblock");
  const mb = base.steps.find((s) => s._tag === "Microblock");
  const batchStep = base.steps.find((s) => s._tag === "Batch");
  const empty = base.steps.filter((s) => s._tag === "Keyblock")[1];
  if (
    kb?._tag !== "Keyblock" ||
    mb?._tag !== "Microblock" ||
    batchStep?._tag !== "Batch" ||
    empty?._tag !== "Keyblock"
  ) {
    throw new Error("unexpected base history");
  }
  const batch: Batch = batchStep.batch;
  const [medical, , medicalNoHash] = batch.transactions;
  const label = {
    ...(medicalNoHash as Transaction & { _tag: "medical" }),
    _tag: "label" as const,
    target: transactionId(medical as Transaction),
  };
  const lastTx = batch.transactions[batch.transactions.length - 1] as Transaction;
  const first = medical as Transaction & { _tag: "medical" };
  const generator = Secp.BASE.toBytes(true);
  const dss20Record = {
    scheme: CHAMELEON_SCHEME_IDS.DSS20,
    h: concatBytes(generator, generator),
    r: concatBytes(...[1n, 2n, 3n, 4n].map(scalarToBytes)),
    pointer: first.record.pointer,
  };
  return {
    dss20Medical: encodeTransaction({ ...first, record: dss20Record }),
    register: encodeTransaction(kb.keyblock.registers[0] as Transaction),
    medical: encodeTransaction(medical as Transaction),
    medicalNoHash: encodeTransaction(medicalNoHash as Transaction),
    label: encodeTransaction(label),
    keyblock: encodeKeyblock(kb.keyblock as Keyblock),
    emptyKeyblock: encodeKeyblock(empty.keyblock),
    microblock: encodeMicroblock(mb.header as MicroblockHeader),
    batch: encodeBatch(batch),
    lastBatchTx: encodeTransaction(lastTx),
    config: encodeConfig(base.kit.world.state.config),
  };
};

const validTests = (v: Valid): Record<ObjectName, TestDraft[]> => {
  const test = (name: ObjectName, comment: string, bytes: Uint8Array): TestDraft => {
    const decoded = Result.getOrThrow(DECODERS[name](bytes));
    const id = decoded.id === undefined ? {} : { id: bytesToHex(decoded.id) };
    return { comment, flags: [], encoded: bytesToHex(bytes), ...id, result: "valid" };
  };
  return {
    register: [test("register", "a register transaction of a real history", v.register)],
    medical: [
      test("medical", "a first visit (h present)", v.medical),
      test("medical", "a later visit (h omitted)", v.medicalNoHash),
      test(
        "medical",
        "a first visit with a DSS20 record (TX-4; decoding does not check the signature)",
        v.dss20Medical,
      ),
    ],
    label: [test("label", "a label (h omitted)", v.label)],
    keyblock: [
      test("keyblock", "a keyblock with three register transactions", v.keyblock),
      test("keyblock", "an empty keyblock", v.emptyKeyblock),
    ],
    microblock: [test("microblock", "a patient microblock header", v.microblock)],
    batch: [test("batch", "a pinned batch of three medical transactions", v.batch)],
    config: [test("config", "a configuration of four institutions (id = G(KB_0))", v.config)],
  };
};

export interface LedgerCodecFile {
  readonly testGroups: readonly {
    readonly object: ObjectName;
    readonly tests: readonly { tcId: number; flags: string[]; encoded: string; id?: string; result: string }[];
  }[];
}

export const buildLedgerCodecFile = (seed: Uint8Array): LedgerCodecFile => {
  const v = validObjects(seed);
  const valid = validTests(v);
  const invalid = invalidCases(v);
  return buildWycheproof({
    algorithm: "SPCHAIN-V1 ledger objects",
    schema: SCHEMA,
    header: [
      "Decoding of the ledger's objects (spec/transactions.md, spec/blocks.md, spec/pins.md, spec/chain.md).",
      "valid: decodes, re-encodes to `encoded`, and has id `id` (transaction, keyblock or microblock id; G(KB_0) for a configuration).",
      "invalid: decoding fails with the reason that is the first flag.",
    ],
    notes: NOTES,
    testGroups: OBJECTS.map((object) => ({
      type: "LedgerDecode",
      object,
      tests: [
        ...valid[object],
        ...invalid[object].map(
          ([comment, bytes, reason]): TestDraft => ({
            comment,
            flags: [reason],
            encoded: bytesToHex(bytes),
            result: "invalid",
          }),
        ),
      ],
    })),
  }) as unknown as LedgerCodecFile;
};

export const checkLedgerCodecFile = (file: LedgerCodecFile): CheckReport => {
  const cases: { object: ObjectName; test: LedgerCodecFile["testGroups"][number]["tests"][number] }[] = [];
  forEachTest(file as never, (test, group) =>
    cases.push({ object: (group as unknown as { object: ObjectName }).object, test: test as never }),
  );
  return runCases(
    cases,
    ({ object, test }) => `${object} tcId ${test.tcId}`,
    ({ object, test }) => {
      const decoded = DECODERS[object](hexToBytes(test.encoded));
      if (test.result === "valid") {
        expect(
          Result.isSuccess(decoded),
          `expected to decode: ${Result.isFailure(decoded) ? decoded.failure._tag : ""}`,
        );
        if (Result.isFailure(decoded)) return;
        expect(bytesToHex(decoded.success.bytes) === test.encoded, "re-encoding differs");
        const id = decoded.success.id === undefined ? undefined : bytesToHex(decoded.success.id);
        expect(id === test.id, `id ${id}, expected ${test.id}`);
      } else {
        expect(Result.isFailure(decoded), "expected a rejection, but it decoded");
        if (Result.isSuccess(decoded)) return;
        const reason = decoded.failure.reason ?? decoded.failure._tag;
        expect(reason === test.flags[0], `reason ${reason}, expected ${test.flags[0]}`);
      }
    },
  );
};

export const ledgerCodecFamily: VectorFamily = {
  name: "ledger-codec",
  owns: (path) => path === FILE,
  schemaFile: SCHEMA,
  schema: wycheproofSchema("LedgerDecode", { object: lit(...OBJECTS) }, { encoded: hex(), "id?": hex(32) }),
  expectsFiles: true,
  generate: (seed) => [{ path: FILE, json: buildLedgerCodecFile(seed) }],
  check: (_path, json) => checkLedgerCodecFile(json as LedgerCodecFile),
};
