/**
 * The scheme-agnostic chameleon hash CH = (HGen, Hash, HVer, HCol) over encoded bytes
 * (spec/chameleon-hash.md, [CH-2]). Every scheme has an id byte, so an encoded key, hash or randomness
 * can say which scheme it belongs to. DSS20 and AM04 are implemented (dl-scheme.ts puts a scheme over decoded
 * objects behind this interface); another (KDS20) is added by implementing it and registering it (registry.ts).
 * Source: SPChain §3.1 (the four algorithms), §5.1 (medical and label transactions carry h and r).
 * @module
 */
import type { Effect, Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import type { Randomness } from "../random.js";
import type { ChameleonOriginalInvalid, ChameleonTrapdoorMismatch } from "./errors.js";

/** [CH-2] Scheme id bytes. Never reused: a retired scheme keeps its number. */
export const CHAMELEON_SCHEME_IDS = { DSS20: 0x01, AM04: 0x02 } as const;
export type ChameleonSchemeId = (typeof CHAMELEON_SCHEME_IDS)[keyof typeof CHAMELEON_SCHEME_IDS];

/** Fixed encoded sizes of a scheme's objects. */
export interface ChameleonSizes {
  readonly publicKey_bytes: number;
  readonly trapdoor_bytes: number;
  readonly hash_bytes: number;
  readonly randomness_bytes: number;
}

/** HGen output: the public hash key and the trapdoor (secret), both encoded. */
export interface ChameleonKeyPair {
  readonly publicKey: Uint8Array;
  readonly trapdoor: Uint8Array;
}

/** Hash output: the hash value h and its randomness r, both encoded. */
export interface ChameleonDigest {
  readonly h: Uint8Array;
  readonly r: Uint8Array;
}

/** Why HCol can refuse: bad encodings, a trapdoor of another key, or an original that does not verify. */
export type ChameleonCollideError = DecodeError | ChameleonTrapdoorMismatch | ChameleonOriginalInvalid;

/**
 * A public hash key decoded once and bound to its scheme: what a ledger keeps per institution. A key made
 * with `prepare` carries precomputed tables and is faster for every later operation.
 */
export interface ChameleonKey {
  readonly scheme: ChameleonSchemeId;
  /** The canonical encoding of the key. */
  readonly publicKey: Uint8Array;
  /** Whether the key carries precomputed tables (speed only: results are the same). */
  readonly prepared: boolean;
  readonly hash: (message: Uint8Array) => Effect.Effect<ChameleonDigest, never, Randomness>;
  /** `false` for a well-formed (h, r) that does not verify; `DecodeError` if h or r is malformed. */
  readonly verify: (message: Uint8Array, h: Uint8Array, r: Uint8Array) => Result.Result<boolean, DecodeError>;
  /** New randomness r' with HVer(key, newMessage, h, r') = true, computed with the key's trapdoor. */
  readonly collide: (
    trapdoor: Uint8Array,
    message: Uint8Array,
    h: Uint8Array,
    r: Uint8Array,
    newMessage: Uint8Array,
  ) => Effect.Effect<Uint8Array, ChameleonCollideError, Randomness>;
}

/** [CH-2] A chameleon hash scheme over encoded bytes. */
export interface ChameleonScheme {
  readonly id: ChameleonSchemeId;
  readonly name: string;
  readonly sizes: ChameleonSizes;
  /** [CH-4] [CH-16] Strict decoding of an encoded hash value, for decoders of objects that carry one. */
  readonly checkHash: (h: Uint8Array) => Result.Result<unknown, DecodeError>;
  /** [CH-4] [CH-16] Strict decoding of an encoded randomness. */
  readonly checkRandomness: (r: Uint8Array) => Result.Result<unknown, DecodeError>;
  /** HGen. */
  readonly keyGen: Effect.Effect<ChameleonKeyPair, never, Randomness>;
  /** Decodes a public key; `prepare` builds tables worth their cost for a long-lived key. */
  readonly key: (
    publicKey: Uint8Array,
    options?: { readonly prepare?: boolean },
  ) => Result.Result<ChameleonKey, DecodeError>;
  /** Hash. */
  readonly hash: (
    publicKey: Uint8Array,
    message: Uint8Array,
  ) => Effect.Effect<ChameleonDigest, DecodeError, Randomness>;
  /** HVer. */
  readonly verify: (
    publicKey: Uint8Array,
    message: Uint8Array,
    h: Uint8Array,
    r: Uint8Array,
  ) => Result.Result<boolean, DecodeError>;
  /** HCol. */
  readonly collide: (
    publicKey: Uint8Array,
    trapdoor: Uint8Array,
    message: Uint8Array,
    h: Uint8Array,
    r: Uint8Array,
    newMessage: Uint8Array,
  ) => Effect.Effect<Uint8Array, ChameleonCollideError, Randomness>;
}
