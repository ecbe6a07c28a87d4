/**
 * Upstream test vectors (spec/signatures.md SIG-9; spec/merkle.md is covered in merkle.test.ts): the
 * Wycheproof files in vectors/upstream/wycheproof/ (copied unchanged from C2SP/wycheproof) read at run time (Ed25519 on both Crypto paths,
 * XChaCha20-Poly1305, HKDF-SHA-256, and secp256k1 public keys for point validation), RFC 8032 §7.1
 * Ed25519, and the RFC 9380 secp256k1 suites with expand_message_xmd(SHA-256). The RFC values below are
 * transcribed from the RFC texts (RFC 8032 §7.1; RFC 9380 Appendices J.8.1, J.8.2, K.1) as facts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { expand_message_xmd, hash_to_field } from "@noble/curves/abstract/hash-to-curve.js";
import { secp256k1, secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Result } from "effect";
import { describe, expect, it } from "vitest";
import type { DecodeReason } from "../src/codec/errors.js";
import { readPoint, Secp, type SecpPoint } from "../src/codec/fields.js";
import { decodeWith } from "../src/codec/reader.js";
import { bytesEqual, bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from "../src/crypto/bytes.js";
import { type CryptoShape, nobleCrypto } from "../src/crypto/signature.js";
import { nodeCrypto, opensslVerify, spkiKeyObject } from "../src/node.js";

const WYCHEPROOF = join(import.meta.dirname, "..", "vectors", "upstream", "wycheproof");
const IMPLEMENTATIONS: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];

interface WycheproofTest {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly result: "valid" | "invalid" | "acceptable";
  readonly [field: string]: unknown;
}
interface WycheproofFile<G> {
  readonly numberOfTests: number;
  readonly testGroups: readonly (G & { readonly tests: readonly WycheproofTest[] })[];
}
const wycheproof = <G = object>(name: string): WycheproofFile<G> =>
  JSON.parse(readFileSync(join(WYCHEPROOF, name), "utf8")) as WycheproofFile<G>;
const field = (t: WycheproofTest, name: string): Uint8Array => hexToBytes(t[name] as string);
const allTests = <G>(file: WycheproofFile<G>) =>
  file.testGroups.flatMap((group) => group.tests.map((t) => ({ group, t })));

// Message names of RFC 9380's test vectors (the long ones are spelt out in MESSAGES below).
const q128 = "q128";
const a512 = "a512";

// RFC 9380 Appendix J.8.1: secp256k1_XMD:SHA-256_SSWU_RO_ (msg, P.x, P.y, u[0], u[1], Q0.x, Q0.y, Q1.x, Q1.y)
const J81: readonly [string, string, string, string, string, string, string, string, string][] = [
  [
    "",
    "c1cae290e291aee617ebaef1be6d73861479c48b841eaba9b7b5852ddfeb1346",
    "64fa678e07ae116126f08b022a94af6de15985c996c3a91b64c406a960e51067",
    "6b0f9910dd2ba71c78f2ee9f04d73b5f4c5f7fc773a701abea1e573cab002fb3",
    "1ae6c212e08fe1a5937f6202f929a2cc8ef4ee5b9782db68b0d5799fd8f09e16",
    "74519ef88b32b425a095e4ebcc84d81b64e9e2c2675340a720bb1a1857b99f1e",
    "c174fa322ab7c192e11748beed45b508e9fdb1ce046dee9c2cd3a2a86b410936",
    "44548adb1b399263ded3510554d28b4bead34b8cf9a37b4bd0bd2ba4db87ae63",
    "96eb8e2faf05e368efe5957c6167001760233e6dd2487516b46ae725c4cce0c6",
  ],
  [
    "abc",
    "3377e01eab42db296b512293120c6cee72b6ecf9f9205760bd9ff11fb3cb2c4b",
    "7f95890f33efebd1044d382a01b1bee0900fb6116f94688d487c6c7b9c8371f6",
    "128aab5d3679a1f7601e3bdf94ced1f43e491f544767e18a4873f397b08a2b61",
    "5897b65da3b595a813d0fdcc75c895dc531be76a03518b044daaa0f2e4689e00",
    "07dd9432d426845fb19857d1b3a91722436604ccbbbadad8523b8fc38a5322d7",
    "604588ef5138cffe3277bbd590b8550bcbe0e523bbaf1bed4014a467122eb33f",
    "e9ef9794d15d4e77dde751e06c182782046b8dac05f8491eb88764fc65321f78",
    "cb07ce53670d5314bf236ee2c871455c562dd76314aa41f012919fe8e7f717b3",
  ],
  [
    "abcdef0123456789",
    "bac54083f293f1fe08e4a70137260aa90783a5cb84d3f35848b324d0674b0e3a",
    "4436476085d4c3c4508b60fcf4389c40176adce756b398bdee27bca19758d828",
    "ea67a7c02f2cd5d8b87715c169d055a22520f74daeb080e6180958380e2f98b9",
    "7434d0d1a500d38380d1f9615c021857ac8d546925f5f2355319d823a478da18",
    "576d43ab0260275adf11af990d130a5752704f79478628761720808862544b5d",
    "643c4a7fb68ae6cff55edd66b809087434bbaff0c07f3f9ec4d49bb3c16623c3",
    "f89d6d261a5e00fe5cf45e827b507643e67c2a947a20fd9ad71039f8b0e29ff8",
    "b33855e0cc34a9176ead91c6c3acb1aacb1ce936d563bc1cee1dcffc806caf57",
  ],
  [
    q128,
    "e2167bc785333a37aa562f021f1e881defb853839babf52a7f72b102e41890e9",
    "f2401dd95cc35867ffed4f367cd564763719fbc6a53e969fb8496a1e6685d873",
    "eda89a5024fac0a8207a87e8cc4e85aa3bce10745d501a30deb87341b05bcdf5",
    "dfe78cd116818fc2c16f3837fedbe2639fab012c407eac9dfe9245bf650ac51d",
    "9c91513ccfe9520c9c645588dff5f9b4e92eaf6ad4ab6f1cd720d192eb58247a",
    "c7371dcd0134412f221e386f8d68f49e7fa36f9037676e163d4a063fbf8a1fb8",
    "10fee3284d7be6bd5912503b972fc52bf4761f47141a0015f1c6ae36848d869b",
    "0b163d9b4bf21887364332be3eff3c870fa053cf508732900fc69a6eb0e1b672",
  ],
  [
    a512,
    "e3c8d35aaaf0b9b647e88a0a0a7ee5d5bed5ad38238152e4e6fd8c1f8cb7c998",
    "8446eeb6181bf12f56a9d24e262221cc2f0c4725c7e3803024b5888ee5823aa6",
    "8d862e7e7e23d7843fe16d811d46d7e6480127a6b78838c277bca17df6900e9f",
    "68071d2530f040f081ba818d3c7188a94c900586761e9115efa47ae9bd847938",
    "b32b0ab55977b936f1e93fdc68cec775e13245e161dbfe556bbb1f72799b4181",
    "2f5317098360b722f132d7156a94822641b615c91f8663be69169870a12af9e8",
    "148f98780f19388b9fa93e7dc567b5a673e5fca7079cd9cdafd71982ec4c5e12",
    "3989645d83a433bc0c001f3dac29af861f33a6fd1e04f4b36873f5bff497298a",
  ],
];
// RFC 9380 Appendix J.8.2: secp256k1_XMD:SHA-256_SSWU_NU_ (msg, P.x, P.y, u[0], Q.x, Q.y)
const J82: readonly [string, string, string, string, string, string][] = [
  [
    "",
    "a4792346075feae77ac3b30026f99c1441b4ecf666ded19b7522cf65c4c55c5b",
    "62c59e2a6aeed1b23be5883e833912b08ba06be7f57c0e9cdc663f31639ff3a7",
    "0137fcd23bc3da962e8808f97474d097a6c8aa2881fceef4514173635872cf3b",
    "a4792346075feae77ac3b30026f99c1441b4ecf666ded19b7522cf65c4c55c5b",
    "62c59e2a6aeed1b23be5883e833912b08ba06be7f57c0e9cdc663f31639ff3a7",
  ],
  [
    "abc",
    "3f3b5842033fff837d504bb4ce2a372bfeadbdbd84a1d2b678b6e1d7ee426b9d",
    "902910d1fef15d8ae2006fc84f2a5a7bda0e0407dc913062c3a493c4f5d876a5",
    "e03f894b4d7caf1a50d6aa45cac27412c8867a25489e32c5ddeb503229f63a2e",
    "3f3b5842033fff837d504bb4ce2a372bfeadbdbd84a1d2b678b6e1d7ee426b9d",
    "902910d1fef15d8ae2006fc84f2a5a7bda0e0407dc913062c3a493c4f5d876a5",
  ],
  [
    "abcdef0123456789",
    "07644fa6281c694709f53bdd21bed94dab995671e4a8cd1904ec4aa50c59bfdf",
    "c79f8d1dad79b6540426922f7fbc9579c3018dafeffcd4552b1626b506c21e7b",
    "e7a6525ae7069ff43498f7f508b41c57f80563c1fe4283510b322446f32af41b",
    "07644fa6281c694709f53bdd21bed94dab995671e4a8cd1904ec4aa50c59bfdf",
    "c79f8d1dad79b6540426922f7fbc9579c3018dafeffcd4552b1626b506c21e7b",
  ],
  [
    q128,
    "b734f05e9b9709ab631d960fa26d669c4aeaea64ae62004b9d34f483aa9acc33",
    "03fc8a4a5a78632e2eb4d8460d69ff33c1d72574b79a35e402e801f2d0b1d6ee",
    "d97cf3d176a2f26b9614a704d7d434739d194226a706c886c5c3c39806bc323c",
    "b734f05e9b9709ab631d960fa26d669c4aeaea64ae62004b9d34f483aa9acc33",
    "03fc8a4a5a78632e2eb4d8460d69ff33c1d72574b79a35e402e801f2d0b1d6ee",
  ],
  [
    a512,
    "17d22b867658977b5002dbe8d0ee70a8cfddec3eec50fb93f36136070fd9fa6c",
    "e9178ff02f4dab73480f8dd590328aea99856a7b6cc8e5a6cdf289ecc2a51718",
    "a9ffbeee1d6e41ac33c248fb3364612ff591b502386c1bf6ac4aaf1ea51f8c3b",
    "17d22b867658977b5002dbe8d0ee70a8cfddec3eec50fb93f36136070fd9fa6c",
    "e9178ff02f4dab73480f8dd590328aea99856a7b6cc8e5a6cdf289ecc2a51718",
  ],
];
// RFC 9380 Appendix K.1: expand_message_xmd(SHA-256), DST QUUX-V01-CS02-with-expander-SHA256-128 (msg, len_in_bytes, uniform_bytes)
const K1: readonly [string, number, string][] = [
  ["", 32, "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235"],
  ["abc", 32, "d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615"],
  ["abcdef0123456789", 32, "eff31487c770a893cfb36f912fbfcbff40d5661771ca4b2cb4eafe524333f5c1"],
  [q128, 32, "b23a1d2b4d97b2ef7785562a7e8bac7eed54ed6e97e29aa51bfe3f12ddad1ff9"],
  [a512, 32, "4623227bcc01293b8c130bf771da8c298dede7383243dc0993d2d94823958c4c"],
  [
    "",
    128,
    "af84c27ccfd45d41914fdff5df25293e221afc53d8ad2ac06d5e3e29485dadbee0d121587713a3e0dd4d5e69e93eb7cd4f5df4cd103e188cf60cb02edc3edf18eda8576c412b18ffb658e3dd6ec849469b979d444cf7b26911a08e63cf31f9dcc541708d3491184472c2c29bb749d4286b004ceb5ee6b9a7fa5b646c993f0ced",
  ],
  [
    "abc",
    128,
    "abba86a6129e366fc877aab32fc4ffc70120d8996c88aee2fe4b32d6c7b6437a647e6c3163d40b76a73cf6a5674ef1d890f95b664ee0afa5359a5c4e07985635bbecbac65d747d3d2da7ec2b8221b17b0ca9dc8a1ac1c07ea6a1e60583e2cb00058e77b7b72a298425cd1b941ad4ec65e8afc50303a22c0f99b0509b4c895f40",
  ],
  [
    "abcdef0123456789",
    128,
    "ef904a29bffc4cf9ee82832451c946ac3c8f8058ae97d8d629831a74c6572bd9ebd0df635cd1f208e2038e760c4994984ce73f0d55ea9f22af83ba4734569d4bc95e18350f740c07eef653cbb9f87910d833751825f0ebefa1abe5420bb52be14cf489b37fe1a72f7de2d10be453b2c9d9eb20c7e3f6edc5a60629178d9478df",
  ],
  [
    q128,
    128,
    "80be107d0884f0d881bb460322f0443d38bd222db8bd0b0a5312a6fedb49c1bbd88fd75d8b9a09486c60123dfa1d73c1cc3169761b17476d3c6b7cbbd727acd0e2c942f4dd96ae3da5de368d26b32286e32de7e5a8cb2949f866a0b80c58116b29fa7fabb3ea7d520ee603e0c25bcaf0b9a5e92ec6a1fe4e0391d1cdbce8c68a",
  ],
  [
    a512,
    128,
    "546aff5444b5b79aa6148bd81728704c32decb73a3ba76e9e75885cad9def1d06d6792f8a7d12794e90efed817d96920d728896a4510864370c207f99bd4a608ea121700ef01ed879745ee3e4ceef777eda6d9e5e38b90c86ea6fb0b36504ba4a45d22e86f6db5dd43d98a294bebb9125d5b794e9d2a81181066eb954966a487",
  ],
];

const TEST_1024_MESSAGE = [
  "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98",
  "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8",
  "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d",
  "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc",
  "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe",
  "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e",
  "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef",
  "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7",
  "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1",
  "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2",
  "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24",
  "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270",
  "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc",
  "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07",
  "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba",
  "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a",
  "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e",
  "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7",
  "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c",
  "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8",
  "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df",
  "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08",
  "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649",
  "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4",
  "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3",
  "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e",
  "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f",
  "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5",
  "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1",
  "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d",
  "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c",
  "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
].join("");

// ------------------------------------------------------------------------------------------------
// Ed25519

describe("Wycheproof ed25519_test.json", () => {
  const file = wycheproof<{ publicKey: { pk: string } }>("ed25519_test.json");
  const cases = allTests(file);

  it("[SIG-9] [SIG-3] [SIG-7] every case on both paths: valid verifies, invalid is rejected; no deviations", () => {
    expect(cases.length).toBe(file.numberOfTests);
    for (const crypto of IMPLEMENTATIONS) {
      const deviations = cases.filter(({ group, t }) => {
        const verdict = crypto.verify(hexToBytes(group.publicKey.pk), field(t, "msg"), field(t, "sig"));
        return verdict !== (t.result === "valid");
      });
      // Strict RFC 8032 rejects nothing that Wycheproof calls valid (it has no "acceptable" Ed25519 case).
      expect(deviations.map(({ t }) => `${crypto.implementation} tcId ${t.tcId}`)).toEqual([]);
    }
    expect(cases.filter(({ t }) => t.result === "valid").length).toBe(88);
    expect(cases.filter(({ t }) => t.result === "invalid").length).toBe(63);
  });

  it("[SIG-7] Wycheproof alone cannot tell raw OpenSSL from strict RFC 8032 (hence our own edge-case vectors)", () => {
    const rawOpenssl = (pk: Uint8Array, m: Uint8Array, s: Uint8Array) =>
      s.length === 64 && opensslVerify(spkiKeyObject(pk), m, s);
    const differing = cases.filter(
      ({ group, t }) =>
        rawOpenssl(hexToBytes(group.publicKey.pk), field(t, "msg"), field(t, "sig")) !== (t.result === "valid"),
    );
    expect(differing).toEqual([]);
  });
});

// RFC 8032 §7.1, Test Vectors for Ed25519: secret key, public key, message, signature.
const RFC8032: readonly [string, string, string, string, string][] = [
  [
    "TEST 1",
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
  ],
  [
    "TEST 2",
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
    "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
  ],
  [
    "TEST 3",
    "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
    "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
  ],
  [
    "TEST 1024",
    "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
    "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
    TEST_1024_MESSAGE,
    "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03",
  ],
  [
    "TEST SHA(abc)",
    "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
  ],
];

describe("RFC 8032 §7.1 Ed25519 test vectors", () => {
  it("[SIG-9] [SIG-1] [SIG-2] [SIG-3] TEST 1, 2, 3, 1024 and SHA(abc) on both paths", () => {
    expect(hexToBytes(TEST_1024_MESSAGE).length).toBe(1023);
    for (const crypto of IMPLEMENTATIONS) {
      for (const [name, sk, pk, message, signature] of RFC8032) {
        const what = `${crypto.implementation} ${name}`;
        expect(bytesToHex(crypto.publicKey(hexToBytes(sk))), what).toBe(pk);
        expect(bytesToHex(crypto.sign(hexToBytes(sk), hexToBytes(message))), what).toBe(signature);
        expect(crypto.verify(hexToBytes(pk), hexToBytes(message), hexToBytes(signature)), what).toBe(true);
        const tampered = hexToBytes(signature);
        tampered[0] = (tampered[0] ?? 0) ^ 1;
        expect(crypto.verify(hexToBytes(pk), hexToBytes(message), tampered), what).toBe(false);
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------
// The DEM of proxy re-encryption and its key derivation.

describe("Wycheproof xchacha20_poly1305_test.json (noble, the DEM of PRE)", () => {
  it("[SIG-9] valid cases encrypt to ct ‖ tag and decrypt back; invalid ones are refused", () => {
    const file = wycheproof("xchacha20_poly1305_test.json");
    const cases = allTests(file);
    expect(cases.length).toBe(file.numberOfTests);
    const deviations = cases.filter(({ t }) => {
      const [key, iv, aad, msg] = [field(t, "key"), field(t, "iv"), field(t, "aad"), field(t, "msg")];
      const sealed = concatBytes(field(t, "ct"), field(t, "tag"));
      if (t.result === "valid") {
        const ct = xchacha20poly1305(key, iv, aad).encrypt(msg);
        const pt = xchacha20poly1305(key, iv, aad).decrypt(sealed);
        return !(bytesEqual(ct, sealed) && bytesEqual(pt, msg));
      }
      try {
        xchacha20poly1305(key, iv, aad).decrypt(sealed);
        return true;
      } catch {
        return false;
      }
    });
    expect(deviations.map(({ t }) => t.tcId)).toEqual([]);
  });
});

describe("Wycheproof hkdf_sha256_test.json (noble hkdf)", () => {
  it("[SIG-9] valid cases give okm; outputs past 255 · 32 bytes are refused", () => {
    const file = wycheproof("hkdf_sha256_test.json");
    const cases = allTests(file);
    expect(cases.length).toBe(file.numberOfTests);
    const deviations = cases.filter(({ t }) => {
      const derive = () => hkdf(sha256, field(t, "ikm"), field(t, "salt"), field(t, "info"), t.size as number);
      if (t.result === "valid") return bytesToHex(derive()) !== t.okm;
      try {
        derive();
        return true;
      } catch {
        return false;
      }
    });
    expect(deviations.map(({ t }) => t.tcId)).toEqual([]);
    expect(cases.filter(({ t }) => t.result === "invalid").every(({ t }) => t.flags.includes("SizeTooLarge"))).toBe(
      true,
    );
  });
});

// ------------------------------------------------------------------------------------------------
// secp256k1 point validation (ENC-7) on Wycheproof's ECDH public keys.

/** A strict DER TLV: one-byte tags, definite minimal lengths, content within bounds. */
const readTlv = (der: Uint8Array, at: number): { tag: number; content: Uint8Array; end: number } | undefined => {
  const tag = der[at];
  const first = der[at + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f || first === 0x80) return undefined;
  let length = first;
  let start = at + 2;
  if (first > 0x80) {
    const width = first & 0x7f;
    if (width > 4 || der[start] === 0) return undefined;
    length = 0;
    for (let i = 0; i < width; i++) length = length * 256 + (der[start + i] ?? Number.NaN);
    if (!(length >= 0x80)) return undefined;
    start += width;
  }
  if (start + length > der.length) return undefined;
  return { tag, content: der.subarray(start, start + length), end: start + length };
};

