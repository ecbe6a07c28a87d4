/**
 * [MOD-8] Integrity: every tampering is detected. A retriever (a patient, or a delegatee opening a shared
 * record) may accept ciphertext bytes only if they are exactly the bytes stored when the record was made
 * (the ground truth of the pointer) and the record they claim to be is the one pinned on the honest
 * chain. Retrieval checks the inclusion proof against pinned headers (RET-4) and the content address
 * (TX-4); a custodian that alters or swaps bytes, or serves a proof of another record, must be refused.
 * The monitor also counts tamperings that retrievers caught.
 * @module
 */
import { bytesEqual, bytesToHex } from "../../src/crypto/bytes.js";
import { lookupTx } from "../../src/ledger/state.js";
import type { Monitor } from "./monitor.js";
import { NONE } from "./monitor.js";

export const integrityMonitor = (): Monitor & { detected: () => number } => {
  let detected = 0;
  const monitor = {
    name: "integrity" as const,
    checks: 0,
    detected: () => detected,
    observe: (o: Parameters<Monitor["observe"]>[0], ctx: Parameters<Monitor["observe"]>[1]) => {
      if (o._tag !== "Retrieval") return NONE;
      monitor.checks += 1;
      if (!o.accepted) {
        if (o.pointer !== undefined && ctx.env.truth.tampered.has(bytesToHex(o.pointer))) detected += 1;
        return NONE;
      }
      const truth = o.pointer === undefined ? undefined : ctx.env.truth.blob(o.pointer);
      if (truth === undefined || o.blob === undefined || !bytesEqual(truth.blob, o.blob)) {
        return [
          {
            nodes: [o.node],
            description: `node ${o.node} accepted altered ciphertext bytes for record ${bytesToHex(o.txid).slice(0, 12)}…`,
          },
        ];
      }
      const honest = ctx.institutions.find((n) => ctx.honest.has(n.id) && lookupTx(n.ledger, o.txid) !== undefined);
      monitor.checks += 1;
      if (honest === undefined)
        return [{ nodes: [o.node], description: `node ${o.node} accepted a record the honest chain does not hold` }];
      return NONE;
    },
    tick: () => NONE,
    final: () => NONE,
  };
  return monitor;
};
