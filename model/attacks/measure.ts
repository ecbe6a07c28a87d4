/**
 * Measurements of a run for the attack scenarios and the `npm start` report (spec/model.md, [MOD-13]):
 * who held the consensus group's seats in each epoch (and whether the fault assumption held: at most f
 * Byzantine members, holding less than a third of the group's reputation, GRP-3), how long each record an
 * honest institution submitted took to be pinned at every honest institution, and whether any attempt in
 * the attack log (a rewrite of a pinned keyblock, a duplicate identity registration) reached an honest
 * node's chain. Everything is read from observations and from the honest nodes' ledgers after the run.
 * @module
 */
import { bytesEqual, bytesToHex } from "../../src/crypto/bytes.js";
import { lookupTx } from "../../src/ledger/state.js";
import { transactionId } from "../../src/ledger/transaction.js";
import { faultBound, REPUTATION_SCALE } from "../../src/reputation/quorum.js";
import type { Observation } from "../observations.js";
import type { Run } from "../run.js";
import { attackLog } from "./hooks.js";

export interface EpochSeats {
  readonly epoch: number;
  /** Institution indices of the members, in rank order. */
  readonly members: readonly number[];
  readonly byzantine: number;
  /** The Byzantine members' share of the group's reputation, parts per SCALE. */
  readonly byzantineShare: bigint;
  readonly faults: number;
}

export interface SeatLog {
  readonly epochs: EpochSeats[];
  /** Institution → epochs it held a seat in. */
  readonly seatEpochs: Map<number, number>;
}

/** [GRP-3] Records, per epoch, the group the first honest node ranked (all honest nodes rank the same, GRP-5). */
export const seatObserver = (
  honest: (node: number) => boolean,
): { readonly log: SeatLog; readonly observe: (o: Observation) => void } => {
  const log: SeatLog = { epochs: [], seatEpochs: new Map() };
  const seen = new Set<number>();
  let index: Map<string, number> | undefined;
  return {
    log,
    observe: (o) => {
      if (o._tag !== "EpochStarted" || !honest(o.node) || seen.has(o.epoch)) return;
      seen.add(o.epoch);
      index ??= new Map(o.genesis.map((key, i) => [bytesToHex(key), i]));
      const members = o.snapshot.members.map((m) => index?.get(bytesToHex(m.key)) ?? -1);
      let total = 0n;
      let bad = 0n;
      let byzantine = 0;
      o.snapshot.members.forEach((m, i) => {
        total += m.reputation;
        if (!honest(members[i] as number)) {
          byzantine += 1;
          bad += m.reputation;
        }
      });
      for (const x of members) log.seatEpochs.set(x, (log.seatEpochs.get(x) ?? 0) + 1);
      log.epochs.push({
        epoch: o.epoch,
        members,
        byzantine,
        byzantineShare: total === 0n ? 0n : (bad * REPUTATION_SCALE) / total,
        faults: faultBound(members.length),
      });
    },
  };
};

/** [GRP-3] The fault assumption in an epoch: at most f Byzantine members, and less than 1/3 of R (3·bad < total). */
export const assumptionHolds = (e: EpochSeats): boolean =>
  e.byzantine <= e.faults && 3n * e.byzantineShare < REPUTATION_SCALE;

export interface TxTiming {
  /** The institution that submitted it (its own record). */
  readonly institution: number;
  readonly submitted_ms: number;
  /** When the last honest institution applied it (undefined: not at all of them). */
  pinned_ms: number | undefined;
  readonly pinnedAt: Set<number>;
}

/** Record transactions honest institutions submitted, and when each was pinned at every honest institution. */
export const latencyObserver = (
  honest: readonly number[],
): { readonly txs: Map<string, TxTiming>; readonly observe: (o: Observation, now_ms: number) => void } => {
  const txs = new Map<string, TxTiming>();
  return {
    txs,
    observe: (o, now_ms) => {
      if (o._tag === "Submitted" && honest.includes(o.node)) {
        const id = bytesToHex(o.txid);
        if (!txs.has(id))
          txs.set(id, {
            institution: o.node,
            submitted_ms: now_ms,
            pinned_ms: undefined,
            pinnedAt: new Set(),
          });
      } else if (o._tag === "BatchPinned" && honest.includes(o.node)) {
        for (const tx of o.transactions) {
          const t = txs.get(bytesToHex(transactionId(tx)));
          if (t === undefined) continue;
          t.pinnedAt.add(o.node);
          if (t.pinnedAt.size === honest.length) t.pinned_ms = now_ms;
        }
      }
    },
  };
};

/** Height → the model time the first honest node pinned it. */
export const pinTimeObserver = (
  honest: (node: number) => boolean,
): { readonly times: Map<number, number>; readonly observe: (o: Observation, now_ms: number) => void } => {
  const times = new Map<number, number>();
  return {
    times,
    observe: (o, now_ms) => {
      if (o._tag === "KeyblockPinned" && honest(o.node) && !times.has(o.height)) times.set(o.height, now_ms);
    },
  };
};

export interface LogOutcome {
  readonly rewrites: number;
  /** Rewrites whose keyblock is the one an honest node has pinned at that height. */
  readonly rewritesPinned: number;
  readonly duplicates: number;
  /** Duplicate registrations found on an honest node's chain. */
  readonly duplicatesPinned: number;
}

/** [PIN-6] [TX-3] Did any logged attempt reach an honest node's chain? */
export const attackLogOutcome = (run: Run): LogOutcome => {
  const log = attackLog(run.env);
  const honest = run.institutions.filter((node) => run.honest.has(node.id));
  const rewritesPinned = log.rewrites.filter((w) =>
    honest.some((node) => {
      const pinned = node.ledger.keyblocks.get(w.height);
      return pinned !== undefined && bytesEqual(pinned.id, w.id);
    }),
  ).length;
  const duplicatesPinned = log.duplicates.filter((d) =>
    honest.some((node) => lookupTx(node.ledger, d.txid) !== undefined),
  ).length;
  return { rewrites: log.rewrites.length, rewritesPinned, duplicates: log.duplicates.length, duplicatesPinned };
};
