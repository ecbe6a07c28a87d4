/**
 * The chameleon hash (spec/chameleon-hash.md): the scheme-agnostic byte-level interface and registry,
 * the typed errors, and DSS20 and AM04 over decoded objects as the `Dss20` and `Am04` namespaces.
 * @module
 */
export * as Am04 from "./am04.js";
export { am04Scheme } from "./am04-scheme.js";
export * as Dss20 from "./dss20.js";
export { dss20Scheme } from "./dss20-scheme.js";
export * from "./errors.js";
export * from "./registry.js";
export * from "./scheme.js";
