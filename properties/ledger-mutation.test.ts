/**
 * Single-field mutations (spec/transactions.md, spec/blocks.md, spec/pins.md, spec/chain.md): every field of a
 * valid register, medical and label transaction, keyblock header, microblock header and pin certificate is
 * changed, alone, and the transition must reject the result with the tag of the first rule the change breaks
 * (CHAIN-3's order) — or accept it where the change keeps the object valid (a new nonce that still meets the
 * work). Mutations come raw (the signature no longer matches) and re-signed (the semantic rule must catch
 * them). The negative control runs the same table against a ledger with the fee rule removed.
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PinCertificate } from "../src/consensus/certificate.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import type { Ed25519KeyPair } from "../src/crypto/signature.js";
import { type ChameleonRecord, labelTx, medicalTx, recordData, registerTx } from "../src/ehealth/records.js";
import { allSigners, roundLeader } from "../src/ehealth/world.js";
import { proposedBatchRoot } from "../src/ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../src/ledger/apply-microblock.js";
import { type Keyblock, type KeyblockHeader, keyblockId, meetsDifficulty, powDigest } from "../src/ledger/keyblock.js";
import { type MicroblockHeader, signMicroblock } from "../src/ledger/microblock.js";
import { createMicroblocks, mineKeyblock } from "../src/ledger/mine.js";
import { certify, pinGroup } from "../src/ledger/pin.js";
import { type ChainState, currentEpoch } from "../src/ledger/state.js";
import {
  type RecordTx,
  type RegisterTx,
  signTransaction,
  type UnsignedTransaction,
} from "../src/ledger/transaction.js";
import { failsOn, holds } from "./check.js";
import { MIN_FEE, makeKit, mustRun } from "./ledger/fixtures.js";

type Outcome = string;
const outcome = (r: Result.Result<unknown, { readonly _tag: string; readonly reason?: string }>): Outcome =>
  Result.isSuccess(r)
    ? "accepted"
    : r.failure.reason === undefined
      ? r.failure._tag
      : `${r.failure._tag}:${r.failure.reason}`;
const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at % copy.length] = (copy[at % copy.length] ?? 0) ^ 1;
  return copy;
};
type Case = { readonly run: (state: ChainState) => Outcome; readonly expect: Outcome };
type Mutator = { readonly name: string; readonly make: (n: number) => Case };

/** The bases and the mutation table, built when a test first needs them (so that coverage belongs to tests). */
const build = () => {
  const kit = makeKit("ledger-mutation", { patients: 6, freshness_window: 2 });
  const crypto = kit.world.crypto;
  const { world: base, expected } = mustRun(kit, [
    { _tag: "Round", registers: 2, miner: 0 },
    { _tag: "Round", registers: 1, miner: 1 },
    {
      _tag: "Batch",
      records: [
        { patient: 0, institution: 0, label: false, includeHash: true },
        { patient: 1, institution: 1, label: false, includeHash: true },
      ],
    },
  ]);
  const S = base.state;
  const epoch = currentEpoch(S);
  const patientOf = (n: number) => kit.patients[n] as Ed25519KeyPair;
  const series = (i: number, k: number) => kit.series[i]?.[k] as ChameleonRecord;
  const firstRecord = (expected.get(0) ?? [])[0];
  if (firstRecord === undefined) throw new Error("fixture without a record");

  const resign = <T extends UnsignedTransaction>(tx: T, signer: Ed25519KeyPair) =>
    signTransaction(crypto, signer.secretKey, tx);

  // Valid bases. Register: a new patient in the next keyblock. Records: a later visit at A (h omitted), a first
  // visit at C (h present), a correction of patient 0's record at A.
  const newcomer = kit.patients[4] as Ed25519KeyPair;
  const register: RegisterTx = registerTx(crypto, newcomer, taggedHash(TAGS.IDENTITY, newcomer.publicKey), {
    institution: 0,
    round: epoch,
    fee: MIN_FEE.register,
  });
  const context = (institution: number) => ({ institution, round: epoch, fee: MIN_FEE.medical });
  const later: RecordTx = medicalTx(crypto, patientOf(0), 0, recordData(series(0, 1), true), context(0));
  const first: RecordTx = medicalTx(crypto, patientOf(2), 2, recordData(series(2, 0), false), context(2));
  const label: RecordTx = labelTx(crypto, patientOf(0), 0, firstRecord.id, recordData(series(0, 2), true), context(0));

  const inKeyblock = (txs: RegisterTx[]) => (state: ChainState) =>
    outcome(
      Result.flatMap(mineKeyblock(crypto, state, base.institutions[0]?.signing.publicKey as Uint8Array, txs), (kb) =>
        applyKeyblockWith(crypto, state, kb),
      ),
    );
  const inBatch = (txs: RecordTx[]) => (state: ChainState) => outcome(proposedBatchRoot(crypto, state, txs));

  const registerMutators: Mutator[] = [
    {
      name: "register round in the future",
      make: () => ({ run: inKeyblock([{ ...register, round: epoch + 1 }]), expect: "RoundInFuture" }),
    },
    {
      name: "register round too old",
      make: () => ({
        run: inKeyblock([resign({ ...register, round: 0 }, newcomer)]),
        expect: epoch >= S.config.freshness_window ? "RoundTooOld" : "accepted",
      }),
    },
    {
      name: "register fee below the minimum",
      make: (n) => ({ run: inKeyblock([{ ...register, fee: n % MIN_FEE.register }]), expect: "InsufficientFee" }),
    },
    {
      name: "register institution out of the registry",
      make: (n) => ({ run: inKeyblock([{ ...register, institution: 3 + (n % 100) }]), expect: "UnknownInstitution" }),
    },
    {
      name: "register institution changed",
      make: () => ({ run: inKeyblock([{ ...register, institution: 1 }]), expect: "BadSignature" }),
    },
    {
      name: "register identity changed",
      make: (n) => ({
        run: inKeyblock([{ ...register, identity: flip(register.identity, n) }]),
        expect: "BadSignature",
      }),
    },
    {
      name: "register patient key changed",
      make: () => ({ run: inKeyblock([{ ...register, patientKey: patientOf(5).publicKey }]), expect: "BadSignature" }),
    },
    {
      name: "register signature changed",
      make: (n) => ({
        run: inKeyblock([{ ...register, signature: flip(register.signature, n) }]),
        expect: "BadSignature",
      }),
    },
    {
      name: "register replayed",
      make: () => ({ run: inKeyblock([register, register]), expect: "TransactionReplayed" }),
    },
    {
      name: "register re-signed with a registered identity",
      make: (n) => ({
        run: inKeyblock([
          resign({ ...register, identity: taggedHash(TAGS.IDENTITY, patientOf(n % 3).publicKey) }, newcomer),
        ]),
        expect: "IdentityAlreadyRegistered",
      }),
    },
    {
      name: "register re-signed by a registered patient",
      make: (n) => ({
        run: inKeyblock([resign({ ...register, patientKey: patientOf(n % 3).publicKey }, patientOf(n % 3))]),
        expect: "PatientAlreadyRegistered",
      }),
    },
  ];

  const recordMutators: Mutator[] = [
    {
      name: "record round in the future",
      make: () => ({ run: inBatch([{ ...later, round: epoch + 1 }]), expect: "RoundInFuture" }),
    },
    {
      name: "record fee below the minimum",
      make: (n) => ({ run: inBatch([{ ...later, fee: n % MIN_FEE.medical }]), expect: "InsufficientFee" }),
    },
    {
      name: "record institution out of the registry",
      make: (n) => ({ run: inBatch([{ ...later, institution: 3 + (n % 50) }]), expect: "UnknownInstitution" }),
    },
    {
      name: "record patient beyond the registry",
      make: (n) => ({ run: inBatch([{ ...later, patient: 3 + (n % 50) }]), expect: "UnknownPatient" }),
    },
    {
      name: "record patient changed",
      make: () => ({ run: inBatch([{ ...later, patient: 1 }]), expect: "BadSignature" }),
    },
    {
      name: "record institution changed",
      make: () => ({ run: inBatch([{ ...later, institution: 1 }]), expect: "BadSignature" }),
    },
    {
      name: "record pointer changed",
      make: (n) => ({
        run: inBatch([{ ...later, record: { ...later.record, pointer: flip(later.record.pointer, n) } }]),
        expect: "BadSignature",
      }),
    },
    {
      name: "record signature changed",
      make: (n) => ({ run: inBatch([{ ...later, signature: flip(later.signature, n) }]), expect: "BadSignature" }),
    },
    { name: "record replayed", make: () => ({ run: inBatch([later, later]), expect: "TransactionReplayed" }) },
    {
      name: "record re-signed with another pointer",
      make: (n) => ({
        run: inBatch([
          resign({ ...later, record: { ...later.record, pointer: flip(later.record.pointer, n) } }, patientOf(0)),
        ]),
        expect: "ChameleonHashInvalid",
      }),
    },
    {
      name: "record re-signed with another record's randomness",
      make: () => ({
        run: inBatch([resign({ ...later, record: { ...later.record, r: series(0, 3).r } }, patientOf(0))]),
        expect: "ChameleonHashInvalid",
      }),
    },
    {
      name: "record re-signed with another leaf value",
      make: () => ({
        run: inBatch([resign({ ...later, record: { ...later.record, h: series(1, 0).h } }, patientOf(0))]),
        expect: "LeafValueMismatch",
      }),
    },
    {
      name: "first record re-signed without h",
      make: () => ({
        run: inBatch([resign({ ...first, record: { ...first.record, h: undefined } }, patientOf(2))]),
        expect: "LeafMissing",
      }),
    },
    {
      name: "first record re-signed with another institution's h",
      make: () => ({
        run: inBatch([resign({ ...first, record: { ...first.record, h: series(0, 0).h } }, patientOf(2))]),
        expect: "ChameleonHashInvalid",
      }),
    },
    {
      name: "label target changed",
      make: (n) => ({
        run: inBatch([{ ...label, target: flip((label as { target: Uint8Array }).target, n) } as RecordTx]),
        expect: "BadSignature",
      }),
    },
    {
      name: "label re-signed with an unknown target",
      make: (n) => ({
        run: inBatch([
          resign({ ...label, target: flip((label as { target: Uint8Array }).target, n) } as RecordTx, patientOf(0)),
        ]),
        expect: "LabelTargetUnknown",
      }),
    },
  ];

  // Keyblock and pin bases: the next keyblock over S and its honest pin.
  const miner = base.institutions[1]?.signing.publicKey as Uint8Array;
  const next: Keyblock = Result.getOrThrow(mineKeyblock(crypto, S, miner, [register]));
  const withCandidate = Result.getOrThrow(applyKeyblockWith(crypto, S, next));
  const group = Result.getOrThrow(pinGroup(epoch, base.group));
  const pin: PinCertificate = certify(crypto, group, allSigners(base), keyblockId(next.header), next.header.height);
  const pinned = Result.getOrThrow(applyKeyblockPinWith(crypto, withCandidate, pin, base.group));
  const leader = roundLeader(base, next);
  const header = createMicroblocks(crypto, pinned, next.header.height, leader.signing)[0] as MicroblockHeader;

  const applyHeader = (h: KeyblockHeader) => (state: ChainState) =>
    outcome(applyKeyblockWith(crypto, state, { ...next, header: h }));
  const workOracle = (h: KeyblockHeader): Outcome =>
    meetsDifficulty(powDigest(h), S.config.difficulty_bits) ? "accepted" : "InsufficientWork";
  const random32 = (n: number) => taggedHash(TAGS.VECTOR_RNG, Uint8Array.of(n & 0xff, (n >> 8) & 0xff));

  const keyblockMutators: Mutator[] = [
    {
      name: "keyblock height + 1",
      make: () => ({
        run: applyHeader({ ...next.header, height: next.header.height + 1 }),
        expect: "KeyblockParentUnknown",
      }),
    },
    {
      name: "keyblock height - 1",
      make: () => ({
        run: applyHeader({ ...next.header, height: next.header.height - 1 }),
        expect: "ConflictsWithPin",
      }),
    },
    {
      name: "keyblock prev_keyblock",
      make: (n) => ({ run: applyHeader({ ...next.header, prevKeyblock: random32(n) }), expect: "ConflictsWithPin" }),
    },
    {
      name: "keyblock prev_microblock",
      make: (n) => ({
        run: applyHeader({ ...next.header, prevMicroblock: random32(n) }),
        expect: "MicroblockCommitmentMismatch",
      }),
    },
    {
      name: "keyblock register_root",
      make: (n) => ({
        run: applyHeader({ ...next.header, registerRoot: random32(n) }),
        expect: "RegisterRootMismatch",
      }),
    },
    {
      name: "keyblock nonce",
      make: (n) => {
        const h = { ...next.header, nonce: next.header.nonce + 1n + BigInt(n) };
        return { run: applyHeader(h), expect: workOracle(h) };
      },
    },
    {
      name: "keyblock miner",
      make: (n) => {
        const h = { ...next.header, miner: base.institutions[n % 3]?.signing.publicKey as Uint8Array };
        return { run: applyHeader(h), expect: h.miner === miner ? "accepted" : workOracle(h) };
      },
    },
    {
      name: "keyblock register list changed",
      make: () => ({
        run: (s) => outcome(applyKeyblockWith(crypto, s, { ...next, registers: [] })),
        expect: "RegisterRootMismatch",
      }),
    },
  ];

  const applyPin = (c: PinCertificate) => (_: ChainState) =>
    outcome(applyKeyblockPinWith(crypto, withCandidate, c, base.group));
  const pinMutators: Mutator[] = [
    {
      name: "pin value",
      make: (n) => ({ run: applyPin({ ...pin, value_hash: random32(n) }), expect: "PinValueMismatch" }),
    },
    {
      name: "pin group",
      make: (n) => ({ run: applyPin({ ...pin, group: random32(n) }), expect: "CertificateInvalid:WrongGroup" }),
    },
    {
      name: "pin signature",
      make: (n) => {
        const votes = pin.votes.map((v, i) =>
          i === n % pin.votes.length ? { ...v, signature: flip(v.signature, n) } : v,
        );
        return { run: applyPin({ ...pin, votes }), expect: "CertificateInvalid:BadSignature" };
      },
    },
    {
      name: "pin signers below quorum",
      make: (n) => ({
        run: applyPin({ ...pin, votes: pin.votes.slice(0, 1 + (n % 2)) }),
        expect: "CertificateInvalid:NoQuorum",
      }),
    },
    {
      name: "pin signer outside the group",
      make: (n) => {
        const votes = pin.votes.map((v, i) => (i === pin.votes.length - 1 ? { ...v, signer: 3 + (n % 100) } : v));
        return { run: applyPin({ ...pin, votes }), expect: "CertificateInvalid:SignerUnknown" };
      },
    },
  ];

  const applyMb =
    (h: MicroblockHeader, leaderKey = leader.signing.publicKey) =>
    (_: ChainState) =>
      outcome(applyMicroblockWith(crypto, pinned, h, leaderKey));
  const resignMb = (h: MicroblockHeader) => signMicroblock(crypto, leader.signing.secretKey, h);
  const microblockMutators: Mutator[] = [
    {
      name: "microblock number",
      make: (n) => ({
        run: applyMb(resignMb({ ...header, number: header.number + 1 + (n % 9) })),
        expect: "MicroblockMismatch",
      }),
    },
    {
      name: "microblock round",
      make: (n) => ({
        run: applyMb(resignMb({ ...header, round: header.round + 1 + (n % 9) })),
        expect: "MicroblockUnexpected",
      }),
    },
    {
      name: "microblock index",
      make: (n) => ({
        run: applyMb(resignMb({ ...header, index: header.index + 1 + (n % 9) })),
        expect: "MicroblockUnexpected",
      }),
    },
    {
      name: "microblock register_tx",
      make: (n) => ({ run: applyMb(resignMb({ ...header, registerTx: random32(n) })), expect: "MicroblockMismatch" }),
    },
    {
      name: "microblock patient",
      make: (n) => ({
        run: applyMb(resignMb({ ...header, patient: patientOf(n % 4).publicKey })),
        expect: "MicroblockMismatch",
      }),
    },
    {
      name: "microblock prev",
      make: (n) => ({ run: applyMb(resignMb({ ...header, prev: random32(n) })), expect: "MicroblockPrevMismatch" }),
    },
    {
      name: "microblock leader",
      make: (n) => {
        const other = base.institutions[(leader.index + 1 + (n % 2)) % 3];
        const h = signMicroblock(crypto, other?.signing.secretKey as Uint8Array, {
          ...header,
          leader: other?.signing.publicKey as Uint8Array,
        });
        return { run: applyMb(h), expect: "NotRoundLeader" };
      },
    },
    {
      name: "microblock signature",
      make: (n) => ({
        run: applyMb({ ...header, signature: flip(header.signature, n) }),
        expect: "BadMicroblockSignature",
      }),
    },
  ];

  const ALL = [...registerMutators, ...recordMutators, ...keyblockMutators, ...pinMutators, ...microblockMutators];
  return { S, ALL, register, later, first, label, pinned, header, leader, crypto, inKeyblock, inBatch };
};

