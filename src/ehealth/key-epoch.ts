/**
 * Key epochs (spec/sharing.md, [SHARE-1], [SHARE-5], [SHARE-6], [SHARE-7]; SPChain §5.2 Upload step 4 and
 * Share step 10): a patient's records at one custodian are sealed under a random 32-byte data key, and that
 * key is wrapped once by Umbral Enc to the patient's PRE public key. The wrapping (the epoch header: epoch
 * number, capsule, wrapped key) is what the custodian re-encrypts for a delegatee, once per epoch, and what
 * the patient (Dec1) or the delegatee (Dec2) unwraps. A new epoch draws a fresh data key, so a share of one
 * epoch opens none of the next.
 * @module
 */
import { Effect, Result } from "effect";
import type { DecodeError } from "../codec/errors.js";
import { decodeWith, type Reader } from "../codec/reader.js";
import { encodeWith, type Writer } from "../codec/writer.js";
import { type Randomness, randomBytesEffect } from "../crypto/random.js";
import { type Capsule, decodeCapsuleSimple, encodeCapsuleSimple } from "../crypto/umbral/capsule.js";
import { type CapsuleFrag, type CFragVerificationKeys, verifyCapsuleFrag } from "../crypto/umbral/cfrag.js";
import type { CapsuleFragInvalid, CapsuleInvalid, DecryptionFailed } from "../crypto/umbral/errors.js";
import type { PublicKey, SecretKey } from "../crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../crypto/umbral/kfrag.js";
import type { OpenError } from "../crypto/umbral/open.js";
import { CAPSULE_SIMPLE_BYTES, NONCE_BYTES, TAG_BYTES } from "../crypto/umbral/params.js";
import { decryptOriginal, decryptReencrypted, encrypt, reencrypt } from "../crypto/umbral/pre.js";
import { EpochKeyInvalid, EpochLimit } from "./errors.js";

/** [SHARE-1] The data key: 32 bytes, an XChaCha20-Poly1305 key seed. */
export const DATA_KEY_BYTES = 32;
/** [SHARE-1] Umbral's DEM ciphertext of the data key: nonce ‖ body ‖ tag. */
export const WRAPPED_KEY_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
/** [SHARE-1] u32 epoch ‖ capsule (simple, 98) ‖ wrapped key (72). */
export const EPOCH_HEADER_BYTES = 4 + CAPSULE_SIMPLE_BYTES + WRAPPED_KEY_BYTES;
/** [SHARE-6] The last epoch number (u32). */
export const MAX_EPOCH = 0xffff_ffff;

/** [SHARE-1] The public half of a key epoch, stored with (and addressed by) every record of the epoch. */
export interface EpochHeader {
  readonly epoch: number;
  readonly capsule: Capsule;
  readonly wrappedKey: Uint8Array;
}

/** [SHARE-1] A key epoch at its custodian: the header and, while the epoch is open, the data key. */
export interface KeyEpoch {
  readonly header: EpochHeader;
  /** The header's encoding: the AEAD associated data of every record of the epoch (SHARE-3). */
  readonly headerBytes: Uint8Array;
  readonly dataKey: Uint8Array;
}

/** [SHARE-1] Writes the header's fixed 174 bytes. */
export const writeEpochHeader = (w: Writer, header: EpochHeader): Writer =>
  w
    .u32(header.epoch)
    .fixed(encodeCapsuleSimple(header.capsule), CAPSULE_SIMPLE_BYTES)
    .fixed(header.wrappedKey, WRAPPED_KEY_BYTES);

/** [SHARE-1] Reads a header; a malformed capsule fails at its own offset (the capsule's check is PRE-9's, at use). */
export const readEpochHeader = (r: Reader): EpochHeader => {
  const epoch = r.u32("epoch number");
  const at = r.position;
  const capsule = decodeCapsuleSimple(r.fixed(CAPSULE_SIMPLE_BYTES, "epoch capsule"));
  if (Result.isFailure(capsule)) r.fail(capsule.failure.reason, capsule.failure.detail, at + capsule.failure.offset);
  return { epoch, capsule: capsule.success, wrappedKey: r.fixed(WRAPPED_KEY_BYTES, "wrapped data key") };
};

