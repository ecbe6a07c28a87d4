/**
 * Umbral proxy re-encryption vectors (spec/proxy-re-encryption.md; spec/vectors.md VEC-1..VEC-5), every
 * random value explicit (PRE-19). One file per operation: Enc (+ Dec1 of its output), Dec1, ReKeyGen, kfrag
 * verification, ReEnc, cfrag verification and Dec2, with tampered capsules (each field), kfrags, cfrags
 * (each proof field), ciphertexts (nonce, body, tag), wrong keys and non-canonical encodings. Failing cases
 * carry `error` (the `_tag`) and, where the error has one, `reason`; the first flag is the reason of a
 * DecodeError and the `_tag` otherwise (VEC-2). The checker recomputes every output and every error.
 * @module
 */
import { Result } from "effect";
import { CURVE_ORDER, Secp, type SecpPoint } from "../../src/codec/fields.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "../../src/crypto/bytes.js";
import { seededSource } from "../../src/crypto/random.js";
import { hashCapsulePoints, hashToPolynomialArg, hashToSharedSecret } from "../../src/crypto/umbral/hashing.js";
import * as U from "../../src/crypto/umbral/index.js";
import { expect, type VectorFamily, type VectorFile } from "../family.js";
import { arr, bool, hex, int, type JsonSchema, lit, obj, str } from "../json-schema.js";
import { type FileBuilder, failedOutcome, type OpOutcome, opFamily } from "../op-family.js";
import type { Note, TestDraft } from "../wycheproof.js";

const SCHEMA = "umbral_schema.json";
const FILES = {
  encrypt: "crypto/umbral_encrypt_test.json",
  decrypt: "crypto/umbral_decrypt_original_test.json",
  rekeygen: "crypto/umbral_rekeygen_test.json",
  kfragVerify: "crypto/umbral_kfrag_verify_test.json",
  reencrypt: "crypto/umbral_reencrypt_test.json",
  cfragVerify: "crypto/umbral_cfrag_verify_test.json",
  decryptReencrypted: "crypto/umbral_decrypt_reencrypted_test.json",
} as const;
type Op = keyof typeof FILES;
const GROUP_TYPES: Record<Op, string> = {
  encrypt: "UmbralEncrypt",
  decrypt: "UmbralDecryptOriginal",
  rekeygen: "UmbralReKeyGen",
  kfragVerify: "UmbralKeyFragVerify",
  reencrypt: "UmbralReEncrypt",
  cfragVerify: "UmbralCapsuleFragVerify",
  decryptReencrypted: "UmbralDecryptReencrypted",
};
const ALGORITHM = "Umbral PRE, secp256k1, umbral-pre 0.10.0 wire format";

const NOTES = {
  EdgeCoins: { bugType: "EDGE_CASE", description: "Random values at the ends of their ranges (1, n - 1)." },
  Threshold: {
    bugType: "FUNCTIONALITY",
    description: "t-of-N with t > 1: Lagrange interpolation over the share indices.",
  },
  UnsignedKeys: {
    bugType: "FUNCTIONALITY",
    description: "The proxy's kfrag signature leaves out pk_A and/or pk_B (PRE-11); it verifies without them.",
  },
  ReceiverSignatureNotChecked: {
    bugType: "DEFINED",
    description:
      "The signature for the receiver is not checked by kfrag verification; the delegatee checks it (PRE-14).",
  },
  ModifiedCapsule: { bugType: "AUTH_BYPASS", description: "One field of the capsule (E, V or s) changed." },
  DegenerateCapsule: {
    bugType: "CAN_OF_WORMS",
    description: "E + V = O with s·G = V + h·E: the key seed would be public (PRE-9); rust-umbral panics on it.",
  },
  ModifiedCiphertext: { bugType: "AUTH_BYPASS", description: "A byte of the nonce, body or tag changed." },
  ModifiedKeyFrag: { bugType: "AUTH_BYPASS", description: "One field of the kfrag changed." },
  ModifiedCapsuleFrag: { bugType: "AUTH_BYPASS", description: "One field of the cfrag (or of its proof) changed." },
  HighS: {
    bugType: "SIGNATURE_MALLEABILITY",
    description: "The signature (r, n - s) of a valid (r, s): rejected (PRE-6); umbral-pre 0.10.0 accepts it.",
  },
  WrongKey: { bugType: "AUTH_BYPASS", description: "A key of another party where a specific one is required." },
  OtherCapsule: { bugType: "AUTH_BYPASS", description: "A valid capsule of another encryption." },
  NonCanonicalMessagePack: {
    bugType: "MALLEABILITY",
    description: "A MessagePack form umbral-pre also reads (array16, bin16, wrong bin length, int for a bool).",
  },
  CapsuleInvalid: { bugType: "AUTH_BYPASS", description: "The capsule's proof s·G = V + h·E fails, or E + V = O." },
  KeyFragInvalid: { bugType: "AUTH_BYPASS", description: "Kfrag verification fails; `reason` names the check." },
  CapsuleFragInvalid: { bugType: "AUTH_BYPASS", description: "Cfrag verification fails; `reason` names the check." },
  NotEnoughFragments: { bugType: "FUNCTIONALITY", description: "Fewer cfrags than the threshold given to Dec2." },
  MismatchedFragments: { bugType: "FUNCTIONALITY", description: "Cfrags from different ReKeyGen runs." },
  RepeatedFragments: {
    bugType: "EDGE_CASE",
    description: "The same cfrag twice: the Lagrange coefficients are undefined.",
  },
  CapsuleOpenFailed: {
    bugType: "AUTH_BYPASS",
    description: "(s/d)·pk_A ≠ h·E' + V': another delegatee's key, or too few fragments for the ReKeyGen threshold.",
  },
  DecryptionFailed: { bugType: "AUTH_BYPASS", description: "The DEM rejects the ciphertext; `reason` says why." },
  ThresholdInvalid: { bugType: "EDGE_CASE", description: "t and N outside 1 ≤ t ≤ N ≤ 255." },
  PreBadCoins: { bugType: "EDGE_CASE", description: "An explicit random value out of its range, or degenerate." },
  ShortInput: { bugType: "BASIC", description: "An encoding shorter than its fixed size." },
  TrailingBytes: { bugType: "MALLEABILITY", description: "Bytes after a complete encoding (umbral-pre ignores them)." },
  BadType: { bugType: "MALLEABILITY", description: "A MessagePack marker or bin length other than the canonical one." },
  BadVersion: { bugType: "MODIFIED_PARAMETER", description: "A kfrag whose parameter point is not Umbral's U." },
  NonCanonicalBool: { bugType: "MALLEABILITY", description: "A boolean other than 0xc2 / 0xc3." },
  ScalarOutOfRange: { bugType: "MALLEABILITY", description: "A scalar >= n." },
  ScalarZero: { bugType: "EDGE_CASE", description: "A zero secret key or signature component." },
  PointNotCompressed: { bugType: "MALLEABILITY", description: "An uncompressed point (umbral-pre reads it)." },
  PointIdentity: { bugType: "EDGE_CASE", description: "The identity where a point is required." },
  PointNotOnCurve: { bugType: "CAN_OF_WORMS", description: "An x coordinate with no point on secp256k1." },
  PointNonCanonical: { bugType: "MALLEABILITY", description: "An x coordinate >= p." },
} as const satisfies Record<string, Note>;
type Flag = keyof typeof NOTES;

