/**
 * DSS20 behind the byte-level `ChameleonScheme` interface (spec/chameleon-hash.md, [CH-2], [CH-4], [CH-11]).
 * @module
 */
import { Effect } from "effect";
import { dlScheme } from "./dl-scheme.js";
import * as Dss20 from "./dss20.js";
import { CHAMELEON_SCHEME_IDS } from "./scheme.js";

/** [CH-2] DSS20 on secp256k1, scheme id 0x01. */
export const dss20Scheme = dlScheme<Dss20.Dss20Hash, Dss20.Dss20Randomness>({
  id: CHAMELEON_SCHEME_IDS.DSS20,
  short: "DSS20",
  name: "DSS20-secp256k1-SHA256",
  sizes: Dss20.DSS20_SIZES,
  decodeHash: Dss20.decodeHash,
  encodeHash: (hash) => hash.bytes,
  decodeRandomness: Dss20.decodeRandomness,
  encodeRandomness: Dss20.encodeRandomness,
  keyGen: Dss20.keyGen,
  hash: (publicKey, message) =>
    Effect.map(Dss20.hash(publicKey, message), ({ hash, randomness }) => ({ h: hash, randomness })),
  verify: Dss20.verify,
  collide: Dss20.collide,
});
