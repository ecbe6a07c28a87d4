/**
 * The roles and flows of SPChain's eHealth system (SPChain §5.2): institutions and the consensus group around
 * the ledger (world.ts), records and transactions as institutions and patients make them (records.ts), the
 * custodian's encryption and sharing (custodian.ts), valid histories from plans (scenario.ts), and the paper's
 * flows end to end (flows.ts).
 * @module
 */
export * from "./custodian.js";
export * from "./flows.js";
export * from "./records.js";
export * from "./scenario.js";
export * from "./world.js";
