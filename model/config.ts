/**
 * A run's configuration (spec/model.md, [MOD-2] the schedule, [MOD-3] timing): who takes part (the
 * institutions with their hash power, external reputation and behaviour; the patients with their plans),
 * the network's semantics, the mining process, the protocol parameters, and which deliberately broken
 * variant (if any) the honest nodes run. A configuration is plain JSON-serializable data, so a regression
 * vector stores it whole; together with the schedule (a tape or a seed) it replays a run exactly.
 * @module
 */
import type { ConsensusParams } from "../src/consensus/params.js";
import type { BehaviourSpec } from "./behaviours.js";

/** [MOD-1] The network's semantics. */
export interface NetworkParams {
  /** Δ: after GST every message arrives within 1..Δ ms. */
  readonly delta_ms: number;
  /** Before GST a message takes 1..pre_gst_max_delay_ms (and may be lost or duplicated). */
  readonly pre_gst_max_delay_ms: number;
  readonly gst_ms: number;
  /** Before GST: the chance, per mille, that a message is lost / sent twice. */
  readonly drop_per_mille: number;
  readonly dup_per_mille: number;
  /** Partitions before GST: while one is active, messages between its two sides are lost. */
  readonly partitions: readonly Partition[];
}

/** [MOD-1] A partition [start_ms, end_ms) (end_ms ≤ GST): `side[node]` is 0 or 1, or 2 for both (beyond the list: 0). */
export interface Partition {
  readonly start_ms: number;
  readonly end_ms: number;
  readonly side: readonly number[];
}

/** [MOD-3] Keyblocks are found at intervals drawn in [min, max] ms, by a miner drawn by hash share. */
export interface MiningParams {
  readonly first_ms: number;
  /** No keyblock is found after this time (a run then quiesces once its work is done). */
  readonly stop_ms: number;
  readonly min_interval_ms: number;
  readonly max_interval_ms: number;
  /** Register transactions a keyblock carries at most. */
  readonly max_registers: number;
}

export interface InstitutionSpec {
  /** Hash power, in any unit (the draw is proportional). */
  readonly hash_share: number;
  /** RepuCoin's external reputation Ext in [0, 10^9] (REP-7), set at genesis; "0" if none. */
  readonly ext: string;
  readonly behaviour: BehaviourSpec;
}

export type PatientAction =
  | { readonly at_ms: number; readonly kind: "register" }
  | { readonly at_ms: number; readonly kind: "consult"; readonly institution: number }
  | { readonly at_ms: number; readonly kind: "label"; readonly institution: number }
  | { readonly at_ms: number; readonly kind: "share"; readonly custodian: number; readonly delegatee: number }
  | { readonly at_ms: number; readonly kind: "retrieve" };

export interface PatientSpec {
  /** The institution the patient registers with (and takes pinned headers from, MOD-4). */
  readonly home: number;
  readonly actions: readonly PatientAction[];
  /** A patient that signs whatever this institution prepares (a zombie of a Byzantine institution). */
  readonly colludesWith?: number;
}

/** [MOD-10] Deliberately broken rules, for negative controls; "real" is the system as specified. */
export type Variant =
  | "real"
  | "quorum-2f"
  | "skip-hver"
  | "no-content-check"
  | "encrypt-to-custodian"
  | "accept-conflicting-keyblock"
  | "forget-fraud";

export const VARIANTS: readonly Variant[] = [
  "real",
  "quorum-2f",
  "skip-hver",
  "no-content-check",
  "encrypt-to-custodian",
  "accept-conflicting-keyblock",
  "forget-fraud",
];

export interface ProtocolParams {
  readonly consensus: ConsensusParams;
  /** T_m: the most transactions one batch selects (BAT-3). */
  readonly capacity: number;
  /** Submissions one batch table carries at most. */
  readonly table_max: number;
  /** [MOD-5] How long a member waits for a round's seed or bundle before it asks to skip its creator. */
  readonly patience_ms: number;
  /** How long a patient waits before it repeats a visit or a query. */
  readonly retry_ms: number;
  readonly retries: number;
  /** [GRP-2] The group size rule: the top `size`, or RepuCoin's power share (parts per 10^9) with a minimum size. */
  readonly group:
    | { readonly kind: "size"; readonly size: number }
    | { readonly kind: "power"; readonly target_per_billion: number; readonly min_size: number };
  /** Reputation preset and chunk size (REP-2). */
  readonly reputation: {
    readonly preset: "spchain" | "repucoin-printed" | "repucoin-calibrated";
    readonly chunkSize: number;
  };
}

export interface RunConfig {
  readonly seed: string;
  readonly institutions: readonly InstitutionSpec[];
  readonly patients: readonly PatientSpec[];
  readonly network: NetworkParams;
  readonly mining: MiningParams;
  readonly protocol: ProtocolParams;
  /** The run ends at this virtual time (or earlier, when its step budget is used up). */
  readonly horizon_ms: number;
  readonly max_steps: number;
  /** EMR size (bytes before encryption). */
  readonly emr_bytes: number;
  readonly variant: Variant;
}
