/**
 * Typed errors of record sealing and sharing (spec/sharing.md, [SHARE-1], [SHARE-3], [SHARE-4], [SHARE-6]).
 * Their `_tag`s are the canonical error codes of the sharing rules (CONV-3).
 * @module
 */
import { Data } from "effect";

/** [SHARE-1] A wrapped data key that does not open to exactly 32 bytes. */
export class EpochKeyInvalid extends Data.TaggedError("EpochKeyInvalid")<{ readonly detail: string }> {
  override get message(): string {
    return `epoch key invalid: ${this.detail}`;
  }
}

/** [SHARE-4] Stored bytes whose content address is not the record's pointer. */
export class PointerMismatch extends Data.TaggedError("PointerMismatch")<{ readonly detail: string }> {
  override get message(): string {
    return `pointer mismatch: ${this.detail}`;
  }
}

/** [SHARE-3] The record's AEAD does not open under the data key and the record's epoch header. */
export class RecordOpenFailed extends Data.TaggedError("RecordOpenFailed")<{ readonly detail: string }> {
  override get message(): string {
    return `record does not open: ${this.detail}`;
  }
}

/** [SHARE-6] No epoch number is left to rotate to (u32). */
export class EpochLimit extends Data.TaggedError("EpochLimit")<{ readonly detail: string }> {
  override get message(): string {
    return `epoch limit: ${this.detail}`;
  }
}
