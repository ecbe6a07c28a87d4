/**
 * [VEC-3] Reading and writing vector files: stable JSON (two-space indent, trailing newline) so that
 * regeneration is byte-for-byte reproducible, and a walk over every file under vectors/.
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const VECTORS_DIR = dirname(fileURLToPath(import.meta.url));
export const SCHEMA_DIR = "schema";
/** Folders of vectors/ that hold generated data (the rest is code). */
export const DATA_DIRS = ["crypto", "ledger", "reputation", "consensus", "regressions", SCHEMA_DIR] as const;

export const stableJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export const writeVector = (root: string, path: string, json: unknown): void => {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, stableJson(json));
};

export const readJson = (root: string, path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));

/** [VEC-7] Every .json file under the data folders of `root` (relative paths, forward slashes, sorted): what the runner must read. */
export const listDataFiles = (root: string): string[] => {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: "utf8" });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) out.push(relative(root, full).split(sep).join("/"));
    }
  };
  for (const dir of DATA_DIRS) walk(join(root, dir));
  return out.sort();
};
