/**
 * The paper's network for `npm start` (spec/model.md, [MOD-13]; SPChain §6.1): the 26 institutions of the
 * prototype, each mining with the hash share of one of the 26 Bitcoin pools of footnote 2 (largest
 * first), a consensus group of the top |X| = 11 by reputation (the smallest top set of pools holding 90 %
 * of the hash power, RepuCoin's rule, REP-17), patients drawn from the Nursery records, and a mix of the
 * paper's adversaries kept within the fault assumption (the run checks it in every epoch).
 *
 * Time is compressed. The paper mines a keyblock every 10 minutes (§6.1); the model mines one every 2-4 s
 * of model time, and each keyblock stands for `keyblockMinutes` simulated minutes (default 120, so a
 * simulated day is 12 keyblocks and a reputation chunk is one simulated day). Network delays (Δ = 20 ms)
 * and protocol timeouts are model milliseconds, not compressed. A patient's visits follow each other
 * within seconds of model time.
 * @module
 */

import { utf8ToBytes } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { EMR_BYTES } from "../src/ehealth/custodian.js";
import { normalizedShares, SPCHAIN_POOLS_PERCENT, topSetSize } from "../src/reputation/pools.js";
import { type Finding, findings } from "./attacks/findings.js";
import { assumptionHolds, latencyObserver, pinTimeObserver, seatObserver } from "./attacks/measure.js";
import type { BehaviourSpec } from "./behaviours.js";
import type { InstitutionSpec, PatientAction, PatientSpec, RunConfig } from "./config.js";
import { Run, type RunReport } from "./run.js";
import { calmNetwork, smallProtocol, zombie } from "./scenarios.js";

/** The paper's institutions: one per pool of footnote 2. */
export const PAPER_INSTITUTIONS = SPCHAIN_POOLS_PERCENT.length;
/** [REP-17] |X|: the smallest top set of pools with 90 % of the hash power (11 for footnote 2). */
export const PAPER_GROUP_SIZE = topSetSize(normalizedShares(SPCHAIN_POOLS_PERCENT), 0.9);
/** Keyblock intervals in model time (mean 3 s). */
export const KEYBLOCK_MIN_MS = 2_000;
export const KEYBLOCK_MAX_MS = 4_000;
export const KEYBLOCK_MEAN_MS = (KEYBLOCK_MIN_MS + KEYBLOCK_MAX_MS) / 2;
export const FIRST_KEYBLOCK_MS = 500;
/** A patient's plan takes at most this long, so plans start this long before mining stops. */
export const PLAN_MS = 40_000;
/** Model time after the last keyblock for pending work to be pinned. */
export const DRAIN_MS = 60_000;

export interface PaperOptions {
  /** Simulated weeks the run covers. */
  readonly weeks: number;
  /** Simulated minutes one keyblock stands for (the paper: 10). */
  readonly keyblockMinutes: number;
  /** New patients per simulated day. */
  readonly patientsPerDay: number;
  readonly seed: string;
  /** The adversaries of `paperAdversaries`, or none. */
  readonly adversaries: boolean;
}

export const PAPER_DEFAULTS: PaperOptions = {
  weeks: 3,
  keyblockMinutes: 120,
  patientsPerDay: 1.5,
  seed: "spchain-paper",
  adversaries: true,
};

/**
 * The adversaries by institution index (pools in footnote 2 order, largest first). The registry's keys
 * come from a fixed seed (PAPER_KIT_SEED), so the genesis group, ranked by the tie hash alone (every R is
 * f(0) then, GRP-1), is fixed: {1, 3, 5, 6, 8, 10, 12, 16, 18, 21, 25}. The roles are placed outside it
 * (with 7 of 26 institutions Byzantine, a genesis group drawn by the tie hash would often seat more than f
 * of them), and the censor is ranked first by CENSOR_EXT, so that it leads view 0 of every epoch (the
 * leader of view v is member v mod n in rank order, BFT). Once the chain runs, the censor, the fraudster and
 * (after its rental) the flash attacker earn seats; the run checks the fault assumption in every epoch.
 */
