/**
 * The `Randomness` service (spec/hashing.md, [HASH-4]; [CONV-6]): the only way randomness enters the core.
 * `Randomness.secure` draws from the platform CSPRNG; `Randomness.seeded(seed)` is a deterministic
 * SHA-256 counter-mode generator for tests, vectors and simulations, so one seed replays a run.
 * @module
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { Context, type Effect, Layer } from "effect";
import { TAGS, taggedHash } from "./hash.js";

export interface RandomSource {
  /** `n` fresh bytes. */
  readonly bytes: (n: number) => Uint8Array;
}

export class Randomness extends Context.Service<Randomness, RandomSource>()("spchain/crypto/Randomness") {
  static readonly secure: Layer.Layer<Randomness> = Layer.succeed(Randomness, Randomness.of({ bytes: randomBytes }));
  static readonly seeded = (seed: Uint8Array): Layer.Layer<Randomness> =>
    Layer.sync(Randomness, () => Randomness.of(seededSource(seed)));
}

/** Draws `n` bytes from the `Randomness` service. */
export const randomBytesEffect = (n: number): Effect.Effect<Uint8Array, never, Randomness> =>
  Randomness.useSync((source) => source.bytes(n));

const BLOCK_BYTES = 32;
const MAX_REQUEST_BYTES = 1 << 24;

/**
 * Deterministic generator: block_i = H_VECTOR_RNG(seed || u64be(i)). Not for production keys;
 * it exists so that every test, vector and model run is reproducible from its seed.
 */
export const seededSource = (seed: Uint8Array): RandomSource => {
  let counter = 0n;
  const block = (): Uint8Array => {
    const index = new Uint8Array(8);
    new DataView(index.buffer).setBigUint64(0, counter++);
    return taggedHash(TAGS.VECTOR_RNG, seed, index);
  };
  return {
    bytes: (n) => {
      if (!Number.isInteger(n) || n < 0 || n > MAX_REQUEST_BYTES) throw new RangeError(`bytes: bad length ${n}`);
      const out = new Uint8Array(n);
      for (let filled = 0; filled < n; filled += BLOCK_BYTES) out.set(block().subarray(0, n - filled), filled);
      return out;
    },
  };
};
