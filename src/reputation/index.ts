/**
 * The reputation area's public API (spec/reputation.md, spec/group.md, spec/batching.md,
 * spec/rewards.md): configuration, R1/R2/R, the incremental state and its events, proofs of fraud, the
 * consensus group, quorum and leader, Algorithm 2 batching, and rewards. The figure models (model.ts,
 * fig15.ts, fig16.ts) are for the CLI and stay out of it.
 * @module
 */
export * from "./batching.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./fraud.js";
export * from "./group.js";
export * from "./numeric.js";
export * from "./params.js";
export * from "./quorum.js";
export * from "./r1.js";
export * from "./r2.js";
export * from "./replay.js";
export * from "./reputation.js";
export * from "./rewards.js";
export * from "./share.js";
export * from "./sigmoid.js";
export * from "./state.js";
