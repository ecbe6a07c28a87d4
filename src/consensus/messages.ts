/**
 * The protocol's messages and their canonical encodings (spec/consensus.md, [BFT-4]). Every message
 * begins with the object header (version 1, a type byte of MSG). PROPOSE, PREPARE and COMMIT are signed
 * statements ([BFT-4], certificate.ts); VIEW-CHANGE and NEW-VIEW are signed over their whole encoding
 * without the signature, under their own tags; REQUEST, DECISION and SYNC are unsigned (a request is
 * authenticated by the application, a decision by its certificate, a sync asks for nothing secret).
 * Decoding is total: any byte string gives a message or a `DecodeError`.
 * Source: Castro-Liskov PBFT §4 (pre-prepare, prepare, commit, view-change, new-view); Bessani et al.
 * BFT-SMaRt (the protocol RepuCoin runs); Decision: fixed-order binary encoding (spec/encoding.md).
 * @module
 */
import type { Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  ED25519_SIGNATURE_BYTES,
  encodeWith,
  HASH_BYTES,
  type Reader,
  readObjectHeader,
  type Writer,
  writeObjectHeader,
} from "../codec/index.js";
import { TAGS } from "../crypto/hash.js";
import {
  type PinCertificate,
  readCertificate,
  type Statement,
  statementMessage,
  type VoteCertificate,
  valueHash,
  writeCertificate,
} from "./certificate.js";
import { MAX_MEMBERS, MAX_REQUEST_BYTES, MAX_VALUE_BYTES, MAX_VIEW_CHANGE_BYTES, MAX_WINDOW, MSG } from "./params.js";
import { readCount16, readMember, readU53, type SignatureScheme, taggedBody, writeU53 } from "./wire.js";

/** A request submitted to the group: a keyblock or a transaction, opaque to the protocol. */
export interface RequestMessage {
  readonly _tag: "Request";
  readonly request: Uint8Array;
}

/** The leader's proposal of `value` for `instance` in `view`. */
export interface ProposeMessage {
  readonly _tag: "Propose";
  readonly group: Uint8Array;
  readonly sender: number;
  readonly view: number;
  readonly instance: number;
  readonly value: Uint8Array;
  readonly signature: Uint8Array;
}

/** A PREPARE or COMMIT vote on a value hash. */
export interface VoteMessage {
  readonly _tag: "Prepare" | "Commit";
  readonly group: Uint8Array;
  readonly sender: number;
  readonly view: number;
  readonly instance: number;
  readonly value_hash: Uint8Array;
  readonly signature: Uint8Array;
}

/** A prepared certificate with the value it certifies (the value's hash is the certificate's). */
export interface PreparedEntry {
  readonly certificate: VoteCertificate;
  readonly value: Uint8Array;
}

/** [BFT-11] "I leave my view for `view`": what I delivered (`low`, proven) and what I prepared above it. */
export interface ViewChangeMessage {
  readonly _tag: "ViewChange";
  readonly group: Uint8Array;
  readonly sender: number;
  readonly view: number;
  /** The next instance the sender has not delivered. */
  readonly low: number;
  /** The pin certificate of instance low - 1 (present exactly when low > 0). */
  readonly low_certificate: VoteCertificate | undefined;
  /** The highest-view prepared certificate of each instance in [low, low + W), instances ascending. */
  readonly prepared: readonly PreparedEntry[];
  readonly signature: Uint8Array;
}

/** [BFT-12] The new leader's start of `view`: a quorum of VIEW-CHANGEs for it, senders ascending. */
export interface NewViewMessage {
  readonly _tag: "NewView";
  readonly group: Uint8Array;
  readonly sender: number;
  readonly view: number;
  readonly view_changes: readonly ViewChangeMessage[];
  readonly signature: Uint8Array;
}

/** [BFT-13] A decided value with its pin certificate (catch-up). */
export interface DecisionMessage {
  readonly _tag: "Decision";
  readonly certificate: PinCertificate;
  readonly value: Uint8Array;
}

/** [BFT-13] "I have delivered every instance below `low`": ask for the decisions above. */
export interface SyncMessage {
  readonly _tag: "Sync";
  readonly group: Uint8Array;
  readonly low: number;
}

export type Message =
  | RequestMessage
  | ProposeMessage
  | VoteMessage
  | ViewChangeMessage
  | NewViewMessage
  | DecisionMessage
  | SyncMessage;

const writeSigned = (w: Writer, type: number, m: { group: Uint8Array; sender: number; view: number }): Writer => {
  writeObjectHeader(w, type).fixed(m.group, HASH_BYTES).u16(m.sender);
  return writeU53(w, m.view);
};

