/**
 * Properties of the AM04 chameleon hash (spec/chameleon-hash.md, CH-15..CH-19, with CH-10 and CH-12 as they
 * apply to it). Each property is a function of the implementation under test, so that its negative control
 * runs the same check against a deliberately broken variant and must find (and shrink) a counterexample.
 * The recomputation of h (CH-15) is written here from noble's primitives, not from am04.ts.
 * Cost (npm run bench chameleon, unprepared key as here): a Hash or HVer ~2.5 ms, an HCol ~4 ms; small run counts.
 */
import { expand_message_xmd } from "@noble/curves/abstract/hash-to-curve.js";
import { secp256k1, secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, hexToBytes, numberToBytesBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DECODE_REASONS, DecodeError } from "../src/codec/errors.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { Am04, am04Scheme } from "../src/crypto/chameleon/index.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { failsOn, holds } from "./check.js";
import { loadVectorFile } from "./vector-edits.js";

type PublicKey = Parameters<typeof Am04.verify>[0];
type Trapdoor = Am04.Am04KeyPair["trapdoor"];
type Coins = Am04.Am04Randomness;
type Failure = { readonly _tag: string; readonly message: string };

/** The operations a property exercises; broken variants replace one of them. */
interface Impl {
  readonly hash: (pk: PublicKey, m: Uint8Array, coins: Coins) => bigint;
  readonly verify: (pk: PublicKey, m: Uint8Array, h: bigint, r: Coins) => boolean;
  readonly collide: (
    pk: PublicKey,
    td: Trapdoor,
    m: Uint8Array,
    h: bigint,
    r: Coins,
    m2: Uint8Array,
    k: bigint,
  ) => Result.Result<Coins, Failure>;
}

const REAL: Impl = {
  hash: (pk, m, coins) => Result.getOrThrow(Am04.hashWithRandomness(pk, m, coins)).h,
  verify: Am04.verify,
  collide: Am04.collideWithRandomness,
};

// The group, from noble directly: the recomputation below must not share code with am04.ts.
const Point = secp256k1.Point;
const N = Point.Fn.ORDER;
const modN = (v: bigint): bigint => ((v % N) + N) % N;
const invN = (v: bigint): bigint => Point.Fn.inv(modN(v));
const keyOf = (x: bigint) => Result.getOrThrow(Am04.keyGenWithRandomness(x));

// Scalars do not shrink (each step costs a Hash or an HCol); messages, fields and chain lengths do.
const nonZero = fc.noShrink(fc.bigInt({ min: 1n, max: N - 1n }));
const anyScalar = fc.noShrink(fc.bigInt({ min: 0n, max: N - 1n }));
const message = fc.uint8Array({ maxLength: 48 });
const keyPair = nonZero.map(keyOf);
const coins: fc.Arbitrary<Coins> = fc.record({ rho: anyScalar, s: anyScalar });
const twoKeys = fc
  .tuple(nonZero, nonZero)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => [keyOf(a), keyOf(b)] as const);

// ---------------------------------------------------------------------------------------------------------
// [CH-15] h = ρ − F(e·Y + s·G), e = Hs_E(enc(Y) ‖ I2OSP(ρ, 32) ‖ m), F(P) = Hs_F(T(P)), from the spec text.

interface Recipe {
  readonly dstE: string;
  readonly dstF: string;
  /** Whether enc(Y) is part of the challenge input (it is; the variant without it is a negative control). */
  readonly keyInE: boolean;
}
const SPEC: Recipe = { dstE: "SPCHAIN-V1-CH-AM04-E", dstF: "SPCHAIN-V1-CH-AM04-F", keyInE: true };

const challengeOf = (recipe: Recipe, yBytes: Uint8Array, rho: bigint, m: Uint8Array): bigint =>
  secp256k1_hasher.hashToScalar(concatBytes(recipe.keyInE ? yBytes : new Uint8Array(0), numberToBytesBE(rho, 32), m), {
    DST: recipe.dstE,
  });

/** F(P) = Hs_F(T(P)), T(identity) = 33 zero bytes. */
const pointToScalar = (recipe: Recipe, P: InstanceType<typeof Point>): bigint =>
  secp256k1_hasher.hashToScalar(P.is0() ? new Uint8Array(33) : P.toBytes(true), { DST: recipe.dstF });

const recomputeH = (recipe: Recipe, Y: InstanceType<typeof Point>, m: Uint8Array, { rho, s }: Coins): bigint => {
  const e = challengeOf(recipe, Y.toBytes(true), rho, m);
  return modN(rho - pointToScalar(recipe, Y.multiplyUnsafe(e).add(Point.BASE.multiplyUnsafe(s))));
};

