/**
 * AM04 behind the byte-level `ChameleonScheme` interface (spec/chameleon-hash.md, [CH-2], [CH-16]).
 * @module
 */
import * as Am04 from "./am04.js";
import { dlScheme } from "./dl-scheme.js";
import { CHAMELEON_SCHEME_IDS } from "./scheme.js";

/** [CH-2] [CH-15] AM04 on secp256k1, scheme id 0x02. */
export const am04Scheme = dlScheme<bigint, Am04.Am04Randomness>({
  id: CHAMELEON_SCHEME_IDS.AM04,
  short: "AM04",
  name: "AM04-secp256k1-SHA256",
  sizes: Am04.AM04_SIZES,
  decodeHash: Am04.decodeHash,
  encodeHash: Am04.encodeHash,
  decodeRandomness: Am04.decodeRandomness,
  encodeRandomness: Am04.encodeRandomness,
  keyGen: Am04.keyGen,
  hash: Am04.hash,
  verify: Am04.verify,
  collide: Am04.collide,
});
