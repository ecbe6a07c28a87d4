/**
 * Merkle trees over SHA-256 as in RFC 9162 §2.1 (RFC 6962 §2.1) (spec/merkle.md, MERKLE-1..MERKLE-8):
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), the left subtree of n leaves holds
 * the largest power of two below n, so an odd node is promoted and never duplicated; the empty tree's
 * root is SHA-256(""). Roots, inclusion proofs, and their verification with typed errors.
 * @module
 */
import { Data, Result } from "effect";
import { bytesEqual } from "./bytes.js";

/** Anything with SHA-256: the `Crypto` service's shape, or `{ sha256 }`. */
export interface Sha256Hasher {
  readonly sha256: (data: Uint8Array) => Uint8Array;
}

/** [MERKLE-1] Width of every hash in a tree or proof. */
export const MERKLE_HASH_BYTES = 32;
/** [MERKLE-6] Trees hold at most 2^32 - 1 leaves (a u32 count; also the longest JavaScript array). */
export const MAX_LEAVES = 0xffff_ffff;
/** [MERKLE-6] A proof in a tree of at most MAX_LEAVES leaves has at most ceil(log2(MAX_LEAVES)) = 32 hashes. */
export const MAX_PROOF_HASHES = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** [MERKLE-1] SHA-256(0x00 ‖ data). */
export const leafHash = (h: Sha256Hasher, data: Uint8Array): Uint8Array => {
  const input = new Uint8Array(1 + data.length);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return h.sha256(input);
};

/** [MERKLE-1] SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (h: Sha256Hasher, left: Uint8Array, right: Uint8Array): Uint8Array => {
  const input = new Uint8Array(1 + 2 * MERKLE_HASH_BYTES);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + MERKLE_HASH_BYTES);
  return h.sha256(input);
};

/** One level up: pairs hashed left to right, a last unpaired node promoted unchanged ([MERKLE-2]). */
const parentLevel = (h: Sha256Hasher, level: readonly Uint8Array[]): Uint8Array[] => {
  const parents: Uint8Array[] = [];
  for (let i = 0; i < level.length; i += 2) {
    const left = level[i] as Uint8Array;
    const right = level[i + 1];
    parents.push(right === undefined ? left : nodeHash(h, left, right));
  }
  return parents;
};

/**
 * [MERKLE-2] [MERKLE-3] The root of `leaves`. Built bottom-up; pairing left to right and promoting the
 * last odd node gives exactly RFC 9162's split at the largest power of two below n, because every left
 * subtree of that split is complete. At most 32 levels (MERKLE-6).
 */
export const merkleRoot = (h: Sha256Hasher, leaves: readonly Uint8Array[]): Uint8Array => {
  if (leaves.length === 0) return h.sha256(new Uint8Array(0));
  let level = leaves.map((leaf) => leafHash(h, leaf));
  while (level.length > 1) level = parentLevel(h, level);
  return level[0] as Uint8Array;
};

/** [MERKLE-5] The leaf index is not in [0, size). */
export class MerkleIndexOutOfRange extends Data.TaggedError("MerkleIndexOutOfRange")<{
  readonly index: number;
  readonly size: number;
}> {
  override get message(): string {
    return `leaf index ${this.index} is not below the tree size ${this.size}`;
  }
}

/** [MERKLE-6] The tree size is not an integer in [0, MAX_LEAVES]. */
export class MerkleSizeOutOfRange extends Data.TaggedError("MerkleSizeOutOfRange")<{ readonly size: number }> {
  override get message(): string {
    return `tree size ${this.size} is not an integer in [0, ${MAX_LEAVES}]`;
  }
}

/** [MERKLE-5] The proof does not have the one length that (index, size) determines. */
export class MerklePathLength extends Data.TaggedError("MerklePathLength")<{
  readonly expected: number;
  readonly actual: number;
}> {
  override get message(): string {
    return `inclusion proof has ${this.actual} hashes, (index, size) requires ${this.expected}`;
  }
}

/** [MERKLE-5] A root or proof hash that is not 32 bytes. */
export class MerkleHashLength extends Data.TaggedError("MerkleHashLength")<{
  readonly field: string;
  readonly length: number;
}> {
  override get message(): string {
    return `${this.field} is ${this.length} bytes, not ${MERKLE_HASH_BYTES}`;
  }
}

export type MerkleProofError = MerkleIndexOutOfRange | MerkleSizeOutOfRange | MerklePathLength | MerkleHashLength;

