/**
 * Algorithm 2 batching: queues (BAT-1), quotas (BAT-2), selection (BAT-3), the group deciding the batch
 * (BAT-4) and the starvation bound (BAT-5).
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BatchInput,
  type BatchResult,
  BETA,
  checkProposal,
  enqueue,
  formBatch,
  type InstitutionQueue,
  paperLiteralQuota,
  quota,
  starvationBound,
} from "../src/reputation/batching.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import { failsOn, holds } from "./check.js";
import { identity } from "./reputation-arbitraries.js";

const txId = (i: number): Uint8Array => {
  const id = new Uint8Array(32);
  new DataView(id.buffer).setUint32(0, i);
  id[31] = 0xbb;
  return id;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const REPUTATIONS = [
  0n,
  50_000_000n,
  99_999_999n,
  100_000_000n,
  250_000_000n,
  400_000_000n,
  777_000_000n,
  REPUTATION_SCALE,
];

/** Queues with unique transaction ids, lastServed before the window, and a capacity. */
const arbInput: fc.Arbitrary<BatchInput> = fc
  .record({
    window: fc.integer({ min: 1, max: 20 }),
    capacity: fc.integer({ min: 1, max: 12 }),
    queues: fc.array(
      fc.record({
        reputation: fc.constantFrom(...REPUTATIONS),
        served: fc.option(fc.nat({ max: 19 }), { nil: null }),
        pending: fc.nat({ max: 9 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(({ window, capacity, queues }) => {
    let next = 0;
    return {
      window,
      capacity,
      queues: queues.map((q, i) => ({
        key: identity(i),
        reputation: q.reputation,
        lastServed: q.served === null ? null : q.served % window,
        pending: Array.from({ length: q.pending }, () => txId(next++)),
      })),
    };
  });

type Batcher = (input: BatchInput) => Result.Result<BatchResult, unknown>;
const run = (batcher: Batcher, input: BatchInput): BatchResult => Result.getOrThrow(batcher(input));

describe("queues", () => {
  it("[BAT-1] selected transactions leave each queue from the front; the rest stay, in order", () => {
    const property = (batcher: Batcher) =>
      fc.property(arbInput, (input) => {
        const out = run(batcher, input);
        const selected = new Set(out.batch.map(hex));
        return input.queues.every((q) => {
          const after = out.queues.find((x) => hex(x.key) === hex(q.key));
          if (after === undefined) return false;
          const taken = q.pending.filter((t) => selected.has(hex(t))).length;
          const prefixTaken = q.pending.slice(0, taken).every((t) => selected.has(hex(t)));
          const rest = after.pending.map(hex).join() === q.pending.slice(taken).map(hex).join();
          const served = taken > 0 ? after.lastServed === input.window : after.lastServed === q.lastServed;
          return prefixTaken && rest && served;
        });
      });
    holds("queues conserved", property(formBatch), { numRuns: 300 });
    // Negative control: a batcher that drops whatever it did not select.
    const dropping: Batcher = (input) =>
      Result.map(formBatch(input), (out) => ({ ...out, queues: out.queues.map((q) => ({ ...q, pending: [] })) }));
    failsOn("unselected dropped", property(dropping));
    const queues = enqueue(enqueue([], identity(1), 5n, [txId(1)]), identity(1), 6n, [txId(2)]);
    expect(queues).toHaveLength(1);
    expect(queues[0]?.pending.map(hex)).toEqual([hex(txId(1)), hex(txId(2))]);
    expect(queues[0]?.reputation).toBe(6n);
    expect(queues[0]?.lastServed).toBeNull();
  });

  it("[BAT-1] malformed inputs are typed errors", () => {
    const q = (i: number, pending: Uint8Array[] = [txId(i)]): InstitutionQueue => ({
      key: identity(i),
      reputation: 1n,
      lastServed: null,
      pending,
    });
    const reason = (input: BatchInput) => {
      const r = formBatch(input);
      return Result.isFailure(r) ? r.failure.reason : "ok";
    };
    expect(reason({ window: 1, capacity: 0, queues: [q(1)] })).toBe("BadCapacity");
    expect(reason({ window: -1, capacity: 1, queues: [q(1)] })).toBe("BadWindow");
    expect(reason({ window: 1, capacity: 1, queues: [{ ...q(1), lastServed: 1 }] })).toBe("BadWindow");
    expect(reason({ window: 1, capacity: 1, queues: [q(1), q(1)] })).toBe("DuplicateKey");
    expect(reason({ window: 1, capacity: 1, queues: [q(1), q(2, [txId(1)])] })).toBe("DuplicateTransaction");
    expect(reason({ window: 1, capacity: 1, queues: [q(1, [new Uint8Array(5)])] })).toBe("BadTransactionId");
    expect(reason({ window: 1, capacity: 1, queues: [{ ...q(1), key: new Uint8Array(2) }] })).toBe("BadKey");
    expect(reason({ window: 1, capacity: 1, queues: [{ ...q(1), reputation: -1n }] })).toBe("ReputationOutOfRange");
  });
});

describe("quotas and selection", () => {
  it("[BAT-2] quota_i = min(|T_i|, floor(10 R_i)); the literal 10 floor(R_i) is 0 below R = 1", () => {
    expect(BETA).toBe(10n);
    const property = (quotaOf: typeof quota) =>
      fc.property(fc.bigInt({ min: 0n, max: REPUTATION_SCALE }), fc.nat({ max: 20 }), (reputation, pending) => {
        const q: InstitutionQueue = {
          key: identity(0),
          reputation,
          lastServed: null,
          pending: Array.from({ length: pending }, (_, i) => txId(i)),
        };
        const expected = Math.min(pending, Math.floor((10 * Number(reputation)) / 1e9));
        const literal = paperLiteralQuota(reputation);
        return quotaOf(q) === expected && (reputation === REPUTATION_SCALE ? literal === 10n : literal === 0n);
      });
    holds("quota", property(quota));
    // Negative control: rounding the quota up.
    failsOn(
      "quota rounded up",
      property((q) => Math.min(q.pending.length, Math.ceil((10 * Number(q.reputation)) / 1e9))),
    );
  });

  it("[BAT-3] never more than T_m; case 1 serves every quota in full; case 2 fills the batch", () => {
    const property = (batcher: Batcher) =>
      fc.property(arbInput, (input) => {
        const out = run(batcher, input);
        const demand = input.queues.reduce((s, q) => s + quota(q), 0);
        const pending = input.queues.reduce((s, q) => s + q.pending.length, 0);
        const ids = out.batch.map(hex);
        const distinct = new Set(ids).size === ids.length;
        const bounded = out.batch.length <= input.capacity;
        const perQueue = (q: InstitutionQueue) => q.pending.filter((t) => ids.includes(hex(t))).length;
        const caseOk =
          demand <= input.capacity
            ? out.case === 1 &&
              input.queues.every((q) => perQueue(q) >= quota(q)) &&
              out.batch.length === Math.min(pending, input.capacity)
            : out.case === 2 &&
              out.batch.length === input.capacity &&
              input.queues.every((q) => perQueue(q) <= quota(q));
        return distinct && bounded && caseOk;
      });
    holds("bounded batch", property(formBatch), { numRuns: 300 });
    // Negative control: a batcher whose top-up ignores the capacity.
    const unbounded: Batcher = (input) =>
      formBatch({ ...input, capacity: input.capacity + input.queues.reduce((s, q) => s + q.pending.length, 0) });
    const found = failsOn("top-up past capacity", property(unbounded));
    expect(found.value[0].queues.length).toBeLessThanOrEqual(2);
  });

  it("[BAT-3] the batch does not depend on the order the queues are given in", () => {
    const property = (batcher: Batcher) =>
      fc.property(
        arbInput.chain((input) =>
          fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.queues], { minLength: input.queues.length })),
        ),
        ([input, shuffled]) =>
          run(batcher, input).batch.map(hex).join() ===
          run(batcher, { ...input, queues: shuffled })
            .batch.map(hex)
            .join(),
      );
    holds("batch deterministic", property(formBatch), { numRuns: 200 });
    // Negative control: a batcher that serves the queues in the order they arrive (the leader's order).
    const arrivalOrder: Batcher = (input) =>
      Result.succeed({
        batch: input.queues.flatMap((q) => q.pending).slice(0, input.capacity),
        case: 1,
        queues: input.queues,
      });
    failsOn("arrival order", property(arrivalOrder));
  });
});

describe("the group decides", () => {
  /** A leader's deviation from the rule's batch: drop, swap, substitute or add one transaction. */
  const arbDeviation = arbInput
    .map((input) => ({ input, batch: run(formBatch, input).batch }))
    .filter(({ input, batch }) => batch.length > 0 || input.queues.some((q) => q.pending.length > 0))
    .chain(({ input, batch }) =>
      fc.tuple(
        fc.constant(input),
        fc.constant(batch),
        fc.nat(),
        fc.nat(),
        fc.constantFrom("drop", "swap", "substitute", "add"),
      ),
    )
    .map(([input, batch, i, j, kind]) => {
      const all = input.queues.flatMap((q) => q.pending);
      const unselected = all.filter((t) => !batch.some((b) => hex(b) === hex(t)));
      const p = [...batch];
      if (kind === "drop" && p.length > 0) p.splice(i % p.length, 1);
      else if (kind === "swap" && p.length > 1) {
        const a = i % p.length;
        const b = (a + 1 + (j % (p.length - 1))) % p.length;
        [p[a], p[b]] = [p[b] as Uint8Array, p[a] as Uint8Array];
      } else if (kind === "substitute" && p.length > 0 && unselected.length > 0)
        p[i % p.length] = unselected[j % unselected.length] as Uint8Array;
      else p.push(unselected[j % Math.max(1, unselected.length)] ?? txId(999_999));
      return { input, proposal: p, changed: p.map(hex).join() !== batch.map(hex).join() };
    })
    .filter((d) => d.changed);

  it("[BAT-4] the rule's batch is accepted and every deviation from it is rejected", () => {
    type Check = (input: BatchInput, proposal: readonly Uint8Array[]) => boolean;
    const real: Check = (input, proposal) => Result.isSuccess(checkProposal(input, proposal));
    holds(
      "exact batch accepted",
      fc.property(arbInput, (input) => real(input, run(formBatch, input).batch)),
    );
    const property = (check: Check) =>
      fc.property(arbDeviation, ({ input, proposal }) => {
        if (!check(input, proposal)) return true;
        // Accepted: then it must contain every transaction the rule selects (no inhibition).
        const proposed = new Set(proposal.map(hex));
        return run(formBatch, input).batch.every((t) => proposed.has(hex(t)));
      });
    holds("deviations rejected", property(real), { numRuns: 300 });
    // Negative control: a validator that lets the leader choose any subset of the queues up to T_m.
    const leaderChooses: Check = (input, proposal) => {
      const pending = new Set(input.queues.flatMap((q) => q.pending).map(hex));
      return (
        proposal.length <= input.capacity &&
        new Set(proposal.map(hex)).size === proposal.length &&
        proposal.every((t) => pending.has(hex(t)))
      );
    };
    failsOn("leader chooses", property(leaderChooses));
    const input: BatchInput = {
      window: 1,
      capacity: 2,
      queues: [{ key: identity(1), reputation: REPUTATION_SCALE, lastServed: null, pending: [txId(1), txId(2)] }],
    };
    const rejected = checkProposal(input, [txId(2), txId(1)]);
    expect(
      Result.isFailure(rejected) && rejected.failure._tag === "BatchProposalRejected" && rejected.failure.reason,
    ).toBe("TransactionDiffers");
    const short = checkProposal(input, [txId(1)]);
    expect(Result.isFailure(short) && short.failure._tag === "BatchProposalRejected" && short.failure.position).toBe(1);
  });
});

describe("starvation", () => {
  it("[BAT-5] an institution with R >= 1/beta and pending transactions is served within floor((n-1)/T_m)+1 windows", () => {
    const arbRun = fc.record({
      capacity: fc.integer({ min: 1, max: 4 }),
      reputations: fc.array(fc.constantFrom(100_000_000n, 300_000_000n, 650_000_000n, REPUTATION_SCALE), {
        minLength: 1,
        maxLength: 9,
      }),
      windows: fc.integer({ min: 1, max: 14 }),
      arrivals: fc.array(fc.array(fc.nat({ max: 3 }), { maxLength: 9 }), { maxLength: 14 }),
    });
    const property = (batcher: Batcher) =>
      fc.property(arbRun, ({ capacity, reputations, windows, arrivals }) => {
        const n = reputations.length;
        const bound = starvationBound(n, capacity);
        let next = 0;
        let queues: InstitutionQueue[] = reputations.map((reputation, i) => ({
          key: identity(i),
          reputation,
          lastServed: null,
          pending: [],
        }));
        const servedAt: boolean[][] = reputations.map(() => []);
        const eligibleAt: boolean[][] = reputations.map(() => []);
        for (let w = 0; w < windows; w++) {
          for (let i = 0; i < n; i++) {
            // Every institution submits at least one transaction per window (heavy load).
            const count = 1 + (arrivals[w]?.[i] ?? 0);
            queues = enqueue(
              queues,
              identity(i),
              reputations[i] ?? 0n,
              Array.from({ length: count }, () => txId(next++)),
            );
          }
          const out = run(batcher, { window: w, capacity, queues });
          const chosen = new Set(out.batch.map(hex));
          for (let i = 0; i < n; i++) {
            const q = queues.find((x) => hex(x.key) === hex(identity(i)));
            eligibleAt[i]?.push(q !== undefined && quota(q) >= 1);
            servedAt[i]?.push(q?.pending.some((t) => chosen.has(hex(t))) === true);
          }
          queues = [...out.queues];
        }
        return reputations.every((_, i) => {
          for (let w = 0; w + bound <= windows; w++) {
            const span = Array.from({ length: bound }, (_, d) => w + d);
            if (span.every((v) => eligibleAt[i]?.[v]) && !span.some((v) => servedAt[i]?.[v])) return false;
          }
          return true;
        });
      });
    holds("bounded starvation", property(formBatch), { numRuns: 150 });
    // Negative control: reputation order only (who waited longest is ignored) starves the lowest.
    const reputationOnly: Batcher = (input) =>
      Result.map(formBatch({ ...input, queues: input.queues.map((q) => ({ ...q, lastServed: null })) }), (out) => ({
        ...out,
        queues: out.queues.map((q) => ({ ...q, lastServed: null })),
      }));
    failsOn("reputation order only", property(reputationOnly));
    expect(starvationBound(11, 4)).toBe(3);
    expect(starvationBound(1, 1)).toBe(1);
  });
});
