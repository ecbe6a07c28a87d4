/**
 * Codec vectors (spec/encoding.md; spec/vectors.md [VEC-2]): for each primitive field, valid encodings
 * with their canonical value and invalid encodings with the DecodeError reason they must produce.
 * @module
 */
import { Result } from "effect";
import { CURVE_ORDER, decodeWith, encodeWith, Secp } from "../../src/codec/index.js";
import { bytesToHex } from "../../src/crypto/bytes.js";
import { seededSource } from "../../src/crypto/random.js";
import { type CheckReport, expect, runCases, type VectorFamily } from "../family.js";
import { hex, lit, str } from "../json-schema.js";
import { buildWycheproof, forEachTest, type Note, type TestDraft, wycheproofSchema } from "../wycheproof.js";
import { FIELD_NAMES, FIELDS, type FieldName } from "./codec-fields.js";

const FILE = "crypto/codec_test.json";
const SCHEMA = "codec_decode_schema.json";

const NOTES: Record<string, Note> = {
  ShortInput: { bugType: "BASIC", description: "The input ends before the field does." },
  TrailingBytes: {
    bugType: "MALLEABILITY",
    description: "Bytes follow a complete value; accepting them makes encodings malleable.",
  },
  LengthOverBound: {
    bugType: "CAN_OF_WORMS",
    description: "A length prefix exceeds the stated bound; it must be rejected before allocating.",
  },
  NonCanonicalBool: { bugType: "MALLEABILITY", description: "A boolean byte other than 0x00 or 0x01." },
  ScalarOutOfRange: {
    bugType: "MALLEABILITY",
    description: "A scalar >= the group order n; reducing it would give two encodings of one value.",
  },
  ScalarZero: { bugType: "EDGE_CASE", description: "A zero scalar where the field must be non-zero." },
  PointNotCompressed: {
    bugType: "MALLEABILITY",
    description: "A point prefix other than 0x02/0x03 (uncompressed or hybrid forms are not canonical).",
  },
  PointIdentity: {
    bugType: "EDGE_CASE",
    description: "The identity point (0x00 prefix) where a group element is required.",
  },
  PointNotOnCurve: {
    bugType: "CAN_OF_WORMS",
    description: "An x (or y) coordinate with no point on the curve; invalid-curve attacks start here.",
  },
  PointNonCanonical: { bugType: "MALLEABILITY", description: "A coordinate >= the field prime p." },
  Ed25519KeyNonCanonical: {
    bugType: "MALLEABILITY",
    description: "An Ed25519 key encoding that RFC 8032 5.1.3 rejects (y >= p, or x = 0 with the sign bit set).",
  },
  Ed25519KeySmallOrder: {
    bugType: "SIGNATURE_MALLEABILITY",
    description: "An Ed25519 key of small order: one signature can verify for many messages.",
  },
};

const be = (value: bigint, bytes: number): string => value.toString(16).padStart(2 * bytes, "0");
const le32 = (value: bigint): string => be(value, 32).match(/../g)?.reverse().join("") ?? "";
const P25519 = 2n ** 255n - 19n;
const FIELD_PRIME = Secp.Fp.ORDER;

interface Case {
  readonly encoded: string;
  readonly comment: string;
  readonly reason?: keyof typeof NOTES;
}

const valid = (encoded: string, comment: string): Case => ({ encoded, comment });
const invalid = (encoded: string, reason: keyof typeof NOTES, comment: string): Case => ({ encoded, reason, comment });

