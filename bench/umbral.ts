/**
 * Benchmark suite "umbral" (spec/proxy-re-encryption.md, [PRE-20], [PRE-22]): per operation, our median
 * time beside @nucypher/umbral-pre 0.10.0 (the WASM build of rust-umbral, loaded as a comparison only)
 * in the same run, with the ratio ours / theirs; the primitives that explain the ratio; and the paper's
 * sharing case (SPChain §6.2: 50 EMRs of 32 KB shared from Ã to D̃, "21 seconds to generate the
 * re-encryption key and 5 seconds to re-encrypt"), timed as one ReKeyGen + 50 ReEnc (each from the
 * capsule's stored bytes, so its validity check is paid) + 50 cfrag verifications + 50 Dec2, against the
 * paper's 26 s, for ours and umbral-pre in the same run; and src/ehealth's design (spec/sharing.md,
 * [SHARE-5]): the 50 EMRs sealed in one key epoch whose data key one capsule wraps, so a share is one
 * ReKeyGen, one ReEnc, one cfrag verification and Dec2 of the key, and 50 AEAD openings checked against
 * their pointers, timed through src/'s own functions.
 * @module
 */
import { createRequire } from "node:module";
import type * as UmbralPre from "@nucypher/umbral-pre";
import { Effect, Result } from "effect";
import { Secp } from "../src/codec/fields.js";
import { Randomness } from "../src/crypto/random.js";
import * as U from "../src/crypto/umbral/index.js";
import { delegate, EMR_BYTES, shareEpoch } from "../src/ehealth/custodian.js";
import { decodeEpochHeader, type EpochHeader, firstEpoch, unwrapShared } from "../src/ehealth/key-epoch.js";
import { openRecord, sealRecord } from "../src/ehealth/sealed-record.js";
import { type BenchSuite, type Measurement, measure, median } from "./harness.js";

const up = createRequire(import.meta.url)("@nucypher/umbral-pre") as typeof UmbralPre;

const SHARED_EMRS = 50;
/** SPChain §6.2: ReKeyGen 21 s + ReEnc of 50 EMRs 5 s. */
const PAPER_SHARE_MS = 21_000 + 5_000;
const SHARING_RUNS = 5;

const run = <A, E>(effect: Effect.Effect<A, E, Randomness>): A =>
  Result.getOrThrow(Effect.runSync(Effect.provide(Effect.result(effect), Randomness.secure)));

const ok = <A, E>(result: Result.Result<A, E>): A => Result.getOrThrow(result);

interface Pair {
  readonly name: string;
  readonly ours: Measurement;
  readonly theirs?: Measurement;
}

/** Our side: keys, one 32 KB record, its kfrag and cfrag. */
const oursFixture = () => {
  const a = run(U.generateSecretKey);
  const b = run(U.generateSecretKey);
  const s = run(U.generateSecretKey);
  const [pkA, pkB, pkS] = [a, b, s].map(U.publicKeyOf) as [U.PublicKey, U.PublicKey, U.PublicKey];
  const record = new Uint8Array(EMR_BYTES).fill(0x5a);
  const { capsule, ciphertext } = run(U.encrypt(pkA, record));
  const request = { delegating: a, receiving: pkB, signer: s };
  const [kfrag] = run(U.generateKFrags(request)) as [U.VerifiedKeyFrag];
  const cfrag = run(U.reencrypt(capsule, kfrag));
  const cfragBytes = U.encodeCapsuleFrag(cfrag.cfrag);
  const keys = { verifying: pkS, delegating: pkA, receiving: pkB };
  return { a, b, pkA, pkB, record, capsule, ciphertext, request, kfrag, cfrag, cfragBytes, keys };
};

