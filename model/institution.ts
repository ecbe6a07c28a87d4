/**
 * An institution node (spec/model.md, [MOD-4] roles, [MOD-5] the epoch log, [MOD-6] batch pins): it
 * holds the chain (src/ledger), feeds reputation incrementally (src/reputation) and re-ranks the group
 * after each pinned keyblock, runs the consensus member state machine (src/consensus) while it is in the
 * group, mines, creates its rounds' microblocks, and keeps its patients' ciphertexts. Everything it does
 * goes through its behaviour's hook (behaviours.ts).
 *
 * The epoch log: each epoch e's group runs one protocol instance; its decided values, in instance order,
 * are e's log. A value is a keyblock id (which ends the epoch: its certificate pins keyblock e+1, CHAIN-5),
 * a no-op, or a body of control items (controls.ts) and an optional Algorithm 2 batch. A node applies the
 * log in order, from its own decisions or from entries others announce (checked against the group of
 * e); a member proposes or accepts only the instance it is about to apply, against the state that
 * instance will meet. A batch's ledger pin is a second quorum: after applying the body's controls, each
 * member signs a COMMIT statement on the batch root in the reserved view LEDGER_PIN_VIEW (MOD-6).
 * @module
 */
import { Result } from "effect";
import { type PinCertificate, statementMessage, valueHash, verifyCertificate } from "../src/consensus/certificate.js";
import type { MemberContext } from "../src/consensus/context.js";
import { DEFAULT_RULES, memberContext } from "../src/consensus/context.js";
import type { Evidence } from "../src/consensus/evidence.js";
import { type ConsensusGroup, consensusGroup } from "../src/consensus/group.js";
import { decodeMessage, encodeMessage, signMessage, type VoteMessage } from "../src/consensus/messages.js";
import { type Input, initialState as initialMember, type MemberState, type Output } from "../src/consensus/state.js";
import { step } from "../src/consensus/step.js";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import type { InstitutionAccount } from "../src/ehealth/world.js";
import { applyBatchWith, proposedBatchRoot } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import type { Keyblock } from "../src/ledger/keyblock.js";
import type { MicroblockHeader } from "../src/ledger/microblock.js";
import { createMicroblocks } from "../src/ledger/mine.js";
import type { ChainState } from "../src/ledger/state.js";
import { type RecordTx, type RegisterTx, transactionId } from "../src/ledger/transaction.js";
import type { ReputationEvent } from "../src/reputation/events.js";
import { selectGroup } from "../src/reputation/group.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import {
  applyEvents,
  evaluate,
  initialState as initialReputation,
  type ReputationState,
} from "../src/reputation/state.js";
import { attackOnEpoch } from "./attacks/hooks.js";
import type { Behaviour, HookContext } from "./behaviours.js";
import { applyControl, type ControlState, creatorTag, type Duty, newDuty, signLeaderSeed } from "./controls.js";
import { handleCustodian } from "./custodian-role.js";
import type { Env } from "./env.js";
import { forgeLabels } from "./forger.js";
import { honestApp } from "./institution-app.js";
import type { LogEntry, Message } from "./messages.js";
import { mineOnce, onKeyblock, releaseWithheld } from "./mining.js";
import {
  type Body,
  decodeRequest,
  decodeValue,
  encodeRequest,
  LEDGER_PIN_VIEW,
  type Request,
  selectedTransactions,
} from "./values.js";

/** [MOD-5] Messages for later epochs a node keeps until it gets there, at most. */
export const FUTURE_BUFFER_MAX = 20_000;
/** [MOD-6] How long (in Δ) a node waits for a batch's ledger pin votes before it asks a peer for the entry. */
export const PIN_WAIT_DELTAS = 10;
/** [MOD-5] The last completed entry is announced again after 25Δ, 50Δ, 100Δ, …, at most REANNOUNCE_MAX times. */
export const REANNOUNCE_BASE_DELTAS = 25;
export const REANNOUNCE_MAX = 5;
/** [MOD-5] Entries one catch-up reply carries, at most. */
export const SYNC_REPLY_MAX = 64;

/** An epoch's group as a node computed it, with what the node needs to route and to weigh batches. */
export interface EpochGroup {
  readonly epoch: number;
  readonly group: ConsensusGroup;
  readonly snapshot: GroupSnapshot;
  /** R_fixed of every institution in this epoch (the batching quotas, BAT-2). */
  readonly reputations: ReadonlyMap<number, bigint>;
  /** Member index → node id, and back. */
  readonly memberNodes: readonly number[];
  readonly nodeMember: ReadonlyMap<number, number>;
  /** This node's member index, or -1. */
  readonly self: number;
}

interface Machine {
  readonly epoch: number;
  readonly k: number;
  readonly ctx: MemberContext;
  state: MemberState;
}

interface PendingBatch {
  readonly txs: readonly RecordTx[];
  readonly root: Uint8Array;
  readonly hash: Uint8Array;
}

