/**
 * The test set Stryker runs for `npm run mutation:ledger` (src/ledger; stryker.ledger.config.json): the
 * ledger suites and the vector runner (its ledger families replay the committed transition and codec
 * vectors). The other suites never reach src/ledger, so leaving them out changes no mutant's fate.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["properties/ledger-*.test.ts", "vectors/runner.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
