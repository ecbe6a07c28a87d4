/**
 * Ledger pins (spec/pins.md [PIN-1]..[PIN-3]) on top of the pinning protocol's one certificate format
 * (src/consensus/certificate.ts, BFT-5): which group must have signed (the group of the epoch, PIN-2), what
 * value it certifies (a keyblock id or a batch root, carried as H_BFT_VALUE(value), PIN-1), and the quorum
 * check (>= 2f+1 members and > 2/3 of the reputation, PIN-3). `certify` assembles a certificate from
 * members' COMMIT signatures: what the consensus side produces for a ledger pin.
 * @module
 */
import { Result } from "effect";
import {
  type CertificateInvalid,
  type PinCertificate,
  signStatement,
  valueHash,
  verifyPinCertificate,
} from "../consensus/certificate.js";
import { type ConsensusGroup, type ConsensusGroupInvalid, consensusGroup } from "../consensus/group.js";
import { bytesEqual } from "../crypto/bytes.js";
import type { CryptoShape } from "../crypto/signature.js";
import type { GroupSnapshot } from "../reputation/quorum.js";

/** [PIN-2] The group of epoch `epoch` from its snapshot; an invalid snapshot is `ConsensusGroupInvalid`. */
export const pinGroup = (
  epoch: number,
  snapshot: GroupSnapshot,
): Result.Result<ConsensusGroup, ConsensusGroupInvalid> => consensusGroup(epoch, snapshot);

/** [PIN-1] Does the certificate certify `value` (a keyblock id or a batch root)? */
export const certifies = (certificate: PinCertificate, value: Uint8Array): boolean =>
  bytesEqual(certificate.value_hash, valueHash(value));

/** [PIN-3] Signers are members in ascending order, a quorum, and every COMMIT signature verifies (BFT-5). */
export const checkCertificate = (
  crypto: CryptoShape,
  group: ConsensusGroup,
  certificate: PinCertificate,
): Result.Result<PinCertificate, CertificateInvalid> =>
  Result.map(verifyPinCertificate(group, crypto, certificate), () => certificate);

/** A member's vote: its index in the group and its secret key. */
export interface MemberSigner {
  readonly index: number;
  readonly secretKey: Uint8Array;
}

/**
 * [PIN-1] [PIN-3] The pin certificate of `value` signed by `signers` of `group`: COMMIT statements on
 * (group id, view, instance, H_BFT_VALUE(value)), signers in ascending order. Whether they form a quorum is
 * the verifier's business, so negative tests can build certificates that are not.
 */
export const certify = (
  crypto: CryptoShape,
  group: ConsensusGroup,
  signers: readonly MemberSigner[],
  value: Uint8Array,
  instance = 0,
  view = 0,
): PinCertificate => {
  const value_hash = valueHash(value);
  const sorted = [...signers].sort((a, b) => a.index - b.index);
  const votes = sorted.map(({ index, secretKey }) => ({
    signer: index,
    signature: signStatement(crypto, secretKey, {
      kind: "Commit",
      group: group.id,
      sender: index,
      view,
      instance,
      value_hash,
    }),
  }));
  return { kind: "Commit", group: group.id, view, instance, value_hash, votes };
};
