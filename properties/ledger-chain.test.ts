/**
 * Properties of the chain (spec/chain.md, spec/pins.md, spec/retrieval.md): random valid histories apply;
 * retrieval returns exactly the records applied, in order, with corrections attached; every record's proof
 * verifies from pinned headers and fails for any other record; nothing conflicting with a pin is accepted;
 * an identity registers once; labels keep their record's h and need the issuing institution's trapdoor.
 * Each property has a negative control that runs it against a deliberately broken rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HashMap, Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { merkleRoot, rootFromInclusionProof } from "../src/crypto/merkle.js";
import type { CryptoShape, Ed25519KeyPair } from "../src/crypto/signature.js";
import { type ChameleonRecord, labelTx, medicalTx, recordData, registerTx } from "../src/ehealth/records.js";
import type { ScenarioKit } from "../src/ehealth/scenario.js";
import { scenarioIdentity } from "../src/ehealth/scenario.js";
import { pinBatch } from "../src/ehealth/world.js";
import { proposedBatchRoot } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith, expectedPrevMicroblock } from "../src/ledger/apply-keyblock.js";
import { decodeEntry } from "../src/ledger/batch.js";
import type { KeyblockError } from "../src/ledger/errors.js";
import { type Keyblock, keyblockId, meetsDifficulty, powDigest, registerRoot } from "../src/ledger/keyblock.js";
import { mineKeyblock } from "../src/ledger/mine.js";
import { institutionLeafData, institutionRoot, leafRecords, type PatientSlot } from "../src/ledger/patient-block.js";
import { certifies, certify, pinGroup } from "../src/ledger/pin.js";
import {
  type PinnedHeaders,
  pinnedHeaders,
  proveRecord,
  type RecordProof,
  sequenceGaps,
  type VerifiedRecord,
  verifyRecordProof,
} from "../src/ledger/proof.js";
import { type HistoryItem, history, historyByScan, patientBlock } from "../src/ledger/retrieval.js";
import { type ChainState, currentEpoch, tip } from "../src/ledger/state.js";
import { type RecordData, type RecordTx, transactionId } from "../src/ledger/transaction.js";
import { nodeCrypto } from "../src/node.js";
import { LEDGER_REJECTIONS } from "../vectors/gen/ledger-cases.js";
import { summarize } from "../vectors/gen/ledger-transition.js";
import { VECTORS_DIR } from "../vectors/io.js";
import { failsOn, holds } from "./check.js";
import { lazyKit, mustRun, scenarioOps } from "./ledger/fixtures.js";

const kit = lazyKit("ledger-chain");
const crypto = nodeCrypto;
const RUNS = 12;

/** Every pinned medical and label id of a state. */
const recordIds = (state: ChainState): Uint8Array[] =>
  [...state.batches].flatMap((batch) => batch.transactions.map((tx) => transactionId(tx)));

const withBrokenHVer = (k: ScenarioKit): ScenarioKit => ({
  ...k,
  world: {
    ...k.world,
    state: {
      ...k.world.state,
      chKeys: k.world.state.chKeys.map((key) => ({ ...key, verify: () => Result.succeed(false) })),
    },
  },
});

describe("ledger: valid histories", () => {
  const applies = (k: ScenarioKit) =>
    fc.property(scenarioOps(), (ops) => {
      const result = mustRun(k, ops);
      expect(tip(result.world.state).height).toBe(ops.filter((op) => op._tag === "Round").length);
    });

  it("[CHAIN-3] [CHAIN-4] [CHAIN-5] [CHAIN-6] [CHAIN-7] random valid histories apply", () => {
    holds("valid histories apply", applies(kit), { numRuns: RUNS });
  });

  it("[CHAIN-7] negative control: with HVer broken, a valid history is rejected", () => {
    const found = failsOn("valid histories apply (HVer broken)", applies(withBrokenHVer(kit)), 50);
    expect(found.value[0].some((op) => op._tag === "Batch")).toBe(true);
  });
});

type HistoryFn = (state: ChainState, number: number) => Result.Result<HistoryItem[], unknown>;

