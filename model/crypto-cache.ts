/**
 * Memoized crypto for the model (spec/model.md, [MOD-12] performance): every simulated node runs the same
 * pure verification on the same bytes (each member verifies each vote, each node each certificate, each
 * record's HVer), so one process-wide cache answers the repeats. The answers are the functions' own:
 * Ed25519 through the node:crypto fast path (src/node.ts, SIG-7, which agrees with noble on every input),
 * HVer through the ledger's prepared chameleon keys. Keys of the caches are the complete inputs (a
 * message by its SHA-256), so a cached answer is the answer. Bounded: a cache that reaches its bound is
 * cleared (a miss only costs the computation again).
 * @module
 */
import { Result } from "effect";
import type { ChameleonKey } from "../src/crypto/chameleon/scheme.js";
import type { CryptoShape } from "../src/crypto/signature.js";
import { nodeCrypto, nodeSha256 } from "../src/node.js";

/** [MOD-12] Entries each cache holds before it is cleared. */
export const CACHE_ENTRIES_MAX = 500_000;

export interface CryptoCounters {
  /** Signature verifications computed / answered from the cache. */
  verified: number;
  verifyHits: number;
  /** Signatures computed / answered from the cache. */
  signed: number;
  signHits: number;
  /** HVer computed / answered from the cache. */
  hver: number;
  hverHits: number;
}

export const counters: CryptoCounters = { verified: 0, verifyHits: 0, signed: 0, signHits: 0, hver: 0, hverHits: 0 };

/** [MOD-12] A process-wide map from exact keys to pure answers, cleared when it reaches its bound. */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly bound: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): V {
    if (this.map.size >= this.bound) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

const verifyMemo = new BoundedMemo<boolean>(CACHE_ENTRIES_MAX);
const signMemo = new BoundedMemo<Uint8Array>(CACHE_ENTRIES_MAX);

/** Bytes as a one-char-per-byte string: a cheap exact map key. */
export const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** Messages up to this size key a memo by their bytes (a consensus statement is ~100 B); longer ones by SHA-256. */
export const RAW_KEY_BYTES_MAX = 256;

/** The key of a message in a memo: its length and its bytes when short, else its length and SHA-256. */
const messageKey = (message: Uint8Array): string =>
  `${message.length}:${latin1(message.length <= RAW_KEY_BYTES_MAX ? message : nodeSha256(message))}`;

/**
 * [MOD-12] The node:crypto Crypto service with verification answered once per (key, message, signature),
 * and signing once per (secret key, message): Ed25519 signing is deterministic (RFC 8032), so a repeated
 * signature is the same bytes (runs of one process sign the same genesis-era statements again and again).
 */
export const cachedCrypto = (base: CryptoShape = nodeCrypto): CryptoShape => ({
  implementation: `${base.implementation}+memo`,
  sha256: base.sha256,
  publicKey: base.publicKey,
  sign: (secretKey, message) => {
    const key = `${latin1(secretKey)}${messageKey(message)}`;
    const known = signMemo.get(key);
    if (known !== undefined) {
      counters.signHits += 1;
      return known.slice();
    }
    counters.signed += 1;
    return signMemo.set(key, base.sign(secretKey, message)).slice();
  },
  verify: (publicKey, message, signature) => {
    const key = `${latin1(publicKey)}${latin1(signature)}${messageKey(message)}`;
    const known = verifyMemo.get(key);
    if (known !== undefined) {
      counters.verifyHits += 1;
      return known;
    }
    counters.verified += 1;
    return verifyMemo.set(key, base.verify(publicKey, message, signature));
  },
});

/** The one instance every run shares. */
export const modelCrypto: CryptoShape = cachedCrypto();

const hverMemo = new BoundedMemo<Result.Result<boolean, unknown>>(CACHE_ENTRIES_MAX);

/**
 * [MOD-12] A chameleon key whose HVer is answered once per (key, message, h, r); Hash and HCol are the
 * key's own (they draw randomness, so they are never cached here).
 */
export const cachedChameleonKey = (key: ChameleonKey): ChameleonKey => {
  const id = latin1(key.publicKey);
  return {
    ...key,
    verify: (message, h, r) => {
      const memo = `${id}${latin1(message)}${latin1(h)}${latin1(r)}`;
      const known = hverMemo.get(memo);
      if (known !== undefined) {
        counters.hverHits += 1;
        return known as ReturnType<ChameleonKey["verify"]>;
      }
      counters.hver += 1;
      return hverMemo.set(memo, key.verify(message, h, r)) as ReturnType<ChameleonKey["verify"]>;
    },
  };
};

/** A key whose HVer accepts everything: the "label check that skips HVer" of a negative control (MOD-10). */
export const hverSkippingKey = (key: ChameleonKey): ChameleonKey => ({
  ...key,
  verify: () => Result.succeed(true),
});