/** [MOD-5] The log of the current epoch as this node applies it. */
interface EpochLog {
  readonly epoch: number;
  readonly entries: Map<number, LogEntry>;
  applied: number;
  controlsDone: boolean;
  pending: PendingBatch | undefined;
  /** instance → signer → (value hash hex, signature) of valid ledger pin votes. */
  readonly votes: Map<number, Map<number, { readonly hash: string; readonly signature: Uint8Array }>>;
  readonly voted: Set<number>;
  /** The instance whose ledger pin votes this node waits for (its pin-wait timer is set), or -1. */
  awaiting: number;
}

const newLog = (epoch: number): EpochLog => ({
  epoch,
  entries: new Map(),
  applied: 0,
  controlsDone: false,
  pending: undefined,
  votes: new Map(),
  voted: new Set(),
  awaiting: -1,
});

export class InstitutionNode {
  ledger: ChainState;
  epoch = 0;
  reputation: ReputationState;
  readonly events: ReputationEvent[] = [];
  readonly groups = new Map<number, EpochGroup>();
  duties = new Map<number, Duty>();
  frauds = new Set<string>();
  /** Institution index → the last batch window in which it had a transaction selected (BAT-3). */
  readonly lastServed = new Map<number, number>();
  log: EpochLog;
  /** Completed entries by epoch, in instance order (catch-up answers). */
  readonly archive = new Map<number, LogEntry[]>();
  readonly machines = new Map<number, Machine[]>();
  /** Messages for later epochs, replayed on arrival there. */
  future: { readonly from: number; readonly message: Message }[] = [];
  /** Register transactions heard of and not pinned (the miner's mempool), by id. */
  readonly mempool = new Map<string, RegisterTx>();
  /** Keyblocks heard of for the next height, by id. */
  readonly keyblocks = new Map<string, Keyblock>();
  /** Keyblocks this node mined and holds back (selfish behaviour). */
  readonly withheld: Keyblock[] = [];
  /** Record transactions this institution received from its patients and has not seen pinned, by id. */
  readonly outstanding = new Map<string, { readonly tx: RecordTx; submitted: number }>();
  /** Rounds whose creator this node has waited for: round → the creator it gave up on. */
  readonly patience = new Map<number, number>();
  readonly accused = new Set<number>();
  /** The last entry this node announced, and how many times it announced it again (MOD-5). */
  private lastAnnounced: LogEntry | undefined;
  private reannounced = 0;
  /** Bumped on every change validity depends on; caches are keyed by it. */
  version = 0;
  readonly validity = new Map<string, boolean>();
  private validityVersion = -1;
  private lastSync_ms = -1_000_000;
  private syncAttempts = 0;

  constructor(
    readonly env: Env,
    readonly id: number,
    readonly account: InstitutionAccount,
    readonly behaviour: Behaviour,
    genesis: ChainState,
    extEvents: readonly ReputationEvent[],
  ) {
    this.ledger = genesis;
    this.reputation = initialReputation(env.reputation, env.institutionKeys);
    this.feed(extEvents);
    this.log = newLog(0);
    this.enterGroup(0);
  }

  get honest(): boolean {
    return this.behaviour.honest;
  }

  get keyHex(): string {
    return bytesToHex(this.account.signing.publicKey);
  }

  get group(): EpochGroup {
    return this.groups.get(this.epoch) as EpochGroup;
  }

  hook(): HookContext {
    return {
      now_ms: this.env.network.now_ms,
      gst_ms: this.env.config.network.gst_ms,
      chooser: this.env.chooser,
      machinesOf: this.env.machinesOf,
    };
  }

  send(to: number, message: Message): void {
    if (to !== this.id) this.env.network.send(this.id, to, message);
  }

  toInstitutions(message: Message): void {
    for (let to = 0; to < this.env.institutionKeys.length; to++) this.send(to, message);
  }

  /** Bumps the version: every cached validity answer is stale. */
  touch(): void {
    this.version += 1;
  }

  cachedValidity(key: string, compute: () => boolean): boolean {
    if (this.validityVersion !== this.version) {
      this.validity.clear();
      this.validityVersion = this.version;
    }
    const known = this.validity.get(key);
    if (known !== undefined) return known;
    const value = compute();
    this.validity.set(key, value);
    return value;
  }

  // ---------------------------------------------------------------- reputation and groups

  /** [MOD-5] Reputation events of the chain, in chain order (REP-12); a broken node may forget frauds (MOD-10). */
  feed(events: readonly ReputationEvent[]): void {
    const kept =
      this.env.config.variant === "forget-fraud" && this.honest
        ? events.filter((e) => e._tag !== "FraudRecorded")
        : events;
    if (kept.length === 0) return;
    const applied = applyEvents(this.reputation, kept);
    if (Result.isFailure(applied)) {
      this.env.observe({ _tag: "Rejected", node: this.id, what: "reputation event", reason: applied.failure.message });
      return;
    }
    this.reputation = applied.success;
    this.events.push(...kept);
  }

