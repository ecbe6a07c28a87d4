/**
 * Benchmark suite "primitives" (spec/signatures.md [SIG-7], spec/merkle.md [MERKLE-8]): the hot
 * primitives on both `Crypto` implementations, measured one after the other in this process, with the
 * noble / node:crypto ratio: Ed25519 sign and verify (valid signatures with a cached key, a key seen for
 * the first time, and invalid signatures, which the fast path confirms with noble), SHA-256 of 64 B and
 * 32 KB, the root of a 1024-leaf Merkle tree, and inclusion-proof verification in that tree.
 * @module
 */
import { Result } from "effect";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { inclusionProof, merkleRoot, verifyInclusion } from "../src/crypto/merkle.js";
import { seededSource } from "../src/crypto/random.js";
import { type CryptoShape, nobleCrypto } from "../src/crypto/signature.js";
import { makeNodeCrypto, nodeCrypto } from "../src/node.js";
import { type BenchSuite, type Measurement, measure, table } from "./harness.js";

interface Pair {
  readonly operation: string;
  readonly noble: Measurement;
  readonly node: Measurement;
}

const MERKLE_LEAVES = 1024;

const pairs = (): Pair[] => {
  const source = seededSource(utf8ToBytes("bench primitives"));
  const secretKey = source.bytes(32);
  const publicKey = nobleCrypto.publicKey(secretKey);
  const message = source.bytes(150);
  const signature = nobleCrypto.sign(secretKey, message);
  const invalid = signature.slice();
  invalid[40] = (invalid[40] ?? 0) ^ 1;
  // Two keys through a one-entry cache: every verification imports and checks its key afresh.
  const coldNode = makeNodeCrypto({ publicKeyCacheEntries: 1 });
  const otherSecret = source.bytes(32);
  const cold = [
    { publicKey, signature },
    { publicKey: nobleCrypto.publicKey(otherSecret), signature: nobleCrypto.sign(otherSecret, message) },
  ];
  let turn = 0;
  const small = source.bytes(64);
  const large = source.bytes(32 * 1024);
  const leaves = Array.from({ length: MERKLE_LEAVES }, () => source.bytes(32));
  const root = merkleRoot(nobleCrypto, leaves);
  const index = 677;
  const claim = {
    root,
    size: MERKLE_LEAVES,
    index,
    leaf: leaves[index] as Uint8Array,
    proof: Result.getOrThrow(inclusionProof(nobleCrypto, leaves, index)),
  };
  const both = (operation: string, op: (crypto: CryptoShape) => () => unknown): Pair => ({
    operation,
    noble: measure(`${operation} (noble)`, op(nobleCrypto)),
    node: measure(`${operation} (node:crypto)`, op(nodeCrypto)),
  });
  return [
    both("Ed25519 sign, 150 B message", (c) => () => c.sign(secretKey, message)),
    both("Ed25519 verify, valid, cached key", (c) => () => c.verify(publicKey, message, signature)),
    {
      operation: "Ed25519 verify, valid, key seen for the first time",
      noble: measure("Ed25519 verify, valid, new key (noble)", () => {
        const { publicKey: pk, signature: sig } = cold[turn++ % 2] as (typeof cold)[number];
        return nobleCrypto.verify(pk, message, sig);
      }),
      node: measure("Ed25519 verify, valid, new key (node:crypto)", () => {
        const { publicKey: pk, signature: sig } = cold[turn++ % 2] as (typeof cold)[number];
        return coldNode.verify(pk, message, sig);
      }),
    },
    both("Ed25519 verify, invalid signature", (c) => () => c.verify(publicKey, message, invalid)),
    both("SHA-256, 64 B", (c) => () => c.sha256(small)),
    both("SHA-256, 32 KB", (c) => () => c.sha256(large)),
    both(`Merkle root, ${MERKLE_LEAVES} leaves of 32 B`, (c) => () => merkleRoot(c, leaves)),
    both(`inclusion proof verification, ${MERKLE_LEAVES} leaves`, (c) => () => verifyInclusion(c, claim)),
  ];
};

const fmt = (us: number): string => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));

export const primitivesSuite: BenchSuite = {
  name: "primitives",
  run: async () => {
    const measured = pairs();
    const ratios = measured.map((p) => ({
      operation: p.operation,
      noble_over_node: p.noble.median_us / p.node.median_us,
    }));
    const comparison = [
      "| operation | noble µs/op | node:crypto µs/op | noble / node |",
      "|---|---:|---:|---:|",
      ...measured.map(
        (p) =>
          `| ${p.operation} | ${fmt(p.noble.median_us)} | ${fmt(p.node.median_us)} | ${(p.noble.median_us / p.node.median_us).toFixed(2)}x |`,
      ),
      "",
      "Same process, one after the other. The node:crypto verifier confirms every rejection with noble (SIG-7),",
      "so an invalid signature costs it one OpenSSL verification more than noble.",
      "",
    ];
    const rows = measured.flatMap((p) => [p.noble, p.node]);
    return {
      markdown: [table("Primitives: noble and node:crypto", rows), ...comparison].join("\n"),
      json: { rows, ratios },
    };
  },
};
