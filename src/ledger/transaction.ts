/**
 * Register, medical and label transactions (spec/transactions.md [TX-1]..[TX-8]): their canonical encodings,
 * the sender's domain-tagged signature and the transaction id. Medical and label transactions name the
 * patient by block number and the institution by registry index (TX-2), and may omit the chameleon hash
 * value h when it is the patient's leaf value (TX-4, MB-5).
 * @module
 */
import { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  encodeWith,
  HASH_BYTES,
  type Reader,
  readEd25519Key,
  readObjectHeader,
  type Writer,
  writeObjectHeader,
} from "../codec/index.js";
import { CHAMELEON_SCHEMES, readChameleonScheme } from "../crypto/chameleon/registry.js";
import type { ChameleonScheme, ChameleonSchemeId, ChameleonSizes } from "../crypto/chameleon/scheme.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { type CryptoShape, readEd25519Signature, signTagged, verifyTagged } from "../crypto/signature.js";

/** [TX-1] Type bytes. */
export const TX_TYPE = { register: 0x01, medical: 0x02, label: 0x03 } as const;
/** [TX-8] A register transaction's encoded size. */
export const REGISTER_TX_BYTES = 140;
/** [TX-8] A medical transaction's encoded size without its randomness and h: every fixed field, scheme id and flag. */
const MEDICAL_FIXED_BYTES = 114;

/** [TX-8] Encoded sizes of record transactions whose institution uses a scheme of `sizes`. */
export const recordTxBytes = (sizes: ChameleonSizes) => {
  const medical = MEDICAL_FIXED_BYTES + sizes.randomness_bytes;
  /** `withHash`: the extra bytes of a record that carries h. */
  return { medical, label: medical + HASH_BYTES, withHash: sizes.hash_bytes } as const;
};

/** [TX-8] The largest record transaction of any registered scheme: a label carrying h. */
export const MAX_RECORD_TX_BYTES = Math.max(
  ...[...CHAMELEON_SCHEMES.values()].map((scheme) => {
    const sizes = recordTxBytes(scheme.sizes);
    return sizes.label + sizes.withHash;
  }),
);

/** [TX-4] The registered scheme of `id`; an id no scheme has is a caller's bug (decoding never makes one). */
export const schemeOfId = (id: ChameleonSchemeId): ChameleonScheme => {
  const scheme = CHAMELEON_SCHEMES.get(id);
  if (scheme === undefined) throw new RangeError(`chameleon scheme ${id} is not registered`);
  return scheme;
};

/**
 * [TX-4] A record: its chameleon scheme (its institution's, CHAIN-7), the chameleon hash (h omitted when it is the
 * leaf value), its randomness, the content address.
 */
export interface RecordData {
  readonly scheme: ChameleonSchemeId;
  readonly h: Uint8Array | undefined;
  readonly r: Uint8Array;
  readonly pointer: Uint8Array;
}

interface Common {
  /** [TX-2] The receiving institution's registry index. */
  readonly institution: number;
  /** [CHAIN-8] The height of a pinned keyblock the patient knew of. */
  readonly round: number;
  /** [CHAIN-9] In base units. */
  readonly fee: number;
}

/** [TX-3] */
export interface UnsignedRegister extends Common {
  readonly _tag: "register";
  readonly patientKey: Uint8Array;
  readonly identity: Uint8Array;
}
/** [TX-4] */
export interface UnsignedMedical extends Common {
  readonly _tag: "medical";
  /** [TX-2] The patient's block number. */
  readonly patient: number;
  readonly record: RecordData;
}
/** [TX-5] */
export interface UnsignedLabel extends Common {
  readonly _tag: "label";
  readonly patient: number;
  /** The id of the labelled medical transaction. */
  readonly target: Uint8Array;
  readonly record: RecordData;
}
export type UnsignedTransaction = UnsignedRegister | UnsignedMedical | UnsignedLabel;

type Signed<T> = T & { readonly signature: Uint8Array };
export type RegisterTx = Signed<UnsignedRegister>;
export type MedicalTx = Signed<UnsignedMedical>;
export type LabelTx = Signed<UnsignedLabel>;
export type Transaction = RegisterTx | MedicalTx | LabelTx;
/** The transactions a pinned batch carries. */
export type RecordTx = MedicalTx | LabelTx;

