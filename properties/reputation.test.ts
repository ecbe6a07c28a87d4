/**
 * Properties and examples of the reputation functions (spec/reputation.md): numbers, presets, the
 * sigmoid, R1, R2, R, proofs of fraud, and the properties of REP-14. Expected values in examples are
 * derived by hand from the papers' formulas, never copied from the implementation's output.
 */
import { Effect, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatBytes } from "../src/crypto/bytes.js";
import { Crypto, nobleCrypto } from "../src/crypto/signature.js";
import {
  decodeFraudProof,
  encodeFraudProof,
  type FraudProof,
  fraudProofId,
  prefixSlot,
  type SlotOf,
  type Verify,
  verifyFraudProof,
  verifyFraudProofWithCrypto,
} from "../src/reputation/fraud.js";
import {
  binary64FromHex,
  binary64ToHex,
  exactRatio,
  fixedToBinary64,
  toBinary64,
  toFixed,
} from "../src/reputation/numeric.js";
import { makeReputationConfig, PRESETS, type ReputationConfig } from "../src/reputation/params.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import { type R1Input, r1 } from "../src/reputation/r1.js";
import { type R2Input, r2 } from "../src/reputation/r2.js";
import { combine } from "../src/reputation/reputation.js";
import { type ShareAggregate, spreadNumerator, spreadNumeratorOfValues } from "../src/reputation/share.js";
import { sigmoid, sigmoidTerm } from "../src/reputation/sigmoid.js";
import { failsOn, holds } from "./check.js";
import { arbConfig } from "./reputation-arbitraries.js";

const config = (input: Parameters<typeof makeReputationConfig>[0]): ReputationConfig =>
  Result.getOrThrow(makeReputationConfig(input));
const ok = <A, E>(r: Result.Result<A, E>): A => Result.getOrThrow(r);
const errorOf = <A, E>(r: Result.Result<A, E>): E => {
  if (Result.isSuccess(r)) throw new Error("expected a failure");
  return r.failure;
};

/** A random R1 input that satisfies REP-3's bounds for chunk size c. */
const arbR1Input = (c: number): fc.Arbitrary<R1Input> =>
  fc
    .record({
      length: fc.nat({ max: 40 }),
      seeds: fc.array(fc.nat(), { maxLength: 40 }),
      leaderships: fc.array(
        fc.record({ created: fc.nat({ max: 5 }), missing: fc.nat({ max: 5 }) }).map(({ created, missing }) => ({
          created,
          expected: created + missing,
        })),
        { maxLength: 6 },
      ),
      honest: fc.boolean(),
      ext: fc.bigInt({ min: 0n, max: REPUTATION_SCALE }),
    })
    .map(({ length, seeds, leaderships, honest, ext }) => {
      const chunks = Array.from({ length: Math.ceil(length / c) }, (_, i) => {
        const capacity = Math.min(c, length - i * c);
        return (seeds[i] ?? 0) % (capacity + 1);
      });
      return { length, chunks, leaderships, honest, ext };
    });

const arbR2Input = (c: number): fc.Arbitrary<R2Input> =>
  fc
    .record({
      length: fc.nat({ max: 30 }),
      pairs: fc.array(fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 }), fc.nat({ max: 6 }), fc.nat({ max: 6 })), {
        maxLength: 30,
      }),
      honest: fc.boolean(),
    })
    .map(({ length, pairs, honest }) => {
      const l = Math.ceil(length / c);
      const at = (i: number) => pairs[i] ?? [0, 0, 0, 0];
      return {
        length,
        registers: {
          own: Array.from({ length: l }, (_, i) => at(i)[0]),
          all: Array.from({ length: l }, (_, i) => at(i)[0] + at(i)[1]),
        },
        records: {
          own: Array.from({ length: l }, (_, i) => at(i)[2]),
          all: Array.from({ length: l }, (_, i) => at(i)[2] + at(i)[3]),
        },
        honest,
      };
    });

