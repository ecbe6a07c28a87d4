/**
 * Benchmark suite "ledger-storage" (SPChain §6.2, Fig. 11; spec/pins.md [PIN-5]; AMB-26): the chain bytes for
 * 250,000 EMRs derived from the Nursery records, against the paper's 119 MB (hybrid 350 MB, MedChain 651 MB,
 * MedRec 411 MB). Every keyblock, register transaction, pin certificate, patient microblock header, pinned batch
 * and medical transaction is encoded and counted, with real Ed25519 signatures and real pins; the EMRs (32 KB
 * each) stay at their custodians, off chain, and only their content addresses enter the chain.
 *
 * Workload: EMR i is Nursery record i mod 12,960 expanded to 32 KB; patient p has EMRs p·k .. p·k + k − 1
 * (k = 10 by default), at two institutions of 26 (two thirds at its home institution); 1,000 registrations per
 * keyblock; 1,000 records per pinned batch; a consensus group of 11 whose every member signs each pin.
 *
 * Exactness: every field of every object has a fixed width, so an object's size does not depend on its
 * values, only on its shape (whether a record carries h). The whole chain is built by bookkeeping: real
 * signatures, certificates, register and batch roots and proofs of work, but the chameleon hashes of all but
 * `--sample N` records reuse the (h, r) of a sampled record (same widths). The bookkeeping is checked first
 * against a chain of the N sampled EMRs built through the ledger's own transitions with the real scheme, real
 * signatures and real pins: both must give the same bytes, object for object. Run standalone with
 * `tsx bench/ledger-storage.ts [--emrs N] [--sample N] [--per-patient K] [--dss20]`. The suite builds the chain twice,
 * with AM04 keys (the default, CH-15) and with DSS20 keys, and compares them.
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Effect, Layer, Result } from "effect";
import { encodeCertificate, type PinCertificate } from "../src/consensus/certificate.js";
import { concatBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { am04Scheme } from "../src/crypto/chameleon/am04-scheme.js";
import { dss20Scheme } from "../src/crypto/chameleon/dss20-scheme.js";
import type { ChameleonScheme } from "../src/crypto/chameleon/scheme.js";
import { TAGS, tagPrefix } from "../src/crypto/hash.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { type CryptoShape, type Ed25519KeyPair, keyPairFromSeed } from "../src/crypto/signature.js";
import { expandRecord } from "../src/ehealth/custodian.js";
import {
  type ChameleonRecord,
  collideRecord,
  hashFirstRecord,
  medicalTx,
  recordData,
  registerTx,
} from "../src/ehealth/records.js";
import { allSigners, pinBatch, roundLeader, runRound, setupWorld, type World } from "../src/ehealth/world.js";
import { batchRoot, encodeBatch, encodeEntry } from "../src/ledger/batch.js";
import { encodeConfig, genesisKeyblockId, genesisMicroblockId } from "../src/ledger/config.js";
import {
  encodeKeyblock,
  type Keyblock,
  keyblockId,
  meetsDifficulty,
  powDigest,
  registerRoot,
} from "../src/ledger/keyblock.js";
import { encodeMicroblock, microblockId, signMicroblock } from "../src/ledger/microblock.js";
import { certify, pinGroup } from "../src/ledger/pin.js";
import { currentEpoch } from "../src/ledger/state.js";
import {
  encodeTransaction,
  type MedicalTx,
  type RegisterTx,
  recordTxBytes,
  transactionId,
} from "../src/ledger/transaction.js";
import { nodeCrypto, nodeCryptoLayer, nodeSha256 } from "../src/node.js";
import type { BenchSuite } from "./harness.js";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "nursery.data");
/** SPChain §6.2, Fig. 11 at 250,000 EMRs, in MB (10^6 bytes). */
export const PAPER_MB = { SPChain: 119, "hybrid [7]": 350, "MedChain [52]": 651, "MedRec [34]": 411 } as const;

export interface StorageOptions {
  readonly emrs: number;
  readonly perPatient: number;
  readonly institutions: number;
  readonly registersPerKeyblock: number;
  readonly batchTxs: number;
  readonly sample: number;
  /** The institutions' chameleon hash scheme. */
  readonly scheme: ChameleonScheme;
}

export const DEFAULTS: StorageOptions = {
  emrs: 250_000,
  perPatient: 10,
  institutions: 26,
  registersPerKeyblock: 1_000,
  batchTxs: 1_000,
  sample: 300,
  scheme: am04Scheme,
};

const DIFFICULTY_BITS = 8;
const GROUP_SIZE = 11;

