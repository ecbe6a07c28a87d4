/**
 * The pinning protocol's wire objects (spec/consensus.md): message encodings [BFT-4], certificates
 * [BFT-5], group identity and quorums [BFT-2] [BFT-3], evidence [BFT-14]. Every law has a negative
 * control run against a deliberately broken implementation.
 */
import { isDeepStrictEqual } from "node:util";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idealCrypto, idealPublicKey, memberSecret } from "../model/consensus-sim.js";
import { DECODE_REASONS, decodeWith, encodeWith, Reader } from "../src/codec/index.js";
import {
  CERTIFICATE_FAILURES,
  type ConsensusGroup,
  consensusGroup,
  decodeMessage,
  decodePinCertificate,
  EVIDENCE_FAILURES,
  type Evidence,
  encodeCertificate,
  encodeMessage,
  groupId,
  leaderOf,
  MAX_CERTIFICATE_BYTES,
  MAX_MEMBERS,
  MAX_VALUE_BYTES,
  MAX_VIEW_CHANGE_BYTES,
  MAX_WINDOW,
  type Message,
  makeEvidence,
  readCertificate,
  readMessage,
  STATEMENT_BODY_BYTES,
  STATEMENT_SLOT_BYTES,
  type Statement,
  signedStatement,
  signStatement,
  statementMessage,
  strongQuorum,
  taggedBody,
  type VoteCertificate,
  valueHash,
  verifyCertificate,
  verifyEvidence,
  weakQuorum,
  writeStatementBody,
} from "../src/consensus/index.js";
import { bytesEqual, compareBytes } from "../src/crypto/bytes.js";
import { TAGS } from "../src/crypto/hash.js";
import { nobleCrypto } from "../src/crypto/signature.js";
import { prefixSlot, verifyFraudProof } from "../src/reputation/fraud.js";
import { REPUTATION_SCALE } from "../src/reputation/quorum.js";
import { failsOn, holds } from "./check.js";
import { messageArb, mutate, mutationArb } from "./consensus-arbitraries.js";

