/**
 * Chameleon hash vectors (spec/chameleon-hash.md, [CH-14]): DSS20 on secp256k1 with every random value
 * explicit. Four files, one per operation: HGen (trapdoor -> public key), Hash (key, message, ξ, k1, e2,
 * s2 -> h, r), HVer (valid and tampered inputs, malformed encodings) and HCol (key, trapdoor, m, h, r, m',
 * k2, e1', s1' -> r'). Failing cases carry `error` (the `_tag`) and, for a DecodeError, `reason`; the first
 * flag is that code (VEC-2). Verification failures without an error have result "invalid" and no `error`.
 * The pieces that do not depend on the scheme (notes, the test draft, the world, malformed points, HGen and HVer
 * runners) are exported for AM04's family (chameleon-am04.ts).
 * @module
 */
import { Result } from "effect";
import type { DecodeError } from "../../src/codec/errors.js";
import { CURVE_ORDER, Secp } from "../../src/codec/fields.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "../../src/crypto/bytes.js";
import { SCALAR_DRAW_BYTES, scalarFromDraw } from "../../src/crypto/chameleon/coins.js";
import type { DlPublicKey, DlTrapdoor } from "../../src/crypto/chameleon/dl-key.js";
import type { ChameleonBadCoins } from "../../src/crypto/chameleon/errors.js";
import { Dss20, dss20Scheme } from "../../src/crypto/chameleon/index.js";
import type { ChameleonKey, ChameleonScheme } from "../../src/crypto/chameleon/scheme.js";
import { seededSource } from "../../src/crypto/random.js";
import { expect, type VectorFamily, type VectorFile } from "../family.js";
import { hex, type JsonSchema, lit, str } from "../json-schema.js";
import { type FileBuilder, type OpOutcome, opFamily, outcomeOf } from "../op-family.js";
import type { Note, TestDraft } from "../wycheproof.js";

const SCHEMA = "chameleon_schema.json";
const FILES = {
  keygen: "crypto/chameleon_dss20_keygen_test.json",
  hash: "crypto/chameleon_dss20_hash_test.json",
  verify: "crypto/chameleon_dss20_verify_test.json",
  collide: "crypto/chameleon_dss20_collide_test.json",
} as const;
type Op = keyof typeof FILES;
const GROUP_TYPES: Record<Op, string> = {
  keygen: "ChameleonKeyGen",
  hash: "ChameleonHash",
  verify: "ChameleonVerify",
  collide: "ChameleonCollide",
};
const ALGORITHM = "DSS20 chameleon hash, secp256k1, RFC 9380 secp256k1_XMD:SHA-256_SSWU_RO_";

export const NOTES = {
  Collision: { bugType: "FUNCTIONALITY", description: "h with randomness computed by HCol for a new message." },
  ChainedCollision: {
    bugType: "FUNCTIONALITY",
    description: "HCol applied to a collision: a corrected record can be corrected again.",
  },
  Rerandomized: { bugType: "FUNCTIONALITY", description: "HCol with m' = m gives fresh randomness for one message." },
  IdentityCommitment: {
    bugType: "EDGE_CASE",
    description: "An OR-proof commitment (u2 or u11) is the identity; it enters the challenge as 33 zero bytes (CH-5).",
  },
  EdgeCoins: { bugType: "EDGE_CASE", description: "Random values at the ends of their ranges (0, 1, n - 1)." },
  ModifiedMessage: {
    bugType: "AUTH_BYPASS",
    description:
      "The message is not the one hashed or collided to: accepting it relabels a record without the trapdoor.",
  },
  ModifiedRandomness: {
    bugType: "AUTH_BYPASS",
    description: "One scalar of r changed (+1 mod n) or e1 and e2 swapped: the OR-proof no longer verifies.",
  },
  ModifiedHash: {
    bugType: "AUTH_BYPASS",
    description: "h1 or h2 replaced by another point: the proof was made for a different ElGamal pair.",
  },
  WrongPublicKey: {
    bugType: "AUTH_BYPASS",
    description:
      "Verified under another institution's key: one institution's hash or collision never verifies for another.",
  },
  MismatchedRandomness: {
    bugType: "AUTH_BYPASS",
    description: "Randomness of another hash, or of the same h for another message (a collision's r' with the old m).",
  },
  ChameleonBadCoins: { bugType: "EDGE_CASE", description: "An explicit random value out of its range (CH-7, CH-9)." },
  ChameleonTrapdoorMismatch: {
    bugType: "MODIFIED_PARAMETER",
    description: "HCol with the trapdoor of another key: its output would verify under no key the ledger knows.",
  },
  ChameleonOriginalInvalid: {
    bugType: "MISSING_STEP",
    description: "HCol on an (m, h, r) that does not verify: SPChain §3.1 requires HCol to return ⊥.",
  },
  ShortInput: { bugType: "BASIC", description: "An encoding shorter than its fixed size." },
  TrailingBytes: { bugType: "MALLEABILITY", description: "Bytes after a complete encoding." },
  ScalarOutOfRange: {
    bugType: "MALLEABILITY",
    description: "A scalar >= n: reducing it would give a second encoding of a valid randomness or trapdoor.",
  },
  ScalarZero: { bugType: "EDGE_CASE", description: "A zero trapdoor: x = 0 gives the identity as public key." },
  PointNotCompressed: { bugType: "MALLEABILITY", description: "A point prefix other than 0x02/0x03." },
  PointIdentity: { bugType: "EDGE_CASE", description: "The identity where a point is required." },
  PointNotOnCurve: { bugType: "CAN_OF_WORMS", description: "An x coordinate with no point on secp256k1." },
  PointNonCanonical: { bugType: "MALLEABILITY", description: "An x coordinate >= p." },
} as const satisfies Record<string, Note>;
type Flag = keyof typeof NOTES;

