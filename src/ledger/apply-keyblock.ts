/**
 * Applying keyblocks and their pins (spec/chain.md [CHAIN-4], [CHAIN-5]; spec/blocks.md [KB-3], [KB-4],
 * [KB-6]; spec/pins.md [PIN-1], [PIN-2], [PIN-6]). A valid keyblock becomes a candidate for the tip's
 * successor; its pin makes it the tip and gives its register transactions their block numbers. Pure: the
 * input state is never modified.
 * @module
 */
import { HashMap, Result } from "effect";
import type { PinCertificate } from "../consensus/certificate.js";
import { bytesEqual, bytesToHex } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { GroupSnapshot } from "../reputation/quorum.js";
import {
  ConflictsWithPin,
  InsufficientWork,
  type KeyblockError,
  KeyblockKnown,
  KeyblockParentUnknown,
  MicroblockCommitmentMismatch,
  MicroblocksMissing,
  type PinError,
  PinValueMismatch,
  RegisterRootMismatch,
} from "./errors.js";
import { type Keyblock, keyblockId, meetsDifficulty, powDigest, registerRoot } from "./keyblock.js";
import { microblockId } from "./microblock.js";
import type { PatientSlot } from "./patient-block.js";
import { certifies, checkCertificate, pinGroup } from "./pin.js";
import { type ChainState, currentEpoch, type PinnedKeyblock, tip } from "./state.js";
import { transactionId } from "./transaction.js";
import { checkRegister, type RegisterSeen } from "./validate-tx.js";

/**
 * [KB-6] G(MB^{r}_last) for r = height - 2: GENESIS_MICROBLOCK before genesis, G(KB_r) for a round without
 * register transactions, else the id of the round's last microblock, which must exist.
 */
export const expectedPrevMicroblock = (
  state: ChainState,
  height: number,
): Result.Result<Uint8Array, MicroblocksMissing> => {
  const round = height - 2;
  if (round < 0) return Result.succeed(state.genesisMicroblock);
  const pinned = state.keyblocks.get(round);
  if (pinned === undefined) throw new RangeError(`round ${round} is not pinned`);
  if (pinned.registers === 0) return Result.succeed(pinned.id);
  const last = state.patients.get(pinned.firstNumber + pinned.registers - 1)?.header;
  if (pinned.created < pinned.registers || last === undefined) {
    return Result.fail(
      new MicroblocksMissing({ detail: `round ${round} has ${pinned.created} of ${pinned.registers} microblocks` }),
    );
  }
  return Result.succeed(microblockId(last));
};

/** [CHAIN-4] steps 1-4: where the keyblock stands relative to the pinned tip. */
const checkPosition = (state: ChainState, kb: Keyblock, id: Uint8Array): KeyblockError | undefined => {
  const { height } = kb.header;
  const top = tip(state);
  if (height <= top.height) {
    const pinned = state.keyblocks.get(height);
    return pinned !== undefined && bytesEqual(pinned.id, id)
      ? new KeyblockKnown({ detail: `keyblock ${height} is pinned` })
      : new ConflictsWithPin({ detail: `another keyblock is pinned at height ${height}` });
  }
  if (height > top.height + 1) return new KeyblockParentUnknown({ detail: `height ${height}, tip ${top.height}` });
  if (!bytesEqual(kb.header.prevKeyblock, top.id)) {
    return new ConflictsWithPin({ detail: `keyblock ${height} does not extend the pinned tip` });
  }
  if (state.candidates.some((c) => bytesEqual(c.id, id))) return new KeyblockKnown({ detail: "already a candidate" });
  return undefined;
};

/** [CHAIN-4] step 9: the register transactions, in order, against the state and each other. */
const checkRegisters = (crypto: CryptoShape, state: ChainState, kb: Keyblock): KeyblockError | undefined => {
  const seen: RegisterSeen = { ids: new Set(), identities: new Set(), keys: new Set() };
  const epoch = kb.header.height - 1;
  for (const tx of kb.registers) {
    const id = transactionId(tx);
    const error = checkRegister(crypto, state, epoch, tx, id, seen);
    if (error !== undefined) return error;
    seen.ids.add(bytesToHex(id));
    seen.identities.add(bytesToHex(tx.identity));
    seen.keys.add(bytesToHex(tx.patientKey));
  }
  return undefined;
};

