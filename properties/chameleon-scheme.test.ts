/**
 * The chameleon hash as the ledger uses it (spec/chameleon-hash.md, CH-2, CH-6, CH-10, CH-12): the
 * scheme registry, the byte-level operations with the `Randomness` service, the order in which random
 * values are drawn, and prepared keys giving exactly the results of unprepared ones.
 */
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURVE_ORDER } from "../src/codec/fields.js";
import { decodeWith } from "../src/codec/reader.js";
import { bytesToHex, utf8ToBytes } from "../src/crypto/bytes.js";
import { scalarFromDraw } from "../src/crypto/chameleon/coins.js";
import {
  am04Scheme,
  CHAMELEON_SCHEME_IDS,
  type ChameleonScheme,
  chameleonSchemeById,
  Dss20,
  dss20Scheme,
  readChameleonScheme,
} from "../src/crypto/chameleon/index.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { failsOn, holds } from "./check.js";

const N = CURVE_ORDER;
const failureOf = <A, E>(result: Result.Result<A, E>): E | undefined =>
  Result.isFailure(result) ? result.failure : undefined;
const run = <A, E>(effect: Effect.Effect<A, E, Randomness>, seed: Uint8Array): Result.Result<A, E> =>
  Effect.runSync(Effect.provide(Effect.result(effect), Randomness.seeded(seed)));

/** The schemes the registry must know, by id. */
const REGISTERED = new Map<number, ChameleonScheme>([
  [CHAMELEON_SCHEME_IDS.DSS20, dss20Scheme],
  [CHAMELEON_SCHEME_IDS.AM04, am04Scheme],
]);

/** Ids the lookup gets wrong: every registered id must give its scheme, every other byte BadEnum. */
const registryErrors = (lookup: (id: number) => Result.Result<ChameleonScheme, { readonly reason?: string }>) =>
  Array.from({ length: 256 }, (_, id) => id).filter((id) => {
    const found = lookup(id);
    const scheme = REGISTERED.get(id);
    if (scheme !== undefined) return !(Result.isSuccess(found) && found.success === scheme);
    return !(Result.isFailure(found) && found.failure.reason === "BadEnum");
  });

/** The k-th 48-byte draw of a seeded source, mapped as CH-10 says: 1 + OS2IP(b) mod (n - 1). */
const drawsOf = (seed: Uint8Array, count: number): bigint[] => {
  const bytes = seededSource(seed).bytes(48 * count);
  return Array.from(
    { length: count },
    (_, i) => 1n + (BigInt(`0x${bytesToHex(bytes.subarray(48 * i, 48 * i + 48))}`) % (N - 1n)),
  );
};

const seed = fc.uint8Array({ minLength: 1, maxLength: 16 });
const message = fc.uint8Array({ maxLength: 32 });

type HashFromDraws = (pk: Dss20.Dss20PublicKey, m: Uint8Array, d: bigint[]) => Dss20.Dss20Digest;
const hashFromDraws: HashFromDraws = (pk, m, [xi = 0n, k1 = 0n, e2 = 0n, s2 = 0n]) =>
  Result.getOrThrow(Dss20.hashWithRandomness(pk, m, { xi, k1, e2, s2 }));

/** HGen and Hash under a seeded source equal their explicit forms with the draws taken in spec order. */
const drawOrder = (fromDraws: HashFromDraws) =>
  fc.property(seed, message, (s, m) => {
    const kp = Result.getOrThrow(run(Dss20.keyGen, s));
    const [x] = drawsOf(s, 1);
    if (kp.trapdoor.x !== x) return false;
    const digest = Result.getOrThrow(run(Dss20.hash(kp.publicKey, m), s));
    const expected = fromDraws(kp.publicKey, m, drawsOf(s, 4));
    return (
      bytesToHex(digest.hash.bytes) === bytesToHex(expected.hash.bytes) &&
      bytesToHex(Dss20.encodeRandomness(digest.randomness)) === bytesToHex(Dss20.encodeRandomness(expected.randomness))
    );
  });

