/**
 * Umbral proxy re-encryption (spec/proxy-re-encryption.md): correctness of Dec1 and Dec2, only the
 * delegatee decrypts, t-of-N thresholds, typed errors of every check, determinism of the randomized
 * forms, and the collusion that motivates PRE-2. Every property has a negative control.
 */
import { Cause, Effect, Exit, Layer, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Secp } from "../src/codec/fields.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { encapsulate, encodeCapsule } from "../src/crypto/umbral/capsule.js";
import { demDecrypt, demEncrypt, demKey } from "../src/crypto/umbral/dem.js";
import { hashCapsulePoints, hashToPolynomialArg, hashToSharedSecret } from "../src/crypto/umbral/hashing.js";
import * as U from "../src/crypto/umbral/index.js";
import { compressed, mulBase, mulSecret } from "../src/crypto/umbral/points.js";
import { failsOn, holds } from "./check.js";
import {
  buildShare,
  decryptShare,
  effectOutcome,
  messageArb,
  ok,
  outcome,
  party,
  receive,
  scalarArb,
  seedArb,
  seeded,
  usableCoins,
} from "./umbral-fixtures.js";

const Fn = Secp.Fn;
const nonceArb = fc.uint8Array({ minLength: 24, maxLength: 24 });

interface Dec1System {
  readonly encrypt: typeof U.encryptWithRandomness;
  readonly decrypt: typeof U.decryptOriginal;
}
const ours: Dec1System = { encrypt: U.encryptWithRandomness, decrypt: U.decryptOriginal };

const dec1RoundTrip = (system: Dec1System) =>
  fc.property(scalarArb, scalarArb, scalarArb, nonceArb, messageArb, (a, r, u, nonce, message) => {
    const encrypted = system.encrypt(party(a).public, message, { r, u, nonce });
    if (Result.isFailure(encrypted)) return encrypted.failure._tag === "PreBadCoins" && Fn.add(r, u) === 0n;
    const opened = system.decrypt({ scalar: a }, encrypted.success.capsule, encrypted.success.ciphertext);
    return Result.isSuccess(opened) && bytesEqual(opened.success, message);
  });

describe("Umbral Enc / Dec1", () => {
  it("[PRE-10] [PRE-7] [PRE-8] Dec1(Enc(m)) = m for random keys, coins and messages", () => {
    holds("[PRE-10] Dec1(Enc(m)) = m", dec1RoundTrip(ours), { numRuns: 30 });
  });

  it("[PRE-8] negative control: a DEM that authenticates the MessagePack capsule instead of E ‖ V ‖ s", () => {
    const wrongAad: Dec1System = {
      encrypt: (pk, message, coins) =>
        Result.map(encapsulate(pk, coins.r, coins.u), ({ capsule, keySeed }) => ({
          capsule,
          ciphertext: demEncrypt(demKey(keySeed), coins.nonce, message, encodeCapsule(capsule)),
        })),
      decrypt: U.decryptOriginal,
    };
    const found = failsOn("[PRE-8] broken AAD", dec1RoundTrip(wrongAad), 20);
    expect(found.value[4].length).toBeLessThanOrEqual(48);
  });

  it("[PRE-7] Enc's key seed is (r + u)·pk_A, which only the delegator's a·(E + V) reproduces", () => {
    holds(
      "[PRE-7] key seed",
      fc.property(scalarArb, scalarArb, scalarArb, (a, r, u) => {
        fc.pre(usableCoins(r, u));
        const { capsule, keySeed } = ok(encapsulate(party(a).public, r, u));
        return bytesEqual(keySeed, compressed(mulSecret(capsule.e.add(capsule.v), a)));
      }),
      { numRuns: 10 },
    );
    failsOn(
      "[PRE-7] r·pk_A is not the key seed",
      fc.property(scalarArb, scalarArb, scalarArb, (a, r, u) => {
        const { keySeed } = ok(encapsulate(party(a).public, r, u));
        return bytesEqual(keySeed, compressed(mulSecret(party(a).public.point, r)));
      }),
      5,
    );
  });

  it("[PRE-10] [PRE-18] Dec1 with another secret key fails with DecryptionFailed (AuthenticationFailed)", () => {
    const otherKey = (wrong: fc.Arbitrary<bigint | "same">) =>
      fc.property(scalarArb, wrong, scalarArb, scalarArb, nonceArb, (a, other, r, u, nonce) => {
        // two draws of a small scalar can be equal: then the "other" key is the right one
        fc.pre(usableCoins(r, u) && other !== a);
        const { capsule, ciphertext } = ok(
          U.encryptWithRandomness(party(a).public, Uint8Array.of(1, 2), { r, u, nonce }),
        );
        const result = U.decryptOriginal({ scalar: other === "same" ? a : other }, capsule, ciphertext);
        return Result.isFailure(result) && result.failure._tag === "DecryptionFailed";
      });
    holds("[PRE-10] other key", otherKey(scalarArb), { numRuns: 15 });
    failsOn("[PRE-10] 'other' key that may be the right one", otherKey(fc.constant("same" as const)), 5);
  });

  it("[PRE-8] ciphertext layout: nonce ‖ body ‖ tag, short input and changed bytes give typed DecryptionFailed", () => {
    const share = buildShare(new Uint8Array(16), Uint8Array.of(9, 8, 7));
    expect(share.ciphertext.length).toBe(24 + 3 + 16);
    const key = demKey(compressed(mulSecret(share.capsule.e.add(share.capsule.v), share.delegator.secret.scalar)));
    const aad = U.encodeCapsuleSimple(share.capsule);
    expect(outcome(demDecrypt(key, share.ciphertext, aad))).toBe("success");
    const short = demDecrypt(key, share.ciphertext.subarray(0, 39), aad);
    expect(Result.isFailure(short) && short.failure.reason).toBe("CiphertextTooShort");
    for (const index of [0, 23, 24, 26, 27, 42]) {
      const changed = share.ciphertext.slice();
      changed[index] = (changed[index] ?? 0) ^ 1;
      const result = U.decryptOriginal(share.delegator.secret, share.capsule, changed);
      expect(Result.isFailure(result) && result.failure._tag === "DecryptionFailed" && result.failure.reason).toBe(
        "AuthenticationFailed",
      );
    }
  });
});

