/**
 * The application an honest member runs in its consensus machine (spec/model.md, [MOD-5]; spec/consensus.md
 * BFT-6): which requests it holds, which proposed values it accepts, which requests a decided value
 * settles, and what it proposes as leader. Validity is judged against the state the instance will meet:
 * a member accepts a proposal only for the instance it is about to apply (earlier ones applied), so every
 * honest member judges the same value against the same state.
 *
 * A batch is valid only if its selection is exactly Algorithm 2's output over the table it carries, with
 * the epoch's reputations and the chain's service history (BAT-4, `checkProposal`), and every selected
 * transaction applies (CHAIN-7): a leader can neither bend the selection nor slip in an invalid record.
 * A leader that leaves submissions out of the table is caught by the request timers (BFT-18).
 * @module
 */
import { Result } from "effect";
import { valueHash } from "../src/consensus/certificate.js";
import type { Application } from "../src/consensus/context.js";
import { bytesEqual, bytesToHex } from "../src/crypto/bytes.js";
import { proposedBatchRoot } from "../src/ledger/apply-batch.js";
import { applyKeyblockWith } from "../src/ledger/apply-keyblock.js";
import { keyblockId } from "../src/ledger/keyblock.js";
import type { ChainState } from "../src/ledger/state.js";
import { type RecordTx, transactionId } from "../src/ledger/transaction.js";
import { checkProposal, formBatch, type InstitutionQueue } from "../src/reputation/batching.js";
import { applyControl, type ControlEnv, type ControlState, copyControlState } from "./controls.js";
import type { InstitutionNode } from "./institution.js";
import {
  type BatchProposal,
  type Body,
  decodeRequest,
  decodeValue,
  encodeBody,
  MAX_CONTROLS,
  type Request,
  requestKey,
  selectedTransactions,
  type TableQueue,
  type Value,
} from "./values.js";

const values = new WeakMap<Uint8Array, Value | null>();
const requests = new WeakMap<Uint8Array, Request | null>();

/** Decoded once per byte array (the machine keeps passing the same arrays). */
export const decodedValueOf = (bytes: Uint8Array): Value | undefined => {
  let known = values.get(bytes);
  if (known === undefined) {
    const decoded = decodeValue(bytes);
    known = Result.isSuccess(decoded) ? decoded.success : null;
    values.set(bytes, known);
  }
  return known ?? undefined;
};

export const requestOf = (bytes: Uint8Array): Request | undefined => {
  let known = requests.get(bytes);
  if (known === undefined) {
    const decoded = decodeRequest(bytes);
    known = Result.isSuccess(decoded) ? decoded.success : null;
    requests.set(bytes, known);
  }
  return known ?? undefined;
};

const controlEnv = (node: InstitutionNode): ControlEnv => ({
  crypto: node.env.crypto,
  institutions: node.env.institutionSet,
  patient: (round, creator) => node.patience.get(round) === creator,
});

/** [CHAIN-4] A keyblock for the next height that the ledger takes as a candidate (kept by the node). */
export const keyblockValid = (node: InstitutionNode, request: Extract<Request, { _tag: "Keyblock" }>): boolean => {
  const kb = request.keyblock;
  if (kb.header.height !== node.epoch + 1) return false;
  const id = keyblockId(kb.header);
  if (node.ledger.candidates.some((c) => bytesEqual(c.id, id))) return true;
  const candidate = applyKeyblockWith(node.env.crypto, node.ledger, kb);
  if (Result.isFailure(candidate)) return false;
  node.ledger = candidate.success;
  node.keyblocks.set(bytesToHex(id), kb);
  node.touch();
  return true;
};

const recordValidOn = (node: InstitutionNode, ledger: ChainState, tx: RecordTx): boolean =>
  Result.isSuccess(proposedBatchRoot(node.env.crypto, ledger, [tx]));

/** [BFT-6] Is this request worth holding now? */
export const requestValid = (node: InstitutionNode, bytes: Uint8Array): boolean => {
  const request = requestOf(bytes);
  if (request === undefined) return false;
  if (request._tag === "Keyblock") return keyblockValid(node, request);
  return node.cachedValidity(`request|${requestKey(bytes)}`, () => {
    if (request._tag === "Record") {
      const ok = recordValidOn(node, node.ledger, request.tx);
      if (!ok && node.honest) {
        const root = proposedBatchRoot(node.env.crypto, node.ledger, [request.tx]);
        const reason = Result.isFailure(root) ? root.failure._tag : "invalid";
        node.env.observe({ _tag: "Rejected", node: node.id, what: `${request.tx._tag} request`, reason });
      }
      return ok;
    }
    return applyControl(copyControlState(node.controlState()), request, controlEnv(node)) === undefined;
  });
};

