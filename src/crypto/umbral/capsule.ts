/**
 * The capsule (spec/proxy-re-encryption.md, [PRE-7], [PRE-9], [PRE-10], [PRE-16]): the KEM part of
 * Umbral. Encapsulation to pk_A with r, u in [1, n): E = r·G, V = u·G, s = u + r·H(E ‖ V), and the key
 * seed is the compressed point (r + u)·pk_A. The delegator opens it as a·(E + V). A capsule is valid when
 * s·G = V + H(E ‖ V)·E (and, SPChain's addition, E + V is not the identity, whose key seed has no
 * encoding). Encodings: umbral-pre's `toBytes` (MessagePack, 105 bytes) and `toBytesSimple` (98 bytes).
 * @module
 */
import { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { readPoint, readScalar, Secp, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
import { decodeWith, type Reader } from "../../codec/reader.js";
import { encodeWith, type Writer } from "../../codec/writer.js";
import { concatBytes } from "../bytes.js";
import { checkScalarCoin } from "./coins.js";
import { CapsuleInvalid, PreBadCoins } from "./errors.js";
import { hashCapsulePoints } from "./hashing.js";
import type { PublicKey, SecretKey } from "./keys.js";
import { readBinPoint, readBinScalar, readStruct, writeBin, writeBinPoint, writeStruct } from "./msgpack.js";
import { compressed, mulBase, mulSecret, mulSubPublic } from "./points.js";

const Fn = Secp.Fn;

/** E, V and the signature scalar s (umbral-pre's field names: point_e, point_v, signature). */
export interface Capsule {
  readonly e: SecpPoint;
  readonly v: SecpPoint;
  readonly s: bigint;
}

/** What encapsulation gives: the capsule and the key seed (the 33-byte shared point). */
export interface Encapsulation {
  readonly capsule: Capsule;
  readonly keySeed: Uint8Array;
}

const CAPSULE_FIELDS = 3;

/** Capsules known to be valid: made by `encapsulate`, or checked once. Capsules are immutable. */
const validCapsules = new WeakSet<Capsule>();
const simpleEncodings = new WeakMap<Capsule, Uint8Array>();

/**
 * [PRE-8] The DEM's associated data, E ‖ V ‖ s, computed once per capsule object (every Enc, Dec1 and
 * Dec2 needs it). The bytes are shared: only this module's callers inside umbral/ get them, never users.
 */
export const capsuleAssociatedData = (capsule: Capsule): Uint8Array => {
  let bytes = simpleEncodings.get(capsule);
  if (bytes === undefined) {
    bytes = concatBytes(compressed(capsule.e), compressed(capsule.v), scalarToBytes(capsule.s));
    simpleEncodings.set(capsule, bytes);
  }
  return bytes;
};

/**
 * [PRE-16] E ‖ V ‖ s (98 bytes): `toBytesSimple`. A fresh copy, so that a caller changing it cannot
 * change the associated data that later decryptions of this capsule use.
 */
export const encodeCapsuleSimple = (capsule: Capsule): Uint8Array => capsuleAssociatedData(capsule).slice();

const readSimple = (r: Reader): Capsule => ({
  e: readPoint(r, "capsule E"),
  v: readPoint(r, "capsule V"),
  s: readScalar(r, "capsule s"),
});

/** [PRE-17] Decodes E ‖ V ‖ s; the capsule's validity is checked where it is used (PRE-9). */
export const decodeCapsuleSimple = (bytes: Uint8Array): Result.Result<Capsule, DecodeError> =>
  decodeWith(bytes, readSimple);

/** [PRE-16] MessagePack: fixarray(3) [bin8(E), bin8(V), bin8(s)], 105 bytes (umbral-pre `Capsule.toBytes`). */
export const writeCapsule = (w: Writer, capsule: Capsule): Writer =>
  writeBin(
    writeBinPoint(writeBinPoint(writeStruct(w, CAPSULE_FIELDS), capsule.e), capsule.v),
    scalarToBytes(capsule.s),
  );

export const readCapsule = (r: Reader): Capsule => {
  readStruct(r, CAPSULE_FIELDS, "Capsule");
  return { e: readBinPoint(r, "capsule E"), v: readBinPoint(r, "capsule V"), s: readBinScalar(r, "capsule s") };
};

export const encodeCapsule = (capsule: Capsule): Uint8Array => encodeWith((w) => writeCapsule(w, capsule));

/** [PRE-17] Decodes umbral-pre's `Capsule.toBytes`; the validity check is PRE-9's, at use. */
export const decodeCapsule = (bytes: Uint8Array): Result.Result<Capsule, DecodeError> => decodeWith(bytes, readCapsule);

/** [PRE-9] s·G = V + H(E ‖ V)·E and E + V ≠ O; remembered per capsule object. */
export const checkCapsule = (capsule: Capsule): Result.Result<Capsule, CapsuleInvalid> => {
  if (validCapsules.has(capsule)) return Result.succeed(capsule);
  const h = hashCapsulePoints(capsule.e, capsule.v);
  if (!mulSubPublic(Secp.BASE, capsule.s, capsule.e, h).equals(capsule.v)) {
    return Result.fail(new CapsuleInvalid({ detail: "s·G ≠ V + H(E ‖ V)·E" }));
  }
  if (capsule.e.add(capsule.v).is0()) {
    return Result.fail(new CapsuleInvalid({ detail: "E + V is the identity: the key seed would be public" }));
  }
  validCapsules.add(capsule);
  return Result.succeed(capsule);
};

/** [PRE-7] Encapsulation with explicit r, u in [1, n) (r + u ≠ 0 mod n). */
export const encapsulate = (delegating: PublicKey, r: bigint, u: bigint): Result.Result<Encapsulation, PreBadCoins> => {
  const bad = checkScalarCoin("r", r) ?? checkScalarCoin("u", u);
  if (bad !== undefined) return Result.fail(bad);
  const ru = Fn.add(r, u);
  if (ru === 0n) return Result.fail(new PreBadCoins({ coin: "u", detail: "r + u = 0 mod n gives the identity key" }));
  const e = mulBase(r);
  const v = mulBase(u);
  const s = Fn.add(u, Fn.mul(r, hashCapsulePoints(e, v)));
  const capsule: Capsule = Object.freeze({ e, v, s });
  validCapsules.add(capsule);
  return Result.succeed({ capsule, keySeed: compressed(mulSecret(delegating.point, ru)) });
};

/** [PRE-10] The delegator's key seed a·(E + V), for a valid capsule. */
export const openOriginal = (delegating: SecretKey, capsule: Capsule): Result.Result<Uint8Array, CapsuleInvalid> =>
  Result.map(checkCapsule(capsule), (valid) => compressed(mulSecret(valid.e.add(valid.v), delegating.scalar)));
