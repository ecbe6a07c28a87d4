/**
 * Reputation vectors (spec/reputation.md [REP-15]): one file per function under vectors/reputation/,
 * each `{schema, function, description, cases: [{id, comment, input, output | error}]}`. Binary64
 * values travel as their IEEE-754 bit patterns (normative) with a decimal for people; fixed-point
 * values and amounts as decimal strings. The checker recomputes every output from the input.
 * Covers R1, R2, R, the sigmoid, event histories (incremental and from scratch), the group, the quorum,
 * the leader draw, Algorithm 2 batching, rewards and proofs of fraud ([GRP-1]..[GRP-4], [BAT-2]..[BAT-4],
 * [RWD-1]..[RWD-3], [REP-11]).
 * @module
 */
import { Result } from "effect";
import { bytesToHex, concatBytes, hexToBytes } from "../../src/crypto/bytes.js";
import { seededSource } from "../../src/crypto/random.js";
import { nobleCrypto } from "../../src/crypto/signature.js";
import {
  checkProposal,
  formBatch,
  type InstitutionQueue,
  paperLiteralQuota,
  quota,
} from "../../src/reputation/batching.js";
import type { ReputationEvent } from "../../src/reputation/events.js";
import {
  decodeFraudProof,
  encodeFraudProof,
  type FraudProof,
  fraudProofId,
  prefixSlot,
  type Verify,
  verifyFraudProof,
} from "../../src/reputation/fraud.js";
import {
  type Candidate,
  type GroupRule,
  leaderIndex,
  leaderSeedMessage,
  selectGroup,
  verifyLeaderSeed,
} from "../../src/reputation/group.js";
import { binary64FromHex, binary64ToHex, toFixed } from "../../src/reputation/numeric.js";
import { makeReputationConfig, PRESETS, type ReputationConfig } from "../../src/reputation/params.js";
import { faultBound, isQuorum, quorumCount, REPUTATION_SCALE, tallyQuorum } from "../../src/reputation/quorum.js";
import { r1 } from "../../src/reputation/r1.js";
import { r2 } from "../../src/reputation/r2.js";
import { replayReputation } from "../../src/reputation/replay.js";
import { combinedValue } from "../../src/reputation/reputation.js";
import {
  checkFee,
  type FeeSchedule,
  keyblockPayout,
  minerItemCount,
  splitEpochFees,
  splitOffset,
  type TransactionKind,
} from "../../src/reputation/rewards.js";
import type { ShareTerm } from "../../src/reputation/share.js";
import { sigmoid, sigmoidTerm } from "../../src/reputation/sigmoid.js";
import { applyEvents, evaluate, type InstitutionReputation, initialState } from "../../src/reputation/state.js";
import { type CheckReport, expect, runCases, type VectorFamily, type VectorFile } from "../family.js";
import {
  arr,
  bool,
  documentSchema,
  hex,
  int,
  type JsonSchema,
  lit,
  nullable,
  obj,
  oneOf,
  str,
} from "../json-schema.js";

// biome-ignore lint/suspicious/noExplicitAny: vector inputs are JSON checked against the schema first
type Json = any;
type Outcome = { readonly output: Json } | { readonly error: { readonly tag: string; readonly reason: string } };
interface Case {
  readonly id: string;
  readonly comment: string;
  readonly input: Json;
}

/** A seeded source of small integers and bytes for the random cases. */
const draws = (seed: Uint8Array) => {
  const source = seededSource(seed);
  return {
    int: (bound: number): number => new DataView(source.bytes(4).buffer).getUint32(0) % bound,
    bytes: (n: number): Uint8Array => source.bytes(n),
  };
};
type Draw = ReturnType<typeof draws>;

// ---- JSON conventions ([REP-15]) -------------------------------------------------------------------

const DECIMAL = { type: "string", pattern: "^(0|-?[1-9][0-9]*)$" } as const;
const F64 = obj({ bits: hex(8), decimal: str() });
const KEY = hex(32);
const ERROR = obj({ tag: str(), reason: str() });
const f64 = (value: number) => ({ bits: binary64ToHex(value), decimal: String(value) });
const readF64 = (json: Json): number => binary64FromHex(json.bits);
const key = (bytes: Uint8Array) => bytesToHex(bytes);
const failure = (error: { readonly _tag: string; readonly reason: string }): Outcome => ({
  error: { tag: error._tag, reason: error.reason },
});
const outcome = <A, E extends { readonly _tag: string; readonly reason: string }>(
  result: Result.Result<A, E>,
  render: (a: A) => Json,
): Outcome => (Result.isSuccess(result) ? { output: render(result.success) } : failure(result.failure));

const CONFIG = obj({
  a: int(),
  lambda: int(1),
  chunkSize: int(1),
  r2Reading: lit("resolved", "literal"),
  zeroWhenInactive: bool(),
});
const configJson = (c: ReputationConfig) => ({
  a: c.sigmoid.a,
  lambda: c.sigmoid.lambda,
  chunkSize: c.chunkSize,
  r2Reading: c.r2Reading,
  zeroWhenInactive: c.zeroWhenInactive,
});
const readConfig = (json: Json): ReputationConfig => Result.getOrThrow(makeReputationConfig(json));
const cfg = (input: Parameters<typeof makeReputationConfig>[0]) =>
  configJson(Result.getOrThrow(makeReputationConfig(input)));
const termJson = (t: ShareTerm) => ({ mean: f64(t.mean), spread: f64(t.spread), term: f64(t.term) });
const TERM = obj({ mean: F64, spread: F64, term: F64 });

/** One function's vectors: schemas, the computation and the cases. */
interface FunctionVectors {
  readonly name: string;
  readonly description: string;
  readonly input: JsonSchema;
  readonly output: JsonSchema;
  readonly compute: (input: Json) => Outcome;
  readonly cases: (draw: Draw) => Case[];
}

// ---- sigmoid ([REP-4]) -------------------------------------------------------------------------------

