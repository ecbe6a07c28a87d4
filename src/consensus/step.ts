/**
 * The member state machine: step(ctx, state, input) -> { state, outputs } (spec/consensus.md,
 * [BFT-6] requests, [BFT-7] proposals, [BFT-8] prepare and commit, [BFT-9] decisions, [BFT-10] timers,
 * [BFT-11] view change, [BFT-12] new view, [BFT-13] catch-up, [BFT-14] evidence, [BFT-15] robustness,
 * [BFT-18] anti-censorship). No network, clock, storage or randomness: the embedding delivers inputs
 * and carries out outputs. `step` never throws on any input: what it cannot use it ignores.
 * Source: Castro-Liskov PBFT §4 (normal case, view changes, request timers); RepuCoin §4.2 (weighted
 * quorums, adopting a leader with f+1 members holding > 1/3); SPChain §5.1 and Algorithm 2.
 * @module
 */

import { Result } from "effect";
import { match } from "ts-pattern";
import { bytesEqual, bytesToHex } from "../crypto/bytes.js";
import { TAGS, taggedHash } from "../crypto/hash.js";
import {
  type PinCertificate,
  type Statement,
  safeVerify,
  statementMessage,
  type VoteCertificate,
  valueHash,
  verifyCertificate,
} from "./certificate.js";
import type { MemberContext } from "./context.js";
import { makeEvidence, signedStatement } from "./evidence.js";
import { leaderOf } from "./group.js";
import {
  decodeMessage,
  encodeMessage,
  type Message,
  type NewViewMessage,
  type ProposeMessage,
  signedBytes,
  signMessage,
  statementOf,
  type ViewChangeMessage,
  type VoteMessage,
} from "./messages.js";
import { MAX_REQUEST_BYTES, MAX_VALUE_BYTES, timeoutMs } from "./params.js";
import {
  type Decided,
  type Input,
  type MemberState,
  type Output,
  type PendingRequest,
  type SlotState,
  type StepResult,
  type StoredViewChange,
  type SyncAsk,
  TIMER,
  type VoteRecord,
} from "./state.js";
import { checkNewView, checkViewChange, type NewViewPlan } from "./view-change.js";

type Draft = { -readonly [K in keyof MemberState]: MemberState[K] };

const EMPTY_VOTES: ReadonlyMap<number, VoteRecord> = new Map();

/** The value of `hash` if this member holds it: the slot's proposal or its prepared value. */
const knownValue = (slot: SlotState, hash: Uint8Array): Uint8Array | undefined => {
  if (slot.proposal !== undefined && bytesEqual(slot.proposal.hash, hash)) return slot.proposal.value;
  if (slot.prepared !== undefined && bytesEqual(slot.prepared.certificate.value_hash, hash)) return slot.prepared.value;
  return undefined;
};

const attempt = <T>(f: () => T, fallback: T): T => {
  try {
    return f();
  } catch {
    return fallback;
  }
};

/** The work of one step: a draft of the next state (collections copied on first write) and the outputs. */
class Run {
  readonly out: Output[] = [];
  readonly s: Draft;
  private readonly copied = new Set<keyof MemberState>();
  private delivered = false;

  constructor(
    private readonly ctx: MemberContext,
    state: MemberState,
  ) {
    this.s = { ...state };
  }

  // ---- copy-on-write collections ----

  private own<K extends "slots" | "view_changes" | "timers" | "reported" | "asks">(key: K): Draft[K] {
    if (!this.copied.has(key)) {
      const value = this.s[key];
      (this.s as Record<K, unknown>)[key] = value instanceof Map ? new Map(value) : new Set(value as Set<number>);
      this.copied.add(key);
    }
    return this.s[key];
  }

  private putSlot(instance: number, slot: SlotState): void {
    (this.own("slots") as Map<number, SlotState>).set(instance, slot);
  }

  // ---- small helpers ----

  private get W(): number {
    return this.ctx.params.window;
  }

  private timeout(): number {
    return timeoutMs(this.ctx.params, this.s.view, this.s.progress_view);
  }

  private isLeader(): boolean {
    return leaderOf(this.ctx.group, this.s.view) === this.ctx.self;
  }

