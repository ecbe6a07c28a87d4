/**
 * The ledger (spec/transactions.md, spec/blocks.md, spec/chain.md, spec/pins.md, spec/retrieval.md):
 * transactions, keyblocks, patient microblocks, pinned batches, the chain state and its transitions,
 * retrieval and inclusion proofs.
 * @module
 */
export * from "./apply-batch.js";
export * from "./apply-keyblock.js";
export * from "./apply-microblock.js";
export * from "./batch.js";
export * from "./chain.js";
export * from "./config.js";
export * from "./errors.js";
export * from "./identity.js";
export * from "./keyblock.js";
export * from "./microblock.js";
export * from "./mine.js";
export * from "./patient-block.js";
export * from "./pin.js";
export * from "./proof.js";
export * from "./pvec.js";
export * from "./retrieval.js";
export * from "./state.js";
export * from "./transaction.js";
export * from "./validate-tx.js";
