/**
 * A profiling aid for the throughput pipeline (SPChain §6.1, Fig. 13): every member of a group in this one
 * thread (no worker, no MessagePort), so that a CPU profile holds the whole pipeline's work and nothing
 * else. Builds the throughput benchmark's base chain and stream, warms up, then times one run and, with
 * `--profile FILE`, records it with the inspector's CPU profiler (setup is not in the profile).
 *
 * Single-thread transactions per second are not the benchmark's figure (that one uses two cores); they
 * compare one version of the code with another on the same machine: the same work, measured the same way.
 *
 * `npx tsx bench/throughput-profile.ts [--size 4] [--txs 12000] [--patients 1000] [--profile out.cpuprofile]
 * [--heap out.heapprofile]` (`--heap`: the sampling heap profiler, where the run's allocations come from).
 * @module
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import type { RecordTx } from "../src/ledger/transaction.js";
import { Feeder, GroupHost } from "./throughput-host.js";
import { PipelineMember } from "./throughput-member.js";
import type { Validation } from "./throughput-memory.js";
import { groupSnapshot, submissionsOf } from "./throughput-pipeline.js";
import { type Base, buildBase, streamTransaction } from "./throughput-setup.js";

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};

const BUDGET_BYTES = 500_000;
const PER_SUBMISSION = 250;
const IN_FLIGHT_BATCHES = 2;

/** CPU seconds of the last run (user + system, this process): steadier than wall time on a loaded machine. */
let cpuSeconds = 0;

/** One run of `count` stream transactions through a group of `size` members; the seconds it took. */
const runOnce = (base: Base, size: number, txs: readonly RecordTx[], validation: Validation): number => {
  const count = txs.length;
  const snapshot = groupSnapshot(base, size);
  const params = { budgetBytes: BUDGET_BYTES, validation };
  const members = Array.from({ length: size }, (_, i) => new PipelineMember(base, snapshot, i, params));
  const submissions = submissionsOf(txs, size, PER_SUBMISSION);
  let pinned = 0;
  const failures: string[] = [];
  let feeder: Feeder | undefined;
  const host = new GroupHost(members, size, {
    decided: (member, applied) => {
      if (member.index !== 0) return;
      pinned += applied.value.txs.length;
      feeder?.settled(applied);
    },
    failed: (message) => failures.push(message),
    remote: () => failures.push("a message left the thread"),
  });
  feeder = new Feeder(host, submissions, IN_FLIGHT_BATCHES * BUDGET_BYTES);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  feeder.fill();
  while (host.run(1_000)) {}
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (failures.length > 0 || pinned !== count) {
    throw new Error(`run failed: ${pinned} of ${count} pinned; ${failures.slice(0, 3).join("; ")}`);
  }
  return seconds;
};

const post = (session: Session, method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  );

const size = Number(flag("size", "4"));
const count = Number(flag("txs", "12000"));
const patients = Number(flag("patients", "1000"));
const profile = flag("profile", "");
const heap = flag("heap", "");
const t0 = performance.now();
const base = buildBase({
  seed: "spchain throughput",
  institutions: 26,
  patients,
  series: 1 + Math.ceil(count / patients),
  registersPerKeyblock: 1_000,
});
console.error(`base built (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const txs = Array.from({ length: count }, (_, j) => streamTransaction(base, { labelEvery: 10 }, j));
runOnce(base, size, txs.slice(0, 4_000), "signatures");
const session = new Session();
if (profile !== "" || heap !== "") session.connect();
if (profile !== "") {
  await post(session, "Profiler.enable");
  await post(session, "Profiler.start");
}
if (heap !== "")
  await post(session, "HeapProfiler.startSampling", {
    samplingInterval: 65_536,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
const seconds = runOnce(base, size, txs, "signatures");
if (profile !== "") {
  const { profile: data } = (await post(session, "Profiler.stop")) as { profile: unknown };
  writeFileSync(profile, JSON.stringify(data));
}
if (heap !== "") {
  const { profile: data } = (await post(session, "HeapProfiler.stopSampling")) as { profile: unknown };
  writeFileSync(heap, JSON.stringify(data));
}
console.log(
  `|X|=${size}: ${count} transactions in ${seconds.toFixed(2)} s on one thread = ${(count / seconds).toFixed(0)} TPS; ${cpuSeconds.toFixed(2)} CPU s = ${(count / cpuSeconds).toFixed(0)} transactions per CPU second`,
);
