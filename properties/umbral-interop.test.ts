/**
 * Interoperability with @nucypher/umbral-pre 0.10.0 (spec/proxy-re-encryption.md, PRE-20), the GPL WASM
 * build of rust-umbral, loaded here as a test oracle only. Three kinds of check:
 * - known answers: fed the same random bytes (through `globalThis.crypto.getRandomValues`, which its
 *   getrandom backend calls), both sides produce byte-identical keys, capsules, ciphertexts, kfrags and
 *   cfrags;
 * - ours → theirs and theirs → ours: every object written by one side is read, verified and used by the
 *   other, for 1-of-1, 2-of-3 and 3-of-5, and fragments from both sides combine;
 * - the forms umbral-pre reads but this implementation rejects (PRE-17) are pinned, so a change of the
 *   oracle shows up here.
 */
import { createRequire } from "node:module";
import type * as UmbralPre from "@nucypher/umbral-pre";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Secp } from "../src/codec/fields.js";
import { bytesEqual, bytesToHex, concatBytes, hexToBytes } from "../src/crypto/bytes.js";
import { seededSource } from "../src/crypto/random.js";
import { hashCapsulePoints } from "../src/crypto/umbral/hashing.js";
import * as U from "../src/crypto/umbral/index.js";
import { failsOn, holds } from "./check.js";
import { messageArb, ok, party, seedArb, seeded } from "./umbral-fixtures.js";

const up = createRequire(import.meta.url)("@nucypher/umbral-pre") as typeof UmbralPre;

type GetRandomValues = <T extends ArrayBufferView | null>(array: T) => T;
const webCrypto = globalThis.crypto as unknown as { getRandomValues: GetRandomValues };

/** Runs `f` with umbral-pre's RNG reading the seeded stream of HASH-4 (the same bytes `seeded` gives ours). */
const withStream = <T>(seed: Uint8Array, f: () => T): T => {
  const source = seededSource(seed);
  const original = webCrypto.getRandomValues;
  webCrypto.getRandomValues = ((array: Uint8Array) => {
    array.set(source.bytes(array.length));
    return array;
  }) as GetRandomValues;
  try {
    return f();
  } finally {
    webCrypto.getRandomValues = original;
  }
};

const label = (seed: Uint8Array, name: string): Uint8Array => concatBytes(seed, new TextEncoder().encode(name));
const same = (a: Uint8Array, b: Uint8Array): boolean => bytesToHex(a) === bytesToHex(b);

const shapes = fc.constantFrom([1, 1] as const, [2, 3] as const, [3, 5] as const);

/** Their key pair and ours from the same draw. */
const keyPair = (seed: Uint8Array) => {
  const theirs = withStream(seed, () => up.SecretKey.random());
  const ours = seeded(seed, U.generateSecretKey);
  return { theirs, ours, oursPublic: U.publicKeyOf(ours) };
};

type KFragGenerator = (request: U.KFragRequest, seed: Uint8Array) => U.VerifiedKeyFrag[];
const oursKFrags: KFragGenerator = (request, seed) => seeded(seed, U.generateKFrags(request));

/** A ReKeyGen that signs the proxy's message before the receiver's: the entropy goes to the wrong signature. */
const swappedSignatures: KFragGenerator = (request, seed) => {
  const source = seededSource(seed);
  const scalar = (): bigint => {
    for (;;) {
      const value = BigInt(`0x${bytesToHex(source.bytes(32))}`);
      if (value !== 0n && value < Secp.Fn.ORDER) return value;
    }
  };
  const precursor = scalar();
  const coefficients = Array.from({ length: (request.threshold ?? 1) - 1 }, scalar);
  const fragments = Array.from({ length: request.shares ?? 1 }, () => {
    const id = source.bytes(32);
    const receiverEntropy = source.bytes(32);
    return { id, proxyEntropy: receiverEntropy, receiverEntropy: source.bytes(32) };
  });
  return ok(U.generateKFragsWithRandomness(request, { precursor, coefficients, fragments }));
};

