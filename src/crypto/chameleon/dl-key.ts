/**
 * What the discrete-log chameleon hashes on secp256k1 share (spec/chameleon-hash.md [CH-4], [CH-10],
 * [CH-12], [CH-16]): the hash key Y = x·G with its optional tables, the trapdoor x, their strict encodings,
 * and the range check of explicitly given random values. DSS20 and AM04 differ only in their hash value,
 * randomness and algorithms.
 * @module
 */
import { Effect, Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import {
  CURVE_ORDER,
  pointToBytes,
  readPoint,
  readScalar,
  Secp,
  type SecpPoint,
  scalarToBytes,
} from "../../codec/fields.js";
import { decodeWith } from "../../codec/reader.js";
import type { Randomness } from "../random.js";
import { drawCoins } from "./coins.js";
import { ChameleonBadCoins } from "./errors.js";

/** [CH-12] Window of the tables a prepared public key carries (noble wNAF precompute). */
export const PREPARED_WINDOW_BITS = 6;

export const G = Secp.BASE;
export const modN = (value: bigint): bigint => Secp.Fn.create(value);

/** The public hash key Y = x·G with its encoding; `prepared` when Y carries precomputed tables (CH-12). */
export interface DlPublicKey {
  readonly point: SecpPoint;
  readonly bytes: Uint8Array;
  readonly prepared: boolean;
}

/** The trapdoor x in [1, n). */
export interface DlTrapdoor {
  readonly x: bigint;
}

export interface DlKeyPair {
  readonly publicKey: DlPublicKey;
  readonly trapdoor: DlTrapdoor;
}

/** [CH-4] Y from a point other than the identity. */
export const publicKeyFromPoint = (point: SecpPoint): DlPublicKey => ({
  point,
  bytes: pointToBytes(point),
  prepared: false,
});

/** [CH-4] 33 bytes: prefix 0x02/0x03, x < p, on the curve. `scheme` names the scheme in error details. */
export const decodePublicKeyOf =
  (scheme: string) =>
  (bytes: Uint8Array): Result.Result<DlPublicKey, DecodeError> =>
    decodeWith(bytes, (r) => ({
      point: readPoint(r, `${scheme} public key Y`),
      bytes: bytes.slice(),
      prepared: false,
    }));

/** [CH-4] 32 bytes, big-endian, in [1, n). */
export const decodeTrapdoorOf =
  (scheme: string) =>
  (bytes: Uint8Array): Result.Result<DlTrapdoor, DecodeError> =>
    decodeWith(bytes, (r) => ({ x: readScalar(r, `${scheme} trapdoor x`, true) }));

export const encodeTrapdoor = (trapdoor: DlTrapdoor): Uint8Array => {
  if (trapdoor.x === 0n) throw new RangeError("the trapdoor is never zero");
  return scalarToBytes(trapdoor.x);
};

/**
 * [CH-12] Builds Y's multiplication tables once; worth it for a key used more than a few times. The
 * tables hang on a copy of the point (noble keys them by instance), so the input key is left as it was.
 */
export const preparePublicKey = (publicKey: DlPublicKey): DlPublicKey => {
  if (publicKey.prepared) return publicKey;
  const point = Secp.fromAffine(publicKey.point.toAffine()).precompute(PREPARED_WINDOW_BITS, false);
  return { ...publicKey, point, prepared: true };
};

/** [CH-9] [CH-18] Whether x·G is the hash key (x is secret: constant-time multiply). */
export const trapdoorMatches = (publicKey: DlPublicKey, trapdoor: DlTrapdoor): boolean =>
  G.multiply(trapdoor.x).equals(publicKey.point);

const inRange = (value: bigint, nonZero: boolean): boolean => value >= (nonZero ? 1n : 0n) && value < CURVE_ORDER;

/** [CH-11] The first coin out of its range ([1, n) for the names in `nonZero`, else [0, n)), if any. */
export const badCoin = (coins: Record<string, bigint>, nonZero: readonly string[]): ChameleonBadCoins | undefined => {
  for (const [coin, value] of Object.entries(coins)) {
    const needsNonZero = nonZero.includes(coin);
    if (!inRange(value, needsNonZero)) {
      return new ChameleonBadCoins({ coin, detail: `${value} is not in [${needsNonZero ? 1 : 0}, n)` });
    }
  }
  return undefined;
};

/** [CH-6] HGen with the trapdoor given: Y = x·G, x in [1, n). */
export const keyGenWithRandomness = (x: bigint): Result.Result<DlKeyPair, ChameleonBadCoins> => {
  const bad = badCoin({ x }, ["x"]);
  return bad ? Result.fail(bad) : Result.succeed({ publicKey: publicKeyFromPoint(G.multiply(x)), trapdoor: { x } });
};

/** [CH-6] [CH-10] HGen: x drawn from the `Randomness` service. */
export const keyGen: Effect.Effect<DlKeyPair, never, Randomness> = Effect.map(drawCoins(["x"]), ({ x }) => ({
  publicKey: publicKeyFromPoint(G.multiply(x)),
  trapdoor: { x },
}));
