/**
 * The roles and flows of SPChain's eHealth system (SPChain §5.2): institutions and the consensus group around
 * the ledger (world.ts), records and transactions as institutions and patients make them (records.ts), key
 * epochs and sealed records (key-epoch.ts, sealed-record.ts, errors.ts), the custodian's sharing
 * (custodian.ts), valid histories from plans (scenario.ts), and the paper's flows end to end (flows.ts).
 * @module
 */
export * from "./custodian.js";
export * from "./errors.js";
export * from "./flows.js";
export * from "./key-epoch.js";
export * from "./records.js";
export * from "./scenario.js";
export * from "./sealed-record.js";
export * from "./world.js";
