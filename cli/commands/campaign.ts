/**
 * `spchain campaign` (`npm run campaign -- …`): the long run of the model's positive properties
 * (spec/model.md, [MOD-16], [MOD-15]): N schedules from one seed, with a progress bar on stderr
 * (schedules done, schedules per second, violations, time left), a summary on stdout, and exit code 1
 * if any schedule violated a monitor, after its replay line and the path of its regression vector (MOD-14).
 * @module
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, relative, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { MONITOR_NAMES } from "../../model/monitors/index.js";
import { type CaseOptions, type ModelCase, modelCaseArb } from "../../properties/model-arbitraries.js";
import { type JudgedRun, reportFailure, runJudged } from "../../properties/model-check.js";
import type { Command } from "../command.js";
import { flag, hasFlag } from "../command.js";
import { summarizeLog, summaryLines } from "./campaign-log.js";
import type { FromJob } from "./campaign-worker.js";

const USAGE = [
  "usage: spchain campaign [--schedules N] [--seed S] [--size A..B | --size N] [--jobs J] [--path P] [--log FILE] [--quiet]",
  "       spchain campaign --summary FILE",
  "",
  "Runs N schedules (default 1000) of the model's positive property from seed S (an integer, default 1):",
  "group sizes A..B (default 4..7), up to f Byzantine members with any behaviours, any network schedule.",
  "J worker threads (default: the number of cores) share the schedules, each taking every J-th one;",
  "the schedules are those of one thread, and a replay line replays in one thread.",
  "Exits 1 on a violation, after printing its REPLAY line and saving its regression vector under",
  "vectors/regressions/. --path replays one counterexample that a REPLAY line names.",
  "--log FILE appends the finished campaign's record to FILE, one JSON line (commit, seed, sizes, counts,",
  "time): the project's record of its long campaigns is model/campaign-log.jsonl. --summary FILE sums such a",
  "log (clean records only; a seed and sizes run twice count once) and exits 1 if a line is not a clean record.",
].join("\n");

export interface CampaignOptions {
  readonly schedules: number;
  readonly seed: number;
  readonly minMembers: number;
  readonly maxMembers: number;
  readonly path?: string;
  /** Extra case options (tests use a broken variant to see the campaign fail). */
  readonly cases?: CaseOptions;
  /** Where a violation's regression vector is written (default vectors/regressions/). */
  readonly dir?: string;
  /** Called after every schedule (the progress bar). */
  readonly onSchedule?: (stats: CampaignStats) => void;
  /** Run only the schedules whose index is `index` modulo `count` (one job of a parallel campaign). */
  readonly shard?: { readonly index: number; readonly count: number };
}

export interface CampaignStats {
  schedules: number;
  /** Schedules whose group left the fault assumption (they promise nothing and are not judged). */
  outside: number;
  violations: number;
  steps: number;
  obligations: number;
  readonly checks: Record<string, number>;
}

export interface CampaignResult {
  readonly stats: CampaignStats;
  /** The failure report (REPLAY line first), if a schedule violated a monitor. */
  readonly failure: string | undefined;
}

const replayCommand = (o: CampaignOptions, seed: number, path: string): string =>
  `REPLAY npm run campaign -- --seed ${seed} --path ${path} --size ${o.minMembers}..${o.maxMembers}`;

const emptyStats = (): CampaignStats => ({
  schedules: 0,
  outside: 0,
  violations: 0,
  steps: 0,
  obligations: 0,
  checks: Object.fromEntries(MONITOR_NAMES.map((m) => [m, 0])),
});

/**
 * [MOD-16] Runs the campaign; fast-check stops at the first violation and shrinks it. A shard draws every
 * schedule of the seed (so a schedule's index and replay path are the same as in one thread) and runs its own.
 */
export const runCampaign = (o: CampaignOptions): CampaignResult => {
  const stats = emptyStats();
  let shrinking = false;
  let drawn = 0;
  const judge = (c: ModelCase): boolean => {
    if (!shrinking && o.shard !== undefined && o.path === undefined) {
      drawn += 1;
      if ((drawn - 1) % o.shard.count !== o.shard.index) return true;
    }
    const judged: JudgedRun = runJudged(c);
    const ok = judged.report.violations.length === 0 || judged.outside !== undefined;
    if (shrinking) return ok;
    stats.schedules += 1;
    stats.steps += judged.report.steps;
    stats.obligations += judged.report.liveness.created;
    if (judged.outside !== undefined) stats.outside += 1;
    for (const [m, n] of Object.entries(judged.report.checks)) stats.checks[m] = (stats.checks[m] ?? 0) + n;
    if (!ok) {
      stats.violations += 1;
      shrinking = true;
    }
    o.onSchedule?.(stats);
    return ok;
  };
  const arb = modelCaseArb({ ...o.cases, minMembers: o.minMembers, maxMembers: o.maxMembers });
  const details = fc.check(fc.property(arb, judge), {
    numRuns: o.schedules,
    seed: o.seed,
    ...(o.path === undefined ? {} : { path: o.path }),
  });
  const line = replayCommand(o, details.seed, details.counterexamplePath ?? "");
  return { stats, failure: reportFailure("model campaign", details, line, o.dir) };
};