/** The inputs of a test, hex strings keyed by field name. */
export type Inputs = Readonly<Record<string, string>>;

type Outcome = OpOutcome;

export const be32 = (value: bigint): string => value.toString(16).padStart(64, "0");
export const scalarOf = (hexValue: string | undefined): bigint => BigInt(`0x${hexValue ?? ""}`);
export const bytesOf = (inputs: Inputs, field: string): Uint8Array => hexToBytes(inputs[field] ?? "");

const outcome = outcomeOf;

type KeyGenWithRandomness = (x: bigint) => Result.Result<{ readonly publicKey: DlPublicKey }, ChameleonBadCoins>;

/** [CH-6] HGen of a discrete-log scheme: the trapdoor decoded with the scheme's decoder, then Y = x·G. */
export const keyGenRunner =
  (decodeTrapdoor: (bytes: Uint8Array) => Result.Result<DlTrapdoor, DecodeError>, keyGen: KeyGenWithRandomness) =>
  (t: Inputs): Outcome =>
    outcome(decodeTrapdoor(bytesOf(t, "trapdoor")), (td) =>
      outcome(keyGen(td.x), (kp) => ({ ok: { publicKey: bytesToHex(kp.publicKey.bytes) } })),
    );

const runKeyGen = keyGenRunner(Dss20.decodeTrapdoor, Dss20.keyGenWithRandomness);

const runHash = (t: Inputs): Outcome =>
  outcome(Dss20.decodePublicKey(bytesOf(t, "publicKey")), (pk) =>
    outcome(
      Dss20.hashWithRandomness(pk, bytesOf(t, "msg"), {
        xi: scalarOf(t.xi),
        k1: scalarOf(t.k1),
        e2: scalarOf(t.e2),
        s2: scalarOf(t.s2),
      }),
      (d) => ({ ok: { h: bytesToHex(d.hash.bytes), r: bytesToHex(Dss20.encodeRandomness(d.randomness)) } }),
    ),
  );

/** Keys prepared once (each preparation builds tables), keyed by scheme id and encoding. */
const preparedKeys = new Map<string, Result.Result<ChameleonKey, unknown>>();
const preparedKey = (scheme: ChameleonScheme, publicKey: Uint8Array): Result.Result<ChameleonKey, unknown> => {
  const id = `${scheme.id}/${bytesToHex(publicKey)}`;
  const key = preparedKeys.get(id) ?? scheme.key(publicKey, { prepare: true });
  preparedKeys.set(id, key);
  return key;
};

