/**
 * The behaviour hook (spec/model.md, [MOD-7]): every institution node runs the honest code and consults
 * its behaviour at fixed decision points. A behaviour is a set of overrides of the honest answers; the
 * adversaries of the paper are behaviours, and a new one is added by writing its overrides here and a
 * `BehaviourSpec` variant (JSON, so that schedules and regression vectors can name it).
 *
 * Decision points (the hook):
 * - `alive`: a node that is not alive takes no input, sends nothing and mines nothing (a crash);
 * - `machines`, `inbound`, `outbound`: how many protocol instances the node runs with its one key, which
 *   of them gets a consensus message from a node, and which nodes a machine's messages reach (Twins);
 * - `app`: the application (BFT-6) a machine runs: what the node proposes and accepts;
 * - `machineTimer`: which of its own timers a machine is told about;
 * - `mined`: whether a keyblock the node found is published now or held back;
 * - `serve`: what the node, as custodian, returns for a stored ciphertext;
 * - `curious`: whether it tries to decrypt every ciphertext it handles;
 * - `duties`: whether it publishes its leader seed and creates its microblocks when due;
 * - `forgeAgainst`: an institution whose records it tries to relabel with its own trapdoor;
 * - `hashShare`: the hash power it mines with at a time (a flash attacker rents more for a while);
 * - the epoch hook of attacks.ts: what it does on entering each epoch (rewrites, duplicate registrations).
 * @module
 */

import { Result } from "effect";
import type { Application } from "../src/consensus/context.js";
import { bytesToHex } from "../src/crypto/bytes.js";
import { transactionId } from "../src/ledger/transaction.js";
import type { Chooser } from "./chooser.js";
import { decodeRequest, decodeValue, encodeBody, selectedTransactions } from "./values.js";

export type BehaviourSpec =
  | { readonly kind: "honest" }
  /** Crashed from the start. */
  | { readonly kind: "silent" }
  /** Twins: two protocol instances with one key; before GST each talks to one side, after GST both to all. */
  | { readonly kind: "equivocate"; readonly side: readonly number[] }
  /** A leader that leaves the victim's transactions out: of the table ("omit") or of the selection ("bend"). */
  | { readonly kind: "censor"; readonly victim: number; readonly mode: "omit" | "bend" }
  /** A custodian that alters ("flip") or withholds ciphertexts it serves. */
  | { readonly kind: "tamper"; readonly mode: "flip" | "withhold" }
  /** An institution that tries to decrypt every ciphertext it handles. */
  | { readonly kind: "curious" }
  /** A miner that withholds each keyblock it finds until its height is pinned, then releases it. */
  | { readonly kind: "selfish" }
  /** An institution that, with its colluding patients, tries to relabel the victim's records. */
  | { readonly kind: "forger"; readonly victim: number }
  /** One of several identities of one attacker (`owner`), each with a part of its hash power (Sybil). */
  | { readonly kind: "sybil"; readonly owner: number }
  /**
   * A flash attacker: it rents `rented` units of hash power in [from_ms, until_ms) (a majority, when that
   * is more than everyone else's), and tries to replace pinned keyblocks with ones it mines (attacks.ts).
   */
  | { readonly kind: "flash"; readonly from_ms: number; readonly until_ms: number; readonly rented: number }
  /** Reputation fraud: zombie patients (colludesWith) register and consult here; duplicate identities tried. */
  | { readonly kind: "fraud" };

export type BehaviourName = BehaviourSpec["kind"];

export interface HookContext {
  readonly now_ms: number;
  readonly gst_ms: number;
  readonly chooser: Chooser;
  /** How many protocol instances a node runs (2 for a Twins pair). */
  readonly machinesOf: (node: number) => number;
}

/** What the application hook is given: registry keys, which of the node's machines it serves, a reporter. */
export interface AppHookContext {
  readonly keyOf: (institution: number) => string;
  readonly machine: number;
  /** Records an attack attempt and what is expected to stop it (for the report). */
  readonly report: (attack: string, outcome: string) => void;
}

export interface Behaviour {
  readonly spec: BehaviourSpec;
  readonly honest: boolean;
  readonly alive: boolean;
  readonly machines: number;
  /** Machines (0..machines-1) that receive a consensus message from node `from`'s instance `lane` (MOD-7). */
  readonly inbound: (from: number, lane: number, ctx: HookContext) => readonly number[];
  /** Does machine `k`'s message to node `to` go out? */
  readonly outbound: (k: number, to: number, ctx: HookContext) => boolean;
  readonly app: (honest: Application, ctx: AppHookContext) => Application;
  readonly machineTimer: (name: string) => boolean;
  readonly mined: () => "publish" | "withhold";
  readonly serve: (blob: Uint8Array, ctx: HookContext) => Uint8Array | undefined;
  readonly curious: boolean;
  readonly duties: boolean;
  readonly forgeAgainst: number | undefined;
  /** Whether the node, on each proposal it receives, also signs a PREPARE for another value (equivocation). */
  readonly doubleVotes: boolean;
  /** The hash power the node mines with at `now_ms`, given its configured share. */
  readonly hashShare: (share: number, now_ms: number) => number;
}

const ALL_MACHINES: readonly number[] = [0];

