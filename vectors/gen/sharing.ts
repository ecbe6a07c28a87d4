/**
 * Sealed-record vectors (spec/sharing.md, [SHARE-8]; SHARE-3, SHARE-4, SHARE-7): a patient's EMRs sealed in
 * key epochs, with every random value explicit (the epoch header, the data key, the nonce). Three files, one
 * per operation: seal (header, data key, nonce, EMR -> stored bytes, pointer), open (data key, stored bytes,
 * pointer -> EMR, the delegatee's step after Dec2 of the data key) and openOwn (the patient's PRE secret,
 * stored bytes, pointer -> EMR, Dec1 of the header first). Failing cases carry `error` (the `_tag`) and,
 * where the error has one, `reason`; the first flag is the reason, else the tag (VEC-2).
 * @module
 */
import { Effect } from "effect";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "../../src/crypto/bytes.js";
import { Randomness, seededSource } from "../../src/crypto/random.js";
import { decodeSecretKey, encodeSecretKey, publicKeyOf, type SecretKey } from "../../src/crypto/umbral/keys.js";
import { generateSecretKey } from "../../src/crypto/umbral/pre.js";
import { openOwn } from "../../src/ehealth/custodian.js";
import {
  decodeEpochHeader,
  EPOCH_HEADER_BYTES,
  firstEpoch,
  type KeyEpoch,
  rotateEpoch,
  wrapDataKey,
} from "../../src/ehealth/key-epoch.js";
import { contentAddress } from "../../src/ehealth/records.js";
import { openRecord, sealRecordWithNonce } from "../../src/ehealth/sealed-record.js";
import type { VectorFamily } from "../family.js";
import { hex, type JsonSchema, lit, str } from "../json-schema.js";
import { type FileBuilder, type OpOutcome, opFamily, outcomeOf } from "../op-family.js";
import type { Note, TestDraft } from "../wycheproof.js";

const SCHEMA = "sharing_schema.json";
const FILES = {
  seal: "crypto/sharing_seal_test.json",
  open: "crypto/sharing_open_test.json",
  openOwn: "crypto/sharing_open_own_test.json",
} as const;
type Op = keyof typeof FILES;
const GROUP_TYPES: Record<Op, string> = { seal: "SharingSeal", open: "SharingOpen", openOwn: "SharingOpenOwn" };
const ALGORITHM =
  "SPChain sealed records: XChaCha20-Poly1305 under HKDF-SHA-256(data key, SPCHAIN-V1-SHARE-RECORD-KEY ‖ nonce), aad = epoch header (Umbral capsule ‖ wrapped data key)";

const NOTES = {
  Sealed: {
    bugType: "FUNCTIONALITY",
    description: "A record sealed in a key epoch (SHARE-3) and its pointer (SHARE-4).",
  },
  EmptyEmr: {
    bugType: "EDGE_CASE",
    description: "An empty EMR: the stored bytes are the header, the nonce and the tag.",
  },
  LaterEpoch: {
    bugType: "FUNCTIONALITY",
    description: "A record of a rotated epoch (SHARE-6), opened with its own key.",
  },
  PointerMismatch: {
    bugType: "AUTH_BYPASS",
    description:
      "A byte of the stored record changed (ciphertext, nonce, capsule or epoch number): the pointer no longer matches (SHARE-4).",
  },
  RecordOpenFailed: {
    bugType: "AUTH_BYPASS",
    description:
      "The pointer matches the bytes served, but the record was moved under another header (a re-wrap of the same data key, another epoch, a changed epoch number) or opened with another epoch's key: the AEAD refuses (SHARE-3).",
  },
  AuthenticationFailed: {
    bugType: "CONFIDENTIALITY",
    description:
      "Dec1 of the epoch header with a key that is not the patient's: the wrapped data key does not open (PRE-10).",
  },
  CapsuleInvalid: { bugType: "MODIFIED_PARAMETER", description: "The header's capsule fails its check (PRE-9)." },
  ShortInput: { bugType: "BASIC", description: "Stored bytes with less than a header, a nonce and a tag." },
  PointNotCompressed: {
    bugType: "MALLEABILITY",
    description: "A capsule point prefix other than 0x02/0x03 in the header.",
  },
} as const satisfies Record<string, Note>;
type Flag = keyof typeof NOTES;

