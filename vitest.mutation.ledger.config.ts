/**
 * The test set Stryker runs for `npm run mutation:ledger` (src/ledger; stryker.ledger.config.json): the
 * ledger suites and the replay of the committed ledger codec and transition vectors
 * (vectors/ledger-replay.mutation.ts). The other suites never reach src/ledger.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "properties/ledger-*.test.ts",
      "properties/mutation-kills-ledger.test.ts",
      "vectors/ledger-replay.mutation.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
