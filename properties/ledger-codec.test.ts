/**
 * Encoding laws of every ledger object (spec/encoding.md ENC-1, ENC-2; spec/transactions.md, spec/blocks.md,
 * spec/pins.md, spec/chain.md): decode(encode(x)) = x; any accepted encoding re-encodes to itself (so an
 * encoding is canonical); a truncated encoding is `ShortInput`, an extended one `TrailingBytes`, a wrong
 * version or type byte `BadVersion`/`BadType`; sizes are the spec's. The negative control is a lenient
 * decoder that takes any non-zero h flag for "present".
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecodeError } from "../src/codec/errors.js";
import { CURVE_ORDER, Secp, scalarToBytes } from "../src/codec/fields.js";
import type { PinCertificate } from "../src/consensus/certificate.js";
import { concatBytes } from "../src/crypto/bytes.js";
import { am04Scheme } from "../src/crypto/chameleon/am04-scheme.js";
import { dss20Scheme } from "../src/crypto/chameleon/dss20-scheme.js";
import type { ChameleonScheme } from "../src/crypto/chameleon/scheme.js";
import {
  BATCH_ENTRY_FIXED_BYTES,
  type Batch,
  decodeBatch,
  decodeEntry,
  encodeBatch,
  encodeEntry,
} from "../src/ledger/batch.js";
import { decodeConfig, encodeConfig } from "../src/ledger/config.js";
import {
  decodeKeyblock,
  encodeKeyblock,
  encodeKeyblockHeader,
  KEYBLOCK_HEADER_BYTES,
  type Keyblock,
} from "../src/ledger/keyblock.js";
import {
  decodeMicroblock,
  encodeMicroblock,
  MICROBLOCK_HEADER_BYTES,
  type MicroblockHeader,
} from "../src/ledger/microblock.js";
import {
  decodeTransaction,
  encodeTransaction,
  type LabelTx,
  MAX_RECORD_TX_BYTES,
  type MedicalTx,
  REGISTER_TX_BYTES,
  type RecordData,
  type RegisterTx,
  recordTxBytes,
  schemeOfId,
  type Transaction,
  transactionId,
  transactionIdOfBytes,
} from "../src/ledger/transaction.js";
import { failsOn, holds } from "./check.js";
import { lazyKit } from "./ledger/fixtures.js";

const kit = lazyKit("ledger-codec", { patients: 4 });

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
/** Valid keys and hash values come from the kit, read when values are drawn (inside a test). */
const key = fc.nat({ max: 3 }).map((i) => kit.patients[i]?.publicKey as Uint8Array);
const scalar = fc.bigInt({ min: 0n, max: CURVE_ORDER - 1n }).map(scalarToBytes);
const point = fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }).map((k) => Secp.BASE.multiply(k).toBytes(true));
/** A record of `scheme`: its h from `h` (or omitted) and a randomness of the scheme's width in valid scalars. */
const recordOf = (scheme: ChameleonScheme, h: fc.Arbitrary<Uint8Array>): fc.Arbitrary<RecordData> =>
  fc.record({
    scheme: fc.constant(scheme.id),
    h: fc.option(h, { nil: undefined }),
    r: fc
      .array(scalar, { minLength: scheme.sizes.randomness_bytes / 32, maxLength: scheme.sizes.randomness_bytes / 32 })
      .map((s) => concatBytes(...s)),
    pointer: bytes(32),
  });
/** [TX-4] Records of both schemes: AM04's h is a scalar, DSS20's two points. */
const record: fc.Arbitrary<RecordData> = fc.oneof(
  recordOf(am04Scheme, scalar),
  recordOf(
    dss20Scheme,
    fc.tuple(point, point).map((p) => concatBytes(...p)),
  ),
);
const common = { institution: u16, round: u32, fee: u32, signature: bytes(64) };
const registerArb: fc.Arbitrary<RegisterTx> = fc.record({
  _tag: fc.constant("register" as const),
  patientKey: key,
  identity: bytes(32),
  ...common,
});
const medicalArb: fc.Arbitrary<MedicalTx> = fc.record({
  _tag: fc.constant("medical" as const),
  patient: u32,
  record,
  ...common,
});
const labelArb: fc.Arbitrary<LabelTx> = fc.record({
  _tag: fc.constant("label" as const),
  patient: u32,
  target: bytes(32),
  record,
  ...common,
});
const recordTxArb = fc.oneof(medicalArb, labelArb);
const keyblockArb: fc.Arbitrary<Keyblock> = fc.record({
  header: fc.record({
    height: u32,
    prevKeyblock: bytes(32),
    prevMicroblock: bytes(32),
    registerRoot: bytes(32),
    miner: key,
    nonce: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  }),
  registers: fc.array(registerArb, { maxLength: 3 }),
});
const microblockArb: fc.Arbitrary<MicroblockHeader> = fc.record({
  number: u32,
  round: u32,
  index: u32,
  registerTx: bytes(32),
  patient: key,
  prev: bytes(32),
  leader: key,
  signature: bytes(64),
});
const certificateArb: fc.Arbitrary<PinCertificate> = fc.record({
  kind: fc.constant("Commit" as const),
  group: bytes(32),
  view: fc.nat(),
  instance: fc.nat(),
  value_hash: bytes(32),
  votes: fc
    .uniqueArray(fc.nat({ max: 255 }), { maxLength: 4 })
    .chain((signers) =>
      fc.tuple(
        ...[...signers].sort((a, b) => a - b).map((signer) => bytes(64).map((signature) => ({ signer, signature }))),
      ),
    ),
});
const batchArb: fc.Arbitrary<Batch> = fc.record({
  certificate: certificateArb,
  transactions: fc.array(recordTxArb, { maxLength: 3 }),
});