type Inputs = Readonly<Record<string, string>>;
type Runner = (t: Inputs) => OpOutcome;

const bytesOf = (inputs: Inputs, field: string): Uint8Array => hexToBytes(inputs[field] ?? "");
const emrOutcome = (emr: Uint8Array): OpOutcome => ({ ok: { emr: bytesToHex(emr) } });

const runSeal: Runner = (t) =>
  outcomeOf(decodeEpochHeader(bytesOf(t, "header")), (header) => {
    const epoch: KeyEpoch = { header, headerBytes: bytesOf(t, "header"), dataKey: bytesOf(t, "dataKey") };
    const { stored, pointer } = sealRecordWithNonce(epoch, bytesOf(t, "nonce"), bytesOf(t, "emr"));
    return { ok: { stored: bytesToHex(stored), pointer: bytesToHex(pointer) } };
  });

const runOpen: Runner = (t) =>
  outcomeOf(openRecord(bytesOf(t, "dataKey"), bytesOf(t, "stored"), bytesOf(t, "pointer")), emrOutcome);

const runOpenOwn: Runner = (t) =>
  outcomeOf(decodeSecretKey(bytesOf(t, "patientSecret")), (secret) =>
    outcomeOf(openOwn(secret, bytesOf(t, "stored"), bytesOf(t, "pointer")), emrOutcome),
  );

const RUNNERS: Record<Op, Runner> = { seal: runSeal, open: runOpen, openOwn: runOpenOwn };

/** A test from its inputs and what the implementation gives, checked against the intent (valid or the first flag). */
const draft = (op: Op, comment: string, flags: readonly Flag[], inputs: Inputs, valid: boolean): TestDraft => {
  const result = RUNNERS[op](inputs);
  if ("error" in result) {
    const code = result.reason ?? result.error;
    if (valid || flags[0] !== code) throw new Error(`sharing vector "${comment}": got ${code}, flags ${flags}`);
    const reason = result.reason === undefined ? {} : { reason: result.reason };
    return { comment, flags, ...inputs, error: result.error, ...reason, result: "invalid" };
  }
  if (!valid) throw new Error(`sharing vector "${comment}": accepted`);
  return { comment, flags, ...inputs, ...result.ok, result: "valid" };
};

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice();
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
};

/** The generator's world: a patient, another institution, epochs 0 and 1, and a re-wrap of epoch 0's key. */
const world = (seed: Uint8Array) => {
  const sub = (label: string) => concatBytes(seed, utf8ToBytes(label));
  const run = <A, E>(label: string, effect: Effect.Effect<A, E, Randomness>): A =>
    Effect.runSync(Effect.orDie(Effect.provide(effect, Randomness.seeded(sub(label)))));
  const patient: SecretKey = run("patient", generateSecretKey);
  const other: SecretKey = run("other", generateSecretKey);
  const pk = publicKeyOf(patient);
  const epoch0 = run("epoch-0", firstEpoch(pk));
  const epoch1 = run("epoch-1", rotateEpoch(epoch0, pk));
  const rewrapped = run("rewrap", wrapDataKey(pk, 0, epoch0.dataKey));
  const source = seededSource(sub("nonces"));
  return {
    patient,
    other,
    epoch0,
    epoch1,
    rewrapped,
    nonce: () => source.bytes(24),
    emr: (n: number) => source.bytes(n),
  };
};

