/**
 * [MOD-8] Quorum: every certificate an honest node acts on (the protocol's decisions, keyblock pins,
 * batch pins) names the group of its epoch and meets the quorum rule of GRP-3 against that group's
 * snapshot: at least 2f+1 distinct members, strictly more than 2/3 of the group's reputation, every
 * signature valid (BFT-5, checked with `tallyQuorum`/`isQuorum` via `verifyCertificate`'s strong quorum).
 * The snapshot of an epoch is the one the first honest node computed; a node that used another one is
 * reported too (the group is a function of the chain, GRP-5).
 * @module
 */
import { Result } from "effect";
import type { PinCertificate } from "../../src/consensus/certificate.js";
import { verifyCertificate } from "../../src/consensus/certificate.js";
import { type ConsensusGroup, consensusGroup, groupId, strongQuorum } from "../../src/consensus/group.js";
import { bytesEqual } from "../../src/crypto/bytes.js";
import type { GroupSnapshot } from "../../src/reputation/quorum.js";
import { isQuorum, tallyQuorum } from "../../src/reputation/quorum.js";
import type { Finding, Monitor } from "./monitor.js";
import { NONE } from "./monitor.js";

export const quorumMonitor = (): Monitor => {
  const groups = new Map<number, ConsensusGroup>();
  const reference = (epoch: number, snapshot: GroupSnapshot): ConsensusGroup | undefined => {
    const known = groups.get(epoch);
    if (known !== undefined) return known;
    const made = consensusGroup(epoch, snapshot);
    if (Result.isFailure(made)) return undefined;
    groups.set(epoch, made.success);
    return made.success;
  };
  const monitor: Monitor = {
    name: "quorum",
    checks: 0,
    observe: (o, ctx) => {
      if (!ctx.honest.has(o.node)) return NONE;
      if (o._tag === "EpochStarted") {
        reference(o.epoch, o.snapshot);
        return NONE;
      }
      let epoch: number;
      let certificate: PinCertificate;
      let what: string;
      if (o._tag === "KeyblockPinned") {
        [epoch, certificate, what] = [o.height - 1, o.certificate, `pin of keyblock ${o.height}`];
      } else if (o._tag === "BatchPinned") {
        [epoch, certificate, what] = [o.epoch, o.certificate, `pin of batch ${o.index}`];
      } else if (o._tag === "Decided") {
        [epoch, certificate, what] = [o.epoch, o.certificate, `decision ${o.epoch}/${o.instance}`];
      } else return NONE;
      const group = reference(epoch, o.snapshot);
      monitor.checks += 1;
      if (group === undefined) return [{ nodes: [o.node], description: `${what}: no valid group for epoch ${epoch}` }];
      const out: Finding[] = [];
      if (!bytesEqual(groupId(epoch, o.snapshot), group.id)) {
        out.push({ nodes: [o.node], description: `${what}: node ${o.node} checked it against another group snapshot` });
      }
      const tally = tallyQuorum(
        group.snapshot,
        certificate.votes.map((v) => v.signer).filter((s) => s < group.size),
      );
      const checked = verifyCertificate(group, ctx.env.crypto, certificate, "Commit", strongQuorum);
      if (!isQuorum(tally) || Result.isFailure(checked)) {
        const reason = Result.isFailure(checked) ? checked.failure.message : "not a quorum";
        out.push({
          nodes: [o.node],
          description: `${what}: ${tally.signers} signers (2f+1 = ${2 * group.faults + 1}), ${tally.signer_reputation}/${tally.total_reputation} of the reputation: ${reason}`,
        });
      }
      return out;
    },
    tick: () => NONE,
    final: () => NONE,
  };
  return monitor;
};
