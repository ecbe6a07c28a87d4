/**
 * A small SPChain network in one process (spec/chain.md; the paper's Setup and Register phases, SPChain §5.2):
 * certified institutions (signing, chameleon-hash and PRE keys), the consensus group they form, the chain
 * state, and the honest producers around the ledger's transitions: a miner mines the next keyblock, the group
 * pins it, the round's leader (GRP-4) creates its patients' microblocks, and the group pins batches of records.
 * Used by `npm start`, the ledger's properties, vectors and benchmarks, and later by the model.
 * @module
 */
import { Effect, Result } from "effect";
import { bytesEqual } from "../crypto/bytes.js";
import { am04Scheme } from "../crypto/chameleon/am04-scheme.js";
import type { ChameleonKeyPair, ChameleonScheme } from "../crypto/chameleon/scheme.js";
import type { Randomness } from "../crypto/random.js";
import { Crypto, type CryptoShape, type Ed25519KeyPair, generateKeyPair } from "../crypto/signature.js";
import { type PublicKey, publicKeyOf, type SecretKey } from "../crypto/umbral/keys.js";
import { generateSecretKey } from "../crypto/umbral/pre.js";
import { applyBatchWith, proposedBatchRoot } from "../ledger/apply-batch.js";
import { applyKeyblockPinWith, applyKeyblockWith } from "../ledger/apply-keyblock.js";
import { applyMicroblockWith } from "../ledger/apply-microblock.js";
import type { Batch } from "../ledger/batch.js";
import type { ChainConfig } from "../ledger/config.js";
import type { ChainConfigInvalid, LedgerError } from "../ledger/errors.js";
import { type Keyblock, keyblockId } from "../ledger/keyblock.js";
import type { MicroblockHeader } from "../ledger/microblock.js";
import { createMicroblocks, mineKeyblock } from "../ledger/mine.js";
import { certify, type MemberSigner, pinGroup } from "../ledger/pin.js";
import { type ChainState, currentEpoch, genesisState } from "../ledger/state.js";
import type { RecordTx, RegisterTx } from "../ledger/transaction.js";
import { drawLeader, leaderSeedMessage } from "../reputation/group.js";
import { type GroupSnapshot, REPUTATION_SCALE } from "../reputation/quorum.js";

/** An institution's accounts (SPChain §5.2 Setup): signing, chameleon hash (HGen) and PRE keys. */
export interface InstitutionAccount {
  readonly index: number;
  readonly name: string;
  readonly signing: Ed25519KeyPair;
  /** The chameleon hash key pair and the scheme it belongs to. */
  readonly ch: ChameleonKeyPair & { readonly scheme: ChameleonScheme };
  readonly pre: { readonly secretKey: SecretKey; readonly publicKey: PublicKey };
}

export interface WorldOptions {
  readonly institutions: readonly string[];
  readonly difficulty_bits: number;
  readonly freshness_window: number;
  readonly min_fee: ChainConfig["min_fee"];
  /** Fixed-point reputations of the institutions, in order (default: all equal, 0.5). */
  readonly reputations?: readonly bigint[];
  /** The institutions' chameleon hash scheme (default AM04, CH-15). */
  readonly chScheme?: ChameleonScheme;
}

/** The network: accounts, the consensus group (the institutions, ranked as given) and the chain state. */
export interface World {
  readonly crypto: CryptoShape;
  readonly institutions: readonly InstitutionAccount[];
  readonly group: GroupSnapshot;
  readonly state: ChainState;
}

const makeInstitution = (index: number, name: string, scheme: ChameleonScheme) =>
  Effect.gen(function* () {
    const signing = yield* generateKeyPair;
    const ch = { ...(yield* scheme.keyGen), scheme };
    const secretKey = yield* generateSecretKey;
    return { index, name, signing, ch, pre: { secretKey, publicKey: publicKeyOf(secretKey) } };
  });

