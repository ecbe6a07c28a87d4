/**
 * A worker thread of the throughput benchmark: it builds the same base chain as every other thread, then
 * on request measures a verification rate, computes distinct chameleon records, or hosts its share of the
 * group's members for a run, talking to the other worker through a MessagePort (the ideal network).
 * Started by throughput-driver.ts; never imported by tests.
 * @module
 */
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { Result } from "effect";
import { encodeCertificate } from "../src/consensus/index.js";
import { makeNodeCrypto } from "../src/node.js";
import { Feeder, GroupHost, type Outgoing, type Payload } from "./throughput-host.js";
import { PipelineMember, type PipelineParams } from "./throughput-member.js";
import type { MemberCounters } from "./throughput-memory.js";
import { groupSnapshot } from "./throughput-pipeline.js";
import { type Base, type BaseOptions, buildBase, distinctRecords } from "./throughput-setup.js";

/** A signature to verify, or a chameleon hash to check, for the rate measurements. */
export interface SignatureSample {
  readonly key: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}
export interface HVerSample {
  readonly institution: number;
  readonly pointer: Uint8Array;
  readonly h: Uint8Array;
  readonly r: Uint8Array;
}

export interface RunRequest {
  readonly size: number;
  readonly local: readonly number[];
  readonly params: PipelineParams;
  readonly submissions: readonly Outgoing[];
  readonly capBytes: number;
  /** The local member whose pinned batches release the feeder. */
  readonly observer: number;
}

export type ToWorker =
  | { readonly type: "collide"; readonly indices: readonly number[] }
  | { readonly type: "verify-rate"; readonly samples: readonly SignatureSample[]; readonly ms: number }
  | { readonly type: "hver-rate"; readonly samples: readonly HVerSample[]; readonly ms: number }
  | { readonly type: "run"; readonly run: RunRequest; readonly port: MessagePort }
  | { readonly type: "finish" };

/** What a worker reports when a run is over: its members' counters and how busy it was. */
export interface Finished {
  readonly type: "finished";
  readonly counters: readonly ({ readonly member: number } & MemberCounters)[];
  readonly utilization: number;
  /** Milliseconds the worker's event loop was busy during the run. */
  readonly activeMs: number;
}

export interface DecidedReport {
  readonly type: "decided";
  readonly member: number;
  readonly instance: number;
  readonly txs: number;
  readonly txBytes: number;
  readonly root: Uint8Array;
  readonly certificate: Uint8Array;
  /** performance.timeOrigin + performance.now(): comparable across threads. */
  readonly at_ms: number;
}

const post = (message: unknown): void => parentPort?.postMessage(message);
const now = (): number => performance.timeOrigin + performance.now();

/** Runs `op` over `samples` round-robin for `ms` of wall time, after one warm pass; returns the rate. */
const rate = <T>(samples: readonly T[], ms: number, op: (sample: T) => boolean): { count: number; ms: number } => {
  for (const sample of samples) if (!op(sample)) throw new Error("a rate sample does not verify");
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 64; i++) op(samples[(count + i) % samples.length] as T);
    count += 64;
  }
  return { count, ms: performance.now() - start };
};

const main = (): void => {
  const base: Base = buildBase(workerData as BaseOptions);
  let run:
    | {
        host: GroupHost;
        port: MessagePort;
        members: PipelineMember[];
        elu: ReturnType<typeof performance.eventLoopUtilization>;
      }
    | undefined;
  let pumping = false;

  const pump = (): void => {
    pumping = false;
    if (run === undefined) return;
    if (run.host.run(20)) schedule();
  };
  const schedule = (): void => {
    if (pumping) return;
    pumping = true;
    setImmediate(pump);
  };

  const startRun = (request: RunRequest, port: MessagePort): void => {
    const snapshot = groupSnapshot(base, request.size);
    const members = request.local.map((index) => new PipelineMember(base, snapshot, index, request.params));
    let feeder: Feeder | undefined;
    const host = new GroupHost(members, request.size, {
      decided: (member, applied) => {
        const report: DecidedReport = {
          type: "decided",
          member: member.index,
          instance: applied.instance,
          txs: applied.value.txs.length,
          txBytes: applied.value.txBytes,
          root: applied.root,
          certificate: encodeCertificate(applied.certificate),
          at_ms: now(),
        };
        post(report);
        if (member.index === request.observer) feeder?.settled(applied);
      },
      failed: (message) => post({ type: "failed", message }),
      remote: (targets, from, payload) => port.postMessage({ targets, from, payload }),
    });
    port.on("message", (m: { targets: number[]; from: number; payload: Payload }) => {
      host.deliver(m.targets, m.from, m.payload);
      schedule();
    });
    run = { host, port, members, elu: performance.eventLoopUtilization() };
    feeder = new Feeder(host, request.submissions, request.capBytes);
    feeder.fill();
    schedule();
  };

  parentPort?.on("message", (m: ToWorker) => {
    switch (m.type) {
      case "collide":
        post({ type: "records", records: distinctRecords(base, m.indices) });
        return;
      case "verify-rate": {
        const crypto = makeNodeCrypto({ publicKeyCacheEntries: m.samples.length + 64 });
        post({ type: "rate", ...rate(m.samples, m.ms, (s) => crypto.verify(s.key, s.message, s.signature)) });
        return;
      }
      case "hver-rate": {
        const keys = base.state.chKeys;
        post({
          type: "rate",
          ...rate(m.samples, m.ms, (s) => {
            const verified = keys[s.institution]?.verify(s.pointer, s.h, s.r);
            return verified !== undefined && Result.isSuccess(verified) && verified.success;
          }),
        });
        return;
      }
      case "run":
        startRun(m.run, m.port);
        return;
      case "finish": {
        const finished = run;
        run = undefined;
        finished?.port.close();
        const elu = finished && performance.eventLoopUtilization(finished.elu);
        const report: Finished = {
          type: "finished",
          counters: finished?.members.map((member) => ({ member: member.index, ...member.counters })) ?? [],
          utilization: elu?.utilization ?? 0,
          activeMs: elu?.active ?? 0,
        };
        post(report);
        return;
      }
    }
  });
  post({ type: "ready" });
};

main();
