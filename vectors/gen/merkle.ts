/**
 * [MERKLE-8] Merkle vectors (spec/merkle.md, MERKLE-1..MERKLE-8; spec/vectors.md VEC-1..VEC-5): roots of the
 * prefixes of one leaf list for many sizes, with the wrong roots that common bugs give; and inclusion
 * claims, valid and invalid, each invalid one flagged with why (and, for malformed claims, the error code
 * as the first flag). `check` recomputes everything on both `Crypto` implementations.
 * @module
 */
import { Result } from "effect";
import { bytesToHex, concatBytes, hexToBytes } from "../../src/crypto/bytes.js";
import {
  type InclusionClaim,
  inclusionPathLength,
  inclusionProof,
  leafHash,
  MAX_LEAVES,
  merkleRoot,
  nodeHash,
  verifyInclusion,
} from "../../src/crypto/merkle.js";
import { seededSource } from "../../src/crypto/random.js";
import { type CryptoShape, nobleCrypto } from "../../src/crypto/signature.js";
import { nodeCrypto } from "../../src/node.js";
import { type CheckReport, expect, runCases, type VectorFamily } from "../family.js";
import { arr, hex, int, type JsonSchema, oneOf } from "../json-schema.js";
import { buildWycheproof, forEachTest, type Note, type TestDraft, wycheproofSchema } from "../wycheproof.js";

const FILE = "crypto/merkle_sha256_test.json";
const SCHEMA = "merkle_sha256_test_schema.json";
const HASHERS: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];
const h = nobleCrypto;

/** The error codes of MERKLE-5; an invalid test whose first flag is one of them must fail with it. */
const ERROR_TAGS = ["MerkleSizeOutOfRange", "MerkleIndexOutOfRange", "MerklePathLength", "MerkleHashLength"] as const;

const NOTES: Record<string, Note> = {
  DuplicatedOddNode: {
    bugType: "CAN_OF_WORMS",
    description:
      "The root a tree gets by pairing an odd node with a copy of itself (Bitcoin); then [a,b,c] and [a,b,c,c] share a root (CVE-2012-2459).",
  },
  NoDomainSeparation: {
    bugType: "WRONG_PRIMITIVE",
    description: "The root without the 0x00 leaf and 0x01 node prefixes; such trees admit second preimages.",
  },
  BalancedSplit: {
    bugType: "FUNCTIONALITY",
    description: "The root of a tree split at ceil(n/2) rather than at the largest power of two below n.",
  },
  WrongIndex: { bugType: "AUTH_BYPASS", description: "A valid proof presented for another index of the same length." },
  WrongLeaf: { bugType: "AUTH_BYPASS", description: "A valid proof presented with different leaf data." },
  TamperedSibling: { bugType: "AUTH_BYPASS", description: "One bit of one proof hash is flipped." },
  WrongSize: {
    bugType: "MODIFIED_PARAMETER",
    description: "A valid proof presented under another tree size, one that gives the index a path of another length.",
  },
  SecondPreimageLeaf: {
    bugType: "AUTH_BYPASS",
    description: "The leaf data is the concatenation of two child hashes: an inner node passed off as a leaf.",
  },
  SizeNotBoundByProof: {
    bugType: "DEFINED",
    description:
      "A valid proof under another size that gives the index the same path length verifies (the length fixes the path's shape): the size must come from the object holding the root (MERKLE-7).",
  },
  TruncatedPath: { bugType: "MISSING_STEP", description: "The last proof hash is removed." },
  ExtendedPath: { bugType: "MISSING_STEP", description: "A hash is appended to the proof." },
  MerkleSizeOutOfRange: { bugType: "EDGE_CASE", description: "The tree size is not an integer in [0, 2^32 - 1]." },
  MerkleIndexOutOfRange: { bugType: "EDGE_CASE", description: "The leaf index is not below the tree size." },
  MerklePathLength: { bugType: "MISSING_STEP", description: "The proof is not the length (index, size) determines." },
  MerkleHashLength: { bugType: "EDGE_CASE", description: "The root or a proof hash is not 32 bytes." },
};

type Flag = keyof typeof NOTES;

// ------------------------------------------------------------------------------------------------
// Roots of the leaf-list prefixes, and the wrong roots of three broken trees.

const ROOT_SIZES = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
];

/** Bottom-up with the odd node paired with itself (the CVE-2012-2459 rule). */
const duplicatingRoot = (leaves: readonly Uint8Array[]): Uint8Array => {
  let level = leaves.map((leaf) => leafHash(h, leaf));
  while (level.length > 1) {
    level = level.flatMap((node, i) => (i % 2 === 1 ? [] : [nodeHash(h, node, level[i + 1] ?? node)]));
  }
  return level[0] as Uint8Array;
};