/** Setup: the institutions' keys, the configuration with their registry, and the genesis state. */
export const setupWorld = (options: WorldOptions): Effect.Effect<World, ChainConfigInvalid, Crypto | Randomness> =>
  Effect.gen(function* () {
    const crypto = yield* Crypto;
    const institutions: InstitutionAccount[] = [];
    for (const [index, name] of options.institutions.entries())
      institutions.push(yield* makeInstitution(index, name, options.chScheme ?? am04Scheme));
    const config: ChainConfig = {
      difficulty_bits: options.difficulty_bits,
      freshness_window: options.freshness_window,
      min_fee: options.min_fee,
      institutions: institutions.map((i) => ({
        key: i.signing.publicKey,
        chScheme: i.ch.scheme,
        chKey: i.ch.publicKey,
      })),
    };
    const state = yield* Effect.fromResult(genesisState(config));
    const reputation = (index: number) => options.reputations?.[index] ?? REPUTATION_SCALE / 2n;
    const group = { members: institutions.map((i) => ({ key: i.signing.publicKey, reputation: reputation(i.index) })) };
    return { crypto, institutions, group, state };
  });

/** Every member of the group signs (the honest group). */
export const allSigners = (world: World): MemberSigner[] =>
  world.group.members.map((member, index) => {
    const account = world.institutions.find((i) => bytesEqual(i.signing.publicKey, member.key));
    if (account === undefined) throw new RangeError(`member ${index} is not an institution of this world`);
    return { index, secretKey: account.signing.secretKey };
  });

/** [GRP-4] The leader of the round opened by `keyblock`: drawn from its miner's signature on (id, height). */
export const roundLeader = (world: World, keyblock: Keyblock): InstitutionAccount => {
  const miner = world.institutions.find((i) => bytesEqual(i.signing.publicKey, keyblock.header.miner));
  if (miner === undefined) throw new RangeError("the keyblock's miner is not an institution of this world");
  const seed = world.crypto.sign(
    miner.signing.secretKey,
    leaderSeedMessage(keyblockId(keyblock.header), BigInt(keyblock.header.height)),
  );
  const leader = Result.getOrThrow(drawLeader(world.group, seed));
  const account = world.institutions.find((i) => bytesEqual(i.signing.publicKey, leader.key));
  if (account === undefined) throw new RangeError("the leader is not an institution of this world");
  return account;
};

/** What one round produced, for printing and for vectors. */
export interface RoundOutput {
  readonly keyblock: Keyblock;
  readonly pin: Batch["certificate"];
  readonly leader: InstitutionAccount;
  readonly microblocks: readonly MicroblockHeader[];
}

/**
 * A whole round: institution `minerIndex` mines the next keyblock with `registers`, the group pins it, and
 * the round's leader creates and applies its microblocks. Fails with the ledger's error if any step does.
 */
export const runRound = (
  world: World,
  registers: readonly RegisterTx[],
  minerIndex: number,
): Result.Result<{ readonly world: World; readonly round: RoundOutput }, LedgerError> => {
  const { crypto } = world;
  const miner = world.institutions[minerIndex];
  if (miner === undefined) throw new RangeError(`no institution ${minerIndex}`);
  return Result.gen(function* () {
    const keyblock = yield* mineKeyblock(crypto, world.state, miner.signing.publicKey, registers);
    const candidate = yield* applyKeyblockWith(crypto, world.state, keyblock);
    const group = yield* pinGroup(currentEpoch(world.state), world.group);
    const pin = certify(crypto, group, allSigners(world), keyblockId(keyblock.header), keyblock.header.height);
    let state = yield* applyKeyblockPinWith(crypto, candidate, pin, world.group);
    const leader = roundLeader(world, keyblock);
    const microblocks = createMicroblocks(crypto, state, keyblock.header.height, leader.signing);
    for (const header of microblocks)
      state = yield* applyMicroblockWith(crypto, state, header, leader.signing.publicKey);
    return { world: { ...world, state }, round: { keyblock, pin, leader, microblocks } };
  });
};

/** The group pins `transactions` as one batch of the current epoch; `instance` is the protocol's number for it. */
export const pinBatch = (
  world: World,
  transactions: readonly RecordTx[],
  instance = 0,
): Result.Result<{ readonly world: World; readonly batch: Batch }, LedgerError> => {
  const { crypto } = world;
  return Result.gen(function* () {
    const root = yield* proposedBatchRoot(crypto, world.state, transactions);
    const group = yield* pinGroup(currentEpoch(world.state), world.group);
    const batch: Batch = { certificate: certify(crypto, group, allSigners(world), root, instance), transactions };
    const state = yield* applyBatchWith(crypto, world.state, batch, world.group);
    return { world: { ...world, state }, batch };
  });
};
