/**
 * [MOD-8] Label consistency, on every batch an honest node pins (once per batch) and on the final chain:
 * every record's chameleon hash verifies (HVer with the scheme's own key of its institution, CH-8); every
 * label (1) keeps the labelled record's hash value (same leaf value, MB-5), (2) verifies with HVer, (3)
 * carries randomness that its institution's key produced (the ground truth: a collision made with its
 * trapdoor, or the randomness of a record it hashed; randomness made by another institution, or by no
 * one, is a forgery), (4) is issued by the institution that issued
 * the original (CHAIN-7), and (5) leaves the original on chain, marked as labelled (RET-2, MB-6).
 * @module
 */
import { Result } from "effect";
import { bytesEqual, bytesToHex } from "../../src/crypto/bytes.js";
import { recordAt } from "../../src/ledger/patient-block.js";
import { history } from "../../src/ledger/retrieval.js";
import { type ChainState, lookupTx } from "../../src/ledger/state.js";
import { type RecordTx, transactionId } from "../../src/ledger/transaction.js";
import type { Finding, Monitor, MonitorContext } from "./monitor.js";
import { NONE } from "./monitor.js";

const leafOf = (state: ChainState, id: Uint8Array) => {
  const location = lookupTx(state, id);
  if (location === undefined || location.kind === "register") return undefined;
  const slot = state.patients.get(location.number);
  const leaf = slot?.leaves[location.leaf];
  return slot === undefined || leaf === undefined ? undefined : { location, slot, leaf };
};

const checkRecord = (state: ChainState, tx: RecordTx, ctx: MonitorContext, count: () => void): string[] => {
  const problems: string[] = [];
  const id = transactionId(tx);
  const placed = leafOf(state, id);
  count();
  if (placed === undefined) return [`${tx._tag} ${bytesToHex(id).slice(0, 12)}… is not on the chain it was pinned on`];
  const h = tx.record.h ?? placed.leaf.value;
  const key = ctx.chameleonKeys[tx.institution];
  const verified = key?.verify(tx.record.pointer, placed.leaf.value, tx.record.r);
  count();
  if (verified === undefined || Result.isFailure(verified) || !verified.success) {
    problems.push(
      `${tx._tag} of patient ${tx.patient} at institution ${tx.institution}: HVer fails under the institution's key`,
    );
  }
  if (tx._tag !== "label") return problems;
  const target = leafOf(state, tx.target);
  count();
  if (target === undefined || target.location.kind !== "medical" || target.location.number !== tx.patient) {
    return [...problems, `label of patient ${tx.patient}: its target is not this patient's medical record`];
  }
  count();
  if (target.leaf.institution !== tx.institution)
    problems.push(`label by institution ${tx.institution} of institution ${target.leaf.institution}'s record`);
  const original = recordAt(target.slot, target.location.leaf, target.location.sequence);
  const originalH = original?.tx.record.h ?? target.leaf.value;
  count();
  if (!bytesEqual(h, originalH) || !bytesEqual(h, target.leaf.value))
    problems.push(`label of patient ${tx.patient}: another hash value than the record it labels`);
  const maker = ctx.env.truth.collisions.get(bytesToHex(tx.record.r));
  count();
  if (maker !== tx.institution) {
    problems.push(
      `label of patient ${tx.patient}: randomness not made by institution ${tx.institution}'s key (${maker === undefined ? "made by no institution" : `made by institution ${maker}`})`,
    );
  }
  const items = Result.getOrElse(history(state, tx.patient), () => []);
  const item = items.find((i) => bytesEqual(i.id, tx.target));
  count();
  if (item === undefined || !item.labelled || !item.corrections.some((c) => bytesEqual(c.id, id))) {
    problems.push(`label of patient ${tx.patient}: the original is not on chain, marked, with this correction`);
  }
  return problems;
};

export const labelsMonitor = (): Monitor => {
  const seen = new Set<number>();
  const monitor: Monitor = {
    name: "labels",
    checks: 0,
    observe: (o, ctx) => {
      if (o._tag !== "BatchPinned" || !ctx.honest.has(o.node) || seen.has(o.index)) return NONE;
      seen.add(o.index);
      const out: Finding[] = [];
      for (const tx of o.transactions) {
        for (const description of checkRecord(o.state, tx, ctx, () => (monitor.checks += 1)))
          out.push({ nodes: [o.node], description });
      }
      return out;
    },
    tick: () => NONE,
    final: (ctx) => {
      const node = ctx.institutions.find((n) => ctx.honest.has(n.id));
      if (node === undefined) return NONE;
      const out: Finding[] = [];
      for (const batch of node.ledger.batches) {
        for (const tx of batch.transactions) {
          if (tx._tag !== "label") continue;
          const items = Result.getOrElse(history(node.ledger, tx.patient), () => []);
          monitor.checks += 1;
          if (!items.some((i) => bytesEqual(i.id, tx.target) && i.labelled)) {
            out.push({
              nodes: [node.id],
              description: `the original of a label of patient ${tx.patient} is gone or unmarked`,
            });
          }
        }
      }
      return out;
    },
  };
  return monitor;
};