const writeRecord = (w: Writer, record: RecordData): void => {
  const { sizes } = schemeOfId(record.scheme);
  w.u8(record.scheme).bool(record.h !== undefined);
  if (record.h !== undefined) w.fixed(record.h, sizes.hash_bytes);
  w.fixed(record.r, sizes.randomness_bytes).fixed(record.pointer, HASH_BYTES);
};

/** [TX-1] Everything but the signature: what the sender signs (TX-6). */
export const writeUnsigned = (w: Writer, tx: UnsignedTransaction): Writer => {
  writeObjectHeader(w, TX_TYPE[tx._tag]);
  if (tx._tag === "register") w.fixed(tx.patientKey, ED25519_KEY_BYTES);
  else w.u32(tx.patient);
  w.u16(tx.institution).u32(tx.round).u32(tx.fee);
  if (tx._tag === "register") w.fixed(tx.identity, HASH_BYTES);
  else {
    if (tx._tag === "label") w.fixed(tx.target, HASH_BYTES);
    writeRecord(w, tx.record);
  }
  return w;
};

/** [TX-1] The complete encoding. */
export const writeTransaction = (w: Writer, tx: Transaction): Writer =>
  writeUnsigned(w, tx).fixed(tx.signature, ED25519_SIGNATURE_BYTES);

export const encodeTransaction = (tx: Transaction): Uint8Array => encodeWith((w) => writeTransaction(w, tx));

/** A fixed-width field decoded by a whole-value decoder; its failure is re-raised at the field's offset. */
const readChecked = (
  r: Reader,
  width: number,
  title: string,
  check: (bytes: Uint8Array) => Result.Result<unknown, DecodeError>,
): Uint8Array => {
  const at = r.position;
  const bytes = r.fixed(width, title);
  const checked = check(bytes);
  if (Result.isFailure(checked))
    r.fail(checked.failure.reason, `${title}: ${checked.failure.detail}`, at + checked.failure.offset);
  return bytes;
};

/** [TX-4] Scheme id, flag, optional h, r and pointer; h and r strictly decoded as the scheme's objects (CH-4, CH-16). */
const readRecord = (r: Reader): RecordData => {
  const scheme = readChameleonScheme(r, "record chameleon scheme");
  const hasHash = r.bool("h present");
  const h = hasHash ? readChecked(r, scheme.sizes.hash_bytes, "h", scheme.checkHash) : undefined;
  const randomness = readChecked(r, scheme.sizes.randomness_bytes, "r", scheme.checkRandomness);
  return { scheme: scheme.id, h, r: randomness, pointer: r.fixed(HASH_BYTES, "pointer") };
};

type TxType = (typeof TX_TYPE)[keyof typeof TX_TYPE];

/** The field titles of a transaction's decode errors, built once per title rather than once per field read. */
const fieldTitles = (title: string) => ({
  patientKey: `${title} patient key`,
  institution: `${title} institution`,
  round: `${title} round`,
  fee: `${title} fee`,
  identity: `${title} identity`,
  signature: `${title} signature`,
  patient: `${title} patient`,
  target: `${title} target`,
});
const DEFAULT_TITLE = "transaction";
const DEFAULT_TITLES = fieldTitles(DEFAULT_TITLE);

/** [TX-1] Reads one transaction whose type is in `allowed` (others are `BadType`). */
export const readTransaction = (r: Reader, allowed: readonly TxType[], title = DEFAULT_TITLE): Transaction => {
  const titles = title === DEFAULT_TITLE ? DEFAULT_TITLES : fieldTitles(title);
  const type = readObjectHeader(r, allowed, title);
  if (type === TX_TYPE.register) {
    const patientKey = readEd25519Key(r, titles.patientKey);
    const institution = r.u16(titles.institution);
    const round = r.u32(titles.round);
    const fee = r.u32(titles.fee);
    const identity = r.fixed(HASH_BYTES, titles.identity);
    const signature = readEd25519Signature(r, titles.signature);
    return { _tag: "register", patientKey, institution, round, fee, identity, signature };
  }
  const patient = r.u32(titles.patient);
  const institution = r.u16(titles.institution);
  const round = r.u32(titles.round);
  const fee = r.u32(titles.fee);
  if (type === TX_TYPE.medical) {
    const record = readRecord(r);
    return { _tag: "medical", patient, institution, round, fee, record, signature: readEd25519Signature(r, title) };
  }
  const target = r.fixed(HASH_BYTES, titles.target);
  const record = readRecord(r);
  return { _tag: "label", patient, institution, round, fee, target, record, signature: readEd25519Signature(r, title) };
};