const sizeError = (size: number): MerkleSizeOutOfRange | undefined =>
  Number.isInteger(size) && size >= 0 && size <= MAX_LEAVES ? undefined : new MerkleSizeOutOfRange({ size });

const indexError = (index: number, size: number): MerkleIndexOutOfRange | undefined =>
  Number.isInteger(index) && index >= 0 && index < size ? undefined : new MerkleIndexOutOfRange({ index, size });

/**
 * [MERKLE-4] The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves:
 * one per level at which the node on the path has a sibling (a promoted node has none).
 * Requires 0 <= index < size <= MAX_LEAVES.
 */
export const inclusionPathLength = (index: number, size: number): number => {
  let length = 0;
  // Unsigned shifts: sizes reach 2^32 - 1, past the signed 32-bit range of `>>`.
  for (let i = index, width = size; width > 1; i >>>= 1, width = Math.ceil(width / 2)) {
    if ((i ^ 1) >>> 0 < width) length += 1;
  }
  return length;
};

/**
 * [MERKLE-4] The inclusion proof (audit path) of leaf `index`: sibling hashes from the leaf up, as
 * RFC 9162 §2.1.3.1 PATH(m, D[n]) lists them.
 */
export const inclusionProof = (
  h: Sha256Hasher,
  leaves: readonly Uint8Array[],
  index: number,
): Result.Result<Uint8Array[], MerkleIndexOutOfRange> => {
  const error = indexError(index, leaves.length);
  if (error !== undefined) return Result.fail(error);
  const path: Uint8Array[] = [];
  let level = leaves.map((leaf) => leafHash(h, leaf));
  for (let i = index; level.length > 1; i >>>= 1) {
    const sibling = level[(i ^ 1) >>> 0];
    if (sibling !== undefined) path.push(sibling);
    level = parentLevel(h, level);
  }
  return Result.succeed(path);
};

/** What an inclusion proof claims: `leaf` is leaf number `index` of the tree of `size` leaves with `root`. */
export interface InclusionClaim {
  readonly root: Uint8Array;
  readonly size: number;
  readonly index: number;
  readonly leaf: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** [MERKLE-5] Structural checks, in this order: size, index, proof length, hash widths. */
const proofShapeError = (claim: Omit<InclusionClaim, "root">): MerkleProofError | undefined => {
  const error = sizeError(claim.size) ?? indexError(claim.index, claim.size);
  if (error !== undefined) return error;
  const expected = inclusionPathLength(claim.index, claim.size);
  if (claim.proof.length !== expected) return new MerklePathLength({ expected, actual: claim.proof.length });
  const bad = claim.proof.findIndex((hash) => hash.length !== MERKLE_HASH_BYTES);
  return bad < 0 ? undefined : new MerkleHashLength({ field: `proof[${bad}]`, length: claim.proof[bad]?.length ?? 0 });
};

/**
 * [MERKLE-5] The root that an inclusion proof yields for `leaf`, by RFC 9162 §2.1.3.2. The RFC's own
 * failure conditions (a hash left over when sn reaches 0, or sn > 0 after the last hash) are exactly a
 * proof of the wrong length, which `MerklePathLength` reports before any hashing.
 */
export const rootFromInclusionProof = (
  h: Sha256Hasher,
  claim: Omit<InclusionClaim, "root">,
): Result.Result<Uint8Array, MerkleProofError> => {
  const error = proofShapeError(claim);
  if (error !== undefined) return Result.fail(error);
  let fn = claim.index;
  let sn = claim.size - 1;
  let r = leafHash(h, claim.leaf);
  for (const p of claim.proof) {
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(h, p, r);
      // Skip the levels at which this node was promoted (it had no sibling there).
      while ((fn & 1) === 0 && fn !== 0) {
        fn >>>= 1;
        sn >>>= 1;
      }
    } else {
      r = nodeHash(h, r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return Result.succeed(r);
};

/**
 * [MERKLE-5] Verifies an inclusion proof: a typed error for a malformed claim, otherwise whether the
 * proof leads to `root` (false is a mismatch: wrong leaf, index, sibling, or root).
 * [MERKLE-7] `size` must come from the object that carries `root`: the proof cannot authenticate it.
 */
export const verifyInclusion = (h: Sha256Hasher, claim: InclusionClaim): Result.Result<boolean, MerkleProofError> => {
  if (claim.root.length !== MERKLE_HASH_BYTES) {
    return Result.fail(new MerkleHashLength({ field: "root", length: claim.root.length }));
  }
  return Result.map(rootFromInclusionProof(h, claim), (computed) => bytesEqual(computed, claim.root));
};
