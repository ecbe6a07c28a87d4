/**
 * The group a protocol instance runs in (spec/consensus.md, [BFT-1] the fault assumption, [BFT-2]
 * quorums, [BFT-3] group identity and leader rotation). The group is the consensus group X of an epoch
 * as the reputation module ranked it: members' Ed25519 keys and fixed-point reputations, in rank order.
 * Its identifier binds every signed message and certificate to that exact snapshot.
 * Source: RepuCoin §4.2 (weighted quorum: >= 2f+1 members and > 2/3 of the reputation; adopting a
 * leader needs f+1 members holding > 1/3); SPChain §5.1; ambiguity register AMB-19.
 * @module
 */
import { Data, Result } from "effect";
import { encodeWith } from "../codec/index.js";
import { bytesEqual } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import {
  faultBound,
  type GroupSnapshot,
  isQuorum,
  REPUTATION_SCALE,
  tallyQuorum,
  totalReputation,
} from "../reputation/quorum.js";
import { MAX_MEMBERS } from "./params.js";

/** A group snapshot that cannot run the protocol (a configuration error of the embedding). */
export class ConsensusGroupInvalid extends Data.TaggedError("ConsensusGroupInvalid")<{ readonly detail: string }> {
  override get message(): string {
    return `consensus group: ${this.detail}`;
  }
}

/** [BFT-3] A checked snapshot with its derived constants. */
export interface ConsensusGroup {
  /** The epoch (keyblock round) whose group this is; part of the identifier. */
  readonly epoch: number;
  readonly snapshot: GroupSnapshot;
  /** H_BFT_GROUP(u64 epoch ‖ u16 n ‖ (key ‖ u64 reputation)*): carried by every signed message. */
  readonly id: Uint8Array;
  readonly size: number;
  /** f = floor((n - 1) / 3). */
  readonly faults: number;
  readonly total_reputation: bigint;
}

/** [BFT-3] The group identifier: binds epoch, member keys, their order and their reputations. */
export const groupId = (epoch: number, snapshot: GroupSnapshot): Uint8Array =>
  taggedHash(
    TAGS.BFT_GROUP,
    encodeWith((w) => {
      w.u64(BigInt(epoch)).u16(snapshot.members.length);
      for (const member of snapshot.members) w.fixed(member.key, 32).u64(member.reputation);
    }),
  );

/**
 * [BFT-3] Checks a snapshot: 1..MAX_MEMBERS members, 32-byte keys, no key twice, reputations in
 * [0, REPUTATION_SCALE], a positive total; the epoch a safe integer.
 */
export const consensusGroup = (
  epoch: number,
  snapshot: GroupSnapshot,
): Result.Result<ConsensusGroup, ConsensusGroupInvalid> => {
  const fail = (detail: string) => Result.fail(new ConsensusGroupInvalid({ detail }));
  const size = snapshot.members.length;
  if (!Number.isSafeInteger(epoch) || epoch < 0) return fail(`epoch ${epoch} is not a safe non-negative integer`);
  if (size < 1 || size > MAX_MEMBERS) return fail(`${size} members, expected 1..${MAX_MEMBERS}`);
  for (const [index, member] of snapshot.members.entries()) {
    if (member.key.length !== 32) return fail(`member ${index}: key of ${member.key.length} bytes`);
    if (member.reputation < 0n || member.reputation > REPUTATION_SCALE) {
      return fail(`member ${index}: reputation ${member.reputation} outside [0, ${REPUTATION_SCALE}]`);
    }
    for (let other = 0; other < index; other++) {
      if (bytesEqual(snapshot.members[other]?.key ?? new Uint8Array(), member.key)) {
        return fail(`members ${other} and ${index} share a key`);
      }
    }
  }
  const total_reputation = totalReputation(snapshot);
  if (total_reputation === 0n) return fail("the members' total reputation is zero");
  return Result.succeed({
    epoch,
    snapshot,
    id: groupId(epoch, snapshot),
    size,
    faults: faultBound(size),
    total_reputation,
  });
};

/** [BFT-3] The leader of a view: members take turns in rank order, leader(v) = v mod n. */
export const leaderOf = (group: ConsensusGroup, view: number): number => view % group.size;

/** A predicate over a set of distinct member indices (all < n). */
export type QuorumPredicate = (group: ConsensusGroup, signers: readonly number[]) => boolean;

/** [BFT-2] The strong quorum: >= 2f+1 members AND strictly more than 2/3 of the reputation (quorum.ts). */
export const strongQuorum: QuorumPredicate = (group, signers) => isQuorum(tallyQuorum(group.snapshot, signers));

/**
 * [BFT-2] The weak quorum: >= f+1 members AND strictly more than 1/3 of the reputation. Under the fault
 * assumption it contains an honest member, so it is enough to join a view change.
 */
export const weakQuorum: QuorumPredicate = (group, signers) => {
  const tally = tallyQuorum(group.snapshot, signers);
  return tally.signers >= group.faults + 1 && 3n * tally.signer_reputation > tally.total_reputation;
};