const HONEST: Behaviour = {
  spec: { kind: "honest" },
  honest: true,
  alive: true,
  machines: 1,
  inbound: () => ALL_MACHINES,
  outbound: () => true,
  app: (honest) => honest,
  machineTimer: () => true,
  mined: () => "publish",
  serve: (blob) => blob,
  curious: false,
  duties: true,
  forgeAgainst: undefined,
  doubleVotes: false,
  hashShare: (share) => share,
};

const sideOf = (side: readonly number[], node: number): number => ((side[node] ?? 0) === 1 ? 1 : 0);

/** [MOD-7] The censoring application: the honest one, with the victim's transactions taken out. */
const isVictims = (request: Uint8Array, victimKey: string, keyOf: (institution: number) => string): boolean => {
  const decoded = decodeRequest(request);
  return (
    Result.isSuccess(decoded) &&
    decoded.success._tag === "Record" &&
    keyOf(decoded.success.tx.institution) === victimKey
  );
};

const censoringApp = (
  honest: Application,
  victimKey: string,
  mode: "omit" | "bend",
  ctx: AppHookContext,
): Application => ({
  ...honest,
  assemble: (instance, pending) => {
    const { keyOf } = ctx;
    if (mode === "omit") {
      const kept = pending.filter((request) => !isVictims(request, victimKey, keyOf));
      if (kept.length < pending.length) {
        ctx.report(
          "leader omits an institution's submissions from the batch table",
          "request timers at honest members: view change (BFT-18)",
        );
      }
      return kept.length === 0 ? undefined : honest.assemble(instance, kept);
    }
    const value = honest.assemble(instance, pending);
    if (value === undefined) return value;
    const decoded = decodeValue(value);
    if (Result.isFailure(decoded) || decoded.success._tag !== "Body" || decoded.success.body.batch === undefined)
      return value;
    const { body } = decoded.success;
    const batch = body.batch;
    if (batch === undefined) return value;
    const chosen = selectedTransactions(batch) ?? [];
    const selected = chosen.filter((tx) => keyOf(tx.institution) !== victimKey).map(transactionId);
    if (selected.length === chosen.length) return value;
    ctx.report(
      "leader bends Algorithm 2's selection (drops an institution's records)",
      "honest members refuse the proposal: not Algorithm 2's batch (BAT-4)",
    );
    return encodeBody({ ...body, batch: { ...batch, selected } });
  },
  // The censor asks its own application whether its bent proposal is valid: it says yes.
  isValidValue: mode === "bend" ? () => true : honest.isValidValue,
});

/** [MOD-7] The behaviour of a spec. */
export const behaviourOf = (spec: BehaviourSpec): Behaviour => {
  switch (spec.kind) {
    case "honest":
      return HONEST;
    case "silent":
      return { ...HONEST, spec, honest: false, alive: false, duties: false, mined: () => "withhold" };
    case "equivocate":
      return {
        ...HONEST,
        spec,
        honest: false,
        machines: 2,
        doubleVotes: true,
        // Twins: before GST instance k talks to the nodes of side k and to instance k of other pairs; after, to all
        inbound: (from, lane, ctx) =>
          ctx.now_ms >= ctx.gst_ms ? [0, 1] : lane > 0 ? [lane - 1] : [sideOf(spec.side, from)],
        outbound: (k, to, ctx) => ctx.now_ms >= ctx.gst_ms || ctx.machinesOf(to) > 1 || sideOf(spec.side, to) === k,
        // as leader, the second instance proposes another value for the same slot: the requests without the
        // oldest, or the empty no-op; it accepts its own proposals whatever they are
        app: (honest, ctx) => {
          if (ctx.machine === 0) return honest;
          return {
            ...honest,
            isValidValue: () => true,
            assemble: (instance, pending) => {
              ctx.report(
                "equivocation: two proposals for one slot (Twins)",
                "evidence (BFT-14), proof of fraud on chain, R = 0 (REP-11)",
              );
              return (
                (pending.length > 1 ? honest.assemble(instance, pending.slice(1)) : undefined) ?? new Uint8Array(0)
              );
            },
          };
        },
      };
    case "censor":
      return {
        ...HONEST,
        spec,
        honest: false,
        app: (honest, ctx) => censoringApp(honest, ctx.keyOf(spec.victim), spec.mode, ctx),
        // it never suspects itself over the requests it leaves out
        machineTimer: (name) => !name.startsWith("request:"),
      };
    case "tamper":
      return {
        ...HONEST,
        spec,
        honest: false,
        serve: (blob, ctx) => {
          if (spec.mode === "withhold") return undefined;
          const altered = blob.slice();
          const at = ctx.chooser.next(altered.length);
          altered[at] = (altered[at] ?? 0) ^ (1 + ctx.chooser.next(255));
          return altered;
        },
      };
    case "curious":
      return { ...HONEST, spec, honest: false, curious: true };
    case "selfish":
      return { ...HONEST, spec, honest: false, mined: () => "withhold" };
    case "forger":
      return { ...HONEST, spec, honest: false, forgeAgainst: spec.victim };
    // the Sybil identities and the fraudster follow the protocol: their attacks are their numbers
    case "sybil":
    case "fraud":
      return { ...HONEST, spec, honest: false };
    case "flash":
      return {
        ...HONEST,
        spec,
        honest: false,
        hashShare: (share, now_ms) => (now_ms >= spec.from_ms && now_ms < spec.until_ms ? share + spec.rented : share),
      };
  }
};

/** The hex key of an institution by index (behaviours compare keys, the ledger indices). */
export const keyHex = (key: Uint8Array): string => bytesToHex(key);
