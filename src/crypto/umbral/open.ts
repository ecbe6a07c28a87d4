/**
 * Opening a capsule from capsule fragments (spec/proxy-re-encryption.md, [PRE-15]): the delegatee
 * recomputes dh = b·X_A, each share index x_i and the Lagrange coefficients at 0,
 * λ_i = Π_{j≠i} x_j / (x_j − x_i), combines E' = Σ λ_i·E1_i and V' = Σ λ_i·V1_i (= (a/d)·E and (a/d)·V),
 * checks (s/d)·pk_A = h·E' + V' with d = H_SHARED_SECRET(X_A ‖ pk_B ‖ dh), and takes d·(E' + V') =
 * (r + u)·pk_A as the key seed.
 * @module
 */
import { Result } from "effect";
import { Secp, type SecpPoint } from "../../codec/fields.js";
import { type Capsule, checkCapsule } from "./capsule.js";
import type { VerifiedCapsuleFrag } from "./cfrag.js";
import {
  type CapsuleInvalid,
  CapsuleOpenFailed,
  MismatchedFragments,
  NotEnoughFragments,
  RepeatedFragments,
  ThresholdInvalid,
} from "./errors.js";
import { hashCapsulePoints, hashToPolynomialArg, hashToSharedSecret } from "./hashing.js";
import { type PublicKey, publicKeyOf, type SecretKey } from "./keys.js";
import { MAX_SHARES } from "./params.js";
import { compressed, mulPublic, mulSecret } from "./points.js";

const Fn = Secp.Fn;

export type OpenError =
  | CapsuleInvalid
  | ThresholdInvalid
  | NotEnoughFragments
  | MismatchedFragments
  | RepeatedFragments
  | CapsuleOpenFailed;

/** λ_i at 0 for the share indices xs; undefined if two indices coincide. */
const lagrangeAtZero = (xs: readonly bigint[]): bigint[] | undefined => {
  const lambdas: bigint[] = [];
  for (const [i, xi] of xs.entries()) {
    let lambda = 1n;
    for (const [j, xj] of xs.entries()) {
      if (j === i) continue;
      const difference = Fn.sub(xj, xi);
      if (difference === 0n) return undefined;
      lambda = Fn.mul(lambda, Fn.div(xj, difference));
    }
    lambdas.push(lambda);
  }
  return lambdas;
};

/** Σ λ_i·P_i (one fragment: λ = 1, no multiplication). λ depends on dh, so it is treated as secret. */
const combine = (points: readonly SecpPoint[], lambdas: readonly bigint[]): SecpPoint =>
  points.length === 1
    ? (points[0] as SecpPoint)
    : points.reduce((sum, point, i) => sum.add(mulSecret(point, lambdas[i] ?? 0n)), Secp.ZERO);

const checkFragments = (
  cfrags: readonly VerifiedCapsuleFrag[],
  threshold: number,
): ThresholdInvalid | NotEnoughFragments | MismatchedFragments | undefined => {
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_SHARES) {
    return new ThresholdInvalid({
      threshold,
      shares: cfrags.length,
      detail: `need 1 ≤ t ≤ ${MAX_SHARES}, got ${threshold}`,
    });
  }
  if (cfrags.length < threshold) return new NotEnoughFragments({ given: cfrags.length, needed: threshold });
  if (cfrags.length > MAX_SHARES) {
    return new MismatchedFragments({
      detail: `${cfrags.length} fragments, but one ReKeyGen makes at most ${MAX_SHARES}`,
    });
  }
  // 1 ≤ threshold ≤ cfrags.length here, so the first fragment exists.
  const precursor = (cfrags[0] as VerifiedCapsuleFrag).cfrag.precursor;
  if (!cfrags.every(({ cfrag }) => cfrag.precursor.equals(precursor))) {
    return new MismatchedFragments({ detail: "the fragments come from different ReKeyGen runs (precursors differ)" });
  }
  return undefined;
};

/** [PRE-15] The key seed for the delegatee, from at least `threshold` verified cfrags. */
export const openReencrypted = (
  receiving: SecretKey,
  delegating: PublicKey,
  capsule: Capsule,
  cfrags: readonly VerifiedCapsuleFrag[],
  threshold = 1,
): Result.Result<Uint8Array, OpenError> => {
  const checked = checkCapsule(capsule);
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  const bad = checkFragments(cfrags, threshold);
  if (bad !== undefined) return Result.fail(bad);
  const precursor = (cfrags[0] as VerifiedCapsuleFrag).cfrag.precursor;
  const receivingPoint = publicKeyOf(receiving).point;
  const dh = mulSecret(precursor, receiving.scalar);
  const xs = cfrags.map(({ cfrag }) => hashToPolynomialArg(precursor, receivingPoint, dh, cfrag.kfragId));
  const lambdas = lagrangeAtZero(xs);
  if (lambdas === undefined) return Result.fail(new RepeatedFragments({ detail: "two fragments share a share index" }));
  const ePrime = combine(
    cfrags.map(({ cfrag }) => cfrag.e1),
    lambdas,
  );
  const vPrime = combine(
    cfrags.map(({ cfrag }) => cfrag.v1),
    lambdas,
  );
  const d = hashToSharedSecret(precursor, receivingPoint, dh);
  const h = hashCapsulePoints(capsule.e, capsule.v);
  const left = mulSecret(delegating.point, Fn.div(capsule.s, d));
  if (!left.equals(mulPublic(ePrime, h).add(vPrime))) {
    return Result.fail(
      new CapsuleOpenFailed({ detail: "(s/d)·pk_A ≠ h·E' + V': wrong capsule, keys, or too few or foreign fragments" }),
    );
  }
  const shared = mulSecret(ePrime.add(vPrime), d);
  if (shared.is0()) return Result.fail(new CapsuleOpenFailed({ detail: "E' + V' is the identity" }));
  return Result.succeed(compressed(shared));
};
