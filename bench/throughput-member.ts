/**
 * One consensus member of the throughput pipeline (spec/consensus.md [BFT-1], [BFT-6]; spec/batching.md
 * [BAT-3], [BAT-4]; spec/chain.md [CHAIN-7]): the real `step` state machine, its own ledger state advanced
 * by the real `applyBatchWith`, and the application that decides what it holds, accepts and proposes.
 *
 * Each member has its own node:crypto instance (own key caches) and its own memory of what it has checked
 * (throughput-memory.ts), so that every member verifies every signature once.
 *
 * What a member checks:
 * - a submission (request) is held when it decodes and each transaction is authentic: its patient has a
 *   block, the patient's signature verifies (TX-6) and, in "full" validation, HVer holds (CH-8);
 * - a proposed batch (value) for the next instance to apply is accepted when it decodes, fits the byte
 *   budget, its order is Algorithm 2's (`checkProposal`) over the queues it carries, and every transaction
 *   applies in order (`proposedBatchRoot`: every CHAIN-7 check);
 * - a decided batch is pinned as the model pins it (spec/model.md MOD-6): the consensus decides the batch's
 *   bytes, and the ledger's pin certifies its root (PIN-1), so each member signs a COMMIT statement on
 *   H_BFT_VALUE(batch root) in the reserved view LEDGER_PIN_VIEW and sends it to the others; a quorum of
 *   verified votes is the pin certificate with which `applyBatchWith` applies the batch (CHAIN-7 again,
 *   plus the certificate, PIN-3).
 * In "signatures" validation every check runs except HVer, whose key answers true without computing.
 * @module
 */
import { Result } from "effect";
import { LEDGER_PIN_VIEW } from "../model/values.js";
import {
  type Application,
  type ConsensusParams,
  DEFAULT_PARAMS,
  initialState,
  type MemberContext,
  type MemberState,
  memberContext,
  type PinCertificate,
  type Statement,
  signStatement,
  statementMessage,
  valueHash,
} from "../src/consensus/index.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import type { CryptoShape } from "../src/crypto/signature.js";
import { applyEncodedBatchWith, encodedBatchRoot, type Placed } from "../src/ledger/apply-batch.js";
import { leafIndexOf } from "../src/ledger/patient-block.js";
import { PlacementMemo } from "../src/ledger/placement-memo.js";
import type { ChainState } from "../src/ledger/state.js";
import { type EncodedRecordTx, verifyEncodedTransaction } from "../src/ledger/transaction.js";
import { makeNodeCrypto } from "../src/node.js";
import { checkProposal, formBatch, type InstitutionQueue } from "../src/reputation/batching.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import {
  type BatchValue,
  decodeBatchValue,
  decodeSubmission,
  encodeBatchValue,
  latin1,
  MIN_RECORD_BYTES,
  type Submission,
} from "./throughput-codec.js";
import {
  emptyCounters,
  type MemberCounters,
  memberChameleonKey,
  rememberingCrypto,
  type Stage,
  type Validation,
} from "./throughput-memory.js";
import { type Base, reputations } from "./throughput-setup.js";

export interface PipelineParams {
  /** A batch's transactions encode to at most this many bytes (the paper's microblock size). */
  readonly budgetBytes: number;
  readonly validation: Validation;
}

/**
 * The protocol parameters of the pipeline: the defaults, with request timers long enough never to expire
 * in a run (a saturated queue holds a submission for seconds; T0 must exceed that wait, BFT-17's
 * T0 ≥ 10Δ with Δ including processing), and room for every submission in flight.
 */
const PIPELINE_PARAMS: ConsensusParams = {
  ...DEFAULT_PARAMS,
  timeout_base_ms: 3_600_000,
  max_pending_requests: 1024,
};

/** A member's memory of decoded, unpinned transactions: cleared when full (a miss only decodes again). */
const KNOWN_TXS_MAX = 100_000;