/** The inputs of a test: hex strings, integers, booleans, lists. */
type Inputs = Readonly<Record<string, unknown>>;

type Outcome = OpOutcome;

type Failure = { readonly _tag: string; readonly reason?: string };

const N = CURVE_ORDER;
const Fn = Secp.Fn;
const be32 = (value: bigint): string => value.toString(16).padStart(64, "0");
const hx = bytesToHex;
const str0 = (t: Inputs, field: string): string => String(t[field] ?? "");
const bytesOf = (t: Inputs, field: string): Uint8Array => hexToBytes(str0(t, field));
const scalarOf = (t: Inputs, field: string): bigint => BigInt(`0x${str0(t, field) || "0"}`);
const listOf = (t: Inputs, field: string): readonly string[] => (t[field] as readonly string[] | undefined) ?? [];

const failed = failedOutcome;

/** Runs a Result-returning computation and turns its failure into an outcome. */
const run = <A>(result: Result.Result<A, Failure>, ok: (a: A) => Readonly<Record<string, unknown>>): Outcome =>
  Result.isSuccess(result) ? { ok: ok(result.success) } : failed(result.failure);

const decodeAll = <A>(items: readonly string[], decode: (b: Uint8Array) => Result.Result<A, Failure>) =>
  Result.all(items.map((item) => decode(hexToBytes(item))));

// Runners: one per operation, used by the generator and by the checker.

const runEncrypt = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const secret = yield* U.decodeSecretKey(bytesOf(t, "delegatingSecret"));
      const pk = yield* U.decodePublicKey(bytesOf(t, "delegatingPublic"));
      const coins = { r: scalarOf(t, "r"), u: scalarOf(t, "u"), nonce: bytesOf(t, "nonce") };
      const encrypted = yield* U.encryptWithRandomness(pk, bytesOf(t, "plaintext"), coins);
      const opened = yield* U.decryptOriginal(secret, encrypted.capsule, encrypted.ciphertext);
      expect(hx(opened) === str0(t, "plaintext"), "Dec1 of the output does not give the plaintext");
      return encrypted;
    }),
    (e) => ({
      capsule: hx(U.encodeCapsule(e.capsule)),
      capsuleSimple: hx(U.encodeCapsuleSimple(e.capsule)),
      ciphertext: hx(e.ciphertext),
    }),
  );

const runDecrypt = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const secret = yield* U.decodeSecretKey(bytesOf(t, "delegatingSecret"));
      const capsule = yield* U.decodeCapsule(bytesOf(t, "capsule"));
      return yield* U.decryptOriginal(secret, capsule, bytesOf(t, "ciphertext"));
    }),
    (plaintext) => ({ plaintext: hx(plaintext) }),
  );

const kfragRequest = (t: Inputs) =>
  Result.gen(function* () {
    const delegating = yield* U.decodeSecretKey(bytesOf(t, "delegatingSecret"));
    const receiving = yield* U.decodePublicKey(bytesOf(t, "receivingPublic"));
    const signer = yield* U.decodeSecretKey(bytesOf(t, "signerSecret"));
    return {
      delegating,
      receiving,
      signer,
      threshold: Number(t.threshold),
      shares: Number(t.shares),
      signDelegatingKey: t.signDelegatingKey === true,
      signReceivingKey: t.signReceivingKey === true,
    };
  });

interface StoredFragmentCoins {
  readonly id: string;
  readonly receiverEntropy: string;
  readonly proxyEntropy: string;
}

const runReKeyGen = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const request = yield* kfragRequest(t);
      const fragments = ((t.fragments as readonly StoredFragmentCoins[] | undefined) ?? []).map((f) => ({
        id: hexToBytes(f.id),
        receiverEntropy: hexToBytes(f.receiverEntropy),
        proxyEntropy: hexToBytes(f.proxyEntropy),
      }));
      const coefficients = listOf(t, "coefficients").map((c) => BigInt(`0x${c}`));
      return yield* U.generateKFragsWithRandomness(request, {
        precursor: scalarOf(t, "precursor"),
        coefficients,
        fragments,
      });
    }),
    (kfrags) => ({ kfrags: kfrags.map(({ kfrag }) => hx(U.encodeKeyFrag(kfrag))) }),
  );

/** An optional public key: absent means "not provided". */
const optionalKey = (t: Inputs, field: string) =>
  t[field] === undefined ? Result.succeed(undefined) : U.decodePublicKey(bytesOf(t, field));

const runKFragVerify = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const kfrag = yield* U.decodeKeyFrag(bytesOf(t, "kfrag"));
      const verifying = yield* U.decodePublicKey(bytesOf(t, "verifyingPublic"));
      const delegating = yield* optionalKey(t, "delegatingPublic");
      const receiving = yield* optionalKey(t, "receivingPublic");
      return yield* U.verifyKeyFrag(kfrag, {
        verifying,
        ...(delegating === undefined ? {} : { delegating }),
        ...(receiving === undefined ? {} : { receiving }),
      });
    }),
    () => ({}),
  );

