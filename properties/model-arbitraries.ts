/**
 * fast-check arbitraries of model runs (spec/model.md, [MOD-2]): a configuration (group size, which
 * members are Byzantine and how, hash power, external reputation, patients' plans, the network's
 * semantics before GST) and a tape of choices. The fault model decides the Byzantine members: "within"
 * (at most f, and less than 1/3 of the reputation), "f+1" (one too many), or "third" (at most f members
 * holding at least 1/3 of the reputation through RepuCoin's Ext). A forger's and a fraudster's zombie
 * patients are added to the plans. Tapes shrink by removal (toward the
 * benign default), structure shrinks toward fewer members, patients and faults.
 */
import fc from "fast-check";
import type { BehaviourName, BehaviourSpec } from "../model/behaviours.js";
import type { NetworkParams, PatientSpec, RunConfig, Variant } from "../model/config.js";
import { BOTH_SIDES } from "../model/network.js";
import { smallConfig } from "../model/scenarios.js";

export interface ModelCase {
  readonly config: RunConfig;
  readonly tape: readonly number[];
}

export type FaultModel = "within" | "f+1" | "third";

export interface CaseOptions {
  readonly minMembers?: number;
  readonly maxMembers?: number;
  readonly faults?: FaultModel;
  /** Byzantine behaviours to draw from. */
  readonly behaviours?: readonly BehaviourName[];
  readonly variant?: Variant;
  readonly maxGstMs?: number;
  readonly maxDropPerMille?: number;
  readonly maxTape?: number;
  readonly maxPatients?: number;
  /** Every patient shares a record with a delegatee (confidentiality controls). */
  readonly share?: boolean;
  /**
   * Twins that split the honest members: every equivocator uses one side assignment that puts half of
   * the honest members on each side (the f+1 agreement control), and GST comes late enough for both
   * sides to decide before it.
   */
  readonly splitTwins?: boolean;
  /** Node 0 (the leader of view 0 at genesis) is among the Byzantine members (implied by `splitTwins`). */
  readonly leaderByzantine?: boolean;
  /** Group sizes to draw from instead of the range (the split-twins control needs n = 3f + 1). */
  readonly sizes?: readonly number[];
  /** GST at least this (default 0). */
  readonly minGstMs?: number;
  /** End runs (and mining) at this virtual time: a control whose bug shows early need not run on. */
  readonly horizonMs?: number;
  /** A calm network: no loss, duplicates or partitions (controls whose bug does not need them shrink faster). */
  readonly calm?: boolean;
  /** Shrink the tape too (default); false keeps it whole and shrinks only the structure (faster). */
  readonly shrinkTape?: boolean;
}

const ALL: readonly BehaviourName[] = [
  "silent",
  "equivocate",
  "censor",
  "tamper",
  "curious",
  "selfish",
  "forger",
  "sybil",
  "flash",
  "fraud",
];

/** [MOD-7] A behaviour of a kind for member `self`, with its parameters drawn for a group of n. */
const behaviourArb = (kind: BehaviourName, n: number, self: number): fc.Arbitrary<BehaviourSpec> => {
  switch (kind) {
    case "equivocate":
      return fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((side) => ({ kind, side }));
    case "censor":
      return fc
        .record({ victim: fc.nat(n - 1), mode: fc.constantFrom("omit" as const, "bend" as const) })
        .map((r) => ({ kind, ...r }));
    case "tamper":
      return fc.constantFrom("flip" as const, "withhold" as const).map((mode) => ({ kind, mode }));
    case "flash":
      return fc
        .record({ from_ms: fc.nat(20_000), length_ms: fc.nat(20_000), rented: fc.integer({ min: 1, max: 40 }) })
        .map((r) => ({ kind, from_ms: r.from_ms, until_ms: r.from_ms + r.length_ms, rented: r.rented }));
    case "sybil":
      return fc.constant({ kind, owner: self });
    case "forger":
      // another institution: relabelling its own records is the issuer's right, not a forgery
      return fc.nat(n - 2).map((k) => ({ kind, victim: (self + 1 + k) % n }));
    default:
      return fc.constant({ kind } as BehaviourSpec);
  }
};

