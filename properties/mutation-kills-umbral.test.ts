/**
 * Tests added after mutation testing of src/crypto/umbral (npm run mutation; spec/proxy-re-encryption.md
 * [PRE-16], [PRE-17], [PRE-18]): the decoders' errors say which field failed and where ([ENC-5]). The
 * expected field names, offsets and widths come from a layout table written from the PRE-16 layouts, not
 * from the decoders: every truncation point of every encoding, every MessagePack header and bin marker,
 * and the named non-canonical forms of each field are checked against it.
 */
import { Cause, Effect, Exit, Layer, Result } from "effect";
import { describe, expect, it } from "vitest";
import type { DecodeError } from "../src/codec/errors.js";
import { CURVE_ORDER, Secp } from "../src/codec/fields.js";
import { decodeWith } from "../src/codec/reader.js";
import { encodeWith } from "../src/codec/writer.js";
import { bytesToHex, hexToBytes } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { hashCapsulePoints, hashToPolynomialArg, hashToSharedSecret } from "../src/crypto/umbral/hashing.js";
import * as U from "../src/crypto/umbral/index.js";
import { readBinPoint, readBool, writeStruct } from "../src/crypto/umbral/msgpack.js";
import { mulSubPublic } from "../src/crypto/umbral/points.js";
import { buildShare, decryptShare, effectOutcome } from "./umbral-fixtures.js";

const share = buildShare(new Uint8Array(16).fill(0x20), Uint8Array.of(5, 6, 7), 2, 2);
const kfrag = (share.kfrags[0] as U.VerifiedKeyFrag).kfrag;
const cfrag = (share.cfrags[0] as U.VerifiedCapsuleFrag).cfrag;

/** What a decoder said: `reason@offset detail`, or "success". */
const said = (decoded: Result.Result<unknown, DecodeError>): string =>
  Result.isFailure(decoded)
    ? `${decoded.failure.reason}@${decoded.failure.offset} ${decoded.failure.detail}`
    : "success";

/** One field of a PRE-16 layout. `bin*` fields are MessagePack bin8 (marker, length, body). */
type Field =
  | { readonly kind: "struct"; readonly title: string; readonly entries: number }
  | { readonly kind: "point" | "binPoint"; readonly title: string }
  | { readonly kind: "scalar" | "binScalar"; readonly title: string }
  | { readonly kind: "bytes" | "bin"; readonly title: string; readonly width: number }
  | { readonly kind: "signature" | "binSignature"; readonly title: string }
  | { readonly kind: "bool"; readonly title: string };

/** One read of the decoder: `width` bytes at `start`, named `title` in a ShortInput detail. */
interface Read {
  readonly start: number;
  readonly width: number;
  readonly title: string;
}

interface Placed {
  readonly field: Field;
  /** Offset of the field's first byte (its marker, for bin fields). */
  readonly at: number;
  /** Offset of the body (after marker and length, for bin fields). */
  readonly body: number;
  readonly bodyWidth: number;
}

const bodyReads = (field: Field, start: number): Omit<Read, "start">[] => {
  switch (field.kind) {
    case "struct":
      return [{ width: 1, title: `${field.title} header` }];
    case "point":
    case "binPoint":
      return [{ width: 33, title: field.title }];
    case "scalar":
    case "binScalar":
      return [{ width: 32, title: field.title }];
    case "bytes":
    case "bin":
      return [{ width: field.width, title: field.title }];
    case "signature":
    case "binSignature":
      return [
        { width: 32, title: `${field.title} r` },
        { width: 32, title: `${field.title} s` },
      ];
    case "bool":
      return [{ width: 1, title: field.title }];
  }
  return start < 0 ? [] : [];
};

const isBin = (field: Field): boolean => field.kind.startsWith("bin");

/** Every read of a layout, in order, and where each field sits. */
const plan = (layout: readonly Field[]): { reads: Read[]; placed: Placed[]; size: number } => {
  const reads: Read[] = [];
  const placed: Placed[] = [];
  let offset = 0;
  for (const field of layout) {
    const at = offset;
    if (isBin(field)) {
      reads.push({ start: offset, width: 1, title: `${field.title} marker` });
      reads.push({ start: offset + 1, width: 1, title: `${field.title} length` });
      offset += 2;
    }
    const body = offset;
    for (const read of bodyReads(field, offset)) {
      reads.push({ ...read, start: offset });
      offset += read.width;
    }
    placed.push({ field, at, body, bodyWidth: offset - body });
  }
  return { reads, placed, size: offset };
};