const knownAnswers = (generate: KFragGenerator) =>
  fc.property(seedArb, shapes, fc.boolean(), fc.boolean(), messageArb, (seed, [t, n], signA, signB, message) => {
    const a = keyPair(label(seed, "A"));
    const b = keyPair(label(seed, "B"));
    const s = keyPair(label(seed, "S"));
    if (!same(a.theirs.toBEBytes(), U.encodeSecretKey(a.ours))) return false;
    if (!same(a.theirs.publicKey().toCompressedBytes(), U.encodePublicKey(a.oursPublic))) return false;
    const [capsule, ciphertext] = withStream(label(seed, "enc"), () => up.encrypt(a.theirs.publicKey(), message));
    const encrypted = seeded(label(seed, "enc"), U.encrypt(a.oursPublic, message));
    if (!same(capsule.toBytes(), U.encodeCapsule(encrypted.capsule))) return false;
    if (!same(capsule.toBytesSimple(), U.encodeCapsuleSimple(encrypted.capsule))) return false;
    if (!same(ciphertext, encrypted.ciphertext)) return false;
    const signer = new up.Signer(s.theirs);
    const theirKFrags = withStream(label(seed, "kfrags"), () =>
      up.generateKFrags(a.theirs, b.theirs.publicKey(), signer, t, n, signA, signB),
    );
    const request = {
      delegating: a.ours,
      receiving: b.oursPublic,
      signer: s.ours,
      threshold: t,
      shares: n,
      signDelegatingKey: signA,
      signReceivingKey: signB,
    };
    const ourKFrags = generate(request, label(seed, "kfrags"));
    if (!theirKFrags.every((k, i) => same(k.toBytes(), U.encodeKeyFrag((ourKFrags[i] as U.VerifiedKeyFrag).kfrag))))
      return false;
    return theirKFrags.every((k, i) => {
      const cfragSeed = label(seed, `cfrag${i}`);
      const theirs = withStream(cfragSeed, () => up.reencrypt(capsule, k));
      const ours = seeded(cfragSeed, U.reencrypt(encrypted.capsule, ourKFrags[i] as U.VerifiedKeyFrag));
      return (
        same(theirs.toBytes(), U.encodeCapsuleFrag(ours.cfrag)) &&
        same(theirs.toBytesSimple(), U.encodeCapsuleFragSimple(ours.cfrag))
      );
    });
  });

describe("Umbral known answers against umbral-pre 0.10.0", () => {
  it("[PRE-20] [PRE-19] [PRE-4] [PRE-5] [PRE-6] [PRE-7] [PRE-8] [PRE-11] [PRE-13] [PRE-16] same random bytes, byte-identical objects", () => {
    holds("[PRE-20] known answers", knownAnswers(oursKFrags), { numRuns: 8 });
  });

  it("[PRE-6] negative control: signing the two kfrag messages with each other's entropy is caught", () => {
    failsOn("[PRE-6] swapped signature entropy", knownAnswers(swappedSignatures), 3);
  });

  it("[PRE-3] U is umbral-pre's parameter point", () => {
    const [x, y] = new up.Parameters().u.coordinates() ?? [];
    expect(bytesToHex(x ?? new Uint8Array())).toBe(bytesToHex(U.umbralU().toBytes(false).subarray(1, 33)));
    expect(bytesToHex(y ?? new Uint8Array())).toBe(bytesToHex(U.umbralU().toBytes(false).subarray(33)));
  });
});

/** Our share, used by umbral-pre: decryptOriginal, KeyFrag.fromBytes + verify + reencrypt, CapsuleFrag.fromBytes + verify, Dec2. */
const oursToTheirs = (encodeKFrag: (k: U.KeyFrag) => Uint8Array) =>
  fc.property(seedArb, shapes, messageArb, (seed, [t, n], message) => {
    const [a, b, s] = ["A", "B", "S"].map((name) => party(seeded(label(seed, name), U.generateSecretKey).scalar)) as [
      ReturnType<typeof party>,
      ReturnType<typeof party>,
      ReturnType<typeof party>,
    ];
    const { capsule, ciphertext } = seeded(label(seed, "enc"), U.encrypt(a.public, message));
    const kfrags = seeded(
      label(seed, "kf"),
      U.generateKFrags({ delegating: a.secret, receiving: b.public, signer: s.secret, threshold: t, shares: n }),
    );
    const theirA = up.SecretKey.fromBEBytes(U.encodeSecretKey(a.secret));
    const theirB = up.SecretKey.fromBEBytes(U.encodeSecretKey(b.secret));
    const verifying = up.PublicKey.fromCompressedBytes(U.encodePublicKey(s.public));
    const theirCapsule = up.Capsule.fromBytes(U.encodeCapsule(capsule));
    if (!same(up.decryptOriginal(theirA, theirCapsule, ciphertext), message)) return false;
    const [pkA, pkB] = [theirA.publicKey(), theirB.publicKey()];
    const viaTheirProxy = kfrags.slice(0, t).map(({ kfrag }) => {
      const verified = up.KeyFrag.fromBytes(encodeKFrag(kfrag)).verify(verifying, pkA, pkB);
      return up.reencrypt(theirCapsule, verified);
    });
    const viaOurProxy = kfrags.slice(n - t).map((k, i) => {
      const cfrag = seeded(label(seed, `re${i}`), U.reencrypt(capsule, k));
      return up.CapsuleFrag.fromBytes(U.encodeCapsuleFrag(cfrag.cfrag)).verify(theirCapsule, verifying, pkA, pkB);
    });
    return (
      same(up.decryptReencrypted(theirB, pkA, theirCapsule, viaTheirProxy, ciphertext), message) &&
      same(up.decryptReencrypted(theirB, pkA, theirCapsule, viaOurProxy, ciphertext), message)
    );
  });

