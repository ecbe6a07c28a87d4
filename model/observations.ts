/**
 * What nodes report to the monitors, and the ground truth the monitors judge against (spec/model.md,
 * [MOD-8] monitors). Nodes emit observations as they act (a pinned keyblock, an applied batch, a
 * decision, a decryption, a retrieval); the run hands each step's observations to every monitor. The
 * truth is the run's own record of who made what: which blob each pointer addresses and whose PRE key it
 * is encrypted to, which delegations patients made, which chameleon randomness each institution's
 * trapdoor produced, which stored bytes a custodian altered.
 * @module
 */
import type { PinCertificate } from "../src/consensus/certificate.js";
import { bytesToHex } from "../src/crypto/bytes.js";
import type { ChainState } from "../src/ledger/state.js";
import type { RecordTx } from "../src/ledger/transaction.js";
import type { ReputationEvent } from "../src/reputation/events.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import type { InstitutionReputation } from "../src/reputation/state.js";

export type Observation =
  /** A node applied the pin of keyblock `height` (its ledger's tip moved). */
  | {
      readonly _tag: "KeyblockPinned";
      readonly node: number;
      readonly height: number;
      readonly id: Uint8Array;
      /** Register transactions it carries (its round needs that many microblocks). */
      readonly registers: number;
      readonly certificate: PinCertificate;
      readonly snapshot: GroupSnapshot;
    }
  /** An honest miner published a keyblock for `height`. */
  | { readonly _tag: "Published"; readonly node: number; readonly height: number }
  /** A node applied round `round`'s microblocks. */
  | { readonly _tag: "RoundComplete"; readonly node: number; readonly round: number }
  /** A node applied batch `index` (all pinned batches, in order) of epoch `epoch`. */
  | {
      readonly _tag: "BatchPinned";
      readonly node: number;
      readonly epoch: number;
      readonly index: number;
      readonly root: Uint8Array;
      readonly certificate: PinCertificate;
      readonly snapshot: GroupSnapshot;
      readonly transactions: readonly RecordTx[];
      readonly state: ChainState;
    }
  /** A member's protocol instance decided (epoch, instance) with this certificate (BFT-9). */
  | {
      readonly _tag: "Decided";
      readonly node: number;
      readonly epoch: number;
      readonly instance: number;
      readonly value: Uint8Array;
      readonly certificate: PinCertificate;
      readonly snapshot: GroupSnapshot;
    }
  /** A node entered epoch `epoch` with this group, computed from this reputation evaluation and events. */
  | {
      readonly _tag: "EpochStarted";
      readonly node: number;
      readonly epoch: number;
      readonly snapshot: GroupSnapshot;
      readonly evaluation: readonly InstitutionReputation[];
      readonly events: readonly ReputationEvent[];
      readonly genesis: readonly Uint8Array[];
    }
  /** A node's view of a pinned height changed after it was pinned (only a broken node does this). */
  | { readonly _tag: "PinRewritten"; readonly node: number; readonly height: number; readonly id: Uint8Array }
  /** A decryption attempt on a stored record (Dec1 or Dec2), successful or not. */
  | {
      readonly _tag: "Decrypt";
      readonly node: number;
      readonly pointer: Uint8Array;
      readonly ok: boolean;
      readonly how: "own" | "delegated" | "curious";
    }
  /** A retrieval's verdict: the bytes a retriever accepted (or why it refused them). */
  | {
      readonly _tag: "Retrieval";
      readonly node: number;
      readonly txid: Uint8Array;
      readonly pointer: Uint8Array | undefined;
      readonly accepted: boolean;
      readonly blob: Uint8Array | undefined;
      readonly reason: string;
    }
  /** An honest institution holds a valid record transaction and submitted it (a liveness obligation). */
  | { readonly _tag: "Submitted"; readonly node: number; readonly txid: Uint8Array }
  /** An attack attempt a behaviour made, and what stopped it (for the report). */
  | { readonly _tag: "Attack"; readonly node: number; readonly attack: string; readonly outcome: string }
  /** A node's request or value was refused with this reason (honest nodes; for the report). */
  | { readonly _tag: "Rejected"; readonly node: number; readonly what: string; readonly reason: string };

/** The ground truth of a run (MOD-8): written by the run and the nodes as things are made, read by monitors. */
export class Truth {
  /** pointer hex → who the blob belongs to and its bytes. */
  readonly blobs = new Map<
    string,
    {
      readonly patient: number;
      readonly custodian: number;
      readonly blob: Uint8Array;
      readonly encryptedTo: "patient" | "custodian";
    }
  >();
  /** "patient/delegatee" of every delegation a patient made. */
  readonly delegations = new Set<string>();
  /** r hex → the institution whose key produced it (HCol with its trapdoor, or its first Hash), for every record made. */
  readonly collisions = new Map<string, number>();
  /** pointer hex of records a custodian altered. */
  readonly tampered = new Set<string>();
  /** Institution node ids that are honest. */
  readonly honest = new Set<number>();

  blob(pointer: Uint8Array) {
    return this.blobs.get(bytesToHex(pointer));
  }
}
