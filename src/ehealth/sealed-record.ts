/**
 * Sealed records (spec/sharing.md, [SHARE-2], [SHARE-3], [SHARE-4]; spec/transactions.md [TX-4]): an EMR is
 * sealed with XChaCha20-Poly1305 under a key of its own, HKDF-SHA-256 of its epoch's data key and its nonce;
 * the associated data is the epoch header, so the record opens only beside the capsule it was sealed with.
 * The stored bytes are header ‖ nonce ‖ body ‖ tag, and their content address is the record's pointer: it
 * covers the ciphertext and the capsule and wrapped key it depends on.
 * @module
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Effect, Result } from "effect";
import type { DecodeError } from "../codec/errors.js";
import { decodeWith } from "../codec/reader.js";
import { bytesEqual, concatBytes } from "../crypto/bytes.js";
import { TAGS, tagPrefix } from "../crypto/hash.js";
import { type Randomness, randomBytesEffect } from "../crypto/random.js";
import { demDecrypt, demEncrypt } from "../crypto/umbral/dem.js";
import { NONCE_BYTES, TAG_BYTES } from "../crypto/umbral/params.js";
import { PointerMismatch, RecordOpenFailed } from "./errors.js";
import { DATA_KEY_BYTES, EPOCH_HEADER_BYTES, type EpochHeader, type KeyEpoch, readEpochHeader } from "./key-epoch.js";
import { contentAddress } from "./records.js";

/** [SHARE-2] The record's nonce: its identity within the epoch, and the AEAD nonce. */
export const RECORD_NONCE_BYTES = NONCE_BYTES;

/** [SHARE-2] HKDF-SHA-256(ikm = data key, no salt, info = u32be(|tag|) ‖ tag ‖ nonce), 32 bytes. */
export const recordKey = (dataKey: Uint8Array, nonce: Uint8Array): Uint8Array => {
  if (dataKey.length !== DATA_KEY_BYTES) throw new RangeError(`a data key is ${DATA_KEY_BYTES} bytes`);
  if (nonce.length !== RECORD_NONCE_BYTES) throw new RangeError(`a record nonce is ${RECORD_NONCE_BYTES} bytes`);
  return hkdf(sha256, dataKey, undefined, concatBytes(tagPrefix(TAGS.SHARE_RECORD_KEY), nonce), DATA_KEY_BYTES);
};

/** A sealed record as the custodian stores it, and its content address. */
export interface SealedRecord {
  readonly stored: Uint8Array;
  readonly pointer: Uint8Array;
}

/** [SHARE-3] [SHARE-4] header ‖ nonce ‖ XChaCha20-Poly1305(record key, nonce, EMR, aad = header); its pointer. */
export const sealRecordWithNonce = (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array): SealedRecord => {
  const sealed = demEncrypt(recordKey(epoch.dataKey, nonce), nonce, emr, epoch.headerBytes);
  const stored = concatBytes(epoch.headerBytes, sealed);
  return { stored, pointer: contentAddress(stored) };
};

/** [SHARE-3] Upload step 4: the custodian seals an EMR in its open epoch (the nonce from Randomness). */
export const sealRecord = (epoch: KeyEpoch, emr: Uint8Array): Effect.Effect<SealedRecord, never, Randomness> =>
  Effect.map(randomBytesEffect(RECORD_NONCE_BYTES), (nonce) => sealRecordWithNonce(epoch, nonce, emr));

/** Stored bytes, split: the header (and its bytes, the AEAD's associated data), the nonce, nonce ‖ body ‖ tag. */
export interface StoredRecord {
  readonly header: EpochHeader;
  readonly headerBytes: Uint8Array;
  readonly nonce: Uint8Array;
  readonly sealed: Uint8Array;
}

const SEALED_MIN_BYTES = RECORD_NONCE_BYTES + TAG_BYTES;

/** [SHARE-3] Splits stored bytes; a malformed header, or less than a nonce and a tag after it, is a DecodeError. */
export const parseStored = (bytes: Uint8Array): Result.Result<StoredRecord, DecodeError> =>
  decodeWith(bytes, (r) => {
    const header = readEpochHeader(r);
    if (r.remaining < SEALED_MIN_BYTES) {
      r.fail("ShortInput", `sealed record: need ${SEALED_MIN_BYTES} bytes (nonce and tag), ${r.remaining} left`);
    }
    const sealed = r.fixed(r.remaining, "sealed record");
    const headerBytes = bytes.slice(0, EPOCH_HEADER_BYTES);
    return { header, headerBytes, nonce: sealed.subarray(0, RECORD_NONCE_BYTES), sealed };
  });

/** [SHARE-4] Stored bytes are the record on chain iff their content address is the pointer. */
export const matchesPointer = (bytes: Uint8Array, pointer: Uint8Array): boolean =>
  bytesEqual(contentAddress(bytes), pointer);

/** [SHARE-4] The same check as a typed result. */
export const checkPointer = (bytes: Uint8Array, pointer: Uint8Array): Result.Result<Uint8Array, PointerMismatch> =>
  matchesPointer(bytes, pointer)
    ? Result.succeed(bytes)
    : Result.fail(new PointerMismatch({ detail: `H_CIPHERTEXT of ${bytes.length} stored bytes is not the pointer` }));

/** [SHARE-3] Opens a parsed record with its epoch's data key; any AEAD failure is RecordOpenFailed. */
export const openStored = (dataKey: Uint8Array, record: StoredRecord): Result.Result<Uint8Array, RecordOpenFailed> =>
  Result.mapError(
    demDecrypt(recordKey(dataKey, record.nonce), record.sealed, record.headerBytes),
    (e) => new RecordOpenFailed({ detail: `${e.reason}: ${e.detail}` }),
  );

export type OpenRecordError = PointerMismatch | DecodeError | RecordOpenFailed;

/** [SHARE-4] [SHARE-3] A reader's path for one record: pointer first, then parse, then the AEAD. */
export const openRecord = (
  dataKey: Uint8Array,
  bytes: Uint8Array,
  pointer: Uint8Array,
): Result.Result<Uint8Array, OpenRecordError> =>
  Result.flatMap(
    Result.flatMap(checkPointer(bytes, pointer), parseStored),
    (record): Result.Result<Uint8Array, OpenRecordError> => openStored(dataKey, record),
  );
