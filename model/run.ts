/**
 * A run of the model (spec/model.md, [MOD-1]..[MOD-9]): the nodes of a configuration over the in-memory
 * network, driven one event at a time by a schedule (a tape or a seed), every monitor checking each
 * step's observations and deadlines, and a final check of the end state. A run is a function of its
 * configuration and schedule: replaying them replays it exactly.
 * @module
 */
import { bytesToHex, utf8ToBytes } from "../src/crypto/bytes.js";
import type { ChameleonKey } from "../src/crypto/chameleon/scheme.js";
import type { InstitutionAccount } from "../src/ehealth/world.js";
import type { ReputationEvent } from "../src/reputation/events.js";
import { evaluate } from "../src/reputation/state.js";
import { behaviourOf } from "./behaviours.js";
import { type Chooser, SeededChooser, TapeChooser, weightedIndex } from "./chooser.js";
import type { RunConfig } from "./config.js";
import { type CryptoCounters, counters, hverSkippingKey, modelCrypto } from "./crypto-cache.js";
import { type Env, groupRuleOf, reputationOf, rulesFor } from "./env.js";
import { InstitutionNode } from "./institution.js";
import { DEFAULT_KIT, kitFor } from "./kit.js";
import {
  type MonitorContext,
  type MonitorName,
  type MonitorSet,
  monitorsFor,
  type Violation,
} from "./monitors/index.js";
import { Network, type NetworkStats, type SimEvent } from "./network.js";
import { type Observation, Truth } from "./observations.js";
import { PatientNode } from "./patient.js";

/** [MOD-2] What drives a run's choices: a fast-check tape, or a seed for the seeded generator. */
export type Schedule = { readonly tape: readonly number[] } | { readonly seed: string };

export interface RunOptions {
  readonly config: RunConfig;
  readonly schedule: Schedule;
  /** Data-set records the EMRs are made from. */
  readonly records: readonly string[];
  /** Stop at the first violation (properties and negative controls). */
  readonly stopOnViolation?: boolean;
  readonly monitors?: readonly MonitorName[];
  /** Sees every observation after the monitors (scenario measurements, progress). */
  readonly observer?: (o: Observation, now_ms: number) => void;
}

export interface AttackTally {
  readonly attack: string;
  readonly outcome: string;
  count: number;
}

export interface RankEntry {
  readonly institution: number;
  readonly behaviour: string;
  readonly r: number;
  readonly r1: number;
  readonly r2: number;
  readonly mined: bigint;
  readonly seated: boolean;
}

export interface RunReport {
  readonly steps: number;
  readonly end_ms: number;
  readonly violations: readonly Violation[];
  readonly checks: Readonly<Record<string, number>>;
  readonly network: NetworkStats;
  readonly crypto: CryptoCounters;
  readonly chain: {
    readonly height: number;
    readonly batches: number;
    readonly records: number;
    readonly labels: number;
    readonly patients: number;
    readonly microblocks: number;
  };
  readonly attacks: readonly AttackTally[];
  readonly rejections: readonly AttackTally[];
  readonly liveness: {
    readonly created: number;
    readonly met: number;
    readonly open: number;
    readonly bounds: Record<string, number>;
  };
  readonly tamperingDetected: number;
  readonly ranking: readonly RankEntry[];
  readonly choices: number;
}

const chooserOf = (schedule: Schedule): Chooser =>
  "tape" in schedule ? new TapeChooser(schedule.tape) : new SeededChooser(utf8ToBytes(schedule.seed));

export class Run {
  readonly env: Env;
  readonly network: Network;
  readonly institutions: InstitutionNode[] = [];
  readonly patients: PatientNode[] = [];
  readonly monitors: MonitorSet;
  readonly violations: Violation[] = [];
  readonly honest = new Set<number>();
  private readonly chameleonKeys: readonly ChameleonKey[];
  private readonly observations: Observation[] = [];
  private readonly attacks = new Map<string, AttackTally>();
  private readonly rejections = new Map<string, AttackTally>();
  private readonly counters0: CryptoCounters = { ...counters };
  steps = 0;
  done = false;
  /** The run ended because nothing was left to happen: every obligation still open can never be met. */
  quiescent = false;