/** Their side, the same shapes. */
const theirsFixture = (record: Uint8Array) => {
  const a = up.SecretKey.random();
  const b = up.SecretKey.random();
  const signer = new up.Signer(up.SecretKey.random());
  const [capsule, ciphertext] = up.encrypt(a.publicKey(), record);
  const [kfrag] = up.generateKFrags(a, b.publicKey(), signer, 1, 1, true, true) as [UmbralPre.VerifiedKeyFrag];
  const cfrag = up.reencrypt(capsule, kfrag);
  return { a, b, signer, capsule, ciphertext, kfrag, cfrag, cfragBytes: cfrag.toBytes() };
};

const operations = (): Pair[] => {
  const o = oursFixture();
  const t = theirsFixture(o.record);
  const preparedA = U.preparePublicKey(o.pkA);
  const theirVerify = () =>
    up.CapsuleFrag.fromBytes(t.cfragBytes).verify(t.capsule, t.signer.verifyingKey(), t.a.publicKey(), t.b.publicKey());
  const ourVerify = () => ok(U.verifyCapsuleFrag(ok(U.decodeCapsuleFrag(o.cfragBytes)), o.capsule, o.keys));
  const message = new Uint8Array(100);
  const signature = U.signWithEntropy(o.a, message, new Uint8Array(32));
  const theirSignature = t.signer.sign(message);
  const k = Secp.Fn.create(0x1234567890abcdef1234567890abcdefn ** 2n);
  const point = Secp.BASE.multiply(k);
  return [
    {
      name: "Enc (32 KB)",
      ours: measure("ours", () => run(U.encrypt(o.pkA, o.record))),
      theirs: measure("theirs", () => up.encrypt(t.a.publicKey(), o.record)),
    },
    { name: "Enc (32 KB), prepared pk_A", ours: measure("ours", () => run(U.encrypt(preparedA, o.record))) },
    {
      name: "Dec1 (32 KB)",
      ours: measure("ours", () => ok(U.decryptOriginal(o.a, o.capsule, o.ciphertext))),
      theirs: measure("theirs", () => up.decryptOriginal(t.a, t.capsule, t.ciphertext)),
    },
    {
      name: "ReKeyGen 1-of-1",
      ours: measure("ours", () => run(U.generateKFrags(o.request))),
      theirs: measure("theirs", () => up.generateKFrags(t.a, t.b.publicKey(), t.signer, 1, 1, true, true)),
    },
    {
      name: "ReEnc",
      ours: measure("ours", () => run(U.reencrypt(o.capsule, o.kfrag))),
      theirs: measure("theirs", () => up.reencrypt(t.capsule, t.kfrag)),
    },
    { name: "cfrag verify (from bytes)", ours: measure("ours", ourVerify), theirs: measure("theirs", theirVerify) },
    {
      name: "Dec2 1-of-1 (32 KB)",
      ours: measure("ours", () => ok(U.decryptReencrypted(o.b, o.pkA, o.capsule, [o.cfrag], o.ciphertext))),
      theirs: measure("theirs", () => up.decryptReencrypted(t.b, t.a.publicKey(), t.capsule, [t.cfrag], t.ciphertext)),
    },
    {
      name: "Dec2 1-of-1 (32 KB), prepared pk_A",
      ours: measure("ours", () => ok(U.decryptReencrypted(o.b, preparedA, o.capsule, [o.cfrag], o.ciphertext))),
    },
    {
      name: "primitive: k·G (public key of a secret key)",
      ours: measure("ours", () => Secp.BASE.multiply(k)),
      theirs: measure("theirs", () => t.a.publicKey()),
    },
    {
      name: "primitive: ECDSA sign (hedged RFC 6979)",
      ours: measure("ours", () => U.signWithEntropy(o.a, message, new Uint8Array(32))),
      theirs: measure("theirs", () => t.signer.sign(message)),
    },
    {
      name: "primitive: ECDSA verify",
      ours: measure("ours", () => U.verifySignature(o.pkA, message, signature)),
      theirs: measure("theirs", () => theirSignature.verify(t.signer.verifyingKey(), message)),
    },
    { name: "primitive: k·P, secret k, fresh P (noble multiply)", ours: measure("ours", () => point.multiply(k)) },
    { name: "primitive: k·P, public k (noble multiplyUnsafe)", ours: measure("ours", () => point.multiplyUnsafe(k)) },
    {
      name: "primitive: a·P − b·Q, public (noble mulAddUnsafe)",
      ours: measure("ours", () => point.mulAddUnsafe(k, Secp.BASE, k)),
    },
    {
      name: "prepare a public key (6-bit table, once per key)",
      ours: measure("ours", () => U.preparePublicKey(o.pkA), { runs: 3 }),
    },
  ];
};