describe("Umbral capsule validity", () => {
  it("[PRE-9] changing s, E or V makes the capsule invalid for Dec1, ReEnc, cfrag verification and Dec2", () => {
    const share = buildShare(new Uint8Array(16).fill(1), Uint8Array.of(1));
    const g = Secp.BASE;
    const variants: U.Capsule[] = [
      { ...share.capsule, s: Fn.add(share.capsule.s, 1n) },
      { ...share.capsule, e: share.capsule.e.add(g) },
      { ...share.capsule, v: share.capsule.v.add(g) },
    ];
    for (const capsule of variants) {
      expect(outcome(U.checkCapsule(capsule))).toBe("CapsuleInvalid");
      expect(outcome(U.decryptOriginal(share.delegator.secret, capsule, share.ciphertext))).toBe("CapsuleInvalid");
      expect(outcome(U.reencryptWithRandomness(capsule, share.kfrags[0] as U.VerifiedKeyFrag, 5n))).toBe(
        "CapsuleInvalid",
      );
      const cfrag = (share.cfrags[0] as U.VerifiedCapsuleFrag).cfrag;
      expect(outcome(U.verifyCapsuleFrag(cfrag, capsule, share.keys))).toBe("CapsuleInvalid");
      const dec2 = U.decryptReencrypted(
        share.delegatee.secret,
        share.delegator.public,
        capsule,
        share.cfrags,
        share.ciphertext,
      );
      expect(outcome(dec2)).toBe("CapsuleInvalid");
    }
  });

  it("[PRE-9] a capsule with E + V = O satisfies s·G = V + h·E but is rejected (its key seed is public)", () => {
    const r = 0x1234567n;
    const e = mulBase(r);
    const v = e.negate();
    const s = Fn.mul(Fn.sub(hashCapsulePoints(e, v), 1n), r);
    const degenerate: U.Capsule = { e, v, s };
    expect(mulBase(s).equals(v.add(e.multiply(hashCapsulePoints(e, v))))).toBe(true);
    const checked = U.checkCapsule(degenerate);
    expect(Result.isFailure(checked) && checked.failure.detail).toMatch(/identity/);
  });
});

