/**
 * The cases of the ledger transition vectors (spec/chain.md [CHAIN-12]): one builder per handler
 * (keyblock, pin, microblock, batch, label, history), each making its objects with the honest producers of
 * src/ehealth and deliberate faults, and stating the outcome it intends for every step. A case is emitted
 * only if replaying it from its own JSON gives exactly the intended outcomes (VEC-5); the family then checks
 * that every rejection rule of the ledger has at least one invalid case.
 * @module
 */
import { Effect, Layer, Result } from "effect";
import { scalarToBytes } from "../../src/codec/fields.js";
import { encodeCertificate, type PinCertificate } from "../../src/consensus/certificate.js";
import { concatBytes, utf8ToBytes } from "../../src/crypto/bytes.js";
import { CHAMELEON_SCHEME_IDS } from "../../src/crypto/chameleon/scheme.js";
import { TAGS, taggedHash } from "../../src/crypto/hash.js";
import { Randomness, seededSource } from "../../src/crypto/random.js";
import { Crypto, type Ed25519KeyPair, generateKeyPair, nobleCrypto } from "../../src/crypto/signature.js";
import {
  type ChameleonRecord,
  contentAddress,
  labelTx,
  medicalTx,
  recordData,
  recordSeries,
  registerTx,
} from "../../src/ehealth/records.js";
import {
  type AppliedStep,
  runScenario,
  type ScenarioKit,
  type ScenarioOp,
  scenarioIdentity,
} from "../../src/ehealth/scenario.js";
import {
  allSigners,
  type RoundOutput,
  roundLeader,
  runRound,
  setupWorld,
  type World,
} from "../../src/ehealth/world.js";
import { applyBatchWith, proposedBatchRoot } from "../../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith, expectedPrevMicroblock } from "../../src/ledger/apply-keyblock.js";
import { type Batch, encodeBatch } from "../../src/ledger/batch.js";
import { encodeConfig } from "../../src/ledger/config.js";
import {
  encodeKeyblock,
  type Keyblock,
  type KeyblockHeader,
  keyblockId,
  meetsDifficulty,
  powDigest,
  registerRoot,
} from "../../src/ledger/keyblock.js";
import { encodeMicroblock, type MicroblockHeader, signMicroblock } from "../../src/ledger/microblock.js";
import { createMicroblocks, mineKeyblock } from "../../src/ledger/mine.js";
import { certify, type MemberSigner, pinGroup } from "../../src/ledger/pin.js";
import { type ChainState, currentEpoch } from "../../src/ledger/state.js";
import {
  encodeTransaction,
  type RecordTx,
  type RegisterTx,
  signTransaction,
  transactionId,
  type UnsignedTransaction,
} from "../../src/ledger/transaction.js";
import {
  type CaseJson,
  encodeGroup,
  genesisOf,
  type ObjectJson,
  type ObjectType,
  objectRef,
  replayCase,
  runStep,
  type StepJson,
  summarize,
  TRANSITION_FORMAT,
  TRANSITION_SCHEMA,
  type TransitionFile,
} from "./ledger-transition.js";

/** [TX-4] A well-formed DSS20 randomness (e1, e2, s1, s2 = 1, 2, 3, 4): decodes, and belongs to no AM04 institution. */
const DSS20_RANDOMNESS = concatBytes(...[1n, 2n, 3n, 4n].map(scalarToBytes));

const crypto = nobleCrypto;
const MIN_FEE = { register: 10, medical: 5, label: 5 } as const;
/** Reputations 0.4, 0.3, 0.2, 0.1: with f = 1, a pin needs 3 signers holding more than 0.6667. */
const REPUTATIONS = [400_000_000n, 300_000_000n, 200_000_000n, 100_000_000n];

/** The intended outcome of a step: valid, or an error code (and reason). */
type Intent = "valid" | { readonly error: string; readonly reason?: string };

const flip = (bytes: Uint8Array, at = 0): Uint8Array => {
  const copy = bytes.slice();
  copy[at] = (copy[at] ?? 0) ^ 1;
  return copy;
};
const random32 = (label: string): Uint8Array => taggedHash(TAGS.VECTOR_RNG, utf8ToBytes(label));

/** Collects a file's objects and cases. */
class FileBuilder {
  readonly objects: Record<string, ObjectJson> = {};
  readonly cases: CaseJson[] = [];

  constructor(
    readonly handler: string,
    readonly description: string,
  ) {}

  ref(type: ObjectType, encoded: Uint8Array): string {
    const ref = objectRef(encoded);
    this.objects[ref] = { type, encoded: Buffer.from(encoded).toString("hex") };
    return ref;
  }

  step(
    op: StepJson["op"],
    type: ObjectType,
    encoded: Uint8Array,
    intent: Intent,
    extra: Partial<StepJson> = {},
  ): StepJson {
    const base = { op, object: this.ref(type, encoded), ...extra };
    if (intent === "valid") return { ...base, valid: true };
    return {
      ...base,
      valid: false,
      expect_error: intent.error,
      ...(intent.reason === undefined ? {} : { expect_reason: intent.reason }),
    };
  }

  keyblock(kb: Keyblock, intent: Intent = "valid"): StepJson {
    return this.step("apply_keyblock", "keyblock", encodeKeyblock(kb), intent);
  }

