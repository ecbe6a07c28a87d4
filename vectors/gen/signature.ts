/**
 * [SIG-9] Domain-tagged Ed25519 vectors (spec/signatures.md, SIG-3, SIG-4, SIG-7; spec/vectors.md
 * VEC-1..VEC-5): honest signatures under each signature tag, and the invalid ones a careless verifier
 * accepts (wrong or missing tag, modified message, flipped bits, S >= L, non-canonical R, small-order and
 * non-canonical keys), plus the signatures that only a cofactored verifier accepts (torsion in R or A),
 * which pin the strict RFC 8032 rule down. `check` runs every case on both `Crypto` implementations.
 * The edge-case constructions are exported for the properties.
 * @module
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { Result } from "effect";
import { readEd25519Key } from "../../src/codec/fields.js";
import { decodeWith } from "../../src/codec/reader.js";
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "../../src/crypto/bytes.js";
import { TAGS, type Tag } from "../../src/crypto/hash.js";
import { seededSource } from "../../src/crypto/random.js";
import { type CryptoShape, nobleCrypto, signTagged, taggedMessage, verifyTagged } from "../../src/crypto/signature.js";
import { nodeCrypto } from "../../src/node.js";
import { type CheckReport, expect, runCases, type VectorFamily } from "../family.js";
import { hex, lit, str } from "../json-schema.js";
import { buildWycheproof, forEachTest, type Note, type TestDraft, wycheproofSchema } from "../wycheproof.js";

const FILE = "crypto/ed25519_tagged_test.json";
const SCHEMA = "ed25519_tagged_test_schema.json";
const IMPLEMENTATIONS: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];

// ------------------------------------------------------------------------------------------------
// Edge-case constructions over edwards25519 (RFC 8032 §5.1): they need the signing scalar, so they
// build R and S by hand instead of calling sign().

const Point = ed25519.Point;
type EdPoint = InstanceType<typeof Point>;
/** The order L of the base point. */
export const ED25519_L: bigint = Point.Fn.ORDER;
const FIELD_PRIME = 2n ** 255n - 19n;

/** The 8 points of the small-order subgroup, as multiples of one point of order 8 (the torsion of y = 3's point). */
export const TORSION: readonly EdPoint[] = (() => {
  // L·Q kills Q's prime-order part; noble multiplies by scalars below L only, so L·Q = (L - 1)·Q + Q.
  const q = Point.fromBytes(numberToBytesLE(3n, 32));
  const generator = q.multiplyUnsafe(ED25519_L - 1n).add(q);
  return Array.from({ length: 8 }, (_, k) => generator.multiplyUnsafe(BigInt(k)));
})();

/** Encodings of small-order points that strict RFC 8032 decoding rejects: y >= p, and x = 0 with the sign bit. */
export const NON_CANONICAL_SMALL_ORDER: readonly Uint8Array[] = [
  numberToBytesLE(FIELD_PRIME, 32), // y = p ≡ 0: a point of order 4
  numberToBytesLE(FIELD_PRIME + 1n, 32), // y = p + 1 ≡ 1: the identity
  numberToBytesLE(1n + 2n ** 255n, 32), // y = 1 with the sign bit: the identity, "negative zero"
  numberToBytesLE(FIELD_PRIME - 1n + 2n ** 255n, 32), // y = -1 with the sign bit: order 2, "negative zero"
];