  /** [GRP-5] The group of epoch `epoch`, ranked from the reputation after its keyblock; machines start. */
  private enterGroup(epoch: number): void {
    const evaluation = evaluate(this.reputation);
    const candidates = evaluation.map((e) => ({ key: e.key, reputation: e.reputation.fixed, mined: e.mined }));
    const snapshot = selectGroup(candidates, this.env.groupRule, BigInt(this.reputation.cursor.length));
    const group = Result.isSuccess(snapshot) ? consensusGroup(epoch, snapshot.success) : undefined;
    if (Result.isFailure(snapshot) || group === undefined || Result.isFailure(group)) {
      throw new Error(`model: no consensus group for epoch ${epoch}`);
    }
    const reputations = new Map<number, bigint>();
    for (const e of evaluation) {
      const index = this.env.institutionIndex.get(bytesToHex(e.key));
      if (index !== undefined) reputations.set(index, e.reputation.fixed);
    }
    const memberNodes = snapshot.success.members.map((m) => this.env.institutionIndex.get(bytesToHex(m.key)) ?? -1);
    const nodeMember = new Map(memberNodes.map((node, member) => [node, member]));
    const self = nodeMember.get(this.id) ?? -1;
    const entry: EpochGroup = {
      epoch,
      group: group.success,
      snapshot: snapshot.success,
      reputations,
      memberNodes,
      nodeMember,
      self,
    };
    this.groups.set(epoch, entry);
    for (const old of this.groups.keys()) if (old < epoch - 2) this.groups.delete(old);
    this.env.observe({
      _tag: "EpochStarted",
      node: this.id,
      epoch,
      snapshot: snapshot.success,
      evaluation,
      events: this.events,
      genesis: this.env.institutionKeys,
    });
    if (self >= 0 && this.behaviour.alive) this.startMachines(entry);
  }

  private startMachines(g: EpochGroup): void {
    const machines: Machine[] = [];
    const keyOf = (institution: number) => bytesToHex(this.env.institutionKeys[institution] ?? new Uint8Array());
    for (let k = 0; k < this.behaviour.machines; k++) {
      const ctx = memberContext({
        epoch: g.epoch,
        snapshot: g.snapshot,
        self: g.self,
        secretKey: this.account.signing.secretKey,
        crypto: this.env.crypto,
        app: this.behaviour.app(honestApp(this, g.epoch), {
          keyOf,
          machine: k,
          report: (attack, outcome) => this.env.observe({ _tag: "Attack", node: this.id, attack, outcome }),
        }),
        params: this.env.config.protocol.consensus,
        rules: this.honest ? this.env.rules : DEFAULT_RULES,
      });
      if (Result.isFailure(ctx)) throw new Error(`model: member context: ${ctx.failure.message}`);
      machines.push({ epoch: g.epoch, k, ctx: ctx.success, state: initialMember() });
    }
    this.machines.set(g.epoch, machines);
    for (const old of this.machines.keys()) if (old < g.epoch - 1) this.machines.delete(old);
  }

  // ---------------------------------------------------------------- consensus machines

  private stepMachine(m: Machine, input: Input): void {
    const result = step(m.ctx, m.state, input);
    m.state = result.state;
    this.outputs(m, result.outputs);
  }

  private timerName(m: Machine, name: string): string {
    return `c|${m.epoch}|${m.k}|${name}`;
  }

  private outputs(m: Machine, outputs: readonly Output[]): void {
    const g = this.groups.get(m.epoch);
    if (g === undefined) return;
    const ctx = this.hook();
    const lane = this.behaviour.machines > 1 ? m.k + 1 : 0;
    const deliver = (member: number, bytes: Uint8Array) => {
      const to = g.memberNodes[member];
      if (to === undefined || to < 0 || to === this.id || !this.behaviour.outbound(m.k, to, ctx)) return;
      this.send(to, { _tag: "Consensus", epoch: m.epoch, bytes, lane });
    };
    for (const out of outputs) {
      switch (out._tag) {
        case "Send":
          deliver(out.to, out.message);
          break;
        case "Broadcast":
          for (let member = 0; member < g.memberNodes.length; member++)
            if (member !== g.self) deliver(member, out.message);
          break;
        case "SetTimer":
          if (this.behaviour.machineTimer(out.timer))
            this.env.network.setTimer(this.id, this.timerName(m, out.timer), out.delay_ms);
          break;
        case "CancelTimer":
          this.env.network.cancelTimer(this.id, this.timerName(m, out.timer));
          break;
        case "Decide":
          this.onDecide(m, out.instance, out.value, out.certificate);
          break;
        case "Evidence":
          this.onEvidence(out.evidence);
          break;
      }
    }
  }

  private onDecide(m: Machine, instance: number, value: Uint8Array, certificate: PinCertificate): void {
    const g = this.groups.get(m.epoch);
    if (g !== undefined && this.honest) {
      this.env.observe({
        _tag: "Decided",
        node: this.id,
        epoch: m.epoch,
        instance,
        value,
        certificate,
        snapshot: g.snapshot,
      });
    }
    if (m.k !== 0 || m.epoch !== this.epoch) return;
    this.addEntry({ epoch: m.epoch, instance, value, certificate, ledgerCertificate: undefined, keyblock: undefined });
  }

  /** [BFT-14] [REP-11] Evidence of equivocation becomes a proof of fraud for the log (once per offender). */
  private onEvidence(evidence: Evidence): void {
    if (this.accused.has(evidence.offender) || !this.behaviour.duties) return;
    this.accused.add(evidence.offender);
    const request: Request = {
      _tag: "Fraud",
      proof: { offender: evidence.offender_key, first: evidence.first, second: evidence.second },
    };
    this.submit(encodeRequest(request));
  }