const sigmoidVectors: FunctionVectors = {
  name: "sigmoid",
  description: "f(x) = 0.5 (1 + (x - a)/(lambda + |x - a|)) and the term with zeroWhenInactive (REP-4)",
  input: obj({ x: F64, a: int(), lambda: int(1), zeroWhenInactive: bool() }),
  output: obj({ f: F64, term: F64 }),
  compute: (input) => {
    const config = readConfig({ a: input.a, lambda: input.lambda, zeroWhenInactive: input.zeroWhenInactive });
    const x = readF64(input.x);
    return { output: { f: f64(sigmoid(x, config.sigmoid)), term: f64(sigmoidTerm(x, config)) } };
  },
  cases: (draw) => {
    const at = (id: string, comment: string, x: number, a: number, lambda: number, zeroWhenInactive = false): Case => ({
      id,
      comment,
      input: { x: f64(x), a, lambda, zeroWhenInactive },
    });
    const { spchain } = PRESETS;
    return [
      at(
        "floor-spchain",
        "f(0) = lambda / (2 (lambda + a)) = 0.4: the floor of an inactive institution (A8)",
        0,
        spchain.a,
        spchain.lambda,
      ),
      at("floor-printed", "RepuCoin as printed: f(0) = 5/12", 0, 10000, 50000),
      at("floor-calibrated", "RepuCoin calibrated: f(0) = 1/6", 0, 10000, 5000),
      at("inactive-zeroed", "zeroWhenInactive: the term is 0 at x = 0 (A8)", 0, spchain.a, spchain.lambda, true),
      at("active-not-zeroed", "zeroWhenInactive changes nothing for x > 0", 1, spchain.a, spchain.lambda, true),
      at("inflection", "f(a) = 1/2", 5000, spchain.a, spchain.lambda),
      at("saturated", "x far above a: the quotient rounds to 1", 1e300, spchain.a, spchain.lambda),
      at("fraction", "a non-integer x", 1234.5678, spchain.a, spchain.lambda),
      ...Array.from({ length: 6 }, (_, i) =>
        at(`random-${i}`, "random x, a, lambda", draw.int(2_000_000) / 7, draw.int(20000), 1 + draw.int(60000)),
      ),
    ];
  },
};

// ---- R1 ([REP-5] [REP-6] [REP-7]) --------------------------------------------------------------------

const r1Vectors: FunctionVectors = {
  name: "r1",
  description: "R1, RepuCoin's reputation, from per-chunk keyblock counts and leader terms (REP-5..REP-7)",
  input: obj({
    config: CONFIG,
    length: int(),
    chunks: arr(int()),
    leaderships: arr(obj({ created: int(), expected: int() })),
    honest: bool(),
    ext: DECIMAL,
  }),
  output: obj({ meanK: F64, spreadK: F64, y1: F64, y2: F64, x: F64, r1: F64, r1Fixed: DECIMAL }),
  compute: (input) =>
    outcome(r1({ ...input, ext: BigInt(input.ext) }, readConfig(input.config)), (s) => ({
      meanK: f64(s.keyblocks.mean),
      spreadK: f64(s.keyblocks.spread),
      y1: f64(s.keyblocks.term),
      y2: f64(s.leader),
      x: f64(s.x),
      r1: f64(s.value),
      r1Fixed: String(s.fixed),
    })),
  cases: (draw) => {
    const spchain = cfg({});
    const c = (id: string, comment: string, input: Json): Case => ({ id, comment, input });
    const base = { config: spchain, leaderships: [], honest: true, ext: "0" };
    const random = Array.from({ length: 8 }, (_, i) => {
      const chunkSize = 1 + draw.int(6);
      const length = draw.int(40);
      const chunks = Array.from({ length: Math.ceil(length / chunkSize) }, (_, j) =>
        draw.int(Math.min(chunkSize, length - j * chunkSize) + 1),
      );
      const leaderships = Array.from({ length: draw.int(4) }, () => {
        const expected = draw.int(5);
        return { created: draw.int(expected + 1), expected };
      });
      const config = cfg({ a: draw.int(30), lambda: 1 + draw.int(40), chunkSize });
      return c(`random-${i}`, "random profile, small (a, lambda)", {
        config,
        length,
        chunks,
        leaderships,
        honest: true,
        ext: "0",
      });
    });
    return [
      c("empty-chain", "L = 0: 0/0 := 0, so mean = spread = x = 0 and R1 = f(0) (A7, A8)", {
        ...base,
        length: 0,
        chunks: [],
      }),
      c("empty-chain-zeroed", "L = 0 with zeroWhenInactive: R1 = 0", {
        ...base,
        config: cfg({ zeroWhenInactive: true }),
        length: 0,
        chunks: [],
      }),
      c("two-chunks", "c = 2, k = (2, 0): mean 1/2, chunk values 1 and 0, s_k = 1/2, y1 = 1/3", {
        ...base,
        config: cfg({ a: 2, lambda: 3, chunkSize: 2 }),
        length: 4,
        chunks: [2, 0],
      }),
      c("partial-chunk", "a partial last chunk is still divided by c (RepuCoin's k_i/c)", {
        ...base,
        config: cfg({ chunkSize: 4 }),
        length: 6,
        chunks: [4, 2],
      }),
      c("steady-day", "a 17 % miner over one day at c = 144: 24 keyblocks", { ...base, length: 144, chunks: [24] }),
      c("leader-terms", "fills 1 and 1/2, and a term with nothing to do (skipped): y2 = 0.75/1.25", {
        ...base,
        config: cfg({ chunkSize: 1 }),
        length: 2,
        chunks: [1, 0],
        leaderships: [
          { created: 2, expected: 2 },
          { created: 1, expected: 2 },
          { created: 0, expected: 0 },
        ],
      }),
      c("dishonest", "H = 0 gives R1 = 0 whatever the history (A10)", {
        ...base,
        length: 1,
        chunks: [1],
        honest: false,
        ext: "500000000",
      }),
      c("ext-capped", "Ext + f(x) above 1 is capped at 1 (A9)", { ...base, length: 0, chunks: [], ext: "700000000" }),
      ...random,
      c("chunk-count", "3 keyblocks at c = 2 make 2 chunks, not 1", {
        ...base,
        config: cfg({ chunkSize: 2 }),
        length: 3,
        chunks: [1],
      }),
      c("overfull", "the last chunk holds 1 keyblock", {
        ...base,
        config: cfg({ chunkSize: 2 }),
        length: 3,
        chunks: [2, 2],
      }),
      c("created-over-expected", "a leader cannot create more microblocks than register transactions", {
        ...base,
        length: 1,
        chunks: [1],
        leaderships: [{ created: 2, expected: 1 }],
      }),
      c("ext-range", "Ext above 1.0", { ...base, length: 0, chunks: [], ext: "1000000001" }),
    ];
  },
};

