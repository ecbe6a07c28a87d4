/**
 * Typed errors of the chameleon hash (spec/chameleon-hash.md, [CH-11]). Their `_tag`s are the canonical
 * error codes carried by the vectors. Malformed encodings are the codec's `DecodeError` (ENC-5); a
 * well-formed hash that does not verify is not an error: HVer answers `false`.
 * @module
 */
import { Data } from "effect";

/**
 * [CH-11] An explicitly supplied random value is out of its range (a nonce or trapdoor of zero, a
 * scalar >= n), or the values give a hash with no encoding (h2 = identity).
 */
export class ChameleonBadCoins extends Data.TaggedError("ChameleonBadCoins")<{
  /** The name of the offending value, as in the spec: x, xi, k1, e2, s2, k2, e1, s1. */
  readonly coin: string;
  readonly detail: string;
}> {
  override get message(): string {
    return `${this.coin}: ${this.detail}`;
  }
}

/** [CH-11] HCol was given a trapdoor x whose public key x·G is not the hash key Y. */
export class ChameleonTrapdoorMismatch extends Data.TaggedError("ChameleonTrapdoorMismatch")<{
  readonly detail: string;
}> {
  override get message(): string {
    return this.detail;
  }
}

/** [CH-11] HCol was asked to collide an (m, h, r) that does not verify under the hash key. */
export class ChameleonOriginalInvalid extends Data.TaggedError("ChameleonOriginalInvalid")<{
  readonly detail: string;
}> {
  override get message(): string {
    return this.detail;
  }
}
