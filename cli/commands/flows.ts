/**
 * `spchain flows` (`npm run flows`): the paper's flows (Setup, Register, Upload's three cases, Label, Share,
 * Retrieval) on a small chain built from records of data/nursery.data, printing every block and every check
 * (src/ehealth/flows.ts). Deterministic for a given `--seed`. Exits 1 if any check fails.
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Effect, Layer } from "effect";
import { utf8ToBytes } from "../../src/crypto/bytes.js";
import { Randomness } from "../../src/crypto/random.js";
import { Crypto } from "../../src/crypto/signature.js";
import { runPaperFlows } from "../../src/ehealth/flows.js";
import { type Command, flag } from "../command.js";

const DEFAULT_DATA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data", "nursery.data");
/** Records picked from the data set, spread over it (the flows need six). */
const PICKS = [0, 2161, 4322, 6483, 8644, 10805];

/** A light scrypt for the demo's identity commitments (TX-3: deployment configuration). */
const DEMO_IDENTITY = { N: 2 ** 14, r: 8, p: 1 };

export const flowsCommand: Command = {
  name: "flows",
  summary: "run the paper's flows (register, upload, label, share, retrieve) on a small chain",
  usage: [
    "usage: spchain flows [--seed TEXT] [--data FILE]",
    "",
    "Runs SPChain's Setup, Register, Upload (three cases), Label, Share and Retrieval on four institutions and",
    "three patients whose EMRs are records of the Nursery data set expanded to 32 KB, printing each block and",
    "each check. --seed (default spchain-npm-start) fixes every random value; --data picks another data file.",
  ].join("\n"),
  run: async (args) => {
    const seed = flag(args, "seed", "spchain-npm-start");
    const data = flag(args, "data", DEFAULT_DATA);
    const lines = readFileSync(data, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "");
    if (lines.length === 0) {
      console.error(`no records in ${data}`);
      return 2;
    }
    const records = PICKS.map((i) => lines[i % lines.length] as string);
    const layer = Layer.mergeAll(Crypto.noble, Randomness.seeded(utf8ToBytes(seed)));
    const summary = await Effect.runPromise(
      Effect.provide(
        runPaperFlows({ records, log: (line) => console.log(line), identityParams: DEMO_IDENTITY }),
        layer,
      ),
    );
    if (summary.failed.length > 0) {
      console.error(`failed checks:\n${summary.failed.join("\n")}`);
      return 1;
    }
    return 0;
  },
};
