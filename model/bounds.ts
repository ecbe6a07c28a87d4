/**
 * The liveness bounds the model states and checks (spec/model.md, [MOD-11]). From the consensus bound of
 * BFT-17, B_bft = (f + 3)·(T_max + 10Δ) + 20Δ with T_max = T0·2^backoff_cap, the model derives:
 * - a record transaction an honest institution holds as valid at time t is pinned at every honest
 *   institution by max(GST, t) + B_tx, B_tx = 3·B_bft + 16Δ (one instance, one more if a keyblock decided
 *   first voids it, one for Algorithm 2's queue; 16Δ for forwarding, ledger pin votes and announcements);
 * - a keyblock an honest miner publishes at t for height h: every honest node has pinned height h by
 *   max(GST, t) + B_kb, B_kb = 2·B_bft + 8Δ (this one or a competitor);
 * - a round with register transactions whose keyblock an honest node pinned at t has its microblocks at
 *   every honest node by max(GST, t) + B_round, B_round = (f + 2)·(patience + 2·B_bft + 8Δ) (a seed and a
 *   bundle per creator, at most f creators skipped plus a missing seed).
 * @module
 */
import type { RunConfig } from "./config.js";

export interface LivenessBounds {
  readonly faults: number;
  readonly bft_ms: number;
  readonly tx_ms: number;
  readonly keyblock_ms: number;
  readonly round_ms: number;
}

/** The largest f any epoch's group can have under the configuration's group rule. */
export const maxFaults = (config: RunConfig): number => {
  const n = config.institutions.length;
  const size = config.protocol.group.kind === "size" ? Math.min(config.protocol.group.size, n) : n;
  return Math.floor((size - 1) / 3);
};

/** [MOD-11] */
export const livenessBounds = (config: RunConfig): LivenessBounds => {
  const { consensus } = config.protocol;
  const delta = config.network.delta_ms;
  const f = maxFaults(config);
  const tMax = consensus.timeout_base_ms * 2 ** consensus.backoff_cap;
  const bft = (f + 3) * (tMax + 10 * delta) + 20 * delta;
  return {
    faults: f,
    bft_ms: bft,
    tx_ms: 3 * bft + 16 * delta,
    keyblock_ms: 2 * bft + 8 * delta,
    round_ms: (f + 2) * (config.protocol.patience_ms + 2 * bft + 8 * delta),
  };
};
