/**
 * The consensus group (GRP-1, GRP-2, GRP-5), the reputation-weighted quorum (GRP-3) and the leader draw
 * (GRP-4).
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TAGS } from "../src/crypto/hash.js";
import { nobleCrypto, signTagged } from "../src/crypto/signature.js";
import {
  type Candidate,
  drawLeader,
  type GroupRule,
  leaderIndex,
  leaderSeedMessage,
  rankOrder,
  selectGroup,
  verifyLeaderSeed,
} from "../src/reputation/group.js";
import {
  faultBound,
  type GroupSnapshot,
  isQuorum,
  quorumCount,
  REPUTATION_SCALE,
  tallyQuorum,
} from "../src/reputation/quorum.js";
import { replayReputation } from "../src/reputation/replay.js";
import { applyEvents, evaluate, initialState } from "../src/reputation/state.js";
import { failsOn, holds } from "./check.js";
import { arbConfig, arbHistory, identity } from "./reputation-arbitraries.js";

type Select = typeof selectGroup;
const keysOf = (group: GroupSnapshot): string[] => group.members.map((m) => Buffer.from(m.key).toString("hex"));

/** Candidates with reputations from a small set, so that ties are common. */
const arbCandidates = fc
  .uniqueArray(fc.nat({ max: 60 }), { minLength: 1, maxLength: 14 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.constantFrom(0n, 100_000_000n, 400_000_000n, 400_000_001n, 900_000_000n, REPUTATION_SCALE), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      fc.array(fc.nat({ max: 20 }), { minLength: ids.length, maxLength: ids.length }),
    ),
  )
  .map(([ids, reps, mined]) =>
    ids.map((id, i): Candidate => ({ key: identity(id), reputation: reps[i] ?? 0n, mined: BigInt(mined[i] ?? 0) })),
  );

const arbRule: fc.Arbitrary<GroupRule> = fc.oneof(
  fc.integer({ min: 1, max: 15 }).map((size) => ({ _tag: "Size" as const, size })),
  fc
    .record({ target: fc.bigInt({ min: 1n, max: REPUTATION_SCALE }), minSize: fc.integer({ min: 1, max: 6 }) })
    .map((r) => ({ _tag: "PowerShare" as const, ...r })),
);

const lengthFor = (candidates: readonly Candidate[]) => candidates.reduce((s, c) => s + c.mined, 0n);

