/**
 * Signed statements and quorum certificates (spec/consensus.md, [BFT-4] statements, [BFT-5]
 * certificates). A statement is what a member signs when it proposes, prepares or commits a value:
 * (type, group, sender, view, instance, value hash) under the SPCHAIN-V1-VOTE tag. A certificate is a
 * quorum of statements of one kind on one (group, view, instance, value hash): a prepared certificate
 * (PREPARE) or a pin certificate (COMMIT). Anyone holding the group snapshot verifies a pin certificate.
 * Source: RepuCoin §4.2 (the pin is the signed BFT decision; weighted quorum); SPChain §5.1 (pins need
 * 2/3 of the signatures and of the reputation); Castro-Liskov PBFT §4.2 (prepared and committed certificates).
 * @module
 */
import { Data, Result } from "effect";
import {
  type DecodeError,
  decodeWith,
  ED25519_SIGNATURE_BYTES,
  encodeWith,
  HASH_BYTES,
  OBJECT_VERSION,
  type Reader,
  readObjectHeader,
  type Writer,
  writeObjectHeader,
} from "../codec/index.js";
import { bytesEqual } from "../crypto/bytes.js";
import { TAGS, taggedHash, tagPrefix } from "../crypto/hash.js";
import { type ConsensusGroup, type QuorumPredicate, strongQuorum } from "./group.js";
import { MAX_MEMBERS, MSG } from "./params.js";
import { readCount16, readMember, readU53, type SignatureScheme, writeU53 } from "./wire.js";

export type StatementKind = "Propose" | "Prepare" | "Commit";
export type CertificateKind = "Prepare" | "Commit";

const STATEMENT_TYPE: Record<StatementKind, number> = {
  Propose: MSG.Propose,
  Prepare: MSG.Prepare,
  Commit: MSG.Commit,
};

/** [BFT-4] The content of a signed statement. */
export interface Statement {
  readonly kind: StatementKind;
  readonly group: Uint8Array;
  readonly sender: number;
  readonly view: number;
  readonly instance: number;
  readonly value_hash: Uint8Array;
}

/** [BFT-4] The hash of a value: H_BFT_VALUE(value). Votes and certificates carry it instead of the value. */
export const valueHash = (value: Uint8Array): Uint8Array => taggedHash(TAGS.BFT_VALUE, value);

/** [BFT-4] The body of a statement: version ‖ type ‖ group ‖ u16 sender ‖ u64 view ‖ u64 instance ‖ value hash. */
export const writeStatementBody = (w: Writer, s: Statement): Writer => {
  writeObjectHeader(w, STATEMENT_TYPE[s.kind]).fixed(s.group, HASH_BYTES).u16(s.sender);
  writeU53(w, s.view);
  return writeU53(w, s.instance).fixed(s.value_hash, HASH_BYTES);
};

/** The statement body's length in bytes (fixed). */
export const STATEMENT_BODY_BYTES = 2 + HASH_BYTES + 2 + 8 + 8 + HASH_BYTES;

const VOTE_PREFIX = tagPrefix(TAGS.VOTE);

/**
 * [BFT-4] The bytes a member signs: the VOTE tag prefix and the statement body. Written in place rather
 * than through a growing `Writer` because every vote is signed or verified through it (the hot path);
 * properties check it against `writeStatementBody`.
 */
export const statementMessage = (s: Statement): Uint8Array => {
  if (s.group.length !== HASH_BYTES || s.value_hash.length !== HASH_BYTES)
    throw new RangeError("statement: 32-byte hashes");
  if (!Number.isInteger(s.sender) || s.sender < 0 || s.sender > 0xffff)
    throw new RangeError(`statement: sender ${s.sender}`);
  for (const n of [s.view, s.instance]) if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`statement: ${n}`);
  const out = new Uint8Array(VOTE_PREFIX.length + STATEMENT_BODY_BYTES);
  const view = new DataView(out.buffer);
  let at = VOTE_PREFIX.length;
  out.set(VOTE_PREFIX, 0);
  out[at++] = OBJECT_VERSION;
  out[at++] = STATEMENT_TYPE[s.kind];
  out.set(s.group, at);
  at += HASH_BYTES;
  view.setUint16(at, s.sender);
  view.setBigUint64(at + 2, BigInt(s.view));
  view.setBigUint64(at + 10, BigInt(s.instance));
  out.set(s.value_hash, at + 18);
  return out;
};

/**
 * [BFT-14] The signed bytes of two statements claim the same slot when they agree on everything before
 * the value hash: tag prefix (4 + 15), header (2), group (32), sender (2), view (8), instance (8).
 */
export const STATEMENT_SLOT_BYTES = 4 + TAGS.VOTE.length + 2 + HASH_BYTES + 2 + 8 + 8;

export const signStatement = (crypto: SignatureScheme, secretKey: Uint8Array, s: Statement): Uint8Array =>
  crypto.sign(secretKey, statementMessage(s));

