/**
 * Benchmark suite "ledger-sizes" (spec/transactions.md [TX-8]; spec/blocks.md [KB-1], [MB-1]; spec/pins.md
 * [PIN-4], [PIN-5]): the encoded size of every transaction and block of a real history, from the encoder,
 * next to the paper's Table 3 (286 / 542 / 574 bytes); record transactions for both chameleon schemes, AM04 (the default) and DSS20.
 * @module
 */
import { Effect, Layer, Result } from "effect";
import { encodeCertificate } from "../src/consensus/certificate.js";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { am04Scheme } from "../src/crypto/chameleon/am04-scheme.js";
import { dss20Scheme } from "../src/crypto/chameleon/dss20-scheme.js";
import type { ChameleonScheme } from "../src/crypto/chameleon/scheme.js";
import { Randomness } from "../src/crypto/random.js";
import { Crypto, type Ed25519KeyPair, generateKeyPair } from "../src/crypto/signature.js";
import { contentAddress, labelTx, recordData, recordSeries } from "../src/ehealth/records.js";
import { runScenario } from "../src/ehealth/scenario.js";
import { setupWorld } from "../src/ehealth/world.js";
import { BATCH_ENTRY_FIXED_BYTES, encodeBatch } from "../src/ledger/batch.js";
import { encodeConfig } from "../src/ledger/config.js";
import { encodeKeyblock, encodeKeyblockHeader } from "../src/ledger/keyblock.js";
import { encodeMicroblock } from "../src/ledger/microblock.js";
import { currentEpoch } from "../src/ledger/state.js";
import { encodeTransaction, type Transaction, transactionId } from "../src/ledger/transaction.js";
import type { BenchSuite } from "./harness.js";

/** SPChain §6.2, Table 3. */
export const PAPER_SIZES = { register: 286, medical: 542, label: 574 } as const;

interface Row {
  readonly object: string;
  readonly bytes: number;
  readonly paper?: number;
  readonly note: string;
}

/** A real history (11 institutions, all signing, chameleon keys of `scheme`) to take every object from. */
const history = (scheme: ChameleonScheme) =>
  Effect.runSync(
    Effect.provide(
      Effect.gen(function* () {
        const names = Array.from({ length: 11 }, (_, i) => `I${i}`);
        const world = yield* setupWorld({
          institutions: names,
          difficulty_bits: 8,
          freshness_window: 6,
          min_fee: { register: 10, medical: 5, label: 5 },
          chScheme: scheme,
        });
        const series = [];
        for (const institution of world.institutions.slice(0, 2)) {
          const pointers = [0, 1, 2].map((k) => contentAddress(utf8ToBytes(`${institution.name} ${k}`)));
          series.push(yield* Effect.orDie(recordSeries(institution, pointers)));
        }
        const patients: Ed25519KeyPair[] = [];
        for (let i = 0; i < 2; i++) patients.push(yield* generateKeyPair);
        const kit = { world, series, patients };
        const result = Result.getOrThrow(
          runScenario(kit, [
            { _tag: "Round", registers: 2, miner: 0 },
            {
              _tag: "Batch",
              records: [
                { patient: 0, institution: 0, label: false, includeHash: true },
                { patient: 0, institution: 0, label: false, includeHash: false },
              ],
            },
          ]),
        );
        return { kit, result };
      }),
      Layer.mergeAll(Crypto.noble, Randomness.seeded(utf8ToBytes("bench ledger sizes"))),
    ),
  );

const size = (tx: Transaction) => encodeTransaction(tx).length;

const stepsOf = (result: ReturnType<typeof history>["result"]) => {
  const steps = result.steps;
  const kb = steps.find((s) => s._tag === "Keyblock");
  const pin = steps.find((s) => s._tag === "KeyblockPin");
  const mb = steps.find((s) => s._tag === "Microblock");
  const batch = steps.find((s) => s._tag === "Batch");
  if (kb?._tag !== "Keyblock" || pin?._tag !== "KeyblockPin" || mb?._tag !== "Microblock" || batch?._tag !== "Batch") {
    throw new Error("unexpected history");
  }
  return { kb, pin, mb, batch };
};

