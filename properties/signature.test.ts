/**
 * Ed25519 signatures and the Crypto service (spec/signatures.md): round trips and tamper detection on
 * both implementations, their agreement on random, mutated and edge-case inputs, the fast path's checks
 * shown necessary by ablation, domain tags, key generation and the bounded caches. Every property has a
 * negative control against a deliberately broken variant.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToNumberLE } from "@noble/curves/utils.js";
import { Effect, Layer, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readEd25519Key } from "../src/codec/fields.js";
import { decodeWith } from "../src/codec/reader.js";
import { Writer } from "../src/codec/writer.js";
import { bytesEqual, bytesToHex, concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { BoundedCache } from "../src/crypto/ed25519-key-cache.js";
import { TAGS, type Tag, tagPrefix } from "../src/crypto/hash.js";
import { Randomness } from "../src/crypto/random.js";
import {
  Crypto,
  type CryptoShape,
  generateKeyPair,
  keyPairFromSeed,
  nobleCrypto,
  readEd25519Signature,
  SecretKeyLength,
  signTagged,
  taggedMessage,
  verifyStrict,
  verifyTagged,
} from "../src/crypto/signature.js";
import {
  makeNodeCrypto,
  nodeCrypto,
  nodeCryptoLayer,
  opensslVerify,
  passesKeyPrecheck,
  scalarBelowOrder,
  spkiKeyObject,
} from "../src/node.js";
import {
  addToS,
  buildSignatureFile,
  checkSignatureFile,
  ED25519_L,
  edgeKey,
  flipBit,
  forgeForSmallOrderKey,
  mixedOrderKey,
  NON_CANONICAL_SMALL_ORDER,
  type SignatureFile,
  signWithSmallOrderR,
  signWithTorsion,
  TORSION,
} from "../vectors/gen/signature.js";
import { familySeed } from "../vectors/generate.js";
import { failsOn, holds } from "./check.js";

const IMPLEMENTATIONS: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];
const SIGNATURE_TAGS: readonly Tag[] = [TAGS.TX_SIG, TAGS.MICROBLOCK_SIG, TAGS.VOTE];

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const messageArb = fc.uint8Array({ maxLength: 160 });
const tagArb = fc.constantFrom(...SIGNATURE_TAGS);

type Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

describe("signatures: sign and verify", () => {
  it("[SIG-1] [SIG-2] [SIG-3] both implementations derive the same key and signature, and it verifies on both", () => {
    const agree = (sign: CryptoShape["sign"]) =>
      fc.property(seedArb, messageArb, (seed, message) => {
        const publicKey = nobleCrypto.publicKey(seed);
        const signature = nobleCrypto.sign(seed, message);
        return (
          bytesEqual(nodeCrypto.publicKey(seed), publicKey) &&
          bytesEqual(sign(seed, message), signature) &&
          IMPLEMENTATIONS.every((c) => c.verify(publicKey, message, signature))
        );
      });
    holds("noble and node sign alike", agree(nodeCrypto.sign), { numRuns: 40 });
    // Negative control: a signer that loses the message's last byte (an off-by-one slice).
    const found = failsOn(
      "off-by-one signer",
      agree((seed, message) => nodeCrypto.sign(seed, message.subarray(0, -1))),
      40,
    );
    expect(found.value[1].length).toBeGreaterThan(0);
  });

  it("[SIG-1] a secret key of the wrong length is a SecretKeyLength error on both", () => {
    for (const crypto of IMPLEMENTATIONS) {
      for (const length of [0, 31, 33, 64]) {
        expect(() => crypto.sign(new Uint8Array(length), new Uint8Array(1))).toThrow(SecretKeyLength);
        expect(() => crypto.publicKey(new Uint8Array(length))).toThrow(SecretKeyLength);
      }
    }
  });

  it("[SIG-3] verification of inputs of any length is false, never a throw, on both", () => {
    const total = (verify: Verify) =>
      fc.property(fc.uint8Array({ maxLength: 40 }), messageArb, fc.uint8Array({ maxLength: 70 }), (pk, m, s) => {
        try {
          return verify(pk, m, s) === false;
        } catch {
          return false;
        }
      });
    for (const crypto of IMPLEMENTATIONS)
      holds(`total verification (${crypto.implementation})`, total(crypto.verify), { numRuns: 150 });
    // Negative control: noble's own verify throws on wrong lengths; the wrapper's length checks are what make it total.
    failsOn(
      "raw noble verify",
      total((pk, m, s) => ed25519.verify(s, m, pk, { zip215: false })),
    );
  });
});

/** What can be changed in a signed (tag, key, message, signature), and the change. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant("key" as const), seed: seedArb }),
  fc.record({ kind: fc.constant("messageBit" as const), bit: fc.nat() }),
  fc.record({ kind: fc.constant("messageAppend" as const), byte: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant("tag" as const), tag: tagArb }),
  fc.record({
    kind: fc.constant("signatureBit" as const),
    // The edges of R and S (their low bits and their sign / top bits) as often as the rest.
    bit: fc.oneof(fc.constantFrom(0, 254, 255, 256, 510, 511), fc.nat({ max: 511 })),
  }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

type VerifyTagged = (tag: Tag, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

const anyChangeFails = (verify: VerifyTagged) =>
  fc.property(seedArb, tagArb, messageArb, mutationArb, (seed, tag, message, mutation: Mutation) => {
    const publicKey = nobleCrypto.publicKey(seed);
    const signature = signTagged(nobleCrypto, tag, seed, message);
    const changed: { tag: Tag; publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array } = {
      tag,
      publicKey,
      message,
      signature,
    };
    switch (mutation.kind) {
      case "key":
        if (bytesEqual(mutation.seed, seed)) return true;
        changed.publicKey = nobleCrypto.publicKey(mutation.seed);
        break;
      case "messageBit":
        if (message.length === 0) return true;
        changed.message = flipBit(message, mutation.bit % (8 * message.length));
        break;
      case "messageAppend":
        changed.message = concatBytes(message, new Uint8Array([mutation.byte]));
        break;
      case "tag":
        if (mutation.tag === tag) return true;
        changed.tag = mutation.tag;
        break;
      case "signatureBit":
        changed.signature = flipBit(signature, mutation.bit);
        break;
    }
    return !verify(changed.tag, changed.publicKey, changed.message, changed.signature);
  });

describe("signatures: tampering", () => {
  it("[SIG-3] [SIG-4] changing the key, the message, the tag or any signature bit fails, on both", () => {
    for (const crypto of IMPLEMENTATIONS) {
      holds(
        `any change fails (${crypto.implementation})`,
        anyChangeFails((tag, pk, m, s) => verifyTagged(crypto, tag, pk, m, s)),
        { numRuns: 60 },
      );
    }
  });

  it("[SIG-4] negative control: a verifier that ignores the tag is caught", () => {
    const found = failsOn(
      "tag-blind verifier",
      anyChangeFails((_tag, pk, m, s) => SIGNATURE_TAGS.some((t) => verifyTagged(nobleCrypto, t, pk, m, s))),
      60,
    );
    expect(found.value[3].kind).toBe("tag");
  });

  it("[SIG-3] negative control: a verifier that ignores R's sign bit is caught", () => {
    const signBlind: VerifyTagged = (tag, pk, m, s) =>
      [0x00, 0x80].some((high) => {
        const copy = s.slice();
        copy[31] = ((copy[31] ?? 0) & 0x7f) | high;
        return verifyTagged(nobleCrypto, tag, pk, m, copy);
      });
    const found = failsOn("R sign bit ignored", anyChangeFails(signBlind), 800);
    expect(found.value[3]).toEqual({ kind: "signatureBit", bit: 255 });
  });

  it("[SIG-4] the tag is length-prefixed: (TX, '-SIG' ‖ m) and (TX-SIG, m) are different signed bytes", () => {
    const boundary = (frame: (tag: Tag, m: Uint8Array) => Uint8Array) =>
      fc.property(
        messageArb,
        (m) => !bytesEqual(frame(TAGS.TX, concatBytes(utf8ToBytes("-SIG"), m)), frame(TAGS.TX_SIG, m)),
      );
    holds("tag boundary", boundary(taggedMessage));
    expect(bytesToHex(taggedMessage(TAGS.VOTE, new Uint8Array([1])))).toBe(
      `0000000f${bytesToHex(utf8ToBytes(TAGS.VOTE))}01`,
    );
    // Negative control: tag ‖ message without the length prefix.
    failsOn(
      "unprefixed tag",
      boundary((tag, m) => concatBytes(utf8ToBytes(tag), m)),
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Agreement of the two implementations.

/** A (public key, message, signature) from one of the edge-case constructions, with the strict verdict. */
interface Triple {
  readonly kind: string;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

const nonceArb = fc.bigInt({ min: 1n, max: ED25519_L - 1n });
const torsionArb = fc.integer({ min: 0, max: 7 });

const edgeCaseArb: fc.Arbitrary<Triple> = fc
  .tuple(seedArb, messageArb, nonceArb, torsionArb, fc.nat({ max: 511 }), fc.nat({ max: 3 }), fc.nat({ max: 10 }))
  .map(([seed, message, nonce, t, bit, which, kind]): Triple => {
    const key = edgeKey(seed);
    const valid = nobleCrypto.sign(seed, message);
    const make = (name: string, publicKey: Uint8Array, signature: Uint8Array): Triple => ({
      kind: name,
      publicKey,
      message,
      signature,
    });
    switch (kind) {
      case 0:
        return make("valid", key.publicKey, valid);
      case 1:
        return make("flipped bit", key.publicKey, flipBit(valid, bit));
      case 2:
        return make("S + L", key.publicKey, addToS(valid, 1n));
      case 3:
        return make("torsion in R", key.publicKey, signWithTorsion(key, message, nonce, t));
      case 4: {
        const mixed = mixedOrderKey(key, t);
        return make("torsion in A", mixed.publicKey, signWithTorsion(mixed, message, nonce, 0));
      }
      case 5:
        return make(
          "small-order R",
          key.publicKey,
          signWithSmallOrderR(key, message, (TORSION[t] as (typeof TORSION)[number]).toBytes()),
        );
      case 6:
        return make(
          "non-canonical R",
          key.publicKey,
          signWithSmallOrderR(key, message, NON_CANONICAL_SMALL_ORDER[which] as Uint8Array),
        );
      case 7:
        return make(
          "small-order key forgery",
          (TORSION[t] as (typeof TORSION)[number]).toBytes(),
          forgeForSmallOrderKey(nonce),
        );
      case 8:
        return make(
          "non-canonical key forgery",
          NON_CANONICAL_SMALL_ORDER[which] as Uint8Array,
          forgeForSmallOrderKey(nonce),
        );
      case 9:
        return make("S + 2L... (any S >= L)", key.publicKey, addToS(valid, BigInt(which + 1)));
      default:
        return make("random signature", key.publicKey, flipBit(flipBit(valid, bit), (bit + 256) % 512));
    }
  });

const agreeOn = (fast: Verify) =>
  fc.property(
    edgeCaseArb,
    (t) => fast(t.publicKey, t.message, t.signature) === verifyStrict(t.publicKey, t.message, t.signature),
  );

/** The fast path without some of its checks, built from the same pieces as `makeNodeCrypto`. */
const opensslOnly: Verify = (pk, m, s) => {
  try {
    return pk.length === 32 && s.length === 64 && opensslVerify(spkiKeyObject(pk), m, s);
  } catch {
    return false;
  }
};
const withoutKeyCheck: Verify = (pk, m, s) => opensslOnly(pk, m, s) || verifyStrict(pk, m, s);
const withoutFallback: Verify = (pk, m, s) => passesKeyPrecheck(pk) && scalarBelowOrder(s) && opensslOnly(pk, m, s);
const withoutScalarCheck: Verify = (pk, m, s) =>
  (passesKeyPrecheck(pk) && opensslOnly(pk, m, s)) || verifyStrict(pk, m, s);

describe("signatures: the fast path agrees with the reference", () => {
  it("[SIG-7] agreement on random keys, messages and signatures, and on random byte strings", () => {
    holds(
      "agreement on random inputs",
      fc.property(
        fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })),
        messageArb,
        fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ maxLength: 70 })),
        (pk, m, s) => nodeCrypto.verify(pk, m, s) === nobleCrypto.verify(pk, m, s),
      ),
      { numRuns: 200 },
    );
  });

  it("[SIG-3] [SIG-7] agreement on valid, mutated and edge-case signatures, with the strict verdicts", () => {
    holds("agreement on edge cases", agreeOn(nodeCrypto.verify), { numRuns: 150 });
    // The strict (cofactored) verdict of each construction, checked on one instance of each.
    const verdicts: Record<string, boolean> = {
      valid: true,
      "flipped bit": false,
      "S + L": false,
      "torsion in R": true,
      "torsion in A": true,
      "small-order R": true,
      "non-canonical R": false,
      "small-order key forgery": false,
      "non-canonical key forgery": false,
    };
    const seen = new Set<string>();
    holds(
      "edge-case verdicts",
      fc.property(edgeCaseArb, (t) => {
        const expected = verdicts[t.kind];
        if (expected === undefined) return true;
        seen.add(t.kind);
        return IMPLEMENTATIONS.every((c) => c.verify(t.publicKey, t.message, t.signature) === expected);
      }),
      { numRuns: 120 },
    );
    expect([...seen].sort()).toEqual(Object.keys(verdicts).sort());
  });

  it("[SIG-7] the fast path agrees on every RFC 8032 strictness case where raw OpenSSL differs", () => {
    // Raw OpenSSL accepts small-order key forgeries and rejects cofactored-only signatures.
    const key = edgeKey(new Uint8Array(32).fill(9));
    const message = utf8ToBytes("edge");
    const forgery = { pk: (TORSION[0] as (typeof TORSION)[number]).toBytes(), sig: forgeForSmallOrderKey(12345n) };
    const torsionR = signWithTorsion(key, message, 777n, 1);
    expect(opensslOnly(forgery.pk, message, forgery.sig)).toBe(true);
    expect(verifyStrict(forgery.pk, message, forgery.sig)).toBe(false);
    expect(nodeCrypto.verify(forgery.pk, message, forgery.sig)).toBe(false);
    expect(opensslOnly(key.publicKey, message, torsionR)).toBe(false);
    expect(verifyStrict(key.publicKey, message, torsionR)).toBe(true);
    expect(nodeCrypto.verify(key.publicKey, message, torsionR)).toBe(true);
  });

  it("[SIG-7] negative control: without the key pre-check the fast path accepts small-order key forgeries", () => {
    const found = failsOn("no key pre-check", agreeOn(withoutKeyCheck), 300);
    expect(found.value[0].kind).toMatch(/key forgery/);
  });

  it("[SIG-7] negative control: without the fallback the fast path rejects cofactored-only signatures", () => {
    const found = failsOn("no fallback", agreeOn(withoutFallback), 300);
    expect(found.value[0].kind).toMatch(/torsion|small-order R/);
  });

  it("[SIG-7] without the S < L pre-check this OpenSSL still agrees (the check is defence in depth)", () => {
    holds(
      "OpenSSL rejects S >= L itself",
      fc.property(seedArb, messageArb, fc.bigInt({ min: 1n, max: 14n }), (seed, m, j) => {
        const s = addToS(nobleCrypto.sign(seed, m), j);
        return bytesToNumberLE(s.subarray(32)) >= 2n ** 256n || !withoutScalarCheck(nobleCrypto.publicKey(seed), m, s);
      }),
      { numRuns: 40 },
    );
  });

  /** 32-byte strings: random ones, valid keys, small-order points, and non-canonical encodings. */
  const keyBytesArb = fc.oneof(
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    seedArb.map((seed) => nobleCrypto.publicKey(seed)),
    fc.constantFrom(...TORSION.map((p) => p.toBytes()), ...NON_CANONICAL_SMALL_ORDER),
    fc.tuple(seedArb, torsionArb).map(([seed, t]) => mixedOrderKey(edgeKey(seed), t).publicKey),
  );
  const onCurve = (bytes: Uint8Array): boolean => {
    try {
      ed25519.Point.fromBytes(bytes, true);
      return true;
    } catch {
      return false;
    }
  };
  const precheckMatchesEnc8 = (precheck: (pk: Uint8Array) => boolean) =>
    fc.property(keyBytesArb, (pk) => {
      const strict = Result.isSuccess(decodeWith(pk, (r) => readEd25519Key(r, "key")));
      // Off the curve the byte check may pass: OpenSSL and then noble reject such a key.
      return onCurve(pk) ? precheck(pk) === strict : !strict;
    });

  it("[SIG-7] [SIG-8] on keys on the curve, the byte-level key pre-check is exactly ENC-8's rule", () => {
    holds("key pre-check = ENC-8 on the curve", precheckMatchesEnc8(passesKeyPrecheck), { numRuns: 300 });
    // Negative control: a pre-check that only checks the encoding lets small-order keys through.
    const canonicalOnly = (pk: Uint8Array) => {
      const y = bytesToNumberLE(pk) % 2n ** 255n;
      return y < 2n ** 255n - 19n;
    };
    const found = failsOn("encoding-only pre-check", precheckMatchesEnc8(canonicalOnly), 300);
    expect(found.value[0].length).toBe(32);
  });

  it("[SIG-7] the fast path stays exact when its caches evict (tiny caches, many keys)", () => {
    const tiny = makeNodeCrypto({ publicKeyCacheEntries: 2, secretKeyCacheEntries: 1 });
    const keys = Array.from({ length: 6 }, (_, i) => keyPairFromSeed(nobleCrypto, new Uint8Array(32).fill(i + 1)));
    const message = utf8ToBytes("cache");
    for (let round = 0; round < 3; round++) {
      keys.forEach((k, i) => {
        const signature = tiny.sign(k.secretKey, message);
        expect(bytesEqual(signature, nobleCrypto.sign(k.secretKey, message))).toBe(true);
        expect(tiny.verify(k.publicKey, message, signature)).toBe(true);
        const other = keys[(i + 1) % keys.length] as (typeof keys)[number];
        expect(tiny.verify(other.publicKey, message, signature)).toBe(false);
      });
    }
  });
});