const buildSharingFiles = (seed: Uint8Array, file: FileBuilder<Op>) => {
  const w = world(seed);
  const h = bytesToHex;
  const sealed = (epoch: KeyEpoch, size: number) => {
    const nonce = w.nonce();
    const emr = w.emr(size);
    return { nonce, emr, ...sealRecordWithNonce(epoch, nonce, emr) };
  };
  const r0 = sealed(w.epoch0, 64);
  const r1 = sealed(w.epoch1, 300);
  const empty = sealed(w.epoch0, 0);
  const readdress = (stored: Uint8Array) => ({ stored: h(stored), pointer: h(contentAddress(stored)) });
  const underRewrap = concatBytes(w.rewrapped.headerBytes, r0.stored.subarray(EPOCH_HEADER_BYTES));
  const badPoint = r0.stored.slice();
  badPoint[4] = 0x05;
  const badS = flip(r0.stored, 4 + 33 + 33 + 31);

  const sealTests = [
    ...[r0, empty].map((r, i) =>
      draft(
        "seal",
        i === 0 ? "a 64-byte EMR in epoch 0" : "an empty EMR",
        i === 0 ? ["Sealed"] : ["EmptyEmr"],
        { header: h(w.epoch0.headerBytes), dataKey: h(w.epoch0.dataKey), nonce: h(r.nonce), emr: h(r.emr) },
        true,
      ),
    ),
    draft(
      "seal",
      "a 300-byte EMR in epoch 1",
      ["LaterEpoch"],
      { header: h(w.epoch1.headerBytes), dataKey: h(w.epoch1.dataKey), nonce: h(r1.nonce), emr: h(r1.emr) },
      true,
    ),
    draft(
      "seal",
      "a header whose capsule E has prefix 0x05",
      ["PointNotCompressed"],
      {
        header: h(badPoint.subarray(0, EPOCH_HEADER_BYTES)),
        dataKey: h(w.epoch0.dataKey),
        nonce: h(r0.nonce),
        emr: "",
      },
      false,
    ),
  ];

  const open = (
    comment: string,
    flags: readonly Flag[],
    dataKey: Uint8Array,
    stored: Uint8Array,
    pointer: Uint8Array,
    valid: boolean,
  ) => draft("open", comment, flags, { dataKey: h(dataKey), stored: h(stored), pointer: h(pointer) }, valid);
  const openTests = [
    open("epoch 0's record with epoch 0's data key", ["Sealed"], w.epoch0.dataKey, r0.stored, r0.pointer, true),
    open("an empty EMR", ["EmptyEmr"], w.epoch0.dataKey, empty.stored, empty.pointer, true),
    open("epoch 1's record with epoch 1's data key", ["LaterEpoch"], w.epoch1.dataKey, r1.stored, r1.pointer, true),
    open(
      "a ciphertext byte flipped",
      ["PointerMismatch"],
      w.epoch0.dataKey,
      flip(r0.stored, r0.stored.length - 20),
      r0.pointer,
      false,
    ),
    open("a capsule byte flipped", ["PointerMismatch"], w.epoch0.dataKey, flip(r0.stored, 40), r0.pointer, false),
    open("the epoch number changed", ["PointerMismatch"], w.epoch0.dataKey, flip(r0.stored, 3), r0.pointer, false),
    open(
      "the tag cut off",
      ["PointerMismatch"],
      w.epoch0.dataKey,
      r0.stored.subarray(0, r0.stored.length - 16),
      r0.pointer,
      false,
    ),
    ...[
      ["the record under a re-wrap of its data key (another capsule), pointer recomputed", underRewrap],
      ["the epoch number changed, pointer recomputed", flip(r0.stored, 3)],
    ].map(([comment, stored]) =>
      draft(
        "open",
        comment as string,
        ["RecordOpenFailed"],
        { dataKey: h(w.epoch0.dataKey), ...readdress(stored as Uint8Array) },
        false,
      ),
    ),
    open(
      "epoch 1's record with epoch 0's data key (a share of epoch 0)",
      ["RecordOpenFailed"],
      w.epoch0.dataKey,
      r1.stored,
      r1.pointer,
      false,
    ),
    draft(
      "open",
      "less than a nonce and a tag after the header, pointer recomputed",
      ["ShortInput"],
      {
        dataKey: h(w.epoch0.dataKey),
        ...readdress(empty.stored.subarray(0, empty.stored.length - 1)),
      },
      false,
    ),
    draft(
      "open",
      "a capsule point with prefix 0x05, pointer recomputed",
      ["PointNotCompressed"],
      {
        dataKey: h(w.epoch0.dataKey),
        ...readdress(badPoint),
      },
      false,
    ),
  ];

  const own = (
    comment: string,
    flags: readonly Flag[],
    secret: SecretKey,
    stored: string,
    pointer: string,
    valid: boolean,
  ) => draft("openOwn", comment, flags, { patientSecret: h(encodeSecretKey(secret)), stored, pointer }, valid);
  const openOwnTests = [
    own("the patient opens its epoch-0 record", ["Sealed"], w.patient, h(r0.stored), h(r0.pointer), true),
    own("the patient opens its epoch-1 record", ["LaterEpoch"], w.patient, h(r1.stored), h(r1.pointer), true),
    own("another institution's PRE key", ["AuthenticationFailed"], w.other, h(r0.stored), h(r0.pointer), false),
    own("a capsule byte flipped", ["PointerMismatch"], w.patient, h(flip(r0.stored, 40)), h(r0.pointer), false),
    ...[readdress(badS)].map((r) =>
      own("the capsule's s changed, pointer recomputed", ["CapsuleInvalid"], w.patient, r.stored, r.pointer, false),
    ),
  ];

  const common = [
    "Stored bytes = u32be(epoch) ‖ capsule (98) ‖ wrapped data key (72) ‖ nonce (24) ‖ body ‖ tag (16); pointer = H_CIPHERTEXT(stored bytes).",
  ];
  return [
    file(
      "seal",
      [
        "Seal with explicit data key and nonce (SHARE-3): valid tests give stored and pointer byte for byte.",
        ...common,
      ],
      sealTests,
    ),
    file(
      "open",
      ["Open with the epoch's data key (SHARE-4 then SHARE-3): valid tests give the EMR.", ...common],
      openTests,
    ),
    file("openOwn", ["The patient's open: pointer, Dec1 of the header, AEAD (SHARE-7).", ...common], openOwnTests),
  ];
};