describe("numbers", () => {
  it("[REP-1] integers convert to binary64 round-to-nearest-even; 0/0 is 0", () => {
    expect(toBinary64(2n ** 53n + 1n)).toBe(2 ** 53);
    expect(toBinary64(2n ** 53n + 3n)).toBe(2 ** 53 + 4);
    expect(exactRatio(0n, 0n)).toBe(0);
    expect(exactRatio(1n, 3n)).toBe(1 / 3);
    expect(binary64ToHex(0.4)).toBe("3fd999999999999a");
    expect(binary64FromHex("3fd999999999999a")).toBe(0.4);
  });

  it("[REP-5] the closed-form spread numerator equals the defining sum", () => {
    const arb = fc.record({
      values: fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 12 }),
      d: fc.bigInt({ min: 1n, max: 10n ** 9n }),
      m: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      q: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    });
    const property = (closed: (a: ShareAggregate) => bigint) =>
      fc.property(arb, ({ values, d, m, q }) => {
        const aggregate: ShareAggregate = {
          count: BigInt(values.length),
          denominator: d,
          meanNumerator: m,
          meanDenominator: q,
          sum: values.reduce((s, v) => s + v, 0n),
          sumSquares: values.reduce((s, v) => s + v * v, 0n),
        };
        return closed(aggregate) === spreadNumeratorOfValues(values, d, m, q);
      });
    holds("closed form = definition", property(spreadNumerator));
    // Negative control: the cross term without its factor 2.
    const broken = (a: ShareAggregate) =>
      a.meanDenominator ** 2n * a.sumSquares -
      a.meanDenominator * a.meanNumerator * a.denominator * a.sum +
      a.count * a.meanNumerator ** 2n * a.denominator ** 2n;
    const found = failsOn("closed form without the 2", property(broken));
    expect(found.value[0].values.length).toBeLessThanOrEqual(2);
  });
});

describe("parameters", () => {
  it("[REP-2] presets are the papers' values, with their f(0) floors", () => {
    expect(PRESETS.spchain).toEqual({ a: 5000, lambda: 20000 });
    expect(PRESETS["repucoin-printed"]).toEqual({ a: 10000, lambda: 50000 });
    expect(PRESETS["repucoin-calibrated"]).toEqual({ a: 10000, lambda: 5000 });
    expect(sigmoid(0, PRESETS.spchain)).toBeCloseTo(20000 / (2 * 25000), 15);
    expect(sigmoid(0, PRESETS["repucoin-printed"])).toBeCloseTo(50000 / (2 * 60000), 15);
    expect(sigmoid(0, PRESETS["repucoin-calibrated"])).toBeCloseTo(5000 / (2 * 15000), 15);
    const defaults = config({});
    expect(defaults.sigmoid).toEqual(PRESETS.spchain);
    expect(defaults.chunkSize).toBe(144);
    expect(defaults.r2Reading).toBe("resolved");
    expect(defaults.zeroWhenInactive).toBe(false);
  });

  it("[REP-2] configurations outside their domain are typed errors", () => {
    expect(errorOf(makeReputationConfig({ preset: "bitcoin" })).reason).toBe("BadPreset");
    expect(errorOf(makeReputationConfig({ lambda: 0 })).reason).toBe("BadSigmoid");
    expect(errorOf(makeReputationConfig({ a: -1 })).reason).toBe("BadSigmoid");
    expect(errorOf(makeReputationConfig({ a: 0.5 })).reason).toBe("BadSigmoid");
    expect(errorOf(makeReputationConfig({ chunkSize: 0 })).reason).toBe("BadChunkSize");
    expect(errorOf(makeReputationConfig({ r2Reading: "other" })).reason).toBe("BadPreset");
    expect(errorOf(makeReputationConfig({ chunkSize: 0 }))._tag).toBe("ReputationConfigError");
  });
});