const patientArb = (n: number, share: boolean): fc.Arbitrary<PatientSpec> =>
  fc
    .record({
      home: fc.nat(n - 1),
      other: fc.nat(n - 1),
      delegatee: fc.nat(n - 1),
      start: fc.nat(3_000),
      label: fc.boolean(),
      retrieve: fc.boolean(),
      share: share ? fc.constant(true) : fc.boolean(),
    })
    .map((p) => ({
      home: p.home,
      actions: [
        { at_ms: p.start, kind: "register" as const },
        { at_ms: p.start + 6_000, kind: "consult" as const, institution: p.home },
        { at_ms: p.start + 7_000, kind: "consult" as const, institution: p.other },
        ...(p.label ? [{ at_ms: p.start + 12_000, kind: "label" as const, institution: p.home }] : []),
        ...(p.share
          ? [{ at_ms: p.start + 16_000, kind: "share" as const, custodian: p.home, delegatee: p.delegatee }]
          : []),
        ...(p.retrieve ? [{ at_ms: p.start + 20_000, kind: "retrieve" as const }] : []),
      ],
    }));

const networkArb = (n: number, options: CaseOptions): fc.Arbitrary<NetworkParams> =>
  fc.integer({ min: options.minGstMs ?? 0, max: options.maxGstMs ?? 8_000 }).chain((gst_ms) =>
    fc.record({
      delta_ms: fc.constant(20),
      pre_gst_max_delay_ms: fc.integer({ min: 20, max: 300 }),
      gst_ms: fc.constant(gst_ms),
      drop_per_mille: options.calm === true ? fc.constant(0) : fc.nat(options.maxDropPerMille ?? 200),
      dup_per_mille: options.calm === true ? fc.constant(0) : fc.nat(100),
      partitions: fc.array(
        fc
          .record({
            start: fc.nat(gst_ms),
            length: fc.nat(gst_ms),
            side: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n + 3 }),
          })
          .map((p) => ({ start_ms: p.start, end_ms: Math.min(gst_ms, p.start + p.length), side: p.side })),
        { maxLength: options.calm === true ? 0 : 2 },
      ),
    }),
  );

/** [MOD-2] A tape of choices; it shrinks by removal (toward the benign default), unless `shrinkTape` is false. */
const tapeArb = (options: CaseOptions): fc.Arbitrary<number[]> => {
  const tape = fc.array(fc.noShrink(fc.nat(255)), { maxLength: options.maxTape ?? 600, size: "max" });
  return options.shrinkTape === false ? fc.noShrink(tape) : tape;
};

/** With `splitTwins`, an equivocator's sides: the honest members alternate sides 0 and 1, in index order. */
const splitTwins = (
  options: CaseOptions,
  n: number,
  byzantine: readonly number[],
  spec: BehaviourSpec,
): BehaviourSpec => {
  if (options.splitTwins !== true || spec.kind !== "equivocate") return spec;
  let next = 0;
  const side = Array.from({ length: n }, (_, i) => (byzantine.includes(i) ? 0 : next++ % 2));
  return { kind: "equivocate", side };
};

/** Byzantine members and their behaviours under the fault model. */
const byzantineArb = (n: number, options: CaseOptions) => {
  const f = Math.floor((n - 1) / 3);
  const faults = options.faults ?? "within";
  const kinds = options.behaviours ?? ALL;
  const count =
    faults === "f+1"
      ? fc.constant(f + 1)
      : faults === "third"
        ? fc.integer({ min: 1, max: Math.max(1, f) })
        : fc.nat(f);
  return count.chain((k) =>
    (options.splitTwins === true || options.leaderByzantine === true
      ? // the leader of view 0 (member 0, node 0 at genesis) is a twin: it proposes to each side on its own
        fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: k - 1, maxLength: k - 1 }).map((m) => [0, ...m])
      : fc.uniqueArray(fc.nat(n - 1), { minLength: k, maxLength: k })
    ).chain((members) =>
      fc
        .tuple(...members.map((m) => fc.constantFrom(...kinds).chain((kind) => behaviourArb(kind, n, m))))
        .map(
          (specs) => new Map(members.map((m, i) => [m, splitTwins(options, n, members, specs[i] as BehaviourSpec)])),
        ),
    ),
  );
};

