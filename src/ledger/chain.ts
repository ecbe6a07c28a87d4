/**
 * The ledger's state transitions as Effects (spec/chain.md [CHAIN-3]): each needs only the `Crypto` service
 * and fails with the typed error of the first rule its input breaks, leaving the state as it was. The `…With`
 * functions they wrap take the crypto implementation explicitly and return a `Result`.
 * @module
 */
import { Effect } from "effect";
import type { PinCertificate } from "../consensus/certificate.js";
import { Crypto } from "../crypto/signature.js";
import type { GroupSnapshot } from "../reputation/quorum.js";
import { applyBatchWith } from "./apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "./apply-keyblock.js";
import { applyMicroblockWith } from "./apply-microblock.js";
import type { Batch } from "./batch.js";
import type { BatchError, KeyblockError, MicroblockError, PinError } from "./errors.js";
import type { Keyblock } from "./keyblock.js";
import type { MicroblockHeader } from "./microblock.js";
import type { ChainState } from "./state.js";

/** [CHAIN-4] */
export const applyKeyblock = (
  state: ChainState,
  keyblock: Keyblock,
): Effect.Effect<ChainState, KeyblockError, Crypto> =>
  Effect.flatMap(
    Crypto.useSync((crypto) => applyKeyblockWith(crypto, state, keyblock)),
    Effect.fromResult,
  );

/** [CHAIN-5] */
export const applyKeyblockPin = (
  state: ChainState,
  certificate: PinCertificate,
  group: GroupSnapshot,
): Effect.Effect<ChainState, PinError, Crypto> =>
  Effect.flatMap(
    Crypto.useSync((crypto) => applyKeyblockPinWith(crypto, state, certificate, group)),
    Effect.fromResult,
  );

/** [CHAIN-6] */
export const applyMicroblock = (
  state: ChainState,
  header: MicroblockHeader,
  leader: Uint8Array,
): Effect.Effect<ChainState, MicroblockError, Crypto> =>
  Effect.flatMap(
    Crypto.useSync((crypto) => applyMicroblockWith(crypto, state, header, leader)),
    Effect.fromResult,
  );

/** [CHAIN-7] */
export const applyBatch = (
  state: ChainState,
  batch: Batch,
  group: GroupSnapshot,
): Effect.Effect<ChainState, BatchError, Crypto> =>
  Effect.flatMap(
    Crypto.useSync((crypto) => applyBatchWith(crypto, state, batch, group)),
    Effect.fromResult,
  );
