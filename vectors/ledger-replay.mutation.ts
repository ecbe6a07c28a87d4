/**
 * For mutation testing only (vitest.mutation.ledger.config.ts; `npm test` does this and more in
 * vectors/runner.test.ts): replays the committed ledger codec and transition vectors without importing
 * the other families, so that a mutant's test run stays short.
 * @module
 */
import { describe } from "vitest";
import { ledgerTransitionFamily } from "./gen/ledger.js";
import { ledgerCodecFamily } from "./gen/ledger-codec.js";
import { replayFamilies } from "./replay.js";

describe("ledger vector replay (mutation runs)", () => replayFamilies([ledgerCodecFamily, ledgerTransitionFamily]));