const EC_PUBLIC_KEY_OID = "2a8648ce3d0201";
const SECP256K1_OID = "2b8104000a";

/** The point bytes of a DER SubjectPublicKeyInfo for a named-curve secp256k1 key, or undefined. */
const spkiPoint = (der: Uint8Array): Uint8Array | undefined => {
  const outer = readTlv(der, 0);
  if (outer?.tag !== 0x30 || outer.end !== der.length) return undefined;
  const algorithm = readTlv(outer.content, 0);
  if (algorithm?.tag !== 0x30) return undefined;
  const bits = readTlv(outer.content, algorithm.end);
  if (bits?.tag !== 0x03 || bits.end !== outer.content.length || bits.content[0] !== 0x00) return undefined;
  const kind = readTlv(algorithm.content, 0);
  const curve = kind === undefined ? undefined : readTlv(algorithm.content, kind.end);
  if (kind?.tag !== 0x06 || bytesToHex(kind.content) !== EC_PUBLIC_KEY_OID) return undefined;
  if (curve?.tag !== 0x06 || bytesToHex(curve.content) !== SECP256K1_OID || curve.end !== algorithm.content.length) {
    return undefined;
  }
  return bits.content.subarray(1);
};

const FIELD_PRIME = Secp.Fp.ORDER;
const reasonOf = (bytes: Uint8Array): Result.Result<SecpPoint, DecodeReason> =>
  Result.mapError(
    decodeWith(bytes, (r) => readPoint(r, "public key")),
    (e) => e.reason,
  );

