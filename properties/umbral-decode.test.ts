/**
 * Umbral encodings and tampering (spec/proxy-re-encryption.md, PRE-16, PRE-17): the documented layouts,
 * strict decoding (mutated bytes give only `DecodeError`, accepted bytes re-encode to themselves), the
 * named non-canonical forms, and that changing any bit of a capsule, kfrag, cfrag or ciphertext makes the
 * share fail with a typed error. Each property has a negative control.
 */
import { xchacha20 } from "@noble/ciphers/chacha.js";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecodeError } from "../src/codec/errors.js";
import { Secp } from "../src/codec/fields.js";
import { bytesEqual, bytesToHex, hexToBytes } from "../src/crypto/bytes.js";
import { demKey } from "../src/crypto/umbral/dem.js";
import * as U from "../src/crypto/umbral/index.js";
import { compressed, mulSecret } from "../src/crypto/umbral/points.js";
import { failsOn, holds } from "./check.js";
import { buildShare, flipBit, ok, outcome, type Share } from "./umbral-fixtures.js";

const share = buildShare(new Uint8Array(16).fill(0x51), Uint8Array.of(1, 2, 3, 4), 2, 3);
const firstKfrag = (share.kfrags[0] as U.VerifiedKeyFrag).kfrag;
const firstCfrag = (share.cfrags[0] as U.VerifiedCapsuleFrag).cfrag;

interface Codec {
  readonly sample: Uint8Array;
  readonly decode: (bytes: Uint8Array) => Result.Result<unknown, DecodeError>;
  readonly encode: (value: never) => Uint8Array;
}

const codec = <T>(
  sample: Uint8Array,
  decode: (b: Uint8Array) => Result.Result<T, DecodeError>,
  encode: (v: T) => Uint8Array,
): Codec => ({
  sample,
  decode,
  encode: encode as (value: never) => Uint8Array,
});

const CODECS: Record<string, Codec> = {
  secretKey: codec(U.encodeSecretKey(share.delegator.secret), U.decodeSecretKey, U.encodeSecretKey),
  publicKey: codec(U.encodePublicKey(share.delegator.public), U.decodePublicKey, U.encodePublicKey),
  signature: codec(firstKfrag.signatureForProxy, U.decodeSignature, (s) => s),
  capsule: codec(U.encodeCapsule(share.capsule), U.decodeCapsule, U.encodeCapsule),
  capsuleSimple: codec(U.encodeCapsuleSimple(share.capsule), U.decodeCapsuleSimple, U.encodeCapsuleSimple),
  keyFrag: codec(U.encodeKeyFrag(firstKfrag), U.decodeKeyFrag, U.encodeKeyFrag),
  capsuleFrag: codec(U.encodeCapsuleFrag(firstCfrag), U.decodeCapsuleFrag, U.encodeCapsuleFrag),
  capsuleFragSimple: codec(U.encodeCapsuleFragSimple(firstCfrag), U.decodeCapsuleFragSimple, U.encodeCapsuleFragSimple),
};
const CODEC_NAMES = Object.keys(CODECS);

type Mutation =
  | { readonly kind: "flip"; readonly index: number; readonly bit: number }
  | { readonly kind: "set"; readonly index: number; readonly value: number }
  | { readonly kind: "truncate"; readonly index: number }
  | { readonly kind: "append"; readonly bytes: Uint8Array }
  | { readonly kind: "insert"; readonly index: number; readonly value: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), index: fc.nat(400), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("set" as const), index: fc.nat(400), value: fc.nat(255) }),
  fc.record({ kind: fc.constant("truncate" as const), index: fc.nat(400) }),
  fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("insert" as const), index: fc.nat(400), value: fc.nat(255) }),
);

const mutate = (bytes: Uint8Array, m: Mutation): Uint8Array => {
  const at = (index: number) => index % (bytes.length + 1);
  switch (m.kind) {
    case "flip":
      return flipBit(bytes, m.index, m.bit);
    case "set": {
      const out = bytes.slice();
      out[m.index % out.length] = m.value;
      return out;
    }
    case "truncate":
      return bytes.slice(0, at(m.index) % bytes.length);
    case "append":
      return Uint8Array.of(...bytes, ...m.bytes);
    case "insert":
      return Uint8Array.of(...bytes.subarray(0, at(m.index)), m.value, ...bytes.subarray(at(m.index)));
  }
};

/** Accepted ⇒ canonical (re-encodes to the input); rejected ⇒ a DecodeError; never a throw. */
const strictDecoding = (codecs: Record<string, Codec>) =>
  fc.property(fc.constantFrom(...CODEC_NAMES), mutationArb, (name, m) => {
    const c = codecs[name] as Codec;
    const bytes = mutate(c.sample, m);
    const decoded = c.decode(bytes);
    if (Result.isFailure(decoded)) return decoded.failure._tag === "DecodeError";
    return bytesEqual(c.encode(decoded.success as never), bytes);
  });

