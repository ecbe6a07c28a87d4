/**
 * The chain configuration and the genesis constants (spec/chain.md [CHAIN-1], spec/blocks.md [KB-5]):
 * difficulty, freshness window, minimum fees and the registry of certified institutions (Ed25519 key and
 * chameleon-hash key each), encoded canonically; G(KB_0) and GENESIS_MICROBLOCK are tagged hashes of that
 * encoding, so two chains with different configurations share no block.
 * @module
 */
import { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  ED25519_KEY_BYTES,
  encodeWith,
  type Reader,
  readEd25519Key,
  readObjectHeader,
  writeObjectHeader,
} from "../codec/index.js";
import { bytesToHex } from "../crypto/bytes.js";
import { readChameleonScheme } from "../crypto/chameleon/registry.js";
import type { ChameleonScheme } from "../crypto/chameleon/scheme.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { ChainConfigInvalid } from "./errors.js";

/** [CHAIN-1] Type byte of a configuration (ENC-10). */
export const CONFIG_TYPE = 0x13;
/** [CHAIN-1] Institution indices are u16. */
export const MAX_INSTITUTIONS = 0xffff;

export type TransactionKind = "register" | "medical" | "label";

/** [CHAIN-1] A certified institution: its signing key and its chameleon-hash key. */
export interface InstitutionEntry {
  readonly key: Uint8Array;
  readonly chScheme: ChameleonScheme;
  readonly chKey: Uint8Array;
}

export interface ChainConfig {
  /** [KB-4] d: a keyblock's PoW digest starts with at least d zero bits. */
  readonly difficulty_bits: number;
  /** [CHAIN-8] W >= 1: a transaction's round r is fresh in epoch e iff e - W < r <= e. */
  readonly freshness_window: number;
  /** [CHAIN-9] The least fee of each kind, in base units (u32). */
  readonly min_fee: Readonly<Record<TransactionKind, number>>;
  /** [CHAIN-1] The institution registry, by index. */
  readonly institutions: readonly InstitutionEntry[];
}

const U32_MAX = 0xffff_ffff;
const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= U32_MAX;

/** [CHAIN-1] The configuration rules beyond the encoding: W >= 1, fees u32, 1..65535 institutions, distinct keys. */
export const checkConfig = (config: ChainConfig): Result.Result<ChainConfig, ChainConfigInvalid> => {
  const fail = (detail: string) => Result.fail(new ChainConfigInvalid({ detail }));
  if (!Number.isInteger(config.difficulty_bits) || config.difficulty_bits < 0 || config.difficulty_bits > 255) {
    return fail(`difficulty_bits ${config.difficulty_bits} is not in [0, 255]`);
  }
  if (!isU32(config.freshness_window) || config.freshness_window < 1) {
    return fail(`freshness_window ${config.freshness_window} is not in [1, 2^32 - 1]`);
  }
  for (const kind of ["register", "medical", "label"] as const) {
    if (!isU32(config.min_fee[kind])) return fail(`min_fee.${kind} ${config.min_fee[kind]} is not a u32`);
  }
  const count = config.institutions.length;
  if (count < 1 || count > MAX_INSTITUTIONS) return fail(`${count} institutions, expected 1..${MAX_INSTITUTIONS}`);
  const seen = new Set<string>();
  for (const [index, entry] of config.institutions.entries()) {
    if (entry.key.length !== ED25519_KEY_BYTES) return fail(`institution ${index}: key of ${entry.key.length} bytes`);
    if (entry.chKey.length !== entry.chScheme.sizes.publicKey_bytes) {
      return fail(`institution ${index}: chameleon key of ${entry.chKey.length} bytes`);
    }
    const hex = bytesToHex(entry.key);
    if (seen.has(hex)) return fail(`institution ${index}: key registered twice`);
    seen.add(hex);
  }
  return Result.succeed(config);
};

/** [CHAIN-1] The canonical encoding. */
export const encodeConfig = (config: ChainConfig): Uint8Array =>
  encodeWith((w) => {
    writeObjectHeader(w, CONFIG_TYPE)
      .u8(config.difficulty_bits)
      .u32(config.freshness_window)
      .u32(config.min_fee.register)
      .u32(config.min_fee.medical)
      .u32(config.min_fee.label)
      .u16(config.institutions.length);
    for (const entry of config.institutions) {
      w.fixed(entry.key, ED25519_KEY_BYTES)
        .u8(entry.chScheme.id)
        .fixed(entry.chKey, entry.chScheme.sizes.publicKey_bytes);
    }
  });

const readInstitution = (r: Reader, index: number): InstitutionEntry => {
  const key = readEd25519Key(r, `institution ${index} key`);
  const chScheme = readChameleonScheme(r, `institution ${index} chameleon scheme`);
  const at = r.position;
  const chKey = r.fixed(chScheme.sizes.publicKey_bytes, `institution ${index} chameleon key`);
  const checked = chScheme.key(chKey);
  if (Result.isFailure(checked)) r.fail(checked.failure.reason, `institution ${index}: ${checked.failure.detail}`, at);
  return { key, chScheme, chKey };
};

/** [CHAIN-1] Strict decoding; then the rules of `checkConfig`. */
export const decodeConfig = (bytes: Uint8Array): Result.Result<ChainConfig, DecodeError | ChainConfigInvalid> =>
  Result.flatMap(
    decodeWith(bytes, (r): ChainConfig => {
      readObjectHeader(r, [CONFIG_TYPE], "config");
      const difficulty_bits = r.u8("difficulty_bits");
      const freshness_window = r.u32("freshness_window");
      const min_fee = {
        register: r.u32("min_fee register"),
        medical: r.u32("min_fee medical"),
        label: r.u32("min_fee label"),
      };
      const count = r.u16("institution count");
      const institutions: InstitutionEntry[] = [];
      for (let i = 0; i < count; i++) institutions.push(readInstitution(r, i));
      return { difficulty_bits, freshness_window, min_fee, institutions };
    }),
    checkConfig,
  );

/** [KB-5] G(KB_0) = H_KEYBLOCK(encode(config)). */
export const genesisKeyblockId = (config: ChainConfig): Uint8Array => taggedHash(TAGS.KEYBLOCK, encodeConfig(config));

/** [KB-5] GENESIS_MICROBLOCK = H_MICROBLOCK(encode(config)): the last microblock of the rounds before genesis. */
export const genesisMicroblockId = (config: ChainConfig): Uint8Array =>
  taggedHash(TAGS.MICROBLOCK, encodeConfig(config));
