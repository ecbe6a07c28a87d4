/**
 * fast-check arbitraries for the pinning protocol's wire objects (spec/consensus.md, BFT-4, BFT-5):
 * structurally valid messages and certificates with arbitrary field values, for codec laws and fuzzing.
 */
import fc from "fast-check";
import type {
  CertificateKind,
  Message,
  PreparedEntry,
  ViewChangeMessage,
  VoteCertificate,
} from "../src/consensus/index.js";

export const bytesArb = (maxLength: number) => fc.uint8Array({ maxLength });
export const fixedArb = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
export const hashArb = fixedArb(32);
export const signatureArb = fixedArb(64);
/** Views and instances: small ones mostly, and the extremes of the 53-bit range. */
export const u53Arb = fc.oneof(fc.nat(1000), fc.constantFrom(0, 2 ** 53 - 1), fc.maxSafeNat());
export const memberArb = fc.oneof(fc.nat(15), fc.constant(255));

export const certificateArb = (kind: CertificateKind, instance?: number): fc.Arbitrary<VoteCertificate> =>
  fc.record({
    kind: fc.constant(kind),
    group: hashArb,
    view: u53Arb,
    instance: instance === undefined ? u53Arb : fc.constant(instance),
    value_hash: hashArb,
    votes: fc
      .uniqueArray(fc.nat(255), { maxLength: 8 })
      .chain((signers) =>
        fc.tuple(
          ...signers.sort((a, b) => a - b).map((signer) => signatureArb.map((signature) => ({ signer, signature }))),
        ),
      ),
  });

const preparedArb: fc.Arbitrary<PreparedEntry[]> = fc
  .uniqueArray(fc.nat(1000), { maxLength: 3 })
  .chain((instances) =>
    fc.tuple(
      ...instances
        .sort((a, b) => a - b)
        .map((instance) => fc.record({ certificate: certificateArb("Prepare", instance), value: bytesArb(40) })),
    ),
  );

export const viewChangeArb = (sender?: number): fc.Arbitrary<ViewChangeMessage> =>
  fc
    .record({
      group: hashArb,
      sender: sender === undefined ? memberArb : fc.constant(sender),
      view: u53Arb,
      low: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
      prepared: preparedArb,
      signature: signatureArb,
    })
    .chain((vc) =>
      (vc.low > 0 ? certificateArb("Commit", vc.low - 1) : fc.constant(undefined)).map((low_certificate) => ({
        _tag: "ViewChange" as const,
        ...vc,
        low_certificate,
      })),
    );

/** One structurally valid message of each type, fields arbitrary. */
export const messageArb: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ _tag: fc.constant("Request" as const), request: bytesArb(64) }),
  fc.record({
    _tag: fc.constant("Propose" as const),
    group: hashArb,
    sender: memberArb,
    view: u53Arb,
    instance: u53Arb,
    value: bytesArb(64),
    signature: signatureArb,
  }),
  fc.record({
    _tag: fc.constantFrom("Prepare" as const, "Commit" as const),
    group: hashArb,
    sender: memberArb,
    view: u53Arb,
    instance: u53Arb,
    value_hash: hashArb,
    signature: signatureArb,
  }),
  viewChangeArb(),
  fc
    .uniqueArray(fc.nat(15), { maxLength: 3 })
    .chain((senders) => fc.tuple(...senders.sort((a, b) => a - b).map((s) => viewChangeArb(s))))
    .chain((view_changes) =>
      fc.record({
        _tag: fc.constant("NewView" as const),
        group: hashArb,
        sender: memberArb,
        view: u53Arb,
        view_changes: fc.constant(view_changes),
        signature: signatureArb,
      }),
    ),
  fc.record({
    _tag: fc.constant("Decision" as const),
    certificate: certificateArb("Commit") as fc.Arbitrary<VoteCertificate & { kind: "Commit" }>,
    value: bytesArb(64),
  }),
  fc.record({ _tag: fc.constant("Sync" as const), group: hashArb, low: u53Arb }),
);

/** A byte-level mutation of an encoding: flip, truncate, append, insert or delete. */
export const mutationArb = fc.record({
  kind: fc.constantFrom("flip", "truncate", "append", "insert", "delete"),
  at: fc.nat(),
  byte: fc.integer({ min: 1, max: 255 }),
});

export const mutate = (bytes: Uint8Array, m: { kind: string; at: number; byte: number }): Uint8Array => {
  const at = bytes.length === 0 ? 0 : m.at % bytes.length;
  switch (m.kind) {
    case "flip": {
      const out = bytes.slice();
      if (out.length > 0) out[at] = (out[at] ?? 0) ^ m.byte;
      return out;
    }
    case "truncate":
      return bytes.slice(0, at);
    case "append":
      return Uint8Array.from([...bytes, m.byte]);
    case "insert":
      return Uint8Array.from([...bytes.slice(0, at), m.byte, ...bytes.slice(at)]);
    default:
      return Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + 1)]);
  }
};
