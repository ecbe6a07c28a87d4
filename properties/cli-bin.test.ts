/**
 * The package's `bin` entry (cli/bin.js): the installed `spchain` executable loads the TypeScript CLI and
 * dispatches to every registered command; an unknown command is a usage error (exit code 2), not a crash.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../cli/registry.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  bin: Record<string, string>;
};
const bin = new URL(`../${pkg.bin.spchain}`, import.meta.url);
const run = (...args: string[]) => spawnSync(process.execPath, [bin.pathname, ...args], { encoding: "utf8" });

describe("spchain executable", () => {
  it("lists every registered command under help", () => {
    const r = run("help");
    expect(r.status).toBe(0);
    expect(COMMANDS.length).toBeGreaterThan(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
  });

  it("rejects an unknown command with a usage error", () => {
    const r = run("no-such-command");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command: no-such-command");
  });
});