describe("Umbral share: ReKeyGen, ReEnc, Dec2", () => {
  const dec2RoundTrip = (reencrypt: typeof U.reencryptWithRandomness) =>
    fc.property(seedArb, messageArb, scalarArb, (seed, message, tau) => {
      const share = buildShare(seed, message);
      const cfrag = ok(reencrypt(share.capsule, share.kfrags[0] as U.VerifiedKeyFrag, tau));
      const opened = receive(share, [U.encodeCapsuleFrag(cfrag.cfrag)]);
      return Result.isSuccess(opened) && bytesEqual(opened.success, message);
    });

  it("[PRE-1] [PRE-13] [PRE-14] [PRE-15] Dec2 after ReEnc gives m to the delegatee (1-of-1, bytes between roles)", () => {
    holds("[PRE-15] Dec2(ReEnc) = m", dec2RoundTrip(U.reencryptWithRandomness), { numRuns: 15 });
  });

  it("[PRE-13] negative control: a ReEnc that skips the proof (z = τ) is caught by the delegatee", () => {
    const noProof: typeof U.reencryptWithRandomness = (capsule, kfrag, tau) =>
      Result.map(U.reencryptWithRandomness(capsule, kfrag, tau), (v) => ({
        ...v,
        cfrag: { ...v.cfrag, proof: { ...v.cfrag.proof, z: tau } },
      }));
    failsOn("[PRE-13] ReEnc without proof", dec2RoundTrip(noProof), 10);
  });

  it("[PRE-13] [PRE-22] ReEnc's V1 = (rk·s)·G − h·E1 and V2 = (τ·s)·G − h·E2 are rk·V and τ·V", () => {
    const rewritten = (sign: bigint) =>
      fc.property(seedArb, scalarArb, (seed, tau) => {
        const share = buildShare(seed, Uint8Array.of(3));
        const { kfrag } = share.kfrags[0] as U.VerifiedKeyFrag;
        const { cfrag } = ok(U.reencryptWithRandomness(share.capsule, share.kfrags[0] as U.VerifiedKeyFrag, tau));
        const h = hashCapsulePoints(share.capsule.e, share.capsule.v);
        const direct = mulSecret(share.capsule.v, kfrag.key);
        const viaCapsule = mulBase(Fn.mul(kfrag.key, share.capsule.s)).add(cfrag.e1.multiply(Fn.mul(sign, h)));
        return (
          cfrag.v1.equals(direct) && viaCapsule.equals(direct) && cfrag.proof.v2.equals(mulSecret(share.capsule.v, tau))
        );
      });
    holds("[PRE-13] rewriting", rewritten(Fn.neg(1n)), { numRuns: 5 });
    failsOn("[PRE-13] rewriting with +h", rewritten(1n), 3);
  });

  it("[PRE-15] [PRE-2] only the delegatee decrypts: any other receiving key gives a typed error", () => {
    const otherDelegatee = (other: fc.Arbitrary<bigint | "same">) =>
      fc.property(seedArb, other, (seed, wrong) => {
        const share = buildShare(seed, Uint8Array.of(5, 5));
        const secret = { scalar: wrong === "same" ? share.delegatee.secret.scalar : wrong };
        const pipeline = receive(
          {
            ...share,
            delegatee: { secret, public: U.publicKeyOf(secret) },
            keys: { ...share.keys, receiving: U.publicKeyOf(secret) },
          },
          share.cfrags.map(({ cfrag }) => U.encodeCapsuleFrag(cfrag)),
        );
        const direct = U.decryptReencrypted(
          secret,
          share.delegator.public,
          share.capsule,
          share.cfrags,
          share.ciphertext,
        );
        return outcome(pipeline) === "CapsuleFragInvalid" && outcome(direct) === "CapsuleOpenFailed";
      });
    holds("[PRE-15] other delegatee", otherDelegatee(scalarArb), { numRuns: 10 });
    failsOn("[PRE-15] 'other' delegatee that may be the real one", otherDelegatee(fc.constant("same" as const)), 3);
  });

  it("[PRE-14] [PRE-18] cfrag verification names the check: wrong signer, delegating or receiving key → Signature", () => {
    const share = buildShare(new Uint8Array(16).fill(2), Uint8Array.of(4));
    const { cfrag } = share.cfrags[0] as U.VerifiedCapsuleFrag;
    const stranger = party(777n).public;
    for (const keys of [
      { ...share.keys, verifying: stranger },
      { ...share.keys, delegating: stranger },
      { ...share.keys, receiving: stranger },
    ]) {
      const result = U.verifyCapsuleFrag(cfrag, share.capsule, keys);
      expect(Result.isFailure(result) && result.failure._tag === "CapsuleFragInvalid" && result.failure.reason).toBe(
        "Signature",
      );
    }
    const badProof = { ...cfrag, proof: { ...cfrag.proof, z: Fn.add(cfrag.proof.z, 1n) } };
    const result = U.verifyCapsuleFrag(badProof, share.capsule, share.keys);
    expect(Result.isFailure(result) && result.failure._tag === "CapsuleFragInvalid" && result.failure.reason).toBe(
      "Proof",
    );
  });
});