  /** Wakes the current machines so they look again at proposals and pending requests (the state moved on). */
  private poke(): void {
    for (const m of this.machines.get(this.epoch) ?? []) this.stepMachine(m, { _tag: "TimerExpired", timer: "poke" });
  }

  /** [MOD-5] A request for the current group: into this node's machines, or forwarded to f+1 members. */
  submit(request: Uint8Array): void {
    const g = this.group;
    if (g.self >= 0) {
      for (const m of this.machines.get(this.epoch) ?? []) this.stepMachine(m, { _tag: "Submit", request });
      return;
    }
    const reach = g.group.faults + 1;
    for (let member = 0; member < Math.min(reach, g.memberNodes.length); member++) {
      const to = g.memberNodes[member];
      if (to !== undefined && to >= 0) this.send(to, { _tag: "Forward", epoch: this.epoch, request });
    }
  }

  // ---------------------------------------------------------------- the log

  /** [MOD-5] Records a decided entry of the current epoch (first one wins; a conflicting one is reported). */
  addEntry(entry: LogEntry): void {
    if (entry.epoch !== this.epoch) return;
    const known =
      entry.instance < this.log.applied
        ? this.archive.get(entry.epoch)?.[entry.instance]
        : this.log.entries.get(entry.instance);
    if (known !== undefined) {
      if (!bytesEqual(known.value, entry.value) && this.honest) {
        this.env.observe({
          _tag: "Rejected",
          node: this.id,
          what: `conflicting decision ${entry.epoch}/${entry.instance}`,
          reason: "agreement",
        });
      }
      if (
        known.ledgerCertificate === undefined &&
        entry.ledgerCertificate !== undefined &&
        entry.instance >= this.log.applied
      ) {
        this.log.entries.set(entry.instance, { ...known, ledgerCertificate: entry.ledgerCertificate });
      }
      if (known.keyblock === undefined && entry.keyblock !== undefined && entry.instance >= this.log.applied) {
        this.log.entries.set(entry.instance, { ...known, keyblock: entry.keyblock });
      }
      return;
    }
    this.log.entries.set(entry.instance, entry);
  }

  /** Applies what can be applied, wakes the machines, repeats while that decides more (bounded). */
  settle(): void {
    for (let round = 0; round < 64; round++) {
      if (!this.advance()) return;
      this.poke();
    }
  }

  private advance(): boolean {
    let changed = false;
    for (let guard = 0; guard < 4096; guard++) {
      const entry = this.log.entries.get(this.log.applied);
      if (entry === undefined) break;
      const value = decodeValue(entry.value);
      if (Result.isFailure(value) || value.success._tag === "Noop") {
        this.complete(entry);
      } else if (value.success._tag === "KeyblockId") {
        if (!this.applyKeyblockEntry(entry, value.success.id)) break;
      } else if (!this.applyBody(entry, value.success.body)) {
        break;
      }
      changed = true;
    }
    return changed;
  }

  private complete(entry: LogEntry): void {
    const archived = this.archive.get(entry.epoch) ?? [];
    archived[entry.instance] = entry;
    this.archive.set(entry.epoch, archived);
    this.log.entries.delete(entry.instance);
    this.log.applied += 1;
    this.log.controlsDone = false;
    this.log.pending = undefined;
    this.touch();
    this.announce(entry);
  }

  /** [MOD-5] The first f+1 members pass each completed entry on to every other institution. */
  private announce(entry: LogEntry): void {
    const g = this.groups.get(entry.epoch);
    if (g === undefined || g.self < 0 || g.self > g.group.faults || !this.behaviour.alive) return;
    this.toInstitutions({ _tag: "Announce", entry });
    this.lastAnnounced = entry;
    this.reannounced = 0;
    this.env.network.setTimer(this.id, "reannounce", this.reannounceDelay_ms());
  }

  private reannounceDelay_ms(): number {
    return REANNOUNCE_BASE_DELTAS * this.env.config.network.delta_ms * 2 ** this.reannounced;
  }

  /**
   * [MOD-5] The last completed entry is announced again, with doubling delays, at most REANNOUNCE_MAX
   * times: a node that lost the announcements of the last entries (cut off before GST) learns of them
   * even when nothing else happens any more, and catches up from there.
   */
  private reannounce(): void {
    const entry = this.lastAnnounced;
    if (entry === undefined || this.reannounced >= REANNOUNCE_MAX) return;
    this.reannounced += 1;
    this.toInstitutions({ _tag: "Announce", entry });
    this.env.network.setTimer(this.id, "reannounce", this.reannounceDelay_ms());
  }

  controlState(): ControlState {
    return { ledger: this.ledger, duties: new Map(this.duties), frauds: new Set(this.frauds), events: [] };
  }

