/**
 * Patient microblock headers (spec/blocks.md [MB-1]..[MB-3]): the immutable header bound 1:1 to a pinned
 * register transaction, its id over everything but the leader's signature (so every slot has exactly one id),
 * and the leader's domain-tagged signature.
 * @module
 */
import type { Result } from "effect";
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
import { TAGS, taggedHash } from "../crypto/hash.js";
import { type CryptoShape, readEd25519Signature, signTagged, verifyTagged } from "../crypto/signature.js";

/** [MB-1] */
export const MICROBLOCK_TYPE = 0x11;
/** [MB-1] */
export const MICROBLOCK_HEADER_BYTES = 206;

/** [MB-1] Every field but the signature is determined by the pinned keyblock. */
export interface UnsignedMicroblock {
  /** The patient's block number. */
  readonly number: number;
  readonly round: number;
  /** 0-based position of the register transaction in KB_round. */
  readonly index: number;
  readonly registerTx: Uint8Array;
  readonly patient: Uint8Array;
  /** [MB-3] G(KB_round) for index 0, else G(MB^round_{index-1}). */
  readonly prev: Uint8Array;
  readonly leader: Uint8Array;
}

export interface MicroblockHeader extends UnsignedMicroblock {
  readonly signature: Uint8Array;
}

const writeUnsignedMicroblock = (w: Writer, h: UnsignedMicroblock): Writer =>
  writeObjectHeader(w, MICROBLOCK_TYPE)
    .u32(h.number)
    .u32(h.round)
    .u32(h.index)
    .fixed(h.registerTx, HASH_BYTES)
    .fixed(h.patient, ED25519_KEY_BYTES)
    .fixed(h.prev, HASH_BYTES)
    .fixed(h.leader, ED25519_KEY_BYTES);

const unsignedBytes = (h: UnsignedMicroblock): Uint8Array => encodeWith((w) => writeUnsignedMicroblock(w, h));

/** [MB-1] */
export const writeMicroblock = (w: Writer, h: MicroblockHeader): Writer =>
  writeUnsignedMicroblock(w, h).fixed(h.signature, ED25519_SIGNATURE_BYTES);

export const encodeMicroblock = (h: MicroblockHeader): Uint8Array => encodeWith((w) => writeMicroblock(w, h));

export const readMicroblock = (r: Reader): MicroblockHeader => {
  readObjectHeader(r, [MICROBLOCK_TYPE], "microblock");
  return {
    number: r.u32("microblock number"),
    round: r.u32("microblock round"),
    index: r.u32("microblock index"),
    registerTx: r.fixed(HASH_BYTES, "register_tx"),
    patient: readEd25519Key(r, "patient"),
    prev: r.fixed(HASH_BYTES, "prev"),
    leader: readEd25519Key(r, "leader"),
    signature: readEd25519Signature(r, "leader signature"),
  };
};

export const decodeMicroblock = (bytes: Uint8Array): Result.Result<MicroblockHeader, DecodeError> =>
  decodeWith(bytes, readMicroblock);

/** [MB-2] G(MB) = H_MICROBLOCK(header without its signature). */
export const microblockId = (h: UnsignedMicroblock): Uint8Array => taggedHash(TAGS.MICROBLOCK, unsignedBytes(h));

/** [MB-2] The leader signs the header without its signature under SPCHAIN-V1-MICROBLOCK-SIG. */
export const signMicroblock = (
  crypto: CryptoShape,
  leaderSecret: Uint8Array,
  h: UnsignedMicroblock,
): MicroblockHeader => ({
  ...h,
  signature: signTagged(crypto, TAGS.MICROBLOCK_SIG, leaderSecret, unsignedBytes(h)),
});

/** [MB-2] */
export const verifyMicroblock = (crypto: CryptoShape, h: MicroblockHeader): boolean =>
  verifyTagged(crypto, TAGS.MICROBLOCK_SIG, h.leader, unsignedBytes(h), h.signature);
