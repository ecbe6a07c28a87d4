/**
 * The precomputed material of a run (spec/model.md, [MOD-12]): institutions' accounts (Ed25519, DSS20
 * and Umbral keys, made by src/ehealth's `setupWorld`), patients' keys, the genesis state for each
 * registry size, and the records institutions will write: each EMR (a Nursery record expanded, src/ehealth
 * custodian.ts) sealed in a key epoch of its patient at its custodian (src/ehealth key-epoch.ts and
 * sealed-record.ts, SHARE-1..SHARE-3: one data key per epoch, wrapped under the patient's PRE key), its content
 * address, and its chameleon record (the first of a leaf hashed, every later one a collision made with the
 * institution's trapdoor, records.ts). The model's custodians rotate a patient's epoch every
 * `EPOCH_RECORDS` records (SHARE-6), so a share that spans epochs re-encrypts each epoch's capsule once.
 * Everything expensive is computed once per process, lazily, each object from its own seed (so the order
 * in which a run asks does not change the bytes), and shared by every run and every simulated node.
 * @module
 */
import { Effect, Layer, Result } from "effect";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { Randomness } from "../src/crypto/random.js";
import { Crypto, type Ed25519KeyPair, keyPairFromSeed } from "../src/crypto/signature.js";
import type { VerifiedCapsuleFrag } from "../src/crypto/umbral/cfrag.js";
import { type PublicKey, preparePublicKey, publicKeyOf, type SecretKey } from "../src/crypto/umbral/keys.js";
import type { VerifiedKeyFrag } from "../src/crypto/umbral/kfrag.js";
import { generateSecretKey } from "../src/crypto/umbral/pre.js";
import { delegate, EMR_BYTES, expandRecord } from "../src/ehealth/custodian.js";
import { type EpochHeader, firstEpoch, type KeyEpoch, reencryptEpoch, rotateEpoch } from "../src/ehealth/key-epoch.js";
import { type ChameleonRecord, collideRecord, hashFirstRecord } from "../src/ehealth/records.js";
import { scenarioIdentity } from "../src/ehealth/scenario.js";
import { sealRecord } from "../src/ehealth/sealed-record.js";
import { type InstitutionAccount, setupWorld } from "../src/ehealth/world.js";
import type { ChainConfig } from "../src/ledger/config.js";
import { type ChainState, genesisState } from "../src/ledger/state.js";
import { cachedChameleonKey, modelCrypto } from "./crypto-cache.js";

export interface KitOptions {
  /** Institutions in the registry (the largest run the kit serves). */
  readonly institutions: number;
  readonly patients: number;
  readonly seed: string;
  readonly difficulty_bits: number;
  readonly freshness_window: number;
  readonly min_fee: ChainConfig["min_fee"];
  /** Size of each EMR before encryption (the paper: 32 KB). */
  readonly emr_bytes: number;
  /** Data-set records the EMRs are made from (lines of data/nursery.data). */
  readonly records: readonly string[];
  /** Whose PRE key an epoch's data key is wrapped to: the patient's (Upload step 4), or the custodian's (a broken upload, MOD-10). */
  readonly encrypt_to: "patient" | "custodian";
}

/** A patient's accounts: signing key, PRE key (records are encrypted to it), the key that signs its kfrags. */
export interface PatientKeys {
  readonly index: number;
  readonly signing: Ed25519KeyPair;
  readonly pre: SecretKey;
  readonly prePublic: PublicKey;
  readonly signer: SecretKey;
  readonly identity: Uint8Array;
}

/** [SHARE-6] Records a model custodian seals in one key epoch of a patient before it rotates. */
export const EPOCH_RECORDS = 4;

/** One record as an institution writes it: the EMR, what the custodian stores, and the chameleon record. */
export interface KitRecord {
  readonly patient: number;
  readonly institution: number;
  /** Position in the (patient, institution) series: 0 is hashed, later ones collide with it. */
  readonly k: number;
  readonly emr: Uint8Array;
  /** The key epoch's header the record is sealed under (its number: k / EPOCH_RECORDS, rounded down). */
  readonly header: EpochHeader;
  /** epoch header ‖ nonce ‖ AEAD ciphertext, the bytes the custodian keeps; their content address is the pointer. */
  readonly blob: Uint8Array;
  readonly ch: ChameleonRecord;
}