// ---- R2 ([REP-8] [REP-9]) ----------------------------------------------------------------------------

const COUNTS = obj({ own: arr(int()), all: arr(int()) });
const r2Vectors: FunctionVectors = {
  name: "r2",
  description: "R2, SPChain Algorithm 1, in the resolved and the paper-literal readings (REP-8, REP-9)",
  input: obj({ config: CONFIG, length: int(), registers: COUNTS, records: COUNTS, honest: bool() }),
  output: obj({ q1: TERM, q2: TERM, x: F64, r2: F64, r2Fixed: DECIMAL }),
  compute: (input) =>
    outcome(r2(input, readConfig(input.config)), (s) => ({
      q1: termJson(s.registers),
      q2: termJson(s.records),
      x: f64(s.x),
      r2: f64(s.value),
      r2Fixed: String(s.fixed),
    })),
  cases: (draw) => {
    const c = (id: string, comment: string, input: Json): Case => ({ id, comment, input });
    const example = {
      length: 4,
      registers: { own: [1, 0], all: [4, 3] },
      records: { own: [2, 1], all: [4, 1] },
      honest: true,
    };
    const random = Array.from({ length: 8 }, (_, i) => {
      const chunkSize = 1 + draw.int(5);
      const length = draw.int(30);
      const l = Math.ceil(length / chunkSize);
      const counts = () => {
        const own = Array.from({ length: l }, () => draw.int(6));
        return { own, all: own.map((o) => o + draw.int(6)) };
      };
      const reading = i % 2 === 0 ? "resolved" : "literal";
      return c(`random-${i}-${reading}`, `random counts, ${reading} reading`, {
        config: cfg({ a: draw.int(8), lambda: 1 + draw.int(10), chunkSize, r2Reading: reading }),
        length,
        registers: counts(),
        records: counts(),
        honest: true,
      });
    });
    return [
      c("resolved", "per-chunk shares TR_i/N_i (1/4, 0) and TML_i/T_i (1/2, 1) (A2)", {
        ...example,
        config: cfg({ a: 0, lambda: 1, chunkSize: 2 }),
      }),
      c("literal", "the same counts read literally: TR_i/c and T = all transactions (A2, A4)", {
        ...example,
        config: cfg({ a: 0, lambda: 1, chunkSize: 2, r2Reading: "literal" }),
      }),
      c("no-transactions", "N = T = 0: 0/0 := 0 and R2 = f(0) (A7)", {
        config: cfg({ chunkSize: 3 }),
        length: 5,
        registers: { own: [0, 0], all: [0, 0] },
        records: { own: [0, 0], all: [0, 0] },
        honest: true,
      }),
      c("empty-chain", "L = 0: no chunks, R2 = f(0)", {
        config: cfg({}),
        length: 0,
        registers: { own: [], all: [] },
        records: { own: [], all: [] },
        honest: true,
      }),
      c("dishonest", "H = 0 gives R2 = 0", { ...example, config: cfg({ chunkSize: 2 }), honest: false }),
      ...random,
      c("own-over-all", "an institution cannot receive more than everybody", {
        ...example,
        config: cfg({ chunkSize: 2 }),
        registers: { own: [5, 0], all: [4, 3] },
      }),
      c("chunk-mismatch", "4 keyblocks at c = 2 make 2 chunks", {
        ...example,
        config: cfg({ chunkSize: 2 }),
        records: { own: [1], all: [1] },
      }),
    ];
  },
};

// ---- R and R_fixed ([REP-10]) ------------------------------------------------------------------------

const combineVectors: FunctionVectors = {
  name: "combine",
  description: "R = (R1 + R2) / 2 and R_fixed = floor(R x 1e9) clamped to [0, 1e9] (REP-10)",
  input: obj({ r1: F64, r2: F64 }),
  output: obj({ r: F64, fixed: DECIMAL }),
  compute: (input) => {
    const value = combinedValue(readF64(input.r1), readF64(input.r2));
    return { output: { r: f64(value), fixed: String(toFixed(value)) } };
  },
  cases: (draw) => {
    const c = (id: string, comment: string, a: number, b: number): Case => ({
      id,
      comment,
      input: { r1: f64(a), r2: f64(b) },
    });
    return [
      c("floors", "both at the spchain floor 0.4", 0.4, 0.4),
      c("zero", "a dishonest identity", 0, 0),
      c("one", "both saturated: R_fixed = SCALE", 1, 1),
      c("rounding", "0.1 + 0.2 is not 0.3 in binary64; the floor sees the rounded product", 0.1, 0.2),
      c("just-below-one", "R just below 1 floors to 999999999", 1, 0.9999999999),
      c("tiny", "below one unit: R_fixed = 0", 1e-10, 0),
      ...Array.from({ length: 6 }, (_, i) =>
        c(`random-${i}`, "random R1, R2", draw.int(1 << 30) / (1 << 30), draw.int(1 << 30) / (1 << 30)),
      ),
    ];
  },
};

// ---- event histories ([REP-12] [REP-13]) -------------------------------------------------------------

const EVENT = oneOf(
  obj({ type: lit("KeyblockPinned"), height: int(1), miner: KEY, registers: arr(KEY) }),
  obj({ type: lit("RecordPinned"), epoch: int(), receiver: KEY }),
  obj({ type: lit("LeaderTerm"), epoch: int(), leader: KEY, created: int(), expected: int() }),
  obj({ type: lit("FraudRecorded"), offender: KEY }),
  obj({ type: lit("ExternalReputationSet"), institution: KEY, ext: DECIMAL }),
);

