/**
 * A patient node (spec/model.md, [MOD-4]; SPChain §5.2): it registers with its home institution, visits
 * institutions (consult, label), signs the transactions they prepare for it, shares records through their
 * custodian with a delegatee of its choice (Umbral re-encryption keys), and retrieves its records with
 * their inclusion proofs, checking proof (RET-4), content address (TX-4, SHARE-4) and then opening the
 * record with its epoch's data key, unwrapped by Dec1 (SHARE-7).
 * Pinned headers come from its home institution (a light client's trust in one source, MOD-4).
 * Lost messages before GST are repeated every `retry_ms`, at most `retries` times.
 * @module
 */
import { Result } from "effect";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { openOwn } from "../src/ehealth/custodian.js";
import { matchesPointer } from "../src/ehealth/sealed-record.js";
import { type PinnedHeaders, type RecordProof, verifyRecordProof } from "../src/ledger/proof.js";
import { signTransaction, transactionId, transactionIdOfBytes } from "../src/ledger/transaction.js";
import type { PatientAction, PatientSpec } from "./config.js";
import type { Env } from "./env.js";
import type { Message, Prepared, VisitKind } from "./messages.js";

interface VisitState {
  readonly kind: VisitKind;
  readonly institution: number;
  attempts: number;
  done: boolean;
}

interface Retrieval {
  readonly txid: Uint8Array;
  readonly custodian: number;
  attempts: number;
  reply: { readonly blob: Uint8Array | undefined; readonly proof: RecordProof | undefined } | undefined;
  headers: PinnedHeaders | undefined;
  done: boolean;
}

const opened = new Map<string, boolean>();

export class PatientNode {
  private readonly visits = new Map<number, VisitState>();
  private readonly retrievals = new Map<number, Retrieval>();
  /** The medical and label transactions this patient signed: id, institution, kind. */
  readonly records: { readonly txid: Uint8Array; readonly institution: number; readonly kind: string }[] = [];
  private counter = 0;

  constructor(
    readonly env: Env,
    readonly index: number,
    readonly spec: PatientSpec,
  ) {}

  get id(): number {
    return this.env.patientBase + this.index;
  }

  private get keys() {
    const keys = this.env.kit.patients[this.index];
    if (keys === undefined) throw new RangeError(`model: no kit patient ${this.index}`);
    return keys;
  }

  private send(to: number, message: Message): void {
    this.env.network.send(this.id, to, message);
  }

  private retryLater(name: string): void {
    this.env.network.setTimer(this.id, name, this.env.config.protocol.retry_ms);
  }

  /** A scheduled action of the patient's plan. */
  act(index: number): void {
    const action: PatientAction | undefined = this.spec.actions[index];
    if (action === undefined) return;
    switch (action.kind) {
      case "register":
        this.visit("register", this.spec.home);
        return;
      case "consult":
      case "label":
        this.visit(action.kind, action.institution);
        return;
      case "share":
        this.share(action.custodian, action.delegatee, index, 0);
        return;
      case "retrieve":
        for (const record of this.records) this.retrieve(record.txid, record.institution);
        return;
    }
  }

  private visit(kind: VisitKind, institution: number): void {
    const visit = ++this.counter;
    this.visits.set(visit, { kind, institution, attempts: 1, done: false });
    this.sendVisit(visit);
  }

  private sendVisit(visit: number): void {
    const v = this.visits.get(visit);
    if (v === undefined) return;
    this.send(v.institution, {
      _tag: "Visit",
      visit,
      patient: this.index,
      kind: v.kind,
      patientKey: this.keys.signing.publicKey,
    });
    this.retryLater(`visit|${visit}`);
  }

  /** The institution prepared what it says it would: this patient, this institution, this kind. */
  private acceptable(v: VisitState, tx: Prepared): boolean {
    if (this.spec.colludesWith === v.institution) return true;
    if (tx.institution !== v.institution) return false;
    const kind = v.kind === "consult" ? "medical" : v.kind;
    if (tx._tag !== kind) return false;
    return tx._tag !== "register" || bytesEqual(tx.patientKey, this.keys.signing.publicKey);
  }

  private onPrepared(visit: number, tx: Prepared): void {
    const v = this.visits.get(visit);
    if (v === undefined || v.done || !this.acceptable(v, tx)) return;
    v.done = true;
    this.env.network.cancelTimer(this.id, `visit|${visit}`);
    const signed = signTransaction(this.env.crypto, this.keys.signing.secretKey, tx);
    if (signed._tag !== "register") {
      this.records.push({ txid: transactionId(signed), institution: signed.institution, kind: signed._tag });
    }
    this.send(v.institution, { _tag: "Signed", visit, tx: signed });
  }

