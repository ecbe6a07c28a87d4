/**
 * The throughput pipeline's group and workload (spec/consensus.md [BFT-3]; spec/batching.md [BAT-1]): the
 * consensus group of the first |X| institutions, and the submissions that carry a stream of transactions
 * into it.
 * @module
 */
import type { RecordTx } from "../src/ledger/transaction.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import { encodeSubmission, MAX_SUBMISSION_TXS, signatureKey } from "./throughput-codec.js";
import type { Outgoing } from "./throughput-host.js";
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