export const PAPER_ROLES = {
  /** The 17 % pool, top-ranked by CENSOR_EXT: as leader it bends Algorithm 2 against the victim (inhibition, §4.3). */
  censor: 0,
  censorVictim: 1,
  /** A 13 % pool that withholds every keyblock it finds (selfish mining, §4.3). */
  selfish: 2,
  /** A 1.2 % pool that mines under three identities: its own and SYBIL_EXTRA's (Sybil, §4.3). */
  sybil: 15,
  /** A 1.6 % pool with zombie patients (reputation fraud, §4.3). */
  fraud: 14,
  /** A custodian that alters the ciphertexts it serves. */
  tamper: 17,
  /** A 0.05 % pool that rents a hash-power majority for the last simulated day (flash attack, §4.3). */
  flash: 20,
  /** An institution that tries to decrypt every ciphertext it handles. */
  curious: 22,
} as const;
/**
 * The censor's external reputation (RepuCoin's Ext, REP-7; SPChain sets none, A9): 0.2 lifts its R1 to
 * ~0.6 and its R to ~0.5, so it ranks first and leads view 0 of every epoch, the position inhibition needs;
 * with the fraudster and the flash attacker seated too, the Byzantine members hold 1.3 / 4.5 = 29 % of
 * the group's reputation, under a third.
 */
export const CENSOR_EXT = "200000000";
/** Two registry identities (pools of 0.03 % and 0.01 %) that belong to the Sybil attacker. */
export const SYBIL_EXTRA: readonly number[] = [23, 24];
export const PAPER_KIT_SEED = "spchain-paper-2";

/** Homes of patients p with p mod 6 = 0..5: the victim twice, the tamperer, the curious one, two at random. */
const ROUTED: readonly (number | undefined)[] = [
  PAPER_ROLES.censorVictim,
  PAPER_ROLES.tamper,
  undefined,
  PAPER_ROLES.censorVictim,
  PAPER_ROLES.curious,
  undefined,
];

/** Hash shares in hundredths of a percent (integers: the mining draw takes integer weights). */
const poolShares = (): number[] => SPCHAIN_POOLS_PERCENT.map((p) => Math.max(1, Math.round(p * 100)));

/** A deterministic number in [0, bound) from the seed and a label. */
const draw = (seed: string, label: string, bound: number): number => {
  const h = taggedHash(TAGS.VECTOR_RNG, utf8ToBytes(`spchain-paper|${seed}|${label}`));
  return (
    ((((h[0] as number) << 24) | ((h[1] as number) << 16) | ((h[2] as number) << 8) | (h[3] as number)) >>> 0) % bound
  );
};

/** Model ms of one simulated day. */
export const dayMs = (o: PaperOptions): number => (1440 / o.keyblockMinutes) * KEYBLOCK_MEAN_MS;
/** Keyblocks the run mines (on average, without rented power). */
export const paperKeyblocks = (o: PaperOptions): number =>
  Math.max(1, Math.round((o.weeks * 7 * 1440) / o.keyblockMinutes));
/** Simulated seconds per model millisecond. */
export const simulatedSecondsPerMs = (o: PaperOptions): number => (o.keyblockMinutes * 60) / KEYBLOCK_MEAN_MS;

/**
 * A patient's plan from its Nursery record: `children` (1, 2, 3, more) sets the consultations, alternately
 * at home and at another institution; `health` = not_recom asks for a label (a correction), priority for a
 * share with the other institution; every patient retrieves its records at the end.
 */
export const planFromRecord = (record: string, home: number, other: number, start_ms: number): PatientSpec => {
  const fields = record.split(",");
  const children = fields[3] === "more" ? 4 : Math.min(4, Math.max(1, Number.parseInt(fields[3] ?? "1", 10) || 1));
  const health = fields[7] ?? "";
  const actions: PatientAction[] = [{ at_ms: start_ms, kind: "register" }];
  for (let v = 0; v < children; v++)
    actions.push({ at_ms: start_ms + 6_000 + v * 1_000, kind: "consult", institution: v % 2 === 0 ? home : other });
  if (health === "not_recom") actions.push({ at_ms: start_ms + 14_000, kind: "label", institution: home });
  if (health === "priority")
    actions.push({ at_ms: start_ms + 18_000, kind: "share", custodian: home, delegatee: other });
  actions.push({ at_ms: start_ms + 24_000, kind: "retrieve" });
  return { home, actions };
};

