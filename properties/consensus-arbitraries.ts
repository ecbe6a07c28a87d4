/**
 * fast-check arbitraries for the pinning protocol (spec/consensus.md):
 * - its wire objects (BFT-4, BFT-5): structurally valid messages and certificates with arbitrary field
 *   values, for codec laws and fuzzing;
 * - scenarios for the simulator of model/consensus-sim.ts (BFT-16, BFT-17): group size, Byzantine members
 *   and their strategies, reputation weights under a fault model, requests, GST, losses and the tapes.
 */
import fc from "fast-check";
import { type Scenario, STRATEGIES, type Strategy } from "../model/consensus-sim.js";
import type {
  CertificateKind,
  Message,
  PreparedEntry,
  ViewChangeMessage,
  VoteCertificate,
} from "../src/consensus/index.js";

export const bytesArb = (maxLength: number) => fc.uint8Array({ maxLength });
export const fixedArb = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
export const hashArb = fixedArb(32);
export const signatureArb = fixedArb(64);
/** Views and instances: small ones mostly, and the extremes of the 53-bit range. */
export const u53Arb = fc.oneof(fc.nat(1000), fc.constantFrom(0, 2 ** 53 - 1), fc.maxSafeNat());
export const memberArb = fc.oneof(fc.nat(15), fc.constant(255));

export const certificateArb = (kind: CertificateKind, instance?: number): fc.Arbitrary<VoteCertificate> =>
  fc.record({
    kind: fc.constant(kind),
    group: hashArb,
    view: u53Arb,
    instance: instance === undefined ? u53Arb : fc.constant(instance),
    value_hash: hashArb,
    votes: fc
      .uniqueArray(fc.nat(255), { maxLength: 8 })
      .chain((signers) =>
        fc.tuple(
          ...signers.sort((a, b) => a - b).map((signer) => signatureArb.map((signature) => ({ signer, signature }))),
        ),
      ),
  });

const preparedArb: fc.Arbitrary<PreparedEntry[]> = fc
  .uniqueArray(fc.nat(1000), { maxLength: 3 })
  .chain((instances) =>
    fc.tuple(
      ...instances
        .sort((a, b) => a - b)
        .map((instance) => fc.record({ certificate: certificateArb("Prepare", instance), value: bytesArb(40) })),
    ),
  );

export const viewChangeArb = (sender?: number): fc.Arbitrary<ViewChangeMessage> =>
  fc
    .record({
      group: hashArb,
      sender: sender === undefined ? memberArb : fc.constant(sender),
      view: u53Arb,
      low: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
      prepared: preparedArb,
      signature: signatureArb,
    })
    .chain((vc) =>
      (vc.low > 0 ? certificateArb("Commit", vc.low - 1) : fc.constant(undefined)).map((low_certificate) => ({
        _tag: "ViewChange" as const,
        ...vc,
        low_certificate,
      })),
    );

/** One structurally valid message of each type, fields arbitrary. */
export const messageArb: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ _tag: fc.constant("Request" as const), request: bytesArb(64) }),
  fc.record({
    _tag: fc.constant("Propose" as const),
    group: hashArb,
    sender: memberArb,
    view: u53Arb,
    instance: u53Arb,
    value: bytesArb(64),
    signature: signatureArb,
  }),
  fc.record({
    _tag: fc.constantFrom("Prepare" as const, "Commit" as const),
    group: hashArb,
    sender: memberArb,
    view: u53Arb,
    instance: u53Arb,
    value_hash: hashArb,
    signature: signatureArb,
  }),
  viewChangeArb(),
  fc
    .uniqueArray(fc.nat(15), { maxLength: 3 })
    .chain((senders) => fc.tuple(...senders.sort((a, b) => a - b).map((s) => viewChangeArb(s))))
    .chain((view_changes) =>
      fc.record({
        _tag: fc.constant("NewView" as const),
        group: hashArb,
        sender: memberArb,
        view: u53Arb,
        view_changes: fc.constant(view_changes),
        signature: signatureArb,
      }),
    ),
  fc.record({
    _tag: fc.constant("Decision" as const),
    certificate: certificateArb("Commit") as fc.Arbitrary<VoteCertificate & { kind: "Commit" }>,
    value: bytesArb(64),
  }),
  fc.record({ _tag: fc.constant("Sync" as const), group: hashArb, low: u53Arb }),
);

/** A byte-level mutation of an encoding: flip, truncate, append, insert or delete. */
export const mutationArb = fc.record({
  kind: fc.constantFrom("flip", "truncate", "append", "insert", "delete"),
  at: fc.nat(),
  byte: fc.integer({ min: 1, max: 255 }),
});

export const mutate = (bytes: Uint8Array, m: { kind: string; at: number; byte: number }): Uint8Array => {
  const at = bytes.length === 0 ? 0 : m.at % bytes.length;
  switch (m.kind) {
    case "flip": {
      const out = bytes.slice();
      if (out.length > 0) out[at] = (out[at] ?? 0) ^ m.byte;
      return out;
    }
    case "truncate":
      return bytes.slice(0, at);
    case "append":
      return Uint8Array.from([...bytes, m.byte]);
    case "insert":
      return Uint8Array.from([...bytes.slice(0, at), m.byte, ...bytes.slice(at)]);
    default:
      return Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + 1)]);
  }
};

