/**
 * The messages nodes exchange over the model's network (spec/model.md, [MOD-4] node roles and
 * messages). Consensus messages carry the protocol's own bytes (spec/consensus.md BFT-4); everything
 * else is a typed object, immutable once sent, whose fields are the core's objects (keyblocks,
 * transactions, certificates, proofs, Umbral capsule fragments).
 * @module
 */
import type { PinCertificate } from "../src/consensus/certificate.js";
import type { VerifiedCapsuleFrag } from "../src/crypto/umbral/cfrag.js";
import type { PublicKey } from "../src/crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../src/crypto/umbral/kfrag.js";
import type { Keyblock } from "../src/ledger/keyblock.js";
import type { PinnedHeaders, RecordProof } from "../src/ledger/proof.js";
import type { LabelTx, MedicalTx, RegisterTx, Transaction } from "../src/ledger/transaction.js";

/** [MOD-5] A decided instance of an epoch's log, as nodes pass it on. */
export interface LogEntry {
  readonly epoch: number;
  readonly instance: number;
  readonly value: Uint8Array;
  /** The protocol's pin certificate of the value (BFT-5). */
  readonly certificate: PinCertificate;
  /** For a body with a batch: the ledger's pin certificate of its batch root (MOD-6). */
  readonly ledgerCertificate: PinCertificate | undefined;
  /** For a keyblock id: the keyblock itself. */
  readonly keyblock: Keyblock | undefined;
}

export type VisitKind = "register" | "consult" | "label";

/** Unsigned transactions an institution prepares for a patient to sign (Upload and Label steps 4-8). */
export type Prepared = Omit<RegisterTx, "signature"> | Omit<MedicalTx, "signature"> | Omit<LabelTx, "signature">;

export interface SharedRecord {
  readonly txid: Uint8Array;
  readonly pointer: Uint8Array;
  readonly blob: Uint8Array;
  readonly cfrag: VerifiedCapsuleFrag;
}

export type Message =
  /** [MOD-5] A consensus message of epoch `epoch`'s protocol instance. */
  | {
      readonly _tag: "Consensus";
      readonly epoch: number;
      readonly bytes: Uint8Array;
      /** Which protocol instance of a node running several sent it (1-based); 0 for a node running one. */
      readonly lane: number;
    }
  /** A mined keyblock, to every institution (Register step 2). */
  | { readonly _tag: "Keyblock"; readonly keyblock: Keyblock }
  /** A register transaction, gossiped to every institution's mempool (Register step 1). */
  | { readonly _tag: "Register"; readonly tx: RegisterTx }
  /** [MOD-5] A request for the group of `epoch`, from a node outside it. */
  | { readonly _tag: "Forward"; readonly epoch: number; readonly request: Uint8Array }
  /** [MOD-6] A member's COMMIT statement on a batch root in the reserved ledger view. */
  | {
      readonly _tag: "PinVote";
      readonly epoch: number;
      readonly instance: number;
      readonly valueHash: Uint8Array;
      readonly signer: number;
      readonly signature: Uint8Array;
    }
  /** [MOD-5] A decided entry, passed on to nodes that did not decide it themselves. */
  | { readonly _tag: "Announce"; readonly entry: LogEntry }
  /** [MOD-5] Catch-up: "send me what you decided from (epoch, instance) on". */
  | { readonly _tag: "SyncRequest"; readonly epoch: number; readonly instance: number }
  | { readonly _tag: "SyncReply"; readonly entries: readonly LogEntry[] }
  /** A patient asks an institution for a transaction to sign (register, consult, label). */
  | {
      readonly _tag: "Visit";
      readonly visit: number;
      readonly patient: number;
      readonly kind: VisitKind;
      readonly patientKey: Uint8Array;
    }
  | { readonly _tag: "Prepared"; readonly visit: number; readonly tx: Prepared }
  | { readonly _tag: "NotReady"; readonly visit: number; readonly reason: string }
  | { readonly _tag: "Signed"; readonly visit: number; readonly tx: Transaction }
  /** Retrieval: a patient asks the custodian for a record and its proof, and any institution for headers. */
  | { readonly _tag: "Retrieve"; readonly request: number; readonly txid: Uint8Array }
  | {
      readonly _tag: "RetrieveReply";
      readonly request: number;
      readonly txid: Uint8Array;
      readonly blob: Uint8Array | undefined;
      readonly proof: RecordProof | undefined;
    }
  | { readonly _tag: "HeadersRequest"; readonly request: number }
  | { readonly _tag: "Headers"; readonly request: number; readonly headers: PinnedHeaders }
  /** Share: the patient gives the custodian a re-encryption key for the delegatee (Share step 10). */
  | {
      readonly _tag: "Share";
      readonly request: number;
      readonly patient: number;
      readonly txids: readonly Uint8Array[];
      readonly delegatee: number;
      readonly kfrag: VerifiedKeyFrag;
    }
  | {
      readonly _tag: "Shared";
      readonly patient: number;
      readonly patientPre: PublicKey;
      readonly patientSigner: PublicKey;
      readonly records: readonly SharedRecord[];
    };
