/**
 * Applying a patient microblock (spec/chain.md [CHAIN-6]; spec/blocks.md [MB-1]..[MB-3]): the round's leader
 * creates the header of each pinned register transaction's slot, in index order, with the prev link of its
 * round's chain.
 * @module
 */
import { Result } from "effect";
import { bytesEqual } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import {
  BadMicroblockSignature,
  type MicroblockError,
  MicroblockKnown,
  MicroblockMismatch,
  MicroblockOutOfOrder,
  MicroblockPrevMismatch,
  MicroblockUnexpected,
  NotRoundLeader,
} from "./errors.js";
import { type MicroblockHeader, microblockId, verifyMicroblock } from "./microblock.js";
import { withHeader } from "./patient-block.js";
import type { ChainState } from "./state.js";

/** [MB-3] G(KB_round) for the round's first microblock, else the id of the one before. */
const expectedPrev = (state: ChainState, round: number, firstNumber: number, index: number): Uint8Array | undefined => {
  if (index === 0) return state.keyblocks.get(round)?.id;
  const previous = state.patients.get(firstNumber + index - 1)?.header;
  return previous === undefined ? undefined : microblockId(previous);
};

/** [CHAIN-6] Checks, in order, and records the header in its patient's slot. */
export const applyMicroblockWith = (
  crypto: CryptoShape,
  state: ChainState,
  header: MicroblockHeader,
  leader: Uint8Array,
): Result.Result<ChainState, MicroblockError> => {
  const fail = (error: MicroblockError) => Result.fail(error);
  const where = `round ${header.round} index ${header.index}`;
  const round = header.round >= 1 ? state.keyblocks.get(header.round) : undefined;
  if (round === undefined || header.index >= round.registers) {
    return fail(new MicroblockUnexpected({ detail: `no pinned register transaction at ${where}` }));
  }
  const number = round.firstNumber + header.index;
  const slot = state.patients.get(number);
  if (slot === undefined) throw new RangeError(`pinned register transaction without a slot at ${where}`);
  if (slot.header !== undefined) return fail(new MicroblockKnown({ detail: where }));
  if (header.index !== round.created) {
    return fail(new MicroblockOutOfOrder({ detail: `${where}: the round has ${round.created} microblocks` }));
  }
  if (
    header.number !== number ||
    !bytesEqual(header.registerTx, slot.registerTx) ||
    !bytesEqual(header.patient, slot.patientKey)
  ) {
    return fail(new MicroblockMismatch({ detail: `${where}: fields differ from the pinned register transaction` }));
  }
  const prev = expectedPrev(state, header.round, round.firstNumber, header.index);
  if (prev === undefined || !bytesEqual(header.prev, prev)) return fail(new MicroblockPrevMismatch({ detail: where }));
  if (!bytesEqual(header.leader, leader))
    return fail(new NotRoundLeader({ detail: `${where}: not the round's leader` }));
  if (!verifyMicroblock(crypto, header)) return fail(new BadMicroblockSignature({ detail: where }));
  return Result.succeed({
    ...state,
    patients: state.patients.set(number, withHeader(slot, header)),
    keyblocks: state.keyblocks.set(header.round, { ...round, created: round.created + 1 }),
  });
};