interface Sharing {
  readonly rekeygen_ms: number;
  readonly reencrypt_ms: number;
  readonly verify_ms: number;
  readonly decrypt_ms: number;
  readonly total_ms: number;
}

/** Per-phase medians, and the best (least contended) run's totals, as crypto-notes.md §6 reports "best of". */
const summarize = (runs: Sharing[]) => ({
  rekeygen_ms: median(runs.map((r) => r.rekeygen_ms)),
  reencrypt_ms: median(runs.map((r) => r.reencrypt_ms)),
  verify_ms: median(runs.map((r) => r.verify_ms)),
  decrypt_ms: median(runs.map((r) => r.decrypt_ms)),
  total_ms: median(runs.map((r) => r.total_ms)),
  best_total_ms: Math.min(...runs.map((r) => r.total_ms)),
  best_share_ms: Math.min(...runs.map((r) => r.rekeygen_ms + r.reencrypt_ms)),
  runs,
});
type Summary = ReturnType<typeof summarize>;

/** Times the four phases of one share of `records` (encrypted beforehand, at upload time). */
const timePhases = (phases: readonly (() => void)[]): Sharing => {
  const ms: number[] = [];
  for (const phase of phases) {
    const start = performance.now();
    phase();
    ms.push(performance.now() - start);
  }
  const [rekeygen_ms = 0, reencrypt_ms = 0, verify_ms = 0, decrypt_ms = 0] = ms;
  return {
    rekeygen_ms,
    reencrypt_ms,
    verify_ms,
    decrypt_ms,
    total_ms: rekeygen_ms + reencrypt_ms + verify_ms + decrypt_ms,
  };
};

const sharingKeys = () => {
  const [a, b, s] = [run(U.generateSecretKey), run(U.generateSecretKey), run(U.generateSecretKey)];
  const [pkA, pkB, pkS] = [a, b, s].map(U.publicKeyOf) as [U.PublicKey, U.PublicKey, U.PublicKey];
  return { a, b, s, pkA, pkB, keys: { verifying: pkS, delegating: pkA, receiving: pkB } };
};

const sharedRecords = (): Uint8Array[] =>
  Array.from({ length: SHARED_EMRS }, (_, i) => new Uint8Array(EMR_BYTES).fill(i));

const decoded = (bytes: Uint8Array): U.Capsule => ok(U.decodeCapsule(bytes));

