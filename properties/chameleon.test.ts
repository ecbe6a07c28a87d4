/**
 * Properties of the DSS20 chameleon hash (spec/chameleon-hash.md). Each property is a function of the
 * implementation under test, so that its negative control runs the same check against a deliberately
 * broken variant and must find (and shrink) a counterexample.
 * Cost: a Hash is ~3 ms, an HVer ~5 ms, an HCol ~8 ms; run counts are kept small.
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CURVE_ORDER, Secp } from "../src/codec/fields.js";
import { Dss20 } from "../src/crypto/chameleon/index.js";
import { failsOn, holds } from "./check.js";

type PublicKey = Dss20.Dss20PublicKey;
type Hash = Dss20.Dss20Hash;
type Randomness = Dss20.Dss20Randomness;
type Trapdoor = Dss20.Dss20Trapdoor;
type HashCoins = Dss20.HashCoins;
type CollisionCoins = Dss20.CollisionCoins;

/** The operations a property exercises; broken variants replace one of them. */
interface Impl {
  readonly hash: (pk: PublicKey, m: Uint8Array, coins: HashCoins) => Dss20.Dss20Digest;
  readonly verify: (pk: PublicKey, m: Uint8Array, h: Hash, r: Randomness) => boolean;
  readonly collide: (
    pk: PublicKey,
    td: Trapdoor,
    m: Uint8Array,
    h: Hash,
    r: Randomness,
    m2: Uint8Array,
    coins: CollisionCoins,
  ) => Result.Result<Randomness, { readonly _tag: string }>;
}

const REAL: Impl = {
  hash: (pk, m, coins) => Result.getOrThrow(Dss20.hashWithRandomness(pk, m, coins)),
  verify: Dss20.verify,
  collide: Dss20.collideWithRandomness,
};

const N = CURVE_ORDER;
const modN = (v: bigint): bigint => Secp.Fn.create(v);

// Scalars do not shrink: each shrink step costs a Hash or an HCol, and a 256-bit bigint takes hundreds of
// steps; messages and chain lengths still shrink, and a failure's replay line reproduces it exactly.
const nonZero = fc.noShrink(fc.bigInt({ min: 1n, max: N - 1n }));
const anyScalar = fc.noShrink(fc.bigInt({ min: 0n, max: N - 1n }));
const message = fc.uint8Array({ maxLength: 48 });
const keyPair = nonZero.map((x) => Result.getOrThrow(Dss20.keyGenWithRandomness(x)));
const hashCoins: fc.Arbitrary<HashCoins> = fc.record({ xi: nonZero, k1: nonZero, e2: anyScalar, s2: anyScalar });
const collisionCoins: fc.Arbitrary<CollisionCoins> = fc.record({ k2: nonZero, e1: anyScalar, s1: anyScalar });

const hashAccepted = (impl: Impl) =>
  fc.property(keyPair, message, hashCoins, ({ publicKey }, m, coins) => {
    const { hash, randomness } = impl.hash(publicKey, m, coins);
    return impl.verify(publicKey, m, hash, randomness);
  });

const collisionVerifies = (impl: Impl) =>
  fc.property(keyPair, message, message, hashCoins, collisionCoins, (kp, m, m2, hc, cc) => {
    const { hash, randomness } = impl.hash(kp.publicKey, m, hc);
    const collided = impl.collide(kp.publicKey, kp.trapdoor, m, hash, randomness, m2, cc);
    if (Result.isFailure(collided)) return false;
    // Same h, the new pair verifies, and the original still does.
    return impl.verify(kp.publicKey, m2, hash, collided.success) && impl.verify(kp.publicKey, m, hash, randomness);
  });

const chainedCollisions = (impl: Impl) =>
  fc.property(
    keyPair,
    message,
    hashCoins,
    fc.array(fc.tuple(message, collisionCoins), { minLength: 2, maxLength: 3 }),
    (kp, m0, hc, steps) => {
      const { hash, randomness } = impl.hash(kp.publicKey, m0, hc);
      let [m, r] = [m0, randomness];
      for (const [next, cc] of steps) {
        const collided = impl.collide(kp.publicKey, kp.trapdoor, m, hash, r, next, cc);
        if (Result.isFailure(collided) || !impl.verify(kp.publicKey, next, hash, collided.success)) return false;
        [m, r] = [next, collided.success];
      }
      return true;
    },
  );

const keyPairsOf = (scalars: fc.Arbitrary<[bigint, bigint]>) =>
  scalars
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => [Dss20.keyGenWithRandomness(a), Dss20.keyGenWithRandomness(b)].map(Result.getOrThrow));
const twoKeys = keyPairsOf(fc.tuple(nonZero, nonZero));

const otherKeyRejects = (impl: Impl, keys = twoKeys) =>
  fc.property(keys, message, message, hashCoins, collisionCoins, ([a, b], m, m2, hc, cc) => {
    if (a === undefined || b === undefined) return false;
    const { hash, randomness } = impl.hash(a.publicKey, m, hc);
    const collided = impl.collide(a.publicKey, a.trapdoor, m, hash, randomness, m2, cc);
    if (Result.isFailure(collided)) return false;
    return !impl.verify(b.publicKey, m, hash, randomness) && !impl.verify(b.publicKey, m2, hash, collided.success);
  });

/** Recovers x if two collisions of one key reused k2: s2a − s2b = (e2a − e2b)·x. */
const nonceReuseExtraction = (ra: Randomness, rb: Randomness): bigint | undefined => {
  const de = modN(ra.e2 - rb.e2);
  return de === 0n ? undefined : modN(modN(ra.s2 - rb.s2) * Secp.Fn.inv(de));
};