const trapdoor = fc.noShrink(fc.bigInt({ min: 1n, max: N - 1n }));

type Prepare = (pk: Dss20.Dss20PublicKey) => Dss20.Dss20PublicKey;

/** Prepared keys give byte-identical Hash, HVer and HCol results. */
const preparedAgrees = (prepare: Prepare) =>
  fc.property(trapdoor, trapdoor, message, message, (x, k, m, m2) => {
    const { publicKey, trapdoor: td } = Result.getOrThrow(Dss20.keyGenWithRandomness(x));
    const outputs = (pk: Dss20.Dss20PublicKey): string => {
      const d = Result.getOrThrow(Dss20.hashWithRandomness(pk, m, { xi: k, k1: N - k, e2: k, s2: 1n }));
      const c = Dss20.collideWithRandomness(pk, td, m, d.hash, d.randomness, m2, { k2: k, e1: 2n, s1: 3n });
      return [
        bytesToHex(d.hash.bytes),
        bytesToHex(Dss20.encodeRandomness(d.randomness)),
        Dss20.verify(pk, m, d.hash, d.randomness),
        Result.isSuccess(c) ? bytesToHex(Dss20.encodeRandomness(c.success)) : c.failure._tag,
      ].join("/");
    };
    return outputs(publicKey) === outputs(prepare(publicKey));
  });

