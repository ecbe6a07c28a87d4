/**
 * [CONV-4] Every rule of spec/ is implemented (its ID in a code comment) and tested (its ID in a test
 * name or test file), and [CONV-2] every rule cites its source. [CONV-1] rule IDs are well formed and
 * unique. [CONV-6] nothing in src/ reads the clock or ambient randomness.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const CODE_DIRS = ["src", "vectors", "model", "properties", "cli", "bench"];

const walk = (dir: string, accept: (name: string) => boolean): string[] => {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true, encoding: "utf8" });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(full, accept);
    return accept(entry.name) ? [full] : [];
  });
};

interface Rule {
  readonly id: string;
  readonly page: string;
  readonly body: string;
}

/** Rules are `### [AREA-N] Title` headings (any depth); the body runs to the next heading. */
const parseRules = (page: string, text: string): Rule[] => {
  const rules: Rule[] = [];
  const lines = text.split("\n");
  let current: { id: string; body: string[] } | undefined;
  const flush = () => {
    if (current) rules.push({ id: current.id, page, body: current.body.join("\n") });
    current = undefined;
  };
  for (const line of lines) {
    const heading = /^#{2,6} \[([A-Z]+-\d+)\]/.exec(line);
    if (heading?.[1] !== undefined) {
      flush();
      current = { id: heading[1], body: [] };
    } else if (/^#{1,6} /.test(line)) {
      flush();
    } else {
      current?.body.push(line);
    }
  }
  flush();
  return rules;
};

const specPages = walk(join(ROOT, "spec"), (name) => name.endsWith(".md"));
const rules = specPages.flatMap((file) => parseRules(relative(ROOT, file), readFileSync(file, "utf8")));
const tsFiles = CODE_DIRS.flatMap((dir) => walk(join(ROOT, dir), (name) => name.endsWith(".ts")));
const testText = tsFiles.filter((f) => f.endsWith(".test.ts")).map((f) => readFileSync(f, "utf8"));
const codeText = tsFiles.filter((f) => !f.endsWith(".test.ts")).map((f) => readFileSync(f, "utf8"));
const mentions = (texts: string[], id: string) => texts.some((text) => text.includes(`[${id}]`));
const EDITORIAL = "Editorial rule";

const coverageGaps = (list: readonly Rule[]): string[] =>
  list.flatMap((rule) => {
    const gaps: string[] = [];
    if (!rule.body.includes(EDITORIAL) && !mentions(codeText, rule.id)) gaps.push(`${rule.id}: no code names it`);
    if (!mentions(testText, rule.id)) gaps.push(`${rule.id}: no test names it`);
    return gaps;
  });

describe("spec coverage", () => {
  it("[CONV-1] rule IDs are unique across spec/", () => {
    expect(rules.length).toBeGreaterThan(0);
    const seen = new Map<string, string>();
    const duplicates = rules.filter((rule) => {
      const earlier = seen.get(rule.id);
      seen.set(rule.id, rule.page);
      return earlier !== undefined;
    });
    expect(duplicates.map((r) => `${r.id} in ${r.page}`)).toEqual([]);
  });

  it("[CONV-2] every rule cites its source", () => {
    const uncited = rules.filter((rule) => !/^Source: /m.test(rule.body));
    expect(uncited.map((r) => `${r.id} (${r.page})`)).toEqual([]);
  });

  it("[CONV-4] every rule is named in code and in a test", () => {
    expect(coverageGaps(rules)).toEqual([]);
  });

  it("[CONV-4] negative control: a rule named nowhere is reported", () => {
    const fakeId = ["ZZZ", "999"].join("-");
    const fake = parseRules("x.md", `### [${fakeId}] Fake\nSource: none\n`);
    expect(fake).toHaveLength(1);
    expect(coverageGaps(fake)).toEqual([`${fakeId}: no code names it`, `${fakeId}: no test names it`]);
  });

  it("[CONV-6] src/ never reads the clock or ambient randomness", () => {
    const srcFiles = walk(join(ROOT, "src"), (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));
    const offenders = srcFiles.filter((file) =>
      /Date\.now|Math\.random|new Date\(|performance\.now/.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("[CONV-7] no test measures time", () => {
    const self = import.meta.filename;
    const timed = tsFiles
      .filter((file) => file.endsWith(".test.ts") && file !== self)
      .filter((file) => /performance\.now|Date\.now|console\.time|hrtime/.test(readFileSync(file, "utf8")));
    expect(timed.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