describe("group selection", () => {
  const orderIndependent = (select: Select) =>
    fc.property(
      arbCandidates.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length }), arbRule)),
      ([candidates, shuffled, rule]) => {
        const a = select(candidates, rule, lengthFor(candidates));
        const b = select(shuffled, rule, lengthFor(candidates));
        if (Result.isFailure(a) || Result.isFailure(b)) return Result.isFailure(a) && Result.isFailure(b);
        return JSON.stringify(keysOf(a.success)) === JSON.stringify(keysOf(b.success));
      },
    );

  it("[GRP-1] selection and ties are deterministic and independent of the input order", () => {
    holds("group order independent", orderIndependent(selectGroup), { numRuns: 300 });
    // Negative control: ties left in input order (a stable sort by reputation only).
    const noTieKey: Select = (candidates, rule, length) => {
      const sorted = [...candidates]
        .filter((c) => c.reputation > 0n)
        .sort((x, y) => (x.reputation > y.reputation ? -1 : x.reputation < y.reputation ? 1 : 0));
      const size = rule._tag === "Size" ? Math.min(rule.size, sorted.length) : sorted.length;
      return sorted.length === 0 ? selectGroup([], rule, length) : Result.succeed({ members: sorted.slice(0, size) });
    };
    failsOn("group without tie key", orderIndependent(noTieKey));
  });

  it("[GRP-1] ranked by R descending, ties by H(pk || R); zero reputation is never seated", () => {
    const ranked = (rank: typeof rankOrder<Candidate>) =>
      fc.property(arbCandidates, (candidates) => {
        const order = rank(candidates);
        return (
          order.length === candidates.length &&
          order.every((c, i) => i === 0 || (order[i - 1]?.reputation ?? 0n) >= c.reputation)
        );
      });
    holds("ranked", ranked(rankOrder));
    // Negative control: ascending order.
    failsOn(
      "ranked ascending",
      ranked((items) => rankOrder(items).reverse()),
    );
    const a = { key: identity(1), reputation: 0n, mined: 0n };
    const b = { key: identity(2), reputation: 5n, mined: 0n };
    const group = Result.getOrThrow(selectGroup([a, b], { _tag: "Size", size: 5 }, 0n));
    expect(keysOf(group)).toEqual([Buffer.from(identity(2)).toString("hex")]);
    const reason = (candidates: Candidate[], rule: GroupRule = { _tag: "Size", size: 3 }, length = 100n) => {
      const r = selectGroup(candidates, rule, length);
      return Result.isFailure(r) ? r.failure.reason : "ok";
    };
    expect(reason([a])).toBe("EmptyGroup");
    expect(reason([b, b])).toBe("DuplicateKey");
    expect(reason([{ ...b, key: new Uint8Array(3) }])).toBe("BadKey");
    expect(reason([{ ...b, reputation: REPUTATION_SCALE + 1n }])).toBe("ReputationOutOfRange");
    expect(reason([{ ...b, mined: 101n }])).toBe("CountOutOfRange");
    expect(reason([b], { _tag: "Size", size: 0 })).toBe("CountOutOfRange");
    expect(reason([b], { _tag: "PowerShare", target: 0n, minSize: 1 })).toBe("CountOutOfRange");
  });

  it("[GRP-2] the power-share group is the smallest top set reaching the target", () => {
    const smallest = (select: Select) =>
      fc.property(
        arbCandidates,
        fc.bigInt({ min: 1n, max: REPUTATION_SCALE }),
        fc.integer({ min: 1, max: 4 }),
        (candidates, target, minSize) => {
          const length = lengthFor(candidates);
          const result = select(candidates, { _tag: "PowerShare", target, minSize }, length);
          if (Result.isFailure(result)) return result.failure.reason === "EmptyGroup";
          const ranked = rankOrder(candidates.filter((c) => c.reputation > 0n));
          const size = result.success.members.length;
          const reaches = (n: number) =>
            REPUTATION_SCALE * ranked.slice(0, n).reduce((s, c) => s + c.mined, 0n) >= target * length;
          const floor = Math.min(minSize, ranked.length);
          const prefix = keysOf(result.success).join() === keysOf({ members: ranked.slice(0, size) }).join();
          return (
            prefix &&
            size >= floor &&
            (size === ranked.length || reaches(size)) &&
            (size === floor || !reaches(size - 1))
          );
        },
      );
    holds("smallest covering prefix", smallest(selectGroup), { numRuns: 300 });
    // Negative control: one member too many.
    const oneMore: Select = (candidates, rule, length) => {
      const result = selectGroup(candidates, rule, length);
      if (Result.isFailure(result)) return result;
      const ranked = rankOrder(candidates.filter((c) => c.reputation > 0n));
      return Result.succeed({ members: ranked.slice(0, result.success.members.length + 1) });
    };
    failsOn("power share off by one", smallest(oneMore));
    const sized = Result.getOrThrow(
      selectGroup(
        [1, 2, 3].map((i) => ({ key: identity(i), reputation: BigInt(i), mined: 0n })),
        { _tag: "Size", size: 2 },
        0n,
      ),
    );
    expect(sized.members.map((m) => m.reputation)).toEqual([3n, 2n]);
  });

  it("[GRP-5] the group of each epoch is a function of the chain up to its keyblock", () => {
    const rule: GroupRule = { _tag: "Size", size: 3 };
    const property = (stale: boolean) =>
      fc.property(arbConfig(), arbHistory(6, 50, false), (c, events) => {
        let state = initialState(c);
        let previous = state;
        for (const [i, event] of events.entries()) {
          previous = state;
          state = Result.getOrThrow(applyEvents(state, [event]));
          if (event._tag !== "KeyblockPinned") continue;
          const snapshot = evaluate(stale ? previous : state);
          const candidates = snapshot.map((x) => ({ key: x.key, reputation: x.reputation.fixed, mined: x.mined }));
          const scratch = Result.getOrThrow(replayReputation(c, events.slice(0, i + 1)));
          const reference = scratch.map((x) => ({ key: x.key, reputation: x.reputation.fixed, mined: x.mined }));
          const a = selectGroup(candidates, rule, BigInt(event.height));
          const b = selectGroup(reference, rule, BigInt(event.height));
          if (Result.isSuccess(a) !== Result.isSuccess(b)) return false;
          if (Result.isSuccess(a) && Result.isSuccess(b) && keysOf(a.success).join() !== keysOf(b.success).join())
            return false;
        }
        return true;
      });
    holds("group per epoch", property(false), { numRuns: 80 });
    // Negative control: ranking by the snapshot from before the keyblock.
    failsOn("stale group", property(true), 300);
  });
});

