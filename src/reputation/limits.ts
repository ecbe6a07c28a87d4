/**
 * Input bounds of the reputation functions (spec/reputation.md, [REP-1]): heights fit in u32 and counts
 * stay below 2^48, so every count is an exact binary64 and every exact aggregate stays far below 2^1023.
 * @module
 */
import { Result } from "effect";
import { ReputationInputError } from "./errors.js";

export const MAX_HEIGHT = 0xffff_ffff;
export const MAX_COUNT = 2 ** 48;
export const KEY_BYTES = 32;

export const isCount = (value: number, max = MAX_COUNT): boolean =>
  Number.isSafeInteger(value) && value >= 0 && value <= max;

export const countError = (what: string, value: number, max = MAX_COUNT) =>
  new ReputationInputError({
    reason: "CountOutOfRange",
    detail: `${what} must be an integer in [0, ${max}]: ${value}`,
  });

export const checkKey = (key: Uint8Array, what: string): Result.Result<Uint8Array, ReputationInputError> =>
  key instanceof Uint8Array && key.length === KEY_BYTES
    ? Result.succeed(key)
    : Result.fail(new ReputationInputError({ reason: "BadKey", detail: `${what} must be a 32-byte key` }));
