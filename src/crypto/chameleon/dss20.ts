/**
 * The DSS20 chameleon hash on secp256k1 (spec/chameleon-hash.md, [CH-1], [CH-3]..[CH-10], [CH-12], [CH-13]):
 * Derler-Samelin-Slamanig (PKC 2020), discrete-log instantiation. The hash value is an ElGamal
 * encryption (h1, h2) = (ξ·G, M + ξ·Y) of the message point M = H2C(m) under the hash key Y = x·G, and
 * the randomness is a Fiat-Shamir CDS OR-proof that either (h1, h2 − M) is an encryption of M (witness ξ)
 * or the prover knows the trapdoor x. Hash proves the first branch, HCol the second; both simulate the
 * other. Fully collision-resistant and key-exposure free (a collision is a zero-knowledge proof).
 *
 * Functions over decoded objects; the byte-level scheme is dss20-scheme.ts. Each randomized operation has
 * a `…WithRandomness` form taking every random value (vectors) and an `Effect` form drawing them from the
 * `Randomness` service ([CH-10]).
 * @module
 */
import { normalizeZ } from "@noble/curves/abstract/curve.js";
import { Effect, Result } from "effect";
import { POINT_BYTES, Secp, type SecpPoint } from "../../codec/fields.js";
import { concatBytes } from "../bytes.js";
import type { Randomness } from "../random.js";
import { drawCoins } from "./coins.js";
import { badCoin, type DlKeyPair, G, modN, trapdoorMatches } from "./dl-key.js";
import {
  type Dss20Hash,
  type Dss20PublicKey,
  type Dss20Randomness,
  type Dss20Trapdoor,
  hashFromPoints,
} from "./encoding.js";
import { ChameleonBadCoins, ChameleonOriginalInvalid, ChameleonTrapdoorMismatch } from "./errors.js";
import { hashToPoint, hashToScalar } from "./rfc9380.js";

/** [CH-3] RFC 9380 domain separation tag of the message point M. */
export const DST_MSG = "SPCHAIN-V1-CH-DSS20-MSG";
/** [CH-3] RFC 9380 domain separation tag of the Fiat-Shamir challenge. */
export const DST_FS = "SPCHAIN-V1-CH-DSS20-FS";

export type Dss20KeyPair = DlKeyPair;

/** Hash output. */
export interface Dss20Digest {
  readonly hash: Dss20Hash;
  readonly randomness: Dss20Randomness;
}

/** [CH-7] The random values of Hash: ξ and k1 in [1, n) (secret), e2 and s2 in [0, n) (published in r). */
export interface HashCoins {
  readonly xi: bigint;
  readonly k1: bigint;
  readonly e2: bigint;
  readonly s2: bigint;
}

/** [CH-9] The random values of HCol: k2 in [1, n) (secret), e1' and s1' in [0, n) (published in r'). */
export interface CollisionCoins {
  readonly k2: bigint;
  readonly e1: bigint;
  readonly s1: bigint;
}

/** [CH-5] M = H2C(DST_MSG, m). */
export const messagePoint = (message: Uint8Array): SecpPoint => hashToPoint(DST_MSG, message);

const IDENTITY_IN_TRANSCRIPT = new Uint8Array(POINT_BYTES);

/**
 * [CH-5] e = hash_to_field(DST_FS, Y ‖ h1 ‖ h2 ‖ M ‖ u11 ‖ u12 ‖ u2): every point as 33 compressed bytes,
 * the identity (possible for M and the u's only) as 33 zero bytes. One shared inversion normalizes
 * the four computed points.
 */
const challenge = (publicKey: Dss20PublicKey, hash: Dss20Hash, points: readonly SecpPoint[]): bigint => {
  const encoded = normalizeZ(Secp, [...points]).map((p) => (p.is0() ? IDENTITY_IN_TRANSCRIPT : p.toBytes(true)));
  return hashToScalar(DST_FS, concatBytes(publicKey.bytes, hash.bytes, ...encoded));
};

/** [CH-12] a·P − b·Q for public scalars (variable time); `P` and `Q` may be the identity. */
const diffUnsafe = (a: bigint, p: SecpPoint, b: bigint, q: SecpPoint): SecpPoint =>
  p.multiplyUnsafe(a).subtract(q.multiplyUnsafe(b));

/**
 * [CH-12] s·Y − e·D where Y is the hash key: with its tables (prepared), two separate multiplications;
 * without, one joint Strauss-Shamir walk (cheaper than two table-less multiplications).
 */
const keyDiffUnsafe = (publicKey: Dss20PublicKey, s: bigint, e: bigint, d: SecpPoint): SecpPoint =>
  publicKey.prepared || d.is0() ? diffUnsafe(s, publicKey.point, e, d) : publicKey.point.mulAddUnsafe(s, d, modN(-e));

/** [CH-8] The branch-1 commitments u11 = s1·G − e1·h1 and u12 = s1·Y − e1·(h2 − M), from public scalars. */
const commitments = (
  publicKey: Dss20PublicKey,
  hash: Dss20Hash,
  m: SecpPoint,
  e1: bigint,
  s1: bigint,
): [SecpPoint, SecpPoint] => [diffUnsafe(s1, G, e1, hash.h1), keyDiffUnsafe(publicKey, s1, e1, hash.h2.subtract(m))];