const cfragKeys = (t: Inputs) =>
  Result.gen(function* () {
    const verifying = yield* U.decodePublicKey(bytesOf(t, "verifyingPublic"));
    const delegating = yield* U.decodePublicKey(bytesOf(t, "delegatingPublic"));
    const receiving = yield* U.decodePublicKey(bytesOf(t, "receivingPublic"));
    return { verifying, delegating, receiving };
  });

const runReEncrypt = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const keys = yield* cfragKeys(t);
      const capsule = yield* U.decodeCapsule(bytesOf(t, "capsule"));
      const kfrag = yield* U.verifyKeyFrag(yield* U.decodeKeyFrag(bytesOf(t, "kfrag")), keys);
      const cfrag = yield* U.reencryptWithRandomness(capsule, kfrag, scalarOf(t, "tau"));
      yield* U.verifyCapsuleFrag(cfrag.cfrag, capsule, keys);
      return cfrag.cfrag;
    }),
    (cfrag) => ({ cfrag: hx(U.encodeCapsuleFrag(cfrag)), cfragSimple: hx(U.encodeCapsuleFragSimple(cfrag)) }),
  );

const runCFragVerify = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const keys = yield* cfragKeys(t);
      const capsule = yield* U.decodeCapsule(bytesOf(t, "capsule"));
      return yield* U.verifyCapsuleFrag(yield* U.decodeCapsuleFrag(bytesOf(t, "cfrag")), capsule, keys);
    }),
    () => ({}),
  );

const runDecryptReencrypted = (t: Inputs): Outcome =>
  run(
    Result.gen(function* () {
      const keys = yield* cfragKeys(t);
      const receivingSecret = yield* U.decodeSecretKey(bytesOf(t, "receivingSecret"));
      const capsule = yield* U.decodeCapsule(bytesOf(t, "capsule"));
      const cfrags = yield* decodeAll(listOf(t, "cfrags"), U.decodeCapsuleFrag);
      const verified = yield* Result.all(cfrags.map((cfrag) => U.verifyCapsuleFrag(cfrag, capsule, keys)));
      return yield* U.decryptReencrypted(
        receivingSecret,
        keys.delegating,
        capsule,
        verified,
        bytesOf(t, "ciphertext"),
        Number(t.threshold),
      );
    }),
    (plaintext) => ({ plaintext: hx(plaintext) }),
  );

type Runner = (t: Inputs) => Outcome;
const RUNNERS: Record<Op, Runner> = {
  encrypt: runEncrypt,
  decrypt: runDecrypt,
  rekeygen: runReKeyGen,
  kfragVerify: runKFragVerify,
  reencrypt: runReEncrypt,
  cfragVerify: runCFragVerify,
  decryptReencrypted: runDecryptReencrypted,
};
const OUTPUTS: Record<Op, readonly string[]> = {
  encrypt: ["capsule", "capsuleSimple", "ciphertext"],
  decrypt: ["plaintext"],
  rekeygen: ["kfrags"],
  kfragVerify: [],
  reencrypt: ["cfrag", "cfragSimple"],
  cfragVerify: [],
  decryptReencrypted: ["plaintext"],
};

const _same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A test from its inputs and what the implementation gives, checked against the intent (valid or not). */
const draft = (op: Op, comment: string, flags: readonly Flag[], inputs: Inputs, valid = true): TestDraft => {
  const result = RUNNERS[op](inputs);
  if ("error" in result) {
    const code = result.error === "DecodeError" ? result.reason : result.error;
    if (valid || flags[0] !== code)
      throw new Error(`umbral vector "${comment}": got ${result.error} ${result.reason ?? ""}`);
    const reason = result.reason === undefined ? {} : { reason: result.reason };
    return { comment, flags, ...inputs, error: result.error, ...reason, result: "invalid" };
  }
  if (!valid) throw new Error(`umbral vector "${comment}": expected a failure, got success`);
  return { comment, flags, ...inputs, ...result.ok, result: "valid" };
};

// The world: parties, records and shares, every value from the family seed.

const world = (seed: Uint8Array) => {
  const source = seededSource(seed);
  const scalar = (): bigint => {
    for (;;) {
      const value = BigInt(`0x${hx(source.bytes(32))}`);
      if (value !== 0n && value < N) return value;
    }
  };
  const party = () => {
    const secret = { scalar: scalar() };
    return {
      secret,
      public: U.publicKeyOf(secret),
      sk: be32(secret.scalar),
      pk: hx(U.encodePublicKey(U.publicKeyOf(secret))),
    };
  };
  const patient = party();
  const custodianSigner = party();
  const delegatee = party();
  const stranger = party();
  const fragmentCoins = (count: number) =>
    Array.from({ length: count }, () => ({
      id: hx(source.bytes(32)),
      receiverEntropy: hx(source.bytes(32)),
      proxyEntropy: hx(source.bytes(32)),
    }));
  const records = {
    short: utf8ToBytes("EMR 17: diagnosis, prescription"),
    empty: new Uint8Array(0),
    kb: source.bytes(1024),
  };
  return { source, scalar, party, patient, signer: custodianSigner, delegatee, stranger, fragmentCoins, records };
};
type World = ReturnType<typeof world>;

const encryptInputs = (
  w: World,
  plaintext: Uint8Array,
  r: bigint,
  u: bigint,
  nonce: Uint8Array,
  who = w.patient,
): Inputs => ({
  delegatingSecret: who.sk,
  delegatingPublic: who.pk,
  plaintext: hx(plaintext),
  r: be32(r),
  u: be32(u),
  nonce: hx(nonce),
});

/** A point other than the given one (P + G), encoded. */
const otherPoint = (point: SecpPoint): string => hx(point.add(Secp.BASE).toBytes(true));
/** hex with the byte at `index` xor-ed with 0x01. */
const flipByte = (hexValue: string, index: number): string => {
  const bytes = hexToBytes(hexValue);
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return hx(bytes);
};
/** hex with `replacement` written at byte `index`. */
const splice = (hexValue: string, index: number, replacement: string): string =>
  hexValue.slice(0, 2 * index) + replacement + hexValue.slice(2 * index + replacement.length);
/** The (r, n − s) twin of a 64-byte signature. */
const highS = (signature: string): string => signature.slice(0, 64) + be32(Fn.neg(BigInt(`0x${signature.slice(64)}`)));

