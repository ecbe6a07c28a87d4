/**
 * The label forger (spec/model.md, [MOD-7]): a Byzantine institution that, with patients it controls
 * (zombies that sign what it asks), tries to relabel another institution's records. It first tries HCol
 * under the victim's key with its own trapdoor (refused: CH's trapdoor check), then submits a label that
 * claims the victim as issuer with randomness its own key produced: HVer under the victim's key fails,
 * so honest members refuse to hold it (CHAIN-7, ChameleonHashInvalid) and no honest node pins it.
 * @module
 */
import { Effect, HashMap, Layer, Option, Result } from "effect";
import { bytesToHex, utf8ToBytes } from "../src/crypto/bytes.js";
import { Randomness } from "../src/crypto/random.js";
import { recordData } from "../src/ehealth/records.js";
import { history } from "../src/ledger/retrieval.js";
import { signTransaction } from "../src/ledger/transaction.js";
import { keep } from "./custodian-role.js";
import type { InstitutionNode } from "./institution.js";
import { encodeRequest } from "./values.js";

const forged = new WeakMap<InstitutionNode, Set<string>>();

/** The forger's HCol attempt with its own trapdoor under the victim's key (it must fail). */
const tryCollide = (
  node: InstitutionNode,
  victim: number,
  pointer: Uint8Array,
  h: Uint8Array,
  r: Uint8Array,
  next: Uint8Array,
): string => {
  const ch = node.env.kit.institutions[victim]?.ch;
  if (ch === undefined) return "no victim";
  const attempt = ch.scheme.collide(ch.publicKey, node.account.ch.trapdoor, pointer, h, r, next);
  const layer = Layer.mergeAll(Randomness.seeded(utf8ToBytes(`forger|${bytesToHex(pointer)}`)));
  const result = Effect.runSync(Effect.provide(Effect.result(attempt), layer));
  return Result.isFailure(result) ? result.failure._tag : "COLLISION FOUND";
};

/** [MOD-7] At each epoch, one forged label per controlled patient's unforged record at the victim. */
export const forgeLabels = (node: InstitutionNode): void => {
  const victim = node.behaviour.forgeAgainst;
  if (victim === undefined || !node.behaviour.alive) return;
  const done = forged.get(node) ?? new Set<string>();
  forged.set(node, done);
  node.env.config.patients.forEach((spec, p) => {
    if (spec.colludesWith !== node.id) return;
    const patient = node.env.kit.patients[p];
    if (patient === undefined) return;
    const number = Option.getOrUndefined(HashMap.get(node.ledger.patientKeys, bytesToHex(patient.signing.publicKey)));
    if (number === undefined) return;
    const items = Result.getOrElse(history(node.ledger, number), () => []);
    const target = items.find((item) => item.institution === victim && !done.has(bytesToHex(item.id)));
    if (target === undefined) return;
    done.add(bytesToHex(target.id));
    const own = node.env.kit.record(p, node.id, 0);
    keep(node, own);
    const refused = tryCollide(
      node,
      victim,
      target.tx.record.pointer,
      target.leafValue,
      target.tx.record.r,
      own.ch.pointer,
    );
    node.env.observe({
      _tag: "Attack",
      node: node.id,
      attack: "HCol under another institution's key",
      outcome: `refused: ${refused}`,
    });
    const label = signTransaction(node.env.crypto, patient.signing.secretKey, {
      _tag: "label",
      patient: number,
      institution: victim,
      round: node.epoch,
      fee: node.ledger.config.min_fee.label,
      target: target.id,
      record: recordData(own.ch, true),
    });
    node.env.observe({
      _tag: "Attack",
      node: node.id,
      attack: "forged label submitted",
      outcome: "submitted to the group",
    });
    const g = node.group;
    const request = encodeRequest({ _tag: "Record", tx: label });
    for (let member = 0; member <= g.group.faults && member < g.memberNodes.length; member++) {
      const to = g.memberNodes[member];
      if (to !== undefined && to >= 0 && to !== node.id) node.send(to, { _tag: "Forward", epoch: node.epoch, request });
    }
  });
};