describe("Umbral strict decoding", () => {
  it("[PRE-17] mutated encodings of every object decode canonically or fail with DecodeError", () => {
    holds("[PRE-17] strict decoding", strictDecoding(CODECS), { numRuns: 400 });
  });

  const onlyDecodeErrors = (codecs: Record<string, Codec>) =>
    fc.property(fc.constantFrom(...CODEC_NAMES), fc.uint8Array({ maxLength: 400 }), (name, bytes) => {
      const decoded = (codecs[name] as Codec).decode(bytes);
      return Result.isFailure(decoded) ? decoded.failure._tag === "DecodeError" : bytes.length > 0;
    });

  it("[PRE-17] random bytes to every decoder give only DecodeError", () => {
    holds("[PRE-17] random bytes", onlyDecodeErrors(CODECS), { numRuns: 300 });
  });

  it("[PRE-17] negative control: a public-key decoder that lets noble's exception through is caught", () => {
    const publicKey = { ...(CODECS.publicKey as Codec), decode: (b: Uint8Array) => Result.succeed(Secp.fromBytes(b)) };
    failsOn("[PRE-17] throwing decoder", onlyDecodeErrors({ ...CODECS, publicKey }));
  });

  it("[PRE-17] negative control: a decoder that ignores trailing bytes is caught", () => {
    const lenient: Record<string, Codec> = Object.fromEntries(
      CODEC_NAMES.map((name) => {
        const c = CODECS[name] as Codec;
        return [name, { ...c, decode: (b: Uint8Array) => c.decode(b.subarray(0, c.sample.length)) }];
      }),
    );
    const found = failsOn("[PRE-17] lenient decoder", strictDecoding(lenient));
    expect(found.value[1].kind === "append" || found.value[1].kind === "insert").toBe(true);
  });

  const reasonOf = (decoded: Result.Result<unknown, DecodeError>) =>
    Result.isFailure(decoded) ? `${decoded.failure.reason}@${decoded.failure.offset}` : "success";

  it("[PRE-17] the non-canonical forms umbral-pre also reads are rejected with their reason and offset", () => {
    const capsule = bytesToHex(U.encodeCapsule(share.capsule));
    const e = capsule.slice(6, 72);
    const v = capsule.slice(76, 142);
    const s = capsule.slice(146);
    const d = (hex: string) => reasonOf(U.decodeCapsule(hexToBytes(hex)));
    expect(d(capsule)).toBe("success");
    expect(d(`${capsule}00`)).toBe("TrailingBytes@105");
    expect(d(capsule.slice(0, 208))).toBe("ShortInput@73");
    expect(d(`dc0003${capsule.slice(2)}`)).toBe("BadType@0");
    expect(d(`83${capsule.slice(2)}`)).toBe("BadType@0");
    expect(d(`93c50021${e}${capsule.slice(72)}`)).toBe("BadType@1");
    const uncompressed = bytesToHex(share.capsule.e.toBytes(false));
    expect(d(`93c441${uncompressed}${capsule.slice(72)}`)).toBe("PointNotCompressed@1");
    expect(d(`93c40100c421${v}c420${s}`)).toBe("PointIdentity@1");
    expect(d(`93c421${e}c421${v}c420${"ff".repeat(32)}`)).toBe("ScalarOutOfRange@73");
    expect(d(`93c42102${"ff".repeat(32)}c421${v}c420${s}`)).toBe("PointNonCanonical@3");
    expect(d(`93c421${e}c420${v.slice(0, 64)}c420${s}`)).toBe("BadType@36");

    const kfrag = bytesToHex(U.encodeKeyFrag(firstKfrag));
    const k = (hex: string) => reasonOf(U.decodeKeyFrag(hexToBytes(hex)));
    expect(k(kfrag)).toBe("success");
    expect(k(`${kfrag.slice(0, 8)}${bytesToHex(Secp.BASE.toBytes(true))}${kfrag.slice(74)}`)).toBe("BadVersion@2");
    expect(k(`${kfrag.slice(0, -4)}01c3`)).toBe("NonCanonicalBool@308");
    expect(k(`${kfrag.slice(0, 356)}${"00".repeat(32)}${kfrag.slice(420)}`)).toBe("ScalarZero@178");
    expect(k(`${kfrag.slice(0, 280)}9400${kfrag.slice(282)}`)).toBe("BadType@140");

    const cfrag = bytesToHex(U.encodeCapsuleFrag(firstCfrag));
    const c = (hex: string) => reasonOf(U.decodeCapsuleFrag(hexToBytes(hex)));
    expect(c(cfrag)).toBe("success");
    expect(c(`${cfrag.slice(0, 280)}95${cfrag.slice(282)}`)).toBe("BadType@140");
    expect(c(`${cfrag}c0`)).toBe("TrailingBytes@381");
  });
});

