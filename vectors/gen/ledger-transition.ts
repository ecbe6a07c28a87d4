/**
 * Ledger transition vectors (spec/chain.md [CHAIN-12]; spec/vectors.md VEC-3..VEC-5): one file per
 * handler under vectors/ledger/transition/, in the pre / steps / post form of consensus-spec-tests. Objects
 * (configuration, keyblocks, pins, microblocks, batches, group snapshots) are stored once per file by the
 * SHA-256 of their encoding and referenced by it. A case starts from the genesis of its configuration, applies
 * its `pre` steps (all valid), then its `steps`, each with `valid` and, when invalid, the canonical error code
 * (`expect_error`, and `expect_reason` for errors that carry one); `post` summarizes the state after the
 * last step. `check` replays every case against the implementation, with both `Crypto` implementations.
 * @module
 */
import { Result } from "effect";
import { decodeWith } from "../../src/codec/index.js";
import { decodePinCertificate } from "../../src/consensus/certificate.js";
import { bytesToHex, hexToBytes } from "../../src/crypto/bytes.js";
import { sha256 } from "../../src/crypto/hash.js";
import { type CryptoShape, nobleCrypto } from "../../src/crypto/signature.js";
import { applyBatchWith } from "../../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../../src/ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../../src/ledger/apply-microblock.js";
import { decodeBatch } from "../../src/ledger/batch.js";
import { decodeConfig } from "../../src/ledger/config.js";
import { decodeKeyblock } from "../../src/ledger/keyblock.js";
import { decodeMicroblock } from "../../src/ledger/microblock.js";
import { history } from "../../src/ledger/retrieval.js";
import { type ChainState, genesisState, tip } from "../../src/ledger/state.js";
import { nodeCrypto } from "../../src/node.js";
import type { GroupSnapshot } from "../../src/reputation/quorum.js";
import { arr, bool, documentSchema, hex, int, type JsonSchema, lit, obj, record, str } from "../json-schema.js";

export const TRANSITION_DIR = "ledger/transition/";
export const TRANSITION_SCHEMA = "ledger_transition_schema.json";
export const TRANSITION_FORMAT = "spchain-ledger-transition/1";

export const OBJECT_TYPES = ["config", "keyblock", "pin", "microblock", "batch", "group"] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
export const OPS = ["apply_keyblock", "apply_keyblock_pin", "apply_microblock", "apply_batch"] as const;
export type Op = (typeof OPS)[number];

export interface ObjectJson {
  readonly type: ObjectType;
  readonly encoded: string;
}

export interface StepJson {
  readonly op: Op;
  /** The keyblock, pin, microblock or batch, by reference. */
  readonly object: string;
  /** The group snapshot of the epoch (pins and batches). */
  readonly group?: string;
  /** The round leader's key (microblocks). */
  readonly leader?: string;
  readonly valid: boolean;
  readonly expect_error?: string;
  readonly expect_reason?: string;
}

export interface PostJson {
  readonly tip_height: number;
  readonly tip_id: string;
  readonly candidates: number;
  readonly patients: number;
  readonly microblocks: number;
  readonly batches: number;
  readonly records: number;
  readonly histories: readonly {
    readonly number: number;
    readonly records: readonly {
      readonly id: string;
      readonly institution: number;
      readonly corrections: readonly string[];
    }[];
  }[];
}

export interface CaseJson {
  readonly name: string;
  readonly description: string;
  readonly pre: { readonly config: string; readonly steps: readonly StepJson[] };
  readonly steps: readonly StepJson[];
  readonly post: PostJson;
}

export interface TransitionFile {
  readonly schema: string;
  readonly format: string;
  readonly handler: string;
  readonly description: string;
  readonly header: readonly string[];
  readonly objects: Readonly<Record<string, ObjectJson>>;
  readonly cases: readonly CaseJson[];
}

/** The file-level content address of an object: plain SHA-256 of its encoding (not a protocol hash). */
export const objectRef = (encoded: Uint8Array): string => bytesToHex(sha256(encoded));