const CAPSULE: readonly Field[] = [
  { kind: "struct", title: "Capsule", entries: 3 },
  { kind: "binPoint", title: "capsule E" },
  { kind: "binPoint", title: "capsule V" },
  { kind: "binScalar", title: "capsule s" },
];
const CAPSULE_SIMPLE: readonly Field[] = [
  { kind: "point", title: "capsule E" },
  { kind: "point", title: "capsule V" },
  { kind: "scalar", title: "capsule s" },
];
const KFRAG: readonly Field[] = [
  { kind: "struct", title: "KeyFrag", entries: 5 },
  { kind: "struct", title: "KeyFrag parameters", entries: 1 },
  { kind: "binPoint", title: "KeyFrag parameter U" },
  { kind: "bin", title: "KeyFrag id", width: 32 },
  { kind: "binScalar", title: "KeyFrag key" },
  { kind: "binPoint", title: "KeyFrag precursor" },
  { kind: "struct", title: "KeyFrag proof", entries: 5 },
  { kind: "binPoint", title: "KeyFrag commitment" },
  { kind: "binSignature", title: "KeyFrag signature for proxy" },
  { kind: "binSignature", title: "KeyFrag signature for receiver" },
  { kind: "bool", title: "KeyFrag delegating key signed" },
  { kind: "bool", title: "KeyFrag receiving key signed" },
];
const CFRAG: readonly Field[] = [
  { kind: "struct", title: "CapsuleFrag", entries: 5 },
  { kind: "binPoint", title: "CapsuleFrag E1" },
  { kind: "binPoint", title: "CapsuleFrag V1" },
  { kind: "bin", title: "CapsuleFrag kfrag id", width: 32 },
  { kind: "binPoint", title: "CapsuleFrag precursor" },
  { kind: "struct", title: "CapsuleFrag proof", entries: 6 },
  { kind: "binPoint", title: "CapsuleFrag E2" },
  { kind: "binPoint", title: "CapsuleFrag V2" },
  { kind: "binPoint", title: "CapsuleFrag U1" },
  { kind: "binPoint", title: "CapsuleFrag U2" },
  { kind: "binScalar", title: "CapsuleFrag z" },
  { kind: "binSignature", title: "CapsuleFrag kfrag signature" },
];
const CFRAG_SIMPLE: readonly Field[] = [
  { kind: "point", title: "CapsuleFrag E1" },
  { kind: "point", title: "CapsuleFrag V1" },
  { kind: "bytes", title: "CapsuleFrag kfrag id", width: 32 },
  { kind: "point", title: "CapsuleFrag precursor" },
  { kind: "point", title: "CapsuleFrag E2" },
  { kind: "point", title: "CapsuleFrag V2" },
  { kind: "point", title: "CapsuleFrag U1" },
  { kind: "point", title: "CapsuleFrag U2" },
  { kind: "scalar", title: "CapsuleFrag z" },
  { kind: "signature", title: "CapsuleFrag kfrag signature" },
];

interface Format {
  readonly sample: Uint8Array;
  readonly layout: readonly Field[];
  readonly decode: (bytes: Uint8Array) => Result.Result<unknown, DecodeError>;
}

const FORMATS: Record<string, Format> = {
  capsule: { sample: U.encodeCapsule(share.capsule), layout: CAPSULE, decode: U.decodeCapsule },
  capsuleSimple: {
    sample: U.encodeCapsuleSimple(share.capsule),
    layout: CAPSULE_SIMPLE,
    decode: U.decodeCapsuleSimple,
  },
  keyFrag: { sample: U.encodeKeyFrag(kfrag), layout: KFRAG, decode: U.decodeKeyFrag },
  capsuleFrag: { sample: U.encodeCapsuleFrag(cfrag), layout: CFRAG, decode: U.decodeCapsuleFrag },
  capsuleFragSimple: {
    sample: U.encodeCapsuleFragSimple(cfrag),
    layout: CFRAG_SIMPLE,
    decode: U.decodeCapsuleFragSimple,
  },
  secretKey: {
    sample: U.encodeSecretKey(share.delegator.secret),
    layout: [{ kind: "scalar", title: "Umbral secret key" }],
    decode: U.decodeSecretKey,
  },
  publicKey: {
    sample: U.encodePublicKey(share.delegator.public),
    layout: [{ kind: "point", title: "Umbral public key" }],
    decode: U.decodePublicKey,
  },
  signature: {
    sample: kfrag.signatureForProxy,
    layout: [{ kind: "signature", title: "ECDSA signature" }],
    decode: U.decodeSignature,
  },
};
const NAMES = Object.keys(FORMATS);

const replaced = (bytes: Uint8Array, at: number, ...values: number[]): Uint8Array => {
  const out = bytes.slice();
  out.set(values, at);
  return out;
};

