import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["properties/**/*.test.ts", "src/**/*.test.ts", "vectors/**/*.test.ts", "model/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
