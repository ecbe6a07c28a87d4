/**
 * The Nursery records (data/nursery.data) the model's EMRs are made from (SPChain §6.2 uses the same set).
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NURSERY_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "nursery.data");

let cached: readonly string[] | undefined;

/** The non-empty lines of the data file (read once per process). */
export const nurseryRecords = (path: string = NURSERY_PATH): readonly string[] => {
  if (path === NURSERY_PATH && cached !== undefined) return cached;
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  if (path === NURSERY_PATH) cached = lines;
  return lines;
};
