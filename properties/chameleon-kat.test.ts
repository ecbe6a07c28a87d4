/**
 * Known answers from outside this project for the two RFC 9380 calls the chameleon hash makes
 * (spec/chameleon-hash.md, CH-5): hash_to_curve with the suite secp256k1_XMD:SHA-256_SSWU_RO_
 * (RFC 9380 Appendix J.8.1) and expand_message_xmd with SHA-256 (Appendix K.1), from which
 * hash_to_field into Z_n (L = 48, reduced mod n) is checked by its definition (RFC 9380 §5.2).
 * The values are transcribed from RFC 9380 (as published in cfrg/draft-irtf-cfrg-hash-to-curve,
 * poc/vectors/secp256k1_XMD:SHA-256_SSWU_RO_.json and expand_message_xmd_SHA256_38.json).
 */
import { expand_message_xmd, hash_to_field } from "@noble/curves/abstract/hash-to-curve.js";
import { secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { CURVE_ORDER, Secp, type SecpPoint } from "../src/codec/fields.js";
import { bytesToHex, utf8ToBytes } from "../src/crypto/bytes.js";
import { Dss20 } from "../src/crypto/chameleon/index.js";
import { hashToPoint, hashToScalar } from "../src/crypto/chameleon/rfc9380.js";

const H2C_DST = "QUUX-V01-CS02-with-secp256k1_XMD:SHA-256_SSWU_RO_";
const XMD_DST = "QUUX-V01-CS02-with-expander-SHA256-128";
const MESSAGES = ["", "abc", "abcdef0123456789", `q128_${"q".repeat(128)}`, `a512_${"a".repeat(512)}`];

/** RFC 9380 J.8.1: per message, u[0], u[1], Q0.x, Q1.x, P.x, P.y. */
const J81 = [
  {
    u0: "6b0f9910dd2ba71c78f2ee9f04d73b5f4c5f7fc773a701abea1e573cab002fb3",
    u1: "1ae6c212e08fe1a5937f6202f929a2cc8ef4ee5b9782db68b0d5799fd8f09e16",
    q0x: "74519ef88b32b425a095e4ebcc84d81b64e9e2c2675340a720bb1a1857b99f1e",
    q1x: "44548adb1b399263ded3510554d28b4bead34b8cf9a37b4bd0bd2ba4db87ae63",
    px: "c1cae290e291aee617ebaef1be6d73861479c48b841eaba9b7b5852ddfeb1346",
    py: "64fa678e07ae116126f08b022a94af6de15985c996c3a91b64c406a960e51067",
  },
  {
    u0: "128aab5d3679a1f7601e3bdf94ced1f43e491f544767e18a4873f397b08a2b61",
    u1: "5897b65da3b595a813d0fdcc75c895dc531be76a03518b044daaa0f2e4689e00",
    q0x: "07dd9432d426845fb19857d1b3a91722436604ccbbbadad8523b8fc38a5322d7",
    q1x: "e9ef9794d15d4e77dde751e06c182782046b8dac05f8491eb88764fc65321f78",
    px: "3377e01eab42db296b512293120c6cee72b6ecf9f9205760bd9ff11fb3cb2c4b",
    py: "7f95890f33efebd1044d382a01b1bee0900fb6116f94688d487c6c7b9c8371f6",
  },
  {
    u0: "ea67a7c02f2cd5d8b87715c169d055a22520f74daeb080e6180958380e2f98b9",
    u1: "7434d0d1a500d38380d1f9615c021857ac8d546925f5f2355319d823a478da18",
    q0x: "576d43ab0260275adf11af990d130a5752704f79478628761720808862544b5d",
    q1x: "f89d6d261a5e00fe5cf45e827b507643e67c2a947a20fd9ad71039f8b0e29ff8",
    px: "bac54083f293f1fe08e4a70137260aa90783a5cb84d3f35848b324d0674b0e3a",
    py: "4436476085d4c3c4508b60fcf4389c40176adce756b398bdee27bca19758d828",
  },
  {
    u0: "eda89a5024fac0a8207a87e8cc4e85aa3bce10745d501a30deb87341b05bcdf5",
    u1: "dfe78cd116818fc2c16f3837fedbe2639fab012c407eac9dfe9245bf650ac51d",
    q0x: "9c91513ccfe9520c9c645588dff5f9b4e92eaf6ad4ab6f1cd720d192eb58247a",
    q1x: "10fee3284d7be6bd5912503b972fc52bf4761f47141a0015f1c6ae36848d869b",
    px: "e2167bc785333a37aa562f021f1e881defb853839babf52a7f72b102e41890e9",
    py: "f2401dd95cc35867ffed4f367cd564763719fbc6a53e969fb8496a1e6685d873",
  },
  {
    u0: "8d862e7e7e23d7843fe16d811d46d7e6480127a6b78838c277bca17df6900e9f",
    u1: "68071d2530f040f081ba818d3c7188a94c900586761e9115efa47ae9bd847938",
    q0x: "b32b0ab55977b936f1e93fdc68cec775e13245e161dbfe556bbb1f72799b4181",
    q1x: "148f98780f19388b9fa93e7dc567b5a673e5fca7079cd9cdafd71982ec4c5e12",
    px: "e3c8d35aaaf0b9b647e88a0a0a7ee5d5bed5ad38238152e4e6fd8c1f8cb7c998",
    py: "8446eeb6181bf12f56a9d24e262221cc2f0c4725c7e3803024b5888ee5823aa6",
  },
];

/** RFC 9380 K.1 (SHA-256, DST of 38 bytes): uniform_bytes for len_in_bytes 0x20 and 0x80, per message. */
const K1 = [
  {
    len32: "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235",
    len128:
      "af84c27ccfd45d41914fdff5df25293e221afc53d8ad2ac06d5e3e29485dadbee0d121587713a3e0dd4d5e69e93eb7cd4f5df4cd103e188cf60cb02edc3edf18eda8576c412b18ffb658e3dd6ec849469b979d444cf7b26911a08e63cf31f9dcc541708d3491184472c2c29bb749d4286b004ceb5ee6b9a7fa5b646c993f0ced",
  },
  {
    len32: "d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615",
    len128:
      "abba86a6129e366fc877aab32fc4ffc70120d8996c88aee2fe4b32d6c7b6437a647e6c3163d40b76a73cf6a5674ef1d890f95b664ee0afa5359a5c4e07985635bbecbac65d747d3d2da7ec2b8221b17b0ca9dc8a1ac1c07ea6a1e60583e2cb00058e77b7b72a298425cd1b941ad4ec65e8afc50303a22c0f99b0509b4c895f40",
  },
  {
    len32: "eff31487c770a893cfb36f912fbfcbff40d5661771ca4b2cb4eafe524333f5c1",
    len128:
      "ef904a29bffc4cf9ee82832451c946ac3c8f8058ae97d8d629831a74c6572bd9ebd0df635cd1f208e2038e760c4994984ce73f0d55ea9f22af83ba4734569d4bc95e18350f740c07eef653cbb9f87910d833751825f0ebefa1abe5420bb52be14cf489b37fe1a72f7de2d10be453b2c9d9eb20c7e3f6edc5a60629178d9478df",
  },
  {
    len32: "b23a1d2b4d97b2ef7785562a7e8bac7eed54ed6e97e29aa51bfe3f12ddad1ff9",
    len128:
      "80be107d0884f0d881bb460322f0443d38bd222db8bd0b0a5312a6fedb49c1bbd88fd75d8b9a09486c60123dfa1d73c1cc3169761b17476d3c6b7cbbd727acd0e2c942f4dd96ae3da5de368d26b32286e32de7e5a8cb2949f866a0b80c58116b29fa7fabb3ea7d520ee603e0c25bcaf0b9a5e92ec6a1fe4e0391d1cdbce8c68a",
  },
  {
    len32: "4623227bcc01293b8c130bf771da8c298dede7383243dc0993d2d94823958c4c",
    len128:
      "546aff5444b5b79aa6148bd81728704c32decb73a3ba76e9e75885cad9def1d06d6792f8a7d12794e90efed817d96920d728896a4510864370c207f99bd4a608ea121700ef01ed879745ee3e4ceef777eda6d9e5e38b90c86ea6fb0b36504ba4a45d22e86f6db5dd43d98a294bebb9125d5b794e9d2a81181066eb954966a487",
  },
];

/** noble's map_to_curve for a suite with m = 1 takes one bigint at run time (its .d.ts says bigint[]). */
const mapToCurve = secp256k1_hasher.mapToCurve as unknown as (u: bigint) => SecpPoint;

const hex32 = (value: bigint): string => value.toString(16).padStart(64, "0");

/** Every J.8.1 mismatch of a hash-to-curve function, as "message: field" lines. */
const j81Mismatches = (h2c: (msg: Uint8Array) => SecpPoint): string[] =>
  MESSAGES.flatMap((msg, i) => {
    const want = J81[i];
    const p = h2c(utf8ToBytes(msg)).toAffine();
    if (want === undefined) return [`${i}: no vector`];
    return [
      ...(hex32(p.x) === want.px ? [] : [`${msg.slice(0, 8)}: P.x`]),
      ...(hex32(p.y) === want.py ? [] : [`${msg.slice(0, 8)}: P.y`]),
    ];
  });

describe("RFC 9380 known answers for the chameleon hash's hashing", () => {
  it("[CH-5] hash_to_curve reproduces RFC 9380 J.8.1 (secp256k1_XMD:SHA-256_SSWU_RO_)", () => {
    expect(j81Mismatches((msg) => hashToPoint(H2C_DST, msg))).toEqual([]);
  });

  it("[CH-5] negative control: the non-uniform encoding (encode_to_curve) does not match J.8.1", () => {
    const nu = (msg: Uint8Array) => secp256k1_hasher.encodeToCurve(msg, { DST: H2C_DST });
    expect(j81Mismatches(nu)).toHaveLength(2 * MESSAGES.length);
  });

  it("[CH-5] the suite's hash_to_field and map_to_curve give J.8.1's u and Q values", () => {
    const suite = { DST: H2C_DST, p: Secp.Fp.ORDER, m: 1, k: 128, expand: "xmd" as const, hash: sha256 };
    MESSAGES.forEach((msg, i) => {
      const want = J81[i];
      const [u0 = [], u1 = []] = hash_to_field(utf8ToBytes(msg), 2, suite);
      expect([u0.map(hex32), u1.map(hex32)]).toEqual([[want?.u0], [want?.u1]]);
      const [q0, q1] = [u0[0], u1[0]].map((u) => mapToCurve(u ?? 0n).toAffine());
      expect([hex32(q0?.x ?? 0n), hex32(q1?.x ?? 0n)]).toEqual([want?.q0x, want?.q1x]);
    });
  });

  it("[CH-5] expand_message_xmd with SHA-256 reproduces RFC 9380 K.1", () => {
    MESSAGES.forEach((msg, i) => {
      expect(bytesToHex(expand_message_xmd(utf8ToBytes(msg), XMD_DST, 0x20, sha256))).toBe(K1[i]?.len32);
      expect(bytesToHex(expand_message_xmd(utf8ToBytes(msg), XMD_DST, 0x80, sha256))).toBe(K1[i]?.len128);
    });
  });

  it("[CH-5] hash_to_field into Z_n is OS2IP(expand_message_xmd(msg, DST, 48)) mod n", () => {
    const byDefinition = (dst: string, msg: Uint8Array) =>
      bytesToNumberBE(expand_message_xmd(msg, dst, 48, sha256)) % CURVE_ORDER;
    for (const dst of [XMD_DST, Dss20.DST_FS]) {
      for (const msg of MESSAGES) {
        expect(hashToScalar(dst, utf8ToBytes(msg))).toBe(byDefinition(dst, utf8ToBytes(msg)));
      }
    }
    // Negative control: 32 bytes reduced mod n (the biased variant) differs.
    const biased = bytesToNumberBE(expand_message_xmd(utf8ToBytes("abc"), Dss20.DST_FS, 32, sha256)) % CURVE_ORDER;
    expect(hashToScalar(Dss20.DST_FS, utf8ToBytes("abc"))).not.toBe(biased);
  });

  it("[CH-3] the message point uses DST_MSG", () => {
    const m = utf8ToBytes("record");
    expect(Dss20.messagePoint(m).equals(hashToPoint("SPCHAIN-V1-CH-DSS20-MSG", m))).toBe(true);
    expect(Dss20.messagePoint(m).equals(hashToPoint(H2C_DST, m))).toBe(false);
  });
});
