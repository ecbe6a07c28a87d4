/**
 * A bounded memory of batch placements (spec/chain.md [CHAIN-7]; spec/pins.md [PIN-4]): what placing a batch's
 * transactions on a state gave, for the next call with the same state and the same transactions. A consensus
 * member checks a proposed batch (`proposedBatchRoot`) and, once it is pinned, applies it (`applyBatchWith`)
 * to the same state: with a memo the second call takes the first one's placement instead of checking every
 * transaction again.
 *
 * Why a hit can never accept what applying would reject: placing is a pure function of the state, the
 * transactions and the crypto that checks their signatures. The state is immutable (structural sharing, a
 * transition returns a new object), so the same object is the same state; the crypto is matched by identity;
 * the transactions by their ids, SHA-256 of their complete encodings (TX-7), compared in full, so a batch
 * that differs in any byte, in order or in length misses and is checked in full. A hit therefore returns
 * exactly what recomputing would. Only successful placements are kept; the certificate, the group and the
 * batch root are still checked on every apply.
 * @module
 */
import { bytesEqual } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { ChainState } from "./state.js";

/** How many placements a memo keeps by default: a few batches in flight per member. */
export const PLACEMENT_MEMO_ENTRIES = 4;

interface Remembered<T> {
  readonly state: ChainState;
  readonly crypto: CryptoShape;
  readonly ids: readonly Uint8Array[];
  readonly value: T;
}

const sameIds = (a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!bytesEqual(a[i] as Uint8Array, b[i] as Uint8Array)) return false;
  return true;
};

/** What `proposedBatchRoot` and `applyBatchWith` ask of a memory of placements. */
export interface PlacementMemory<T> {
  /** The value remembered for exactly this state object, crypto object and list of ids, if any. */
  readonly lookup: (state: ChainState, crypto: CryptoShape, ids: readonly Uint8Array[]) => T | undefined;
  readonly remember: (state: ChainState, crypto: CryptoShape, ids: readonly Uint8Array[], value: T) => void;
}

/** [CHAIN-7] At most `capacity` placements, the oldest forgotten first. */
export class PlacementMemo<T> implements PlacementMemory<T> {
  private readonly entries: Remembered<T>[] = [];

  constructor(readonly capacity: number = PLACEMENT_MEMO_ENTRIES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`placement memo capacity ${capacity}`);
  }

  get size(): number {
    return this.entries.length;
  }

  readonly lookup = (state: ChainState, crypto: CryptoShape, ids: readonly Uint8Array[]): T | undefined => {
    for (const entry of this.entries) {
      if (entry.state === state && entry.crypto === crypto && sameIds(entry.ids, ids)) return entry.value;
    }
    return undefined;
  };

  readonly remember = (state: ChainState, crypto: CryptoShape, ids: readonly Uint8Array[], value: T): void => {
    if (this.entries.length >= this.capacity) this.entries.shift();
    this.entries.push({ state, crypto, ids, value });
  };
}
