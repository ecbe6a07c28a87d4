/**
 * [MOD-8] The confidentiality boundary. (1) No node ever decrypts a record it is not entitled to: every
 * successful decryption (Dec1 or Dec2, by any node, honest or not) must be by the record's patient or by
 * an institution the patient delegated to (a re-encryption key it made, PRE-11). (2) No ciphertext bytes
 * are ever on chain: every encoded on-chain object an honest node pins (keyblocks, transactions, pin
 * certificates, microblock headers) is scanned for any 32-byte window of any stored ciphertext, at every
 * offset, against an index of each ciphertext's windows at offsets 0, 32, 64, … (so any leaked run of 63
 * bytes or more, and any leaked 32-byte piece that starts on a window boundary, such as a prefix, is found).
 * @module
 */
import { encodeCertificate } from "../../src/consensus/certificate.js";
import { bytesEqual, bytesToHex } from "../../src/crypto/bytes.js";
import { encodeKeyblock } from "../../src/ledger/keyblock.js";
import { encodeMicroblock } from "../../src/ledger/microblock.js";
import { encodeTransaction } from "../../src/ledger/transaction.js";
import type { Finding, Monitor, MonitorContext } from "./monitor.js";
import { NONE } from "./monitor.js";

/** [MOD-8] The window indexed and searched. */
export const WINDOW_BYTES = 32;

const fingerprint = (bytes: Uint8Array, at: number): number => {
  let h = 0x811c9dc5;
  for (let i = at; i < at + WINDOW_BYTES; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193) >>> 0;
  return h;
};

class CiphertextIndex {
  private readonly windows = new Map<number, { readonly blob: Uint8Array; readonly at: number }[]>();
  private indexed = 0;

  /** Indexes the blobs the truth learned about since the last call. */
  update(blobs: ReadonlyMap<string, { readonly blob: Uint8Array }>): void {
    if (blobs.size === this.indexed) return;
    let k = 0;
    for (const { blob } of blobs.values()) {
      if (k++ < this.indexed) continue;
      for (let at = 0; at + WINDOW_BYTES <= blob.length; at += WINDOW_BYTES) {
        const h = fingerprint(blob, at);
        const list = this.windows.get(h) ?? [];
        list.push({ blob, at });
        this.windows.set(h, list);
      }
    }
    this.indexed = blobs.size;
  }

  /** Does any window of `bytes` equal an indexed ciphertext window? */
  leaks(bytes: Uint8Array): boolean {
    for (let i = 0; i + WINDOW_BYTES <= bytes.length; i++) {
      const candidates = this.windows.get(fingerprint(bytes, i));
      if (candidates === undefined) continue;
      const piece = bytes.subarray(i, i + WINDOW_BYTES);
      if (candidates.some((c) => bytesEqual(c.blob.subarray(c.at, c.at + WINDOW_BYTES), piece))) return true;
    }
    return false;
  }
}

const entitled = (node: number, patient: number, ctx: MonitorContext): boolean =>
  node >= ctx.env.patientBase
    ? node - ctx.env.patientBase === patient
    : ctx.env.truth.delegations.has(`${patient}/${node}`);

export const confidentialityMonitor = (): Monitor => {
  const index = new CiphertextIndex();
  const scannedHeights = new Set<number>();
  const scannedBatches = new Set<number>();
  const monitor: Monitor = {
    name: "confidentiality",
    checks: 0,
    observe: (o, ctx) => {
      if (o._tag === "Decrypt") {
        monitor.checks += 1;
        if (!o.ok) return NONE;
        const truth = ctx.env.truth.blob(o.pointer);
        if (truth === undefined)
          return [{ nodes: [o.node], description: `node ${o.node} decrypted an unknown ciphertext` }];
        if (entitled(o.node, truth.patient, ctx)) return NONE;
        return [
          {
            nodes: [o.node],
            description: `node ${o.node} decrypted patient ${truth.patient}'s record ${bytesToHex(o.pointer).slice(0, 12)}… without a delegation (${o.how})`,
          },
        ];
      }
      if (!ctx.honest.has(o.node)) return NONE;
      const objects: Uint8Array[] = [];
      if (o._tag === "KeyblockPinned" && !scannedHeights.has(o.height)) {
        scannedHeights.add(o.height);
        const kb = ctx.institutions[o.node]?.ledger.keyblocks.get(o.height)?.keyblock;
        if (kb !== undefined) objects.push(encodeKeyblock(kb));
        objects.push(encodeCertificate(o.certificate));
      } else if (o._tag === "BatchPinned" && !scannedBatches.has(o.index)) {
        scannedBatches.add(o.index);
        for (const tx of o.transactions) objects.push(encodeTransaction(tx));
        objects.push(encodeCertificate(o.certificate));
      } else return NONE;
      index.update(ctx.env.truth.blobs);
      const out: Finding[] = [];
      for (const bytes of objects) {
        monitor.checks += 1;
        if (index.leaks(bytes))
          out.push({
            nodes: [o.node],
            description: `ciphertext bytes on chain, in an object of ${bytes.length} bytes`,
          });
      }
      return out;
    },
    tick: () => NONE,
    final: (ctx) => {
      const node = ctx.institutions.find((n) => ctx.honest.has(n.id));
      if (node === undefined) return NONE;
      index.update(ctx.env.truth.blobs);
      const out: Finding[] = [];
      for (const slot of node.ledger.patients) {
        if (slot.header === undefined) continue;
        monitor.checks += 1;
        if (index.leaks(encodeMicroblock(slot.header)))
          out.push({ nodes: [node.id], description: `ciphertext bytes in microblock ${slot.number}` });
      }
      return out;
    },
  };
  return monitor;
};