describe("Umbral key fragments", () => {
  it("[PRE-11] [PRE-12] kfrags verify under the signer, with the keys the flags say are signed", () => {
    const share = buildShare(new Uint8Array(16).fill(3), Uint8Array.of(1));
    const { kfrag } = share.kfrags[0] as U.VerifiedKeyFrag;
    const all = {
      verifying: share.signer.public,
      delegating: share.delegator.public,
      receiving: share.delegatee.public,
    };
    expect(outcome(U.verifyKeyFrag(kfrag, all))).toBe("success");
    const reason = (keys: U.KFragVerificationKeys, frag = kfrag) => {
      const r = U.verifyKeyFrag(frag, keys);
      return Result.isFailure(r) ? r.failure.reason : "success";
    };
    expect(reason({ verifying: all.verifying, receiving: all.receiving })).toBe("DelegatingKeyNotProvided");
    expect(reason({ verifying: all.verifying, delegating: all.delegating })).toBe("ReceivingKeyNotProvided");
    expect(reason({ ...all, verifying: share.delegatee.public })).toBe("Signature");
    expect(reason({ ...all, receiving: share.delegator.public })).toBe("Signature");
    expect(reason(all, { ...kfrag, key: Fn.add(kfrag.key, 1n) })).toBe("Commitment");
    expect(reason(all, { ...kfrag, delegatingKeySigned: false })).toBe("Signature");
  });

  it("[PRE-11] [PRE-12] unsigned keys: a kfrag made with both flags false verifies without pk_A and pk_B", () => {
    const share = buildShare(new Uint8Array(16).fill(4), Uint8Array.of(1));
    const kfrags = ok(
      U.generateKFragsWithRandomness(
        {
          delegating: share.delegator.secret,
          receiving: share.delegatee.public,
          signer: share.signer.secret,
          signDelegatingKey: false,
          signReceivingKey: false,
        },
        {
          precursor: 11n,
          coefficients: [],
          fragments: [
            { id: new Uint8Array(32), receiverEntropy: new Uint8Array(32), proxyEntropy: new Uint8Array(32) },
          ],
        },
      ),
    );
    const { kfrag } = kfrags[0] as U.VerifiedKeyFrag;
    expect(outcome(U.verifyKeyFrag(kfrag, { verifying: share.signer.public }))).toBe("success");
    // The receiver's signature always covers both keys, so the delegatee's check is unchanged.
    const cfrag = ok(U.reencryptWithRandomness(share.capsule, kfrags[0] as U.VerifiedKeyFrag, 3n));
    expect(outcome(U.verifyCapsuleFrag(cfrag.cfrag, share.capsule, share.keys))).toBe("success");
  });

  it("[PRE-21] [PRE-18] ReKeyGen rejects thresholds outside 1 ≤ t ≤ N ≤ 255 with ThresholdInvalid", () => {
    const request = { delegating: { scalar: 5n }, receiving: party(6n).public, signer: { scalar: 7n } };
    for (const [threshold, shares] of [
      [0, 1],
      [2, 1],
      [1, 256],
      [1.5, 2],
      [-1, 3],
    ] as const) {
      const drawn = seeded(new Uint8Array(1), effectOutcome(U.generateKFrags({ ...request, threshold, shares })));
      expect(drawn).toBe("ThresholdInvalid");
    }
    expect(
      seeded(new Uint8Array(1), effectOutcome(U.generateKFrags({ ...request, threshold: 255, shares: 255 }))),
    ).toBe("success");
  });
});

