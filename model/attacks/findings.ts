/**
 * What each attack in a run achieved, measured (spec/model.md, [MOD-13]; SPChain §4.3, §6.3): for every
 * adversary the configuration holds, the attempts it made and the numbers that show what stopped it or
 * how far it got, read from the honest nodes' chains and reputation state, the attack log and the
 * run's observations. The same findings feed `npm start`'s report and the attack scenarios' tests.
 *
 * The bounds quoted are the rules' own: R1's x is at most the identity's keyblock count K (x = mean/(1 +
 * spread) × y2 × L with mean = K/L and y2 ≤ 1), so R1 ≤ f(K) (REP-7, RepuCoin Theorem 1: f rises by at
 * most 1/(2λ) per unit of x); R2's x is at most L (two shares ≤ 1 times L), so R2 ≤ f(L) (REP-8).
 * @module
 */

import { HashMap, Option, Result } from "effect";
import { bytesToHex } from "../../src/crypto/bytes.js";
import { history } from "../../src/ledger/retrieval.js";
import { sigmoidTerm } from "../../src/reputation/sigmoid.js";
import { evaluate, type InstitutionReputation } from "../../src/reputation/state.js";
import type { InstitutionNode } from "../institution.js";
import type { Run, RunReport } from "../run.js";
import { attackLogOutcome, type SeatLog, type TxTiming } from "./measure.js";

export interface Finding {
  readonly attack: string;
  readonly attackers: readonly number[];
  /** Measured numbers (counts, reputations, bounds). */
  readonly measured: Readonly<Record<string, number | string>>;
  /** What stopped it, or limited it, in the words of the rules. */
  readonly stoppedBy: string;
}

export interface FindingInputs {
  readonly run: Run;
  readonly report: RunReport;
  readonly seats: SeatLog;
  readonly txs: ReadonlyMap<string, TxTiming>;
  /** Height → when it was first pinned at an honest node. */
  readonly pinTimes: ReadonlyMap<number, number>;
}

const byKind = (run: Run, kind: string): number[] =>
  run.options.config.institutions.flatMap((s, i) => (s.behaviour.kind === kind ? [i] : []));

/** An honest node to read the chain and reputation from (every honest node agrees on the pinned prefix). */
const reference = (run: Run): InstitutionNode | undefined => run.institutions.find((n) => run.honest.has(n.id));

const evaluationOf = (run: Run): Map<number, InstitutionReputation> => {
  const node = reference(run);
  const out = new Map<number, InstitutionReputation>();
  if (node === undefined) return out;
  for (const e of evaluate(node.reputation)) {
    const i = run.env.institutionIndex.get(bytesToHex(e.key));
    if (i !== undefined) out.set(i, e);
  }
  return out;
};

const tally = (report: RunReport, attack: string): number =>
  report.attacks.filter((a) => a.attack.includes(attack)).reduce((s, a) => s + a.count, 0);

const round9 = (x: number): number => Math.round(x * 1e9) / 1e9;

/** Records of `victim` submitted by honest institutions: how many, how many pinned, the slowest (ms). */
const victimRecords = (txs: ReadonlyMap<string, TxTiming>, victim: number, gst_ms: number) => {
  let submitted = 0;
  let pinned = 0;
  let slowest = 0;
  for (const t of txs.values()) {
    if (t.institution !== victim) continue;
    submitted += 1;
    if (t.pinned_ms === undefined) continue;
    pinned += 1;
    slowest = Math.max(slowest, t.pinned_ms - Math.max(gst_ms, t.submitted_ms));
  }
  return { submitted, pinned, slowest };
};

