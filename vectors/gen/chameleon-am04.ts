/**
 * AM04 chameleon hash vectors (spec/chameleon-hash.md, [CH-14], [CH-15]..[CH-19]): AM04 on secp256k1 with every
 * random value explicit. Four files, one per operation, in the envelope and with the pieces of DSS20's family
 * (chameleon.ts): HGen (the same trapdoors), Hash (key, message, ρ, s -> h, r), HVer (valid and tampered inputs,
 * malformed encodings) and HCol (key, trapdoor, m, h, r, m', k -> r'). Failing cases carry `error` and, for a
 * DecodeError, `reason`; the first flag is that code (VEC-2).
 * @module
 */
import { CURVE_ORDER, Secp, scalarToBytes } from "../../src/codec/fields.js";
import { concatBytes } from "../../src/crypto/bytes.js";
import { Am04, am04Scheme } from "../../src/crypto/chameleon/index.js";
import { hashToScalar } from "../../src/crypto/chameleon/rfc9380.js";
import type { VectorFamily, VectorFile } from "../family.js";
import { hex, type JsonSchema } from "../json-schema.js";
import { type FileBuilder, type OpOutcome, opFamily, outcomeOf as outcome } from "../op-family.js";
import type { Note, TestDraft } from "../wycheproof.js";
import {
  BAD_POINTS,
  be32,
  bytesOf,
  COLLIDE_INPUT_FIELDS,
  chameleonErrorCode,
  chameleonFiles,
  collideBase,
  collideRunner,
  NOTES as DSS20_NOTES,
  draft,
  ERROR_FIELDS,
  type HashOut,
  hexOf,
  type Inputs,
  KEYGEN_FIELDS,
  keyGenRunner,
  keygenTests,
  keyLengthCases,
  outputsOf,
  type Runner,
  scalarAt,
  scalarOf,
  VERIFY_FIELDS,
  verifyRunner,
  type World,
  withScalar,
  world,
} from "./chameleon.js";

const SCHEMA = "chameleon_am04_schema.json";
const FILES = {
  keygen: "crypto/chameleon_am04_keygen_test.json",
  hash: "crypto/chameleon_am04_hash_test.json",
  verify: "crypto/chameleon_am04_verify_test.json",
  collide: "crypto/chameleon_am04_collide_test.json",
} as const;
type Op = keyof typeof FILES;
const ALGORITHM = "AM04 chameleon hash, secp256k1, RFC 9380 hash_to_field (expand_message_xmd SHA-256, L = 48) mod n";

/** DSS20's notes where the text holds for AM04 as it stands; AM04's own where the scheme differs. */
const NOTES = {
  Collision: DSS20_NOTES.Collision,
  ChainedCollision: DSS20_NOTES.ChainedCollision,
  Rerandomized: DSS20_NOTES.Rerandomized,
  IdentityCommitment: {
    bugType: "EDGE_CASE",
    description: "e·Y + s·G is the identity (s = −e·x): F maps it as 33 zero bytes (CH-15).",
  },
  EdgeCoins: DSS20_NOTES.EdgeCoins,
  ReusedCoin: {
    bugType: "EDGE_CASE",
    description:
      "HCol of one h with a k already used: valid on its own, but with the earlier collision it reveals x (CH-19).",
  },
  ModifiedMessage: DSS20_NOTES.ModifiedMessage,
  ModifiedRandomness: {
    bugType: "AUTH_BYPASS",
    description: "ρ or s changed (+1 mod n), or the two swapped: ρ − F(e·Y + s·G) is no longer h.",
  },
  ModifiedHash: { bugType: "AUTH_BYPASS", description: "h changed (+1 mod n, or another hash's h)." },
  WrongPublicKey: DSS20_NOTES.WrongPublicKey,
  MismatchedRandomness: DSS20_NOTES.MismatchedRandomness,
  ChameleonBadCoins: {
    bugType: "EDGE_CASE",
    description: "An explicit random value out of its range: ρ, s in [0, n) (CH-17), k in [1, n) (CH-19).",
  },
  ChameleonTrapdoorMismatch: DSS20_NOTES.ChameleonTrapdoorMismatch,
  ChameleonOriginalInvalid: DSS20_NOTES.ChameleonOriginalInvalid,
  ShortInput: DSS20_NOTES.ShortInput,
  TrailingBytes: DSS20_NOTES.TrailingBytes,
  ScalarOutOfRange: {
    bugType: "MALLEABILITY",
    description: "A scalar >= n: reducing it would give a second encoding of a hash value, randomness or trapdoor.",
  },
  ScalarZero: DSS20_NOTES.ScalarZero,
  PointNotCompressed: DSS20_NOTES.PointNotCompressed,
  PointIdentity: DSS20_NOTES.PointIdentity,
  PointNotOnCurve: DSS20_NOTES.PointNotOnCurve,
  PointNonCanonical: DSS20_NOTES.PointNonCanonical,
} as const satisfies Record<string, Note>;
type Flag = keyof typeof NOTES;