describe("sigmoid", () => {
  const arbParams = fc.record({ a: fc.integer({ min: 0, max: 100000 }), lambda: fc.integer({ min: 1, max: 100000 }) });
  const arbX = fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), fc.integer({ min: 0, max: 300000 }));

  it("[REP-4] f(a) = 1/2, range [0, 1], increasing", () => {
    expect(sigmoid(5000, PRESETS.spchain)).toBe(0.5);
    const property = (f: typeof sigmoid) =>
      fc.property(arbParams, arbX, arbX, (p, x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const flo = f(lo, p);
        const fhi = f(hi, p);
        return flo >= 0 && fhi <= 1 && flo <= fhi;
      });
    holds("sigmoid range and monotone", property(sigmoid));
    // Negative control: without the factor 1/2 the range is [0, 2].
    failsOn(
      "sigmoid without 1/2",
      property((x, p) => 1 + (x - p.a) / (p.lambda + Math.abs(x - p.a))),
    );
    expect(sigmoid(1e300, PRESETS.spchain)).toBe(1);
  });

  it("[REP-4] zeroWhenInactive removes the f(0) floor only at x = 0", () => {
    const zero = config({ zeroWhenInactive: true });
    expect(sigmoidTerm(0, zero)).toBe(0);
    expect(sigmoidTerm(0, config({}))).toBe(0.4);
    expect(sigmoidTerm(1, zero)).toBe(sigmoid(1, PRESETS.spchain));
  });

  it("[REP-14] Theorem 1: f is 1/(2 lambda)-Lipschitz", () => {
    const lipschitz = (f: typeof sigmoid) =>
      fc.property(
        arbParams,
        arbX,
        arbX,
        (p, x, y) => Math.abs(f(x, p) - f(y, p)) <= Math.abs(x - y) / (2 * p.lambda) + 2 ** -50,
      );
    holds("sigmoid Lipschitz", lipschitz(sigmoid), { numRuns: 300 });
    // Negative control: lambda halved inside the quotient doubles the slope.
    const steep: typeof sigmoid = (x, p) => {
      const d = x - p.a;
      return 0.5 * (1 + d / (p.lambda / 2 + Math.abs(d)));
    };
    failsOn("steeper sigmoid", lipschitz(steep));
  });
});

describe("R1", () => {
  it("[REP-5] y1 is RepuCoin's mean_k / (1 + s_k) over k_i / c", () => {
    const c2 = config({ chunkSize: 2, a: 2, lambda: 3 });
    const score = ok(r1({ length: 4, chunks: [2, 0], leaderships: [], honest: true, ext: 0n }, c2));
    // K = 2, L = 4: mean 0.5; chunk values 1 and 0, deviations ±0.5: s_k = 0.5.
    expect(score.keyblocks.mean).toBe(0.5);
    expect(score.keyblocks.spread).toBe(0.5);
    expect(score.keyblocks.term).toBe(0.5 / 1.5);
    expect(score.leader).toBe(1);
    expect(score.x).toBeCloseTo((4 * 0.5) / 1.5, 14);
    const d = (4 * 0.5) / 1.5 - 2;
    expect(score.value).toBeCloseTo(0.5 * (1 + d / (3 + Math.abs(d))), 14);
  });

  it("[REP-5] a partial last chunk still divides by c (RepuCoin's k_i / c)", () => {
    const c4 = config({ chunkSize: 4 });
    const score = ok(r1({ length: 6, chunks: [4, 2], leaderships: [], honest: true, ext: 0n }, c4));
    // K = 6 = L: mean 1; values 4/4 and 2/4: deviations 0 and -0.5, s_k = sqrt(0.125).
    expect(score.keyblocks.mean).toBe(1);
    expect(score.keyblocks.spread).toBeCloseTo(Math.sqrt(0.125), 15);
  });

  it("[REP-6] y2 averages fill ratios; leaderships that asked for nothing are skipped", () => {
    const c1 = config({ chunkSize: 1 });
    const base = { length: 2, chunks: [1, 0], honest: true, ext: 0n };
    const none = ok(r1({ ...base, leaderships: [] }, c1));
    expect(none.leader).toBe(1);
    const two = ok(
      r1(
        {
          ...base,
          leaderships: [
            { created: 2, expected: 2 },
            { created: 1, expected: 2 },
            { created: 0, expected: 0 },
          ],
        },
        c1,
      ),
    );
    // fills 1 and 0.5: mean 0.75, s_m = 0.25, y2 = 0.75 / 1.25.
    expect(two.leader).toBeCloseTo(0.6, 15);
    expect(errorOf(r1({ ...base, leaderships: [{ created: 3, expected: 2 }] }, c1)).reason).toBe("CreatedOverExpected");
  });

  it("[REP-7] R1 = min(1, H (Ext + f(x))); malformed inputs are typed errors", () => {
    const c1 = config({ chunkSize: 1 });
    const empty = ok(r1({ length: 0, chunks: [], leaderships: [], honest: true, ext: 0n }, c1));
    expect(empty.x).toBe(0);
    expect(empty.value).toBe(0.4);
    const withExt = ok(r1({ length: 0, chunks: [], leaderships: [], honest: true, ext: 700_000_000n }, c1));
    expect(withExt.value).toBe(1);
    const dishonest = ok(r1({ length: 0, chunks: [], leaderships: [], honest: false, ext: 700_000_000n }, c1));
    expect(dishonest.value).toBe(0);
    expect(errorOf(r1({ length: 2, chunks: [1], leaderships: [], honest: true, ext: 0n }, c1)).reason).toBe(
      "ChunkCountMismatch",
    );
    expect(errorOf(r1({ length: 1, chunks: [2], leaderships: [], honest: true, ext: 0n }, c1)).reason).toBe(
      "ChunkOverfull",
    );
    expect(errorOf(r1({ length: -1, chunks: [], leaderships: [], honest: true, ext: 0n }, c1)).reason).toBe(
      "CountOutOfRange",
    );
    expect(errorOf(r1({ length: 0, chunks: [], leaderships: [], honest: true, ext: -1n }, c1)).reason).toBe(
      "ExtOutOfRange",
    );
  });
});