  pin(pin: PinCertificate, world: World, intent: Intent = "valid", group = world.group): StepJson {
    return this.step("apply_keyblock_pin", "pin", encodeCertificate(pin), intent, {
      group: this.ref("group", encodeGroup(group)),
    });
  }

  microblock(header: MicroblockHeader, leader: Uint8Array, intent: Intent = "valid"): StepJson {
    return this.step("apply_microblock", "microblock", encodeMicroblock(header), intent, {
      leader: Buffer.from(leader).toString("hex"),
    });
  }

  batch(batch: Batch, world: World, intent: Intent = "valid", group = world.group): StepJson {
    return this.step("apply_batch", "batch", encodeBatch(batch), intent, {
      group: this.ref("group", encodeGroup(group)),
    });
  }

  applied(steps: readonly AppliedStep[], world: World): StepJson[] {
    return steps.map((s) => {
      if (s._tag === "Keyblock") return this.keyblock(s.keyblock);
      if (s._tag === "KeyblockPin") return this.pin(s.pin, world);
      if (s._tag === "Microblock") return this.microblock(s.header, s.leader);
      return this.batch(s.batch, world);
    });
  }

  /** The state after `steps` from the genesis of `config` (all must be valid). */
  stateAfter(config: string, steps: readonly StepJson[]): ChainState {
    let state = genesisOf(this.objects, config);
    for (const step of steps) {
      const out = runStep(crypto, state, step, this.objects);
      if (!out.valid) throw new Error(`stateAfter: ${step.op} rejected with ${out.error}`);
      state = out.state;
    }
    return state;
  }

  round(out: RoundOutput, world: World, withMicroblocks = true): StepJson[] {
    const steps = [this.keyblock(out.keyblock), this.pin(out.pin, world)];
    if (withMicroblocks) for (const h of out.microblocks) steps.push(this.microblock(h, out.leader.signing.publicKey));
    return steps;
  }

