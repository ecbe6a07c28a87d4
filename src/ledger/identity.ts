/**
 * The identity commitment of a register transaction (spec/transactions.md [TX-3]): the paper's H(No.‖Age)
 * made memory-hard. I = H_IDENTITY(scrypt(u32 len ‖ utf8(record_no) ‖ u16 age, salt = G(KB_0), N, r, p, 32)).
 * The patient computes it; validators only compare commitments (CHAIN-10). The parameters are deployment
 * configuration of the patients' software, not a consensus rule.
 * @module
 */
import { scrypt } from "@noble/hashes/scrypt.js";
import { encodeWith } from "../codec/index.js";
import { utf8ToBytes } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";

/** [TX-3] scrypt cost parameters (RFC 7914): N a power of two > 1, r >= 1, p >= 1. */
export interface IdentityParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** [TX-3] The default: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds per evaluation). */
export const DEFAULT_IDENTITY_PARAMS: IdentityParams = { N: 2 ** 15, r: 8, p: 1 };

const MAX_RECORD_NUMBER_BYTES = 256;
const MAX_AGE = 0xffff;

/**
 * [TX-3] The commitment of (record number, age) on the chain whose genesis id is `genesisId`. Throws a
 * RangeError for an empty or over-long record number or an age outside u16: these are the patient's own
 * inputs, checked where they enter.
 */
export const identityCommitment = (
  recordNumber: string,
  age: number,
  genesisId: Uint8Array,
  params: IdentityParams = DEFAULT_IDENTITY_PARAMS,
): Uint8Array => {
  const recordBytes = utf8ToBytes(recordNumber);
  if (recordBytes.length === 0 || recordBytes.length > MAX_RECORD_NUMBER_BYTES) {
    throw new RangeError(`record number must be 1..${MAX_RECORD_NUMBER_BYTES} bytes of UTF-8`);
  }
  if (!Number.isInteger(age) || age < 0 || age > MAX_AGE) throw new RangeError(`age must be in [0, ${MAX_AGE}]`);
  const password = encodeWith((w) => w.bytes(recordBytes, MAX_RECORD_NUMBER_BYTES).u16(age));
  const stretched = scrypt(password, genesisId, { N: params.N, r: params.r, p: params.p, dkLen: 32 });
  return taggedHash(TAGS.IDENTITY, stretched);
};
