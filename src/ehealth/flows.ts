/**
 * The paper's flows end to end (SPChain §5.2, Fig. 9-10; spec/chain.md, spec/retrieval.md): Setup, Register,
 * Upload in its three cases, Label, Share and Retrieval, on a small chain of four institutions, printing every
 * block and every check with what was checked. Each check is counted; `npm start` fails if one does not hold.
 * Deterministic for a given Randomness seed.
 * @module
 */
import { Effect, Result } from "effect";
import { bytesEqual, bytesToHex } from "../crypto/bytes.js";
import { Crypto, type Ed25519KeyPair, generateKeyPair } from "../crypto/signature.js";
import { publicKeyOf, type SecretKey } from "../crypto/umbral/keys.js";
import { verifyKeyFrag } from "../crypto/umbral/kfrag.js";
import { generateSecretKey } from "../crypto/umbral/pre.js";
import { proposedBatchRoot } from "../ledger/apply-batch.js";
import { applyKeyblockWith } from "../ledger/apply-keyblock.js";
import { type Batch, decodeEntry } from "../ledger/batch.js";
import { encodeConfig, genesisKeyblockId, genesisMicroblockId } from "../ledger/config.js";
import { DEFAULT_IDENTITY_PARAMS, type IdentityParams, identityCommitment } from "../ledger/identity.js";
import { keyblockId, meetsDifficulty, powDigest } from "../ledger/keyblock.js";
import { microblockId } from "../ledger/microblock.js";
import { mineKeyblock } from "../ledger/mine.js";
import { pinGroup } from "../ledger/pin.js";
import { pinnedHeaders, proveRecord, verifyRecordProof } from "../ledger/proof.js";
import { history, patientBlock } from "../ledger/retrieval.js";
import { currentEpoch } from "../ledger/state.js";
import { encodeTransaction, type RecordTx, transactionId } from "../ledger/transaction.js";
import { isQuorum, tallyQuorum } from "../reputation/quorum.js";
import { delegate, EMR_BYTES, expandRecord, openShare, shareEpoch } from "./custodian.js";
import { firstEpoch, type KeyEpoch, rotateEpoch, unwrapOwn, unwrapShared } from "./key-epoch.js";
import {
  type ChameleonRecord,
  collideRecord,
  hashFirstRecord,
  labelTx,
  medicalTx,
  recordData,
  registerTx,
} from "./records.js";
import { checkPointer, matchesPointer, openRecord, sealRecord } from "./sealed-record.js";
import { type InstitutionAccount, pinBatch, type RoundOutput, runRound, setupWorld, type World } from "./world.js";

export interface FlowOptions {
  /** Data-set records (lines of data/nursery.data), at least 6. */
  readonly records: readonly string[];
  readonly log: (line: string) => void;
  readonly identityParams?: IdentityParams;
}

export interface FlowSummary {
  readonly checks: number;
  readonly failed: readonly string[];
}

/** A patient's accounts (Setup): signing key, PRE key, and the key that signs its re-encryption keys. */
interface PatientAccount {
  readonly name: string;
  readonly signing: Ed25519KeyPair;
  readonly pre: SecretKey;
  readonly signer: SecretKey;
  number: number;
}

const short = (bytes: Uint8Array): string => `${bytesToHex(bytes).slice(0, 16)}…`;
const share = (part: bigint, total: bigint): string => `${((Number(part) / Number(total)) * 100).toFixed(1)}%`;
const leadingZeroBits = (digest: Uint8Array): number => {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) bits += 8;
    else return bits + Math.clz32(byte) - 24;
  }
  return bits;
};