  private broadcast(m: Message): Uint8Array {
    const message = encodeMessage(m);
    this.out.push({ _tag: "Broadcast", message });
    return message;
  }

  private send(to: number, message: Uint8Array): void {
    this.out.push({ _tag: "Send", to, message });
  }

  private setTimer(timer: string, delay_ms: number): void {
    (this.own("timers") as Set<string>).add(timer);
    this.out.push({ _tag: "SetTimer", timer, delay_ms });
  }

  private cancelTimer(timer: string): void {
    if (!this.s.timers.has(timer)) return;
    (this.own("timers") as Set<string>).delete(timer);
    this.out.push({ _tag: "CancelTimer", timer });
  }

  private plan(): NewViewPlan | undefined {
    return this.s.status === "Normal" ? this.s.new_view?.plan : undefined;
  }

  /** [BFT-12] Instances the NEW-VIEW fixed: base..last. */
  private planCovers(instance: number): boolean {
    const plan = this.plan();
    return plan !== undefined && instance >= plan.base && instance <= plan.last;
  }

  /** [BFT-7] The leader may propose a fresh value only above the plan (and from base on). */
  private freshAllowed(instance: number): boolean {
    const plan = this.plan();
    return plan === undefined || (instance > plan.last && instance >= plan.base);
  }

  /** The slot of `instance` for the current view (its view-scoped fields reset if it is older). */
  private slot(instance: number): SlotState {
    const slot = this.s.slots.get(instance);
    if (slot !== undefined && slot.view === this.s.view) return slot;
    const value = this.planCovers(instance) ? this.plan()?.values.get(instance) : undefined;
    return {
      view: this.s.view,
      proposal: value === undefined ? undefined : { value, hash: valueHash(value), signature: undefined },
      accepted: false,
      prepares: EMPTY_VOTES,
      commits: EMPTY_VOTES,
      committed: false,
      prepared: slot?.prepared,
      decided: slot?.decided,
    };
  }

  private inSlotRange(instance: number): boolean {
    return instance >= this.s.low && instance < this.s.low + 2 * this.W;
  }

  private statement(kind: Statement["kind"], instance: number, value_hash: Uint8Array): Statement {
    return { kind, group: this.ctx.group.id, sender: this.ctx.self, view: this.s.view, instance, value_hash };
  }

  // ---- inputs ----

  input(input: Input): void {
    match(input)
      .with({ _tag: "Receive" }, ({ from, bytes }) => this.receive(from, bytes))
      .with({ _tag: "TimerExpired" }, ({ timer }) => this.timerExpired(timer))
      .with({ _tag: "Submit" }, ({ request }) => this.addRequest(request, true))
      .exhaustive();
  }

  /** [BFT-15] Messages from outside the group, from oneself, or that do not decode are ignored. */
  private receive(from: number, bytes: Uint8Array): void {
    if (!Number.isInteger(from) || from < 0 || from >= this.ctx.group.size || from === this.ctx.self) return;
    if (!(bytes instanceof Uint8Array)) return;
    const decoded = decodeMessage(bytes);
    if (Result.isFailure(decoded)) return;
    match(decoded.success)
      .with({ _tag: "Request" }, (m) => this.addRequest(m.request, false))
      .with({ _tag: "Propose" }, (m) => this.onPropose(from, m))
      .with({ _tag: "Prepare" }, { _tag: "Commit" }, (m) => this.onVote(m))
      .with({ _tag: "ViewChange" }, (m) => this.onViewChange(from, m))
      .with({ _tag: "NewView" }, (m) => this.onNewView(m))
      .with({ _tag: "Decision" }, (m) => this.onDecision(m.certificate, m.value))
      .with({ _tag: "Sync" }, (m) => this.onSync(from, m.group, m.low))
      .exhaustive();
  }

  /** [BFT-10] Only timers this member set and has not cancelled count; a stale expiry is ignored. */
  private timerExpired(timer: string): void {
    if (typeof timer !== "string" || !this.s.timers.has(timer)) return;
    (this.own("timers") as Set<string>).delete(timer);
    if (timer === TIMER.progress) {
      if (this.s.status === "Normal") this.suspect();
    } else if (timer === TIMER.viewChange) {
      this.viewChangeTimeout();
    } else {
      this.requestTimeout(timer);
    }
  }