const historyMatches = (historyOf: HistoryFn) =>
  fc.property(scenarioOps(6, 5), (ops) => {
    const { world, expected } = mustRun(kit, ops);
    for (let number = 0; number < world.state.patients.size; number++) {
      const items = Result.getOrThrow(historyOf(world.state, number));
      const want = expected.get(number) ?? [];
      expect(items.map((i) => bytesToHex(i.id))).toEqual(want.map((r) => bytesToHex(r.id)));
      expect(items.map((i) => i.corrections.map((c) => bytesToHex(c.id)))).toEqual(
        want.map((r) => r.corrections.map(bytesToHex)),
      );
      expect(items.map((i) => i.labelled)).toEqual(want.map((r) => r.corrections.length > 0));
      const scanned = historyByScan(world.state, number);
      expect(scanned.map((s) => bytesToHex(s.medical.id))).toEqual(items.map((i) => bytesToHex(i.id)));
    }
  });

describe("ledger: retrieval", () => {
  it("[RET-2] [RET-1] [MB-5] [MB-6] a patient's history is the records applied, in pin order, corrections attached", () => {
    holds("history equals the records applied", historyMatches(history), { numRuns: RUNS });
  });

  it("[RET-2] negative control: a history ordered by leaf instead of by pin is caught", () => {
    const byLeaf: HistoryFn = (state, number) =>
      Result.map(history(state, number), (items) =>
        [...items].sort((a, b) => a.leaf - b.leaf || a.sequence - b.sequence),
      );
    failsOn("history equals the records applied (ordered by leaf)", historyMatches(byLeaf), 100);
  });
});

type Verify = (crypto: CryptoShape, headers: PinnedHeaders, proof: RecordProof) => boolean;

const realVerify: Verify = (c, headers, proof) => Result.isSuccess(verifyRecordProof(c, headers, proof));

/** A broken client: it checks the path against the certificate but not that the entry names the transaction. */
const pathOnlyVerify: Verify = (c, headers, proof) => {
  const certificate = headers.batches.get(proof.batch);
  const root = rootFromInclusionProof(c, {
    size: proof.size,
    index: proof.index,
    leaf: proof.entry,
    proof: proof.path,
  });
  return certificate !== undefined && Result.isSuccess(root) && certifies(certificate, root.success);
};

const proofsBindRecords = (verify: Verify) =>
  fc.property(scenarioOps(4, 4), fc.nat(), fc.nat(), (ops, a, b) => {
    const { world } = mustRun(kit, ops);
    const ids = recordIds(world.state);
    fc.pre(ids.length >= 2);
    const headers = pinnedHeaders(world.state);
    const first = ids[a % ids.length] as Uint8Array;
    const other = ids[(a + 1 + (b % (ids.length - 1))) % ids.length] as Uint8Array;
    const proof = Result.getOrThrow(proveRecord(crypto, world.state, first));
    const otherProof = Result.getOrThrow(proveRecord(crypto, world.state, other));
    expect(verify(crypto, headers, proof)).toBe(true);
    // The same proof presented for another record: another transaction, or another record's entry and path.
    expect(verify(crypto, headers, { ...proof, transaction: otherProof.transaction })).toBe(false);
    expect(verify(crypto, headers, { ...otherProof, transaction: proof.transaction })).toBe(false);
  });

describe("ledger: inclusion proofs", () => {
  it("[RET-4] [RET-3] [PIN-4] a record's proof verifies from pinned headers and fails for any other record", () => {
    holds("proofs bind their record", proofsBindRecords(realVerify), { numRuns: RUNS });
  });

  it("[RET-4] negative control: a client that checks only the path accepts another record", () => {
    failsOn("proofs bind their record (path only)", proofsBindRecords(pathOnlyVerify), 30);
  });

  it("[RET-4] a proof from a batch the client does not hold, or with a tampered entry, is rejected with its tag", () => {
    const { world } = mustRun(kit, [
      { _tag: "Round", registers: 2, miner: 0 },
      { _tag: "Batch", records: [{ patient: 0, institution: 0, label: false, includeHash: true }] },
    ]);
    const id = recordIds(world.state)[0] as Uint8Array;
    const proof = Result.getOrThrow(proveRecord(crypto, world.state, id));
    const headers = pinnedHeaders(world.state);
    const tag = (p: RecordProof, h: PinnedHeaders = headers) => {
      const r = verifyRecordProof(crypto, h, p);
      return Result.isFailure(r) ? r.failure._tag : "ok";
    };
    expect(tag(proof)).toBe("ok");
    expect(tag({ ...proof, batch: proof.batch + 1 })).toBe("ProofBatchUnknown");
    expect(tag({ ...proof, path: [new Uint8Array(32)] })).toBe("ProofMalformed");
    const entry = proof.entry.slice();
    entry[entry.length - 1] = (entry[entry.length - 1] ?? 0) ^ 1;
    expect(tag({ ...proof, entry })).toBe("ProofMismatch");
    expect(tag(proof, { ...headers, microblocks: new Map() })).toBe("ProofPatientMismatch");
    expect(Result.isSuccess(decodeEntry(proof.entry))).toBe(true);
  });
});