const readEvent = (json: Json): ReputationEvent => {
  switch (json.type) {
    case "KeyblockPinned":
      return {
        _tag: json.type,
        height: json.height,
        miner: hexToBytes(json.miner),
        registers: json.registers.map(hexToBytes),
      };
    case "RecordPinned":
      return { _tag: json.type, epoch: json.epoch, receiver: hexToBytes(json.receiver) };
    case "LeaderTerm":
      return {
        _tag: json.type,
        epoch: json.epoch,
        leader: hexToBytes(json.leader),
        created: json.created,
        expected: json.expected,
      };
    case "FraudRecorded":
      return { _tag: json.type, offender: hexToBytes(json.offender) };
    default:
      return { _tag: "ExternalReputationSet", institution: hexToBytes(json.institution), ext: BigInt(json.ext) };
  }
};

const institutionsJson = (list: readonly InstitutionReputation[]) =>
  list.map((i) => ({
    key: key(i.key),
    honest: i.honest,
    mined: String(i.mined),
    r1: f64(i.reputation.r1.value),
    r2: f64(i.reputation.r2.value),
    r: f64(i.reputation.value),
    fixed: String(i.reputation.fixed),
  }));

/** The i-th institution key of the event vectors. */
const inst = (i: number): string => key(concatBytes(new Uint8Array([0x1e, i]), new Uint8Array(30)));

const eventsVectors: FunctionVectors = {
  name: "events",
  description:
    "every institution's R after an event history, by the incremental state and by replay from scratch, which must agree bit for bit (REP-12, REP-13)",
  input: obj({ config: CONFIG, genesis: arr(KEY), events: arr(EVENT) }),
  output: obj({
    length: int(),
    institutions: arr(obj({ key: KEY, honest: bool(), mined: DECIMAL, r1: F64, r2: F64, r: F64, fixed: DECIMAL })),
  }),
  compute: (input) => {
    const config = readConfig(input.config);
    const genesis = input.genesis.map(hexToBytes);
    const events: ReputationEvent[] = input.events.map(readEvent);
    const scratch = replayReputation(config, events, genesis);
    let state = initialState(config, genesis);
    for (const event of events) {
      const next = applyEvents(state, [event]);
      if (Result.isFailure(next)) {
        expect(Result.isFailure(scratch), "replay accepted what the incremental state rejected");
        return failure(next.failure);
      }
      state = next.success;
    }
    if (Result.isFailure(scratch)) return failure(scratch.failure);
    const incremental = institutionsJson(evaluate(state));
    expect(
      JSON.stringify(incremental) === JSON.stringify(institutionsJson(scratch.success)),
      "incremental != from scratch",
    );
    return { output: { length: state.cursor.length, institutions: incremental } };
  },
  cases: (draw) => {
    const kb = (height: number, miner: number, registers: number[] = []) => ({
      type: "KeyblockPinned",
      height,
      miner: inst(miner),
      registers: registers.map(inst),
    });
    const rec = (epoch: number, receiver: number) => ({ type: "RecordPinned", epoch, receiver: inst(receiver) });
    const c = (id: string, comment: string, config: Json, events: Json[], genesis: number[] = []): Case => ({
      id,
      comment,
      input: { config, genesis: genesis.map(inst), events },
    });
    const scripted = [
      kb(1, 0, [1, 1, 2]),
      rec(1, 1),
      rec(1, 2),
      { type: "LeaderTerm", epoch: 1, leader: inst(3), created: 2, expected: 3 },
      kb(2, 1, [2]),
      rec(2, 2),
      kb(3, 0, []),
      { type: "LeaderTerm", epoch: 2, leader: inst(0), created: 1, expected: 1 },
      { type: "ExternalReputationSet", institution: inst(2), ext: "250000000" },
      kb(4, 2, [1]),
      rec(4, 1),
      { type: "FraudRecorded", offender: inst(3) },
    ];
    const randomHistory = (steps: number, institutions: number): Json[] => {
      const events: Json[] = [];
      let length = 0;
      let lastLeader = 0;
      for (let s = 0; s < steps; s++) {
        const r = draw.int(10);
        if (r < 4 || length === 0) {
          length += 1;
          events.push(
            kb(
              length,
              draw.int(institutions),
              Array.from({ length: draw.int(4) }, () => draw.int(institutions)),
            ),
          );
        } else if (r < 8) events.push(rec(length, draw.int(institutions)));
        else if (lastLeader < length) {
          lastLeader += 1;
          const expected = draw.int(4);
          events.push({
            type: "LeaderTerm",
            epoch: lastLeader,
            leader: inst(draw.int(institutions)),
            created: draw.int(expected + 1),
            expected,
          });
        }
      }
      return events;
    };
    const small = cfg({ a: 3, lambda: 5, chunkSize: 2 });
    return [
      c(
        "genesis-only",
        "no keyblock yet: every genesis institution has R1 = R2 = f(0) (A7, A8)",
        cfg({}),
        [],
        [0, 1, 2],
      ),
      c("scripted-resolved", "keyblocks, records, leader terms, Ext and a fraud, resolved reading", small, scripted),
      c(
        "scripted-literal",
        "the same history, paper-literal reading",
        cfg({ a: 3, lambda: 5, chunkSize: 2, r2Reading: "literal" }),
        scripted,
      ),
      c(
        "scripted-zeroed",
        "the same history with zeroWhenInactive",
        cfg({ a: 3, lambda: 5, chunkSize: 2, zeroWhenInactive: true }),
        scripted,
        [9],
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        c(
          `random-${i}`,
          "a random history",
          cfg({
            a: draw.int(20),
            lambda: 1 + draw.int(30),
            chunkSize: 1 + draw.int(5),
            r2Reading: i % 2 ? "literal" : "resolved",
          }),
          randomHistory(40 + draw.int(40), 2 + draw.int(5)),
        ),
      ),
      c("height-skip", "keyblock heights go up by one", small, [kb(1, 0), kb(3, 0)]),
      c("record-before-keyblock", "no epoch before the first keyblock", small, [rec(0, 1)]),
      c("record-stale-epoch", "a record is pinned in the current epoch", small, [kb(1, 0), kb(2, 0), rec(1, 1)]),
      c("leader-future", "a leader term for an epoch not yet pinned", small, [
        kb(1, 0),
        { type: "LeaderTerm", epoch: 2, leader: inst(1), created: 0, expected: 0 },
      ]),
      c("leader-overfill", "created above expected", small, [
        kb(1, 0),
        { type: "LeaderTerm", epoch: 1, leader: inst(1), created: 2, expected: 1 },
      ]),
    ];
  },
};

