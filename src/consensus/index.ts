/**
 * The BFT pinning protocol (spec/consensus.md): a reputation-weighted PBFT-style protocol as a
 * deterministic sans-I/O state machine per consensus member, its messages, certificates and evidence.
 * @module
 */
export * from "./certificate.js";
export * from "./context.js";
export * from "./evidence.js";
export * from "./group.js";
export * from "./messages.js";
export * from "./params.js";
export * from "./state.js";
export * from "./step.js";
export * from "./view-change.js";
export * from "./wire.js";
