/**
 * An institution's side of the paper's patient flows (spec/model.md, [MOD-4]; SPChain §5.2 Register,
 * Upload's three cases, Label, Share, Retrieval): it prepares the transactions its patients sign, keeps
 * the sealed EMRs it writes (custodian, spec/sharing.md) and submits the signed records; it serves stored
 * records with their inclusion proofs, pinned headers, and one re-encryption per key epoch for the
 * delegatees patients name (SHARE-5); as a delegatee it unwraps each shared epoch's data key once, opens
 * the records with it and checks each against the chain. Its behaviour decides what
 * it serves (tampering, withholding) and whether it tries to decrypt what it was not given (curious).
 * @module
 */
import { HashMap, Option, Result } from "effect";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { publicKeyOf } from "../src/crypto/umbral/keys.js";
import { openOwn } from "../src/ehealth/custodian.js";
import { unwrapShared } from "../src/ehealth/key-epoch.js";
import { recordData } from "../src/ehealth/records.js";
import { matchesPointer, openRecord, parseStored } from "../src/ehealth/sealed-record.js";
import { recordAt } from "../src/ledger/patient-block.js";
import { pinnedHeaders, proveRecord } from "../src/ledger/proof.js";
import { history } from "../src/ledger/retrieval.js";
import { lookupTx } from "../src/ledger/state.js";
import { signingBody, type Transaction, transactionId, verifyTransaction } from "../src/ledger/transaction.js";
import type { InstitutionNode } from "./institution.js";
import type { KitRecord } from "./kit.js";
import type { Message, Prepared, SharedRecord } from "./messages.js";

type Visit = Extract<Message, { _tag: "Visit" }>;

/** What a custodian keeps per institution node: prepared visits, its records, and its stored ciphertexts. */
export interface CustodianState {
  readonly visits: Map<string, Prepared>;
  readonly counters: Map<number, number>;
  readonly store: Map<string, KitRecord>;
}

const states = new WeakMap<InstitutionNode, CustodianState>();

export const custodianOf = (node: InstitutionNode): CustodianState => {
  let state = states.get(node);
  if (state === undefined) {
    state = { visits: new Map(), counters: new Map(), store: new Map() };
    states.set(node, state);
  }
  return state;
};

const decrypted = new Map<string, boolean>();

/** Decryption results are pure functions of (who, what): computed once per process. */
const once = (key: string, compute: () => boolean): boolean => {
  const known = decrypted.get(key);
  if (known !== undefined) return known;
  const value = compute();
  decrypted.set(key, value);
  return value;
};

/** [MOD-7] A curious institution tries its own PRE key on a ciphertext it was never given. */
const tryCurious = (node: InstitutionNode, record: KitRecord): void => {
  if (!node.behaviour.curious) return;
  const pointer = record.ch.pointer;
  const ok = once(`own|${node.id}|${bytesToHex(pointer)}`, () =>
    Result.isSuccess(openOwn(node.account.pre.secretKey, record.blob, pointer)),
  );
  node.env.observe({ _tag: "Decrypt", node: node.id, pointer, ok, how: "curious" });
  node.env.observe({
    _tag: "Attack",
    node: node.id,
    attack: "decrypt a stored record without a delegation",
    outcome: ok
      ? "DECRYPTED"
      : "refused by Umbral: the epoch's capsule opens only for the patient's key (PRE-10, SHARE-1)",
  });
};

/** Keeps a ciphertext it wrote, and records the truth about it. */
export const keep = (node: InstitutionNode, record: KitRecord): void => {
  const store = custodianOf(node).store;
  const key = bytesToHex(record.ch.pointer);
  if (store.has(key)) return;
  store.set(key, record);
  const encryptedTo = node.env.config.variant === "encrypt-to-custodian" ? "custodian" : "patient";
  node.env.truth.blobs.set(key, { patient: record.patient, custodian: node.id, blob: record.blob, encryptedTo });
  // the randomness is this institution's: HCol with its trapdoor (k > 0) or its first Hash (k = 0), MOD-8
  node.env.truth.collisions.set(bytesToHex(record.ch.r), node.id);
  tryCurious(node, record);
};

const patientNumber = (node: InstitutionNode, key: Uint8Array): number | undefined =>
  Option.getOrUndefined(HashMap.get(node.ledger.patientKeys, bytesToHex(key)));

const nextRecord = (node: InstitutionNode, patient: number): KitRecord => {
  const counters = custodianOf(node).counters;
  const k = counters.get(patient) ?? 0;
  counters.set(patient, k + 1);
  const record = node.env.kit.record(patient, node.id, k);
  keep(node, record);
  return record;
};