export const encodeEpochHeader = (header: EpochHeader): Uint8Array => encodeWith((w) => writeEpochHeader(w, header));

export const decodeEpochHeader = (bytes: Uint8Array): Result.Result<EpochHeader, DecodeError> =>
  decodeWith(bytes, readEpochHeader);

/** [SHARE-1] An epoch with the given data key: Umbral Enc (PRE-7, PRE-8) of the key to the patient's PRE key. */
export const wrapDataKey = (
  patientPre: PublicKey,
  epoch: number,
  dataKey: Uint8Array,
): Effect.Effect<KeyEpoch, never, Randomness> => {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`epoch ${epoch} is not a u32`);
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError(`a data key is ${DATA_KEY_BYTES} bytes`);
  return Effect.map(encrypt(patientPre, dataKey), ({ capsule, ciphertext }) => {
    const header = { epoch, capsule, wrappedKey: ciphertext };
    return { header, headerBytes: encodeEpochHeader(header), dataKey };
  });
};

const freshEpoch = (patientPre: PublicKey, epoch: number): Effect.Effect<KeyEpoch, never, Randomness> =>
  Effect.flatMap(randomBytesEffect(DATA_KEY_BYTES), (dataKey) => wrapDataKey(patientPre, epoch, dataKey));

/** [SHARE-1] Epoch 0, made by the custodian at the patient's first record: a data key from Randomness. */
export const firstEpoch = (patientPre: PublicKey): Effect.Effect<KeyEpoch, never, Randomness> =>
  freshEpoch(patientPre, 0);

/** [SHARE-6] Rotation: the next epoch number and a fresh data key; the previous key seals nothing more. */
export const rotateEpoch = (
  previous: KeyEpoch,
  patientPre: PublicKey,
): Effect.Effect<KeyEpoch, EpochLimit, Randomness> =>
  previous.header.epoch >= MAX_EPOCH
    ? Effect.fail(new EpochLimit({ detail: `epoch ${previous.header.epoch} is the last u32` }))
    : freshEpoch(patientPre, previous.header.epoch + 1);

/** [SHARE-1] What Umbral opens must be a whole data key (a custodian could have wrapped anything). */
const dataKeyOf = (opened: Uint8Array): Result.Result<Uint8Array, EpochKeyInvalid> =>
  opened.length === DATA_KEY_BYTES
    ? Result.succeed(opened)
    : Result.fail(new EpochKeyInvalid({ detail: `${opened.length} bytes wrapped, ${DATA_KEY_BYTES} expected` }));

export type UnwrapOwnError = CapsuleInvalid | DecryptionFailed | EpochKeyInvalid;

/** [SHARE-7] The patient's data key of an epoch: Dec1 (PRE-10) of the header. */
export const unwrapOwn = (patientPre: SecretKey, header: EpochHeader): Result.Result<Uint8Array, UnwrapOwnError> =>
  Result.flatMap(decryptOriginal(patientPre, header.capsule, header.wrappedKey), dataKeyOf);

/** [SHARE-5] The proxy's part of a share: one ReEnc (PRE-13) of the epoch's capsule, whatever its record count. */
export const reencryptEpoch = (header: EpochHeader, kfrag: VerifiedKeyFrag) => reencrypt(header.capsule, kfrag);

export type UnwrapSharedError = CapsuleInvalid | CapsuleFragInvalid | OpenError | DecryptionFailed | EpochKeyInvalid;

/** [SHARE-5] The delegatee's data key: the cfrag verified (PRE-14), then Dec2 (PRE-15) of the wrapped key. */
export const unwrapShared = (
  receiving: SecretKey,
  keys: CFragVerificationKeys,
  header: EpochHeader,
  cfrag: CapsuleFrag,
): Result.Result<Uint8Array, UnwrapSharedError> =>
  Result.flatMap(verifyCapsuleFrag(cfrag, header.capsule, keys), (verified) =>
    Result.flatMap(
      decryptReencrypted(receiving, keys.delegating, header.capsule, [verified], header.wrappedKey),
      dataKeyOf,
    ),
  );