  constructor(readonly options: RunOptions) {
    const { config } = options;
    const chooser = chooserOf(options.schedule);
    this.network = new Network(config.network, chooser);
    const n = config.institutions.length;
    const kit = kitFor({
      ...DEFAULT_KIT,
      seed: config.seed,
      institutions: n,
      patients: config.patients.length,
      emr_bytes: config.emr_bytes,
      records: options.records,
      encrypt_to: config.variant === "encrypt-to-custodian" ? "custodian" : "patient",
    });
    const genesis = kit.genesis(n);
    this.chameleonKeys = genesis.chKeys;
    const keys = kit.institutions.slice(0, n).map((i) => i.signing.publicKey);
    this.env = {
      config,
      kit,
      crypto: modelCrypto,
      network: this.network,
      chooser,
      truth: new Truth(),
      institutionKeys: keys,
      institutionIndex: new Map(keys.map((k, i) => [bytesToHex(k), i])),
      institutionSet: new Set(keys.map((k) => bytesToHex(k))),
      patientBase: n,
      reputation: reputationOf(config),
      groupRule: groupRuleOf(config),
      rules: rulesFor(config.variant),
      observe: (o) => this.observations.push(o),
      machinesOf: (node) => this.institutions[node]?.behaviour.machines ?? 1,
    };
    this.monitors = monitorsFor(config, options.monitors);
    const ext: ReputationEvent[] = config.institutions.flatMap((spec, i) =>
      BigInt(spec.ext) > 0n
        ? [{ _tag: "ExternalReputationSet" as const, institution: keys[i] as Uint8Array, ext: BigInt(spec.ext) }]
        : [],
    );
    config.institutions.forEach((spec, i) => {
      const behaviour = behaviourOf(spec.behaviour);
      if (behaviour.honest) this.honest.add(i);
      const ledger =
        config.variant === "skip-hver" && behaviour.honest
          ? { ...genesis, chKeys: genesis.chKeys.map(hverSkippingKey) }
          : genesis;
      this.institutions.push(
        new InstitutionNode(this.env, i, kit.institutions[i] as InstitutionAccount, behaviour, ledger, ext),
      );
    });
    config.patients.forEach((spec, p) => {
      this.patients.push(new PatientNode(this.env, p, spec));
      spec.actions.forEach((action, a) => {
        this.network.schedule(action.at_ms, { _tag: "Action", patient: p, action: a });
      });
    });
    this.network.schedule(config.mining.first_ms, { _tag: "Mine" });
    this.flush();
  }

  private context(): MonitorContext {
    return {
      now_ms: this.network.now_ms,
      config: this.options.config,
      env: this.env,
      institutions: this.institutions,
      honest: this.honest,
      chameleonKeys: this.chameleonKeys,
      quiescent: this.quiescent,
    };
  }

  private tally(table: Map<string, AttackTally>, attack: string, outcome: string): void {
    const key = `${attack}\u0000${outcome}`;
    const known = table.get(key);
    if (known === undefined) table.set(key, { attack, outcome, count: 1 });
    else known.count += 1;
  }

  private record(monitor: MonitorName, findings: readonly { nodes: readonly number[]; description: string }[]): void {
    for (const f of findings) {
      this.violations.push({
        monitor,
        step: this.steps,
        time_ms: this.network.now_ms,
        nodes: f.nodes,
        description: f.description,
      });
    }
  }

  /** [MOD-8] Hands the step's observations to every monitor, then lets each check its deadlines. */
  private flush(): void {
    const ctx = this.context();
    for (const o of this.observations.splice(0)) {
      if (o._tag === "Attack") this.tally(this.attacks, o.attack, o.outcome);
      if (o._tag === "Rejected") this.tally(this.rejections, o.what, o.reason);
      for (const m of this.monitors.all) this.record(m.name, m.observe(o, ctx));
      this.options.observer?.(o, ctx.now_ms);
    }
    for (const m of this.monitors.all) this.record(m.name, m.tick(ctx));
  }

  private mine(): void {
    const { config } = this.options;
    const miners = this.institutions.filter((node) => node.behaviour.alive);
    const now = this.network.now_ms;
    const weights = miners.map((node) => node.behaviour.hashShare(config.institutions[node.id]?.hash_share ?? 0, now));
    if (weights.some((w) => w > 0)) miners[weightedIndex(this.env.chooser, weights)]?.mine();
    const { min_interval_ms, max_interval_ms, stop_ms } = config.mining;
    const interval = min_interval_ms + this.env.chooser.next(max_interval_ms - min_interval_ms + 1);
    // rented hash power (a flash attacker) finds keyblocks faster: the difficulty does not adjust within a run
    const base = miners.reduce((sum, node) => sum + (config.institutions[node.id]?.hash_share ?? 0), 0);
    const total = weights.reduce((sum, w) => sum + w, 0);
    const next = now + (total > base && base > 0 ? Math.max(1, Math.floor((interval * base) / total)) : interval);
    if (next <= stop_ms) this.network.schedule(next, { _tag: "Mine" });
  }