/** [CH-14] HVer through the byte-level scheme with a fresh key and with a prepared key; both must agree. */
export const verifyRunner =
  (scheme: ChameleonScheme) =>
  (t: Inputs): Outcome => {
    const [pk, msg, h, r] = [bytesOf(t, "publicKey"), bytesOf(t, "msg"), bytesOf(t, "h"), bytesOf(t, "r")];
    const plain = outcome(scheme.verify(pk, msg, h, r), (valid) => ({ ok: { valid } }));
    const key = preparedKey(scheme, pk);
    if (Result.isSuccess(key)) {
      const viaPrepared = outcome(key.success.verify(msg, h, r), (valid) => ({ ok: { valid } }));
      expect(JSON.stringify(viaPrepared) === JSON.stringify(plain), "prepared and unprepared keys disagree");
    }
    return plain;
  };

const runVerify = verifyRunner(dss20Scheme);

/** What HCol's runner needs of a discrete-log scheme over decoded objects; `collide` reads its coins from the test. */
export interface CollideOps<H, R> {
  readonly decodePublicKey: (bytes: Uint8Array) => Result.Result<DlPublicKey, DecodeError>;
  readonly decodeTrapdoor: (bytes: Uint8Array) => Result.Result<DlTrapdoor, DecodeError>;
  readonly decodeHash: (bytes: Uint8Array) => Result.Result<H, DecodeError>;
  readonly decodeRandomness: (bytes: Uint8Array) => Result.Result<R, DecodeError>;
  readonly encodeRandomness: (r: R) => Uint8Array;
  readonly verify: (pk: DlPublicKey, m: Uint8Array, h: H, r: R) => boolean;
  readonly collide: (
    pk: DlPublicKey,
    td: DlTrapdoor,
    m: Uint8Array,
    h: H,
    r: R,
    newMsg: Uint8Array,
    t: Inputs,
  ) => Result.Result<R, { readonly _tag: string }>;
}

/** [CH-9] [CH-19] HCol: decode key, trapdoor, h, r in that order, collide, and check that the output verifies. */
export const collideRunner =
  <H, R>(ops: CollideOps<H, R>) =>
  (t: Inputs): Outcome =>
    outcome(ops.decodePublicKey(bytesOf(t, "publicKey")), (pk) =>
      outcome(ops.decodeTrapdoor(bytesOf(t, "trapdoor")), (td) =>
        outcome(ops.decodeHash(bytesOf(t, "h")), (hash) =>
          outcome(ops.decodeRandomness(bytesOf(t, "r")), (r) => {
            const newMsg = bytesOf(t, "newMsg");
            return outcome(ops.collide(pk, td, bytesOf(t, "msg"), hash, r, newMsg, t), (rNew) => {
              expect(ops.verify(pk, newMsg, hash, rNew), "the collision does not verify");
              return { ok: { rNew: bytesToHex(ops.encodeRandomness(rNew)) } };
            });
          }),
        ),
      ),
    );

const runCollide = collideRunner({
  ...Dss20,
  collide: (pk, td, m, h, r, newMsg, t) =>
    Dss20.collideWithRandomness(pk, td, m, h, r, newMsg, {
      k2: scalarOf(t.k2),
      e1: scalarOf(t.e1),
      s1: scalarOf(t.s1),
    }),
});

export type Runner = (t: Inputs) => Outcome;

/** A test draft from its inputs and the outcome the implementation gives, checked against the intent. */
export const draft = (
  run: Runner,
  comment: string,
  flags: readonly string[],
  inputs: Inputs,
  valid: boolean,
): TestDraft => {
  const result = run(inputs);
  if ("error" in result) {
    const code = result.reason ?? result.error;
    if (valid || flags[0] !== code) throw new Error(`chameleon vector "${comment}": got ${code}, flags ${flags}`);
    return {
      comment,
      flags,
      ...inputs,
      error: result.error,
      ...(result.reason ? { reason: result.reason } : {}),
      result: "invalid",
    };
  }
  const { valid: verified, ...outputs } = result.ok;
  const accepted = verified === undefined || verified === true;
  if (accepted !== valid) throw new Error(`chameleon vector "${comment}": accepted = ${accepted}`);
  return { comment, flags, ...inputs, ...outputs, result: valid ? "valid" : "invalid" };
};

const N = CURVE_ORDER;
const G = Secp.BASE;
export const hexOf = (bytes: Uint8Array): string => bytesToHex(bytes);
const pointHex = (scalar: bigint): string => hexOf(G.multiply(scalar).toBytes(true));
const P_FIELD = Secp.Fp.ORDER;