const N = CURVE_ORDER;

const runKeyGen = keyGenRunner(Am04.decodeTrapdoor, Am04.keyGenWithRandomness);

const runHash = (t: Inputs): OpOutcome =>
  outcome(Am04.decodePublicKey(bytesOf(t, "publicKey")), (pk) =>
    outcome(Am04.hashWithRandomness(pk, bytesOf(t, "msg"), { rho: scalarOf(t.rho), s: scalarOf(t.s) }), (d) => ({
      ok: { h: hexOf(Am04.encodeHash(d.h)), r: hexOf(Am04.encodeRandomness(d.randomness)) },
    })),
  );

const runVerify = verifyRunner(am04Scheme);

const runCollide = collideRunner({
  ...Am04,
  collide: (pk, td, m, h, r, newMsg, t) => Am04.collideWithRandomness(pk, td, m, h, r, newMsg, scalarOf(t.k)),
});

const hashInputs = (pk: Uint8Array, msg: Uint8Array, rho: bigint, s: bigint): Inputs => ({
  publicKey: hexOf(pk),
  msg: hexOf(msg),
  rho: be32(rho),
  s: be32(s),
});

/** [CH-15] The coin s that makes e·Y + s·G the identity for (Y = x·G, m, ρ): s = −e·x. */
const identityS = (pk: Uint8Array, x: bigint, msg: Uint8Array, rho: bigint): bigint =>
  Secp.Fn.neg(Secp.Fn.mul(hashToScalar(Am04.DST_E, concatBytes(pk, scalarToBytes(rho), msg)), x));

const hashOf = (pk: Uint8Array, msg: Uint8Array, rho: bigint, s: bigint): HashOut =>
  outputsOf(draft(runHash, "", [], hashInputs(pk, msg, rho, s), true));

const hashTests = (w: World): TestDraft[] => {
  const { a, b, messages: m } = w;
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runHash, comment, flags, inputs, valid);
  const pkA = a.publicKey.bytes;
  const base = (pk: Uint8Array, msg: Uint8Array) => hashInputs(pk, msg, w.scalar(), w.scalar());
  const rhoI = w.scalar();
  return [
    t("32-byte digest", [], base(pkA, m.digest)),
    t("empty message", [], base(pkA, m.empty)),
    t("300-byte message", [], base(pkA, m.long)),
    t("text message, second institution", [], base(b.publicKey.bytes, m.text)),
    t("rho = 0, s = 0", ["EdgeCoins"], hashInputs(pkA, m.digest, 0n, 0n)),
    t("rho = 1, s = 1", ["EdgeCoins"], hashInputs(pkA, m.digest, 1n, 1n)),
    t("rho = n - 1, s = n - 1", ["EdgeCoins"], hashInputs(pkA, m.digest, N - 1n, N - 1n)),
    t(
      "s = -e·x: e·Y + s·G is the identity",
      ["IdentityCommitment"],
      hashInputs(pkA, m.digest, rhoI, identityS(pkA, a.trapdoor.x, m.digest, rhoI)),
    ),
    t("rho = n", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, N, 1n), false),
    t("s = n", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 1n, N), false),
    t("s = 2^256 - 1", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 1n, 2n ** 256n - 1n), false),
    ...BAD_POINTS.map(([bad, reason, what]) =>
      t(`public key: ${what}`, [reason], { ...base(pkA, m.digest), publicKey: bad }, false),
    ),
  ];
};