const recordsOf = (scheme: ChameleonScheme) => {
  const { kit, result } = history(scheme);
  const { batch } = stepsOf(result);
  const [first, later] = batch.batch.transactions as [Transaction, Transaction];
  const crypto = result.world.crypto;
  const patient = kit.patients[0] as Ed25519KeyPair;
  const context = { institution: 0, round: currentEpoch(result.world.state), fee: 5 };
  const correction = kit.series[0]?.[2];
  if (correction === undefined) throw new Error("no correction record");
  const label = labelTx(crypto, patient, 0, transactionId(first), recordData(correction, true), context);
  const labelWithH = labelTx(crypto, patient, 0, transactionId(first), recordData(correction, false), context);
  return { first, later, label, labelWithH };
};

/** The record transactions of a history whose institutions use `scheme`. */
const recordRows = (scheme: ChameleonScheme): Row[] => {
  const { later, first, label, labelWithH } = recordsOf(scheme);
  const { hash_bytes, randomness_bytes } = scheme.sizes;
  const name = scheme.name.split("-")[0];
  return [
    {
      object: `medical transaction, later record (h omitted), ${name}`,
      bytes: size(later),
      paper: PAPER_SIZES.medical,
      note: `patient block number 4, institution 2, round 4, fee 4, scheme 1, flag 1, r ${randomness_bytes}, pointer 32, signature 64`,
    },
    {
      object: `medical transaction, first record at an institution (h), ${name}`,
      bytes: size(first),
      paper: PAPER_SIZES.medical,
      note: `+ h ${hash_bytes}`,
    },
    {
      object: `label transaction (h omitted), ${name}`,
      bytes: size(label),
      paper: PAPER_SIZES.label,
      note: "medical + target id 32",
    },
    {
      object: `label transaction (h repeated), ${name}`,
      bytes: size(labelWithH),
      paper: PAPER_SIZES.label,
      note: `+ h ${hash_bytes}`,
    },
  ];
};

export const sizeRows = (): Row[] => {
  const { result } = history(am04Scheme);
  const { kb, pin, mb, batch } = stepsOf(result);
  const signers = pin.pin.votes.length;
  return [
    {
      object: "register transaction",
      bytes: size(kb.keyblock.registers[0] as Transaction),
      paper: PAPER_SIZES.register,
      note: "type+version 2, patient key 32, institution 2, round 4, fee 4, identity 32, signature 64",
    },
    ...recordRows(am04Scheme),
    ...recordRows(dss20Scheme),
    {
      object: "keyblock header",
      bytes: encodeKeyblockHeader(kb.keyblock.header).length,
      note: "height, two commitments, register root, miner, nonce",
    },
    {
      object: `keyblock with ${kb.keyblock.registers.length} register txs`,
      bytes: encodeKeyblock(kb.keyblock).length,
      note: "header + u32 count + register txs",
    },
    {
      object: `pin certificate (${signers} of 11 signers)`,
      bytes: encodeCertificate(pin.pin).length,
      note: "84 + 66 per signer (BFT-5)",
    },
    {
      object: "patient microblock header",
      bytes: encodeMicroblock(mb.header).length,
      note: "number, round, index, register tx, patient, prev, leader, signature",
    },
    {
      object: "batch entry (hashed, not stored), AM04",
      bytes: BATCH_ENTRY_FIXED_BYTES + am04Scheme.sizes.hash_bytes,
      note: "block number, leaf, sequence, tx id, scheme, leaf value",
    },
    {
      object: `pinned batch of ${batch.batch.transactions.length} txs`,
      bytes: encodeBatch(batch.batch).length,
      note: "header 2 + certificate + u32 count + txs",
    },
    {
      object: "chain configuration (11 institutions)",
      bytes: encodeConfig(result.world.state.config).length,
      note: "the genesis constant",
    },
  ];
};

export const ledgerSizesSuite: BenchSuite = {
  name: "ledger-sizes",
  run: async () => {
    const rows = sizeRows();
    const markdown = [
      "### Ledger object sizes (bytes, from the encoder) against the paper's Table 3",
      "",
      "| object | bytes | paper | ratio | fields |",
      "|---|---:|---:|---:|---|",
      ...rows.map(
        (r) =>
          `| ${r.object} | ${r.bytes} | ${r.paper ?? ""} | ${r.paper === undefined ? "" : (r.bytes / r.paper).toFixed(2)} | ${r.note} |`,
      ),
      "",
    ].join("\n");
    return { markdown, json: { rows } };
  },
};
