/**
 * Sharing by key epochs (spec/sharing.md, SHARE-1..SHARE-7): round trip, confidentiality, integrity, epoch
 * rotation. Every property has a negative control that runs the same check against a deliberately broken
 * system (a header left out of the AEAD, a pointer that skips the header, a rotation that keeps the key, a key
 * wrapped to the custodian, a sealer that does not encrypt) and must find a small counterexample.
 */
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual, bytesToHex, concatBytes } from "../src/crypto/bytes.js";
import { Randomness } from "../src/crypto/random.js";
import type { CapsuleFrag } from "../src/crypto/umbral/cfrag.js";
import { demDecrypt, demEncrypt } from "../src/crypto/umbral/dem.js";
import { type PublicKey, publicKeyOf, type SecretKey } from "../src/crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../src/crypto/umbral/kfrag.js";
import { encrypt, generateSecretKey } from "../src/crypto/umbral/pre.js";
import { type AddressedRecord, delegate, openOwn, openShare, shareEpoch } from "../src/ehealth/custodian.js";
import {
  decodeEpochHeader,
  EPOCH_HEADER_BYTES,
  encodeEpochHeader,
  firstEpoch,
  type KeyEpoch,
  MAX_EPOCH,
  rotateEpoch,
  unwrapOwn,
  unwrapShared,
  wrapDataKey,
} from "../src/ehealth/key-epoch.js";
import { contentAddress } from "../src/ehealth/records.js";
import {
  checkPointer,
  openRecord,
  openStored,
  parseStored,
  recordKey,
  type SealedRecord,
  sealRecordWithNonce,
} from "../src/ehealth/sealed-record.js";
import { failsOn, holds } from "./check.js";

const run = <A, E>(seed: Uint8Array, effect: Effect.Effect<A, E, Randomness>): A =>
  Result.getOrThrow(Effect.runSync(Effect.result(Effect.provide(effect, Randomness.seeded(seed)))));

const keyOf = (label: string): SecretKey => run(new TextEncoder().encode(`sharing-test|${label}`), generateSecretKey);

/** The parties: patient A (PRE key, kfrag signer), delegatee D, another institution C, the custodian X. */
const a = keyOf("patient");
const signer = keyOf("signer");
const d = keyOf("delegatee");
const c = keyOf("other");
const x = keyOf("custodian");
const [pkA, pkD, pkC, pkX] = [a, d, c, x].map(publicKeyOf) as [PublicKey, PublicKey, PublicKey, PublicKey];
const [kfragD] = run(new Uint8Array(32), delegate(a, signer, pkD)) as [VerifiedKeyFrag];
const keysD = { verifying: publicKeyOf(signer), delegating: pkA, receiving: pkD };
const EMPTY = new Uint8Array(0);

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const nonceArb = fc.uint8Array({ minLength: 24, maxLength: 24 });
const emrArb = fc.uint8Array({ minLength: 0, maxLength: 200 });
const emrsArb = fc.array(emrArb, { minLength: 1, maxLength: 4 });

/** Seals `emrs` in `epoch`, the i-th with a nonce derived from the seed. */
const sealAll = (
  seal: (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array) => SealedRecord,
  epoch: KeyEpoch,
  seed: Uint8Array,
  emrs: readonly Uint8Array[],
): AddressedRecord[] =>
  emrs.map((emr, i) => {
    const nonce = contentAddress(concatBytes(seed, Uint8Array.of(i))).subarray(0, 24);
    const { stored, pointer } = seal(epoch, nonce, emr);
    return { stored, pointer };
  });

/** The delegatee's data key of an epoch shared through the custodian with D's kfrag. */
const sharedKey = (seed: Uint8Array, epoch: KeyEpoch): Uint8Array => {
  const share = run(seed, shareEpoch(epoch.header, [], kfragD));
  return Result.getOrThrow(unwrapShared(d, keysD, share.header, share.cfrag));
};