  // ---- requests [BFT-6] [BFT-18] ----

  /** [BFT-6] Hold a valid, new, unsettled request (bounded); forward it if it was submitted here. */
  private addRequest(request: Uint8Array, submitted: boolean): void {
    if (!(request instanceof Uint8Array) || request.length > MAX_REQUEST_BYTES) return;
    const key = bytesToHex(taggedHash(TAGS.BFT_REQUEST, request));
    if (this.s.pending.some((p) => p.key === key)) return;
    if (this.s.pending.length >= this.ctx.params.max_pending_requests) return;
    const { app } = this.ctx;
    if (!attempt(() => app.isValidRequest(request), false)) return;
    if (this.s.history.some((d) => this.settles(d.value, request))) return;
    this.s.pending = [...this.s.pending, { request, key }];
    if (submitted) this.broadcast({ _tag: "Request", request });
    this.setTimer(TIMER.request(key), this.timeout());
  }

  private settles(value: Uint8Array, request: Uint8Array): boolean {
    const { app } = this.ctx;
    return attempt(() => app.settles(value, request), false);
  }

  /**
   * [BFT-18] A request held a whole timeout without being pinned: re-send it to all, so that every honest
   * member holds it and times it, and suspect the leader (while changing view: wait another timeout).
   */
  private requestTimeout(timer: string): void {
    const pending = this.s.pending.find((p) => TIMER.request(p.key) === timer);
    if (pending === undefined) return;
    this.broadcast({ _tag: "Request", request: pending.request });
    if (this.s.status === "Normal") this.suspect();
    else this.setTimer(timer, this.timeout());
  }

  // ---- normal case [BFT-7] [BFT-8] [BFT-9] ----

  /** [BFT-7] A leader's proposal of the current view is kept (first one per instance) and considered. */
  private onPropose(from: number, m: ProposeMessage): void {
    const { group, crypto } = this.ctx;
    if (!bytesEqual(m.group, group.id) || m.sender !== leaderOf(group, m.view)) return;
    const stale = m.instance < this.s.low;
    if (!stale && (m.view !== this.s.view || !this.inSlotRange(m.instance))) return;
    const hash = valueHash(m.value);
    const key = group.snapshot.members[m.sender]?.key ?? new Uint8Array();
    const statement = statementOf(m);
    if (!safeVerify(crypto, key, statementMessage(statement), m.signature)) return;
    if (stale) {
      this.answerLaggard(from, m.instance);
      return;
    }
    const slot = this.slot(m.instance);
    if (slot.decided !== undefined) return;
    const existing = slot.proposal;
    if (existing !== undefined) {
      if (existing.signature !== undefined && !bytesEqual(existing.hash, hash)) {
        this.report(m.sender, { ...statement, value_hash: existing.hash }, existing.signature, statement, m.signature);
      }
      return;
    }
    if (this.s.status === "Normal" && !this.freshAllowed(m.instance)) return;
    this.putSlot(m.instance, { ...slot, proposal: { value: m.value, hash, signature: m.signature } });
    this.tryAccept(m.instance);
  }

  /**
   * [BFT-7] Accept (send PREPARE for) the slot's proposal: normal status, inside the window [low, low+W),
   * not yet accepted in this view, and, for a fresh proposal, valid for the application. Re-proposals of
   * the NEW-VIEW plan are accepted without asking the application: a quorum prepared them already.
   */
  private tryAccept(instance: number): void {
    if (this.s.status !== "Normal" || instance < this.s.low || instance >= this.s.low + this.W) return;
    const slot = this.slot(instance);
    const proposal = slot.proposal;
    if (slot.accepted || slot.decided !== undefined || proposal === undefined) return;
    if (proposal.signature !== undefined) {
      const { app } = this.ctx;
      if (!attempt(() => app.isValidValue(instance, proposal.value), false)) return;
    }
    const statement = this.statement("Prepare", instance, proposal.hash);
    const signature = this.sign(statement);
    this.broadcast({ _tag: "Prepare", ...statement, value_hash: proposal.hash, signature });
    const prepares = new Map(slot.prepares).set(this.ctx.self, { hash: proposal.hash, signature });
    this.putSlot(instance, { ...slot, accepted: true, prepares });
    this.checkPrepared(instance);
  }