/**
 * Our decoding of a SEC1 point: 33-byte compressed through `readPoint`; a 65-byte uncompressed point is
 * not an encoding we accept, so it is compressed first and must round-trip (else it is off the curve).
 */
const decodePublicPoint = (bytes: Uint8Array): Result.Result<SecpPoint, DecodeReason> => {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return reasonOf(bytes);
  const x = bytes.subarray(1, 33);
  const y = bytes.subarray(33);
  if (bytesToNumberBE(x) >= FIELD_PRIME || bytesToNumberBE(y) >= FIELD_PRIME) return Result.fail("PointNonCanonical");
  const point = reasonOf(concatBytes(new Uint8Array([0x02 | ((y[31] ?? 0) & 1)]), x));
  if (Result.isSuccess(point) && !bytesEqual(point.success.toBytes(false), bytes))
    return Result.fail("PointNotOnCurve");
  return point;
};

type Outcome =
  | { readonly stage: "spki" }
  | { readonly stage: "point"; readonly reason: DecodeReason }
  | { readonly stage: "ok"; readonly shared: string };

const ecdhOutcome = (t: WycheproofTest): Outcome => {
  const point = spkiPoint(field(t, "public"));
  if (point === undefined) return { stage: "spki" };
  const decoded = decodePublicPoint(point);
  if (Result.isFailure(decoded)) return { stage: "point", reason: decoded.failure };
  const secret = numberToBytesBE(bytesToNumberBE(field(t, "private")), 32);
  return {
    stage: "ok",
    shared: bytesToHex(secp256k1.getSharedSecret(secret, decoded.success.toBytes(true)).subarray(1)),
  };
};

