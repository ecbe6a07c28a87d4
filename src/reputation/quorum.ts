/**
 * [GRP-3] The reputation-weighted quorum (spec/group.md): a set of signers of the consensus group X is a
 * quorum when it has at least 2f+1 members, f = floor((|X| - 1) / 3), AND strictly more than two thirds
 * of the group's total reputation. Reputation is fixed-point (REPUTATION_SCALE units = 1.0) so that the
 * comparison is exact in every implementation.
 * Source: RepuCoin §4.2 (weighted quorum); SPChain §5.1 (pins need 2/3 of signatures and of reputation).
 * @module
 */

/** 1.0 of reputation, in integer units. */
export const REPUTATION_SCALE = 1_000_000_000n;

export interface GroupMember {
  /** The member's Ed25519 public key (32 bytes). */
  readonly key: Uint8Array;
  /** Reputation in [0, REPUTATION_SCALE]. */
  readonly reputation: bigint;
}

/** The consensus group a certificate is checked against: members in rank order. */
export interface GroupSnapshot {
  readonly members: readonly GroupMember[];
}

/** [GRP-3] f = floor((|X| - 1) / 3): the most Byzantine members the group tolerates. */
export const faultBound = (group_size: number): number => {
  if (!Number.isInteger(group_size) || group_size < 1) throw new RangeError(`group size must be >= 1: ${group_size}`);
  return Math.floor((group_size - 1) / 3);
};

/** [GRP-3] 2f + 1 signers. */
export const quorumCount = (group_size: number): number => 2 * faultBound(group_size) + 1;

export const totalReputation = (group: GroupSnapshot): bigint =>
  group.members.reduce((sum, member) => sum + member.reputation, 0n);

export interface QuorumTally {
  readonly signers: number;
  readonly signer_reputation: bigint;
  readonly total_reputation: bigint;
  readonly enough_signers: boolean;
  readonly enough_reputation: boolean;
}

/**
 * [GRP-3] Tallies distinct member indices. Both conditions must hold: `signers >= 2f+1` and
 * `3 * signer_reputation > 2 * total_reputation` (strict, exact in integers).
 */
export const tallyQuorum = (group: GroupSnapshot, signer_indices: Iterable<number>): QuorumTally => {
  const size = group.members.length;
  const distinct = new Set<number>();
  let signer_reputation = 0n;
  for (const index of signer_indices) {
    const member = group.members[index];
    if (member === undefined) throw new RangeError(`signer index ${index} outside a group of ${size}`);
    if (distinct.has(index)) continue;
    distinct.add(index);
    signer_reputation += member.reputation;
  }
  const total_reputation = totalReputation(group);
  return {
    signers: distinct.size,
    signer_reputation,
    total_reputation,
    enough_signers: distinct.size >= quorumCount(size),
    enough_reputation: 3n * signer_reputation > 2n * total_reputation,
  };
};

export const isQuorum = (tally: QuorumTally): boolean => tally.enough_signers && tally.enough_reputation;