  private applyBody(entry: LogEntry, body: Body): boolean {
    const g = this.group;
    if (!this.log.controlsDone) {
      const state = this.controlState();
      const env = { crypto: this.env.crypto, institutions: this.env.institutionSet };
      for (const control of body.controls) {
        const request = decodeRequest(control);
        const refused = Result.isFailure(request) ? "undecodable" : applyControl(state, request.success, env);
        if (refused !== undefined && this.honest) {
          this.env.observe({ _tag: "Rejected", node: this.id, what: "decided control", reason: refused });
        }
      }
      const before = this.duties;
      this.ledger = state.ledger;
      this.duties = state.duties;
      this.frauds = state.frauds;
      this.feed(state.events);
      this.log.controlsDone = true;
      this.touch();
      this.dutiesChanged(before);
      const txs = body.batch === undefined ? undefined : selectedTransactions(body.batch);
      if (txs !== undefined && txs.length > 0) {
        const root = proposedBatchRoot(this.env.crypto, this.ledger, txs);
        if (Result.isFailure(root)) {
          if (this.honest)
            this.env.observe({ _tag: "Rejected", node: this.id, what: "decided batch", reason: root.failure._tag });
        } else {
          this.log.pending = { txs, root: root.success, hash: valueHash(root.success) };
          this.votePin(entry.instance, this.log.pending.hash);
        }
      }
    }
    const pending = this.log.pending;
    if (pending === undefined) {
      this.complete(entry);
      return true;
    }
    const certificate = entry.ledgerCertificate ?? this.ledgerCertificate(entry.instance, pending.hash);
    if (certificate === undefined) {
      this.awaitPinVotes(entry.instance);
      return false;
    }
    const applied = applyBatchWith(
      this.env.crypto,
      this.ledger,
      { certificate, transactions: pending.txs },
      g.snapshot,
    );
    if (Result.isFailure(applied)) {
      // an announced ledger certificate that does not pin this root: wait for the votes instead
      if (entry.ledgerCertificate !== undefined) {
        this.log.entries.set(entry.instance, { ...entry, ledgerCertificate: undefined });
        return this.applyBody({ ...entry, ledgerCertificate: undefined }, body) && true;
      }
      if (this.honest)
        this.env.observe({ _tag: "Rejected", node: this.id, what: "ledger batch", reason: applied.failure._tag });
      this.complete(entry);
      return true;
    }
    this.batchPinned(applied.success, pending, certificate, g);
    this.complete({ ...entry, ledgerCertificate: certificate });
    return true;
  }

  private batchPinned(ledger: ChainState, pending: PendingBatch, certificate: PinCertificate, g: EpochGroup): void {
    const window = this.ledger.batches.size;
    this.ledger = ledger;
    const events: ReputationEvent[] = [];
    for (const tx of pending.txs) {
      events.push({
        _tag: "RecordPinned",
        epoch: this.epoch,
        receiver: this.env.institutionKeys[tx.institution] as Uint8Array,
      });
      this.lastServed.set(tx.institution, window);
      this.outstanding.delete(bytesToHex(transactionId(tx)));
    }
    this.feed(events);
    this.env.observe({
      _tag: "BatchPinned",
      node: this.id,
      epoch: this.epoch,
      index: window,
      root: pending.root,
      certificate,
      snapshot: g.snapshot,
      transactions: pending.txs,
      state: ledger,
    });
  }

  /**
   * [MOD-6] A node that waits for a batch's ledger pin votes longer than PIN_WAIT_DELTAS·Δ (they were lost
   * before GST) sends its own vote again to the members and asks a peer (in turn, no schedule choice) for
   * the entry, which comes back with its ledger certificate if the peer applied it; it does both again
   * every PIN_WAIT_DELTAS·Δ while it still waits.
   */
  private awaitPinVotes(instance: number): void {
    if (this.log.awaiting === instance) return;
    this.log.awaiting = instance;
    this.env.network.setTimer(this.id, `pinwait|${this.epoch}|${instance}`, this.pinWait_ms());
  }

  private pinWait_ms(): number {
    return PIN_WAIT_DELTAS * this.env.config.network.delta_ms;
  }

  private pinWaitExpired(epoch: number, instance: number): void {
    if (epoch !== this.epoch || this.log.applied !== instance || this.log.awaiting !== instance) return;
    // its own vote may be what the others miss (no one has a quorum): send it again
    const g = this.group;
    const mine = this.log.votes.get(instance)?.get(g.self);
    const hash = this.log.pending?.hash;
    if (g.self >= 0 && mine !== undefined && hash !== undefined && this.behaviour.alive) {
      for (const to of g.memberNodes) {
        if (to >= 0)
          this.send(to, {
            _tag: "PinVote",
            epoch,
            instance,
            valueHash: hash,
            signer: g.self,
            signature: mine.signature,
          });
      }
    }
    const peers = this.env.institutionKeys.length;
    this.syncAttempts += 1;
    this.requestSync((this.id + 1 + (this.syncAttempts % Math.max(1, peers - 1))) % peers);
    this.env.network.setTimer(this.id, `pinwait|${epoch}|${instance}`, this.pinWait_ms());
  }

