/**
 * One job of a parallel campaign (spec/model.md, [MOD-16]): a worker thread that runs the campaign's
 * schedules whose index is its own modulo the job count (runCampaign's `shard`), posting its counts after
 * every schedule and its result at the end. Started by campaign.ts with tsx registered inside it.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { type CampaignOptions, type CampaignStats, runCampaign } from "./campaign.js";

/** What a job posts to the campaign: its counts so far, or its end (with the failure report if it found one). */
export type FromJob =
  | { readonly type: "progress"; readonly stats: CampaignStats }
  | { readonly type: "done"; readonly stats: CampaignStats; readonly failure: string | undefined };

const options = workerData as CampaignOptions;
const result = runCampaign({
  ...options,
  onSchedule: (stats) => parentPort?.postMessage({ type: "progress", stats } satisfies FromJob),
});
parentPort?.postMessage({ type: "done", stats: result.stats, failure: result.failure } satisfies FromJob);