const challenge = (r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint =>
  bytesToNumberLE(sha512(concatBytes(r, a, message))) % ED25519_L;

const signature = (r: Uint8Array, s: bigint): Uint8Array => concatBytes(r, numberToBytesLE(s, 32));

export interface EdgeKey {
  /** The signing scalar a (public key A = aB, possibly plus a small-order point). */
  readonly scalar: bigint;
  readonly publicKey: Uint8Array;
}

/** The key of a 32-byte seed, as RFC 8032 §5.1.5 derives it. */
export const edgeKey = (seed: Uint8Array): EdgeKey => {
  const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(seed);
  return { scalar, publicKey: pointBytes };
};

/** A key A' = aB + T with a non-trivial small-order component: cofactored verification accepts its signatures. */
export const mixedOrderKey = (key: EdgeKey, torsion: number): EdgeKey => ({
  scalar: key.scalar,
  publicKey: Point.BASE.multiply(key.scalar)
    .add(TORSION[torsion] as EdPoint)
    .toBytes(),
});

/**
 * A signature whose R = rB + T carries the small-order point T (T = identity gives an ordinary signature
 * with nonce r): [8]S B = [8]R + [8]k A holds, R = S B - k A does not unless T is the identity.
 */
export const signWithTorsion = (key: EdgeKey, message: Uint8Array, nonce: bigint, torsion: number): Uint8Array => {
  const r = Point.BASE.multiply(nonce)
    .add(TORSION[torsion] as EdPoint)
    .toBytes();
  return signature(r, (nonce + challenge(r, key.publicKey, message) * key.scalar) % ED25519_L);
};

/** R is exactly a small-order point (possibly non-canonically encoded) and S = k·a. */
export const signWithSmallOrderR = (key: EdgeKey, message: Uint8Array, r: Uint8Array): Uint8Array =>
  signature(r, (challenge(r, key.publicKey, message) * key.scalar) % ED25519_L);

/** For a small-order key A, R = sB and S = s satisfy R = S B - k A up to a small-order point, for any message. */
export const forgeForSmallOrderKey = (s: bigint): Uint8Array => signature(Point.BASE.multiply(s).toBytes(), s);

/** The same signature with S + j·L in place of S (if it still fits 256 bits). */
export const addToS = (sig: Uint8Array, multiple: bigint): Uint8Array =>
  signature(sig.subarray(0, 32), bytesToNumberLE(sig.subarray(32)) + multiple * ED25519_L);

export const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
};

// ------------------------------------------------------------------------------------------------

const NOTES: Record<string, Note> = {
  CofactoredOnly: {
    bugType: "EDGE_CASE",
    description:
      "R or A carries a small-order component: the cofactored equation of RFC 8032 §5.1.7 holds and the cofactorless one fails. SPChain's rule (SIG-3) accepts; a cofactorless verifier (OpenSSL) rejects and must not be used alone.",
  },
  SmallOrderR: {
    bugType: "EDGE_CASE",
    description:
      "R is a small-order point with S = k·a: valid under the cofactored equation, which strict RFC 8032 verification uses.",
  },
  MixedOrderPublicKey: {
    bugType: "EDGE_CASE",
    description:
      "The key is aB + T with T of small order; it is not of small order itself, so strict verification accepts its cofactored-valid signatures.",
  },
  WrongTag: {
    bugType: "AUTH_BYPASS",
    description: "The signature was made under another domain tag: a vote must never verify as a transaction.",
  },
  UntaggedSignature: {
    bugType: "AUTH_BYPASS",
    description: "The signature is over the bare message, without the u32be(|tag|) ‖ tag prefix.",
  },
  TagBoundary: {
    bugType: "AUTH_BYPASS",
    description:
      "The signature is for the tag SPCHAIN-V1-TX and the message '-SIG' ‖ m; without the length prefix it would pass for SPCHAIN-V1-TX-SIG and m.",
  },
  ModifiedMessage: { bugType: "AUTH_BYPASS", description: "The message differs from the signed one." },
  WrongKey: { bugType: "AUTH_BYPASS", description: "The signature was made with another key." },
  FlippedBit: { bugType: "AUTH_BYPASS", description: "One bit of the signature is flipped." },
  SignatureMalleability: {
    bugType: "SIGNATURE_MALLEABILITY",
    description: "S is replaced by S + L (>= L): RFC 8032 §5.1.7 requires 0 <= S < L.",
  },
  NonCanonicalR: {
    bugType: "SIGNATURE_MALLEABILITY",
    description:
      "R is a non-canonical encoding (y >= p, or x = 0 with the sign bit) of a small-order point, with S chosen so that lenient decoding verifies.",
  },
  SignatureLength: { bugType: "BASIC", description: "The signature is not 64 bytes." },
  SmallOrderPublicKey: {
    bugType: "SIGNATURE_MALLEABILITY",
    description:
      "The public key has small order: R = sB, S = s verifies for every message under the cofactored equation with lenient key checks. Strict verification rejects the key.",
  },
  NonCanonicalPublicKey: {
    bugType: "SIGNATURE_MALLEABILITY",
    description:
      "The public key is a non-canonical encoding of a small-order point (y >= p, or x = 0 with the sign bit).",
  },
  PublicKeyNotOnCurve: { bugType: "BASIC", description: "The public key's y has no x on the curve." },
  PublicKeyLength: { bugType: "BASIC", description: "The public key is not 32 bytes." },
};

type Flag = keyof typeof NOTES;

interface Case {
  readonly tag: Tag;
  readonly msg: Uint8Array;
  readonly sig: Uint8Array;
  readonly flags: readonly Flag[];
  readonly comment: string;
}