/** A coordinate of a SEC1 point that is not a field element (>= p). */
const coordinateOutOfRange = (point: Uint8Array): boolean =>
  [point.subarray(1, 33), point.subarray(33)].some((c) => c.length === 32 && bytesToNumberBE(c) >= FIELD_PRIME);

/** What each case must give, from Wycheproof's result and flags, with our strict SPKI and point rules. */
const expected = (t: WycheproofTest): ((o: Outcome) => boolean) => {
  const has = (flag: string) => t.flags.includes(flag);
  if (t.result === "valid" || has("CompressedPublic")) return (o) => o.stage === "ok" && o.shared === t.shared;
  // BER and other malformed DER: refused, by the SPKI reader or, when only the point bytes are garbled, by readPoint.
  if (has("InvalidAsn")) return (o) => o.stage !== "ok";
  // Explicit curve parameters or another curve: not a named secp256k1 key, refused before any point.
  if (has("UnnamedCurve") || has("ModifiedGroup") || (has("WrongCurve") && !has("CompressedPoint"))) {
    return (o) => o.stage === "spki";
  }
  if (has("InvalidEncoding")) return (o) => o.stage === "point" && o.reason === "ShortInput";
  const point = spkiPoint(field(t, "public")) ?? new Uint8Array(0);
  const reason: DecodeReason = coordinateOutOfRange(point) ? "PointNonCanonical" : "PointNotOnCurve";
  return (o) => o.stage === "point" && o.reason === reason;
};

