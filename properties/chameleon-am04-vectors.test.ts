/**
 * [CH-14] The AM04 chameleon vector family (spec/chameleon-hash.md, CH-15..CH-19) can fail: the committed files
 * pass (the runner also checks that), and each kind of wrong expectation is reported: a changed output byte, a
 * changed verification result, a changed error code or reason, and a changed input. The edge cases the files
 * claim are checked from the outside: the IdentityCommitment hash maps the identity, and the ReusedCoin pair of
 * collisions gives the trapdoor away by CH-19's formula.
 */
import { secp256k1, secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, hexToBytes } from "@noble/curves/utils.js";
import { describe, expect, it } from "vitest";
import { concatBytes } from "../src/crypto/bytes.js";
import { chameleonAm04Family } from "../vectors/gen/chameleon-am04.js";
import { failuresAfter, flipHex, loadVectorFile as load, type Test } from "./vector-edits.js";

const FILES = {
  keygen: "crypto/chameleon_am04_keygen_test.json",
  hash: "crypto/chameleon_am04_hash_test.json",
  verify: "crypto/chameleon_am04_verify_test.json",
  collide: "crypto/chameleon_am04_collide_test.json",
};
const N = secp256k1.Point.Fn.ORDER;
const [DST_E, DST_F] = ["SPCHAIN-V1-CH-AM04-E", "SPCHAIN-V1-CH-AM04-F"];

const testsOf = (path: string): Test[] => load(path).testGroups.flatMap((g) => g.tests);
const withFlag = (path: string, flag: string): Test[] => testsOf(path).filter((t) => t.flags.includes(flag));
const scalar = (value: unknown): bigint => bytesToNumberBE(hexToBytes(String(value)));
const modN = (v: bigint): bigint => ((v % N) + N) % N;

interface Collision {
  readonly rho: string;
  readonly s: bigint;
  readonly e: bigint;
}
/** ρ′, s′ of a collide vector's output and e′ = Hs_E(Y ‖ ρ′ ‖ m′) recomputed from it. */
const collisionOf = (t: Test): Collision => {
  const rNew = String(t.rNew);
  const input = concatBytes(
    hexToBytes(String(t.publicKey)),
    hexToBytes(rNew.slice(0, 64)),
    hexToBytes(String(t.newMsg)),
  );
  return { rho: rNew.slice(0, 64), s: scalar(rNew.slice(64)), e: secp256k1_hasher.hashToScalar(input, { DST: DST_E }) };
};
/** [CH-19] x = (s′_a − s′_b)/(e′_b − e′_a), as the public key it gives (hex). */
const extractedKey = (a: Collision, b: Collision): string =>
  secp256k1.Point.BASE.multiply(modN(modN(a.s - b.s) * secp256k1.Point.Fn.inv(modN(b.e - a.e)))).toHex(true);

type Edit = [file: string, pick: (t: Test) => boolean, edit: (t: Test) => void];
const valid = (t: Test) => t.result === "valid";
const EDITS: Record<string, Edit> = {
  "hash h": [FILES.hash, valid, (t) => Object.assign(t, { h: flipHex(t.h) })],
  "hash r": [FILES.hash, valid, (t) => Object.assign(t, { r: flipHex(t.r) })],
  "collision rNew": [FILES.collide, valid, (t) => Object.assign(t, { rNew: flipHex(t.rNew) })],
  "keygen publicKey": [FILES.keygen, valid, (t) => Object.assign(t, { publicKey: flipHex(t.publicKey) })],
  "verify result": [FILES.verify, valid, (t) => Object.assign(t, { result: "invalid" })],
  "verify input msg": [FILES.verify, valid, (t) => Object.assign(t, { msg: `${t.msg}00` })],
  "hash coin rho": [FILES.hash, valid, (t) => Object.assign(t, { rho: flipHex(t.rho) })],
  "decode reason": [
    FILES.verify,
    (t) => t.reason === "ScalarOutOfRange",
    (t) => Object.assign(t, { reason: "ShortInput", flags: ["ShortInput"] }),
  ],
  "refusal code": [
    FILES.collide,
    (t) => t.error === "ChameleonTrapdoorMismatch",
    (t) => Object.assign(t, { error: "ChameleonOriginalInvalid" }),
  ],
  "rejection to acceptance": [
    FILES.verify,
    (t) => t.result === "invalid" && t.error === undefined,
    (t) => Object.assign(t, { result: "valid" }),
  ],
  "first flag": [
    FILES.collide,
    (t) => t.error === "ChameleonBadCoins",
    (t) => Object.assign(t, { flags: ["EdgeCoins"] }),
  ],
};

describe("AM04 chameleon vector family", () => {
  it("[CH-14] [CH-16] the committed AM04 files pass their check", () => {
    for (const path of Object.values(FILES)) {
      const report = chameleonAm04Family.check(path, load(path));
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThan(5);
    }
  });

  it("[CH-14] a wrong output byte, result, error code, flag or input is reported", () => {
    const reported = Object.entries(EDITS).map(([name, [file, pick, edit]]) => [
      name,
      failuresAfter(chameleonAm04Family, file, pick, edit).length,
    ]);
    expect(reported).toEqual(Object.keys(EDITS).map((name) => [name, 1]));
  });

  it("[CH-15] [CH-17] the IdentityCommitment hash vector has e·Y + s·G = identity: h = rho - Hs_F(33 zero bytes)", () => {
    const [test] = withFlag(FILES.hash, "IdentityCommitment");
    if (test === undefined) throw new Error("no IdentityCommitment hash vector");
    const Y = secp256k1.Point.fromBytes(hexToBytes(String(test.publicKey)));
    const rho = scalar(test.rho);
    const e = secp256k1_hasher.hashToScalar(
      concatBytes(Y.toBytes(true), hexToBytes(String(test.rho)), hexToBytes(String(test.msg))),
      { DST: DST_E },
    );
    expect(
      Y.multiplyUnsafe(e)
        .add(secp256k1.Point.BASE.multiplyUnsafe(scalar(test.s)))
        .is0(),
    ).toBe(true);
    const fZero = secp256k1_hasher.hashToScalar(new Uint8Array(33), { DST: DST_F });
    expect(scalar(test.h)).toBe(modN(rho - fZero));
  });

  it("[CH-19] the ReusedCoin collision shares rho' with the first collision, and the two reveal the trapdoor", () => {
    const [first] = withFlag(FILES.collide, "Collision");
    const [reused] = withFlag(FILES.collide, "ReusedCoin");
    if (first === undefined || reused === undefined) throw new Error("no collision pair");
    expect([reused.k, reused.h, reused.r]).toEqual([first.k, first.h, first.r]);
    const [a, b] = [collisionOf(first), collisionOf(reused)];
    expect(a.rho).toBe(b.rho);
    expect(extractedKey(a, b)).toBe(first.publicKey);
    // Negative control: with the m' = m collision (another k) the same formula gives a wrong x.
    const [other] = withFlag(FILES.collide, "Rerandomized");
    if (other === undefined) throw new Error("no second collision of the original");
    expect(extractedKey(a, collisionOf(other))).not.toBe(first.publicKey);
  });
});
