/**
 * Tests added after mutation testing of src/ledger (npm run mutation:ledger). The persistent vector's
 * multi-level paths: fast-check's default size draws arrays of at most a few dozen entries, so the property
 * suites never built a vector deeper than one level with `from` (17 mutants without coverage); here the
 * sizes straddle every level boundary up to three levels.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PersistentVector } from "../src/ledger/pvec.js";
import { failsOn, holds } from "./check.js";

/** Sizes on both sides of 32^1, 32^2 and 32^3. */
const BOUNDARY_SIZES = [0, 1, 31, 32, 33, 1_023, 1_024, 1_025, 32_767, 32_768, 32_769];

const sizeArb = fc.oneof(fc.constantFrom(...BOUNDARY_SIZES), fc.nat({ max: 40_000 }));

/** The property: `build(n)` reads back 0..n−1 at every probed index, and nothing outside. */
const matchesArray = (build: (items: number[]) => PersistentVector<number>) =>
  fc.property(sizeArb, fc.array(fc.nat(), { maxLength: 8 }), (size, probes) => {
    const items = Array.from({ length: size }, (_, i) => i);
    const vector = build(items);
    if (vector.size !== size || vector.get(size) !== undefined || vector.get(-1) !== undefined) return false;
    if (size > 0 && vector.last() !== size - 1) return false;
    return probes.every((probe) => size === 0 || vector.get(probe % size) === probe % size);
  });

const byPushes = (items: number[]) =>
  items.reduce((vector, item) => vector.push(item), PersistentVector.empty<number>());

describe("persistent vector levels found by mutation testing", () => {
  it("[CHAIN-2] [RET-1] from and push give the array at every level boundary", () => {
    holds("[CHAIN-2] from", matchesArray(PersistentVector.from), { numRuns: 25 });
    holds("[CHAIN-2] push", matchesArray(byPushes), { numRuns: 8 });
  });

  it("[CHAIN-2] a vector built by from grows and updates across a level boundary like an array", () => {
    for (const size of [32, 1_024, 32_768]) {
      const items = Array.from({ length: size }, (_, i) => i);
      const grown = PersistentVector.from(items).push(-1).set(0, -2);
      expect(grown.size).toBe(size + 1);
      expect([grown.get(0), grown.get(size - 1), grown.get(size)]).toEqual([-2, size - 1, -1]);
      expect([...grown]).toEqual([-2, ...items.slice(1), -1]);
    }
  });

  it("[CHAIN-2] negative control: a from that keeps only the first level is caught", () => {
    const firstLevel = (items: number[]) => PersistentVector.from(items.slice(0, 32)).set(0, items[0] ?? 0);
    const found = failsOn(
      "[CHAIN-2] one-level from",
      matchesArray((items) => (items.length > 32 ? firstLevel(items) : PersistentVector.from(items))),
    );
    expect(found.value[0]).toBeGreaterThan(32);
  });
});