const collisionsHideTrapdoor = (impl: Impl) =>
  fc.property(keyPair, message, message, hashCoins, collisionCoins, collisionCoins, (kp, m, m2, hc, ca, cb) => {
    // CH-10's premise: each collision's k2 is fresh. Two equal draws (fast-check favours small values, so it
    // happens) reveal x by design; that case is the negative control's, not this property's.
    fc.pre(ca.k2 !== cb.k2);
    const { hash, randomness } = impl.hash(kp.publicKey, m, hc);
    const [a, b] = [ca, cb].map((cc) => impl.collide(kp.publicKey, kp.trapdoor, m, hash, randomness, m2, cc));
    if (a === undefined || b === undefined || Result.isFailure(a) || Result.isFailure(b)) return false;
    return nonceReuseExtraction(a.success, b.success) !== kp.trapdoor.x;
  });

const refusals = (impl: Impl) =>
  fc.property(twoKeys, message, message, hashCoins, collisionCoins, ([a, b], m, m2, hc, cc) => {
    if (a === undefined || b === undefined) return false;
    const { hash, randomness } = impl.hash(a.publicKey, m, hc);
    const wrongKey = impl.collide(a.publicKey, b.trapdoor, m, hash, randomness, m2, cc);
    const tampered = { ...randomness, s1: modN(randomness.s1 + 1n) };
    const invalid = impl.collide(a.publicKey, a.trapdoor, m, hash, tampered, m2, cc);
    return (
      Result.isFailure(wrongKey) &&
      wrongKey.failure._tag === "ChameleonTrapdoorMismatch" &&
      Result.isFailure(invalid) &&
      invalid.failure._tag === "ChameleonOriginalInvalid"
    );
  });

describe("DSS20 chameleon hash", () => {
  it("[CH-7] [CH-8] HVer accepts the output of Hash", () => {
    holds("[CH-7] [CH-8] HVer accepts the output of Hash", hashAccepted(REAL), { numRuns: 25 });
    // Broken Hash: s1 = k1 + e·ξ with the whole challenge e instead of e1 (caught unless e2 = 0).
    const broken: Impl = {
      ...REAL,
      hash: (pk, m, coins) => {
        const d = REAL.hash(pk, m, coins);
        return { ...d, randomness: { ...d.randomness, s1: modN(d.randomness.s1 + coins.e2 * coins.xi) } };
      },
    };
    const found = failsOn("Hash with s1 = k1 + e·xi", hashAccepted(broken), 50);
    expect(found.value[2].e2).not.toBe(0n);
  });

  it("[CH-9] [CH-13] HCol with the trapdoor yields a verifying collision for any new message, same h", () => {
    holds("[CH-9] HCol yields a verifying collision", collisionVerifies(REAL), { numRuns: 15 });
    // Broken HCol: collides to the old message (message confusion), so the new pair does not verify.
    const broken: Impl = { ...REAL, collide: (pk, td, m, h, r, _m2, cc) => REAL.collide(pk, td, m, h, r, m, cc) };
    const found = failsOn("HCol to the old message", collisionVerifies(broken), 50);
    expect(found.value[1]).not.toEqual(found.value[2]);
  });

  it("[CH-13] collisions chain: collide again from a collision", () => {
    holds("[CH-13] collisions chain", chainedCollisions(REAL), { numRuns: 8 });
    // Broken HCol: s2' = k2 + e·x with the whole challenge e instead of e2' (caught unless e1' = 0).
    const broken: Impl = {
      ...REAL,
      collide: (pk, td, m, h, r, m2, cc) =>
        Result.map(REAL.collide(pk, td, m, h, r, m2, cc), (out) => ({ ...out, s2: modN(out.s2 + cc.e1 * td.x) })),
    };
    failsOn("HCol with s2' = k2 + e·x", chainedCollisions(broken), 30);
  });

  it("[CH-8] [CH-13] no hash or collision verifies under another institution's key", () => {
    holds("[CH-13] other keys reject", otherKeyRejects(REAL), { numRuns: 12 });
    // Broken HVer: a key lookup bug that always verifies under institution A's key (x = 1).
    const keyA = Result.getOrThrow(Dss20.keyGenWithRandomness(1n)).publicKey;
    const broken: Impl = { ...REAL, verify: (_pk, m, h, r) => REAL.verify(keyA, m, h, r) };
    const keysWithA = keyPairsOf(fc.tuple(fc.constant(1n), nonZero));
    failsOn("HVer under a fixed key", otherKeyRejects(broken, keysWithA), 10);
  });

  it("[CH-1] [CH-10] collisions do not reveal the trapdoor (key-exposure freeness, fresh k2 per collision)", () => {
    holds("[CH-10] collisions hide x", collisionsHideTrapdoor(REAL), { numRuns: 8 });
    // Broken HCol: a fixed k2 (a constant randomness source); two collisions then give x away.
    const broken: Impl = {
      ...REAL,
      collide: (pk, td, m, h, r, m2, cc) => REAL.collide(pk, td, m, h, r, m2, { ...cc, k2: 1n }),
    };
    failsOn("HCol with a fixed k2", collisionsHideTrapdoor(broken), 10);
  });

  it("[CH-9] [CH-11] HCol refuses a trapdoor of another key and an original that does not verify", () => {
    holds("[CH-11] HCol refusals", refusals(REAL), { numRuns: 8 });
    // Broken HCol: never refuses (skips both checks and returns the input randomness).
    const broken: Impl = { ...REAL, collide: (_pk, _td, _m, _h, r) => Result.succeed(r) };
    failsOn("HCol without checks", refusals(broken), 10);
  });
});