const BAD_POINTS: readonly [string, Flag, string][] = [
  [`00${"00".repeat(32)}`, "PointIdentity", "the identity"],
  [`04${be32(Secp.BASE.x)}`, "PointNotCompressed", "prefix 0x04 in 33 bytes"],
  [`02${be32(5n)}`, "PointNotOnCurve", "x = 5 has no point"],
  [`03${be32(Secp.Fp.ORDER + 1n)}`, "PointNonCanonical", "x = p + 1"],
];

const encryptTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("encrypt", comment, flags, inputs, valid);
  const nonce = () => w.source.bytes(24);
  const base = (plaintext: Uint8Array) => encryptInputs(w, plaintext, w.scalar(), w.scalar(), nonce());
  return [
    t("short record", [], base(w.records.short)),
    t("empty record", [], base(w.records.empty)),
    t("1 KiB record", [], base(w.records.kb)),
    t("another delegator", [], encryptInputs(w, w.records.short, w.scalar(), w.scalar(), nonce(), w.delegatee)),
    t("r = 1, u = 1", ["EdgeCoins"], encryptInputs(w, w.records.short, 1n, 1n, nonce())),
    t("r = n - 1, u = n - 2", ["EdgeCoins"], encryptInputs(w, w.records.short, N - 1n, N - 2n, nonce())),
    t("r = 0", ["PreBadCoins"], encryptInputs(w, w.records.short, 0n, 5n, nonce()), false),
    t("u = n", ["PreBadCoins"], encryptInputs(w, w.records.short, 5n, N, nonce()), false),
    t(
      "r + u = n: (r + u)·pk is the identity",
      ["PreBadCoins"],
      encryptInputs(w, w.records.short, 5n, N - 5n, nonce()),
      false,
    ),
    t("nonce of 23 bytes", ["PreBadCoins"], encryptInputs(w, w.records.short, 5n, 6n, w.source.bytes(23)), false),
    ...BAD_POINTS.map(([bad, flag, what]) =>
      t(`delegating public key: ${what}`, [flag], { ...base(w.records.short), delegatingPublic: bad }, false),
    ),
    t(
      "delegating public key of 65 bytes",
      ["PointNotCompressed"],
      { ...base(w.records.short), delegatingPublic: hx(w.patient.public.point.toBytes(false)) },
      false,
    ),
  ];
};

/** Enc of a record for the patient, as a valid test's outputs. */
const encryptFor = (w: World, plaintext: Uint8Array, who = w.patient) => {
  const test = draft("encrypt", "", [], encryptInputs(w, plaintext, w.scalar(), w.scalar(), w.source.bytes(24), who));
  return { capsule: String(test.capsule), ciphertext: String(test.ciphertext), plaintext: hx(plaintext) };
};

const capsuleVariants = (capsule: string): readonly [string, Flag[], string][] => {
  const decoded = Result.getOrThrow(U.decodeCapsule(hexToBytes(capsule)));
  const e = capsule.slice(6, 72);
  const v = capsule.slice(76, 142);
  const s = capsule.slice(146);
  return [
    [`93c421${otherPoint(decoded.e)}c421${v}c420${s}`, ["CapsuleInvalid", "ModifiedCapsule"], "E replaced by E + G"],
    [`93c421${e}c421${otherPoint(decoded.v)}c420${s}`, ["CapsuleInvalid", "ModifiedCapsule"], "V replaced by V + G"],
    [`93c421${e}c421${v}c420${be32(Fn.add(decoded.s, 1n))}`, ["CapsuleInvalid", "ModifiedCapsule"], "s + 1"],
    [`93c421${e}c421${v}c420${be32(N)}`, ["ScalarOutOfRange"], "s = n"],
    [`${capsule}00`, ["TrailingBytes"], "a trailing byte"],
    [capsule.slice(0, 208), ["ShortInput"], "one byte short"],
    [`dc0003${capsule.slice(2)}`, ["BadType", "NonCanonicalMessagePack"], "array16 header"],
    [`93c50021${e}${capsule.slice(72)}`, ["BadType", "NonCanonicalMessagePack"], "E as bin16"],
    [
      `93c441${hx(decoded.e.toBytes(false))}${capsule.slice(72)}`,
      ["PointNotCompressed"],
      "E uncompressed inside the bin",
    ],
    [`93c40100c421${v}c420${s}`, ["PointIdentity"], "E is the identity (bin of one zero byte)"],
    [`93c421${BAD_POINTS[2]?.[0]}c421${v}c420${s}`, ["PointNotOnCurve"], "E not on the curve"],
  ];
};

/** A capsule with E + V = O that satisfies s·G = V + h·E. */
const degenerateCapsule = (r: bigint): string => {
  const e = Secp.BASE.multiply(r);
  const v = e.negate();
  return hx(U.encodeCapsule({ e, v, s: Fn.mul(Fn.sub(hashCapsulePoints(e, v), 1n), r) }));
};

const decryptTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("decrypt", comment, flags, inputs, valid);
  const enc = encryptFor(w, w.records.short);
  const other = encryptFor(w, w.records.short);
  const base = { delegatingSecret: w.patient.sk, capsule: enc.capsule, ciphertext: enc.ciphertext };
  const length = enc.ciphertext.length / 2;
  return [
    t("short record", [], base),
    t("empty record", [], { ...base, ...pick(encryptFor(w, w.records.empty), "capsule", "ciphertext") }),
    t("1 KiB record", [], { ...base, ...pick(encryptFor(w, w.records.kb), "capsule", "ciphertext") }),
    ...capsuleVariants(enc.capsule).map(([capsule, flags, what]) =>
      t(`capsule: ${what}`, flags, { ...base, capsule }, false),
    ),
    t(
      "capsule with E + V = O",
      ["CapsuleInvalid", "DegenerateCapsule"],
      { ...base, capsule: degenerateCapsule(w.scalar()) },
      false,
    ),
    t(
      "capsule of another encryption",
      ["DecryptionFailed", "OtherCapsule"],
      { ...base, capsule: other.capsule },
      false,
    ),
    t(
      "nonce changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...base, ciphertext: flipByte(enc.ciphertext, 3) },
      false,
    ),
    t(
      "body changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...base, ciphertext: flipByte(enc.ciphertext, 24) },
      false,
    ),
    t(
      "tag changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...base, ciphertext: flipByte(enc.ciphertext, length - 1) },
      false,
    ),
    t("ciphertext cut to 39 bytes", ["DecryptionFailed"], { ...base, ciphertext: enc.ciphertext.slice(0, 78) }, false),
    t("another secret key", ["DecryptionFailed", "WrongKey"], { ...base, delegatingSecret: w.delegatee.sk }, false),
    t("secret key 0", ["ScalarZero"], { ...base, delegatingSecret: be32(0n) }, false),
    t("secret key n", ["ScalarOutOfRange"], { ...base, delegatingSecret: be32(N) }, false),
  ];
};

