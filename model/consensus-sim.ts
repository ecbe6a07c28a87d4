/**
 * A small deterministic simulator for the pinning protocol (spec/consensus.md): n members run `step`
 * over an in-memory network whose schedule fast-check chooses through a tape of small integers (delays,
 * drops, duplicates, early timers before GST, Byzantine choices). After GST every message between
 * members arrives within DELTA_MS and timers fire on time. Shrinking a tape toward zeros and a shorter
 * length makes the schedule benign, so counterexamples shrink to the few choices that matter.
 * Byzantine members (at most f and < 1/3 of the reputation unless a negative control says otherwise):
 * - silent: never sends;
 * - twins: two honest state machines with the same key, each talking to one side of a partition
 *   (equivocating leader, double votes, inconsistent view changes; Twins, Bano et al.);
 * - clone: two honest state machines with the same key, both connected to everyone (a member restarted
 *   without its memory while the old process still runs: it equivocates in plain sight);
 * - noisy: an honest machine plus tape-chosen garbage, replays, forgeries, conflicting votes and
 *   proposals, and amnesic VIEW-CHANGEs (prepared certificates dropped, re-signed);
 * - censor: an honest machine whose application never assembles the censored requests and whose own
 *   request timers never fire;
 * - rogue: an honest machine whose COMMIT votes reach only side 0 (a decision on one side only), that
 *   ignores COMMITs (so it never delivers, reports low 0 and has no decision to help laggards with),
 *   and that, whenever it leads a view, also proposes values of its own (every other one invalid) from
 *   the view's first free instance and votes for them.
 * The network may also isolate the first honest member to decide (its messages are lost until GST).
 * The scenarios themselves are drawn by properties/consensus-arbitraries.ts (`scenarioArb`); failing ones are
 * saved as regression vectors by model/consensus-regression.ts.
 */

import { Result } from "effect";
import {
  type Application,
  type ConsensusGroup,
  type ConsensusParams,
  consensusGroup,
  DEFAULT_RULES,
  decodeMessage,
  type Evidence,
  encodeMessage,
  type Input,
  initialState,
  type MemberContext,
  type MemberState,
  type Message,
  MSG,
  memberContext,
  type NewViewPlan,
  type Output,
  type PinCertificate,
  type ProposeMessage,
  type ProtocolRules,
  type SignatureScheme,
  signMessage,
  step,
  type ViewChangeMessage,
  type VoteMessage,
  valueHash,
  verifyEvidence,
  verifyPinCertificate,
} from "../src/consensus/index.js";
import { bytesEqual, bytesToHex, concatBytes } from "../src/crypto/bytes.js";
import { sha256 } from "../src/crypto/hash.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import { EventHeap } from "./heap.js";

// ---------------------------------------------------------------- crypto and keys

const idealKeys = new Map<string, Uint8Array>();

/**
 * An ideal signature scheme for simulation: sig = SHA-256(sk ‖ msg) ‖ 0^32, verified by looking the
 * secret key up from the public key. Unforgeable inside the harness (Byzantine members hold only their
 * own secret keys) and about 100 times faster than Ed25519; the Ed25519 path has its own suite.
 */
export const idealCrypto: SignatureScheme = {
  sign: (secretKey, message) => concatBytes(sha256(concatBytes(secretKey, message)), new Uint8Array(32)),
  verify: (publicKey, message, signature) => {
    const secretKey = idealKeys.get(bytesToHex(publicKey));
    if (secretKey === undefined || signature.length !== 64) return false;
    return bytesEqual(signature, idealCrypto.sign(secretKey, message));
  },
};

export const memberSecret = (index: number): Uint8Array =>
  sha256(new TextEncoder().encode(`spchain-consensus-harness-member-${index}`));

export const idealPublicKey = (secretKey: Uint8Array): Uint8Array => {
  const publicKey = sha256(concatBytes(new TextEncoder().encode("pk"), secretKey));
  idealKeys.set(bytesToHex(publicKey), secretKey);
  return publicKey;
};

// ---------------------------------------------------------------- the test application

/** Requests are 'R' ‖ u32 id; a value is u8 count ‖ requests (1..VALUE_CAPACITY, distinct). */
export const VALUE_CAPACITY = 3;

