/**
 * Tests added after mutation testing of src/crypto (npm run mutation): error messages that no other test
 * read (spec/encoding.md [ENC-5] asks errors to say where and why; [PRE-18] lists the Umbral errors), the
 * explicit-randomness check on the number of kfrag fragment coins, the programming-error guards, and the
 * Randomness-drawing `sign`.
 */
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import { Secp } from "../src/codec/fields.js";
import { inclusionProof, merkleRoot, verifyInclusion } from "../src/crypto/merkle.js";
import { keyPairFromSeed, nobleCrypto } from "../src/crypto/signature.js";
import { demEncrypt } from "../src/crypto/umbral/dem.js";
import { hashToCfragVerification } from "../src/crypto/umbral/hashing.js";
import * as U from "../src/crypto/umbral/index.js";
import { buildShare, decryptShare, seeded } from "./umbral-fixtures.js";

const messageOf = (result: Result.Result<unknown, { readonly message: string }>): string =>
  Result.isFailure(result) ? result.failure.message : "success";

describe("crypto error messages and guards found by mutation testing", () => {
  it("[MERKLE-5] [MERKLE-6] a malformed inclusion claim's error names the value and its bound", () => {
    const leaves = [1, 2, 3].map((i) => new Uint8Array(32).fill(i));
    const root = merkleRoot(nobleCrypto, leaves);
    const leaf = leaves[0] as Uint8Array;
    const proof = [new Uint8Array(32), new Uint8Array(32)];
    const claim = { root, size: 3, index: 0, leaf, proof };
    const verify = (change: Partial<typeof claim>) => messageOf(verifyInclusion(nobleCrypto, { ...claim, ...change }));
    expect(verify({ index: 3 })).toBe("leaf index 3 is not below the tree size 3");
    expect(verify({ size: 2 ** 32 })).toBe("tree size 4294967296 is not an integer in [0, 4294967295]");
    expect(verify({ proof: [] })).toBe("inclusion proof has 0 hashes, (index, size) requires 2");
    expect(verify({ root: root.subarray(1) })).toBe("root is 31 bytes, not 32");
    expect(verify({ proof: [new Uint8Array(32), new Uint8Array(31)] })).toBe("proof[1] is 31 bytes, not 32");
  });

  it("[SIG-1] a secret key of the wrong length throws SecretKeyLength naming the length", () => {
    expect(() => nobleCrypto.sign(new Uint8Array(31), Uint8Array.of(1))).toThrow(
      "Ed25519 secret key must be 32 bytes, got 31",
    );
    expect(() => nobleCrypto.publicKey(new Uint8Array(33))).toThrow("Ed25519 secret key must be 32 bytes, got 33");
  });

  it("[PRE-18] every Umbral error's message carries its reason and what failed", () => {
    const share = buildShare(new Uint8Array(16).fill(21), Uint8Array.of(1, 2, 3), 2, 3);
    const other = buildShare(new Uint8Array(16).fill(22), Uint8Array.of(1, 2, 3), 2, 3);
    const [c0, c1] = share.cfrags as [U.VerifiedCapsuleFrag, U.VerifiedCapsuleFrag];
    const dec2 = (cfrags: readonly U.VerifiedCapsuleFrag[], threshold = 2) =>
      messageOf(decryptShare(share, cfrags, threshold));
    expect(dec2([c0, c1])).toBe("success");
    expect(dec2([c0])).toBe("1 capsule fragments given, 2 needed");
    expect(dec2([c0, c0])).toBe("two fragments share a share index");
    expect(dec2([c0, other.cfrags[1] as U.VerifiedCapsuleFrag])).toBe(
      "the fragments come from different ReKeyGen runs (precursors differ)",
    );
    expect(dec2([c0], 1)).toBe("(s/d)·pk_A ≠ h·E' + V': wrong capsule, keys, or too few or foreign fragments");
    expect(messageOf(U.decryptOriginal(share.delegator.secret, share.capsule, share.ciphertext.subarray(0, 10)))).toBe(
      "CiphertextTooShort: 10 bytes, at least 40 (nonce and tag) needed",
    );
    const tampered = Uint8Array.from(share.ciphertext);
    tampered[30] = (tampered[30] ?? 0) ^ 1;
    expect(messageOf(U.decryptOriginal(share.delegator.secret, share.capsule, tampered))).toBe(
      "AuthenticationFailed: the Poly1305 tag does not verify",
    );
    const badCapsule = { ...share.capsule, s: Secp.Fn.add(share.capsule.s, 1n) };
    expect(messageOf(U.checkCapsule(badCapsule))).toBe("s·G ≠ V + H(E ‖ V)·E");
    const { kfrag } = share.kfrags[0] as U.VerifiedKeyFrag;
    const wrongSigner = { ...share.keys, verifying: share.delegatee.public };
    expect(messageOf(U.verifyKeyFrag(kfrag, wrongSigner))).toMatch(/^Signature: ./);
    expect(messageOf(U.verifyKeyFrag({ ...kfrag, key: Secp.Fn.add(kfrag.key, 1n) }, share.keys))).toMatch(
      /^Commitment: ./,
    );
    expect(messageOf(U.verifyCapsuleFrag(c0.cfrag, share.capsule, wrongSigner))).toMatch(/^Signature: ./);
  });

  it("[PRE-19] [PRE-21] ReKeyGen's explicit coins must match t and N, and the error says which and how many", () => {
    const share = buildShare(new Uint8Array(16).fill(23), Uint8Array.of(1));
    const request = {
      delegating: share.delegator.secret,
      receiving: share.delegatee.public,
      signer: share.signer.secret,
      threshold: 2,
      shares: 2,
    };
    const fragment = { id: new Uint8Array(32), receiverEntropy: new Uint8Array(32), proxyEntropy: new Uint8Array(32) };
    const make = (coefficients: bigint[], fragments: (typeof fragment)[], r = request) =>
      messageOf(U.generateKFragsWithRandomness(r, { precursor: 5n, coefficients, fragments }));
    expect(make([7n], [fragment, { ...fragment, id: new Uint8Array(32).fill(1) }])).toBe("success");
    expect(make([7n], [fragment])).toBe("fragments: need N = 2, got 1");
    expect(make([7n], [])).toBe("fragments: need N = 2, got 0");
    expect(make([], [fragment, fragment])).toBe("coefficients: need t − 1 = 1, got 0");
    expect(make([7n], [fragment], { ...request, threshold: 3 })).toBe("need 1 ≤ t ≤ N ≤ 255, got t = 3, N = 2");
  });

  it("[PRE-8] [PRE-6] [PRE-5] programming errors are RangeErrors naming the width or the value", () => {
    const key = new Uint8Array(32);
    expect(() => demEncrypt(key, new Uint8Array(12), Uint8Array.of(1), new Uint8Array(0))).toThrow(
      "the DEM nonce is 24 bytes",
    );
    expect(() => U.signWithEntropy({ scalar: 5n }, Uint8Array.of(1), new Uint8Array(31))).toThrow(
      "ECDSA entropy must be 32 bytes",
    );
    expect(() => U.encodeSecretKey({ scalar: 0n })).toThrow("a secret key is never zero");
  });

  it("[PRE-6] [PRE-19] sign draws its entropy from the Randomness service: the seed decides the signature", () => {
    const signer = { scalar: 12_345n };
    const message = Uint8Array.of(9, 9);
    const first = seeded(new Uint8Array(16).fill(1), U.sign(signer, message));
    expect(U.verifySignature(U.publicKeyOf(signer), message, first)).toBe(true);
    expect(seeded(new Uint8Array(16).fill(1), U.sign(signer, message))).toEqual(first);
    expect(seeded(new Uint8Array(16).fill(2), U.sign(signer, message))).not.toEqual(first);
    expect(U.verifySignature(U.publicKeyOf({ scalar: 54_321n }), message, first)).toBe(false);
    expect(first).toHaveLength(64);
  });

  it("[MERKLE-4] a proof is only made for a leaf of the tree: an index out of range is MerkleIndexOutOfRange", () => {
    const leaves = [Uint8Array.of(1), Uint8Array.of(2)];
    expect(messageOf(inclusionProof(nobleCrypto, leaves, 2))).toBe("leaf index 2 is not below the tree size 2");
    expect(messageOf(inclusionProof(nobleCrypto, leaves, -1))).toBe("leaf index -1 is not below the tree size 2");
    expect(messageOf(inclusionProof(nobleCrypto, leaves, 1))).toBe("success");
  });

  it("[SIG-5] a key pair keeps its own copy of the seed", () => {
    const seed = new Uint8Array(32).fill(4);
    const pair = keyPairFromSeed(nobleCrypto, seed);
    seed.fill(5);
    expect(pair.secretKey).toEqual(new Uint8Array(32).fill(4));
    expect(pair.publicKey).toEqual(nobleCrypto.publicKey(new Uint8Array(32).fill(4)));
  });

  it("[PRE-14] a proxy that re-encrypts E under another exponent than V and U is caught by the proof", () => {
    const share = buildShare(new Uint8Array(16).fill(24), Uint8Array.of(7));
    const verifiedKfrag = share.kfrags[0] as U.VerifiedKeyFrag;
    const rk = verifiedKfrag.kfrag.key;
    const tau = 0x5eed_5eedn;
    const { cfrag } = U.reencryptWithRandomness(share.capsule, verifiedKfrag, tau).pipe(
      Result.getOrThrowWith((e) => new Error(String(e))),
    );
    expect(messageOf(U.verifyCapsuleFrag(cfrag, share.capsule, share.keys))).toBe("success");
    // E1 under rk + 1, everything else honest, and the proof recomputed for it: only z·E = E2 + h·E1 fails.
    const e1 = share.capsule.e.multiply(Secp.Fn.add(rk, 1n));
    const { e, v } = share.capsule;
    const { e2, v2, commitment: u1, pok: u2 } = cfrag.proof;
    const h = hashToCfragVerification({ e, e1, e2, v, v1: cfrag.v1, v2, u1, u2 });
    const z = Secp.Fn.add(tau, Secp.Fn.mul(h, rk));
    expect(v.multiply(z).equals(v2.add(cfrag.v1.multiply(h)))).toBe(true);
    expect(
      U.umbralU()
        .multiply(z)
        .equals(u2.add(u1.multiply(h))),
    ).toBe(true);
    const forged = { ...cfrag, e1, proof: { ...cfrag.proof, z } };
    expect(messageOf(U.verifyCapsuleFrag(forged, share.capsule, share.keys))).toBe(
      "Proof: the re-encryption proof fails",
    );
  });
});