/** Verification never throws: a throwing scheme counts as a failed check. */
export const safeVerify = (
  crypto: SignatureScheme,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean => {
  try {
    return crypto.verify(publicKey, message, signature);
  } catch {
    return false;
  }
};

export interface CertificateVote {
  readonly signer: number;
  readonly signature: Uint8Array;
}

/** [BFT-5] A quorum of same-kind statements on one (group, view, instance, value hash). */
export interface VoteCertificate {
  readonly kind: CertificateKind;
  readonly group: Uint8Array;
  readonly view: number;
  readonly instance: number;
  readonly value_hash: Uint8Array;
  /** Strictly ascending signers. */
  readonly votes: readonly CertificateVote[];
}

/** A pin certificate: a certificate of COMMIT statements, the proof that an instance decided a value. */
export type PinCertificate = VoteCertificate & { readonly kind: "Commit" };

const CERT_TYPE: Record<CertificateKind, number> = { Prepare: MSG.PreparedCertificate, Commit: MSG.PinCertificate };

/**
 * [BFT-5] version ‖ type (prepared 0x48 / pin 0x49) ‖ group ‖ u64 view ‖ u64 instance ‖ value hash ‖
 * u16 count ‖ (u16 signer ‖ signature)* with signers strictly ascending.
 */
export const writeCertificate = (w: Writer, cert: VoteCertificate): Writer => {
  writeObjectHeader(w, CERT_TYPE[cert.kind]).fixed(cert.group, HASH_BYTES);
  writeU53(w, cert.view);
  writeU53(w, cert.instance).fixed(cert.value_hash, HASH_BYTES).u16(cert.votes.length);
  let previous = -1;
  for (const vote of cert.votes) {
    if (vote.signer <= previous) throw new RangeError("certificate signers must be strictly ascending");
    previous = vote.signer;
    w.u16(vote.signer).fixed(vote.signature, ED25519_SIGNATURE_BYTES);
  }
  return w;
};

/** [BFT-5] Reads a certificate of one of the `kinds`; unsorted or repeated signers are `NotSorted`. */
export const readCertificate = (r: Reader, kinds: readonly CertificateKind[], title: string): VoteCertificate => {
  const types = kinds.map((kind) => CERT_TYPE[kind]);
  const type = readObjectHeader(r, types, title);
  const kind: CertificateKind = type === MSG.PinCertificate ? "Commit" : "Prepare";
  const group = r.fixed(HASH_BYTES, `${title} group`);
  const view = readU53(r, `${title} view`);
  const instance = readU53(r, `${title} instance`);
  const value_hash = r.fixed(HASH_BYTES, `${title} value hash`);
  const count = readCount16(r, MAX_MEMBERS, `${title} votes`);
  const votes: CertificateVote[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.position;
    const signer = readMember(r, `${title} signer`);
    const previous = votes[votes.length - 1];
    if (previous !== undefined && signer <= previous.signer) r.fail("NotSorted", `${title}: signers not ascending`, at);
    votes.push({ signer, signature: r.fixed(ED25519_SIGNATURE_BYTES, `${title} signature`) });
  }
  return { kind, group, view, instance, value_hash, votes };
};

export const encodeCertificate = (cert: VoteCertificate): Uint8Array => encodeWith((w) => writeCertificate(w, cert));

/** [BFT-5] Decodes a standalone pin certificate. */
export const decodePinCertificate = (bytes: Uint8Array): Result.Result<PinCertificate, DecodeError> =>
  decodeWith(bytes, (r) => readCertificate(r, ["Commit"], "pin certificate") as PinCertificate);

/** Why a well-formed certificate does not prove what it claims; checked in this order. */
export const CERTIFICATE_FAILURES = [
  "WrongGroup",
  "WrongKind",
  "SignerUnknown",
  "SignersNotSorted",
  "NoQuorum",
  "BadSignature",
] as const;
export type CertificateFailure = (typeof CERTIFICATE_FAILURES)[number];

export class CertificateInvalid extends Data.TaggedError("CertificateInvalid")<{
  readonly reason: CertificateFailure;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

const invalid = (reason: CertificateFailure, detail: string) => Result.fail(new CertificateInvalid({ reason, detail }));

/**
 * [BFT-5] A certificate is valid for `group` when: its group is the group's identifier; its kind is
 * `kind`; its signers are members (< n) in strictly ascending order; they form a quorum; and every
 * signature verifies over the signer's statement. The cheap checks run first, so the first failure
 * names the reason. `quorum` is the strong quorum except in negative controls.
 */
export const verifyCertificate = (
  group: ConsensusGroup,
  crypto: SignatureScheme,
  cert: VoteCertificate,
  kind: CertificateKind,
  quorum: QuorumPredicate = strongQuorum,
): Result.Result<VoteCertificate, CertificateInvalid> => {
  if (!bytesEqual(cert.group, group.id)) return invalid("WrongGroup", "the certificate names another group");
  if (cert.kind !== kind) return invalid("WrongKind", `a ${cert.kind} certificate where ${kind} is needed`);
  const signers: number[] = [];
  for (const vote of cert.votes) {
    if (vote.signer >= group.size) return invalid("SignerUnknown", `signer ${vote.signer} of a group of ${group.size}`);
    const previous = signers[signers.length - 1];
    if (previous !== undefined && vote.signer <= previous) return invalid("SignersNotSorted", "signers not ascending");
    signers.push(vote.signer);
  }
  if (!quorum(group, signers)) return invalid("NoQuorum", `signers [${signers.join(", ")}] are not a quorum`);
  for (const vote of cert.votes) {
    const statement: Statement = { ...cert, kind, sender: vote.signer };
    const key = group.snapshot.members[vote.signer]?.key ?? new Uint8Array();
    if (!safeVerify(crypto, key, statementMessage(statement), vote.signature)) {
      return invalid("BadSignature", `signer ${vote.signer}`);
    }
  }
  return Result.succeed(cert);
};

/** [BFT-5] Verifies a pin certificate with the strong quorum: the check a ledger makes before it accepts a pin. */
export const verifyPinCertificate = (
  group: ConsensusGroup,
  crypto: SignatureScheme,
  cert: VoteCertificate,
): Result.Result<VoteCertificate, CertificateInvalid> => verifyCertificate(group, crypto, cert, "Commit");
