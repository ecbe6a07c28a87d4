/**
 * A throughput member's memory of what it has checked (spec/signatures.md [SIG-7]; spec/chameleon-hash.md
 * [CH-8]): a signature (or HVer) verified once is not verified again when the same bytes come back (a
 * request's transactions return in the proposal, then in the pinned batch). The memory is keyed by every
 * input and never shared between members, so every member still verifies every signature once: that is the
 * unit of work the throughput limit counts, and the counters here are how the benchmark checks it.
 * @module
 */
import { Result } from "effect";
import { bytesEqual } from "../src/crypto/bytes.js";
import type { ChameleonKey } from "../src/crypto/chameleon/scheme.js";
import { TAGS, tagPrefix } from "../src/crypto/hash.js";
import type { CryptoShape } from "../src/crypto/signature.js";
import { latin1 } from "./throughput-codec.js";

/** Which validity checks run: everything but HVer ("signatures"), or everything ("full"). */
export type Validation = "signatures" | "full";

export interface MemberCounters {
  /** Ed25519 verifications computed, by domain (answers from the member's memory are not counted). */
  txVerified: number;
  voteVerified: number;
  otherVerified: number;
  /** HVer computed ("full" validation only). */
  hver: number;
  /** Wall time inside the Ed25519 verifications and the HVer computed: what dominates a run. */
  verifyMs: number;
  hverMs: number;
  /**
   * Wall time inside the member's other stages: decoding submissions and batch values (with their ids),
   * placing a batch (every CHAIN-7 check and the batch root, when a proposal is judged) and applying it
   * with its pin certificate. Garbage collection counts in whichever stage it interrupts.
   */
  decodeMs: number;
  placeMs: number;
  pinMs: number;
}

/** The stages a member times besides Ed25519 and HVer. */
export type Stage = "decodeMs" | "placeMs" | "pinMs";

export const emptyCounters = (): MemberCounters => ({
  txVerified: 0,
  voteVerified: 0,
  otherVerified: 0,
  hver: 0,
  verifyMs: 0,
  hverMs: 0,
  decodeMs: 0,
  placeMs: 0,
  pinMs: 0,
});

const TX_PREFIX = tagPrefix(TAGS.TX_SIG);
const VOTE_PREFIX = tagPrefix(TAGS.VOTE);
const startsWith = (bytes: Uint8Array, prefix: Uint8Array): boolean =>
  bytes.length >= prefix.length && bytesEqual(bytes.subarray(0, prefix.length), prefix);

/** A member's memory bound: cleared when full (a miss only costs the verification again). */
const MEMORY_ENTRIES_MAX = 1_000_000;

/** [SIG-7] The member's Ed25519 verifier: node:crypto, each (key, message, signature) verified once. */
export const rememberingCrypto = (base: CryptoShape, counters: MemberCounters): CryptoShape => {
  const known = new Map<string, { readonly key: Uint8Array; readonly message: Uint8Array; readonly ok: boolean }>();
  return {
    ...base,
    verify: (publicKey, message, signature) => {
      const id = latin1(signature);
      const hit = known.get(id);
      if (hit !== undefined && bytesEqual(hit.key, publicKey) && bytesEqual(hit.message, message)) return hit.ok;
      const start = performance.now();
      const ok = base.verify(publicKey, message, signature);
      counters.verifyMs += performance.now() - start;
      if (startsWith(message, TX_PREFIX)) counters.txVerified += 1;
      else if (startsWith(message, VOTE_PREFIX)) counters.voteVerified += 1;
      else counters.otherVerified += 1;
      if (known.size >= MEMORY_ENTRIES_MAX) known.clear();
      known.set(id, { key: publicKey, message, ok });
      return ok;
    },
  };
};

/** [CH-8] The member's HVer: each (message, h, r) computed once ("full"), or never ("signatures"). */
export const memberChameleonKey = (
  key: ChameleonKey,
  validation: Validation,
  counters: MemberCounters,
): ChameleonKey => {
  if (validation === "signatures") {
    return { ...key, verify: () => Result.succeed(true) };
  }
  const known = new Map<
    string,
    { readonly message: Uint8Array; readonly h: Uint8Array; readonly answer: ReturnType<ChameleonKey["verify"]> }
  >();
  return {
    ...key,
    verify: (message, h, r) => {
      const id = latin1(r);
      const hit = known.get(id);
      if (hit !== undefined && bytesEqual(hit.message, message) && bytesEqual(hit.h, h)) return hit.answer;
      counters.hver += 1;
      const start = performance.now();
      const answer = key.verify(message, h, r);
      counters.hverMs += performance.now() - start;
      if (known.size >= MEMORY_ENTRIES_MAX) known.clear();
      known.set(id, { message, h, answer });
      return answer;
    },
  };
};