/** One capsule per EMR (src/ehealth's design): the custodian re-encrypts 50 capsules read from storage. */
const oursSharing = (prepare: boolean): Sharing => {
  const { a, b, s, pkA, pkB, keys } = sharingKeys();
  const stored = sharedRecords().map((record) => {
    const { capsule, ciphertext } = run(U.encrypt(pkA, record));
    return { capsuleBytes: U.encodeCapsule(capsule), ciphertext };
  });
  let kfrag: U.VerifiedKeyFrag | undefined;
  let capsules: U.Capsule[] = [];
  let cfragBytes: Uint8Array[] = [];
  let verified: U.VerifiedCapsuleFrag[] = [];
  return timePhases([
    () => {
      [kfrag] = run(U.generateKFrags({ delegating: a, receiving: pkB, signer: s }));
    },
    () => {
      capsules = stored.map(({ capsuleBytes }) => decoded(capsuleBytes));
      cfragBytes = capsules.map((capsule) =>
        U.encodeCapsuleFrag(run(U.reencrypt(capsule, kfrag as U.VerifiedKeyFrag)).cfrag),
      );
    },
    () => {
      verified = cfragBytes.map((bytes, i) =>
        ok(U.verifyCapsuleFrag(ok(U.decodeCapsuleFrag(bytes)), capsules[i] as U.Capsule, keys)),
      );
    },
    () => {
      const delegating = prepare ? U.preparePublicKey(pkA) : pkA;
      for (const [i, { ciphertext }] of stored.entries()) {
        const cfrag = verified[i] as U.VerifiedCapsuleFrag;
        const plaintext = ok(U.decryptReencrypted(b, delegating, capsules[i] as U.Capsule, [cfrag], ciphertext));
        if (plaintext[0] !== i) throw new Error(`EMR ${i} did not decrypt to itself`);
      }
    },
  ]);
};

/**
 * [SHARE-5] src/ehealth's design: the custodian sealed the 50 EMRs in one key epoch at upload time. A share is
 * the patient's ReKeyGen (delegate), the custodian's one ReEnc of the epoch's capsule from the stored header
 * bytes (shareEpoch), D̃'s cfrag verification and Dec2 of the data key from the cfrag's bytes (unwrapShared),
 * and 50 AEAD openings, each record checked against its pointer first (openRecord).
 */
const oursSharingEpoch = (): Sharing => {
  const { a, b, s, pkA, pkB, keys } = sharingKeys();
  const epoch = run(firstEpoch(pkA));
  const sealed = sharedRecords().map((emr) => run(sealRecord(epoch, emr)));
  let kfrag: U.VerifiedKeyFrag | undefined;
  let header: EpochHeader | undefined;
  let cfragBytes: Uint8Array = new Uint8Array();
  let dataKey: Uint8Array = new Uint8Array();
  return timePhases([
    () => {
      [kfrag] = run(delegate(a, s, pkB));
    },
    () => {
      header = ok(decodeEpochHeader(epoch.headerBytes));
      cfragBytes = U.encodeCapsuleFrag(run(shareEpoch(header, sealed, kfrag as U.VerifiedKeyFrag)).cfrag);
    },
    () => {
      dataKey = ok(unwrapShared(b, keys, header as EpochHeader, ok(U.decodeCapsuleFrag(cfragBytes))));
    },
    () => {
      for (const [i, { stored, pointer }] of sealed.entries()) {
        const plaintext = ok(openRecord(dataKey, stored, pointer));
        if (plaintext[0] !== i) throw new Error(`EMR ${i} did not decrypt to itself`);
      }
    },
  ]);
};

const theirsSharing = (): Sharing => {
  const [a, b] = [up.SecretKey.random(), up.SecretKey.random()];
  const signer = new up.Signer(up.SecretKey.random());
  const stored = sharedRecords().map((record) => {
    const [capsule, ciphertext] = up.encrypt(a.publicKey(), record);
    return { capsuleBytes: capsule.toBytes(), ciphertext };
  });
  let kfrag: UmbralPre.VerifiedKeyFrag | undefined;
  let capsules: UmbralPre.Capsule[] = [];
  let cfragBytes: Uint8Array[] = [];
  let verified: UmbralPre.VerifiedCapsuleFrag[] = [];
  return timePhases([
    () => {
      [kfrag] = up.generateKFrags(a, b.publicKey(), signer, 1, 1, true, true);
    },
    () => {
      capsules = stored.map(({ capsuleBytes }) => up.Capsule.fromBytes(capsuleBytes));
      cfragBytes = capsules.map((capsule) => up.reencrypt(capsule, kfrag as UmbralPre.VerifiedKeyFrag).toBytes());
    },
    () => {
      verified = cfragBytes.map((bytes, i) =>
        up.CapsuleFrag.fromBytes(bytes).verify(
          capsules[i] as UmbralPre.Capsule,
          signer.verifyingKey(),
          a.publicKey(),
          b.publicKey(),
        ),
      );
    },
    () => {
      for (const [i, { ciphertext }] of stored.entries()) {
        const cfrag = verified[i] as UmbralPre.VerifiedCapsuleFrag;
        const plaintext = up.decryptReencrypted(
          b,
          a.publicKey(),
          capsules[i] as UmbralPre.Capsule,
          [cfrag],
          ciphertext,
        );
        if (plaintext[0] !== i) throw new Error(`EMR ${i} did not decrypt to itself`);
      }
    },
  ]);
};