  private share(custodian: number, delegatee: number, action: number, attempt: number): void {
    const txids = this.records.filter((r) => r.institution === custodian).map((r) => r.txid);
    if (txids.length === 0) {
      if (attempt < this.env.config.protocol.retries) this.retryLater(`share|${action}|${attempt + 1}`);
      return;
    }
    this.env.truth.delegations.add(`${this.index}/${delegatee}`);
    const kfrag = this.env.kit.kfrag(this.index, delegatee);
    const request = ++this.counter;
    this.send(custodian, { _tag: "Share", request, patient: this.index, txids, delegatee, kfrag });
  }

  private retrieve(txid: Uint8Array, custodian: number): void {
    const request = ++this.counter;
    this.retrievals.set(request, { txid, custodian, attempts: 1, reply: undefined, headers: undefined, done: false });
    this.askRetrieval(request);
  }

  private askRetrieval(request: number): void {
    const r = this.retrievals.get(request);
    if (r === undefined) return;
    r.reply = undefined;
    r.headers = undefined;
    this.send(r.custodian, { _tag: "Retrieve", request, txid: r.txid });
    this.send(this.spec.home, { _tag: "HeadersRequest", request });
    this.retryLater(`retrieve|${request}`);
  }

  /** [RET-4] [TX-4] [SHARE-7] Proof against the headers, content address, then its own record opened. */
  private judge(request: number, r: Retrieval): undefined {
    if (r.reply === undefined || r.headers === undefined || r.done) return;
    const { blob, proof } = r.reply;
    if (proof === undefined) return; // not pinned yet (or not served): the retry timer asks again
    r.done = true;
    this.env.network.cancelTimer(this.id, `retrieve|${request}`);
    const refuse = (pointer: Uint8Array | undefined, reason: string): undefined => {
      this.env.observe({
        _tag: "Retrieval",
        node: this.id,
        txid: r.txid,
        pointer,
        accepted: false,
        blob: undefined,
        reason,
      });
      return undefined;
    };
    const verified = verifyRecordProof(this.env.crypto, r.headers, proof);
    if (Result.isFailure(verified)) return refuse(undefined, verified.failure._tag);
    if (!bytesEqual(transactionIdOfBytes(proof.transaction), r.txid))
      return refuse(undefined, "proof of another record");
    const pointer = verified.success.tx.record.pointer;
    if (blob === undefined) return refuse(pointer, "ciphertext withheld");
    const checkContent = this.env.config.variant !== "no-content-check";
    if (checkContent && !matchesPointer(blob, pointer)) return refuse(pointer, "content address mismatch (TX-4)");
    this.env.observe({ _tag: "Retrieval", node: this.id, txid: r.txid, pointer, accepted: true, blob, reason: "ok" });
    const key = `${this.index}|${bytesToHex(pointer)}|${bytesToHex(blob.subarray(blob.length - 32))}`;
    let ok = opened.get(key);
    if (ok === undefined) {
      ok = Result.isSuccess(openOwn(this.keys.pre, blob, pointer));
      opened.set(key, ok);
    }
    this.env.observe({ _tag: "Decrypt", node: this.id, pointer, ok, how: "own" });
  }

  receive(_from: number, message: Message): void {
    switch (message._tag) {
      case "Prepared":
        this.onPrepared(message.visit, message.tx);
        return;
      case "RetrieveReply": {
        const r = this.retrievals.get(message.request);
        if (r === undefined || r.done) return;
        r.reply = { blob: message.blob, proof: message.proof };
        this.judge(message.request, r);
        return;
      }
      case "Headers": {
        const r = this.retrievals.get(message.request);
        if (r === undefined || r.done) return;
        r.headers = message.headers;
        this.judge(message.request, r);
        return;
      }
      default:
        return;
    }
  }

  timer(name: string): void {
    const [kind, a, b] = name.split("|");
    const id = Number(a);
    const retries = this.env.config.protocol.retries;
    if (kind === "visit") {
      const v = this.visits.get(id);
      if (v === undefined || v.done || v.attempts >= retries) return;
      v.attempts += 1;
      this.sendVisit(id);
    } else if (kind === "retrieve") {
      const r = this.retrievals.get(id);
      if (r === undefined || r.done || r.attempts >= retries) return;
      r.attempts += 1;
      this.askRetrieval(id);
    } else if (kind === "share") {
      const action = this.spec.actions[id];
      if (action?.kind === "share") this.share(action.custodian, action.delegatee, id, Number(b));
    }
  }
}