export const request = (id: number): Uint8Array => {
  const bytes = new Uint8Array(5);
  bytes[0] = 0x52;
  new DataView(bytes.buffer).setUint32(1, id);
  return bytes;
};

const isRequest = (bytes: Uint8Array): boolean => bytes.length === 5 && bytes[0] === 0x52;

export const parseValue = (value: Uint8Array): Uint8Array[] | undefined => {
  const count = value[0] ?? 0;
  if (count < 1 || count > VALUE_CAPACITY || value.length !== 1 + 5 * count) return undefined;
  const requests: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const r = value.subarray(1 + 5 * i, 6 + 5 * i);
    if (!isRequest(r) || requests.some((q) => bytesEqual(q, r))) return undefined;
    requests.push(r);
  }
  return requests;
};

export const encodeValue = (requests: readonly Uint8Array[]): Uint8Array =>
  concatBytes(new Uint8Array([requests.length]), ...requests);

export const requestId = (r: Uint8Array): number => new DataView(r.buffer, r.byteOffset).getUint32(1);

/** The honest application; `censored` ids are never assembled (a censoring leader's application). */
export const testApp = (censored: ReadonlySet<number> = new Set()): Application => ({
  isValidRequest: isRequest,
  isValidValue: (_instance, value) => parseValue(value) !== undefined,
  settles: (value, r) => parseValue(value)?.some((q) => bytesEqual(q, r)) ?? false,
  assemble: (_instance, pending) => {
    const chosen = pending.filter((r) => !censored.has(requestId(r))).slice(0, VALUE_CAPACITY);
    return chosen.length === 0 ? undefined : encodeValue(chosen);
  },
});

// ---------------------------------------------------------------- scenarios