/** Bytes by kind of object, and counts. */
export interface Tally {
  keyblocks: number;
  keyblockBytes: number;
  registerBytes: number;
  pins: number;
  pinBytes: number;
  microblocks: number;
  microblockBytes: number;
  batches: number;
  batchCertificateBytes: number;
  records: number;
  recordsWithHash: number;
  recordBytes: number;
  configBytes: number;
}

const emptyTally = (): Tally => ({
  keyblocks: 0,
  keyblockBytes: 0,
  registerBytes: 0,
  pins: 0,
  pinBytes: 0,
  microblocks: 0,
  microblockBytes: 0,
  batches: 0,
  batchCertificateBytes: 0,
  records: 0,
  recordsWithHash: 0,
  recordBytes: 0,
  configBytes: 0,
});

export const totalBytes = (t: Tally): number =>
  t.keyblockBytes + t.pinBytes + t.microblockBytes + t.batchCertificateBytes + t.recordBytes + t.configBytes;

/** The workload: which patient and institution each EMR belongs to. */
export const visitOf = (i: number, o: StorageOptions) => {
  const patient = Math.floor(i / o.perPatient);
  const visit = i % o.perPatient;
  const home = patient % o.institutions;
  const away = (home + 1 + ((patient * 7) % (o.institutions - 1))) % o.institutions;
  return { patient, institution: visit % 3 === 2 ? away : home };
};

const nurseryRecords = (): string[] =>
  readFileSync(DATA, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

/** H_CIPHERTEXT by the node:crypto digest (the same function as contentAddress, faster on 32 KB). */
const prefix = tagPrefix(TAGS.CIPHERTEXT);
const pointerOf = (ciphertext: Uint8Array): Uint8Array => nodeSha256(concatBytes(prefix, ciphertext));

const layerOf = (seed: string) => Layer.mergeAll(nodeCryptoLayer, Randomness.seeded(utf8ToBytes(seed)));

const worldOf = (o: StorageOptions): World =>
  Effect.runSync(
    Effect.provide(
      setupWorld({
        institutions: Array.from({ length: o.institutions }, (_, i) => `I${i}`),
        difficulty_bits: DIFFICULTY_BITS,
        freshness_window: 1_000_000,
        min_fee: { register: 10, medical: 5, label: 5 },
        chScheme: o.scheme,
      }),
      layerOf("bench ledger storage"),
    ),
  );

/** The consensus group: the first 11 institutions (equal reputation). */
const withGroup = (world: World): World => ({ ...world, group: { members: world.group.members.slice(0, GROUP_SIZE) } });

const patientKeys = (count: number): Ed25519KeyPair[] => {
  const source = seededSource(utf8ToBytes("bench ledger storage patients"));
  return Array.from({ length: count }, () => keyPairFromSeed(nodeCrypto, source.bytes(32)));
};

const identityOf = (p: number): Uint8Array => nodeSha256(utf8ToBytes(`identity ${p}`));

const countKeyblock = (t: Tally, kb: Keyblock, pin: PinCertificate): void => {
  t.keyblocks += 1;
  const bytes = encodeKeyblock(kb).length;
  t.keyblockBytes += bytes;
  t.registerBytes += bytes - 146;
  t.pins += 1;
  t.pinBytes += encodeCertificate(pin).length;
};

/**
 * The checked path: the first `o.emrs` EMRs through the ledger's transitions (runRound, pinBatch), with real
 * Hash/HCol of the institutions' scheme for every record. Returns the tally and the sampled chameleon records (for the bookkeeping).
 */
export const buildThroughLedger = (o: StorageOptions, records: readonly string[]) =>
  Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        let world = withGroup(worldOf(o));
        const t = emptyTally();
        t.configBytes = encodeConfig(world.state.config).length;
        const patients = Math.ceil(o.emrs / o.perPatient);
        const keys = patientKeys(patients);
        for (let first = 0; first < patients; first += o.registersPerKeyblock) {
          const regs = keys.slice(first, Math.min(patients, first + o.registersPerKeyblock)).map((k, j) =>
            registerTx(nodeCrypto, k, identityOf(first + j), {
              institution: (first + j) % o.institutions,
              round: currentEpoch(world.state),
              fee: 10,
            }),
          );
          const out = Result.getOrThrow(runRound(world, regs, 0));
          world = out.world;
          countKeyblock(t, out.round.keyblock, out.round.pin);
          for (const mb of out.round.microblocks) {
            t.microblocks += 1;
            t.microblockBytes += encodeMicroblock(mb).length;
          }
        }
        const leaves = new Map<string, ChameleonRecord>();
        const samples: ChameleonRecord[] = [];
        let pending: MedicalTx[] = [];
        const flush = () => {
          const out = Result.getOrThrow(pinBatch(world, pending));
          world = out.world;
          t.batches += 1;
          t.batchCertificateBytes +=
            encodeBatch(out.batch).length - pending.reduce((sum, tx) => sum + transactionBytes(tx), 0);
          pending = [];
        };
        for (let i = 0; i < o.emrs; i++) {
          const { patient, institution } = visitOf(i, o);
          const account = world.institutions[institution];
          if (account === undefined) throw new Error("no institution");
          const pointer = pointerOf(
            expandRecord(records[i % records.length] as string, `patient ${patient} visit ${i}`),
          );
          const key = `${patient}/${institution}`;
          const leaf = leaves.get(key);
          const ch =
            leaf === undefined
              ? yield* hashFirstRecord(account, pointer)
              : yield* Effect.orDie(collideRecord(account, leaf, pointer));
          if (leaf === undefined) leaves.set(key, ch);
          samples.push(ch);
          const tx = medicalTx(
            nodeCrypto,
            keys[patient] as Ed25519KeyPair,
            patient,
            recordData(ch, leaf !== undefined),
            {
              institution,
              round: currentEpoch(world.state),
              fee: 5,
            },
          );
          t.records += 1;
          if (leaf === undefined) t.recordsWithHash += 1;
          t.recordBytes += transactionBytes(tx);
          pending.push(tx);
          if (pending.length === o.batchTxs) flush();
        }
        if (pending.length > 0) flush();
        return { tally: t, samples };
      }),
      layerOf("bench ledger storage sample"),
    ),
  );