/** Group snapshots in vectors: u16 n ‖ (key(32) ‖ u64 reputation)^n, members in rank order. */
export const encodeGroup = (group: GroupSnapshot): Uint8Array => {
  const out = new Uint8Array(2 + 40 * group.members.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, group.members.length);
  for (const [i, member] of group.members.entries()) {
    out.set(member.key, 2 + 40 * i);
    view.setBigUint64(2 + 40 * i + 32, member.reputation);
  }
  return out;
};

const decodeGroup = (bytes: Uint8Array): GroupSnapshot =>
  Result.getOrThrow(
    decodeWith(bytes, (r) => {
      const n = r.u16("group size");
      const members = [];
      for (let i = 0; i < n; i++) members.push({ key: r.fixed(32, "member key"), reputation: r.u64("reputation") });
      return { members };
    }),
  );

export type Outcome =
  | { readonly valid: true; readonly state: ChainState }
  | { readonly valid: false; readonly error: string; readonly reason: string | undefined };

type Failure = { readonly _tag: string; readonly reason?: string };
const fromResult = (r: Result.Result<ChainState, Failure>): Outcome =>
  Result.isSuccess(r)
    ? { valid: true, state: r.success }
    : { valid: false, error: r.failure._tag, reason: r.failure.reason };

/** Runs one step on `state` from the file's objects: decoding is part of the step (a malformed object is DecodeError). */
export const runStep = (
  crypto: CryptoShape,
  state: ChainState,
  step: StepJson,
  objects: Readonly<Record<string, ObjectJson>>,
): Outcome => {
  const bytesOf = (ref: string | undefined): Uint8Array => {
    const object = ref === undefined ? undefined : objects[ref];
    if (object === undefined) throw new Error(`missing object ${ref}`);
    return hexToBytes(object.encoded);
  };
  const groupOf = () => decodeGroup(bytesOf(step.group));
  switch (step.op) {
    case "apply_keyblock":
      return fromResult(
        Result.flatMap(decodeKeyblock(bytesOf(step.object)), (kb) => applyKeyblockWith(crypto, state, kb)),
      );
    case "apply_keyblock_pin":
      return fromResult(
        Result.flatMap(decodePinCertificate(bytesOf(step.object)), (pin) =>
          applyKeyblockPinWith(crypto, state, pin, groupOf()),
        ),
      );
    case "apply_microblock":
      return fromResult(
        Result.flatMap(decodeMicroblock(bytesOf(step.object)), (mb) =>
          applyMicroblockWith(crypto, state, mb, hexToBytes(step.leader ?? "")),
        ),
      );
    case "apply_batch":
      return fromResult(
        Result.flatMap(decodeBatch(bytesOf(step.object)), (b) => applyBatchWith(crypto, state, b, groupOf())),
      );
  }
};

/** [RET-2] The post summary of a state. */
export const summarize = (state: ChainState): PostJson => {
  let microblocks = 0;
  const histories: PostJson["histories"][number][] = [];
  for (const slot of state.patients) {
    if (slot.header !== undefined) microblocks += 1;
    const items = Result.getOrThrow(history(state, slot.number));
    if (items.length === 0) continue;
    histories.push({
      number: slot.number,
      records: items.map((item) => ({
        id: bytesToHex(item.id),
        institution: item.institution,
        corrections: item.corrections.map((c) => bytesToHex(c.id)),
      })),
    });
  }
  let records = 0;
  for (const batch of state.batches) records += batch.transactions.length;
  const top = tip(state);
  return {
    tip_height: top.height,
    tip_id: bytesToHex(top.id),
    candidates: state.candidates.length,
    patients: state.patients.size,
    microblocks,
    batches: state.batches.size,
    records,
    histories,
  };
};

const genesisCache = new Map<string, ChainState>();