describe("quorum", () => {
  const arbGroup = fc
    .array(fc.bigInt({ min: 0n, max: REPUTATION_SCALE }), { minLength: 1, maxLength: 13 })
    .map((reps): GroupSnapshot => ({ members: reps.map((reputation, i) => ({ key: identity(i), reputation })) }));
  const arbSigners = (group: GroupSnapshot) =>
    fc.subarray(
      group.members.map((_, i) => i),
      { minLength: 0 },
    );
  type IsQ = (group: GroupSnapshot, signers: readonly number[]) => boolean;
  const real: IsQ = (group, signers) => isQuorum(tallyQuorum(group, signers));

  it("[GRP-3] f = floor((|X| - 1) / 3) and 2f signers are never a quorum", () => {
    expect([1, 2, 3, 4, 7, 10, 11, 13].map(faultBound)).toEqual([0, 0, 0, 1, 2, 3, 3, 4]);
    expect(quorumCount(11)).toBe(7);
    expect(() => faultBound(0)).toThrow(RangeError);
    const property = (q: IsQ) =>
      fc.property(
        arbGroup.chain((g) => fc.tuple(fc.constant(g), fc.shuffledSubarray(g.members.map((_, i) => i)))),
        ([group, order]) => {
          const twoF = 2 * faultBound(group.members.length);
          return twoF === 0 || !q(group, order.slice(0, twoF));
        },
      );
    holds("2f signers rejected", property(real));
    // Negative control: a quorum of 2f signers.
    const countTwoF: IsQ = (group, signers) => {
      const t = tallyQuorum(group, signers);
      return signers.length >= 2 * faultBound(group.members.length) && t.enough_reputation;
    };
    failsOn("2f accepted", property(countTwoF));
  });

  /** A group and a signer set of at least 2f+1 holding exactly two thirds of the reputation. */
  const arbExactlyTwoThirds = fc
    .tuple(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.bigInt({ min: 1n, max: 300_000_000n }), { minLength: 13, maxLength: 13 }),
    )
    .chain(([extra, seeds]) => {
      const size = extra + 1;
      const signersCount = Math.max(quorumCount(size), Math.min(size - 1, quorumCount(size)));
      return fc.constant({ size, signersCount, seeds });
    })
    .filter(({ size, signersCount }) => signersCount < size)
    .map(({ size, signersCount, seeds }) => {
      const signerReps = seeds.slice(0, signersCount).map((s) => 2n * s);
      const half = signerReps.reduce((a, b) => a + b, 0n) / 2n;
      const others = size - signersCount;
      const rest = Array.from({ length: others }, (_, i) =>
        i === others - 1 ? half - (half / BigInt(others)) * BigInt(others - 1) : half / BigInt(others),
      );
      const reps = [...signerReps, ...rest];
      return {
        group: { members: reps.map((reputation, i) => ({ key: identity(i), reputation })) },
        signers: signerReps.map((_, i) => i),
      };
    })
    .filter(({ group }) => group.members.every((m) => m.reputation <= REPUTATION_SCALE));

  it("[GRP-3] 2f+1 signers holding two thirds of the reputation or less are not a quorum", () => {
    const property = (q: IsQ) =>
      fc.property(
        fc.oneof(
          arbExactlyTwoThirds,
          arbGroup.chain((g) => fc.record({ group: fc.constant(g), signers: arbSigners(g) })),
        ),
        ({ group, signers }) => {
          const t = tallyQuorum(group, signers);
          const atMostTwoThirds = 3n * t.signer_reputation <= 2n * t.total_reputation;
          return !(atMostTwoThirds && q(group, signers));
        },
      );
    holds("<= 2/3 rejected", property(real), { numRuns: 300 });
    const exact = { members: [100n, 100n, 100n].map((reputation, i) => ({ key: identity(i), reputation })) };
    expect(real(exact, [0, 1])).toBe(false);
    expect(real(exact, [0, 1, 2])).toBe(true);
    // Negative control: >= where the rule says >.
    const nonStrict: IsQ = (group, signers) => {
      const t = tallyQuorum(group, signers);
      return t.enough_signers && 3n * t.signer_reputation >= 2n * t.total_reputation;
    };
    const found = failsOn("quorum with >=", property(nonStrict));
    const t = tallyQuorum(found.value[0].group, found.value[0].signers);
    expect(3n * t.signer_reputation).toBe(2n * t.total_reputation);
  });

  /** Groups of 3k members of equal reputation: two quorums of exactly 2/3 can share exactly 1/3. */
  const arbEqualGroup = fc.integer({ min: 1, max: 3 }).map(
    (k): GroupSnapshot => ({
      members: Array.from({ length: 3 * k }, (_, i) => ({ key: identity(i), reputation: 7n })),
    }),
  );

  it("[GRP-3] any two quorums share more than a third of the reputation", () => {
    const property = (q: IsQ) =>
      fc.property(
        fc
          .oneof(
            arbExactlyTwoThirds.map((x) => x.group),
            arbGroup,
            arbEqualGroup,
          )
          .chain((g) => fc.tuple(fc.constant(g), arbSigners(g), arbSigners(g))),
        ([group, a, b]) => {
          if (!q(group, a) || !q(group, b)) return true;
          const shared = a.filter((i) => b.includes(i));
          const t = tallyQuorum(group, shared);
          return 3n * t.signer_reputation > t.total_reputation && shared.length >= 1;
        },
      );
    holds("quorum intersection", property(real), { numRuns: 300 });
    const nonStrict: IsQ = (group, signers) => {
      const t = tallyQuorum(group, signers);
      return t.enough_signers && 3n * t.signer_reputation >= 2n * t.total_reputation;
    };
    failsOn("intersection with >=", property(nonStrict), 1000);
  });
});