interface Codec<T> {
  readonly name: string;
  readonly arb: fc.Arbitrary<T>;
  readonly encode: (x: T) => Uint8Array;
  readonly decode: (b: Uint8Array) => Result.Result<T, DecodeError | { readonly _tag: string }>;
  /** Offsets worth mutating (header bytes, flags), besides random ones. */
  readonly hot: readonly number[];
}

const txCodec = <T extends Transaction>(name: string, arb: fc.Arbitrary<T>, hot: number[]): Codec<T> => ({
  name,
  arb,
  encode: encodeTransaction,
  decode: decodeTransaction as (b: Uint8Array) => Result.Result<T, DecodeError>,
  hot,
});

const CODECS: readonly Codec<unknown>[] = [
  txCodec("register", registerArb, [0, 1, 2]),
  txCodec("medical", medicalArb, [0, 1, 16]),
  txCodec("label", labelArb, [0, 1, 48]),
  { name: "keyblock", arb: keyblockArb, encode: encodeKeyblock, decode: decodeKeyblock, hot: [0, 1, 102, 142, 145] },
  { name: "microblock", arb: microblockArb, encode: encodeMicroblock, decode: decodeMicroblock, hot: [0, 1, 46, 110] },
  { name: "batch", arb: batchArb, encode: encodeBatch, decode: decodeBatch, hot: [0, 1, 2, 3, 84, 85] },
] as Codec<unknown>[];

const roundTrip = <T>(c: Codec<T>) =>
  fc.property(c.arb, (x) => {
    const encoded = c.encode(x);
    const decoded = c.decode(encoded);
    expect(Result.isSuccess(decoded)).toBe(true);
    expect(Result.getOrThrow(decoded)).toEqual(x);
    expect(c.encode(Result.getOrThrow(decoded))).toEqual(encoded);
  });

const canonical = <T>(c: Codec<T>, decode: Codec<T>["decode"] = c.decode) =>
  fc.property(
    c.arb,
    fc.oneof(fc.constantFrom(...c.hot), fc.nat()),
    fc.integer({ min: 1, max: 255 }),
    (x, at, delta) => {
      const encoded = c.encode(x);
      const mutated = encoded.slice();
      const i = at % mutated.length;
      mutated[i] = ((mutated[i] ?? 0) + delta) & 0xff;
      const decoded = decode(mutated);
      if (Result.isSuccess(decoded)) expect(c.encode(decoded.success)).toEqual(mutated);
    },
  );

const reasonOf = (r: Result.Result<unknown, { readonly _tag: string; readonly reason?: string }>) =>
  Result.isFailure(r) ? (r.failure.reason ?? r.failure._tag) : "accepted";

const framing = <T>(c: Codec<T>) =>
  fc.property(c.arb, fc.integer({ min: 1, max: 64 }), (x, cut) => {
    const encoded = c.encode(x);
    expect(reasonOf(c.decode(encoded.subarray(0, Math.max(0, encoded.length - cut))))).toBe("ShortInput");
    expect(reasonOf(c.decode(concatBytes(encoded, Uint8Array.of(cut))))).toBe("TrailingBytes");
    expect(reasonOf(c.decode(concatBytes(Uint8Array.of(2), encoded.subarray(1))))).toBe("BadVersion");
    expect(reasonOf(c.decode(concatBytes(Uint8Array.of(1, 0xee), encoded.subarray(2))))).toBe("BadType");
  });

