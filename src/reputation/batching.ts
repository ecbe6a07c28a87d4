/**
 * Algorithm 2, anti-inhibition batching (spec/batching.md, [BAT-1]..[BAT-5]): the batch of a window is
 * a deterministic function of the queues, the reputations and the capacity T_m, so the group (not the
 * leader) decides it and a proposal that differs is rejected. Quotas are reputation-proportional,
 * quota_i = min(|T_i|, floor(beta × R_i)) with beta = 10 in fixed point; unselected transactions stay
 * queued in arrival order; the least recently served institution goes first, which bounds starvation.
 * Source: SPChain §5.1, Algorithm 2 and Table 2; ambiguity register A12, A13, A14.
 * @module
 */
import { Result } from "effect";
import { bytesEqual, bytesToHex, compareBytes } from "../crypto/bytes.js";
import { BatchInputError, BatchProposalRejected } from "./errors.js";
import { tieKey } from "./group.js";
import { KEY_BYTES } from "./limits.js";
import { REPUTATION_SCALE } from "./quorum.js";

/** [BAT-2] The slot factor beta of quota_i = floor(beta × R_i) (the paper's 10). */
export const BETA = 10n;
export const TX_ID_BYTES = 32;
export const MAX_CAPACITY = 0xffff_ffff;

export interface InstitutionQueue {
  readonly key: Uint8Array;
  /** Fixed-point R of the institution in this window. */
  readonly reputation: bigint;
  /** The last window in which it had a transaction selected; null if never. */
  readonly lastServed: number | null;
  /** Transaction ids waiting, oldest first. */
  readonly pending: readonly Uint8Array[];
}

export interface BatchInput {
  readonly window: number;
  /** T_m: the most transactions the group processes in one batch. */
  readonly capacity: number;
  readonly queues: readonly InstitutionQueue[];
}

export interface BatchResult {
  /** The selected transactions, in selection order. */
  readonly batch: readonly Uint8Array[];
  /** 1 when every quota fits (Σ quota <= T_m), else 2. */
  readonly case: 1 | 2;
  /** The queues after the window, in key order: selected transactions removed, lastServed updated. */
  readonly queues: readonly InstitutionQueue[];
}

/** [BAT-2] quota_i = min(|T_i|, floor(beta × R_fixed / SCALE)). */
export const quota = (queue: InstitutionQueue): number =>
  Math.min(queue.pending.length, Number((BETA * queue.reputation) / REPUTATION_SCALE));

/** [BAT-2] The paper's literal t_i = 10 × floor(R_i): 0 for every R_i < 1, which is why it cannot be meant (A12). */
export const paperLiteralQuota = (reputation: bigint): bigint => 10n * (reputation / REPUTATION_SCALE);

/** [BAT-5] Windows within which an institution that stays eligible is served: floor((n − 1) / T_m) + 1. */
export const starvationBound = (institutions: number, capacity: number): number =>
  Math.floor((institutions - 1) / capacity) + 1;

/** [BAT-3] Service order: least recently served first (never served before all), then R desc, then tie key. */
export const serviceOrder = (queues: readonly InstitutionQueue[]): InstitutionQueue[] => {
  const keyed = queues.map((queue) => ({ queue, tie: tieKey(queue.key, queue.reputation) }));
  keyed.sort((x, y) => {
    const a = x.queue.lastServed ?? -1;
    const b = y.queue.lastServed ?? -1;
    if (a !== b) return a - b;
    if (x.queue.reputation > y.queue.reputation) return -1;
    if (x.queue.reputation < y.queue.reputation) return 1;
    return compareBytes(x.tie, y.tie);
  });
  return keyed.map((k) => k.queue);
};