/** A plain, comparable form: byte arrays as hex, objects with sorted keys and no prototype. */
const plain = (x: unknown): unknown => {
  if (x instanceof Uint8Array) return `0x${Buffer.from(x).toString("hex")}`;
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === "object") {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, plain((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
};
const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(plain(a), plain(b));

const roundTrips = (encode: (m: Message) => Uint8Array) => (m: Message) => {
  const bytes = encode(m);
  const decoded = decodeMessage(bytes);
  return Result.isSuccess(decoded) && same(decoded.success, m) && bytesEqual(encodeMessage(decoded.success), bytes);
};

/** Decoding accepts or rejects with a listed reason, and what it accepts is canonical. */
const totalAndCanonical =
  (decode: (b: Uint8Array) => Result.Result<Message, { reason: string }>) => (bytes: Uint8Array) => {
    const decoded = decode(bytes);
    if (Result.isFailure(decoded)) return (DECODE_REASONS as readonly string[]).includes(decoded.failure.reason);
    return bytesEqual(encodeMessage(decoded.success), bytes);
  };

describe("consensus messages", () => {
  it("[BFT-4] every message type round-trips, and its encoding is the only one", () => {
    holds("consensus round trip", fc.property(messageArb, roundTrips(encodeMessage)), { numRuns: 400 });
  });

  it("[BFT-4] negative control: an encoder that writes the view as the instance is caught", () => {
    const broken = (m: Message) => encodeMessage(m._tag === "Propose" ? { ...m, instance: m.view } : m);
    const found = failsOn("broken consensus encoder", fc.property(messageArb, roundTrips(broken)), 1000);
    expect(found.value[0]._tag).toBe("Propose");
  });

  it("[BFT-4] [BFT-15] decoding is total and canonical on random bytes and on mutated encodings", () => {
    holds("consensus decode random", fc.property(fc.uint8Array({ maxLength: 200 }), totalAndCanonical(decodeMessage)), {
      numRuns: 500,
    });
    holds(
      "consensus decode mutated",
      fc.property(messageArb, mutationArb, (m, mu) => totalAndCanonical(decodeMessage)(mutate(encodeMessage(m), mu))),
      { numRuns: 500 },
    );
  });

  it("[BFT-4] negative control: a decoder that ignores trailing bytes is not canonical", () => {
    const lenient = (bytes: Uint8Array): Result.Result<Message, { reason: string }> => {
      const strict = decodeMessage(bytes);
      if (Result.isSuccess(strict) || strict.failure.reason !== "TrailingBytes") return strict;
      return decodeMessage(bytes.subarray(0, strict.failure.offset));
    };
    const found = failsOn(
      "lenient decoder",
      fc.property(messageArb, mutationArb, (m, mu) => totalAndCanonical(lenient)(mutate(encodeMessage(m), mu))),
      1000,
    );
    expect(found.value[1].kind).toBe("append");
  });

  it("[BFT-15] negative control: a decoder without bounds checks throws on short input", () => {
    const naive = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return view.getBigUint64(2 + 32 + 2);
    };
    const found = failsOn(
      "naive decoder",
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        try {
          naive(bytes);
          return true;
        } catch {
          return false;
        }
      }),
    );
    expect(found.value[0].length).toBeLessThan(44);
  });

  it("[BFT-15] the stated size bounds are the largest encodings", () => {
    const votes = Array.from({ length: MAX_MEMBERS }, (_, signer) => ({ signer, signature: new Uint8Array(64) }));
    const cert: VoteCertificate = {
      kind: "Prepare",
      group: new Uint8Array(32),
      view: 1,
      instance: 1,
      value_hash: new Uint8Array(32),
      votes,
    };
    expect(encodeCertificate(cert).length).toBe(MAX_CERTIFICATE_BYTES);
    const biggest = (value_bytes: number) =>
      encodeMessage({
        _tag: "ViewChange",
        group: new Uint8Array(32),
        sender: 0,
        view: 2,
        low: 1,
        low_certificate: { ...cert, kind: "Commit", instance: 0 },
        prepared: Array.from({ length: MAX_WINDOW }, (_, i) => ({
          certificate: { ...cert, instance: 1 + i },
          value: new Uint8Array(value_bytes),
        })),
        signature: new Uint8Array(64),
      }).length;
    // sizes are affine in the value size: extrapolate from a small value instead of allocating 64 MiB
    expect(biggest(0) + MAX_WINDOW * MAX_VALUE_BYTES).toBe(MAX_VIEW_CHANGE_BYTES);
  });

  it("[BFT-4] rejections name their reason and offset", () => {
    const sync = encodeMessage({ _tag: "Sync", group: new Uint8Array(32), low: 7 });
    const reason = (bytes: Uint8Array) => {
      const decoded = decodeMessage(bytes);
      return Result.isFailure(decoded) ? `${decoded.failure.reason}@${decoded.failure.offset}` : "accepted";
    };
    expect(reason(sync)).toBe("accepted");
    expect(reason(Uint8Array.from([2, ...sync.slice(1)]))).toBe("BadVersion@0");
    expect(reason(Uint8Array.from([1, 0x4f, ...sync.slice(2)]))).toBe("BadType@1");
    expect(reason(sync.slice(0, 30))).toBe("ShortInput@2");
    expect(reason(Uint8Array.from([...sync, 0]))).toBe("TrailingBytes@42");
    const huge = sync.slice();
    huge.set([0x00, 0x20, 0, 0, 0, 0, 0, 0], 34);
    expect(reason(huge)).toBe("IntegerOutOfRange@34");
    const cert: VoteCertificate = {
      kind: "Commit",
      group: new Uint8Array(32),
      view: 0,
      instance: 0,
      value_hash: new Uint8Array(32),
      votes: [
        { signer: 1, signature: new Uint8Array(64) },
        { signer: 2, signature: new Uint8Array(64) },
      ],
    };
    const bytes = encodeCertificate(cert);
    const swapped = bytes.slice();
    swapped.set([0, 3], 84);
    const unsorted = decodePinCertificate(swapped);
    expect(Result.isFailure(unsorted) && unsorted.failure.reason).toBe("NotSorted");
    const vc = encodeWith((w) => {
      w.u8(1)
        .u8(0x44)
        .fixed(new Uint8Array(32), 32)
        .u16(0)
        .u64(1n)
        .u64(0n)
        .u16(MAX_WINDOW + 1);
    });
    expect(reason(vc)).toBe("LengthOverBound@52");
  });
});

