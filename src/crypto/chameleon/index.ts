/**
 * The chameleon hash (spec/chameleon-hash.md): the scheme-agnostic byte-level interface and registry,
 * the typed errors, and DSS20 over decoded objects as the `Dss20` namespace.
 * @module
 */
export * as Dss20 from "./dss20.js";
export { bindDss20Key, dss20Scheme } from "./dss20-scheme.js";
export * from "./errors.js";
export * from "./registry.js";
export * from "./scheme.js";
