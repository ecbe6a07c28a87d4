/**
 * The test set Stryker runs for `npm run mutation` (src/codec and src/crypto; stryker.config.json).
 * Only the suites that exercise the codec and the crypto layer, so a mutant costs seconds, not minutes.
 * Left out, because they only repeat what is included at a higher cost: the umbral-pre WASM interop
 * suite (byte formats are pinned by the committed vectors, replayed here by vectors/crypto-replay.mutation.ts
 * instead of the full runner, which imports every family) and the whole-repo vector regeneration check
 * (vectors/format.test.ts). `npm test` still runs all three.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "properties/codec*.test.ts",
      "properties/mutation-kills-*.test.ts",
      "properties/hash.test.ts",
      "properties/hash-backend.test.ts",
      "properties/merkle.test.ts",
      "properties/signature.test.ts",
      "properties/chameleon*.test.ts",
      "properties/umbral.test.ts",
      "properties/umbral-decode.test.ts",
      "properties/umbral-vectors.test.ts",
      "properties/upstream-vectors.test.ts",
      "vectors/crypto-replay.mutation.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