const draft = (c: Case, result: "valid" | "invalid"): TestDraft => ({
  comment: c.comment,
  flags: [...c.flags],
  tag: c.tag,
  msg: bytesToHex(c.msg),
  sig: bytesToHex(c.sig),
  result,
});

/** The strict verdict decides `result`; a construction that does not give the verdict its flags claim is a generator bug. */
const verdict = (publicKey: Uint8Array, c: Case, claimed: "valid" | "invalid"): TestDraft => {
  const valid = verifyTagged(nobleCrypto, c.tag, publicKey, c.msg, c.sig);
  if (valid !== (claimed === "valid")) throw new Error(`signature vectors: "${c.comment}" is not ${claimed}`);
  return draft(c, claimed);
};

const SIGNATURE_TAGS: readonly Tag[] = [TAGS.TX_SIG, TAGS.MICROBLOCK_SIG, TAGS.VOTE];

const honestGroup = (seed: Uint8Array, other: Uint8Array, random: (n: number) => Uint8Array) => {
  const key = edgeKey(seed);
  const pk = key.publicKey;
  const sign = (tag: Tag, msg: Uint8Array) => signTagged(nobleCrypto, tag, seed, msg);
  const messages = [new Uint8Array(0), random(1), random(100), random(1000)];
  const valid: TestDraft[] = SIGNATURE_TAGS.flatMap((tag) =>
    messages.map((msg) =>
      verdict(pk, { tag, msg, sig: sign(tag, msg), flags: [], comment: `${tag}, ${msg.length}-byte message` }, "valid"),
    ),
  );
  const msg = random(40);
  const tx = sign(TAGS.TX_SIG, msg);
  const vote = sign(TAGS.VOTE, msg);
  const nonce = bytesToNumberLE(random(32)) % ED25519_L;
  const invalid: [Case, "valid" | "invalid"][] = [
    [
      { tag: TAGS.VOTE, msg, sig: tx, flags: ["WrongTag"], comment: "a transaction signature checked as a vote" },
      "invalid",
    ],
    [
      { tag: TAGS.TX_SIG, msg, sig: vote, flags: ["WrongTag"], comment: "a vote signature checked as a transaction" },
      "invalid",
    ],
    [
      {
        tag: TAGS.MICROBLOCK_SIG,
        msg,
        sig: tx,
        flags: ["WrongTag"],
        comment: "a transaction signature checked as a microblock",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: nobleCrypto.sign(seed, msg),
        flags: ["UntaggedSignature"],
        comment: "signature over the bare message",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: sign(TAGS.TX, concatBytes(utf8ToBytes("-SIG"), msg)),
        flags: ["TagBoundary"],
        comment: "signed as (SPCHAIN-V1-TX, '-SIG' ‖ m)",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg: flipBit(msg, 3),
        sig: tx,
        flags: ["ModifiedMessage"],
        comment: "one message bit flipped",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg: concatBytes(msg, new Uint8Array(1)),
        sig: tx,
        flags: ["ModifiedMessage"],
        comment: "a zero byte appended",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg: msg.subarray(0, -1),
        sig: tx,
        flags: ["ModifiedMessage"],
        comment: "the last byte removed",
      },
      "invalid",
    ],
    ...[0, 100, 255, 256, 400, 511].map((bit): [Case, "invalid"] => [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: flipBit(tx, bit),
        flags: ["FlippedBit"],
        comment: `bit ${bit} of the signature flipped`,
      },
      "invalid",
    ]),
    [{ tag: TAGS.TX_SIG, msg, sig: addToS(tx, 1n), flags: ["SignatureMalleability"], comment: "S + L" }, "invalid"],
    ...NON_CANONICAL_SMALL_ORDER.map((r, i): [Case, "invalid"] => {
      const signed = taggedMessage(TAGS.TX_SIG, msg);
      const sig = signWithSmallOrderR(key, signed, r);
      return [
        {
          tag: TAGS.TX_SIG,
          msg,
          sig,
          flags: ["NonCanonicalR"],
          comment: `R = non-canonical small-order encoding ${i}`,
        },
        "invalid",
      ];
    }),
    [{ tag: TAGS.TX_SIG, msg, sig: tx.subarray(0, 63), flags: ["SignatureLength"], comment: "63 bytes" }, "invalid"],
    [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: concatBytes(tx, new Uint8Array(1)),
        flags: ["SignatureLength"],
        comment: "65 bytes",
      },
      "invalid",
    ],
    [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: signTagged(nobleCrypto, TAGS.TX_SIG, other, msg),
        flags: ["WrongKey"],
        comment: "signed with another key",
      },
      "invalid",
    ],
    ...[1, 2, 4, 7].map((t): [Case, "valid"] => [
      {
        tag: TAGS.TX_SIG,
        msg,
        sig: signWithTorsion(key, taggedMessage(TAGS.TX_SIG, msg), nonce, t),
        flags: ["CofactoredOnly"],
        comment: `R = rB + ${t}·T8 (T8 of order 8)`,
      },
      "valid",
    ]),
    ...[1, 4].map((t): [Case, "valid"] => [
      {
        tag: TAGS.VOTE,
        msg,
        sig: signWithSmallOrderR(key, taggedMessage(TAGS.VOTE, msg), (TORSION[t] as EdPoint).toBytes()),
        flags: ["SmallOrderR"],
        comment: `R = a small-order point (${t}·T8), S = k·a`,
      },
      "valid",
    ]),
  ];
  return {
    type: "Ed25519TaggedVerify",
    publicKey: bytesToHex(pk),
    secretKey: bytesToHex(seed),
    tests: [...valid, ...invalid.map(([c, claimed]) => verdict(pk, c, claimed))],
  };
};