// ------------------------------------------------------------------------------------------------

const cacheOpsArb = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant("lookup" as const), key: fc.nat({ max: 9 }) }),
    fc.record({ op: fc.constant("insert" as const), key: fc.nat({ max: 9 }) }),
  ),
  { maxLength: 60 },
);

interface CacheLike {
  readonly size: number;
  lookup(key: string): number | undefined;
  insert(key: string, value: number): number;
}

/** Against a model (a recency list): same hits, never more than `capacity` entries. */
const behavesAsLru = (make: (capacity: number) => CacheLike) =>
  fc.property(fc.integer({ min: 1, max: 4 }), cacheOpsArb, (capacity, ops) => {
    const cache = make(capacity);
    let model: number[] = [];
    for (const { op, key } of ops) {
      if (op === "lookup") {
        const hit = cache.lookup(String(key));
        const inModel = model.includes(key);
        if ((hit !== undefined) !== inModel) return false;
        if (inModel) model = [...model.filter((k) => k !== key), key];
      } else {
        cache.insert(String(key), key);
        model = [...model.filter((k) => k !== key), key].slice(-capacity);
      }
      if (cache.size !== model.length) return false;
    }
    return true;
  });

describe("signatures: keys, layers and caches", () => {
  it("[SIG-7] the key cache is bounded and evicts the least recently used key", () => {
    holds(
      "bounded LRU cache",
      behavesAsLru((capacity) => new BoundedCache<number>(capacity)),
      { numRuns: 300 },
    );
    // Negative control: a cache that never evicts.
    const unbounded = (): CacheLike => {
      const map = new Map<string, number>();
      return {
        get size() {
          return map.size;
        },
        lookup: (k) => map.get(k),
        insert: (k, v) => {
          map.set(k, v);
          return v;
        },
      };
    };
    failsOn("unbounded cache", behavesAsLru(unbounded));
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });

  it("[SIG-5] [SIG-6] key generation draws its seed from Randomness; both layers give the same keys", () => {
    const keysOf = (seed: Uint8Array, crypto: Layer.Layer<Crypto>) =>
      Effect.runSync(generateKeyPair.pipe(Effect.provide(Layer.mergeAll(crypto, Randomness.seeded(seed)))));
    const property = (generate: (seed: Uint8Array) => Uint8Array) =>
      fc.property(seedArb, seedArb, (a, b) => bytesEqual(a, b) || !bytesEqual(generate(a), generate(b)));
    holds(
      "distinct seeds, distinct keys",
      property((seed) => keysOf(seed, Crypto.noble).publicKey),
      { numRuns: 20 },
    );
    const seed = utf8ToBytes("layer");
    const viaNoble = keysOf(seed, Crypto.noble);
    const viaNode = keysOf(seed, nodeCryptoLayer);
    expect(bytesToHex(viaNode.secretKey)).toBe(bytesToHex(viaNoble.secretKey));
    expect(bytesToHex(viaNode.publicKey)).toBe(bytesToHex(viaNoble.publicKey));
    expect(viaNoble.secretKey.length).toBe(32);
    // Negative control: a generator that ignores the Randomness service.
    failsOn(
      "fixed-seed generator",
      property(() => keyPairFromSeed(nobleCrypto, new Uint8Array(32)).publicKey),
      20,
    );
  });

  it("[SIG-8] a signature field is 64 opaque bytes; keys are checked at decode (ENC-8)", () => {
    holds(
      "signature field round trip",
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const decoded = decodeWith(bytes, (r) => readEd25519Signature(r, "signature"));
        if (bytes.length !== 64) return Result.isFailure(decoded);
        return Result.isSuccess(decoded) && bytesEqual(new Writer().fixed(decoded.success, 64).finish(), bytes);
      }),
    );
    // The tag prefix used by SIG-4 is HASH-1's.
    expect(bytesEqual(taggedMessage(TAGS.TX_SIG, new Uint8Array(0)), tagPrefix(TAGS.TX_SIG))).toBe(true);
  });
});

describe("signature vectors", () => {
  it("[SIG-9] the vector check passes the generated file and catches corrupted ones", () => {
    const file = buildSignatureFile(familySeed("signature"));
    expect(checkSignatureFile(file).failures).toEqual([]);
    const corrupt = (
      edit: (group: Record<string, unknown>, test: Record<string, unknown>) => void,
      groupIndex: number,
    ) => {
      const copy = JSON.parse(JSON.stringify(file)) as {
        testGroups: (Record<string, unknown> & { tests: Record<string, unknown>[] })[];
      };
      const group = copy.testGroups[groupIndex] as (typeof copy.testGroups)[number];
      edit(group, group.tests[0] as Record<string, unknown>);
      return checkSignatureFile(copy as unknown as SignatureFile).failures.length;
    };
    expect(corrupt((_g, t) => (t.result = "invalid"), 0)).toBe(1);
    expect(corrupt((_g, t) => (t.tag = TAGS.VOTE), 0)).toBeGreaterThan(0);
    expect(corrupt((g) => (g.keyError = "Ed25519KeySmallOrder"), 0)).toBe(1);
    expect(corrupt((g) => delete g.keyError, 3)).toBe(1);
  });
});