describe("Umbral wire format", () => {
  it("[PRE-16] sizes and MessagePack headers sit where the layout tables say", () => {
    const capsule = U.encodeCapsule(share.capsule);
    const kfrag = U.encodeKeyFrag(firstKfrag);
    const cfrag = U.encodeCapsuleFrag(firstCfrag);
    expect([capsule.length, kfrag.length, cfrag.length]).toEqual([105, 310, 381]);
    expect(U.encodeCapsuleSimple(share.capsule)).toHaveLength(U.CAPSULE_SIMPLE_BYTES);
    expect(U.encodeCapsuleFragSimple(firstCfrag)).toHaveLength(U.CFRAG_SIMPLE_BYTES);
    const at = (bytes: Uint8Array, offsets: readonly number[]) => offsets.map((i) => bytes[i]);
    expect(at(capsule, [0, 1, 2, 36, 37, 71, 72])).toEqual([0x93, 0xc4, 33, 0xc4, 33, 0xc4, 32]);
    expect(at(kfrag, [0, 1, 2, 37, 71, 105, 140, 141, 176, 177, 242, 243, 308, 309])).toEqual([
      0x95, 0x91, 0xc4, 0xc4, 0xc4, 0xc4, 0x95, 0xc4, 0xc4, 64, 0xc4, 64, 0xc3, 0xc3,
    ]);
    expect(bytesToHex(kfrag.subarray(4, 37))).toBe(
      "03079390d0fbe220fc34aab8ecbf49098098036820fadb98c03143e55db8ec73cd",
    );
    expect(at(cfrag, [0, 1, 36, 71, 105, 140, 141, 176, 211, 246, 281, 282, 315, 316])).toEqual([
      0x95, 0xc4, 0xc4, 0xc4, 0xc4, 0x96, 0xc4, 0xc4, 0xc4, 0xc4, 0xc4, 32, 0xc4, 64,
    ]);
    expect(bytesEqual(cfrag.subarray(73, 105), firstKfrag.id)).toBe(true);
    expect(bytesEqual(kfrag.subarray(105 + 2, 140), compressed(firstKfrag.precursor))).toBe(true);
  });
});

/** The custodian's side: decode the kfrag, verify it (unless `skip`), re-encrypt; then the delegatee's receive. */
const custodianThenDelegatee = (s: Share, kfragBytes: Uint8Array, skipKfragCheck: boolean) =>
  Result.gen(function* () {
    const kfrag = yield* U.decodeKeyFrag(kfragBytes);
    const keys = { verifying: s.signer.public, delegating: s.delegator.public, receiving: s.delegatee.public };
    const verified = skipKfragCheck ? ({ kfrag } as U.VerifiedKeyFrag) : yield* U.verifyKeyFrag(kfrag, keys);
    const cfrag = yield* U.reencryptWithRandomness(s.capsule, verified, 12345n);
    const checked = yield* U.verifyCapsuleFrag(cfrag.cfrag, s.capsule, s.keys);
    const cfrags = [checked, s.cfrags[1] as U.VerifiedCapsuleFrag];
    return yield* U.decryptReencrypted(s.delegatee.secret, s.delegator.public, s.capsule, cfrags, s.ciphertext, 2);
  });

/** The delegatee's side with cfrag 0 replaced by `bytes`; `skip` drops the cfrag checks. */
const delegatee = (s: Share, bytes: Uint8Array, skip: boolean) =>
  Result.gen(function* () {
    const tampered = yield* U.decodeCapsuleFrag(bytes);
    const first = skip
      ? ({ cfrag: tampered } as U.VerifiedCapsuleFrag)
      : yield* U.verifyCapsuleFrag(tampered, s.capsule, s.keys);
    return yield* U.decryptReencrypted(
      s.delegatee.secret,
      s.delegator.public,
      s.capsule,
      [first, s.cfrags[1] as U.VerifiedCapsuleFrag],
      s.ciphertext,
      2,
    );
  });

const TYPED = new Set([
  "DecodeError",
  "CapsuleInvalid",
  "KeyFragInvalid",
  "CapsuleFragInvalid",
  "CapsuleOpenFailed",
  "DecryptionFailed",
  "MismatchedFragments",
  "RepeatedFragments",
]);
const failsTyped = (result: Result.Result<unknown, { readonly _tag: string }>): boolean =>
  Result.isFailure(result) && TYPED.has(result.failure._tag);

const bitArb = (length: number) => fc.record({ index: fc.nat(length - 1), bit: fc.nat(7) });

