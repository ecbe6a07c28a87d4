/**
 * The paper's five attacks as scenarios (spec/model.md, [MOD-13]; SPChain §4.3 and §6.3): each a
 * configuration of the small network (7 institutions, one unit of hash power each unless the attack
 * says otherwise, the same three patients) with the attacker in it, the outcome the rules predict, and,
 * where the attack's gain is relative, a baseline configuration that differs only in the attack.
 * Every scenario uses 7 institutions and 6 patients, so that all of them share one precomputed kit.
 * @module
 */
import type { BehaviourSpec } from "../behaviours.js";
import type { PatientSpec, RunConfig } from "../config.js";
import { smallConfig, smallProtocol, typicalPatient, zombie } from "../scenarios.js";

export const ATTACK_NAMES = [
  "flash",
  "majority",
  "selfish",
  "sybil",
  "fraud",
  "inhibition",
  "inhibition-omit",
] as const;
export type AttackName = (typeof ATTACK_NAMES)[number];

export const ATTACK_INSTITUTIONS = 7;
export const ATTACK_PATIENTS = 6;
/** Keyblocks are mined until this model time. */
export const ATTACK_MINING_MS = 48_000;
/** The attacker's index in every scenario (the last institution). */
export const ATTACKER = ATTACK_INSTITUTIONS - 1;
/** The victim of the inhibition scenarios. */
export const VICTIM = 0;

export interface AttackScenario {
  readonly name: AttackName;
  /** The schedule's seed (the configuration's kit seed is shared by every scenario). */
  readonly seed: string;
  /** What the attack is, in the paper's words. */
  readonly summary: string;
  /** What the rules predict. */
  readonly expectation: string;
  readonly config: RunConfig;
  /** The same network without the attack (or with the attacker as one identity), when the gain is relative. */
  readonly baseline?: RunConfig;
}

/** Honest patients: two registered at the victim, one elsewhere; the rest of the six are idle or zombies. */
const patientsWith = (extra: readonly PatientSpec[]): PatientSpec[] => {
  const honest = [typicalPatient(VICTIM, 1, 100, 2), typicalPatient(VICTIM, 2, 600, 1), typicalPatient(1, 3, 1_100, 0)];
  const idle: PatientSpec[] = Array.from({ length: ATTACK_PATIENTS - honest.length - extra.length }, () => ({
    home: 1,
    actions: [],
  }));
  return [...honest, ...extra, ...idle];
};

/**
 * Ext = 0.6 puts an institution on top of the ranking (R1 = 1, R = 0.7 against the others' ~0.4), so it
 * leads view 0 of every epoch (BFT: the leader of view v is member v mod n in rank order): the censor's
 * best position. One such member holds 0.7 / 3.1 = 23 % of the group's reputation, within the assumption.
 */
const TOP = "600000000";

interface Variation {
  readonly behaviours?: ReadonlyMap<number, BehaviourSpec>;
  readonly hash?: readonly number[];
  readonly extra?: readonly PatientSpec[];
  readonly groupSize?: number;
  /** RepuCoin's external reputation (REP-7) by institution, fixed point. */
  readonly ext?: ReadonlyMap<number, string>;
}

const configOf = (v: Variation): RunConfig => {
  const base = smallConfig({
    institutions: ATTACK_INSTITUTIONS,
    ...(v.behaviours === undefined ? {} : { behaviours: v.behaviours }),
    ...(v.hash === undefined ? {} : { hash: v.hash }),
    ...(v.ext === undefined ? {} : { ext: v.ext }),
    patients: patientsWith(v.extra ?? []),
    mining_stop_ms: ATTACK_MINING_MS,
    horizon_ms: ATTACK_MINING_MS + 60_000,
    seed: "spchain-model-attacks",
  });
  return v.groupSize === undefined ? base : { ...base, protocol: smallProtocol(v.groupSize) };
};

const one = (spec: BehaviourSpec): ReadonlyMap<number, BehaviourSpec> => new Map([[ATTACKER, spec]]);

