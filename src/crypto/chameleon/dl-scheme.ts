/**
 * A discrete-log chameleon hash over decoded objects, put behind the byte-level `ChameleonScheme` interface
 * (spec/chameleon-hash.md, [CH-2], [CH-4], [CH-11]). Inputs are decoded in the order public key, trapdoor,
 * hash, randomness; the first malformed one gives its `DecodeError`. A key bound with
 * `key(bytes, { prepare: true })` keeps its tables across calls.
 * @module
 */
import { Effect, Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import type { Randomness } from "../random.js";
import {
  type DlPublicKey,
  type DlTrapdoor,
  decodePublicKeyOf,
  decodeTrapdoorOf,
  encodeTrapdoor,
  preparePublicKey,
} from "./dl-key.js";
import type { ChameleonOriginalInvalid, ChameleonTrapdoorMismatch } from "./errors.js";
import type { ChameleonKey, ChameleonScheme, ChameleonSchemeId, ChameleonSizes } from "./scheme.js";

/** What a scheme over decoded objects provides: `H` is its hash value, `R` its randomness. */
export interface DlSchemeOps<H, R> {
  readonly id: ChameleonSchemeId;
  /** The short name used in decode error details ("DSS20", "AM04"). */
  readonly short: string;
  readonly name: string;
  readonly sizes: ChameleonSizes;
  readonly decodeHash: (bytes: Uint8Array) => Result.Result<H, DecodeError>;
  readonly encodeHash: (h: H) => Uint8Array;
  readonly decodeRandomness: (bytes: Uint8Array) => Result.Result<R, DecodeError>;
  readonly encodeRandomness: (r: R) => Uint8Array;
  readonly keyGen: Effect.Effect<{ readonly publicKey: DlPublicKey; readonly trapdoor: DlTrapdoor }, never, Randomness>;
  readonly hash: (
    publicKey: DlPublicKey,
    message: Uint8Array,
  ) => Effect.Effect<{ readonly h: H; readonly randomness: R }, never, Randomness>;
  readonly verify: (publicKey: DlPublicKey, message: Uint8Array, h: H, r: R) => boolean;
  readonly collide: (
    publicKey: DlPublicKey,
    trapdoor: DlTrapdoor,
    message: Uint8Array,
    h: H,
    r: R,
    newMessage: Uint8Array,
  ) => Effect.Effect<R, ChameleonTrapdoorMismatch | ChameleonOriginalInvalid, Randomness>;
}

/** [CH-2] The byte-level scheme of `ops`. */
export const dlScheme = <H, R>(ops: DlSchemeOps<H, R>): ChameleonScheme => {
  const decodeKey = decodePublicKeyOf(ops.short);
  const decodeTrapdoor = decodeTrapdoorOf(ops.short);
  const decodeHashAndRandomness = (h: Uint8Array, r: Uint8Array): Result.Result<[H, R], DecodeError> =>
    Result.flatMap(ops.decodeHash(h), (hash) =>
      Result.map(ops.decodeRandomness(r), (randomness) => [hash, randomness]),
    );

  const bindKey = (publicKey: DlPublicKey): ChameleonKey => ({
    scheme: ops.id,
    publicKey: publicKey.bytes,
    prepared: publicKey.prepared,
    hash: (message) =>
      Effect.map(ops.hash(publicKey, message), (digest) => ({
        h: ops.encodeHash(digest.h),
        r: ops.encodeRandomness(digest.randomness),
      })),
    verify: (message, h, r) =>
      Result.map(decodeHashAndRandomness(h, r), ([hash, randomness]) =>
        ops.verify(publicKey, message, hash, randomness),
      ),
    collide: (trapdoor, message, h, r, newMessage) =>
      Effect.gen(function* () {
        const td = yield* Effect.fromResult(decodeTrapdoor(trapdoor));
        const [hash, randomness] = yield* Effect.fromResult(decodeHashAndRandomness(h, r));
        const collision = yield* ops.collide(publicKey, td, message, hash, randomness, newMessage);
        return ops.encodeRandomness(collision);
      }),
  });

  const bind = (publicKey: Uint8Array, prepare: boolean): Result.Result<ChameleonKey, DecodeError> =>
    Result.map(decodeKey(publicKey), (key) => bindKey(prepare ? preparePublicKey(key) : key));

  return {
    id: ops.id,
    name: ops.name,
    sizes: ops.sizes,
    checkHash: ops.decodeHash,
    checkRandomness: ops.decodeRandomness,
    keyGen: Effect.map(ops.keyGen, ({ publicKey, trapdoor }) => ({
      publicKey: publicKey.bytes,
      trapdoor: encodeTrapdoor(trapdoor),
    })),
    key: (publicKey, options) => bind(publicKey, options?.prepare === true),
    hash: (publicKey, message) => Effect.flatMap(Effect.fromResult(bind(publicKey, false)), (key) => key.hash(message)),
    verify: (publicKey, message, h, r) => Result.flatMap(bind(publicKey, false), (key) => key.verify(message, h, r)),
    collide: (publicKey, trapdoor, message, h, r, newMessage) =>
      Effect.flatMap(Effect.fromResult(bind(publicKey, false)), (key) =>
        key.collide(trapdoor, message, h, r, newMessage),
      ),
  };
};
