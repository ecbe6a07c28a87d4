/**
 * Where every nondeterministic choice of a run comes from (spec/model.md, [MOD-2] the schedule): a
 * `Chooser` answers "a number in [0, bound)". Two implementations:
 * - `TapeChooser`: a fast-check-generated array of small integers, consumed in order; once used up every
 *   answer is 0, the benign default (no drop, shortest delay, no early timer). Shrinking a tape toward
 *   fewer entries therefore makes a schedule more benign, and counterexamples shrink to the choices that
 *   matter.
 * - `SeededChooser`: the project's seeded SHA-256 counter generator (HASH-4's `seededSource`), for long
 *   runs and `npm start`. Never Math.random.
 * Either way, the same tape or seed replays a run exactly.
 * @module
 */
import { seededSource } from "../src/crypto/random.js";

export interface Chooser {
  /** [MOD-2] A choice in [0, bound); bound is a positive safe integer. */
  readonly next: (bound: number) => number;
  /** How many choices were made (reports and regression vectors). */
  readonly used: () => number;
}

const checkBound = (bound: number): void => {
  if (!Number.isSafeInteger(bound) || bound < 1) throw new RangeError(`chooser: bound must be >= 1, got ${bound}`);
};

/** [MOD-2] The tape: entry i answers the i-th choice modulo its bound; 0 after the end. */
export class TapeChooser implements Chooser {
  private at = 0;
  private count = 0;
  constructor(private readonly tape: readonly number[]) {}
  next(bound: number): number {
    checkBound(bound);
    this.count += 1;
    const value = this.tape[this.at];
    if (value === undefined) return 0;
    this.at += 1;
    return value % bound;
  }
  used(): number {
    return this.count;
  }
}

/** Bytes drawn per refill of the seeded chooser: 64 blocks of SHA-256 output. */
const SEEDED_REFILL_BYTES = 2048;

/** [MOD-2] Uniform choices from the seeded generator (48 bits per choice, so every bound below 2^32 is fair to 2^-16). */
export class SeededChooser implements Chooser {
  private readonly source;
  private buffer: Uint8Array = new Uint8Array(0);
  private at = 0;
  private count = 0;
  constructor(seed: Uint8Array) {
    this.source = seededSource(seed);
  }
  next(bound: number): number {
    checkBound(bound);
    this.count += 1;
    if (this.at + 6 > this.buffer.length) {
      this.buffer = this.source.bytes(SEEDED_REFILL_BYTES);
      this.at = 0;
    }
    let value = 0;
    for (let i = 0; i < 6; i++) value = value * 256 + (this.buffer[this.at + i] ?? 0);
    this.at += 6;
    return value % bound;
  }
  used(): number {
    return this.count;
  }
}

/** True with probability `per_mille`/1000; 0 (the tape's default) answers false. */
export const chance = (chooser: Chooser, per_mille: number): boolean =>
  per_mille > 0 && chooser.next(1000) >= 1000 - per_mille;

/** An index drawn with probability proportional to `weights` (non-negative integers, positive sum); 0 → the first positive. */
export const weightedIndex = (chooser: Chooser, weights: readonly number[]): number => {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new RangeError("weightedIndex: weights must have a positive sum");
  let pick = chooser.next(total);
  for (const [index, weight] of weights.entries()) {
    if (pick < weight) return index;
    pick -= weight;
  }
  return weights.length - 1;
};