const pick = (o: Record<string, string>, ...keys: string[]): Record<string, string> =>
  Object.fromEntries(keys.map((k) => [k, o[k] ?? ""]));

const rekeygenInputs = (w: World, threshold: number, shares: number, signA = true, signB = true): Inputs => ({
  delegatingSecret: w.patient.sk,
  receivingPublic: w.delegatee.pk,
  signerSecret: w.signer.sk,
  threshold,
  shares,
  signDelegatingKey: signA,
  signReceivingKey: signB,
  precursor: be32(w.scalar()),
  coefficients: Array.from({ length: Math.max(threshold - 1, 0) }, () => be32(w.scalar())),
  fragments: w.fragmentCoins(Math.max(shares, 0)),
});

/** t = 2 coefficients that make f(x_0) = 0: c1 = −f(0)/x_0. */
const zeroShareInputs = (w: World): Inputs => {
  const inputs = rekeygenInputs(w, 2, 2);
  const xA = scalarOf(inputs, "precursor");
  const precursor = Secp.BASE.multiply(xA);
  const receiving = w.delegatee.public.point;
  const dh = receiving.multiply(xA);
  const d = hashToSharedSecret(precursor, receiving, dh);
  const id = hexToBytes((inputs.fragments as StoredFragmentCoins[])[0]?.id ?? "");
  const x0 = hashToPolynomialArg(precursor, receiving, dh, id);
  const f0 = Fn.div(w.patient.secret.scalar, d);
  return { ...inputs, coefficients: [be32(Fn.neg(Fn.div(f0, x0)))] };
};

const rekeygenTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("rekeygen", comment, flags, inputs, valid);
  return [
    t("1-of-1, both keys signed", [], rekeygenInputs(w, 1, 1)),
    t("2-of-3", ["Threshold"], rekeygenInputs(w, 2, 3)),
    t("3-of-5", ["Threshold"], rekeygenInputs(w, 3, 5)),
    t("1-of-1, neither key signed for the proxy", ["UnsignedKeys"], rekeygenInputs(w, 1, 1, false, false)),
    t("1-of-2, only pk_A signed for the proxy", ["UnsignedKeys"], rekeygenInputs(w, 1, 2, true, false)),
    t("t = 0", ["ThresholdInvalid"], rekeygenInputs(w, 0, 1), false),
    t("t > N", ["ThresholdInvalid"], rekeygenInputs(w, 3, 2), false),
    t("N = 256", ["ThresholdInvalid"], { ...rekeygenInputs(w, 1, 1), shares: 256 }, false),
    t("x_A = 0", ["PreBadCoins"], { ...rekeygenInputs(w, 1, 1), precursor: be32(0n) }, false),
    t("a coefficient = n", ["PreBadCoins"], { ...rekeygenInputs(w, 2, 2), coefficients: [be32(N)] }, false),
    t("one coefficient for t = 3", ["PreBadCoins"], { ...rekeygenInputs(w, 3, 3), coefficients: [be32(5n)] }, false),
    t("coefficients that make a share zero", ["PreBadCoins"], zeroShareInputs(w), false),
    t(
      "kfrag id of 31 bytes",
      ["PreBadCoins"],
      {
        ...rekeygenInputs(w, 1, 1),
        fragments: [{ id: "ab".repeat(31), receiverEntropy: "00".repeat(32), proxyEntropy: "00".repeat(32) }],
      },
      false,
    ),
    t(
      "receiving public key uncompressed",
      ["PointNotCompressed"],
      { ...rekeygenInputs(w, 1, 1), receivingPublic: `04${be32(5n)}` },
      false,
    ),
    t("signer secret key 0", ["ScalarZero"], { ...rekeygenInputs(w, 1, 1), signerSecret: be32(0n) }, false),
  ];
};

/** Kfrags of a ReKeyGen test's output. */
const kfragsFor = (w: World, threshold: number, shares: number, signA = true, signB = true): string[] =>
  draft("rekeygen", "", [], rekeygenInputs(w, threshold, shares, signA, signB)).kfrags as string[];

const kfragVerifyTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("kfragVerify", comment, flags, inputs, valid);
  const [kfrag = ""] = kfragsFor(w, 1, 1);
  const [unsigned = ""] = kfragsFor(w, 1, 1, false, false);
  const decoded = Result.getOrThrow(U.decodeKeyFrag(hexToBytes(kfrag)));
  const keys = { verifyingPublic: w.signer.pk, delegatingPublic: w.patient.pk, receivingPublic: w.delegatee.pk };
  const base = { kfrag, ...keys };
  const invalid = "KeyFragInvalid";
  const modified = (comment: string, replaced: string) =>
    t(comment, [invalid, "ModifiedKeyFrag"], { ...base, kfrag: replaced }, false);
  const sigProxy = kfrag.slice(356, 484);
  const sigReceiver = kfrag.slice(488, 616);
  return [
    t("fresh kfrag, all keys given", [], base),
    t("a 2-of-3 kfrag", ["Threshold"], { ...base, kfrag: kfragsFor(w, 2, 3)[2] ?? "" }),
    t("no keys signed, none given", ["UnsignedKeys"], { kfrag: unsigned, verifyingPublic: w.signer.pk }),
    t("no keys signed, both given anyway", ["UnsignedKeys"], { ...base, kfrag: unsigned }),
    t("signature for the receiver changed: not checked here", ["ReceiverSignatureNotChecked"], {
      ...base,
      kfrag: splice(kfrag, 244, highS(sigReceiver)),
    }),
    modified("id changed", flipByte(kfrag, 39)),
    modified("key rk + 1", splice(kfrag, 73, be32(Fn.add(decoded.key, 1n)))),
    modified("precursor replaced", splice(kfrag, 107, otherPoint(decoded.precursor))),
    modified("commitment replaced", splice(kfrag, 143, otherPoint(decoded.commitment))),
    modified(
      "signature for the proxy: r + 1",
      splice(kfrag, 178, be32(Fn.add(BigInt(`0x${sigProxy.slice(0, 64)}`), 1n))),
    ),
    t(
      "signature for the proxy: high s",
      [invalid, "HighS"],
      { ...base, kfrag: splice(kfrag, 178, highS(sigProxy)) },
      false,
    ),
    modified("delegating-key flag cleared", splice(kfrag, 308, "c2")),
    modified("receiving-key flag cleared", splice(kfrag, 309, "c2")),
    t(
      "delegating key not given",
      [invalid],
      { kfrag, verifyingPublic: w.signer.pk, receivingPublic: w.delegatee.pk },
      false,
    ),
    t(
      "receiving key not given",
      [invalid],
      { kfrag, verifyingPublic: w.signer.pk, delegatingPublic: w.patient.pk },
      false,
    ),
    t("another signer", [invalid, "WrongKey"], { ...base, verifyingPublic: w.stranger.pk }, false),
    t("another receiving key", [invalid, "WrongKey"], { ...base, receivingPublic: w.stranger.pk }, false),
    t("another delegating key", [invalid, "WrongKey"], { ...base, delegatingPublic: w.stranger.pk }, false),
    t(
      "parameter U replaced by G",
      ["BadVersion"],
      { ...base, kfrag: splice(kfrag, 4, hx(Secp.BASE.toBytes(true))) },
      false,
    ),
    t(
      "flag 0x01 instead of 0xc3",
      ["NonCanonicalBool", "NonCanonicalMessagePack"],
      { ...base, kfrag: splice(kfrag, 308, "01") },
      false,
    ),
    t(
      "proof header fixarray(4)",
      ["BadType", "NonCanonicalMessagePack"],
      { ...base, kfrag: splice(kfrag, 140, "94") },
      false,
    ),
    t("key = n", ["ScalarOutOfRange"], { ...base, kfrag: splice(kfrag, 73, be32(N)) }, false),
    t("signature r = 0", ["ScalarZero"], { ...base, kfrag: splice(kfrag, 178, be32(0n)) }, false),
    t(
      "identity precursor (bin of one zero byte)",
      ["PointIdentity"],
      { ...base, kfrag: `${kfrag.slice(0, 210)}c40100${kfrag.slice(280)}` },
      false,
    ),
    t("a trailing byte", ["TrailingBytes"], { ...base, kfrag: `${kfrag}c0` }, false),
    t("one byte short", ["ShortInput"], { ...base, kfrag: kfrag.slice(0, -2) }, false),
  ];
};

const reencryptTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("reencrypt", comment, flags, inputs, valid);
  const enc = encryptFor(w, w.records.short);
  const kfrags = kfragsFor(w, 2, 3);
  const keys = { verifyingPublic: w.signer.pk, delegatingPublic: w.patient.pk, receivingPublic: w.delegatee.pk };
  const base = { capsule: enc.capsule, kfrag: kfragsFor(w, 1, 1)[0] ?? "", ...keys, tau: be32(w.scalar()) };
  const [modifiedS] = capsuleVariants(enc.capsule).filter(([, , what]) => what === "s + 1");
  return [
    t("1-of-1 kfrag", [], base),
    t("kfrag 1 of a 2-of-3", ["Threshold"], { ...base, kfrag: kfrags[1] ?? "", tau: be32(w.scalar()) }),
    t("unsigned-keys kfrag", ["UnsignedKeys"], { ...base, kfrag: kfragsFor(w, 1, 1, false, false)[0] ?? "" }),
    t("tau = 1", ["EdgeCoins"], { ...base, tau: be32(1n) }),
    t("tau = n - 1", ["EdgeCoins"], { ...base, tau: be32(N - 1n) }),
    t("tau = 0", ["PreBadCoins"], { ...base, tau: be32(0n) }, false),
    t("tau = n", ["PreBadCoins"], { ...base, tau: be32(N) }, false),
    t("capsule s + 1", ["CapsuleInvalid", "ModifiedCapsule"], { ...base, capsule: modifiedS?.[0] ?? "" }, false),
    t(
      "capsule with E + V = O",
      ["CapsuleInvalid", "DegenerateCapsule"],
      { ...base, capsule: degenerateCapsule(w.scalar()) },
      false,
    ),
    t(
      "kfrag for another delegatee",
      ["KeyFragInvalid", "WrongKey"],
      { ...base, receivingPublic: w.stranger.pk },
      false,
    ),
  ];
};

/** A cfrag of `capsule` from `kfrag` with a fresh τ. */
const cfragFor = (w: World, capsule: string, kfrag: string): string =>
  String(
    draft("reencrypt", "", [], {
      capsule,
      kfrag,
      verifyingPublic: w.signer.pk,
      delegatingPublic: w.patient.pk,
      receivingPublic: w.delegatee.pk,
      tau: be32(w.scalar()),
    }).cfrag,
  );

const cfragVerifyTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("cfragVerify", comment, flags, inputs, valid);
  const enc = encryptFor(w, w.records.short);
  const other = encryptFor(w, w.records.short);
  const cfrag = cfragFor(w, enc.capsule, kfragsFor(w, 1, 1)[0] ?? "");
  const d = Result.getOrThrow(U.decodeCapsuleFrag(hexToBytes(cfrag)));
  const keys = { verifyingPublic: w.signer.pk, delegatingPublic: w.patient.pk, receivingPublic: w.delegatee.pk };
  const base = { capsule: enc.capsule, cfrag, ...keys };
  const tampered = (comment: string, replaced: string) =>
    t(comment, ["CapsuleFragInvalid", "ModifiedCapsuleFrag"], { ...base, cfrag: replaced }, false);
  const signature = cfrag.slice(634);
  return [
    t("fresh cfrag", [], base),
    t("cfrag of an unsigned-keys kfrag", ["UnsignedKeys"], {
      ...base,
      cfrag: cfragFor(w, enc.capsule, kfragsFor(w, 1, 1, false, false)[0] ?? ""),
    }),
    t("cfrag of a 3-of-5 kfrag", ["Threshold"], {
      ...base,
      cfrag: cfragFor(w, enc.capsule, kfragsFor(w, 3, 5)[4] ?? ""),
    }),
    tampered("E1 replaced", splice(cfrag, 3, otherPoint(d.e1))),
    tampered("V1 replaced", splice(cfrag, 38, otherPoint(d.v1))),
    tampered("kfrag id changed", flipByte(cfrag, 73)),
    tampered("precursor replaced", splice(cfrag, 107, otherPoint(d.precursor))),
    tampered("proof E2 replaced", splice(cfrag, 143, otherPoint(d.proof.e2))),
    tampered("proof V2 replaced", splice(cfrag, 178, otherPoint(d.proof.v2))),
    tampered("proof U1 (kfrag commitment) replaced", splice(cfrag, 213, otherPoint(d.proof.commitment))),
    tampered("proof U2 (kfrag proof of knowledge) replaced", splice(cfrag, 248, otherPoint(d.proof.pok))),
    tampered("proof z + 1", splice(cfrag, 283, be32(Fn.add(d.proof.z, 1n)))),
    tampered(
      "proof signature: s - 1",
      splice(cfrag, 317, `${signature.slice(0, 64)}${be32(Fn.sub(BigInt(`0x${signature.slice(64)}`), 1n))}`),
    ),
    t(
      "proof signature: high s",
      ["CapsuleFragInvalid", "HighS"],
      { ...base, cfrag: splice(cfrag, 317, highS(signature)) },
      false,
    ),
    t("another signer", ["CapsuleFragInvalid", "WrongKey"], { ...base, verifyingPublic: w.stranger.pk }, false),
    t(
      "another delegating key",
      ["CapsuleFragInvalid", "WrongKey"],
      { ...base, delegatingPublic: w.stranger.pk },
      false,
    ),
    t("another receiving key", ["CapsuleFragInvalid", "WrongKey"], { ...base, receivingPublic: w.stranger.pk }, false),
    t(
      "checked against another capsule",
      ["CapsuleFragInvalid", "OtherCapsule"],
      { ...base, capsule: other.capsule },
      false,
    ),
    t(
      "capsule with E + V = O",
      ["CapsuleInvalid", "DegenerateCapsule"],
      { ...base, capsule: degenerateCapsule(w.scalar()) },
      false,
    ),
    t(
      "proof header fixarray(5)",
      ["BadType", "NonCanonicalMessagePack"],
      { ...base, cfrag: splice(cfrag, 140, "95") },
      false,
    ),
    t(
      "z as a bin of 33 bytes",
      ["BadType", "NonCanonicalMessagePack"],
      { ...base, cfrag: splice(cfrag, 282, "21") },
      false,
    ),
    t("E2 uncompressed prefix", ["PointNotCompressed"], { ...base, cfrag: splice(cfrag, 143, "04") }, false),
    t("z = n", ["ScalarOutOfRange"], { ...base, cfrag: splice(cfrag, 283, be32(N)) }, false),
    t("a trailing byte", ["TrailingBytes"], { ...base, cfrag: `${cfrag}00` }, false),
    t("one byte short", ["ShortInput"], { ...base, cfrag: cfrag.slice(0, -2) }, false),
  ];
};

const decryptReencryptedTests = (w: World): TestDraft[] => {
  const t = (comment: string, flags: Flag[], inputs: Inputs, valid = true) =>
    draft("decryptReencrypted", comment, flags, inputs, valid);
  const enc = encryptFor(w, w.records.kb);
  const keys = { verifyingPublic: w.signer.pk, delegatingPublic: w.patient.pk, receivingPublic: w.delegatee.pk };
  const single = cfragFor(w, enc.capsule, kfragsFor(w, 1, 1)[0] ?? "");
  const two = kfragsFor(w, 2, 3).map((k) => cfragFor(w, enc.capsule, k));
  const three = kfragsFor(w, 3, 5).map((k) => cfragFor(w, enc.capsule, k));
  const twoOther = kfragsFor(w, 2, 3).map((k) => cfragFor(w, enc.capsule, k));
  const base = { receivingSecret: w.delegatee.sk, ...keys, capsule: enc.capsule, ciphertext: enc.ciphertext };
  const length = enc.ciphertext.length / 2;
  const dec = (cfrags: readonly (string | undefined)[], threshold: number) => ({
    ...base,
    cfrags: cfrags.map(String),
    threshold,
  });
  return [
    t("1-of-1", [], dec([single], 1)),
    t("2-of-3, cfrags 0 and 1", ["Threshold"], dec([two[0], two[1]], 2)),
    t("2-of-3, cfrags 2 and 0", ["Threshold"], dec([two[2], two[0]], 2)),
    t("2-of-3, all three", ["Threshold"], dec(two, 2)),
    t("3-of-5, cfrags 4, 1, 3", ["Threshold"], dec([three[4], three[1], three[3]], 3)),
    t(
      "another delegatee's secret key",
      ["CapsuleOpenFailed", "WrongKey"],
      { ...dec([single], 1), receivingSecret: w.stranger.sk },
      false,
    ),
    t("2-of-3 with one cfrag, threshold 2", ["NotEnoughFragments"], dec([two[0]], 2), false),
    t("no cfrags", ["NotEnoughFragments"], dec([], 1), false),
    t("2-of-3 with one cfrag, threshold given as 1", ["CapsuleOpenFailed"], dec([two[1]], 1), false),
    t("the same cfrag twice", ["RepeatedFragments"], dec([two[0], two[0]], 2), false),
    t("cfrags of two ReKeyGen runs", ["MismatchedFragments"], dec([two[0], twoOther[1]], 2), false),
    t("threshold 0", ["ThresholdInvalid"], dec([single], 0), false),
    t(
      "nonce changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...dec([single], 1), ciphertext: flipByte(enc.ciphertext, 0) },
      false,
    ),
    t(
      "body changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...dec([single], 1), ciphertext: flipByte(enc.ciphertext, 500) },
      false,
    ),
    t(
      "tag changed",
      ["DecryptionFailed", "ModifiedCiphertext"],
      { ...dec([single], 1), ciphertext: flipByte(enc.ciphertext, length - 16) },
      false,
    ),
    t(
      "a cfrag with its proof changed",
      ["CapsuleFragInvalid", "ModifiedCapsuleFrag"],
      dec([flipByte(single, 290)], 1),
      false,
    ),
    t("a cfrag that does not decode", ["ShortInput"], dec([single.slice(0, 100)], 1), false),
  ];
};