/** Malformed 33-byte point encodings, each with the DecodeError reason it must give. */
export const BAD_POINTS: readonly [string, Flag, string][] = [
  [`00${"00".repeat(32)}`, "PointIdentity", "the identity"],
  [`04${be32(G.x)}`, "PointNotCompressed", "prefix 0x04 (uncompressed) in 33 bytes"],
  [`02${be32(5n)}`, "PointNotOnCurve", "x = 5 has no point"],
  [`03${be32(P_FIELD + 1n)}`, "PointNonCanonical", "x = p + 1 (reduces to a valid x)"],
];

/** A public key with the wrong form or length: [comment, DecodeError reason, hex]. */
export const keyLengthCases = (publicKey: DlPublicKey): readonly [string, Flag, string][] => {
  const pk = hexOf(publicKey.bytes);
  return [
    ["uncompressed 65-byte public key", "PointNotCompressed", hexOf(publicKey.point.toBytes(false))],
    ["public key of 32 bytes", "ShortInput", pk.slice(0, 64)],
    ["public key of 34 bytes", "TrailingBytes", `${pk}00`],
  ];
};

/** The deterministic world the vectors are drawn from: two institutions (keys of `keyGen`) and a few messages. */
export const world = (seed: Uint8Array, keyGen = Dss20.keyGenWithRandomness) => {
  const source = seededSource(seed);
  const scalar = (): bigint => scalarFromDraw(source.bytes(SCALAR_DRAW_BYTES));
  const keyPair = () => Result.getOrThrow(keyGen(scalar()));
  const a = keyPair();
  const b = keyPair();
  const messages = {
    digest: source.bytes(32),
    corrected: source.bytes(32),
    second: source.bytes(32),
    empty: new Uint8Array(0),
    text: utf8ToBytes("EMR 17: diagnosis corrected after review"),
    long: source.bytes(300),
  };
  return { scalar, a, b, messages };
};
export type World = ReturnType<typeof world>;

/** [CH-6] HGen tests: the same trapdoors for every discrete-log scheme, run by the scheme's `runKeyGen`. */
export const keygenTests = (w: World, run: Runner = runKeyGen): TestDraft[] => {
  const t = (comment: string, flags: Flag[], trapdoor: string, valid = true) =>
    draft(run, comment, flags, { trapdoor }, valid);
  return [
    t("random trapdoor", [], be32(w.a.trapdoor.x)),
    t("trapdoor 1: Y = G", ["EdgeCoins"], be32(1n)),
    t("trapdoor n - 1: Y = -G", ["EdgeCoins"], be32(N - 1n)),
    t("trapdoor 0", ["ScalarZero"], be32(0n), false),
    t("trapdoor n", ["ScalarOutOfRange"], be32(N), false),
    t("trapdoor n + 1 (reduces to 1)", ["ScalarOutOfRange"], be32(N + 1n), false),
    t("trapdoor of 31 bytes", ["ShortInput"], be32(5n).slice(2), false),
    t("trapdoor of 33 bytes", ["TrailingBytes"], `${be32(5n)}00`, false),
  ];
};

/** One base hash per institution and message, with the ξ kept so that edge cases can be built. */
const hashInputs = (pk: Uint8Array, msg: Uint8Array, xi: bigint, k1: bigint, e2: bigint, s2: bigint): Inputs => ({
  publicKey: hexOf(pk),
  msg: hexOf(msg),
  xi: be32(xi),
  k1: be32(k1),
  e2: be32(e2),
  s2: be32(s2),
});

