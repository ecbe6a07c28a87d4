/**
 * Random values of the Umbral operations (spec/proxy-re-encryption.md, [PRE-19]), drawn from the
 * `Randomness` service exactly as umbral-pre draws them from its RNG: a non-zero scalar is 32 bytes
 * read big-endian, redrawn while it is zero or ≥ n (k256's `NonZeroScalar::random`); ids, nonces and
 * ECDSA entropy are raw bytes. Drawing in umbral-pre's order means one byte stream gives the same
 * objects on both sides, which the interoperability tests use.
 * @module
 */
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { Effect } from "effect";
import { CURVE_ORDER, SCALAR_BYTES } from "../../codec/fields.js";
import { Randomness } from "../random.js";
import { PreBadCoins } from "./errors.js";

/**
 * Redraws allowed per scalar. A uniform draw is rejected with probability < 2^-127, so reaching the
 * bound means the randomness source is broken: that is a defect, not an error of the operation.
 */
const MAX_SCALAR_DRAWS = 8;

/** [PRE-19] A uniform scalar in [1, n) by rejection sampling of 32-byte draws. */
export const drawNonZeroScalar: Effect.Effect<bigint, never, Randomness> = Randomness.useSync((source) => {
  for (let attempt = 0; attempt < MAX_SCALAR_DRAWS; attempt++) {
    const value = bytesToNumberBE(source.bytes(SCALAR_BYTES));
    if (value !== 0n && value < CURVE_ORDER) return value;
  }
  throw new Error(`Randomness gave ${MAX_SCALAR_DRAWS} scalars out of [1, n) in a row: the source is broken`);
});

/** [PRE-19] `n` raw random bytes. */
export const drawBytes = (n: number): Effect.Effect<Uint8Array, never, Randomness> =>
  Randomness.useSync((source) => source.bytes(n));

/** [PRE-19] Checks an explicit scalar coin: in [1, n). */
export const checkScalarCoin = (coin: string, value: bigint): PreBadCoins | undefined =>
  value > 0n && value < CURVE_ORDER ? undefined : new PreBadCoins({ coin, detail: "must be in [1, n)" });

/** [PRE-19] Checks an explicit byte-string coin: exactly `length` bytes. */
export const checkBytesCoin = (coin: string, value: Uint8Array, length: number): PreBadCoins | undefined =>
  value.length === length
    ? undefined
    : new PreBadCoins({ coin, detail: `must be ${length} bytes, got ${value.length}` });

/** Turns the (probability < 2^-250) degenerate-coin failure of a randomized operation into a defect. */
export const coinsAreFine = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, PreBadCoins>, R> =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, PreBadCoins> => error instanceof PreBadCoins,
    (error) => Effect.die(error),
  ) as Effect.Effect<A, Exclude<E, PreBadCoins>, R>;