const transactionBytes = (tx: MedicalTx): number => encodeTransaction(tx).length;

/**
 * The bookkeeping path: the same chain for `o.emrs` EMRs, every object encoded and counted, with real
 * signatures, certificates, roots and work; chameleon hashes reuse `samples` (real outputs of the scheme).
 */
export const buildByBookkeeping = (
  o: StorageOptions,
  records: readonly string[],
  samples: readonly ChameleonRecord[],
): Tally => {
  const crypto: CryptoShape = nodeCrypto;
  const world = withGroup(worldOf(o));
  const t = emptyTally();
  t.configBytes = encodeConfig(world.state.config).length;
  const patients = Math.ceil(o.emrs / o.perPatient);
  const keys = patientKeys(patients);
  const signers = allSigners(world);
  let prevKeyblock = genesisKeyblockId(world.state.config);
  const lastOfRound: Uint8Array[] = [prevKeyblock];
  let height = 0;
  for (let first = 0; first < patients; first += o.registersPerKeyblock) {
    height += 1;
    const regs: RegisterTx[] = keys.slice(first, Math.min(patients, first + o.registersPerKeyblock)).map((k, j) =>
      registerTx(crypto, k, identityOf(first + j), {
        institution: (first + j) % o.institutions,
        round: height - 1,
        fee: 10,
      }),
    );
    const prevMicroblock =
      height - 2 < 0 ? genesisMicroblockId(world.state.config) : (lastOfRound[height - 2] as Uint8Array);
    const base = {
      height,
      prevKeyblock,
      prevMicroblock,
      registerRoot: registerRoot(crypto, regs),
      miner: world.institutions[0]?.signing.publicKey as Uint8Array,
    };
    let nonce = 0n;
    while (!meetsDifficulty(powDigest({ ...base, nonce }), DIFFICULTY_BITS)) nonce += 1n;
    const kb: Keyblock = { header: { ...base, nonce }, registers: regs };
    const id = keyblockId(kb.header);
    const group = Result.getOrThrow(pinGroup(height - 1, world.group));
    countKeyblock(t, kb, certify(crypto, group, signers, id, height));
    const leader = roundLeader(world, kb);
    let prev = id;
    for (const [index, reg] of regs.entries()) {
      const header = signMicroblock(crypto, leader.signing.secretKey, {
        number: first + index,
        round: height,
        index,
        registerTx: transactionId(reg),
        patient: reg.patientKey,
        prev,
        leader: leader.signing.publicKey,
      });
      prev = microblockId(header);
      t.microblocks += 1;
      t.microblockBytes += encodeMicroblock(header).length;
    }
    lastOfRound[height] = prev;
    prevKeyblock = id;
  }
  const leafIndex = new Map<string, { leaf: number; next: number; h: Uint8Array }>();
  const leafCount = new Map<number, number>();
  let entries: Uint8Array[] = [];
  let txs: MedicalTx[] = [];
  const group = Result.getOrThrow(pinGroup(height, world.group));
  const flush = () => {
    const batch = {
      certificate: certify(crypto, group, signers, batchRoot(crypto, entries), t.batches),
      transactions: txs,
    };
    const bytes = encodeBatch(batch).length;
    const recordBytes = txs.reduce((sum, tx) => sum + transactionBytes(tx), 0);
    t.batches += 1;
    t.batchCertificateBytes += bytes - recordBytes;
    entries = [];
    txs = [];
  };
  for (let i = 0; i < o.emrs; i++) {
    const { patient, institution } = visitOf(i, o);
    const pointer = pointerOf(expandRecord(records[i % records.length] as string, `patient ${patient} visit ${i}`));
    const sample = samples[i % samples.length] as ChameleonRecord;
    const key = `${patient}/${institution}`;
    let leaf = leafIndex.get(key);
    const first = leaf === undefined;
    if (leaf === undefined) {
      const index = leafCount.get(patient) ?? 0;
      leafCount.set(patient, index + 1);
      leaf = { leaf: index, next: 0, h: sample.h };
      leafIndex.set(key, leaf);
    }
    const tx = medicalTx(crypto, keys[patient] as Ed25519KeyPair, patient, recordData({ ...sample, pointer }, !first), {
      institution,
      round: height,
      fee: 5,
    });
    t.records += 1;
    if (first) t.recordsWithHash += 1;
    t.recordBytes += transactionBytes(tx);
    entries.push(
      encodeEntry({
        number: patient,
        leaf: leaf.leaf,
        sequence: leaf.next,
        txId: transactionId(tx),
        scheme: sample.scheme,
        leafValue: leaf.h,
      }),
    );
    leaf.next += 1;
    txs.push(tx);
    if (txs.length === o.batchTxs) flush();
  }
  if (txs.length > 0) flush();
  return t;
};

