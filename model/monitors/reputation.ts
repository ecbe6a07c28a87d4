/**
 * [MOD-8] Reputation bounds, checked each time an honest node opens an epoch: R1, R2 and R of every
 * institution lie in [0, 1] and R_fixed in [0, 10^9] (REP-14); the node's incremental state agrees, bit
 * for bit, with a from-scratch replay of its event list (REP-13: deterministic from the chain); every
 * honest node computed the same group for the epoch (GRP-5); and an identity convicted of fraud in a
 * decided log entry has R = 0 and no seat in every later epoch, for good (REP-11). The monitor learns of
 * convictions from the decided values themselves, not from the node's events, so a node that forgets
 * one is caught. The replay runs for every epoch up to REPLAY_EVERY_EPOCH_UNTIL, then every REPLAY_STRIDE-th.
 * @module
 */
import { Result } from "effect";
import { STATEMENT_SLOT_BYTES } from "../../src/consensus/certificate.js";
import { groupId } from "../../src/consensus/group.js";
import { bytesToHex } from "../../src/crypto/bytes.js";
import { prefixSlot, verifyFraudProof } from "../../src/reputation/fraud.js";
import { REPUTATION_SCALE } from "../../src/reputation/quorum.js";
import { replayReputation } from "../../src/reputation/replay.js";
import { decodeRequest, decodeValue } from "../values.js";
import type { Finding, Monitor } from "./monitor.js";
import { NONE } from "./monitor.js";

export const REPLAY_EVERY_EPOCH_UNTIL = 256;
export const REPLAY_STRIDE = 16;

const inUnit = (x: number): boolean => x >= 0 && x <= 1;

export const reputationMonitor = (): Monitor => {
  /** offender key hex → the epoch its conviction was decided in. */
  const convicted = new Map<string, number>();
  const groups = new Map<number, { readonly id: string; readonly node: number }>();
  const replayed = new Set<number>();
  const monitor: Monitor = {
    name: "reputation",
    checks: 0,
    observe: (o, ctx) => {
      if (!ctx.honest.has(o.node)) return NONE;
      if (o._tag === "Decided") {
        const value = decodeValue(o.value);
        if (Result.isFailure(value) || value.success._tag !== "Body") return NONE;
        for (const control of value.success.body.controls) {
          const request = decodeRequest(control);
          if (Result.isFailure(request) || request.success._tag !== "Fraud") continue;
          const proof = request.success.proof;
          const valid = verifyFraudProof(proof, ctx.env.crypto.verify, prefixSlot(STATEMENT_SLOT_BYTES));
          const key = bytesToHex(proof.offender);
          if (Result.isSuccess(valid) && ctx.env.institutionSet.has(key) && !convicted.has(key))
            convicted.set(key, o.epoch);
        }
        return NONE;
      }
      if (o._tag !== "EpochStarted") return NONE;
      const out: Finding[] = [];
      const id = bytesToHex(groupId(o.epoch, o.snapshot));
      const first = groups.get(o.epoch);
      monitor.checks += 1;
      if (first === undefined) groups.set(o.epoch, { id, node: o.node });
      else if (first.id !== id)
        out.push({
          nodes: [first.node, o.node],
          description: `epoch ${o.epoch}: two honest nodes ranked different groups`,
        });
      for (const e of o.evaluation) {
        monitor.checks += 1;
        const r = e.reputation;
        if (
          !inUnit(r.r1.value) ||
          !inUnit(r.r2.value) ||
          !inUnit(r.value) ||
          r.fixed < 0n ||
          r.fixed > REPUTATION_SCALE
        ) {
          out.push({
            nodes: [o.node],
            description: `epoch ${o.epoch}: R of ${bytesToHex(e.key).slice(0, 8)} out of [0, 1] (${r.value})`,
          });
        }
        const since = convicted.get(bytesToHex(e.key));
        if (since !== undefined && o.epoch > since) {
          monitor.checks += 1;
          const seated = o.snapshot.members.some((m) => bytesToHex(m.key) === bytesToHex(e.key));
          if (r.fixed !== 0n || e.honest || seated) {
            out.push({
              nodes: [o.node],
              description: `epoch ${o.epoch}: institution ${bytesToHex(e.key).slice(0, 8)} convicted in epoch ${since} still has R = ${r.value}${seated ? " and a seat" : ""}`,
            });
          }
        }
      }
      const replay = o.epoch <= REPLAY_EVERY_EPOCH_UNTIL || o.epoch % REPLAY_STRIDE === 0;
      if (!replay || replayed.has(o.epoch)) return out;
      replayed.add(o.epoch);
      const scratch = replayReputation(ctx.env.reputation, o.events, o.genesis);
      monitor.checks += 1;
      if (Result.isFailure(scratch))
        return [
          ...out,
          {
            nodes: [o.node],
            description: `epoch ${o.epoch}: the event list does not replay: ${scratch.failure.message}`,
          },
        ];
      const byKey = new Map(scratch.success.map((e) => [bytesToHex(e.key), e]));
      for (const e of o.evaluation) {
        monitor.checks += 1;
        const s = byKey.get(bytesToHex(e.key));
        const same =
          s !== undefined &&
          Object.is(s.reputation.value, e.reputation.value) &&
          s.reputation.fixed === e.reputation.fixed;
        if (!same)
          out.push({
            nodes: [o.node],
            description: `epoch ${o.epoch}: incremental R of ${bytesToHex(e.key).slice(0, 8)} differs from the replay`,
          });
      }
      return out;
    },
    tick: () => NONE,
    final: () => NONE,
  };
  return monitor;
};
