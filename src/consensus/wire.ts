/**
 * Wire helpers shared by the protocol's encodings (spec/consensus.md, [BFT-4]): 53-bit view and
 * instance numbers on u64 fields, member indices, and domain-tagged signing through the injected
 * signature scheme (the shape of the `Crypto` service of src/crypto/signature.ts).
 * @module
 */
import type { Reader, Writer } from "../codec/index.js";
import { concatBytes } from "../crypto/bytes.js";
import { tagPrefix } from "../crypto/hash.js";
import { MAX_MEMBERS } from "./params.js";

/**
 * The two signature operations the protocol needs, with the argument order of `CryptoShape`
 * (src/crypto/signature.ts), so that `Crypto.noble` or the node:crypto fast path can be passed as is.
 * `verify` must be strict RFC 8032 and return false (never throw) on malformed input.
 */
export interface SignatureScheme {
  readonly sign: (secretKey: Uint8Array, message: Uint8Array) => Uint8Array;
  readonly verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;
}

/** [BFT-4] The signed bytes of a tagged body: u32be(|tag|) ‖ tag ‖ body (SIG-4's `taggedMessage`). */
export const taggedBody = (tag: string, body: Uint8Array): Uint8Array => concatBytes(tagPrefix(tag), body);

/** [BFT-4] Views and instances are u64 on the wire and at most 2^53 - 1 (a JavaScript safe integer). */
export const readU53 = (r: Reader, title: string): number => {
  const at = r.position;
  const value = r.u64(title);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) r.fail("IntegerOutOfRange", `${title}: ${value} above 2^53 - 1`, at);
  return Number(value);
};

export const writeU53 = (w: Writer, value: number): Writer => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`u53: out of range: ${value}`);
  return w.u64(BigInt(value));
};

/** [BFT-4] A member index: u16, below MAX_MEMBERS (whether it is below n is checked against the group). */
export const readMember = (r: Reader, title: string): number => {
  const at = r.position;
  const index = r.u16(title);
  if (index >= MAX_MEMBERS) r.fail("IntegerOutOfRange", `${title}: member index ${index} >= ${MAX_MEMBERS}`, at);
  return index;
};

/** A u16 count bounded by `max`, checked before anything is read (ENC-3). */
export const readCount16 = (r: Reader, max: number, title: string): number => {
  const at = r.position;
  const count = r.u16(`${title} count`);
  if (count > max) r.fail("LengthOverBound", `${title}: count ${count} over the bound ${max}`, at);
  return count;
};