/** [BAT-3] T_m: the most transactions a batch of `budgetBytes` can hold. */
const capacityOf = (budgetBytes: number): number => Math.max(1, Math.floor(budgetBytes / MIN_RECORD_BYTES));

/** A member's COMMIT statement on a batch root (spec/model.md MOD-6), as sent to the other members. */
export interface PinVote {
  readonly instance: number;
  readonly signer: number;
  readonly value_hash: Uint8Array;
  readonly signature: Uint8Array;
}

/** A batch as the member pinned it: the decided value, its root and the ledger's pin certificate. */
export interface Applied {
  readonly instance: number;
  readonly value: BatchValue;
  readonly root: Uint8Array;
  readonly certificate: PinCertificate;
}

/** What a decision or a vote led to: votes to send, batches applied, and failures (none in a good run). */
export interface Progress {
  readonly votes: PinVote[];
  readonly applied: Applied[];
  readonly errors: string[];
}

interface Undelivered {
  readonly instance: number;
  readonly value: BatchValue;
  root: Uint8Array | undefined;
  hash: Uint8Array | undefined;
}

/** Runs `f`, adding its wall time to the `stage` counter. */
const timed = <T>(counters: MemberCounters, stage: Stage, f: () => T): T => {
  const start = performance.now();
  try {
    return f();
  } finally {
    counters[stage] += performance.now() - start;
  }
};

/** Decodes once per byte array (the state machine passes the same arrays around). */
const memo = <T>(decode: (bytes: Uint8Array) => Result.Result<T, unknown>) => {
  const known = new WeakMap<Uint8Array, T | null>();
  return (bytes: Uint8Array): T | undefined => {
    let hit = known.get(bytes);
    if (hit === undefined) {
      const decoded = decode(bytes);
      hit = Result.isSuccess(decoded) ? decoded.success : null;
      known.set(bytes, hit);
    }
    return hit ?? undefined;
  };
};

export class PipelineMember {
  readonly counters: MemberCounters = emptyCounters();
  readonly crypto: CryptoShape;
  readonly ctx: MemberContext;
  state: MemberState = initialState();
  ledger: ChainState;
  /** Batches applied in this run: the next instance to apply and the Algorithm 2 window. */
  applied = 0;
  private readonly lastServed = new Map<number, number>();
  private readonly reputation: readonly bigint[];
  private readonly capacity: number;
  /**
   * Transactions decoded from submissions, by id, until pinned: a batch carries the bytes of transactions
   * this member decoded already, which `decodeBatchValue` then takes as they are (same id, same bytes).
   */
  private readonly knownTxs = new Map<string, EncodedRecordTx>();
  private readonly submissionOf = memo((bytes: Uint8Array) =>
    Result.map(
      timed(this.counters, "decodeMs", () => decodeSubmission(bytes)),
      (submission) => {
        if (this.knownTxs.size + submission.encoded.length > KNOWN_TXS_MAX) this.knownTxs.clear();
        for (const encoded of submission.encoded) this.knownTxs.set(latin1(encoded.id), encoded);
        return submission;
      },
    ),
  );
  private readonly valueOf = memo((bytes: Uint8Array) =>
    timed(this.counters, "decodeMs", () => decodeBatchValue(bytes, this.knownTxs)),
  );
  private readonly authentic = new WeakMap<Uint8Array, boolean>();
  private readonly validAt = new WeakMap<
    Uint8Array,
    { readonly applied: number; readonly root: Uint8Array | undefined }
  >();
  /** Decided batches not yet pinned on the ledger, in instance order. */
  private readonly undelivered: Undelivered[] = [];
  private readonly votes = new Map<
    number,
    Map<number, { readonly hash: Uint8Array; readonly signature: Uint8Array }>
  >();
  private readonly keySets = new WeakMap<BatchValue, ReadonlySet<string>>();
  /** [CHAIN-7] A batch's placement from its proposal check, reused when the same batch is applied to the same state. */
  private readonly placements = new PlacementMemo<Placed>();