/**
 * [MOD-2] A run of the small network: n institutions (all in the group), Byzantine members per the fault
 * model, one to three patients, a network that misbehaves until GST, and a tape.
 */
export const modelCaseArb = (options: CaseOptions = {}): fc.Arbitrary<ModelCase> =>
  (options.sizes === undefined
    ? fc.integer({ min: options.minMembers ?? 4, max: options.maxMembers ?? 7 })
    : fc.constantFrom(...options.sizes)
  ).chain((n) =>
    fc
      .record({
        behaviours: byzantineArb(n, options),
        hash: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: n, maxLength: n }),
        patients: fc.array(patientArb(n, options.share === true), {
          minLength: Math.min(1, options.maxPatients ?? 2),
          maxLength: options.maxPatients ?? 2,
        }),
        network: networkArb(n, options),
        tape: tapeArb(options),
      })
      .map((r) => {
        // "third": the Byzantine members get Ext = 0.6, so R = 0.7 against the honest 0.4: at least 1/3 of the group's R
        const ext = new Map(
          options.faults === "third" ? [...r.behaviours.keys()].map((m): [number, string] => [m, "600000000"]) : [],
        );
        // a forger's zombie patient registers with it and is treated by its victim, whose record it then relabels
        const zombies: PatientSpec[] = [...r.behaviours.entries()].flatMap(([m, b]) =>
          b.kind === "fraud"
            ? [
                {
                  home: m,
                  colludesWith: m,
                  actions: [
                    { at_ms: 300, kind: "register" as const },
                    { at_ms: 6_800, kind: "consult" as const, institution: m },
                  ],
                },
              ]
            : b.kind === "forger"
              ? [
                  {
                    home: m,
                    colludesWith: m,
                    actions: [
                      { at_ms: 200, kind: "register" as const },
                      { at_ms: 6_500, kind: "consult" as const, institution: b.victim },
                    ],
                  },
                ]
              : [],
        );
        // split twins: the honest halves are cut from each other until GST; the twins straddle the cut
        const twins = [...r.behaviours.values()].find((b) => b.kind === "equivocate" && options.splitTwins === true);
        const network =
          twins?.kind === "equivocate"
            ? {
                ...r.network,
                partitions: [
                  {
                    start_ms: 0,
                    end_ms: r.network.gst_ms,
                    side: twins.side.map((s, i) => (r.behaviours.has(i) ? BOTH_SIDES : s)),
                  },
                ],
              }
            : r.network;
        const config = smallConfig({
          institutions: n,
          behaviours: r.behaviours,
          ext,
          hash: r.hash,
          patients: [...r.patients, ...zombies],
          network,
          mining_stop_ms: Math.min(Math.max(r.network.gst_ms, 24_000) + 8_000, options.horizonMs ?? Infinity),
          ...(options.horizonMs === undefined ? {} : { horizon_ms: options.horizonMs }),
          variant: options.variant ?? "real",
        });
        return { config, tape: r.tape };
      }),
  );

/** A one-line description of a case, for reports. */
export const describeCase = (c: ModelCase): string => {
  const byz = c.config.institutions
    .map((s, i) => (s.behaviour.kind === "honest" ? undefined : `${i}:${s.behaviour.kind}`))
    .filter((x) => x !== undefined);
  const net = c.config.network;
  return `n=${c.config.institutions.length} byzantine=[${byz.join(",")}] patients=${c.config.patients.length} gst=${net.gst_ms} drop=${net.drop_per_mille}‰ dup=${net.dup_per_mille}‰ partitions=${net.partitions.length} tape=${c.tape.length}`;
};