/** Mines a keyblock at `height` over the pinned keyblock at height - 1, by `miner`. */
const competitor = (state: ChainState, height: number, miner: Uint8Array): Keyblock => {
  const parent = state.keyblocks.get(height - 1);
  if (parent === undefined) throw new RangeError("no parent");
  const base = {
    height,
    prevKeyblock: parent.id,
    prevMicroblock: Result.getOrThrow(expectedPrevMicroblock(state, height)),
    registerRoot: registerRoot(crypto, []),
    miner,
  };
  for (let nonce = 0n; ; nonce++) {
    const header = { ...base, nonce };
    if (meetsDifficulty(powDigest(header), state.config.difficulty_bits)) return { header, registers: [] };
  }
};

type ApplyKeyblock = (c: CryptoShape, s: ChainState, kb: Keyblock) => Result.Result<ChainState, KeyblockError>;

/** A broken chain rule: at a pinned height, a block with more work (a smaller PoW digest) replaces the pin. */
const mostWorkWins: ApplyKeyblock = (c, s, kb) => {
  const pinned = s.keyblocks.get(kb.header.height);
  const pinnedHeader = pinned?.keyblock?.header;
  if (pinnedHeader !== undefined && bytesToHex(powDigest(kb.header)) < bytesToHex(powDigest(pinnedHeader))) {
    return Result.succeed({
      ...s,
      keyblocks: s.keyblocks.set(kb.header.height, { ...pinned, id: keyblockId(kb.header) } as never),
    });
  }
  return applyKeyblockWith(c, s, kb);
};

const noForkPastPin = (apply: ApplyKeyblock) =>
  fc.property(scenarioOps(3, 2), fc.nat(), fc.nat({ max: 2 }), (ops, pick, minerIndex) => {
    const { world } = mustRun(kit, ops);
    const state = world.state;
    const top = tip(state).height;
    const height = 1 + (pick % top);
    const miner = world.institutions[minerIndex]?.signing.publicKey as Uint8Array;
    const rival = competitor(state, height, miner);
    fc.pre(!bytesEqual(keyblockId(rival.header), state.keyblocks.get(height)?.id ?? new Uint8Array()));
    const result = apply(crypto, state, rival);
    expect(Result.isFailure(result) ? result.failure._tag : "accepted").toBe("ConflictsWithPin");
    const after = Result.isSuccess(result) ? result.success : state;
    for (let h = 0; h <= top; h++) expect(after.keyblocks.get(h)?.id).toEqual(state.keyblocks.get(h)?.id);
  });

describe("ledger: pins are final", () => {
  it("[PIN-6] [CHAIN-4] no keyblock conflicting with a pin is accepted, whatever its work", () => {
    holds("no fork past a pin", noForkPastPin(applyKeyblockWith), { numRuns: RUNS });
  });

  it("[PIN-6] negative control: a most-work rule forks past a pin", () => {
    failsOn("no fork past a pin (most work wins)", noForkPastPin(mostWorkWins), 60);
  });

  it("[CHAIN-4] [CHAIN-5] a keyblock that does not extend the tip, or a pin of a non-candidate, is rejected", () => {
    const { world } = mustRun(kit, [
      { _tag: "Round", registers: 1, miner: 0 },
      { _tag: "Round", registers: 0, miner: 1 },
    ]);
    const state = world.state;
    const stale = competitor(state, 1, world.institutions[2]?.signing.publicKey as Uint8Array);
    const next = Result.getOrThrow(
      mineKeyblock(crypto, state, world.institutions[1]?.signing.publicKey as Uint8Array, []),
    );
    const offParent = { ...next, header: { ...next.header, prevKeyblock: keyblockId(stale.header) } };
    const tagOf = (r: Result.Result<unknown, { readonly _tag: string }>) =>
      Result.isFailure(r) ? r.failure._tag : "ok";
    expect(tagOf(applyKeyblockWith(crypto, state, offParent))).toBe("ConflictsWithPin");
    const group = Result.getOrThrow(pinGroup(currentEpoch(state), world.group));
    const signers = world.group.members.map((_, index) => ({
      index,
      secretKey: world.institutions[index]?.signing.secretKey as Uint8Array,
    }));
    const pin = certify(crypto, group, signers, keyblockId(stale.header));
    expect(tagOf(applyKeyblockPinWith(crypto, state, pin, world.group))).toBe("PinValueMismatch");
  });
});

