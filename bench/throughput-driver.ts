/**
 * The throughput benchmark's main thread (SPChain §6.1, Fig. 13; spec/consensus.md [BFT-9]; spec/pins.md
 * [PIN-3]): two worker threads (one per core) host the group's members, the first half (with the leader,
 * member 0) on worker 0 and the rest on worker 1, joined by a MessagePort, an ideal network. This thread
 * starts them, hands each its share of the submissions, collects every member's pinned batches and checks
 * that the run did what it must: every member pinned the same batches, each with a valid pin certificate,
 * and every submitted transaction exactly once.
 * @module
 */
import { MessageChannel, Worker } from "node:worker_threads";
import { Result } from "effect";
import { consensusGroup, decodePinCertificate, verifyPinCertificate } from "../src/consensus/index.js";
import { bytesEqual } from "../src/crypto/bytes.js";
import type { RecordTx } from "../src/ledger/transaction.js";
import type { Outgoing } from "./throughput-host.js";
import { type PinnedBatch, steadyTps } from "./throughput-limit.js";
import type { Stage, Validation } from "./throughput-memory.js";
import { groupSnapshot, submissionsOf } from "./throughput-pipeline.js";
import type { Base, BaseOptions } from "./throughput-setup.js";
import type { DecidedReport, Finished, RunRequest, ToWorker } from "./throughput-worker.js";

/** Batches of requests the feeder lets in flight ahead of the observed pin (see `steadyTps`). */
export const IN_FLIGHT_BATCHES = 2;

export interface RunConfig {
  readonly size: number;
  readonly validation: Validation;
  /** A batch's transactions encode to at most this many bytes. */
  readonly budgetBytes: number;
  readonly perSubmission: number;
}

export interface RunResult {
  readonly batches: number;
  readonly pinned: number;
  readonly averageBatchTxs: number;
  /** Steady-state pinned transactions per second (undefined if the run left no window). */
  readonly tps: number | undefined;
  readonly seconds: number;
  /** Ed25519 verifications and HVer computed by all members, per pinned transaction. */
  readonly verificationsPerTx: number;
  readonly hverPerTx: number;
  /** Each worker's event-loop utilisation during the run. */
  readonly busy: readonly number[];
  /** Shares of the workers' busy time spent inside Ed25519 verifications and inside HVer. */
  readonly verifyShareOfBusy: number;
  readonly hverShareOfBusy: number;
  /** Shares of the workers' busy time spent in the members' other timed stages (throughput-memory.ts). */
  readonly stageShareOfBusy: Readonly<Record<Stage, number>>;
  readonly problems: readonly string[];
}

class WorkerHandle {
  private waiting:
    | { readonly type: string; readonly resolve: (value: unknown) => void; readonly reject: (e: Error) => void }
    | undefined;
  onReport: (report: DecidedReport) => void = () => {};
  onFailure: (message: string) => void = () => {};

  constructor(readonly worker: Worker) {
    worker.on("message", (m: { type: string; message?: string }) => {
      if (m.type === "decided") this.onReport(m as DecidedReport);
      else if (m.type === "failed") this.onFailure(m.message ?? "");
      else if (this.waiting?.type === m.type) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve(m);
      }
    });
    worker.on("error", (error) => {
      this.onFailure(`worker error: ${error.message}`);
      this.waiting?.reject(error);
      this.waiting = undefined;
    });
  }

  /** Sends `message` (if any) and waits for the reply of `type`: one request at a time per worker. */
  ask<T>(type: string, message?: ToWorker): Promise<T> {
    if (this.waiting !== undefined) throw new Error(`worker busy with ${this.waiting.type}`);
    return new Promise((resolve, reject) => {
      this.waiting = { type, resolve: resolve as (value: unknown) => void, reject };
      if (message !== undefined) this.worker.postMessage(message);
    });
  }
}

export type Workers = readonly [WorkerHandle, WorkerHandle];

