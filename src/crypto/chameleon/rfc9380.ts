/**
 * The two RFC 9380 functions the chameleon hash uses (spec/chameleon-hash.md, [CH-5]), with the suite
 * secp256k1_XMD:SHA-256_SSWU_RO_: hash_to_curve into the group and hash_to_field into Z_n (one element,
 * expand_message_xmd with SHA-256, L = 48 bytes, k = 128). Thin wrappers so that the known-answer test
 * checks exactly the calls the scheme makes, DST aside.
 * @module
 */
import { secp256k1_hasher } from "@noble/curves/secp256k1.js";
import type { SecpPoint } from "../../codec/fields.js";

/** [CH-5] RFC 9380 hash_to_curve(msg) with domain separation tag `dst` (may be the identity, with negligible probability). */
export const hashToPoint = (dst: string, msg: Uint8Array): SecpPoint => secp256k1_hasher.hashToCurve(msg, { DST: dst });

/** [CH-5] RFC 9380 hash_to_field(msg, count = 1) over the scalar field Z_n, with tag `dst`. */
export const hashToScalar = (dst: string, msg: Uint8Array): bigint => secp256k1_hasher.hashToScalar(msg, { DST: dst });
