/**
 * Canonical encodings of the DSS20 objects (spec/chameleon-hash.md, [CH-4]): public key Y (33-byte
 * compressed point), trapdoor x (32-byte scalar in [1, n)), hash value h = h1 ‖ h2 (66 bytes) and
 * randomness r = e1 ‖ e2 ‖ s1 ‖ s2 (128 bytes). Decoding is strict (ENC-6, ENC-7): every rejection is a
 * `DecodeError`, and an accepted encoding is the only encoding of its value, so decoded objects keep
 * their input bytes instead of re-encoding.
 * @module
 */
import type { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import {
  POINT_BYTES,
  pointToBytes,
  readPoint,
  readScalar,
  SCALAR_BYTES,
  type SecpPoint,
  scalarToBytes,
} from "../../codec/fields.js";
import { decodeWith } from "../../codec/reader.js";
import { concatBytes } from "../bytes.js";
import { type DlPublicKey, type DlTrapdoor, decodePublicKeyOf, decodeTrapdoorOf } from "./dl-key.js";
import type { ChameleonSizes } from "./scheme.js";

/** [CH-4] Encoded sizes. */
export const DSS20_SIZES: ChameleonSizes = {
  publicKey_bytes: POINT_BYTES,
  trapdoor_bytes: SCALAR_BYTES,
  hash_bytes: 2 * POINT_BYTES,
  randomness_bytes: 4 * SCALAR_BYTES,
};

/** [CH-4] The DSS20 hash key and trapdoor are the discrete-log key pair every scheme here shares. */
export type Dss20PublicKey = DlPublicKey;
export type Dss20Trapdoor = DlTrapdoor;

/** The hash value: the ElGamal pair (h1, h2) = (ξ·G, M + ξ·Y), with its encoding h1 ‖ h2. */
export interface Dss20Hash {
  readonly h1: SecpPoint;
  readonly h2: SecpPoint;
  readonly bytes: Uint8Array;
}

/** The randomness: the OR-proof (e1, e2, s1, s2), scalars in [0, n). */
export interface Dss20Randomness {
  readonly e1: bigint;
  readonly e2: bigint;
  readonly s1: bigint;
  readonly s2: bigint;
}

/** [CH-4] 33 bytes: prefix 0x02/0x03, x < p, on the curve. */
export const decodePublicKey = decodePublicKeyOf("DSS20");

/** [CH-4] 32 bytes, big-endian, in [1, n). */
export const decodeTrapdoor = decodeTrapdoorOf("DSS20");

/** [CH-4] h1 ‖ h2 from two points other than the identity. */
export const hashFromPoints = (h1: SecpPoint, h2: SecpPoint): Dss20Hash => ({
  h1,
  h2,
  bytes: concatBytes(pointToBytes(h1), pointToBytes(h2)),
});

/** [CH-4] 66 bytes: two points, each as the public key. */
export const decodeHash = (bytes: Uint8Array): Result.Result<Dss20Hash, DecodeError> =>
  decodeWith(bytes, (r) => ({
    h1: readPoint(r, "DSS20 hash h1"),
    h2: readPoint(r, "DSS20 hash h2"),
    bytes: bytes.slice(),
  }));

/** [CH-4] 128 bytes: e1 ‖ e2 ‖ s1 ‖ s2, each 32 bytes big-endian in [0, n). */
export const decodeRandomness = (bytes: Uint8Array): Result.Result<Dss20Randomness, DecodeError> =>
  decodeWith(bytes, (r) => ({
    e1: readScalar(r, "DSS20 randomness e1"),
    e2: readScalar(r, "DSS20 randomness e2"),
    s1: readScalar(r, "DSS20 randomness s1"),
    s2: readScalar(r, "DSS20 randomness s2"),
  }));

export const encodeRandomness = (r: Dss20Randomness): Uint8Array =>
  concatBytes(scalarToBytes(r.e1), scalarToBytes(r.e2), scalarToBytes(r.s1), scalarToBytes(r.s2));