  constructor(
    base: Base,
    readonly snapshot: GroupSnapshot,
    readonly index: number,
    readonly params: PipelineParams,
  ) {
    const own = makeNodeCrypto({
      publicKeyCacheEntries: base.options.patients + base.options.institutions + 64,
      secretKeyCacheEntries: 4,
    });
    this.crypto = rememberingCrypto(own, this.counters);
    const account = base.world.institutions[index];
    if (account === undefined) throw new RangeError(`no institution ${index}`);
    const ctx = memberContext({
      epoch: base.epoch,
      snapshot,
      self: index,
      secretKey: account.signing.secretKey,
      crypto: this.crypto,
      app: this.application(),
      params: PIPELINE_PARAMS,
    });
    if (Result.isFailure(ctx)) throw new Error(`member ${index}: ${ctx.failure.message}`);
    this.ctx = ctx.success;
    this.ledger = {
      ...base.state,
      chKeys: base.state.chKeys.map((key) => memberChameleonKey(key, params.validation, this.counters)),
    };
    this.reputation = reputations(base.options.institutions);
    this.capacity = capacityOf(params.budgetBytes);
    // count the run's work only, not what setting the member up verified
    Object.assign(this.counters, emptyCounters());
  }

  /** [BFT-6] The application of an honest member. */
  private application(): Application {
    return {
      isValidRequest: (request) => this.holds(request),
      isValidValue: (instance, value) => this.accepts(instance, value),
      settles: (value, request) => this.settles(value, request),
      assemble: (instance, pending) => this.assemble(instance, pending),
    };
  }

  /** [TX-6] [CH-8] A transaction's patient has a block, its signature verifies and (full) HVer holds. */
  private authenticTx({ tx, encoded }: EncodedRecordTx): boolean {
    const slot = this.ledger.patients.get(tx.patient);
    if (slot?.header === undefined || !verifyEncodedTransaction(this.crypto, slot.patientKey, encoded)) return false;
    const leafValue = slot.leaves[leafIndexOf(slot, tx.institution)]?.value ?? tx.record.h;
    if (leafValue === undefined) return false;
    const verified = this.ledger.chKeys[tx.institution]?.verify(tx.record.pointer, leafValue, tx.record.r);
    return verified !== undefined && Result.isSuccess(verified) && verified.success;
  }

  private holds(request: Uint8Array): boolean {
    let ok = this.authentic.get(request);
    if (ok === undefined) {
      const submission = this.submissionOf(request);
      ok = submission?.encoded.every((tx) => this.authenticTx(tx)) === true;
      this.authentic.set(request, ok);
    }
    return ok;
  }

  /** [BAT-1] The queues a batch carries: each institution's transactions in the order they appear. */
  private queuesOf(value: BatchValue): InstitutionQueue[] {
    const byInstitution = new Map<number, Uint8Array[]>();
    for (const [i, tx] of value.txs.entries()) {
      const queue = byInstitution.get(tx.institution) ?? [];
      queue.push(value.ids[i] as Uint8Array);
      byInstitution.set(tx.institution, queue);
    }
    return [...byInstitution].map(([institution, pending]) => ({
      key: this.ledger.config.institutions[institution]?.key ?? new Uint8Array(),
      reputation: this.reputation[institution] ?? 0n,
      lastServed: this.lastServed.get(institution) ?? null,
      pending,
    }));
  }

  /** [BFT-7] [BAT-4] [CHAIN-7] A fresh proposal, judged against the state it will meet (the next instance). */
  private accepts(instance: number, bytes: Uint8Array): boolean {
    if (instance !== this.applied) return false;
    const cached = this.validAt.get(bytes);
    if (cached?.applied === this.applied) return cached.root !== undefined;
    const value = this.valueOf(bytes);
    let root: Uint8Array | undefined;
    if (
      value !== undefined &&
      value.window === this.applied &&
      value.txBytes <= this.params.budgetBytes &&
      Result.isSuccess(
        checkProposal({ window: value.window, capacity: this.capacity, queues: this.queuesOf(value) }, value.ids),
      )
    ) {
      const proposed = this.place(value);
      root = Result.isSuccess(proposed) ? proposed.success : undefined;
    }
    this.validAt.set(bytes, { applied: this.applied, root });
    return root !== undefined;
  }