let built: ReturnType<typeof build> | undefined;
const fixture = () => {
  built ??= build();
  return built;
};

const mutationsRejected = (state: ChainState, mutators: readonly Mutator[]) =>
  fc.property(fc.constantFrom(...mutators), fc.nat(), (mutator, n) => {
    const c = mutator.make(n);
    expect(`${mutator.name}: ${c.run(state)}`).toBe(`${mutator.name}: ${c.expect}`);
  });

describe("ledger: single-field mutations", () => {
  it("[TX-1] [TX-2] [TX-6] [KB-1] [KB-2] [MB-1] [MB-2] [PIN-1] [PIN-3] the valid bases are accepted", () => {
    const { S, register, later, first, label, pinned, header, leader, crypto, inKeyblock, inBatch } = fixture();
    expect(inKeyblock([register])(S)).toBe("accepted");
    expect(inBatch([later, first, label])(S)).toBe("accepted");
    expect(outcome(applyMicroblockWith(crypto, pinned, header, leader.signing.publicKey))).toBe("accepted");
  });

  it("[CHAIN-3] [CHAIN-8] [CHAIN-9] [CHAIN-11] [MB-3] [KB-3] [KB-4] [KB-6] [PIN-2] every single-field mutation is rejected with its tag", () => {
    const { S, ALL } = fixture();
    holds("single-field mutations are rejected with the right tag", mutationsRejected(S, ALL), { numRuns: 150 });
  });

  it("[CHAIN-9] negative control: with the fee rule removed, a fee mutation is accepted", () => {
    const { S, ALL } = fixture();
    const free: ChainState = { ...S, config: { ...S.config, min_fee: { register: 0, medical: 0, label: 0 } } };
    const feeMutators = ALL.filter((m) => m.name.includes("fee"));
    const found = failsOn("mutations rejected (no fee rule)", mutationsRejected(free, feeMutators), 20);
    expect(found.value[0].name).toContain("fee");
  });
});