describe("R2", () => {
  it("[REP-8] resolved: per-chunk shares TR_i / N_i around TR / N", () => {
    const c2 = config({ chunkSize: 2, a: 0, lambda: 1 });
    const input: R2Input = {
      length: 4,
      registers: { own: [1, 0], all: [4, 3] },
      records: { own: [2, 1], all: [4, 1] },
      honest: true,
    };
    const score = ok(r2(input, c2));
    // registers: shares 0.25 and 0, mean 1/7; records: shares 0.5 and 1, mean 3/5.
    const spread = (values: number[], mean: number) =>
      Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(score.registers.mean).toBe(1 / 7);
    expect(score.registers.spread).toBeCloseTo(spread([0.25, 0], 1 / 7), 15);
    expect(score.records.spread).toBeCloseTo(spread([0.5, 1], 0.6), 15);
    const x = (1 / 7 / (1 + spread([0.25, 0], 1 / 7))) * (0.6 / (1 + spread([0.5, 1], 0.6))) * 4;
    expect(score.x).toBeCloseTo(x, 14);
    expect(score.value).toBeCloseTo(0.5 * (1 + x / (1 + x)), 14);
  });

  it("[REP-9] literal: values TR_i / c, and T counts register transactions too", () => {
    const c2 = config({ chunkSize: 2, a: 0, lambda: 1, r2Reading: "literal" });
    const input: R2Input = {
      length: 4,
      registers: { own: [1, 0], all: [4, 3] },
      records: { own: [2, 1], all: [4, 1] },
      honest: true,
    };
    const score = ok(r2(input, c2));
    const spread = (values: number[], mean: number) =>
      Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(score.registers.spread).toBeCloseTo(spread([0.5, 0], 1 / 7), 15);
    expect(score.records.mean).toBe(3 / 12);
    expect(score.records.spread).toBeCloseTo(spread([1, 0.5], 3 / 12), 15);
    const resolved = ok(r2(input, config({ chunkSize: 2, a: 0, lambda: 1 })));
    expect(resolved.value).not.toBe(score.value);
  });

  it("[REP-8] no transactions anywhere: 0/0 := 0 and R2 = f(0)", () => {
    const c3 = config({ chunkSize: 3 });
    const score = ok(
      r2(
        { length: 5, registers: { own: [0, 0], all: [0, 0] }, records: { own: [0, 0], all: [0, 0] }, honest: true },
        c3,
      ),
    );
    expect(score.registers).toEqual({ mean: 0, spread: 0, term: 0 });
    expect(score.value).toBe(0.4);
    const bad = r2(
      { length: 5, registers: { own: [2, 0], all: [1, 0] }, records: { own: [0, 0], all: [0, 0] }, honest: true },
      c3,
    );
    expect(errorOf(bad).reason).toBe("ChunkOverfull");
  });
});

