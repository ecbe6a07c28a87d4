/**
 * The AM04 chameleon hash on secp256k1 (spec/chameleon-hash.md, [CH-15]..[CH-19]): Ateniese and de Medeiros'
 * key-exposure-free chameleon hash (SCN 2004, the Nyberg-Rueppel-style scheme), with the group element mapped
 * to a scalar by a hash to the field. With hash key Y = x·G:
 *
 *   e = Hs_E(Y ‖ ρ ‖ m),  h = ρ − Hs_F(e·Y + s·G)  (mod n),  randomness r = (ρ, s).
 *
 * Anyone can hash (ρ and s are public coins). A collision (ρ', s') for a new message is a Schnorr-type
 * signature on (ρ', m') under x, made with a fresh secret k: ρ' = h + Hs_F(k·G), s' = k − e'·x. So publishing
 * collisions reveals nothing about x, and making one without x is forging such a signature.
 *
 * Functions over decoded objects; the byte-level scheme is am04-scheme.ts. Each randomized operation has a
 * `…WithRandomness` form taking every random value (vectors) and an `Effect` form drawing them ([CH-10]).
 * @module
 */
import { Effect, Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { POINT_BYTES, readScalar, SCALAR_BYTES, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
import { decodeWith } from "../../codec/reader.js";
import { concatBytes } from "../bytes.js";
import type { Randomness } from "../random.js";
import { drawCoins } from "./coins.js";
import {
  badCoin,
  type DlKeyPair,
  type DlPublicKey,
  type DlTrapdoor,
  decodePublicKeyOf,
  decodeTrapdoorOf,
  G,
  modN,
  trapdoorMatches,
} from "./dl-key.js";
import { type ChameleonBadCoins, ChameleonOriginalInvalid, ChameleonTrapdoorMismatch } from "./errors.js";
import { hashToScalar } from "./rfc9380.js";
import type { ChameleonSizes } from "./scheme.js";

/** [CH-15] RFC 9380 domain separation tag of the message challenge e. */
export const DST_E = "SPCHAIN-V1-CH-AM04-E";
/** [CH-15] RFC 9380 domain separation tag of the point-to-scalar map F. */
export const DST_F = "SPCHAIN-V1-CH-AM04-F";

/** [CH-16] Encoded sizes. */
export const AM04_SIZES: ChameleonSizes = {
  publicKey_bytes: POINT_BYTES,
  trapdoor_bytes: SCALAR_BYTES,
  hash_bytes: SCALAR_BYTES,
  randomness_bytes: 2 * SCALAR_BYTES,
};

/** [CH-16] The randomness (ρ, s), scalars in [0, n). */
export interface Am04Randomness {
  readonly rho: bigint;
  readonly s: bigint;
}

export type Am04KeyPair = DlKeyPair;

/** Hash output: the hash value h in [0, n) and its randomness. */
export interface Am04Digest {
  readonly h: bigint;
  readonly randomness: Am04Randomness;
}

/** [CH-16] 33 bytes: prefix 0x02/0x03, x < p, on the curve. */
export const decodePublicKey = decodePublicKeyOf("AM04");
/** [CH-16] 32 bytes, big-endian, in [1, n). */
export const decodeTrapdoor = decodeTrapdoorOf("AM04");

/** [CH-16] 32 bytes, big-endian, in [0, n). */
export const decodeHash = (bytes: Uint8Array): Result.Result<bigint, DecodeError> =>
  decodeWith(bytes, (r) => readScalar(r, "AM04 hash h"));

export const encodeHash = (h: bigint): Uint8Array => scalarToBytes(h);

/** [CH-16] 64 bytes: ρ ‖ s, each 32 bytes big-endian in [0, n). */
export const decodeRandomness = (bytes: Uint8Array): Result.Result<Am04Randomness, DecodeError> =>
  decodeWith(bytes, (r) => ({ rho: readScalar(r, "AM04 randomness rho"), s: readScalar(r, "AM04 randomness s") }));

export const encodeRandomness = (r: Am04Randomness): Uint8Array =>
  concatBytes(scalarToBytes(r.rho), scalarToBytes(r.s));

const IDENTITY_IN_TRANSCRIPT = new Uint8Array(POINT_BYTES);

/** [CH-15] e = Hs_E(enc(Y) ‖ I2OSP(ρ, 32) ‖ m): the key and ρ have fixed widths, so m can run to the end. */
const challenge = (publicKey: DlPublicKey, rho: bigint, message: Uint8Array): bigint =>
  hashToScalar(DST_E, concatBytes(publicKey.bytes, scalarToBytes(rho), message));

/** [CH-15] F(P) = Hs_F(T(P)), where T(P) = enc(P) and T(identity) = 33 zero bytes. */
const pointToScalar = (point: SecpPoint): bigint =>
  hashToScalar(DST_F, point.is0() ? IDENTITY_IN_TRANSCRIPT : point.toBytes(true));

/**
 * [CH-12] e·Y + s·G for public scalars: with Y's tables (prepared), two separate multiplications; without,
 * one joint Strauss-Shamir walk.
 */
const commitment = (publicKey: DlPublicKey, e: bigint, s: bigint): SecpPoint =>
  publicKey.prepared
    ? publicKey.point.multiplyUnsafe(e).add(G.multiplyUnsafe(s))
    : G.mulAddUnsafe(s, publicKey.point, e);

/** [CH-17] [CH-18] h = ρ − F(e·Y + s·G) with e = Hs_E(Y ‖ ρ ‖ m). */
const hashValue = (publicKey: DlPublicKey, message: Uint8Array, randomness: Am04Randomness): bigint =>
  modN(
    randomness.rho - pointToScalar(commitment(publicKey, challenge(publicKey, randomness.rho, message), randomness.s)),
  );

/** [CH-17] Hash with its public coins ρ, s in [0, n) given; the only failure is a value out of range. */
export const hashWithRandomness = (
  publicKey: DlPublicKey,
  message: Uint8Array,
  randomness: Am04Randomness,
): Result.Result<Am04Digest, ChameleonBadCoins> => {
  const bad = badCoin({ rho: randomness.rho, s: randomness.s }, []);
  return bad ? Result.fail(bad) : Result.succeed({ h: hashValue(publicKey, message, randomness), randomness });
};

/** [CH-18] HVer: recompute h from (m, ρ, s); all values are public, so the arithmetic is variable-time. */
export const verify = (publicKey: DlPublicKey, message: Uint8Array, h: bigint, randomness: Am04Randomness): boolean =>
  hashValue(publicKey, message, randomness) === h;

/** [CH-19] HCol after its coin check: the checks on the key and the original, then the new randomness. */
const collideChecked = (
  publicKey: DlPublicKey,
  trapdoor: DlTrapdoor,
  message: Uint8Array,
  h: bigint,
  randomness: Am04Randomness,
  newMessage: Uint8Array,
  k: bigint,
): Result.Result<Am04Randomness, ChameleonTrapdoorMismatch | ChameleonOriginalInvalid> => {
  if (!trapdoorMatches(publicKey, trapdoor)) {
    return Result.fail(new ChameleonTrapdoorMismatch({ detail: "x·G is not the hash key Y" }));
  }
  if (!verify(publicKey, message, h, randomness)) {
    return Result.fail(new ChameleonOriginalInvalid({ detail: "HVer(Y, m, h, r) is false" }));
  }
  // k is secret: constant-time multiply.
  const rho = modN(h + pointToScalar(G.multiply(k)));
  const e = challenge(publicKey, rho, newMessage);
  return Result.succeed({ rho, s: modN(k - e * trapdoor.x) });
};

/** [CH-19] HCol with its secret coin k in [1, n) given. */
export const collideWithRandomness = (
  publicKey: DlPublicKey,
  trapdoor: DlTrapdoor,
  message: Uint8Array,
  h: bigint,
  randomness: Am04Randomness,
  newMessage: Uint8Array,
  k: bigint,
): Result.Result<Am04Randomness, ChameleonBadCoins | ChameleonTrapdoorMismatch | ChameleonOriginalInvalid> => {
  const bad = badCoin({ k }, ["k"]);
  return bad ? Result.fail(bad) : collideChecked(publicKey, trapdoor, message, h, randomness, newMessage, k);
};

/** [CH-10] [CH-17] Hash: ρ, s drawn in that order (drawn coins are in range, so it cannot fail). */
export const hash = (publicKey: DlPublicKey, message: Uint8Array): Effect.Effect<Am04Digest, never, Randomness> =>
  Effect.map(drawCoins(["rho", "s"]), (randomness) => ({ h: hashValue(publicKey, message, randomness), randomness }));

/** [CH-10] [CH-19] HCol: k drawn. Collisions chain: r' can be collided again. */
export const collide = (
  publicKey: DlPublicKey,
  trapdoor: DlTrapdoor,
  message: Uint8Array,
  h: bigint,
  randomness: Am04Randomness,
  newMessage: Uint8Array,
): Effect.Effect<Am04Randomness, ChameleonTrapdoorMismatch | ChameleonOriginalInvalid, Randomness> =>
  Effect.flatMap(drawCoins(["k"]), ({ k }) =>
    Effect.fromResult(collideChecked(publicKey, trapdoor, message, h, randomness, newMessage, k)),
  );

export { encodeTrapdoor, keyGen, keyGenWithRandomness, preparePublicKey } from "./dl-key.js";
