/**
 * R2, SPChain's medical reputation (spec/reputation.md, [REP-8] [REP-9]): Algorithm 1 over the
 * register and medical/label transactions an institution received, per chunk, in the resolved reading
 * of protocol-notes.md §5.5 (per-chunk shares; T excludes register transactions) or the paper-literal
 * one (TR_i/c and TML_i/c; T counts every transaction).
 * Source: SPChain §5.1, Algorithm 1 and Table 1; ambiguity register A1-A7, A9.
 * @module
 */
import { Result } from "effect";
import { ReputationInputError } from "./errors.js";
import { countError, isCount, MAX_HEIGHT } from "./limits.js";
import { ceilDiv, toFixed } from "./numeric.js";
import type { R2Reading, ReputationConfig } from "./params.js";
import { REPUTATION_SCALE } from "./quorum.js";
import { type ShareAggregate, type ShareTerm, shareTermFrom, spreadNumeratorOfValues } from "./share.js";
import { componentScore } from "./sigmoid.js";

/** Per-chunk counts of one kind of transaction: the institution's own and everybody's. */
export interface ChunkCounts {
  readonly own: readonly number[];
  readonly all: readonly number[];
}

export interface R2Input {
  /** L: pinned keyblocks. */
  readonly length: number;
  /** Register transactions received, per chunk (l = ⌈L/c⌉ entries each). */
  readonly registers: ChunkCounts;
  /** Medical and label transactions received, per chunk of the epoch they were pinned in (A6). */
  readonly records: ChunkCounts;
  readonly honest: boolean;
}

export interface R2Score {
  readonly registers: ShareTerm;
  readonly records: ShareTerm;
  readonly x: number;
  readonly value: number;
  readonly fixed: bigint;
}

/** [REP-8] The institution's fixed-point share of a chunk: floor(SCALE × own / all), 0/0 := 0 (A2, A7). */
export const chunkShare = (own: bigint, all: bigint): bigint => (all === 0n ? 0n : (REPUTATION_SCALE * own) / all);

/**
 * [REP-8] [REP-9] The aggregate of one R2 term. Resolved: values F_i / SCALE around own/total.
 * Literal: values own_i / c around own/total, where for records the literal total also counts registers (A4).
 */
export const r2Aggregate = (
  reading: R2Reading,
  chunkCount: bigint,
  chunkSize: number,
  own: bigint,
  total: bigint,
  sum: bigint,
  sumSquares: bigint,
): ShareAggregate => ({
  count: chunkCount,
  denominator: reading === "resolved" ? REPUTATION_SCALE : BigInt(chunkSize),
  meanNumerator: own,
  meanDenominator: total,
  sum,
  sumSquares,
});

/** [REP-8] x = (q1 × q2) × L; R2 = 0 if H = 0 else min(1, f(x)) (A9); then quantized ([REP-10]). */
export const r2FromTerms = (
  registers: ShareTerm,
  records: ShareTerm,
  length: number,
  honest: boolean,
  config: ReputationConfig,
): R2Score => {
  const x = registers.term * records.term * length;
  const value = componentScore(x, honest, 0, config);
  return { registers, records, x, value, fixed: toFixed(value) };
};

const checkCounts = (counts: ChunkCounts, chunkCount: number, what: string): ReputationInputError | undefined => {
  if (counts.own.length !== chunkCount || counts.all.length !== chunkCount) {
    return new ReputationInputError({
      reason: "ChunkCountMismatch",
      detail: `${what}: expected ${chunkCount} chunks, got ${counts.own.length} own and ${counts.all.length} all`,
    });
  }
  for (let i = 0; i < chunkCount; i++) {
    const own = counts.own[i] ?? -1;
    const all = counts.all[i] ?? -1;
    if (!isCount(own) || !isCount(all)) return countError(`${what} chunk ${i + 1}`, Math.min(own, all));
    if (own > all) {
      return new ReputationInputError({
        reason: "ChunkOverfull",
        detail: `${what} chunk ${i + 1}: own ${own} over all ${all}`,
      });
    }
  }
  return undefined;
};

const sumOf = (values: readonly bigint[]): bigint => values.reduce((sum, v) => sum + v, 0n);

/** One term from its definition: the values of every chunk, then the spread numerator over them. */
const termOfCounts = (
  counts: ChunkCounts,
  reading: R2Reading,
  chunkSize: number,
  literalTotalExtra: bigint,
): ShareTerm => {
  const own = counts.own.map(BigInt);
  const all = counts.all.map(BigInt);
  const values = reading === "resolved" ? own.map((o, i) => chunkShare(o, all[i] ?? 0n)) : own;
  const ownTotal = sumOf(own);
  const total = sumOf(all) + (reading === "literal" ? literalTotalExtra : 0n);
  const aggregate = r2Aggregate(reading, BigInt(own.length), chunkSize, ownTotal, total, sumOf(values), 0n);
  return shareTermFrom(
    aggregate,
    spreadNumeratorOfValues(values, aggregate.denominator, ownTotal, aggregate.meanDenominator),
  );
};

/** [REP-8] [REP-9] R2 from its definition, summing over every chunk (the from-scratch path). */
export const r2 = (input: R2Input, config: ReputationConfig): Result.Result<R2Score, ReputationInputError> => {
  if (!isCount(input.length, MAX_HEIGHT)) return Result.fail(countError("L", input.length, MAX_HEIGHT));
  const chunkCount = ceilDiv(input.length, config.chunkSize);
  const invalid =
    checkCounts(input.registers, chunkCount, "registers") ?? checkCounts(input.records, chunkCount, "records");
  if (invalid !== undefined) return Result.fail(invalid);
  const reading = config.r2Reading;
  const registerTotal = sumOf(input.registers.all.map(BigInt));
  const registers = termOfCounts(input.registers, reading, config.chunkSize, 0n);
  const records = termOfCounts(input.records, reading, config.chunkSize, registerTotal);
  return Result.succeed(r2FromTerms(registers, records, input.length, input.honest, config));
};