  private sign(statement: Statement): Uint8Array {
    return this.ctx.crypto.sign(this.ctx.secretKey, statementMessage(statement));
  }

  /** [BFT-8] [BFT-14] Record a vote of the current view (first per member); a second, different one is evidence. */
  private onVote(m: VoteMessage): void {
    const { group, crypto } = this.ctx;
    if (!bytesEqual(m.group, group.id) || m.sender >= group.size || m.sender === this.ctx.self) return;
    // votes on delivered instances are mostly late votes of members that decide by themselves: ignored
    if (m.view !== this.s.view || !this.inSlotRange(m.instance)) return;
    const statement = statementOf(m);
    const key = group.snapshot.members[m.sender]?.key ?? new Uint8Array();
    if (!safeVerify(crypto, key, statementMessage(statement), m.signature)) return;
    const slot = this.slot(m.instance);
    const votes = m._tag === "Prepare" ? slot.prepares : slot.commits;
    const earlier = votes.get(m.sender);
    if (earlier !== undefined) {
      if (!bytesEqual(earlier.hash, m.value_hash)) {
        this.report(m.sender, { ...statement, value_hash: earlier.hash }, earlier.signature, statement, m.signature);
      }
      return;
    }
    const updated = new Map(votes).set(m.sender, { hash: m.value_hash, signature: m.signature });
    this.putSlot(m.instance, m._tag === "Prepare" ? { ...slot, prepares: updated } : { ...slot, commits: updated });
    if (m._tag === "Prepare") this.checkPrepared(m.instance);
    else this.checkDecided(m.instance, m.value_hash);
  }

  /** The certificate of the votes in `votes` on `hash`, if their signers are a quorum. */
  private certificate(
    kind: VoteCertificate["kind"],
    instance: number,
    votes: ReadonlyMap<number, VoteRecord>,
    hash: Uint8Array,
  ): VoteCertificate | undefined {
    const matching = [...votes].filter(([, vote]) => bytesEqual(vote.hash, hash)).sort(([a], [b]) => a - b);
    const signers = matching.map(([signer]) => signer);
    if (!this.ctx.rules.quorum(this.ctx.group, signers)) return undefined;
    return {
      kind,
      group: this.ctx.group.id,
      view: this.s.view,
      instance,
      value_hash: hash,
      votes: matching.map(([signer, vote]) => ({ signer, signature: vote.signature })),
    };
  }

  /** [BFT-8] Prepared: this member accepted the proposal and a quorum sent PREPARE for its hash. */
  private checkPrepared(instance: number): void {
    const slot = this.slot(instance);
    const proposal = slot.proposal;
    if (!slot.accepted || proposal === undefined || slot.prepared?.certificate.view === this.s.view) return;
    const certificate = this.certificate("Prepare", instance, slot.prepares, proposal.hash);
    if (certificate === undefined) return;
    this.putSlot(instance, { ...slot, prepared: { certificate, value: proposal.value } });
    this.tryCommit(instance);
  }

  /**
   * [BFT-8] Send COMMIT for the prepared value of the current view, only for the next instance to
   * deliver: a pin certificate of instance i then proves that instances below i are decided too.
   */
  private tryCommit(instance: number): void {
    if (this.s.status !== "Normal" || instance !== this.s.low) return;
    const slot = this.slot(instance);
    const prepared = slot.prepared;
    if (slot.committed || prepared === undefined || prepared.certificate.view !== this.s.view) return;
    const hash = prepared.certificate.value_hash;
    const statement = this.statement("Commit", instance, hash);
    const signature = this.sign(statement);
    this.broadcast({ _tag: "Commit", ...statement, value_hash: hash, signature });
    const commits = new Map(slot.commits).set(this.ctx.self, { hash, signature });
    this.putSlot(instance, { ...slot, committed: true, commits });
    this.checkDecided(instance, hash);
  }

  /** [BFT-9] Decided: a quorum sent COMMIT for `hash` in this view, and this member knows the value. */
  private checkDecided(instance: number, hash: Uint8Array): void {
    const slot = this.slot(instance);
    if (slot.decided !== undefined) return;
    const certificate = this.certificate("Commit", instance, slot.commits, hash) as PinCertificate | undefined;
    if (certificate === undefined) return;
    const value = knownValue(slot, hash);
    this.s.frontier = Math.max(this.s.frontier, instance + 1);
    if (value === undefined) return;
    this.putSlot(instance, { ...slot, decided: { instance, value, certificate } });
  }