const common = (node: InstitutionNode, kind: "register" | "medical" | "label") => ({
  institution: node.id,
  round: node.epoch,
  fee: node.ledger.config.min_fee[kind],
});

/** Upload and Label steps 4-8: the unsigned transaction for the patient to sign, or why not yet. */
const prepare = (node: InstitutionNode, visit: Visit): Prepared | string => {
  const patient = node.env.kit.patients[visit.patient];
  if (patient === undefined || !bytesEqual(patient.signing.publicKey, visit.patientKey)) return "unknown patient";
  if (visit.kind === "register") {
    return { _tag: "register", patientKey: visit.patientKey, identity: patient.identity, ...common(node, "register") };
  }
  const number = patientNumber(node, visit.patientKey);
  const slot = number === undefined ? undefined : node.ledger.patients.get(number);
  if (number === undefined || slot?.header === undefined) return "the patient's block is not created yet";
  if (visit.kind === "consult") {
    const record = nextRecord(node, visit.patient);
    const hasLeaf = slot.leaves.some((leaf) => leaf.institution === node.id);
    return { _tag: "medical", patient: number, record: recordData(record.ch, hasLeaf), ...common(node, "medical") };
  }
  const items = Result.getOrElse(history(node.ledger, number), () => []);
  const target = items.filter((item) => item.institution === node.id && !item.labelled).at(-1);
  if (target === undefined) return "no record of ours to correct yet";
  const record = nextRecord(node, visit.patient);
  return {
    _tag: "label",
    patient: number,
    target: target.id,
    record: recordData(record.ch, true),
    ...common(node, "label"),
  };
};

const onVisit = (node: InstitutionNode, from: number, visit: Visit): void => {
  const visits = custodianOf(node).visits;
  const key = `${visit.patient}/${visit.visit}`;
  let prepared = visits.get(key);
  if (prepared === undefined) {
    const made = prepare(node, visit);
    if (typeof made === "string") {
      node.send(from, { _tag: "NotReady", visit: visit.visit, reason: made });
      return;
    }
    prepared = made;
    visits.set(key, prepared);
  }
  node.send(from, { _tag: "Prepared", visit: visit.visit, tx: prepared });
};

/** The patient's signed transaction is the one prepared, with a valid signature. */
const signedAsPrepared = (node: InstitutionNode, prepared: Prepared, tx: Transaction): boolean => {
  if (!bytesEqual(signingBody(prepared), signingBody(tx))) return false;
  if (tx._tag === "register") return verifyTransaction(node.env.crypto, tx.patientKey, tx);
  const key = node.ledger.patients.get(tx.patient)?.patientKey;
  return key !== undefined && verifyTransaction(node.env.crypto, key, tx);
};

const onSigned = (node: InstitutionNode, patient: number, visit: number, tx: Transaction): void => {
  const prepared = custodianOf(node).visits.get(`${patient}/${visit}`);
  if (prepared === undefined || !signedAsPrepared(node, prepared, tx)) return;
  if (tx._tag === "register") {
    const id = bytesToHex(transactionId(tx));
    if (!node.mempool.has(id)) {
      node.mempool.set(id, tx);
      node.toInstitutions({ _tag: "Register", tx });
    }
    return;
  }
  const id = bytesToHex(transactionId(tx));
  if (!node.outstanding.has(id)) node.outstanding.set(id, { tx, submitted: -1 });
  node.resubmit();
};

const storedFor = (node: InstitutionNode, txid: Uint8Array): KitRecord | undefined => {
  const location = lookupTx(node.ledger, txid);
  if (location === undefined || location.kind === "register") return undefined;
  const slot = node.ledger.patients.get(location.number);
  const record = slot === undefined ? undefined : recordAt(slot, location.leaf, location.sequence);
  return record === undefined ? undefined : custodianOf(node).store.get(bytesToHex(record.tx.record.pointer));
};

/** [MOD-7] What the custodian serves: its behaviour's answer (an honest one serves the bytes it keeps). */
const serve = (node: InstitutionNode, record: KitRecord): Uint8Array | undefined => {
  const served = node.behaviour.serve(record.blob, node.hook());
  if (served === undefined || !bytesEqual(served, record.blob)) {
    node.env.truth.tampered.add(bytesToHex(record.ch.pointer));
    node.env.observe({
      _tag: "Attack",
      node: node.id,
      attack: served === undefined ? "withhold a stored ciphertext" : "alter a stored ciphertext",
      outcome: "served to a retriever",
    });
  }
  return served;
};