describe("the chameleon hash as a service", () => {
  it("[CH-2] the registry gives DSS20 for id 0x01, AM04 for 0x02 and BadEnum for every other byte", () => {
    expect(registryErrors(chameleonSchemeById)).toEqual([]);
    // Negative control: a registry that falls back to DSS20 for unknown ids.
    const fallback = (id: number) => Result.orElse(chameleonSchemeById(id), () => Result.succeed(dss20Scheme));
    expect(registryErrors(fallback)).toHaveLength(254);
    // Negative control: a registry that gives DSS20 for AM04's id.
    const swapped = (id: number) =>
      id === CHAMELEON_SCHEME_IDS.AM04 ? Result.succeed(dss20Scheme) : chameleonSchemeById(id);
    expect(registryErrors(swapped)).toEqual([CHAMELEON_SCHEME_IDS.AM04]);
    for (const id of [-1, 1.5, 257]) expect(Result.isFailure(chameleonSchemeById(id))).toBe(true);
    expect(failureOf(chameleonSchemeById(3))?.message).toBe(
      "BadEnum at byte 0: chameleon scheme id: 3 names no scheme",
    );
    // In an encoding: the id byte is read and looked up.
    const read = (bytes: number[]) => decodeWith(Uint8Array.from(bytes), (r) => readChameleonScheme(r).id);
    expect(read([0x01])).toEqual(Result.succeed(0x01));
    expect(failureOf(read([0x07]))?.message).toBe("BadEnum at byte 0: chameleon scheme id: 7 names no scheme");
    expect(failureOf(read([]))?.reason).toBe("ShortInput");
  });

  it("[CH-2] [CH-13] byte-level HGen, Hash, HVer, HCol with the Randomness service, as a label flow", () => {
    const s = utf8ToBytes("institution A");
    const keys = Result.getOrThrow(run(dss20Scheme.keyGen, s));
    expect([keys.publicKey.length, keys.trapdoor.length]).toEqual([33, 32]);
    const key = Result.getOrThrow(dss20Scheme.key(keys.publicKey, { prepare: true }));
    expect([key.prepared, Result.getOrThrow(dss20Scheme.key(keys.publicKey)).prepared]).toEqual([true, false]);
    const emr = utf8ToBytes("digest of the encrypted EMR");
    const medical = Result.getOrThrow(run(key.hash(emr), s));
    expect([medical.h.length, medical.r.length]).toEqual([66, 128]);
    // The unbound byte-level Hash draws the same values and gives the same bytes.
    const unbound = Result.getOrThrow(run(dss20Scheme.hash(keys.publicKey, emr), s));
    expect([bytesToHex(unbound.h), bytesToHex(unbound.r)]).toEqual([bytesToHex(medical.h), bytesToHex(medical.r)]);
    const badKey = run(dss20Scheme.hash(new Uint8Array(33), emr), s);
    expect(Result.isFailure(badKey) && badKey.failure.reason).toBe("PointIdentity");
    expect(Result.getOrThrow(dss20Scheme.verify(keys.publicKey, emr, medical.h, medical.r))).toBe(true);
    const corrected = utf8ToBytes("digest of the corrected EMR");
    const r2 = Result.getOrThrow(
      run(dss20Scheme.collide(keys.publicKey, keys.trapdoor, emr, medical.h, medical.r, corrected), s),
    );
    expect(Result.getOrThrow(key.verify(corrected, medical.h, r2))).toBe(true);
    expect(Result.getOrThrow(key.verify(emr, medical.h, r2))).toBe(false);
    const other = Result.getOrThrow(run(dss20Scheme.keyGen, utf8ToBytes("institution B")));
    const refused = run(dss20Scheme.collide(keys.publicKey, other.trapdoor, emr, medical.h, medical.r, corrected), s);
    expect(Result.isFailure(refused) && refused.failure._tag).toBe("ChameleonTrapdoorMismatch");
  });

  it("[CH-6] [CH-10] HGen draws x, Hash draws xi, k1, e2, s2: 48 bytes each, in that order", () => {
    holds("[CH-10] draw order", drawOrder(hashFromDraws), { numRuns: 10 });
    // Negative control: the same draws read in another order (k1 before xi).
    const swapped: HashFromDraws = (pk, m, [a = 0n, b = 0n, c = 0n, d = 0n]) => hashFromDraws(pk, m, [b, a, c, d]);
    failsOn("draws read as k1, xi, e2, s2", drawOrder(swapped), 10);
  });

  it("[CH-10] a drawn scalar is 1 + OS2IP(48 bytes) mod (n - 1)", () => {
    expect(drawsOf(new Uint8Array([7]), 2).every((v) => v >= 1n && v < N)).toBe(true);
    const zeros = Result.getOrThrow(run(Dss20.keyGen, new Uint8Array(0)));
    expect(zeros.trapdoor.x).toBe(drawsOf(new Uint8Array(0), 1)[0]);
    expect(Dss20.keyGenWithRandomness(0n)).toMatchObject({
      _tag: "Failure",
      failure: { _tag: "ChameleonBadCoins", coin: "x" },
    });
    expect(Dss20.keyGenWithRandomness(N)).toMatchObject({ _tag: "Failure", failure: { _tag: "ChameleonBadCoins" } });
    // Programming errors, not input errors: a draw of the wrong size, a zero trapdoor object.
    expect(() => scalarFromDraw(new Uint8Array(47))).toThrow("scalarFromDraw: need 48 bytes");
    expect(() => Dss20.encodeTrapdoor({ x: 0n })).toThrow("the trapdoor is never zero");
  });

  it("[CH-11] each error names what is wrong", () => {
    const { publicKey, trapdoor } = Result.getOrThrow(Dss20.keyGenWithRandomness(5n));
    const other = Result.getOrThrow(Dss20.keyGenWithRandomness(6n)).trapdoor;
    const m = utf8ToBytes("m");
    const d = Result.getOrThrow(Dss20.hashWithRandomness(publicKey, m, { xi: 1n, k1: 2n, e2: 3n, s2: 4n }));
    const messageOf = (r: Result.Result<unknown, { readonly message: string }>) =>
      Result.isFailure(r) ? r.failure.message : "accepted";
    const coins = { k2: 1n, e1: 0n, s1: 0n };
    expect(messageOf(Dss20.hashWithRandomness(publicKey, m, { xi: 0n, k1: 2n, e2: 3n, s2: 4n }))).toBe(
      "xi: 0 is not in [1, n)",
    );
    expect(messageOf(Dss20.hashWithRandomness(publicKey, m, { xi: 1n, k1: 2n, e2: N, s2: 4n }))).toBe(
      `e2: ${N} is not in [0, n)`,
    );
    expect(messageOf(Dss20.collideWithRandomness(publicKey, other, m, d.hash, d.randomness, m, coins))).toBe(
      "x·G is not the hash key Y",
    );
    expect(
      messageOf(Dss20.collideWithRandomness(publicKey, trapdoor, utf8ToBytes("x"), d.hash, d.randomness, m, coins)),
    ).toBe("HVer(Y, m, h, r) is false");
    ["e1", "e2", "s1", "s2"].forEach((name, slot) => {
      const r = Dss20.encodeRandomness(d.randomness);
      r.fill(0xff, 32 * slot, 32 * slot + 32);
      expect(messageOf(Dss20.decodeRandomness(r))).toBe(
        `ScalarOutOfRange at byte ${32 * slot}: DSS20 randomness ${name}: scalar >= n`,
      );
    });
    expect(messageOf(Dss20.decodeHash(new Uint8Array([...d.hash.bytes.subarray(0, 33), ...new Uint8Array(33)])))).toBe(
      "PointIdentity at byte 33: DSS20 hash h2: identity point",
    );
    expect(messageOf(Dss20.decodeHash(new Uint8Array(66)))).toBe(
      "PointIdentity at byte 0: DSS20 hash h1: identity point",
    );
    expect(messageOf(Dss20.decodePublicKey(new Uint8Array(33)))).toBe(
      "PointIdentity at byte 0: DSS20 public key Y: identity point",
    );
    expect(messageOf(Dss20.decodeTrapdoor(new Uint8Array(32)))).toBe(
      "ScalarZero at byte 0: DSS20 trapdoor x: scalar is zero",
    );
  });

  it("[CH-4] decoded objects keep a copy of their input bytes", () => {
    const { publicKey } = Result.getOrThrow(Dss20.keyGenWithRandomness(9n));
    const d = Result.getOrThrow(
      Dss20.hashWithRandomness(publicKey, new Uint8Array(0), { xi: 1n, k1: 2n, e2: 3n, s2: 4n }),
    );
    const [pkBytes, hBytes] = [publicKey.bytes.slice(), d.hash.bytes.slice()];
    const [pk, h] = [Result.getOrThrow(Dss20.decodePublicKey(pkBytes)), Result.getOrThrow(Dss20.decodeHash(hBytes))];
    pkBytes.fill(0);
    hBytes.fill(0);
    expect([bytesToHex(pk.bytes), bytesToHex(h.bytes)]).toEqual([
      bytesToHex(publicKey.bytes),
      bytesToHex(d.hash.bytes),
    ]);
  });

  it("[CH-12] preparing is idempotent and leaves the input key unprepared", () => {
    const { publicKey } = Result.getOrThrow(Dss20.keyGenWithRandomness(10n));
    const prepared = Dss20.preparePublicKey(publicKey);
    expect([publicKey.prepared, prepared.prepared]).toEqual([false, true]);
    expect(Dss20.preparePublicKey(prepared)).toBe(prepared);
    expect(prepared.point.equals(publicKey.point) && prepared.point !== publicKey.point).toBe(true);
  });

  it("[CH-12] a prepared key gives exactly the results of an unprepared one", () => {
    holds("[CH-12] prepared keys agree", preparedAgrees(Dss20.preparePublicKey), { numRuns: 5 });
    // Negative control: a key cache that hands out the prepared key of another institution.
    const other = Dss20.preparePublicKey(Result.getOrThrow(Dss20.keyGenWithRandomness(3n)).publicKey);
    failsOn(
      "prepared key of another institution",
      preparedAgrees(() => other),
      5,
    );
  });
});
