/**
 * Capsule fragments (spec/proxy-re-encryption.md, [PRE-13], [PRE-14], [PRE-16]). ReEnc with kfrag
 * (rk, U1) and nonce τ: E1 = rk·E, V1 = rk·V, and a Chaum–Pedersen proof that E1, V1 and U1 share the
 * exponent rk: E2 = τ·E, V2 = τ·V, U2 = τ·U, h = H_CFRAG_VERIFICATION(E ‖ E1 ‖ E2 ‖ V ‖ V1 ‖ V2 ‖ U ‖ U1 ‖
 * U2), z = τ + h·rk. The cfrag also carries the kfrag's id, X_A and its signature for the receiver, so
 * the delegatee can check who authorized the share. Encodings: umbral-pre's `CapsuleFrag.toBytes`
 * (MessagePack, 381 bytes) and `toBytesSimple` (359 bytes).
 * @module
 */
import { normalizeZ } from "@noble/curves/abstract/curve.js";
import { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { readPoint, readScalar, Secp, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
import { decodeWith, type Reader } from "../../codec/reader.js";
import { encodeWith, type Writer } from "../../codec/writer.js";
import { concatBytes } from "../bytes.js";
import { type Capsule, checkCapsule } from "./capsule.js";
import { checkScalarCoin } from "./coins.js";
import {
  type CapsuleFragInvalid,
  type CapsuleInvalid,
  CapsuleFragInvalid as CFragInvalid,
  type PreBadCoins,
} from "./errors.js";
import { hashCapsulePoints, hashToCfragVerification, kfragSignatureMessage } from "./hashing.js";
import type { PublicKey } from "./keys.js";
import type { VerifiedKeyFrag } from "./kfrag.js";
import { readBinSignature } from "./kfrag.js";
import { readBin, readBinPoint, readBinScalar, readStruct, writeBin, writeBinPoint, writeStruct } from "./msgpack.js";
import { KFRAG_ID_BYTES, umbralU } from "./params.js";
import { compressed, mulBase, mulSecret, mulSubPublic } from "./points.js";
import { readSignatureBody, type Signature, verifySignature } from "./signature.js";

const Fn = Secp.Fn;

/** The re-encryption proof (umbral-pre: point_e2, point_v2, kfrag_commitment, kfrag_pok, signature, kfrag_signature). */
export interface CapsuleFragProof {
  readonly e2: SecpPoint;
  readonly v2: SecpPoint;
  /** U1 = rk·U, copied from the kfrag. */
  readonly commitment: SecpPoint;
  /** U2 = τ·U. */
  readonly pok: SecpPoint;
  /** z = τ + h·rk. */
  readonly z: bigint;
  /** The kfrag's signature for the receiver. */
  readonly kfragSignature: Signature;
}

export interface CapsuleFrag {
  readonly e1: SecpPoint;
  readonly v1: SecpPoint;
  readonly kfragId: Uint8Array;
  readonly precursor: SecpPoint;
  readonly proof: CapsuleFragProof;
}

declare const verifiedCapsuleFrag: unique symbol;
/** A cfrag that passed PRE-14 (or was made by this process's ReEnc); only Dec2 accepts it. */
export interface VerifiedCapsuleFrag {
  readonly cfrag: CapsuleFrag;
  readonly [verifiedCapsuleFrag]: true;
}
const markVerified = (cfrag: CapsuleFrag): VerifiedCapsuleFrag => ({ cfrag }) as VerifiedCapsuleFrag;

/**
 * [PRE-13] ReEnc with an explicit τ in [1, n). V1 and V2 use the capsule's own equation V = s·G − h·E:
 * rk·V = (rk·s)·G − h·E1 and τ·V = (τ·s)·G − h·E2, a fixed-base multiplication and a public-scalar one
 * instead of a second variable-base multiplication by a secret (the results are the same points).
 */
export const reencryptWithRandomness = (
  capsule: Capsule,
  verified: VerifiedKeyFrag,
  tau: bigint,
): Result.Result<VerifiedCapsuleFrag, CapsuleInvalid | PreBadCoins> => {
  const badTau = checkScalarCoin("tau", tau);
  if (badTau !== undefined) return Result.fail(badTau);
  return Result.map(checkCapsule(capsule), ({ e, v, s }) => {
    const { kfrag } = verified;
    const h = hashCapsulePoints(e, v);
    const e1 = mulSecret(e, kfrag.key);
    const e2 = mulSecret(e, tau);
    const [ne1, nv1, ne2, nv2, pok] = normalizeZ(Secp, [
      e1,
      mulBase(Fn.mul(kfrag.key, s)).add(e1.multiplyUnsafe(Fn.neg(h))),
      e2,
      mulBase(Fn.mul(tau, s)).add(e2.multiplyUnsafe(Fn.neg(h))),
      mulSecret(umbralU(), tau),
    ]) as [SecpPoint, SecpPoint, SecpPoint, SecpPoint, SecpPoint];
    const challenge = hashToCfragVerification({
      e,
      e1: ne1,
      e2: ne2,
      v,
      v1: nv1,
      v2: nv2,
      u1: kfrag.commitment,
      u2: pok,
    });
    const proof: CapsuleFragProof = {
      e2: ne2,
      v2: nv2,
      commitment: kfrag.commitment,
      pok,
      z: Fn.add(tau, Fn.mul(challenge, kfrag.key)),
      kfragSignature: kfrag.signatureForReceiver,
    };
    return markVerified(Object.freeze({ e1: ne1, v1: nv1, kfragId: kfrag.id, precursor: kfrag.precursor, proof }));
  });
};

/** The keys a cfrag is checked against. */
export interface CFragVerificationKeys {
  readonly verifying: PublicKey;
  readonly delegating: PublicKey;
  readonly receiving: PublicKey;
}

/**
 * [PRE-14] The kfrag signature (over id ‖ U1 ‖ X_A ‖ 0x01 ‖ pk_A ‖ 0x01 ‖ pk_B, by the signer), then the
 * three proof equations z·E = E2 + h·E1, z·V = V2 + h·V1, z·U = U2 + h·U1.
 */
export const verifyCapsuleFrag = (
  cfrag: CapsuleFrag,
  capsule: Capsule,
  keys: CFragVerificationKeys,
): Result.Result<VerifiedCapsuleFrag, CapsuleInvalid | CapsuleFragInvalid> =>
  Result.flatMap(checkCapsule(capsule), ({ e, v }) => {
    const { proof } = cfrag;
    const message = kfragSignatureMessage(
      cfrag.kfragId,
      proof.commitment,
      cfrag.precursor,
      keys.delegating.point,
      keys.receiving.point,
    );
    if (!verifySignature(keys.verifying, message, proof.kfragSignature)) {
      return Result.fail(
        new CFragInvalid({
          reason: "Signature",
          detail: "the kfrag signature does not verify for this signer and these keys",
        }),
      );
    }
    const h = hashToCfragVerification({
      e,
      e1: cfrag.e1,
      e2: proof.e2,
      v,
      v1: cfrag.v1,
      v2: proof.v2,
      u1: proof.commitment,
      u2: proof.pok,
    });
    const holds =
      mulSubPublic(e, proof.z, cfrag.e1, h).equals(proof.e2) &&
      mulSubPublic(v, proof.z, cfrag.v1, h).equals(proof.v2) &&
      mulSubPublic(umbralU(), proof.z, proof.commitment, h).equals(proof.pok);
    if (!holds) return Result.fail(new CFragInvalid({ reason: "Proof", detail: "the re-encryption proof fails" }));
    return Result.succeed(markVerified(cfrag));
  });

const CFRAG_FIELDS = 5;
const PROOF_FIELDS = 6;

/**
 * [PRE-16] fixarray(5) [bin8(E1), bin8(V1), bin8(id), bin8(X_A),
 * fixarray(6) [bin8(E2), bin8(V2), bin8(U1), bin8(U2), bin8(z), bin8(signature)] ]: 381 bytes.
 */
export const writeCapsuleFrag = (w: Writer, cfrag: CapsuleFrag): Writer => {
  const { proof } = cfrag;
  writeBinPoint(
    writeBin(writeBinPoint(writeBinPoint(writeStruct(w, CFRAG_FIELDS), cfrag.e1), cfrag.v1), cfrag.kfragId),
    cfrag.precursor,
  );
  writeBinPoint(
    writeBinPoint(writeBinPoint(writeBinPoint(writeStruct(w, PROOF_FIELDS), proof.e2), proof.v2), proof.commitment),
    proof.pok,
  );
  return writeBin(writeBin(w, scalarToBytes(proof.z)), proof.kfragSignature);
};

export const readCapsuleFrag = (r: Reader): CapsuleFrag => {
  readStruct(r, CFRAG_FIELDS, "CapsuleFrag");
  const e1 = readBinPoint(r, "CapsuleFrag E1");
  const v1 = readBinPoint(r, "CapsuleFrag V1");
  const kfragId = readBin(r, KFRAG_ID_BYTES, "CapsuleFrag kfrag id");
  const precursor = readBinPoint(r, "CapsuleFrag precursor");
  readStruct(r, PROOF_FIELDS, "CapsuleFrag proof");
  const proof: CapsuleFragProof = {
    e2: readBinPoint(r, "CapsuleFrag E2"),
    v2: readBinPoint(r, "CapsuleFrag V2"),
    commitment: readBinPoint(r, "CapsuleFrag U1"),
    pok: readBinPoint(r, "CapsuleFrag U2"),
    z: readBinScalar(r, "CapsuleFrag z"),
    kfragSignature: readBinSignature(r, "CapsuleFrag kfrag signature"),
  };
  return Object.freeze({ e1, v1, kfragId, precursor, proof });
};

export const encodeCapsuleFrag = (cfrag: CapsuleFrag): Uint8Array => encodeWith((w) => writeCapsuleFrag(w, cfrag));

/** [PRE-17] Decodes umbral-pre's `CapsuleFrag.toBytes` (also `VerifiedCapsuleFrag.toBytes`). */
export const decodeCapsuleFrag = (bytes: Uint8Array): Result.Result<CapsuleFrag, DecodeError> =>
  decodeWith(bytes, readCapsuleFrag);

/** [PRE-16] E1 ‖ V1 ‖ id ‖ X_A ‖ E2 ‖ V2 ‖ U1 ‖ U2 ‖ z ‖ signature (359 bytes, `toBytesSimple`). */
export const encodeCapsuleFragSimple = (cfrag: CapsuleFrag): Uint8Array => {
  const { proof } = cfrag;
  return concatBytes(
    compressed(cfrag.e1),
    compressed(cfrag.v1),
    cfrag.kfragId,
    compressed(cfrag.precursor),
    ...[proof.e2, proof.v2, proof.commitment, proof.pok].map(compressed),
    scalarToBytes(proof.z),
    proof.kfragSignature,
  );
};

/** [PRE-17] Decodes the simple form (umbral-pre writes it but cannot read it back). */
export const decodeCapsuleFragSimple = (bytes: Uint8Array): Result.Result<CapsuleFrag, DecodeError> =>
  decodeWith(bytes, (r) => {
    const e1 = readPoint(r, "CapsuleFrag E1");
    const v1 = readPoint(r, "CapsuleFrag V1");
    const kfragId = r.fixed(KFRAG_ID_BYTES, "CapsuleFrag kfrag id");
    const precursor = readPoint(r, "CapsuleFrag precursor");
    const proof: CapsuleFragProof = {
      e2: readPoint(r, "CapsuleFrag E2"),
      v2: readPoint(r, "CapsuleFrag V2"),
      commitment: readPoint(r, "CapsuleFrag U1"),
      pok: readPoint(r, "CapsuleFrag U2"),
      z: readScalar(r, "CapsuleFrag z"),
      kfragSignature: readSignatureBody(r, "CapsuleFrag kfrag signature"),
    };
    return Object.freeze({ e1, v1, kfragId, precursor, proof });
  });