describe("Umbral tampering", () => {
  const kfragBytes = U.encodeKeyFrag(firstKfrag);
  const cfragBytes = U.encodeCapsuleFrag(firstCfrag);
  const capsuleBytes = U.encodeCapsule(share.capsule);

  const kfragTampering = (skip: boolean) =>
    fc.property(bitArb(kfragBytes.length), ({ index, bit }) =>
      failsTyped(custodianThenDelegatee(share, flipBit(kfragBytes, index, bit), skip)),
    );

  it("[PRE-12] [PRE-14] any bit of a kfrag changed: the share fails with a typed error", () => {
    expect(outcome(custodianThenDelegatee(share, kfragBytes, false))).toBe("success");
    holds("[PRE-12] kfrag tampering", kfragTampering(false), { numRuns: 40 });
  });

  it("[PRE-12] negative control: a custodian that skips kfrag verification lets a changed flag through", () => {
    const found = failsOn("[PRE-12] no kfrag check", kfragTampering(true), 400);
    expect(found.value[0].index).toBeGreaterThanOrEqual(176);
  });

  const cfragTampering = (skip: boolean) =>
    fc.property(bitArb(cfragBytes.length), ({ index, bit }) =>
      failsTyped(delegatee(share, flipBit(cfragBytes, index, bit), skip)),
    );

  it("[PRE-14] [PRE-15] any bit of a cfrag changed (each proof field included): Dec2's pipeline fails with a typed error", () => {
    expect(outcome(delegatee(share, cfragBytes, false))).toBe("success");
    holds("[PRE-14] cfrag tampering", cfragTampering(false), { numRuns: 40 });
  });

  it("[PRE-14] negative control: a Dec2 that skips cfrag verification accepts a changed proof", () => {
    const found = failsOn("[PRE-14] no cfrag check", cfragTampering(true), 200);
    expect(found.value[0].index).toBeGreaterThanOrEqual(140);
  });

  const capsuleTampering = (checkCapsule: boolean) =>
    fc.property(bitArb(capsuleBytes.length), ({ index, bit }) => {
      const decoded = U.decodeCapsule(flipBit(capsuleBytes, index, bit));
      if (Result.isFailure(decoded)) return true;
      const capsule = decoded.success;
      const result = checkCapsule
        ? U.decryptOriginal(share.delegator.secret, capsule, share.ciphertext)
        : Result.map(Result.succeed(capsule), () => "opened without the check");
      return outcome(result as Result.Result<unknown, { readonly _tag: string }>) === "CapsuleInvalid";
    });

  it("[PRE-9] any bit of a capsule changed: DecodeError or CapsuleInvalid, never a decryption attempt", () => {
    holds("[PRE-9] capsule tampering", capsuleTampering(true), { numRuns: 60 });
  });

  it("[PRE-9] negative control: using a capsule without the validity check is caught", () => {
    failsOn("[PRE-9] no capsule check", capsuleTampering(false), 200);
  });

  /** Dec1 with a DEM that skips the Poly1305 tag (keystream from block 1, as the AEAD's body). */
  const untagged = (ciphertext: Uint8Array) => {
    const keySeed = compressed(mulSecret(share.capsule.e.add(share.capsule.v), share.delegator.secret.scalar));
    return Result.succeed(
      xchacha20(demKey(keySeed), ciphertext.subarray(0, 24), ciphertext.subarray(24, -16), undefined, 1),
    );
  };

  const ciphertextTampering = (decrypt: (c: Uint8Array) => Result.Result<Uint8Array, { readonly _tag: string }>) =>
    fc.property(bitArb(share.ciphertext.length), ({ index, bit }) => {
      const result = decrypt(flipBit(share.ciphertext, index, bit));
      return Result.isFailure(result) && result.failure._tag === "DecryptionFailed";
    });

  it("[PRE-8] any bit of the ciphertext (nonce, body, tag) changed: DecryptionFailed for Dec1 and Dec2", () => {
    expect(bytesEqual(ok(untagged(share.ciphertext)), share.message)).toBe(true);
    holds(
      "[PRE-8] ciphertext tampering Dec1",
      ciphertextTampering((c) => U.decryptOriginal(share.delegator.secret, share.capsule, c)),
      { numRuns: 40 },
    );
    holds(
      "[PRE-8] ciphertext tampering Dec2",
      ciphertextTampering((c) =>
        U.decryptReencrypted(
          share.delegatee.secret,
          share.delegator.public,
          share.capsule,
          share.cfrags.slice(0, 2),
          c,
          2,
        ),
      ),
      { numRuns: 10 },
    );
  });

  it("[PRE-8] negative control: a DEM that skips the tag returns garbage instead of failing", () => {
    failsOn("[PRE-8] untagged DEM", ciphertextTampering(untagged), 20);
  });
});