const collideInputs = (
  pk: Uint8Array,
  trapdoor: bigint,
  msg: Uint8Array,
  from: HashOut,
  newMsg: Uint8Array,
  k: bigint,
): Inputs => ({ ...collideBase(pk, trapdoor, msg, from, newMsg), k: be32(k) });

/** Hash and collision results the verify and collide files share. */
const scenario = (w: World) => {
  const { a, messages: m } = w;
  const pkA = a.publicKey.bytes;
  const original = hashOf(pkA, m.digest, w.scalar(), w.scalar());
  const collide = (from: HashOut, msg: Uint8Array, newMsg: Uint8Array, k: bigint) =>
    collideInputs(pkA, a.trapdoor.x, msg, from, newMsg, k);
  const collided = (inputs: Inputs): HashOut => ({
    h: original.h,
    r: String(draft(runCollide, "", [], inputs, true).rNew),
  });
  const firstK = w.scalar();
  const firstInputs = collide(original, m.digest, m.corrected, firstK);
  const first = collided(firstInputs);
  const chainedInputs = collide(first, m.corrected, m.second, w.scalar());
  const chained = collided(chainedInputs);
  // The same k for another message of the same h: the two collisions share ρ' (CH-19).
  const reusedInputs = collide(original, m.digest, m.text, firstK);
  const rhoI = w.scalar();
  const identity = hashOf(pkA, m.text, rhoI, identityS(pkA, a.trapdoor.x, m.text, rhoI));
  return { original, first, firstInputs, chained, chainedInputs, reusedInputs, identity, collide };
};
type Scenario = ReturnType<typeof scenario>;

