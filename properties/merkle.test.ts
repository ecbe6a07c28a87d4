/**
 * Merkle trees (spec/merkle.md): the RFC 6962 reference data as official vectors, then properties on
 * both SHA-256 implementations, each with a negative control against a deliberately broken tree.
 */
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesEqual, bytesToHex, compareBytes, concatBytes, hexToBytes } from "../src/crypto/bytes.js";
import {
  type InclusionClaim,
  inclusionPathLength,
  inclusionProof,
  leafHash,
  MAX_LEAVES,
  MAX_PROOF_HASHES,
  merkleRoot,
  nodeHash,
  rootFromInclusionProof,
  type Sha256Hasher,
  verifyInclusion,
} from "../src/crypto/merkle.js";
import { type CryptoShape, nobleCrypto } from "../src/crypto/signature.js";
import { nodeCrypto } from "../src/node.js";
import { buildMerkleFile, checkMerkleFile, type MerkleFile } from "../vectors/gen/merkle.js";
import { familySeed } from "../vectors/generate.js";
import { failsOn, holds } from "./check.js";

const HASHERS: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];
const noble = nobleCrypto;

// RFC 6962 reference data, as published with transparency-dev/merkle (proof/verify_test.go) and the
// certificate-transparency C++ tests it came from: eight leaves, the roots of their prefixes of sizes
// 1..8, and four inclusion proofs (leaf numbers there are 1-based; here they are 0-based indices).
const RFC6962_LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
const RFC6962_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const EMPTY_TREE_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const SOME_HASH = "abacaba000000000000000000000000000000000000000000060061e00123456";
const RFC6962_PROOFS: readonly { index: number; size: number; proof: readonly string[] }[] = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

const rfcLeaves = RFC6962_LEAVES.map(hexToBytes);

/** A verification outcome as one comparable value: true, false, or the error's tag. */
type Outcome = boolean | string;
const outcome = (h: Sha256Hasher, claim: InclusionClaim): Outcome =>
  Result.match(verifyInclusion(h, claim), { onSuccess: (ok) => ok, onFailure: (error) => error._tag });

/** The transparency-dev corruption probes of a valid claim: every one must be rejected. */
const corruptions = (claim: InclusionClaim): [string, InclusionClaim][] => {
  const { index, size, proof, root } = claim;
  const flipped = proof.map((_, i): [string, InclusionClaim] => {
    const copy = proof.map((p, j) => (j === i ? concatBytes(new Uint8Array([(p[0] ?? 0) ^ 8]), p.subarray(1)) : p));
    return [`proof[${i}] bit 3`, { ...claim, proof: copy }];
  });
  const probes: [string, InclusionClaim][] = [
    ["index - 1", { ...claim, index: index - 1 }],
    ["index + 1", { ...claim, index: index + 1 }],
    ["index ^ 2", { ...claim, index: index ^ 2 }],
    ["size * 2", { ...claim, size: size * 2 }],
    ["size / 2", { ...claim, size: Math.floor(size / 2) }],
    ["wrong leaf", { ...claim, leaf: new TextEncoder().encode("WrongLeaf") }],
    ["empty-tree root", { ...claim, root: hexToBytes(EMPTY_TREE_ROOT) }],
    ["random root", { ...claim, root: hexToBytes(SOME_HASH) }],
    ["trailing empty hash", { ...claim, proof: [...proof, new Uint8Array(0)] }],
    ["trailing root", { ...claim, proof: [...proof, root] }],
    ["preceding empty hash", { ...claim, proof: [new Uint8Array(0), ...proof] }],
    ["preceding root", { ...claim, proof: [root, ...proof] }],
    ...flipped,
  ];
  if (proof.length > 0) probes.push(["removed component", { ...claim, proof: proof.slice(0, -1) }]);
  if (proof.length > 1) {
    probes.push([
      "inserted component",
      { ...claim, proof: [proof[0] as Uint8Array, hexToBytes(SOME_HASH), ...proof.slice(1)] },
    ]);
  }
  return probes;
};