/** A broken sealer and reader: the AEAD's associated data leaves out the epoch header. */
const sealWithoutHeaderAad = (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array): SealedRecord => {
  const stored = concatBytes(epoch.headerBytes, demEncrypt(recordKey(epoch.dataKey, nonce), nonce, emr, EMPTY));
  return { stored, pointer: contentAddress(stored) };
};
const openWithoutHeaderAad = (dataKey: Uint8Array, bytes: Uint8Array) =>
  Result.flatMap(parseStored(bytes), (r) => demDecrypt(recordKey(dataKey, r.nonce), r.sealed, EMPTY));

const flip = (bytes: Uint8Array, at: number, mask: number): Uint8Array => {
  const out = bytes.slice();
  out[at] = (out[at] ?? 0) ^ mask;
  return out;
};

describe("sharing: round trip", () => {
  const roundTrip = (serve: (records: AddressedRecord[]) => AddressedRecord[]) =>
    fc.property(seedArb, emrsArb, (seed, emrs) => {
      const epoch = run(seed, firstEpoch(pkA));
      const records = sealAll(sealRecordWithNonce, epoch, seed, emrs);
      const share = run(seed, shareEpoch(epoch.header, serve(records), kfragD));
      const opened = openShare(d, keysD, share);
      return Result.isSuccess(opened) && opened.success.every((emr, i) => bytesEqual(emr, emrs[i] as Uint8Array));
    });

  it("[SHARE-5] [SHARE-3] a share (ReKeyGen, one ReEnc, verify, Dec2) opens every record of the epoch", () => {
    holds(
      "sharing round trip",
      roundTrip((records) => records),
      { numRuns: 20 },
    );
  });

  it("[SHARE-5] negative control: a custodian serving the records out of order is caught", () => {
    const found = failsOn(
      "sharing round trip, records reversed",
      roundTrip((records) => records.toReversed()),
      50,
    );
    const [, emrs] = found.value;
    expect(emrs.length).toBe(2);
  });

  it("[SHARE-7] the patient opens its own records (Dec1 of the header); D cannot without a share", () => {
    holds(
      "own records",
      fc.property(seedArb, emrsArb, (seed, emrs) => {
        const epoch = run(seed, firstEpoch(pkA));
        return sealAll(sealRecordWithNonce, epoch, seed, emrs).every((r, i) => {
          const own = openOwn(a, r.stored, r.pointer);
          const byD = openOwn(d, r.stored, r.pointer);
          return Result.isSuccess(own) && bytesEqual(own.success, emrs[i] as Uint8Array) && Result.isFailure(byD);
        });
      }),
      { numRuns: 15 },
    );
  });
});

