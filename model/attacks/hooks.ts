/**
 * What the attackers of attacks/scenarios.ts do when they enter an epoch (spec/model.md, [MOD-7]; SPChain
 * §4.3 and §6.3, the flash, 51 %, selfish-mining, Sybil, reputation-fraud and inhibition attacks):
 * - a flash attacker, while its rented majority lasts, mines a second keyblock for a height that is
 *   already pinned (over the chain as it was before that pin) and sends it to everyone: a rewrite of a
 *   pinned block, which the ledger refuses (PIN-6, CHAIN-5);
 * - a reputation fraudster registers a fresh patient key under the identity commitment of one of its
 *   zombies, which is already on chain: a second registration of one identity, which every miner and
 *   validator refuses (TX-3, CHAIN-4 step 9).
 * Every attempt is kept in the run's attack log (by its id), so that a scenario can check afterwards, on
 * the honest nodes' chains, that none of them was pinned; the outcome it reports is the ledger's own
 * verdict on the attempt, computed with the honest code.
 * @module
 */
import { Result } from "effect";
import { bytesEqual, bytesToHex, utf8ToBytes } from "../../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../../src/crypto/hash.js";
import { keyPairFromSeed } from "../../src/crypto/signature.js";
import { applyKeyblockWith } from "../../src/ledger/apply-keyblock.js";
import { type Keyblock, keyblockId } from "../../src/ledger/keyblock.js";
import { mineKeyblock } from "../../src/ledger/mine.js";
import { type ChainState, hasIdentity } from "../../src/ledger/state.js";
import { signTransaction, transactionId } from "../../src/ledger/transaction.js";
import { checkRegister } from "../../src/ledger/validate-tx.js";
import type { Env } from "../env.js";
import type { InstitutionNode } from "../institution.js";

/** Ledger states a flash attacker keeps to mine over (the newest few). */
export const FLASH_SNAPSHOTS = 4;
/** Duplicate registrations a fraudster tries, at most (one per epoch). */
export const FRAUD_DUPLICATES_MAX = 8;

export interface RewriteAttempt {
  readonly attacker: number;
  readonly height: number;
  readonly id: Uint8Array;
  /** The ledger's verdict on the attacker's own (pinned) chain. */
  readonly verdict: string;
}

export interface DuplicateAttempt {
  readonly attacker: number;
  readonly txid: Uint8Array;
  readonly identity: Uint8Array;
  readonly verdict: string;
}

/** The run's record of attack attempts (read by the scenario measurements). */
export interface AttackLog {
  readonly rewrites: RewriteAttempt[];
  readonly duplicates: DuplicateAttempt[];
}

const logs = new WeakMap<Env, AttackLog>();

export const attackLog = (env: Env): AttackLog => {
  let log = logs.get(env);
  if (log === undefined) {
    log = { rewrites: [], duplicates: [] };
    logs.set(env, log);
  }
  return log;
};

const snapshots = new WeakMap<InstitutionNode, ChainState[]>();

const verdictOf = (node: InstitutionNode, kb: Keyblock): string => {
  const applied = applyKeyblockWith(node.env.crypto, node.ledger, kb);
  return Result.isFailure(applied) ? applied.failure._tag : "ACCEPTED";
};

/** [PIN-6] A keyblock for the newest pinned height it can mine over, other than the pinned one, sent to all. */
const tryRewrite = (node: InstitutionNode, spec: { readonly from_ms: number; readonly until_ms: number }): void => {
  const kept = snapshots.get(node) ?? [];
  snapshots.set(node, kept);
  const now = node.env.network.now_ms;
  if (now >= spec.from_ms && now < spec.until_ms) {
    for (let back = kept.length - 1; back >= 0; back--) {
      const state = kept[back] as ChainState;
      const start = BigInt(node.env.chooser.next(1 << 30));
      const mined = mineKeyblock(node.env.crypto, state, node.account.signing.publicKey, [], start);
      if (Result.isFailure(mined)) continue;
      const kb = mined.success;
      const id = keyblockId(kb.header);
      const pinned = node.ledger.keyblocks.get(kb.header.height);
      if (pinned === undefined || bytesEqual(pinned.id, id)) continue;
      const verdict = verdictOf(node, kb);
      attackLog(node.env).rewrites.push({ attacker: node.id, height: kb.header.height, id, verdict });
      node.env.observe({
        _tag: "Attack",
        node: node.id,
        attack: "rented hash majority mines a keyblock for a pinned height (rewrite)",
        outcome: `refused by every ledger: ${verdict} (PIN-6)`,
      });
      node.toInstitutions({ _tag: "Keyblock", keyblock: kb });
      break;
    }
  }
  kept.push(node.ledger);
  if (kept.length > FLASH_SNAPSHOTS) kept.shift();
};

/** [TX-3] A fresh patient key registered under a zombie's identity commitment that is already on chain. */
const tryDuplicate = (node: InstitutionNode): void => {
  const log = attackLog(node.env);
  const mine = log.duplicates.filter((d) => d.attacker === node.id).length;
  if (mine >= FRAUD_DUPLICATES_MAX) return;
  const zombie = node.env.config.patients.findIndex((spec, p) => {
    const identity = node.env.kit.patients[p]?.identity;
    return spec.colludesWith === node.id && identity !== undefined && hasIdentity(node.ledger, identity);
  });
  const identity = node.env.kit.patients[zombie]?.identity;
  if (zombie < 0 || identity === undefined) return;
  const seed = taggedHash(TAGS.VECTOR_RNG, utf8ToBytes(`spchain-model-duplicate|${node.id}|${mine}`));
  const fresh = keyPairFromSeed(node.env.crypto, seed);
  const tx = signTransaction(node.env.crypto, fresh.secretKey, {
    _tag: "register",
    patientKey: fresh.publicKey,
    identity,
    institution: node.id,
    round: node.epoch,
    fee: node.ledger.config.min_fee.register,
  });
  const txid = transactionId(tx);
  const refused = checkRegister(node.env.crypto, node.ledger, node.epoch, tx, txid, {
    ids: new Set(),
    identities: new Set(),
    keys: new Set(),
  });
  const verdict = refused === undefined ? "ACCEPTED" : refused._tag;
  log.duplicates.push({ attacker: node.id, txid, identity, verdict });
  node.env.observe({
    _tag: "Attack",
    node: node.id,
    attack: "zombie identity registered a second time (reputation fraud)",
    outcome: `refused by every miner and validator: ${verdict} (TX-3)`,
  });
  node.mempool.set(bytesToHex(txid), tx);
  node.toInstitutions({ _tag: "Register", tx });
};

/** [MOD-7] The attack an institution makes on entering an epoch, by its behaviour. */
export const attackOnEpoch = (node: InstitutionNode): void => {
  const spec = node.behaviour.spec;
  if (!node.behaviour.alive) return;
  if (spec.kind === "flash") tryRewrite(node, spec);
  else if (spec.kind === "fraud") tryDuplicate(node);
};