/** Recursive, with a chosen split and optional prefixes. */
const splitRoot = (leaves: readonly Uint8Array[], split: (n: number) => number, prefixed: boolean): Uint8Array => {
  if (leaves.length === 1) return prefixed ? leafHash(h, leaves[0] as Uint8Array) : h.sha256(leaves[0] as Uint8Array);
  const k = split(leaves.length);
  const left = splitRoot(leaves.slice(0, k), split, prefixed);
  const right = splitRoot(leaves.slice(k), split, prefixed);
  return prefixed ? nodeHash(h, left, right) : h.sha256(concatBytes(left, right));
};
const powerOfTwoSplit = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

const rootTests = (leaves: readonly Uint8Array[]): TestDraft[] => {
  const valid = ROOT_SIZES.map(
    (size): TestDraft => ({
      comment: `root of the first ${size} leaves`,
      flags: [],
      size,
      root: bytesToHex(merkleRoot(h, leaves.slice(0, size))),
      result: "valid",
    }),
  );
  const wrong = (size: number, flag: Flag, root: Uint8Array): TestDraft => {
    if (bytesToHex(root) === bytesToHex(merkleRoot(h, leaves.slice(0, size)))) {
      throw new Error(`merkle vectors: the ${flag} root of ${size} leaves equals the right one`);
    }
    return {
      comment: `${flag} root of the first ${size} leaves`,
      flags: [flag],
      size,
      root: bytesToHex(root),
      result: "invalid",
    };
  };
  const invalid = [
    ...[3, 5, 6, 7, 11, 100].map((n) => wrong(n, "DuplicatedOddNode", duplicatingRoot(leaves.slice(0, n)))),
    ...[2, 5, 16].map((n) => wrong(n, "NoDomainSeparation", splitRoot(leaves.slice(0, n), powerOfTwoSplit, false))),
    ...[5, 6, 100].map((n) =>
      wrong(
        n,
        "BalancedSplit",
        splitRoot(leaves.slice(0, n), (m) => Math.ceil(m / 2), true),
      ),
    ),
  ];
  return [...valid, ...invalid];
};

// ------------------------------------------------------------------------------------------------
// Inclusion claims.

const claimJson = (claim: InclusionClaim) => ({
  root: bytesToHex(claim.root),
  size: claim.size,
  index: claim.index,
  leaf: bytesToHex(claim.leaf),
  proof: claim.proof.map(bytesToHex),
});

const validClaim = (leaves: readonly Uint8Array[], index: number): InclusionClaim => ({
  root: merkleRoot(h, leaves),
  size: leaves.length,
  index,
  leaf: leaves[index] as Uint8Array,
  proof: Result.getOrThrow(inclusionProof(h, leaves, index)),
});

const flipBit = (bytes: Uint8Array, bit: number): Uint8Array => {
  const out = bytes.slice();
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
};

const test = (comment: string, claim: InclusionClaim, flags: Flag[], result: "valid" | "invalid"): TestDraft => ({
  comment,
  flags,
  ...claimJson(claim),
  result,
});

/** The index of the same tree nearest to `index` whose proof has the same length, if any. */
const sameLengthIndex = (index: number, size: number): number | undefined => {
  const length = inclusionPathLength(index, size);
  for (let d = 1; d < size; d++) {
    for (const j of [index + d, index - d]) if (j >= 0 && j < size && inclusionPathLength(j, size) === length) return j;
  }
  return undefined;
};

/** The smallest size above `size` that gives `index` a path of another length (MERKLE-7). */
const otherLengthSize = (index: number, size: number): number => {
  let other = size + 1;
  while (inclusionPathLength(index, other) === inclusionPathLength(index, size)) other += 1;
  return other;
};

const mutations = (leaves: readonly Uint8Array[], index: number, bits: (n: number) => number): TestDraft[] => {
  const claim = validClaim(leaves, index);
  const where = `leaf ${index} of ${leaves.length}`;
  const out: TestDraft[] = [];
  const other = sameLengthIndex(index, leaves.length);
  if (other !== undefined)
    out.push(test(`${where} presented as index ${other}`, { ...claim, index: other }, ["WrongIndex"], "invalid"));
  const leaf =
    claim.leaf.length === 0 ? new Uint8Array([bits(255) + 1]) : flipBit(claim.leaf, bits(8 * claim.leaf.length));
  out.push(test(`${where} with other leaf data`, { ...claim, leaf }, ["WrongLeaf"], "invalid"));
  if (claim.proof.length > 0) {
    const k = bits(claim.proof.length);
    const proof = claim.proof.map((p, i) => (i === k ? flipBit(p, bits(256)) : p));
    out.push(test(`${where} with a bit of proof[${k}] flipped`, { ...claim, proof }, ["TamperedSibling"], "invalid"));
    out.push(
      test(
        `${where} without its last proof hash`,
        { ...claim, proof: claim.proof.slice(0, -1) },
        ["MerklePathLength", "TruncatedPath"],
        "invalid",
      ),
    );
  }
  out.push(
    test(
      `${where} with the root appended to the proof`,
      { ...claim, proof: [...claim.proof, claim.root] },
      ["MerklePathLength", "ExtendedPath"],
      "invalid",
    ),
  );
  const size = otherLengthSize(index, leaves.length);
  out.push(
    test(`${where} presented under size ${size}`, { ...claim, size }, ["MerklePathLength", "WrongSize"], "invalid"),
  );
  return out;
};