describe("Wycheproof ecdh_secp256k1_test.json: point validation", () => {
  const file = wycheproof("ecdh_secp256k1_test.json");
  const cases = allTests(file).map(({ t }) => t);

  it("[SIG-9] our point decoding accepts exactly the valid points, rejects the others for the right reason, and ECDH matches", () => {
    expect(cases.length).toBe(file.numberOfTests);
    const outcomes = new Map(cases.map((t) => [t, ecdhOutcome(t)] as const));
    const wrong = cases.filter((t) => !expected(t)(outcomes.get(t) as Outcome));
    expect(wrong.map((t) => `tcId ${t.tcId}: ${JSON.stringify(outcomes.get(t))}`)).toEqual([]);
    const tally = (result: string) =>
      ["ok", "spki", "point"].map(
        (stage) => cases.filter((t) => t.result === result && outcomes.get(t)?.stage === stage).length,
      );
    // Pinned [accepted, refused by the SPKI reader, refused by readPoint]: every valid case is accepted; of the
    // acceptable ones only the compressed key is (the rest are BER, garbled bit strings or explicit curve
    // parameters); every invalid one is refused.
    expect(tally("valid")).toEqual([473, 0, 0]);
    expect(tally("acceptable")).toEqual([1, 223, 6]);
    expect(tally("invalid")).toEqual([0, 27, 22]);
  });

  it("[SIG-9] uncompressed points are refused as encodings (ENC-7: 33-byte compressed only)", () => {
    const uncompressed = cases
      .map((t) => spkiPoint(field(t, "public")))
      .filter((p): p is Uint8Array => p?.length === 65 && p[0] === 0x04);
    expect(uncompressed.length).toBeGreaterThan(400);
    const reasons = new Set(
      uncompressed.map((p) => Result.match(reasonOf(p), { onSuccess: () => "accepted", onFailure: String })),
    );
    expect([...reasons]).toEqual(["PointNotCompressed"]);
  });
});

