/**
 * The custodian's side of a record (spec/transactions.md [TX-4]; spec/retrieval.md [RET-4]; SPChain §5.2
 * Upload and Share): an EMR is encrypted under the patient's PRE key (Umbral, PRE-7), the ciphertext stays at
 * the treating institution, and the chain holds only its content address. For sharing, the patient makes a
 * re-encryption key for the delegatee; the custodian re-encrypts the capsule; the delegatee decrypts and
 * checks that the ciphertext is the one whose address is on chain (AMB-25: the custodian, not the first
 * institution the patient registered with, is the proxy).
 * @module
 */
import { Effect, Result } from "effect";
import { bytesEqual, concatBytes, utf8ToBytes } from "../crypto/bytes.js";
import type { Randomness } from "../crypto/random.js";
import { type Capsule, decodeCapsuleSimple, encodeCapsuleSimple } from "../crypto/umbral/capsule.js";
import type { VerifiedCapsuleFrag } from "../crypto/umbral/cfrag.js";
import type { DecryptionFailed, ThresholdInvalid } from "../crypto/umbral/errors.js";
import type { PublicKey, SecretKey } from "../crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../crypto/umbral/kfrag.js";
import type { OpenError } from "../crypto/umbral/open.js";
import { CAPSULE_SIMPLE_BYTES } from "../crypto/umbral/params.js";
import { decryptOriginal, decryptReencrypted, encrypt, generateKFrags } from "../crypto/umbral/pre.js";
import { contentAddress } from "./records.js";

/** The paper's EMR size (SPChain §6.2: "the average size of each EMR is 32KB"). */
export const EMR_BYTES = 32 * 1024;

/**
 * An EMR from a data-set record: a header line naming the patient and visit, then the record's text
 * repeated until `size_bytes` (the paper expands the Nursery records to 32 KB EMRs).
 */
export const expandRecord = (record: string, header: string, size_bytes = EMR_BYTES): Uint8Array => {
  const head = utf8ToBytes(`${header}\n`);
  const body = utf8ToBytes(`${record}\n`);
  if (body.length === 0) throw new RangeError("an EMR needs a record");
  const out = new Uint8Array(Math.max(size_bytes, head.length));
  out.set(head.subarray(0, out.length));
  for (let at = head.length; at < out.length; at += body.length) out.set(body.subarray(0, out.length - at), at);
  return out;
};

/** What a custodian stores: the capsule and the DEM ciphertext, as one byte string. */
export interface StoredRecord {
  readonly capsule: Capsule;
  readonly ciphertext: Uint8Array;
}

/** [TX-4] The stored bytes capsule ‖ ciphertext; their content address is the record's pointer. */
export const storedBytes = (record: StoredRecord): Uint8Array =>
  concatBytes(encodeCapsuleSimple(record.capsule), record.ciphertext);

/** The stored record back from its bytes (a malformed capsule is a DecodeError). */
export const parseStored = (bytes: Uint8Array) =>
  Result.map(decodeCapsuleSimple(bytes.subarray(0, CAPSULE_SIMPLE_BYTES)), (capsule) => ({
    capsule,
    ciphertext: bytes.slice(CAPSULE_SIMPLE_BYTES),
  }));

/** Upload step 4: the institution encrypts the EMR under the patient's PRE key; the pointer addresses it. */
export const encryptEmr = (
  patientPre: PublicKey,
  emr: Uint8Array,
): Effect.Effect<{ readonly record: StoredRecord; readonly pointer: Uint8Array }, never, Randomness> =>
  Effect.map(encrypt(patientPre, emr), (record) => ({ record, pointer: contentAddress(storedBytes(record)) }));

/** [RET-4] A ciphertext fetched from a custodian is the record on chain iff its content address is the pointer. */
export const matchesPointer = (bytes: Uint8Array, pointer: Uint8Array): boolean =>
  bytesEqual(contentAddress(bytes), pointer);

/** Dec1: the patient reads its own record. */
export const openOwn = (patientPre: SecretKey, record: StoredRecord) =>
  decryptOriginal(patientPre, record.capsule, record.ciphertext);

/** Share step 10: the patient's re-encryption key for the delegatee (1-of-1, signed with the patient's signer). */
export const delegate = (
  patientPre: SecretKey,
  patientSigner: SecretKey,
  delegatee: PublicKey,
): Effect.Effect<VerifiedKeyFrag[], ThresholdInvalid, Randomness> =>
  generateKFrags({ delegating: patientPre, receiving: delegatee, signer: patientSigner });

/** Share step 10: the delegatee opens the re-encrypted capsule and the DEM. */
export const openShared = (
  delegateePre: SecretKey,
  patientPre: PublicKey,
  record: StoredRecord,
  cfrags: readonly VerifiedCapsuleFrag[],
): Result.Result<Uint8Array, OpenError | DecryptionFailed> =>
  decryptReencrypted(delegateePre, patientPre, record.capsule, cfrags, record.ciphertext);
