/**
 * Benchmark suite "chameleon" (spec/chameleon-hash.md, [CH-12]): DSS20 HGen, Hash, HVer and HCol, median
 * time per operation, with a prepared key (what a ledger keeps per institution) and with a key decoded
 * from bytes for each call (a one-off key), beside the prototype figures of crypto-notes.md §6.1 (best
 * of 3 runs on a 2-core test machine: Hash 16.97 ms, HVer 7.75 ms, HCol 19.50 ms).
 * @module
 */
import { Effect, Result } from "effect";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { scalarFromDraw } from "../src/crypto/chameleon/coins.js";
import { Dss20, dss20Scheme } from "../src/crypto/chameleon/index.js";
import { Randomness, seededSource } from "../src/crypto/random.js";
import { type BenchSuite, type Measurement, measure, table } from "./harness.js";

/** crypto-notes.md §6.1, DSS20 prototype, µs per operation. */
const PROTOTYPE_US: Readonly<Record<string, number>> = { Hash: 16_970, HVer: 7_750, HCol: 19_500 };

const runWith = <A, E>(effect: Effect.Effect<A, E, Randomness>, layer: ReturnType<typeof Randomness.seeded>): A =>
  Result.getOrThrow(Effect.runSync(Effect.provide(Effect.result(effect), layer)));

const measurements = (): Measurement[] => {
  const layer = Randomness.seeded(utf8ToBytes("bench chameleon"));
  const source = seededSource(utf8ToBytes("bench keys"));
  const { publicKey, trapdoor } = Result.getOrThrow(Dss20.keyGenWithRandomness(scalarFromDraw(source.bytes(48))));
  const prepared = Dss20.preparePublicKey(publicKey);
  const m = source.bytes(32);
  const m2 = source.bytes(32);
  const { hash, randomness } = runWith(Dss20.hash(prepared, m), layer);
  const bytes = {
    pk: publicKey.bytes,
    td: Dss20.encodeTrapdoor(trapdoor),
    h: hash.bytes,
    r: Dss20.encodeRandomness(randomness),
  };
  const key = Result.getOrThrow(dss20Scheme.key(bytes.pk, { prepare: true }));
  return [
    measure("HGen", () => runWith(Dss20.keyGen, layer)),
    measure("Hash (prepared key)", () => runWith(Dss20.hash(prepared, m), layer)),
    measure("HVer (prepared key)", () => Dss20.verify(prepared, m, hash, randomness)),
    measure("HCol (prepared key)", () => runWith(Dss20.collide(prepared, trapdoor, m, hash, randomness, m2), layer)),
    measure("HVer, bytes in (prepared key: decode h, r)", () => key.verify(m, bytes.h, bytes.r)),
    measure("Hash, bytes in (key decoded per call)", () => runWith(dss20Scheme.hash(bytes.pk, m), layer)),
    measure("HVer, bytes in (key decoded per call)", () => dss20Scheme.verify(bytes.pk, m, bytes.h, bytes.r)),
    measure("HCol, bytes in (key decoded per call)", () =>
      runWith(dss20Scheme.collide(bytes.pk, bytes.td, m, bytes.h, bytes.r, m2), layer),
    ),
    measure("prepare a public key (tables, once per key)", () => Dss20.preparePublicKey(publicKey), { runs: 3 }),
    measure("H2C(m) (RFC 9380 hash_to_curve)", () => Dss20.messagePoint(m)),
  ];
};

const versusPrototype = (rows: readonly Measurement[]): string[] =>
  Object.entries(PROTOTYPE_US).map(([op, prototype_us]) => {
    const ours = rows.find((row) => row.name === `${op} (prepared key)`);
    return ours === undefined
      ? `| ${op} | n/a | ${(prototype_us / 1000).toFixed(2)} | n/a |`
      : `| ${op} | ${(ours.median_us / 1000).toFixed(2)} | ${(prototype_us / 1000).toFixed(2)} | ${(prototype_us / ours.median_us).toFixed(1)}x |`;
  });

export const chameleonSuite: BenchSuite = {
  name: "chameleon",
  run: async () => {
    const rows = measurements();
    const comparison = [
      "| operation | ours, ms (prepared key) | prototype, ms (crypto-notes §6.1) | prototype / ours |",
      "|---|---:|---:|---:|",
      ...versusPrototype(rows),
      "",
      "The prototype figures were measured on another day (best of 3 runs); ours are medians of this run.",
      "",
    ];
    return { markdown: [table("DSS20 chameleon hash (secp256k1)", rows), ...comparison].join("\n"), json: { rows } };
  },
};
