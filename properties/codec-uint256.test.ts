/**
 * [ENC-6] The scalar decoder's big-endian conversion (`readUint256BE`, four 64-bit reads) against the one it
 * replaced (noble's `bytesToNumberBE`), at every offset of a larger buffer, and `readScalar` against a decoder
 * built on the old conversion: same value, same rejection, on random and boundary inputs.
 */
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CURVE_ORDER,
  type DecodeError,
  decodeWith,
  type Reader,
  readScalar,
  readUint256BE,
  SCALAR_BYTES,
} from "../src/codec/index.js";
import { failsOn, holds } from "./check.js";

type Convert = (bytes: Uint8Array, offset: number) => bigint;

const current: Convert = (bytes, offset) =>
  readUint256BE(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
const previous: Convert = (bytes, offset) => bytesToNumberBE(bytes.subarray(offset, offset + SCALAR_BYTES));
/** A broken conversion: the two middle 64-bit words swapped. */
const middleSwapped: Convert = (bytes, offset) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number) => view.getBigUint64(offset + 8 * i);
  return (word(0) << 192n) | (word(2) << 128n) | (word(1) << 64n) | word(3);
};

const WORD_MASK = 2n ** 64n - 1n;

/** Four 64-bit words, most significant first, as 32 bytes. */
const fromWords = (words: readonly bigint[]): Uint8Array => {
  const bytes = new Uint8Array(SCALAR_BYTES);
  const view = new DataView(bytes.buffer);
  for (const [i, word] of words.entries()) view.setBigUint64(8 * i, word);
  return bytes;
};

/** 32 bytes somewhere in a buffer of up to 40 bytes (word patterns make equal halves and boundary values likely). */
const placed = fc
  .tuple(
    fc.oneof(
      fc.uint8Array({ minLength: SCALAR_BYTES, maxLength: SCALAR_BYTES }),
      fc.array(fc.constantFrom(0n, 1n, 0xffn, WORD_MASK), { minLength: 4, maxLength: 4 }).map(fromWords),
    ),
    fc.nat(8),
    fc.nat(8),
  )
  .map(([value, before, after]) => {
    const buffer = new Uint8Array(before + SCALAR_BYTES + after).fill(0xa5);
    buffer.set(value, before);
    return { buffer, offset: before };
  });

const agrees = (convert: Convert) =>
  fc.property(placed, ({ buffer, offset }) => convert(buffer, offset) === previous(buffer, offset));

/** readScalar as it was: the old conversion on a copy of the 32 bytes, then the same range checks. */
const previousReadScalar = (r: Reader, title: string, nonZero: boolean): bigint => {
  const at = r.position;
  const value = bytesToNumberBE(r.fixed(SCALAR_BYTES, title));
  if (value >= CURVE_ORDER) r.fail("ScalarOutOfRange", `${title}: scalar >= n`, at);
  if (nonZero && value === 0n) r.fail("ScalarZero", `${title}: scalar is zero`, at);
  return value;
};

const near = (v: bigint): Uint8Array =>
  fromWords([v >> 192n, (v >> 128n) & WORD_MASK, (v >> 64n) & WORD_MASK, v & WORD_MASK]);

type ReadScalar = (r: Reader, title: string, nonZero: boolean) => bigint;

/** A broken readScalar: compares with > instead of >=, so n itself passes. */
const acceptsOrder: ReadScalar = (r, title, nonZero) => {
  const at = r.position;
  const value = r.u256(title);
  if (value > CURVE_ORDER) r.fail("ScalarOutOfRange", `${title}: scalar >= n`, at);
  if (nonZero && value === 0n) r.fail("ScalarZero", `${title}: scalar is zero`, at);
  return value;
};

const scalarInputs = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 40 }),
  fc.constantFrom(0n, 1n, CURVE_ORDER - 1n, CURVE_ORDER, CURVE_ORDER + 1n, 2n ** 256n - 1n).map(near),
);

const sameOutcome = <T>(a: Result.Result<T, DecodeError>, b: Result.Result<T, DecodeError>): boolean => {
  if (Result.isSuccess(a) || Result.isSuccess(b))
    return Result.isSuccess(a) && Result.isSuccess(b) && a.success === b.success;
  const [x, y] = [a.failure, b.failure];
  return x.reason === y.reason && x.offset === y.offset && x.detail === y.detail;
};

const scalarAgrees = (read: ReadScalar) =>
  fc.property(scalarInputs, fc.boolean(), (bytes, nonZero) =>
    sameOutcome(
      decodeWith(bytes, (r) => read(r, "s", nonZero)),
      decodeWith(bytes, (r) => previousReadScalar(r, "s", nonZero)),
    ),
  );

describe("scalar decoding without a hex string", () => {
  it("[ENC-6] readUint256BE gives bytesToNumberBE's value at any offset", () => {
    holds("uint256 agrees with bytesToNumberBE", agrees(current), { numRuns: 500 });
  });

  it("[ENC-6] negative control: a conversion with two words swapped is caught", () => {
    const found = failsOn("uint256 with middle words swapped", agrees(middleSwapped));
    const { buffer, offset } = found.value[0];
    const view = new DataView(buffer.buffer, buffer.byteOffset);
    expect(view.getBigUint64(offset + 8)).not.toBe(view.getBigUint64(offset + 16));
  });

  it("[ENC-6] readScalar accepts and rejects exactly as the previous conversion did, with the same error", () => {
    holds("readScalar agrees with the previous readScalar", scalarAgrees(readScalar), { numRuns: 500 });
  });

  it("[ENC-6] negative control: a readScalar that lets n through is caught, on n itself", () => {
    const found = failsOn("readScalar accepting n", scalarAgrees(acceptsOrder));
    expect(found.value[0]).toEqual(near(CURVE_ORDER));
  });
});