/** [MOD-13] The findings of every adversary in the run. */
export const findings = ({ run, report, seats, txs, pinTimes }: FindingInputs): Finding[] => {
  const config = run.options.config;
  const rep = run.env.reputation;
  const f = (x: number) => sigmoidTerm(x, rep);
  const evaluation = evaluationOf(run);
  const node = reference(run);
  const L = node === undefined ? 0 : node.ledger.keyblocks.size - 1;
  const log = attackLogOutcome(run);
  const out: Finding[] = [];
  const seatEpochs = (i: number) => seats.seatEpochs.get(i) ?? 0;
  const epochs = seats.epochs.length;
  const honestMax = (pick: (e: InstitutionReputation) => number): number =>
    Math.max(0, ...[...evaluation].filter(([i]) => run.honest.has(i)).map(([, e]) => pick(e)));

  const flash = byKind(run, "flash");
  if (flash.length > 0) {
    const mined = flash.map((i) => Number(evaluation.get(i)?.mined ?? 0n));
    const r1 = flash.map((i) => evaluation.get(i)?.reputation.r1.value ?? 0);
    // the keyblocks pinned while a rental lasted, and how many of them the attackers mined
    let inWindow = 0;
    let attackerInWindow = 0;
    for (const [height, at_ms] of pinTimes) {
      const rented = flash.some((i) => {
        const b = config.institutions[i]?.behaviour;
        return b?.kind === "flash" && at_ms >= b.from_ms && at_ms < b.until_ms;
      });
      const miner = node?.ledger.keyblocks.get(height)?.keyblock?.header.miner;
      if (!rented || miner === undefined) continue;
      inWindow += 1;
      if (flash.includes(run.env.institutionIndex.get(bytesToHex(miner)) ?? -1)) attackerInWindow += 1;
    }
    out.push({
      attack: "51 % / flash: rented hash majority",
      attackers: flash,
      measured: {
        keyblocks_pinned: L,
        attacker_keyblocks: mined.reduce((s, k) => s + k, 0),
        keyblocks_pinned_while_rented: inWindow,
        attacker_keyblocks_while_rented: attackerInWindow,
        rewrites_tried: log.rewrites,
        rewrites_pinned: log.rewritesPinned,
        attacker_r1: round9(Math.max(...r1)),
        r1_bound_f_of_K: round9(Math.max(...mined.map(f))),
        r1_floor: round9(f(0)),
        honest_max_r1: round9(honestMax((e) => e.reputation.r1.value)),
        attacker_seat_epochs: flash.reduce((s, i) => s + seatEpochs(i), 0),
        epochs,
      },
      stoppedBy:
        "pinned keyblocks are final: a keyblock for a pinned height conflicts with the pin (PIN-6); reputation " +
        "grows at most 1/(2λ) per keyblock (R1 ≤ f(K), RepuCoin Theorem 1)",
    });
  }

  const selfish = byKind(run, "selfish");
  if (selfish.length > 0) {
    out.push({
      attack: "selfish mining: withheld keyblocks",
      attackers: selfish,
      measured: {
        withheld_released: tally(report, "withheld keyblock"),
        attacker_keyblocks_pinned: selfish.reduce((s, i) => s + Number(evaluation.get(i)?.mined ?? 0n), 0),
        attacker_r1: round9(Math.max(...selfish.map((i) => evaluation.get(i)?.reputation.r1.value ?? 0))),
        r1_floor: round9(f(0)),
      },
      stoppedBy: "the group pins the first keyblock of each height; a later one conflicts with the pin (PIN-6)",
    });
  }

  const sybil = byKind(run, "sybil");
  if (sybil.length > 0) {
    const mined = sybil.map((i) => Number(evaluation.get(i)?.mined ?? 0n));
    const gain = sybil.reduce((s, i) => s + ((evaluation.get(i)?.reputation.r1.value ?? 0) - f(0)), 0);
    const maxSeats = Math.max(0, ...seats.epochs.map((e) => e.members.filter((x) => sybil.includes(x)).length));
    out.push({
      attack: "Sybil: one attacker's hash power under several identities",
      attackers: sybil,
      measured: {
        identities: sybil.length,
        keyblocks: mined.reduce((s, k) => s + k, 0),
        r1_gain_over_floor_total: round9(gain),
        r1_gain_bound_K_over_2lambda: round9(mined.reduce((s, k) => s + k, 0) / (2 * rep.sigmoid.lambda)),
        seat_epochs: sybil.reduce((s, i) => s + seatEpochs(i), 0),
        max_seats_in_one_epoch: maxSeats,
        epochs,
      },
      stoppedBy:
        "reputation comes from work: each identity's R1 ≤ f(K_i), so together they gain at most K/(2λ) over the " +
        "floor, one identity's bound for the same work (Theorem 1); seats go by reputation, not identity count (GRP-1)",
    });
  }

  const fraud = byKind(run, "fraud");
  if (fraud.length > 0 && node !== undefined) {
    let zombiesRegistered = 0;
    let zombieRecords = 0;
    let fees = 0;
    config.patients.forEach((spec, p) => {
      if (spec.colludesWith === undefined || !fraud.includes(spec.colludesWith)) return;
      const key = run.env.kit.patients[p]?.signing.publicKey;
      const number = key === undefined ? undefined : HashMap.get(node.ledger.patientKeys, bytesToHex(key));
      if (number === undefined || Option.isNone(number)) return;
      zombiesRegistered += 1;
      // the institution prepares registrations at the minimum fee (custodian-role.ts)
      fees += node.ledger.config.min_fee.register;
      for (const item of Result.getOrElse(history(node.ledger, number.value), () => [])) {
        zombieRecords += 1 + item.corrections.length;
        fees += item.tx.fee + item.corrections.reduce((sum, c) => sum + c.tx.fee, 0);
      }
    });
    const r2 = fraud.map((i) => evaluation.get(i)?.reputation.r2);
    out.push({
      attack: "reputation fraud: zombie patients and fake transactions",
      attackers: fraud,
      measured: {
        zombies_registered: zombiesRegistered,
        zombie_records_pinned: zombieRecords,
        fees_paid: fees,
        duplicate_identities_tried: log.duplicates,
        duplicate_identities_pinned: log.duplicatesPinned,
        attacker_r2: round9(Math.max(...r2.map((r) => r?.value ?? 0))),
        r2_bound_f_of_L: round9(f(L)),
        honest_max_r2: round9(honestMax((e) => e.reputation.r2.value)),
        attacker_seat_epochs: fraud.reduce((s, i) => s + seatEpochs(i), 0),
        epochs,
      },
      stoppedBy:
        "one registration per identity commitment (TX-3); a fee on every transaction; R2's shares are capped at " +
        "1 and spread-penalised, so R2 ≤ f(L) (REP-8)",
    });
  }

  const censors = config.institutions.flatMap((s, i) => (s.behaviour.kind === "censor" ? [{ i, s: s.behaviour }] : []));
  for (const { i, s } of censors) {
    const v = victimRecords(txs, s.victim, config.network.gst_ms);
    out.push({
      attack: `inhibition: leader ${s.mode === "bend" ? "bends Algorithm 2's selection" : "omits submissions"}`,
      attackers: [i],
      measured: {
        victim: s.victim,
        attempts: tally(report, "leader "),
        victim_records_submitted: v.submitted,
        victim_records_pinned: v.pinned,
        slowest_ms: v.slowest,
        bound_ms: report.liveness.bounds.tx_ms ?? 0,
        attacker_seat_epochs: seatEpochs(i),
        epochs,
      },
      stoppedBy:
        s.mode === "bend"
          ? "members accept only Algorithm 2's batch over the table (BAT-4); a refused proposal means a view change"
          : "request timers at honest members replace a leader that leaves requests out (BFT-18)",
    });
  }

  const tamper = byKind(run, "tamper");
  if (tamper.length > 0) {
    out.push({
      attack: "custodian alters or withholds ciphertexts",
      attackers: tamper,
      measured: { served_altered: tally(report, "stored ciphertext"), detected: report.tamperingDetected },
      stoppedBy: "the retriever checks the inclusion proof and the content address (RET-4, TX-4)",
    });
  }
  const curious = byKind(run, "curious");
  if (curious.length > 0) {
    const opened = report.attacks
      .filter((a) => a.attack.startsWith("decrypt a stored record") && a.outcome === "DECRYPTED")
      .reduce((s, a) => s + a.count, 0);
    out.push({
      attack: "curious institution decrypts records it was not given",
      attackers: curious,
      measured: { tried: tally(report, "decrypt a stored record"), opened },
      stoppedBy: "EMRs are encrypted to the patient's key; only a patient's re-encryption key opens them (PRE-10)",
    });
  }
  return out;
};