// ---- group ([GRP-1] [GRP-2] [GRP-3]) ------------------------------------------------------------------

const RULE = oneOf(
  obj({ type: lit("Size"), size: int() }),
  obj({ type: lit("PowerShare"), target: DECIMAL, minSize: int() }),
);
const readRule = (json: Json): GroupRule =>
  json.type === "Size"
    ? { _tag: "Size", size: json.size }
    : { _tag: "PowerShare", target: BigInt(json.target), minSize: json.minSize };

const groupVectors: FunctionVectors = {
  name: "group",
  description:
    "the consensus group: eligible (R > 0) by R_fixed desc, ties by H_GROUP_TIE(pk || u64be(R)), cut by size or power share (GRP-1..GRP-3)",
  input: obj({ candidates: arr(obj({ key: KEY, reputation: DECIMAL, mined: DECIMAL })), rule: RULE, length: DECIMAL }),
  output: obj({ members: arr(obj({ key: KEY, reputation: DECIMAL })), faultBound: int(), quorumCount: int() }),
  compute: (input) => {
    const candidates: Candidate[] = input.candidates.map((c: Json) => ({
      key: hexToBytes(c.key),
      reputation: BigInt(c.reputation),
      mined: BigInt(c.mined),
    }));
    return outcome(selectGroup(candidates, readRule(input.rule), BigInt(input.length)), (g) => ({
      members: g.members.map((m) => ({ key: key(m.key), reputation: String(m.reputation) })),
      faultBound: faultBound(g.members.length),
      quorumCount: quorumCount(g.members.length),
    }));
  },
  cases: (draw) => {
    const cand = (i: number, reputation: bigint, mined: number) => ({
      key: inst(i),
      reputation: String(reputation),
      mined: String(mined),
    });
    const c = (id: string, comment: string, candidates: Json[], rule: Json, length: number): Case => ({
      id,
      comment,
      input: { candidates, rule, length: String(length) },
    });
    const floors = Array.from({ length: 6 }, (_, i) => cand(i, 400_000_000n, 0));
    const pools = [17, 16, 13, 11, 6, 6, 5, 5, 4, 4, 3, 10].map((mined, i) =>
      cand(i, BigInt(900_000_000 - 50_000_000 * i), mined),
    );
    return [
      c(
        "ties-at-floor",
        "six inactive institutions tied at 0.4: the tie key alone orders them",
        floors,
        { type: "Size", size: 4 },
        0,
      ),
      c(
        "zero-excluded",
        "R = 0 (a fraud) is never seated, even when seats are free",
        [cand(1, 0n, 5), cand(2, 3n, 0)],
        { type: "Size", size: 4 },
        5,
      ),
      c(
        "power-90",
        "smallest top set with 90 % of the keyblocks",
        pools,
        { type: "PowerShare", target: "900000000", minSize: 4 },
        100,
      ),
      c(
        "power-min-size",
        "a small target is raised to minSize",
        pools,
        { type: "PowerShare", target: "100000000", minSize: 4 },
        100,
      ),
      c("power-genesis", "L = 0: minSize members", floors, { type: "PowerShare", target: "900000000", minSize: 4 }, 0),
      ...Array.from({ length: 4 }, (_, i) =>
        c(
          `random-${i}`,
          "random candidates with ties",
          Array.from({ length: 3 + draw.int(8) }, (_, j) =>
            cand(j, BigInt([0, 1, 400_000_000, 400_000_000, 999_999_999][draw.int(5)] ?? 0), draw.int(10)),
          ),
          { type: "Size", size: 1 + draw.int(8) },
          100,
        ),
      ),
      c("empty", "nobody eligible", [cand(1, 0n, 0)], { type: "Size", size: 3 }, 0),
      c("duplicate", "one key twice", [cand(1, 5n, 0), cand(1, 6n, 0)], { type: "Size", size: 3 }, 0),
      c(
        "over-mined",
        "candidates cannot have mined more than L keyblocks",
        [cand(1, 5n, 7)],
        { type: "Size", size: 3 },
        6,
      ),
    ];
  },
};

// ---- quorum ([GRP-3]) --------------------------------------------------------------------------------