const behaviours = (o: PaperOptions, stop_ms: number, shares: readonly number[]): Map<number, BehaviourSpec> => {
  if (!o.adversaries) return new Map();
  const r = PAPER_ROLES;
  const day = dayMs(o);
  // the flash window: the last simulated day of mining (all of it, in a shorter run). Its keyblocks earn
  // the attacker a seat; at the end of the run the Sybil identities, whose work is small against the
  // honest pools' by then, hold none, so the seated Byzantine members stay at f = 3 (checked per epoch)
  const from_ms = Math.max(FIRST_KEYBLOCK_MS, stop_ms - day);
  const until_ms = stop_ms;
  const everyone = shares.reduce((s, x) => s + x, 0);
  const map = new Map<number, BehaviourSpec>([
    [r.selfish, { kind: "selfish" }],
    [r.censor, { kind: "censor", victim: r.censorVictim, mode: "bend" }],
    [r.fraud, { kind: "fraud" }],
    [r.tamper, { kind: "tamper", mode: "flip" }],
    // 1.5 times everyone else's power: 60 % of the hash power while it lasts
    [r.flash, { kind: "flash", from_ms, until_ms, rented: Math.round(1.5 * everyone) }],
    [r.curious, { kind: "curious" }],
    [r.sybil, { kind: "sybil", owner: r.sybil }],
  ]);
  for (const x of SYBIL_EXTRA) map.set(x, { kind: "sybil", owner: r.sybil });
  return map;
};

/** [MOD-13] The paper's network over `o.weeks` simulated weeks. */
export const paperConfig = (o: PaperOptions, records: readonly string[]): RunConfig => {
  const keyblocks = paperKeyblocks(o);
  const stop_ms = FIRST_KEYBLOCK_MS + keyblocks * KEYBLOCK_MEAN_MS;
  const shares = poolShares();
  const hash = [...shares];
  if (o.adversaries) {
    // the Sybil attacker's power (its pool's and its extra identities'), split evenly over its identities
    const identities = [PAPER_ROLES.sybil, ...SYBIL_EXTRA];
    const part = Math.max(1, Math.floor(identities.reduce((sum, x) => sum + (shares[x] ?? 0), 0) / identities.length));
    for (const x of identities) hash[x] = part;
  }
  const byzantine = behaviours(o, stop_ms, shares);
  const institutions: InstitutionSpec[] = hash.map((hash_share, i) => ({
    hash_share,
    ext: o.adversaries && i === PAPER_ROLES.censor ? CENSOR_EXT : "0",
    behaviour: byzantine.get(i) ?? { kind: "honest" },
  }));
  const count = Math.max(1, Math.round(o.weeks * 7 * o.patientsPerDay));
  const last_start = Math.max(FIRST_KEYBLOCK_MS, stop_ms - PLAN_MS);
  const patients: PatientSpec[] = [];
  for (let p = 0; p < count; p++) {
    const record = records[draw(o.seed, `record|${p}`, Math.max(1, records.length))] ?? "";
    // some patients are sent where an attack needs them: the censor's victim, the tampering custodian, the
    // curious institution (so that each attack has records to act on); the rest choose at random
    const routed = o.adversaries ? ROUTED[p % ROUTED.length] : undefined;
    const home = routed ?? draw(o.seed, `home|${p}`, PAPER_INSTITUTIONS);
    const other = (home + 1 + draw(o.seed, `other|${p}`, PAPER_INSTITUTIONS - 1)) % PAPER_INSTITUTIONS;
    const start = FIRST_KEYBLOCK_MS + Math.floor(((last_start - FIRST_KEYBLOCK_MS) * p) / count);
    patients.push(planFromRecord(record, home, other, start));
  }
  if (o.adversaries) {
    // one zombie every two simulated days: registered with the fraudster, three consultations there
    const zombies = Math.max(1, Math.round((o.weeks * 7) / 2));
    for (let z = 0; z < zombies; z++) {
      const start = FIRST_KEYBLOCK_MS + Math.floor(((last_start - FIRST_KEYBLOCK_MS) * z) / zombies) + 250;
      const fraud = PAPER_ROLES.fraud;
      patients.push(zombie(fraud, start));
    }
  }
  const protocol = smallProtocol(PAPER_GROUP_SIZE);
  return {
    seed: PAPER_KIT_SEED,
    institutions,
    patients,
    network: calmNetwork(),
    mining: {
      first_ms: FIRST_KEYBLOCK_MS,
      stop_ms,
      min_interval_ms: KEYBLOCK_MIN_MS,
      max_interval_ms: KEYBLOCK_MAX_MS,
      max_registers: 64,
    },
    protocol: {
      ...protocol,
      reputation: { preset: "spchain", chunkSize: Math.max(1, Math.round(1440 / o.keyblockMinutes)) },
    },
    horizon_ms: stop_ms + DRAIN_MS,
    max_steps: 100_000_000,
    emr_bytes: EMR_BYTES,
    variant: "real",
  };
};

