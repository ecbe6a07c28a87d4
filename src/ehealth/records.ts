/**
 * Records as institutions and patients make them (spec/transactions.md [TX-3]..[TX-6]; spec/blocks.md [MB-5];
 * SPChain §5.2 Upload and Label): the content address of a ciphertext, the institution's chameleon hash of a
 * first record (Hash) and of every later record or correction (HCol with its trapdoor, same h), and the
 * patient's signed register, medical and label transactions.
 * @module
 */
import { Effect } from "effect";
import type { ChameleonCollideError, ChameleonSchemeId } from "../crypto/chameleon/scheme.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import type { Randomness } from "../crypto/random.js";
import type { CryptoShape, Ed25519KeyPair } from "../crypto/signature.js";
import {
  type LabelTx,
  type MedicalTx,
  type RecordData,
  type RegisterTx,
  signTransaction,
} from "../ledger/transaction.js";
import type { InstitutionAccount } from "./world.js";

/** [TX-4] pointer = H_CIPHERTEXT(ciphertext): the content address at the custodian. */
export const contentAddress = (ciphertext: Uint8Array): Uint8Array => taggedHash(TAGS.CIPHERTEXT, ciphertext);

/** A record's chameleon hash under its institution's key: the message is the pointer. */
export interface ChameleonRecord {
  readonly scheme: ChameleonSchemeId;
  readonly pointer: Uint8Array;
  readonly h: Uint8Array;
  readonly r: Uint8Array;
}

/** [TX-4] Case 1 of Upload: the institution hashes the pointer of a first record (Hash): a new leaf value h. */
export const hashFirstRecord = (
  institution: InstitutionAccount,
  pointer: Uint8Array,
): Effect.Effect<ChameleonRecord, never, Randomness> =>
  Effect.map(Effect.orDie(institution.ch.scheme.hash(institution.ch.publicKey, pointer)), ({ h, r }) => ({
    scheme: institution.ch.scheme.id,
    pointer,
    h,
    r,
  }));

/**
 * [MB-5] [TX-5] Case 2 of Upload, and Label: a later record or a correction keeps the leaf value h; the
 * institution computes its randomness from any earlier record of the leaf with its trapdoor (HCol).
 */
export const collideRecord = (
  institution: InstitutionAccount,
  earlier: ChameleonRecord,
  pointer: Uint8Array,
): Effect.Effect<ChameleonRecord, ChameleonCollideError, Randomness> =>
  Effect.map(
    institution.ch.scheme.collide(
      institution.ch.publicKey,
      institution.ch.trapdoor,
      earlier.pointer,
      earlier.h,
      earlier.r,
      pointer,
    ),
    (r) => ({ scheme: earlier.scheme, pointer, h: earlier.h, r }),
  );

/**
 * [MB-5] An institution's series of records with one leaf value: the first pointer hashed, every later one
 * a collision of the first. Any patient's leaf at this institution can carry the series.
 */
export const recordSeries = (
  institution: InstitutionAccount,
  pointers: readonly Uint8Array[],
): Effect.Effect<ChameleonRecord[], ChameleonCollideError, Randomness> =>
  Effect.gen(function* () {
    const [first, ...rest] = pointers;
    if (first === undefined) return [];
    const head = yield* hashFirstRecord(institution, first);
    const series = [head];
    for (const pointer of rest) series.push(yield* collideRecord(institution, head, pointer));
    return series;
  });

/** [TX-4] The record data of a transaction; h is omitted when the institution already has a leaf (MB-5). */
export const recordData = (record: ChameleonRecord, omitHash: boolean): RecordData => ({
  scheme: record.scheme,
  h: omitHash ? undefined : record.h,
  r: record.r,
  pointer: record.pointer,
});

/** What every transaction of a patient shares. */
export interface TxContext {
  readonly institution: number;
  readonly round: number;
  readonly fee: number;
}

/** [TX-3] [TX-6] A signed register transaction. */
export const registerTx = (
  crypto: CryptoShape,
  patient: Ed25519KeyPair,
  identity: Uint8Array,
  context: TxContext,
): RegisterTx =>
  signTransaction(crypto, patient.secretKey, { _tag: "register", patientKey: patient.publicKey, identity, ...context });

/** [TX-4] [TX-6] A signed medical transaction of patient block `number`. */
export const medicalTx = (
  crypto: CryptoShape,
  patient: Ed25519KeyPair,
  number: number,
  record: RecordData,
  context: TxContext,
): MedicalTx => signTransaction(crypto, patient.secretKey, { _tag: "medical", patient: number, record, ...context });

/** [TX-5] [TX-6] A signed label transaction correcting medical transaction `target`. */
export const labelTx = (
  crypto: CryptoShape,
  patient: Ed25519KeyPair,
  number: number,
  target: Uint8Array,
  record: RecordData,
  context: TxContext,
): LabelTx =>
  signTransaction(crypto, patient.secretKey, { _tag: "label", patient: number, target, record, ...context });
