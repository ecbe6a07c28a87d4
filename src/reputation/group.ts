/**
 * The consensus group and the round's leader (spec/group.md, [GRP-1] [GRP-2] [GRP-4] [GRP-5]): the
 * eligible institutions ranked by fixed-point reputation (ties by H_GROUP_TIE(pk ‖ R)), the top n or
 * RepuCoin's smallest top set covering a target share of hash power, and the leader drawn from the
 * keyblock creator's post-pin signature, which no other member can influence.
 * Source: RepuCoin §4.2 (group X, ties by H(PK, R)), §5.1 (leader l_i = x_j, j = H(.) mod |X|); SPChain
 * §5.1 ("miners with the top n reputation scores"); ambiguity register A19, A21, A22.
 * @module
 */
import { Result } from "effect";
import { encodeWith } from "../codec/index.js";
import { bytesToHex, compareBytes } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import { taggedMessage } from "../crypto/signature.js";
import { GroupInputError } from "./errors.js";
import type { Verify } from "./fraud.js";
import { KEY_BYTES } from "./limits.js";
import { type GroupMember, type GroupSnapshot, REPUTATION_SCALE } from "./quorum.js";

export interface Candidate {
  readonly key: Uint8Array;
  /** Fixed-point R in [0, SCALE]. */
  readonly reputation: bigint;
  /** Keyblocks mined: the hash-power evidence ([GRP-2], power-share rule). */
  readonly mined: bigint;
}

/** [GRP-2] The size rule: a fixed n, or the smallest top set covering `target` (parts per SCALE) of keyblocks. */
export type GroupRule =
  | { readonly _tag: "Size"; readonly size: number }
  | { readonly _tag: "PowerShare"; readonly target: bigint; readonly minSize: number };

const fail = (reason: GroupInputError["reason"], detail: string) =>
  Result.fail(new GroupInputError({ reason, detail }));

/** [GRP-1] The tie key H_GROUP_TIE(pk ‖ u64be(R_fixed)); lower sorts first among equal reputations. */
export const tieKey = (key: Uint8Array, reputation: bigint): Uint8Array =>
  taggedHash(
    TAGS.GROUP_TIE,
    key,
    encodeWith((w) => w.u64(reputation)),
  );

/** [GRP-1] R_fixed descending, then tie key ascending: a total order on distinct keys. */
export const rankOrder = <T extends { readonly key: Uint8Array; readonly reputation: bigint }>(
  items: readonly T[],
): T[] => {
  const keyed = items.map((item) => ({ item, tie: tieKey(item.key, item.reputation) }));
  keyed.sort((x, y) => {
    if (x.item.reputation > y.item.reputation) return -1;
    if (x.item.reputation < y.item.reputation) return 1;
    return compareBytes(x.tie, y.tie);
  });
  return keyed.map((k) => k.item);
};

const checkCandidates = (candidates: readonly Candidate[]): GroupInputError | undefined => {
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.key.length !== KEY_BYTES) return new GroupInputError({ reason: "BadKey", detail: "keys are 32 bytes" });
    const id = bytesToHex(c.key);
    if (seen.has(id)) return new GroupInputError({ reason: "DuplicateKey", detail: id });
    seen.add(id);
    if (c.reputation < 0n || c.reputation > REPUTATION_SCALE) {
      return new GroupInputError({ reason: "ReputationOutOfRange", detail: `${id}: ${c.reputation}` });
    }
    if (c.mined < 0n) return new GroupInputError({ reason: "CountOutOfRange", detail: `${id} mined ${c.mined}` });
  }
  return undefined;
};

const checkRule = (rule: GroupRule): GroupInputError | undefined => {
  const bad = (detail: string) => new GroupInputError({ reason: "CountOutOfRange", detail });
  if (rule._tag === "Size") return Number.isSafeInteger(rule.size) && rule.size >= 1 ? undefined : bad("size >= 1");
  if (!Number.isSafeInteger(rule.minSize) || rule.minSize < 1) return bad("minSize >= 1");
  return rule.target > 0n && rule.target <= REPUTATION_SCALE ? undefined : bad("target in (0, SCALE]");
};

/** [GRP-2] The smallest prefix whose keyblocks reach target × L (SCALE·Σmined >= target·L), at least minSize. */
const powerShareSize = (ranked: readonly Candidate[], target: bigint, minSize: number, length: bigint): number => {
  let mined = 0n;
  for (const [index, c] of ranked.entries()) {
    mined += c.mined;
    if (index + 1 >= minSize && REPUTATION_SCALE * mined >= target * length) return index + 1;
  }
  return ranked.length;
};

/**
 * [GRP-1] [GRP-2] [GRP-5] The group of the epoch that the last pinned keyblock opens: eligible
 * candidates (R_fixed > 0; an identity with a recorded fraud has R = 0) in rank order, cut by the rule.
 * `length` is L, the keyblocks the power shares are counted over.
 */
export const selectGroup = (
  candidates: readonly Candidate[],
  rule: GroupRule,
  length: bigint,
): Result.Result<GroupSnapshot, GroupInputError> => {
  const invalid = checkCandidates(candidates) ?? checkRule(rule);
  if (invalid !== undefined) return Result.fail(invalid);
  const mined = candidates.reduce((sum, c) => sum + c.mined, 0n);
  if (mined > length) return fail("CountOutOfRange", `candidates mined ${mined} of ${length} keyblocks`);
  const ranked = rankOrder(candidates.filter((c) => c.reputation > 0n));
  if (ranked.length === 0) return fail("EmptyGroup", "no candidate has positive reputation");
  const size =
    rule._tag === "Size"
      ? Math.min(rule.size, ranked.length)
      : powerShareSize(ranked, rule.target, Math.min(rule.minSize, ranked.length), length);
  const members: GroupMember[] = ranked.slice(0, size).map(({ key, reputation }) => ({ key, reputation }));
  return Result.succeed({ members });
};

/** [GRP-4] What the keyblock creator signs after the pin: keyblock id (32) ‖ u64be(height), SIG-4 tagged. */
export const leaderSeedMessage = (keyblockId: Uint8Array, height: bigint): Uint8Array =>
  taggedMessage(
    TAGS.LEADER_SEED,
    encodeWith((w) => w.fixed(keyblockId, 32).u64(height)),
  );

/** [GRP-4] The seed signature is the keyblock creator's, over leaderSeedMessage. */
export const verifyLeaderSeed = (
  verify: Verify,
  creator: Uint8Array,
  keyblockId: Uint8Array,
  height: bigint,
  signature: Uint8Array,
): boolean => keyblockId.length === 32 && verify(creator, leaderSeedMessage(keyblockId, height), signature);

/** A 32-byte digest as an unsigned big-endian integer. */
export const digestToBigInt = (digest: Uint8Array): bigint => BigInt(`0x${bytesToHex(digest)}`);

/** [GRP-4] j = u256(H_LEADER(seed signature)) mod |X|. */
export const leaderIndex = (groupSize: number, seedSignature: Uint8Array): number =>
  Number(digestToBigInt(taggedHash(TAGS.LEADER, seedSignature)) % BigInt(groupSize));

/** [GRP-4] The leader of the epoch: the member at leaderIndex in rank order. */
export const drawLeader = (
  group: GroupSnapshot,
  seedSignature: Uint8Array,
): Result.Result<GroupMember, GroupInputError> => {
  const member = group.members[group.members.length === 0 ? 0 : leaderIndex(group.members.length, seedSignature)];
  return member === undefined ? fail("EmptyGroup", "no leader in an empty group") : Result.succeed(member);
};