/** Groups whose key is not an honest one: each test's verdict is computed, and the key's decode error stated. */
const keyGroup = (publicKey: Uint8Array, cases: readonly [Case, "valid" | "invalid"][]) => {
  const decoded = decodeWith(publicKey, (r) => readEd25519Key(r, "public key"));
  return {
    type: "Ed25519TaggedVerify",
    publicKey: bytesToHex(publicKey),
    ...(Result.isFailure(decoded) ? { keyError: decoded.failure.reason } : {}),
    tests: cases.map(([c, claimed]) => verdict(publicKey, c, claimed)),
  };
};

const forgeries = (flag: Flag, what: string, random: (n: number) => Uint8Array): [Case, "invalid"][] =>
  [TAGS.TX_SIG, TAGS.VOTE].map((tag) => [
    {
      tag,
      msg: random(32),
      sig: forgeForSmallOrderKey(bytesToNumberLE(random(32)) % ED25519_L),
      flags: [flag],
      comment: `R = sB, S = s under ${what}`,
    },
    "invalid",
  ]);

export interface SignatureTest {
  readonly tcId: number;
  readonly flags: readonly string[];
  readonly tag: string;
  readonly msg: string;
  readonly sig: string;
  readonly result: string;
}
export interface SignatureGroup {
  readonly publicKey: string;
  readonly secretKey?: string;
  readonly keyError?: string;
  readonly tests: readonly SignatureTest[];
}
export interface SignatureFile {
  readonly testGroups: readonly SignatureGroup[];
}

export const buildSignatureFile = (seed: Uint8Array): SignatureFile => {
  const random = seededSource(seed).bytes;
  const seedA = random(32);
  const seedB = random(32);
  const mixed = mixedOrderKey(edgeKey(random(32)), 1);
  const mixedMessage = random(48);
  const mixedSig = signWithTorsion(
    mixed,
    taggedMessage(TAGS.TX_SIG, mixedMessage),
    bytesToNumberLE(random(32)) % ED25519_L,
    0,
  );
  const smallOrderKeys = [TORSION[0], TORSION[1], TORSION[4]].map((p) => (p as EdPoint).toBytes());
  return buildWycheproof({
    algorithm: "EDDSA Ed25519 (RFC 8032, strict, cofactored) over SPChain domain-tagged messages",
    schema: SCHEMA,
    header: [
      "Ed25519 verification of spec/signatures.md: the signed bytes are u32be(|tag|) || tag || msg (tag in UTF-8).",
      "SIG-3: A and R decode strictly (y < p, no x = 0 with the sign bit), S < L, A not of small order, and the",
      "cofactored equation [8][S]B = [8]R + [8][k]A holds. valid: verifies; invalid: does not (never an exception).",
      "secretKey, where given, reproduces every unflagged valid signature (RFC 8032 signing is deterministic).",
      "keyError, where given, is the DecodeError reason of decoding publicKey as an on-chain key (ENC-8).",
    ],
    notes: NOTES,
    testGroups: [
      honestGroup(seedA, seedB, random),
      keyGroup(edgeKey(seedB).publicKey, [
        [
          {
            tag: TAGS.TX_SIG,
            msg: random(10),
            sig: new Uint8Array(0),
            flags: ["SignatureLength"],
            comment: "empty signature",
          },
          "invalid",
        ],
      ]),
      keyGroup(mixed.publicKey, [
        [
          {
            tag: TAGS.TX_SIG,
            msg: mixedMessage,
            sig: mixedSig,
            flags: ["MixedOrderPublicKey"],
            comment: "A = aB + T, R = rB",
          },
          "valid",
        ],
        [
          {
            tag: TAGS.TX_SIG,
            msg: mixedMessage,
            sig: flipBit(mixedSig, 300),
            flags: ["FlippedBit"],
            comment: "bit 300 flipped",
          },
          "invalid",
        ],
      ]),
      ...smallOrderKeys.map((key, i) =>
        keyGroup(key, forgeries("SmallOrderPublicKey", `small-order key ${i}`, random)),
      ),
      ...NON_CANONICAL_SMALL_ORDER.map((key, i) =>
        keyGroup(key, forgeries("NonCanonicalPublicKey", `non-canonical key ${i}`, random)),
      ),
      keyGroup(numberToBytesLE(2n, 32), forgeries("PublicKeyNotOnCurve", "y = 2", random)),
      keyGroup(edgeKey(seedA).publicKey.subarray(0, 31), [
        [
          { tag: TAGS.TX_SIG, msg: random(8), sig: random(64), flags: ["PublicKeyLength"], comment: "31-byte key" },
          "invalid",
        ],
      ]),
    ],
  }) as unknown as SignatureFile;
};

