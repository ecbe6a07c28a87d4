/**
 * Benchmark suite "throughput" (SPChain §6.1, Fig. 13; the pinning-protocol issue's "Throughput, against the
 * paper's Fig. 13"): pinned transactions per second through a group of |X| consensus members, each running
 * the real `step` state machine (src/consensus) and its own ledger (src/ledger), spread over two worker
 * threads (one per core) that talk through a MessagePort, an ideal network. Batches are chosen by Algorithm 2
 * and sized in bytes like the paper's microblocks; every batch is decided by the protocol, pinned by a
 * certificate on its root, and applied by `applyBatchWith` at every member.
 *
 * Two figures, each against a limit measured in the same run, on the same two threads:
 * (a) every check but HVer: the limit is Ed25519 verifications per second (node:crypto fast path, both
 *     cores at once) divided by the verifications a transaction needs,
 *     V_tx = |X| + ((|X| − 1) + |X|·(6f + 1)) / B   (B transactions per batch: every member verifies every
 *     patient signature once; per batch the non-leaders verify the PROPOSE and each member at least 2f
 *     PREPAREs, 2f COMMITs and 2f ledger pin votes of others plus its own pin vote in the certificate);
 * (b) full validation with HVer by every member: the limit is HVer per second (both cores) divided by |X|.
 * The share is TPS / limit; the goals are a share of at least 70 % and at least 10 × the paper's 220 TPS.
 *
 * Run with `npm run bench -- throughput`, or `npx tsx bench/throughput.ts [--sizes 4,7,11,13] [--budgets 1,2,4]
 * [--timed K]` (batch sizes in MB; K timed batches after the first).
 * @module
 */
import { loadavg } from "node:os";
import { MessageChannel, Worker } from "node:worker_threads";
import { Result } from "effect";
import { consensusGroup, decodePinCertificate, verifyPinCertificate } from "../src/consensus/index.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import { TAGS } from "../src/crypto/hash.js";
import { taggedMessage } from "../src/crypto/signature.js";
import type { ChameleonRecord } from "../src/ehealth/records.js";
import { type RecordTx, signingBody } from "../src/ledger/transaction.js";
import type { BenchSuite } from "./harness.js";
import type { Outgoing } from "./throughput-host.js";
import type { PipelineParams, Validation } from "./throughput-member.js";
import { groupSnapshot, submissionsOf } from "./throughput-pipeline.js";
import { type Base, type BaseOptions, buildBase, streamTransaction } from "./throughput-setup.js";
import type { DecidedReport, HVerSample, RunRequest, SignatureSample, ToWorker } from "./throughput-worker.js";

/** SPChain abstract and §6.3: 220 TPS (218 at 4 nodes; 145 → 116 for 1 MB microblocks as the group grows). */
export const PAPER_TPS = 220;
const CORES = 2;
const MB = 1_000_000;

export const BASE_OPTIONS: BaseOptions = {
  seed: "spchain throughput",
  institutions: 26,
  patients: 3_000,
  series: 9,
  registersPerKeyblock: 1_000,
};

/** The average record of the stream: nine medical records (241 B) to one label (273 B). */
const LABEL_EVERY = 10;
const AVERAGE_TX_BYTES = (9 * 241 + 273) / 10;
/** Transactions per submission (a submission is at most 64 KiB). */
const PER_SUBMISSION = 250;

interface Config {
  readonly size: number;
  readonly budgetBytes: number;
  readonly validation: Validation;
  /** Transactions to push through. */
  readonly count: number;
}

// ---------------------------------------------------------------- workers

interface Pending {
  resolve: (value: unknown) => void;
  type: string;
}

class WorkerHandle {
  private waiting: Pending | undefined;
  onReport: ((report: DecidedReport) => void) | undefined;
  onFailure: ((message: string) => void) | undefined;

  constructor(readonly worker: Worker) {
    worker.on("message", (m: { type: string; message?: string }) => {
      if (m.type === "decided") this.onReport?.(m as unknown as DecidedReport);
      else if (m.type === "failed") this.onFailure?.(m.message ?? "");
      else if (this.waiting?.type === m.type) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(m);
      }
    });
    worker.on("error", (error) => this.onFailure?.(`worker error: ${error.message}`));
  }

  /** Sends `message` and waits for the reply of `type` (one request at a time per worker). */
  ask<T>(type: string, message?: ToWorker): Promise<T> {
    return new Promise((resolve) => {
      this.waiting = { resolve: resolve as (value: unknown) => void, type };
      if (message !== undefined) this.worker.postMessage(message);
    });
  }
}