const identityOnce = (forget: boolean) =>
  fc.property(scenarioOps(2, 1), fc.nat(), fc.boolean(), (ops, pick, sameBlock) => {
    const { world } = mustRun(kit, ops);
    const state0 = forget ? { ...world.state, identities: HashMap.empty<string, number>() } : world.state;
    const registered = world.state.patients.size;
    const victim = kit.patients[pick % registered];
    const newcomer = kit.patients[kit.patients.length - 1];
    fc.pre(victim !== undefined && newcomer !== undefined && registered < kit.patients.length - 1);
    const context = { institution: 0, round: currentEpoch(state0), fee: 10 };
    const reuse = registerTx(crypto, newcomer as never, scenarioIdentity(victim as never), context);
    const registers = sameBlock
      ? [
          registerTx(
            crypto,
            kit.patients[registered] as never,
            scenarioIdentity(kit.patients[registered] as never),
            context,
          ),
          registerTx(crypto, newcomer as never, scenarioIdentity(kit.patients[registered] as never), context),
        ]
      : [reuse];
    const miner = world.institutions[0]?.signing.publicKey as Uint8Array;
    const kb = Result.getOrThrow(mineKeyblock(crypto, state0, miner, registers));
    const result = applyKeyblockWith(crypto, state0, kb);
    expect(Result.isFailure(result) ? result.failure._tag : "accepted").toBe("IdentityAlreadyRegistered");
  });

describe("ledger: one identity, one patient", () => {
  it("[CHAIN-10] [TX-3] an identity commitment registers once, in a later keyblock or in the same one", () => {
    holds("an identity registers once", identityOnce(false), { numRuns: RUNS });
  });

  it("[CHAIN-10] negative control: a ledger that forgets registered identities lets one register twice", () => {
    const found = failsOn("an identity registers once (forgetful)", identityOnce(true), 60);
    expect(found.value[2]).toBe(false);
  });
});

