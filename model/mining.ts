/**
 * Mining and keyblock gossip (spec/model.md, [MOD-3]): when the mining process draws this node, it mines
 * the next keyblock over its pinned tip with the register transactions of its mempool (real proof of work
 * at the chain's small difficulty, src/ledger/mine.ts) and publishes it to every institution, unless its
 * behaviour holds it back. Keyblocks that arrive become ledger candidates; members submit them to the
 * group, which pins the first one it decides (CHAIN-4, CHAIN-5). A keyblock for a height already pinned
 * conflicts with the pin and is refused (PIN-6), which is what stops withholding and selfish mining.
 * @module
 */
import { Result } from "effect";
import { bytesToHex } from "../src/crypto/bytes.js";
import { applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import { type Keyblock, keyblockId, meetsDifficulty, powDigest } from "../src/ledger/keyblock.js";
import { mineKeyblock } from "../src/ledger/mine.js";
import { lookupTx } from "../src/ledger/state.js";
import { type RegisterTx, transactionId } from "../src/ledger/transaction.js";
import { checkRegister, type RegisterSeen } from "../src/ledger/validate-tx.js";
import type { InstitutionNode } from "./institution.js";
import { encodeRequest } from "./values.js";

/** [CHAIN-4] step 9: the mempool's register transactions that the next keyblock can carry, in arrival order. */
const pickRegisters = (node: InstitutionNode): RegisterTx[] => {
  const seen: RegisterSeen = { ids: new Set(), identities: new Set(), keys: new Set() };
  const picked: RegisterTx[] = [];
  const max = node.env.config.mining.max_registers;
  for (const [key, tx] of node.mempool) {
    if (picked.length >= max) break;
    const id = transactionId(tx);
    if (lookupTx(node.ledger, id) !== undefined) {
      node.mempool.delete(key);
      continue;
    }
    if (checkRegister(node.env.crypto, node.ledger, node.epoch, tx, id, seen) !== undefined) continue;
    seen.ids.add(key);
    seen.identities.add(bytesToHex(tx.identity));
    seen.keys.add(bytesToHex(tx.patientKey));
    picked.push(tx);
  }
  return picked;
};

/** [KB-4] The miner's nonce search starts at a schedule-chosen point, so competing miners differ. */
export const mineOnce = (node: InstitutionNode): void => {
  const start = BigInt(node.env.chooser.next(1 << 30));
  const mined = mineKeyblock(node.env.crypto, node.ledger, node.account.signing.publicKey, pickRegisters(node), start);
  if (Result.isFailure(mined)) return; // the microblocks of round i-2 are not there yet: no keyblock to mine
  if (node.behaviour.mined() === "withhold") {
    node.withheld.push(mined.success);
    return;
  }
  publish(node, mined.success);
};

const publish = (node: InstitutionNode, kb: Keyblock): void => {
  node.env.observe({ _tag: "Published", node: node.id, height: kb.header.height });
  onKeyblock(node, node.id, kb);
  node.toInstitutions({ _tag: "Keyblock", keyblock: kb });
};

/** [PIN-6] A withholding miner releases what it held once its height is pinned by someone else: too late. */
export const releaseWithheld = (node: InstitutionNode): void => {
  if (node.behaviour.mined() !== "withhold" || !node.behaviour.alive) return;
  const held = node.withheld.splice(0);
  for (const kb of held) {
    node.toInstitutions({ _tag: "Keyblock", keyblock: kb });
    node.env.observe({
      _tag: "Attack",
      node: node.id,
      attack: "withheld keyblock released late (selfish mining)",
      outcome: kb.header.height <= node.epoch ? "refused: conflicts with a pinned keyblock (PIN-6)" : "raced the group",
    });
  }
};

/** [CHAIN-4] A keyblock heard of: a candidate if it is for the next height; submitted by members. */
export const onKeyblock = (node: InstitutionNode, from: number, kb: Keyblock): void => {
  const height = kb.header.height;
  if (height > node.epoch + 1) {
    node.future.push({ from, message: { _tag: "Keyblock", keyblock: kb } });
    node.requestSync(from === node.id ? undefined : from);
    return;
  }
  if (height <= node.epoch) {
    const pinned = node.ledger.keyblocks.get(height);
    const conflicting = pinned !== undefined && bytesToHex(pinned.id) !== bytesToHex(keyblockId(kb.header));
    if (conflicting && node.env.config.variant === "accept-conflicting-keyblock" && node.honest) {
      // the broken fork choice: a keyblock with valid work replaces the pinned one (PIN-6 removed)
      const refused = applyKeyblockWith(node.env.crypto, node.ledger, kb);
      const worked = meetsDifficulty(powDigest(kb.header), node.ledger.config.difficulty_bits);
      if (worked && Result.isFailure(refused) && refused.failure._tag === "ConflictsWithPin") {
        node.env.observe({ _tag: "PinRewritten", node: node.id, height, id: keyblockId(kb.header) });
      }
    }
    return;
  }
  const id = bytesToHex(keyblockId(kb.header));
  if (node.keyblocks.has(id)) return;
  const candidate = applyKeyblockWith(node.env.crypto, node.ledger, kb);
  if (Result.isFailure(candidate)) return;
  node.ledger = candidate.success;
  node.keyblocks.set(id, kb);
  node.touch();
  if (node.group.self >= 0) node.submit(encodeRequest({ _tag: "Keyblock", keyblock: kb }));
};