/** A worker running throughput-worker.ts under tsx (registered inside the worker). */
const startWorker = (options: BaseOptions): WorkerHandle => {
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL("./throughput-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new WorkerHandle(new Worker(code, { eval: true, workerData: options }));
};

// ---------------------------------------------------------------- measurements

interface Rate {
  readonly count: number;
  readonly ms: number;
}

/** Operations per second on both cores at once (each worker runs the same samples). */
const bothCores = async (workers: readonly WorkerHandle[], message: ToWorker): Promise<number> => {
  const rates = await Promise.all(workers.map((w) => w.ask<Rate>("rate", message)));
  return rates.reduce((sum, r) => sum + (1000 * r.count) / r.ms, 0);
};

const signatureSamples = (base: Base, txs: readonly RecordTx[]): SignatureSample[] =>
  txs.map((tx) => ({
    key: base.patients[tx.patient]?.publicKey ?? new Uint8Array(),
    message: taggedMessage(TAGS.TX_SIG, signingBody(tx)),
    signature: tx.signature,
  }));

const hverSamples = (base: Base, txs: readonly RecordTx[]): HVerSample[] =>
  txs.map((tx) => ({
    institution: tx.institution,
    pointer: tx.record.pointer,
    h: base.series[tx.institution]?.[0]?.h ?? new Uint8Array(),
    r: tx.record.r,
  }));

/** [BFT-2] f for a group of `size`. */
const faultsOf = (size: number): number => Math.floor((size - 1) / 3);

/** The verifications a transaction needs in figure (a) (module header), for batches of `perBatch`. */
export const verificationsPerTx = (size: number, perBatch: number): number =>
  size + (size - 1 + size * (6 * faultsOf(size) + 1)) / perBatch;

export interface RunResult {
  readonly config: Config;
  readonly batches: number;
  readonly pinned: number;
  readonly averageBatchTxs: number;
  readonly averageBatchBytes: number;
  /** Transactions of batches 1.. over the time from batch 0's to the last batch's pinning at every member. */
  readonly tps: number;
  /** All transactions over the time from the first submission to the last pinning. */
  readonly tpsWhole: number;
  readonly seconds: number;
  readonly measuredVerificationsPerTx: number;
  readonly hverPerTx: number;
  readonly utilization: readonly number[];
  readonly timersSet: number;
  readonly problems: readonly string[];
}

/** Splits the group: the leader (member 0) and the first half on worker 0, the rest on worker 1. */
const halves = (size: number): [number[], number[]] => {
  const first = Math.floor(size / 2);
  return [Array.from({ length: first }, (_, i) => i), Array.from({ length: size - first }, (_, i) => first + i)];
};

interface Finished {
  readonly counters: readonly {
    member: number;
    txVerified: number;
    voteVerified: number;
    otherVerified: number;
    hver: number;
  }[];
  readonly stats: { timersSet: number } | undefined;
  readonly utilization: number;
}

const runPipeline = async (
  base: Base,
  workers: readonly [WorkerHandle, WorkerHandle],
  config: Config,
  txs: readonly RecordTx[],
): Promise<RunResult> => {
  const params: PipelineParams = { budgetBytes: config.budgetBytes, validation: config.validation };
  const submissions = submissionsOf(txs, config.size, PER_SUBMISSION);
  const sides = halves(config.size);
  const capBytes = 3 * config.budgetBytes;
  const reports = new Map<number, DecidedReport[]>();
  const problems: string[] = [];
  const total = txs.length;
  const done = new Promise<void>((resolve) => {
    const perMember = new Map<number, number>();
    const onReport = (report: DecidedReport): void => {
      const list = reports.get(report.instance) ?? [];
      list.push(report);
      reports.set(report.instance, list);
      const count = (perMember.get(report.member) ?? 0) + report.txs;
      perMember.set(report.member, count);
      if (perMember.size === config.size && [...perMember.values()].every((c) => c >= total)) resolve();
    };
    for (const w of workers) {
      w.onReport = onReport;
      w.onFailure = (message) => {
        problems.push(message);
        resolve();
      };
    }
  });
  const { port1, port2 } = new MessageChannel();
  const ports = [port1, port2];
  const start = performance.timeOrigin + performance.now();
  workers.forEach((w, k) => {
    const local = sides[k] as number[];
    const run: RunRequest = {
      size: config.size,
      local,
      params,
      submissions: submissions.filter((s: Outgoing) => local.includes(s.member)),
      capBytes: capBytes / 2,
      observer: local[0] as number,
    };
    const port = ports[k] as (typeof ports)[number];
    w.worker.postMessage({ type: "run", run, port } satisfies ToWorker, [port]);
  });
  await done;
  const finished = await Promise.all(workers.map((w) => w.ask<Finished>("finished", { type: "finish" })));
  return summarize(base, config, start, reports, finished, problems, total);
};

const summarize = (
  base: Base,
  config: Config,
  start: number,
  reports: ReadonlyMap<number, readonly DecidedReport[]>,
  finished: readonly Finished[],
  problems: string[],
  total: number,
): RunResult => {
  const group = Result.getOrThrow(consensusGroup(base.epoch, groupSnapshot(base, config.size)));
  const instances = [...reports.keys()].sort((a, b) => a - b);
  const pinnedAt: number[] = [];
  const sizes: number[] = [];
  const bytes: number[] = [];
  for (const instance of instances) {
    const list = reports.get(instance) ?? [];
    const first = list[0];
    if (first === undefined || list.length !== config.size) {
      problems.push(`instance ${instance}: pinned by ${list.length} of ${config.size} members`);
      continue;
    }
    if (list.some((r) => !bytesEqual(r.root, first.root) || r.txs !== first.txs))
      problems.push(`instance ${instance}: members disagree`);
    const certificate = decodePinCertificate(first.certificate);
    if (
      Result.isFailure(certificate) ||
      Result.isFailure(verifyPinCertificate(group, base.crypto, certificate.success))
    ) {
      problems.push(`instance ${instance}: invalid pin certificate`);
    }
    pinnedAt.push(Math.max(...list.map((r) => r.at_ms)));
    sizes.push(first.txs);
    bytes.push(first.txBytes);
  }
  const pinned = sizes.reduce((a, b) => a + b, 0);
  if (pinned !== total) problems.push(`${pinned} transactions pinned, ${total} submitted`);
  const last = pinnedAt[pinnedAt.length - 1] ?? start;
  const first = pinnedAt[0] ?? start;
  const timed = sizes.slice(1).reduce((a, b) => a + b, 0);
  const counters = finished.flatMap((f) => f.counters);
  const verified = counters.reduce((sum, c) => sum + c.txVerified + c.voteVerified + c.otherVerified, 0);
  return {
    config,
    batches: sizes.length,
    pinned,
    averageBatchTxs: sizes.length > 1 ? timed / (sizes.length - 1) : pinned,
    averageBatchBytes: bytes.length > 1 ? bytes.slice(1).reduce((a, b) => a + b, 0) / (bytes.length - 1) : 0,
    tps: last > first ? (1000 * timed) / (last - first) : 0,
    tpsWhole: (1000 * pinned) / (last - start),
    seconds: (last - start) / 1000,
    measuredVerificationsPerTx: verified / Math.max(1, pinned),
    hverPerTx: counters.reduce((sum, c) => sum + c.hver, 0) / Math.max(1, pinned),
    utilization: finished.map((f) => f.utilization),
    timersSet: finished.reduce((sum, f) => sum + (f.stats?.timersSet ?? 0), 0),
    problems,
  };
};

// ---------------------------------------------------------------- the suite

interface Row {
  readonly run: RunResult;
  /** Operations per second on both cores, before and after the run. */
  readonly rateBefore: number;
  readonly rateAfter: number;
  readonly limit: number;
  readonly share: number;
  readonly load: readonly number[];
}

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

const fmt = (x: number, digits = 0): string =>
  x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

const load = (): number => loadavg()[0] ?? 0;

/** Runs one configuration between two rate measurements (the limit is their mean). */
const measured = async (
  base: Base,
  workers: readonly [WorkerHandle, WorkerHandle],
  config: Config,
  txs: readonly RecordTx[],
  rateMessage: ToWorker,
  opsPerTx: (run: RunResult) => number,
): Promise<Row> => {
  const loadBefore = load();
  const rateBefore = await bothCores(workers, rateMessage);
  const run = await runPipeline(base, workers, config, txs);
  const rateAfter = await bothCores(workers, rateMessage);
  const limit = (rateBefore + rateAfter) / 2 / opsPerTx(run);
  console.error(
    `  |X|=${config.size} ${config.validation} ${config.budgetBytes / MB} MB: ${fmt(run.tps)} TPS, limit ${fmt(limit)}, ${run.problems.length} problems`,
  );
  return { run, rateBefore, rateAfter, limit, share: run.tps / limit, load: [loadBefore, load()] };
};

const rowA = (row: Row): string => {
  const { run, config } = { run: row.run, config: row.run.config };
  return `| ${config.size} | ${faultsOf(config.size)} | ${config.budgetBytes / MB} | ${fmt(run.averageBatchTxs)} | ${run.batches} | **${fmt(run.tps)}** | ${fmt(run.tpsWhole)} | ${fmt(row.limit)} | **${fmt(100 * row.share)} %** | **${fmt(run.tps / PAPER_TPS, 1)}×** | ${fmt(verificationsPerTx(config.size, run.averageBatchTxs), 3)} / ${fmt(run.measuredVerificationsPerTx, 3)} | ${fmt(row.rateBefore / CORES)} / ${fmt(row.rateAfter / CORES)} | ${run.utilization.map((u) => fmt(100 * u)).join(" / ")} % | ${row.load.map((l) => fmt(l, 1)).join(" → ")} |`;
};

const rowB = (row: Row): string => {
  const { run } = row;
  const { config } = run;
  return `| ${config.size} | ${config.budgetBytes / MB} | ${fmt(run.averageBatchTxs)} | ${run.batches} | **${fmt(run.tps, 1)}** | ${fmt(row.limit, 1)} | **${fmt(100 * row.share)} %** | ${fmt(run.tps / PAPER_TPS, 2)}× | ${fmt(run.hverPerTx, 2)} | ${fmt(row.rateBefore / CORES)} / ${fmt(row.rateAfter / CORES)} | ${run.utilization.map((u) => fmt(100 * u)).join(" / ")} % | ${row.load.map((l) => fmt(l, 1)).join(" → ")} |`;
};

export const runThroughput = async (): Promise<{ markdown: string; json: unknown }> => {
  const sizes = (flag("sizes") ?? "4,11").split(",").map(Number);
  const timed = Number(flag("timed") ?? 3);
  const budgets = (flag("budgets") ?? "1,2,4").split(",").map((mb) => Number(mb) * MB);
  const t0 = performance.now();
  const workers: [WorkerHandle, WorkerHandle] = [startWorker(BASE_OPTIONS), startWorker(BASE_OPTIONS)];
  const ready = Promise.all(workers.map((w) => w.ask("ready")));
  const base = buildBase(BASE_OPTIONS);
  await ready;
  console.error(`  base chain built in every thread (${fmt((performance.now() - t0) / 1000, 1)} s)`);

  // (a): one stream, long enough for the largest batch; every configuration starts from the same base.
  const perBatch = (budget: number) => Math.floor(budget / AVERAGE_TX_BYTES);
  const countA = (budget: number) => (timed + 2) * perBatch(budget);
  const maxA = Math.max(...budgets.map(countA));
  const stream = { count: maxA, labelEvery: LABEL_EVERY };
  const txsA = Array.from({ length: maxA }, (_, j) => streamTransaction(base, stream, j));
  const verifyMessage: ToWorker = {
    type: "verify-rate",
    samples: signatureSamples(base, txsA.slice(0, base.options.patients)),
    ms: 1500,
  };
  console.error(`  ${maxA} transactions signed (${fmt((performance.now() - t0) / 1000, 1)} s)`);

  // warm-up: JIT and caches of both workers, not reported
  await runPipeline(
    base,
    workers,
    { size: 4, budgetBytes: MB / 4, validation: "signatures", count: 4_000 },
    txsA.slice(0, 4_000),
  );

  const rowsA: Row[] = [];
  for (const size of sizes) {
    for (const budget of budgets) {
      const config: Config = { size, budgetBytes: budget, validation: "signatures", count: countA(budget) };
      rowsA.push(
        await measured(base, workers, config, txsA.slice(0, config.count), verifyMessage, (run) =>
          verificationsPerTx(size, run.averageBatchTxs),
        ),
      );
    }
  }

  // (b): distinct chameleon records (one HCol each, computed on both workers), smaller batches
  const budgetB = MB / 8;
  const countB = (size: number) => Math.ceil((6 * perBatch(budgetB) * 4) / size / 10) * 10;
  const maxB = Math.max(...sizes.map(countB));
  const indices = Array.from({ length: maxB }, (_, j) => j);
  const parts = await Promise.all(
    workers.map((w, k) =>
      w.ask<{ records: { index: number; record: ChameleonRecord }[] }>("records", {
        type: "collide",
        indices: indices.filter((j) => j % 2 === k),
      }),
    ),
  );
  const distinct = new Map(parts.flatMap((p) => p.records.map((r) => [r.index, r.record] as const)));
  const streamB = { count: maxB, labelEvery: LABEL_EVERY, records: (j: number) => distinct.get(j) as ChameleonRecord };
  const txsB = Array.from({ length: maxB }, (_, j) => streamTransaction(base, streamB, j));
  const hverMessage: ToWorker = { type: "hver-rate", samples: hverSamples(base, txsB.slice(0, 200)), ms: 2000 };
  console.error(`  ${maxB} distinct records (${fmt((performance.now() - t0) / 1000, 1)} s)`);
  const rowsB: Row[] = [];
  for (const size of sizes) {
    const config: Config = { size, budgetBytes: budgetB, validation: "full", count: countB(size) };
    rowsB.push(await measured(base, workers, config, txsB.slice(0, config.count), hverMessage, () => size));
  }
  await Promise.all(workers.map((w) => w.worker.terminate()));

  const problems = [...rowsA, ...rowsB].flatMap((r) => r.run.problems.map((p) => `|X|=${r.run.config.size}: ${p}`));
  const markdown = [
    "### Throughput against Fig. 13: pinned transactions per second (2 worker threads, one per core)",
    "",
    `Base chain: ${BASE_OPTIONS.institutions} institutions (the paper's pools), ${BASE_OPTIONS.patients} registered patients; records of 241 B (medical) and 273 B (label, one in ${LABEL_EVERY}); submissions of ${PER_SUBMISSION} transactions; batch = Algorithm 2 over the oldest submissions that fit the size (1 MB = 10^6 bytes of transactions); members 0..⌊|X|/2⌋−1 (with the leader) on worker 0, the others on worker 1.`,
    "",
    "**(a) every check but HVer** (signatures of patients and votes, freshness, fee, institution, patient, replay, label target, leaf value, Algorithm 2 order, batch root, pin certificate); limit = Ed25519 verifications/s on both cores ÷ V_tx, V_tx = |X| + ((|X|−1) + |X|·(6f+1))/B.",
    "",
    "| \\|X\\| | f | batch MB | tx/batch | batches | TPS | TPS whole run | limit | share | × paper (220) | V_tx formula / measured | verif./s per core before / after | worker busy | load avg |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rowsA.map(rowA),
    "",
    "**(b) full validation: the same checks and HVer by every member**, distinct chameleon records per transaction; limit = HVer/s on both cores ÷ |X| (signature verifications not counted against it).",
    "",
    "| \\|X\\| | batch MB | tx/batch | batches | TPS | limit | share | × paper | HVer per tx (measured) | HVer/s per core before / after | worker busy | load avg |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rowsB.map(rowB),
    "",
    problems.length === 0
      ? "Every run: every member pinned the same batches, every pin certificate verified, every submitted transaction pinned once, no timer fired."
      : `Problems: ${problems.slice(0, 10).join("; ")}`,
    "",
  ].join("\n");
  const json = {
    base: BASE_OPTIONS,
    paper_tps: PAPER_TPS,
    cores: CORES,
    signatures: rowsA,
    full: rowsB,
    problems,
  };
  return { markdown, json };
};

export const throughputSuite: BenchSuite = { name: "throughput", run: runThroughput };

if (process.argv[1]?.endsWith("throughput.ts")) {
  const { markdown } = await runThroughput();
  console.log(markdown);
}
