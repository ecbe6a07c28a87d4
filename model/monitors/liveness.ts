/**
 * [MOD-8] [MOD-11] Liveness after stabilisation: every obligation is met within its bound (bounds.ts).
 * Obligations: a record transaction an honest institution submitted as valid (pinned at every honest
 * institution), a keyblock an honest miner published (its height pinned at every honest node), a pinned
 * round with register transactions (its microblocks at every honest node). An obligation created at t is
 * due at max(GST, t) + its bound; an undischarged one is a violation the first step after it is due.
 * @module
 */
import { bytesToHex } from "../../src/crypto/bytes.js";
import { transactionId } from "../../src/ledger/transaction.js";
import { type LivenessBounds, livenessBounds } from "../bounds.js";
import type { RunConfig } from "../config.js";
import type { Finding, Monitor, MonitorContext } from "./monitor.js";
import { NONE } from "./monitor.js";

interface Obligation {
  readonly what: string;
  readonly due_ms: number;
  readonly met: (ctx: MonitorContext) => boolean;
}

export interface LivenessCounts {
  created: number;
  met: number;
  /** Not yet due when the run ended (neither met nor violated). */
  open: number;
}

export const livenessMonitor = (config: RunConfig): Monitor & { counts: LivenessCounts; bounds: LivenessBounds } => {
  const bounds = livenessBounds(config);
  const counts: LivenessCounts = { created: 0, met: 0, open: 0 };
  // one queue per kind of obligation: each is created with a due time that never decreases, so it stays sorted
  const queues: Record<"tx" | "kb" | "round", Obligation[]> = { tx: [], kb: [], round: [] };
  const txPinned = new Map<string, Set<number>>();
  const txTracked = new Set<string>();
  const pinnedHeight = new Map<number, number>();
  const roundsDone = new Map<number, Set<number>>();
  const roundsTracked = new Set<number>();
  const heightsTracked = new Set<number>();
  const everyHonest = (ctx: MonitorContext, has: (node: number) => boolean): boolean => [...ctx.honest].every(has);
  const due = (ctx: MonitorContext, bound: number) => Math.max(ctx.config.network.gst_ms, ctx.now_ms) + bound;
  const add = (kind: keyof typeof queues, o: Obligation) => {
    counts.created += 1;
    queues[kind].push(o);
  };
  const monitor = {
    name: "liveness" as const,
    checks: 0,
    counts,
    bounds,
    observe: (o: Parameters<Monitor["observe"]>[0], ctx: MonitorContext) => {
      if (!ctx.honest.has(o.node)) return NONE;
      switch (o._tag) {
        case "Submitted": {
          const id = bytesToHex(o.txid);
          if (txTracked.has(id)) break;
          txTracked.add(id);
          add("tx", {
            what: `record ${id.slice(0, 12)}… submitted by institution ${o.node}`,
            due_ms: due(ctx, bounds.tx_ms),
            met: (c) => everyHonest(c, (n) => txPinned.get(id)?.has(n) ?? false),
          });
          break;
        }
        case "BatchPinned":
          for (const tx of o.transactions) {
            const id = bytesToHex(transactionId(tx));
            const nodes = txPinned.get(id) ?? new Set<number>();
            nodes.add(o.node);
            txPinned.set(id, nodes);
          }
          break;
        case "Published":
          if (heightsTracked.has(o.height)) break;
          heightsTracked.add(o.height);
          add("kb", {
            what: `keyblock ${o.height} published by honest miner ${o.node}`,
            due_ms: due(ctx, bounds.keyblock_ms),
            met: (c) => everyHonest(c, (n) => (pinnedHeight.get(n) ?? 0) >= o.height),
          });
          break;
        case "KeyblockPinned":
          pinnedHeight.set(o.node, Math.max(pinnedHeight.get(o.node) ?? 0, o.height));
          if (o.registers > 0 && !roundsTracked.has(o.height)) {
            roundsTracked.add(o.height);
            add("round", {
              what: `microblocks of round ${o.height}`,
              due_ms: due(ctx, bounds.round_ms),
              met: (c) => everyHonest(c, (n) => roundsDone.get(o.height)?.has(n) ?? false),
            });
          }
          break;
        case "RoundComplete": {
          const nodes = roundsDone.get(o.round) ?? new Set<number>();
          nodes.add(o.node);
          roundsDone.set(o.round, nodes);
          break;
        }
        default:
          break;
      }
      return NONE;
    },
    // an obligation is judged when it falls due: being met is monotone, so judging then is judging always
    tick: (ctx: MonitorContext) => {
      const out: Finding[] = [];
      for (const queue of Object.values(queues)) {
        while (queue.length > 0 && (queue[0] as Obligation).due_ms < ctx.now_ms) {
          const o = queue.shift() as Obligation;
          monitor.checks += 1;
          if (o.met(ctx)) counts.met += 1;
          else out.push({ nodes: [...ctx.honest], description: `${o.what}: not done by ${o.due_ms} ms` });
        }
      }
      return out;
    },
    final: (ctx: MonitorContext) => {
      const out = monitor.tick(ctx);
      for (const queue of Object.values(queues)) {
        for (const o of queue.splice(0)) {
          monitor.checks += 1;
          if (o.met(ctx)) counts.met += 1;
          else if (ctx.quiescent)
            out.push({ nodes: [...ctx.honest], description: `${o.what}: not done when nothing was left to happen` });
          else counts.open += 1;
        }
      }
      return out;
    },
  };
  return monitor;
};

export type LivenessMonitor = ReturnType<typeof livenessMonitor>;