const addStats = (into: CampaignStats, from: CampaignStats): void => {
  into.schedules += from.schedules;
  into.outside += from.outside;
  into.violations += from.violations;
  into.steps += from.steps;
  into.obligations += from.obligations;
  for (const [m, n] of Object.entries(from.checks)) into.checks[m] = (into.checks[m] ?? 0) + n;
};

/** A worker thread running campaign-worker.ts, with tsx registered inside it (workers do not inherit loaders). */
const startJob = (options: CampaignOptions): Worker => {
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL("./campaign-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData: options });
};

/** What a parallel campaign does when job `reporter` reports a violation: which job it keeps to shrink, which it stops. */
export interface ViolationStop {
  readonly kept: number;
  readonly stop: readonly number[];
}

/**
 * [MOD-16] The first job to report a violation is kept to shrink it, and every other job is stopped. A later
 * report, from a job the stop has not reached yet, stops nothing: were it to stop the others as well, the two
 * jobs would stop each other and the campaign would count violations with no report of any of them.
 */
export const stopForViolation = (kept: number | undefined, reporter: number, jobs: number): ViolationStop =>
  kept !== undefined
    ? { kept, stop: [] }
    : { kept: reporter, stop: Array.from({ length: jobs }, (_, i) => i).filter((i) => i !== reporter) };

/**
 * [MOD-16] The campaign in `jobs` worker threads, each a shard of the same seed's schedules; the progress
 * callback sees their summed counts. The first violation stops the other jobs (a job may find one of its own
 * before the stop reaches it); the first job to finish shrinking reports its violation, with a replay line
 * that reproduces it in one thread. A replay (`path`) runs in this thread.
 */
export const runCampaignJobs = (o: CampaignOptions, jobs: number): Promise<CampaignResult> => {
  if (jobs <= 1 || o.path !== undefined) return Promise.resolve(runCampaign(o));
  const { onSchedule, ...shared } = o;
  const perJob = Array.from({ length: jobs }, emptyStats);
  const summed = (): CampaignStats => {
    const total = emptyStats();
    for (const stats of perJob) addStats(total, stats);
    return total;
  };
  return new Promise((resolve, reject) => {
    let failure: string | undefined;
    let error: unknown;
    let kept: number | undefined;
    let running = jobs;
    const workers = perJob.map((_, index) => startJob({ ...shared, shard: { index, count: jobs } }));
    workers.forEach((worker, index) => {
      worker.on("message", (m: FromJob) => {
        perJob[index] = m.stats;
        if (m.type === "done") failure ??= m.failure;
        else if (m.stats.violations > 0) {
          const decision = stopForViolation(kept, index, jobs);
          kept = decision.kept;
          for (const i of decision.stop) void workers[i]?.terminate();
        }
        onSchedule?.(summed());
      });
      worker.on("error", (e) => {
        error ??= e;
        for (const w of workers) if (w !== worker) void w.terminate();
      });
      worker.on("exit", () => {
        running -= 1;
        if (running > 0) return;
        if (error !== undefined) reject(error);
        else resolve({ stats: summed(), failure });
      });
    });
  });
};

/** [MOD-16] One finished campaign, as `--log` records it: enough to run exactly its schedules again. */
export interface CampaignRecord {
  readonly finished: string;
  /**
   * The commit the campaign ran (`git rev-parse HEAD`), null outside a repository; dirty: tracked files
   * other than the log itself had changes.
   */
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly seed: number;
  readonly sizes: string;
  readonly jobs: number;
  readonly schedules: number;
  readonly outside: number;
  readonly violations: number;
  readonly steps: number;
  readonly seconds: number;
}

const git = (cwd: string, ...args: string[]): string | null => {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
};

/** The record of a campaign that just finished in working directory `cwd`, to be appended to `log` (a path from `cwd`). */
export const campaignRecord = (
  o: Pick<CampaignOptions, "seed" | "minMembers" | "maxMembers">,
  jobs: number,
  stats: CampaignStats,
  seconds: number,
  finished: Date,
  where: { readonly cwd: string; readonly log: string },
): CampaignRecord => {
  const commit = git(where.cwd, "rev-parse", "HEAD");
  const logInTree = relative(where.cwd, resolve(where.cwd, where.log));
  const exclude = logInTree.startsWith("..") || isAbsolute(logInTree) ? [] : [`:(exclude)${logInTree}`];
  const changes = git(where.cwd, "status", "--porcelain", "--untracked-files=no", "--", ".", ...exclude);
  return {
    finished: finished.toISOString(),
    commit,
    dirty: commit !== null && changes !== "",
    seed: o.seed,
    sizes: `${o.minMembers}..${o.maxMembers}`,
    jobs,
    schedules: stats.schedules,
    outside: stats.outside,
    violations: stats.violations,
    steps: stats.steps,
    seconds: Math.round(seconds),
  };
};

const parseSize = (text: string): [number, number] => {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (m === null || a < 4 || b < a || b > 64)
    throw new RangeError(`--size must be N or A..B with 4 <= A <= B <= 64: ${text}`);
  return [a, b];
};

const parseCount = (args: readonly string[], name: string, fallback: number, min: number): number => {
  const raw = flag(args, name, String(fallback));
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`--${name} must be an integer >= ${min}: ${raw}`);
  return value;
};