  /** [MOD-6] This member's COMMIT statement on the batch root, in the reserved view, to the other members. */
  private votePin(instance: number, hash: Uint8Array): void {
    const g = this.group;
    if (g.self < 0 || !this.behaviour.alive || this.log.voted.has(instance)) return;
    this.log.voted.add(instance);
    const statement = {
      kind: "Commit" as const,
      group: g.group.id,
      sender: g.self,
      view: LEDGER_PIN_VIEW,
      instance,
      value_hash: hash,
    };
    const signature = this.env.crypto.sign(this.account.signing.secretKey, statementMessage(statement));
    this.recordVote(instance, g.self, hash, signature);
    for (const to of g.memberNodes) {
      if (to >= 0)
        this.send(to, { _tag: "PinVote", epoch: this.epoch, instance, valueHash: hash, signer: g.self, signature });
    }
  }

  private recordVote(instance: number, signer: number, hash: Uint8Array, signature: Uint8Array): void {
    const votes = this.log.votes.get(instance) ?? new Map();
    if (!votes.has(signer)) votes.set(signer, { hash: bytesToHex(hash), signature });
    this.log.votes.set(instance, votes);
  }

  /** [MOD-6] The ledger certificate of a batch root, once a quorum of members voted for it. */
  private ledgerCertificate(instance: number, hash: Uint8Array): PinCertificate | undefined {
    const g = this.group;
    const want = bytesToHex(hash);
    const votes = [...(this.log.votes.get(instance) ?? new Map()).entries()]
      .filter(([, v]) => v.hash === want)
      .sort(([a], [b]) => a - b);
    if (
      !this.env.rules.quorum(
        g.group,
        votes.map(([signer]) => signer),
      )
    )
      return undefined;
    return {
      kind: "Commit",
      group: g.group.id,
      view: LEDGER_PIN_VIEW,
      instance,
      value_hash: hash,
      votes: votes.map(([signer, v]) => ({ signer, signature: v.signature })),
    };
  }

  private applyKeyblockEntry(entry: LogEntry, id: Uint8Array): boolean {
    let ledger = this.ledger;
    if (!ledger.candidates.some((c) => bytesEqual(c.id, id))) {
      const kb = entry.keyblock ?? this.keyblocks.get(bytesToHex(id));
      if (kb === undefined) {
        this.requestSync(undefined);
        return false;
      }
      const candidate = applyKeyblockWith(this.env.crypto, ledger, kb);
      if (Result.isFailure(candidate)) {
        if (this.honest)
          this.env.observe({
            _tag: "Rejected",
            node: this.id,
            what: "decided keyblock",
            reason: candidate.failure._tag,
          });
        return false;
      }
      ledger = candidate.success;
    }
    const g = this.group;
    const pinned = applyKeyblockPinWith(this.env.crypto, ledger, entry.certificate, g.snapshot);
    if (Result.isFailure(pinned)) {
      if (this.honest)
        this.env.observe({ _tag: "Rejected", node: this.id, what: "keyblock pin", reason: pinned.failure._tag });
      return false;
    }
    this.ledger = pinned.success;
    const kb = this.ledger.keyblocks.last()?.keyblock as Keyblock;
    this.env.observe({
      _tag: "KeyblockPinned",
      node: this.id,
      height: kb.header.height,
      id,
      registers: kb.registers.length,
      certificate: entry.certificate,
      snapshot: g.snapshot,
    });
    this.complete({ ...entry, keyblock: kb });
    this.enterEpoch(kb, id);
    return true;
  }

  /** [GRP-5] [MOD-5] A pinned keyblock opens epoch e: reputation events, the new group, duties, resubmissions. */
  private enterEpoch(kb: Keyblock, id: Uint8Array): void {
    const e = kb.header.height;
    const events: ReputationEvent[] = [];
    const old = this.duties.get(e - 2);
    if (old !== undefined && old.registers > 0 && old.drawn !== undefined) {
      events.push({
        _tag: "LeaderTerm",
        epoch: old.round,
        leader: old.members[old.drawn] as Uint8Array,
        created: old.bundleBy === old.drawn ? old.registers : 0,
        expected: old.registers,
      });
    }
    events.push({
      _tag: "KeyblockPinned",
      height: e,
      miner: kb.header.miner,
      registers: kb.registers.map((tx) => this.env.institutionKeys[tx.institution] as Uint8Array),
    });
    this.feed(events);
    this.epoch = e;
    this.log = newLog(e);
    this.keyblocks.clear();
    for (const tx of kb.registers) this.mempool.delete(bytesToHex(transactionId(tx)));
    this.enterGroup(e);
    const duties = new Map<number, Duty>();
    for (const [round, duty] of this.duties) if (round >= e - 1) duties.set(round, duty);
    const members = this.group.snapshot.members.map((m) => m.key);
    duties.set(e, newDuty(e, kb.registers.length, id, kb.header.miner, members));
    this.duties = duties;
    for (const round of [...this.patience.keys()]) if (round < e - 1) this.patience.delete(round);
    this.touch();
    for (const duty of duties.values()) this.armPatience(duty);
    if (
      bytesEqual(kb.header.miner, this.account.signing.publicKey) &&
      kb.registers.length > 0 &&
      this.behaviour.duties
    ) {
      this.submit(
        encodeRequest({ _tag: "Seed", round: e, signature: signLeaderSeed(this.env.crypto, this.account, id, e) }),
      );
    }
    this.resubmit();
    releaseWithheld(this);
    forgeLabels(this);
    attackOnEpoch(this);
    const future = this.future;
    this.future = [];
    for (const item of future) this.receive(item.from, item.message);
  }