describe("sharing: confidentiality", () => {
  /** Nobody but the patient opens the header with Dec1; nobody but D opens the share's cfrag. */
  const onlyEntitled = (wrapTo: PublicKey) =>
    fc.property(seedArb, (seed) => {
      const epoch = run(
        seed,
        Effect.flatMap(firstEpoch(pkA), (e) => wrapDataKey(wrapTo, 0, e.dataKey)),
      );
      const share = run(seed, shareEpoch(epoch.header, [], kfragD));
      const dec1 = [c, d, x].map((k) => unwrapOwn(k, epoch.header));
      const asC = unwrapShared(c, { ...keysD, receiving: pkC }, share.header, share.cfrag);
      const cAsD = unwrapShared(c, keysD, share.header, share.cfrag);
      return [...dec1, asC, cAsD].every(Result.isFailure);
    });

  it("[SHARE-5] [SHARE-1] a non-delegated institution (or the custodian) cannot recover the data key", () => {
    holds("only the entitled unwrap", onlyEntitled(pkA), { numRuns: 10 });
  });

  it("[SHARE-1] negative control: a data key wrapped to the custodian's key is opened by the custodian", () => {
    failsOn("only the entitled unwrap, key wrapped to the custodian", onlyEntitled(pkX), 5);
  });

  const noPlaintext = (seal: (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array) => SealedRecord) =>
    fc.property(seedArb, nonceArb, fc.uint8Array({ minLength: 16, maxLength: 200 }), (seed, nonce, emr) => {
      const epoch = run(seed, firstEpoch(pkA));
      const stored = bytesToHex(seal(epoch, nonce, emr).stored);
      if (stored.includes(bytesToHex(epoch.dataKey))) return false;
      for (let at = 0; at + 16 <= emr.length; at++) {
        const window = bytesToHex(emr.subarray(at, at + 16));
        // hex offsets are even at a byte boundary; an odd match is a coincidence across two bytes
        for (let i = stored.indexOf(window); i >= 0; i = stored.indexOf(window, i + 1)) if (i % 2 === 0) return false;
      }
      return true;
    });

  it("[SHARE-3] [SHARE-1] the custodian's stored bytes never contain the data key or a 16-byte window of the EMR", () => {
    holds("no plaintext stored", noPlaintext(sealRecordWithNonce), { numRuns: 30 });
  });

  it("[SHARE-3] negative control: a sealer that stores the EMR unencrypted is caught", () => {
    const found = failsOn(
      "no plaintext stored, unencrypted",
      noPlaintext((epoch, nonce, emr) => {
        const stored = concatBytes(epoch.headerBytes, nonce, emr, new Uint8Array(16));
        return { stored, pointer: contentAddress(stored) };
      }),
      20,
    );
    expect(found.value[2].length).toBe(16);
  });

  const rotationSeparates = (rotate: (previous: KeyEpoch) => Effect.Effect<KeyEpoch, unknown, Randomness>) =>
    fc.property(seedArb, emrsArb, (seed, emrs) => {
      const first = run(seed, firstEpoch(pkA));
      const second = run(concatBytes(seed, Uint8Array.of(2)), rotate(first));
      const dataKey = sharedKey(seed, first);
      return (
        second.header.epoch === first.header.epoch + 1 &&
        sealAll(sealRecordWithNonce, second, seed, emrs).every((r) => {
          const opened = openRecord(dataKey, r.stored, r.pointer);
          return Result.isFailure(opened) && opened.failure._tag === "RecordOpenFailed";
        })
      );
    });

  it("[SHARE-6] a share of epoch 1 does not open epoch-2 records after rotation", () => {
    holds(
      "rotation separates epochs",
      rotationSeparates((e) => rotateEpoch(e, pkA)),
      { numRuns: 10 },
    );
  });

  it("[SHARE-6] negative control: a rotation that keeps the data key lets the old share open new records", () => {
    failsOn(
      "rotation separates epochs, key kept",
      rotationSeparates((e) => wrapDataKey(pkA, e.header.epoch + 1, e.dataKey)),
      5,
    );
  });

  it("[SHARE-6] rotation after the last u32 epoch is rejected with EpochLimit", () => {
    const last = run(new Uint8Array(32), wrapDataKey(pkA, MAX_EPOCH, new Uint8Array(32).fill(7)));
    const rotated = Effect.runSync(Effect.result(Effect.provide(rotateEpoch(last, pkA), Randomness.seeded(EMPTY))));
    expect(Result.isFailure(rotated) && rotated.failure._tag).toBe("EpochLimit");
    const next = run(new Uint8Array(32), rotateEpoch(run(EMPTY, firstEpoch(pkA)), pkA));
    expect(next.header.epoch).toBe(1);
  });
});