  /** [BFT-13] A decision from anyone: kept when its pin certificate verifies and the value matches. */
  private onDecision(certificate: PinCertificate, value: Uint8Array): void {
    const { group, crypto, rules } = this.ctx;
    const instance = certificate.instance;
    if (instance < this.s.low || !bytesEqual(certificate.group, group.id)) return;
    if (this.s.slots.get(instance)?.decided !== undefined) return;
    if (!bytesEqual(valueHash(value), certificate.value_hash)) return;
    if (Result.isFailure(verifyCertificate(group, crypto, certificate, "Commit", rules.quorum))) return;
    this.s.frontier = Math.max(this.s.frontier, instance + 1);
    if (!this.inSlotRange(instance)) return;
    const existing = this.s.slots.get(instance) ?? this.slot(instance);
    this.putSlot(instance, { ...existing, decided: { instance, value, certificate } });
  }

  /** [BFT-9] Deliver decided instances in order; each settles the pending requests it covers. */
  private deliverDecided(): void {
    for (let guard = 0; guard < 2 * this.W; guard++) {
      const decided = this.s.slots.get(this.s.low)?.decided;
      if (decided === undefined) return;
      this.out.push({
        _tag: "Decide",
        instance: decided.instance,
        value: decided.value,
        certificate: decided.certificate,
      });
      const history = [...this.s.history, decided];
      this.s.history = history.length > this.ctx.params.history ? history.slice(1) : history;
      this.settlePending(decided.value);
      (this.own("slots") as Map<number, SlotState>).delete(this.s.low);
      this.answerAsks(this.s.low);
      this.s.low += 1;
      this.s.progress_view = this.s.view;
      this.s.nudged = false;
      this.delivered = true;
    }
  }

  private settlePending(value: Uint8Array): void {
    const kept: PendingRequest[] = [];
    for (const p of this.s.pending) {
      if (this.settles(value, p.request)) this.cancelTimer(TIMER.request(p.key));
      else kept.push(p);
    }
    if (kept.length !== this.s.pending.length) this.s.pending = kept;
  }

  /** After deliveries: accept what entered the window, commit the new low; repeat while that decides more. */
  private settle(): void {
    for (let round = 0; round <= 2 * this.W; round++) {
      const before = this.s.low;
      this.deliverDecided();
      for (let i = this.s.low; i < this.s.low + this.W; i++) this.tryAccept(i);
      this.tryCommit(this.s.low);
      if (this.s.low === before && this.s.slots.get(this.s.low)?.decided === undefined) return;
    }
  }

  /**
   * [BFT-7] The leader proposes, for its next fresh instances inside its window, values the application
   * assembles from pending requests that no undelivered value of this view already settles.
   */
  private leaderPropose(): boolean {
    if (this.s.status !== "Normal" || !this.isLeader()) return false;
    let proposed = false;
    let next = Math.max(this.s.next_propose, this.s.low);
    while (next < this.s.low + this.W && this.freshAllowed(next)) {
      const value = this.assemble(next);
      if (value === undefined) break;
      const signed = signMessage<ProposeMessage>(this.ctx.crypto, this.ctx.secretKey, {
        _tag: "Propose",
        group: this.ctx.group.id,
        sender: this.ctx.self,
        view: this.s.view,
        instance: next,
        value,
      });
      this.broadcast(signed);
      const slot = this.slot(next);
      this.putSlot(next, { ...slot, proposal: { value, hash: valueHash(value), signature: signed.signature } });
      this.tryAccept(next);
      next += 1;
      proposed = true;
    }
    this.s.next_propose = next;
    return proposed;
  }