const labelConsistency = (k: ScenarioKit) =>
  fc.property(scenarioOps(3, 3), fc.nat(), fc.nat({ max: 6 }), (ops, pick, forgery) => {
    const { world, expected } = mustRun(k, ops);
    const records = [...expected.entries()].flatMap(([number, list]) => list.map((record) => ({ number, record })));
    fc.pre(records.length > 0);
    const { number, record: target } = records[pick % records.length] as (typeof records)[number];
    const series = k.series[target.institution] ?? [];
    const patient = k.patients[number] as Ed25519KeyPair;
    const context = { institution: target.institution, round: currentEpoch(world.state), fee: 1000 + pick };
    const slot = world.state.patients.get(number);
    const leaf = slot?.leaves.findIndex((l) => l.institution === target.institution) ?? -1;
    const onChain = slot === undefined ? [] : leafRecords(slot, leaf);
    // The correction takes the series' next record: a pointer new to the leaf (CHAIN-7).
    const correction = series[onChain.length] as ChameleonRecord | undefined;
    fc.pre(correction !== undefined);
    if (correction === undefined) return;
    const good = labelTx(crypto, patient, number, target.id, recordData(correction, true), context);
    const labelled = Result.getOrThrow(pinBatch(world, [good])).world;
    const item = Result.getOrThrow(history(labelled.state, number)).find((i) => bytesEqual(i.id, target.id));
    expect(item?.labelled).toBe(true);
    expect(item?.corrections.map((c) => bytesToHex(c.id))).toEqual(
      [...target.corrections, transactionId(good)].map(bytesToHex),
    );
    expect(item?.leafValue).toEqual(correction.h);
    const other = k.series[(target.institution + 1) % k.series.length]?.[0] as ChameleonRecord;
    const forged: [RecordTx, string, ChainState][] = [
      [
        labelTx(
          crypto,
          patient,
          number,
          target.id,
          { ...recordData(correction, true), pointer: other.pointer },
          context,
        ),
        "ChameleonHashInvalid",
        world.state,
      ],
      [
        labelTx(crypto, patient, number, target.id, recordData(other, false), context),
        "LeafValueMismatch",
        world.state,
      ],
      [
        labelTx(crypto, patient, number, target.id, recordData(other, false), {
          ...context,
          institution: (target.institution + 1) % k.series.length,
        }),
        "LabelTargetOtherInstitution",
        world.state,
      ],
      [
        labelTx(crypto, patient, number, transactionId(good), recordData(correction, true), context),
        "LabelTargetNotMedical",
        labelled.state,
      ],
      [
        labelTx(
          crypto,
          patient,
          number,
          target.id,
          { ...(onChain[0]?.tx.record as RecordData), h: undefined },
          context,
        ),
        "PointerRepeated",
        world.state,
      ],
      [
        labelTx(crypto, patient, number, new Uint8Array(32), recordData(correction, true), context),
        "LabelTargetUnknown",
        world.state,
      ],
      [
        labelTx(
          crypto,
          patient,
          number,
          world.state.patients.get(number)?.registerTx as Uint8Array,
          recordData(correction, true),
          context,
        ),
        "LabelTargetNotMedical",
        world.state,
      ],
    ];
    const [tx, tag, state] = forged[forgery] as (typeof forged)[number];
    const result = proposedBatchRoot(crypto, state, [tx]);
    expect(Result.isFailure(result) ? result.failure._tag : "accepted").toBe(tag);
  });

const withHVerSkipped = (k: ScenarioKit): ScenarioKit => ({
  ...k,
  world: {
    ...k.world,
    state: {
      ...k.world.state,
      chKeys: k.world.state.chKeys.map((key) => ({ ...key, verify: () => Result.succeed(true) })),
    },
  },
});

describe("ledger: labels", () => {
  it("[TX-5] [CHAIN-7] [MB-5] a label keeps the record's h, needs the issuer's trapdoor, and leaves the original marked", () => {
    holds("label consistency", labelConsistency(kit), { numRuns: RUNS });
  });

  it("[TX-5] negative control: without HVer a forged correction is accepted", () => {
    const found = failsOn("label consistency (HVer skipped)", labelConsistency(withHVerSkipped(kit)), 60);
    expect(found.value[2]).toBe(0);
  });

  it("[CHAIN-7] a label by another patient is LabelTargetOtherPatient", () => {
    const { world, expected } = mustRun(kit, [
      { _tag: "Round", registers: 2, miner: 0 },
      { _tag: "Batch", records: [{ patient: 0, institution: 0, label: false, includeHash: true }] },
    ]);
    const target = (expected.get(0) ?? [])[0] as typeof expected extends ReadonlyMap<number, readonly (infer R)[]>
      ? R
      : never;
    const context = { institution: 0, round: currentEpoch(world.state), fee: 50 };
    const tx = labelTx(
      crypto,
      kit.patients[1] as Ed25519KeyPair,
      1,
      target.id,
      recordData(kit.series[0]?.[1] as ChameleonRecord, false),
      context,
    );
    const result = proposedBatchRoot(crypto, world.state, [tx]);
    expect(Result.isFailure(result) ? result.failure._tag : "accepted").toBe("LabelTargetOtherPatient");
  });
});

type RootFn = (state: ChainState, number: number) => Uint8Array;

const realRoot: RootFn = (state, number) => Result.getOrThrow(patientBlock(crypto, state, number)).institutionRoot;

/** A broken root: the leaves sorted by institution index instead of by first treatment. */
const byIndexRoot: RootFn = (state, number) => {
  const slot = state.patients.get(number) as PatientSlot;
  return institutionRoot(crypto, state.config.institutions, {
    ...slot,
    leaves: [...slot.leaves].sort((a, b) => a.institution - b.institution),
  });
};

