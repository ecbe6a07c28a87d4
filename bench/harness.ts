/**
 * Micro-benchmark harness (spec/conventions.md, [CONV-7]): warm up, then `runs` timed runs of at
 * least `min_run_ms` each; the figure is the median time per operation. Comparisons are reported as
 * ratios of figures measured in the same process, one after the other.
 * @module
 */

export interface Measurement {
  readonly name: string;
  readonly median_us: number;
  readonly ops_per_s: number;
  readonly runs: number;
}

export interface MeasureOptions {
  readonly runs?: number;
  readonly min_run_ms?: number;
  readonly warmup_ops?: number;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new RangeError("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Times `op` (synchronous) and returns the median microseconds per call. */
export const measure = (name: string, op: () => unknown, options: MeasureOptions = {}): Measurement => {
  const runs = options.runs ?? 5;
  const min_run_ms = options.min_run_ms ?? 200;
  for (let i = 0; i < (options.warmup_ops ?? 3); i++) op();
  const per_op_us: number[] = [];
  for (let run = 0; run < runs; run++) {
    let ops = 0;
    const start = performance.now();
    let elapsed_ms = 0;
    while (elapsed_ms < min_run_ms) {
      op();
      ops += 1;
      elapsed_ms = performance.now() - start;
    }
    per_op_us.push((elapsed_ms * 1000) / ops);
  }
  const median_us = median(per_op_us);
  return { name, median_us, ops_per_s: 1e6 / median_us, runs };
};

/** Times an asynchronous operation the same way. */
export const measureAsync = async (
  name: string,
  op: () => Promise<unknown>,
  options: MeasureOptions = {},
): Promise<Measurement> => {
  const runs = options.runs ?? 5;
  const min_run_ms = options.min_run_ms ?? 200;
  for (let i = 0; i < (options.warmup_ops ?? 3); i++) await op();
  const per_op_us: number[] = [];
  for (let run = 0; run < runs; run++) {
    let ops = 0;
    const start = performance.now();
    let elapsed_ms = 0;
    while (elapsed_ms < min_run_ms) {
      await op();
      ops += 1;
      elapsed_ms = performance.now() - start;
    }
    per_op_us.push((elapsed_ms * 1000) / ops);
  }
  const median_us = median(per_op_us);
  return { name, median_us, ops_per_s: 1e6 / median_us, runs };
};

const fmt = (value: number): string =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/** A Markdown table of measurements. */
export const table = (title: string, rows: readonly Measurement[]): string =>
  [
    `### ${title}`,
    "",
    "| operation | median µs/op | ops/s |",
    "|---|---:|---:|",
    ...rows.map((m) => `| ${m.name} | ${fmt(m.median_us)} | ${fmt(m.ops_per_s)} |`),
    "",
  ].join("\n");

/** A suite contributes sections of the report and a JSON object. */
export interface BenchSuite {
  readonly name: string;
  readonly run: () => Promise<{ readonly markdown: string; readonly json: unknown }>;
}