const hashTests = (w: World): TestDraft[] => {
  const { a, b, messages: m } = w;
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runHash, comment, flags, inputs, valid);
  const pkA = a.publicKey.bytes;
  const coins = () => [w.scalar(), w.scalar(), w.scalar(), w.scalar()] as const;
  const base = (pk: Uint8Array, msg: Uint8Array) => hashInputs(pk, msg, ...coins());
  return [
    t("32-byte digest", [], base(pkA, m.digest)),
    t("empty message", [], base(pkA, m.empty)),
    t("300-byte message", [], base(pkA, m.long)),
    t("text message, second institution", [], base(b.publicKey.bytes, m.text)),
    t("xi = 1, k1 = n - 1, e2 = 0, s2 = 0", ["EdgeCoins"], hashInputs(pkA, m.digest, 1n, N - 1n, 0n, 0n)),
    t(
      "xi = n - 1, k1 = 1, e2 = n - 1, s2 = n - 1",
      ["EdgeCoins"],
      hashInputs(pkA, m.digest, N - 1n, 1n, N - 1n, N - 1n),
    ),
    t(
      "s2 = e2·x: u2 is the identity",
      ["IdentityCommitment"],
      hashInputs(pkA, m.digest, w.scalar(), w.scalar(), 1n, a.trapdoor.x),
    ),
    t("xi = 0", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 0n, 1n, 1n, 1n), false),
    t("k1 = 0", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 1n, 0n, 1n, 1n), false),
    t("e2 = n", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 1n, 1n, N, 1n), false),
    t("s2 = 2^256 - 1", ["ChameleonBadCoins"], hashInputs(pkA, m.digest, 1n, 1n, 1n, 2n ** 256n - 1n), false),
    ...BAD_POINTS.map(([bad, reason, what]) =>
      t(`public key: ${what}`, [reason], { ...base(pkA, m.digest), publicKey: bad }, false),
    ),
  ];
};

/** A hash value and its randomness, hex. */
export type HashOut = { readonly h: string; readonly r: string };
export const outputsOf = (test: TestDraft): HashOut => ({ h: String(test.h), r: String(test.r) });

/** r with one scalar replaced (DSS20 index 0..3 = e1, e2, s1, s2; AM04 0..1 = rho, s). */
export const withScalar = (r: string, index: number, value: bigint): string =>
  r.slice(0, 64 * index) + be32(value) + r.slice(64 * (index + 1));
export const scalarAt = (r: string, index: number): bigint => scalarOf(r.slice(64 * index, 64 * (index + 1)));

/** The inputs every HCol test has, before the scheme's coins. */
export const collideBase = (
  pk: Uint8Array,
  trapdoor: bigint,
  msg: Uint8Array,
  out: HashOut,
  newMsg: Uint8Array,
): Inputs => ({
  publicKey: hexOf(pk),
  trapdoor: be32(trapdoor),
  msg: hexOf(msg),
  h: out.h,
  r: out.r,
  newMsg: hexOf(newMsg),
});

const collideInputs = (
  pk: Uint8Array,
  trapdoor: bigint,
  msg: Uint8Array,
  out: HashOut,
  newMsg: Uint8Array,
  k2: bigint,
  e1: bigint,
  s1: bigint,
): Inputs => ({
  ...collideBase(pk, trapdoor, msg, out, newMsg),
  k2: be32(k2),
  e1: be32(e1),
  s1: be32(s1),
});

/** Hash and collision results the verify and collide files share. */
const scenario = (w: World) => {
  const { a, messages: m } = w;
  const pkA = a.publicKey.bytes;
  const xi = w.scalar();
  const original = outputsOf(
    draft(runHash, "", [], hashInputs(pkA, m.digest, xi, w.scalar(), w.scalar(), w.scalar()), true),
  );
  const collide = (
    from: { h: string; r: string },
    msg: Uint8Array,
    newMsg: Uint8Array,
    coins: [bigint, bigint, bigint],
  ) => collideInputs(pkA, a.trapdoor.x, msg, from, newMsg, ...coins);
  const firstInputs = collide(original, m.digest, m.corrected, [w.scalar(), w.scalar(), w.scalar()]);
  const first = { h: original.h, r: String(draft(runCollide, "", [], firstInputs, true).rNew) };
  const chainedInputs = collide(first, m.corrected, m.second, [w.scalar(), w.scalar(), w.scalar()]);
  const chained = { h: original.h, r: String(draft(runCollide, "", [], chainedInputs, true).rNew) };
  // u11' = s1'·G − e1'·h1 = identity when s1' = e1'·ξ.
  const e1 = w.scalar();
  const identityInputs = collide(original, m.digest, m.text, [w.scalar(), e1, (e1 * xi) % N]);
  return { original, first, firstInputs, chained, chainedInputs, identityInputs, collide };
};
type Scenario = ReturnType<typeof scenario>;