// ---------------------------------------------------------------- groups and quorums

/**
 * Reputation weights of `min..max` members, at least one of them positive: a group of zero total reputation
 * is refused (BFT-3), so a property over groups must not draw one (a 500x run drew [0, 0] after 24,078 cases).
 */
const weightsArb = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: min, maxLength: max }).filter((w) => w.some((x) => x > 0));

const groupOf = (weights: readonly number[], epoch = 0): ConsensusGroup => {
  const snapshot = {
    members: weights.map((w, i) => ({ key: idealPublicKey(memberSecret(i)), reputation: BigInt(w) * 1_000_000n })),
  };
  const group = consensusGroup(epoch, snapshot);
  if (Result.isFailure(group)) throw new Error(group.failure.message);
  return group.success;
};

const subsets = (n: number): number[][] =>
  Array.from({ length: 2 ** n }, (_, mask) => Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i)));

/** Byzantine sets within the assumption: at most f members holding < 1/3 of the reputation. */
const withinAssumption = (group: ConsensusGroup, byzantine: readonly number[]): boolean => {
  const weight = byzantine.reduce((s, i) => s + (group.snapshot.members[i]?.reputation ?? 0n), 0n);
  return byzantine.length <= group.faults && 3n * weight < group.total_reputation;
};

/** Every pair of quorums (as `quorum` says) shares a member outside `byzantine`. */
const quorumsIntersectHonestly = (group: ConsensusGroup, byzantine: readonly number[], quorum = strongQuorum) => {
  const quorums = subsets(group.size).filter((s) => quorum(group, s));
  return quorums.every((a) => quorums.every((b) => a.some((i) => b.includes(i) && !byzantine.includes(i))));
};

/** Members 0..k-1 Byzantine holding exactly one third of the reputation; honest weights equal. */
const thirdWeights = (n: number, k: number): number[] =>
  Array.from({ length: n }, (_, i) => (i < k ? (i === 0 ? n - k : 0) : 2));
const byzantineOf = (k: number): number[] => Array.from({ length: k }, (_, i) => i);

const assumptionArb = weightsArb(1, 7).chain((weights) =>
  fc.tuple(fc.constant(weights), fc.subarray(weights.map((_, i) => i))),
);

