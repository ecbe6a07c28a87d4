/**
 * Random scalars for randomized chameleon-hash operations (spec/chameleon-hash.md, [CH-10]). Each scalar
 * is drawn from 48 fresh bytes b of the `Randomness` service as 1 + (OS2IP(b) mod (n - 1)), so it lies in
 * [1, n) with a statistical distance from uniform below 2^-128 (the 128 extra bits make the modular
 * bias negligible; FIPS 186-5 A.2.1 uses the same map with 64 extra bits). No rejection loop is needed.
 * @module
 */
import { bytesToNumberBE } from "@noble/curves/utils.js";
import type { Effect } from "effect";
import { CURVE_ORDER } from "../../codec/fields.js";
import { Randomness } from "../random.js";

/** [CH-10] Bytes drawn per scalar: 32 for the value plus 16 to flatten the modular bias. */
export const SCALAR_DRAW_BYTES = 48;

/** [CH-10] Maps 48 uniform bytes to a scalar in [1, n). */
export const scalarFromDraw = (draw: Uint8Array): bigint => {
  if (draw.length !== SCALAR_DRAW_BYTES) throw new RangeError(`scalarFromDraw: need ${SCALAR_DRAW_BYTES} bytes`);
  return 1n + (bytesToNumberBE(draw) % (CURVE_ORDER - 1n));
};

/** [CH-10] One scalar in [1, n) per name, from one request of 48 bytes per name, split in the order given. */
export const drawCoins = <const K extends string>(
  names: readonly K[],
): Effect.Effect<Record<K, bigint>, never, Randomness> =>
  Randomness.useSync((source) => {
    const bytes = source.bytes(SCALAR_DRAW_BYTES * names.length);
    const coins = {} as Record<K, bigint>;
    names.forEach((name, i) => {
      coins[name] = scalarFromDraw(bytes.subarray(i * SCALAR_DRAW_BYTES, (i + 1) * SCALAR_DRAW_BYTES));
    });
    return coins;
  });