describe("Umbral decoders name the field that failed ([PRE-17], [ENC-5])", () => {
  it("[PRE-16] the layout table has the documented sizes, and every sample decodes", () => {
    const sizes = Object.fromEntries(NAMES.map((name) => [name, plan((FORMATS[name] as Format).layout).size]));
    expect(sizes).toEqual({
      capsule: 105,
      capsuleSimple: 98,
      keyFrag: 310,
      capsuleFrag: 381,
      capsuleFragSimple: 359,
      secretKey: 32,
      publicKey: 33,
      signature: 64,
    });
    for (const name of NAMES) {
      const f = FORMATS[name] as Format;
      expect([name, f.sample.length, said(f.decode(f.sample))]).toEqual([name, sizes[name], "success"]);
    }
  });

  it.each(NAMES)("[PRE-17] %s: every truncation is ShortInput at the field being read, naming it", (name) => {
    const f = FORMATS[name] as Format;
    const { reads } = plan(f.layout);
    for (let length = 0; length < f.sample.length; length++) {
      const read = reads.find((r) => r.start <= length && length < r.start + r.width) as Read;
      const expected = `ShortInput@${read.start} ${read.title}: need ${read.width} bytes, ${length - read.start} left`;
      expect([length, said(f.decode(f.sample.subarray(0, length)))]).toEqual([length, expected]);
    }
  });

  it.each(NAMES)("[PRE-17] %s: a byte after the end is TrailingBytes at the end", (name) => {
    const f = FORMATS[name] as Format;
    const longer = Uint8Array.of(...f.sample, 0xc4, 0);
    expect(said(f.decode(longer))).toBe(`TrailingBytes@${f.sample.length} 2 bytes after the end of the value`);
  });
});

const hex2 = (value: number): string => `0x${value.toString(16).padStart(2, "0")}`;

/** The named rejections of one field, as (bytes, what the decoder must say). */
const fieldCases = (sample: Uint8Array, p: Placed): [Uint8Array, string][] => {
  const { field, at, body } = p;
  const t = field.title;
  const cases: [Uint8Array, string][] = [];
  if (field.kind === "struct") {
    const header = 0x90 | field.entries;
    for (const wrong of [header - 1, header + 1, 0xdc]) {
      cases.push([
        replaced(sample, at, wrong),
        `BadType@${at} ${t}: expected fixarray(${field.entries}) ${hex2(header)}, got ${hex2(wrong)}`,
      ]);
    }
  }
  if (isBin(field)) {
    for (const wrong of [0xc5, 0x0c]) {
      cases.push([replaced(sample, at, wrong), `BadType@${at} ${t}: expected bin8 (0xc4), got ${hex2(wrong)}`]);
    }
  }
  if (field.kind === "bin" || field.kind === "binScalar" || field.kind === "binSignature") {
    const width = p.bodyWidth;
    for (const wrong of [width - 1, width + 1]) {
      cases.push([replaced(sample, at + 1, wrong), `BadType@${at} ${t}: bin8 of ${wrong} bytes, expected ${width}`]);
    }
  }
  if (field.kind === "binPoint") {
    // The forms rust-umbral reads: SEC1 uncompressed (65 bytes) and the identity (one 0x00 byte).
    cases.push([replaced(sample, at + 1, 65), `PointNotCompressed@${at} ${t}: uncompressed point`]);
    cases.push([replaced(sample, at + 1, 1, 0), `PointIdentity@${at} ${t}: identity`]);
    for (const wrong of [1, 32, 34]) {
      const bytes = replaced(sample, at + 1, wrong, 2);
      cases.push([bytes, `BadType@${at} ${t}: bin8 of ${wrong} bytes, expected 33`]);
    }
  }
  if (field.kind === "point" || field.kind === "binPoint") {
    cases.push([replaced(sample, body, 0), `PointIdentity@${body} ${t}: identity point`]);
    cases.push([replaced(sample, body, 4), `PointNotCompressed@${body} ${t}: prefix 4`]);
    cases.push([replaced(sample, body, 2, ...new Array(32).fill(0xff)), `PointNonCanonical@${body} ${t}: x >= p`]);
    // x = 0 is below p but not on secp256k1 (0 + 7 = 7 is not a square mod p).
    cases.push([
      replaced(sample, body, 2, ...new Array(32).fill(0)),
      `PointNotOnCurve@${body} ${t}: x is not on the curve`,
    ]);
  }
  if (field.kind === "scalar" || field.kind === "binScalar") {
    cases.push([replaced(sample, body, ...new Array(32).fill(0xff)), `ScalarOutOfRange@${body} ${t}: scalar >= n`]);
  }
  if (field.kind === "signature" || field.kind === "binSignature") {
    const zero = new Array(32).fill(0);
    cases.push([replaced(sample, body, ...zero), `ScalarZero@${body} ${t} r: scalar is zero`]);
    cases.push([replaced(sample, body + 32, ...zero), `ScalarZero@${body + 32} ${t} s: scalar is zero`]);
    cases.push([
      replaced(sample, body + 32, ...new Array(32).fill(0xff)),
      `ScalarOutOfRange@${body + 32} ${t} s: scalar >= n`,
    ]);
  }
  if (field.kind === "bool") {
    for (const wrong of [0x00, 0x01, 0xc1, 0xc4]) {
      cases.push([
        replaced(sample, at, wrong),
        `NonCanonicalBool@${at} ${t}: expected 0xc2 or 0xc3, got ${hex2(wrong)}`,
      ]);
    }
  }
  return cases;
};