const matchesRecomputation = (recipe: Recipe, hash: Impl["hash"]) =>
  fc.property(
    nonZero,
    message,
    coins,
    (x, m, c) => hash(keyOf(x).publicKey, m, c) === recomputeH(recipe, Point.BASE.multiply(x), m, c),
  );

// ---------------------------------------------------------------------------------------------------------
// [CH-17] [CH-18] Hash and HVer.

const hashAccepted = (impl: Impl) =>
  fc.property(keyPair, message, coins, ({ publicKey }, m, c) =>
    impl.verify(publicKey, m, impl.hash(publicKey, m, c), c),
  );

type Tampered = "m" | "h" | "rho" | "s" | "Y";
const tamperedField = fc.constantFrom<Tampered>("m", "h", "rho", "s", "Y");

/** Any change of one of m, h, ρ, s, Y (a one-byte change of m, +δ mod n of a scalar, another key). */
const tamperRejected = (impl: Impl) =>
  fc.property(twoKeys, message, coins, tamperedField, fc.bigInt({ min: 1n, max: N - 1n }), ([a, b], m, c, field, d) => {
    const h = impl.hash(a.publicKey, m, c);
    if (!impl.verify(a.publicKey, m, h, c)) return false;
    const m2 = field === "m" ? concatBytes(m, new Uint8Array([Number(d % 256n)])) : m;
    const h2 = field === "h" ? modN(h + d) : h;
    const r2 = { rho: field === "rho" ? modN(c.rho + d) : c.rho, s: field === "s" ? modN(c.s + d) : c.s };
    return !impl.verify(field === "Y" ? b.publicKey : a.publicKey, m2, h2, r2);
  });

/** Broken HVer: a verification cache keyed by (Y, m, h, ρ) but not s, so a changed s hits the cached "true". */
const verifyCachedWithoutS = (): Impl["verify"] => {
  const cache = new Map<string, boolean>();
  return (pk, m, h, r) => {
    const id = [bytesToHex(pk.bytes), bytesToHex(m), h, r.rho].join("/");
    const known = cache.get(id) ?? Am04.verify(pk, m, h, r);
    cache.set(id, known);
    return known;
  };
};

/** Broken HVer: the challenge leaves Y out, e = Hs_E(ρ ‖ m). */
const verifyWithoutKeyInE: Impl["verify"] = (pk, m, h, r) => {
  const e = challengeOf({ ...SPEC, keyInE: false }, pk.bytes, r.rho, m);
  return modN(r.rho - pointToScalar(SPEC, pk.point.multiplyUnsafe(e).add(Point.BASE.multiplyUnsafe(r.s)))) === h;
};

// ---------------------------------------------------------------------------------------------------------
// [CH-19] HCol.

const otherOrSame = (m: fc.Arbitrary<Uint8Array>) => fc.oneof(m, fc.constant(undefined));

/** A collision verifies with h unchanged (m' = m allowed); the original still verifies. */
const collisionVerifies = (impl: Impl) =>
  fc.property(keyPair, message, otherOrSame(message), coins, nonZero, (kp, m, maybeM2, c, k) => {
    const m2 = maybeM2 ?? m;
    const h = impl.hash(kp.publicKey, m, c);
    const collided = impl.collide(kp.publicKey, kp.trapdoor, m, h, c, m2, k);
    if (Result.isFailure(collided)) return false;
    return impl.verify(kp.publicKey, m2, h, collided.success) && impl.verify(kp.publicKey, m, h, c);
  });

/** Collisions chain: each step collides the previous collision to a new message. */
const chainedCollisions = (impl: Impl) =>
  fc.property(
    keyPair,
    message,
    coins,
    fc.array(fc.tuple(message, nonZero), { minLength: 2, maxLength: 3 }),
    (kp, m0, c, steps) => {
      const h = impl.hash(kp.publicKey, m0, c);
      let [m, r] = [m0, c];
      for (const [next, k] of steps) {
        const collided = impl.collide(kp.publicKey, kp.trapdoor, m, h, r, next, k);
        if (Result.isFailure(collided) || !impl.verify(kp.publicKey, next, h, collided.success)) return false;
        [m, r] = [next, collided.success];
      }
      return true;
    },
  );

const differentMessages = fc.tuple(message, message).filter(([a, b]) => bytesToHex(a) !== bytesToHex(b));

