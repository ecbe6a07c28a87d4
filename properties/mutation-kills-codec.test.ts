/**
 * Tests added after mutation testing of src/codec (npm run mutation): paths the other suites never reach
 * (a writer growing past its first buffer in one field, bounded element counts, the order of byte strings
 * of different lengths) and the details that spec/encoding.md [ENC-5] promises in errors.
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeWith,
  encodeWith,
  pointToBytes,
  type Reader,
  readEd25519Key,
  readPoint,
  Secp,
  scalarToBytes,
} from "../src/codec/index.js";
import { compareBytes, concatBytes, hexToBytes } from "../src/crypto/bytes.js";
import { failsOn, holds } from "./check.js";

/** Chunks up to 2,000 bytes (drawn as a length and a pattern, so that a counterexample shrinks quickly). */
const chunkArb = fc
  .tuple(fc.nat({ max: 2_000 }), fc.nat({ max: 255 }))
  .map(([length, seed]) => new Uint8Array(length).map((_, i) => (seed + 31 * i) & 0xff));
const chunksArb = fc.array(chunkArb, { maxLength: 6 });

/** A u32 length prefix, written out by hand. */
const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/** The property: the writer's bytes are the length-prefixed chunks, concatenated. */
const writesPrefixedChunks = (encode: (chunks: Uint8Array[]) => Uint8Array) =>
  fc.property(chunksArb, (chunks) => {
    const expected = concatBytes(...chunks.flatMap((chunk) => [u32be(chunk.length), chunk]));
    const actual = encode(chunks);
    return actual.length === expected.length && compareBytes(actual, expected) === 0;
  });

const writer = (chunks: Uint8Array[]) =>
  encodeWith((w) => {
    for (const chunk of chunks) w.bytes(chunk, 4_096);
  });