const verifyTests = (w: World, s: Scenario): TestDraft[] => {
  const { a, b, messages: m } = w;
  const pkA = hexOf(a.publicKey.bytes);
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runVerify, comment, flags, inputs, valid);
  const v = (msg: Uint8Array, out: HashOut, pk = pkA): Inputs => ({ publicKey: pk, msg: hexOf(msg), ...out });
  const o = s.original;
  const small = hashOf(a.publicKey.bytes, m.digest, 7n, 8n);
  const other = hashOf(a.publicKey.bytes, m.digest, w.scalar(), w.scalar());
  const plusOne = (slot: number) => withScalar(o.r, slot, (scalarAt(o.r, slot) + 1n) % N);
  const hPlus = be32((scalarOf(o.h) + 1n) % N);
  const hashed = (comment: string, flags: Flag[], pk: Uint8Array, msg: Uint8Array, rho: bigint, sv: bigint) =>
    t(comment, flags, v(msg, hashOf(pk, msg, rho, sv), hexOf(pk)));
  return [
    t("output of Hash", [], v(m.digest, o)),
    t("collision to a corrected record", ["Collision"], v(m.corrected, s.first)),
    t("collision of a collision", ["ChainedCollision"], v(m.second, s.chained)),
    t(
      "collision with a reused k (verifies on its own)",
      ["Collision", "ReusedCoin"],
      v(m.text, { h: o.h, r: String(draft(runCollide, "", [], s.reusedInputs, true).rNew) }),
    ),
    t("e·Y + s·G is the identity (s = -e·x)", ["IdentityCommitment"], v(m.text, s.identity)),
    hashed("empty message", [], a.publicKey.bytes, m.empty, 11n, 12n),
    hashed("300-byte message, second institution", [], b.publicKey.bytes, m.long, 13n, 14n),
    hashed("rho = 0, s = 0", ["EdgeCoins"], a.publicKey.bytes, m.text, 0n, 0n),
    hashed("rho = n - 1, s = n - 1", ["EdgeCoins"], a.publicKey.bytes, m.text, N - 1n, N - 1n),
    t("modified message", ["ModifiedMessage"], v(m.corrected, o), false),
    t("identity-commitment hash, modified message", ["ModifiedMessage"], v(m.digest, s.identity), false),
    t("collision's randomness with the old message", ["MismatchedRandomness"], v(m.digest, s.first), false),
    t(
      "randomness of another hash of the same message",
      ["MismatchedRandomness"],
      v(m.digest, { h: o.h, r: other.r }),
      false,
    ),
    t("rho + 1", ["ModifiedRandomness"], v(m.digest, { h: o.h, r: plusOne(0) }), false),
    t("s + 1", ["ModifiedRandomness"], v(m.digest, { h: o.h, r: plusOne(1) }), false),
    t("rho and s swapped", ["ModifiedRandomness"], v(m.digest, { h: o.h, r: o.r.slice(64) + o.r.slice(0, 64) }), false),
    t("h + 1", ["ModifiedHash"], v(m.digest, { h: hPlus, r: o.r }), false),
    t("h of another hash of the same message", ["ModifiedHash"], v(m.digest, { h: other.h, r: o.r }), false),
    t("another institution's key", ["WrongPublicKey"], v(m.digest, o, hexOf(b.publicKey.bytes)), false),
    t(
      "collision under another institution's key",
      ["WrongPublicKey"],
      v(m.corrected, s.first, hexOf(b.publicKey.bytes)),
      false,
    ),
    t("h = n", ["ScalarOutOfRange"], v(m.digest, { h: be32(N), r: o.r }), false),
    t("h = n + 1", ["ScalarOutOfRange"], v(m.digest, { h: be32(N + 1n), r: o.r }), false),
    t("h = 2^256 - 1", ["ScalarOutOfRange"], v(m.digest, { h: be32(2n ** 256n - 1n), r: o.r }), false),
    t(
      "rho = n + 7 (rho = 7, reduces to a valid r)",
      ["ScalarOutOfRange"],
      v(m.digest, { h: small.h, r: withScalar(small.r, 0, N + 7n) }),
      false,
    ),
    t(
      "s = n + 8 (s = 8, reduces to a valid r)",
      ["ScalarOutOfRange"],
      v(m.digest, { h: small.h, r: withScalar(small.r, 1, N + 8n) }),
      false,
    ),
    t("s = 2^256 - 1", ["ScalarOutOfRange"], v(m.digest, { h: o.h, r: withScalar(o.r, 1, 2n ** 256n - 1n) }), false),
    ...BAD_POINTS.map(([bad, reason, what]) => t(`public key: ${what}`, [reason], v(m.digest, o, bad), false)),
    ...keyLengthCases(a.publicKey).map(([what, reason, bad]) => t(what, [reason], v(m.digest, o, bad), false)),
    t("h of 31 bytes", ["ShortInput"], v(m.digest, { h: o.h.slice(0, 62), r: o.r }), false),
    t("h of 33 bytes", ["TrailingBytes"], v(m.digest, { h: `${o.h}00`, r: o.r }), false),
    t("empty h", ["ShortInput"], v(m.digest, { h: "", r: o.r }), false),
    t("r of 63 bytes", ["ShortInput"], v(m.digest, { h: o.h, r: o.r.slice(0, 126) }), false),
    t("r of 65 bytes", ["TrailingBytes"], v(m.digest, { h: o.h, r: `${o.r}00` }), false),
    t("r of 32 bytes (rho only)", ["ShortInput"], v(m.digest, { h: o.h, r: o.r.slice(0, 64) }), false),
  ];
};