/** The report of one scenario run (what `npm start` prints). */
export interface ScenarioReport {
  readonly run: RunReport;
  readonly registry: number;
  readonly roles: readonly { readonly institution: number; readonly behaviour: string; readonly hash_share: number }[];
  readonly pinned: {
    readonly keyblocks: number;
    readonly batches: number;
    /** Register, medical and label transactions on the honest nodes' chain. */
    readonly transactions: number;
    readonly registers: number;
    readonly records: number;
    readonly labels: number;
  };
  /** The fault assumption (GRP-3), epoch by epoch. */
  readonly assumption: {
    readonly epochs: number;
    readonly held: number;
    readonly maxByzantineSeats: number;
    readonly maxByzantineShare: number;
    readonly groupSize: number;
  };
  readonly findings: readonly Finding[];
}

export interface RunScenarioOptions {
  readonly config: RunConfig;
  readonly seed: string;
  readonly records: readonly string[];
  /** Called every `progressEvery` steps with the model time reached. */
  readonly onProgress?: (now_ms: number, horizon_ms: number, steps: number) => void;
  readonly progressEvery?: number;
}

/** [MOD-13] Runs a scenario to its end and measures it: chain, fault assumption, findings, monitors. */
export const runScenario = (o: RunScenarioOptions): ScenarioReport => {
  const { config } = o;
  const honest = config.institutions.flatMap((s, i) => (s.behaviour.kind === "honest" ? [i] : []));
  const seats = seatObserver((i) => honest.includes(i));
  const latency = latencyObserver(honest);
  const pins = pinTimeObserver((i) => honest.includes(i));
  const run = new Run({
    config,
    schedule: { seed: o.seed },
    records: o.records,
    observer: (obs, now_ms) => {
      seats.observe(obs);
      latency.observe(obs, now_ms);
      pins.observe(obs, now_ms);
    },
  });
  const every = o.progressEvery ?? 2_000;
  for (let steps = 0; run.step(); steps++) {
    if (steps % every === 0) o.onProgress?.(run.network.now_ms, config.horizon_ms, run.steps);
  }
  const report = run.finish();
  const epochs = seats.log.epochs;
  const c = report.chain;
  return {
    run: report,
    registry: config.institutions.length,
    roles: config.institutions.flatMap((s, i) =>
      s.behaviour.kind === "honest" ? [] : [{ institution: i, behaviour: s.behaviour.kind, hash_share: s.hash_share }],
    ),
    pinned: {
      keyblocks: c.height,
      batches: c.batches,
      transactions: c.patients + c.records + c.labels,
      registers: c.patients,
      records: c.records,
      labels: c.labels,
    },
    assumption: {
      epochs: epochs.length,
      held: epochs.filter(assumptionHolds).length,
      maxByzantineSeats: Math.max(0, ...epochs.map((e) => e.byzantine)),
      maxByzantineShare: Math.max(0, ...epochs.map((e) => Number(e.byzantineShare) / 1e9)),
      groupSize: Math.max(0, ...epochs.map((e) => e.members.length)),
    },
    findings: findings({ run, report, seats: seats.log, txs: latency.txs, pinTimes: pins.times }),
  };
};