const f = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2));
const us = (m: Measurement | undefined): string => (m === undefined ? "—" : (m.median_us / 1000).toFixed(3));

export const umbralSuite: BenchSuite = {
  name: "umbral",
  run: async () => {
    const pairs = operations();
    const repeat = (share: () => Sharing) => summarize(Array.from({ length: SHARING_RUNS }, share));
    const sharing = {
      ours: repeat(() => oursSharing(false)),
      oursPrepared: repeat(() => oursSharing(true)),
      oursEpoch: repeat(oursSharingEpoch),
      theirs: repeat(theirsSharing),
    };
    const row = (name: string, s: Summary) =>
      `| ${name} | ${f(s.rekeygen_ms)} | ${f(s.reencrypt_ms)} | ${f(s.verify_ms)} | ${f(s.decrypt_ms)} | ${f(s.total_ms)} | ${f(s.best_total_ms)} | ${(PAPER_SHARE_MS / s.best_share_ms).toFixed(0)}x | ${(PAPER_SHARE_MS / s.best_total_ms).toFixed(0)}x |`;
    const markdown = [
      "### Umbral PRE (secp256k1): ours (noble, TypeScript) vs @nucypher/umbral-pre 0.10.0 (WASM), same run",
      "",
      "| operation | ours, ms | umbral-pre, ms | ours / theirs |",
      "|---|---:|---:|---:|",
      ...pairs.map(
        (p) =>
          `| ${p.name} | ${us(p.ours)} | ${us(p.theirs)} | ${p.theirs === undefined ? "—" : `${(p.ours.median_us / p.theirs.median_us).toFixed(1)}x`} |`,
      ),
      "",
      `### Sharing case: ${SHARED_EMRS} EMRs of 32 KB from Ã to D̃ (${SHARING_RUNS} runs), vs the paper's 21 s + 5 s`,
      "",
      "| implementation | ReKeyGen, ms | ReEnc, ms | cfrag verify, ms | decrypt, ms | total, ms | best total, ms | paper / best (ReKeyGen + ReEnc) | paper / best total |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      row(
        "ours, src/ehealth's key epoch (SHARE-5): 1 ReEnc, 1 verify + Dec2 of the data key, 50 pointer checks + AEAD",
        sharing.oursEpoch,
      ),
      row("ours, one capsule per EMR (the paper's design, Umbral calls): 50 ReEnc, 50 verify, 50 Dec2", sharing.ours),
      row("ours, the same, pk_A prepared at D̃", sharing.oursPrepared),
      row("umbral-pre 0.10.0, one capsule per EMR", sharing.theirs),
      "",
      "Phases and total: medians over the runs; best: the least contended run. ReEnc starts from the stored",
      "capsule bytes (decoding and the capsule check are timed). The paper measured ReKeyGen and ReEnc only",
      "(its 26 s); `paper / best total` also counts the cfrag verifications and the decryptions. In the key-epoch",
      "row, the verify column is src/'s unwrapShared (the cfrag verification and the Dec2 of the 32-byte data key)",
      "and the decrypt column is 50 openRecord calls (content address, then the AEAD of a 32 KB EMR).",
      "",
    ].join("\n");
    return { markdown, json: { operations: pairs, sharing, paper_share_ms: PAPER_SHARE_MS } };
  },
};