/** [MOD-13] The scenario of an attack. */
export const attackScenario = (name: AttackName): AttackScenario => {
  const seed = `attack-${name}`;
  switch (name) {
    case "flash":
      // six honest units; the attacker rents 12 more from 8 s to 32 s: 13 of 19 units, 68 % of the power
      return {
        name,
        seed,
        summary: "a flash attacker rents a hash-power majority for a while and mines keyblocks for pinned heights",
        expectation:
          "it mines most keyblocks while the rental lasts, none of its rewrites is pinned, and its R1 stays below f(K)",
        config: configOf({ behaviours: one({ kind: "flash", from_ms: 8_000, until_ms: 32_000, rented: 12 }) }),
      };
    case "majority":
      return {
        name,
        seed,
        summary:
          "a 51 % attacker holds 60 % of the hash power for the whole run and mines keyblocks for pinned heights",
        expectation: "none of its rewrites is pinned, and its R1 stays below f(K)",
        config: configOf({ behaviours: one({ kind: "flash", from_ms: 0, until_ms: ATTACK_MINING_MS, rented: 12 }) }),
      };
    case "selfish":
      // three of nine units (33 %: the paper's selfish miner holds more than 25 %)
      return {
        name,
        seed,
        summary: "a selfish miner with a third of the hash power withholds every keyblock it finds",
        expectation: "every withheld keyblock loses to the pinned one; it gains no keyblock and no reputation",
        config: configOf({ behaviours: one({ kind: "selfish" }), hash: [1, 1, 1, 1, 1, 1, 3] }),
      };
    case "sybil": {
      // three units of power: split over three identities (4, 5, 6), or one identity (6) beside two idle ones
      const sybil: BehaviourSpec = { kind: "sybil", owner: ATTACKER };
      return {
        name,
        seed,
        summary: "one attacker's hash power split over three identities, against the same power under one identity",
        expectation:
          "the identities' total R1 gain over the floor is at most K/(2λ) and no more than one identity's would be",
        config: configOf({
          behaviours: new Map([
            [4, sybil],
            [5, sybil],
            [6, sybil],
          ]),
          hash: [1, 1, 1, 1, 1, 1, 1],
          groupSize: 4,
        }),
        baseline: configOf({ behaviours: one(sybil), hash: [1, 1, 1, 1, 0, 0, 3], groupSize: 4 }),
      };
    }
    case "fraud":
      return {
        name,
        seed,
        summary: "an institution registers three zombie patients and sends fake transactions to itself",
        expectation:
          "no identity registers twice, every fake transaction pays its fee, and R2 stays below f(L): a bounded gain",
        config: configOf({
          behaviours: one({ kind: "fraud" }),
          extra: [zombie(ATTACKER, 200), zombie(ATTACKER, 700), zombie(ATTACKER, 1_200)],
        }),
        baseline: configOf({}),
      };
    case "inhibition":
      return {
        name,
        seed,
        summary:
          "the top-ranked member, leader of view 0 in every epoch, bends Algorithm 2's selection against the victim",
        expectation: "every record of the victim is pinned within the liveness bound",
        config: configOf({
          behaviours: one({ kind: "censor", victim: VICTIM, mode: "bend" }),
          ext: new Map([[ATTACKER, TOP]]),
        }),
      };
    case "inhibition-omit":
      return {
        name,
        seed,
        summary: "the top-ranked member, leader of view 0 in every epoch, leaves the victim's submissions out",
        expectation: "every record of the victim is pinned within the liveness bound",
        config: configOf({
          behaviours: one({ kind: "censor", victim: VICTIM, mode: "omit" }),
          ext: new Map([[ATTACKER, TOP]]),
        }),
      };
  }
};

/**
 * Beyond the fault assumption (a control): every member but the victim censors it, all ranked above it,
 * so the victim never leads and no quorum ever asks for a view change: its records are starved.
 */
export const inhibitionBeyondAssumption = (): RunConfig => {
  const censors = Array.from({ length: ATTACK_INSTITUTIONS - 1 }, (_, i) => i + 1);
  const config = configOf({
    behaviours: new Map(
      censors.map((x): [number, BehaviourSpec] => [x, { kind: "censor", victim: VICTIM, mode: "omit" }]),
    ),
    ext: new Map(censors.map((x): [number, string] => [x, TOP])),
  });
  // the victim's first records fall due (submitted at ~7 s, bound ~41 s) well before this horizon
  return { ...config, horizon_ms: ATTACK_MINING_MS + 12_000 };
};