const ALL_TYPES: readonly TxType[] = [TX_TYPE.register, TX_TYPE.medical, TX_TYPE.label];

/** [TX-1] Strict decoding of a standalone transaction (ENC-2). */
export const decodeTransaction = (bytes: Uint8Array): Result.Result<Transaction, DecodeError> =>
  decodeWith(bytes, (r) => readTransaction(r, ALL_TYPES));

/** [TX-6] The signed message: SIG-4's tag prefix for SPCHAIN-V1-TX-SIG and the unsigned encoding. */
export const signingBody = (tx: UnsignedTransaction): Uint8Array => encodeWith((w) => writeUnsigned(w, tx));

/** [TX-6] Signs an unsigned transaction with the patient's secret key. */
export const signTransaction = <T extends UnsignedTransaction>(
  crypto: CryptoShape,
  secretKey: Uint8Array,
  tx: T,
): Signed<T> => ({ ...tx, signature: signTagged(crypto, TAGS.TX_SIG, secretKey, signingBody(tx)) });

/** [TX-6] Strict verification under the patient's key. */
export const verifyTransaction = (crypto: CryptoShape, patientKey: Uint8Array, tx: Transaction): boolean =>
  verifyTagged(crypto, TAGS.TX_SIG, patientKey, signingBody(tx), tx.signature);

/** [TX-7] H_TX(complete encoding). */
export const transactionId = (tx: Transaction): Uint8Array => taggedHash(TAGS.TX, encodeTransaction(tx));

/** [TX-7] The id of an already encoded transaction. */
export const transactionIdOfBytes = (encoded: Uint8Array): Uint8Array => taggedHash(TAGS.TX, encoded);

/**
 * [TX-1] [TX-7] A medical or label transaction with its complete encoding and id, computed once and carried
 * along, so that checking, placing and pinning it neither re-encode nor re-hash it. Made only by
 * `encodeRecordTx` or `readEncodedRecordTx`, which guarantee `encoded` = encodeTransaction(tx) and
 * `id` = transactionId(tx).
 */
export interface EncodedRecordTx {
  readonly tx: RecordTx;
  readonly encoded: Uint8Array;
  readonly id: Uint8Array;
}

/** [TX-1] [TX-7] Encodes and hashes a transaction once. */
export const encodeRecordTx = (tx: RecordTx): EncodedRecordTx => {
  const encoded = encodeTransaction(tx);
  return { tx, encoded, id: transactionIdOfBytes(encoded) };
};

const RECORD_TYPES: readonly TxType[] = [TX_TYPE.medical, TX_TYPE.label];

/**
 * [TX-1] [ENC-2] Reads a medical or label transaction from `input` (the bytes `r` reads) and keeps the
 * bytes it came from: decoding is strict, so they are its complete encoding.
 */
export const readEncodedRecordTx = (r: Reader, input: Uint8Array, title: string): EncodedRecordTx => {
  const start = r.position;
  const tx = readTransaction(r, RECORD_TYPES, title) as RecordTx;
  const encoded = input.subarray(start, r.position);
  return { tx, encoded, id: transactionIdOfBytes(encoded) };
};

/**
 * [TX-6] `verifyTransaction` on a complete encoding: the signed body is all of it but the last 64 bytes,
 * which are the signature (TX-1), so nothing is encoded again.
 */
export const verifyEncodedTransaction = (crypto: CryptoShape, patientKey: Uint8Array, encoded: Uint8Array): boolean => {
  const body = encoded.length - ED25519_SIGNATURE_BYTES;
  return body > 0 && verifyTagged(crypto, TAGS.TX_SIG, patientKey, encoded.subarray(0, body), encoded.subarray(body));
};