/** The genesis state of a case's configuration (states are immutable, so one per configuration is shared). */
export const genesisOf = (objects: Readonly<Record<string, ObjectJson>>, ref: string): ChainState => {
  const object = objects[ref];
  if (object === undefined || object.type !== "config") throw new Error(`missing config ${ref}`);
  const cached = genesisCache.get(object.encoded);
  if (cached !== undefined) return cached;
  const state = Result.getOrThrow(Result.flatMap(decodeConfig(hexToBytes(object.encoded)), genesisState));
  genesisCache.set(object.encoded, state);
  return state;
};

const preCache = new Map<string, ChainState>();

/**
 * The state after a case's `pre` steps, which must all be valid. Cases of a file share their prefixes, and the
 * transitions are pure, so the state is computed once per (implementation, objects, prefix).
 */
const preState = (crypto: CryptoShape, file: TransitionFile, c: CaseJson): ChainState => {
  const steps = c.pre.steps.map((step) => ({ ...step, object: file.objects[step.object]?.encoded }));
  const key = `${crypto.implementation}|${file.objects[c.pre.config]?.encoded}|${JSON.stringify(steps)}`;
  const cached = preCache.get(key);
  if (cached !== undefined) return cached;
  let state = genesisOf(file.objects, c.pre.config);
  for (const [i, step] of c.pre.steps.entries()) {
    const out = runStep(crypto, state, step, file.objects);
    if (!out.valid) throw new Error(`pre step ${i} (${step.op}) rejected: ${describeOutcome(out)}`);
    state = out.state;
  }
  preCache.set(key, state);
  return state;
};

const describeOutcome = (o: Outcome | { valid: boolean; expect_error?: string; expect_reason?: string }): string =>
  "state" in o
    ? "valid"
    : "error" in o
      ? `${o.error}${o.reason === undefined ? "" : `:${o.reason}`}`
      : o.valid
        ? "valid"
        : `${o.expect_error}${o.expect_reason === undefined ? "" : `:${o.expect_reason}`}`;

/** Replays a case; throws with the first difference. */
export const replayCase = (crypto: CryptoShape, file: TransitionFile, c: CaseJson): void => {
  let state = preState(crypto, file, c);
  for (const [i, step] of c.steps.entries()) {
    const out = runStep(crypto, state, step, file.objects);
    const want = describeOutcome(step);
    const got = describeOutcome(out);
    if (want !== got) throw new Error(`step ${i} (${step.op}): expected ${want}, got ${got}`);
    if (out.valid) state = out.state;
  }
  const post = JSON.stringify(summarize(state));
  if (post !== JSON.stringify(c.post)) throw new Error(`post differs: ${post}`);
};

/** [CHAIN-3] The implementations every case is replayed with (SIG-7: they must agree). */
export const CHECK_CRYPTO: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];

const REF = hex(32);
const STEP = obj({
  op: lit(...OPS),
  object: REF,
  "group?": REF,
  "leader?": hex(32),
  valid: bool(),
  "expect_error?": str(),
  "expect_reason?": str(),
});
const HISTORY = obj({
  number: int(),
  records: arr(obj({ id: hex(32), institution: int(), corrections: arr(hex(32)) })),
});

/** [VEC-4] The closed schema of a transition file. */
export const transitionSchema: JsonSchema = documentSchema(
  TRANSITION_SCHEMA,
  "SPChain ledger transition vectors: pre / steps / post, objects stored once by hash (spec/chain.md).",
  obj({
    schema: lit(TRANSITION_SCHEMA),
    format: lit(TRANSITION_FORMAT),
    handler: str(),
    description: str(),
    header: arr(str()),
    objects: record(obj({ type: lit(...OBJECT_TYPES), encoded: hex() })),
    cases: arr(
      obj({
        name: str(),
        description: str(),
        pre: obj({ config: REF, steps: arr(STEP) }),
        steps: arr(STEP, 1),
        post: obj({
          tip_height: int(),
          tip_id: hex(32),
          candidates: int(),
          patients: int(),
          microblocks: int(),
          batches: int(),
          records: int(),
          histories: arr(HISTORY),
        }),
      }),
      1,
    ),
  }),
);