export const STRATEGIES = ["silent", "twins", "clone", "noisy", "censor", "rogue"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Scenario {
  readonly n: number;
  readonly byzantine: readonly number[];
  readonly strategies: readonly Strategy[];
  /** Raw reputation weights, scaled into fixed point by `snapshotOf`. */
  readonly weights: readonly number[];
  readonly sides: readonly boolean[];
  readonly requests: readonly { readonly at_ms: number; readonly to: number }[];
  readonly gst_ms: number;
  readonly drop_percent: number;
  /** Before GST, the share of COMMIT messages lost (on top of nothing else): decisions on few members. */
  readonly commit_drop_percent: number;
  readonly tape: readonly number[];
  /** The Byzantine members' own choices (noisy moves), apart from the network's. */
  readonly noise: readonly number[];
  /** Before GST, every message of the first honest member to decide is lost from that decision on. */
  readonly isolate_decider: boolean;
}

export const DELTA_MS = 10;
export const PRE_GST_MAX_DELAY_MS = 150;
export const HARNESS_PARAMS: ConsensusParams = {
  window: 4,
  timeout_base_ms: 100,
  backoff_cap: 3,
  max_pending_requests: 64,
  history: 64,
};
/** A value no honest application accepts (rogue and noisy members propose it). */
export const INVALID_VALUE = new Uint8Array([0xff]);

/** The request censored by "censor" members (the first request of every scenario). */
export const CENSORED_ID = 1;

/**
 * [BFT-17] The liveness bound the harness checks, from spec/consensus.md: after max(GST, submission),
 * every request held by an honest member is delivered by every honest member within
 * (f + 3) * (T_max + 10 * DELTA) + 20 * DELTA, T_max = T0 * 2^backoff_cap.
 */
export const livenessBoundMs = (faults: number, params: ConsensusParams = HARNESS_PARAMS): number => {
  const tMax = params.timeout_base_ms * 2 ** params.backoff_cap;
  return (faults + 3) * (tMax + 10 * DELTA_MS) + 20 * DELTA_MS;
};

export const snapshotOf = (scenario: Scenario, publicKey: (secretKey: Uint8Array) => Uint8Array = idealPublicKey) => ({
  members: scenario.weights.map((weight, index) => ({
    key: publicKey(memberSecret(index)),
    reputation: (BigInt(weight) * REPUTATION_SCALE) / 1000n,
  })),
});

// ---------------------------------------------------------------- simulation

class Tape {
  private at = 0;
  constructor(private readonly values: readonly number[]) {}
  /** The next choice in [0, bound); 0 once the tape is used up (the benign default). */
  next(bound: number): number {
    const value = this.values[this.at];
    if (value === undefined) return 0;
    this.at += 1;
    return value % bound;
  }
}

interface Node {
  readonly id: number;
  readonly member: number;
  /** Partition side: the twin index for twins, the scenario's side bit for others. */
  readonly side: number;
  readonly honest: boolean;
  readonly strategy: Strategy | undefined;
  readonly ctx: MemberContext;
  state: MemberState;
  readonly timers: Map<string, number>;
  /** The last signed statement-carrying message this node received (noisy members equivocate on it). */
  lastSeen: ProposeMessage | VoteMessage | undefined;
  /** The last view in which a rogue node made its own proposals. */
  roguedView: number;
}

type Event =
  | { readonly kind: "deliver"; readonly to: number; readonly from: number; readonly bytes: Uint8Array }
  | { readonly kind: "timer"; readonly node: number; readonly timer: string; readonly generation: number }
  | { readonly kind: "submit"; readonly node: number; readonly request: Uint8Array };

export interface SimulationOptions {
  /** The rules honest members run (negative controls break one). */
  readonly rules?: ProtocolRules;
  /** The application honest members run (negative controls weaken it); validity is judged by testApp(). */
  readonly honestApp?: Application;
  /** Timers the embedding never fires (a negative control drops request timers). */
  readonly dropTimer?: (timer: string) => boolean;
  /** Stop at the first disagreement or broken lock among honest members (negative controls: faster). */
  readonly stopOnDisagreement?: boolean;
  /** Run until GST plus this long instead of the liveness horizon (safety-only checks: faster). */
  readonly afterGstMs?: number;
  /** Stop after this many events (a guard; runs stay far below it). */
  readonly maxEvents?: number;
  readonly params?: ConsensusParams;
  /** The signature scheme and key derivation (default: the ideal scheme; Ed25519 in its own suite). */
  readonly crypto?: { readonly scheme: SignatureScheme; readonly publicKey: (secretKey: Uint8Array) => Uint8Array };
  /** Receives one line per event (debugging and counterexample reports). */
  readonly trace?: (line: string) => void;
}

/** One-line summary of an encoded message, for traces. */
export const describeMessage = (bytes: Uint8Array): string => {
  const decoded = decodeMessage(bytes);
  if (Result.isFailure(decoded)) return `garbage(${bytes.length}B)`;
  const m = decoded.success;
  switch (m._tag) {
    case "Request":
      return `REQUEST r${requestId(m.request)}`;
    case "Propose":
      return `PROPOSE v${m.view} i${m.instance} [${(parseValue(m.value) ?? []).map(requestId).join(",")}] by ${m.sender}`;
    case "Prepare":
    case "Commit":
      return `${m._tag.toUpperCase()} v${m.view} i${m.instance} ${bytesToHex(m.value_hash).slice(0, 6)} by ${m.sender}`;
    case "ViewChange":
      return `VIEW-CHANGE v${m.view} low ${m.low} prepared [${m.prepared.map((p) => `i${p.certificate.instance}@v${p.certificate.view}`).join(",")}] by ${m.sender}`;
    case "NewView":
      return `NEW-VIEW v${m.view} from [${m.view_changes.map((vc) => vc.sender).join(",")}] by ${m.sender}`;
    case "Decision":
      return `DECISION i${m.certificate.instance} [${(parseValue(m.value) ?? []).map(requestId).join(",")}]`;
    case "Sync":
      return `SYNC low ${m.low}`;
  }
};

export interface Delivery {
  readonly instance: number;
  readonly value: Uint8Array;
  readonly certificate: PinCertificate;
  readonly time: number;
}

export interface Report {
  readonly scenario: Scenario;
  readonly group: ConsensusGroup;
  readonly crypto: SignatureScheme;
  /** Deliveries of each honest member, in order. */
  readonly deliveries: ReadonlyMap<number, readonly Delivery[]>;
  readonly evidence: readonly { readonly by: number; readonly evidence: Evidence }[];
  readonly events: number;
  readonly end_ms: number;
  readonly horizon_ms: number;
  readonly obligations: readonly { readonly id: number; readonly from_ms: number }[];
  readonly thrown: string | undefined;
  /** The highest view any honest member reached. */
  readonly max_view: number;
  /** Every NEW-VIEW plan an honest member adopted. */
  readonly plans: readonly AdoptedPlan[];
}

export interface AdoptedPlan {
  readonly member: number;
  readonly view: number;
  readonly plan: NewViewPlan;
}

/** Runs one scenario to its horizon; everything that happens is a function of the scenario. */
export const simulate = (scenario: Scenario, options: SimulationOptions = {}): Report => {
  const params = options.params ?? HARNESS_PARAMS;
  const crypto = options.crypto?.scheme ?? idealCrypto;
  const snapshot = snapshotOf(scenario, options.crypto?.publicKey);
  const groupResult = consensusGroup(0, snapshot);
  if (Result.isFailure(groupResult)) throw new Error(`harness: bad group ${groupResult.failure.message}`);
  const group = groupResult.success;
  const tape = new Tape(scenario.tape);
  const noiseTape = new Tape(scenario.noise);
  // the queue is not bounded here: maxEvents bounds a run
  const queue = new EventHeap<Event>(Number.MAX_SAFE_INTEGER);
  const nodes: Node[] = [];
  const byMember = new Map<number, Node[]>();
  const strategyOf = (member: number): Strategy | undefined => {
    const k = scenario.byzantine.indexOf(member);
    return k < 0 ? undefined : scenario.strategies[k];
  };
  const contextFor = (member: number, app: Application, rules: ProtocolRules): MemberContext => {
    const ctx = memberContext({
      epoch: 0,
      snapshot,
      self: member,
      secretKey: memberSecret(member),
      crypto: crypto,
      app,
      params,
      rules,
    });
    if (Result.isFailure(ctx)) throw new Error(`harness: ${ctx.failure.message}`);
    return ctx.success;
  };
  const addNode = (member: number, side: number, strategy: Strategy | undefined): Node => {
    const honest = strategy === undefined;
    const app = honest
      ? (options.honestApp ?? testApp())
      : strategy === "censor"
        ? testApp(new Set([CENSORED_ID]))
        : testApp();
    const node: Node = {
      id: nodes.length,
      member,
      side,
      honest,
      strategy,
      ctx: contextFor(member, app, options.rules ?? DEFAULT_RULES),
      state: initialState(),
      timers: new Map(),
      lastSeen: undefined,
      roguedView: -1,
    };
    nodes.push(node);
    byMember.set(member, [...(byMember.get(member) ?? []), node]);
    return node;
  };
  for (let member = 0; member < scenario.n; member++) {
    const strategy = strategyOf(member);
    const side = scenario.sides[member] ? 1 : 0;
    if (strategy === "silent") continue;
    if (strategy === "twins" || strategy === "clone") {
      addNode(member, 0, strategy);
      addNode(member, 1, strategy);
    } else addNode(member, side, strategy);
  }

  let now = 0;
  const deliveries = new Map<number, Delivery[]>();
  const evidence: { by: number; evidence: Evidence }[] = [];
  const log: Uint8Array[] = [];
  const plans: AdoptedPlan[] = [];
  const firstDecided = new Map<number, { value: Uint8Array; view: number }>();
  let disagreed = false;

  /**
   * The nodes that receive a message from `sender` addressed to `member`: a twin talks only to its side
   * of the partition, and a message to a member with twins reaches the twin on the sender's side.
   */
  const receivers = (sender: Node, member: number): Node[] => {
    const targets = byMember.get(member) ?? [];
    const partitioned = sender.strategy === "twins" || targets.some((t) => t.strategy === "twins");
    return partitioned ? targets.filter((t) => t.side === sender.side) : targets;
  };

  let isolated: number | undefined;
  const transmit = (sender: Node, member: number, bytes: Uint8Array): void => {
    if (sender.member === isolated && now < scenario.gst_ms) return;
    for (const target of receivers(sender, member)) {
      if (now < scenario.gst_ms) {
        const action = tape.next(100);
        const loss =
          bytes[1] === MSG.Commit
            ? Math.max(scenario.drop_percent, scenario.commit_drop_percent)
            : scenario.drop_percent;
        if (action >= 100 - loss) continue;
        const delay = 1 + tape.next(DELTA_MS) + (tape.next(4) === 3 ? tape.next(PRE_GST_MAX_DELAY_MS) : 0);
        queue.push(now + delay, { kind: "deliver", to: target.id, from: sender.member, bytes });
        if (action === 1)
          queue.push(now + delay + tape.next(PRE_GST_MAX_DELAY_MS), {
            kind: "deliver",
            to: target.id,
            from: sender.member,
            bytes,
          });
      } else {
        queue.push(now + 1 + tape.next(DELTA_MS), { kind: "deliver", to: target.id, from: sender.member, bytes });
      }
    }
  };

  const broadcastFrom = (sender: Node, bytes: Uint8Array): void => {
    const oneSided = sender.strategy === "rogue" && bytes[1] === MSG.Commit;
    for (let member = 0; member < scenario.n; member++) {
      if (member !== sender.member && !(oneSided && scenario.sides[member])) transmit(sender, member, bytes);
    }
  };

  const handleOutputs = (node: Node, outputs: readonly Output[]): void => {
    if (scenario.isolate_decider && isolated === undefined && node.honest && outputs.some((o) => o._tag === "Decide")) {
      isolated = node.member;
    }
    for (const out of outputs) {
      switch (out._tag) {
        case "Send":
          transmit(node, out.to, out.message);
          break;
        case "Broadcast":
          broadcastFrom(node, byzantineRewrite(node, out.message));
          if (log.length < 2000) log.push(out.message);
          break;
        case "SetTimer": {
          const generation = (node.timers.get(out.timer) ?? 0) + 1;
          node.timers.set(out.timer, generation);
          if (options.dropTimer?.(out.timer) && node.honest) break;
          // a censor never suspects itself over the requests it leaves out
          if (node.strategy === "censor" && out.timer.startsWith("request:")) break;
          const early = now < scenario.gst_ms && tape.next(8) === 7 ? tape.next(out.delay_ms) : 0;
          queue.push(now + out.delay_ms - early, { kind: "timer", node: node.id, timer: out.timer, generation });
          break;
        }
        case "CancelTimer":
          node.timers.delete(out.timer);
          break;
        case "Decide":
          if (node.honest) {
            const list = deliveries.get(node.member) ?? [];
            list.push({ instance: out.instance, value: out.value, certificate: out.certificate, time: now });
            deliveries.set(node.member, list);
            const first = firstDecided.get(out.instance);
            if (first === undefined) firstDecided.set(out.instance, { value: out.value, view: out.certificate.view });
            else if (!bytesEqual(first.value, out.value)) disagreed = true;
          }
          break;
        case "Evidence":
          if (node.honest) evidence.push({ by: node.member, evidence: out.evidence });
          break;
      }
    }
  };

  /** Amnesic VIEW-CHANGEs of noisy members: prepared certificates dropped, re-signed. */
  const byzantineRewrite = (node: Node, bytes: Uint8Array): Uint8Array => {
    if (node.strategy !== "noisy" || noiseTape.next(2) === 0) return bytes;
    const decoded = decodeMessage(bytes);
    if (Result.isFailure(decoded) || decoded.success._tag !== "ViewChange") return bytes;
    const { signature: _, ...vc } = decoded.success;
    return encodeMessage(signMessage<ViewChangeMessage>(crypto, memberSecret(node.member), { ...vc, prepared: [] }));
  };

  const runStep = (node: Node, input: Input): void => {
    const result = step(node.ctx, node.state, input);
    if (options.trace !== undefined) {
      const what =
        input._tag === "Receive"
          ? `<- ${input.from} ${describeMessage(input.bytes)}`
          : input._tag === "TimerExpired"
            ? `timer ${input.timer.slice(0, 20)}`
            : `submit r${requestId(input.request)}`;
      const outs = result.outputs
        .map((o) =>
          o._tag === "Broadcast"
            ? `bcast ${describeMessage(o.message)}`
            : o._tag === "Send"
              ? `-> ${o.to} ${describeMessage(o.message)}`
              : o._tag === "Decide"
                ? `DECIDE i${o.instance} [${(parseValue(o.value) ?? []).map(requestId).join(",")}]`
                : o._tag === "Evidence"
                  ? `EVIDENCE ${o.evidence.offender}`
                  : "",
        )
        .filter((x) => x !== "");
      options.trace(
        `${now} n${node.member}${node.strategy === "twins" || node.strategy === "clone" ? `/${node.side}` : ""} v${result.state.view}${result.state.status === "Normal" ? "" : "*"} ${what}${outs.length ? ` => ${outs.join("; ")}` : ""}`,
      );
    }
    const before = node.state.new_view;
    node.state = result.state;
    const after = node.state.new_view;
    if (node.honest && after !== undefined && after !== before) {
      const { plan } = after;
      plans.push({ member: node.member, view: node.state.view, plan });
      for (const [instance, d] of firstDecided) {
        const fixed = plan.values.get(instance);
        if (instance >= plan.base && d.view < node.state.view && (fixed === undefined || !bytesEqual(fixed, d.value)))
          disagreed = true;
      }
    }
    if (node.strategy === "rogue") rogueProposals(node);
    handleOutputs(node, result.outputs);
  };

  /**
   * A rogue leader of a new view proposes its own values from the view's base, whatever the plan says,
   * and votes PREPARE and COMMIT for them (to everyone, before its honest machine's own votes).
   */
  const rogueProposals = (node: Node): void => {
    const { view, status, new_view, low } = node.state;
    if (status !== "Normal" || view <= node.roguedView || view % scenario.n !== node.member) return;
    node.roguedView = view;
    const secret = memberSecret(node.member);
    const from = new_view?.plan.base ?? low;
    for (let k = 0; k < params.window; k++) {
      const value = k % 2 === 0 ? encodeValue([request(950 + k)]) : INVALID_VALUE;
      const base = { group: group.id, sender: node.member, view, instance: from + k };
      const messages: Message[] = [
        signMessage<ProposeMessage>(crypto, secret, { _tag: "Propose", ...base, value }),
        signMessage<VoteMessage>(crypto, secret, { _tag: "Prepare", ...base, value_hash: valueHash(value) }),
        signMessage<VoteMessage>(crypto, secret, { _tag: "Commit", ...base, value_hash: valueHash(value) }),
      ];
      for (const m of messages) {
        const bytes = encodeMessage(m);
        for (let member = 0; member < scenario.n; member++) if (member !== node.member) transmit(node, member, bytes);
      }
    }
  };

  /** Noisy members' extra moves, chosen by the tape after each message they receive. */
  const noise = (node: Node): void => {
    const choice = noiseTape.next(8);
    const target = noiseTape.next(scenario.n);
    const sendTo = (bytes: Uint8Array) => transmit(node, target, bytes);
    switch (choice) {
      case 1:
        sendTo(Uint8Array.from({ length: noiseTape.next(64) }, () => noiseTape.next(256)));
        break;
      case 2: {
        const replay = log[noiseTape.next(Math.max(1, log.length))];
        if (replay !== undefined) sendTo(replay);
        break;
      }
      case 3:
      case 4: {
        const seen = node.lastSeen;
        if (seen === undefined) break;
        const other = valueHash(encodeValue([request(900 + noiseTape.next(8))]));
        const value = noiseTape.next(2) === 0 ? encodeValue([request(900 + noiseTape.next(8))]) : INVALID_VALUE;
        const base = { group: group.id, sender: node.member, view: seen.view, instance: seen.instance };
        const forged: Message =
          choice === 3
            ? signMessage<VoteMessage>(crypto, memberSecret(node.member), {
                _tag: noiseTape.next(2) === 0 ? "Prepare" : "Commit",
                ...base,
                value_hash: other,
              })
            : signMessage<ProposeMessage>(crypto, memberSecret(node.member), { _tag: "Propose", ...base, value });
        sendTo(encodeMessage(forged));
        break;
      }
      case 5: {
        const replay = log[noiseTape.next(Math.max(1, log.length))];
        if (replay === undefined) break;
        const forged = replay.slice();
        const at = noiseTape.next(forged.length);
        forged[at] = (forged[at] ?? 0) ^ (1 + noiseTape.next(255));
        sendTo(forged);
        break;
      }
      default:
        break;
    }
  };

  for (const node of nodes) {
    if (node.strategy === "twins" || node.strategy === "clone") {
      queue.push(0, { kind: "submit", node: node.id, request: request(900 + node.side) });
    }
  }
  const obligations: { id: number; from_ms: number }[] = [];
  scenario.requests.forEach((r, k) => {
    const id = k + 1;
    const targets = byMember.get(r.to) ?? [];
    for (const node of targets) queue.push(r.at_ms, { kind: "submit", node: node.id, request: request(id) });
    if (strategyOf(r.to) === undefined) obligations.push({ id, from_ms: Math.max(r.at_ms, scenario.gst_ms) });
  });
  const lastObligation = obligations.reduce((m, o) => Math.max(m, o.from_ms), scenario.gst_ms);
  const horizon_ms =
    options.afterGstMs === undefined
      ? lastObligation + livenessBoundMs(group.faults, params)
      : scenario.gst_ms + options.afterGstMs;
  const maxEvents = options.maxEvents ?? 200_000;
  let events = 0;
  let thrown: string | undefined;
  try {
    for (; events < maxEvents; events++) {
      const item = queue.pop();
      if (item === undefined || item.time_ms > horizon_ms || (disagreed && options.stopOnDisagreement)) break;
      now = item.time_ms;
      const event = item.event;
      const node = nodes[event.kind === "deliver" ? event.to : event.node];
      if (node === undefined) continue;
      if (event.kind === "deliver") {
        if (node.strategy === "rogue" && event.bytes[1] === MSG.Commit) continue;
        if (node.strategy === "noisy") {
          const decoded = decodeMessage(event.bytes);
          if (Result.isSuccess(decoded) && ["Propose", "Prepare", "Commit"].includes(decoded.success._tag)) {
            node.lastSeen = decoded.success as ProposeMessage | VoteMessage;
          }
        }
        runStep(node, { _tag: "Receive", from: event.from, bytes: event.bytes });
        if (node.strategy === "noisy") noise(node);
      } else if (event.kind === "timer") {
        if (node.timers.get(event.timer) !== event.generation) continue;
        node.timers.delete(event.timer);
        runStep(node, { _tag: "TimerExpired", timer: event.timer });
      } else {
        runStep(node, { _tag: "Submit", request: event.request });
      }
    }
  } catch (error) {
    thrown = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  }
  const max_view = nodes.reduce((m, node) => (node.honest ? Math.max(m, node.state.view) : m), 0);
  return {
    scenario,
    group,
    crypto,
    deliveries,
    evidence,
    events,
    end_ms: now,
    horizon_ms,
    obligations,
    thrown,
    max_view,
    plans,
  };
};

// ---------------------------------------------------------------- checks (each returns violations)

export const honestMembers = (scenario: Scenario): number[] =>
  Array.from({ length: scenario.n }, (_, i) => i).filter((i) => !scenario.byzantine.includes(i));

/** [BFT-16] Agreement: no two honest members deliver different values for one instance. */
export const agreementViolations = (report: Report): string[] => {
  const seen = new Map<number, { member: number; value: Uint8Array }>();
  const out: string[] = [];
  for (const [member, list] of report.deliveries) {
    for (const d of list) {
      const first = seen.get(d.instance);
      if (first === undefined) seen.set(d.instance, { member, value: d.value });
      else if (!bytesEqual(first.value, d.value)) {
        out.push(
          `instance ${d.instance}: member ${first.member} ${bytesToHex(first.value)} vs member ${member} ${bytesToHex(d.value)}`,
        );
      }
    }
  }
  return out;
};

/**
 * [BFT-16] The lock: a value decided in a view before w is what every NEW-VIEW plan of view w
 * re-proposes at its instance (when the plan starts at or below it). This is the inductive step of the
 * safety argument, checked directly; a forgetful view change breaks it before it breaks agreement.
 */
export const lockViolations = (report: Report): string[] => {
  const decided = new Map<number, Delivery>();
  for (const list of report.deliveries.values())
    for (const d of list) if (!decided.has(d.instance)) decided.set(d.instance, d);
  const out: string[] = [];
  for (const { member, view, plan } of report.plans) {
    for (const [instance, d] of decided) {
      if (instance < plan.base || d.certificate.view >= view) continue;
      const fixed = plan.values.get(instance);
      if (fixed === undefined || !bytesEqual(fixed, d.value)) {
        out.push(
          `member ${member} view ${view}: plan from base ${plan.base} does not re-propose instance ${instance} decided in view ${d.certificate.view}`,
        );
      }
    }
  }
  return out;
};

/** [BFT-9] Deliveries are in order without gaps: the k-th delivery of a member is instance k. */
export const orderViolations = (report: Report): string[] =>
  [...report.deliveries].flatMap(([member, list]) =>
    list.flatMap((d, k) => (d.instance === k ? [] : [`member ${member}: delivery ${k} is instance ${d.instance}`])),
  );

/** [BFT-7] Validity: every decided value is valid for the (true) application, or the empty no-op. */
export const validityViolations = (report: Report): string[] => {
  const app = testApp();
  return [...report.deliveries].flatMap(([member, list]) =>
    list.flatMap((d) =>
      d.value.length === 0 || app.isValidValue(d.instance, d.value)
        ? []
        : [`member ${member} instance ${d.instance}: invalid value ${bytesToHex(d.value)}`],
    ),
  );
};

/** [BFT-5] Every delivery carries a pin certificate that verifies with the strong quorum rule. */
export const certificateViolations = (report: Report): string[] =>
  [...report.deliveries].flatMap(([member, list]) =>
    list.flatMap((d) => {
      const verified = verifyPinCertificate(report.group, report.crypto, d.certificate);
      const matches = d.certificate.instance === d.instance && bytesEqual(d.certificate.value_hash, valueHash(d.value));
      if (Result.isFailure(verified)) return [`member ${member} instance ${d.instance}: ${verified.failure.message}`];
      return matches ? [] : [`member ${member} instance ${d.instance}: certificate of another value`];
    }),
  );

/** [BFT-17] Liveness: every obligation delivered by every honest member within the bound after max(GST, submit). */
export const livenessViolations = (report: Report): string[] => {
  const bound = livenessBoundMs(report.group.faults);
  const out: string[] = [];
  for (const member of honestMembers(report.scenario)) {
    const list = report.deliveries.get(member) ?? [];
    for (const o of report.obligations) {
      const at = list.find((d) => parseValue(d.value)?.some((r) => requestId(r) === o.id))?.time;
      if (at === undefined || at > o.from_ms + bound) {
        out.push(
          `member ${member}: request ${o.id} (due from ${o.from_ms} ms) ${at === undefined ? "never delivered" : `delivered at ${at} ms`}`,
        );
      }
    }
  }
  return out;
};

/** [BFT-14] Evidence output by honest members verifies and names a Byzantine member. */
export const evidenceViolations = (report: Report): string[] =>
  report.evidence.flatMap(({ by, evidence }) => {
    const verified = verifyEvidence(report.group, report.crypto, evidence);
    if (Result.isFailure(verified)) return [`member ${by}: invalid evidence ${verified.failure.message}`];
    return report.scenario.byzantine.includes(evidence.offender)
      ? []
      : [`member ${by} accused honest ${evidence.offender}`];
  });

export const robustnessViolations = (report: Report): string[] => (report.thrown === undefined ? [] : [report.thrown]);

/** Quorum rules broken on purpose, for negative controls ([BFT-2]). */
export const BROKEN_QUORUMS = {
  /** 2f signers, reputation ignored (a plain "2f" quorum). */
  twoF: (group: ConsensusGroup, signers: readonly number[]) => signers.length >= Math.max(1, 2 * group.faults),
  /** 2f+1 signers and at least (not strictly more than) 2/3 of the reputation. */
  atLeastTwoThirds: (group: ConsensusGroup, signers: readonly number[]) => {
    const weight = signers.reduce((sum, i) => sum + (group.snapshot.members[i]?.reputation ?? 0n), 0n);
    return signers.length >= 2 * group.faults + 1 && 3n * weight >= 2n * group.total_reputation;
  },
};

/** [BFT-12] A view change that forgets prepared values: the plan keeps base and re-proposes nothing. */
export const forgetfulReproposals: ProtocolRules["reproposals"] = (view_changes) => {
  const base = view_changes.reduce((m, vc) => Math.max(m, vc.low), 0);
  return { base, last: base - 1, values: new Map() };
};

/** A compact description of a scenario for reports: its size in choices. */
export const scenarioSize = (s: Scenario): string =>
  `n=${s.n} byzantine=[${s.byzantine.join(",")}] strategies=[${s.strategies.join(",")}] requests=${s.requests.length} gst=${s.gst_ms} drop=${s.drop_percent}%/${s.commit_drop_percent}% tape=${s.tape.length} noise=${s.noise.length}${s.isolate_decider ? " isolate" : ""}`;
