/**
 * What the embedding gives a member (spec/consensus.md, [BFT-1] the embedding, [BFT-6] the application
 * contract): the group snapshot, the member's index and secret key, a signature scheme, the application's
 * pure predicates over requests and values, the parameters, and the protocol rules. The rules are the
 * quorum predicates and the re-proposal rule; production uses `DEFAULT_RULES`, and they are injectable
 * only so that negative controls can break exactly one of them.
 * Source: Decision: a sans-I/O core (ARCHITECTURE.md: "no network, clock or storage inside").
 * @module
 */
import { Data, Result } from "effect";
import type { GroupSnapshot } from "../reputation/quorum.js";
import {
  type ConsensusGroup,
  type ConsensusGroupInvalid,
  consensusGroup,
  type QuorumPredicate,
  strongQuorum,
  weakQuorum,
} from "./group.js";
import { type ConsensusParams, type ConsensusParamsInvalid, checkParams, DEFAULT_PARAMS } from "./params.js";
import { type ReproposalRule, reproposeHighestPrepared } from "./view-change.js";
import type { SignatureScheme } from "./wire.js";

/**
 * [BFT-6] The application's side of the protocol: pure functions of their arguments (and of state the
 * embedding holds fixed while a step runs). A throw counts as `false` / `undefined`.
 * Liveness needs: every honest member gives the same answers; a value an honest leader assembles is
 * valid; `assemble` settles the oldest pending request it is given.
 */
export interface Application {
  /** Is this request worth holding: well-formed, authentic, not already pinned? */
  readonly isValidRequest: (request: Uint8Array) => boolean;
  /**
   * External validity of a proposed value (e.g. "this batch is Algorithm 2's output over the submissions
   * it carries", "this keyblock extends my pinned chain"). Never asked about re-proposed values.
   */
  readonly isValidValue: (instance: number, value: Uint8Array) => boolean;
  /** Does this value, once decided, settle the request (include it, or make it moot)? */
  readonly settles: (value: Uint8Array, request: Uint8Array) => boolean;
  /** The leader's value for `instance` from pending requests (oldest first); undefined: nothing to propose. */
  readonly assemble: (instance: number, pending: readonly Uint8Array[]) => Uint8Array | undefined;
}

/** [BFT-2] [BFT-12] The rules a member applies; `DEFAULT_RULES` is the protocol. */
export interface ProtocolRules {
  readonly quorum: QuorumPredicate;
  readonly weakQuorum: QuorumPredicate;
  readonly reproposals: ReproposalRule;
}

export const DEFAULT_RULES: ProtocolRules = {
  quorum: strongQuorum,
  weakQuorum,
  reproposals: reproposeHighestPrepared,
};

export interface MemberContext {
  readonly group: ConsensusGroup;
  readonly self: number;
  readonly secretKey: Uint8Array;
  readonly crypto: SignatureScheme;
  readonly app: Application;
  readonly params: ConsensusParams;
  readonly rules: ProtocolRules;
}

export interface MemberConfig {
  readonly epoch: number;
  readonly snapshot: GroupSnapshot;
  readonly self: number;
  readonly secretKey: Uint8Array;
  readonly crypto: SignatureScheme;
  readonly app: Application;
  readonly params?: ConsensusParams;
  readonly rules?: ProtocolRules;
}

/** The member's own entry does not match its secret key, or its index is outside the group. */
export class MemberConfigInvalid extends Data.TaggedError("MemberConfigInvalid")<{ readonly detail: string }> {
  override get message(): string {
    return `member configuration: ${this.detail}`;
  }
}

/** Does `secretKey` sign for `publicKey`? A scheme that throws on the key (wrong length) says no. */
const signsFor = (crypto: SignatureScheme, secretKey: Uint8Array, publicKey: Uint8Array): boolean => {
  const probe = new Uint8Array();
  try {
    return crypto.verify(publicKey, probe, crypto.sign(secretKey, probe));
  } catch {
    return false;
  }
};

/**
 * [BFT-1] Checks a member's configuration once, before any step: the group, the parameters, the index,
 * and that the secret key signs for the key at that index (a signature of the empty message verifies).
 */
export const memberContext = (
  config: MemberConfig,
): Result.Result<MemberContext, ConsensusGroupInvalid | ConsensusParamsInvalid | MemberConfigInvalid> => {
  const group = consensusGroup(config.epoch, config.snapshot);
  if (Result.isFailure(group)) return Result.fail(group.failure);
  const params = checkParams(config.params ?? DEFAULT_PARAMS);
  if (Result.isFailure(params)) return Result.fail(params.failure);
  const member = config.snapshot.members[config.self];
  if (!Number.isInteger(config.self) || member === undefined) {
    return Result.fail(
      new MemberConfigInvalid({ detail: `index ${config.self} outside a group of ${group.success.size}` }),
    );
  }
  if (!signsFor(config.crypto, config.secretKey, member.key)) {
    return Result.fail(new MemberConfigInvalid({ detail: `the secret key does not sign for member ${config.self}` }));
  }
  return Result.succeed({
    group: group.success,
    self: config.self,
    secretKey: config.secretKey,
    crypto: config.crypto,
    app: config.app,
    params: params.success,
    rules: config.rules ?? DEFAULT_RULES,
  });
};
