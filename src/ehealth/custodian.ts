/**
 * The custodian's side of a record and of a share (spec/sharing.md, [SHARE-5], [SHARE-7]; spec/transactions.md
 * [TX-4]; SPChain §5.2 Upload and Share): the treating institution keeps its patients' EMRs sealed under key
 * epochs (key-epoch.ts, sealed-record.ts); the chain holds only each record's content address. A share is
 * the patient's re-encryption key for the delegatee, ONE re-encryption by the custodian (the proxy, AMB-25)
 * of each shared epoch's capsule, and at the delegatee one cfrag verification and one Dec2 per epoch, then
 * an AEAD opening of each record, checked against its pointer.
 * @module
 */
import { Effect, Result } from "effect";
import { utf8ToBytes } from "../crypto/bytes.js";
import type { Randomness } from "../crypto/random.js";
import type { CapsuleFrag, CFragVerificationKeys } from "../crypto/umbral/cfrag.js";
import type { CapsuleInvalid, ThresholdInvalid } from "../crypto/umbral/errors.js";
import type { PublicKey, SecretKey } from "../crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../crypto/umbral/kfrag.js";
import { generateKFrags } from "../crypto/umbral/pre.js";
import {
  type EpochHeader,
  reencryptEpoch,
  type UnwrapOwnError,
  type UnwrapSharedError,
  unwrapOwn,
  unwrapShared,
} from "./key-epoch.js";
import { checkPointer, type OpenRecordError, openRecord, openStored, parseStored } from "./sealed-record.js";

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

/** [SHARE-7] The patient reads its own record: pointer, then Dec1 of the record's epoch header, then the AEAD. */
export const openOwn = (
  patientPre: SecretKey,
  bytes: Uint8Array,
  pointer: Uint8Array,
): Result.Result<Uint8Array, OpenRecordError | UnwrapOwnError> =>
  Result.flatMap(Result.flatMap(checkPointer(bytes, pointer), parseStored), (record) =>
    Result.flatMap(unwrapOwn(patientPre, record.header), (dataKey) => openStored(dataKey, record)),
  );

/** [SHARE-5] Share step 10: the patient's re-encryption key for the delegatee (1-of-1, signed with its signer). */
export const delegate = (
  patientPre: SecretKey,
  patientSigner: SecretKey,
  delegatee: PublicKey,
): Effect.Effect<VerifiedKeyFrag[], ThresholdInvalid, Randomness> =>
  generateKFrags({ delegating: patientPre, receiving: delegatee, signer: patientSigner });

/** A stored record as a reader receives it: the bytes and the pointer it reads on chain. */
export interface AddressedRecord {
  readonly pointer: Uint8Array;
  readonly stored: Uint8Array;
}

/** [SHARE-5] What the custodian sends the delegatee for one epoch: its header, one cfrag, the epoch's records. */
export interface EpochShare {
  readonly header: EpochHeader;
  readonly cfrag: CapsuleFrag;
  readonly records: readonly AddressedRecord[];
}

/** [SHARE-5] The custodian's part of a share of one epoch: one ReEnc, whatever the number of records. */
export const shareEpoch = (
  header: EpochHeader,
  records: readonly AddressedRecord[],
  kfrag: VerifiedKeyFrag,
): Effect.Effect<EpochShare, CapsuleInvalid, Randomness> =>
  Effect.map(reencryptEpoch(header, kfrag), ({ cfrag }) => ({ header, cfrag, records }));

export type OpenShareError = UnwrapSharedError | OpenRecordError;

/**
 * [SHARE-5] The delegatee opens a share of one epoch: cfrag verification and Dec2 of the data key, then each
 * record checked against its pointer and opened (all or nothing: the first failure is the answer).
 */
export const openShare = (
  receiving: SecretKey,
  keys: CFragVerificationKeys,
  share: EpochShare,
): Result.Result<Uint8Array[], OpenShareError> =>
  Result.flatMap(unwrapShared(receiving, keys, share.header, share.cfrag), (dataKey) => {
    const out: Uint8Array[] = [];
    for (const record of share.records) {
      const opened = openRecord(dataKey, record.stored, record.pointer);
      if (Result.isFailure(opened)) return Result.fail(opened.failure);
      out.push(opened.success);
    }
    return Result.succeed(out);
  });
