/**
 * Producing blocks (spec/blocks.md [KB-4], [MB-1]..[MB-3]; spec/chain.md [CHAIN-4], [CHAIN-6]): a miner's
 * nonce search for the next keyblock, and the round leader's microblock headers, both derived from the state
 * exactly as the transitions check them.
 * @module
 */
import { Result } from "effect";
import type { CryptoShape } from "../crypto/signature.js";
import { expectedPrevMicroblock } from "./apply-keyblock.js";
import type { MicroblocksMissing } from "./errors.js";
import { type Keyblock, type KeyblockHeader, meetsDifficulty, powDigest, registerRoot } from "./keyblock.js";
import { type MicroblockHeader, microblockId, signMicroblock } from "./microblock.js";
import { type ChainState, tip } from "./state.js";
import type { RegisterTx } from "./transaction.js";

/** [KB-4] Nonces tried before giving up: 2^32, far above 2^d for the test difficulties. */
export const MAX_NONCE_TRIES = 2 ** 32;

/**
 * [KB-4] [KB-6] The next keyblock over the pinned tip with `registers`, mined by `miner`: nonces are tried
 * from `firstNonce` upwards until the work meets the chain's difficulty. Fails with `MicroblocksMissing`
 * while the microblocks of round i-2 are missing. Throws if no nonce in MAX_NONCE_TRIES works (d > 32).
 */
export const mineKeyblock = (
  crypto: CryptoShape,
  state: ChainState,
  miner: Uint8Array,
  registers: readonly RegisterTx[],
  firstNonce = 0n,
): Result.Result<Keyblock, MicroblocksMissing> => {
  const top = tip(state);
  const height = top.height + 1;
  return Result.map(expectedPrevMicroblock(state, height), (prevMicroblock) => {
    const base: Omit<KeyblockHeader, "nonce"> = {
      height,
      prevKeyblock: top.id,
      prevMicroblock,
      registerRoot: registerRoot(crypto, registers),
      miner,
    };
    for (let tries = 0; tries < MAX_NONCE_TRIES; tries++) {
      const header = { ...base, nonce: firstNonce + BigInt(tries) };
      if (meetsDifficulty(powDigest(header), state.config.difficulty_bits))
        return { header, registers: [...registers] };
    }
    throw new RangeError(`no nonce below 2^32 meets ${state.config.difficulty_bits} bits`);
  });
};

/**
 * [MB-1] [MB-3] The leader's headers for every microblock of `round` not created yet, in index order, each
 * linked to the one before (the first to G(KB_round)).
 */
export const createMicroblocks = (
  crypto: CryptoShape,
  state: ChainState,
  round: number,
  leader: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array },
): MicroblockHeader[] => {
  const pinned = state.keyblocks.get(round);
  if (pinned === undefined || round < 1) throw new RangeError(`round ${round} is not pinned`);
  const headers: MicroblockHeader[] = [];
  const lastCreated =
    pinned.created > 0 ? state.patients.get(pinned.firstNumber + pinned.created - 1)?.header : undefined;
  let prev = lastCreated === undefined ? pinned.id : microblockId(lastCreated);
  for (let index = pinned.created; index < pinned.registers; index++) {
    const slot = state.patients.get(pinned.firstNumber + index);
    if (slot === undefined) throw new RangeError(`no slot for round ${round} index ${index}`);
    const header = signMicroblock(crypto, leader.secretKey, {
      number: slot.number,
      round,
      index,
      registerTx: slot.registerTx,
      patient: slot.patientKey,
      prev,
      leader: leader.publicKey,
    });
    headers.push(header);
    prev = microblockId(header);
  }
  return headers;
};