/** Runs the flows; the summary counts the checks and lists the failed ones. */
export const runPaperFlows = (options: FlowOptions) =>
  Effect.gen(function* () {
    const { log } = options;
    const crypto = yield* Crypto;
    const failed: string[] = [];
    let checks = 0;
    const check = (what: string, ok: boolean): void => {
      checks += 1;
      if (!ok) failed.push(what);
      log(`    ${ok ? "✓" : "✗"} ${what}`);
    };
    const rejected = (what: string, result: Result.Result<unknown, { readonly _tag: string }>, tag: string): void =>
      check(`${what}: rejected with ${tag}`, Result.isFailure(result) && result.failure._tag === tag);
    const record = (i: number): string => options.records[i] ?? options.records[0] ?? "";

    // ---- Setup ---------------------------------------------------------------------------------------
    log("== Setup (§5.2): accounts, chameleon-hash keys (HGen), PRE keys; the chain configuration");
    let world: World = yield* setupWorld({
      institutions: ["Hospital A", "Hospital B", "Clinic C", "Hospital D"],
      difficulty_bits: 10,
      freshness_window: 6,
      min_fee: { register: 10, medical: 5, label: 5 },
      reputations: [350_000_000n, 300_000_000n, 200_000_000n, 150_000_000n],
    });
    const [A, B, C, D] = world.institutions as [
      InstitutionAccount,
      InstitutionAccount,
      InstitutionAccount,
      InstitutionAccount,
    ];
    for (const i of world.institutions) {
      const rep = world.group.members[i.index]?.reputation ?? 0n;
      log(
        `  ${i.name.padEnd(11)} signing ${short(i.signing.publicKey)} CH ${short(i.ch.publicKey)} R = ${Number(rep) / 1e9}`,
      );
    }
    const config = world.state.config;
    const genesis = genesisKeyblockId(config);
    log(
      `  config: d = ${config.difficulty_bits} bits, W = ${config.freshness_window} rounds, fees ${JSON.stringify(config.min_fee)}`,
    );
    log(`  genesis G(KB_0) = H_KEYBLOCK(config, ${encodeConfig(config).length} bytes) = ${short(genesis)}`);
    const patients: PatientAccount[] = [];
    for (const name of ["P1", "P2", "P3"]) {
      const signing = yield* generateKeyPair;
      const pre = yield* generateSecretKey;
      const signer = yield* generateSecretKey;
      patients.push({ name, signing, pre, signer, number: -1 });
    }
    const [P1, P2, P3] = patients as [PatientAccount, PatientAccount, PatientAccount];

    const printRound = (out: RoundOutput): void => {
      const h = out.keyblock.header;
      const digest = powDigest(h);
      log(`  keyblock ${h.height}: G = ${short(keyblockId(h))}`);
      log(`    prev_keyblock ${short(h.prevKeyblock)}  prev_microblock ${short(h.prevMicroblock)}`);
      log(
        `    register_root ${short(h.registerRoot)} (${out.keyblock.registers.length} register txs)  nonce ${h.nonce}`,
      );
      check(
        `PoW digest ${short(digest)} has ${leadingZeroBits(digest)} >= ${config.difficulty_bits} leading zero bits`,
        meetsDifficulty(digest, config.difficulty_bits),
      );
      const tally = tallyQuorum(
        world.group,
        out.pin.votes.map((v) => v.signer),
      );
      check(
        `pin: ${tally.signers} signers (>= 2f+1) holding ${share(tally.signer_reputation, tally.total_reputation)} (> 2/3) of the reputation`,
        isQuorum(tally),
      );
      log(`    leader of round ${h.height}: ${out.leader.name}`);
      for (const mb of out.microblocks) {
        log(
          `    microblock #${mb.number} (round ${mb.round}, index ${mb.index}): G = ${short(microblockId(mb))} prev ${short(mb.prev)}`,
        );
      }
    };

    // ---- Register --------------------------------------------------------------------------------------
    log("");
    log("== Register (§5.2 steps 1-3): register transactions in a keyblock, pinned; one patient block each");
    const params = options.identityParams ?? DEFAULT_IDENTITY_PARAMS;
    const identities = patients.map((_, i) => identityCommitment(`NUR-${10_000 + i}`, 30 + 11 * i, genesis, params));
    const receivers = [A, B, A];
    const registers = patients.map((p, i) =>
      registerTx(crypto, p.signing, identities[i] as Uint8Array, {
        institution: (receivers[i] as InstitutionAccount).index,
        round: currentEpoch(world.state),
        fee: 10,
      }),
    );
    log(
      `  identity of P1 = H_IDENTITY(scrypt(record no., age; N = ${params.N})) = ${short(identities[0] as Uint8Array)}`,
    );
    log(`  register tx: ${encodeTransaction(registers[0] as never).length} bytes (paper: 286)`);
    const round1 = Result.getOrThrow(runRound(world, registers, A.index));
    world = round1.world;
    printRound(round1.round);
    for (const [i, p] of patients.entries()) p.number = round1.round.microblocks[i]?.number ?? -1;
    check(
      "keyblock 1 commits to the rounds before genesis: prev_microblock = GENESIS_MICROBLOCK (KB-5, KB-6)",
      bytesEqual(round1.round.keyblock.header.prevMicroblock, genesisMicroblockId(config)),
    );
    check(
      "the round's microblocks chain: MB_1.prev = G(KB_1), MB_j.prev = G(MB_{j-1})",
      round1.round.microblocks.every((mb, j, all) =>
        bytesEqual(mb.prev, j === 0 ? keyblockId(round1.round.keyblock.header) : microblockId(all[j - 1] as never)),
      ),
    );
    const zombie = yield* generateKeyPair;
    const again = registerTx(crypto, zombie, identities[0] as Uint8Array, {
      institution: B.index,
      round: currentEpoch(world.state),
      fee: 10,
    });
    const zombieBlock = Result.getOrThrow(mineKeyblock(crypto, world.state, B.signing.publicKey, [again]));
    rejected(
      "a second registration of P1's identity with a new key",
      applyKeyblockWith(crypto, world.state, zombieBlock),
      "IdentityAlreadyRegistered",
    );

    // ---- Upload ------------------------------------------------------------------------------------------
    const store = new Map<string, Uint8Array>();
    /** Each custodian's open key epoch per patient (SHARE-1): made at the patient's first record there. */
    const epochs = new Map<string, KeyEpoch>();
    const epochOf = (who: InstitutionAccount, patient: PatientAccount) =>
      Effect.gen(function* () {
        const open = epochs.get(`${who.index}/${patient.name}`);
        if (open !== undefined) return open;
        const made = yield* firstEpoch(publicKeyOf(patient.pre));
        epochs.set(`${who.index}/${patient.name}`, made);
        return made;
      });
    const upload = (who: InstitutionAccount, patient: PatientAccount, emrIndex: number, visit: string) =>
      Effect.gen(function* () {
        const emr = expandRecord(record(emrIndex), `${patient.name} · ${who.name} · ${visit}`);
        const { stored, pointer } = yield* sealRecord(yield* epochOf(who, patient), emr);
        store.set(bytesToHex(pointer), stored);
        return { emr, pointer };
      });
    const epoch = () => currentEpoch(world.state);
    const pin = (txs: RecordTx[], label: string): Batch => {
      const root = Result.getOrThrow(proposedBatchRoot(crypto, world.state, txs));
      const out = Result.getOrThrow(pinBatch(world, txs));
      world = out.world;
      const tally = tallyQuorum(
        world.group,
        out.batch.certificate.votes.map((v) => v.signer),
      );
      log(`  batch ${world.state.batches.size - 1} (${label}): root ${short(root)}, ${txs.length} tx(s)`);
      check(
        `batch pin: ${tally.signers} signers, ${share(tally.signer_reputation, tally.total_reputation)} of the reputation`,
        isQuorum(tally),
      );
      const pinned = world.state.batches.last();
      for (const entry of pinned?.entries ?? []) {
        const e = Result.getOrThrow(decodeEntry(entry));
        log(`    entry: block #${e.number}, leaf ${e.leaf}, sequence ${e.sequence}, tx ${short(e.txId)}`);
      }
      return out.batch;
    };
    const rootOf = (p: PatientAccount) =>
      Result.getOrThrow(patientBlock(crypto, world.state, p.number)).institutionRoot;

    log("");
    log(`== Upload case 1 (4′-6′): P1 is treated at ${A.name} for the first time`);
    const v1 = yield* upload(A, P1, 0, "visit 1");
    const ch1: ChameleonRecord = yield* hashFirstRecord(A, v1.pointer);
    log(
      `  EMR ${v1.emr.length} bytes (paper: ${EMR_BYTES}) sealed in P1's key epoch 0 at ${A.name} (its data key wrapped under P1's PRE key, SHARE-1); pointer ${short(v1.pointer)}`,
    );
    check(
      "CH.HVer(hk_A, pointer, h, r): the record's chameleon hash verifies",
      Result.getOrElse(A.ch.scheme.verify(A.ch.publicKey, v1.pointer, ch1.h, ch1.r), () => false),
    );
    const m1 = medicalTx(crypto, P1.signing, P1.number, recordData(ch1, false), {
      institution: A.index,
      round: epoch(),
      fee: 5,
    });
    log(`  medical tx (h present): ${encodeTransaction(m1).length} bytes (paper: 542)`);
    const rootBefore = rootOf(P1);
    pin([m1], "P1 at A");
    check("the institution root changed: A is P1's first leaf", !bytesEqual(rootBefore, rootOf(P1)));

    log("");
    log(`== Upload case 2 (4″-6″): P1 is treated at ${A.name} again`);
    const v2 = yield* upload(A, P1, 1, "visit 2");
    const ch2 = yield* collideRecord(A, ch1, v2.pointer);
    check(
      "A's trapdoor gives r* with CH.HVer(hk_A, pointer*, h, r*) for the same h",
      Result.getOrElse(A.ch.scheme.verify(A.ch.publicKey, v2.pointer, ch1.h, ch2.r), () => false),
    );
    const m2 = medicalTx(crypto, P1.signing, P1.number, recordData(ch2, true), {
      institution: A.index,
      round: epoch(),
      fee: 5,
    });
    log(`  medical tx (h omitted, it is the leaf value): ${encodeTransaction(m2).length} bytes`);
    const rootA = rootOf(P1);
    pin([m2], "P1 at A again");
    check("the institution root is unchanged: A's leaf value stays h", bytesEqual(rootA, rootOf(P1)));

    log("");
    log(`== Upload case 3 (4‴-6‴): P1 is treated at ${B.name}; P2 at ${B.name}; P3 at ${C.name}`);
    const v3 = yield* upload(B, P1, 2, "visit 1");
    const ch3 = yield* hashFirstRecord(B, v3.pointer);
    const m3 = medicalTx(crypto, P1.signing, P1.number, recordData(ch3, false), {
      institution: B.index,
      round: epoch(),
      fee: 5,
    });
    const v4 = yield* upload(B, P2, 3, "visit 1");
    const m4 = medicalTx(crypto, P2.signing, P2.number, recordData(yield* hashFirstRecord(B, v4.pointer), false), {
      institution: B.index,
      round: epoch(),
      fee: 5,
    });
    const v5 = yield* upload(C, P3, 4, "visit 1");
    const m5 = medicalTx(crypto, P3.signing, P3.number, recordData(yield* hashFirstRecord(C, v5.pointer), false), {
      institution: C.index,
      round: epoch(),
      fee: 5,
    });
    const rootAB = rootOf(P1);
    pin([m3, m4, m5], "three first visits");
    check(
      "P1's institution root changed: B is a new leaf, in order of first treatment",
      !bytesEqual(rootAB, rootOf(P1)),
    );
    const round2 = Result.getOrThrow(runRound(world, [], B.index));
    world = round2.world;
    printRound(round2.round);
    check(
      "keyblock 2 commits to round 0, which has no register transaction: prev_microblock = G(KB_0) (KB-6)",
      bytesEqual(round2.round.keyblock.header.prevMicroblock, genesis),
    );

    // ---- Label -------------------------------------------------------------------------------------------
    log("");
    log(`== Label (7-9): ${B.name}'s diagnosis of P1 was wrong; ${B.name} issues the correction`);
    const v6 = yield* upload(B, P1, 5, "visit 1, corrected");
    const ch6 = yield* collideRecord(B, ch3, v6.pointer);
    check(
      "HCol with B's trapdoor: CH.HVer(hk_B, pointer″, h_B, r″) with the labelled record's h",
      Result.getOrElse(B.ch.scheme.verify(B.ch.publicKey, v6.pointer, ch3.h, ch6.r), () => false),
    );
    const target = transactionId(m3);
    const l1 = labelTx(crypto, P1.signing, P1.number, target, recordData(ch6, true), {
      institution: B.index,
      round: epoch(),
      fee: 5,
    });
    log(`  label tx: ${encodeTransaction(l1).length} bytes (paper: 574), target ${short(target)}`);
    const forgedR = labelTx(
      crypto,
      P1.signing,
      P1.number,
      target,
      { scheme: ch2.scheme, h: undefined, r: ch2.r, pointer: v6.pointer },
      { institution: B.index, round: epoch(), fee: 5 },
    );
    rejected(
      "a correction whose randomness was not made with B's trapdoor",
      proposedBatchRoot(crypto, world.state, [forgedR]),
      "ChameleonHashInvalid",
    );
    const viaA = labelTx(crypto, P1.signing, P1.number, target, recordData(ch2, false), {
      institution: A.index,
      round: epoch(),
      fee: 5,
    });
    rejected(
      `a correction of B's record sent to ${A.name}`,
      proposedBatchRoot(crypto, world.state, [viaA]),
      "LabelTargetOtherInstitution",
    );
    pin([l1], "the correction");
    const items = Result.getOrThrow(history(world.state, P1.number));
    const labelled = items.find((i) => bytesEqual(i.id, target));
    check(
      "the original record stays on chain, marked labelled, with its correction attached",
      labelled?.labelled === true && labelled.corrections.length === 1,
    );

    // ---- Share -------------------------------------------------------------------------------------------
    log("");
    log(`== Share (10): P1 shares its records at ${A.name} with ${D.name}`);
    const threshold = 100_000_000n;
    const repD = world.group.members[D.index]?.reputation ?? 0n;
    check(
      `${D.name}'s reputation ${Number(repD) / 1e9} is at least P1's threshold ${Number(threshold) / 1e9}`,
      repD >= threshold,
    );
    const [kfrag] = yield* delegate(P1.pre, P1.signer, D.pre.publicKey);
    if (kfrag === undefined) throw new Error("no kfrag");
    const keys = { verifying: publicKeyOf(P1.signer), delegating: publicKeyOf(P1.pre), receiving: D.pre.publicKey };
    check(
      `${A.name} (the custodian, AMB-25) verifies P1's re-encryption key`,
      Result.isSuccess(verifyKeyFrag(kfrag.kfrag, keys)),
    );
    const sharedItems = items.filter((i) => i.institution === A.index);
    const records = sharedItems.map((item) => {
      const stored = store.get(bytesToHex(item.tx.record.pointer));
      if (stored === undefined) throw new Error("a record missing at its custodian");
      return { pointer: item.tx.record.pointer, stored };
    });
    const epochA = yield* epochOf(A, P1);
    const shared = yield* Effect.orDie(shareEpoch(epochA.header, records, kfrag));
    log(
      `  ${A.name} re-encrypts the capsule of P1's key epoch ${epochA.header.epoch} once for ${records.length} records`,
    );
    const dataKey = unwrapShared(D.pre.secretKey, keys, shared.header, shared.cfrag);
    check(
      `${D.name} verifies ${A.name}'s re-encryption (cfrag proof) and unwraps the epoch's data key (Dec2)`,
      Result.isSuccess(dataKey),
    );
    const opened = openShare(D.pre.secretKey, keys, shared);
    check(
      `${D.name} opens records ${sharedItems.map((i) => i.sequence).join(", ")}, each matching its pointer on chain`,
      Result.isSuccess(opened) &&
        opened.success.length === 2 &&
        bytesEqual(opened.success[0] as Uint8Array, v1.emr) &&
        bytesEqual(opened.success[1] as Uint8Array, v2.emr),
    );
    check(
      `${D.name} cannot open the epoch with its own key alone (Dec1)`,
      Result.isFailure(unwrapOwn(D.pre.secretKey, epochA.header)),
    );
    const rotated = yield* Effect.orDie(rotateEpoch(epochA, publicKeyOf(P1.pre)));
    epochs.set(`${A.index}/${P1.name}`, rotated);
    const later = yield* upload(A, P1, 6, "visit 3, after the share");
    const laterOpen = Result.flatMap(dataKey, (key) =>
      openRecord(key, store.get(bytesToHex(later.pointer)) as Uint8Array, later.pointer),
    );
    check(
      `after P1 has ${A.name} rotate to epoch ${rotated.header.epoch} (SHARE-6), ${D.name}'s share does not open a later record (${Result.isFailure(laterOpen) ? laterOpen.failure._tag : "opened"})`,
      Result.isFailure(laterOpen) && laterOpen.failure._tag === "RecordOpenFailed",
    );

    // ---- Retrieval ---------------------------------------------------------------------------------------
    log("");
    log(`== Retrieval: P1 gives its block number #${P1.number}; any institution returns the history`);
    const block = Result.getOrThrow(patientBlock(crypto, world.state, P1.number));
    log(`  block #${P1.number}: ${block.slot.leaves.length} leaves, institution root ${short(block.institutionRoot)}`);
    for (const item of items) {
      const who = world.institutions[item.institution]?.name ?? "?";
      const fix = item.corrections.map((c) => short(c.id)).join(", ");
      log(
        `    ${who.padEnd(11)} seq ${item.sequence} pinned in batch ${item.pinned.batch} entry ${item.pinned.entry}${item.labelled ? `  LABELLED, corrected by ${fix}` : ""}`,
      );
    }
    check(
      "the history is in pin order: A, A, B",
      items.map((i) => i.institution).join() === [A.index, A.index, B.index].join(),
    );
    const headers = pinnedHeaders(world.state);
    const proof = Result.getOrThrow(proveRecord(crypto, world.state, target));
    log(`  inclusion proof of B's original record: entry + ${proof.path.length} path hashes, batch ${proof.batch}`);
    check(
      "verified from pinned headers only (certificate, microblock header, HVer)",
      Result.isSuccess(verifyRecordProof(crypto, headers, proof)),
    );
    const other = Result.getOrThrow(proveRecord(crypto, world.state, transactionId(m4)));
    const swapped = verifyRecordProof(crypto, headers, { ...proof, transaction: other.transaction });
    check(
      `the same proof presented for P2's record fails (${Result.isFailure(swapped) ? swapped.failure._tag : "accepted"})`,
      Result.isFailure(swapped),
    );
    const groupOk = Result.isSuccess(pinGroup(currentEpoch(world.state), world.group));
    check("the group snapshot of the current epoch is a valid group", groupOk);

    // ---- Integrity -----------------------------------------------------------------------------------------
    log("");
    log("== Integrity: a custodian that alters a stored ciphertext is caught by its content address");
    const corrupted = (store.get(bytesToHex(v6.pointer)) as Uint8Array).slice();
    corrupted[corrupted.length - 1] = (corrupted[corrupted.length - 1] ?? 0) ^ 1;
    check("H_CIPHERTEXT(altered ciphertext) differs from the pointer on chain", !matchesPointer(corrupted, v6.pointer));
    const capsuleFlipped = (store.get(bytesToHex(v6.pointer)) as Uint8Array).slice();
    capsuleFlipped[10] = (capsuleFlipped[10] ?? 0) ^ 1;
    const refused = checkPointer(capsuleFlipped, v6.pointer);
    check(
      `a flipped byte of the epoch's capsule is caught too: the pointer covers it (SHARE-4, ${Result.isFailure(refused) ? refused.failure._tag : "accepted"})`,
      Result.isFailure(refused),
    );
    log("");
    log(
      `${checks - failed.length}/${checks} checks passed; chain: ${world.state.keyblocks.size - 1} keyblocks, ${world.state.patients.size} patient blocks, ${world.state.batches.size} batches`,
    );
    return { checks, failed } satisfies FlowSummary;
  });