const verifyTests = (w: World, s: Scenario): TestDraft[] => {
  const { a, b, messages: m } = w;
  const pkA = hexOf(a.publicKey.bytes);
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runVerify, comment, flags, inputs, valid);
  const v = (msg: Uint8Array, out: { h: string; r: string }, pk = pkA): Inputs => ({
    publicKey: pk,
    msg: hexOf(msg),
    ...out,
  });
  const o = s.original;
  const h1Other = pointHex(w.scalar());
  const tamper = (index: number, name: string) =>
    t(
      `${name} + 1`,
      ["ModifiedRandomness"],
      v(m.digest, { h: o.h, r: withScalar(o.r, index, (scalarAt(o.r, index) + 1n) % N) }),
      false,
    );
  const swapped = withScalar(withScalar(o.r, 0, scalarAt(o.r, 1)), 1, scalarAt(o.r, 0));
  const otherHash = outputsOf(draft(runHash, "", [], hashInputs(a.publicKey.bytes, m.digest, 1n, 2n, 3n, 4n), true));
  const smallE2 = outputsOf(draft(runHash, "", [], hashInputs(a.publicKey.bytes, m.digest, 5n, 6n, 7n, 8n), true));
  const hashed = (
    comment: string,
    flags: Flag[],
    pk: Uint8Array,
    msg: Uint8Array,
    coins: [bigint, bigint, bigint, bigint],
  ) => t(comment, flags, v(msg, outputsOf(draft(runHash, "", [], hashInputs(pk, msg, ...coins), true)), hexOf(pk)));
  const identityCollision = { h: o.h, r: String(draft(runCollide, "", [], s.identityInputs, true).rNew) };
  return [
    t("output of Hash", [], v(m.digest, o)),
    t("collision to a corrected record", ["Collision"], v(m.corrected, s.first)),
    t("collision of a collision", ["ChainedCollision"], v(m.second, s.chained)),
    t("collision whose u11 is the identity", ["Collision", "IdentityCommitment"], v(m.text, identityCollision)),
    hashed("empty message", [], a.publicKey.bytes, m.empty, [11n, 12n, 13n, 14n]),
    hashed("300-byte message, second institution", [], b.publicKey.bytes, m.long, [15n, 16n, 17n, 18n]),
    hashed("xi = n - 1, e2 = 0, s2 = 0", ["EdgeCoins"], a.publicKey.bytes, m.text, [N - 1n, 1n, 0n, 0n]),
    hashed("u2 is the identity (s2 = e2·x)", ["IdentityCommitment"], a.publicKey.bytes, m.digest, [
      19n,
      20n,
      1n,
      a.trapdoor.x,
    ]),
    t("modified message", ["ModifiedMessage"], v(m.corrected, o), false),
    t("collision's randomness with the old message", ["MismatchedRandomness"], v(m.digest, s.first), false),
    t(
      "randomness of another hash of the same message",
      ["MismatchedRandomness"],
      v(m.digest, { h: o.h, r: otherHash.r }),
      false,
    ),
    tamper(0, "e1"),
    tamper(1, "e2"),
    tamper(2, "s1"),
    tamper(3, "s2"),
    t("e1 and e2 swapped", ["ModifiedRandomness"], v(m.digest, { h: o.h, r: swapped }), false),
    t("h1 replaced", ["ModifiedHash"], v(m.digest, { h: h1Other + o.h.slice(66), r: o.r }), false),
    t("h2 replaced", ["ModifiedHash"], v(m.digest, { h: o.h.slice(0, 66) + h1Other, r: o.r }), false),
    t("h1 and h2 swapped", ["ModifiedHash"], v(m.digest, { h: o.h.slice(66) + o.h.slice(0, 66), r: o.r }), false),
    t("another institution's key", ["WrongPublicKey"], v(m.digest, o, hexOf(b.publicKey.bytes)), false),
    t(
      "collision under another institution's key",
      ["WrongPublicKey"],
      v(m.corrected, s.first, hexOf(b.publicKey.bytes)),
      false,
    ),
    t("e1 = n", ["ScalarOutOfRange"], v(m.digest, { h: o.h, r: withScalar(o.r, 0, N) }), false),
    t(
      "e2 + n (e2 = 7, reduces to a valid r)",
      ["ScalarOutOfRange"],
      v(m.digest, { h: smallE2.h, r: withScalar(smallE2.r, 1, 7n + N) }),
      false,
    ),
    t("s1 = 2^256 - 1", ["ScalarOutOfRange"], v(m.digest, { h: o.h, r: withScalar(o.r, 2, 2n ** 256n - 1n) }), false),
    t(
      "s2 = n + 8 (s2 = 8, reduces to a valid r)",
      ["ScalarOutOfRange"],
      v(m.digest, { h: smallE2.h, r: withScalar(smallE2.r, 3, 8n + N) }),
      false,
    ),
    ...BAD_POINTS.flatMap(([bad, reason, what]) => [
      t(`h1: ${what}`, [reason], v(m.digest, { h: bad + o.h.slice(66), r: o.r }), false),
      t(`h2: ${what}`, [reason], v(m.digest, { h: o.h.slice(0, 66) + bad, r: o.r }), false),
      t(`public key: ${what}`, [reason], v(m.digest, o, bad), false),
    ]),
    ...keyLengthCases(a.publicKey).map(([what, reason, bad]) => t(what, [reason], v(m.digest, o, bad), false)),
    t("h of 65 bytes", ["ShortInput"], v(m.digest, { h: o.h.slice(0, 130), r: o.r }), false),
    t("h of 67 bytes", ["TrailingBytes"], v(m.digest, { h: `${o.h}00`, r: o.r }), false),
    t("r of 127 bytes", ["ShortInput"], v(m.digest, { h: o.h, r: o.r.slice(0, 254) }), false),
    t("r of 129 bytes", ["TrailingBytes"], v(m.digest, { h: o.h, r: `${o.r}00` }), false),
    t("empty r", ["ShortInput"], v(m.digest, { h: o.h, r: "" }), false),
  ];
};

