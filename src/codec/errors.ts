/**
 * Decode errors of the canonical encoding (spec/encoding.md, rules ENC-*).
 * A decoder never throws anything else: every rejection is a `DecodeError` carrying the byte offset at
 * which the input stopped being acceptable and a machine-readable reason, which vectors use as a flag.
 * @module
 */
import { Data } from "effect";

/** Every reason a canonical decoder can give; the string is the flag used in invalid vectors. */
export const DECODE_REASONS = [
  "ShortInput",
  "TrailingBytes",
  "LengthOverBound",
  "BadVersion",
  "BadType",
  "NonCanonicalBool",
  "ScalarOutOfRange",
  "ScalarZero",
  "PointNotCompressed",
  "PointIdentity",
  "PointNotOnCurve",
  "PointNonCanonical",
  "Ed25519KeyNonCanonical",
  "Ed25519KeySmallOrder",
  "IntegerOutOfRange",
  "BadEnum",
  "NotSorted",
] as const;
export type DecodeReason = (typeof DECODE_REASONS)[number];

/** [ENC-2] A rejected encoding; [ENC-5] it records where (byte offset) and why (reason). */
export class DecodeError extends Data.TaggedError("DecodeError")<{
  readonly offset: number;
  readonly reason: DecodeReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.reason} at byte ${this.offset}: ${this.detail}`;
  }
}
