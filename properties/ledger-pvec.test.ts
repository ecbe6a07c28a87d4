/**
 * The persistent vector behind the chain state (spec/chain.md [CHAIN-2]; spec/retrieval.md [RET-1]): it behaves
 * as an array under push and set, and every earlier version stays as it was, so a state can be kept or branched
 * for free. The negative control is a vector that updates in place.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PersistentVector } from "../src/ledger/pvec.js";
import { failsOn, holds } from "./check.js";

interface Vec {
  readonly size: number;
  get(i: number): number | undefined;
  set(i: number, v: number): Vec;
  push(v: number): Vec;
}

/** A broken vector: push and set change the one array every version shares. */
class InPlace implements Vec {
  constructor(private readonly items: number[]) {}
  get size(): number {
    return this.items.length;
  }
  get(i: number): number | undefined {
    return this.items[i];
  }
  set(i: number, v: number): Vec {
    this.items[i] = v;
    return this;
  }
  push(v: number): Vec {
    this.items.push(v);
    return this;
  }
}

const op = fc.oneof(
  fc.record({ kind: fc.constant("push" as const), value: fc.integer() }),
  fc.record({ kind: fc.constant("set" as const), index: fc.nat(), value: fc.integer() }),
);

const behavesAsArray = (empty: () => Vec) =>
  fc.property(fc.array(op, { maxLength: 300 }), fc.array(fc.integer(), { maxLength: 1100 }), (ops, bulk) => {
    let vec = empty();
    for (const v of bulk) vec = vec.push(v);
    let model = [...bulk];
    const versions: { vec: Vec; model: number[] }[] = [{ vec, model }];
    for (const o of ops) {
      if (o.kind === "push") {
        vec = vec.push(o.value);
        model = [...model, o.value];
      } else if (model.length > 0) {
        const index = o.index % model.length;
        vec = vec.set(index, o.value);
        model = model.map((x, i) => (i === index ? o.value : x));
      }
      versions.push({ vec, model });
    }
    for (const version of versions) {
      expect(version.vec.size).toBe(version.model.length);
      for (let i = 0; i < version.model.length; i += 1 + (i >> 4)) expect(version.vec.get(i)).toBe(version.model[i]);
      expect(version.vec.get(version.model.length)).toBeUndefined();
      expect(version.vec.get(-1)).toBeUndefined();
    }
  });

describe("ledger: persistent vector", () => {
  it("[CHAIN-2] [RET-1] push and set behave as on an array, and every earlier version is unchanged", () => {
    holds(
      "persistent vector",
      behavesAsArray(() => PersistentVector.empty<number>()),
      { numRuns: 60 },
    );
  });

  it("[CHAIN-2] PersistentVector.from builds the same vector as pushes", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 2000 }), (items) => {
        const built = PersistentVector.from(items);
        expect([...built]).toEqual(items);
        expect(built.push(7).last()).toBe(7);
      }),
      { numRuns: 30 },
    );
  });

  it("[CHAIN-2] negative control: a vector updated in place changes earlier versions", () => {
    failsOn(
      "persistent vector (in place)",
      behavesAsArray(() => new InPlace([])),
      100,
    );
  });

  it("[CHAIN-2] an index outside the vector is rejected by set", () => {
    expect(() => PersistentVector.from([1, 2]).set(2, 0)).toThrow(RangeError);
  });
});