  /** Replays the case from its JSON; refuses it unless every step has its intended outcome. */
  add(name: string, description: string, config: string, pre: readonly StepJson[], steps: readonly StepJson[]): void {
    let state = this.stateAfter(config, pre);
    for (const step of steps) {
      const out = runStep(crypto, state, step, this.objects);
      if (out.valid) state = out.state;
    }
    const c: CaseJson = {
      name,
      description,
      pre: { config, steps: [...pre] },
      steps: [...steps],
      post: summarize(state),
    };
    try {
      replayCase(crypto, this.file(), c);
    } catch (error) {
      throw new Error(`${this.handler}/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.cases.push(c);
  }

  file(): TransitionFile {
    return {
      schema: TRANSITION_SCHEMA,
      format: TRANSITION_FORMAT,
      handler: this.handler,
      description: this.description,
      header: [
        "Objects are keyed by the SHA-256 of their encoding; group objects are u16 n || (key(32) || u64 reputation)^n.",
        "A case starts from the genesis of pre.config, applies pre.steps (all valid), then steps; an invalid step",
        "must fail with expect_error (and expect_reason) and leave the state unchanged; post summarizes the end state.",
      ],
      objects: this.objects,
      cases: this.cases,
    };
  }
}

/** The base of every file: a world of four institutions, three patients registered, three records pinned. */
interface Base {
  readonly kit: ScenarioKit;
  readonly world: World;
  readonly config: (b: FileBuilder) => string;
  readonly pre: (b: FileBuilder) => StepJson[];
  /** The register transactions of the pre history, by patient. */
  readonly registers: readonly RegisterTx[];
  /** The first medical record of patient 0 at institution 0 (A). */
  readonly firstRecord: RecordTx;
  readonly steps: readonly AppliedStep[];
}

export const makeBase = (seed: Uint8Array): Base => {
  const layer = Layer.mergeAll(Crypto.noble, Randomness.seeded(seed));
  const kit = Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        const world = yield* setupWorld({
          institutions: ["A", "B", "C", "D"],
          difficulty_bits: 4,
          freshness_window: 2,
          min_fee: MIN_FEE,
          reputations: REPUTATIONS,
        });
        const series: ChameleonRecord[][] = [];
        for (const institution of world.institutions) {
          const pointers = [0, 1, 2, 3].map((k) => contentAddress(utf8ToBytes(`${institution.name} ciphertext ${k}`)));
          series.push(yield* Effect.orDie(recordSeries(institution, pointers)));
        }
        const patients: Ed25519KeyPair[] = [];
        for (let i = 0; i < 6; i++) patients.push(yield* generateKeyPair);
        return { world, series, patients };
      }),
      layer,
    ),
  );
  const ops: ScenarioOp[] = [
    { _tag: "Round", registers: 3, miner: 0 },
    { _tag: "Round", registers: 0, miner: 1 },
    {
      _tag: "Batch",
      records: [
        { patient: 0, institution: 0, label: false, includeHash: true },
        { patient: 1, institution: 1, label: false, includeHash: true },
        { patient: 0, institution: 0, label: false, includeHash: false },
      ],
    },
  ];
  const result = Result.getOrThrow(runScenario(kit, ops));
  const keyblock = result.steps[0];
  const batch = result.steps.find((s) => s._tag === "Batch");
  if (keyblock?._tag !== "Keyblock" || batch?._tag !== "Batch") throw new Error("unexpected base history");
  return {
    kit,
    world: result.world,
    config: (b) => b.ref("config", encodeConfig(kit.world.state.config)),
    pre: (b) => b.applied(result.steps, kit.world),
    registers: keyblock.keyblock.registers,
    firstRecord: batch.batch.transactions[0] as RecordTx,
    steps: result.steps,
  };
};

const signersOf = (world: World, indices: readonly number[]): MemberSigner[] =>
  allSigners(world).filter((s) => indices.includes(s.index));

const pinOf = (world: World, state: ChainState, value: Uint8Array, indices = [0, 1, 2, 3]): PinCertificate =>
  certify(crypto, Result.getOrThrow(pinGroup(currentEpoch(state), world.group)), signersOf(world, indices), value);

/** Mines a header (fields as given, nonce searched) at the chain's difficulty. */
const mine = (state: ChainState, fields: Omit<KeyblockHeader, "nonce">, registers: readonly RegisterTx[]): Keyblock => {
  for (let nonce = 0n; ; nonce++) {
    const header = { ...fields, nonce };
    if (meetsDifficulty(powDigest(header), state.config.difficulty_bits)) return { header, registers: [...registers] };
  }
};

const resign = <T extends UnsignedTransaction>(tx: T, signer: Ed25519KeyPair) =>
  signTransaction(crypto, signer.secretKey, tx);
const patient = (base: Base, n: number) => base.kit.patients[n] as Ed25519KeyPair;
const series = (base: Base, i: number, k: number) => base.kit.series[i]?.[k] as ChameleonRecord;
const minerKey = (world: World, i: number) => world.institutions[i]?.signing.publicKey as Uint8Array;
const fail = (error: string, reason?: string): Intent => (reason === undefined ? { error } : { error, reason });

const keyblockFile = (base: Base): FileBuilder => {
  const b = new FileBuilder(
    "keyblock",
    "Keyblocks (CHAIN-4, KB-1..KB-6) and their register transactions (TX-3, CHAIN-8..CHAIN-11).",
  );
  const config = base.config(b);
  const pre = base.pre(b);
  const { world } = base;
  const S = world.state;
  const E = currentEpoch(S);
  const reg = (n: number, over: Partial<UnsignedTransaction> = {}) =>
    resign(
      {
        ...registerTx(crypto, patient(base, n), scenarioIdentity(patient(base, n)), {
          institution: 0,
          round: E,
          fee: 10,
        }),
        ...over,
      } as RegisterTx,
      patient(base, n),
    );
  const next = (registers: RegisterTx[], m = 1) =>
    Result.getOrThrow(mineKeyblock(crypto, S, minerKey(world, m), registers));

  const valid3 = Result.getOrThrow(runRound(world, [reg(3)], 1)).round;
  b.add(
    "valid_next_round",
    "The next keyblock with one register transaction, its pin and its microblock.",
    config,
    pre,
    b.round(valid3, world),
  );
  const kb3 = next([reg(3)]);
  b.add("invalid_known_candidate", "The same keyblock twice.", config, pre, [
    b.keyblock(kb3),
    b.keyblock(kb3, fail("KeyblockKnown")),
  ]);
  const pinned2 = S.keyblocks.get(2)?.keyblock as Keyblock;
  b.add("invalid_known_pinned", "A pinned keyblock again.", config, pre, [b.keyblock(pinned2, fail("KeyblockKnown"))]);
  const parent1 = S.keyblocks.get(1)?.id as Uint8Array;
  const rival2 = mine(
    S,
    {
      height: 2,
      prevKeyblock: parent1,
      prevMicroblock: Result.getOrThrow(expectedPrevMicroblock(S, 2)),
      registerRoot: registerRoot(crypto, []),
      miner: minerKey(world, 2),
    },
    [],
  );
  b.add("invalid_conflicts_with_pin_height", "Another keyblock at a pinned height, with valid work.", config, pre, [
    b.keyblock(rival2, fail("ConflictsWithPin")),
  ]);
  const offParent = mine(S, { ...kb3.header, prevKeyblock: keyblockId(rival2.header) }, kb3.registers);
  b.add("invalid_conflicts_with_pin_parent", "A keyblock extending a block that is not the pinned tip.", config, pre, [
    b.keyblock(offParent, fail("ConflictsWithPin")),
  ]);
  b.add("invalid_parent_unknown", "A keyblock two heights above the tip.", config, pre, [
    b.keyblock(mine(S, { ...kb3.header, height: E + 2 }, kb3.registers), fail("KeyblockParentUnknown")),
  ]);
  b.add("invalid_microblock_commitment", "prev_microblock is not G(MB^{i-2}_last).", config, pre, [
    b.keyblock(
      mine(S, { ...kb3.header, prevMicroblock: random32("prev mb") }, kb3.registers),
      fail("MicroblockCommitmentMismatch"),
    ),
  ]);
  b.add("invalid_register_root", "register_root is the root of another list.", config, pre, [
    b.keyblock(
      mine(S, { ...kb3.header, registerRoot: registerRoot(crypto, []) }, kb3.registers),
      fail("RegisterRootMismatch"),
    ),
  ]);
  let lazy = kb3.header;
  while (meetsDifficulty(powDigest(lazy), S.config.difficulty_bits)) lazy = { ...lazy, nonce: lazy.nonce + 1n };
  b.add("invalid_insufficient_work", "A nonce whose digest misses the target.", config, pre, [
    b.keyblock({ ...kb3, header: lazy }, fail("InsufficientWork")),
  ]);

  // Round 3 pinned without its microblock; round 4 is fine (it commits to round 2); round 5 must wait.
  const candidate3 = Result.getOrThrow(applyKeyblockWith(crypto, S, kb3));
  const pin3 = pinOf(world, S, keyblockId(kb3.header));
  const S3 = Result.getOrThrow(applyKeyblockPinWith(crypto, candidate3, pin3, world.group));
  const kb4 = Result.getOrThrow(mineKeyblock(crypto, S3, minerKey(world, 2), []));
  const S4c = Result.getOrThrow(applyKeyblockWith(crypto, S3, kb4));
  const pin4 = pinOf(world, S3, keyblockId(kb4.header));
  const S4 = Result.getOrThrow(applyKeyblockPinWith(crypto, S4c, pin4, world.group));
  const kb5 = mine(
    S4,
    {
      height: 5,
      prevKeyblock: keyblockId(kb4.header),
      prevMicroblock: keyblockId(kb3.header),
      registerRoot: registerRoot(crypto, []),
      miner: minerKey(world, 0),
    },
    [],
  );
  b.add("invalid_microblocks_missing", "Round 3's microblock is not created when keyblock 5 arrives.", config, pre, [
    b.keyblock(kb3),
    b.pin(pin3, world),
    b.keyblock(kb4),
    b.pin(pin4, world),
    b.keyblock(kb5, fail("MicroblocksMissing")),
  ]);

  const registerCases: [string, string, RegisterTx[], string][] = [
    [
      "invalid_register_round_too_old",
      "A register transaction whose round is W keyblocks old.",
      [reg(3, { round: E - 2 })],
      "RoundTooOld",
    ],
    [
      "invalid_register_round_in_future",
      "A register transaction from a round not pinned yet.",
      [reg(3, { round: E + 1 })],
      "RoundInFuture",
    ],
    ["invalid_register_fee", "A register fee below the minimum.", [reg(3, { fee: 9 })], "InsufficientFee"],
    [
      "invalid_register_institution",
      "A receiver outside the registry.",
      [reg(3, { institution: 4 })],
      "UnknownInstitution",
    ],
    [
      "invalid_register_signature",
      "A register transaction whose identity was changed after signing.",
      [{ ...reg(3), identity: random32("id") }],
      "BadSignature",
    ],
    [
      "invalid_register_replayed_in_block",
      "One register transaction twice in a keyblock.",
      [reg(3), reg(3)],
      "TransactionReplayed",
    ],
    [
      "invalid_identity_registered",
      "A new key with a registered identity.",
      [resign({ ...reg(3), identity: scenarioIdentity(patient(base, 0)) }, patient(base, 3))],
      "IdentityAlreadyRegistered",
    ],
    [
      "invalid_identity_twice_in_block",
      "Two new keys with one identity in one keyblock.",
      [reg(3), resign({ ...reg(4), identity: scenarioIdentity(patient(base, 3)) }, patient(base, 4))],
      "IdentityAlreadyRegistered",
    ],
    [
      "invalid_patient_registered",
      "A registered key with a new identity.",
      [resign({ ...reg(0), identity: random32("new identity") }, patient(base, 0))],
      "PatientAlreadyRegistered",
    ],
  ];
  for (const [name, description, registers, tag] of registerCases) {
    b.add(name, description, config, pre, [b.keyblock(next(registers), fail(tag))]);
  }
  // Replays are caught inside the freshness window: right after round 1, round 0 is still fresh.
  const round1 = pre.slice(0, 2 + base.registers.length);
  const afterRound1 = b.stateAfter(config, round1);
  const replay = Result.getOrThrow(
    mineKeyblock(crypto, afterRound1, minerKey(world, 2), [base.registers[0] as RegisterTx]),
  );
  b.add("invalid_register_replayed", "A pinned register transaction again, inside the window.", config, round1, [
    b.keyblock(replay, fail("TransactionReplayed")),
  ]);
  b.add("invalid_malformed_keyblock", "A truncated keyblock encoding.", config, pre, [
    b.step("apply_keyblock", "keyblock", encodeKeyblock(kb3).subarray(0, 100), fail("DecodeError", "ShortInput")),
  ]);
  return b;
};

const pinFile = (base: Base): FileBuilder => {
  const b = new FileBuilder(
    "pin",
    "Keyblock pins (CHAIN-5, PIN-1..PIN-3, PIN-6): quorum by count and by reputation, finality.",
  );
  const config = base.config(b);
  const pre = base.pre(b);
  const { world } = base;
  const S = world.state;
  const kb3 = Result.getOrThrow(mineKeyblock(crypto, S, minerKey(world, 1), []));
  const id3 = keyblockId(kb3.header);
  const valid = pinOf(world, S, id3, [0, 1, 3]);
  b.add("valid_pin_three_signers", "Signers 0, 1, 3: 3 >= 2f+1 and 0.8 > 2/3 of the reputation.", config, pre, [
    b.keyblock(kb3),
    b.pin(valid, world),
  ]);
  b.add(
    "invalid_pin_two_signers",
    "Signers 0, 1 hold 0.7 of the reputation but are fewer than 2f+1 = 3.",
    config,
    pre,
    [b.keyblock(kb3), b.pin(pinOf(world, S, id3, [0, 1]), world, fail("CertificateInvalid", "NoQuorum"))],
  );
  b.add("invalid_pin_low_reputation", "Signers 1, 2, 3 are 2f+1 but hold 0.6, not more than 2/3.", config, pre, [
    b.keyblock(kb3),
    b.pin(pinOf(world, S, id3, [1, 2, 3]), world, fail("CertificateInvalid", "NoQuorum")),
  ]);
  const badVote = {
    ...valid,
    votes: valid.votes.map((v, i) => (i === 1 ? { ...v, signature: flip(v.signature) } : v)),
  };
  b.add("invalid_pin_signature", "One vote's signature is altered.", config, pre, [
    b.keyblock(kb3),
    b.pin(badVote, world, fail("CertificateInvalid", "BadSignature")),
  ]);
  const wrongEpoch = certify(
    crypto,
    Result.getOrThrow(pinGroup(currentEpoch(S) + 1, world.group)),
    allSigners(world),
    id3,
  );
  b.add("invalid_pin_wrong_group", "Signed as the group of another epoch.", config, pre, [
    b.keyblock(kb3),
    b.pin(wrongEpoch, world, fail("CertificateInvalid", "WrongGroup")),
  ]);
  const outsider = {
    ...valid,
    votes: [...valid.votes.slice(0, 2), { signer: 7, signature: valid.votes[2]?.signature as Uint8Array }],
  };
  b.add("invalid_pin_signer_unknown", "A signer index outside the group.", config, pre, [
    b.keyblock(kb3),
    b.pin(outsider, world, fail("CertificateInvalid", "SignerUnknown")),
  ]);
  b.add("invalid_pin_value", "A certificate of a value that is no candidate.", config, pre, [
    b.keyblock(kb3),
    b.pin(pinOf(world, S, random32("value")), world, fail("PinValueMismatch")),
  ]);
  const twins = { members: [world.group.members[0], world.group.members[0]] } as typeof world.group;
  b.add("invalid_pin_group_snapshot", "A group snapshot with one key twice.", config, pre, [
    b.keyblock(kb3),
    b.pin(valid, world, fail("ConsensusGroupInvalid"), twins),
  ]);
  const encoded = encodeCertificate(valid);
  const swapped = concatBytes(
    encoded.subarray(0, 86),
    encoded.subarray(152, 218),
    encoded.subarray(86, 152),
    encoded.subarray(218),
  );
  b.add("invalid_pin_unsorted_signers", "Signers not in ascending order.", config, pre, [
    b.keyblock(kb3),
    b.step("apply_keyblock_pin", "pin", swapped, fail("DecodeError", "NotSorted"), {
      group: b.ref("group", encodeGroup(world.group)),
    }),
  ]);
  const rival = Result.getOrThrow(mineKeyblock(crypto, S, minerKey(world, 2), []));
  b.add(
    "invalid_rival_after_pin",
    "Two candidates; the pin decides; the other then conflicts with the pin.",
    config,
    pre,
    [b.keyblock(kb3), b.keyblock(rival), b.pin(valid, world), b.keyblock(rival, fail("ConflictsWithPin"))],
  );
  return b;
};

const microblockFile = (base: Base): FileBuilder => {
  const b = new FileBuilder("microblock", "Patient microblocks (CHAIN-6, MB-1..MB-3).");
  const config = base.config(b);
  const { world } = base;
  const S = world.state;
  const E = currentEpoch(S);
  const regs = [3, 4].map((n) =>
    registerTx(crypto, patient(base, n), scenarioIdentity(patient(base, n)), { institution: 1, round: E, fee: 10 }),
  );
  const out = Result.getOrThrow(runRound(world, regs, 2)).round;
  const pre = [...base.pre(b), ...b.round(out, world, false)];
  const candidate = Result.getOrThrow(applyKeyblockWith(crypto, S, out.keyblock));
  const S3 = Result.getOrThrow(applyKeyblockPinWith(crypto, candidate, out.pin, world.group));
  const leader = roundLeader(world, out.keyblock);
  const [h0, h1] = createMicroblocks(crypto, S3, 3, leader.signing) as [MicroblockHeader, MicroblockHeader];
  const L = leader.signing.publicKey;
  const resignMb = (h: MicroblockHeader) => signMicroblock(crypto, leader.signing.secretKey, h);
  const other = world.institutions[(leader.index + 1) % 4];
  b.add("valid_round_microblocks", "The leader's two microblocks, in order.", config, pre, [
    b.microblock(h0, L),
    b.microblock(h1, L),
  ]);
  b.add("invalid_out_of_order", "The second microblock first.", config, pre, [
    b.microblock(h1, L, fail("MicroblockOutOfOrder")),
  ]);
  b.add("invalid_known", "The same microblock twice.", config, pre, [
    b.microblock(h0, L),
    b.microblock(h0, L, fail("MicroblockKnown")),
  ]);
  b.add("invalid_unexpected", "A microblock for an index the keyblock has no register transaction for.", config, pre, [
    b.microblock(resignMb({ ...h1, index: 2 }), L, fail("MicroblockUnexpected")),
  ]);
  b.add("invalid_mismatch", "A microblock naming another patient.", config, pre, [
    b.microblock(resignMb({ ...h0, patient: patient(base, 5).publicKey }), L, fail("MicroblockMismatch")),
  ]);
  b.add("invalid_prev", "A microblock with another prev link.", config, pre, [
    b.microblock(resignMb({ ...h0, prev: random32("prev") }), L, fail("MicroblockPrevMismatch")),
  ]);
  const usurped = signMicroblock(crypto, other?.signing.secretKey as Uint8Array, {
    ...h0,
    leader: other?.signing.publicKey as Uint8Array,
  });
  b.add("invalid_not_leader", "A microblock made and signed by another institution.", config, pre, [
    b.microblock(usurped, L, fail("NotRoundLeader")),
  ]);
  b.add("invalid_signature", "A microblock whose signature is altered.", config, pre, [
    b.microblock({ ...h0, signature: flip(h0.signature) }, L, fail("BadMicroblockSignature")),
  ]);
  const smallOrder = encodeMicroblock(h0);
  smallOrder.set(new Uint8Array(32), 110);
  b.add("invalid_leader_key_small_order", "A leader key of small order.", config, pre, [
    b.step("apply_microblock", "microblock", smallOrder, fail("DecodeError", "Ed25519KeySmallOrder"), {
      leader: Buffer.from(L).toString("hex"),
    }),
  ]);
  return b;
};

/** A batch of `txs` certified over `root` (the valid root if not given) by the whole group. */
const batchOf = (
  world: World,
  state: ChainState,
  txs: readonly RecordTx[],
  root?: Uint8Array,
  signers = [0, 1, 2, 3],
): Batch => {
  const value = root ?? Result.getOrThrow(proposedBatchRoot(crypto, state, txs));
  return { certificate: pinOf(world, state, value, signers), transactions: [...txs] };
};

const batchFile = (base: Base): FileBuilder => {
  const b = new FileBuilder("batch", "Pinned batches of medical transactions (CHAIN-7, PIN-4, MB-4, MB-5, TX-4).");
  const config = base.config(b);
  const pre = base.pre(b);
  const { world } = base;
  const S = world.state;
  const E = currentEpoch(S);
  const ctx = (institution: number, fee = 5) => ({ institution, round: E, fee });
  const visit = (n: number, i: number, k: number, omit: boolean, fee = 5) =>
    medicalTx(crypto, patient(base, n), n, recordData(series(base, i, k), omit), ctx(i, fee));
  const good = [visit(2, 2, 0, false), visit(0, 0, 2, true), visit(1, 1, 1, false), visit(0, 3, 0, false)];
  b.add(
    "valid_three_upload_cases",
    "First visit at C; a later visit at A (h omitted); a later visit at B (h repeated); a first visit at D.",
    config,
    pre,
    [b.batch(batchOf(world, S, good), world)],
  );
  const anyRoot = random32("any root");
  const invalid: [string, string, RecordTx[], string][] = [
    [
      "invalid_round_too_old",
      "A medical transaction W keyblocks old.",
      [resign({ ...visit(0, 0, 2, true), round: E - 2 }, patient(base, 0))],
      "RoundTooOld",
    ],
    [
      "invalid_round_in_future",
      "A medical transaction from a round not pinned yet.",
      [resign({ ...visit(0, 0, 2, true), round: E + 1 }, patient(base, 0))],
      "RoundInFuture",
    ],
    ["invalid_fee", "A medical fee below the minimum.", [visit(0, 0, 2, true, 4)], "InsufficientFee"],
    [
      "invalid_institution",
      "A receiver outside the registry.",
      [resign({ ...visit(0, 0, 2, true), institution: 9 }, patient(base, 0))],
      "UnknownInstitution",
    ],
    [
      "invalid_patient",
      "A block number with no patient.",
      [resign({ ...visit(0, 0, 2, true), patient: 99 }, patient(base, 0))],
      "UnknownPatient",
    ],
    [
      "invalid_signature",
      "A medical transaction whose pointer was changed after signing.",
      [{ ...visit(0, 0, 2, true), record: { ...visit(0, 0, 2, true).record, pointer: random32("p") } }],
      "BadSignature",
    ],
    ["invalid_replayed", "A pinned medical transaction again.", [base.firstRecord], "TransactionReplayed"],
    [
      "invalid_replayed_in_batch",
      "One transaction twice in a batch.",
      [visit(0, 0, 2, true), visit(0, 0, 2, true)],
      "TransactionReplayed",
    ],
    [
      "invalid_leaf_value",
      "A later record at A carrying another h.",
      [
        medicalTx(
          crypto,
          patient(base, 0),
          0,
          { ...recordData(series(base, 0, 2), false), h: series(base, 1, 0).h },
          ctx(0),
        ),
      ],
      "LeafValueMismatch",
    ],
    ["invalid_leaf_missing", "A first record at C without h.", [visit(2, 2, 0, true)], "LeafMissing"],
    [
      "invalid_pointer_repeated",
      "A later record at A restating patient 0's second record there (pointer and randomness) with another fee.",
      [visit(0, 0, 1, true, 50)],
      "PointerRepeated",
    ],
    [
      "invalid_chameleon_hash",
      "A record whose randomness belongs to another pointer.",
      [
        medicalTx(
          crypto,
          patient(base, 0),
          0,
          { ...recordData(series(base, 0, 3), true), pointer: series(base, 0, 2).pointer },
          ctx(0),
        ),
      ],
      "ChameleonHashInvalid",
    ],
    [
      "invalid_chameleon_scheme",
      "A later record at A (an AM04 institution) carrying a well-formed DSS20 randomness.",
      [
        medicalTx(
          crypto,
          patient(base, 0),
          0,
          {
            scheme: CHAMELEON_SCHEME_IDS.DSS20,
            h: undefined,
            r: DSS20_RANDOMNESS,
            pointer: series(base, 0, 3).pointer,
          },
          ctx(0),
        ),
      ],
      "ChameleonSchemeMismatch",
    ],
  ];
  for (const [name, description, txs, tag] of invalid) {
    b.add(name, description, config, pre, [b.batch(batchOf(world, S, txs, anyRoot), world, fail(tag))]);
  }
  b.add("invalid_empty", "A batch without transactions.", config, pre, [
    b.batch(batchOf(world, S, [], anyRoot), world, fail("BatchEmpty")),
  ]);
  b.add("invalid_no_quorum", "A batch certificate with too few signers.", config, pre, [
    b.batch(batchOf(world, S, good, undefined, [0, 1]), world, fail("CertificateInvalid", "NoQuorum")),
  ]);
  const certifiedOrder = batchOf(world, S, good);
  b.add("invalid_reordered", "The certified transactions in another order: the entries' root differs.", config, pre, [
    b.batch({ ...certifiedOrder, transactions: [...good].reverse() }, world, fail("PinValueMismatch")),
  ]);
  b.add("invalid_dropped", "One certified transaction left out.", config, pre, [
    b.batch({ ...certifiedOrder, transactions: good.slice(1) }, world, fail("PinValueMismatch")),
  ]);
  // A patient whose keyblock is pinned but whose microblock does not exist yet.
  const reg = registerTx(crypto, patient(base, 3), scenarioIdentity(patient(base, 3)), {
    institution: 2,
    round: E,
    fee: 10,
  });
  const out = Result.getOrThrow(runRound(world, [reg], 3)).round;
  const S3 = Result.getOrThrow(
    applyKeyblockPinWith(crypto, Result.getOrThrow(applyKeyblockWith(crypto, S, out.keyblock)), out.pin, world.group),
  );
  const early = medicalTx(crypto, patient(base, 3), 3, recordData(series(base, 2, 0), false), {
    institution: 2,
    round: E + 1,
    fee: 5,
  });
  b.add("invalid_patient_block_pending", "A record for a patient whose microblock is not created yet.", config, pre, [
    ...b.round(out, world, false),
    b.batch(batchOf(world, S3, [early], anyRoot), world, fail("PatientBlockPending")),
  ]);
  const withRegister = concatBytes(
    encodeBatch(batchOf(world, S, [], anyRoot)).subarray(0, -4),
    Uint8Array.of(0, 0, 0, 1),
    encodeTransaction(reg),
  );
  b.add("invalid_register_in_batch", "A register transaction in a batch.", config, pre, [
    b.step("apply_batch", "batch", withRegister, fail("DecodeError", "BadType"), {
      group: b.ref("group", encodeGroup(world.group)),
    }),
  ]);
  return b;
};

const labelFile = (base: Base): FileBuilder => {
  const b = new FileBuilder(
    "label",
    "Label transactions (TX-5, CHAIN-7, MB-5, RET-2): corrections keep h and the original.",
  );
  const config = base.config(b);
  const pre = base.pre(b);
  const { world } = base;
  const S = world.state;
  const E = currentEpoch(S);
  const target = transactionId(base.firstRecord);
  const ctx = (institution: number, fee = 5) => ({ institution, round: E, fee });
  const label = (n: number, t: Uint8Array, i: number, k: number, omit = true, fee = 5) =>
    labelTx(crypto, patient(base, n), n, t, recordData(series(base, i, k), omit), ctx(i, fee));
  const first = label(0, target, 0, 3);
  const second = label(0, target, 0, 2, false, 6);
  const after = Result.getOrThrow(applyBatchWith(crypto, S, batchOf(world, S, [first]), world.group));
  b.add(
    "valid_two_corrections",
    "Two labels of patient 0's first record at A: both attached, the original kept.",
    config,
    pre,
    [b.batch(batchOf(world, S, [first]), world), b.batch(batchOf(world, after, [second]), world)],
  );
  const anyRoot = random32("any root");
  const invalid: [string, string, RecordTx, string][] = [
    [
      "invalid_target_unknown",
      "A label of no pinned transaction.",
      label(0, random32("target"), 0, 3),
      "LabelTargetUnknown",
    ],
    [
      "invalid_target_register",
      "A label of a register transaction.",
      label(0, transactionId(base.registers[0] as RegisterTx), 0, 3),
      "LabelTargetNotMedical",
    ],
    [
      "invalid_target_other_patient",
      "Patient 1 labels patient 0's record.",
      label(1, target, 0, 3),
      "LabelTargetOtherPatient",
    ],
    [
      "invalid_target_other_institution",
      "A label sent to B for A's record.",
      label(0, target, 1, 0, false),
      "LabelTargetOtherInstitution",
    ],
    [
      "invalid_label_chameleon",
      "A correction whose randomness is not a collision for its pointer.",
      labelTx(
        crypto,
        patient(base, 0),
        0,
        target,
        { ...recordData(series(base, 0, 1), true), pointer: series(base, 0, 3).pointer },
        ctx(0),
      ),
      "ChameleonHashInvalid",
    ],
    [
      "invalid_label_pointer_repeated",
      "A correction restating the record it corrects (its pointer and randomness): HVer holds without the trapdoor.",
      label(0, target, 0, 0),
      "PointerRepeated",
    ],
    [
      "invalid_label_leaf_value",
      "A correction carrying another institution's h.",
      labelTx(crypto, patient(base, 0), 0, target, recordData(series(base, 1, 0), false), ctx(0)),
      "LeafValueMismatch",
    ],
  ];
  for (const [name, description, tx, tag] of invalid) {
    b.add(name, description, config, pre, [b.batch(batchOf(world, S, [tx], anyRoot), world, fail(tag))]);
  }
  b.add("invalid_label_of_label", "A label of a label.", config, pre, [
    b.batch(batchOf(world, S, [first]), world),
    b.batch(
      batchOf(world, after, [label(0, transactionId(first), 0, 2, true, 7)], anyRoot),
      world,
      fail("LabelTargetNotMedical"),
    ),
  ]);
  return b;
};

const historyFile = (base: Base, seed: Uint8Array): FileBuilder => {
  const b = new FileBuilder(
    "history",
    "Random valid histories (CHAIN-3..CHAIN-7) and the histories they leave (RET-2).",
  );
  const config = base.config(b);
  const draw = seededSource(seed);
  const int = (bound: number) => (draw.bytes(1)[0] ?? 0) % bound;
  for (let c = 0; c < 3; c++) {
    const ops: ScenarioOp[] = [{ _tag: "Round", registers: 1 + int(3), miner: int(4) }];
    for (let k = 0; k < 5; k++) {
      if (int(3) === 0) ops.push({ _tag: "Round", registers: int(3), miner: int(4) });
      else {
        const records = Array.from({ length: 1 + int(4) }, () => ({
          patient: int(8),
          institution: int(4),
          label: int(3) === 0,
          includeHash: int(2) === 0,
        }));
        ops.push({ _tag: "Batch", records });
      }
    }
    const result = Result.getOrThrow(runScenario(base.kit, ops));
    b.add(
      `valid_history_${c}`,
      `A random valid history of ${ops.length} operations.`,
      config,
      [],
      b.applied(result.steps, base.kit.world),
    );
  }
  return b;
};

/** Every rejection code of the ledger (spec/chain.md "Error codes"): each needs an invalid case. */
export const LEDGER_REJECTIONS = [
  "KeyblockKnown",
  "ConflictsWithPin",
  "KeyblockParentUnknown",
  "MicroblocksMissing",
  "MicroblockCommitmentMismatch",
  "RegisterRootMismatch",
  "InsufficientWork",
  "RoundTooOld",
  "RoundInFuture",
  "InsufficientFee",
  "UnknownInstitution",
  "BadSignature",
  "TransactionReplayed",
  "IdentityAlreadyRegistered",
  "PatientAlreadyRegistered",
  "PinValueMismatch",
  "CertificateInvalid",
  "ConsensusGroupInvalid",
  "MicroblockUnexpected",
  "MicroblockKnown",
  "MicroblockOutOfOrder",
  "MicroblockMismatch",
  "MicroblockPrevMismatch",
  "NotRoundLeader",
  "BadMicroblockSignature",
  "BatchEmpty",
  "UnknownPatient",
  "PatientBlockPending",
  "LabelTargetUnknown",
  "LabelTargetNotMedical",
  "LabelTargetOtherPatient",
  "LabelTargetOtherInstitution",
  "LeafValueMismatch",
  "LeafMissing",
  "PointerRepeated",
  "ChameleonHashInvalid",
  "DecodeError",
] as const;

/** [VEC-5] All transition files from one seed; fails if a rejection code has no invalid case. */
export const buildTransitionFiles = (seed: Uint8Array): TransitionFile[] => {
  const base = makeBase(seed);
  const files = [
    keyblockFile(base),
    pinFile(base),
    microblockFile(base),
    batchFile(base),
    labelFile(base),
    historyFile(base, seed),
  ].map((builder) => builder.file());
  const covered = new Set(files.flatMap((f) => f.cases.flatMap((c) => c.steps.map((s) => s.expect_error))));
  const missing = LEDGER_REJECTIONS.filter((tag) => !covered.has(tag));
  if (missing.length > 0) throw new Error(`ledger transition vectors: no invalid case for ${missing.join(", ")}`);
  return files;
};
