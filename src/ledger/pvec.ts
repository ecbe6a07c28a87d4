/**
 * A persistent vector (spec/chain.md [CHAIN-2], spec/retrieval.md [RET-1]): a 32-way trie indexed by position,
 * with path copying. `get` reads at most ceil(log32 n) + 1 arrays (4 levels for a million entries), `set` and
 * `push` copy one path, and every version shares all other nodes with the previous one, so keeping or
 * branching a chain state costs O(1). Used for the patient slots by block number and the pinned keyblocks by
 * height.
 * @module
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** Positions are u32: block numbers and heights. */
const MAX_SIZE = 0xffff_ffff;

type Node = readonly unknown[];

const setIn = (node: Node, shift: number, index: number, value: unknown): Node => {
  const copy = node.slice();
  const slot = (index >>> shift) & MASK;
  copy[slot] = shift === 0 ? value : setIn((node[slot] as Node | undefined) ?? [], shift - BITS, index, value);
  return copy;
};

export class PersistentVector<T> {
  private constructor(
    readonly size: number,
    private readonly shift: number,
    private readonly root: Node,
  ) {}

  static empty<T>(): PersistentVector<T> {
    return new PersistentVector<T>(0, 0, []);
  }

  /** Builds a vector from an array in O(n), level by level (for bulk loads); an array never exceeds MAX_SIZE. */
  static from<T>(items: readonly T[]): PersistentVector<T> {
    let level: Node[] = [];
    for (let i = 0; i < items.length; i += WIDTH) level.push(items.slice(i, i + WIDTH));
    let shift = 0;
    while (level.length > 1) {
      const parents: Node[] = [];
      for (let i = 0; i < level.length; i += WIDTH) parents.push(level.slice(i, i + WIDTH));
      level = parents;
      shift += BITS;
    }
    return new PersistentVector<T>(items.length, shift, level[0] ?? []);
  }

  /** The entry at `index`, or undefined outside [0, size). */
  get(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    let node = this.root;
    for (let shift = this.shift; shift > 0; shift -= BITS) node = node[(index >>> shift) & MASK] as Node;
    return node[index & MASK] as T;
  }

  /** A new vector with `value` at `index` (which must be in [0, size)). */
  set(index: number, value: T): PersistentVector<T> {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`index ${index} outside a vector of ${this.size}`);
    }
    return new PersistentVector<T>(this.size, this.shift, setIn(this.root, this.shift, index, value));
  }

  /** A new vector with `value` appended. */
  push(value: T): PersistentVector<T> {
    if (this.size >= MAX_SIZE) throw new RangeError(`a vector holds at most ${MAX_SIZE} entries`);
    const full = this.size === 2 ** (this.shift + BITS);
    const root = full ? [this.root] : this.root;
    const shift = full ? this.shift + BITS : this.shift;
    return new PersistentVector<T>(this.size + 1, shift, setIn(root, shift, this.size, value));
  }

  /** The last entry, if any. */
  last(): T | undefined {
    return this.get(this.size - 1);
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.get(i) as T;
  }
}