const onRetrieve = (node: InstitutionNode, from: number, request: number, txid: Uint8Array): void => {
  const proof = proveRecord(node.env.crypto, node.ledger, txid);
  const record = storedFor(node, txid);
  node.send(from, {
    _tag: "RetrieveReply",
    request,
    txid,
    blob: record === undefined ? undefined : serve(node, record),
    proof: Result.isSuccess(proof) ? proof.success : undefined,
  });
};

const onShare = (node: InstitutionNode, m: Extract<Message, { _tag: "Share" }>): void => {
  const records: SharedRecord[] = [];
  for (const txid of m.txids) {
    const record = storedFor(node, txid);
    if (record === undefined || record.patient !== m.patient) continue;
    const blob = serve(node, record);
    if (blob === undefined) continue;
    records.push({ txid, pointer: record.ch.pointer, blob, cfrag: node.env.kit.cfrag(record, m.delegatee) });
  }
  const patient = node.env.kit.patients[m.patient];
  if (records.length === 0 || patient === undefined) return;
  node.send(m.delegatee, {
    _tag: "Shared",
    patient: m.patient,
    patientPre: patient.prePublic,
    patientSigner: publicKeyOf(patient.signer),
    records,
  });
};

/** [SHARE-5] Data keys a delegatee unwrapped, per (delegatee, patient, epoch header): one Dec2 per epoch. */
const dataKeys = new Map<string, Uint8Array | undefined>();

/** Share step 10 at the delegatee: the epoch's data key (cfrag verified, Dec2), then the record against the chain. */
const onShared = (node: InstitutionNode, m: Extract<Message, { _tag: "Shared" }>): void => {
  const receiving = publicKeyOf(node.account.pre.secretKey);
  const keys = { verifying: m.patientSigner, delegating: m.patientPre, receiving };
  const dataKeyOf = (blob: Uint8Array, r: SharedRecord): Uint8Array | undefined => {
    const stored = parseStored(blob);
    if (Result.isFailure(stored)) return undefined;
    const id = `${node.id}|${m.patient}|${bytesToHex(stored.success.headerBytes)}`;
    if (!dataKeys.has(id)) {
      const unwrapped = unwrapShared(node.account.pre.secretKey, keys, stored.success.header, r.cfrag.cfrag);
      dataKeys.set(id, Result.isSuccess(unwrapped) ? unwrapped.success : undefined);
    }
    return dataKeys.get(id);
  };
  for (const r of m.records) {
    const pinned = storedPointer(node, r.txid);
    const addressed = matchesPointer(r.blob, r.pointer) && pinned !== undefined && bytesEqual(pinned, r.pointer);
    const ok =
      addressed &&
      once(`shared|${node.id}|${bytesToHex(r.pointer)}`, () => {
        const dataKey = dataKeyOf(r.blob, r);
        return dataKey !== undefined && Result.isSuccess(openRecord(dataKey, r.blob, r.pointer));
      });
    node.env.observe({ _tag: "Decrypt", node: node.id, pointer: r.pointer, ok, how: "delegated" });
    node.env.observe({
      _tag: "Retrieval",
      node: node.id,
      txid: r.txid,
      pointer: r.pointer,
      accepted: ok,
      blob: ok ? r.blob : undefined,
      reason: ok ? "ok" : addressed ? "re-encryption does not open" : "content address or chain mismatch",
    });
  }
};

/** The pointer of a pinned record, from this node's chain. */
const storedPointer = (node: InstitutionNode, txid: Uint8Array): Uint8Array | undefined => {
  const location = lookupTx(node.ledger, txid);
  if (location === undefined || location.kind === "register") return undefined;
  const slot = node.ledger.patients.get(location.number);
  return slot === undefined ? undefined : recordAt(slot, location.leaf, location.sequence)?.tx.record.pointer;
};

/** Patient-facing messages at an institution. */
export const handleCustodian = (node: InstitutionNode, from: number, message: Message): void => {
  switch (message._tag) {
    case "Visit":
      onVisit(node, from, message);
      return;
    case "Signed": {
      onSigned(node, from - node.env.patientBase, message.visit, message.tx);
      return;
    }
    case "Retrieve":
      onRetrieve(node, from, message.request, message.txid);
      return;
    case "HeadersRequest":
      node.send(from, { _tag: "Headers", request: message.request, headers: pinnedHeaders(node.ledger) });
      return;
    case "Share":
      onShare(node, message);
      return;
    case "Shared":
      onShared(node, message);
      return;
    default:
      return;
  }
};
