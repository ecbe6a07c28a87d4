/**
 * `spchain start` (`npm start`), the main job: the paper's SPChain network run through the executable model
 * (spec/model.md, [MOD-13]; model/paper.ts), with a progress bar on stderr and a final report: pinned
 * keyblocks and transactions, throughput, the reputation ranking, the attacks tried and what stopped them,
 * the fault assumption epoch by epoch, and every invariant the monitors checked. `--scenario` picks the
 * paper's network, the small one, or one of the five attacks (model/attacks/scenarios.ts). Exits 1 if a
 * monitor found a violation.
 * @module
 */
import { performance } from "node:perf_hooks";
import { ATTACK_NAMES, type AttackName, attackScenario } from "../../model/attacks/scenarios.js";
import type { RunConfig } from "../../model/config.js";
import { nurseryRecords } from "../../model/data.js";
import {
  PAPER_DEFAULTS,
  type PaperOptions,
  paperConfig,
  paperKeyblocks,
  runScenario,
  type ScenarioReport,
  simulatedSecondsPerMs,
} from "../../model/paper.js";
import { smallConfig, typicalPatient } from "../../model/scenarios.js";
import { type Command, flag, hasFlag } from "../command.js";

const SCENARIOS = ["paper", "small", ...ATTACK_NAMES] as const;

const usage = [
  "usage: spchain start [--scenario paper|small|ATTACK] [--weeks N] [--size N] [--keyblock-minutes N]",
  "                     [--seed TEXT] [--json] [--quiet]",
  "",
  "Runs SPChain's network in the executable model and reports what happened. The default scenario is the",
  "paper's: 26 institutions mining with the hash shares of footnote 2's pools, a consensus group of the top",
  "11 by reputation, patients drawn from the Nursery records, and seven adversaries within the fault",
  "assumption (selfish miner, censoring leader, Sybil identities, reputation fraudster, flash attacker,",
  "tampering custodian, curious institution), over --weeks simulated weeks (default 3).",
  "",
  "Time is compressed: one keyblock (the paper: every 10 minutes) stands for --keyblock-minutes simulated",
  "minutes (default 120) and takes 2-4 s of model time; network delays and timeouts are not compressed.",
  "--size sets new patients per simulated day (default 1.5). ATTACK is one of",
  `${ATTACK_NAMES.join(", ")} (the small 7-institution network).`,
  "--json prints the report as JSON; --quiet drops the progress bar. Exit code 1 on any monitor violation.",
].join("\n");

