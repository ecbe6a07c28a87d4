/**
 * A member's state and the step function's inputs and outputs (spec/consensus.md, [BFT-1] the
 * interface, [BFT-15] bounds). The state is immutable data: `step` returns a new state and never
 * changes the one it was given, so a harness can keep and branch states freely. Every collection is
 * bounded: slots by 2W instances, votes by n per slot and kind, history by `params.history`, pending
 * requests by `params.max_pending_requests`, stored VIEW-CHANGEs by n, timers by pending + 2.
 * @module
 */
import type { PinCertificate } from "./certificate.js";
import type { Evidence } from "./evidence.js";
import type { PreparedEntry, ViewChangeMessage } from "./messages.js";
import type { NewViewPlan } from "./view-change.js";

/** A member's signed vote, kept to detect equivocation and to build certificates. */
export interface VoteRecord {
  readonly hash: Uint8Array;
  readonly signature: Uint8Array;
}

/** A proposal of the slot's view: signed by the leader, or fixed by the NEW-VIEW plan (no signature). */
export interface ProposalRecord {
  readonly value: Uint8Array;
  readonly hash: Uint8Array;
  readonly signature: Uint8Array | undefined;
}

/** A decided instance: its value and pin certificate. */
export interface Decided {
  readonly instance: number;
  readonly value: Uint8Array;
  readonly certificate: PinCertificate;
}

/** One instance of the window [low, low + 2W). Fields other than `prepared`/`decided` belong to `view`. */
export interface SlotState {
  readonly view: number;
  readonly proposal: ProposalRecord | undefined;
  /** This member sent PREPARE for `proposal` in `view`. */
  readonly accepted: boolean;
  readonly prepares: ReadonlyMap<number, VoteRecord>;
  readonly commits: ReadonlyMap<number, VoteRecord>;
  /** This member sent COMMIT in `view`. */
  readonly committed: boolean;
  /** The highest-view prepared certificate this member holds for the instance, with its value. */
  readonly prepared: PreparedEntry | undefined;
  readonly decided: Decided | undefined;
}

export interface PendingRequest {
  readonly request: Uint8Array;
  /** Hex of H_BFT_REQUEST(request): the request's identifier and timer name suffix. */
  readonly key: string;
}

export interface StoredViewChange {
  readonly message: ViewChangeMessage;
  readonly bytes: Uint8Array;
}

export type Status = "Normal" | "ViewChange";

/** [BFT-13] Decisions a member asked for (SYNC) that the receiver had not delivered yet. */
export interface SyncAsk {
  readonly next: number;
  readonly until: number;
}

export interface MemberState {
  readonly view: number;
  readonly status: Status;
  /** The next instance to deliver: every instance below it is delivered, in order. */
  readonly low: number;
  readonly slots: ReadonlyMap<number, SlotState>;
  /** The last `params.history` delivered instances, ascending and contiguous. */
  readonly history: readonly Decided[];
  /** Requests held and not yet settled, in arrival order. */
  readonly pending: readonly PendingRequest[];
  /** The latest valid VIEW-CHANGE of each member (its own included). */
  readonly view_changes: ReadonlyMap<number, StoredViewChange>;
  /** The encoded VIEW-CHANGE this member sent for `view` (status ViewChange). */
  readonly own_view_change: Uint8Array | undefined;
  /** The NEW-VIEW that started `view` (status Normal, view > 0): its plan and its bytes, to forward. */
  readonly new_view: { readonly plan: NewViewPlan; readonly message: Uint8Array } | undefined;
  /** The leader's next fresh instance. */
  readonly next_propose: number;
  /** The view of this member's last delivery (the backoff counts views since). */
  readonly progress_view: number;
  /** One past the highest instance this member knows to be decided. */
  readonly frontier: number;
  /** The low at which this member may ask for decisions again. */
  readonly sync_until: number;
  /**
   * [BFT-13] The part of each member's latest SYNC this member could not answer yet: the instances
   * [next, until) it sends that member as it delivers them.
   */
  readonly asks: ReadonlyMap<number, SyncAsk>;
  /** A VIEW-CHANGE for a later view arrived: the progress timer runs even without work. */
  readonly nudged: boolean;
  /** The timers this member has set and not cancelled or seen expire. */
  readonly timers: ReadonlySet<string>;
  /** Members already reported for equivocation. */
  readonly reported: ReadonlySet<number>;
}

/** [BFT-1] The state of a member that has not yet seen any input: view 0, normal, nothing delivered. */
export const initialState = (): MemberState => ({
  view: 0,
  status: "Normal",
  low: 0,
  slots: new Map(),
  history: [],
  pending: [],
  view_changes: new Map(),
  own_view_change: undefined,
  new_view: undefined,
  next_propose: 0,
  progress_view: 0,
  frontier: 0,
  sync_until: 0,
  asks: new Map(),
  nudged: false,
  timers: new Set(),
  reported: new Set(),
});

/** [BFT-1] What a member is given: a message (with the network's claim of its sender), a timer, a request. */
export type Input =
  | { readonly _tag: "Receive"; readonly from: number; readonly bytes: Uint8Array }
  | { readonly _tag: "TimerExpired"; readonly timer: string }
  | { readonly _tag: "Submit"; readonly request: Uint8Array };

/** [BFT-1] What a member asks its embedding to do; `Broadcast` goes to every other member. */
export type Output =
  | { readonly _tag: "Send"; readonly to: number; readonly message: Uint8Array }
  | { readonly _tag: "Broadcast"; readonly message: Uint8Array }
  | { readonly _tag: "SetTimer"; readonly timer: string; readonly delay_ms: number }
  | { readonly _tag: "CancelTimer"; readonly timer: string }
  | {
      readonly _tag: "Decide";
      readonly instance: number;
      readonly value: Uint8Array;
      readonly certificate: PinCertificate;
    }
  | { readonly _tag: "Evidence"; readonly evidence: Evidence };

export interface StepResult {
  readonly state: MemberState;
  readonly outputs: readonly Output[];
}

/** [BFT-10] Timer names: "progress", "view-change", and "request:<hex id>" per pending request. */
export const TIMER = {
  progress: "progress",
  viewChange: "view-change",
  request: (key: string) => `request:${key}`,
} as const;
