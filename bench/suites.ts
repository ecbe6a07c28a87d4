/**
 * The benchmark suites that `npm run bench` runs, in order.
 * @module
 */
import { chameleonSuite } from "./chameleon.js";
import type { BenchSuite } from "./harness.js";
import { ledgerRetrievalSuite } from "./ledger-retrieval.js";
import { ledgerSizesSuite } from "./ledger-sizes.js";
import { ledgerStorageSuite } from "./ledger-storage.js";
import { primitivesSuite } from "./primitives.js";
import { schedulesSuite } from "./schedules.js";
import { throughputSuite } from "./throughput.js";
import { umbralSuite } from "./umbral.js";

export const SUITES: readonly BenchSuite[] = [
  chameleonSuite,
  primitivesSuite,
  umbralSuite,
  ledgerSizesSuite,
  ledgerRetrievalSuite,
  ledgerStorageSuite,
  schedulesSuite,
  throughputSuite,
];