  /** [CHAIN-7] [PIN-4] The batch placed on the member's state: its root, or the first transaction's error. */
  private place(value: BatchValue): ReturnType<typeof encodedBatchRoot> {
    return timed(this.counters, "placeMs", () =>
      encodedBatchRoot(this.crypto, this.ledger, value.encoded, this.placements),
    );
  }

  private keysOf(value: BatchValue): ReadonlySet<string> {
    let keys = this.keySets.get(value);
    if (keys === undefined) {
      keys = new Set(value.keys);
      this.keySets.set(value, keys);
    }
    return keys;
  }

  /** [BFT-6] A batch settles a submission when it carries every one of its transactions. */
  private settles(valueBytes: Uint8Array, request: Uint8Array): boolean {
    const value = this.valueOf(valueBytes);
    const submission = this.submissionOf(request);
    if (value === undefined || submission === undefined) return false;
    const keys = this.keysOf(value);
    return submission.keys.every((key) => keys.has(key));
  }

  /**
   * [BFT-6] [BAT-3] The leader's batch for the next instance: the oldest pending submissions whose
   * transactions fit the byte budget (at least the oldest), ordered by Algorithm 2 over their queues.
   * The table fits the capacity T_m, so Algorithm 2 selects all of it (its case 1: quotas first, then
   * the top-up) and only fixes the order; submissions that do not fit wait for the next batch.
   */
  private assemble(instance: number, pending: readonly Uint8Array[]): Uint8Array | undefined {
    if (instance !== this.applied) return undefined;
    const table: Submission[] = [];
    let bytes = 0;
    for (const request of pending) {
      const submission = this.submissionOf(request);
      if (submission === undefined) continue;
      if (table.length > 0 && bytes + submission.txBytes > this.params.budgetBytes) break;
      table.push(submission);
      bytes += submission.txBytes;
    }
    if (table.length === 0) return undefined;
    const byId = new Map<string, EncodedRecordTx>();
    const queues = new Map<number, Uint8Array[]>();
    for (const submission of table) {
      for (const encoded of submission.encoded) {
        const { tx, id } = encoded;
        const key = latin1(id);
        if (byId.has(key)) continue;
        byId.set(key, encoded);
        const queue = queues.get(tx.institution) ?? [];
        queue.push(id);
        queues.set(tx.institution, queue);
      }
    }
    const input = {
      window: this.applied,
      capacity: this.capacity,
      queues: [...queues].map(([institution, ids]) => ({
        key: this.ledger.config.institutions[institution]?.key ?? new Uint8Array(),
        reputation: this.reputation[institution] ?? 0n,
        lastServed: this.lastServed.get(institution) ?? null,
        pending: ids,
      })),
    };
    const formed = formBatch(input);
    if (Result.isFailure(formed)) return undefined;
    return encodeBatchValue(
      this.applied,
      formed.success.batch.map((id) => byId.get(latin1(id)) as EncodedRecordTx),
    );
  }

  /** [BFT-9] A decision of the consensus: the batch waits for its ledger pin (in instance order). */
  decided(instance: number, bytes: Uint8Array): Progress {
    const value = this.valueOf(bytes);
    const expected = this.applied + this.undelivered.length;
    if (value === undefined || instance !== expected) {
      return {
        votes: [],
        applied: [],
        errors: [`member ${this.index}: decision ${instance} (expected ${expected}) unusable`],
      };
    }
    const validated = this.validAt.get(bytes);
    const root = validated?.applied === instance ? validated.root : undefined;
    this.undelivered.push({ instance, value, root, hash: undefined });
    return this.advance();
  }

