/**
 * The chameleon hash schemes this implementation knows, by id byte (spec/chameleon-hash.md, [CH-2]).
 * An unknown id in an encoding is a `DecodeError` with reason `BadEnum`.
 * @module
 */
import { Result } from "effect";
import { DecodeError } from "../../codec/errors.js";
import type { Reader } from "../../codec/reader.js";
import { am04Scheme } from "./am04-scheme.js";
import { dss20Scheme } from "./dss20-scheme.js";
import type { ChameleonScheme } from "./scheme.js";

/** [CH-2] Every registered scheme, by id. */
export const CHAMELEON_SCHEMES: ReadonlyMap<number, ChameleonScheme> = new Map([
  [dss20Scheme.id, dss20Scheme],
  [am04Scheme.id, am04Scheme],
]);

/** [CH-2] Reads a scheme id byte and returns its scheme; an id with no scheme is `BadEnum`. */
export const readChameleonScheme = (r: Reader, title = "chameleon scheme id"): ChameleonScheme => {
  const at = r.position;
  const id = r.u8(title);
  const scheme = CHAMELEON_SCHEMES.get(id);
  return scheme ?? r.fail("BadEnum", `${title}: ${id} names no scheme`, at);
};

/** [CH-2] The scheme with id `id`; any other number (not a registered byte) is `BadEnum`. */
export const chameleonSchemeById = (id: number): Result.Result<ChameleonScheme, DecodeError> => {
  const scheme = CHAMELEON_SCHEMES.get(id);
  return scheme === undefined
    ? Result.fail(
        new DecodeError({ offset: 0, reason: "BadEnum", detail: `chameleon scheme id: ${id} names no scheme` }),
      )
    : Result.succeed(scheme);
};