  private assemble(instance: number): Uint8Array | undefined {
    const inFlight: Uint8Array[] = [];
    for (let i = this.s.low; i < this.s.low + 2 * this.W; i++) {
      const slot = this.s.slots.get(i);
      const value = slot?.decided?.value ?? (slot?.view === this.s.view ? slot.proposal?.value : undefined);
      if (value !== undefined) inFlight.push(value);
    }
    const candidates = this.s.pending
      .filter((p) => !inFlight.some((value) => this.settles(value, p.request)))
      .map((p) => p.request);
    if (candidates.length === 0) return undefined;
    const { app } = this.ctx;
    const value = attempt(() => app.assemble(instance, candidates), undefined);
    if (!(value instanceof Uint8Array) || value.length > MAX_VALUE_BYTES) return undefined;
    return attempt(() => app.isValidValue(instance, value), false) ? value : undefined;
  }

  // ---- catch-up [BFT-13] ----

  private decisionFor(instance: number): Decided | undefined {
    const first = this.s.history[0];
    return first === undefined ? undefined : this.s.history[instance - first.instance];
  }

  /** [BFT-13] A leader's proposal for an instance this member delivered: send the leader its decision. */
  private answerLaggard(from: number, instance: number): void {
    const decided = this.decisionFor(instance);
    if (decided === undefined) return;
    this.send(from, encodeMessage({ _tag: "Decision", certificate: decided.certificate, value: decided.value }));
  }

  /**
   * [BFT-13] Answer a SYNC with the decisions [low, min(own low, low + W)) still in the history, and keep
   * the rest of [low, low + W) as the sender's standing ask: each of those instances is sent to it when
   * this member delivers it. (Asked before this member decided, a laggard would otherwise learn nothing
   * more once the group falls quiet.) A new SYNC from the same member replaces its ask.
   */
  private onSync(from: number, group: Uint8Array, low: number): void {
    if (!bytesEqual(group, this.ctx.group.id)) return;
    const until = low + this.W;
    const end = Math.min(this.s.low, until);
    for (let instance = low; instance < end; instance++) this.answerLaggard(from, instance);
    const asks = this.own("asks") as Map<number, SyncAsk>;
    if (this.s.low < until) asks.set(from, { next: Math.max(low, this.s.low), until });
    else asks.delete(from);
  }

  /** [BFT-13] After delivering `instance`: send it to the members whose standing ask it is next in. */
  private answerAsks(instance: number): void {
    for (const [member, ask] of this.s.asks) {
      if (ask.next !== instance) continue;
      this.answerLaggard(member, instance);
      const asks = this.own("asks") as Map<number, SyncAsk>;
      if (instance + 1 < ask.until) asks.set(member, { next: instance + 1, until: ask.until });
      else asks.delete(member);
    }
  }

  private sync(): void {
    this.broadcast({ _tag: "Sync", group: this.ctx.group.id, low: this.s.low });
    this.s.sync_until = this.s.low + this.W;
  }

  // ---- evidence [BFT-14] ----

  private report(member: number, a: Statement, signatureA: Uint8Array, b: Statement, signatureB: Uint8Array): void {
    if (this.s.reported.has(member)) return;
    (this.own("reported") as Set<number>).add(member);
    const evidence = makeEvidence(
      this.ctx.group,
      member,
      signedStatement(a, signatureA),
      signedStatement(b, signatureB),
    );
    this.out.push({ _tag: "Evidence", evidence });
  }

  // ---- view change [BFT-11] [BFT-12] ----

  /** [BFT-11] Suspect the leader: ask for decisions and move to the next view. */
  private suspect(): void {
    this.sync();
    this.startViewChange(this.s.view + 1);
  }

  /** [BFT-11] Leave the current view for `view`: report low and the prepared certificates of the window. */
  private startViewChange(view: number): void {
    if (view <= this.s.view) return;
    this.s.view = view;
    this.s.status = "ViewChange";
    this.s.new_view = undefined;
    this.s.nudged = false;
    this.cancelTimer(TIMER.progress);
    const prepared = [];
    for (let i = this.s.low; i < this.s.low + this.W; i++) {
      const entry = this.s.slots.get(i)?.prepared;
      if (entry !== undefined) prepared.push(entry);
    }
    const vc = signMessage<ViewChangeMessage>(this.ctx.crypto, this.ctx.secretKey, {
      _tag: "ViewChange",
      group: this.ctx.group.id,
      sender: this.ctx.self,
      view,
      low: this.s.low,
      low_certificate: this.s.history[this.s.history.length - 1]?.certificate,
      prepared,
    });
    const bytes = this.broadcast(vc);
    this.s.own_view_change = bytes;
    (this.own("view_changes") as Map<number, StoredViewChange>).set(this.ctx.self, { message: vc, bytes });
    this.setTimer(TIMER.viewChange, this.timeout());
    this.tryNewView();
  }