describe("Umbral decoders reject each field's non-canonical forms with its name ([PRE-17], [ENC-5])", () => {
  it.each(NAMES)("[PRE-17] %s: headers, bin markers and lengths, points, scalars, booleans", (name) => {
    const f = FORMATS[name] as Format;
    const { placed } = plan(f.layout);
    let checked = 0;
    for (const p of placed) {
      for (const [bytes, expected] of fieldCases(f.sample, p)) {
        expect([p.field.title, bytesToHex(bytes.subarray(p.at, p.body + 1)), said(f.decode(bytes))]).toEqual([
          p.field.title,
          bytesToHex(bytes.subarray(p.at, p.body + 1)),
          expected,
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(placed.length);
  });
});

describe("Umbral MessagePack pieces at their edges ([PRE-16], [PRE-17])", () => {
  const point = (hex: string) => said(decodeWith(hexToBytes(hex), (r) => readBinPoint(r, "P")));

  it("[PRE-17] a one-byte bin is the identity only when its byte is 0x00 and present", () => {
    expect(point("c40100")).toBe("PointIdentity@0 P: identity");
    expect(point("c401")).toBe("BadType@0 P: bin8 of 1 bytes, expected 33");
    expect(point("c40102")).toBe("BadType@0 P: bin8 of 1 bytes, expected 33");
    expect(point("c400")).toBe("BadType@0 P: bin8 of 0 bytes, expected 33");
    expect(point("c441")).toBe("PointNotCompressed@0 P: uncompressed point");
    expect(point(`c421${bytesToHex(U.encodePublicKey(share.signer.public))}`)).toBe("success");
  });

  it("[PRE-16] booleans decode to their value: 0xc3 is true, 0xc2 is false", () => {
    const bool = (byte: number) => decodeWith(Uint8Array.of(byte), (r) => readBool(r, "B"));
    expect([bool(0xc3), bool(0xc2)].map((b) => (Result.isSuccess(b) ? b.success : said(b)))).toEqual([true, false]);
    const bytes = U.encodeKeyFrag(kfrag);
    const flags = (a: number, b: number) => {
      const decoded = U.decodeKeyFrag(replaced(bytes, 308, a, b));
      return Result.isSuccess(decoded)
        ? [decoded.success.delegatingKeySigned, decoded.success.receivingKeySigned]
        : said(decoded);
    };
    expect([flags(0xc2, 0xc3), flags(0xc3, 0xc2), flags(0xc2, 0xc2)]).toEqual([
      [false, true],
      [true, false],
      [false, false],
    ]);
  });

  it("[PRE-16] a struct header is a fixarray of 0..15 entries; more is a programming error", () => {
    expect(bytesToHex(encodeWith((w) => writeStruct(writeStruct(w, 0), 15)))).toBe("909f");
    expect(() => encodeWith((w) => writeStruct(w, 16))).toThrow(new RangeError("fixarray of 16 entries"));
    expect(() => encodeWith((w) => writeStruct(w, -1))).toThrow(new RangeError("fixarray of -1 entries"));
  });

  it("[PRE-17] a kfrag under another parameter point U is BadVersion at U, saying so", () => {
    const bytes = replaced(U.encodeKeyFrag(kfrag), 4, ...U.encodePublicKey(share.signer.public));
    expect(said(U.decodeKeyFrag(bytes))).toBe("BadVersion@2 KeyFrag parameter U is not Umbral's U");
  });
});

const messageOf = (result: Result.Result<unknown, { readonly message: string }>): string =>
  Result.isFailure(result) ? result.failure.message : "success";
const Fn = Secp.Fn;
const n = CURVE_ORDER;

describe("Umbral explicit coins: PreBadCoins names the coin and its range ([PRE-19], [PRE-18])", () => {
  it("[PRE-19] Enc: r and u in [1, n), r + u ≢ 0, a 24-byte nonce", () => {
    const pk = share.delegator.public;
    const nonce = new Uint8Array(24);
    const enc = (r: bigint, u: bigint, bytes = nonce) =>
      messageOf(U.encryptWithRandomness(pk, Uint8Array.of(1), { r, u, nonce: bytes }));
    expect(enc(1n, 1n)).toBe("success");
    expect(enc(n - 1n, 2n)).toBe("success");
    expect(enc(0n, 1n)).toBe("r: must be in [1, n)");
    expect(enc(n, 1n)).toBe("r: must be in [1, n)");
    expect(enc(-1n, 1n)).toBe("r: must be in [1, n)");
    expect(enc(1n, 0n)).toBe("u: must be in [1, n)");
    expect(enc(1n, n)).toBe("u: must be in [1, n)");
    expect(enc(n - 1n, 1n)).toBe("u: r + u = 0 mod n gives the identity key");
    expect(enc(1n, n - 1n)).toBe("u: r + u = 0 mod n gives the identity key");
    expect(enc(1n, 1n, new Uint8Array(23))).toBe("nonce: must be 24 bytes, got 23");
    expect(enc(1n, 1n, new Uint8Array(25))).toBe("nonce: must be 24 bytes, got 25");
  });

  it("[PRE-19] ReEnc: τ in [1, n)", () => {
    const verified = share.kfrags[0] as U.VerifiedKeyFrag;
    const reenc = (tau: bigint) => messageOf(U.reencryptWithRandomness(share.capsule, verified, tau));
    expect([reenc(1n), reenc(n - 1n)]).toEqual(["success", "success"]);
    expect([reenc(0n), reenc(n)]).toEqual(["tau: must be in [1, n)", "tau: must be in [1, n)"]);
  });

  const request = {
    delegating: share.delegator.secret,
    receiving: share.delegatee.public,
    signer: share.signer.secret,
    threshold: 3,
    shares: 3,
  };
  const fragment = (i: number) => ({
    id: new Uint8Array(32).fill(i),
    receiverEntropy: new Uint8Array(32).fill(i + 1),
    proxyEntropy: new Uint8Array(32).fill(i + 2),
  });
  const fragments = [fragment(1), fragment(2), fragment(3)];
  const rekey = (coins: Partial<U.KFragCoins>) =>
    messageOf(U.generateKFragsWithRandomness(request, { precursor: 9n, coefficients: [5n, 6n], fragments, ...coins }));

  it("[PRE-19] ReKeyGen: x_A and each coefficient in [1, n), each id and entropy 32 bytes, named by index", () => {
    expect(rekey({})).toBe("success");
    expect(rekey({ precursor: 0n })).toBe("precursor: must be in [1, n)");
    expect(rekey({ precursor: n })).toBe("precursor: must be in [1, n)");
    expect(rekey({ coefficients: [5n, 0n] })).toBe("coefficients[1]: must be in [1, n)");
    expect(rekey({ coefficients: [n, 6n] })).toBe("coefficients[0]: must be in [1, n)");
    const broken = (i: number, key: "id" | "receiverEntropy" | "proxyEntropy", length: number) =>
      rekey({ fragments: fragments.map((f, j) => (j === i ? { ...f, [key]: new Uint8Array(length) } : f)) });
    expect(broken(2, "id", 31)).toBe("fragments[2].id: must be 32 bytes, got 31");
    expect(broken(1, "receiverEntropy", 33)).toBe("fragments[1].receiverEntropy: must be 32 bytes, got 33");
    expect(broken(0, "proxyEntropy", 0)).toBe("fragments[0].proxyEntropy: must be 32 bytes, got 0");
  });

  it("[PRE-11] [PRE-19] coefficients that make a share zero are refused, naming the share", () => {
    // f(x) = a/d + c1·x + c2·x²: choose c2 so that f(x_1) = 0 for the second fragment's index x_1.
    const precursor = Secp.BASE.multiply(9n);
    const dh = request.receiving.point.multiply(9n);
    const d = hashToSharedSecret(precursor, request.receiving.point, dh);
    const x1 = hashToPolynomialArg(precursor, request.receiving.point, dh, fragments[1]?.id as Uint8Array);
    const f0 = Fn.mul(request.delegating.scalar, Fn.inv(d));
    const c2 = Fn.neg(Fn.div(Fn.add(f0, Fn.mul(5n, x1)), Fn.mul(x1, x1)));
    expect(rekey({ coefficients: [5n, c2] })).toBe("coefficients: f(x_1) = 0");
    expect(rekey({ coefficients: [5n, Fn.add(c2, 1n)] })).toBe("success");
  });
});

describe("Dec2 never encodes the identity ([PRE-15], [PRE-18])", () => {
  it("[PRE-15] fragments whose E' + V' is the identity but pass (s/d)·pk_A = h·E' + V' are CapsuleOpenFailed", () => {
    // Only a cfrag that skipped PRE-14 can do this: E1 = c·pk_A, V1 = −E1 with c = (s/d)/(h − 1).
    const one = buildShare(new Uint8Array(16).fill(0x21), Uint8Array.of(1));
    const { cfrag: honest } = one.cfrags[0] as U.VerifiedCapsuleFrag;
    const b = one.delegatee.secret.scalar;
    const dh = honest.precursor.multiply(b);
    const d = hashToSharedSecret(honest.precursor, one.delegatee.public.point, dh);
    const h = hashCapsulePoints(one.capsule.e, one.capsule.v);
    const c = Fn.div(Fn.div(one.capsule.s, d), Fn.sub(h, 1n));
    const e1 = one.delegator.public.point.multiply(c);
    const forged = { cfrag: { ...honest, e1, v1: e1.negate() } } as U.VerifiedCapsuleFrag;
    const open = (cfrags: readonly U.VerifiedCapsuleFrag[]) => messageOf(decryptShare(one, cfrags));
    expect(open(one.cfrags)).toBe("success");
    expect(open([forged])).toBe("E' + V' is the identity");
  });
});

/** A Randomness layer that hands out `blocks` (each a big-endian number of the requested width) in order. */
const scripted = (blocks: readonly bigint[]) => {
  let next = 0;
  const bytes = (width: number) => {
    const value = blocks[next++];
    if (value === undefined) throw new Error(`draw ${next} was not scripted`);
    return hexToBytes(value.toString(16).padStart(2 * width, "0"));
  };
  return Layer.succeed(Randomness, Randomness.of({ bytes }));
};

describe("Randomness and the scalar draws ([PRE-19], [HASH-4])", () => {
  it("[HASH-4] the seeded source starts each request at a fresh block: block_i = H(seed ‖ u64be(i))", () => {
    const seed = Uint8Array.of(1, 2, 3);
    const block = (i: number) => taggedHash(TAGS.VECTOR_RNG, seed, hexToBytes(i.toString(16).padStart(16, "0")));
    const source = seededSource(seed);
    expect(source.bytes(32)).toEqual(block(0));
    expect(source.bytes(0)).toEqual(new Uint8Array(0));
    expect(source.bytes(5)).toEqual(block(1).subarray(0, 5));
    expect(source.bytes(64)).toEqual(Uint8Array.of(...block(2), ...block(3)));
    expect(source.bytes(33)).toEqual(Uint8Array.of(...block(4), ...block(5).subarray(0, 1)));
  });

  it("[HASH-4] a request must be a whole number of bytes, at most 2^24; otherwise a RangeError names it", () => {
    const source = seededSource(Uint8Array.of(9));
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 24 + 1]) {
      expect(() => source.bytes(bad)).toThrow(new RangeError(`bytes: bad length ${bad}`));
    }
    // The largest request (2^24 bytes) is left out: drawing it takes seconds.
  });

  it("[PRE-19] a scalar is redrawn up to 8 times; the 8th draw out of [1, n) in a row is a defect naming the bound", () => {
    const draw = (blocks: readonly bigint[]) =>
      Effect.runSyncExit(Effect.provide(U.generateSecretKey, scripted(blocks)));
    const seven = [0n, n, 0n, n + 1n, 0n, 2n ** 256n - 1n, 0n];
    const drawn = draw([...seven, n - 1n]);
    expect(Exit.isSuccess(drawn) && drawn.value.scalar).toBe(n - 1n);
    const broken = draw([...seven, 0n, 1n]);
    expect(Exit.isFailure(broken) && Cause.hasDies(broken.cause)).toBe(true);
    expect(() => Effect.runSync(Effect.provide(U.generateSecretKey, scripted([...seven, n, 1n])))).toThrow(
      "Randomness gave 8 scalars out of [1, n) in a row: the source is broken",
    );
  });

  it("[PRE-21] [PRE-19] ReKeyGen with a bad threshold fails before drawing anything", () => {
    const request = {
      delegating: share.delegator.secret,
      receiving: share.delegatee.public,
      signer: share.signer.secret,
    };
    const run = (threshold: number, shares: number) =>
      Effect.runSync(Effect.provide(effectOutcome(U.generateKFrags({ ...request, threshold, shares })), scripted([])));
    expect([run(0, 0), run(2, 1), run(1, 256)]).toEqual(["ThresholdInvalid", "ThresholdInvalid", "ThresholdInvalid"]);
  });
});

describe("Umbral objects handed out are the caller's own ([PRE-16], [PRE-11])", () => {
  it("[PRE-16] changing the bytes of encodeCapsuleSimple / encodePublicKey changes no later result", () => {
    const one = buildShare(new Uint8Array(16).fill(0x22), Uint8Array.of(4, 2));
    const simple = U.encodeCapsuleSimple(one.capsule);
    const expected = simple.slice();
    simple.fill(0);
    expect(U.encodeCapsuleSimple(one.capsule)).toEqual(expected);
    expect(messageOf(U.decryptOriginal(one.delegator.secret, one.capsule, one.ciphertext))).toBe("success");
    const key = U.encodePublicKey(one.signer.public);
    const keyBefore = key.slice();
    key.fill(0);
    expect(U.encodePublicKey(one.signer.public)).toEqual(keyBefore);
    expect(messageOf(U.verifyKeyFrag((one.kfrags[0] as U.VerifiedKeyFrag).kfrag, one.keys))).toBe("success");
  });

  it("[PRE-11] a kfrag keeps its own copy of the id coin", () => {
    const id = new Uint8Array(32).fill(7);
    const coins = { precursor: 3n, coefficients: [], fragments: [{ id, receiverEntropy: id, proxyEntropy: id }] };
    const request = {
      delegating: share.delegator.secret,
      receiving: share.delegatee.public,
      signer: share.signer.secret,
    };
    const made = U.generateKFragsWithRandomness(request, coins);
    id.fill(8);
    const { kfrag: made0 } = (Result.isSuccess(made) ? made.success[0] : undefined) as U.VerifiedKeyFrag;
    expect(made0.id).toEqual(new Uint8Array(32).fill(7));
    expect(messageOf(U.verifyKeyFrag(made0, share.keys))).toBe("success");
  });
});

describe("Umbral scalars that may be zero, and those that may not ([PRE-17], [PRE-6])", () => {
  const zeroAt = (bytes: Uint8Array, at: number) => replaced(bytes, at, ...new Array(32).fill(0));

  it("[PRE-17] the capsule's s, a kfrag's rk and a cfrag's z decode when zero (their checks come at use)", () => {
    const capsule = U.decodeCapsule(zeroAt(U.encodeCapsule(share.capsule), 73));
    expect(Result.isSuccess(capsule) && capsule.success.s).toBe(0n);
    expect(messageOf(U.checkCapsule(Result.getOrThrow(capsule)))).toBe("s·G ≠ V + H(E ‖ V)·E");
    const simple = U.decodeCapsuleSimple(zeroAt(U.encodeCapsuleSimple(share.capsule), 66));
    expect(Result.isSuccess(simple) && simple.success.s).toBe(0n);
    const decodedKfrag = U.decodeKeyFrag(zeroAt(U.encodeKeyFrag(kfrag), 73));
    expect(Result.isSuccess(decodedKfrag) && decodedKfrag.success.key).toBe(0n);
    expect(messageOf(U.verifyKeyFrag(Result.getOrThrow(decodedKfrag), share.keys))).toBe("Commitment: U1 ≠ rk·U");
    const decodedCfrag = U.decodeCapsuleFrag(zeroAt(U.encodeCapsuleFrag(cfrag), 283));
    expect(Result.isSuccess(decodedCfrag) && decodedCfrag.success.proof.z).toBe(0n);
    expect(messageOf(U.verifyCapsuleFrag(Result.getOrThrow(decodedCfrag), share.capsule, share.keys))).toBe(
      "Proof: the re-encryption proof fails",
    );
    const simpleCfrag = U.decodeCapsuleFragSimple(zeroAt(U.encodeCapsuleFragSimple(cfrag), 263));
    expect(Result.isSuccess(simpleCfrag) && simpleCfrag.success.proof.z).toBe(0n);
  });

  it("[PRE-6] verifySignature is false, never a throw, for a signature that is not 64 bytes", () => {
    const message = Uint8Array.of(1, 2, 3);
    const signature = U.signWithEntropy(share.signer.secret, message, new Uint8Array(32));
    expect(U.verifySignature(share.signer.public, message, signature)).toBe(true);
    for (const wrong of [signature.subarray(0, 63), Uint8Array.of(...signature, 0), new Uint8Array(0)]) {
      expect([wrong.length, U.verifySignature(share.signer.public, message, wrong)]).toEqual([wrong.length, false]);
    }
  });
});

describe("Dec2's bounds on thresholds and fragment counts ([PRE-15], [PRE-21])", () => {
  const c0 = share.cfrags[0] as U.VerifiedCapsuleFrag;
  const dec2 = (cfrags: readonly U.VerifiedCapsuleFrag[], threshold: number) => decryptShare(share, cfrags, threshold);

  it("[PRE-21] a threshold outside [1, 255] is ThresholdInvalid with the threshold, the count and the bound", () => {
    for (const threshold of [0, 256, 1.5]) {
      const result = dec2([c0], threshold);
      expect(Result.isFailure(result) && { ...result.failure }).toEqual({
        _tag: "ThresholdInvalid",
        threshold,
        shares: 1,
        detail: `need 1 ≤ t ≤ 255, got ${threshold}`,
      });
    }
    expect(messageOf(dec2([c0], 255))).toBe("1 capsule fragments given, 255 needed");
  });

  it("[PRE-15] more than 255 fragments cannot come from one ReKeyGen: MismatchedFragments names the count", () => {
    expect(messageOf(dec2(new Array(256).fill(c0), 1))).toBe("256 fragments, but one ReKeyGen makes at most 255");
    expect(messageOf(dec2(new Array(255).fill(c0), 1))).toBe("two fragments share a share index");
  });
});

describe("Umbral multiplication helpers at zero ([PRE-22])", () => {
  it("[PRE-22] a·P − b·Q with a zero scalar is the other term, never an exception", () => {
    const p = Secp.BASE.multiply(11n);
    const q = Secp.BASE.multiply(13n);
    expect(mulSubPublic(p, 5n, q, 0n).equals(Secp.BASE.multiply(55n))).toBe(true);
    expect(mulSubPublic(p, 0n, q, 2n).equals(Secp.BASE.multiply(Fn.neg(26n)))).toBe(true);
    expect(mulSubPublic(p, 5n, q, 2n).equals(Secp.BASE.multiply(29n))).toBe(true);
  });
});

describe("Key fragment verification names what is missing ([PRE-12], [PRE-18])", () => {
  it("[PRE-11] [PRE-12] each flag alone decides whether its key is in the proxy's message; keys not signed are ignored", () => {
    const coins = {
      precursor: 17n,
      coefficients: [],
      fragments: [
        { id: new Uint8Array(32).fill(1), receiverEntropy: new Uint8Array(32), proxyEntropy: new Uint8Array(32) },
      ],
    };
    const request = {
      delegating: share.delegator.secret,
      receiving: share.delegatee.public,
      signer: share.signer.secret,
    };
    const made = (signDelegatingKey: boolean, signReceivingKey: boolean) =>
      (
        Result.getOrThrow(
          U.generateKFragsWithRandomness({ ...request, signDelegatingKey, signReceivingKey }, coins),
        )[0] as U.VerifiedKeyFrag
      ).kfrag;
    const { verifying, delegating, receiving } = share.keys;
    const verify = (frag: U.KeyFrag, keys: U.KFragVerificationKeys) => {
      const result = U.verifyKeyFrag(frag, keys);
      return Result.isFailure(result) ? result.failure.reason : "success";
    };
    const onlyDelegating = made(true, false);
    const onlyReceiving = made(false, true);
    expect([verify(onlyDelegating, share.keys), verify(onlyDelegating, { verifying, delegating })]).toEqual([
      "success",
      "success",
    ]);
    expect(verify(onlyDelegating, { verifying, receiving })).toBe("DelegatingKeyNotProvided");
    expect([verify(onlyReceiving, share.keys), verify(onlyReceiving, { verifying, receiving })]).toEqual([
      "success",
      "success",
    ]);
    expect(verify(onlyReceiving, { verifying, delegating })).toBe("ReceivingKeyNotProvided");
    expect(verify(made(false, false), share.keys)).toBe("success");
    // A flag changed after signing changes the message: the signature no longer verifies.
    const both = made(true, true);
    expect(verify({ ...both, receivingKeySigned: false }, share.keys)).toBe("Signature");
    expect(verify({ ...onlyDelegating, receivingKeySigned: true }, share.keys)).toBe("Signature");
  });

  it("[PRE-12] a kfrag that signs a key not given: DelegatingKeyNotProvided / ReceivingKeyNotProvided, with the detail", () => {
    const verifying = share.keys.verifying;
    expect(messageOf(U.verifyKeyFrag(kfrag, { verifying, receiving: share.keys.receiving }))).toBe(
      "DelegatingKeyNotProvided: the kfrag signs the delegating key, which was not given",
    );
    expect(messageOf(U.verifyKeyFrag(kfrag, { verifying, delegating: share.keys.delegating }))).toBe(
      "ReceivingKeyNotProvided: the kfrag signs the receiving key, which was not given",
    );
    expect(messageOf(U.verifyKeyFrag(kfrag, { ...share.keys, verifying: share.keys.delegating }))).toBe(
      "Signature: the proxy's signature does not verify under the signer for these keys",
    );
  });
});
