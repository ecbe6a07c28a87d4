/**
 * The monitor interface (spec/model.md, [MOD-8]): a monitor sees every observation of every step as it
 * happens, may check deadlines after each step (`tick`), and checks the end state (`final`). What it finds
 * becomes a violation naming the monitor, the step, the virtual time, the node(s) and a short description
 * (MOD-9). Monitors count the checks they make, so a report says how much was checked.
 * @module
 */
import type { ChameleonKey } from "../../src/crypto/chameleon/scheme.js";
import type { RunConfig } from "../config.js";
import type { Env } from "../env.js";
import type { InstitutionNode } from "../institution.js";
import type { Observation } from "../observations.js";

export const MONITOR_NAMES = [
  "agreement",
  "quorum",
  "labels",
  "confidentiality",
  "integrity",
  "reputation",
  "liveness",
  "bounds",
] as const;
export type MonitorName = (typeof MONITOR_NAMES)[number];

export interface Finding {
  readonly nodes: readonly number[];
  readonly description: string;
}

/** [MOD-9] A violation: which monitor, at which step and virtual time, which nodes, what. */
export interface Violation extends Finding {
  readonly monitor: MonitorName;
  readonly step: number;
  readonly time_ms: number;
}

export interface MonitorContext {
  readonly now_ms: number;
  readonly config: RunConfig;
  readonly env: Env;
  readonly institutions: readonly InstitutionNode[];
  /** Institution nodes that are honest (and alive). */
  readonly honest: ReadonlySet<number>;
  /** The registry's chameleon keys as the scheme defines them (not a node's, which a control may break). */
  readonly chameleonKeys: readonly ChameleonKey[];
  /** The run ran out of events: nothing more can happen, so an obligation not met now never will be. */
  readonly quiescent: boolean;
}

export interface Monitor {
  readonly name: MonitorName;
  /** Checks made so far. */
  checks: number;
  readonly observe: (o: Observation, ctx: MonitorContext) => readonly Finding[];
  readonly tick: (ctx: MonitorContext) => readonly Finding[];
  readonly final: (ctx: MonitorContext) => readonly Finding[];
}

export const NONE: readonly Finding[] = [];
