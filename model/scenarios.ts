/**
 * Ready-made configurations (spec/model.md, [MOD-3] timing, [MOD-13] scenarios): the small network the
 * property suites vary, and its defaults. The paper's 26-institution network for `npm start` is in
 * paper.ts.
 * @module
 */
import type { BehaviourSpec } from "./behaviours.js";
import type { InstitutionSpec, NetworkParams, PatientSpec, ProtocolParams, RunConfig, Variant } from "./config.js";

/** [MOD-3] The small network's protocol: T0 = 300 ms ≥ 10Δ, backoff cap 3 (T_max = 2.4 s). */
export const smallProtocol = (groupSize: number): ProtocolParams => ({
  consensus: { window: 4, timeout_base_ms: 300, backoff_cap: 3, max_pending_requests: 256, history: 64 },
  capacity: 16,
  table_max: 256,
  patience_ms: 1_500,
  retry_ms: 1_000,
  retries: 40,
  group: { kind: "size", size: groupSize },
  reputation: { preset: "spchain", chunkSize: 144 },
});

export const calmNetwork = (gst_ms = 0): NetworkParams => ({
  delta_ms: 20,
  pre_gst_max_delay_ms: 200,
  gst_ms,
  drop_per_mille: 0,
  dup_per_mille: 0,
  partitions: [],
});

export interface SmallOptions {
  readonly institutions: number;
  readonly behaviours?: ReadonlyMap<number, BehaviourSpec>;
  readonly ext?: ReadonlyMap<number, string>;
  readonly hash?: readonly number[];
  readonly patients?: readonly PatientSpec[];
  readonly network?: NetworkParams;
  readonly horizon_ms?: number;
  readonly mining_stop_ms?: number;
  readonly variant?: Variant;
  readonly seed?: string;
}

/** A patient that registers at its home, is treated at two institutions (twice at the first), is labelled, shares and retrieves. */
export const typicalPatient = (home: number, other: number, start_ms: number, delegatee: number): PatientSpec => ({
  home,
  actions: [
    { at_ms: start_ms, kind: "register" },
    { at_ms: start_ms + 6_000, kind: "consult", institution: home },
    { at_ms: start_ms + 7_000, kind: "consult", institution: other },
    { at_ms: start_ms + 9_000, kind: "consult", institution: home },
    { at_ms: start_ms + 14_000, kind: "label", institution: home },
    { at_ms: start_ms + 18_000, kind: "share", custodian: home, delegatee },
    { at_ms: start_ms + 22_000, kind: "retrieve" },
  ],
});

/** A zombie of institution x: registered there, three consultations there (fake transactions to itself). */
export const zombie = (x: number, start_ms: number): PatientSpec => ({
  home: x,
  colludesWith: x,
  actions: [
    { at_ms: start_ms, kind: "register" },
    { at_ms: start_ms + 6_000, kind: "consult", institution: x },
    { at_ms: start_ms + 7_000, kind: "consult", institution: x },
    { at_ms: start_ms + 8_000, kind: "consult", institution: x },
  ],
});

/** [MOD-13] The small network the property suites vary: n institutions, all in the group. */
export const smallConfig = (o: SmallOptions): RunConfig => {
  const n = o.institutions;
  const institutions: InstitutionSpec[] = Array.from({ length: n }, (_, i) => ({
    hash_share: o.hash?.[i] ?? 1,
    ext: o.ext?.get(i) ?? "0",
    behaviour: o.behaviours?.get(i) ?? { kind: "honest" },
  }));
  return {
    seed: o.seed ?? "spchain-model-small",
    institutions,
    patients: o.patients ?? [typicalPatient(0, 1 % n, 100, 2 % n)],
    network: o.network ?? calmNetwork(),
    mining: {
      first_ms: 500,
      stop_ms: o.mining_stop_ms ?? 32_000,
      min_interval_ms: 2_000,
      max_interval_ms: 4_000,
      max_registers: 64,
    },
    protocol: smallProtocol(n),
    horizon_ms: o.horizon_ms ?? 200_000,
    max_steps: 400_000,
    emr_bytes: 1024,
    variant: o.variant ?? "real",
  };
};