const checkInput = (input: BatchInput): BatchInputError | undefined => {
  const bad = (reason: BatchInputError["reason"], detail: string) => new BatchInputError({ reason, detail });
  if (!Number.isSafeInteger(input.window) || input.window < 0) return bad("BadWindow", `window ${input.window}`);
  if (!Number.isSafeInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY) {
    return bad("BadCapacity", `capacity must be in [1, 2^32 - 1]: ${input.capacity}`);
  }
  const keys = new Set<string>();
  const txs = new Set<string>();
  for (const queue of input.queues) {
    if (queue.key.length !== KEY_BYTES) return bad("BadKey", "keys are 32 bytes");
    const id = bytesToHex(queue.key);
    if (keys.has(id)) return bad("DuplicateKey", id);
    keys.add(id);
    if (queue.reputation < 0n || queue.reputation > REPUTATION_SCALE) {
      return bad("ReputationOutOfRange", `${id}: ${queue.reputation}`);
    }
    const last = queue.lastServed;
    if (last !== null && (!Number.isSafeInteger(last) || last < 0 || last >= input.window)) {
      return bad("BadWindow", `${id} last served in window ${last}, now ${input.window}`);
    }
    for (const tx of queue.pending) {
      if (tx.length !== TX_ID_BYTES) return bad("BadTransactionId", `${id}: transaction ids are 32 bytes`);
      const txId = bytesToHex(tx);
      if (txs.has(txId)) return bad("DuplicateTransaction", txId);
      txs.add(txId);
    }
  }
  return undefined;
};

/** Round-robin passes over `order`, one transaction per institution per pass, each up to its limit. */
const roundRobin = (
  order: readonly InstitutionQueue[],
  limits: readonly number[],
  taken: number[],
  batch: Uint8Array[],
  capacity: number,
): void => {
  let progress = true;
  while (progress) {
    progress = false;
    for (const [i, queue] of order.entries()) {
      const next = taken[i] ?? 0;
      if (batch.length >= capacity) return;
      if (next >= (limits[i] ?? 0)) continue;
      const tx = queue.pending[next];
      if (tx === undefined) continue;
      batch.push(tx);
      taken[i] = next + 1;
      progress = true;
    }
  }
};

/**
 * [BAT-3] The batch of a window. Phase A: round-robin passes in service order, each institution up to
 * its quota, until T_m (case 2 stops here, full). Phase B (case 1, capacity left): round-robin over what
 * is still pending, up to T_m. Every institution's transactions leave in arrival order (A14).
 */
export const formBatch = (input: BatchInput): Result.Result<BatchResult, BatchInputError> => {
  const invalid = checkInput(input);
  if (invalid !== undefined) return Result.fail(invalid);
  const order = serviceOrder(input.queues);
  const quotas = order.map(quota);
  const taken = order.map(() => 0);
  const batch: Uint8Array[] = [];
  roundRobin(order, quotas, taken, batch, input.capacity);
  roundRobin(
    order,
    order.map((q) => q.pending.length),
    taken,
    batch,
    input.capacity,
  );
  const queues = order
    .map((queue, i) => {
      const served = taken[i] ?? 0;
      return served === 0 ? queue : { ...queue, lastServed: input.window, pending: queue.pending.slice(served) };
    })
    .sort((x, y) => compareBytes(x.key, y.key));
  const demand = quotas.reduce((sum, q) => sum + q, 0);
  return Result.succeed({ batch, case: demand <= input.capacity ? 1 : 2, queues });
};

/**
 * [BAT-4] A leader's proposal is valid only if it is exactly formBatch's batch (same transactions, same
 * order); anything else names the first position where it differs.
 */
export const checkProposal = (
  input: BatchInput,
  proposal: readonly Uint8Array[],
): Result.Result<BatchResult, BatchInputError | BatchProposalRejected> => {
  const formed = formBatch(input);
  if (Result.isFailure(formed)) return formed;
  const expected = formed.success.batch;
  const shared = Math.min(expected.length, proposal.length);
  for (let i = 0; i < shared; i++) {
    const want = expected[i];
    const got = proposal[i];
    if (want === undefined || got === undefined || !bytesEqual(want, got)) {
      return Result.fail(
        new BatchProposalRejected({ reason: "TransactionDiffers", position: i, detail: "not the rule's transaction" }),
      );
    }
  }
  if (expected.length !== proposal.length) {
    return Result.fail(
      new BatchProposalRejected({
        reason: "LengthDiffers",
        position: shared,
        detail: `${proposal.length} transactions proposed, the rule selects ${expected.length}`,
      }),
    );
  }
  return formed;
};

/** [BAT-1] Appends a window's submissions to an institution's queue (created, never served, if new). */
export const enqueue = (
  queues: readonly InstitutionQueue[],
  key: Uint8Array,
  reputation: bigint,
  txs: readonly Uint8Array[],
): InstitutionQueue[] => {
  const found = queues.some((q) => bytesEqual(q.key, key));
  if (!found) return [...queues, { key, reputation, lastServed: null, pending: [...txs] }];
  return queues.map((q) => (bytesEqual(q.key, key) ? { ...q, reputation, pending: [...q.pending, ...txs] } : q));
};