/** Their share, used by us: every object decoded, verified and used by this implementation. */
const theirsToOurs = (decodeCapsule: typeof U.decodeCapsule) =>
  fc.property(seedArb, shapes, messageArb, (seed, [t, n], message) =>
    withStream(seed, () => {
      const [a, b, s] = [up.SecretKey.random(), up.SecretKey.random(), up.SecretKey.random()];
      const [capsule, ciphertext] = up.encrypt(a.publicKey(), message);
      const kfrags = up.generateKFrags(a, b.publicKey(), new up.Signer(s), t, n, true, true);
      const cfrags = kfrags.map((k) => up.reencrypt(capsule, k));
      const ourA = ok(U.decodeSecretKey(a.toBEBytes()));
      const ourB = ok(U.decodeSecretKey(b.toBEBytes()));
      const keys = {
        verifying: ok(U.decodePublicKey(s.publicKey().toCompressedBytes())),
        delegating: ok(U.decodePublicKey(a.publicKey().toCompressedBytes())),
        receiving: ok(U.decodePublicKey(b.publicKey().toCompressedBytes())),
      };
      const ourCapsule = ok(decodeCapsule(capsule.toBytes()));
      if (!same(ok(U.decryptOriginal(ourA, ourCapsule, ciphertext)), message)) return false;
      if (!same(U.encodeCapsule(ok(U.decodeCapsuleSimple(capsule.toBytesSimple()))), capsule.toBytes())) return false;
      const theirCfrags = cfrags.slice(0, t).map((c) => {
        const decoded = ok(U.decodeCapsuleFrag(c.toBytes()));
        if (!same(U.encodeCapsuleFrag(ok(U.decodeCapsuleFragSimple(c.toBytesSimple()))), c.toBytes()))
          throw new Error("simple form");
        return ok(U.verifyCapsuleFrag(decoded, ourCapsule, keys));
      });
      const ourCfrags = kfrags.slice(n - t).map((k, i) => {
        const verified = ok(U.verifyKeyFrag(ok(U.decodeKeyFrag(k.toBytes())), keys));
        return ok(U.reencryptWithRandomness(ourCapsule, verified, 1000n + BigInt(i)));
      });
      const mixed = [...theirCfrags.slice(0, t - 1), ourCfrags[ourCfrags.length - 1] as U.VerifiedCapsuleFrag];
      return [theirCfrags, ourCfrags, mixed].every((set) =>
        same(ok(U.decryptReencrypted(ourB, keys.delegating, ourCapsule, set, ciphertext, t)), message),
      );
    }),
  );

