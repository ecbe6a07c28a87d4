/**
 * The event queue of a run (spec/model.md, [MOD-1]): a binary min-heap ordered by (time, sequence
 * number), so that events at the same virtual time leave in the order they were scheduled and a run is a
 * function of its schedule alone. Bounded: `push` refuses beyond `capacity` (the caller decides what a
 * full queue means, MOD-1).
 * @module
 */

export interface Timed<E> {
  readonly time_ms: number;
  readonly seq: number;
  readonly event: E;
}

const before = <E>(a: Timed<E>, b: Timed<E>): boolean =>
  a.time_ms < b.time_ms || (a.time_ms === b.time_ms && a.seq < b.seq);

export class EventHeap<E> {
  private readonly items: Timed<E>[] = [];
  private seq = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Schedules `event` at `time_ms`; false (nothing queued) when the heap is at capacity. */
  push(time_ms: number, event: E): boolean {
    if (this.items.length >= this.capacity) return false;
    const item: Timed<E> = { time_ms, seq: this.seq++, event };
    const h = this.items;
    let i = h.length;
    h.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = h[parent] as Timed<E>;
      if (!before(item, above)) break;
      h[i] = above;
      i = parent;
    }
    h[i] = item;
    return true;
  }

  peek(): Timed<E> | undefined {
    return this.items[0];
  }

  pop(): Timed<E> | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = last;
      let at = -1;
      const l = h[left];
      const r = h[right];
      if (l !== undefined && before(l, best)) {
        best = l;
        at = left;
      }
      if (r !== undefined && before(r, best)) {
        best = r;
        at = right;
      }
      if (at < 0) break;
      h[i] = best;
      i = at;
    }
    h[i] = last;
    return top;
  }
}