export interface Kit {
  readonly options: KitOptions;
  readonly institutions: readonly InstitutionAccount[];
  readonly patients: readonly PatientKeys[];
  /** The genesis state of a registry of the first `n` institutions (HVer memoized, MOD-12). */
  readonly genesis: (n: number) => ChainState;
  readonly record: (patient: number, institution: number, k: number) => KitRecord;
  /** The patient's re-encryption key for the delegatee institution (1-of-1, signed by the patient's signer). */
  readonly kfrag: (patient: number, delegatee: number) => VerifiedKeyFrag;
  /** The custodian's re-encryption, with that kfrag, of the capsule of the record's key epoch (one per epoch). */
  readonly cfrag: (record: KitRecord, delegatee: number) => VerifiedCapsuleFrag;
}

const kits = new Map<string, Kit>();

const seedFor = (options: KitOptions, ...parts: (string | number)[]): Uint8Array =>
  taggedHash(TAGS.VECTOR_RNG, utf8ToBytes(`spchain-model-kit|${options.seed}|${parts.join("|")}`));

const runSeeded = <A, E>(seed: Uint8Array, effect: Effect.Effect<A, E, Randomness | Crypto>): A => {
  const layer = Layer.mergeAll(Layer.succeed(Crypto, Crypto.of(modelCrypto)), Randomness.seeded(seed));
  return Effect.runSync(Effect.provide(effect, layer));
};

const makePatient = (options: KitOptions, index: number): PatientKeys => {
  const signing = keyPairFromSeed(modelCrypto, seedFor(options, "patient-signing", index));
  const pre = runSeeded(seedFor(options, "patient-pre", index), generateSecretKey);
  const signer = runSeeded(seedFor(options, "patient-signer", index), generateSecretKey);
  return {
    index,
    signing,
    pre,
    prePublic: preparePublicKey(publicKeyOf(pre)),
    signer,
    identity: scenarioIdentity(signing),
  };
};

/** A kit of exactly `options` (kitFor shares them; tests compare two sizes). */
export const buildKit = (options: KitOptions): Kit => {
  const names = Array.from({ length: options.institutions }, (_, i) => `institution-${i}`);
  const world = runSeeded(
    seedFor(options, "institutions"),
    setupWorld({
      institutions: names,
      difficulty_bits: options.difficulty_bits,
      freshness_window: options.freshness_window,
      min_fee: options.min_fee,
    }),
  );
  const full = world.state;
  const chKeys = full.chKeys.map(cachedChameleonKey);
  const patients = Array.from({ length: options.patients }, (_, i) => makePatient(options, i));
  const geneses = new Map<number, ChainState>();
  const records = new Map<string, KitRecord>();
  const kfrags = new Map<string, VerifiedKeyFrag>();
  const epochs = new Map<string, KeyEpoch>();
  const cfrags = new Map<string, VerifiedCapsuleFrag>();

  const genesis = (n: number): ChainState => {
    if (!Number.isInteger(n) || n < 1 || n > options.institutions) throw new RangeError(`kit: no registry of ${n}`);
    const known = geneses.get(n);
    if (known !== undefined) return known;
    const config: ChainConfig = { ...full.config, institutions: full.config.institutions.slice(0, n) };
    // The prepared keys of the full registry serve every prefix of it: genesisState would prepare them again.
    const state = n === options.institutions ? full : Result.getOrThrow(genesisState(config));
    const shared = { ...state, chKeys: chKeys.slice(0, n) };
    geneses.set(n, shared);
    return shared;
  };

  const patientOf = (p: number): PatientKeys => {
    const patient = patients[p];
    if (patient === undefined) throw new RangeError(`kit: no patient ${p}`);
    return patient;
  };
  const institutionOf = (x: number): InstitutionAccount => {
    const institution = world.institutions[x];
    if (institution === undefined) throw new RangeError(`kit: no institution ${x}`);
    return institution;
  };

  /** [SHARE-1] [SHARE-6] Epoch e of patient p at custodian x: the first made at the first record, then rotations. */
  const epoch = (p: number, x: number, e: number): KeyEpoch => {
    const id = `${p}/${x}/${e}`;
    const known = epochs.get(id);
    if (known !== undefined) return known;
    const to = options.encrypt_to === "custodian" ? institutionOf(x).pre.publicKey : patientOf(p).prePublic;
    const made = runSeeded(
      seedFor(options, "epoch", id),
      e === 0 ? firstEpoch(to) : Effect.orDie(rotateEpoch(epoch(p, x, e - 1), to)),
    );
    epochs.set(id, made);
    return made;
  };

  const record = (p: number, x: number, k: number): KitRecord => {
    const id = `${p}/${x}/${k}`;
    const known = records.get(id);
    if (known !== undefined) return known;
    const institution = institutionOf(x);
    const sealedIn = epoch(p, x, Math.floor(k / EPOCH_RECORDS));
    const line = options.records[(p * 7 + x * 13 + k * 31) % Math.max(1, options.records.length)] ?? "no record";
    const emr = expandRecord(line, `patient ${p} · institution ${x} · visit ${k}`, options.emr_bytes);
    const seed = seedFor(options, "record", id);
    const made = runSeeded(
      seed,
      Effect.gen(function* () {
        const { stored, pointer } = yield* sealRecord(sealedIn, emr);
        const first = k === 0 ? undefined : record(p, x, 0).ch;
        const ch =
          first === undefined
            ? yield* hashFirstRecord(institution, pointer)
            : yield* collideRecord(institution, first, pointer);
        return { stored, ch };
      }),
    );
    const out: KitRecord = {
      patient: p,
      institution: x,
      k,
      emr,
      header: sealedIn.header,
      blob: made.stored,
      ch: made.ch,
    };
    records.set(id, out);
    return out;
  };

  const kfrag = (p: number, d: number): VerifiedKeyFrag => {
    const id = `${p}/${d}`;
    const known = kfrags.get(id);
    if (known !== undefined) return known;
    const patient = patientOf(p);
    const frags = runSeeded(
      seedFor(options, "kfrag", id),
      delegate(patient.pre, patient.signer, institutionOf(d).pre.publicKey),
    );
    const made = frags[0];
    if (made === undefined) throw new Error("kit: ReKeyGen gave no kfrag");
    kfrags.set(id, made);
    return made;
  };

  const cfrag = (r: KitRecord, d: number): VerifiedCapsuleFrag => {
    const id = `${r.patient}/${r.institution}/${r.header.epoch}/${d}`;
    const known = cfrags.get(id);
    if (known !== undefined) return known;
    const made = runSeeded(seedFor(options, "cfrag", id), reencryptEpoch(r.header, kfrag(r.patient, d)));
    cfrags.set(id, made);
    return made;
  };

  return { options, institutions: world.institutions, patients, genesis, record, kfrag, cfrag };
};