describe("Umbral interoperability with umbral-pre 0.10.0", () => {
  it("[PRE-20] [PRE-12] [PRE-14] [PRE-15] ours → theirs: capsule, ciphertext, kfrags and cfrags are read, verified and opened", () => {
    holds("[PRE-20] ours to theirs", oursToTheirs(U.encodeKeyFrag), { numRuns: 6 });
  });

  it("[PRE-20] negative control: a kfrag written with a changed flag is refused by umbral-pre", () => {
    const changed = (k: U.KeyFrag) => U.encodeKeyFrag({ ...k, delegatingKeySigned: !k.delegatingKeySigned });
    failsOn("[PRE-20] ours to theirs, changed flag", oursToTheirs(changed), 3);
  });

  it("[PRE-20] [PRE-10] [PRE-15] [PRE-17] theirs → ours: every object decodes, verifies and opens; fragments of both sides combine", () => {
    holds("[PRE-20] theirs to ours", theirsToOurs(U.decodeCapsule), { numRuns: 6 });
  });

  it("[PRE-20] negative control: reading their capsule with E and V swapped is caught", () => {
    const swapped: typeof U.decodeCapsule = (bytes) =>
      Result.map(U.decodeCapsule(bytes), (c) => ({ ...c, e: c.v, v: c.e }));
    failsOn("[PRE-20] theirs to ours, swapped E and V", theirsToOurs(swapped), 3);
  });

  const signatures = (sign: (key: U.SecretKey, message: Uint8Array, seed: Uint8Array) => Uint8Array) =>
    fc.property(seedArb, messageArb, (seed, message) => {
      const key = keyPair(seed);
      const signer = new up.Signer(key.theirs);
      const theirs = withStream(label(seed, "sig"), () => signer.sign(message)).toBEBytes();
      const ours = sign(key.ours, message, label(seed, "sig"));
      return (
        same(theirs, ours) &&
        U.verifySignature(key.oursPublic, message, theirs) &&
        up.Signature.fromBEBytes(ours).verify(signer.verifyingKey(), message)
      );
    });

  it("[PRE-6] signatures: same entropy, same bytes; theirs verify ours and ours verify theirs", () => {
    holds(
      "[PRE-6] signatures",
      signatures((key, message, seed) => seeded(seed, U.sign(key, message))),
      { numRuns: 10 },
    );
  });

  it("[PRE-6] negative control: signing with fixed entropy instead of the drawn 32 bytes is caught", () => {
    failsOn(
      "[PRE-6] unhedged",
      signatures((key, message) => U.signWithEntropy(key, message, new Uint8Array(32))),
      3,
    );
  });
});

describe("Umbral forms umbral-pre reads and this implementation rejects (PRE-17)", () => {
  const key = up.SecretKey.random();
  const [capsule] = up.encrypt(key.publicKey(), Uint8Array.of(1));
  const bytes = capsule.toBytes();
  const accepts = (f: () => unknown): boolean => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };

  it("[PRE-20] [PRE-17] trailing bytes, array16 structs, uncompressed public keys: read by umbral-pre, rejected here", () => {
    const trailing = Uint8Array.of(...bytes, 0);
    const array16 = Uint8Array.of(0xdc, 0, 3, ...bytes.subarray(1));
    const uncompressed = ok(U.decodePublicKey(key.publicKey().toCompressedBytes())).point.toBytes(false);
    expect([accepts(() => up.Capsule.fromBytes(trailing)), Result.isFailure(U.decodeCapsule(trailing))]).toEqual([
      true,
      true,
    ]);
    expect([accepts(() => up.Capsule.fromBytes(array16)), Result.isFailure(U.decodeCapsule(array16))]).toEqual([
      true,
      true,
    ]);
    expect([
      accepts(() => up.PublicKey.fromCompressedBytes(uncompressed)),
      Result.isFailure(U.decodePublicKey(uncompressed)),
    ]).toEqual([true, true]);
  });

  it("[PRE-20] [PRE-6] a high-s signature: umbral-pre verifies it, this implementation does not", () => {
    const signer = new up.Signer(key);
    const message = Uint8Array.of(7);
    const signature = signer.sign(message).toBEBytes();
    const s = BigInt(`0x${bytesToHex(signature.subarray(32))}`);
    const high = concatBytes(signature.subarray(0, 32), hexToBytes(Secp.Fn.neg(s).toString(16).padStart(64, "0")));
    expect(up.Signature.fromBEBytes(high).verify(signer.verifyingKey(), message)).toBe(true);
    expect(U.verifySignature(ok(U.decodePublicKey(signer.verifyingKey().toCompressedBytes())), message, high)).toBe(
      false,
    );
  });

  it("[PRE-20] [PRE-9] a capsule with E + V = O: umbral-pre reads it and panics on Dec1; here it is CapsuleInvalid", () => {
    const e = Secp.BASE.multiply(99n);
    const v = e.negate();
    const degenerate = { e, v, s: Secp.Fn.mul(Secp.Fn.sub(hashCapsulePoints(e, v), 1n), 99n) };
    const encoded = U.encodeCapsule(degenerate);
    const theirs = up.Capsule.fromBytes(encoded);
    expect(accepts(() => up.decryptOriginal(key, theirs, new Uint8Array(64)))).toBe(false);
    const ours = U.decryptOriginal({ scalar: 5n }, ok(U.decodeCapsule(encoded)), new Uint8Array(64));
    expect(Result.isFailure(ours) && ours.failure._tag).toBe("CapsuleInvalid");
    expect(bytesEqual(encoded, U.encodeCapsule(ok(U.decodeCapsule(encoded))))).toBe(true);
  });
});
