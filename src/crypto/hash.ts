/**
 * SHA-256 with versioned domain tags (spec/hashing.md, [HASH-1], [HASH-3]). Every use of a hash in SPChain
 * has its own tag `SPCHAIN-V1-<USE>`, so a value hashed for one purpose can never be taken for another.
 * @module
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";

/** [HASH-2] The domain tags in use; adding a use means adding a tag here and to spec/hashing.md. */
export const TAGS = {
  TX: "SPCHAIN-V1-TX",
  TX_SIG: "SPCHAIN-V1-TX-SIG",
  KEYBLOCK: "SPCHAIN-V1-KEYBLOCK",
  KEYBLOCK_POW: "SPCHAIN-V1-KEYBLOCK-POW",
  MICROBLOCK: "SPCHAIN-V1-MICROBLOCK",
  MICROBLOCK_SIG: "SPCHAIN-V1-MICROBLOCK-SIG",
  INSTITUTION_LEAF: "SPCHAIN-V1-INSTITUTION-LEAF",
  VOTE: "SPCHAIN-V1-VOTE",
  IDENTITY: "SPCHAIN-V1-IDENTITY",
  CIPHERTEXT: "SPCHAIN-V1-CIPHERTEXT",
  LEADER: "SPCHAIN-V1-LEADER",
  LEADER_SEED: "SPCHAIN-V1-LEADER-SEED",
  REWARD_SPLIT: "SPCHAIN-V1-REWARD-SPLIT",
  GROUP_TIE: "SPCHAIN-V1-GROUP-TIE",
  FRAUD: "SPCHAIN-V1-FRAUD",
  VECTOR_RNG: "SPCHAIN-V1-VECTOR-RNG",
  BFT_GROUP: "SPCHAIN-V1-BFT-GROUP",
  BFT_VALUE: "SPCHAIN-V1-BFT-VALUE",
  BFT_REQUEST: "SPCHAIN-V1-BFT-REQUEST",
  BFT_VIEW_CHANGE: "SPCHAIN-V1-BFT-VIEW-CHANGE",
  BFT_NEW_VIEW: "SPCHAIN-V1-BFT-NEW-VIEW",
  SHARE_RECORD_KEY: "SPCHAIN-V1-SHARE-RECORD-KEY",
} as const;
export type Tag = (typeof TAGS)[keyof typeof TAGS];

const tagPrefixCache = new Map<string, Uint8Array>();

/** [HASH-1] u32be(|tag|) || tag: the prefix that separates the domains. */
export const tagPrefix = (tag: string): Uint8Array => {
  let prefix = tagPrefixCache.get(tag);
  if (prefix === undefined) {
    const bytes = utf8ToBytes(tag);
    prefix = new Uint8Array(4 + bytes.length);
    new DataView(prefix.buffer).setUint32(0, bytes.length);
    prefix.set(bytes, 4);
    tagPrefixCache.set(tag, prefix);
  }
  return prefix;
};

/** A SHA-256 implementation: 32 bytes for any input. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** FIPS 180-4 known answers: SHA-256("abc") and of the 56-byte two-block message, in hex. */
const SHA256_KNOWN_ANSWERS: readonly (readonly [string, string])[] = [
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
];

/**
 * The SHA-256 behind `taggedHash`: noble's (portable) unless the node entry point (src/node.ts) installed
 * OpenSSL's, about twice as fast on the short inputs that transaction ids, entries and votes hash.
 * Module state, because taggedHash has callers all over the core that take no hasher, and threading one
 * through every id and message would change dozens of signatures for speed alone. It is not observable:
 * every installed implementation computes SHA-256, the same bytes for every input (properties/
 * hash-backend.test.ts checks noble against node and both against an oracle); only the speed differs.
 */
let backend: Sha256 = sha256;

/**
 * [HASH-1] Installs `impl` as the SHA-256 behind `taggedHash` and returns the one it replaces. An
 * implementation that fails the FIPS 180-4 known answers is refused (a RangeError), so a broken backend
 * can never silently change every hash.
 */
export const useSha256Backend = (impl: Sha256): Sha256 => {
  for (const [message, digest] of SHA256_KNOWN_ANSWERS) {
    if (bytesToHex(impl(utf8ToBytes(message))) !== digest) throw new RangeError("SHA-256 backend fails a known answer");
  }
  const previous = backend;
  backend = impl;
  return previous;
};

/**
 * [HASH-1] H_tag(data) = SHA-256(u32be(|tag|) || tag || data). Callers pass canonical encodings
 * (fixed-width or length-prefixed fields), so the concatenation is unambiguous.
 */
export const taggedHash = (tag: string, ...parts: Uint8Array[]): Uint8Array =>
  backend(concatBytes(tagPrefix(tag), ...parts));

export { sha256 };