const duration = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};

const BAR_CELLS = 30;

/** The progress line: bar, schedules done, schedules/s, violations, outside the assumption, time left. */
const progressLine = (stats: CampaignStats, total: number, elapsed_s: number): string => {
  const done = Math.min(1, stats.schedules / total);
  const filled = Math.round(done * BAR_CELLS);
  const rate = stats.schedules / Math.max(elapsed_s, 1e-9);
  const eta = (total - stats.schedules) / rate;
  return `[${"#".repeat(filled)}${".".repeat(BAR_CELLS - filled)}] ${stats.schedules}/${total} schedules  ${rate.toFixed(2)}/s  ${stats.violations} violations  ${stats.outside} outside  ETA ${duration(eta)}`;
};

/** `--summary FILE`: the log's sums; exit 1 if a line is not a clean record, 2 if the file cannot be read. */
const printSummary = (file: string): number => {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const summary = summarizeLog(text);
  console.log(`campaign log ${file}`);
  for (const line of summaryLines(summary)) console.log(line);
  return summary.refused === 0 ? 0 : 1;
};

const run = async (args: readonly string[]): Promise<number> => {
  if (hasFlag(args, "help")) {
    console.log(USAGE);
    return 0;
  }
  const summaryOf = flag(args, "summary", "");
  if (summaryOf !== "") return printSummary(summaryOf);
  try {
    const [minMembers, maxMembers] = parseSize(flag(args, "size", "4..7"));
    const schedules = parseCount(args, "schedules", 1000, 1);
    const seed = parseCount(args, "seed", 1, 0);
    const jobs = parseCount(args, "jobs", availableParallelism(), 1);
    const path = flag(args, "path", "");
    const quiet = hasFlag(args, "quiet");
    const started = Date.now();
    let last = 0;
    let warned = false;
    const result = await runCampaignJobs(
      {
        schedules,
        seed,
        minMembers,
        maxMembers,
        ...(path === "" ? {} : { path }),
        onSchedule: (stats) => {
          const now = Date.now();
          if (stats.violations > 0 && !quiet && !warned) {
            warned = true;
            process.stderr.write(
              `\nviolation at schedule ${stats.schedules}: shrinking it (no progress shown meanwhile)\n`,
            );
          }
          if (quiet || (now - last < 500 && stats.schedules < schedules)) return;
          last = now;
          process.stderr.write(`\r${progressLine(stats, schedules, (now - started) / 1000)}`);
        },
      },
      path === "" ? jobs : 1,
    );
    const elapsed = (Date.now() - started) / 1000;
    if (!quiet) process.stderr.write("\n");
    const { stats } = result;
    const log = flag(args, "log", "");
    if (log !== "" && path === "") {
      const record = campaignRecord({ seed, minMembers, maxMembers }, jobs, stats, elapsed, new Date(), {
        cwd: process.cwd(),
        log,
      });
      appendFileSync(log, `${JSON.stringify(record)}\n`);
    }
    console.log(`campaign: seed ${seed}, sizes ${minMembers}..${maxMembers}, ${path === "" ? jobs : 1} job(s)`);
    console.log(`schedules      ${stats.schedules} (${stats.outside} left the fault assumption and were not judged)`);
    console.log(`violations     ${stats.violations}`);
    console.log(`steps          ${stats.steps}`);
    console.log(`obligations    ${stats.obligations} liveness obligations`);
    console.log(
      `checks         ${Object.entries(stats.checks)
        .map(([m, n]) => `${m} ${n}`)
        .join(", ")}`,
    );
    console.log(
      `time           ${duration(elapsed)} (${(stats.schedules / Math.max(elapsed, 1e-9)).toFixed(2)} schedules/s)`,
    );
    if (result.failure !== undefined) {
      console.log(result.failure);
      return 1;
    }
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
};

export const campaignCommand: Command = {
  name: "campaign",
  summary: "long property campaign over the model: N schedules, progress bar, exit 1 on a violation",
  usage: USAGE,
  run,
};