// ------------------------------------------------------------------------------------------------
// RFC 9380 secp256k1 suites.

const MESSAGES: Record<string, string> = {
  "": "",
  abc: "abc",
  abcdef0123456789: "abcdef0123456789",
  q128: `q128_${"q".repeat(128)}`,
  a512: `a512_${"a".repeat(512)}`,
};
const msgBytes = (name: string): Uint8Array => utf8ToBytes(MESSAGES[name] ?? "");
const RO_DST = "QUUX-V01-CS02-with-secp256k1_XMD:SHA-256_SSWU_RO_";
const NU_DST = "QUUX-V01-CS02-with-secp256k1_XMD:SHA-256_SSWU_NU_";
const XMD_DST = "QUUX-V01-CS02-with-expander-SHA256-128";
// noble 2.4 declares mapToCurve over a bigint[] but, for m = 1 fields, takes one bigint and returns a point.
const mapToCurve = secp256k1_hasher.mapToCurve as unknown as (u: bigint) => SecpPoint;
const hex32 = (value: bigint): string => value.toString(16).padStart(64, "0");
const affine = (p: SecpPoint): [string, string] => {
  const { x, y } = p.toAffine();
  return [hex32(x), hex32(y)];
};

describe("RFC 9380 secp256k1 hash-to-curve (noble)", () => {
  it("[SIG-9] J.8.1 secp256k1_XMD:SHA-256_SSWU_RO_: u, Q0, Q1 and P for every message", () => {
    expect(J81.length).toBe(5);
    for (const [name, px, py, u0, u1, q0x, q0y, q1x, q1y] of J81) {
      const msg = msgBytes(name);
      const u = hash_to_field(msg, 2, { ...secp256k1_hasher.defaults, DST: RO_DST }).map(([e]) => hex32(e ?? 0n));
      expect(u, name).toEqual([u0, u1]);
      expect(affine(mapToCurve(BigInt(`0x${u0}`))), name).toEqual([q0x, q0y]);
      expect(affine(mapToCurve(BigInt(`0x${u1}`))), name).toEqual([q1x, q1y]);
      const p = secp256k1_hasher.hashToCurve(msg, { DST: RO_DST });
      expect(affine(p), name).toEqual([px, py]);
      // Our point decoder accepts the compressed output and gives the point back (ENC-7).
      const decoded = reasonOf(p.toBytes(true));
      expect(Result.isSuccess(decoded) && decoded.success.equals(p)).toBe(true);
    }
  });

  it("[SIG-9] J.8.2 secp256k1_XMD:SHA-256_SSWU_NU_: u, Q and P for every message", () => {
    expect(J82.length).toBe(5);
    for (const [name, px, py, u0, qx, qy] of J82) {
      const msg = msgBytes(name);
      const [u] = hash_to_field(msg, 1, { ...secp256k1_hasher.defaults, DST: NU_DST }).map(([e]) => hex32(e ?? 0n));
      expect(u, name).toBe(u0);
      expect(affine(mapToCurve(BigInt(`0x${u0}`))), name).toEqual([qx, qy]);
      expect(affine(secp256k1_hasher.encodeToCurve(msg, { DST: NU_DST })), name).toEqual([px, py]);
    }
  });

  it("[SIG-9] K.1 expand_message_xmd(SHA-256), 32 and 128 bytes", () => {
    expect(K1.length).toBe(10);
    for (const [name, length, uniform] of K1) {
      expect(bytesToHex(expand_message_xmd(msgBytes(name), XMD_DST, length, sha256)), `${name} ${length}`).toBe(
        uniform,
      );
    }
  });
});