const collideTests = (w: World, s: Scenario): TestDraft[] => {
  const { b, messages: m } = w;
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft(runCollide, comment, flags, inputs, valid);
  const base = s.firstInputs;
  const o = s.original;
  const coins = (): [bigint, bigint, bigint] => [w.scalar(), w.scalar(), w.scalar()];
  return [
    t("collision to a corrected record", ["Collision"], base),
    t("collision of a collision", ["ChainedCollision"], s.chainedInputs),
    t("m' = m", ["Rerandomized"], s.collide(o, m.digest, m.digest, coins())),
    t("s1' = e1'·xi: u11 is the identity", ["IdentityCommitment"], s.identityInputs),
    t("k2 = 1, e1' = 0, s1' = 0", ["EdgeCoins"], s.collide(o, m.digest, m.empty, [1n, 0n, 0n])),
    t("k2 = n - 1, e1' = n - 1, s1' = n - 1", ["EdgeCoins"], s.collide(o, m.digest, m.long, [N - 1n, N - 1n, N - 1n])),
    t("trapdoor of another key", ["ChameleonTrapdoorMismatch"], { ...base, trapdoor: be32(b.trapdoor.x) }, false),
    t("original message modified", ["ChameleonOriginalInvalid"], { ...base, msg: hexOf(m.text) }, false),
    t(
      "original s1 + 1",
      ["ChameleonOriginalInvalid"],
      { ...base, r: withScalar(o.r, 2, (scalarAt(o.r, 2) + 1n) % N) },
      false,
    ),
    t("k2 = 0 (s2' would reveal x)", ["ChameleonBadCoins"], { ...base, k2: be32(0n) }, false),
    t("e1' = n", ["ChameleonBadCoins"], { ...base, e1: be32(N) }, false),
    t("trapdoor 0", ["ScalarZero"], { ...base, trapdoor: be32(0n) }, false),
    t("trapdoor n + 1 (reduces to 1)", ["ScalarOutOfRange"], { ...base, trapdoor: be32(N + 1n) }, false),
    t("h1 is the identity", ["PointIdentity"], { ...base, h: `00${"00".repeat(32)}${o.h.slice(66)}` }, false),
    t("r of 127 bytes", ["ShortInput"], { ...base, r: o.r.slice(0, 254) }, false),
    t("public key not on the curve", ["PointNotOnCurve"], { ...base, publicKey: `02${be32(5n)}` }, false),
  ];
};

const HEADER_COMMON = [
  "spec/chameleon-hash.md. Byte strings are lowercase hex; scalars are 32-byte big-endian hex.",
  "invalid with `error`: the operation fails with that typed error (`reason`: the DecodeError reason); the first flag is that code.",
];

