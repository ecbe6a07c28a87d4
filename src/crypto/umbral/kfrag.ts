/**
 * Key fragments (spec/proxy-re-encryption.md, [PRE-11], [PRE-12], [PRE-16]). ReKeyGen splits a/d over a
 * random polynomial f of degree t − 1 (f(0) = a·d⁻¹, d = H_SHARED_SECRET(X_A ‖ pk_B ‖ x_A·pk_B)); kfrag i
 * carries rk_i = f(x_i) at x_i = H_POLYNOMIAL_ARG(X_A ‖ pk_B ‖ dh ‖ id_i), the commitment U1 = rk_i·U,
 * and two ECDSA signatures by the signer: one for the receiver (always over both keys) and one for the
 * proxy (over the keys the two flags say are signed). Encoding: umbral-pre's `KeyFrag.toBytes`.
 * @module
 */
import { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { Secp, type SecpPoint, scalarToBytes } from "../../codec/fields.js";
import { decodeWith, type Reader } from "../../codec/reader.js";
import { encodeWith, type Writer } from "../../codec/writer.js";
import { bytesEqual } from "../bytes.js";
import { checkBytesCoin, checkScalarCoin } from "./coins.js";
import { KeyFragInvalid, PreBadCoins, ThresholdInvalid } from "./errors.js";
import { hashToPolynomialArg, hashToSharedSecret, kfragSignatureMessage } from "./hashing.js";
import { type PublicKey, publicKeyOf, type SecretKey } from "./keys.js";
import {
  expectBin,
  readBin,
  readBinPoint,
  readBinScalar,
  readBool,
  readStruct,
  writeBin,
  writeBinPoint,
  writeBool,
  writeStruct,
} from "./msgpack.js";
import { ENTROPY_BYTES, KFRAG_ID_BYTES, MAX_SHARES, SIGNATURE_BYTES, umbralU, umbralUBytes } from "./params.js";
import { compressed, mulBase, mulSecret } from "./points.js";
import { readSignatureBody, type Signature, signWithEntropy, verifySignature } from "./signature.js";

const Fn = Secp.Fn;

export interface KeyFrag {
  /** 32 random bytes naming the share. */
  readonly id: Uint8Array;
  /** rk = f(x_i), the share (secret to the proxy). */
  readonly key: bigint;
  /** X_A = x_A·G, the same for every kfrag of one ReKeyGen. */
  readonly precursor: SecpPoint;
  /** U1 = rk·U. */
  readonly commitment: SecpPoint;
  readonly signatureForProxy: Signature;
  readonly signatureForReceiver: Signature;
  readonly delegatingKeySigned: boolean;
  readonly receivingKeySigned: boolean;
}

declare const verifiedKeyFrag: unique symbol;
/** A kfrag that passed PRE-12 (or was made by this process's ReKeyGen); only ReEnc accepts it. */
export interface VerifiedKeyFrag {
  readonly kfrag: KeyFrag;
  readonly [verifiedKeyFrag]: true;
}
const markVerified = (kfrag: KeyFrag): VerifiedKeyFrag => ({ kfrag }) as VerifiedKeyFrag;

/** What ReKeyGen needs besides its random values. */
export interface KFragRequest {
  readonly delegating: SecretKey;
  readonly receiving: PublicKey;
  readonly signer: SecretKey;
  /** t, default 1. */
  readonly threshold?: number;
  /** N, default 1. */
  readonly shares?: number;
  /** Whether the proxy's signature covers pk_A (default true). */
  readonly signDelegatingKey?: boolean;
  /** Whether the proxy's signature covers pk_B (default true). */
  readonly signReceivingKey?: boolean;
}

/** [PRE-19] Every random value of ReKeyGen, in umbral-pre's drawing order. */
export interface KFragCoins {
  /** x_A in [1, n). */
  readonly precursor: bigint;
  /** f's coefficients 1..t−1, each in [1, n). */
  readonly coefficients: readonly bigint[];
  /** Per kfrag: its id, then the ECDSA entropy of the receiver's and of the proxy's signature. */
  readonly fragments: readonly {
    readonly id: Uint8Array;
    readonly receiverEntropy: Uint8Array;
    readonly proxyEntropy: Uint8Array;
  }[];
}

/** [PRE-21] 1 ≤ t ≤ N ≤ MAX_SHARES, integers. */
export const checkThreshold = (threshold: number, shares: number): ThresholdInvalid | undefined => {
  const ok =
    Number.isInteger(threshold) &&
    Number.isInteger(shares) &&
    threshold >= 1 &&
    threshold <= shares &&
    shares <= MAX_SHARES;
  return ok
    ? undefined
    : new ThresholdInvalid({
        threshold,
        shares,
        detail: `need 1 ≤ t ≤ N ≤ ${MAX_SHARES}, got t = ${threshold}, N = ${shares}`,
      });
};

const checkCoins = (coins: KFragCoins, threshold: number, shares: number): PreBadCoins | undefined => {
  if (coins.coefficients.length !== threshold - 1) {
    return new PreBadCoins({
      coin: "coefficients",
      detail: `need t − 1 = ${threshold - 1}, got ${coins.coefficients.length}`,
    });
  }
  if (coins.fragments.length !== shares) {
    return new PreBadCoins({ coin: "fragments", detail: `need N = ${shares}, got ${coins.fragments.length}` });
  }
  return (
    checkScalarCoin("precursor", coins.precursor) ??
    coins.coefficients.map((c, i) => checkScalarCoin(`coefficients[${i}]`, c)).find((e) => e !== undefined) ??
    coins.fragments
      .flatMap((f, i) => [
        checkBytesCoin(`fragments[${i}].id`, f.id, KFRAG_ID_BYTES),
        checkBytesCoin(`fragments[${i}].receiverEntropy`, f.receiverEntropy, ENTROPY_BYTES),
        checkBytesCoin(`fragments[${i}].proxyEntropy`, f.proxyEntropy, ENTROPY_BYTES),
      ])
      .find((e) => e !== undefined)
  );
};

/** f(x) by Horner's rule, coefficients from degree 0 up. */
const evaluatePolynomial = (coefficients: readonly bigint[], x: bigint): bigint =>
  coefficients.reduceRight((acc, c) => Fn.add(Fn.mul(acc, x), c), 0n);

/** [PRE-11] ReKeyGen with explicit random values. */
export const generateKFragsWithRandomness = (
  request: KFragRequest,
  coins: KFragCoins,
): Result.Result<VerifiedKeyFrag[], ThresholdInvalid | PreBadCoins> => {
  const threshold = request.threshold ?? 1;
  const shares = request.shares ?? 1;
  const bad = checkThreshold(threshold, shares) ?? checkCoins(coins, threshold, shares);
  if (bad !== undefined) return Result.fail(bad);
  const signDelegating = request.signDelegatingKey ?? true;
  const signReceiving = request.signReceivingKey ?? true;
  const delegatingPoint = publicKeyOf(request.delegating).point;
  const receivingPoint = request.receiving.point;
  const precursor = mulBase(coins.precursor);
  const dh = mulSecret(receivingPoint, coins.precursor);
  const d = hashToSharedSecret(precursor, receivingPoint, dh);
  const polynomial = [Fn.mul(request.delegating.scalar, Fn.inv(d)), ...coins.coefficients];
  const kfrags: VerifiedKeyFrag[] = [];
  for (const [index, fragment] of coins.fragments.entries()) {
    const key = evaluatePolynomial(polynomial, hashToPolynomialArg(precursor, receivingPoint, dh, fragment.id));
    if (key === 0n) return Result.fail(new PreBadCoins({ coin: "coefficients", detail: `f(x_${index}) = 0` }));
    const commitment = mulSecret(umbralU(), key);
    const message = (withDelegating: boolean, withReceiving: boolean): Uint8Array =>
      kfragSignatureMessage(
        fragment.id,
        commitment,
        precursor,
        withDelegating ? delegatingPoint : undefined,
        withReceiving ? receivingPoint : undefined,
      );
    const signatureForReceiver = signWithEntropy(request.signer, message(true, true), fragment.receiverEntropy);
    const signatureForProxy = signWithEntropy(
      request.signer,
      message(signDelegating, signReceiving),
      fragment.proxyEntropy,
    );
    kfrags.push(
      markVerified(
        Object.freeze({
          id: fragment.id.slice(),
          key,
          precursor,
          commitment,
          signatureForProxy,
          signatureForReceiver,
          delegatingKeySigned: signDelegating,
          receivingKeySigned: signReceiving,
        }),
      ),
    );
  }
  return Result.succeed(kfrags);
};

/** The keys a kfrag is checked against; pk_A and pk_B may be omitted only if the kfrag did not sign them. */
export interface KFragVerificationKeys {
  readonly verifying: PublicKey;
  readonly delegating?: PublicKey;
  readonly receiving?: PublicKey;
}

/** [PRE-12] Commitment, then the flags against the keys given, then the proxy's signature. */
export const verifyKeyFrag = (
  kfrag: KeyFrag,
  keys: KFragVerificationKeys,
): Result.Result<VerifiedKeyFrag, KeyFragInvalid> => {
  const fail = (reason: KeyFragInvalid["reason"], detail: string) =>
    Result.fail(new KeyFragInvalid({ reason, detail }));
  if (!mulSecret(umbralU(), kfrag.key).equals(kfrag.commitment)) return fail("Commitment", "U1 ≠ rk·U");
  // The keys the signature covers: those the flags say are signed (the others are not in the message).
  const delegating = kfrag.delegatingKeySigned ? keys.delegating : undefined;
  const receiving = kfrag.receivingKeySigned ? keys.receiving : undefined;
  if (kfrag.delegatingKeySigned && delegating === undefined) {
    return fail("DelegatingKeyNotProvided", "the kfrag signs the delegating key, which was not given");
  }
  if (kfrag.receivingKeySigned && receiving === undefined) {
    return fail("ReceivingKeyNotProvided", "the kfrag signs the receiving key, which was not given");
  }
  const message = kfragSignatureMessage(
    kfrag.id,
    kfrag.commitment,
    kfrag.precursor,
    delegating?.point,
    receiving?.point,
  );
  if (!verifySignature(keys.verifying, message, kfrag.signatureForProxy)) {
    return fail("Signature", "the proxy's signature does not verify under the signer for these keys");
  }
  return Result.succeed(markVerified(kfrag));
};

const KFRAG_FIELDS = 5;
const PARAMETERS_FIELDS = 1;
const PROOF_FIELDS = 5;

/**
 * [PRE-16] fixarray(5) [ fixarray(1) [bin8(U)], bin8(id), bin8(rk), bin8(X_A),
 * fixarray(5) [bin8(U1), bin8(sig_proxy), bin8(sig_receiver), bool, bool] ]: 310 bytes.
 */
export const writeKeyFrag = (w: Writer, kfrag: KeyFrag): Writer => {
  writeBin(writeStruct(writeStruct(w, KFRAG_FIELDS), PARAMETERS_FIELDS), umbralUBytes());
  writeBinPoint(writeBin(writeBin(w, kfrag.id), scalarToBytes(kfrag.key)), kfrag.precursor);
  writeBinPoint(writeStruct(w, PROOF_FIELDS), kfrag.commitment);
  writeBin(writeBin(w, kfrag.signatureForProxy), kfrag.signatureForReceiver);
  return writeBool(writeBool(w, kfrag.delegatingKeySigned), kfrag.receivingKeySigned);
};

/** [PRE-6] bin8(64) holding r ‖ s. */
export const readBinSignature = (r: Reader, title: string): Signature => {
  expectBin(r, SIGNATURE_BYTES, title);
  return readSignatureBody(r, title);
};

/**
 * [PRE-17] Reads a kfrag. The parameters must be U itself (`BadVersion` otherwise: rust-umbral reads any
 * point there, and a kfrag under another U can never give a verifying cfrag).
 */
export const readKeyFrag = (r: Reader): KeyFrag => {
  readStruct(r, KFRAG_FIELDS, "KeyFrag");
  readStruct(r, PARAMETERS_FIELDS, "KeyFrag parameters");
  const uAt = r.position;
  const u = readBinPoint(r, "KeyFrag parameter U");
  if (!bytesEqual(compressed(u), umbralUBytes())) r.fail("BadVersion", "KeyFrag parameter U is not Umbral's U", uAt);
  const id = readBin(r, KFRAG_ID_BYTES, "KeyFrag id");
  const key = readBinScalar(r, "KeyFrag key");
  const precursor = readBinPoint(r, "KeyFrag precursor");
  readStruct(r, PROOF_FIELDS, "KeyFrag proof");
  const commitment = readBinPoint(r, "KeyFrag commitment");
  const signatureForProxy = readBinSignature(r, "KeyFrag signature for proxy");
  const signatureForReceiver = readBinSignature(r, "KeyFrag signature for receiver");
  const delegatingKeySigned = readBool(r, "KeyFrag delegating key signed");
  const receivingKeySigned = readBool(r, "KeyFrag receiving key signed");
  return Object.freeze({
    id,
    key,
    precursor,
    commitment,
    signatureForProxy,
    signatureForReceiver,
    delegatingKeySigned,
    receivingKeySigned,
  });
};

export const encodeKeyFrag = (kfrag: KeyFrag): Uint8Array => encodeWith((w) => writeKeyFrag(w, kfrag));

/** [PRE-17] Decodes umbral-pre's `KeyFrag.toBytes` (also `VerifiedKeyFrag.toBytes`: the same bytes). */
export const decodeKeyFrag = (bytes: Uint8Array): Result.Result<KeyFrag, DecodeError> => decodeWith(bytes, readKeyFrag);
