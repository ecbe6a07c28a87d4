/**
 * The chameleon hash at its byte boundary (spec/chameleon-hash.md, CH-4, CH-8, CH-11): decoders accept
 * only canonical encodings and re-encode them to the same bytes; random and mutated bytes give a value or a
 * typed error, never an exception; a single flipped bit anywhere in (key, h, r, m) makes HVer fail.
 */

import { bytesToNumberBE } from "@noble/curves/utils.js";
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DECODE_REASONS, DecodeError } from "../src/codec/errors.js";
import { CURVE_ORDER, pointToBytes, Secp, scalarToBytes } from "../src/codec/fields.js";
import { concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { Dss20, dss20Scheme } from "../src/crypto/chameleon/index.js";
import { Randomness } from "../src/crypto/random.js";
import { failsOn, holds } from "./check.js";

const N = CURVE_ORDER;
const G = Secp.BASE;
const scalarBytes = fc.bigInt({ min: 0n, max: N - 1n }).map(scalarToBytes);
const nonZeroScalarBytes = fc.bigInt({ min: 1n, max: N - 1n }).map(scalarToBytes);
const pointBytes = fc.bigInt({ min: 1n, max: N - 1n }).map((v) => G.multiply(v).toBytes(true));

/** Byte-level mutations of a valid encoding: the shapes a non-canonical or damaged input takes. */
const mutated = (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([b, i, bit]) => {
      const out = b.slice();
      if (out.length > 0) out[i % out.length] = (out[i % out.length] ?? 0) ^ (1 << bit);
      return out;
    }),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, i, v]) => {
      const out = b.slice();
      if (out.length > 0) out[i % out.length] = v;
      return out;
    }),
    fc.tuple(valid, fc.nat()).map(([b, k]) => b.slice(0, k % (b.length + 1))),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([b, extra]) => concatBytes(b, extra)),
    // A 32-byte slot set to all-ones (a scalar >= n) or a point prefix replaced.
    fc.tuple(valid, fc.nat()).map(([b, slot]) => {
      const out = b.slice();
      const start = (slot % Math.max(1, Math.floor(out.length / 32))) * 32;
      out.fill(0xff, start, Math.min(out.length, start + 32));
      return out;
    }),
    fc.tuple(valid, fc.constantFrom(0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff)).map(([b, prefix]) => {
      const out = b.slice();
      if (out.length > 0) out[0] = prefix;
      return out;
    }),
  );

const inputs = (valid: fc.Arbitrary<Uint8Array>, size: number) =>
  fc.oneof(
    valid,
    mutated(valid),
    fc.uint8Array({ minLength: size, maxLength: size }),
    fc.uint8Array({ maxLength: 140 }),
  );

interface Codec {
  readonly name: string;
  readonly valid: fc.Arbitrary<Uint8Array>;
  readonly size: number;
  /** Decodes and re-encodes from the decoded value (not from kept input bytes). */
  readonly roundTrip: (bytes: Uint8Array) => Result.Result<Uint8Array, DecodeError>;
}

const CODECS: readonly Codec[] = [
  {
    name: "public key",
    valid: pointBytes,
    size: 33,
    roundTrip: (b) => Result.map(Dss20.decodePublicKey(b), (pk) => pointToBytes(pk.point)),
  },
  {
    name: "trapdoor",
    valid: nonZeroScalarBytes,
    size: 32,
    roundTrip: (b) => Result.map(Dss20.decodeTrapdoor(b), Dss20.encodeTrapdoor),
  },
  {
    name: "hash",
    valid: fc.tuple(pointBytes, pointBytes).map(([a, b]) => concatBytes(a, b)),
    size: 66,
    roundTrip: (b) => Result.map(Dss20.decodeHash(b), (h) => Dss20.hashFromPoints(h.h1, h.h2).bytes),
  },
  {
    name: "randomness",
    valid: fc.tuple(scalarBytes, scalarBytes, scalarBytes, scalarBytes).map((parts) => concatBytes(...parts)),
    size: 128,
    roundTrip: (b) => Result.map(Dss20.decodeRandomness(b), Dss20.encodeRandomness),
  },
];

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const isTypedDecodeError = (e: unknown): boolean => e instanceof DecodeError && DECODE_REASONS.includes(e.reason);

/** Accepted bytes re-encode to themselves; rejections are DecodeErrors; nothing throws. */
const canonical = (codec: Codec) =>
  fc.property(inputs(codec.valid, codec.size), (bytes) => {
    const result = codec.roundTrip(bytes);
    return Result.isSuccess(result) ? sameBytes(result.success, bytes) : isTypedDecodeError(result.failure);
  });

const m0 = utf8ToBytes("encrypted EMR digest");
const [keyA, keyB] = [11n, 12n].map((x) => Result.getOrThrow(Dss20.keyGenWithRandomness(x)));
if (keyA === undefined || keyB === undefined) throw new Error("keys");
const base = Result.getOrThrow(Dss20.hashWithRandomness(keyA.publicKey, m0, { xi: 5n, k1: 6n, e2: 7n, s2: 8n }));
const BASE = {
  pk: keyA.publicKey.bytes,
  m: m0,
  h: base.hash.bytes,
  r: Dss20.encodeRandomness(base.randomness),
};
type Field = keyof typeof BASE;
const FIELDS: readonly Field[] = ["pk", "m", "h", "r"];