const collideTests = (w: World, s: Scenario): TestDraft[] => {
  const { b, messages: m } = w;
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runCollide, comment, flags, inputs, valid);
  const base = s.firstInputs;
  const o = s.original;
  return [
    t("collision to a corrected record", ["Collision"], base),
    t("collision of a collision", ["ChainedCollision"], s.chainedInputs),
    t("m' = m", ["Rerandomized"], s.collide(o, m.digest, m.digest, w.scalar())),
    t("the first collision's k again, another message: same rho'", ["ReusedCoin"], s.reusedInputs),
    t(
      "original with e·Y + s·G = identity",
      ["IdentityCommitment"],
      s.collide(s.identity, m.text, m.corrected, w.scalar()),
    ),
    t("k = 1", ["EdgeCoins"], s.collide(o, m.digest, m.empty, 1n)),
    t("k = n - 1", ["EdgeCoins"], s.collide(o, m.digest, m.long, N - 1n)),
    t("trapdoor of another key", ["ChameleonTrapdoorMismatch"], { ...base, trapdoor: be32(b.trapdoor.x) }, false),
    t("original message modified", ["ChameleonOriginalInvalid"], { ...base, msg: hexOf(m.text) }, false),
    t(
      "original s + 1",
      ["ChameleonOriginalInvalid"],
      { ...base, r: withScalar(o.r, 1, (scalarAt(o.r, 1) + 1n) % N) },
      false,
    ),
    t("original h + 1", ["ChameleonOriginalInvalid"], { ...base, h: be32((scalarOf(o.h) + 1n) % N) }, false),
    t("k = 0 (s' = -e'·x would reveal x)", ["ChameleonBadCoins"], { ...base, k: be32(0n) }, false),
    t("k = n", ["ChameleonBadCoins"], { ...base, k: be32(N) }, false),
    t("trapdoor 0", ["ScalarZero"], { ...base, trapdoor: be32(0n) }, false),
    t("trapdoor n + 1 (reduces to 1)", ["ScalarOutOfRange"], { ...base, trapdoor: be32(N + 1n) }, false),
    t("h = n", ["ScalarOutOfRange"], { ...base, h: be32(N) }, false),
    t("r of 63 bytes", ["ShortInput"], { ...base, r: o.r.slice(0, 126) }, false),
    t("public key not on the curve", ["PointNotOnCurve"], { ...base, publicKey: BAD_POINTS[2]?.[0] ?? "" }, false),
  ];
};

const buildFiles = (seed: Uint8Array, file: FileBuilder<Op>): VectorFile[] => {
  const w = world(seed, Am04.keyGenWithRandomness);
  const s = scenario(w);
  return chameleonFiles(file, {
    keygen: [
      "HGen: publicKey = trapdoor·G (CH-6, CH-16); the trapdoor decodes as a scalar in [1, n).",
      keygenTests(w, runKeyGen),
    ],
    hash: [
      "Hash with explicit rho, s (CH-17): valid tests give h (32 bytes) and r = rho ‖ s byte for byte.",
      hashTests(w),
    ],
    verify: ["HVer (CH-18): valid = accepted; invalid without `error` = HVer returns false.", verifyTests(w, s)],
    collide: ["HCol with explicit k (CH-19): valid tests give rNew = rho' ‖ s' byte for byte.", collideTests(w, s)],
  });
};

const RUNNERS: Record<Op, Runner> = { keygen: runKeyGen, hash: runHash, verify: runVerify, collide: runCollide };

const testFields = (op: Op): Record<string, JsonSchema> => {
  const scalar = hex(32);
  const fields: Record<Op, Record<string, JsonSchema>> = {
    keygen: KEYGEN_FIELDS,
    hash: { publicKey: hex(), msg: hex(), rho: scalar, s: scalar, "h?": hex(32), "r?": hex(64) },
    verify: VERIFY_FIELDS,
    collide: { ...COLLIDE_INPUT_FIELDS, k: scalar, "rNew?": hex(64) },
  };
  return { ...fields[op], ...ERROR_FIELDS };
};

const am04 = opFamily({
  name: "chameleon-am04",
  schemaFile: SCHEMA,
  description: "AM04 chameleon hash vectors (spec/chameleon-hash.md): one file per operation, Wycheproof envelope.",
  algorithm: ALGORITHM,
  notes: NOTES,
  files: FILES,
  groupTypes: {
    keygen: "ChameleonKeyGen",
    hash: "ChameleonHash",
    verify: "ChameleonVerify",
    collide: "ChameleonCollide",
  },
  inputFields: {
    keygen: ["trapdoor"],
    hash: ["publicKey", "msg", "rho", "s"],
    verify: ["publicKey", "msg", "h", "r"],
    collide: ["publicKey", "trapdoor", "msg", "h", "r", "newMsg", "k"],
  },
  outputs: { keygen: ["publicKey"], hash: ["h", "r"], verify: [], collide: ["rNew"] },
  run: RUNNERS,
  testFields,
  errorCode: chameleonErrorCode,
  build: buildFiles,
});

export const chameleonAm04Family: VectorFamily = am04.family;