/** The leaves an independent reader derives from the pinned batches: institutions in order of first record, with that record's h. */
const leavesByScan = (state: ChainState, number: number): Uint8Array[] => {
  const seen = new Map<number, Uint8Array>();
  for (const batch of state.batches) {
    for (const tx of batch.transactions) {
      if (tx.patient !== number || seen.has(tx.institution)) continue;
      seen.set(tx.institution, tx.record.h as Uint8Array);
    }
  }
  return [...seen].map(([institution, h]) =>
    institutionLeafData(state.config.institutions[institution]?.key as Uint8Array, h),
  );
};

const rootTracksFirstTreatment = (rootOf: RootFn) =>
  fc.property(scenarioOps(5, 4), (ops) => {
    const { world } = mustRun(kit, ops);
    for (let number = 0; number < world.state.patients.size; number++) {
      expect(rootOf(world.state, number)).toEqual(merkleRoot(crypto, leavesByScan(world.state, number)));
    }
  });

describe("ledger: the institution root", () => {
  it("[MB-4] the institution root is over the leaves in order of first treatment, each the first record's h", () => {
    holds("institution root", rootTracksFirstTreatment(realRoot), { numRuns: RUNS });
  });

  it("[MB-4] negative control: a root over leaves in index order is caught", () => {
    failsOn("institution root (index order)", rootTracksFirstTreatment(byIndexRoot), 100);
  });
});

describe("ledger: what a client detects", () => {
  it("[RET-5] a record left out of the middle of a leaf shows as a gap; one left out at the end cannot", () => {
    const { world } = mustRun(kit, [
      { _tag: "Round", registers: 1, miner: 0 },
      {
        _tag: "Batch",
        records: [0, 1, 2].map(() => ({ patient: 0, institution: 0, label: false, includeHash: false })),
      },
    ]);
    const headers = pinnedHeaders(world.state);
    const verified = recordIds(world.state).map((id) =>
      Result.getOrThrow(verifyRecordProof(crypto, headers, Result.getOrThrow(proveRecord(crypto, world.state, id)))),
    );
    expect(sequenceGaps(verified)).toEqual([]);
    expect(sequenceGaps([verified[0], verified[2]] as VerifiedRecord[])).toEqual([
      { number: 0, leaf: 0, missing: [1] },
    ]);
    expect(sequenceGaps(verified.slice(0, 2))).toEqual([]);
  });
});

describe("ledger: states are values", () => {
  it("[CHAIN-2] [CHAIN-3] a transition leaves its input state as it was; a state branches", () => {
    const { world } = mustRun(kit, [{ _tag: "Round", registers: 2, miner: 0 }]);
    const before = JSON.stringify(summarize(world.state));
    const context = { institution: 0, round: currentEpoch(world.state), fee: 9 };
    const a = medicalTx(
      crypto,
      kit.patients[0] as Ed25519KeyPair,
      0,
      recordData(kit.series[0]?.[0] as ChameleonRecord, false),
      context,
    );
    const b = medicalTx(
      crypto,
      kit.patients[1] as Ed25519KeyPair,
      1,
      recordData(kit.series[1]?.[0] as ChameleonRecord, false),
      { ...context, institution: 1 },
    );
    const left = Result.getOrThrow(pinBatch(world, [a])).world.state;
    const right = Result.getOrThrow(pinBatch(world, [b])).world.state;
    expect(JSON.stringify(summarize(world.state))).toBe(before);
    expect(summarize(left).histories.map((h) => h.number)).toEqual([0]);
    expect(summarize(right).histories.map((h) => h.number)).toEqual([1]);
    const rejected = proposedBatchRoot(crypto, world.state, [a, a]);
    expect(Result.isFailure(rejected) ? rejected.failure._tag : "accepted").toBe("TransactionReplayed");
    expect(JSON.stringify(summarize(world.state))).toBe(before);
  });
});

describe("ledger: transition vectors", () => {
  it("[CHAIN-12] the committed transition vectors have an invalid case for every rejection code", () => {
    const files = readdirSync(join(VECTORS_DIR, "ledger", "transition")).map((name) =>
      JSON.parse(readFileSync(join(VECTORS_DIR, "ledger", "transition", name), "utf8")),
    );
    const codes = new Set(
      files.flatMap((f) =>
        f.cases.flatMap((c: { steps: { expect_error?: string }[] }) => c.steps.map((s) => s.expect_error)),
      ),
    );
    expect(LEDGER_REJECTIONS.filter((code) => !codes.has(code))).toEqual([]);
  });
});
