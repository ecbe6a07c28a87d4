/**
 * The in-memory network and the virtual clock (spec/model.md, [MOD-1]). Every send and timer becomes an
 * event of one heap ordered by (virtual time, sequence), so the next event is a function of the schedule.
 * Before GST the schedule decides each message's fate: lost (per mille), cut by an active partition,
 * delayed 1..pre_gst_max_delay_ms, sometimes delivered twice; timers may fire early (clock drift). From
 * GST on, every message between live nodes arrives within 1..Δ ms and timers fire on time.
 * Bounds: at most LINK_CAPACITY messages in flight per directed link and EVENTS_CAPACITY events in all;
 * a message beyond a bound is not sent and the overflow is counted (the run reports it, MOD-1).
 * @module
 */
import { type Chooser, chance } from "./chooser.js";
import type { NetworkParams } from "./config.js";
import { EventHeap } from "./heap.js";
import type { Message } from "./messages.js";

/** [MOD-1] Messages in flight on one directed link, at most. */
export const LINK_CAPACITY = 4096;
/** [MOD-1] Events (messages, timers, stimuli) queued at once, at most. */
export const EVENTS_CAPACITY = 1_000_000;
/** [MOD-1] A partition side that keeps its links to both sides (a Byzantine node straddling the cut). */
export const BOTH_SIDES = 2;
/** Before GST, one timer in EARLY_TIMER_ODDS fires early. */
const EARLY_TIMER_ODDS = 8;

export type SimEvent =
  | {
      readonly _tag: "Deliver";
      readonly from: number;
      readonly to: number;
      readonly message: Message;
      readonly sent_ms: number;
    }
  | { readonly _tag: "Timer"; readonly node: number; readonly name: string; readonly generation: number }
  | { readonly _tag: "Mine" }
  | { readonly _tag: "Action"; readonly patient: number; readonly action: number };

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  partitioned: number;
  duplicated: number;
  overflow: number;
  /** Overflows after GST: they break the model's own reliability assumption. */
  overflowAfterGst: number;
}

export class Network {
  readonly heap = new EventHeap<SimEvent>(EVENTS_CAPACITY);
  readonly stats: NetworkStats = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    partitioned: 0,
    duplicated: 0,
    overflow: 0,
    overflowAfterGst: 0,
  };
  private readonly inFlight = new Map<number, number>();
  /** Live timers: node|name → the generation of its latest setting (generations are unique per run). */
  private readonly generations = new Map<string, number>();
  private generation = 0;
  now_ms = 0;

  constructor(
    readonly params: NetworkParams,
    private readonly chooser: Chooser,
  ) {}

  get afterGst(): boolean {
    return this.now_ms >= this.params.gst_ms;
  }

  private cut(from: number, to: number): boolean {
    for (const p of this.params.partitions) {
      if (this.now_ms < p.start_ms || this.now_ms >= p.end_ms) continue;
      const a = p.side[from] ?? 0;
      const b = p.side[to] ?? 0;
      if (a !== b && a !== BOTH_SIDES && b !== BOTH_SIDES) return true;
    }
    return false;
  }

  private enqueue(time_ms: number, event: SimEvent): boolean {
    if (this.heap.push(time_ms, event)) return true;
    this.stats.overflow += 1;
    if (this.afterGst) this.stats.overflowAfterGst += 1;
    return false;
  }

  private link(from: number, to: number): number {
    return from * 65_536 + to;
  }

  /** [MOD-1] Sends `message`; its fate before GST is the schedule's. */
  send(from: number, to: number, message: Message): void {
    this.stats.sent += 1;
    const link = this.link(from, to);
    const flying = this.inFlight.get(link) ?? 0;
    if (flying >= LINK_CAPACITY) {
      this.stats.overflow += 1;
      if (this.afterGst) this.stats.overflowAfterGst += 1;
      return;
    }
    const event: SimEvent = { _tag: "Deliver", from, to, message, sent_ms: this.now_ms };
    if (this.afterGst) {
      if (this.enqueue(this.now_ms + 1 + this.chooser.next(this.params.delta_ms), event))
        this.inFlight.set(link, flying + 1);
      return;
    }
    if (this.cut(from, to)) {
      this.stats.partitioned += 1;
      return;
    }
    if (chance(this.chooser, this.params.drop_per_mille)) {
      this.stats.dropped += 1;
      return;
    }
    const delay = 1 + this.chooser.next(this.params.pre_gst_max_delay_ms);
    if (!this.enqueue(this.now_ms + delay, event)) return;
    let copies = 1;
    if (chance(this.chooser, this.params.dup_per_mille)) {
      const again = delay + 1 + this.chooser.next(this.params.pre_gst_max_delay_ms);
      if (this.enqueue(this.now_ms + again, event)) {
        this.stats.duplicated += 1;
        copies += 1;
      }
    }
    this.inFlight.set(link, flying + copies);
  }

  /** A delivery leaves its link. */
  delivered(from: number, to: number): void {
    this.stats.delivered += 1;
    const link = this.link(from, to);
    this.inFlight.set(link, Math.max(0, (this.inFlight.get(link) ?? 1) - 1));
  }

  /** [MOD-1] Sets (or replaces) a node's timer; before GST it may fire early. */
  setTimer(node: number, name: string, delay_ms: number): void {
    const generation = ++this.generation;
    this.generations.set(`${node}|${name}`, generation);
    const early = !this.afterGst && this.chooser.next(EARLY_TIMER_ODDS) === EARLY_TIMER_ODDS - 1;
    const delay = early ? Math.max(1, delay_ms - this.chooser.next(Math.max(1, delay_ms))) : delay_ms;
    this.enqueue(this.now_ms + Math.max(1, delay), { _tag: "Timer", node, name, generation });
  }

  cancelTimer(node: number, name: string): void {
    this.generations.delete(`${node}|${name}`);
  }

  /** Is this timer event the latest setting of its timer (not cancelled or replaced)? It fires at most once. */
  fires(node: number, name: string, generation: number): boolean {
    const key = `${node}|${name}`;
    if (this.generations.get(key) !== generation) return false;
    this.generations.delete(key);
    return true;
  }

  /** Schedules a stimulus (mining, a patient's action) at an absolute time. */
  schedule(time_ms: number, event: SimEvent): void {
    this.enqueue(Math.max(this.now_ms, time_ms), event);
  }
}