/** A collision never verifies under another key, nor with the old message; the original not under another key. */
const collisionBound = (impl: Impl, keys: fc.Arbitrary<readonly [Am04.Am04KeyPair, Am04.Am04KeyPair]> = twoKeys) =>
  fc.property(keys, differentMessages, coins, nonZero, ([a, b], [m, m2], c, k) => {
    const h = impl.hash(a.publicKey, m, c);
    const collided = impl.collide(a.publicKey, a.trapdoor, m, h, c, m2, k);
    if (Result.isFailure(collided)) return false;
    const r2 = collided.success;
    return (
      !impl.verify(b.publicKey, m2, h, r2) && !impl.verify(a.publicKey, m, h, r2) && !impl.verify(b.publicKey, m, h, c)
    );
  });

/** [CH-19] x = (s′_a − s′_b)/(e′_b − e′_a), with each e′ recomputed from the public (Y, ρ′, m′). */
const extractFromReuse = (pk: PublicKey, [ma, ra]: [Uint8Array, Coins], [mb, rb]: [Uint8Array, Coins]) => {
  const [ea, eb] = [challengeOf(SPEC, pk.bytes, ra.rho, ma), challengeOf(SPEC, pk.bytes, rb.rho, mb)];
  return ea === eb ? undefined : modN((ra.s - rb.s) * invN(eb - ea));
};

/** Two collisions of one h (to two different messages) with coins ka, kb: does the formula give x? */
const reuseReveals = (impl: Impl, sameK: boolean) =>
  fc.property(keyPair, differentMessages, message, coins, nonZero, nonZero, (kp, [ma, mb], m, c, ka, kb) => {
    // "Fresh" means two different draws: equal ones (fast-check favours small values) are the reuse case.
    fc.pre(sameK || ka !== kb);
    const h = impl.hash(kp.publicKey, m, c);
    const a = impl.collide(kp.publicKey, kp.trapdoor, m, h, c, ma, ka);
    const b = impl.collide(kp.publicKey, kp.trapdoor, m, h, c, mb, sameK ? ka : kb);
    if (Result.isFailure(a) || Result.isFailure(b)) return false;
    const x = extractFromReuse(kp.publicKey, [ma, a.success], [mb, b.success]);
    return sameK ? a.success.rho === b.success.rho && x === kp.trapdoor.x : x !== kp.trapdoor.x;
  });

// ---------------------------------------------------------------------------------------------------------
// [CH-16] Encodings.

const isTypedDecodeError = (e: unknown): boolean => e instanceof DecodeError && DECODE_REASONS.includes(e.reason);
const be32 = (v: bigint): Uint8Array => numberToBytesBE(v, 32);
const scalarBytes = anyScalar.map(be32);

/** Valid encodings of `slots` scalars, and the ways they go wrong: a slot >= n, a wrong length, random bytes. */
const scalarEncodings = (slots: number): fc.Arbitrary<Uint8Array> => {
  const valid = fc.array(scalarBytes, { minLength: slots, maxLength: slots }).map((parts) => concatBytes(...parts));
  const overN = fc.oneof(fc.bigInt({ min: N, max: N + 1000n }), fc.bigInt({ min: N, max: 2n ** 256n - 1n }));
  return fc.oneof(
    valid,
    fc.tuple(valid, fc.nat({ max: slots - 1 }), overN).map(([b, slot, v]) => {
      const out = b.slice();
      out.set(be32(v), 32 * slot);
      return out;
    }),
    fc.tuple(valid, fc.nat()).map(([b, cut]) => b.slice(0, cut % b.length)),
    fc.tuple(valid, fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([b, extra]) => concatBytes(b, extra)),
    fc.uint8Array({ minLength: 32 * slots, maxLength: 32 * slots }),
    fc.uint8Array({ maxLength: 80 }),
  );
};

type RoundTrip = (bytes: Uint8Array) => Result.Result<Uint8Array, DecodeError>;
const hashRoundTrip: RoundTrip = (b) => Result.map(Am04.decodeHash(b), Am04.encodeHash);
const randomnessRoundTrip: RoundTrip = (b) => Result.map(Am04.decodeRandomness(b), Am04.encodeRandomness);

/** Accepted bytes re-encode to themselves; everything else is a typed DecodeError; nothing throws. */
const canonical = (roundTrip: RoundTrip, slots: number) =>
  fc.property(scalarEncodings(slots), (bytes) => {
    const result = roundTrip(bytes);
    return Result.isSuccess(result)
      ? bytesToHex(result.success) === bytesToHex(bytes)
      : isTypedDecodeError(result.failure);
  });

const messageOf = (r: Result.Result<unknown, { readonly message: string }>): string =>
  Result.isFailure(r) ? r.failure.message : "accepted";

// ---------------------------------------------------------------------------------------------------------
// [CH-10] Draws, [CH-12] prepared keys.

