/**
 * What a run gives its nodes (spec/model.md, [MOD-4]): the configuration and kit, the crypto service,
 * the network and the schedule's chooser, the ground truth, the registry, the reputation and group
 * rules, and the monitors' inbox. Nodes reach the outside world only through it.
 * @module
 */
import { Result } from "effect";
import type { ProtocolRules } from "../src/consensus/context.js";
import { DEFAULT_RULES } from "../src/consensus/context.js";
import type { ConsensusGroup, QuorumPredicate } from "../src/consensus/group.js";
import { bytesToHex } from "../src/crypto/bytes.js";
import type { CryptoShape } from "../src/crypto/signature.js";
import type { GroupRule } from "../src/reputation/group.js";
import { makeReputationConfig, type ReputationConfig } from "../src/reputation/params.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import type { Chooser } from "./chooser.js";
import type { RunConfig, Variant } from "./config.js";
import type { Kit } from "./kit.js";
import type { Network } from "./network.js";
import type { Observation, Truth } from "./observations.js";

export interface Env {
  readonly config: RunConfig;
  readonly kit: Kit;
  readonly crypto: CryptoShape;
  readonly network: Network;
  readonly chooser: Chooser;
  readonly truth: Truth;
  readonly institutionKeys: readonly Uint8Array[];
  /** Institution key (hex) → registry index = node id. */
  readonly institutionIndex: ReadonlyMap<string, number>;
  readonly institutionSet: ReadonlySet<string>;
  /** Node id of patient 0 (patients follow the institutions). */
  readonly patientBase: number;
  readonly reputation: ReputationConfig;
  readonly groupRule: GroupRule;
  /** The protocol rules honest nodes run (a negative control breaks one, MOD-10). */
  readonly rules: ProtocolRules;
  readonly observe: (o: Observation) => void;
  /** How many protocol instances node `node` runs (the behaviour hook's Twins routing needs it). */
  readonly machinesOf: (node: number) => number;
}

/** [MOD-10] A "2f" quorum: 2f signers, reputation ignored (the broken rule of the quorum control). */
export const twoFQuorum: QuorumPredicate = (group: ConsensusGroup, signers: readonly number[]) =>
  signers.length >= Math.max(1, 2 * group.faults);

export const rulesFor = (variant: Variant): ProtocolRules =>
  variant === "quorum-2f" ? { ...DEFAULT_RULES, quorum: twoFQuorum } : DEFAULT_RULES;

export const groupRuleOf = (config: RunConfig): GroupRule => {
  const g = config.protocol.group;
  return g.kind === "size"
    ? { _tag: "Size", size: g.size }
    : {
        _tag: "PowerShare",
        target: (BigInt(g.target_per_billion) * REPUTATION_SCALE) / 1_000_000_000n,
        minSize: g.min_size,
      };
};

export const reputationOf = (config: RunConfig): ReputationConfig =>
  Result.getOrThrow(
    makeReputationConfig({
      preset: config.protocol.reputation.preset,
      chunkSize: config.protocol.reputation.chunkSize,
    }),
  );

export const hex = bytesToHex;