/** Malformed claims and attacks on a tree of at least 5 leaves. */
const edgeTests = (leaves: readonly Uint8Array[]): TestDraft[] => {
  const n = leaves.length;
  const claim = validClaim(leaves, n - 1);
  const pair = leaves.slice(0, 4);
  const secondPreimage: InclusionClaim = {
    root: merkleRoot(h, pair),
    size: 2,
    index: 0,
    leaf: concatBytes(leafHash(h, pair[0] as Uint8Array), leafHash(h, pair[1] as Uint8Array)),
    proof: [nodeHash(h, leafHash(h, pair[2] as Uint8Array), leafHash(h, pair[3] as Uint8Array))],
  };
  const five = leaves.slice(0, 5);
  return [
    test("index equal to the size", { ...claim, index: n }, ["MerkleIndexOutOfRange"], "invalid"),
    test("index far past the size", { ...claim, index: n + 7 }, ["MerkleIndexOutOfRange"], "invalid"),
    test(
      "the empty tree has no leaves",
      { ...claim, size: 0, index: 0, proof: [], root: merkleRoot(h, []) },
      ["MerkleIndexOutOfRange"],
      "invalid",
    ),
    test("size 2^32, one past the bound", { ...claim, size: MAX_LEAVES + 1 }, ["MerkleSizeOutOfRange"], "invalid"),
    test("a 31-byte root", { ...claim, root: claim.root.subarray(0, 31) }, ["MerkleHashLength"], "invalid"),
    test(
      "a 33-byte proof hash",
      { ...claim, proof: [concatBytes(claim.proof[0] as Uint8Array, new Uint8Array(1)), ...claim.proof.slice(1)] },
      ["MerkleHashLength"],
      "invalid",
    ),
    test(
      "two child hashes passed off as leaf data (4 leaves read as 2)",
      secondPreimage,
      ["SecondPreimageLeaf"],
      "invalid",
    ),
    test(
      "leaf 0 of 5 under size 6: same path shape, so it verifies",
      { ...validClaim(five, 0), size: 6 },
      ["SizeNotBoundByProof"],
      "valid",
    ),
  ];
};

const inclusionTests = (leaves: readonly Uint8Array[], bits: (n: number) => number): TestDraft[] => {
  const n = leaves.length;
  const probed = [...new Set([0, 1, Math.floor(n / 2), n - 2, n - 1])].filter((i) => i >= 0 && i < n);
  // Every leaf of the small trees; in larger ones the probed leaves only, to keep the file small.
  const indices = n <= 16 ? leaves.map((_, i) => i) : probed;
  const valid = indices.map((i) => test(`leaf ${i} of ${n}`, validClaim(leaves, i), [], "valid"));
  const mutated = probed.flatMap((i) => mutations(leaves, i, bits));
  return [...valid, ...mutated, ...(n >= 5 && n <= 16 ? edgeTests(leaves) : [])];
};

// ------------------------------------------------------------------------------------------------

interface MerkleTest {
  readonly tcId: number;
  readonly flags: readonly string[];
  readonly result: string;
  readonly size: number;
  readonly root: string;
  readonly index?: number;
  readonly leaf?: string;
  readonly proof?: readonly string[];
}
interface MerkleGroup {
  readonly type: "MerkleRoot" | "MerkleInclusion";
  readonly leaves: readonly string[];
  readonly tests: readonly MerkleTest[];
}
export interface MerkleFile {
  readonly testGroups: readonly MerkleGroup[];
}