const run = <A, E>(effect: Effect.Effect<A, E, Randomness>, seed: Uint8Array): Result.Result<A, E> =>
  Effect.runSync(Effect.provide(Effect.result(effect), Randomness.seeded(seed)));

/** The draws of a seeded source as CH-10 maps them: 48 bytes each, 1 + OS2IP(b) mod (n − 1). */
const drawsOf = (seed: Uint8Array, count: number): bigint[] => {
  const bytes = seededSource(seed).bytes(48 * count);
  return [...Array(count).keys()].map((i) => 1n + (bytesToNumberBE(bytes.slice(48 * i, 48 * (i + 1))) % (N - 1n)));
};

/** Explicit Hash and HCol from a list of draws, in the order a reader of the draws takes them. */
interface FromDraws {
  readonly hash: (pk: PublicKey, m: Uint8Array, draws: bigint[]) => bigint;
  readonly coinsOf: (draws: bigint[]) => Coins;
}
const SPEC_ORDER: FromDraws = {
  coinsOf: ([rho = 0n, s = 0n]) => ({ rho, s }),
  hash: (pk, m, draws) => REAL.hash(pk, m, SPEC_ORDER.coinsOf(draws)),
};

/** HGen draws x; Hash draws ρ then s; HCol draws k: the seeded forms equal the explicit ones. */
const drawOrder = (fromDraws: FromDraws) =>
  fc.property(fc.uint8Array({ minLength: 1, maxLength: 16 }), message, message, (seed, m, m2) => {
    const kp = Result.getOrThrow(run(Am04.keyGen, seed));
    if (kp.trapdoor.x !== drawsOf(seed, 1)[0]) return false;
    const digest = Result.getOrThrow(run(Am04.hash(kp.publicKey, m), seed));
    const draws = drawsOf(seed, 2);
    const expectedCoins = fromDraws.coinsOf(draws);
    if (digest.h !== fromDraws.hash(kp.publicKey, m, draws)) return false;
    if (digest.randomness.rho !== expectedCoins.rho || digest.randomness.s !== expectedCoins.s) return false;
    const collided = Result.getOrThrow(
      run(Am04.collide(kp.publicKey, kp.trapdoor, m, digest.h, digest.randomness, m2), seed),
    );
    const explicit = REAL.collide(
      kp.publicKey,
      kp.trapdoor,
      m,
      digest.h,
      digest.randomness,
      m2,
      drawsOf(seed, 1)[0] ?? 0n,
    );
    return Result.isSuccess(explicit) && explicit.success.rho === collided.rho && explicit.success.s === collided.s;
  });

type Prepare = (pk: PublicKey) => PublicKey;

/** Hash, HVer (true and false cases) and HCol give the same bytes with a prepared key. */
const preparedAgrees = (prepare: Prepare) =>
  fc.property(nonZero, nonZero, message, message, (x, k, m, m2) => {
    const { publicKey, trapdoor } = keyOf(x);
    const outputs = (pk: PublicKey): string => {
      const c = { rho: k, s: N - k };
      const h = REAL.hash(pk, m, c);
      const collided = REAL.collide(pk, trapdoor, m, h, c, m2, k);
      return [
        bytesToHex(Am04.encodeHash(h)),
        REAL.verify(pk, m, h, c),
        REAL.verify(pk, m, modN(h + 1n), c),
        Result.isSuccess(collided) ? bytesToHex(Am04.encodeRandomness(collided.success)) : collided.failure._tag,
      ].join("/");
    };
    return outputs(publicKey) === outputs(prepare(publicKey));
  });

// ---------------------------------------------------------------------------------------------------------