describe("codec paths found by mutation testing", () => {
  it("[ENC-1] the writer keeps every byte when one field needs more than twice its buffer", () => {
    holds("[ENC-1] length-prefixed chunks", writesPrefixedChunks(writer), { numRuns: 60 });
    const big = new Uint8Array(3_000).map((_, i) => i & 0xff);
    expect(writer([big])).toEqual(concatBytes(u32be(3_000), big));
  });

  it("[ENC-1] negative control: a writer that keeps only its first 256 bytes is caught", () => {
    const found = failsOn(
      "[ENC-1] truncating writer",
      writesPrefixedChunks((chunks) => writer(chunks).slice(0, 256)),
    );
    expect(found.value[0].reduce((n, chunk) => n + 4 + chunk.length, 0)).toBeGreaterThan(256);
  });

  it("[ENC-3] an element count at its bound is read; one more is LengthOverBound at the count", () => {
    const read = (n: number) =>
      decodeWith(concatBytes(Uint8Array.of(9), u32be(n)), (r) => [r.u8(), r.count(3, "items")]);
    expect(read(3)).toEqual(Result.succeed([9, 3]));
    expect(read(0)).toEqual(Result.succeed([9, 0]));
    const over = read(4);
    expect(Result.isFailure(over) && over.failure).toMatchObject({
      reason: "LengthOverBound",
      offset: 1,
      detail: "items: count 4 over the bound 3",
    });
    const short = decodeWith(Uint8Array.of(0, 0), (r) => r.count(3, "items"));
    expect(Result.isFailure(short) && short.failure.detail).toBe("items count: need 4 bytes, 2 left");
  });

  it("[ENC-5] reader errors name the field (or its kind), the bytes needed and the bound", () => {
    const detail = <T>(bytes: number[], read: (r: Reader) => T) => {
      const r = decodeWith(Uint8Array.from(bytes), read);
      return Result.isFailure(r) ? r.failure.detail : "accepted";
    };
    expect(detail([], (r) => r.u8())).toBe("u8: need 1 bytes, 0 left");
    expect(detail([1], (r) => r.u16())).toBe("u16: need 2 bytes, 1 left");
    expect(detail([1, 2], (r) => r.u32())).toBe("u32: need 4 bytes, 2 left");
    expect(detail([1, 2, 3], (r) => r.u64())).toBe("u64: need 8 bytes, 3 left");
    expect(detail([2], (r) => r.bool())).toBe("bool: 2 is not 0 or 1");
    expect(detail([4], (r) => r.oneOf([3, 5], "BadType", "tx type"))).toBe("tx type: 4 not in [3, 5]");
    expect(detail([1], (r) => r.fixed(3))).toBe("bytes: need 3 bytes, 1 left");
    expect(detail([0, 0, 0, 3], (r) => r.bytes(2))).toBe("bytes: length 3 over the bound 2");
    expect(detail([0, 0], (r) => r.bytes(2))).toBe("bytes length: need 4 bytes, 2 left");
    expect(detail([0, 0, 0, 2, 7], (r) => r.bytes(2, "memo"))).toBe("memo: need 2 bytes, 1 left");
  });

  it("[ENC-2] decodeWith turns only decode failures into results: a bug in a reader propagates", () => {
    const bug = new TypeError("a reader bug");
    expect(() =>
      decodeWith(Uint8Array.of(1), () => {
        throw bug;
      }),
    ).toThrow(bug);
    expect(Result.isFailure(decodeWith(Uint8Array.of(1, 2), (r) => r.u8()))).toBe(true);
  });

  it("[ENC-5] point errors name the field and what is wrong with it", () => {
    const detail = (hex: string) => {
      const r = decodeWith(hexToBytes(hex), (reader) => readPoint(reader, "P"));
      return Result.isFailure(r) ? r.failure.detail : "accepted";
    };
    expect(detail(`04${"00".repeat(31)}01`)).toBe("P: prefix 4");
    expect(detail(`02${"ff".repeat(32)}`)).toBe("P: x >= p");
    expect(detail(`02${"00".repeat(31)}05`)).toBe("P: x is not on the curve");
  });

  it("[ENC-5] Ed25519 key errors name the field and the rule broken", () => {
    const detail = (hex: string) => {
      const r = decodeWith(hexToBytes(hex), (reader) => readEd25519Key(reader, "K"));
      return Result.isFailure(r) ? r.failure.detail : "accepted";
    };
    expect(detail(`ed${"ff".repeat(30)}7f`)).toBe("K: y >= p");
    expect(detail(`01${"00".repeat(30)}80`)).toBe("K: negative zero x");
    expect(detail(`02${"00".repeat(31)}`)).toBe("K: not a point of edwards25519");
    expect(detail(`01${"00".repeat(31)}`)).toBe("K: point of small order");
  });

  it("[ENC-1] encoders refuse values the decoder would refuse, with a message naming them", () => {
    expect(() => scalarToBytes(Secp.Fn.ORDER)).toThrow("scalar out of range");
    expect(() => scalarToBytes(-1n)).toThrow("scalar out of range");
    expect(() => pointToBytes(Secp.ZERO)).toThrow("the identity point has no encoding");
    expect(() => encodeWith((w) => w.u64(1n << 64n))).toThrow(`u64: out of range: ${1n << 64n}`);
    expect(() => encodeWith((w) => w.u64(-1n))).toThrow("u64: out of range: -1");
    expect(() => encodeWith((w) => w.fixed(new Uint8Array(3), 4))).toThrow("fixed: expected 4 bytes, got 3");
    expect(() => encodeWith((w) => w.bytes(new Uint8Array(5), 4))).toThrow("bytes: 5 over the bound 4");
    expect(() => encodeWith((w) => w.u16(0x1_0000))).toThrow("u16: out of range: 65536");
    expect(() => encodeWith((w) => w.u32(2 ** 32))).toThrow("u32: out of range: 4294967296");
    expect(encodeWith((w) => w.u64(2n ** 64n - 1n).u32(2 ** 32 - 1))).toEqual(new Uint8Array(12).fill(0xff));
    expect(() => encodeWith((w) => w.u8(1.5))).toThrow("u8: out of range: 1.5");
  });

  it("byte strings sort by their first difference, and a proper prefix first", () => {
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(1, 2, 0), Uint8Array.of(1, 2))).toBeGreaterThan(0);
    expect(compareBytes(Uint8Array.of(1, 3), Uint8Array.of(1, 2, 9))).toBeGreaterThan(0);
    expect(compareBytes(Uint8Array.of(0, 0xff), Uint8Array.of(1))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(7, 7), Uint8Array.of(7, 7))).toBe(0);
  });
});