describe("Umbral thresholds", () => {
  const subsetOf = (count: number, min: number) =>
    fc.shuffledSubarray(
      Array.from({ length: count }, (_, i) => i),
      { minLength: min, maxLength: count },
    );

  const thresholdProperty = (threshold: number, count: number, enough: number) =>
    fc.property(seedArb, subsetOf(count, enough), (seed, chosen) => {
      const share = buildShare(seed, Uint8Array.of(threshold, count), threshold, count);
      const cfrags = chosen.map((i) => share.cfrags[i] as U.VerifiedCapsuleFrag);
      const opened = receive(
        share,
        cfrags.map(({ cfrag }) => U.encodeCapsuleFrag(cfrag)),
      );
      return Result.isSuccess(opened) && bytesEqual(opened.success, share.message);
    });

  for (const [threshold, count] of [
    [1, 1],
    [2, 3],
    [3, 5],
  ] as const) {
    it(`[PRE-11] [PRE-15] ${threshold}-of-${count}: any ${threshold} or more cfrags, in any order, give m`, () => {
      holds(`[PRE-15] ${threshold}-of-${count}`, thresholdProperty(threshold, count, threshold), { numRuns: 4 });
    });
  }

  it("[PRE-15] negative control: t − 1 cfrags are not enough", () => {
    const found = failsOn("[PRE-15] 2-of-3 with one cfrag", thresholdProperty(2, 3, 1), 10);
    expect(found.value[1]).toHaveLength(1);
  });

  it("[PRE-15] [PRE-18] Dec2 errors: NotEnoughFragments, CapsuleOpenFailed, RepeatedFragments, MismatchedFragments", () => {
    const seed = new Uint8Array(16).fill(6);
    const share = buildShare(seed, Uint8Array.of(1), 2, 3);
    const other = buildShare(new Uint8Array(16).fill(7), Uint8Array.of(1), 2, 3);
    const dec2 = (cfrags: readonly U.VerifiedCapsuleFrag[], threshold?: number) =>
      outcome(decryptShare(share, cfrags, threshold));
    const [c0, c1] = share.cfrags as [U.VerifiedCapsuleFrag, U.VerifiedCapsuleFrag];
    expect(dec2([c0, c1], 2)).toBe("success");
    expect(dec2([c0], 2)).toBe("NotEnoughFragments");
    expect(dec2([])).toBe("NotEnoughFragments");
    expect(dec2([c0])).toBe("CapsuleOpenFailed");
    expect(dec2([c0, c0], 2)).toBe("RepeatedFragments");
    expect(dec2([c0, other.cfrags[1] as U.VerifiedCapsuleFrag], 2)).toBe("MismatchedFragments");
    expect(dec2([c0, c1], 0)).toBe("ThresholdInvalid");
    expect(
      dec2(
        Array.from({ length: 256 }, () => c0),
        2,
      ),
    ).toBe("MismatchedFragments");
  });
});

describe("Umbral collusion (why PRE-2)", () => {
  /** Proxy + delegatee: dh = b·X_A gives d and the x_i; t shares interpolate f(0) = a/d, so a = f(0)·d. */
  const recover = (share: ReturnType<typeof buildShare>, kfrags: readonly U.VerifiedKeyFrag[]): bigint => {
    const precursor = (kfrags[0] as U.VerifiedKeyFrag).kfrag.precursor;
    const dh = mulSecret(precursor, share.delegatee.secret.scalar);
    const pkB = share.delegatee.public.point;
    const xs = kfrags.map(({ kfrag }) => hashToPolynomialArg(precursor, pkB, dh, kfrag.id));
    const f0 = kfrags.reduce((sum, { kfrag }, i) => {
      const lambda = xs.reduce((acc, xj, j) => (j === i ? acc : Fn.mul(acc, Fn.div(xj, Fn.sub(xj, xs[i] ?? 0n)))), 1n);
      return Fn.add(sum, Fn.mul(lambda, kfrag.key));
    }, 0n);
    return Fn.mul(f0, hashToSharedSecret(precursor, pkB, dh));
  };

  const collusion = (used: number) =>
    fc.property(seedArb, (seed) => {
      const share = buildShare(seed, Uint8Array.of(2), 2, 3);
      return recover(share, share.kfrags.slice(0, used)) === share.delegator.secret.scalar;
    });

  it("[PRE-2] proxy + delegatee with t kfrags recover the delegator's PRE secret key", () => {
    holds("[PRE-2] collusion", collusion(2), { numRuns: 3 });
  });

  it("[PRE-2] negative control: with t − 1 kfrags the same computation does not give a", () => {
    failsOn("[PRE-2] collusion with too few kfrags", collusion(1), 3);
  });
});