const MB = 1e6;
const MIB = 2 ** 20;

/** What a change of the record's fields would save, per EMR, on this workload. */
const savings = (t: Tally) => {
  const perEmr = (bytes: number) => bytes / t.records;
  return [
    {
      measure: "patients' signatures aggregated per batch (BLS, one 96-byte aggregate instead of 64 bytes per record)",
      saved: perEmr(64 * t.records - 96 * t.batches),
    },
    {
      measure: "register transactions and microblock headers amortized over twice as many EMRs per patient",
      saved: perEmr((t.registerBytes + t.microblockBytes) / 2),
    },
  ];
};

export const storageReport = (o: StorageOptions, t: Tally, checked: boolean) => {
  const total = totalBytes(t);
  // Fig. 11's figures are at 250,000 EMRs; other counts compare per EMR.
  const scale = o.emrs / 250_000;
  const paper = PAPER_MB.SPChain * MB * scale;
  const goal = paper / 2;
  const row = (name: string, count: number, bytes: number) =>
    `| ${name} | ${count} | ${bytes} | ${(bytes / t.records).toFixed(1)} | ${((100 * bytes) / total).toFixed(1)}% |`;
  const sizes = recordTxBytes(o.scheme.sizes);
  const withHash = sizes.medical + sizes.withHash;
  const fixed = 64 + o.scheme.sizes.randomness_bytes + 32;
  const scheme = o.scheme.name.split("-")[0];
  const lines = [
    `### Chain storage for ${o.emrs} EMRs (32 KB each, off chain), against Fig. 11`,
    "",
    `${o.emrs / o.perPatient} patients with ${o.perPatient} EMRs each at two of ${o.institutions} institutions; ${o.registersPerKeyblock} registrations per keyblock; ${o.batchTxs} records per pinned batch; group of ${GROUP_SIZE}, every member signing; real Ed25519 signatures and pins; ${scheme} chameleon hashes; ${o.sample} EMRs with real ${scheme} through the ledger's transitions${checked ? " (bookkeeping checked equal, object for object)" : ""}.`,
    "",
    "| object | count | bytes | bytes per EMR | share |",
    "|---|---:|---:|---:|---:|",
    row(
      "medical transactions (h omitted)",
      t.records - t.recordsWithHash,
      t.recordBytes - withHash * t.recordsWithHash,
    ),
    row(
      "medical transactions carrying h (first record at an institution)",
      t.recordsWithHash,
      withHash * t.recordsWithHash,
    ),
    row("batch certificates and batch framing", t.batches, t.batchCertificateBytes),
    row("register transactions", t.microblocks, t.registerBytes),
    row("keyblock headers and counts", t.keyblocks, t.keyblockBytes - t.registerBytes),
    row("keyblock pin certificates", t.pins, t.pinBytes),
    row("patient microblock headers", t.microblocks, t.microblockBytes),
    row("configuration (genesis)", 1, t.configBytes),
    `| **total** | | **${total}** | **${(total / t.records).toFixed(1)}** | 100% |`,
    "",
    `Total: ${(total / MB).toFixed(1)} MB (${(total / MIB).toFixed(1)} MiB), ${(total / paper).toFixed(2)} of the paper's ${(PAPER_MB.SPChain * scale).toFixed(1)} MB (${(paper / o.emrs).toFixed(0)} bytes per EMR); goal (at most half, ${(goal / MB).toFixed(1)} MB = ${(goal / o.emrs).toFixed(0)} bytes per EMR): ${total <= goal ? "met" : "not met"}.`,
    `Comparators (paper, at 250,000 EMRs, scaled per EMR): ${Object.entries(PAPER_MB)
      .map(([name, mb]) => `${name} ${mb} MB (ours / theirs ${(total / (mb * MB * scale)).toFixed(2)})`)
      .join("; ")}.`,
    "",
    `The floor: a record cannot be smaller than its signature (64), ${scheme} randomness (${o.scheme.sizes.randomness_bytes}) and pointer (32) = ${fixed} bytes, against a budget of ${(goal / o.emrs).toFixed(0)} bytes per EMR for everything. What further changes would save:`,
    "",
    "| measure | saves per EMR | total with it |",
    "|---|---:|---:|",
    ...savings(t).map(
      (s) => `| ${s.measure} | ${s.saved.toFixed(1)} | ${((total - s.saved * t.records) / MB).toFixed(1)} MB |`,
    ),
    "",
  ];
  return lines.join("\n");
};

