/**
 * The byte-wise S < L check of the node:crypto fast path (spec/signatures.md [SIG-3], [SIG-7]) against the
 * bigint comparison it replaces, on scalars drawn around L and at the ends of the 256-bit range. Negative
 * control: a comparison that starts at the least significant byte is caught.
 */
import { bytesToNumberLE, numberToBytesLE } from "@noble/curves/utils.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scalarBelowOrder } from "../src/node.js";
import { failsOn, holds } from "./check.js";

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const L_LE = numberToBytesLE(L, 32);

/** A signature whose S is `s` (R is zeros: only S matters here). */
const signatureWith = (s: bigint): Uint8Array => {
  const signature = new Uint8Array(64);
  signature.set(numberToBytesLE(s, 32), 32);
  return signature;
};

const scalarArb = fc.oneof(
  fc.bigInt({ min: L - 300n, max: L + 300n }),
  fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
  fc.constantFrom(0n, L - 1n, L, L + 1n, 2n ** 252n, 2n ** 253n, 2n ** 256n - 1n),
);

const agrees = (below: (signature: Uint8Array) => boolean) =>
  fc.property(scalarArb, (s) => below(signatureWith(s)) === s < L);

/** The broken comparison: the first differing byte from the least significant end decides. */
const fromLowEnd = (signature: Uint8Array): boolean => {
  for (let i = 0; i < 32; i++) {
    const s = signature[32 + i] as number;
    const l = L_LE[i] as number;
    if (s !== l) return s < l;
  }
  return false;
};

describe("node fast path: S < L", () => {
  it("[SIG-3] the byte-wise check equals the bigint comparison", () => {
    holds("scalarBelowOrder = (S < L)", agrees(scalarBelowOrder), { numRuns: 500 });
  });

  it("[SIG-3] negative control: comparing from the least significant byte is caught", () => {
    const found = failsOn("scalarBelowOrder = (S < L) (from the low end)", agrees(fromLowEnd));
    const s = bytesToNumberLE(signatureWith(found.value[0]).subarray(32));
    expect(fromLowEnd(signatureWith(s))).not.toBe(s < L);
  });
});
