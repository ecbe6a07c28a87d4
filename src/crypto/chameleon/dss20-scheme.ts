/**
 * DSS20 behind the byte-level `ChameleonScheme` interface (spec/chameleon-hash.md, [CH-2], [CH-4], [CH-11]).
 * Inputs are decoded in the order public key, trapdoor, hash, randomness; the first malformed one gives
 * its `DecodeError`. A key bound with `key(bytes, { prepare: true })` keeps its tables across calls.
 * @module
 */
import { Effect, Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import * as Dss20 from "./dss20.js";
import { CHAMELEON_SCHEME_IDS, type ChameleonDigest, type ChameleonKey, type ChameleonScheme } from "./scheme.js";

const encodeDigest = (digest: Dss20.Dss20Digest): ChameleonDigest => ({
  h: digest.hash.bytes,
  r: Dss20.encodeRandomness(digest.randomness),
});

const decodeHashAndRandomness = (
  h: Uint8Array,
  r: Uint8Array,
): Result.Result<[Dss20.Dss20Hash, Dss20.Dss20Randomness], DecodeError> =>
  Result.flatMap(Dss20.decodeHash(h), (hash) =>
    Result.map(Dss20.decodeRandomness(r), (randomness) => [hash, randomness]),
  );

/** [CH-2] A decoded DSS20 hash key with the byte-level operations bound to it. */
export const bindDss20Key = (publicKey: Dss20.Dss20PublicKey): ChameleonKey => ({
  scheme: CHAMELEON_SCHEME_IDS.DSS20,
  publicKey: publicKey.bytes,
  prepared: publicKey.prepared,
  hash: (message) => Effect.map(Dss20.hash(publicKey, message), encodeDigest),
  verify: (message, h, r) =>
    Result.map(decodeHashAndRandomness(h, r), ([hash, randomness]) =>
      Dss20.verify(publicKey, message, hash, randomness),
    ),
  collide: (trapdoor, message, h, r, newMessage) =>
    Effect.gen(function* () {
      const td = yield* Effect.fromResult(Dss20.decodeTrapdoor(trapdoor));
      const [hash, randomness] = yield* Effect.fromResult(decodeHashAndRandomness(h, r));
      const collision = yield* Dss20.collide(publicKey, td, message, hash, randomness, newMessage);
      return Dss20.encodeRandomness(collision);
    }),
});

const bind = (publicKey: Uint8Array, prepare: boolean): Result.Result<ChameleonKey, DecodeError> =>
  Result.map(Dss20.decodePublicKey(publicKey), (key) => bindDss20Key(prepare ? Dss20.preparePublicKey(key) : key));

/** [CH-2] DSS20 on secp256k1, scheme id 0x01. */
export const dss20Scheme: ChameleonScheme = {
  id: CHAMELEON_SCHEME_IDS.DSS20,
  name: "DSS20-secp256k1-SHA256",
  sizes: Dss20.DSS20_SIZES,
  keyGen: Effect.map(Dss20.keyGen, ({ publicKey, trapdoor }) => ({
    publicKey: publicKey.bytes,
    trapdoor: Dss20.encodeTrapdoor(trapdoor),
  })),
  key: (publicKey, options) => bind(publicKey, options?.prepare === true),
  hash: (publicKey, message) => Effect.flatMap(Effect.fromResult(bind(publicKey, false)), (key) => key.hash(message)),
  verify: (publicKey, message, h, r) => Result.flatMap(bind(publicKey, false), (key) => key.verify(message, h, r)),
  collide: (publicKey, trapdoor, message, h, r, newMessage) =>
    Effect.flatMap(Effect.fromResult(bind(publicKey, false)), (key) =>
      key.collide(trapdoor, message, h, r, newMessage),
    ),
};