  /**
   * [BFT-11] The view-change timer: if a quorum reached this view and still no NEW-VIEW came, its leader
   * failed, so move on; otherwise some VIEW-CHANGEs may have been lost, so send ours again and wait.
   */
  private viewChangeTimeout(): void {
    if (this.s.status !== "ViewChange") return;
    this.sync();
    const reached = [...this.s.view_changes].filter(([, vc]) => vc.message.view >= this.s.view).map(([m]) => m);
    if (this.ctx.rules.quorum(this.ctx.group, reached)) {
      this.startViewChange(this.s.view + 1);
      return;
    }
    if (this.s.own_view_change !== undefined) this.out.push({ _tag: "Broadcast", message: this.s.own_view_change });
    this.setTimer(TIMER.viewChange, this.timeout());
  }

  /** [BFT-11] Keep the latest valid VIEW-CHANGE per member; nudge, join, or start the new view. */
  private onViewChange(from: number, m: ViewChangeMessage): void {
    const { group } = this.ctx;
    if (!bytesEqual(m.group, group.id) || m.sender >= group.size || m.sender === this.ctx.self) return;
    const current = m.view === this.s.view && this.s.status === "ViewChange";
    if (m.view < this.s.view || (m.view === this.s.view && !current)) {
      this.answerOldViewChange(from, m);
      return;
    }
    const stored = this.s.view_changes.get(m.sender);
    const bytes = encodeMessage(m);
    if (stored === undefined || stored.message.view < m.view) {
      if (Result.isFailure(checkViewChange(this.ctx, m))) return;
      (this.own("view_changes") as Map<number, StoredViewChange>).set(m.sender, { message: m, bytes });
      this.s.frontier = Math.max(this.s.frontier, m.low);
    } else if (!bytesEqual(stored.bytes, bytes)) return;
    // the same VIEW-CHANGE again nudges again: a member left behind in a view change keeps asking
    if (this.s.status === "Normal" && m.view > this.s.view) this.s.nudged = true;
    this.tryJoin();
    this.tryNewView();
  }

  /**
   * [BFT-11] A VIEW-CHANGE for a view this member has passed: its sender is behind. Send it what moves it
   * on: the NEW-VIEW this member adopted, or its own VIEW-CHANGE. One reply per message (bounded).
   */
  private answerOldViewChange(from: number, m: ViewChangeMessage): void {
    const key = this.ctx.group.snapshot.members[m.sender]?.key ?? new Uint8Array();
    if (!safeVerify(this.ctx.crypto, key, signedBytes(m), m.signature)) return;
    if (this.s.status === "Normal" && this.s.new_view !== undefined) this.send(from, this.s.new_view.message);
    else if (this.s.status === "ViewChange" && this.s.own_view_change !== undefined)
      this.send(from, this.s.own_view_change);
  }

  /**
   * [BFT-11] Join the highest view w > own view such that the members whose latest VIEW-CHANGE is for w
   * or later form a weak quorum (f+1 members holding > 1/3 of the reputation: one of them is honest).
   */
  private tryJoin(): void {
    const above = [...this.s.view_changes]
      .filter(([member, vc]) => member !== this.ctx.self && vc.message.view > this.s.view)
      .map(([member, vc]) => ({ member, view: vc.message.view }))
      .sort((a, b) => b.view - a.view);
    const members: number[] = [];
    for (const [k, entry] of above.entries()) {
      members.push(entry.member);
      if (above[k + 1]?.view === entry.view) continue;
      if (this.ctx.rules.weakQuorum(this.ctx.group, members)) {
        this.startViewChange(entry.view);
        return;
      }
    }
  }