// ---------------------------------------------------------------- scenarios

export type FaultModel = "within" | "f+1" | "over-third" | "exact-third";

const faultsOf = (n: number): number => Math.floor((n - 1) / 3);

/** Makes the Byzantine weights meet the fault model (integer arithmetic on raw weights). */
const adjustWeights = (weights: number[], byzantine: readonly number[], model: FaultModel): number[] => {
  const isByz = (i: number) => byzantine.includes(i);
  const sum = (pred: (i: number) => boolean) => weights.reduce((acc, w, i) => (pred(i) ? acc + w : acc), 0);
  const honest = sum((i) => !isByz(i));
  const byz = sum(isByz);
  const first = byzantine[0];
  if (first === undefined) return weights;
  if (model === "within" || model === "f+1") {
    if (model === "within" && 2 * byz >= honest) {
      // scale Byzantine weights so that 2 * byz < honest, i.e. byz < total / 3
      return weights.map((w, i) => (isByz(i) ? Math.floor((w * (honest - 1)) / (2 * byz)) : w));
    }
    return weights;
  }
  if (model === "over-third") {
    // the first Byzantine member gains the honest total: the Byzantine share is then about one half
    return weights.map((w, i) => (i === first ? w + honest : w));
  }
  // exact-third: honest weights equal, the Byzantine total exactly half of theirs (one third of all)
  const honestCount = weights.length - byzantine.length;
  return weights.map((_, i) => (isByz(i) ? (i === first ? honestCount : 0) : 2));
};

export interface ScenarioOptions {
  readonly minMembers?: number;
  readonly maxMembers?: number;
  readonly model?: FaultModel;
  readonly strategies?: readonly Strategy[];
  readonly minRequests?: number;
  readonly maxRequests?: number;
  readonly maxTape?: number;
  readonly maxNoise?: number;
  readonly maxGstMs?: number;
  readonly minGstMs?: number;
  readonly maxDropPercent?: number;
  readonly minCommitDropPercent?: number;
  readonly maxCommitDropPercent?: number;
  readonly isolateDecider?: boolean;
  /** At least this many Byzantine members (at most f). */
  readonly minByzantine?: number;
  /** Partition sides fixed in advance (index = member), instead of chosen by fast-check. */
  readonly sides?: readonly boolean[];
  /** This member is Byzantine (when any is): negative controls aim the search at an attack. */
  readonly forceByzantine?: number;
}

export const scenarioArb = (options: ScenarioOptions = {}): fc.Arbitrary<Scenario> => {
  const model = options.model ?? "within";
  const strategies = options.strategies ?? STRATEGIES;
  return fc.integer({ min: options.minMembers ?? 4, max: options.maxMembers ?? 7 }).chain((n) => {
    const f = faultsOf(n);
    const least = Math.min(f, options.minByzantine ?? (model === "within" ? 0 : 1));
    const count = model === "f+1" ? fc.constant(f + 1) : fc.integer({ min: least, max: Math.max(f, 1) });
    return count.chain((k) =>
      fc
        .record({
          byzantine: fc.uniqueArray(fc.nat(n - 1), { minLength: k, maxLength: k }).map((b) => {
            const forced = options.forceByzantine;
            return forced === undefined || forced >= n || k === 0 || b.includes(forced) ? b : [forced, ...b.slice(1)];
          }),
          strategies: fc.array(fc.constantFrom(...strategies), { minLength: k, maxLength: k }),
          weights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }),
          sides:
            options.sides?.length === n
              ? fc.constant(options.sides)
              : fc.array(fc.boolean(), { minLength: n, maxLength: n }),
          requests: fc.array(fc.record({ at_ms: fc.nat(options.maxGstMs ?? 1500), to: fc.nat(n - 1) }), {
            minLength: options.minRequests ?? 1,
            maxLength: Math.max(options.minRequests ?? 1, options.maxRequests ?? 4),
          }),
          gst_ms: fc.integer({ min: options.minGstMs ?? 0, max: options.maxGstMs ?? 1500 }),
          drop_percent: fc.nat(options.maxDropPercent ?? 60),
          commit_drop_percent: fc.integer({
            min: options.minCommitDropPercent ?? 0,
            max: options.maxCommitDropPercent ?? 90,
          }),
          // choices shrink by removal (toward the benign default), not one by one: shrinking stays cheap
          tape: fc.array(fc.noShrink(fc.nat(255)), { maxLength: options.maxTape ?? 300, size: "max" }),
          noise: fc.array(fc.noShrink(fc.nat(255)), { maxLength: options.maxNoise ?? 200, size: "max" }),
          isolate_decider: options.isolateDecider === undefined ? fc.boolean() : fc.constant(options.isolateDecider),
        })
        .map((r) => ({ n, ...r, weights: adjustWeights(r.weights, r.byzantine, model) })),
    );
  });
};
