/**
 * Every monitor of the model (spec/model.md, [MOD-8]), in the order reports list them.
 * @module
 */
import type { RunConfig } from "../config.js";
import { agreementMonitor } from "./agreement.js";
import { boundsMonitor } from "./bounds.js";
import { confidentialityMonitor } from "./confidentiality.js";
import { integrityMonitor } from "./integrity.js";
import { labelsMonitor } from "./labels.js";
import { livenessMonitor } from "./liveness.js";
import type { Monitor, MonitorName } from "./monitor.js";
import { quorumMonitor } from "./quorum.js";
import { reputationMonitor } from "./reputation.js";

export interface MonitorSet {
  readonly all: readonly Monitor[];
  readonly liveness: ReturnType<typeof livenessMonitor>;
  readonly integrity: ReturnType<typeof integrityMonitor>;
}

/** [MOD-8] The monitors of a run; `only` restricts them (a negative control watches the one it targets). */
export const monitorsFor = (config: RunConfig, only?: readonly MonitorName[]): MonitorSet => {
  const liveness = livenessMonitor(config);
  const integrity = integrityMonitor();
  const all: Monitor[] = [
    agreementMonitor(),
    quorumMonitor(),
    labelsMonitor(),
    confidentialityMonitor(),
    integrity,
    reputationMonitor(),
    liveness,
    boundsMonitor(),
  ];
  return { all: only === undefined ? all : all.filter((m) => only.includes(m.name)), liveness, integrity };
};

export type { Finding, Monitor, MonitorContext, MonitorName, Violation } from "./monitor.js";
export { MONITOR_NAMES } from "./monitor.js";
