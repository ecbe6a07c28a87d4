/**
 * The throughput pipeline in one thread, and the check of what it pinned (spec/consensus.md [BFT-9],
 * [BFT-16]; spec/pins.md [PIN-3], [PIN-4]; spec/chain.md [CHAIN-7]). The benchmark spreads the same members
 * over worker threads (throughput-worker.ts); the property test runs them here, where a run is a pure
 * function of its inputs.
 * @module
 */
import { Result } from "effect";
import { consensusGroup, verifyPinCertificate } from "../src/consensus/index.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import { applyBatchWith } from "../src/ledger/apply-batch.js";
import type { ChainState } from "../src/ledger/state.js";
import type { RecordTx } from "../src/ledger/transaction.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import { encodeSubmission, MAX_SUBMISSION_TXS } from "./throughput-codec.js";
import { Feeder, GroupHost, type HostStats, type Outgoing } from "./throughput-host.js";
import { type Applied, PipelineMember, type PipelineParams } from "./throughput-member.js";
import { type Base, reputations } from "./throughput-setup.js";

/** [BFT-3] The consensus group: the first `size` institutions, with their reputations. */
export const groupSnapshot = (base: Base, size: number): GroupSnapshot => {
  const reps = reputations(base.options.institutions);
  return {
    members: base.world.institutions.slice(0, size).map((institution) => ({
      key: institution.signing.publicKey,
      reputation: reps[institution.index] ?? 0n,
    })),
  };
};

const signatureKey = (tx: RecordTx): string =>
  Buffer.from(tx.signature.buffer, tx.signature.byteOffset, tx.signature.byteLength).toString("latin1");

/** Submissions of `perSubmission` transactions each, entering the group at member (k mod size). */
export const submissionsOf = (txs: readonly RecordTx[], size: number, perSubmission: number): Outgoing[] => {
  const per = Math.min(perSubmission, MAX_SUBMISSION_TXS);
  const out: Outgoing[] = [];
  for (let first = 0; first < txs.length; first += per) {
    const chunk = txs.slice(first, first + per);
    const bytes = encodeSubmission(chunk);
    out.push({ member: out.length % size, bytes, keys: chunk.map(signatureKey), txBytes: bytes.length - 4 });
  }
  return out;
};

export interface RunOutcome {
  /** Per member, the batches it pinned, in order. */
  readonly pinned: ReadonlyMap<number, readonly Applied[]>;
  readonly failures: readonly string[];
  readonly stats: HostStats;
  readonly members: readonly PipelineMember[];
}

/**
 * Runs a whole group in this thread until nothing is left to do (or `maxSteps`), feeding `submissions`
 * with at most `capBytes` unpinned; `memberFor` may replace a member (negative controls).
 */
export const runInProcess = (
  base: Base,
  size: number,
  params: PipelineParams,
  submissions: readonly Outgoing[],
  capBytes: number,
  maxSteps = 1_000_000,
  memberFor: (index: number, snapshot: GroupSnapshot) => PipelineMember = (index, snapshot) =>
    new PipelineMember(base, snapshot, index, params),
): RunOutcome => {
  const snapshot = groupSnapshot(base, size);
  const members = Array.from({ length: size }, (_, index) => memberFor(index, snapshot));
  const pinned = new Map<number, Applied[]>(members.map((m) => [m.index, []]));
  const failures: string[] = [];
  let feeder: Feeder | undefined;
  const host = new GroupHost(members, size, {
    decided: (member, applied) => {
      pinned.get(member.index)?.push(applied);
      if (member.index === 0) feeder?.settled(applied);
    },
    failed: (message) => failures.push(message),
  });
  feeder = new Feeder(host, submissions, capBytes);
  feeder.fill();
  while (!host.idle && host.stats.steps < maxSteps && failures.length === 0) host.run(1_000);
  return { pinned, failures, stats: host.stats, members };
};

/**
 * What a run must have done: every member pinned the same batches, each with a pin certificate of the
 * group on its root (PIN-3), applying them in order to the base state gives each member's ledger (CHAIN-7),
 * and the pinned transactions are exactly the submitted ones, each once.
 */
export const runViolations = (
  base: Base,
  size: number,
  submitted: readonly RecordTx[],
  outcome: RunOutcome,
  replay: { readonly ledger: boolean } = { ledger: true },
): string[] => {
  const found = [...outcome.failures];
  const snapshot = groupSnapshot(base, size);
  const group = consensusGroup(base.epoch, snapshot);
  if (Result.isFailure(group)) return [...found, `group: ${group.failure.message}`];
  const reference = outcome.pinned.get(0) ?? [];
  for (const [member, batches] of outcome.pinned) {
    if (batches.length !== reference.length)
      found.push(`member ${member} pinned ${batches.length} batches, member 0 ${reference.length}`);
    for (const [i, batch] of batches.entries()) {
      const other = reference[i];
      if (other === undefined || batch.instance !== i || !bytesEqual(batch.root, other.root)) {
        found.push(`member ${member}: batch ${i} differs from member 0's`);
      }
    }
  }
  let ledger: ChainState = base.state;
  const pinnedKeys: string[] = [];
  for (const batch of reference) {
    const checked = verifyPinCertificate(group.success, base.crypto, batch.certificate);
    if (Result.isFailure(checked)) found.push(`batch ${batch.instance}: ${checked.failure.reason}`);
    if (replay.ledger) {
      const next = applyBatchWith(
        base.crypto,
        ledger,
        { certificate: batch.certificate, transactions: batch.value.txs },
        snapshot,
      );
      if (Result.isFailure(next)) found.push(`batch ${batch.instance} does not apply: ${next.failure._tag}`);
      else ledger = next.success;
    }
    pinnedKeys.push(...batch.value.keys);
  }
  const wanted = submitted.map(signatureKey);
  const unique = new Set(pinnedKeys);
  if (unique.size !== pinnedKeys.length) found.push(`${pinnedKeys.length - unique.size} transactions pinned twice`);
  const missing = wanted.filter((key) => !unique.has(key)).length;
  if (missing > 0) found.push(`${missing} submitted transactions not pinned`);
  const wantedSet = new Set(wanted);
  const extra = pinnedKeys.filter((key) => !wantedSet.has(key)).length;
  if (extra > 0) found.push(`${extra} pinned transactions were never submitted`);
  if (replay.ledger) {
    for (const member of outcome.members) {
      if (member.ledger.batches.size !== ledger.batches.size)
        found.push(`member ${member.index}'s ledger has ${member.ledger.batches.size} batches`);
    }
  }
  return found;
};