describe("Umbral randomness", () => {
  /** Draws Enc's coins from a seeded source the way PRE-19 says, optionally in the wrong order. */
  const coinsFrom = (seed: Uint8Array, swap: boolean) => {
    const source = seededSource(seed);
    const scalar = (): bigint => {
      for (;;) {
        const value = BigInt(`0x${Buffer.from(source.bytes(32)).toString("hex")}`);
        if (value !== 0n && value < Secp.Fn.ORDER) return value;
      }
    };
    const first = scalar();
    const second = scalar();
    return { r: swap ? second : first, u: swap ? first : second, nonce: source.bytes(24) };
  };

  const sameAsExplicit = (swap: boolean) =>
    fc.property(seedArb, scalarArb, messageArb, (seed, a, message) => {
      const pk = party(a).public;
      const drawn = seeded(seed, U.encrypt(pk, message));
      const explicit = ok(U.encryptWithRandomness(pk, message, coinsFrom(seed, swap)));
      return (
        bytesEqual(U.encodeCapsule(drawn.capsule), U.encodeCapsule(explicit.capsule)) &&
        bytesEqual(drawn.ciphertext, explicit.ciphertext)
      );
    });

  it("[PRE-19] the Effect form draws r, u, nonce in that order: same bytes as the explicit form", () => {
    holds("[PRE-19] Enc draws", sameAsExplicit(false), { numRuns: 10 });
  });

  it("[PRE-19] negative control: drawing u before r gives other bytes", () => {
    failsOn("[PRE-19] swapped draws", sameAsExplicit(true), 5);
  });

  it("[PRE-19] a scalar draw of 0 or ≥ n is redrawn (rejection sampling); a source that never stops is a defect", () => {
    const scripted = (blocks: readonly bigint[]) => {
      let next = 0;
      const bytes = (n: number) => {
        const value = blocks[Math.min(next++, blocks.length - 1)] ?? 0n;
        return Uint8Array.from(Buffer.from(value.toString(16).padStart(2 * n, "0"), "hex"));
      };
      return Layer.succeed(Randomness, Randomness.of({ bytes }));
    };
    const draw = (blocks: readonly bigint[]) =>
      Effect.runSyncExit(Effect.provide(U.generateSecretKey, scripted(blocks)));
    const drawn = draw([Fn.ORDER, 0n, 2n ** 256n - 1n, 42n]);
    expect(Exit.isSuccess(drawn) && drawn.value.scalar).toBe(42n);
    const broken = draw([0n]);
    expect(Exit.isFailure(broken) && Cause.hasDies(broken.cause)).toBe(true);
  });

  it("[PRE-19] [PRE-18] explicit coins out of range are PreBadCoins, never a throw", () => {
    const pk = party(3n).public;
    const nonce = new Uint8Array(24);
    expect(outcome(U.encryptWithRandomness(pk, Uint8Array.of(1), { r: 0n, u: 1n, nonce }))).toBe("PreBadCoins");
    expect(outcome(U.encryptWithRandomness(pk, Uint8Array.of(1), { r: 5n, u: Fn.neg(5n), nonce }))).toBe("PreBadCoins");
    expect(outcome(U.encryptWithRandomness(pk, Uint8Array.of(1), { r: 5n, u: 6n, nonce: new Uint8Array(12) }))).toBe(
      "PreBadCoins",
    );
    const share = buildShare(new Uint8Array(16).fill(8), Uint8Array.of(1));
    expect(outcome(U.reencryptWithRandomness(share.capsule, share.kfrags[0] as U.VerifiedKeyFrag, 0n))).toBe(
      "PreBadCoins",
    );
    const request = {
      delegating: share.delegator.secret,
      receiving: share.delegatee.public,
      signer: share.signer.secret,
    };
    const fragment = { id: new Uint8Array(32), receiverEntropy: new Uint8Array(32), proxyEntropy: new Uint8Array(31) };
    expect(
      outcome(U.generateKFragsWithRandomness(request, { precursor: 1n, coefficients: [], fragments: [fragment] })),
    ).toBe("PreBadCoins");
    expect(
      outcome(
        U.generateKFragsWithRandomness(
          { ...request, threshold: 2, shares: 2 },
          { precursor: 1n, coefficients: [], fragments: [] },
        ),
      ),
    ).toBe("PreBadCoins");
  });
});