const quorumVectors: FunctionVectors = {
  name: "quorum",
  description: "a quorum is >= 2f+1 distinct signers AND 3 x signer reputation > 2 x group reputation (GRP-3)",
  input: obj({ reputations: arr(DECIMAL, 1), signers: arr(int()) }),
  output: obj({
    signers: int(),
    signerReputation: DECIMAL,
    totalReputation: DECIMAL,
    enoughSigners: bool(),
    enoughReputation: bool(),
    quorum: bool(),
  }),
  compute: (input) => {
    const group = {
      members: input.reputations.map((r: string, i: number) => ({ key: hexToBytes(inst(i)), reputation: BigInt(r) })),
    };
    const t = tallyQuorum(group, input.signers);
    return {
      output: {
        signers: t.signers,
        signerReputation: String(t.signer_reputation),
        totalReputation: String(t.total_reputation),
        enoughSigners: t.enough_signers,
        enoughReputation: t.enough_reputation,
        quorum: isQuorum(t),
      },
    };
  },
  cases: (draw) => {
    const c = (id: string, comment: string, reputations: number[], signers: number[]): Case => ({
      id,
      comment,
      input: { reputations: reputations.map(String), signers },
    });
    return [
      c("exactly-two-thirds", "2 of 3 equal members hold exactly 2/3: not a quorum (strict)", [100, 100, 100], [0, 1]),
      c("just-above", "2/3 plus one unit is a quorum", [100, 100, 99], [0, 1]),
      c("two-f", "|X| = 4, f = 1: 2f = 2 signers are not enough whatever their weight", [1000, 1000, 1, 1], [0, 1]),
      c("two-f-plus-one-light", "2f+1 signers with 2/3 or less of the reputation", [1, 1, 1, 100], [0, 1, 2]),
      c("two-f-plus-one-heavy", "2f+1 signers with more than 2/3", [100, 100, 100, 1], [0, 1, 2]),
      c("duplicates", "a signer counted once", [100, 100, 100, 100], [0, 0, 0, 1]),
      c(
        "eleven",
        "|X| = 11, f = 3: 7 signers of equal weight hold 7/11 < 2/3",
        Array(11).fill(5),
        [0, 1, 2, 3, 4, 5, 6],
      ),
      c("eleven-eight", "8 of 11 equal members: a quorum", Array(11).fill(5), [0, 1, 2, 3, 4, 5, 6, 7]),
      ...Array.from({ length: 6 }, (_, i) => {
        const n = 1 + draw.int(13);
        return c(
          `random-${i}`,
          "random weights and signers",
          Array.from({ length: n }, () => draw.int(1_000_000_001)),
          Array.from({ length: draw.int(n + 1) }, () => draw.int(n)),
        );
      }),
    ];
  },
};

// ---- leader ([GRP-4]) --------------------------------------------------------------------------------

const verify: Verify = nobleCrypto.verify;

const leaderVectors: FunctionVectors = {
  name: "leader",
  description: "the leader seed message, its check, and j = u256(H_LEADER(seed signature)) mod |X| (GRP-4)",
  input: obj({ keyblockId: hex(32), height: DECIMAL, creator: KEY, seedSignature: hex(64), groupSize: int(1) }),
  output: obj({ seedMessage: hex(), seedValid: bool(), leaderIndex: int() }),
  compute: (input) => {
    const id = hexToBytes(input.keyblockId);
    const height = BigInt(input.height);
    const signature = hexToBytes(input.seedSignature);
    return {
      output: {
        seedMessage: bytesToHex(leaderSeedMessage(id, height)),
        seedValid: verifyLeaderSeed(verify, hexToBytes(input.creator), id, height, signature),
        leaderIndex: leaderIndex(input.groupSize, signature),
      },
    };
  },
  cases: (draw) =>
    Array.from({ length: 8 }, (_, i) => {
      const secret = draw.bytes(32);
      const id = draw.bytes(32);
      const height = BigInt(1 + draw.int(100000));
      const signedHeight = i === 6 ? height + 1n : height;
      const signature = nobleCrypto.sign(secret, leaderSeedMessage(id, signedHeight));
      return {
        id: i === 6 ? "replayed-height" : `seed-${i}`,
        comment:
          i === 6
            ? "a seed signed for another height does not verify"
            : "a keyblock creator's seed and the leader it draws",
        input: {
          keyblockId: bytesToHex(id),
          height: String(height),
          creator: bytesToHex(nobleCrypto.publicKey(secret)),
          seedSignature: bytesToHex(signature),
          groupSize: [4, 7, 11, 13][i % 4],
        },
      };
    }),
};

// ---- batching ([BAT-2] [BAT-3] [BAT-4]) ---------------------------------------------------------------

const QUEUE = obj({ key: KEY, reputation: DECIMAL, lastServed: nullable(int()), pending: arr(hex(32)) });
const readQueue = (q: Json): InstitutionQueue => ({
  key: hexToBytes(q.key),
  reputation: BigInt(q.reputation),
  lastServed: q.lastServed,
  pending: q.pending.map(hexToBytes),
});
const queueJson = (q: InstitutionQueue) => ({
  key: key(q.key),
  reputation: String(q.reputation),
  lastServed: q.lastServed,
  pending: q.pending.map(bytesToHex),
});