const writeViewChangeBody = (w: Writer, m: Omit<ViewChangeMessage, "signature">): Writer => {
  writeSigned(w, MSG.ViewChange, m);
  writeU53(w, m.low);
  if (m.low > 0 !== (m.low_certificate !== undefined)) throw new RangeError("low certificate iff low > 0");
  if (m.low_certificate !== undefined) writeCertificate(w, m.low_certificate);
  w.u16(m.prepared.length);
  for (const entry of m.prepared) writeCertificate(w, entry.certificate).bytes(entry.value, MAX_VALUE_BYTES);
  return w;
};

const writeNewViewBody = (w: Writer, m: Omit<NewViewMessage, "signature">): Writer => {
  writeSigned(w, MSG.NewView, m).u16(m.view_changes.length);
  for (const vc of m.view_changes) w.bytes(encodeMessage(vc), MAX_VIEW_CHANGE_BYTES);
  return w;
};

/** [BFT-4] Writes any message; the encoder accepts only what the decoder accepts back. */
export const writeMessage = (w: Writer, m: Message): Writer => {
  switch (m._tag) {
    case "Request":
      return writeObjectHeader(w, MSG.Request).bytes(m.request, MAX_REQUEST_BYTES);
    case "Propose":
      writeSigned(w, MSG.Propose, m);
      return writeU53(w, m.instance).bytes(m.value, MAX_VALUE_BYTES).fixed(m.signature, ED25519_SIGNATURE_BYTES);
    case "Prepare":
    case "Commit":
      writeSigned(w, m._tag === "Prepare" ? MSG.Prepare : MSG.Commit, m);
      return writeU53(w, m.instance).fixed(m.value_hash, HASH_BYTES).fixed(m.signature, ED25519_SIGNATURE_BYTES);
    case "ViewChange":
      return writeViewChangeBody(w, m).fixed(m.signature, ED25519_SIGNATURE_BYTES);
    case "NewView":
      return writeNewViewBody(w, m).fixed(m.signature, ED25519_SIGNATURE_BYTES);
    case "Decision":
      writeObjectHeader(w, MSG.Decision);
      return writeCertificate(w, m.certificate).bytes(m.value, MAX_VALUE_BYTES);
    case "Sync":
      writeObjectHeader(w, MSG.Sync).fixed(m.group, HASH_BYTES);
      return writeU53(w, m.low);
  }
};

export const encodeMessage = (m: Message): Uint8Array => encodeWith((w) => writeMessage(w, m));

const readPrepared = (r: Reader): PreparedEntry[] => {
  const count = readCount16(r, MAX_WINDOW, "prepared");
  const entries: PreparedEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.position;
    const certificate = readCertificate(r, ["Prepare"], "prepared certificate");
    const previous = entries[entries.length - 1];
    if (previous !== undefined && certificate.instance <= previous.certificate.instance) {
      r.fail("NotSorted", "prepared entries: instances not ascending", at);
    }
    entries.push({ certificate, value: r.bytes(MAX_VALUE_BYTES, "prepared value") });
  }
  return entries;
};

const readViewChangeAfterHeader = (r: Reader): ViewChangeMessage => {
  const group = r.fixed(HASH_BYTES, "group");
  const sender = readMember(r, "sender");
  const view = readU53(r, "view");
  const low = readU53(r, "low");
  const low_certificate = low > 0 ? readCertificate(r, ["Commit"], "low certificate") : undefined;
  const prepared = readPrepared(r);
  const signature = r.fixed(ED25519_SIGNATURE_BYTES, "signature");
  return { _tag: "ViewChange", group, sender, view, low, low_certificate, prepared, signature };
};

/** Reads a nested VIEW-CHANGE from its length-prefixed bytes; its errors keep their absolute offsets. */
const readNestedViewChange = (r: Reader): ViewChangeMessage => {
  const start = r.position + 4;
  const inner = r.bytes(MAX_VIEW_CHANGE_BYTES, "view change");
  const decoded = decodeWith(inner, (ri) => {
    readObjectHeader(ri, [MSG.ViewChange], "view change");
    return readViewChangeAfterHeader(ri);
  });
  if (decoded._tag === "Failure") {
    const error = decoded.failure;
    return r.fail(error.reason, `view change: ${error.detail}`, start + error.offset);
  }
  return decoded.success;
};