/**
 * [MOD-12] A kit never built for fewer than these: the campaign's largest default group and a run's usual
 * patients and zombies, so runs of every size share one kit (and its records) instead of one kit each.
 */
export const KIT_INSTITUTIONS_MIN = 7;
export const KIT_PATIENTS_MIN = 8;

/** Data sets by identity: a kit's key names its data set by a number, not by its (large) contents. */
const dataSets = new WeakMap<readonly string[], number>();
let dataSetsSeen = 0;

/** Everything that makes a kit's bytes, but its sizes (which only decide how many accounts it has). */
const kitKey = (options: KitOptions): string => {
  let data = dataSets.get(options.records);
  if (data === undefined) {
    data = dataSetsSeen++;
    dataSets.set(options.records, data);
  }
  return JSON.stringify({ ...options, institutions: 0, patients: 0, records: data });
};

/**
 * The kit for `options`, built once per process. Each account, genesis and record is made from its own
 * seed, so a kit with more institutions or patients has the same first ones and the same records: the
 * kit that covers the request serves it (properties/model-properties.test.ts checks this), and a larger
 * request replaces it by one that covers both.
 */
export const kitFor = (options: KitOptions): Kit => {
  const key = kitKey(options);
  const known = kits.get(key);
  if (
    known !== undefined &&
    known.options.institutions >= options.institutions &&
    known.options.patients >= options.patients
  )
    return known;
  const kit = buildKit({
    ...options,
    institutions: Math.max(options.institutions, known?.options.institutions ?? KIT_INSTITUTIONS_MIN),
    patients: Math.max(options.patients, known?.options.patients ?? KIT_PATIENTS_MIN),
  });
  kits.set(key, kit);
  return kit;
};

/** Defaults shared by the property suites and the scenarios. */
export const DEFAULT_KIT: Omit<KitOptions, "institutions" | "patients" | "records" | "encrypt_to"> = {
  seed: "spchain-model",
  difficulty_bits: 6,
  freshness_window: 64,
  min_fee: { register: 10, medical: 5, label: 5 },
  emr_bytes: EMR_BYTES,
};