const batchVectors: FunctionVectors = {
  name: "batch",
  description:
    "Algorithm 2: quotas min(|T_i|, floor(10 R_i)), the batch of a window, the queues after it, and whether a proposal is the batch (BAT-2..BAT-4)",
  input: obj({ window: int(), capacity: int(), queues: arr(QUEUE), "proposal?": arr(hex(32)) }),
  output: obj({
    batch: arr(hex(32)),
    case: lit(1, 2),
    quotas: arr(obj({ key: KEY, quota: int(), paperLiteralQuota: DECIMAL })),
    queues: arr(QUEUE),
    "proposal?": obj({ accepted: bool(), "reason?": str(), "position?": int() }),
  }),
  compute: (input) => {
    const batchInput = { window: input.window, capacity: input.capacity, queues: input.queues.map(readQueue) };
    return outcome(formBatch(batchInput), (out) => {
      const quotas = [...batchInput.queues]
        .sort((x, y) => (key(x.key) < key(y.key) ? -1 : 1))
        .map((q) => ({ key: key(q.key), quota: quota(q), paperLiteralQuota: String(paperLiteralQuota(q.reputation)) }));
      const base = { batch: out.batch.map(bytesToHex), case: out.case, quotas, queues: out.queues.map(queueJson) };
      if (input.proposal === undefined) return base;
      const checked = checkProposal(batchInput, input.proposal.map(hexToBytes));
      if (Result.isSuccess(checked)) return { ...base, proposal: { accepted: true } };
      const f = checked.failure;
      return {
        ...base,
        proposal:
          f._tag === "BatchProposalRejected"
            ? { accepted: false, reason: f.reason, position: f.position }
            : { accepted: false, reason: f.reason },
      };
    });
  },
  cases: (draw) => {
    let next = 0;
    const tx = () => {
      next += 1;
      return bytesToHex(concatBytes(new Uint8Array([0x7a, next >> 8, next & 0xff]), new Uint8Array(29)));
    };
    const queue = (i: number, reputation: number, pending: number, lastServed: number | null = null) => ({
      key: inst(i),
      reputation: String(reputation),
      lastServed,
      pending: Array.from({ length: pending }, tx),
    });
    const c = (id: string, comment: string, input: Json): Case => ({ id, comment, input });
    const case2 = {
      window: 3,
      capacity: 4,
      queues: [queue(0, 900_000_000, 6, 2), queue(1, 500_000_000, 6), queue(2, 300_000_000, 2, 1)],
    };
    const formed = Result.getOrThrow(formBatch({ ...case2, queues: case2.queues.map(readQueue) })).batch.map(
      bytesToHex,
    );
    return [
      c("case-1-top-up", "every quota fits (case 1); the spare capacity is shared round-robin", {
        window: 1,
        capacity: 10,
        queues: [queue(0, 400_000_000, 8), queue(1, 150_000_000, 5), queue(2, 50_000_000, 3)],
      }),
      c("case-2", "quotas exceed T_m (case 2): least recently served first, one per pass", case2),
      c("literal-zero", "R < 1 everywhere: the literal quota 10 floor(R) is 0 for all (A12)", {
        window: 0,
        capacity: 3,
        queues: [queue(0, 999_999_999, 4), queue(1, 1_000_000_000, 4)],
      }),
      c("proposal-exact", "the leader proposes the rule's batch: accepted", { ...case2, proposal: formed }),
      c("proposal-censoring", "the leader leaves out one institution's transaction: rejected", {
        ...case2,
        proposal: formed.filter((_, i) => i !== 1),
      }),
      c("proposal-reordered", "same transactions, another order: rejected", {
        ...case2,
        proposal: [...formed].reverse(),
      }),
      ...Array.from({ length: 4 }, (_, i) =>
        c(`random-${i}`, "random queues", {
          window: 5,
          capacity: 1 + draw.int(8),
          queues: Array.from({ length: 1 + draw.int(5) }, (_, j) =>
            queue(j, draw.int(1_000_000_001), draw.int(6), draw.int(2) === 0 ? null : draw.int(5)),
          ),
        }),
      ),
      c("bad-capacity", "T_m must be at least 1", { window: 0, capacity: 0, queues: [queue(0, 5, 1)] }),
    ];
  },
};

// ---- rewards ([RWD-1] [RWD-2] [RWD-3]) ----------------------------------------------------------------

const MIN_FEE = obj({ register: DECIMAL, medical: DECIMAL, label: DECIMAL });
const readSchedule = (json: Json, reward = "0"): FeeSchedule => ({
  minimumFee: { register: BigInt(json.register), medical: BigInt(json.medical), label: BigInt(json.label) },
  keyblockReward: BigInt(reward),
});

const rewardsVectors: FunctionVectors = {
  name: "rewards",
  description: "minimum fees, the keyblock payout, and RepuCoin's Algorithm 1 split of an epoch's fees (RWD-1..RWD-3)",
  input: oneOf(
    obj({ kind: lit("fee"), minimumFee: MIN_FEE, transaction: lit("register", "medical", "label"), fee: DECIMAL }),
    obj({ kind: lit("payout"), keyblockReward: DECIMAL, miner: KEY, registerFees: arr(DECIMAL) }),
    obj({ kind: lit("split"), miner: KEY, leader: KEY, minerReputation: DECIMAL, fees: arr(DECIMAL), seed: hex() }),
  ),
  output: oneOf(
    obj({ fee: DECIMAL }),
    obj({ miner: KEY, amount: DECIMAL }),
    obj({ count: int(), offset: int(), minerItems: arr(int()), miner: DECIMAL, leader: DECIMAL }),
  ),
  compute: (input) => {
    if (input.kind === "fee") {
      return outcome(
        checkFee(readSchedule(input.minimumFee), input.transaction as TransactionKind, BigInt(input.fee)),
        (fee) => ({ fee: String(fee) }),
      );
    }
    if (input.kind === "payout") {
      const schedule = readSchedule({ register: "0", medical: "0", label: "0" }, input.keyblockReward);
      return outcome(keyblockPayout(schedule, hexToBytes(input.miner), input.registerFees.map(BigInt)), (credit) => ({
        miner: key(credit.key),
        amount: String(credit.amount),
      }));
    }
    const fees: bigint[] = input.fees.map(BigInt);
    const seed = hexToBytes(input.seed);
    const reputation = BigInt(input.minerReputation);
    return outcome(
      splitEpochFees({
        miner: hexToBytes(input.miner),
        leader: hexToBytes(input.leader),
        minerReputation: reputation,
        fees,
        seed,
      }),
      (split) => ({
        count: minerItemCount(reputation, fees.length),
        offset: fees.length === 0 ? 0 : splitOffset(seed, fees.length),
        minerItems: [...split.minerItems],
        miner: String(split.miner.amount),
        leader: String(split.leader.amount),
      }),
    );
  },
  cases: (draw) => {
    const minimumFee = { register: "3", medical: "2", label: "1" };
    const c = (id: string, comment: string, input: Json): Case => ({ id, comment, input });
    const split = (id: string, comment: string, reputation: bigint, fees: number[]) =>
      c(id, comment, {
        kind: "split",
        miner: inst(1),
        leader: inst(2),
        minerReputation: String(reputation),
        fees: fees.map(String),
        seed: bytesToHex(draw.bytes(64)),
      });
    return [
      c("fee-minimum", "a fee equal to the minimum is accepted", {
        kind: "fee",
        minimumFee,
        transaction: "register",
        fee: "3",
      }),
      c("fee-low", "a fee below its kind's minimum", { kind: "fee", minimumFee, transaction: "medical", fee: "1" }),
      c("payout", "keyblock reward plus the register fees", {
        kind: "payout",
        keyblockReward: "50",
        miner: inst(1),
        registerFees: ["3", "4", "10"],
      }),
      c("payout-negative", "a negative fee", {
        kind: "payout",
        keyblockReward: "50",
        miner: inst(1),
        registerFees: ["-1"],
      }),
      split("split-none", "no transactions pinned in the epoch", 400_000_000n, []),
      split("split-r-zero", "R = 0: everything to the leader", 0n, [5, 6, 7]),
      split("split-r-one", "R = 1: everything to the miner", REPUTATION_SCALE, [5, 6, 7]),
      split("split-ceil", "R = 0.4, n = 3: ceil(1.2) = 2 items to the miner", 400_000_000n, [5, 6, 7]),
      split("split-exact", "R = 0.5, n = 4: exactly 2 items", 500_000_000n, [1, 2, 3, 4]),
      ...Array.from({ length: 4 }, (_, i) =>
        split(
          `split-random-${i}`,
          "random fees and reputation",
          BigInt(draw.int(1_000_000_001)),
          Array.from({ length: draw.int(12) }, () => draw.int(1000)),
        ),
      ),
      split("split-bad-reputation", "R above 1.0", REPUTATION_SCALE + 1n, [1]),
    ];
  },
};

