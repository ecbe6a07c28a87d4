/**
 * The chameleon hash schemes this implementation knows, by id byte (spec/chameleon-hash.md, [CH-2]).
 * An unknown id in an encoding is a `DecodeError` with reason `BadEnum`.
 * @module
 */
import type { Result } from "effect";
import type { DecodeError } from "../../codec/errors.js";
import { decodeWith, type Reader } from "../../codec/reader.js";
import { dss20Scheme } from "./dss20-scheme.js";
import type { ChameleonScheme, ChameleonSchemeId } from "./scheme.js";

/** [CH-2] Every registered scheme, by id. */
export const CHAMELEON_SCHEMES: ReadonlyMap<ChameleonSchemeId, ChameleonScheme> = new Map([
  [dss20Scheme.id, dss20Scheme],
]);

const SCHEME_IDS = [...CHAMELEON_SCHEMES.keys()];

/** [CH-2] Reads a scheme id byte and returns its scheme. */
export const readChameleonScheme = (r: Reader, title = "chameleon scheme id"): ChameleonScheme => {
  const id = r.oneOf(SCHEME_IDS, "BadEnum", title);
  const scheme = CHAMELEON_SCHEMES.get(id);
  return scheme ?? r.fail("BadEnum", `${title}: ${id} has no scheme`);
};

/** [CH-2] The scheme with id byte `id`. */
export const chameleonSchemeById = (id: number): Result.Result<ChameleonScheme, DecodeError> =>
  decodeWith(Uint8Array.of(id & 0xff), (r) => readChameleonScheme(r));
