/**
 * Arbitraries shared by the reputation, group, batching and rewards properties: identities, small
 * configurations whose sigmoid moves within short histories, and valid event histories
 * (spec/reputation.md, REP-12).
 * @module
 */
import { Result } from "effect";
import fc from "fast-check";
import type { ReputationEvent } from "../src/reputation/events.js";
import { makeReputationConfig, type ReputationConfig } from "../src/reputation/params.js";

/** The i-th test identity: a 32-byte key with its index in the first two bytes. */
export const identity = (i: number): Uint8Array => {
  const key = new Uint8Array(32);
  key[0] = i >> 8;
  key[1] = i & 0xff;
  key[31] = 0x5a;
  return key;
};

/** Small (a, lambda) and chunk sizes, so that short histories cross the inflection and chunk edges. */
export const arbConfig = (reading?: "resolved" | "literal"): fc.Arbitrary<ReputationConfig> =>
  fc
    .record({
      a: fc.integer({ min: 0, max: 40 }),
      lambda: fc.integer({ min: 1, max: 60 }),
      chunkSize: fc.integer({ min: 1, max: 6 }),
      r2Reading: reading === undefined ? fc.constantFrom("resolved", "literal") : fc.constant(reading),
      zeroWhenInactive: fc.boolean(),
    })
    .map((input) => Result.getOrThrow(makeReputationConfig(input)));

type Step =
  | { readonly kind: "kb"; readonly miner: number; readonly registers: readonly number[] }
  | { readonly kind: "rec"; readonly receiver: number }
  | { readonly kind: "lead"; readonly leader: number; readonly created: number; readonly missing: number }
  | { readonly kind: "fraud"; readonly offender: number }
  | { readonly kind: "ext"; readonly institution: number; readonly ext: number };

const arbStep = (institutions: number): fc.Arbitrary<Step> => {
  const who = fc.nat({ max: institutions - 1 });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("kb" as const),
        miner: who,
        registers: fc.array(who, { maxLength: 4 }),
      }),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("rec" as const), receiver: who }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("lead" as const),
        leader: who,
        created: fc.nat({ max: 4 }),
        missing: fc.nat({ max: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("fraud" as const), offender: who }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("ext" as const),
        institution: who,
        ext: fc.nat({ max: 1_000_000_000 }),
      }),
    },
  );
};

/** Turns steps into a valid event list: a record or leader term with nothing to refer to becomes a keyblock. */
export const toEvents = (steps: readonly Step[]): ReputationEvent[] => {
  const events: ReputationEvent[] = [];
  let length = 0;
  let lastLeader = 0;
  const keyblock = (miner: number, registers: readonly number[]) => {
    length += 1;
    events.push({ _tag: "KeyblockPinned", height: length, miner: identity(miner), registers: registers.map(identity) });
  };
  for (const step of steps) {
    if (step.kind === "kb") keyblock(step.miner, step.registers);
    else if (step.kind === "rec") {
      if (length === 0) keyblock(step.receiver, []);
      else events.push({ _tag: "RecordPinned", epoch: length, receiver: identity(step.receiver) });
    } else if (step.kind === "lead") {
      if (lastLeader >= length) keyblock(step.leader, [step.leader]);
      else {
        lastLeader += 1;
        events.push({
          _tag: "LeaderTerm",
          epoch: lastLeader,
          leader: identity(step.leader),
          created: step.created,
          expected: step.created + step.missing,
        });
      }
    } else if (step.kind === "fraud") events.push({ _tag: "FraudRecorded", offender: identity(step.offender) });
    else events.push({ _tag: "ExternalReputationSet", institution: identity(step.institution), ext: BigInt(step.ext) });
  }
  return events;
};

/** A valid history over at most `institutions` identities. */
export const arbHistory = (institutions = 5, maxSteps = 60, withFraud = true): fc.Arbitrary<ReputationEvent[]> =>
  fc
    .array(arbStep(institutions), { maxLength: maxSteps })
    .map((steps) => toEvents(withFraud ? steps : steps.filter((s) => s.kind !== "fraud")));

/** The same history cut into consecutive slices (for `applyEvents` in several calls). */
export const arbSplit = (events: readonly ReputationEvent[]): fc.Arbitrary<ReputationEvent[][]> =>
  fc.array(fc.nat({ max: events.length }), { maxLength: 6 }).map((cuts) => {
    const points = [...new Set([0, ...cuts, events.length])].sort((x, y) => x - y);
    return points.slice(1).map((end, i) => events.slice(points[i] ?? 0, end));
  });
