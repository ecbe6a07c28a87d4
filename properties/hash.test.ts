/** Tagged hashing and randomness (spec/hashing.md), checked against node:crypto as an independent oracle. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual, concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { Randomness, randomBytesEffect, seededSource } from "../src/crypto/random.js";
import { failsOn, holds } from "./check.js";

const oracle = (tag: string, data: Uint8Array): Uint8Array => {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(Buffer.byteLength(tag));
  return new Uint8Array(createHash("sha256").update(prefix).update(tag).update(data).digest());
};

const tagArb = fc.string({ minLength: 0, maxLength: 24, unit: "grapheme-ascii" });

describe("tagged hashing", () => {
  it("[HASH-1] H_tag(data) = SHA-256(u32be(|tag|) || tag || data)", () => {
    holds(
      "tagged hash matches the oracle",
      fc.property(tagArb, fc.uint8Array({ maxLength: 200 }), (tag, data) =>
        bytesEqual(taggedHash(tag, data), oracle(tag, data)),
      ),
      { numRuns: 300 },
    );
  });

  it("[HASH-1] moving bytes between tag and data changes the hash", () => {
    holds(
      "tag/data boundary is unambiguous",
      fc.property(
        tagArb.filter((t) => t.length > 0),
        fc.uint8Array({ maxLength: 20 }),
        (tag, data) => {
          const shifted = taggedHash(tag.slice(0, -1), concatBytes(utf8ToBytes(tag.slice(-1)), data));
          return !bytesEqual(taggedHash(tag, data), shifted);
        },
      ),
    );
  });

  it("[HASH-1] negative control: plain concatenation without the length prefix is ambiguous", () => {
    const untagged = (tag: string, data: Uint8Array) => createHash("sha256").update(tag).update(data).digest();
    const found = failsOn(
      "untagged concatenation",
      fc.property(
        tagArb.filter((t) => t.length > 0),
        fc.uint8Array({ maxLength: 20 }),
        (tag, data) => {
          const shifted = untagged(tag.slice(0, -1), concatBytes(utf8ToBytes(tag.slice(-1)), data));
          return !untagged(tag, data).equals(shifted);
        },
      ),
    );
    expect(found.value[0].length).toBe(1);
  });

  it("[HASH-2] tags are unique, versioned, and exactly those of spec/hashing.md", () => {
    const values = Object.values(TAGS);
    expect(new Set(values).size).toBe(values.length);
    for (const tag of values) expect(tag).toMatch(/^SPCHAIN-V1-[A-Z0-9-]+$/);
    const spec = readFileSync(join(import.meta.dirname, "..", "spec", "hashing.md"), "utf8");
    const documented = [...spec.matchAll(/^\| `(SPCHAIN-V1-[A-Z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...values].sort());
  });

  it("[HASH-3] distinct tags separate domains: the same data hashes differently", () => {
    const data = utf8ToBytes("same bytes");
    const digests = Object.values(TAGS).map((tag) => Buffer.from(taggedHash(tag, data)).toString("hex"));
    expect(new Set(digests).size).toBe(digests.length);
  });
});

describe("randomness", () => {
  it("[HASH-4] a seeded source is a pure function of its seed and request sizes", () => {
    holds(
      "seeded determinism",
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.array(fc.nat({ max: 100 }), { maxLength: 6 }), (seed, sizes) => {
        const a = seededSource(seed);
        const b = seededSource(seed);
        return sizes.every((n) => {
          const x = a.bytes(n);
          return x.length === n && bytesEqual(x, b.bytes(n));
        });
      }),
    );
  });

  it("[HASH-4] the seeded stream is the documented counter construction", () => {
    const seed = utf8ToBytes("seed");
    const block = (i: number) => {
      const index = Buffer.alloc(8);
      index.writeBigUInt64BE(BigInt(i));
      return oracle(TAGS.VECTOR_RNG, concatBytes(seed, index));
    };
    expect(seededSource(seed).bytes(48)).toEqual(concatBytes(block(0), block(1)).subarray(0, 48));
  });

  it("[HASH-4] different seeds give different streams; the secure layer differs between draws", () => {
    const draw = (layer: typeof Randomness.secure) => Effect.runSync(randomBytesEffect(32).pipe(Effect.provide(layer)));
    expect(bytesEqual(draw(Randomness.seeded(utf8ToBytes("a"))), draw(Randomness.seeded(utf8ToBytes("b"))))).toBe(
      false,
    );
    expect(bytesEqual(draw(Randomness.seeded(utf8ToBytes("a"))), draw(Randomness.seeded(utf8ToBytes("a"))))).toBe(true);
    expect(bytesEqual(draw(Randomness.secure), draw(Randomness.secure))).toBe(false);
    expect(() => seededSource(new Uint8Array()).bytes(-1)).toThrow(RangeError);
  });
});
