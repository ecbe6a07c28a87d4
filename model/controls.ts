/**
 * The control items of an epoch log and what they change (spec/model.md, [MOD-5]): a round's leader
 * seed, its microblock bundle, the skip of a creator that does not deliver, and proofs of fraud. The same
 * function validates a proposed item (on a scratch copy) and applies a decided one, so that every honest
 * node, validating or applying, reaches the same state.
 *
 * A round r with register transactions needs its microblocks (KB-6: keyblock r+2 commits to them). Its
 * creator is the leader GRP-4 draws from the seed of keyblock r's miner, once the seed is decided. If the
 * seed or the bundle does not come, members that waited `patience_ms` ask to skip: a decided Skip(r, c)
 * passes the duty from creator c to the next member in rank order (c = NO_CREATOR: no seed came, the
 * duty goes to the top member). Seeds and bundles go through the log, not gossip, because a miner could
 * sign two seeds (Ed25519 signatures are not unique, GRP-4) and two creators two bundles: the log orders
 * them, so every node takes the same one.
 * @module
 */

import { Result } from "effect";
import { STATEMENT_SLOT_BYTES } from "../src/consensus/certificate.js";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import type { CryptoShape } from "../src/crypto/signature.js";
import { applyMicroblockWith } from "../src/ledger/apply-microblock.js";
import type { ChainState } from "../src/ledger/state.js";
import type { ReputationEvent } from "../src/reputation/events.js";
import { prefixSlot, verifyFraudProof } from "../src/reputation/fraud.js";
import { leaderIndex, leaderSeedMessage, verifyLeaderSeed } from "../src/reputation/group.js";
import { NO_CREATOR, type Request } from "./values.js";

/** [MOD-5] A round's microblock duty, as the log has settled it so far. */
export interface Duty {
  readonly round: number;
  readonly registers: number;
  readonly keyblockId: Uint8Array;
  readonly miner: Uint8Array;
  /** The group of epoch `round`, in rank order: creators are its members. */
  readonly members: readonly Uint8Array[];
  readonly seed: Uint8Array | undefined;
  /** The leader drawn from the seed (GRP-4), when the seed came before any skip. */
  readonly drawn: number | undefined;
  readonly creator: number | undefined;
  readonly done: boolean;
  readonly bundleBy: number | undefined;
}

export const newDuty = (
  round: number,
  registers: number,
  keyblockId: Uint8Array,
  miner: Uint8Array,
  members: readonly Uint8Array[],
): Duty => ({
  round,
  registers,
  keyblockId,
  miner,
  members,
  seed: undefined,
  drawn: undefined,
  creator: undefined,
  done: registers === 0,
  bundleBy: undefined,
});

/** What control items act on: the ledger (bundles), the duties, recorded frauds and the events they feed. */
export interface ControlState {
  ledger: ChainState;
  readonly duties: Map<number, Duty>;
  readonly frauds: Set<string>;
  readonly events: ReputationEvent[];
}

export const copyControlState = (s: ControlState): ControlState => ({
  ledger: s.ledger,
  duties: new Map(s.duties),
  frauds: new Set(s.frauds),
  events: [],
});

export interface ControlEnv {
  readonly crypto: CryptoShape;
  /** Institution keys (hex) of the registry: only they can be convicted. */
  readonly institutions: ReadonlySet<string>;
  /** For validation only: has this node itself waited long enough to skip creator `c` of `round`? */
  readonly patient?: (round: number, creator: number) => boolean;
}

/** The creator a skip names: the current one, or NO_CREATOR when none is known. */
export const creatorTag = (duty: Duty): number => duty.creator ?? NO_CREATOR;

/** [MOD-5] Validates and applies one control item; a string is the reason it is refused (nothing changed). */
export const applyControl = (s: ControlState, q: Request, env: ControlEnv): string | undefined => {
  switch (q._tag) {
    case "Seed": {
      const duty = s.duties.get(q.round);
      if (duty === undefined || duty.done) return "no open duty for this round";
      if (duty.creator !== undefined) return "the round already has a creator";
      if (!verifyLeaderSeed(env.crypto.verify, duty.miner, duty.keyblockId, BigInt(q.round), q.signature))
        return "the seed is not the miner's signature";
      const drawn = leaderIndex(duty.members.length, q.signature);
      s.duties.set(q.round, { ...duty, seed: q.signature, drawn, creator: drawn });
      return undefined;
    }
    case "Bundle": {
      const duty = s.duties.get(q.round);
      if (duty === undefined || duty.done) return "no open duty for this round";
      const creator = duty.creator === undefined ? undefined : duty.members[duty.creator];
      if (creator === undefined) return "the round has no creator yet";
      if (q.creator !== duty.creator) return "the bundle names another creator";
      if (q.headers.length !== duty.registers) return "a bundle carries every microblock of its round";
      let ledger = s.ledger;
      for (const header of q.headers) {
        if (!bytesEqual(header.leader, creator)) return "a microblock by another than the creator";
        const applied = applyMicroblockWith(env.crypto, ledger, header, creator);
        if (Result.isFailure(applied)) return applied.failure._tag;
        ledger = applied.success;
      }
      s.ledger = ledger;
      s.duties.set(q.round, { ...duty, done: true, bundleBy: duty.creator });
      return undefined;
    }
    case "Skip": {
      const duty = s.duties.get(q.round);
      if (duty === undefined || duty.done) return "no open duty for this round";
      if (q.creator !== creatorTag(duty)) return "the skip names another creator";
      if (env.patient !== undefined && !env.patient(q.round, q.creator))
        return "this member has not waited long enough";
      const next = duty.creator === undefined ? 0 : (duty.creator + 1) % duty.members.length;
      s.duties.set(q.round, { ...duty, creator: next });
      return undefined;
    }
    case "Fraud": {
      const offender = bytesToHex(q.proof.offender);
      if (!env.institutions.has(offender)) return "the offender is not an institution";
      if (s.frauds.has(offender)) return "this offender is already convicted";
      const verified = verifyFraudProof(q.proof, env.crypto.verify, prefixSlot(STATEMENT_SLOT_BYTES));
      if (Result.isFailure(verified)) return verified.failure.reason;
      s.frauds.add(offender);
      s.events.push(verified.success);
      return undefined;
    }
    default:
      return "not a control item";
  }
};

/** [GRP-4] The miner's seed for the round its keyblock opens: its signature on (keyblock id, height). */
export const signLeaderSeed = (
  crypto: CryptoShape,
  miner: { readonly signing: { readonly secretKey: Uint8Array } },
  keyblockId: Uint8Array,
  round: number,
): Uint8Array => crypto.sign(miner.signing.secretKey, leaderSeedMessage(keyblockId, BigInt(round)));