describe("Merkle trees: RFC 6962 reference data", () => {
  it("[MERKLE-1] [MERKLE-2] [MERKLE-3] [MERKLE-8] roots of the reference leaves for sizes 0..8, both hashers", () => {
    for (const h of HASHERS) {
      expect(bytesToHex(merkleRoot(h, []))).toBe(EMPTY_TREE_ROOT);
      RFC6962_ROOTS.forEach((root, i) => {
        expect(bytesToHex(merkleRoot(h, rfcLeaves.slice(0, i + 1))), `${h.implementation} size ${i + 1}`).toBe(root);
      });
    }
  });

  it("[MERKLE-4] [MERKLE-5] [MERKLE-8] the reference inclusion proofs are generated and verify", () => {
    for (const h of HASHERS) {
      for (const { index, size, proof } of RFC6962_PROOFS) {
        const leaves = rfcLeaves.slice(0, size);
        const made = Result.getOrThrow(inclusionProof(h, leaves, index)).map(bytesToHex);
        expect(made, `proof ${index} of ${size}`).toEqual(proof);
        const claim = {
          root: hexToBytes(RFC6962_ROOTS[size - 1] as string),
          size,
          index,
          leaf: rfcLeaves[index] as Uint8Array,
          proof: proof.map(hexToBytes),
        };
        expect(outcome(h, claim)).toBe(true);
      }
    }
  });

  it("[MERKLE-5] [MERKLE-8] every transparency-dev corruption of a reference proof is rejected", () => {
    for (const { index, size, proof } of RFC6962_PROOFS) {
      const claim = {
        root: hexToBytes(RFC6962_ROOTS[size - 1] as string),
        size,
        index,
        leaf: rfcLeaves[index] as Uint8Array,
        proof: proof.map(hexToBytes),
      };
      for (const [name, probe] of corruptions(claim)) {
        for (const h of HASHERS) expect(outcome(h, probe), `${name} of proof ${index}/${size}`).not.toBe(true);
      }
    }
  });

  it("[MERKLE-5] the single-leaf tree: the root is the leaf hash and the proof is empty", () => {
    const leaf = new TextEncoder().encode("data");
    const root = leafHash(noble, leaf);
    expect(bytesEqual(merkleRoot(noble, [leaf]), root)).toBe(true);
    expect(outcome(noble, { root, size: 1, index: 0, leaf, proof: [] })).toBe(true);
    expect(outcome(noble, { root: new Uint8Array(0), size: 1, index: 0, leaf, proof: [] })).toBe("MerkleHashLength");
    expect(outcome(noble, { root, size: 0, index: 0, leaf, proof: [] })).toBe("MerkleIndexOutOfRange");
    expect(outcome(noble, { root, size: 1, index: 1, leaf, proof: [] })).toBe("MerkleIndexOutOfRange");
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties. A tree implementation is passed in, so the same property runs on ours and on a broken one.

interface TreeImpl {
  readonly root: (leaves: readonly Uint8Array[]) => Uint8Array;
  readonly prove: (leaves: readonly Uint8Array[], index: number) => readonly Uint8Array[];
  readonly verify: (claim: InclusionClaim) => Outcome;
}

const ours = (h: Sha256Hasher): TreeImpl => ({
  root: (leaves) => merkleRoot(h, leaves),
  prove: (leaves, index) => Result.getOrThrow(inclusionProof(h, leaves, index)),
  verify: (claim) => outcome(h, claim),
});

const leavesArb = (minLength = 1, maxLength = 40) =>
  fc.uniqueArray(fc.uint8Array({ maxLength: 48 }), { minLength, maxLength, selector: bytesToHex });

/** Leaves, an index into them, and the valid claim for that leaf. */
const claimArb = (impl: TreeImpl) =>
  leavesArb().chain((leaves) =>
    fc.nat({ max: leaves.length - 1 }).map((index) => {
      const claim: InclusionClaim = {
        root: impl.root(leaves),
        size: leaves.length,
        index,
        leaf: leaves[index] as Uint8Array,
        proof: impl.prove(leaves, index),
      };
      return { leaves, claim };
    }),
  );

describe("Merkle trees: inclusion proofs", () => {
  it("[MERKLE-4] [MERKLE-5] every leaf's proof verifies, on both hashers", () => {
    for (const h of HASHERS) {
      holds(
        `every leaf's proof verifies (${h.implementation})`,
        fc.property(claimArb(ours(h)), ({ claim }) => ours(h).verify(claim) === true),
        { numRuns: 150 },
      );
    }
  });

  /** Another leaf close to the claimed one: one bit flipped, a byte appended or dropped, or unrelated bytes. */
  const otherLeafArb = (leaf: Uint8Array) =>
    fc.oneof(
      fc.nat({ max: 8 * Math.max(leaf.length, 1) - 1 }).map((bit) => {
        const other = leaf.length === 0 ? new Uint8Array(1) : leaf.slice();
        other[bit >> 3] = (other[bit >> 3] as number) ^ (1 << (bit & 7));
        return other;
      }),
      fc.nat({ max: 255 }).map((byte) => concatBytes(leaf, new Uint8Array([byte]))),
      fc.constant(leaf.subarray(0, Math.max(leaf.length - 1, 0))),
      fc.uint8Array({ maxLength: 48 }),
    );

  const wrongLeafFails = (impl: TreeImpl) =>
    fc.property(
      claimArb(impl).chain((c) => otherLeafArb(c.claim.leaf).map((other) => [c.claim, other] as const)),
      ([claim, other]) => bytesEqual(other, claim.leaf) || impl.verify({ ...claim, leaf: other }) !== true,
    );

  it("[MERKLE-5] a different leaf fails", () => {
    holds("a different leaf fails", wrongLeafFails(ours(noble)), { numRuns: 200 });
  });

  it("[MERKLE-5] negative control: a leaf hash that reads only the first 8 bytes is caught", () => {
    const truncating: Sha256Hasher = {
      sha256: (data) => noble.sha256(data[0] === 0x00 ? data.subarray(0, 9) : data),
    };
    const found = failsOn("leaf truncated to 8 bytes", wrongLeafFails(ours(truncating)));
    const [claim, other] = found.value[0];
    expect(Math.max(claim.leaf.length, other.length)).toBeGreaterThan(8);
  });

  const wrongIndexFails = (impl: TreeImpl) =>
    fc.property(claimArb(impl), fc.nat(), ({ claim }, shift) => {
      const index = (claim.index + 1 + (shift % claim.size)) % claim.size;
      return index === claim.index || impl.verify({ ...claim, index }) !== true;
    });

  it("[MERKLE-5] the proof of one index fails at every other index of the same tree", () => {
    holds("a different index fails", wrongIndexFails(ours(noble)), { numRuns: 200 });
  });

  it("[MERKLE-5] negative control: a verifier that ignores the index (sorted-pair hashing) is caught", () => {
    const sortedPair = (a: Uint8Array, b: Uint8Array) =>
      compareBytes(a, b) <= 0 ? nodeHash(noble, a, b) : nodeHash(noble, b, a);
    const sortedTree: TreeImpl = {
      root: (leaves) => {
        let level = leaves.map((l) => leafHash(noble, l));
        while (level.length > 1) {
          level = level.flatMap((node, i) =>
            i % 2 === 1 ? [] : [level[i + 1] === undefined ? node : sortedPair(node, level[i + 1] as Uint8Array)],
          );
        }
        return level[0] as Uint8Array;
      },
      prove: (leaves, index) => Result.getOrThrow(inclusionProof(noble, leaves, index)),
      verify: ({ root, leaf, proof }) =>
        bytesEqual(
          proof.reduce((r, p) => sortedPair(r, p), leafHash(noble, leaf)),
          root,
        ),
    };
    const found = failsOn("index-blind verifier", wrongIndexFails(sortedTree));
    expect(found.value[0].leaves.length).toBeGreaterThanOrEqual(2);
    expect(found.value[0].leaves.length).toBeLessThanOrEqual(8);
  });

  const flippedSiblingFails = (impl: TreeImpl) =>
    fc.property(
      claimArb(impl).filter(({ claim }) => claim.proof.length > 0),
      fc.nat(),
      fc.nat({ max: 255 }),
      ({ claim }, at, bit) => {
        const which = at % claim.proof.length;
        const proof = claim.proof.map((p) => p.slice());
        const sibling = proof[which] as Uint8Array;
        sibling[bit >> 3] = (sibling[bit >> 3] as number) ^ (1 << (bit & 7));
        return impl.verify({ ...claim, proof }) !== true;
      },
    );

  it("[MERKLE-5] flipping any bit of any sibling fails", () => {
    holds("any sibling bit flip fails", flippedSiblingFails(ours(noble)), { numRuns: 300 });
  });

  it("[MERKLE-5] negative control: a node hash that drops the right child's last byte is caught", () => {
    const sloppy: Sha256Hasher = {
      sha256: (data) => noble.sha256(data[0] === 0x01 ? data.subarray(0, 64) : data),
    };
    const found = failsOn("node hash ignores a byte", flippedSiblingFails(ours(sloppy)), 1000);
    expect(found.value[2] >> 3).toBe(31);
  });

  it("[MERKLE-5] a proof of the wrong length is MerklePathLength, before any hashing", () => {
    holds(
      "wrong path length is a typed error",
      fc.property(claimArb(ours(noble)), fc.integer({ min: -3, max: 3 }), ({ claim }, delta) => {
        const length = claim.proof.length + delta;
        if (delta === 0 || length < 0) return true;
        const proof = Array.from({ length }, (_, i) => claim.proof[i] ?? claim.root);
        return outcome(noble, { ...claim, proof }) === "MerklePathLength";
      }),
    );
  });

  it("[MERKLE-5] negative control: a verifier that ignores trailing hashes is caught", () => {
    const lenient: TreeImpl = {
      ...ours(noble),
      verify: (claim) =>
        outcome(noble, { ...claim, proof: claim.proof.slice(0, inclusionPathLength(claim.index, claim.size)) }),
    };
    const found = failsOn(
      "trailing hashes ignored",
      fc.property(
        claimArb(lenient),
        ({ claim }) => lenient.verify({ ...claim, proof: [...claim.proof, claim.root] }) === "MerklePathLength",
      ),
    );
    expect(found.value[0].claim.size).toBe(1);
  });

  it("[MERKLE-5] malformed sizes, indices and hash widths are typed errors, never throws", () => {
    const base = {
      root: merkleRoot(noble, rfcLeaves),
      size: 8,
      index: 3,
      leaf: rfcLeaves[3] as Uint8Array,
      proof: Result.getOrThrow(inclusionProof(noble, rfcLeaves, 3)),
    };
    const cases: [Partial<InclusionClaim>, string][] = [
      [{ size: -1 }, "MerkleSizeOutOfRange"],
      [{ size: 8.5 }, "MerkleSizeOutOfRange"],
      [{ size: MAX_LEAVES + 1 }, "MerkleSizeOutOfRange"],
      [{ size: Number.NaN }, "MerkleSizeOutOfRange"],
      [{ index: -1 }, "MerkleIndexOutOfRange"],
      [{ index: 1.5 }, "MerkleIndexOutOfRange"],
      [{ index: 8 }, "MerkleIndexOutOfRange"],
      [{ root: new Uint8Array(31) }, "MerkleHashLength"],
      [{ proof: [...base.proof.slice(0, 2), new Uint8Array(33)] }, "MerkleHashLength"],
      [{ proof: base.proof.slice(1) }, "MerklePathLength"],
    ];
    for (const [change, tag] of cases) expect(outcome(noble, { ...base, ...change }), JSON.stringify(change)).toBe(tag);
    expect(outcome(noble, base)).toBe(true);
  });
});

/** The direction sequence of a proof: for each consumed hash, is the sibling on the left? (RFC 9162 §2.1.3.2). */
const directions = (index: number, size: number): string => {
  let out = "";
  let fn = index;
  let sn = size - 1;
  while (sn > 0) {
    if (fn % 2 === 1 || fn === sn) {
      out += "L";
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      out += "R";
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return out;
};

describe("Merkle trees: the tree size", () => {
  const sizeOnlyThroughLength = (impl: TreeImpl) =>
    fc.property(claimArb(impl), fc.integer({ min: 1, max: 90 }), ({ claim }, size) => {
      const sameLength = claim.index < size && inclusionPathLength(claim.index, size) === claim.proof.length;
      const expected = claim.index >= size ? "MerkleIndexOutOfRange" : sameLength ? true : "MerklePathLength";
      return impl.verify({ ...claim, size }) === expected;
    });

  it("[MERKLE-7] under another size a proof verifies iff the path length is unchanged, else MerklePathLength", () => {
    holds("the size acts only through the path length", sizeOnlyThroughLength(ours(noble)), { numRuns: 300 });
  });

  it("[MERKLE-7] for one index, the path length determines the direction sequence", () => {
    holds(
      "same length, same directions",
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.nat(), (a, b, seed) => {
        const index = seed % Math.min(a, b);
        return (
          inclusionPathLength(index, a) !== inclusionPathLength(index, b) ||
          directions(index, a) === directions(index, b)
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("[MERKLE-7] negative control: a verifier that ignores the size is caught", () => {
    const sizeBlind: TreeImpl = {
      ...ours(noble),
      verify: ({ root, index, leaf, proof }) =>
        bytesEqual(
          proof.reduce(
            (r, p, level) => ((index >>> level) & 1 ? nodeHash(noble, p, r) : nodeHash(noble, r, p)),
            leafHash(noble, leaf),
          ),
          root,
        ),
    };
    failsOn("size-blind verifier", sizeOnlyThroughLength(sizeBlind));
  });

  /** RFC 9162 §2.1.3.1 PATH length, by its recursive definition over exact integers. */
  const referencePathLength = (m: bigint, n: bigint): number => {
    if (n <= 1n) return 0;
    let k = 1n;
    while (k * 2n < n) k *= 2n;
    return 1 + (m < k ? referencePathLength(m, k) : referencePathLength(m - k, n - k));
  };
  const sizeIndexArb = fc
    .integer({ min: 1, max: MAX_LEAVES })
    .chain((size) => fc.tuple(fc.nat({ max: size - 1 }), fc.constant(size)));

  it("[MERKLE-6] path lengths are right for every size up to 2^32 - 1 leaves, and at most 32", () => {
    holds(
      "path length matches RFC 9162's recursive definition",
      fc.property(sizeIndexArb, ([index, size]) => {
        const length = inclusionPathLength(index, size);
        return length === referencePathLength(BigInt(index), BigInt(size)) && length <= MAX_PROOF_HASHES;
      }),
      { numRuns: 500 },
    );
    expect(inclusionPathLength(MAX_LEAVES - 2, MAX_LEAVES)).toBe(MAX_PROOF_HASHES);
  });

  it("[MERKLE-6] negative control: signed shifts break past 2^31 leaves", () => {
    const signedShift = (index: number, size: number): number => {
      let length = 0;
      for (let i = index, width = size; width > 1; i >>= 1, width = Math.ceil(width / 2))
        if ((i ^ 1) < width) length += 1;
      return length;
    };
    failsOn(
      "signed shift",
      fc.property(
        sizeIndexArb,
        ([index, size]) => signedShift(index, size) === referencePathLength(BigInt(index), BigInt(size)),
      ),
      2000,
    );
  });

  it("[MERKLE-6] the RFC 9162 loop runs on the largest trees with unsigned arithmetic", () => {
    holds(
      "largest trees: a 32-hash proof is consumed without error",
      fc.property(
        fc.integer({ min: 2 ** 31, max: MAX_LEAVES - 1 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (index, seed) => {
          const proof = Array.from({ length: inclusionPathLength(index, MAX_LEAVES) }, (_, i) =>
            noble.sha256(concatBytes(seed, new Uint8Array([i]))),
          );
          return Result.isSuccess(rootFromInclusionProof(noble, { size: MAX_LEAVES, index, leaf: seed, proof }));
        },
      ),
      { numRuns: 50 },
    );
  });
});

/** RFC 9162 §2.1.1 MTH by its recursive definition: the split point as a parameter, for the negative control. */
const recursiveRoot = (h: Sha256Hasher, leaves: readonly Uint8Array[], split: (n: number) => number): Uint8Array => {
  if (leaves.length === 0) return h.sha256(new Uint8Array(0));
  if (leaves.length === 1) return leafHash(h, leaves[0] as Uint8Array);
  const k = split(leaves.length);
  return nodeHash(h, recursiveRoot(h, leaves.slice(0, k), split), recursiveRoot(h, leaves.slice(k), split));
};
const largestPowerOfTwoBelow = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

describe("Merkle trees: the tree shape", () => {
  const matchesRfc = (impl: TreeImpl) =>
    fc.property(leavesArb(0, 70), (leaves) =>
      bytesEqual(impl.root(leaves), recursiveRoot(noble, leaves, largestPowerOfTwoBelow)),
    );

  it("[MERKLE-2] [MERKLE-3] the bottom-up root equals RFC 9162's recursive MTH, on both hashers", () => {
    for (const h of HASHERS)
      holds(`bottom-up = recursive MTH (${h.implementation})`, matchesRfc(ours(h)), { numRuns: 150 });
  });

  it("[MERKLE-2] negative control: splitting at n/2 instead of the largest power of two is caught", () => {
    const halves: TreeImpl = {
      ...ours(noble),
      root: (leaves) => recursiveRoot(noble, leaves, (n) => Math.ceil(n / 2)),
    };
    const found = failsOn("balanced split", matchesRfc(halves));
    // The two splits first differ at n = 5 (4 + 1 against 3 + 2).
    expect(found.value[0].length).toBeGreaterThanOrEqual(5);
  });

  const distinctListsDistinctRoots = (impl: TreeImpl) =>
    fc.property(
      leavesArb(1, 20).chain((leaves) =>
        fc
          .oneof(
            fc.constant(leaves),
            fc.constant([...leaves, leaves[leaves.length - 1] as Uint8Array]),
            leavesArb(1, 20),
          )
          .map((other) => [leaves, other] as const),
      ),
      ([a, b]) =>
        (a.length === b.length && a.every((leaf, i) => bytesEqual(leaf, b[i] as Uint8Array))) ||
        !bytesEqual(impl.root(a), impl.root(b)),
    );

  it("[MERKLE-2] different leaf lists have different roots (no CVE-2012-2459 duplication)", () => {
    holds("distinct leaf lists, distinct roots", distinctListsDistinctRoots(ours(noble)), { numRuns: 300 });
  });

  it("[MERKLE-2] negative control: a tree that duplicates the odd node (Bitcoin) is caught", () => {
    const bitcoin: TreeImpl = {
      ...ours(noble),
      root: (leaves) => {
        let level = leaves.map((l) => leafHash(noble, l));
        while (level.length > 1) {
          level = level.flatMap((node, i) => (i % 2 === 1 ? [] : [nodeHash(noble, node, level[i + 1] ?? node)]));
        }
        return level[0] as Uint8Array;
      },
    };
    const found = failsOn("odd node duplicated", distinctListsDistinctRoots(bitcoin));
    // CVE-2012-2459: an odd list and the same list with its last leaf repeated.
    const [a, b] = found.value[0];
    expect(a.length % 2).toBe(1);
    expect(b.length).toBe(a.length + 1);
    expect(bytesEqual(b[a.length] as Uint8Array, a[a.length - 1] as Uint8Array)).toBe(true);
  });
});

describe("Merkle vectors", () => {
  it("[MERKLE-8] the vector check passes the generated file and catches corrupted ones", () => {
    const file = buildMerkleFile(familySeed("merkle"));
    expect(checkMerkleFile(file).failures).toEqual([]);
    const corrupt = (edit: (t: Record<string, unknown>) => void, groupIndex: number): number => {
      const copy = JSON.parse(JSON.stringify(file)) as { testGroups: { tests: Record<string, unknown>[] }[] };
      edit(copy.testGroups[groupIndex]?.tests[0] as Record<string, unknown>);
      return checkMerkleFile(copy as unknown as MerkleFile).failures.length;
    };
    expect(corrupt((t) => (t.result = "invalid"), 0)).toBe(1);
    expect(corrupt((t) => (t.root = "00".repeat(32)), 0)).toBe(1);
    expect(corrupt((t) => (t.index = 1), 3)).toBe(1);
    expect(
      corrupt((t) => {
        t.result = "invalid";
        t.flags = ["MerklePathLength"];
      }, 3),
    ).toBe(1);
  });
});