describe("R", () => {
  it("[REP-10] R = (R1 + R2) / 2, floored to 10^-9 and clamped", () => {
    expect(toFixed(0.4)).toBe(400_000_000n);
    expect(toFixed(0.9999999999)).toBe(999_999_999n);
    expect(toFixed(1)).toBe(REPUTATION_SCALE);
    expect(toFixed(-0)).toBe(0n);
    expect(() => toFixed(Number.NaN)).toThrow(RangeError);
    expect(fixedToBinary64(250_000_000n)).toBe(0.25);
    const c1 = config({ chunkSize: 1 });
    const one = ok(r1({ length: 1, chunks: [1], leaderships: [], honest: true, ext: 0n }, c1));
    const two = ok(
      r2({ length: 1, registers: { own: [0], all: [0] }, records: { own: [0], all: [0] }, honest: true }, c1),
    );
    const combined = combine(one, two);
    expect(combined.value).toBe((one.value + two.value) / 2);
    expect(combined.fixed).toBe(BigInt(Math.floor(combined.value * 1e9)));
  });

  it("[REP-14] R1, R2 and R lie in [0, 1]; H = 0 gives 0", () => {
    const property = (score1: typeof r1) =>
      fc.property(
        arbConfig().chain((c) => fc.tuple(fc.constant(c), arbR1Input(c.chunkSize), arbR2Input(c.chunkSize))),
        ([c, in1, in2]) => {
          const one = ok(score1(in1, c));
          const two = ok(r2({ ...in2, honest: in1.honest }, c));
          const r = combine(one, two);
          const inRange = [one.value, two.value, r.value].every((v) => v >= 0 && v <= 1);
          const fixedOk = r.fixed >= 0n && r.fixed <= REPUTATION_SCALE;
          const zeroed = in1.honest || (one.value === 0 && two.value === 0 && r.fixed === 0n);
          return inRange && fixedOk && zeroed;
        },
      );
    holds("R in [0,1]", property(r1), { numRuns: 300 });
    // Negative control: Ext + f(x) without the cap min(1, .) leaves [0, 1].
    const uncapped: typeof r1 = (input, c) =>
      Result.map(r1(input, c), (s) =>
        input.honest ? { ...s, value: fixedToBinary64(input.ext) + sigmoidTerm(s.x, c) } : s,
      );
    failsOn("R1 without min(1, .)", property(uncapped));
  });

  it("[REP-14] more keyblocks at the same spread never lower R1", () => {
    // With full chunks (L = t c), adding one keyblock to every chunk keeps every deviation k_i/c - K/L.
    const arb = fc
      .tuple(arbConfig(), fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }))
      .map(([c, chunks, seeds]) => {
        const k = Array.from({ length: chunks }, (_, i) => (seeds[i % seeds.length] ?? 0) % c.chunkSize);
        return { c, k, length: chunks * c.chunkSize };
      });
    const property = (score: (c: ReputationConfig, input: R1Input) => number) =>
      fc.property(arb, ({ c, k, length }) => {
        const base = { length, leaderships: [], honest: true, ext: 0n };
        const before = score(c, { ...base, chunks: k });
        const after = score(c, { ...base, chunks: k.map((v) => v + 1) });
        return after >= before;
      });
    holds(
      "monotone in keyblocks",
      property((c, input) => ok(r1(input, c)).value),
    );
    // Negative control: a sign error (1 - f) makes reputation fall as keyblocks are added.
    failsOn(
      "inverted R1",
      property((c, input) => 1 - ok(r1(input, c)).value),
    );
  });

  it("[REP-14] Theorem 1 per keyblock: if the spread does not fall, R1 rises by at most 1/(2 lambda)", () => {
    const arb = arbConfig().chain((c) =>
      fc.tuple(fc.constant(c), arbR1Input(c.chunkSize), fc.boolean()).filter(([, input]) => input.length < 40),
    );
    const appended = (c: ReputationConfig, input: R1Input, mine: boolean): R1Input => {
      const length = input.length + 1;
      const chunks = [...input.chunks];
      const last = Math.ceil(length / c.chunkSize) - 1;
      chunks[last] = (chunks[last] ?? 0) + (mine ? 1 : 0);
      return { ...input, length, chunks };
    };
    const bound = (c: ReputationConfig) => BigInt(Math.ceil(1e9 / (2 * c.sigmoid.lambda))) + 1n;
    const step = (c: ReputationConfig, input: R1Input, mine: boolean) => ({
      before: ok(r1(input, c)),
      after: ok(r1(appended(c, input, mine), c)),
    });
    holds(
      "Theorem 1 per keyblock",
      fc.property(arb, ([c, input, mine]) => {
        const { before, after } = step(c, input, mine);
        if (after.keyblocks.spread < before.keyblocks.spread) return true;
        // zeroWhenInactive jumps from 0 to f(x) at the first keyblock: the one stated exception.
        if (c.zeroWhenInactive && before.x === 0) return true;
        return after.fixed - before.fixed <= bound(c) && after.x - before.x <= after.leader + 1e-9;
      }),
      { numRuns: 400 },
    );
    // The bound is on x: without the spread condition one keyblock can lift x by more than 1.
    const xStep = fc.property(arb, ([c, input, mine]) => {
      const { before, after } = step(c, input, mine);
      return after.x - before.x <= 1 + 1e-9;
    });
    const found = failsOn("x per keyblock without the spread condition", xStep, 3000);
    const [c, input, mine] = found.value[0];
    const { before, after } = step(c, input, mine);
    expect(after.keyblocks.spread).toBeLessThan(before.keyblocks.spread);
  });
});

