/**
 * Keyblocks (spec/blocks.md [KB-1]..[KB-4]): the header (height, the two commitments of the chain rule, the
 * register root, the miner and the nonce), the register transactions, the id that excludes the pin, the
 * register root and the proof of work over (nonce, G(MB^{i-2}_last), G(KB_{i-1}), register root, miner).
 * @module
 */
import type { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  ED25519_KEY_BYTES,
  encodeWith,
  HASH_BYTES,
  type Reader,
  readEd25519Key,
  readObjectHeader,
  type Writer,
  writeObjectHeader,
} from "../codec/index.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { merkleRoot, type Sha256Hasher } from "../crypto/merkle.js";
import { type RegisterTx, readTransaction, TX_TYPE, transactionId, writeTransaction } from "./transaction.js";

/** [KB-1] */
export const KEYBLOCK_TYPE = 0x10;
/** [KB-1] The most register transactions in one keyblock. */
export const MAX_KEYBLOCK_REGISTERS = 0xffff;
/** [KB-1] */
export const KEYBLOCK_HEADER_BYTES = 142;

export interface KeyblockHeader {
  /** The round i; genesis is 0. */
  readonly height: number;
  /** G(KB_{i-1}). */
  readonly prevKeyblock: Uint8Array;
  /** G(MB^{i-2}_last) (KB-6). */
  readonly prevMicroblock: Uint8Array;
  /** [KB-3] */
  readonly registerRoot: Uint8Array;
  readonly miner: Uint8Array;
  readonly nonce: bigint;
}

export interface Keyblock {
  readonly header: KeyblockHeader;
  readonly registers: readonly RegisterTx[];
}

/** [KB-1] */
export const writeKeyblockHeader = (w: Writer, h: KeyblockHeader): Writer =>
  writeObjectHeader(w, KEYBLOCK_TYPE)
    .u32(h.height)
    .fixed(h.prevKeyblock, HASH_BYTES)
    .fixed(h.prevMicroblock, HASH_BYTES)
    .fixed(h.registerRoot, HASH_BYTES)
    .fixed(h.miner, ED25519_KEY_BYTES)
    .u64(h.nonce);

export const encodeKeyblockHeader = (h: KeyblockHeader): Uint8Array => encodeWith((w) => writeKeyblockHeader(w, h));

const readKeyblockHeader = (r: Reader): KeyblockHeader => {
  readObjectHeader(r, [KEYBLOCK_TYPE], "keyblock");
  return {
    height: r.u32("keyblock height"),
    prevKeyblock: r.fixed(HASH_BYTES, "prev_keyblock"),
    prevMicroblock: r.fixed(HASH_BYTES, "prev_microblock"),
    registerRoot: r.fixed(HASH_BYTES, "register_root"),
    miner: readEd25519Key(r, "miner"),
    nonce: r.u64("nonce"),
  };
};

/** [KB-1] header ‖ u32 count ‖ register transactions. */
export const encodeKeyblock = (kb: Keyblock): Uint8Array =>
  encodeWith((w) => {
    writeKeyblockHeader(w, kb.header).u32(kb.registers.length);
    for (const tx of kb.registers) writeTransaction(w, tx);
  });

/** [KB-1] Strict decoding; a non-register transaction in the list is `BadType`. */
export const readKeyblock = (r: Reader): Keyblock => {
  const header = readKeyblockHeader(r);
  const count = r.count(MAX_KEYBLOCK_REGISTERS, "register transactions");
  const registers: RegisterTx[] = [];
  for (let i = 0; i < count; i++) registers.push(readTransaction(r, [TX_TYPE.register], `register ${i}`) as RegisterTx);
  return { header, registers };
};

export const decodeKeyblock = (bytes: Uint8Array): Result.Result<Keyblock, DecodeError> =>
  decodeWith(bytes, readKeyblock);

/** [KB-2] G(KB) = H_KEYBLOCK(header): the register transactions enter through the root; the pin never does. */
export const keyblockId = (h: KeyblockHeader): Uint8Array => taggedHash(TAGS.KEYBLOCK, encodeKeyblockHeader(h));

/** [KB-3] The Merkle root of the register transaction ids, in list order. */
export const registerRoot = (hasher: Sha256Hasher, registers: readonly RegisterTx[]): Uint8Array =>
  merkleRoot(hasher, registers.map(transactionId));

/** [KB-4] H_KEYBLOCK_POW(u64 nonce ‖ prev_microblock ‖ prev_keyblock ‖ register_root ‖ miner). */
export const powDigest = (h: KeyblockHeader): Uint8Array =>
  taggedHash(
    TAGS.KEYBLOCK_POW,
    encodeWith((w) =>
      w
        .u64(h.nonce)
        .fixed(h.prevMicroblock, HASH_BYTES)
        .fixed(h.prevKeyblock, HASH_BYTES)
        .fixed(h.registerRoot, HASH_BYTES)
        .fixed(h.miner, ED25519_KEY_BYTES),
    ),
  );

/** [KB-4] The digest, as a 256-bit big-endian integer, is below 2^(256 - d): its first d bits are zero. */
export const meetsDifficulty = (digest: Uint8Array, difficulty_bits: number): boolean => {
  const fullBytes = Math.floor(difficulty_bits / 8);
  for (let i = 0; i < fullBytes; i++) if (digest[i] !== 0) return false;
  const rest = difficulty_bits % 8;
  return rest === 0 || (digest[fullBytes] ?? 0) >> (8 - rest) === 0;
};
