/**
 * The embedding of the throughput pipeline's members (spec/consensus.md [BFT-1]): an ideal network, a FIFO
 * of inputs per host, and nothing else. A host runs its worker thread's share of the group's members and
 * carries out their outputs: messages to
 * local members are queued, messages to members hosted elsewhere go to `remote`, decisions are applied to
 * the member's ledger (after the ledger pin votes of spec/model.md MOD-6, which travel beside the protocol's
 * messages), timers are never fired (no faults: a run must not need a view change, and one that
 * did would show in the decisions), and evidence is an error (every member is honest).
 *
 * After a member applies a decision it gets a tick, a `TimerExpired` for a timer it never set, which the
 * step ignores (BFT-10) except for the end-of-step work: the next instance's proposal is then accepted
 * (or, by the leader, made) without waiting for the next message.
 * @module
 */
import { type Input, step } from "../src/consensus/index.js";
import type { Applied, PinVote, PipelineMember, Progress } from "./throughput-member.js";

/** What travels between members: a protocol message, or a ledger pin vote. */
export type Payload =
  | { readonly kind: "bft"; readonly bytes: Uint8Array }
  | { readonly kind: "pin"; readonly vote: PinVote };

export interface HostEvents {
  readonly decided: (member: PipelineMember, applied: Applied) => void;
  readonly failed: (message: string) => void;
  /** Messages for members hosted elsewhere. */
  readonly remote: (targets: readonly number[], from: number, payload: Payload) => void;
}

const TICK: Input = { _tag: "TimerExpired", timer: "tick" };

type Work =
  | { readonly member: PipelineMember; readonly input: Input }
  | { readonly member: PipelineMember; readonly vote: PinVote };

export class GroupHost {
  private readonly local = new Map<number, PipelineMember>();
  private queue: Work[] = [];
  private head = 0;

  constructor(
    members: readonly PipelineMember[],
    private readonly size: number,
    private readonly events: HostEvents,
  ) {
    for (const member of members) this.local.set(member.index, member);
  }

  get idle(): boolean {
    return this.head >= this.queue.length;
  }

  private push(member: PipelineMember, input: Input): void {
    this.queue.push({ member, input });
  }

  private enqueue(target: PipelineMember, from: number, payload: Payload): void {
    if (payload.kind === "bft") this.push(target, { _tag: "Receive", from, bytes: payload.bytes });
    else this.queue.push({ member: target, vote: payload.vote });
  }

  submit(member: number, request: Uint8Array): void {
    const target = this.local.get(member);
    if (target === undefined) throw new RangeError(`member ${member} is not hosted here`);
    this.push(target, { _tag: "Submit", request });
  }

  /** A message from `from` for the local members among `targets`. */
  deliver(targets: readonly number[], from: number, payload: Payload): void {
    for (const to of targets) {
      const target = this.local.get(to);
      if (target !== undefined) this.enqueue(target, from, payload);
    }
  }

  private route(from: number, targets: readonly number[], payload: Payload): void {
    const away: number[] = [];
    for (const to of targets) {
      const target = this.local.get(to);
      if (target !== undefined) this.enqueue(target, from, payload);
      else away.push(to);
    }
    if (away.length === 0) return;
    this.events.remote(away, from, payload);
  }

  private others(member: PipelineMember): number[] {
    const others: number[] = [];
    for (let to = 0; to < this.size; to++) if (to !== member.index) others.push(to);
    return others;
  }

  /** Carries out a decision's or a vote's consequences; true if a batch was applied. */
  private progress(member: PipelineMember, progress: Progress): boolean {
    for (const vote of progress.votes) this.route(member.index, this.others(member), { kind: "pin", vote });
    for (const error of progress.errors) this.events.failed(error);
    for (const applied of progress.applied) this.events.decided(member, applied);
    return progress.applied.length > 0;
  }

  private run1(work: Work): void {
    const { member } = work;
    if ("vote" in work) {
      if (this.progress(member, member.pinVote(work.vote))) this.push(member, TICK);
      return;
    }
    const { state, outputs } = step(member.ctx, member.state, work.input);
    member.state = state;
    let decided = false;
    for (const output of outputs) {
      switch (output._tag) {
        case "Broadcast":
          this.route(member.index, this.others(member), { kind: "bft", bytes: output.message });
          break;
        case "Send":
          this.route(member.index, [output.to], { kind: "bft", bytes: output.message });
          break;
        case "SetTimer":
        case "CancelTimer":
          break;
        case "Decide":
          if (this.progress(member, member.decided(output.instance, output.value))) decided = true;
          break;
        case "Evidence":
          this.events.failed(
            `member ${member.index} reported member ${output.evidence.offender} (no member is Byzantine)`,
          );
          break;
      }
    }
    if (decided) this.push(member, TICK);
  }

  /** Runs queued inputs until the queue is empty or `budget_ms` has passed; true if work remains. */
  run(budget_ms: number): boolean {
    const deadline = performance.now() + budget_ms;
    while (this.head < this.queue.length) {
      const work = this.queue[this.head] as Work;
      this.head += 1;
      this.run1(work);
      if (performance.now() >= deadline) break;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return !this.idle;
  }
}

/** A submission as the feeder tracks it. */
export interface Outgoing {
  readonly member: number;
  readonly bytes: Uint8Array;
  /** Signature keys of its transactions (as in BatchValue.keys). */
  readonly keys: readonly string[];
  readonly txBytes: number;
}

/**
 * Closed-loop load: submits its submissions in order while at most `capBytes` of their transactions are
 * unpinned (as the observing member sees it), so that the leader always has a full batch waiting and
 * no member's pending set overflows.
 */
export class Feeder {
  private next = 0;
  private outstandingBytes = 0;
  private readonly outstanding = new Map<string, Outgoing>();

  constructor(
    private readonly host: GroupHost,
    private readonly submissions: readonly Outgoing[],
    private readonly capBytes: number,
  ) {}

  fill(): void {
    while (this.next < this.submissions.length && this.outstandingBytes < this.capBytes) {
      const s = this.submissions[this.next] as Outgoing;
      this.next += 1;
      this.outstanding.set(s.keys[0] as string, s);
      this.outstandingBytes += s.txBytes;
      this.host.submit(s.member, s.bytes);
    }
  }

  /** The observing member applied `applied`: its submissions in it are pinned. */
  settled(applied: Applied): void {
    for (const key of applied.value.keys) {
      const s = this.outstanding.get(key);
      if (s === undefined) continue;
      this.outstanding.delete(key);
      this.outstandingBytes -= s.txBytes;
    }
    this.fill();
  }
}