// ---- proofs of fraud ([REP-11]) -----------------------------------------------------------------------

const STATEMENT = obj({ message: hex(), signature: hex() });
const fraudVectors: FunctionVectors = {
  name: "fraud",
  description:
    "proofs of fraud: two different messages signed by one key for one slot (the first slotLength bytes) (REP-11)",
  input: obj({ offender: hex(), first: STATEMENT, second: STATEMENT, slotLength: int() }),
  output: obj({ offender: KEY, id: hex(32), encoding: hex() }),
  compute: (input) => {
    const statement = (s: Json) => ({ message: hexToBytes(s.message), signature: hexToBytes(s.signature) });
    const proof: FraudProof = {
      offender: hexToBytes(input.offender),
      first: statement(input.first),
      second: statement(input.second),
    };
    return outcome(verifyFraudProof(proof, verify, prefixSlot(input.slotLength)), (recorded) => {
      const encoding = encodeFraudProof(proof);
      const decoded = decodeFraudProof(encoding);
      expect(
        Result.isSuccess(decoded) && bytesToHex(encodeFraudProof(decoded.success)) === bytesToHex(encoding),
        "proof round trip",
      );
      return { offender: key(recorded.offender), id: bytesToHex(fraudProofId(proof)), encoding: bytesToHex(encoding) };
    });
  },
  cases: (draw) => {
    const secret = draw.bytes(32);
    const offender = bytesToHex(nobleCrypto.publicKey(secret));
    const signed = (slot: number, payload: number) => {
      const message = concatBytes(new Uint8Array(8).fill(slot), new Uint8Array([payload]));
      return { message: bytesToHex(message), signature: bytesToHex(nobleCrypto.sign(secret, message)) };
    };
    const c = (id: string, comment: string, first: Json, second: Json, slotLength = 8, who = offender): Case => ({
      id,
      comment,
      input: { offender: who, first, second, slotLength },
    });
    const forged = { ...signed(1, 2), signature: signed(1, 3).signature };
    return [
      c("equivocation", "two votes for one slot: fraud", signed(1, 1), signed(1, 2)),
      c("different-slots", "two messages for different slots are not fraud", signed(1, 1), signed(2, 1)),
      c("same-message", "one message twice is not fraud", signed(1, 1), signed(1, 1)),
      c("not-canonical", "the messages must be in byte order", signed(1, 2), signed(1, 1)),
      c("no-slot", "messages shorter than the slot header", signed(1, 1), signed(1, 2), 64),
      c("forged-second", "the second signature is not over its message", signed(1, 1), forged),
      c("bad-key", "a 31-byte key", signed(1, 1), signed(1, 2), 8, offender.slice(2)),
    ];
  },
};

// ---- the family ----------------------------------------------------------------------------------------

const FUNCTIONS: readonly FunctionVectors[] = [
  sigmoidVectors,
  r1Vectors,
  r2Vectors,
  combineVectors,
  eventsVectors,
  groupVectors,
  quorumVectors,
  leaderVectors,
  batchVectors,
  rewardsVectors,
  fraudVectors,
];

const DIR = "reputation/";
const fileOf = (name: string) => `${DIR}${name}.json`;

const fileSchema = (f: FunctionVectors): JsonSchema =>
  obj({
    schema: lit(`reputation/${f.name}`),
    function: lit(f.name),
    description: str(),
    cases: arr(
      oneOf(
        obj({ id: str(), comment: str(), input: f.input, output: f.output }),
        obj({ id: str(), comment: str(), input: f.input, error: ERROR }),
      ),
      1,
    ),
  });

const generate = (seed: Uint8Array): VectorFile[] =>
  FUNCTIONS.map((f) => {
    const draw = draws(concatBytes(seed, new TextEncoder().encode(f.name)));
    const cases = f.cases(draw).map((c) => ({ ...c, ...f.compute(c.input) }));
    return {
      path: fileOf(f.name),
      json: { schema: `reputation/${f.name}`, function: f.name, description: f.description, cases },
    };
  });

const check = (path: string, json: Json): CheckReport => {
  const f = FUNCTIONS.find((x) => fileOf(x.name) === path);
  if (f === undefined) return { cases: 0, failures: [`${path}: no such reputation function`] };
  return runCases(
    json.cases as Json[],
    (c) => `${path}#${c.id}`,
    (c) => {
      const expected = JSON.stringify(c.output === undefined ? { error: c.error } : { output: c.output });
      const got = JSON.stringify(f.compute(c.input));
      expect(got === expected, `expected ${expected}, got ${got}`);
    },
  );
};

export const reputationFamily: VectorFamily = {
  name: "reputation",
  owns: (path) => path.startsWith(DIR) && FUNCTIONS.some((f) => fileOf(f.name) === path),
  schemaFile: "reputation.schema.json",
  schema: documentSchema(
    "https://spchain.example/vectors/schema/reputation.schema.json",
    "Reputation, group, batching, rewards and fraud-proof vectors (spec/reputation.md REP-15)",
    oneOf(...FUNCTIONS.map(fileSchema)),
  ),
  expectsFiles: true,
  generate,
  check,
};