/** The table's queues as Algorithm 2 takes them: the epoch's reputations and the chain's service history. */
const queuesOf = (node: InstitutionNode, table: readonly TableQueue[]): InstitutionQueue[] =>
  table.map((q) => ({
    key: node.env.institutionKeys[q.institution] as Uint8Array,
    reputation: node.group.reputations.get(q.institution) ?? 0n,
    lastServed: node.lastServed.get(q.institution) ?? null,
    pending: q.txs.map(transactionId),
  }));

const tableWellFormed = (node: InstitutionNode, table: readonly TableQueue[]): boolean => {
  const institutions = new Set<number>();
  for (const q of table) {
    if (q.institution >= node.env.institutionKeys.length || institutions.has(q.institution) || q.txs.length === 0)
      return false;
    institutions.add(q.institution);
    if (q.txs.some((tx) => tx.institution !== q.institution)) return false;
  }
  return true;
};

/** [BAT-4] [CHAIN-7] The batch is Algorithm 2's choice over its table, and every selected record applies. */
const batchValid = (node: InstitutionNode, ledger: ChainState, batch: BatchProposal): boolean => {
  if (batch.window !== ledger.batches.size || !tableWellFormed(node, batch.table) || batch.selected.length === 0)
    return false;
  const input = {
    window: batch.window,
    capacity: node.env.config.protocol.capacity,
    queues: queuesOf(node, batch.table),
  };
  if (Result.isFailure(checkProposal(input, batch.selected))) return false;
  const txs = selectedTransactions(batch);
  return txs !== undefined && Result.isSuccess(proposedBatchRoot(node.env.crypto, ledger, txs));
};

/** [BFT-7] A body: its group, each control in order on a scratch state, then the batch on the result. */
const bodyValid = (node: InstitutionNode, body: Body): boolean => {
  if (!bytesEqual(body.group, node.group.group.id)) return false;
  if (body.controls.length === 0 && body.batch === undefined) return false;
  const scratch = copyControlState(node.controlState());
  const env = controlEnv(node);
  const seen = new Set<string>();
  for (const control of body.controls) {
    const key = bytesToHex(control);
    const request = requestOf(control);
    if (seen.has(key) || request === undefined || applyControl(scratch, request, env) !== undefined) return false;
    seen.add(key);
  }
  return body.batch === undefined || batchValid(node, scratch.ledger, body.batch);
};

/** [BFT-6] External validity of a fresh proposal for `instance`. */
export const valueValid = (node: InstitutionNode, instance: number, bytes: Uint8Array): boolean => {
  if (instance !== node.log.applied) return false;
  const decided = node.log.entries.get(instance);
  if (decided !== undefined) return bytesEqual(decided.value, bytes);
  const value = decodedValueOf(bytes);
  if (value === undefined || value._tag === "Noop") return false;
  if (value._tag === "KeyblockId") return node.ledger.candidates.some((c) => bytesEqual(c.id, value.id));
  return node.cachedValidity(`value|${bytesToHex(valueHash(bytes))}`, () => bodyValid(node, value.body));
};

const resolvesRound = (body: Body, round: number, accept: (q: Request) => boolean): boolean =>
  body.controls.some((c) => {
    const q = requestOf(c);
    return q !== undefined && "round" in q && q.round === round && accept(q);
  });