describe("consensus groups and quorums", () => {
  it("[BFT-2] under the fault assumption any two quorums share an honest member; a weak quorum holds one", () => {
    holds(
      "quorum intersection",
      fc.property(assumptionArb, ([weights, byzantine]) => {
        const group = groupOf(weights);
        fc.pre(withinAssumption(group, byzantine));
        const weak = subsets(group.size).filter((s) => weakQuorum(group, s));
        return quorumsIntersectHonestly(group, byzantine) && weak.every((s) => s.some((i) => !byzantine.includes(i)));
      }),
      { numRuns: 150 },
    );
  });

  it("[BFT-2] negative control: at least (not more than) 2/3 lets two quorums meet only in Byzantine members", () => {
    const atLeast = (group: ConsensusGroup, signers: readonly number[]) => {
      const weight = signers.reduce((s, i) => s + (group.snapshot.members[i]?.reputation ?? 0n), 0n);
      return signers.length >= 2 * group.faults + 1 && 3n * weight >= 2n * group.total_reputation;
    };
    // Byzantine members holding exactly one third (the strict rule is still safe there), honest weights equal
    const exactThird = fc
      .integer({ min: 4, max: 8 })
      .chain((n) => fc.integer({ min: 1, max: Math.floor((n - 1) / 3) }).map((k) => ({ n, k })));
    const found = failsOn(
      "2/3 inclusive",
      fc.property(exactThird, ({ n, k }) =>
        quorumsIntersectHonestly(groupOf(thirdWeights(n, k)), byzantineOf(k), atLeast),
      ),
    );
    const { n, k } = found.value[0];
    expect(n).toBeLessThanOrEqual(8);
    expect(quorumsIntersectHonestly(groupOf(thirdWeights(n, k)), byzantineOf(k))).toBe(true);
  });

  it("[BFT-3] the group identifier binds epoch, keys, order and reputations", () => {
    const variants = (weights: number[], epoch: number) => {
      const base = groupOf(weights, epoch).snapshot;
      const bumped = { members: base.members.map((m, i) => (i === 0 ? { ...m, reputation: m.reputation + 1n } : m)) };
      const swapped = { members: [...base.members].reverse() };
      return [groupId(epoch, base), groupId(epoch + 1, base), groupId(epoch, bumped), groupId(epoch, swapped)];
    };
    holds(
      "group id binds",
      fc.property(weightsArb(2, 6), fc.nat(1000), (weights, epoch) => {
        const ids = variants(weights, epoch);
        return new Set(ids.map((id) => Buffer.from(id).toString("hex"))).size === 4;
      }),
      { numRuns: 100 },
    );
    const withoutReputation = (epoch: number, weights: number[]) =>
      Buffer.from(
        groupId(epoch, { members: groupOf(weights).snapshot.members.map((m) => ({ ...m, reputation: 0n })) }),
      ).toString("hex");
    const found = failsOn(
      "group id without reputations",
      fc.property(
        weightsArb(2, 4),
        (weights) =>
          withoutReputation(0, weights) !==
          withoutReputation(
            0,
            weights.map((w) => w + 1),
          ),
      ),
    );
    expect(found.value[0].length).toBe(2);
  });

  it("[BFT-3] invalid snapshots are rejected with ConsensusGroupInvalid; leaders rotate v mod n", () => {
    const key = (i: number) => idealPublicKey(memberSecret(i));
    const bad = [
      { epoch: 0, members: [] },
      { epoch: -1, members: [{ key: key(0), reputation: 1n }] },
      { epoch: 0, members: [{ key: new Uint8Array(31), reputation: 1n }] },
      {
        epoch: 0,
        members: [
          { key: key(0), reputation: 1n },
          { key: key(0), reputation: 1n },
        ],
      },
      { epoch: 0, members: [{ key: key(0), reputation: REPUTATION_SCALE + 1n }] },
      { epoch: 0, members: [{ key: key(0), reputation: 0n }] },
    ];
    for (const { epoch, members } of bad) {
      const result = consensusGroup(epoch, { members });
      expect(Result.isFailure(result) && result.failure._tag).toBe("ConsensusGroupInvalid");
    }
    const group = groupOf([1, 1, 1, 1, 1]);
    expect([0, 1, 4, 5, 12].map((v) => leaderOf(group, v))).toEqual([0, 1, 4, 0, 2]);
  });
});

// ---------------------------------------------------------------- certificates

const certificateCase = fc.record({
  weights: weightsArb(1, 8),
  signersMask: fc.nat(255),
  view: fc.nat(50),
  instance: fc.nat(50),
  value: fc.uint8Array({ maxLength: 16 }),
  kind: fc.constantFrom("Prepare" as const, "Commit" as const),
});

type CertificateCase = typeof certificateCase extends fc.Arbitrary<infer T> ? T : never;

const buildCertificate = (group: ConsensusGroup, c: CertificateCase): VoteCertificate => {
  const signers = Array.from({ length: group.size }, (_, i) => i).filter((i) => c.signersMask & (1 << i));
  const value_hash = valueHash(c.value);
  const votes = signers.map((signer) => ({
    signer,
    signature: signStatement(idealCrypto, memberSecret(signer), {
      kind: c.kind,
      group: group.id,
      sender: signer,
      view: c.view,
      instance: c.instance,
      value_hash,
    }),
  }));
  return { kind: c.kind, group: group.id, view: c.view, instance: c.instance, value_hash, votes };
};

