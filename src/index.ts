/**
 * The public API of the SPChain reference implementation: the platform-neutral core.
 * The Node-only fast path (node:crypto) is under the `spchain/node` export.
 * @module
 */
export * from "./codec/index.js";
export * as consensus from "./consensus/index.js";
export * from "./crypto/bytes.js";
export * from "./crypto/chameleon/index.js";
export * from "./crypto/hash.js";
export * from "./crypto/merkle.js";
export * from "./crypto/random.js";
export * from "./crypto/signature.js";
export * as umbral from "./crypto/umbral/index.js";
export * as ehealth from "./ehealth/index.js";
export * as ledger from "./ledger/index.js";
export * from "./reputation/index.js";