/** [BFT-6] Does the decided value settle the request: carry it, or make it moot? */
export const settles = (valueBytes: Uint8Array, requestBytes: Uint8Array): boolean => {
  const value = decodedValueOf(valueBytes);
  const request = requestOf(requestBytes);
  if (value === undefined || request === undefined || value._tag === "Noop") return false;
  if (value._tag === "KeyblockId")
    return request._tag === "Keyblock" && bytesEqual(keyblockId(request.keyblock.header), value.id);
  const body = value.body;
  if (body.controls.some((c) => bytesEqual(c, requestBytes))) return true;
  switch (request._tag) {
    case "Record": {
      const id = transactionId(request.tx);
      return body.batch?.selected.some((s) => bytesEqual(s, id)) ?? false;
    }
    case "Seed":
      return resolvesRound(body, request.round, (q) => q._tag === "Seed" || q._tag === "Skip");
    case "Bundle":
      return resolvesRound(
        body,
        request.round,
        (q) => q._tag === "Bundle" || (q._tag === "Skip" && q.creator === request.creator),
      );
    case "Skip":
      return resolvesRound(
        body,
        request.round,
        (q) => q._tag === "Bundle" || (q._tag === "Skip" && q.creator === request.creator),
      );
    case "Fraud":
      return body.controls.some((c) => {
        const q = requestOf(c);
        return q?._tag === "Fraud" && bytesEqual(q.proof.offender, request.proof.offender);
      });
    default:
      return false;
  }
};

/** Groups pending records by institution (arrival order), at most `max` of them. */
const tableOf = (txs: readonly RecordTx[], max: number): TableQueue[] => {
  const queues = new Map<number, RecordTx[]>();
  for (const tx of txs.slice(0, max)) {
    const q = queues.get(tx.institution) ?? [];
    q.push(tx);
    queues.set(tx.institution, q);
  }
  return [...queues].map(([institution, list]) => ({ institution, txs: list }));
};

/** [BAT-3] A batch over the pending records valid on `ledger`; a selected record that conflicts is left out. */
const assembleBatch = (node: InstitutionNode, ledger: ChainState, records: RecordTx[]): BatchProposal | undefined => {
  let candidates = records;
  const window = ledger.batches.size;
  for (let attempt = 0; attempt <= records.length && candidates.length > 0; attempt++) {
    const table = tableOf(candidates, node.env.config.protocol.table_max);
    const input = { window, capacity: node.env.config.protocol.capacity, queues: queuesOf(node, table) };
    const formed = formBatch(input);
    if (Result.isFailure(formed)) return undefined;
    const batch: BatchProposal = { window, table, selected: formed.success.batch };
    const txs = selectedTransactions(batch) ?? [];
    if (Result.isSuccess(proposedBatchRoot(node.env.crypto, ledger, txs))) return batch;
    let bad = txs.length - 1;
    for (let i = 1; i <= txs.length; i++) {
      if (Result.isFailure(proposedBatchRoot(node.env.crypto, ledger, txs.slice(0, i)))) {
        bad = i - 1;
        break;
      }
    }
    const drop = txs[bad];
    candidates = candidates.filter((tx) => tx !== drop);
  }
  return undefined;
};

/** [BFT-6] The leader's value: the oldest pending keyblock, or a body of the valid controls and a batch. */
export const assembleValue = (
  node: InstitutionNode,
  instance: number,
  pending: readonly Uint8Array[],
): Uint8Array | undefined => {
  if (instance !== node.log.applied || node.log.entries.has(instance)) return undefined;
  const first = pending[0];
  const oldest = first === undefined ? undefined : requestOf(first);
  if (oldest?._tag === "Keyblock" && keyblockValid(node, oldest)) return keyblockId(oldest.keyblock.header);
  const scratch: ControlState = copyControlState(node.controlState());
  const env = controlEnv(node);
  const controls: Uint8Array[] = [];
  const records: RecordTx[] = [];
  for (const bytes of pending) {
    const q = requestOf(bytes);
    if (q === undefined || q._tag === "Keyblock") continue;
    if (q._tag === "Record") records.push(q.tx);
    else if (controls.length < MAX_CONTROLS && applyControl(scratch, q, env) === undefined) controls.push(bytes);
  }
  const valid = records.filter((tx) => recordValidOn(node, scratch.ledger, tx));
  const batch = valid.length === 0 ? undefined : assembleBatch(node, scratch.ledger, valid);
  if (controls.length === 0 && batch === undefined) return undefined;
  return encodeBody({ group: node.group.group.id, controls, batch });
};

/** [BFT-6] The honest application of `node` for the protocol instance of `epoch`. */
export const honestApp = (node: InstitutionNode, epoch: number): Application => ({
  isValidRequest: (request) => node.epoch === epoch && requestValid(node, request),
  isValidValue: (instance, value) => node.epoch === epoch && valueValid(node, instance, value),
  settles,
  assemble: (instance, pending) => (node.epoch === epoch ? assembleValue(node, instance, pending) : undefined),
});