type VerifyBytes = (pk: Uint8Array, m: Uint8Array, h: Uint8Array, r: Uint8Array) => Result.Result<boolean, DecodeError>;

/** One field of the valid base flipped at one bit. */
const oneBitFlip = fc
  .tuple(fc.constantFrom(...FIELDS), fc.nat(), fc.integer({ min: 0, max: 7 }))
  .map(([field, i, bit]) => {
    const out = { ...BASE, [field]: BASE[field].slice() };
    const bytes = out[field];
    bytes[i % bytes.length] = (bytes[i % bytes.length] ?? 0) ^ (1 << bit);
    return out;
  });

const flipsRejected = (verify: VerifyBytes) =>
  fc.property(oneBitFlip, ({ pk, m, h, r }) => {
    const result = verify(pk, m, h, r);
    return Result.isFailure(result) ? isTypedDecodeError(result.failure) : result.success === false;
  });

const KNOWN_TAGS = ["DecodeError", "ChameleonTrapdoorMismatch", "ChameleonOriginalInvalid"];
const mutatedBase = fc.record({
  pk: inputs(fc.constant(BASE.pk), 33),
  td: inputs(fc.constant(Dss20.encodeTrapdoor(keyA.trapdoor)), 32),
  h: inputs(fc.constant(BASE.h), 66),
  r: inputs(fc.constant(BASE.r), 128),
});

/** Every byte-level operation answers with a value or a typed error for any input bytes. */
const totalOnBytes = (verify: VerifyBytes) =>
  fc.property(mutatedBase, ({ pk, td, h, r }) => {
    const verified = verify(pk, m0, h, r);
    if (Result.isFailure(verified) && !isTypedDecodeError(verified.failure)) return false;
    const key = dss20Scheme.key(pk);
    if (Result.isFailure(key) && !isTypedDecodeError(key.failure)) return false;
    const collided = Effect.runSync(
      Effect.provide(Effect.result(dss20Scheme.collide(pk, td, m0, h, r, m0)), Randomness.seeded(pk)),
    );
    return Result.isSuccess(collided) || KNOWN_TAGS.includes(collided.failure._tag);
  });

/** Broken HVer: decodes, then skips the challenge equation. */
const verifySkippingChallenge: VerifyBytes = (pk, _m, h, r) =>
  Result.flatMap(Dss20.decodePublicKey(pk), () =>
    Result.flatMap(Dss20.decodeHash(h), () => Result.map(Dss20.decodeRandomness(r), () => true)),
  );

/** Broken decoding: noble's point parser used directly, which throws on a bad point. */
const verifyWithRawPoints: VerifyBytes = (pk, m, h, r) => {
  const point = Secp.fromBytes(pk);
  return dss20Scheme.verify(point.toBytes(true), m, h, r);
};

describe("DSS20 encodings and byte-level operations", () => {
  for (const codec of CODECS) {
    it(`[CH-4] ${codec.name}: accepted bytes re-encode to themselves, the rest is a DecodeError`, () => {
      holds(`[CH-4] ${codec.name} canonical`, canonical(codec), { numRuns: 300 });
    });
  }

  it("[CH-4] negative control: a decoder that reduces scalars mod n is caught", () => {
    const randomness = CODECS[3];
    if (randomness === undefined) throw new Error("codec");
    const reducing: Codec = {
      ...randomness,
      roundTrip: (b) =>
        b.length === 128
          ? Result.succeed(
              concatBytes(
                ...[0, 1, 2, 3].map((i) => scalarToBytes(bytesToNumberBE(b.subarray(32 * i, 32 * i + 32)) % N)),
              ),
            )
          : randomness.roundTrip(b),
    };
    const found = failsOn("scalars reduced mod n", canonical(reducing));
    expect(found.value[0]).toHaveLength(128);
  });

  it("[CH-8] any single-bit change of the key, h, r or m makes HVer false or a DecodeError", () => {
    expect(Result.getOrThrow(dss20Scheme.verify(BASE.pk, BASE.m, BASE.h, BASE.r))).toBe(true);
    holds("[CH-8] one-bit flips rejected", flipsRejected(dss20Scheme.verify), { numRuns: 60 });
    const found = failsOn("HVer skipping the challenge equation", flipsRejected(verifySkippingChallenge), 100);
    const { pk, m, h, r } = found.value[0];
    expect(Result.getOrThrow(dss20Scheme.verify(pk, m, h, r))).toBe(false);
  });

  it("[CH-11] random and mutated bytes give only values or typed errors, never an exception", () => {
    holds("[CH-11] byte-level operations are total", totalOnBytes(dss20Scheme.verify), { numRuns: 60 });
    const found = failsOn("raw point parsing", totalOnBytes(verifyWithRawPoints), 100);
    expect(() => Secp.fromBytes(found.value[0].pk)).toThrow();
  });

  it("[CH-2] [CH-8] verification is keyed: the same (m, h, r) fails under another institution's key", () => {
    expect(Result.getOrThrow(dss20Scheme.verify(keyB.publicKey.bytes, BASE.m, BASE.h, BASE.r))).toBe(false);
  });
});