/** [CH-7] Hash with every random value given; the only failure is a value out of range or h2 = identity. */
export const hashWithRandomness = (
  publicKey: Dss20PublicKey,
  message: Uint8Array,
  coins: HashCoins,
): Result.Result<Dss20Digest, ChameleonBadCoins> => {
  const bad = badCoin({ ...coins }, ["xi", "k1"]);
  if (bad) return Result.fail(bad);
  const { xi, k1, e2, s2 } = coins;
  const y = publicKey.point;
  const m = messagePoint(message);
  // Secret scalars (ξ, k1) use the constant-time multiply; e2, s2 are published in r.
  const h2 = m.add(y.multiply(xi));
  if (h2.is0()) return Result.fail(new ChameleonBadCoins({ coin: "xi", detail: "h2 = M + xi·Y is the identity" }));
  const [h1, h2Affine] = normalizeZ(Secp, [G.multiply(xi), h2]) as [SecpPoint, SecpPoint];
  const hash = hashFromPoints(h1, h2Affine);
  const u2 = diffUnsafe(s2, G, e2, y);
  const e = challenge(publicKey, hash, [m, G.multiply(k1), y.multiply(k1), u2]);
  const e1 = modN(e - e2);
  return Result.succeed({ hash, randomness: { e1, e2, s1: modN(k1 + e1 * xi), s2 } });
};

/**
 * [CH-8] HVer: recompute u11 = s1·G − e1·h1, u12 = s1·Y − e1·(h2 − M), u2 = s2·G − e2·Y and accept iff
 * e1 + e2 = H_FS(Y, h1, h2, M, u11, u12, u2) mod n. All scalars are public: variable-time arithmetic.
 */
export const verify = (
  publicKey: Dss20PublicKey,
  message: Uint8Array,
  hash: Dss20Hash,
  randomness: Dss20Randomness,
): boolean => {
  const { e1, e2, s1, s2 } = randomness;
  const m = messagePoint(message);
  const [u11, u12] = commitments(publicKey, hash, m, e1, s1);
  const u2 = diffUnsafe(s2, G, e2, publicKey.point);
  return modN(e1 + e2) === challenge(publicKey, hash, [m, u11, u12, u2]);
};

/** [CH-9] HCol with drawn or checked coins: the checks on the key and the original, then the proof. */
const collideChecked = (
  publicKey: Dss20PublicKey,
  trapdoor: Dss20Trapdoor,
  message: Uint8Array,
  hash: Dss20Hash,
  randomness: Dss20Randomness,
  newMessage: Uint8Array,
  coins: CollisionCoins,
): Result.Result<Dss20Randomness, ChameleonTrapdoorMismatch | ChameleonOriginalInvalid> => {
  if (!trapdoorMatches(publicKey, trapdoor)) {
    return Result.fail(new ChameleonTrapdoorMismatch({ detail: "x·G is not the hash key Y" }));
  }
  if (!verify(publicKey, message, hash, randomness)) {
    return Result.fail(new ChameleonOriginalInvalid({ detail: "HVer(Y, m, h, r) is false" }));
  }
  const { k2, e1, s1 } = coins;
  const m = messagePoint(newMessage);
  const [u11, u12] = commitments(publicKey, hash, m, e1, s1);
  // k2 is secret: constant-time multiply.
  const e = challenge(publicKey, hash, [m, u11, u12, G.multiply(k2)]);
  const e2 = modN(e - e1);
  return Result.succeed({ e1, e2, s1, s2: modN(k2 + e2 * trapdoor.x) });
};

/** [CH-9] HCol with every random value given. */
export const collideWithRandomness = (
  publicKey: Dss20PublicKey,
  trapdoor: Dss20Trapdoor,
  message: Uint8Array,
  hash: Dss20Hash,
  randomness: Dss20Randomness,
  newMessage: Uint8Array,
  coins: CollisionCoins,
): Result.Result<Dss20Randomness, ChameleonBadCoins | ChameleonTrapdoorMismatch | ChameleonOriginalInvalid> => {
  const bad = badCoin({ ...coins }, ["k2"]);
  if (bad) return Result.fail(bad);
  return collideChecked(publicKey, trapdoor, message, hash, randomness, newMessage, coins);
};

/**
 * [CH-7] [CH-10] Hash: ξ, k1, e2, s2 drawn in that order. Drawn coins are in range, and h2 = identity needs
 * ξ·Y = −M, i.e. a discrete logarithm of a hash-to-curve output: that is a defect, not an error.
 */
export const hash = (publicKey: Dss20PublicKey, message: Uint8Array): Effect.Effect<Dss20Digest, never, Randomness> =>
  Effect.flatMap(drawCoins(["xi", "k1", "e2", "s2"]), (coins) =>
    Effect.orDie(Effect.fromResult(hashWithRandomness(publicKey, message, coins))),
  );

/** [CH-9] [CH-10] [CH-13] HCol: k2, e1', s1' drawn in that order. Collisions chain: r' can be collided again. */
export const collide = (
  publicKey: Dss20PublicKey,
  trapdoor: Dss20Trapdoor,
  message: Uint8Array,
  hash: Dss20Hash,
  randomness: Dss20Randomness,
  newMessage: Uint8Array,
): Effect.Effect<Dss20Randomness, ChameleonTrapdoorMismatch | ChameleonOriginalInvalid, Randomness> =>
  Effect.flatMap(drawCoins(["k2", "e1", "s1"]), (coins) =>
    Effect.fromResult(collideChecked(publicKey, trapdoor, message, hash, randomness, newMessage, coins)),
  );

export {
  encodeTrapdoor,
  keyGen,
  keyGenWithRandomness,
  PREPARED_WINDOW_BITS,
  preparePublicKey,
  publicKeyFromPoint,
} from "./dl-key.js";
export {
  DSS20_SIZES,
  type Dss20Hash,
  type Dss20PublicKey,
  type Dss20Randomness,
  type Dss20Trapdoor,
  decodeHash,
  decodePublicKey,
  decodeRandomness,
  decodeTrapdoor,
  encodeRandomness,
  hashFromPoints,
} from "./encoding.js";
