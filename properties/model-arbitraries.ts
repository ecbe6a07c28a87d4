/**
 * fast-check arbitraries of model runs (spec/model.md, [MOD-2]): a configuration (group size, which
 * members are Byzantine and how, hash power, external reputation, patients' plans, the network's
 * semantics before GST) and a tape of choices. The fault model decides the Byzantine members: "within"
 * (at most f, and less than 1/3 of the reputation), "f+1" (one too many), or "third" (at most f members
 * holding at least 1/3 of the reputation through RepuCoin's Ext). Tapes shrink by removal (toward the
 * benign default), structure shrinks toward fewer members, patients and faults.
 */
import fc from "fast-check";
import type { BehaviourName, BehaviourSpec } from "../model/behaviours.js";
import type { NetworkParams, PatientSpec, RunConfig, Variant } from "../model/config.js";
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
}

const ALL: readonly BehaviourName[] = ["silent", "equivocate", "censor", "tamper", "curious", "selfish", "forger"];

/** [MOD-7] A behaviour of a kind, with its parameters drawn for a group of n. */
const behaviourArb = (kind: BehaviourName, n: number): fc.Arbitrary<BehaviourSpec> => {
  switch (kind) {
    case "equivocate":
      return fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((side) => ({ kind, side }));
    case "censor":
      return fc
        .record({ victim: fc.nat(n - 1), mode: fc.constantFrom("omit" as const, "bend" as const) })
        .map((r) => ({ kind, ...r }));
    case "tamper":
      return fc.constantFrom("flip" as const, "withhold" as const).map((mode) => ({ kind, mode }));
    case "forger":
      return fc.nat(n - 1).map((victim) => ({ kind, victim }));
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
  fc.integer({ min: 0, max: options.maxGstMs ?? 8_000 }).chain((gst_ms) =>
    fc.record({
      delta_ms: fc.constant(20),
      pre_gst_max_delay_ms: fc.integer({ min: 20, max: 300 }),
      gst_ms: fc.constant(gst_ms),
      drop_per_mille: fc.nat(options.maxDropPerMille ?? 200),
      dup_per_mille: fc.nat(100),
      partitions: fc.array(
        fc
          .record({
            start: fc.nat(gst_ms),
            length: fc.nat(gst_ms),
            side: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n + 3 }),
          })
          .map((p) => ({ start_ms: p.start, end_ms: Math.min(gst_ms, p.start + p.length), side: p.side })),
        { maxLength: 2 },
      ),
    }),
  );

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
    fc
      .uniqueArray(fc.nat(n - 1), { minLength: k, maxLength: k })
      .chain((members) =>
        fc
          .tuple(...members.map(() => fc.constantFrom(...kinds).chain((kind) => behaviourArb(kind, n))))
          .map((specs) => new Map(members.map((m, i) => [m, specs[i] as BehaviourSpec]))),
      ),
  );
};

/**
 * [MOD-2] A run of the small network: n institutions (all in the group), Byzantine members per the fault
 * model, one to three patients, a network that misbehaves until GST, and a tape.
 */
export const modelCaseArb = (options: CaseOptions = {}): fc.Arbitrary<ModelCase> =>
  fc.integer({ min: options.minMembers ?? 4, max: options.maxMembers ?? 7 }).chain((n) =>
    fc
      .record({
        behaviours: byzantineArb(n, options),
        hash: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: n, maxLength: n }),
        patients: fc.array(patientArb(n, options.share === true), {
          minLength: 1,
          maxLength: options.maxPatients ?? 2,
        }),
        network: networkArb(n, options),
        tape: fc.array(fc.noShrink(fc.nat(255)), { maxLength: options.maxTape ?? 600, size: "max" }),
      })
      .map((r) => {
        // "third": the Byzantine members get Ext = 0.6, so R = 0.7 against the honest 0.4: at least 1/3 of the group's R
        const ext = new Map(
          options.faults === "third" ? [...r.behaviours.keys()].map((m): [number, string] => [m, "600000000"]) : [],
        );
        // a forger's zombie patient registers with it and is treated by its victim, whose record it then relabels
        const zombies: PatientSpec[] = [...r.behaviours.entries()].flatMap(([m, b]) =>
          b.kind === "forger"
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
        const config = smallConfig({
          institutions: n,
          behaviours: r.behaviours,
          ext,
          hash: r.hash,
          patients: [...r.patients, ...zombies],
          network: r.network,
          mining_stop_ms: Math.max(r.network.gst_ms, 24_000) + 8_000,
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