const isTag = (tag: string): tag is Tag => (Object.values(TAGS) as string[]).includes(tag);

const checkTest = (group: SignatureGroup, t: SignatureTest): void => {
  expect(isTag(t.tag), `unknown tag ${t.tag}`);
  if (!isTag(t.tag)) return;
  const publicKey = hexToBytes(group.publicKey);
  const msg = hexToBytes(t.msg);
  const sig = hexToBytes(t.sig);
  for (const crypto of IMPLEMENTATIONS) {
    const valid = verifyTagged(crypto, t.tag, publicKey, msg, sig);
    expect(valid === (t.result === "valid"), `${crypto.implementation}: verify gave ${valid}`);
    if (group.secretKey !== undefined && t.result === "valid" && t.flags.length === 0) {
      const again = bytesToHex(signTagged(crypto, t.tag, hexToBytes(group.secretKey), msg));
      expect(again === t.sig, `${crypto.implementation}: signing again gave ${again}`);
    }
  }
};

const checkKey = (group: SignatureGroup): void => {
  const decoded = decodeWith(hexToBytes(group.publicKey), (r) => readEd25519Key(r, "public key"));
  const reason = Result.isFailure(decoded) ? decoded.failure.reason : undefined;
  expect(
    reason === group.keyError,
    `key decodes with ${reason ?? "no error"}, expected ${group.keyError ?? "no error"}`,
  );
  if (group.secretKey !== undefined) {
    for (const crypto of IMPLEMENTATIONS) {
      expect(
        bytesToHex(crypto.publicKey(hexToBytes(group.secretKey))) === group.publicKey,
        `${crypto.implementation}: public key`,
      );
    }
  }
};

export const checkSignatureFile = (file: SignatureFile): CheckReport => {
  const cases: { group: SignatureGroup; test: SignatureTest }[] = [];
  forEachTest(file, (t, group) => cases.push({ group, test: t }));
  const keys = runCases(file.testGroups, (g) => `group ${g.publicKey}`, checkKey);
  const tests = runCases(
    cases,
    ({ test: t }) => `tcId ${t.tcId}`,
    ({ group, test: t }) => checkTest(group, t),
  );
  return { cases: keys.cases + tests.cases, failures: [...keys.failures, ...tests.failures] };
};

export const signatureFamily: VectorFamily = {
  name: "signature",
  owns: (path) => path === FILE,
  schemaFile: SCHEMA,
  schema: wycheproofSchema(
    "Ed25519TaggedVerify",
    {
      publicKey: hex(),
      "secretKey?": hex(32),
      "keyError?": lit("Ed25519KeyNonCanonical", "Ed25519KeySmallOrder", "PointNotOnCurve", "ShortInput"),
    },
    { tag: str(), msg: hex(), sig: hex() },
  ),
  expectsFiles: true,
  generate: (seed) => {
    const file = buildSignatureFile(seed);
    const report = checkSignatureFile(file);
    if (report.failures.length > 0)
      throw new Error(`signature vectors fail their own check: ${report.failures.join("; ")}`);
    return [{ path: FILE, json: file }];
  },
  check: (_path, json) => checkSignatureFile(json as SignatureFile),
};
