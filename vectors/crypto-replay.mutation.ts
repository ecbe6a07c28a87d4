/**
 * For mutation testing only (vitest.mutation.config.ts; `npm test` does this and more in
 * vectors/runner.test.ts): replays the committed vector files of the codec and crypto families without
 * importing the ledger, consensus and reputation families, so that a mutant's test run stays short.
 * @module
 */
import { describe } from "vitest";
import { chameleonFamily } from "./gen/chameleon.js";
import { codecFamily } from "./gen/codec.js";
import { merkleFamily } from "./gen/merkle.js";
import { signatureFamily } from "./gen/signature.js";
import { umbralFamily } from "./gen/umbral.js";
import { replayFamilies } from "./replay.js";

describe("crypto vector replay (mutation runs)", () =>
  replayFamilies([codecFamily, chameleonFamily, merkleFamily, signatureFamily, umbralFamily]));