const readNewViewAfterHeader = (r: Reader): NewViewMessage => {
  const group = r.fixed(HASH_BYTES, "group");
  const sender = readMember(r, "sender");
  const view = readU53(r, "view");
  const count = readCount16(r, MAX_MEMBERS, "view changes");
  const view_changes: ViewChangeMessage[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.position;
    const vc = readNestedViewChange(r);
    const previous = view_changes[view_changes.length - 1];
    if (previous !== undefined && vc.sender <= previous.sender) r.fail("NotSorted", "view changes: senders", at);
    view_changes.push(vc);
  }
  const signature = r.fixed(ED25519_SIGNATURE_BYTES, "signature");
  return { _tag: "NewView", group, sender, view, view_changes, signature };
};

const readVote = (r: Reader, _tag: "Prepare" | "Commit"): VoteMessage => ({
  _tag,
  group: r.fixed(HASH_BYTES, "group"),
  sender: readMember(r, "sender"),
  view: readU53(r, "view"),
  instance: readU53(r, "instance"),
  value_hash: r.fixed(HASH_BYTES, "value hash"),
  signature: r.fixed(ED25519_SIGNATURE_BYTES, "signature"),
});

const readPropose = (r: Reader): ProposeMessage => ({
  _tag: "Propose",
  group: r.fixed(HASH_BYTES, "group"),
  sender: readMember(r, "sender"),
  view: readU53(r, "view"),
  instance: readU53(r, "instance"),
  value: r.bytes(MAX_VALUE_BYTES, "value"),
  signature: r.fixed(ED25519_SIGNATURE_BYTES, "signature"),
});

const MESSAGE_TYPES = [
  MSG.Request,
  MSG.Propose,
  MSG.Prepare,
  MSG.Commit,
  MSG.ViewChange,
  MSG.NewView,
  MSG.Decision,
  MSG.Sync,
] as const;

/** [BFT-4] Reads one message of any type. */
export const readMessage = (r: Reader): Message => {
  const type = readObjectHeader(r, MESSAGE_TYPES, "message");
  switch (type) {
    case MSG.Request:
      return { _tag: "Request", request: r.bytes(MAX_REQUEST_BYTES, "request") };
    case MSG.Propose:
      return readPropose(r);
    case MSG.Prepare:
      return readVote(r, "Prepare");
    case MSG.Commit:
      return readVote(r, "Commit");
    case MSG.ViewChange:
      return readViewChangeAfterHeader(r);
    case MSG.NewView:
      return readNewViewAfterHeader(r);
    case MSG.Decision:
      return {
        _tag: "Decision",
        certificate: readCertificate(r, ["Commit"], "certificate") as PinCertificate,
        value: r.bytes(MAX_VALUE_BYTES, "value"),
      };
    case MSG.Sync:
      return { _tag: "Sync", group: r.fixed(HASH_BYTES, "group"), low: readU53(r, "low") };
  }
};

/** [BFT-4] Decodes one message; every malformed input is a `DecodeError`, never a throw. */
export const decodeMessage = (bytes: Uint8Array): Result.Result<Message, DecodeError> => decodeWith(bytes, readMessage);

/** [BFT-4] The statement a PROPOSE, PREPARE or COMMIT signs. */
export const statementOf = (m: ProposeMessage | VoteMessage): Statement => ({
  kind: m._tag,
  group: m.group,
  sender: m.sender,
  view: m.view,
  instance: m.instance,
  value_hash: m._tag === "Propose" ? valueHash(m.value) : m.value_hash,
});

/** [BFT-4] The exact bytes under a signed message's signature (tag prefix included). */
export const signedBytes = (m: ProposeMessage | VoteMessage | ViewChangeMessage | NewViewMessage): Uint8Array => {
  switch (m._tag) {
    case "Propose":
    case "Prepare":
    case "Commit":
      return statementMessage(statementOf(m));
    case "ViewChange":
      return taggedBody(
        TAGS.BFT_VIEW_CHANGE,
        encodeWith((w) => writeViewChangeBody(w, m)),
      );
    case "NewView":
      return taggedBody(
        TAGS.BFT_NEW_VIEW,
        encodeWith((w) => writeNewViewBody(w, m)),
      );
  }
};

type Unsigned<M> = M extends unknown ? Omit<M, "signature"> : never;

/** Signs a message with the member's secret key (the embedding's key, never from the wire). */
export const signMessage = <M extends ProposeMessage | VoteMessage | ViewChangeMessage | NewViewMessage>(
  crypto: SignatureScheme,
  secretKey: Uint8Array,
  unsigned: Unsigned<M>,
): M => {
  const placeholder = { ...unsigned, signature: new Uint8Array(ED25519_SIGNATURE_BYTES) } as unknown as M;
  return { ...placeholder, signature: crypto.sign(secretKey, signedBytes(placeholder)) };
};