const testFields = (op: Op): Record<string, JsonSchema> => {
  const fields: Record<Op, Record<string, JsonSchema>> = {
    seal: { header: hex(), dataKey: hex(32), nonce: hex(24), emr: hex(), "stored?": hex(), "pointer?": hex(32) },
    open: { dataKey: hex(32), stored: hex(), pointer: hex(32), "emr?": hex() },
    openOwn: { patientSecret: hex(32), stored: hex(), pointer: hex(32), "emr?": hex() },
  };
  return {
    ...fields[op],
    "error?": lit("DecodeError", "PointerMismatch", "RecordOpenFailed", "DecryptionFailed", "CapsuleInvalid"),
    "reason?": str(),
  };
};

const sharing = opFamily({
  name: "sharing",
  schemaFile: SCHEMA,
  description: "Sealed-record vectors (spec/sharing.md): one file per operation, Wycheproof envelope.",
  algorithm: ALGORITHM,
  notes: NOTES,
  files: FILES,
  groupTypes: GROUP_TYPES,
  inputFields: {
    seal: ["header", "dataKey", "nonce", "emr"],
    open: ["dataKey", "stored", "pointer"],
    openOwn: ["patientSecret", "stored", "pointer"],
  },
  outputs: { seal: ["stored", "pointer"], open: ["emr"], openOwn: ["emr"] },
  run: RUNNERS,
  testFields,
  // [SHARE-3] The first flag of a failure is its reason (DecodeError, DecryptionFailed), else its tag.
  errorCode: (error, reason) => reason ?? error,
  build: buildSharingFiles,
});

export const sharingFamily: VectorFamily = sharing.family;