describe("sharing: integrity", () => {
  const flipped = (detects: (bad: Uint8Array, original: Uint8Array) => boolean) =>
    fc.property(
      seedArb,
      nonceArb,
      emrArb,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (seed, nonce, emr, where, mask) => {
        const epoch = run(seed, firstEpoch(pkA));
        const { stored } = sealRecordWithNonce(epoch, nonce, emr);
        return detects(flip(stored, where % stored.length, mask), stored);
      },
    );
  const pointerCheck = (bad: Uint8Array, original: Uint8Array): boolean => {
    const checked = checkPointer(bad, contentAddress(original));
    return Result.isFailure(checked) && checked.failure._tag === "PointerMismatch";
  };

  it("[SHARE-4] any flipped byte of the stored record (capsule, wrapped key, nonce, ciphertext) fails the pointer", () => {
    holds("pointer covers the stored bytes", flipped(pointerCheck), { numRuns: 50 });
  });

  it("[SHARE-4] negative control: a pointer over the ciphertext alone misses a flipped capsule byte", () => {
    const found = failsOn(
      "pointer covers the stored bytes, header left out",
      flipped(
        (bad, original) =>
          !bytesEqual(
            contentAddress(bad.subarray(EPOCH_HEADER_BYTES)),
            contentAddress(original.subarray(EPOCH_HEADER_BYTES)),
          ),
      ),
      100,
    );
    const [, , emr, where] = found.value;
    expect(where % (EPOCH_HEADER_BYTES + 40 + emr.length)).toBeLessThan(EPOCH_HEADER_BYTES);
  });

  /** The custodian re-wraps the same data key in a new capsule and serves a record under it. */
  const swappedCapsule = (
    seal: (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array) => SealedRecord,
    open: (dataKey: Uint8Array, bytes: Uint8Array) => Result.Result<Uint8Array, unknown>,
  ) =>
    fc.property(seedArb, nonceArb, emrArb, (seed, nonce, emr) => {
      const epoch = run(seed, firstEpoch(pkA));
      const rewrapped = run(concatBytes(seed, seed), wrapDataKey(pkA, epoch.header.epoch, epoch.dataKey));
      const { stored } = seal(epoch, nonce, emr);
      const moved = concatBytes(rewrapped.headerBytes, stored.subarray(EPOCH_HEADER_BYTES));
      return Result.isFailure(open(sharedKey(seed, rewrapped), moved));
    });

  it("[SHARE-3] a record under a swapped capsule (same data key, re-wrapped) does not open", () => {
    holds(
      "swapped capsule",
      swappedCapsule(sealRecordWithNonce, (key, bytes) => openRecord(key, bytes, contentAddress(bytes))),
      { numRuns: 10 },
    );
  });

  it("[SHARE-3] negative control: an AEAD whose associated data omits the capsule lets a swapped capsule through", () => {
    failsOn("swapped capsule, aad without the header", swappedCapsule(sealWithoutHeaderAad, openWithoutHeaderAad), 5);
  });

  /** A reader that recomputes the pointer from what it is served still gets a typed error for any flip. */
  const TYPED = new Set([
    "DecodeError",
    "CapsuleInvalid",
    "CapsuleFragInvalid",
    "RecordOpenFailed",
    "DecryptionFailed",
  ]);
  const withoutPointer = (
    seal: (epoch: KeyEpoch, nonce: Uint8Array, emr: Uint8Array) => SealedRecord,
    open: (dataKey: Uint8Array, bytes: Uint8Array) => Result.Result<Uint8Array, unknown>,
  ) =>
    fc.property(
      seedArb,
      nonceArb,
      emrArb,
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (seed, nonce, emr, where, mask) => {
        const epoch = run(seed, firstEpoch(pkA));
        const share = run(seed, shareEpoch(epoch.header, [], kfragD));
        const bad = flip(seal(epoch, nonce, emr).stored, where % (EPOCH_HEADER_BYTES + 40), mask);
        const result = Result.flatMap(decodeEpochHeader(bad.subarray(0, EPOCH_HEADER_BYTES)), (header) =>
          Result.flatMap(unwrapShared(d, keysD, header, share.cfrag as CapsuleFrag), (key) => open(key, bad)),
        );
        return Result.isFailure(result) && TYPED.has((result.failure as { _tag: string })._tag);
      },
    );

  it("[SHARE-5] [SHARE-3] without the pointer, a flipped header or ciphertext byte is still a typed error", () => {
    holds(
      "typed error without the pointer",
      withoutPointer(sealRecordWithNonce, (key, bytes) =>
        Result.flatMap(parseStored(bytes), (r) => openStored(key, r)),
      ),
      { numRuns: 50 },
    );
  });

  it("[SHARE-3] negative control: with the header out of the AEAD, a flipped epoch number goes through", () => {
    const found = failsOn(
      "typed error without the pointer, aad without the header",
      withoutPointer(sealWithoutHeaderAad, openWithoutHeaderAad),
    );
    expect(found.value[3] % (EPOCH_HEADER_BYTES + 40)).toBeLessThan(4);
  });
});