/** [CH-14] One file per operation, in the order given: each with its header line, the common lines and its tests. */
export const chameleonFiles = <Op extends string>(
  file: FileBuilder<Op>,
  parts: Record<Op, readonly [header: string, tests: TestDraft[]]>,
): VectorFile[] =>
  (Object.entries(parts) as [Op, readonly [string, TestDraft[]]][]).map(([op, [header, tests]]) =>
    file(op, [header, ...HEADER_COMMON], tests),
  );

const buildChameleonFiles = (seed: Uint8Array, file: FileBuilder<Op>): VectorFile[] => {
  const w = world(seed);
  const s = scenario(w);
  return chameleonFiles(file, {
    keygen: ["HGen: publicKey = trapdoor·G (CH-6); the trapdoor decodes as a scalar in [1, n) (CH-4).", keygenTests(w)],
    hash: ["Hash with explicit xi, k1, e2, s2 (CH-7): valid tests give h and r byte for byte.", hashTests(w)],
    verify: ["HVer (CH-8): valid = accepted; invalid without `error` = HVer returns false.", verifyTests(w, s)],
    collide: ["HCol with explicit k2, e1', s1' (CH-9): valid tests give rNew byte for byte.", collideTests(w, s)],
  });
};

const RUNNERS: Record<Op, Runner> = {
  keygen: runKeyGen,
  hash: runHash,
  verify: runVerify,
  collide: runCollide,
};
const OUTPUTS: Record<Op, readonly string[]> = {
  keygen: ["publicKey"],
  hash: ["h", "r"],
  verify: [],
  collide: ["rNew"],
};
const INPUT_FIELDS: Record<Op, readonly string[]> = {
  keygen: ["trapdoor"],
  hash: ["publicKey", "msg", "xi", "k1", "e2", "s2"],
  verify: ["publicKey", "msg", "h", "r"],
  collide: ["publicKey", "trapdoor", "msg", "h", "r", "newMsg", "k2", "e1", "s1"],
};

/** [CH-11] The error fields of every chameleon test: the `_tag` and, for a DecodeError, its reason. */
export const ERROR_FIELDS: Record<string, JsonSchema> = {
  "error?": lit("DecodeError", "ChameleonBadCoins", "ChameleonTrapdoorMismatch", "ChameleonOriginalInvalid"),
  "reason?": str(),
};

/** JSON Schema fields of the tests whose shape does not depend on the scheme (HGen, HVer, HCol's inputs). */
export const KEYGEN_FIELDS: Record<string, JsonSchema> = { trapdoor: hex(), "publicKey?": hex(33) };
export const VERIFY_FIELDS: Record<string, JsonSchema> = { publicKey: hex(), msg: hex(), h: hex(), r: hex() };
export const COLLIDE_INPUT_FIELDS: Record<string, JsonSchema> = {
  publicKey: hex(),
  trapdoor: hex(),
  msg: hex(),
  h: hex(),
  r: hex(),
  newMsg: hex(),
};

const testFields = (op: Op): Record<string, JsonSchema> => {
  const scalar = hex(32);
  const fields: Record<Op, Record<string, JsonSchema>> = {
    keygen: KEYGEN_FIELDS,
    hash: {
      publicKey: hex(),
      msg: hex(),
      xi: scalar,
      k1: scalar,
      e2: scalar,
      s2: scalar,
      "h?": hex(66),
      "r?": hex(128),
    },
    verify: VERIFY_FIELDS,
    collide: {
      ...COLLIDE_INPUT_FIELDS,
      k2: scalar,
      e1: scalar,
      s1: scalar,
      "rNew?": hex(128),
    },
  };
  return { ...fields[op], ...ERROR_FIELDS };
};

/** [CH-14] The first flag of a failure is its DecodeError reason, or the error's own reason, or its tag. */
export const chameleonErrorCode = (error: string, reason: string | undefined): string => reason ?? error;

const chameleon = opFamily({
  name: "chameleon",
  schemaFile: SCHEMA,
  description: "DSS20 chameleon hash vectors (spec/chameleon-hash.md): one file per operation, Wycheproof envelope.",
  algorithm: ALGORITHM,
  notes: NOTES,
  files: FILES,
  groupTypes: GROUP_TYPES,
  inputFields: INPUT_FIELDS,
  outputs: OUTPUTS,
  run: RUNNERS,
  testFields,
  errorCode: chameleonErrorCode,
  build: buildChameleonFiles,
});

export const chameleonFamily: VectorFamily = chameleon.family;