  private statement(signer: number, instance: number, value_hash: Uint8Array): Statement {
    return { kind: "Commit", group: this.ctx.group.id, sender: signer, view: LEDGER_PIN_VIEW, instance, value_hash };
  }

  /** [PIN-3] Another member's vote: kept when its signature verifies (first vote per member and instance). */
  pinVote(vote: PinVote): Progress {
    const { instance, signer } = vote;
    const window = this.ctx.params.history;
    if (instance < this.applied || instance >= this.applied + window || signer >= this.ctx.group.size) {
      return { votes: [], applied: [], errors: [] };
    }
    const votes = this.votes.get(instance) ?? new Map();
    const key = this.snapshot.members[signer]?.key ?? new Uint8Array();
    const message = statementMessage(this.statement(signer, instance, vote.value_hash));
    if (!votes.has(signer) && this.crypto.verify(key, message, vote.signature)) {
      votes.set(signer, { hash: vote.value_hash, signature: vote.signature });
      this.votes.set(instance, votes);
    }
    return this.advance();
  }

  /** The pin certificate of `hash` if the votes on it form a quorum. */
  private certificate(instance: number, hash: Uint8Array): PinCertificate | undefined {
    const matching = [...(this.votes.get(instance) ?? [])]
      .filter(([, vote]) => bytesEqual(vote.hash, hash))
      .sort(([a], [b]) => a - b);
    if (
      !this.ctx.rules.quorum(
        this.ctx.group,
        matching.map(([signer]) => signer),
      )
    )
      return undefined;
    const votes = matching.map(([signer, vote]) => ({ signer, signature: vote.signature }));
    return { kind: "Commit", group: this.ctx.group.id, view: LEDGER_PIN_VIEW, instance, value_hash: hash, votes };
  }

  /**
   * [PIN-1] [CHAIN-7] Pin what can be pinned, in order: the next batch's root (from its validation, or
   * computed now), this member's vote on it, and, once a quorum voted for it, `applyBatchWith`.
   */
  private advance(): Progress {
    const progress: Progress = { votes: [], applied: [], errors: [] };
    for (let next = this.undelivered[0]; next !== undefined; next = this.undelivered[0]) {
      if (next.hash === undefined) {
        if (next.root === undefined) {
          const proposed = this.place(next.value);
          if (Result.isFailure(proposed)) {
            progress.errors.push(`member ${this.index}: decided batch ${next.instance}: ${proposed.failure._tag}`);
            return progress;
          }
          next.root = proposed.success;
        }
        next.hash = valueHash(next.root);
        const signature = signStatement(
          this.crypto,
          this.ctx.secretKey,
          this.statement(this.index, next.instance, next.hash),
        );
        const votes = this.votes.get(next.instance) ?? new Map();
        votes.set(this.index, { hash: next.hash, signature });
        this.votes.set(next.instance, votes);
        progress.votes.push({ instance: next.instance, signer: this.index, value_hash: next.hash, signature });
      }
      const certificate = this.certificate(next.instance, next.hash);
      if (certificate === undefined) return progress;
      const pinned = timed(this.counters, "pinMs", () =>
        applyEncodedBatchWith(
          this.crypto,
          this.ledger,
          certificate,
          next.value.encoded,
          this.snapshot,
          this.placements,
        ),
      );
      if (Result.isFailure(pinned)) {
        progress.errors.push(
          `member ${this.index}: batch ${next.instance}: ${pinned.failure._tag} ${pinned.failure.message}`,
        );
        return progress;
      }
      this.ledger = pinned.success;
      for (const id of next.value.ids) this.knownTxs.delete(latin1(id));
      for (const tx of next.value.txs) this.lastServed.set(tx.institution, next.value.window);
      this.undelivered.shift();
      this.votes.delete(next.instance);
      this.applied += 1;
      progress.applied.push({ instance: next.instance, value: next.value, root: next.root as Uint8Array, certificate });
    }
    return progress;
  }
}