const HEADER = [
  "Umbral proxy re-encryption on secp256k1 (spec/proxy-re-encryption.md), byte-compatible with @nucypher/umbral-pre 0.10.0.",
  "Capsules, kfrags and cfrags are in umbral-pre's MessagePack form (PRE-16); keys 32/33 bytes; scalars as 32-byte big-endian hex.",
  "Invalid tests carry `error` (the _tag) and, where the error has one, `reason`; the first flag is the DecodeError reason or the _tag.",
];

const buildUmbralFiles = (seed: Uint8Array, fileOf: FileBuilder<Op>): VectorFile[] => {
  const file = (op: Op, header: string, tests: readonly TestDraft[]) => fileOf(op, [header, ...HEADER], tests);
  const w = world(seed);
  return [
    file(
      "encrypt",
      "Enc with explicit r, u, nonce (PRE-7, PRE-8); valid outputs decrypt with Dec1 under delegatingSecret.",
      encryptTests(w),
    ),
    file("decrypt", "Dec1 by the delegator (PRE-9, PRE-10), with tampered capsules and ciphertexts.", decryptTests(w)),
    file(
      "rekeygen",
      "ReKeyGen with explicit x_A, coefficients, ids and ECDSA entropies (PRE-11, PRE-19).",
      rekeygenTests(w),
    ),
    file(
      "kfragVerify",
      "Kfrag verification (PRE-12); an absent delegatingPublic/receivingPublic means not provided.",
      kfragVerifyTests(w),
    ),
    file(
      "reencrypt",
      "ReEnc with explicit tau (PRE-13): the kfrag is verified first, the output cfrag must verify.",
      reencryptTests(w),
    ),
    file("cfragVerify", "Cfrag verification (PRE-14), each proof field tampered.", cfragVerifyTests(w)),
    file(
      "decryptReencrypted",
      "Dec2 (PRE-15): each cfrag is decoded and verified with the public keys, then opened with receivingSecret.",
      decryptReencryptedTests(w),
    ),
  ];
};

const INPUT_FIELDS: Record<Op, readonly string[]> = {
  encrypt: ["delegatingSecret", "delegatingPublic", "plaintext", "r", "u", "nonce"],
  decrypt: ["delegatingSecret", "capsule", "ciphertext"],
  rekeygen: [
    "delegatingSecret",
    "receivingPublic",
    "signerSecret",
    "threshold",
    "shares",
    "signDelegatingKey",
    "signReceivingKey",
    "precursor",
    "coefficients",
    "fragments",
  ],
  kfragVerify: ["kfrag", "verifyingPublic", "delegatingPublic", "receivingPublic"],
  reencrypt: ["capsule", "kfrag", "verifyingPublic", "delegatingPublic", "receivingPublic", "tau"],
  cfragVerify: ["capsule", "cfrag", "verifyingPublic", "delegatingPublic", "receivingPublic"],
  decryptReencrypted: [
    "receivingSecret",
    "verifyingPublic",
    "delegatingPublic",
    "receivingPublic",
    "capsule",
    "cfrags",
    "ciphertext",
    "threshold",
  ],
};

const ERRORS = [
  "DecodeError",
  "CapsuleInvalid",
  "KeyFragInvalid",
  "CapsuleFragInvalid",
  "NotEnoughFragments",
  "MismatchedFragments",
  "RepeatedFragments",
  "CapsuleOpenFailed",
  "DecryptionFailed",
  "ThresholdInvalid",
  "PreBadCoins",
] as const;

const testFields = (op: Op): Record<string, JsonSchema> => {
  const scalar = hex(32);
  const key = hex();
  const fields: Record<Op, Record<string, JsonSchema>> = {
    encrypt: {
      delegatingSecret: scalar,
      delegatingPublic: key,
      plaintext: hex(),
      r: scalar,
      u: scalar,
      nonce: hex(),
      "capsule?": hex(105),
      "capsuleSimple?": hex(98),
      "ciphertext?": hex(),
    },
    decrypt: { delegatingSecret: scalar, capsule: hex(), ciphertext: hex(), "plaintext?": hex() },
    rekeygen: {
      delegatingSecret: scalar,
      receivingPublic: key,
      signerSecret: scalar,
      threshold: int(0),
      shares: int(0),
      signDelegatingKey: bool(),
      signReceivingKey: bool(),
      precursor: scalar,
      coefficients: arr(scalar),
      fragments: arr(obj({ id: hex(), receiverEntropy: hex(), proxyEntropy: hex() })),
      "kfrags?": arr(hex(310), 1),
    },
    kfragVerify: { kfrag: hex(), verifyingPublic: key, "delegatingPublic?": key, "receivingPublic?": key },
    reencrypt: {
      capsule: hex(),
      kfrag: hex(),
      verifyingPublic: key,
      delegatingPublic: key,
      receivingPublic: key,
      tau: scalar,
      "cfrag?": hex(381),
      "cfragSimple?": hex(359),
    },
    cfragVerify: { capsule: hex(), cfrag: hex(), verifyingPublic: key, delegatingPublic: key, receivingPublic: key },
    decryptReencrypted: {
      receivingSecret: scalar,
      verifyingPublic: key,
      delegatingPublic: key,
      receivingPublic: key,
      capsule: hex(),
      cfrags: arr(hex()),
      ciphertext: hex(),
      threshold: int(0),
      "plaintext?": hex(),
    },
  };
  return { ...fields[op], "error?": lit(...ERRORS), "reason?": str() };
};

const umbral = opFamily({
  name: "umbral",
  schemaFile: SCHEMA,
  description:
    "Umbral proxy re-encryption vectors (spec/proxy-re-encryption.md): one file per operation, Wycheproof envelope.",
  algorithm: ALGORITHM,
  notes: NOTES,
  files: FILES,
  groupTypes: GROUP_TYPES,
  inputFields: INPUT_FIELDS,
  outputs: OUTPUTS,
  run: RUNNERS,
  testFields,
  // The first flag of a failure is its DecodeError reason, or the error's tag (PRE error reasons are details).
  errorCode: (error, reason) => (error === "DecodeError" ? reason : error),
  build: buildUmbralFiles,
});

export const umbralFamily: VectorFamily = umbral.family;
export const checkUmbralFile = umbral.check;