/** A worker running throughput-worker.ts, with tsx registered inside it (workers do not inherit loaders). */
const startWorker = (options: BaseOptions): WorkerHandle => {
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL("./throughput-worker.ts", import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new WorkerHandle(new Worker(code, { eval: true, workerData: options }));
};

/** Two workers, each with the base chain of `options` built (the same one: it is a function of the seed). */
export const startWorkers = async (options: BaseOptions): Promise<Workers> => {
  const workers: Workers = [startWorker(options), startWorker(options)];
  await Promise.all(workers.map((w) => w.ask("ready")));
  return workers;
};

export const stopWorkers = async (workers: Workers): Promise<void> => {
  await Promise.all(workers.map((w) => w.worker.terminate()));
};

/** Operations per second per core, both cores working at once on the same samples. */
export const ratePerCore = async (workers: Workers, message: ToWorker): Promise<number> => {
  const rates = await Promise.all(workers.map((w) => w.ask<{ count: number; ms: number }>("rate", message)));
  return rates.reduce((sum, r) => sum + (1000 * r.count) / r.ms, 0) / rates.length;
};

/** Members 0 .. ⌊size/2⌋ − 1 (the leader's half) on worker 0, the others on worker 1. */
const halves = (size: number): [number[], number[]] => {
  const first = Math.floor(size / 2);
  return [Array.from({ length: first }, (_, i) => i), Array.from({ length: size - first }, (_, i) => first + i)];
};

/** Pushes `txs` through the group of `config` and returns what it pinned, how fast, and what went wrong. */
export const runPipeline = async (
  base: Base,
  workers: Workers,
  config: RunConfig,
  txs: readonly RecordTx[],
): Promise<RunResult> => {
  const submissions = submissionsOf(txs, config.size, config.perSubmission);
  const reports = new Map<number, DecidedReport[]>();
  const problems: string[] = [];
  const done = new Promise<void>((resolve) => {
    const perMember = new Map<number, number>();
    for (const w of workers) {
      w.onReport = (report) => {
        const list = reports.get(report.instance) ?? [];
        list.push(report);
        reports.set(report.instance, list);
        perMember.set(report.member, (perMember.get(report.member) ?? 0) + report.txs);
        if (perMember.size === config.size && [...perMember.values()].every((c) => c >= txs.length)) resolve();
      };
      w.onFailure = (message) => {
        problems.push(message);
        resolve();
      };
    }
  });
  const { port1, port2 } = new MessageChannel();
  const ports = [port1, port2] as const;
  const start = performance.timeOrigin + performance.now();
  halves(config.size).forEach((local, k) => {
    const run: RunRequest = {
      size: config.size,
      local,
      params: { budgetBytes: config.budgetBytes, validation: config.validation },
      submissions: submissions.filter((s: Outgoing) => local.includes(s.member)),
      // each worker's feeder holds back its own share of the group's in-flight bytes
      capBytes: (IN_FLIGHT_BATCHES * config.budgetBytes) / 2,
      observer: local[0] as number,
    };
    const port = ports[k] as (typeof ports)[number];
    workers[k]?.worker.postMessage({ type: "run", run, port } satisfies ToWorker, [port]);
  });
  await done;
  const finished = await Promise.all(workers.map((w) => w.ask<Finished>("finished", { type: "finish" })));
  return summarize(base, config, txs.length, start, reports, finished, problems);
};

const summarize = (
  base: Base,
  config: RunConfig,
  submitted: number,
  start: number,
  reports: ReadonlyMap<number, readonly DecidedReport[]>,
  finished: readonly Finished[],
  problems: string[],
): RunResult => {
  const group = Result.getOrThrow(consensusGroup(base.epoch, groupSnapshot(base, config.size)));
  const batches: PinnedBatch[] = [];
  for (const instance of [...reports.keys()].sort((a, b) => a - b)) {
    const list = reports.get(instance) ?? [];
    const first = list[0];
    if (instance !== batches.length) problems.push(`instance ${instance} pinned after ${batches.length} batches`);
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
    )
      problems.push(`instance ${instance}: invalid pin certificate`);
    batches.push({ txs: first.txs, at_ms: Math.max(...list.map((r) => r.at_ms)) });
  }
  const pinned = batches.reduce((sum, b) => sum + b.txs, 0);
  if (pinned !== submitted) problems.push(`${pinned} transactions pinned, ${submitted} submitted`);
  const counters = finished.flatMap((f) => f.counters);
  const verified = counters.reduce((sum, c) => sum + c.txVerified + c.voteVerified + c.otherVerified, 0);
  const end = batches[batches.length - 1]?.at_ms ?? start;
  const activeMs = Math.max(
    1e-9,
    finished.reduce((sum, f) => sum + f.activeMs, 0),
  );
  const shareOf = (timer: "verifyMs" | "hverMs" | Stage): number =>
    counters.reduce((sum, c) => sum + c[timer], 0) / activeMs;
  return {
    batches: batches.length,
    pinned,
    averageBatchTxs: pinned / Math.max(1, batches.length),
    tps: steadyTps(batches, IN_FLIGHT_BATCHES),
    seconds: (end - start) / 1000,
    verificationsPerTx: verified / Math.max(1, pinned),
    hverPerTx: counters.reduce((sum, c) => sum + c.hver, 0) / Math.max(1, pinned),
    busy: finished.map((f) => f.utilization),
    verifyShareOfBusy: shareOf("verifyMs"),
    hverShareOfBusy: shareOf("hverMs"),
    stageShareOfBusy: { decodeMs: shareOf("decodeMs"), placeMs: shareOf("placeMs"), pinMs: shareOf("pinMs") },
    problems,
  };
};
