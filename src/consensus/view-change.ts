/**
 * View change (spec/consensus.md, [BFT-11] VIEW-CHANGE content and validity, [BFT-12] NEW-VIEW validity
 * and the re-proposal rule). A VIEW-CHANGE proves what its sender delivered (the pin certificate of
 * low - 1) and reports its highest prepared certificate per undelivered instance of its window. A
 * NEW-VIEW carries a quorum of them; from it every member computes the same plan: `base` (the highest
 * proven low) and, for each instance from base up to the highest reported prepared instance, the value
 * of the highest-view prepared certificate, or the empty no-op value where none was reported. The new
 * leader has no choice over these instances, which is what keeps a decided value decided.
 * Source: Castro-Liskov PBFT §4.4 (view changes: the O set from the highest prepared certificates,
 * null requests for gaps); RepuCoin §4.2 (weighted quorums).
 * @module
 */
import { Result } from "effect";
import { bytesEqual, compareBytes } from "../crypto/bytes.js";
import { safeVerify, valueHash, verifyCertificate } from "./certificate.js";
import type { MemberContext } from "./context.js";
import { leaderOf } from "./group.js";
import { type NewViewMessage, signedBytes, type ViewChangeMessage } from "./messages.js";

/** [BFT-12] What a NEW-VIEW fixes: instances below `base` are decided; base..last are re-proposed. */
export interface NewViewPlan {
  readonly base: number;
  /** The highest re-proposed instance (base - 1 when none). */
  readonly last: number;
  /** The value of every instance in [base, last]; the empty value is the no-op. */
  readonly values: ReadonlyMap<number, Uint8Array>;
}

/** [BFT-12] The re-proposal rule: injected so that negative controls can break it. */
export type ReproposalRule = (view_changes: readonly ViewChangeMessage[]) => NewViewPlan;

export type ViewChangeFailure =
  | "WrongGroup"
  | "UnknownSender"
  | "BadSignature"
  | "BadLowCertificate"
  | "PreparedOutsideWindow"
  | "PreparedNotEarlier"
  | "BadPreparedCertificate"
  | "PreparedValueMismatch";

/**
 * [BFT-11] A VIEW-CHANGE is valid when it names the group and a member, its signature verifies, its
 * low certificate is a valid pin certificate of instance low - 1, and every prepared entry is a valid
 * prepared certificate of an earlier view, for an instance in [low, low + W), of the value it carries.
 */
export const checkViewChange = (
  ctx: MemberContext,
  vc: ViewChangeMessage,
): Result.Result<ViewChangeMessage, ViewChangeFailure> => {
  const { group, crypto, rules } = ctx;
  if (!bytesEqual(vc.group, group.id)) return Result.fail("WrongGroup");
  const key = group.snapshot.members[vc.sender]?.key;
  if (key === undefined) return Result.fail("UnknownSender");
  if (!safeVerify(crypto, key, signedBytes(vc), vc.signature)) return Result.fail("BadSignature");
  if (vc.low_certificate !== undefined) {
    const cert = vc.low_certificate;
    const ok =
      cert.instance === vc.low - 1 && Result.isSuccess(verifyCertificate(group, crypto, cert, "Commit", rules.quorum));
    if (!ok) return Result.fail("BadLowCertificate");
  }
  for (const entry of vc.prepared) {
    const cert = entry.certificate;
    if (cert.instance < vc.low || cert.instance >= vc.low + ctx.params.window)
      return Result.fail("PreparedOutsideWindow");
    if (cert.view >= vc.view) return Result.fail("PreparedNotEarlier");
    if (Result.isFailure(verifyCertificate(group, crypto, cert, "Prepare", rules.quorum))) {
      return Result.fail("BadPreparedCertificate");
    }
    if (!bytesEqual(valueHash(entry.value), cert.value_hash)) return Result.fail("PreparedValueMismatch");
  }
  return Result.succeed(vc);
};

/**
 * [BFT-12] The re-proposal rule: base = the highest low; for each instance >= base the value of the
 * highest-view prepared certificate reported (equal views: the smallest value hash, so the choice is
 * deterministic even when the fault assumption is broken); gaps up to the highest such instance get
 * the empty no-op value.
 */
export const reproposeHighestPrepared: ReproposalRule = (view_changes) => {
  let base = 0;
  for (const vc of view_changes) base = Math.max(base, vc.low);
  const best = new Map<number, { view: number; hash: Uint8Array; value: Uint8Array }>();
  for (const vc of view_changes) {
    for (const { certificate, value } of vc.prepared) {
      if (certificate.instance < base) continue;
      const current = best.get(certificate.instance);
      const better =
        current === undefined ||
        certificate.view > current.view ||
        (certificate.view === current.view && compareBytes(certificate.value_hash, current.hash) < 0);
      if (better) best.set(certificate.instance, { view: certificate.view, hash: certificate.value_hash, value });
    }
  }
  let last = base - 1;
  for (const instance of best.keys()) last = Math.max(last, instance);
  const values = new Map<number, Uint8Array>();
  for (let instance = base; instance <= last; instance++) {
    values.set(instance, best.get(instance)?.value ?? new Uint8Array());
  }
  return { base, last, values };
};

export type NewViewFailure = "WrongGroup" | "NotLeader" | "BadSignature" | "WrongView" | "BadViewChange" | "NoQuorum";

/**
 * [BFT-12] A NEW-VIEW is valid when it names the group, its sender is the leader of its view, its
 * signature verifies, every VIEW-CHANGE in it is for that view and valid, and their senders form a
 * quorum. `known(vc)` says a VIEW-CHANGE was already checked (the member stored it), to skip re-checking.
 */
export const checkNewView = (
  ctx: MemberContext,
  nv: NewViewMessage,
  known: (vc: ViewChangeMessage) => boolean,
): Result.Result<NewViewPlan, NewViewFailure> => {
  const { group, crypto, rules } = ctx;
  if (!bytesEqual(nv.group, group.id)) return Result.fail("WrongGroup");
  if (nv.sender !== leaderOf(group, nv.view)) return Result.fail("NotLeader");
  const key = group.snapshot.members[nv.sender]?.key ?? new Uint8Array();
  if (!safeVerify(crypto, key, signedBytes(nv), nv.signature)) return Result.fail("BadSignature");
  for (const vc of nv.view_changes) {
    if (vc.view !== nv.view) return Result.fail("WrongView");
    if (!known(vc) && Result.isFailure(checkViewChange(ctx, vc))) return Result.fail("BadViewChange");
  }
  if (
    !rules.quorum(
      group,
      nv.view_changes.map((vc) => vc.sender),
    )
  )
    return Result.fail("NoQuorum");
  return Result.succeed(rules.reproposals(nv.view_changes));
};
