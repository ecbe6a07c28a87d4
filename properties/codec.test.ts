/**
 * Laws of the canonical encoding (spec/encoding.md): round trip, canonicality, typed errors only.
 * Each law has a negative control run against a deliberately broken decoder.
 */

import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CURVE_ORDER,
  DecodeError,
  decodeWith,
  encodeWith,
  type Reader,
  readScalar,
  Secp,
  scalarToBytes,
} from "../src/codec/index.js";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { FIELD_NAMES, FIELDS, type FieldName } from "../vectors/gen/codec-fields.js";
import { failsOn, holds } from "./check.js";

const bytes = (max = 80) => fc.uint8Array({ minLength: 0, maxLength: max });

/** A canonical text value for each field, drawn at random. */
const valueArb: Record<FieldName, fc.Arbitrary<string>> = {
  u8: fc.integer({ min: 0, max: 0xff }).map(String),
  u16: fc.integer({ min: 0, max: 0xffff }).map(String),
  u32: fc.integer({ min: 0, max: 0xffff_ffff }).map(String),
  u64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  bool: fc.boolean().map(String),
  bytes32: fc.uint8Array({ maxLength: 32 }).map(bytesToHex),
  scalar: fc.bigInt({ min: 0n, max: CURVE_ORDER - 1n }).map((v) => v.toString(16)),
  nonZeroScalar: fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map((v) => v.toString(16)),
  point: fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map((k) => bytesToHex(Secp.BASE.multiply(k).toBytes(true))),
  ed25519Key: fc.constantFrom(
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
  ),
};

const fieldAndValue = fc
  .constantFrom(...FIELD_NAMES)
  .chain((field) => valueArb[field].map((value) => ({ field, value })));

/** Accepted bytes must re-encode to themselves; anything else must be a DecodeError, never a throw. */
const canonical = (read: (r: Reader) => string, write: (value: string) => Uint8Array, input: Uint8Array): boolean => {
  const decoded = decodeWith(input, read);
  if (Result.isFailure(decoded)) return decoded.failure instanceof DecodeError;
  return bytesEqual(write(decoded.success), input);
};

describe("canonical encoding laws", () => {
  it("[ENC-1] every field round-trips: decode(encode(v)) = v", () => {
    holds(
      "field round trip",
      fc.property(fieldAndValue, ({ field, value }) => {
        const encoded = encodeWith((w) => FIELDS[field].write(w, value));
        const decoded = decodeWith(encoded, FIELDS[field].read);
        return Result.isSuccess(decoded) && decoded.success === value;
      }),
      { numRuns: 300 },
    );
  });

  it("[ENC-2] random bytes give a value that re-encodes identically, or a DecodeError: never a throw", () => {
    holds(
      "random bytes are canonical or rejected",
      fc.property(fc.constantFrom(...FIELD_NAMES), bytes(), (field, input) =>
        canonical(FIELDS[field].read, (v) => encodeWith((w) => FIELDS[field].write(w, v)), input),
      ),
      { numRuns: 2000 },
    );
  });

  it("[ENC-2] single-byte mutations of valid encodings are canonical or rejected", () => {
    holds(
      "mutations are canonical or rejected",
      fc.property(fieldAndValue, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ field, value }, at, xor) => {
        const encoded = encodeWith((w) => FIELDS[field].write(w, value));
        if (encoded.length === 0) return true;
        const mutated = encoded.slice();
        const i = at % mutated.length;
        mutated[i] = (mutated[i] ?? 0) ^ xor;
        return canonical(FIELDS[field].read, (v) => encodeWith((w) => FIELDS[field].write(w, v)), mutated);
      }),
      { numRuns: 1000 },
    );
  });

  it("[ENC-6] negative control: a scalar decoder that reduces mod n breaks canonicality", () => {
    const reducing = (r: Reader) => (BigInt(`0x${bytesToHex(r.fixed(32))}`) % CURVE_ORDER).toString(16);
    const write = (v: string) => scalarToBytes(BigInt(`0x${v}`));
    const found = failsOn(
      "reducing scalar decoder",
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (v) =>
        canonical(reducing, write, Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"))),
      ),
    );
    expect(found.value[0]).toBeGreaterThanOrEqual(CURVE_ORDER);
  });

  it("[ENC-2] negative control: a decoder that ignores trailing bytes is caught", () => {
    // Reads a u8 and skips whatever follows, as a lax decoder would.
    const lax = (input: Uint8Array) => decodeWith(input, (r) => String(r.u8() + 0 * r.fixed(r.remaining).length));
    const found = failsOn(
      "lax decoder",
      fc.property(bytes(8), (input) => {
        const decoded = lax(input);
        return (
          Result.isFailure(decoded) ||
          bytesEqual(
            encodeWith((w) => w.u8(Number(decoded.success))),
            input,
          )
        );
      }),
    );
    expect(found.value[0].length).toBe(2);
  });

  it("[ENC-3] a length over the bound is rejected before any allocation, at the length's offset", () => {
    const decoded = decodeWith(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), (r) => r.bytes(32));
    expect(Result.isFailure(decoded) && decoded.failure.reason).toBe("LengthOverBound");
    expect(Result.isFailure(decoded) && decoded.failure.offset).toBe(0);
  });

  it("[ENC-5] the error records the offset where the input stopped being acceptable", () => {
    const decoded = decodeWith(Uint8Array.from([1, 2, 3]), (r) => [r.u8(), r.u32()]);
    expect(Result.isFailure(decoded) && decoded.failure.offset).toBe(1);
    const scalar = decodeWith(new Uint8Array(40).fill(0xff), (r) => [r.u8(), readScalar(r, "s")]);
    expect(Result.isFailure(scalar) && [scalar.failure.reason, scalar.failure.offset]).toEqual(["ScalarOutOfRange", 1]);
  });
});