describe("ledger codecs", () => {
  for (const c of CODECS) {
    it(`[ENC-2] [TX-1] [KB-1] [MB-1] [PIN-4] ${c.name}: decode(encode(x)) = x`, () => {
      holds(`${c.name} round trip`, roundTrip(c), { numRuns: 40 });
    });
    it(`[ENC-2] [TX-4] ${c.name}: an accepted encoding re-encodes to itself`, () => {
      holds(`${c.name} canonical`, canonical(c), { numRuns: 150 });
    });
    it(`[ENC-2] ${c.name}: truncated, extended, wrong version, wrong type`, () => {
      holds(`${c.name} framing`, framing(c), { numRuns: 20 });
    });
  }

  it("[TX-4] negative control: a decoder that reads any non-zero h flag as present is not canonical", () => {
    const medical = CODECS[1] as Codec<MedicalTx>;
    const lenient: Codec<MedicalTx>["decode"] = (b) => {
      const normalized = b.slice();
      if ((normalized[17] ?? 0) > 1) normalized[17] = 1;
      return decodeTransaction(normalized) as Result.Result<MedicalTx, DecodeError>;
    };
    const found = failsOn("medical canonical (lenient flag)", canonical(medical, lenient), 2000);
    expect(found.value[1] % encodeTransaction(found.value[0]).length).toBe(17);
  });

  it("[TX-4] [TX-8] a record's scheme id names a registered scheme; the largest record is a DSS20 label with h", () => {
    expect(schemeOfId(am04Scheme.id)).toBe(am04Scheme);
    expect(schemeOfId(dss20Scheme.id)).toBe(dss20Scheme);
    // An id no scheme has is a caller's bug: decoding never makes one (BadEnum), so encoding throws.
    expect(() => schemeOfId(9 as never)).toThrow("chameleon scheme 9 is not registered");
    expect(MAX_RECORD_TX_BYTES).toBe(recordTxBytes(dss20Scheme.sizes).label + dss20Scheme.sizes.hash_bytes);
    expect(MAX_RECORD_TX_BYTES).toBe(340);
  });

  it("[TX-8] [KB-1] [MB-1] [PIN-4] encoded sizes are the spec's", () => {
    fc.assert(
      fc.property(registerArb, medicalArb, labelArb, keyblockArb, microblockArb, (reg, med, lab, kb, mb) => {
        const sizes = (tx: MedicalTx | LabelTx) => recordTxBytes(schemeOfId(tx.record.scheme).sizes);
        const withHash = (tx: MedicalTx | LabelTx) => (tx.record.h === undefined ? 0 : sizes(tx).withHash);
        expect(encodeTransaction(reg).length).toBe(REGISTER_TX_BYTES);
        expect(encodeTransaction(med).length).toBe(sizes(med).medical + withHash(med));
        expect(encodeTransaction(lab).length).toBe(sizes(lab).label + withHash(lab));
        expect(encodeKeyblockHeader(kb.header).length).toBe(KEYBLOCK_HEADER_BYTES);
        expect(encodeMicroblock(mb).length).toBe(MICROBLOCK_HEADER_BYTES);
        for (const scheme of [am04Scheme, dss20Scheme]) {
          const leafValue = new Uint8Array(scheme.sizes.hash_bytes);
          const entry = { number: 1, leaf: 2, sequence: 3, txId: new Uint8Array(32), scheme: scheme.id, leafValue };
          expect(encodeEntry(entry).length).toBe(BATCH_ENTRY_FIXED_BYTES + scheme.sizes.hash_bytes);
          expect(Result.getOrThrow(decodeEntry(encodeEntry(entry)))).toEqual(entry);
        }
      }),
      { numRuns: 10 },
    );
  });

  it("[CHAIN-1] [KB-5] the configuration round-trips; a duplicate institution key is ChainConfigInvalid", () => {
    const config = kit.world.state.config;
    const encoded = encodeConfig(config);
    const decoded = Result.getOrThrow(decodeConfig(encoded));
    expect(encodeConfig(decoded)).toEqual(encoded);
    const twice = { ...config, institutions: [config.institutions[0], config.institutions[0]] } as typeof config;
    expect(reasonOf(decodeConfig(encodeConfig(twice)))).toBe("ChainConfigInvalid");
    expect(reasonOf(decodeConfig(encodeConfig({ ...config, freshness_window: 0 })))).toBe("ChainConfigInvalid");
    expect(reasonOf(decodeConfig(encoded.subarray(0, encoded.length - 1)))).toBe("ShortInput");
  });

  it("[TX-7] a transaction's id is H_TX of its whole encoding: any change of any byte, signature included, changes it", () => {
    fc.assert(
      fc.property(fc.oneof(registerArb, medicalArb, labelArb), fc.nat(), (tx, at) => {
        const encoded = encodeTransaction(tx);
        expect(transactionIdOfBytes(encoded)).toEqual(transactionId(tx));
        const changed = encoded.slice();
        changed[at % changed.length] = (changed[at % changed.length] ?? 0) ^ 0x80;
        expect(transactionIdOfBytes(changed)).not.toEqual(transactionId(tx));
      }),
      { numRuns: 50 },
    );
  });

  it("[PIN-5] a pinned batch carries one certificate whatever its size: the certificate's bytes per record fall as 1/n", () => {
    fc.assert(
      fc.property(
        certificateArb,
        fc.array(medicalArb, { minLength: 1, maxLength: 20 }),
        (certificate, transactions) => {
          const body = transactions.reduce((sum, tx) => sum + encodeTransaction(tx).length, 0);
          const overhead = encodeBatch({ certificate, transactions }).length - body;
          expect(overhead).toBe(2 + 84 + 66 * certificate.votes.length + 4);
        },
      ),
      { numRuns: 20 },
    );
  });
});