describe("leader", () => {
  const secret = new Uint8Array(32).fill(3);
  const creator = nobleCrypto.publicKey(secret);
  const verify = nobleCrypto.verify;

  it("[GRP-4] the seed is the creator's signature over the keyblock and height; it cannot be replayed", () => {
    const id = new Uint8Array(32).fill(9);
    const sig = nobleCrypto.sign(secret, leaderSeedMessage(id, 7n));
    // The seed message is SIG-4's tagged form: signing the body under the tag gives the same signature.
    const body = new Uint8Array(40);
    body.set(id);
    new DataView(body.buffer).setBigUint64(32, 7n);
    expect(signTagged(nobleCrypto, TAGS.LEADER_SEED, secret, body)).toEqual(sig);
    expect(verifyLeaderSeed(verify, creator, id, 7n, sig)).toBe(true);
    expect(verifyLeaderSeed(verify, creator, id, 8n, sig)).toBe(false);
    expect(verifyLeaderSeed(verify, creator, new Uint8Array(32), 7n, sig)).toBe(false);
    expect(verifyLeaderSeed(verify, creator, new Uint8Array(31), 7n, sig)).toBe(false);
    const property = (message: typeof leaderSeedMessage) =>
      fc.property(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 1000n }), (h1, h2) => {
        const s = nobleCrypto.sign(secret, message(id, h1));
        return h1 === h2 || !verify(creator, message(id, h2), s);
      });
    holds("seed bound to height", property(leaderSeedMessage), { numRuns: 40 });
    // Negative control: a seed message without the height replays at every height.
    failsOn(
      "seed without height",
      property((keyblock) => keyblock),
      40,
    );
  });

  it("[GRP-4] the leader index is H_LEADER(seed) mod |X|, in range, for every member", () => {
    const inRange = (index: typeof leaderIndex) =>
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.integer({ min: 1, max: 40 }), (sig, size) => {
        const j = index(size, sig);
        return Number.isInteger(j) && j >= 0 && j < size && j === index(size, sig.slice());
      });
    holds("leader in range", inRange(leaderIndex));
    // Negative control: reducing modulo |X| + 1 can name a member that does not exist.
    failsOn(
      "leader mod |X|+1",
      inRange((size, sig) => leaderIndex(size + 1, sig)),
    );
    const group = { members: [0, 1, 2, 3].map((i) => ({ key: identity(i), reputation: 1n })) };
    const seen = new Set<number>();
    for (let i = 0; i < 64; i++) seen.add(leaderIndex(4, new Uint8Array(64).fill(i)));
    expect(seen.size).toBe(4);
    const leader = Result.getOrThrow(drawLeader(group, new Uint8Array(64)));
    expect(leader).toBe(group.members[leaderIndex(4, new Uint8Array(64))]);
    const empty = drawLeader({ members: [] }, new Uint8Array(64));
    expect(Result.isFailure(empty) && empty.failure.reason).toBe("EmptyGroup");
  });
});