  private dispatch(event: SimEvent): void {
    switch (event._tag) {
      case "Deliver": {
        this.network.delivered(event.from, event.to);
        const institution = this.institutions[event.to];
        if (institution !== undefined) {
          if (institution.behaviour.alive) institution.receive(event.from, event.message);
          return;
        }
        this.patients[event.to - this.env.patientBase]?.receive(event.from, event.message);
        return;
      }
      case "Timer": {
        if (!this.network.fires(event.node, event.name, event.generation)) return;
        const institution = this.institutions[event.node];
        if (institution !== undefined) {
          if (institution.behaviour.alive) institution.timer(event.name);
          return;
        }
        this.patients[event.node - this.env.patientBase]?.timer(event.name);
        return;
      }
      case "Mine":
        this.mine();
        return;
      case "Action":
        this.patients[event.patient]?.act(event.action);
        return;
    }
  }

  /** One event; false once the run is over (horizon, step budget, no event, or a violation when asked to stop). */
  step(): boolean {
    if (this.done) return false;
    const item = this.network.heap.pop();
    if (item === undefined || item.time_ms > this.options.config.horizon_ms) {
      this.quiescent = item === undefined;
      this.done = true;
      return false;
    }
    this.network.now_ms = item.time_ms;
    this.steps += 1;
    this.dispatch(item.event);
    this.flush();
    if (
      this.steps >= this.options.config.max_steps ||
      (this.options.stopOnViolation === true && this.violations.length > 0)
    ) {
      this.done = true;
    }
    return !this.done;
  }

  /** The final check, then the report. */
  finish(): RunReport {
    this.done = true;
    if (this.options.stopOnViolation !== true || this.violations.length === 0) {
      const ctx = this.context();
      for (const m of this.monitors.all) this.record(m.name, m.final(ctx));
    }
    return this.report();
  }

  /** The honest node furthest along (the report's view of the chain). */
  reference(): InstitutionNode | undefined {
    return this.institutions
      .filter((n) => this.honest.has(n.id))
      .sort(
        (a, b) => b.ledger.keyblocks.size - a.ledger.keyblocks.size || b.ledger.batches.size - a.ledger.batches.size,
      )[0];
  }

  private report(): RunReport {
    const node = this.reference();
    const ledger = node?.ledger;
    let records = 0;
    let labels = 0;
    for (const batch of ledger?.batches ?? []) {
      for (const tx of batch.transactions) {
        if (tx._tag === "label") labels += 1;
        else records += 1;
      }
    }
    let microblocks = 0;
    for (const slot of ledger?.patients ?? []) if (slot.header !== undefined) microblocks += 1;
    const seated = new Set(node?.group.snapshot.members.map((m) => bytesToHex(m.key)) ?? []);
    const ranking = (node === undefined ? [] : evaluate(node.reputation))
      .map((e) => {
        const institution = this.env.institutionIndex.get(bytesToHex(e.key)) ?? -1;
        return {
          institution,
          behaviour: this.options.config.institutions[institution]?.behaviour.kind ?? "?",
          r: e.reputation.value,
          r1: e.reputation.r1.value,
          r2: e.reputation.r2.value,
          mined: e.mined,
          seated: seated.has(bytesToHex(e.key)),
        };
      })
      .sort((a, b) => b.r - a.r || a.institution - b.institution);
    const checks: Record<string, number> = {};
    for (const m of this.monitors.all) checks[m.name] = m.checks;
    const crypto = Object.fromEntries(
      Object.entries(counters).map(([k, v]) => [k, v - (this.counters0[k as keyof CryptoCounters] ?? 0)]),
    ) as unknown as CryptoCounters;
    const { liveness } = this.monitors;
    return {
      steps: this.steps,
      end_ms: this.network.now_ms,
      violations: this.violations,
      checks,
      network: { ...this.network.stats },
      crypto,
      chain: {
        height: ledger === undefined ? 0 : ledger.keyblocks.size - 1,
        batches: ledger?.batches.size ?? 0,
        records,
        labels,
        patients: ledger?.patients.size ?? 0,
        microblocks,
      },
      attacks: [...this.attacks.values()],
      rejections: [...this.rejections.values()],
      liveness: { ...liveness.counts, bounds: { ...liveness.bounds } },
      tamperingDetected: this.monitors.integrity.detected(),
      ranking,
      choices: this.env.chooser.used(),
    };
  }
}

/** Runs a configuration to its end. */
export const runModel = (options: RunOptions): RunReport => {
  const run = new Run(options);
  while (run.step()) {
    // every step is checked inside `step`
  }
  return run.finish();
};