describe("Umbral keys, signatures and multiplications", () => {
  it("[PRE-5] secret keys are 32-byte scalars in [1, n); public keys are compressed points", () => {
    const roundTrip = (encodePublic: (pk: U.PublicKey) => Uint8Array) =>
      fc.property(scalarArb, (a) => {
        const secret = ok(U.decodeSecretKey(U.encodeSecretKey({ scalar: a })));
        const encoded = encodePublic(U.publicKeyOf(secret));
        const decoded = ok(U.decodePublicKey(encoded));
        return secret.scalar === a && decoded.point.equals(Secp.BASE.multiply(a)) && encoded.length === 33;
      });
    holds("[PRE-5] key round trip", roundTrip(U.encodePublicKey), { numRuns: 20 });
    const evenPrefix = (pk: U.PublicKey) => Uint8Array.of(2, ...U.encodePublicKey(pk).subarray(1));
    failsOn("[PRE-5] an encoder that drops the parity of y", roundTrip(evenPrefix), 20);
    const reason = (bytes: Uint8Array) => {
      const r = U.decodeSecretKey(bytes);
      return Result.isFailure(r) ? r.failure.reason : "success";
    };
    expect(reason(new Uint8Array(32))).toBe("ScalarZero");
    expect(reason(Uint8Array.from(Buffer.from(Secp.Fn.ORDER.toString(16), "hex")))).toBe("ScalarOutOfRange");
    expect(reason(new Uint8Array(31).fill(1))).toBe("ShortInput");
  });

  it("[PRE-6] signatures verify for the message and key, not for others; high-s is rejected", () => {
    const property = (tamper: boolean) =>
      fc.property(scalarArb, messageArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, message, entropy) => {
        const signature = U.signWithEntropy({ scalar: k }, message, entropy);
        const signed = tamper ? Uint8Array.of(...message, 0) : message;
        return U.verifySignature(party(k).public, signed, signature);
      });
    holds("[PRE-6] sign/verify", property(false), { numRuns: 10 });
    failsOn("[PRE-6] another message", property(true), 5);
    const signature = U.signWithEntropy({ scalar: 9n }, Uint8Array.of(1), new Uint8Array(32));
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString("hex")}`);
    const high = signature.slice();
    high.set(Uint8Array.from(Buffer.from(Fn.neg(s).toString(16).padStart(64, "0"), "hex")), 32);
    expect(U.verifySignature(party(9n).public, Uint8Array.of(1), high)).toBe(false);
    expect(outcome(U.decodeSignature(high))).toBe("success");
    expect(outcome(U.decodeSignature(new Uint8Array(64)))).toBe("DecodeError");
  });

  it("[PRE-22] a prepared public key gives the same Enc output and the same Dec2 result", () => {
    const samePrepared = (prepare: (pk: U.PublicKey) => U.PublicKey) =>
      fc.property(seedArb, scalarArb, scalarArb, (seed, r, u) => {
        fc.pre(usableCoins(r, u));
        const share = buildShare(seed, Uint8Array.of(8));
        const prepared = prepare(share.delegator.public);
        const coins = { r, u, nonce: new Uint8Array(24) };
        const plain = ok(U.encryptWithRandomness(share.delegator.public, share.message, coins));
        const fast = ok(U.encryptWithRandomness(prepared, share.message, coins));
        const dec2 = U.decryptReencrypted(
          share.delegatee.secret,
          prepared,
          share.capsule,
          share.cfrags,
          share.ciphertext,
        );
        return bytesEqual(plain.ciphertext, fast.ciphertext) && Result.isSuccess(dec2);
      });
    holds("[PRE-22] prepared key", samePrepared(U.preparePublicKey), { numRuns: 2 });
    failsOn(
      "[PRE-22] a 'prepared' key that is another point",
      samePrepared((pk) => ({ point: pk.point.double() })),
      2,
    );
  });

  it("[PRE-22] zero scalars give the identity, never an exception", () => {
    expect(mulSecret(Secp.BASE, 0n).is0()).toBe(true);
    expect(mulBase(0n).is0()).toBe(true);
  });
});