/** [CHAIN-4] A valid keyblock becomes a candidate for the tip's successor. */
export const applyKeyblockWith = (
  crypto: CryptoShape,
  state: ChainState,
  kb: Keyblock,
): Result.Result<ChainState, KeyblockError> => {
  const id = keyblockId(kb.header);
  const misplaced = checkPosition(state, kb, id);
  if (misplaced !== undefined) return Result.fail(misplaced);
  const expected = expectedPrevMicroblock(state, kb.header.height);
  if (Result.isFailure(expected)) return Result.fail(expected.failure);
  if (!bytesEqual(kb.header.prevMicroblock, expected.success)) {
    return Result.fail(new MicroblockCommitmentMismatch({ detail: `keyblock ${kb.header.height}` }));
  }
  if (!bytesEqual(kb.header.registerRoot, registerRoot(crypto, kb.registers))) {
    return Result.fail(new RegisterRootMismatch({ detail: `keyblock ${kb.header.height}` }));
  }
  if (!meetsDifficulty(powDigest(kb.header), state.config.difficulty_bits)) {
    return Result.fail(
      new InsufficientWork({ detail: `fewer than ${state.config.difficulty_bits} leading zero bits` }),
    );
  }
  const invalid = checkRegisters(crypto, state, kb);
  if (invalid !== undefined) return Result.fail(invalid);
  return Result.succeed({ ...state, candidates: [...state.candidates, { id, keyblock: kb }] });
};

/** [CHAIN-5] The pinned keyblock's register transactions take effect: block numbers, identities, keys, ids. */
const pinKeyblock = (state: ChainState, kb: Keyblock, id: Uint8Array, pin: PinCertificate): ChainState => {
  const firstNumber = state.patients.size;
  let { patients, identities, patientKeys, txs } = state;
  for (const [index, tx] of kb.registers.entries()) {
    const number = firstNumber + index;
    const registerTx = transactionId(tx);
    const slot: PatientSlot = {
      number,
      round: kb.header.height,
      index,
      registerTx,
      patientKey: tx.patientKey,
      header: undefined,
      leaves: [],
      records: [],
    };
    patients = patients.push(slot);
    identities = HashMap.set(identities, bytesToHex(tx.identity), number);
    patientKeys = HashMap.set(patientKeys, bytesToHex(tx.patientKey), number);
    txs = HashMap.set(txs, bytesToHex(registerTx), { kind: "register" as const, number });
  }
  const pinned: PinnedKeyblock = {
    height: kb.header.height,
    id,
    keyblock: kb,
    pin,
    firstNumber,
    registers: kb.registers.length,
    created: 0,
  };
  return { ...state, keyblocks: state.keyblocks.push(pinned), candidates: [], patients, identities, patientKeys, txs };
};

/** [CHAIN-5] Applies the pin of a candidate, given the group snapshot of the current epoch. */
export const applyKeyblockPinWith = (
  crypto: CryptoShape,
  state: ChainState,
  certificate: PinCertificate,
  snapshot: GroupSnapshot,
): Result.Result<ChainState, PinError> => {
  const group = pinGroup(currentEpoch(state), snapshot);
  if (Result.isFailure(group)) return Result.fail(group.failure);
  const candidate = state.candidates.find((c) => certifies(certificate, c.id));
  if (candidate === undefined) {
    return Result.fail(new PinValueMismatch({ detail: "the certificate certifies no candidate keyblock" }));
  }
  const checked = checkCertificate(crypto, group.success, certificate);
  if (Result.isFailure(checked)) return Result.fail(checked.failure);
  return Result.succeed(pinKeyblock(state, candidate.keyblock, candidate.id, certificate));
};
