/**
 * [MOD-8] Agreement: no fork past a pin, and all honest nodes agree on the pinned prefix. Checked as each
 * honest node pins: its keyblock at a height must be the one every other honest node pinned there, and
 * never change (a node that takes a conflicting keyblock after a pin is caught the moment it does);
 * likewise each pinned batch's root and each decided log value. At the end, every pair of honest ledgers
 * agrees on every height both have pinned.
 * @module
 */
import { valueHash } from "../../src/consensus/certificate.js";
import { bytesToHex } from "../../src/crypto/bytes.js";
import type { Finding, Monitor, MonitorContext } from "./monitor.js";
import { NONE } from "./monitor.js";

interface First {
  readonly value: string;
  readonly node: number;
}

export const agreementMonitor = (): Monitor => {
  const firsts = new Map<string, First>();
  const nodeHeights = new Map<number, Map<number, string>>();
  const monitor: Monitor = {
    name: "agreement",
    checks: 0,
    observe: (o, ctx) => {
      if (!ctx.honest.has(o.node)) return NONE;
      const out: Finding[] = [];
      const agree = (key: string, value: string, what: string): void => {
        monitor.checks += 1;
        const first = firsts.get(key);
        if (first === undefined) firsts.set(key, { value, node: o.node });
        else if (first.value !== value) out.push({ nodes: [first.node, o.node], description: what });
      };
      switch (o._tag) {
        case "KeyblockPinned":
        case "PinRewritten": {
          const id = bytesToHex(o.id);
          const mine = nodeHeights.get(o.node) ?? new Map<number, string>();
          nodeHeights.set(o.node, mine);
          const before = mine.get(o.height);
          monitor.checks += 1;
          if (before !== undefined && before !== id) {
            out.push({
              nodes: [o.node],
              description: `node ${o.node} took another keyblock at pinned height ${o.height}`,
            });
          }
          if (before === undefined) mine.set(o.height, id);
          agree(
            `kb/${o.height}`,
            id,
            `fork past a pin at height ${o.height}: ${id.slice(0, 12)}… differs from another honest node's pin`,
          );
          break;
        }
        case "BatchPinned":
          agree(`batch/${o.index}`, bytesToHex(o.root), `batch ${o.index} pinned with two different roots`);
          break;
        case "Decided":
          agree(
            `log/${o.epoch}/${o.instance}`,
            bytesToHex(valueHash(o.value)),
            `epoch ${o.epoch} instance ${o.instance}: two honest members decided different values`,
          );
          break;
        default:
          break;
      }
      return out;
    },
    tick: () => NONE,
    final: (ctx: MonitorContext) => {
      const honest = ctx.institutions.filter((n) => ctx.honest.has(n.id));
      const out: Finding[] = [];
      const [first, ...rest] = honest;
      if (first === undefined) return out;
      for (const other of rest) {
        const common = Math.min(first.ledger.keyblocks.size, other.ledger.keyblocks.size);
        for (let h = 0; h < common; h++) {
          monitor.checks += 1;
          const a = first.ledger.keyblocks.get(h)?.id;
          const b = other.ledger.keyblocks.get(h)?.id;
          if (a === undefined || b === undefined || bytesToHex(a) !== bytesToHex(b)) {
            out.push({ nodes: [first.id, other.id], description: `honest ledgers differ at height ${h}` });
            break;
          }
        }
      }
      return out;
    },
  };
  return monitor;
};
