/**
 * The bounded key cache of the node:crypto fast path (spec/signatures.md, [SIG-7]): imported keys are
 * costly to build (an OpenSSL import costs about one verification for a public key and a scalar
 * multiplication for a secret key), so they are kept, but never more than `capacity` of them, least
 * recently used first out, so that a flood of distinct keys cannot grow a node's memory.
 * @module
 */

export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be >= 1: ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, refreshed as the most recently used; undefined when absent. */
  lookup(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) return undefined;
    // Re-inserting moves the key to the end of the Map's insertion order: the most recent end.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  /** Caches `value` under `key`, evicting the least recently used entry when full; returns `value`. */
  insert(key: string, value: V): V {
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