  /** [BFT-12] The leader of the view being changed to starts it once a quorum of VIEW-CHANGEs is in. */
  private tryNewView(): void {
    if (this.s.status !== "ViewChange" || !this.isLeader()) return;
    const vcs = [...this.s.view_changes.values()]
      .filter((vc) => vc.message.view === this.s.view)
      .map((vc) => vc.message)
      .sort((a, b) => a.sender - b.sender);
    if (
      !this.ctx.rules.quorum(
        this.ctx.group,
        vcs.map((vc) => vc.sender),
      )
    )
      return;
    const nv = signMessage<NewViewMessage>(this.ctx.crypto, this.ctx.secretKey, {
      _tag: "NewView",
      group: this.ctx.group.id,
      sender: this.ctx.self,
      view: this.s.view,
      view_changes: vcs,
    });
    const bytes = this.broadcast(nv);
    this.enterView(this.s.view, this.ctx.rules.reproposals(vcs), bytes);
  }

  /** [BFT-12] A NEW-VIEW for a later view, or for the view being changed to, starts that view when valid. */
  private onNewView(m: NewViewMessage): void {
    if (m.view < this.s.view || (m.view === this.s.view && this.s.status === "Normal")) return;
    const known = (vc: ViewChangeMessage): boolean => {
      const stored = this.s.view_changes.get(vc.sender);
      return stored !== undefined && bytesEqual(stored.bytes, encodeMessage(vc));
    };
    const plan = checkNewView(this.ctx, m, known);
    if (Result.isFailure(plan)) return;
    this.enterView(m.view, plan.success, encodeMessage(m));
  }

  /**
   * [BFT-12] Enter `view` in normal status with the NEW-VIEW's plan: re-proposals replace whatever the
   * slots held for this view, fresh proposals below base are dropped, request timers restart, and the
   * member accepts what its window allows, asks for decisions below base, and (if leader) proposes.
   */
  private enterView(view: number, plan: NewViewPlan, message: Uint8Array): void {
    this.s.view = view;
    this.s.status = "Normal";
    this.s.new_view = { plan, message };
    this.s.own_view_change = undefined;
    this.s.nudged = false;
    this.s.frontier = Math.max(this.s.frontier, plan.base);
    this.s.next_propose = Math.max(plan.last + 1, plan.base, this.s.low);
    this.cancelTimer(TIMER.viewChange);
    this.cancelTimer(TIMER.progress);
    for (const [instance, slot] of this.s.slots) {
      if (slot.view !== view) continue;
      const fixed = plan.values.get(instance);
      if (fixed !== undefined && instance <= plan.last && instance >= plan.base) {
        this.putSlot(instance, { ...slot, proposal: { value: fixed, hash: valueHash(fixed), signature: undefined } });
      } else if (instance < plan.base) {
        this.putSlot(instance, { ...slot, proposal: undefined });
      }
    }
    for (const p of this.s.pending) this.setTimer(TIMER.request(p.key), this.timeout());
    for (let i = this.s.low; i < this.s.low + this.W; i++) this.tryAccept(i);
  }

  // ---- end of step ----

  /** Deliver, let the leader propose, deliver again (bounded), then timers and catch-up. */
  finish(): void {
    const rounds = this.ctx.params.max_pending_requests + 2;
    for (let round = 0; round < rounds; round++) {
      this.settle();
      if (!this.leaderPropose()) break;
    }
    this.updateProgressTimer();
    if (this.s.frontier > this.s.low && this.s.low >= this.s.sync_until) this.sync();
  }

  /**
   * [BFT-10] The progress timer runs while the member (normal status) has accepted an undelivered
   * proposal or was nudged; each delivery restarts it; with no such work it is cancelled.
   */
  private updateProgressTimer(): void {
    const work =
      this.s.status === "Normal" &&
      (this.s.nudged ||
        [...this.s.slots.values()].some((slot) => slot.view === this.s.view && slot.accepted && !slot.decided));
    if (!work) {
      this.cancelTimer(TIMER.progress);
      return;
    }
    if (this.delivered || !this.s.timers.has(TIMER.progress)) this.setTimer(TIMER.progress, this.timeout());
  }

  state(): MemberState {
    return this.s;
  }
}

/**
 * [BFT-1] [BFT-15] One step of a member: the next state and what to do. Total: any input, however
 * malformed, gives a result; the given state is never modified.
 */
export const step = (ctx: MemberContext, state: MemberState, input: Input): StepResult => {
  const run = new Run(ctx, state);
  run.input(input);
  run.finish();
  return { state: run.state(), outputs: run.out };
};