export const buildMerkleFile = (seed: Uint8Array): MerkleFile => {
  const random = seededSource(seed);
  const below = (n: number): number => (random.bytes(4).reduce((acc, b) => acc * 256 + b, 0) >>> 0) % n;
  const leafList = (count: number): Uint8Array[] => Array.from({ length: count }, () => random.bytes(below(34)));
  const rootLeaves = leafList(Math.max(...ROOT_SIZES));
  const trees = [1, 2, 3, 7, 13, 33].map(leafList);
  return buildWycheproof({
    algorithm: "MERKLE-SHA256 (RFC 9162 §2.1)",
    schema: SCHEMA,
    header: [
      "Merkle trees over SHA-256 of spec/merkle.md: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right),",
      "split at the largest power of two below n (odd nodes promoted), empty root = SHA-256('').",
      "MerkleRoot: the root of the first `size` of the group's leaves; valid tests give the root, invalid ones a root",
      "that a broken tree computes and a conforming one must not.",
      "MerkleInclusion: an inclusion claim (root, size, index, leaf data, proof); valid tests verify. For invalid",
      "tests whose first flag is an error code (Merkle...), verification fails with that error; otherwise it is a",
      "well-formed proof that does not lead to the root (verification returns false).",
    ],
    notes: NOTES,
    testGroups: [
      { type: "MerkleRoot", leaves: rootLeaves.map(bytesToHex), tests: rootTests(rootLeaves) },
      ...trees.map((leaves) => ({
        type: "MerkleInclusion",
        leaves: leaves.map(bytesToHex),
        tests: inclusionTests(leaves, below),
      })),
    ],
  }) as unknown as MerkleFile;
};

const expectedOutcome = (t: MerkleTest): string => {
  if (t.result === "valid") return "true";
  const first = t.flags[0] ?? "";
  return (ERROR_TAGS as readonly string[]).includes(first) ? first : "false";
};

const checkTest = (group: MerkleGroup, t: MerkleTest): void => {
  const leaves = group.leaves.map(hexToBytes);
  if (group.type === "MerkleRoot") {
    for (const hasher of HASHERS) {
      const root = bytesToHex(merkleRoot(hasher, leaves.slice(0, t.size)));
      expect(
        (root === t.root) === (t.result === "valid"),
        `${hasher.implementation}: root ${root}, test root ${t.root}`,
      );
    }
    return;
  }
  const claim: InclusionClaim = {
    root: hexToBytes(t.root),
    size: t.size,
    index: t.index ?? -1,
    leaf: hexToBytes(t.leaf ?? ""),
    proof: (t.proof ?? []).map(hexToBytes),
  };
  for (const hasher of HASHERS) {
    const got = Result.match(verifyInclusion(hasher, claim), { onSuccess: String, onFailure: (e) => e._tag });
    expect(
      got === expectedOutcome(t),
      `${hasher.implementation}: verification gave ${got}, expected ${expectedOutcome(t)}`,
    );
  }
  // A valid claim about the group's own tree is also regenerated from the leaves.
  if (t.result === "valid" && t.size === leaves.length) {
    const proof = Result.getOrThrow(inclusionProof(h, leaves, claim.index)).map(bytesToHex);
    expect(JSON.stringify(proof) === JSON.stringify(t.proof), "the proof differs from the regenerated one");
    expect(bytesToHex(merkleRoot(h, leaves)) === t.root, "the root differs from the regenerated one");
  }
};

export const checkMerkleFile = (file: MerkleFile): CheckReport => {
  const cases: { group: MerkleGroup; test: MerkleTest }[] = [];
  forEachTest(file, (t, group) => cases.push({ group, test: t }));
  return runCases(
    cases,
    ({ group, test: t }) => `${group.type} tcId ${t.tcId}`,
    ({ group, test: t }) => checkTest(group, t),
  );
};

/** Both group kinds in one file: the envelope of each, with the group schemas combined. */
const merkleSchema = (): JsonSchema => {
  const roots = wycheproofSchema("MerkleRoot", { leaves: arr(hex()) }, { size: int(0), root: hex(32) });
  const inclusion = wycheproofSchema(
    "MerkleInclusion",
    { leaves: arr(hex(), 1) },
    { root: hex(), size: int(0), index: int(0), leaf: hex(), proof: arr(hex()) },
  );
  const groupsOf = (schema: JsonSchema) =>
    (schema.properties as { testGroups: { items: JsonSchema } }).testGroups.items;
  return {
    ...roots,
    properties: { ...(roots.properties as object), testGroups: arr(oneOf(groupsOf(roots), groupsOf(inclusion)), 1) },
  };
};

export const merkleFamily: VectorFamily = {
  name: "merkle",
  owns: (path) => path === FILE,
  schemaFile: SCHEMA,
  schema: merkleSchema(),
  expectsFiles: true,
  generate: (seed) => {
    const file = buildMerkleFile(seed);
    const report = checkMerkleFile(file);
    if (report.failures.length > 0)
      throw new Error(`merkle vectors fail their own check: ${report.failures.join("; ")}`);
    return [{ path: FILE, json: file }];
  },
  check: (_path, json) => checkMerkleFile(json as MerkleFile),
};
