/**
 * Every rejection of the committed ledger transition vectors (spec/chain.md [CHAIN-12]) replayed for its
 * error object, not only its tag: the tag is the vector's, and the error carries a detail sentence for
 * people (src/ledger/errors.ts: "Every error has a `detail` sentence"). vectors/runner.test.ts checks the
 * tags and post states; this adds what the vector format leaves out. Found by mutation testing (issue 3):
 * every error constructor of the transitions could lose its detail unnoticed.
 */
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { decodePinCertificate } from "../src/consensus/certificate.js";
import { hexToBytes } from "../src/crypto/bytes.js";
import { applyBatchWith } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../src/ledger/apply-microblock.js";
import { decodeBatch } from "../src/ledger/batch.js";
import { decodeKeyblock } from "../src/ledger/keyblock.js";
import { decodeMicroblock } from "../src/ledger/microblock.js";
import type { ChainState } from "../src/ledger/state.js";
import { nodeCrypto } from "../src/node.js";
import type { GroupSnapshot } from "../src/reputation/quorum.js";
import {
  encodeGroup,
  genesisOf,
  runStep,
  type StepJson,
  TRANSITION_DIR,
  type TransitionFile,
} from "../vectors/gen/ledger-transition.js";
import { listDataFiles, readJson, VECTORS_DIR } from "../vectors/io.js";

const crypto = nodeCrypto;
type Failure = { readonly _tag: string; readonly detail?: unknown };

/** A detail sentence: some word characters. */
const hasSentence = (failure: Failure | undefined): boolean =>
  typeof failure?.detail === "string" && /\w/.test(failure.detail);

/** A group snapshot of the vector format (u16 n, then n times key(32) and u64 reputation), read back for a step. */
const readGroup = (bytes: Uint8Array): GroupSnapshot => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const members = Array.from({ length: view.getUint16(0) }, (_, i) => ({
    key: bytes.slice(2 + 40 * i, 34 + 40 * i),
    reputation: view.getBigUint64(34 + 40 * i),
  }));
  const group = { members };
  expect(encodeGroup(group)).toEqual(bytes);
  return group;
};

/** The step's error object (vectors/gen/ledger-transition.ts's runStep keeps only its tag and reason). */
const failureOf = (state: ChainState, step: StepJson, file: TransitionFile): Failure | undefined => {
  const bytes = (ref: string | undefined) => hexToBytes(file.objects[ref ?? ""]?.encoded ?? "");
  const group = () => readGroup(bytes(step.group));
  const result: Result.Result<ChainState, Failure> = (() => {
    switch (step.op) {
      case "apply_keyblock":
        return Result.flatMap(decodeKeyblock(bytes(step.object)), (kb) => applyKeyblockWith(crypto, state, kb));
      case "apply_keyblock_pin":
        return Result.flatMap(decodePinCertificate(bytes(step.object)), (pin) =>
          applyKeyblockPinWith(crypto, state, pin, group()),
        );
      case "apply_microblock":
        return Result.flatMap(decodeMicroblock(bytes(step.object)), (mb) =>
          applyMicroblockWith(crypto, state, mb, hexToBytes(step.leader ?? "")),
        );
      case "apply_batch":
        return Result.flatMap(decodeBatch(bytes(step.object)), (b) => applyBatchWith(crypto, state, b, group()));
    }
  })();
  return Result.isFailure(result) ? result.failure : undefined;
};

describe("ledger transition vectors: every rejection's error object", () => {
  it("[CHAIN-12] [CHAIN-3] each invalid step fails with the vector's tag and a detail sentence", () => {
    const files = listDataFiles(VECTORS_DIR).filter((path) => path.startsWith(TRANSITION_DIR));
    expect(files.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    /** The state after a case's pre steps: cases of a file share them, and states are immutable. */
    const pre = new Map<string, ChainState>();
    for (const path of files) {
      const file = readJson(VECTORS_DIR, path) as TransitionFile;
      for (const c of file.cases) {
        const preKey = `${path}|${c.pre.config}|${c.pre.steps.map((step) => step.object).join()}`;
        let state = pre.get(preKey) ?? genesisOf(file.objects, c.pre.config);
        const steps = pre.has(preKey) ? c.steps : [...c.pre.steps, ...c.steps];
        for (const [i, step] of steps.entries()) {
          if (i === steps.length - c.steps.length) pre.set(preKey, state);
          if (!step.valid) {
            const failure = failureOf(state, step, file);
            const where = `${path} ${c.name} ${step.op}`;
            expect(failure?._tag, where).toBe(step.expect_error);
            expect(hasSentence(failure), `${where}: ${String(failure?.detail)}`).toBe(true);
            seen.add(step.expect_error ?? "");
            continue;
          }
          const out = runStep(crypto, state, step, file.objects);
          if (!out.valid) throw new Error(`${path} ${c.name}: a valid step was rejected with ${out.error}`);
          state = out.state;
        }
      }
    }
    expect(seen.size).toBeGreaterThan(30);
  });

  it("[CHAIN-12] negative control: an error without a detail, or with an empty one, is caught", () => {
    expect(hasSentence({ _tag: "RoundTooOld" })).toBe(false);
    expect(hasSentence({ _tag: "RoundTooOld", detail: "" })).toBe(false);
    expect(hasSentence(undefined)).toBe(false);
  });
});