describe("AM04 chameleon hash", () => {
  it("[CH-15] h = rho - F(e·Y + s·G), recomputed from noble's hash_to_field and point operations", () => {
    holds("[CH-15] independent recomputation", matchesRecomputation(SPEC, REAL.hash), { numRuns: 25 });
    expect([Am04.DST_E, Am04.DST_F]).toEqual([SPEC.dstE, SPEC.dstF]);
    // hash_to_field into Z_n with the two DSTs is OS2IP(expand_message_xmd(msg, DST, 48)) mod n (CH-5).
    for (const dst of [SPEC.dstE, SPEC.dstF]) {
      const msg = utf8ToBytes("am04");
      const byDefinition = bytesToNumberBE(expand_message_xmd(msg, dst, 48, sha256)) % N;
      expect(secp256k1_hasher.hashToScalar(msg, { DST: dst })).toBe(byDefinition);
    }
    // Negative controls: the two DSTs swapped; the key left out of the challenge.
    failsOn(
      "DST_E and DST_F swapped",
      matchesRecomputation({ ...SPEC, dstE: SPEC.dstF, dstF: SPEC.dstE }, REAL.hash),
      5,
    );
    failsOn("Y left out of e", matchesRecomputation({ ...SPEC, keyInE: false }, REAL.hash), 5);
  });

  it("[CH-14] [CH-15] every valid AM04 hash vector gives the recomputed h", () => {
    const tests = loadVectorFile("crypto/chameleon_am04_hash_test.json").testGroups.flatMap((g) => g.tests);
    const valid = tests.filter((t) => t.result === "valid");
    const scalarOf = (v: unknown): bigint => bytesToNumberBE(hexToBytes(String(v)));
    const mismatches = (recipe: Recipe) =>
      valid.filter((t) => {
        const Y = Point.fromBytes(hexToBytes(String(t.publicKey)));
        const c = { rho: scalarOf(t.rho), s: scalarOf(t.s) };
        const h = recomputeH(recipe, Y, hexToBytes(String(t.msg)), c);
        return h !== scalarOf(t.h) || bytesToHex(concatBytes(be32(c.rho), be32(c.s))) !== t.r;
      });
    expect(valid.length).toBeGreaterThan(5);
    expect(mismatches(SPEC).map((t) => t.tcId)).toEqual([]);
    expect(mismatches({ ...SPEC, dstE: SPEC.dstF, dstF: SPEC.dstE })).toHaveLength(valid.length);
  });

  it("[CH-15] [CH-17] [CH-18] coins with e·Y + s·G = identity (s = -e·x): F hashes 33 zero bytes", () => {
    const { publicKey, trapdoor } = keyOf(0x1234n);
    const m = utf8ToBytes("identity commitment");
    const rho = 77n;
    const e = challengeOf(SPEC, publicKey.bytes, rho, m);
    const c = { rho, s: modN(-e * trapdoor.x) };
    const h = REAL.hash(publicKey, m, c);
    expect(h).toBe(modN(rho - secp256k1_hasher.hashToScalar(new Uint8Array(33), { DST: SPEC.dstF })));
    expect(h).toBe(recomputeH(SPEC, publicKey.point, m, c));
    expect(REAL.verify(publicKey, m, h, c)).toBe(true);
    expect(REAL.verify(Am04.preparePublicKey(publicKey), m, h, c)).toBe(true);
    expect(REAL.verify(publicKey, m, h, { ...c, s: modN(c.s + 1n) })).toBe(false);
  });

  it("[CH-17] [CH-18] HVer accepts every output of Hash", () => {
    holds("[CH-17] [CH-18] HVer accepts Hash", hashAccepted(REAL), { numRuns: 30 });
    failsOn("HVer with Y left out of e", hashAccepted({ ...REAL, verify: verifyWithoutKeyInE }), 10);
  });

  it("[CH-18] any change of m, h, rho, s or Y makes HVer false", () => {
    holds("[CH-18] tampering rejected", tamperRejected(REAL), { numRuns: 40 });
    const found = failsOn(
      "HVer cache keyed without s",
      tamperRejected({ ...REAL, verify: verifyCachedWithoutS() }),
      60,
    );
    expect(found.value[3]).toBe("s");
  });

  it("[CH-17] Hash refuses coins out of [0, n), naming the coin", () => {
    const { publicKey } = keyOf(3n);
    const m = utf8ToBytes("m");
    expect(messageOf(Am04.hashWithRandomness(publicKey, m, { rho: N, s: 1n }))).toBe(`rho: ${N} is not in [0, n)`);
    expect(messageOf(Am04.hashWithRandomness(publicKey, m, { rho: 1n, s: 2n ** 256n - 1n }))).toBe(
      `s: ${2n ** 256n - 1n} is not in [0, n)`,
    );
    expect(messageOf(Am04.hashWithRandomness(publicKey, m, { rho: -1n, s: 0n }))).toBe("rho: -1 is not in [0, n)");
    expect(Am04.hashWithRandomness(publicKey, m, { rho: 0n, s: 0n })).toMatchObject({ _tag: "Success" });
    expect(Am04.hashWithRandomness(publicKey, m, { rho: N - 1n, s: N - 1n })).toMatchObject({ _tag: "Success" });
  });

  it("[CH-19] a collision verifies with h unchanged (m' = m allowed), and the original still verifies", () => {
    holds("[CH-19] HCol yields a verifying collision", collisionVerifies(REAL), { numRuns: 20 });
    // Broken HCol: e' computed over the old message (message confusion).
    const broken: Impl = { ...REAL, collide: (pk, td, m, h, r, _m2, k) => REAL.collide(pk, td, m, h, r, m, k) };
    const found = failsOn("HCol to the old message", collisionVerifies(broken), 30);
    expect(found.value[2]).toBeDefined();
  });

  it("[CH-19] collisions chain: collide again from a collision", () => {
    holds("[CH-19] collisions chain", chainedCollisions(REAL), { numRuns: 8 });
    // Broken HCol: s' = k + e'·x (the sign of the trapdoor term flipped).
    const broken: Impl = {
      ...REAL,
      collide: (pk, td, m, h, r, m2, k) =>
        Result.map(REAL.collide(pk, td, m, h, r, m2, k), (out) => {
          const e = challengeOf(SPEC, pk.bytes, out.rho, m2);
          return { ...out, s: modN(out.s + 2n * e * td.x) };
        }),
    };
    failsOn("HCol with s' = k + e'·x", chainedCollisions(broken), 10);
  });

  it("[CH-19] a collision never verifies under another key or for the old message", () => {
    holds("[CH-19] collisions are bound to key and message", collisionBound(REAL), { numRuns: 12 });
    // Broken HVer: a key lookup bug that always verifies under institution A's key (x = 1).
    const keyA = keyOf(1n).publicKey;
    const broken: Impl = { ...REAL, verify: (_pk, m, h, r) => REAL.verify(keyA, m, h, r) };
    const keysWithA = nonZero.filter((x) => x !== 1n).map((x) => [keyOf(1n), keyOf(x)] as const);
    failsOn("HVer under a fixed key", collisionBound(broken, keysWithA), 10);
  });

  it("[CH-19] HCol refuses a wrong trapdoor, an invalid original and k outside [1, n), with their messages", () => {
    const [a, b] = [keyOf(5n), keyOf(6n)];
    const m = utf8ToBytes("m");
    const c = { rho: 1n, s: 2n };
    const h = REAL.hash(a.publicKey, m, c);
    const collide = (td: Trapdoor, mm: Uint8Array, hh: bigint, r: Coins, k: bigint) =>
      Am04.collideWithRandomness(a.publicKey, td, mm, hh, r, utf8ToBytes("m'"), k);
    const wrong = collide(b.trapdoor, m, h, c, 3n);
    expect(Result.isFailure(wrong) && wrong.failure._tag).toBe("ChameleonTrapdoorMismatch");
    expect(messageOf(wrong)).toBe("x·G is not the hash key Y");
    for (const [mm, hh, r] of [
      [utf8ToBytes("x"), h, c],
      [m, modN(h + 1n), c],
      [m, h, { ...c, rho: 2n }],
      [m, h, { ...c, s: 3n }],
    ] as const) {
      const invalid = collide(a.trapdoor, mm, hh, r, 3n);
      expect(Result.isFailure(invalid) && invalid.failure._tag).toBe("ChameleonOriginalInvalid");
      expect(messageOf(invalid)).toBe("HVer(Y, m, h, r) is false");
    }
    for (const k of [0n, N, N + 1n, -1n]) {
      const bad = collide(a.trapdoor, m, h, c, k);
      expect(Result.isFailure(bad) && bad.failure._tag).toBe("ChameleonBadCoins");
      expect(messageOf(bad)).toBe(`k: ${k} is not in [1, n)`);
    }
    // The coin is checked first, then the trapdoor, then the original (CH-9's order).
    expect(messageOf(collide(b.trapdoor, utf8ToBytes("x"), h, c, 0n))).toBe("k: 0 is not in [1, n)");
    expect(messageOf(collide(b.trapdoor, utf8ToBytes("x"), h, c, 1n))).toBe("x·G is not the hash key Y");
    expect(collide(a.trapdoor, m, h, c, 1n)).toMatchObject({ _tag: "Success" });
    expect(collide(a.trapdoor, m, h, c, N - 1n)).toMatchObject({ _tag: "Success" });
  });

  it("[CH-19] refusals hold for random keys and originals (negative control: an HCol without checks)", () => {
    const refusals = (impl: Impl) =>
      fc.property(twoKeys, message, message, coins, nonZero, ([a, b], m, m2, c, k) => {
        const h = impl.hash(a.publicKey, m, c);
        const wrongKey = impl.collide(a.publicKey, b.trapdoor, m, h, c, m2, k);
        const invalid = impl.collide(a.publicKey, a.trapdoor, m, h, { ...c, s: modN(c.s + 1n) }, m2, k);
        return (
          Result.isFailure(wrongKey) &&
          wrongKey.failure._tag === "ChameleonTrapdoorMismatch" &&
          Result.isFailure(invalid) &&
          invalid.failure._tag === "ChameleonOriginalInvalid"
        );
      });
    holds("[CH-19] HCol refusals", refusals(REAL), { numRuns: 8 });
    failsOn("HCol without checks", refusals({ ...REAL, collide: (_pk, _td, _m, _h, r) => Result.succeed(r) }), 5);
  });

  it("[CH-19] two collisions of one h with the same k reveal x = (s'a - s'b)/(e'b - e'a)", () => {
    holds("[CH-19] k reuse reveals x", reuseReveals(REAL, true), { numRuns: 6 });
    // With fresh k the same formula gives a wrong x: collisions hide the trapdoor.
    holds("[CH-19] fresh k hides x", reuseReveals(REAL, false), { numRuns: 6 });
    // Negative control: an HCol with a fixed k (a constant randomness source) gives x away.
    const fixedK: Impl = { ...REAL, collide: (pk, td, m, h, r, m2) => REAL.collide(pk, td, m, h, r, m2, 7n) };
    failsOn("HCol with a fixed k", reuseReveals(fixedK, false), 5);
  });

  it("[CH-16] h and r: accepted bytes re-encode to themselves, the rest is a DecodeError", () => {
    holds("[CH-16] AM04 hash canonical", canonical(hashRoundTrip, 1), { numRuns: 300 });
    holds("[CH-16] AM04 randomness canonical", canonical(randomnessRoundTrip, 2), { numRuns: 300 });
    // Negative control: a decoder that reduces s mod n instead of rejecting it.
    const reducing: RoundTrip = (b) =>
      b.length === 64
        ? Result.succeed(concatBytes(b.slice(0, 32), be32(bytesToNumberBE(b.slice(32)) % N)))
        : randomnessRoundTrip(b);
    const found = failsOn("s reduced mod n", canonical(reducing, 2), 100);
    expect(bytesToNumberBE(found.value[0].slice(32))).toBeGreaterThanOrEqual(N);
  });

  it("[CH-16] each rejection names the AM04 field, its reason and its offset", () => {
    const rOf = (rho: bigint, s: bigint) => concatBytes(be32(rho), be32(s));
    const cases: [Result.Result<unknown, { readonly message: string }>, string][] = [
      [Am04.decodeHash(be32(N)), "ScalarOutOfRange at byte 0: AM04 hash h: scalar >= n"],
      [Am04.decodeHash(be32(N + 1n)), "ScalarOutOfRange at byte 0: AM04 hash h: scalar >= n"],
      [Am04.decodeHash(be32(2n ** 256n - 1n)), "ScalarOutOfRange at byte 0: AM04 hash h: scalar >= n"],
      [Am04.decodeHash(new Uint8Array(31)), "ShortInput at byte 0: AM04 hash h: need 32 bytes, 31 left"],
      [Am04.decodeHash(new Uint8Array(0)), "ShortInput at byte 0: AM04 hash h: need 32 bytes, 0 left"],
      [Am04.decodeHash(new Uint8Array(33)), "TrailingBytes at byte 32: 1 bytes after the end of the value"],
      [Am04.decodeRandomness(rOf(N, 1n)), "ScalarOutOfRange at byte 0: AM04 randomness rho: scalar >= n"],
      [Am04.decodeRandomness(rOf(1n, N + 1n)), "ScalarOutOfRange at byte 32: AM04 randomness s: scalar >= n"],
      [Am04.decodeRandomness(rOf(1n, 2n ** 256n - 1n)), "ScalarOutOfRange at byte 32: AM04 randomness s: scalar >= n"],
      [Am04.decodeRandomness(rOf(N, N)), "ScalarOutOfRange at byte 0: AM04 randomness rho: scalar >= n"],
      [Am04.decodeRandomness(new Uint8Array(63)), "ShortInput at byte 32: AM04 randomness s: need 32 bytes, 31 left"],
      [Am04.decodeRandomness(new Uint8Array(20)), "ShortInput at byte 0: AM04 randomness rho: need 32 bytes, 20 left"],
      [Am04.decodeRandomness(new Uint8Array(66)), "TrailingBytes at byte 64: 2 bytes after the end of the value"],
      [Am04.decodePublicKey(new Uint8Array(33)), "PointIdentity at byte 0: AM04 public key Y: identity point"],
      [Am04.decodeTrapdoor(new Uint8Array(32)), "ScalarZero at byte 0: AM04 trapdoor x: scalar is zero"],
      [Am04.decodeTrapdoor(be32(N)), "ScalarOutOfRange at byte 0: AM04 trapdoor x: scalar >= n"],
    ];
    expect(cases.map(([r]) => messageOf(r))).toEqual(cases.map(([, want]) => want));
    // The largest values in range are accepted, and the decoded values are the integers encoded.
    expect(Am04.decodeHash(be32(N - 1n))).toEqual(Result.succeed(N - 1n));
    expect(Am04.decodeRandomness(rOf(0n, N - 1n))).toEqual(Result.succeed({ rho: 0n, s: N - 1n }));
  });

  it("[CH-2] [CH-16] byte level: sizes, decode order (key, trapdoor, h, r) and a label flow", () => {
    expect(am04Scheme.sizes).toEqual({ publicKey_bytes: 33, trapdoor_bytes: 32, hash_bytes: 32, randomness_bytes: 64 });
    const seed = utf8ToBytes("institution A");
    const keys = Result.getOrThrow(run(am04Scheme.keyGen, seed));
    const emr = utf8ToBytes("digest of the encrypted EMR");
    const medical = Result.getOrThrow(run(am04Scheme.hash(keys.publicKey, emr), seed));
    expect([keys.publicKey.length, keys.trapdoor.length, medical.h.length, medical.r.length]).toEqual([33, 32, 32, 64]);
    const corrected = utf8ToBytes("digest of the corrected EMR");
    const r2 = Result.getOrThrow(
      run(am04Scheme.collide(keys.publicKey, keys.trapdoor, emr, medical.h, medical.r, corrected), seed),
    );
    const key = Result.getOrThrow(am04Scheme.key(keys.publicKey, { prepare: true }));
    expect([key.prepared, key.scheme]).toEqual([true, 0x02]);
    expect([
      key.verify(corrected, medical.h, r2),
      key.verify(emr, medical.h, r2),
      key.verify(emr, medical.h, medical.r),
    ]).toEqual([Result.succeed(true), Result.succeed(false), Result.succeed(true)]);
    // Every input malformed: the first in decode order gives the error.
    const [badPk, badTd, badH, badR] = [new Uint8Array(33), new Uint8Array(32), be32(N), new Uint8Array(63)];
    const collideBytes = (pk: Uint8Array, td: Uint8Array, h: Uint8Array, r: Uint8Array) =>
      messageOf(run(am04Scheme.collide(pk, td, emr, h, r, corrected), seed));
    expect(collideBytes(badPk, badTd, badH, badR)).toBe("PointIdentity at byte 0: AM04 public key Y: identity point");
    expect(collideBytes(keys.publicKey, badTd, badH, badR)).toBe(
      "ScalarZero at byte 0: AM04 trapdoor x: scalar is zero",
    );
    expect(collideBytes(keys.publicKey, keys.trapdoor, badH, badR)).toBe(
      "ScalarOutOfRange at byte 0: AM04 hash h: scalar >= n",
    );
    expect(collideBytes(keys.publicKey, keys.trapdoor, medical.h, badR)).toBe(
      "ShortInput at byte 32: AM04 randomness s: need 32 bytes, 31 left",
    );
    expect(messageOf(am04Scheme.verify(keys.publicKey, emr, badH, badR))).toBe(
      "ScalarOutOfRange at byte 0: AM04 hash h: scalar >= n",
    );
  });

  it("[CH-6] [CH-10] HGen draws x, Hash draws rho then s, HCol draws k: 48 bytes each, in that order", () => {
    holds("[CH-10] AM04 draw order", drawOrder(SPEC_ORDER), { numRuns: 10 });
    // Negative control: the two Hash draws read in the other order (s, then rho).
    const swapped: FromDraws = {
      coinsOf: ([s = 0n, rho = 0n]) => ({ rho, s }),
      hash: (pk, m, draws) => REAL.hash(pk, m, swapped.coinsOf(draws)),
    };
    failsOn("draws read as s, rho", drawOrder(swapped), 5);
    expect(Am04.keyGenWithRandomness(0n)).toMatchObject({
      _tag: "Failure",
      failure: { _tag: "ChameleonBadCoins", coin: "x" },
    });
    expect(Am04.keyGenWithRandomness(N)).toMatchObject({
      _tag: "Failure",
      failure: { _tag: "ChameleonBadCoins", coin: "x" },
    });
  });

  it("[CH-12] [CH-18] a prepared key gives byte-identical results", () => {
    holds("[CH-12] AM04 prepared keys agree", preparedAgrees(Am04.preparePublicKey), { numRuns: 6 });
    // Negative control: a key cache that hands out the prepared key of another institution.
    const other = Am04.preparePublicKey(keyOf(3n).publicKey);
    failsOn(
      "prepared key of another institution",
      preparedAgrees(() => other),
      5,
    );
  });
});
