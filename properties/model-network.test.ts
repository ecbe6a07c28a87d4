/**
 * The model's network and clock (spec/model.md, [MOD-1]) under any schedule (MOD-2): before GST a message
 * across an active partition is never delivered (a node on both sides is never cut), every delivery
 * takes 1..pre_gst_max_delay_ms (a duplicate later), and timers fire at most once, never late; from GST
 * on every message is delivered exactly once within 1..Δ ms and timers fire on time. The events leave the
 * queue in (time, sequence) order. Negative control: the same check with a bound tighter than the
 * network's must fail.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TapeChooser } from "../model/chooser.js";
import type { NetworkParams } from "../model/config.js";
import type { Message } from "../model/messages.js";
import { BOTH_SIDES, Network } from "../model/network.js";
import { failsOn, holds } from "./check.js";

const NODES = 4;
const message: Message = { _tag: "SyncRequest", epoch: 0, instance: 0 };

interface Send {
  readonly at_ms: number;
  readonly from: number;
  readonly to: number;
}

const caseArb = fc.record({
  gst_ms: fc.integer({ min: 0, max: 2_000 }),
  delta_ms: fc.integer({ min: 1, max: 50 }),
  pre_gst_max_delay_ms: fc.integer({ min: 1, max: 300 }),
  drop_per_mille: fc.nat(500),
  dup_per_mille: fc.nat(500),
  partition: fc.record({
    start_ms: fc.nat(1_000),
    length_ms: fc.nat(1_500),
    side: fc.array(fc.constantFrom(0, 1, BOTH_SIDES), { minLength: NODES, maxLength: NODES }),
  }),
  sends: fc.array(
    fc.record({ at_ms: fc.nat(3_000), from: fc.nat(NODES - 1), to: fc.nat(NODES - 1) }).filter((s) => s.from !== s.to),
    { maxLength: 40 },
  ),
  timers: fc.array(fc.record({ at_ms: fc.nat(3_000), delay_ms: fc.integer({ min: 1, max: 500 }) }), { maxLength: 8 }),
  tape: fc.array(fc.nat(1_000), { maxLength: 300 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

/** Runs the case; returns the first broken expectation, with `slack` ms subtracted from every bound. */
const firstProblem = (c: Case, slack = 0): string | undefined => {
  const end_ms = Math.min(c.gst_ms, c.partition.start_ms + c.partition.length_ms);
  const params: NetworkParams = {
    delta_ms: c.delta_ms,
    pre_gst_max_delay_ms: c.pre_gst_max_delay_ms,
    gst_ms: c.gst_ms,
    drop_per_mille: c.drop_per_mille,
    dup_per_mille: c.dup_per_mille,
    partitions: [{ start_ms: c.partition.start_ms, end_ms, side: c.partition.side }],
  };
  const net = new Network(params, new TapeChooser(c.tape));
  // stimuli drive the sends and timer settings at their times, through the queue itself
  const sends = [...c.sends].sort((a, b) => a.at_ms - b.at_ms);
  const due = new Map<number, { set_ms: number; delay_ms: number }>();
  for (const [i, s] of sends.entries()) net.schedule(s.at_ms, { _tag: "Action", patient: -1 - i, action: 0 });
  for (const [i, t] of c.timers.entries()) net.schedule(t.at_ms, { _tag: "Action", patient: i, action: 1 });
  const afterGst = new Map<string, number>();
  let last = { time: -1, seq: -1 };
  for (let guard = 0; guard < 10_000; guard++) {
    const item = net.heap.pop();
    if (item === undefined) break;
    if (item.time_ms < last.time || (item.time_ms === last.time && item.seq < last.seq))
      return `event out of order at ${item.time_ms}`;
    last = { time: item.time_ms, seq: item.seq };
    net.now_ms = item.time_ms;
    const e = item.event;
    if (e._tag === "Action" && e.action === 0) {
      const s = sends[-1 - e.patient] as Send;
      const id = `${s.from}>${s.to}@${net.now_ms}`;
      if (net.afterGst) afterGst.set(id, (afterGst.get(id) ?? 0) + 1);
      net.send(s.from, s.to, message);
    } else if (e._tag === "Action") {
      const t = c.timers[e.patient] as { delay_ms: number };
      due.set(e.patient, { set_ms: net.now_ms, delay_ms: t.delay_ms });
      net.setTimer(0, `t${e.patient}`, t.delay_ms);
    } else if (e._tag === "Timer") {
      if (!net.fires(e.node, e.name, e.generation)) continue;
      const t = due.get(Number(e.name.slice(1)));
      if (t === undefined) return `unknown timer ${e.name}`;
      const late = net.now_ms - t.set_ms - t.delay_ms;
      if (late > 0) return `timer ${e.name} fired ${late} ms late`;
      if (t.set_ms >= c.gst_ms && late < -slack) return `timer ${e.name} set after GST fired early`;
    } else if (e._tag === "Deliver") {
      net.delivered(e.from, e.to);
      const took = net.now_ms - e.sent_ms;
      const a = c.partition.side[e.from] ?? 0;
      const b = c.partition.side[e.to] ?? 0;
      const cut = a !== b && a !== BOTH_SIDES && b !== BOTH_SIDES;
      if (e.sent_ms < c.gst_ms) {
        if (cut && e.sent_ms >= c.partition.start_ms && e.sent_ms < end_ms) return `delivered across the partition`;
        if (took < 1 || took > 2 * c.pre_gst_max_delay_ms + 1) return `delivered in ${took} ms before GST`;
      } else {
        const id = `${e.from}>${e.to}@${e.sent_ms}`;
        const left = (afterGst.get(id) ?? 0) - 1;
        if (left < 0) return `a message sent after GST delivered twice`;
        afterGst.set(id, left);
        if (took < 1 || took > c.delta_ms - slack) return `delivered in ${took} ms after GST (Δ = ${c.delta_ms})`;
      }
    }
  }
  const lost = [...afterGst.values()].reduce((sum, n) => sum + n, 0);
  return lost > 0 ? `${lost} messages sent after GST never delivered` : undefined;
};

describe("[MOD-1] the network and the clock", () => {
  it("[MOD-1] [MOD-2] partitions cut before GST (not a node on both sides); after GST every message arrives once within Δ; timers never late", () => {
    holds(
      "model network",
      fc.property(caseArb, (c) => firstProblem(c) === undefined),
      { numRuns: 300 },
    );
  });

  it("[MOD-1] negative control: the check catches a delivery bound tighter than the network's", () => {
    const found = failsOn(
      "model network control",
      fc.property(caseArb, (c) => firstProblem(c, Math.ceil(c.delta_ms / 2)) === undefined),
      300,
    );
    expect(firstProblem(found.value[0], Math.ceil(found.value[0].delta_ms / 2))).toMatch(/after GST/);
  });
});