describe("sharing: encodings and boundaries", () => {
  const headerRoundTrip = (encode: (header: KeyEpoch["header"]) => Uint8Array) =>
    fc.property(seedArb, fc.integer({ min: 0, max: MAX_EPOCH }), (seed, n) => {
      const epoch = run(seed, wrapDataKey(pkA, n, seed));
      const bytes = encode(epoch.header);
      const decoded = decodeEpochHeader(bytes);
      return (
        bytes.length === EPOCH_HEADER_BYTES &&
        Result.isSuccess(decoded) &&
        decoded.success.epoch === n &&
        bytesEqual(encodeEpochHeader(decoded.success), bytes)
      );
    });

  it("[SHARE-1] the epoch header decodes to itself and re-encodes to the same 174 bytes", () => {
    holds("epoch header round trip", headerRoundTrip(encodeEpochHeader), { numRuns: 20 });
  });

  it("[SHARE-1] negative control: an encoder that keeps only the epoch's low 16 bits is caught", () => {
    const found = failsOn(
      "epoch header round trip, epoch truncated",
      headerRoundTrip((header) => encodeEpochHeader({ ...header, epoch: header.epoch & 0xffff })),
      50,
    );
    expect(found.value[1]).toBe(0x10000);
  });

  it("[SHARE-1] a header of another length, or with a capsule point off the curve, is a DecodeError at its offset", () => {
    const epoch = run(new Uint8Array(32), firstEpoch(pkA));
    const short = decodeEpochHeader(epoch.headerBytes.subarray(0, EPOCH_HEADER_BYTES - 1));
    expect(Result.isFailure(short) && short.failure.reason).toBe("ShortInput");
    const long = decodeEpochHeader(concatBytes(epoch.headerBytes, Uint8Array.of(0)));
    expect(Result.isFailure(long) && long.failure.reason).toBe("TrailingBytes");
    const badV = epoch.headerBytes.slice();
    badV[4 + 33] = 0x05; // V's prefix byte: neither 0x02 nor 0x03
    const bad = decodeEpochHeader(badV);
    expect(Result.isFailure(bad) && [bad.failure.reason, bad.failure.offset]).toEqual(["PointNotCompressed", 37]);
  });

  it("[SHARE-3] stored bytes with a body shorter than the tag are a DecodeError", () => {
    const epoch = run(new Uint8Array(32), firstEpoch(pkA));
    const { stored } = sealRecordWithNonce(epoch, new Uint8Array(24), EMPTY);
    expect(Result.isSuccess(parseStored(stored))).toBe(true);
    const cut = parseStored(stored.subarray(0, stored.length - 1));
    expect(Result.isFailure(cut) && cut.failure.reason).toBe("ShortInput");
  });

  it("[SHARE-1] a header object whose wrapped key opens to 31 bytes is rejected with EpochKeyInvalid", () => {
    const wrapped = run(new Uint8Array(32), encrypt(pkA, new Uint8Array(31)));
    const header = { epoch: 0, capsule: wrapped.capsule, wrappedKey: wrapped.ciphertext };
    const own = unwrapOwn(a, header);
    expect(Result.isFailure(own) && own.failure._tag).toBe("EpochKeyInvalid");
    const whole = unwrapOwn(a, run(new Uint8Array(32), firstEpoch(pkA)).header);
    expect(Result.isSuccess(whole) && whole.success.length).toBe(32);
  });

  const recordKeys = (derive: (dataKey: Uint8Array, nonce: Uint8Array) => Uint8Array) =>
    fc.property(seedArb, nonceArb, nonceArb, (key, n1, n2) => {
      const k1 = derive(key, n1);
      const other = derive(flip(key, 0, 1), n1);
      return k1.length === 32 && bytesEqual(k1, derive(key, n2)) === bytesEqual(n1, n2) && !bytesEqual(k1, other);
    });

  it("[SHARE-2] record keys are 32 bytes and differ per nonce and per data key", () => {
    holds("record keys", recordKeys(recordKey), { numRuns: 100 });
  });

  it("[SHARE-2] negative control: a derivation that ignores the nonce gives two records one key", () => {
    failsOn(
      "record keys, nonce ignored",
      recordKeys((key) => recordKey(key, new Uint8Array(24))),
    );
  });
});