describe("proofs of fraud", () => {
  const secret = new Uint8Array(32).fill(7);
  const offender = nobleCrypto.publicKey(secret);
  const verify: Verify = nobleCrypto.verify;
  const slot = prefixSlot(8);
  const statement = (slotByte: number, payload: number) => {
    const message = concatBytes(new Uint8Array(8).fill(slotByte), new Uint8Array([payload]));
    return { message, signature: nobleCrypto.sign(secret, message) };
  };
  const proof = (a: ReturnType<typeof statement>, b: ReturnType<typeof statement>): FraudProof => ({
    offender,
    first: a,
    second: b,
  });

  it("[REP-11] two signed messages for one slot prove fraud; every other case names its reason", () => {
    const good = proof(statement(1, 1), statement(1, 2));
    const recorded = ok(verifyFraudProof(good, verify, slot));
    expect(recorded).toEqual({ _tag: "FraudRecorded", offender });
    const reason = (p: FraudProof, slotOf: SlotOf = slot) => errorOf(verifyFraudProof(p, verify, slotOf)).reason;
    expect(reason(proof(statement(1, 2), statement(1, 1)))).toBe("NotCanonicalOrder");
    expect(reason(proof(statement(1, 1), statement(1, 1)))).toBe("SameMessage");
    expect(reason(proof(statement(1, 1), statement(2, 1)))).toBe("DifferentSlots");
    expect(reason(good, prefixSlot(100))).toBe("NoSlot");
    expect(reason({ ...good, offender: offender.subarray(1) })).toBe("BadKey");
    const forged = { ...good.second, signature: statement(1, 3).signature };
    expect(reason({ ...good, second: forged })).toBe("BadSignatureSecond");
    expect(reason({ ...good, first: { ...good.first, signature: new Uint8Array(64) } })).toBe("BadSignatureFirst");
    const long = { message: new Uint8Array(4097), signature: new Uint8Array(64) };
    expect(reason({ ...good, second: long })).toBe("MessageTooLong");
    const withService = verifyFraudProofWithCrypto(good, slot).pipe(Effect.provide(Crypto.noble), Effect.runSync);
    expect(withService).toEqual(recorded);
    const refused = verifyFraudProofWithCrypto(proof(statement(1, 1), statement(2, 1)), slot).pipe(
      Effect.flip,
      Effect.provide(Crypto.noble),
      Effect.runSync,
    );
    expect(refused.reason).toBe("DifferentSlots");
  });

  it("[REP-11] proofs encode canonically; out-of-order messages do not decode", () => {
    const good = proof(statement(3, 1), statement(3, 9));
    const bytes = encodeFraudProof(good);
    const decoded = ok(decodeFraudProof(bytes));
    expect(encodeFraudProof(decoded)).toEqual(bytes);
    expect(fraudProofId(decoded)).toEqual(fraudProofId(good));
    const swapped = encodeFraudProof({ offender, first: good.second, second: good.first });
    expect(errorOf(decodeFraudProof(swapped)).reason).toBe("NotSorted");
    expect(errorOf(decodeFraudProof(bytes.subarray(0, bytes.length - 1))).reason).toBe("ShortInput");
  });

  it("[REP-11] a proof is accepted exactly when both messages are signed and claim the same slot", () => {
    const property = (check: typeof verifyFraudProof) =>
      fc.property(fc.nat({ max: 2 }), fc.nat({ max: 2 }), fc.nat({ max: 3 }), fc.nat({ max: 3 }), (s1, s2, p1, p2) => {
        const a = statement(s1, p1);
        const b = statement(s2, p2);
        const order = Buffer.compare(a.message, b.message);
        if (order === 0) return Result.isFailure(check(proof(a, b), verify, slot));
        const [first, second] = order < 0 ? [a, b] : [b, a];
        return Result.isSuccess(check(proof(first, second), verify, slot)) === (s1 === s2);
      });
    holds("fraud iff same slot", property(verifyFraudProof), { numRuns: 60 });
    // Negative control: a checker that forgets the slot comparison convicts honest signers.
    const noSlots: typeof verifyFraudProof = (p, v) => verifyFraudProof(p, v, () => new Uint8Array(0));
    failsOn("fraud check without slots", property(noSlots), 100);
  });
});