/** Hand-picked edge cases per field, then random valid values from the seed. */
const edgeCases = (field: FieldName, random: (n: number) => Uint8Array): Case[] => {
  const g = Secp.BASE;
  const randomScalar = (): bigint => (BigInt(`0x${bytesToHex(random(32))}`) % (CURVE_ORDER - 1n)) + 1n;
  switch (field) {
    case "u8":
      return [
        valid("00", "zero"),
        valid("ff", "max"),
        invalid("", "ShortInput", "empty"),
        invalid("0000", "TrailingBytes", "one byte too many"),
      ];
    case "u16":
      return [
        valid("0000", "zero"),
        valid("ffff", "max"),
        valid("0102", "big-endian"),
        invalid("01", "ShortInput", "one byte"),
      ];
    case "u32":
      return [
        valid("00000000", "zero"),
        valid("ffffffff", "max"),
        invalid("000000", "ShortInput", "three bytes"),
        invalid("0000000000", "TrailingBytes", "five bytes"),
      ];
    case "u64":
      return [
        valid("0000000000000000", "zero"),
        valid("ffffffffffffffff", "max"),
        valid("0000000100000000", "2^32"),
        invalid("00000000000000", "ShortInput", "seven bytes"),
      ];
    case "bool":
      return [
        valid("00", "false"),
        valid("01", "true"),
        invalid("02", "NonCanonicalBool", "2"),
        invalid("ff", "NonCanonicalBool", "0xff"),
      ];
    case "bytes32":
      return [
        valid("00000000", "empty"),
        valid(`00000020${"ab".repeat(32)}`, "at the bound"),
        invalid(`00000021${"ab".repeat(33)}`, "LengthOverBound", "one over the bound"),
        invalid("ffffffff", "LengthOverBound", "huge length, no body: rejected before reading"),
        invalid("00000003abab", "ShortInput", "body shorter than its length"),
        invalid("00000001abab", "TrailingBytes", "body longer than its length"),
        invalid("000000", "ShortInput", "truncated length"),
      ];
    case "scalar":
    case "nonZeroScalar":
      return [
        field === "scalar" ? valid(be(0n, 32), "zero is a scalar") : invalid(be(0n, 32), "ScalarZero", "zero"),
        valid(be(1n, 32), "one"),
        valid(be(CURVE_ORDER - 1n, 32), "n - 1"),
        valid(be(randomScalar(), 32), "random"),
        invalid(be(CURVE_ORDER, 32), "ScalarOutOfRange", "n"),
        invalid(be(CURVE_ORDER + 1n, 32), "ScalarOutOfRange", "n + 1 (would reduce to 1)"),
        invalid("ff".repeat(32), "ScalarOutOfRange", "2^256 - 1"),
        invalid(be(1n, 31), "ShortInput", "31 bytes"),
      ];
    case "point": {
      const p = g.multiply(randomScalar()).toBytes(true);
      const uncompressed = bytesToHex(g.toBytes(false));
      return [
        valid(bytesToHex(g.toBytes(true)), "generator"),
        valid(bytesToHex(p), "random point"),
        valid(bytesToHex(g.negate().toBytes(true)), "-G (other parity)"),
        invalid(`00${"00".repeat(32)}`, "PointIdentity", "identity"),
        invalid(`04${uncompressed.slice(2, 66)}`, "PointNotCompressed", "uncompressed prefix in 33 bytes"),
        invalid(`05${be(1n, 32)}`, "PointNotCompressed", "prefix 0x05"),
        invalid(`02${be(5n, 32)}`, "PointNotOnCurve", "x = 5 has no point"),
        invalid(`02${be(FIELD_PRIME, 32)}`, "PointNonCanonical", "x = p"),
        invalid(`03${be(FIELD_PRIME + 1n, 32)}`, "PointNonCanonical", "x = p + 1 (would reduce to a valid x)"),
        invalid(uncompressed, "PointNotCompressed", "uncompressed 65-byte point (prefix rejected first)"),
        invalid(bytesToHex(p.subarray(0, 32)), "ShortInput", "32 bytes"),
      ];
    }
    case "ed25519Key":
      return [
        valid("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "RFC 8032 test 1 public key"),
        valid(le32(3n), "y = 3"),
        invalid(le32(P25519), "Ed25519KeyNonCanonical", "y = p"),
        invalid(le32(P25519 + 3n), "Ed25519KeyNonCanonical", "y = p + 3 (would reduce to a valid y)"),
        invalid(`01${"00".repeat(30)}80`, "Ed25519KeyNonCanonical", "x = 0 with the sign bit set"),
        invalid(le32(2n), "PointNotOnCurve", "y = 2 is not on the curve"),
        invalid(`01${"00".repeat(31)}`, "Ed25519KeySmallOrder", "the identity"),
        invalid(le32(P25519 - 1n), "Ed25519KeySmallOrder", "y = -1, order 2"),
        invalid("ab".repeat(31), "ShortInput", "31 bytes"),
      ];
  }
};

const decode = (field: FieldName, encoded: string) =>
  decodeWith(Uint8Array.from(Buffer.from(encoded, "hex")), (r) => FIELDS[field].read(r));

const toTest = (field: FieldName, c: Case): TestDraft => {
  if (c.reason !== undefined) return { comment: c.comment, flags: [c.reason], encoded: c.encoded, result: "invalid" };
  const decoded = decode(field, c.encoded);
  if (Result.isFailure(decoded))
    throw new Error(`${field} ${c.comment}: valid case does not decode: ${decoded.failure.message}`);
  return { comment: c.comment, flags: [], encoded: c.encoded, value: decoded.success, result: "valid" };
};

interface CodecTest {
  readonly tcId: number;
  readonly flags: readonly string[];
  readonly encoded: string;
  readonly value?: string;
  readonly result: string;
}
export interface CodecFile {
  readonly testGroups: readonly { readonly field: FieldName; readonly tests: readonly CodecTest[] }[];
}

export const buildCodecFile = (seed: Uint8Array): CodecFile => {
  const source = seededSource(seed);
  // The envelope builder is untyped in its per-test fields; the schema (VEC-4) pins the shape.
  return buildWycheproof({
    algorithm: "SPCHAIN-V1 canonical encoding",
    schema: SCHEMA,
    header: [
      "Decoding of the primitive fields of spec/encoding.md.",
      "valid: decodes to `value` (decimal integer, hex bytes, or the canonical point encoding) and re-encodes to `encoded`.",
      "invalid: decoding fails with a DecodeError whose reason is the test's flag.",
    ],
    notes: NOTES,
    testGroups: FIELD_NAMES.map((field) => ({
      type: "CodecDecode",
      field,
      tests: edgeCases(field, source.bytes).map((c) => toTest(field, c)),
    })),
  }) as unknown as CodecFile;
};

/** Runs every case: valid ones decode to `value` and re-encode to `encoded`; invalid ones fail for their flag. */
export const checkCodecFile = (file: CodecFile): CheckReport => {
  const cases: { field: FieldName; test: CodecTest }[] = [];
  forEachTest(file, (test, group) => cases.push({ field: group.field, test }));
  return runCases(
    cases,
    ({ field, test }) => `${field} tcId ${test.tcId}`,
    ({ field, test }) => {
      const decoded = decode(field, test.encoded);
      if (test.result === "valid") {
        expect(
          Result.isSuccess(decoded),
          `expected to decode: ${Result.isFailure(decoded) ? decoded.failure.message : ""}`,
        );
        if (Result.isFailure(decoded)) return;
        expect(decoded.success === test.value, `decoded ${decoded.success}, expected ${test.value}`);
        const reencoded = bytesToHex(encodeWith((w) => FIELDS[field].write(w, decoded.success)));
        expect(reencoded === test.encoded, `re-encoded to ${reencoded}`);
      } else {
        expect(Result.isFailure(decoded), "expected a DecodeError, but it decoded");
        if (Result.isSuccess(decoded)) return;
        expect(decoded.failure.reason === test.flags[0], `reason ${decoded.failure.reason}, expected ${test.flags[0]}`);
      }
    },
  );
};

export const codecFamily: VectorFamily = {
  name: "codec",
  owns: (path) => path === FILE,
  schemaFile: SCHEMA,
  schema: wycheproofSchema("CodecDecode", { field: lit(...FIELD_NAMES) }, { encoded: hex(), "value?": str() }),
  expectsFiles: true,
  generate: (seed) => [{ path: FILE, json: buildCodecFile(seed) }],
  check: (_path, json) => checkCodecFile(json as CodecFile),
};
