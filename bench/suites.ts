/**
 * The benchmark suites that `npm run bench` runs, in order.
 * @module
 */
import type { BenchSuite } from "./harness.js";

export const SUITES: readonly BenchSuite[] = [];