  /** [MOD-5] Members keep a patience timer per open round; non-members have no vote on skips. */
  private armPatience(duty: Duty): void {
    if (duty.done || this.group.self < 0 || !this.behaviour.alive) return;
    this.env.network.setTimer(this.id, `patience|${duty.round}`, this.env.config.protocol.patience_ms);
  }

  /** After controls changed duties: reset patience where the creator changed; create a bundle if it is ours. */
  private dutiesChanged(before: ReadonlyMap<number, Duty>): void {
    for (const duty of this.duties.values()) {
      const previous = before.get(duty.round);
      if (previous !== undefined && previous.creator === duty.creator && previous.done === duty.done) continue;
      this.patience.delete(duty.round);
      if (duty.done) {
        this.env.network.cancelTimer(this.id, `patience|${duty.round}`);
        this.env.observe({ _tag: "RoundComplete", node: this.id, round: duty.round });
        continue;
      }
      this.armPatience(duty);
      this.createBundle(duty);
    }
  }

  private createBundle(duty: Duty): void {
    if (duty.done || duty.creator === undefined || !this.behaviour.duties) return;
    if (!bytesEqual(duty.members[duty.creator] ?? new Uint8Array(), this.account.signing.publicKey)) return;
    const headers = createRoundMicroblocks(this, duty.round);
    if (headers !== undefined)
      this.submit(encodeRequest({ _tag: "Bundle", round: duty.round, creator: duty.creator, headers }));
  }

  /** A patience timer: give up on the round's current creator (or missing seed) and ask to skip it. */
  private patienceExpired(round: number): void {
    const duty = this.duties.get(round);
    if (duty === undefined || duty.done) return;
    this.patience.set(round, creatorTag(duty));
    this.touch();
    this.submit(encodeRequest({ _tag: "Skip", round, creator: creatorTag(duty) }));
    // our own duties may have been lost before GST: offer them again
    this.createBundle(duty);
    if (duty.creator === undefined && bytesEqual(duty.miner, this.account.signing.publicKey) && this.behaviour.duties) {
      this.submit(
        encodeRequest({
          _tag: "Seed",
          round,
          signature: signLeaderSeed(this.env.crypto, this.account, duty.keyblockId, round),
        }),
      );
    }
    this.env.network.setTimer(this.id, `patience|${round}`, this.env.config.protocol.patience_ms);
  }

  /** Offers every outstanding record transaction that is valid now to the current group. */
  resubmit(): void {
    for (const item of this.outstanding.values()) {
      if (!recordValidNow(this, item.tx)) continue;
      if (item.submitted < 0) this.env.observe({ _tag: "Submitted", node: this.id, txid: transactionId(item.tx) });
      item.submitted = this.epoch;
      this.submit(encodeRequest({ _tag: "Record", tx: item.tx }));
    }
  }

  // ---------------------------------------------------------------- messages and timers

  /** Asks a peer for the entries after ours (at most once per 2Δ). */
  requestSync(to: number | undefined): void {
    const now = this.env.network.now_ms;
    if (now - this.lastSync_ms < 2 * this.env.config.network.delta_ms) return;
    this.lastSync_ms = now;
    const peers = this.env.institutionKeys.length;
    const target = to ?? (this.id + 1 + this.env.chooser.next(Math.max(1, peers - 1))) % peers;
    this.send(target, { _tag: "SyncRequest", epoch: this.epoch, instance: this.log.applied });
  }

  private syncReply(from: number, epoch: number, instance: number): void {
    const entries: LogEntry[] = [];
    for (let e = epoch; e <= this.epoch && entries.length < SYNC_REPLY_MAX; e++) {
      const archived = this.archive.get(e) ?? [];
      for (let i = e === epoch ? instance : 0; i < archived.length && entries.length < SYNC_REPLY_MAX; i++) {
        const entry = archived[i];
        if (entry !== undefined) entries.push(entry);
      }
    }
    if (entries.length > 0) this.send(from, { _tag: "SyncReply", entries });
  }

  /** [MOD-5] An announced entry is taken when its certificate verifies for the epoch's group. */
  private onAnnounce(from: number, entry: LogEntry): void {
    if (entry.epoch > this.epoch) {
      this.defer(from, { _tag: "Announce", entry });
      this.requestSync(from);
      return;
    }
    if (entry.epoch < this.epoch || entry.instance < this.log.applied) return;
    const g = this.group;
    const checked = verifyCertificate(g.group, this.env.crypto, entry.certificate, "Commit", this.env.rules.quorum);
    if (Result.isFailure(checked) || entry.certificate.instance !== entry.instance) return;
    if (!bytesEqual(valueHash(entry.value), entry.certificate.value_hash)) return;
    this.addEntry(entry);
    if (entry.instance > this.log.applied && !this.log.entries.has(this.log.applied)) this.requestSync(from);
  }

