/** Field-level rules of spec/encoding.md, each with the reason it must produce. */
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import {
  decodeWith,
  encodeWith,
  HASH_BYTES,
  readEd25519Key,
  readHash,
  readObjectHeader,
  readPoint,
  Secp,
  writeObjectHeader,
} from "../src/codec/index.js";
import { hexToBytes } from "../src/crypto/bytes.js";
import { buildCodecFile, checkCodecFile } from "../vectors/gen/codec.js";
import { familySeed } from "../vectors/generate.js";

const reasonOf = <T>(r: Result.Result<T, { reason: string }>) => (Result.isFailure(r) ? r.failure.reason : "accepted");

describe("encoding rules", () => {
  it("[ENC-4] booleans are exactly 0x00 or 0x01", () => {
    expect(decodeWith(Uint8Array.of(0), (r) => r.bool())).toEqual(Result.succeed(false));
    expect(decodeWith(Uint8Array.of(1), (r) => r.bool())).toEqual(Result.succeed(true));
    for (const byte of [2, 0x80, 0xff])
      expect(reasonOf(decodeWith(Uint8Array.of(byte), (r) => r.bool()))).toBe("NonCanonicalBool");
  });

  it("[ENC-7] points: identity, uncompressed, off-curve and x >= p are each rejected with their reason", () => {
    const read = (hex: string) => reasonOf(decodeWith(hexToBytes(hex), (r) => readPoint(r, "p")));
    const x = (v: bigint) => v.toString(16).padStart(64, "0");
    expect(read(`02${x(1n)}`)).toBe("accepted");
    expect(read(`00${x(0n)}`)).toBe("PointIdentity");
    expect(read(`04${x(1n)}`)).toBe("PointNotCompressed");
    expect(read(`02${x(5n)}`)).toBe("PointNotOnCurve");
    expect(read(`02${x(Secp.Fp.ORDER + 1n)}`)).toBe("PointNonCanonical");
  });

  it("[ENC-8] Ed25519 keys: non-canonical y, negative zero and small order are rejected", () => {
    const read = (hex: string) => reasonOf(decodeWith(hexToBytes(hex), (r) => readEd25519Key(r, "k")));
    expect(read("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")).toBe("accepted");
    expect(read(`ed${"ff".repeat(30)}7f`)).toBe("Ed25519KeyNonCanonical");
    expect(read(`01${"00".repeat(30)}80`)).toBe("Ed25519KeyNonCanonical");
    expect(read(`01${"00".repeat(31)}`)).toBe("Ed25519KeySmallOrder");
    // The point of order 4 with x > 0 (y = 0), also small order.
    expect(read("00".repeat(32))).toBe("Ed25519KeySmallOrder");
  });

  it("[ENC-9] hashes are fixed-width opaque strings", () => {
    const bytes = new Uint8Array(HASH_BYTES).fill(7);
    expect(decodeWith(bytes, (r) => readHash(r, "h"))).toEqual(Result.succeed(bytes));
    expect(reasonOf(decodeWith(bytes.subarray(1), (r) => readHash(r, "h")))).toBe("ShortInput");
  });

  it("[ENC-10] objects start with the version and a known type", () => {
    const header = encodeWith((w) => writeObjectHeader(w, 3));
    expect(header).toEqual(Uint8Array.of(1, 3));
    expect(decodeWith(header, (r) => readObjectHeader(r, [1, 2, 3], "tx"))).toEqual(Result.succeed(3));
    expect(reasonOf(decodeWith(Uint8Array.of(2, 3), (r) => readObjectHeader(r, [3], "tx")))).toBe("BadVersion");
    expect(reasonOf(decodeWith(Uint8Array.of(1, 4), (r) => readObjectHeader(r, [3], "tx")))).toBe("BadType");
  });

  it("[CONV-3] a vector check fails an implementation that rejects for another reason", () => {
    const file = buildCodecFile(familySeed("codec"));
    expect(checkCodecFile(file).failures).toEqual([]);
    const tampered = structuredClone(file) as typeof file;
    const group = tampered.testGroups.find((g) => g.field === "scalar");
    const test = group?.tests.find((t) => t.result === "invalid");
    if (test === undefined) throw new Error("no invalid scalar case");
    (test.flags as string[])[0] = "PointIdentity";
    expect(checkCodecFile(tampered).failures).toHaveLength(1);
  });
});