/** The quorum rule recomputed from its definition, independently of quorum.ts. */
const oracleQuorum = (group: ConsensusGroup, signers: readonly number[]): boolean => {
  const total = group.snapshot.members.reduce((s, m) => s + m.reputation, 0n);
  const weight = signers.reduce((s, i) => s + (group.snapshot.members[i]?.reputation ?? 0n), 0n);
  return signers.length >= 2 * Math.floor((group.size - 1) / 3) + 1 && weight * 3n > total * 2n;
};

describe("consensus certificates", () => {
  it("[BFT-5] a certificate verifies exactly when its signers are a quorum (independent oracle)", () => {
    holds(
      "certificate oracle",
      fc.property(certificateCase, (c) => {
        const group = groupOf(c.weights);
        const cert = buildCertificate(group, c);
        const verified = verifyCertificate(group, idealCrypto, cert, c.kind);
        const expected = oracleQuorum(
          group,
          cert.votes.map((v) => v.signer),
        );
        return Result.isSuccess(verified) ? expected : !expected && verified.failure.reason === "NoQuorum";
      }),
      { numRuns: 300 },
    );
  });

  it("[BFT-5] each defect of a quorum certificate is rejected with its reason, checked in order", () => {
    const cases = fc.sample(certificateCase, { numRuns: 300, seed: 11 });
    const seen = new Set<string>();
    for (const c of cases) {
      const group = groupOf(c.weights);
      const cert = buildCertificate(group, c);
      if (
        !oracleQuorum(
          group,
          cert.votes.map((v) => v.signer),
        ) ||
        cert.votes.length < 2
      )
        continue;
      const reasonOf = (x: VoteCertificate, kind = c.kind) => {
        const r = verifyCertificate(group, idealCrypto, x, kind);
        return Result.isFailure(r) ? r.failure.reason : "valid";
      };
      const flipped = cert.votes.map((v, i) =>
        i === 0 ? { ...v, signature: v.signature.map((b, j) => (j === 0 ? b ^ 1 : b)) } : v,
      );
      const results = {
        valid: reasonOf(cert),
        WrongGroup: reasonOf({ ...cert, group: new Uint8Array(32) }),
        WrongKind: reasonOf(cert, c.kind === "Commit" ? "Prepare" : "Commit"),
        SignerUnknown: reasonOf({
          ...cert,
          votes: [...cert.votes, { signer: group.size, signature: new Uint8Array(64) }],
        }),
        SignersNotSorted: reasonOf({ ...cert, votes: [...cert.votes].reverse() }),
        NoQuorum: reasonOf({ ...cert, votes: [] }),
        BadSignature: reasonOf({ ...cert, votes: flipped }),
        BadSignatureOtherView: reasonOf({ ...cert, view: cert.view + 1 }),
      };
      expect(results).toEqual({
        valid: "valid",
        WrongGroup: "WrongGroup",
        WrongKind: "WrongKind",
        SignerUnknown: "SignerUnknown",
        SignersNotSorted: "SignersNotSorted",
        NoQuorum: "NoQuorum",
        BadSignature: "BadSignature",
        BadSignatureOtherView: "BadSignature",
      });
      for (const reason of Object.values(results)) seen.add(reason);
    }
    expect([...seen].sort()).toEqual(["valid", ...CERTIFICATE_FAILURES].sort());
  });

  it("[BFT-5] negative control: a verifier that skips signatures accepts a forged certificate", () => {
    const skipping = (group: ConsensusGroup, cert: VoteCertificate) =>
      verifyCertificate(group, { ...idealCrypto, verify: () => true }, cert, cert.kind);
    const found = failsOn(
      "signature-skipping verifier",
      fc.property(certificateCase, fc.nat(255), (c, flip) => {
        const group = groupOf(c.weights);
        const cert = buildCertificate(group, c);
        const forged = {
          ...cert,
          votes: cert.votes.map((v) => ({ ...v, signature: v.signature.map((b) => b ^ (flip | 1)) })),
        };
        return Result.isFailure(skipping(group, forged));
      }),
    );
    expect(found.value[0].weights.length).toBeGreaterThan(0);
  });

  it("[BFT-5] certificates are canonical: decode(encode(c)) = c, with a fixed layout", () => {
    holds(
      "certificate round trip",
      fc.property(certificateCase, (c) => {
        const cert = buildCertificate(groupOf(c.weights), c);
        const bytes = encodeCertificate(cert);
        const decoded = decodeWith(bytes, (r) => readCertificate(r, [c.kind], "certificate"));
        const sizeOk = bytes.length === 2 + 32 + 8 + 8 + 32 + 2 + 66 * cert.votes.length;
        return sizeOk && Result.isSuccess(decoded) && same(decoded.success, cert);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------- evidence

const statementArb = fc.record({
  kind: fc.constantFrom("Propose" as const, "Prepare" as const, "Commit" as const),
  sender: fc.nat(3),
  view: fc.nat(20),
  instance: fc.nat(20),
  a: fc.uint8Array({ maxLength: 8 }),
  b: fc.uint8Array({ maxLength: 8 }),
});

type StatementCase = typeof statementArb extends fc.Arbitrary<infer T> ? T : never;

const equivocation = (group: ConsensusGroup, s: StatementCase, crypto = idealCrypto): Evidence => {
  const statement = (value: Uint8Array): Statement => ({ ...s, group: group.id, value_hash: valueHash(value) });
  const sign = (st: Statement) => signedStatement(st, signStatement(crypto, memberSecret(s.sender), st));
  return makeEvidence(group, s.sender, sign(statement(s.a)), sign(statement(s.b)));
};

describe("consensus statements", () => {
  const signedBytesLaw = (render: (s: Statement) => Uint8Array) =>
    fc.property(statementArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (st, group) => {
      const statement: Statement = { ...st, group, value_hash: valueHash(st.a) };
      const expected = taggedBody(
        TAGS.VOTE,
        encodeWith((w) => writeStatementBody(w, statement)),
      );
      return bytesEqual(render(statement), expected) && expected.length === 4 + 15 + STATEMENT_BODY_BYTES;
    });

  it("[BFT-4] the signed bytes of a statement are the VOTE tag prefix and its canonical body", () => {
    holds("statement bytes", signedBytesLaw(statementMessage), { numRuns: 200 });
  });

  it("[BFT-4] negative control: signed bytes with view and instance swapped are caught", () => {
    const swapped = (s: Statement) => statementMessage({ ...s, view: s.instance, instance: s.view });
    const found = failsOn("swapped statement", signedBytesLaw(swapped));
    expect(found.value[0].view).not.toBe(found.value[0].instance);
  });
});

describe("consensus evidence", () => {
  const group = groupOf([10, 10, 10, 10]);

  it("[BFT-14] two statements of one slot on different values are evidence, valid as a REP-11 proof of fraud", () => {
    holds(
      "evidence valid",
      fc.property(statementArb, (s) => {
        fc.pre(!bytesEqual(s.a, s.b));
        const evidence = equivocation(group, s);
        const fraud = verifyFraudProof(
          { offender: evidence.offender_key, first: evidence.first, second: evidence.second },
          idealCrypto.verify,
          prefixSlot(STATEMENT_SLOT_BYTES),
        );
        return (
          Result.isSuccess(verifyEvidence(group, idealCrypto, evidence)) &&
          Result.isSuccess(fraud) &&
          compareBytes(evidence.first.message, evidence.second.message) < 0 &&
          statementMessage({ ...s, group: group.id, value_hash: valueHash(s.a) }).length === 4 + 15 + 84
        );
      }),
      { numRuns: 200 },
    );
  });

  it("[BFT-14] each defect of an evidence is rejected with its reason", () => {
    const s = { kind: "Prepare" as const, sender: 1, view: 3, instance: 2, a: Uint8Array.of(1), b: Uint8Array.of(2) };
    const good = equivocation(group, s);
    const other = equivocation(group, { ...s, view: 4 });
    const reasonOf = (e: Evidence) => {
      const r = verifyEvidence(group, idealCrypto, e);
      return Result.isFailure(r) ? r.failure.reason : "valid";
    };
    const results = {
      valid: reasonOf(good),
      UnknownOffender: reasonOf({ ...good, offender: 9 }),
      NotAStatement: reasonOf({ ...good, first: { ...good.first, message: Uint8Array.of(1, 2, 3) } }),
      SameStatement: reasonOf({ ...good, second: good.first }),
      NotCanonicalOrder: reasonOf({ ...good, first: good.second, second: good.first }),
      DifferentSlots: reasonOf(makeEvidence(group, 1, good.first, other.first)),
      WrongGroup: reasonOf(equivocation(groupOf([10, 10, 10, 10], 1), s)),
      WrongSender: reasonOf({ ...good, offender: 2, offender_key: group.snapshot.members[2]?.key ?? new Uint8Array() }),
      BadSignature: reasonOf({ ...good, first: { ...good.first, signature: new Uint8Array(64) } }),
    };
    expect(results).toEqual({
      valid: "valid",
      ...Object.fromEntries(EVIDENCE_FAILURES.map((reason) => [reason, reason])),
    });
  });

  it("[BFT-14] negative control: a verifier that only checks the two signatures accepts statements of different views", () => {
    const naive = (e: Evidence) =>
      !bytesEqual(e.first.message, e.second.message) &&
      idealCrypto.verify(e.offender_key, e.first.message, e.first.signature) &&
      idealCrypto.verify(e.offender_key, e.second.message, e.second.signature);
    const found = failsOn(
      "slotless evidence check",
      fc.property(statementArb, fc.integer({ min: 1, max: 5 }), (s, shift) => {
        const a = equivocation(group, s);
        const b = equivocation(group, { ...s, view: s.view + shift });
        return !naive(makeEvidence(group, s.sender, a.first, b.first));
      }),
    );
    const [s, shift] = found.value;
    const mixed = makeEvidence(
      group,
      s.sender,
      equivocation(group, s).first,
      equivocation(group, { ...s, view: s.view + shift }).first,
    );
    const sound = verifyEvidence(group, idealCrypto, mixed);
    expect(Result.isFailure(sound) && sound.failure.reason).toBe("DifferentSlots");
  });

  it("[BFT-14] evidence signed with Ed25519 verifies through the Crypto service", () => {
    const edGroup = (() => {
      const snapshot = {
        members: [0, 1, 2, 3].map((i) => ({ key: nobleCrypto.publicKey(memberSecret(i)), reputation: 10n })),
      };
      const g = consensusGroup(0, snapshot);
      if (Result.isFailure(g)) throw new Error("group");
      return g.success;
    })();
    const evidence = equivocation(
      edGroup,
      { kind: "Commit", sender: 2, view: 1, instance: 0, a: Uint8Array.of(1), b: Uint8Array.of(2) },
      nobleCrypto,
    );
    expect(Result.isSuccess(verifyEvidence(edGroup, nobleCrypto, evidence))).toBe(true);
    expect(Result.isFailure(verifyEvidence(edGroup, idealCrypto, evidence))).toBe(true);
  });
});

/** Guard against the readMessage export drifting from decodeMessage. */
describe("consensus reader", () => {
  it("[BFT-4] readMessage inside a Reader reads exactly one message", () => {
    holds(
      "reader reads one",
      fc.property(messageArb, (m) => {
        const bytes = encodeMessage(m);
        const r = new Reader(Uint8Array.from([...bytes, 9]));
        readMessage(r);
        return r.remaining === 1;
      }),
      { numRuns: 100 },
    );
  });
});