const positive = (args: readonly string[], name: string, fallback: number): number => {
  const value = Number(flag(args, name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`--${name} must be a positive number`);
  return value;
};

interface Plan {
  readonly name: string;
  readonly config: RunConfig;
  readonly seed: string;
  readonly timeScale: string;
  readonly simulatedSecondsPerMs: number;
  readonly baseline?: RunConfig;
  readonly note?: string;
}

const planOf = (args: readonly string[]): Plan => {
  const scenario = flag(args, "scenario", "paper");
  const seed = flag(args, "seed", PAPER_DEFAULTS.seed);
  if (!(SCENARIOS as readonly string[]).includes(scenario))
    throw new RangeError(`--scenario must be one of ${SCENARIOS.join(", ")}`);
  const records = nurseryRecords();
  if (scenario === "paper") {
    const o: PaperOptions = {
      ...PAPER_DEFAULTS,
      seed,
      weeks: positive(args, "weeks", PAPER_DEFAULTS.weeks),
      patientsPerDay: positive(args, "size", PAPER_DEFAULTS.patientsPerDay),
      keyblockMinutes: positive(args, "keyblock-minutes", PAPER_DEFAULTS.keyblockMinutes),
    };
    return {
      name: "paper",
      config: paperConfig(o, records),
      seed,
      simulatedSecondsPerMs: simulatedSecondsPerMs(o),
      timeScale:
        `${o.weeks} simulated weeks = ~${paperKeyblocks(o)} keyblocks; one keyblock stands for ${o.keyblockMinutes} ` +
        `simulated minutes (the paper: 10) and takes 2-4 s of model time (1 model ms = ${simulatedSecondsPerMs(o)} ` +
        "simulated s); network delays and timeouts are model time, not compressed",
    };
  }
  const model = {
    timeScale: "model time (not compressed): keyblocks every 2-4 s, Δ = 20 ms",
    simulatedSecondsPerMs: 1 / 1000,
  };
  if (scenario === "small") {
    const config = smallConfig({
      institutions: 4,
      behaviours: new Map([[3, { kind: "censor", victim: 0, mode: "bend" }]]),
      patients: [typicalPatient(0, 1, 100, 2), typicalPatient(1, 0, 600, 2), typicalPatient(2, 0, 1_100, 1)],
    });
    return { name: "small", config, seed, ...model };
  }
  const attack = attackScenario(scenario as AttackName);
  return {
    name: attack.name,
    config: attack.config,
    seed: attack.seed,
    ...(attack.baseline === undefined ? {} : { baseline: attack.baseline }),
    note: `${attack.summary}.\nexpected: ${attack.expectation}.`,
    ...model,
  };
};

const bar = (fraction: number, width = 30): string => {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
};

const fixed = (x: number, digits: number): string => x.toFixed(digits);

const text = (plan: Plan, r: ScenarioReport, wall_s: number, baseline: ScenarioReport | undefined): string => {
  const run = r.run;
  const lines: string[] = [];
  const sim_s = run.end_ms * plan.simulatedSecondsPerMs;
  lines.push(`SPChain model run: scenario ${plan.name}, seed ${plan.seed}`);
  if (plan.note !== undefined) lines.push(plan.note);
  lines.push(`time: ${plan.timeScale}`);
  lines.push(
    `ran ${run.steps} steps to model time ${fixed(run.end_ms / 1000, 1)} s (${fixed(sim_s / 86_400, 2)} simulated days) in ${fixed(wall_s, 1)} s of wall time`,
  );
  lines.push("");
  lines.push(
    `institutions: ${r.registry} (${r.registry - r.roles.length} honest); group: top ${r.assumption.groupSize} by reputation`,
  );
  for (const role of r.roles)
    lines.push(`  ${String(role.institution).padStart(3)}  ${role.behaviour.padEnd(10)} hash ${role.hash_share}`);
  lines.push("");
  const p = r.pinned;
  lines.push(
    `pinned: ${p.keyblocks} keyblocks, ${p.batches} batches, ${p.transactions} transactions (${p.registers} registrations, ${p.records} medical, ${p.labels} labels)`,
  );
  lines.push(
    `throughput: ${(p.transactions / Math.max(1e-9, sim_s)).toExponential(3)} pinned tx per simulated second, ${fixed(p.transactions / Math.max(1e-9, wall_s), 2)} per wall second`,
  );
  lines.push("");
  lines.push("reputation ranking (top 12):");
  lines.push("  rank  inst  behaviour   R            R1           R2           keyblocks  seated");
  run.ranking.slice(0, 12).forEach((e, k) => {
    lines.push(
      `  ${String(k + 1).padStart(4)}  ${String(e.institution).padStart(4)}  ${e.behaviour.padEnd(10)}  ${fixed(e.r, 9)}  ${fixed(e.r1, 9)}  ${fixed(e.r2, 9)}  ${String(e.mined).padStart(9)}  ${e.seated ? "yes" : ""}`,
    );
  });
  lines.push("");
  lines.push("attacks tried and what stopped them:");
  if (r.findings.length === 0) lines.push("  none (no adversary in this scenario)");
  for (const f of r.findings) {
    lines.push(`  ${f.attack} (institution ${f.attackers.join(", ")})`);
    lines.push(
      `    measured: ${Object.entries(f.measured)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`,
    );
    lines.push(`    stopped by: ${f.stoppedBy}`);
  }
  if (baseline !== undefined) {
    lines.push("  baseline (the same network without the split or the fraud):");
    for (const f of baseline.findings)
      lines.push(
        `    ${f.attack}: ${Object.entries(f.measured)
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")}`,
      );
    if (baseline.findings.length === 0)
      lines.push(`    ranking: ${baseline.run.ranking.map((e) => `${e.institution}:${fixed(e.r, 9)}`).join(" ")}`);
  }
  for (const a of run.attacks) lines.push(`  [${a.count}x] ${a.attack}: ${a.outcome}`);
  lines.push("");
  const a = r.assumption;
  lines.push(
    `fault assumption (at most f Byzantine members, < 1/3 of the group's reputation): held in ${a.held} of ${a.epochs} epochs; at most ${a.maxByzantineSeats} Byzantine members, ${fixed(a.maxByzantineShare * 100, 2)} % of the group's reputation`,
  );
  lines.push("");
  lines.push("invariants checked (monitor: checks):");
  for (const [name, checks] of Object.entries(run.checks)) lines.push(`  ${name.padEnd(16)} ${checks}`);
  const l = run.liveness;
  lines.push(
    `liveness obligations: ${l.created} created, ${l.met} met within their bounds, ${l.open} still open at the end (bounds: tx ${l.bounds.tx_ms} ms, keyblock ${l.bounds.keyblock_ms} ms, round ${l.bounds.round_ms} ms)`,
  );
  lines.push(`violations: ${run.violations.length}`);
  for (const v of run.violations.slice(0, 10))
    lines.push(`  ${v.monitor} at step ${v.step} (${v.time_ms} ms): ${v.description}`);
  return lines.join("\n");
};

const json = (plan: Plan, r: ScenarioReport, wall_s: number, baseline: ScenarioReport | undefined): string =>
  JSON.stringify(
    {
      scenario: plan.name,
      seed: plan.seed,
      timeScale: plan.timeScale,
      wall_s,
      report: r,
      ...(baseline === undefined ? {} : { baseline }),
    },
    (_, v) => (typeof v === "bigint" ? v.toString() : v),
    1,
  );

export const startCommand: Command = {
  name: "start",
  summary: "run the paper's 26-institution network with adversaries through the model and report (the main job)",
  usage,
  run: async (args) => {
    let plan: Plan;
    try {
      plan = planOf(args);
    } catch (e) {
      console.error(`${(e as Error).message}\n\n${usage}`);
      return 2;
    }
    const quiet = hasFlag(args, "quiet");
    // on a terminal the bar redraws in place; in a log it prints a line every tenth
    const tty = process.stderr.isTTY === true;
    const started = performance.now();
    let lastDraw = 0;
    let lastTenth = -1;
    const onProgress = (now_ms: number, horizon_ms: number, steps: number): void => {
      const wall = performance.now();
      const fraction = now_ms / horizon_ms;
      const tenth = Math.floor(fraction * 10);
      if (quiet || (tty ? wall - lastDraw < 200 : tenth <= lastTenth)) return;
      lastDraw = wall;
      lastTenth = tenth;
      const line = `${bar(fraction)} ${fixed(fraction * 100, 1)} %  model ${fixed(now_ms / 1000, 0)} s  steps ${steps}  wall ${fixed((wall - started) / 1000, 0)} s`;
      process.stderr.write(tty ? `\r${line} ` : `${line}\n`);
    };
    if (!quiet)
      process.stderr.write(
        `scenario ${plan.name}: ${plan.config.institutions.length} institutions, ${plan.config.patients.length} patients (preparing keys and records)\n`,
      );
    const records = nurseryRecords();
    const report = runScenario({ config: plan.config, seed: plan.seed, records, onProgress });
    const baseline =
      plan.baseline === undefined
        ? undefined
        : runScenario({ config: plan.baseline, seed: plan.seed, records, onProgress });
    if (!quiet) process.stderr.write(`${tty ? "\r" : ""}${bar(1)} done${" ".repeat(tty ? 50 : 0)}\n`);
    const wall_s = (performance.now() - started) / 1000;
    console.log(hasFlag(args, "json") ? json(plan, report, wall_s, baseline) : text(plan, report, wall_s, baseline));
    return report.run.violations.length === 0 ? 0 : 1;
  },
};
