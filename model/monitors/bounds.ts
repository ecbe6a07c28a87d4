/**
 * [MOD-1] [MOD-8] The model's own bounds: a message or event refused after GST because a link or the event
 * queue was full would break the reliability the liveness bounds assume, so it is reported rather than
 * silently dropped. (Before GST a refused message is just one more loss.)
 * @module
 */
import type { Monitor } from "./monitor.js";
import { NONE } from "./monitor.js";

export const boundsMonitor = (): Monitor => {
  let reported = 0;
  const monitor: Monitor = {
    name: "bounds",
    checks: 0,
    observe: () => NONE,
    tick: (ctx) => {
      monitor.checks += 1;
      const overflow = ctx.env.network.stats.overflowAfterGst;
      if (overflow <= reported) return NONE;
      reported = overflow;
      return [{ nodes: [], description: `${overflow} messages refused after GST: a link or the event queue was full` }];
    },
    final: () => NONE,
  };
  return monitor;
};
