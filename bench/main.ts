/**
 * `npm run bench [suite ...]`: runs the benchmark suites (all by default), prints Markdown tables and
 * writes bench/results/<suite>.json and bench/results/REPORT.md. Never part of `npm test`.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SUITES } from "./suites.js";

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "results");

const main = async (): Promise<void> => {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(", ")}; known: ${SUITES.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const chosen = wanted.length === 0 ? SUITES : SUITES.filter((suite) => wanted.includes(suite.name));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const sections: string[] = [`# Benchmarks (node ${process.version}, ${new Date().toISOString()})`, ""];
  for (const suite of chosen) {
    console.error(`running ${suite.name} ...`);
    const { markdown, json } = await suite.run();
    console.log(markdown);
    sections.push(markdown);
    writeFileSync(join(RESULTS_DIR, `${suite.name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  }
  if (wanted.length === 0) writeFileSync(join(RESULTS_DIR, "REPORT.md"), sections.join("\n"));
};

await main();