/** The checked sample, then the full chain by bookkeeping, for the scheme of `o`. */
export const runStorage = (o: StorageOptions) => {
  const records = nurseryRecords();
  const sampleOptions = { ...o, emrs: Math.min(o.sample, o.emrs) };
  const checked = buildThroughLedger(sampleOptions, records);
  const replay = buildByBookkeeping(sampleOptions, records, checked.samples);
  const same = JSON.stringify(replay) === JSON.stringify(checked.tally);
  if (!same)
    throw new Error(`bookkeeping ${JSON.stringify(replay)} differs from the ledger ${JSON.stringify(checked.tally)}`);
  const tally = o.emrs === sampleOptions.emrs ? checked.tally : buildByBookkeeping(o, records, checked.samples);
  return { tally, markdown: storageReport(o, tally, same) };
};

export const ledgerStorageSuite: BenchSuite = {
  name: "ledger-storage",
  run: async () => {
    const { tally, markdown } = runStorage(DEFAULTS);
    // The same chain with DSS20 keys, in the same run: what the default scheme (CH-15, AMB-57) changes.
    const dss20 = runStorage({ ...DEFAULTS, scheme: dss20Scheme });
    const total = totalBytes(tally);
    const comparison = [
      "| chameleon scheme | total | bytes per EMR | of the paper's 119 MB |",
      "|---|---:|---:|---:|",
      ...[
        ["AM04 (default)", total],
        ["DSS20", totalBytes(dss20.tally)],
      ].map(
        ([name, bytes]) =>
          `| ${name} | ${(Number(bytes) / MB).toFixed(1)} MB | ${(Number(bytes) / tally.records).toFixed(1)} | ${(Number(bytes) / (PAPER_MB.SPChain * MB)).toFixed(2)} |`,
      ),
      "",
    ].join("\n");
    return {
      markdown: `${markdown}\n${comparison}`,
      json: {
        options: { ...DEFAULTS, scheme: DEFAULTS.scheme.name },
        tally,
        total_bytes: total,
        dss20: { tally: dss20.tally, total_bytes: totalBytes(dss20.tally) },
      },
    };
  },
};

const intFlag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer`);
  return value;
};

if (process.argv[1]?.endsWith("ledger-storage.ts")) {
  const options = {
    ...DEFAULTS,
    emrs: intFlag("emrs", DEFAULTS.emrs),
    sample: intFlag("sample", DEFAULTS.sample),
    perPatient: intFlag("per-patient", DEFAULTS.perPatient),
    scheme: process.argv.includes("--dss20") ? dss20Scheme : DEFAULTS.scheme,
  };
  console.log(runStorage(options).markdown);
}