  private onPinVote(from: number, m: Extract<Message, { _tag: "PinVote" }>): void {
    if (m.epoch > this.epoch) {
      this.defer(from, m);
      return;
    }
    if (m.epoch < this.epoch || m.instance < this.log.applied) return;
    const g = this.group;
    if (g.nodeMember.get(from) !== m.signer) return;
    const key = g.snapshot.members[m.signer]?.key;
    if (key === undefined) return;
    const statement = {
      kind: "Commit" as const,
      group: g.group.id,
      sender: m.signer,
      view: LEDGER_PIN_VIEW,
      instance: m.instance,
      value_hash: m.valueHash,
    };
    if (!this.env.crypto.verify(key, statementMessage(statement), m.signature)) return;
    this.recordVote(m.instance, m.signer, m.valueHash, m.signature);
  }

  private defer(from: number, message: Message): void {
    if (this.future.length < FUTURE_BUFFER_MAX) this.future.push({ from, message });
  }

  /** Entry point for every message (the run calls it; a node that is not alive gets none). */
  receive(from: number, message: Message): void {
    switch (message._tag) {
      case "Consensus":
        this.onConsensus(from, message.epoch, message.bytes, message.lane);
        break;
      case "Keyblock":
        onKeyblock(this, from, message.keyblock);
        break;
      case "Register": {
        const id = bytesToHex(transactionId(message.tx));
        if (!this.mempool.has(id)) this.mempool.set(id, message.tx);
        break;
      }
      case "Forward":
        if (message.epoch > this.epoch) this.defer(from, message);
        else if (message.epoch === this.epoch && this.group.self >= 0) this.submit(message.request);
        break;
      case "PinVote":
        this.onPinVote(from, message);
        break;
      case "Announce":
        this.onAnnounce(from, message.entry);
        break;
      case "SyncRequest":
        this.syncReply(from, message.epoch, message.instance);
        break;
      case "SyncReply":
        for (const entry of message.entries) this.onAnnounce(from, entry);
        break;
      default:
        handleCustodian(this, from, message);
    }
    this.settle();
  }

  private onConsensus(from: number, epoch: number, bytes: Uint8Array, lane: number): void {
    if (epoch > this.epoch) {
      this.defer(from, { _tag: "Consensus", epoch, bytes, lane });
      this.requestSync(from);
      return;
    }
    const machines = this.machines.get(epoch);
    const g = this.groups.get(epoch);
    if (machines === undefined || g === undefined) return;
    const member = g.nodeMember.get(from);
    if (member === undefined) return;
    for (const k of this.behaviour.inbound(from, lane, this.hook())) {
      const m = machines[k];
      if (m !== undefined) this.stepMachine(m, { _tag: "Receive", from: member, bytes });
    }
    if (this.behaviour.doubleVotes) this.doubleVote(epoch, bytes);
  }

  /** [MOD-7] An equivocator answers a proposal with a PREPARE for another value as well (evidence, BFT-14). */
  private doubleVote(epoch: number, bytes: Uint8Array): void {
    const g = this.groups.get(epoch);
    const decoded = decodeMessage(bytes);
    if (g === undefined || g.self < 0 || Result.isFailure(decoded) || decoded.success._tag !== "Propose") return;
    const p = decoded.success;
    const vote = signMessage<VoteMessage>(this.env.crypto, this.account.signing.secretKey, {
      _tag: "Prepare",
      group: g.group.id,
      sender: g.self,
      view: p.view,
      instance: p.instance,
      value_hash: valueHash(new Uint8Array([0xee, ...bytes.subarray(0, 8)])),
    });
    const out = encodeMessage(vote);
    for (const to of g.memberNodes)
      if (to >= 0 && to !== this.id) this.send(to, { _tag: "Consensus", epoch, bytes: out, lane: 0 });
  }

  /** Entry point for this node's timers. */
  timer(name: string): void {
    if (name.startsWith("c|")) {
      const [, epoch, k, ...rest] = name.split("|");
      const m = this.machines.get(Number(epoch))?.[Number(k)];
      if (m !== undefined) this.stepMachine(m, { _tag: "TimerExpired", timer: rest.join("|") });
    } else if (name === "reannounce") {
      this.reannounce();
    } else if (name.startsWith("pinwait|")) {
      const [, epoch, instance] = name.split("|");
      this.pinWaitExpired(Number(epoch), Number(instance));
    } else if (name.startsWith("patience|")) {
      this.patienceExpired(Number(name.slice("patience|".length)));
    }
    this.settle();
  }

  /** Entry point for the mining process: this node found the next keyblock's proof of work. */
  mine(): void {
    mineOnce(this);
    this.settle();
  }
}

/** [MB-1] [MB-3] The round's microblocks, created by this node as its creator (a bundle is all or nothing). */
const createRoundMicroblocks = (node: InstitutionNode, round: number): MicroblockHeader[] | undefined => {
  const pinned = node.ledger.keyblocks.get(round);
  if (pinned === undefined || pinned.created > 0) return undefined;
  return createMicroblocks(node.env.crypto, node.ledger, round, node.account.signing);
};

/** Is a record transaction valid against this node's ledger now (CHAIN-7 step 4 for it alone)? */
export const recordValidNow = (node: InstitutionNode, tx: RecordTx): boolean =>
  node.cachedValidity(`tx|${bytesToHex(transactionId(tx))}`, () =>
    Result.isSuccess(proposedBatchRoot(node.env.crypto, node.ledger, [tx])),
  );
