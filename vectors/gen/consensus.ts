/**
 * The consensus vector family (spec/consensus.md [BFT-19]; spec/vectors.md VEC-1..VEC-7), under
 * vectors/consensus/:
 * - certificate_test.json: pin and prepared certificates against group snapshots (Wycheproof envelope);
 * - message_decode_test.json: encodings of every message type, valid (re-encoding to the same bytes)
 *   and invalid (with their DecodeError reason);
 * - evidence_test.json: proofs of equivocation, valid and invalid (EvidenceInvalid reasons);
 * - step_traces.json: pre/steps/post traces of one member: the group from Ed25519 seeds, the member's
 *   index and parameters, every input with the exact outputs it must give, and the state after.
 * Everything is signed with Ed25519 from seeds derived from the family seed; the checker replays each
 * file with both `Crypto` implementations.
 * @module
 */
import { Result } from "effect";
import { decodeWith, encodeWith } from "../../src/codec/index.js";
import {
  type Application,
  type ConsensusGroup,
  type ConsensusParams,
  consensusGroup,
  decodeMessage,
  type Evidence,
  encodeCertificate,
  encodeMessage,
  type Input,
  initialState,
  type MemberContext,
  type MemberState,
  makeEvidence,
  memberContext,
  type Output,
  type ProposeMessage,
  readCertificate,
  type Statement,
  signedStatement,
  signMessage,
  signStatement,
  step,
  type VoteCertificate,
  valueHash,
  verifyCertificate,
  verifyEvidence,
} from "../../src/consensus/index.js";
import { bytesToHex, hexToBytes } from "../../src/crypto/bytes.js";
import { seededSource } from "../../src/crypto/random.js";
import { type CryptoShape, nobleCrypto } from "../../src/crypto/signature.js";
import { nodeCrypto } from "../../src/node.js";
import { type CheckReport, expect, runCases, type VectorFamily, type VectorFile } from "../family.js";
import { arr, documentSchema, hex, int, type JsonSchema, lit, obj, oneOf, str } from "../json-schema.js";
import { buildWycheproof, forEachTest, type Note, wycheproofSchema } from "../wycheproof.js";

const DIR = "consensus/";
const SCHEMA_FILE = "consensus_schema.json";
const CHECK_CRYPTO: readonly CryptoShape[] = [nobleCrypto, nodeCrypto];

// ---------------------------------------------------------------- the reference application (BFT-19)

const MAX_VECTOR_REQUEST = 64;
const VECTOR_CAPACITY = 3;

/** u8 count (1..3) ‖ (u8 length ‖ request)^count, requests distinct and 1..64 bytes. */
export const parseVectorValue = (value: Uint8Array): Uint8Array[] | undefined => {
  const parsed = decodeWith(value, (r) => {
    const count = r.u8("count");
    const requests: Uint8Array[] = [];
    for (let i = 0; i < count; i++) requests.push(r.fixed(r.u8("length"), "request"));
    return requests;
  });
  if (Result.isFailure(parsed)) return undefined;
  const requests = parsed.success;
  const hexes = new Set(requests.map(bytesToHex));
  const sized = requests.every((q) => q.length >= 1 && q.length <= MAX_VECTOR_REQUEST);
  return requests.length >= 1 && requests.length <= VECTOR_CAPACITY && hexes.size === requests.length && sized
    ? requests
    : undefined;
};

export const encodeVectorValue = (requests: readonly Uint8Array[]): Uint8Array =>
  encodeWith((w) => {
    w.u8(requests.length);
    for (const q of requests) w.u8(q.length).fixed(q, q.length);
  });

/** [BFT-19] The application every trace runs (spec/consensus.md). */
export const vectorApp: Application = {
  isValidRequest: (r) => r.length >= 1 && r.length <= MAX_VECTOR_REQUEST,
  isValidValue: (_instance, value) => parseVectorValue(value) !== undefined,
  settles: (value, r) => parseVectorValue(value)?.some((q) => bytesToHex(q) === bytesToHex(r)) ?? false,
  assemble: (_instance, pending) =>
    pending.length === 0 ? undefined : encodeVectorValue(pending.slice(0, VECTOR_CAPACITY)),
};

export const VECTOR_PARAMS: ConsensusParams = {
  window: 4,
  timeout_base_ms: 1000,
  backoff_cap: 3,
  max_pending_requests: 16,
  history: 8,
};

// ---------------------------------------------------------------- groups from seeds

interface GroupSpec {
  readonly epoch: number;
  readonly seeds: readonly Uint8Array[];
  /** Fixed-point reputations (REPUTATION_SCALE = 10^9). */
  readonly reputations: readonly bigint[];
}

const snapshotOf = (spec: GroupSpec, crypto: CryptoShape = nobleCrypto) => ({
  members: spec.seeds.map((seed, i) => ({ key: crypto.publicKey(seed), reputation: spec.reputations[i] ?? 0n })),
});

const groupOf = (spec: GroupSpec): ConsensusGroup => {
  const group = consensusGroup(spec.epoch, snapshotOf(spec));
  if (Result.isFailure(group)) throw new Error(`consensus vectors: ${group.failure.message}`);
  return group.success;
};

const contextOf = (spec: GroupSpec, self: number, crypto: CryptoShape): MemberContext => {
  const ctx = memberContext({
    epoch: spec.epoch,
    snapshot: snapshotOf(spec, crypto),
    self,
    secretKey: spec.seeds[self] ?? new Uint8Array(32),
    crypto,
    app: vectorApp,
    params: VECTOR_PARAMS,
  });
  if (Result.isFailure(ctx)) throw new Error(`consensus vectors: ${ctx.failure.message}`);
  return ctx.success;
};

const groupJson = (spec: GroupSpec) => ({
  epoch: spec.epoch,
  members: spec.seeds.map((seed, i) => ({
    key: bytesToHex(nobleCrypto.publicKey(seed)),
    reputation: String(spec.reputations[i] ?? 0n),
  })),
});

const traceGroupJson = (spec: GroupSpec) => ({
  epoch: spec.epoch,
  members: spec.seeds.map((seed, i) => ({
    seed: bytesToHex(seed),
    key: bytesToHex(nobleCrypto.publicKey(seed)),
    reputation: String(spec.reputations[i] ?? 0n),
  })),
});

const groupFromJson = (json: GroupJson): ConsensusGroup => {
  const group = consensusGroup(json.epoch, {
    members: json.members.map((m) => ({ key: hexToBytes(m.key), reputation: BigInt(m.reputation) })),
  });
  if (Result.isFailure(group)) throw new Error(`bad group: ${group.failure.message}`);
  return group.success;
};

interface GroupJson {
  readonly epoch: number;
  readonly members: readonly { readonly key: string; readonly reputation: string }[];
}

interface TraceGroupJson {
  readonly epoch: number;
  readonly members: readonly { readonly seed: string; readonly key: string; readonly reputation: string }[];
}

/** The shape of the Wycheproof files of this family, as the checkers read them. */
interface WycheproofJson<G, T> {
  readonly testGroups: readonly (G & { readonly tests: readonly (T & TestHead)[] })[];
}
interface TestHead {
  readonly tcId: number;
  readonly flags: readonly string[];
  readonly result: "valid" | "invalid" | "acceptable";
}

// ---------------------------------------------------------------- certificates

const statementOf = (cert: Omit<VoteCertificate, "votes">, signer: number): Statement => ({
  kind: cert.kind,
  group: cert.group,
  sender: signer,
  view: cert.view,
  instance: cert.instance,
  value_hash: cert.value_hash,
});

const certify = (
  spec: GroupSpec,
  group: ConsensusGroup,
  kind: VoteCertificate["kind"],
  signers: readonly number[],
  value: Uint8Array,
  view = 0,
  instance = 0,
): VoteCertificate => {
  const base = { kind, group: group.id, view, instance, value_hash: valueHash(value) };
  const votes = [...signers]
    .sort((a, b) => a - b)
    .map((signer) => ({
      signer,
      signature: signStatement(nobleCrypto, spec.seeds[signer] ?? new Uint8Array(32), statementOf(base, signer)),
    }));
  return { ...base, votes };
};

const CERT_NOTES: Record<string, Note> = {
  WrongGroup: { bugType: "MODIFIED_PARAMETER", description: "the certificate names another group (epoch 1's)" },
  WrongKind: {
    bugType: "WRONG_PRIMITIVE",
    description: "a prepared certificate where a pin is required, or the reverse",
  },
  SignerUnknown: { bugType: "EDGE_CASE", description: "a signer index outside the group" },
  NoQuorum: {
    bugType: "AUTH_BYPASS",
    description: "the signers are not a quorum: fewer than 2f+1, or not strictly more than 2/3 of the reputation",
  },
  BadSignature: { bugType: "AUTH_BYPASS", description: "a vote's signature does not verify over its statement" },
  NotSorted: { bugType: "MALLEABILITY", description: "signers not strictly ascending (decode error)" },
  TrailingBytes: { bugType: "MALLEABILITY", description: "bytes after the certificate (decode error)" },
  ShortInput: { bugType: "MODIFIED_PARAMETER", description: "the encoding ends inside a field (decode error)" },
  BadType: { bugType: "MODIFIED_PARAMETER", description: "not a certificate type byte (decode error)" },
  ReputationRule: { bugType: "FUNCTIONALITY", description: "2f+1 signers that hold too little reputation" },
};

const withFlip = (bytes: Uint8Array, at: number): Uint8Array => {
  const out = bytes.slice();
  out[at] = (out[at] ?? 0) ^ 1;
  return out;
};

const certTest = (comment: string, cert: Uint8Array | VoteCertificate, kind: "pin" | "prepared", flags: string[]) => ({
  comment,
  flags,
  kind,
  certificate: bytesToHex(cert instanceof Uint8Array ? cert : encodeCertificate(cert)),
  result: (flags.length === 0 ? "valid" : "invalid") as "valid" | "invalid",
});

const certificateFile = (specs: { equal: GroupSpec; skewed: GroupSpec; seven: GroupSpec; other: GroupSpec }) => {
  const value = Uint8Array.from([1, 1, 0x61]);
  const equal = groupOf(specs.equal);
  const skewed = groupOf(specs.skewed);
  const seven = groupOf(specs.seven);
  const other = groupOf(specs.other);
  const pin = certify(specs.equal, equal, "Commit", [0, 1, 2], value, 2, 5);
  const pinBytes = encodeCertificate(pin);
  const unsorted = pinBytes.slice();
  unsorted.set([0, 2], 84);
  unsorted.set([0, 1], 84 + 66);
  const tests = [
    certTest("3 of 4 equal members", pin, "pin", []),
    certTest("all 4 members", certify(specs.equal, equal, "Commit", [0, 1, 2, 3], value), "pin", []),
    certTest(
      "a prepared certificate of 3 of 4",
      certify(specs.equal, equal, "Prepare", [1, 2, 3], value),
      "prepared",
      [],
    ),
    certTest("2 of 4 members", certify(specs.equal, equal, "Commit", [0, 1], value), "pin", ["NoQuorum"]),
    certTest("no signer", certify(specs.equal, equal, "Commit", [], value), "pin", ["NoQuorum"]),
    certTest("signed for epoch 1's group", certify(specs.other, other, "Commit", [0, 1, 2], value), "pin", [
      "WrongGroup",
    ]),
    certTest(
      "a prepared certificate offered as a pin",
      certify(specs.equal, equal, "Prepare", [0, 1, 2], value),
      "pin",
      ["WrongKind"],
    ),
    certTest("a pin offered as a prepared certificate", pin, "prepared", ["WrongKind"]),
    certTest(
      "a fifth signer in a group of four",
      { ...pin, votes: [...pin.votes, { signer: 4, signature: new Uint8Array(64) }] },
      "pin",
      ["SignerUnknown"],
    ),
    certTest("one signature bit flipped", withFlip(pinBytes, 84 + 2 + 10), "pin", ["BadSignature"]),
    certTest("the view changed after signing", { ...pin, view: 3 }, "pin", ["BadSignature"]),
    certTest("signers 2 then 1", unsorted, "pin", ["NotSorted"]),
    certTest("a trailing byte", Uint8Array.from([...pinBytes, 0]), "pin", ["TrailingBytes"]),
    certTest("cut inside the last signature", pinBytes.slice(0, pinBytes.length - 1), "pin", ["ShortInput"]),
    certTest(
      "a message type byte instead of a certificate's",
      Uint8Array.from([1, 0x43, ...pinBytes.slice(2)]),
      "pin",
      ["BadType"],
    ),
  ];
  const skewedTests = [
    certTest(
      "members 0,1,2 hold 85% of the reputation",
      certify(specs.skewed, skewed, "Commit", [0, 1, 2], value),
      "pin",
      [],
    ),
    certTest(
      "members 1,2,3 are 2f+1 but hold 50% of the reputation",
      certify(specs.skewed, skewed, "Commit", [1, 2, 3], value),
      "pin",
      ["NoQuorum", "ReputationRule"],
    ),
  ];
  const sevenTests = [
    certTest("5 of 7 (2f+1, f = 2)", certify(specs.seven, seven, "Commit", [0, 2, 3, 5, 6], value), "pin", []),
    certTest("4 of 7", certify(specs.seven, seven, "Commit", [0, 2, 3, 5], value), "pin", ["NoQuorum"]),
  ];
  return buildWycheproof({
    algorithm: "SPCHAIN-BFT-CERTIFICATE",
    schema: SCHEMA_FILE,
    header: [
      "Pin and prepared certificates of the pinning protocol (spec/consensus.md BFT-5) against group snapshots.",
      "Decode with both kinds allowed, then verify as `kind`; the first flag is the DecodeError or CertificateInvalid reason.",
    ],
    notes: CERT_NOTES,
    testGroups: [
      { type: "CertificateVerify", group: groupJson(specs.equal), tests },
      { type: "CertificateVerify", group: groupJson(specs.skewed), tests: skewedTests },
      { type: "CertificateVerify", group: groupJson(specs.seven), tests: sevenTests },
    ],
  });
};

type CertificateTest = TestHead & { readonly kind: "pin" | "prepared"; readonly certificate: string };

const checkCertificateFile = (json: unknown): CheckReport => {
  const file = json as WycheproofJson<{ readonly group: GroupJson }, CertificateTest>;
  const cases: { crypto: CryptoShape; group: GroupJson; test: CertificateTest }[] = [];
  forEachTest(file, (test, group) => {
    for (const crypto of CHECK_CRYPTO) cases.push({ crypto, group: group.group, test });
  });
  return runCases(
    cases,
    ({ crypto, test }) => `certificate ${test.tcId} (${crypto.implementation})`,
    ({ crypto, group, test }) => {
      const g = groupFromJson(group);
      const decoded = decodeWith(hexToBytes(test.certificate), (r) =>
        readCertificate(r, ["Prepare", "Commit"], "certificate"),
      );
      const kind = test.kind === "pin" ? "Commit" : "Prepare";
      const reason = Result.isFailure(decoded)
        ? decoded.failure.reason
        : Result.match(verifyCertificate(g, crypto, decoded.success, kind), {
            onSuccess: () => "valid",
            onFailure: (e) => e.reason,
          });
      expect(
        reason === (test.result === "valid" ? "valid" : test.flags[0]),
        `expected ${test.result} ${test.flags}, got ${reason}`,
      );
    },
  );
};

// ---------------------------------------------------------------- a synchronous driver for traces

type JsonInput =
  | { readonly receive: { readonly from: number; readonly message: string } }
  | { readonly timer: string }
  | { readonly submit: string };

type JsonOutput =
  | { readonly send: { readonly to: number; readonly message: string } }
  | { readonly broadcast: string }
  | { readonly set_timer: { readonly timer: string; readonly delay_ms: number } }
  | { readonly cancel_timer: string }
  | { readonly decide: { readonly instance: number; readonly value: string; readonly certificate: string } }
  | { readonly evidence: EvidenceJson };

interface EvidenceJson {
  readonly offender: number;
  readonly offender_key: string;
  readonly first: { readonly message: string; readonly signature: string };
  readonly second: { readonly message: string; readonly signature: string };
}

const evidenceJson = (e: Evidence): EvidenceJson => ({
  offender: e.offender,
  offender_key: bytesToHex(e.offender_key),
  first: { message: bytesToHex(e.first.message), signature: bytesToHex(e.first.signature) },
  second: { message: bytesToHex(e.second.message), signature: bytesToHex(e.second.signature) },
});

const evidenceFromJson = (j: EvidenceJson): Evidence => ({
  offender: j.offender,
  offender_key: hexToBytes(j.offender_key),
  first: { message: hexToBytes(j.first.message), signature: hexToBytes(j.first.signature) },
  second: { message: hexToBytes(j.second.message), signature: hexToBytes(j.second.signature) },
});

const outputJson = (o: Output): JsonOutput => {
  switch (o._tag) {
    case "Send":
      return { send: { to: o.to, message: bytesToHex(o.message) } };
    case "Broadcast":
      return { broadcast: bytesToHex(o.message) };
    case "SetTimer":
      return { set_timer: { timer: o.timer, delay_ms: o.delay_ms } };
    case "CancelTimer":
      return { cancel_timer: o.timer };
    case "Decide":
      return {
        decide: {
          instance: o.instance,
          value: bytesToHex(o.value),
          certificate: bytesToHex(encodeCertificate(o.certificate)),
        },
      };
    case "Evidence":
      return { evidence: evidenceJson(o.evidence) };
  }
};

const inputJson = (i: Input): JsonInput =>
  i._tag === "Receive"
    ? { receive: { from: i.from, message: bytesToHex(i.bytes) } }
    : i._tag === "TimerExpired"
      ? { timer: i.timer }
      : { submit: bytesToHex(i.request) };

const inputFromJson = (j: JsonInput): Input =>
  "receive" in j
    ? { _tag: "Receive", from: j.receive.from, bytes: hexToBytes(j.receive.message) }
    : "timer" in j
      ? { _tag: "TimerExpired", timer: j.timer }
      : { _tag: "Submit", request: hexToBytes(j.submit) };

const postJson = (s: MemberState, delivered: readonly { instance: number; value: string }[]) => ({
  view: s.view,
  status: s.status,
  low: s.low,
  pending: s.pending.map((p) => bytesToHex(p.request)),
  timers: [...s.timers].sort(),
  delivered,
});

interface Trace {
  readonly name: string;
  readonly comment: string;
  readonly group: TraceGroupJson;
  readonly member: number;
  readonly steps: { readonly input: JsonInput; readonly outputs: JsonOutput[] }[];
  readonly post: ReturnType<typeof postJson>;
}

/**
 * Members stepped synchronously: messages are delivered in FIFO order, except those a script drops;
 * timers fire only when the script says. Records every input and output of the traced members.
 */
class Driver {
  readonly states: MemberState[];
  readonly ctxs: MemberContext[];
  private readonly queue: { to: number; from: number; bytes: Uint8Array }[] = [];
  readonly traces = new Map<number, { input: JsonInput; outputs: JsonOutput[] }[]>();
  readonly delivered = new Map<number, { instance: number; value: string }[]>();

  constructor(
    readonly spec: GroupSpec,
    private readonly silent: ReadonlySet<number> = new Set(),
  ) {
    this.ctxs = spec.seeds.map((_, i) => contextOf(spec, i, nobleCrypto));
    this.states = spec.seeds.map(() => initialState());
  }

  input(member: number, input: Input): Output[] {
    if (this.silent.has(member)) return [];
    const result = step(this.ctxs[member] as MemberContext, this.states[member] as MemberState, input);
    this.states[member] = result.state;
    const outputs = [...result.outputs];
    this.traces.get(member)?.push({ input: inputJson(input), outputs: outputs.map(outputJson) });
    for (const o of outputs) {
      if (o._tag === "Send") this.queue.push({ to: o.to, from: member, bytes: o.message });
      if (o._tag === "Broadcast") {
        for (let to = 0; to < this.spec.seeds.length; to++)
          if (to !== member) this.queue.push({ to, from: member, bytes: o.message });
      }
      if (o._tag === "Decide") {
        const list = this.delivered.get(member) ?? [];
        list.push({ instance: o.instance, value: bytesToHex(o.value) });
        this.delivered.set(member, list);
      }
    }
    return outputs;
  }

  deliverAll(limit = 10_000): void {
    for (let n = 0; n < limit && this.queue.length > 0; n++) {
      const m = this.queue.shift();
      if (m !== undefined) this.input(m.to, { _tag: "Receive", from: m.from, bytes: m.bytes });
    }
  }

  record(member: number): void {
    this.traces.set(member, []);
  }

  trace(name: string, comment: string, member: number): Trace {
    return {
      name,
      comment,
      group: traceGroupJson(this.spec),
      member,
      steps: this.traces.get(member) ?? [],
      post: postJson(this.states[member] as MemberState, this.delivered.get(member) ?? []),
    };
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

const normalCaseTraces = (spec: GroupSpec): Trace[] => {
  const d = new Driver(spec);
  d.record(0);
  d.record(2);
  d.input(0, { _tag: "Submit", request: utf8("keyblock 7") });
  d.deliverAll();
  d.input(0, { _tag: "Submit", request: utf8("tx a") });
  d.input(1, { _tag: "Submit", request: utf8("tx b") });
  d.deliverAll();
  d.input(0, { _tag: "Receive", from: 3, bytes: encodeMessage({ _tag: "Sync", group: groupOf(spec).id, low: 0 }) });
  return [
    d.trace(
      "normal-case-leader",
      "the leader of view 0 proposes, prepares, commits, decides two instances and answers a SYNC",
      0,
    ),
    d.trace("normal-case-follower", "a member accepts the leader's proposals and decides them in order", 2),
  ];
};

const viewChangeTraces = (spec: GroupSpec): Trace[] => {
  const d = new Driver(spec, new Set([0]));
  d.record(1);
  d.record(3);
  d.input(2, { _tag: "Submit", request: utf8("tx c") });
  d.deliverAll();
  for (const member of [1, 2, 3]) {
    const timer = [...(d.states[member] as MemberState).timers].find((t) => t.startsWith("request:"));
    if (timer !== undefined) d.input(member, { _tag: "TimerExpired", timer });
  }
  d.deliverAll();
  return [
    d.trace(
      "view-change-new-leader",
      "leader 0 is silent; the request timers fire; member 1 gathers a quorum, starts view 1 and decides",
      1,
    ),
    d.trace("view-change-member", "a member suspects the silent leader, adopts the NEW-VIEW of view 1 and decides", 3),
  ];
};

const robustnessTrace = (spec: GroupSpec, random: (n: number) => Uint8Array): Trace => {
  const d = new Driver(spec);
  d.record(2);
  const group = groupOf(spec);
  const seed0 = spec.seeds[0] ?? new Uint8Array(32);
  const proposal = (value: Uint8Array, seed = seed0, sender = 0) =>
    encodeMessage(
      signMessage<ProposeMessage>(nobleCrypto, seed, {
        _tag: "Propose",
        group: group.id,
        sender,
        view: 0,
        instance: 0,
        value,
      }),
    );
  const first = proposal(encodeVectorValue([utf8("x")]));
  const inputs: Input[] = [
    { _tag: "Receive", from: 0, bytes: random(40) },
    { _tag: "Receive", from: 7, bytes: first },
    { _tag: "Receive", from: 2, bytes: first },
    { _tag: "Receive", from: 0, bytes: first.map((b, i) => (i === first.length - 1 ? b ^ 1 : b)) },
    { _tag: "Receive", from: 1, bytes: proposal(encodeVectorValue([utf8("y")]), spec.seeds[1], 1) },
    { _tag: "TimerExpired", timer: "request:00" },
    { _tag: "Receive", from: 0, bytes: first },
    { _tag: "Receive", from: 0, bytes: first },
    { _tag: "Receive", from: 0, bytes: proposal(Uint8Array.of(0)) },
    { _tag: "Receive", from: 0, bytes: proposal(encodeVectorValue([utf8("z")])) },
  ];
  for (const input of inputs) d.input(2, input);
  return d.trace(
    "robustness-and-evidence",
    "garbage, a sender outside the group, itself as sender, a bad signature, a non-leader's proposal and an unknown timer change nothing; the leader's proposal is prepared once; a second, different one is evidence, reported once",
    2,
  );
};

/** [BFT-19] Replays a trace: every step must give exactly the recorded outputs; then the post state. */
const replayTrace = (trace: Trace, crypto: CryptoShape): void => {
  const spec: GroupSpec = {
    epoch: trace.group.epoch,
    seeds: trace.group.members.map((m) => hexToBytes(m.seed)),
    reputations: trace.group.members.map((m) => BigInt(m.reputation)),
  };
  trace.group.members.forEach((m, i) => {
    expect(bytesToHex(crypto.publicKey(hexToBytes(m.seed))) === m.key, `member ${i}: key is not the seed's`);
  });
  const ctx = contextOf(spec, trace.member, crypto);
  let state = initialState();
  const delivered: { instance: number; value: string }[] = [];
  trace.steps.forEach((s, k) => {
    const result = step(ctx, state, inputFromJson(s.input));
    state = result.state;
    const got = result.outputs.map(outputJson);
    expect(JSON.stringify(got) === JSON.stringify(s.outputs), `step ${k}: outputs differ:\n${JSON.stringify(got)}`);
    for (const o of result.outputs)
      if (o._tag === "Decide") delivered.push({ instance: o.instance, value: bytesToHex(o.value) });
  });
  const post = postJson(state, delivered);
  expect(JSON.stringify(post) === JSON.stringify(trace.post), `post state differs: ${JSON.stringify(post)}`);
};

// ---------------------------------------------------------------- evidence

const EVIDENCE_NOTES: Record<string, Note> = {
  UnknownOffender: { bugType: "MODIFIED_PARAMETER", description: "the offender index and key are not a member" },
  NotAStatement: {
    bugType: "WRONG_PRIMITIVE",
    description: "a message is not a signed statement (wrong tag or layout)",
  },
  SameStatement: { bugType: "EDGE_CASE", description: "the two messages are the same statement" },
  NotCanonicalOrder: { bugType: "MALLEABILITY", description: "the first message does not sort before the second" },
  DifferentSlots: { bugType: "FUNCTIONALITY", description: "statements for different views: not equivocation" },
  WrongGroup: { bugType: "MODIFIED_PARAMETER", description: "statements of another group" },
  WrongSender: { bugType: "MODIFIED_PARAMETER", description: "statements by another member than the offender" },
  BadSignature: { bugType: "AUTH_BYPASS", description: "a signature does not verify under the offender's key" },
};

const equivocation = (spec: GroupSpec, group: ConsensusGroup, sender: number, view: number, a: string, b: string) => {
  const statement = (value: string): Statement => ({
    kind: "Prepare",
    group: group.id,
    sender,
    view,
    instance: 3,
    value_hash: valueHash(utf8(value)),
  });
  const sign = (s: Statement) =>
    signedStatement(s, signStatement(nobleCrypto, spec.seeds[sender] ?? new Uint8Array(32), s));
  return { a: sign(statement(a)), b: sign(statement(b)) };
};

const evidenceFile = (spec: GroupSpec, other: GroupSpec) => {
  const group = groupOf(spec);
  const { a, b } = equivocation(spec, group, 1, 2, "one", "two");
  const good = makeEvidence(group, 1, a, b);
  const later = equivocation(spec, group, 1, 3, "one", "two");
  const foreign = equivocation(other, groupOf(other), 1, 2, "one", "two");
  const test = (comment: string, e: Evidence, flags: string[]) => ({
    comment,
    flags,
    evidence: evidenceJson(e),
    result: (flags.length === 0 ? "valid" : "invalid") as "valid" | "invalid",
  });
  return buildWycheproof({
    algorithm: "SPCHAIN-BFT-EVIDENCE",
    schema: SCHEMA_FILE,
    header: [
      "Proofs of equivocation (spec/consensus.md BFT-14): two signed statements of one slot on different values.",
    ],
    notes: EVIDENCE_NOTES,
    testGroups: [
      {
        type: "EvidenceVerify",
        group: groupJson(spec),
        tests: [
          test("two PREPAREs of member 1 for view 2, instance 3", good, []),
          test("an index outside the group", { ...good, offender: 9 }, ["UnknownOffender"]),
          test("a message that is not a statement", { ...good, first: { ...good.first, message: utf8("hello") } }, [
            "NotAStatement",
          ]),
          test("the same statement twice", { ...good, second: good.first }, ["SameStatement"]),
          test("the messages in the wrong order", { ...good, first: good.second, second: good.first }, [
            "NotCanonicalOrder",
          ]),
          test("PREPAREs of views 2 and 3", makeEvidence(group, 1, a, later.b), ["DifferentSlots"]),
          test("statements signed for epoch 1's group", makeEvidence(group, 1, foreign.a, foreign.b), ["WrongGroup"]),
          test(
            "member 1's statements presented as member 2's",
            { ...good, offender: 2, offender_key: group.snapshot.members[2]?.key ?? new Uint8Array() },
            ["WrongSender"],
          ),
          test("a zeroed signature", { ...good, second: { ...good.second, signature: new Uint8Array(64) } }, [
            "BadSignature",
          ]),
        ],
      },
    ],
  });
};

type EvidenceTest = TestHead & { readonly evidence: EvidenceJson };

const checkEvidenceFile = (json: unknown): CheckReport => {
  const file = json as WycheproofJson<{ readonly group: GroupJson }, EvidenceTest>;
  const cases: { crypto: CryptoShape; group: GroupJson; test: EvidenceTest }[] = [];
  forEachTest(file, (test, group) => {
    for (const crypto of CHECK_CRYPTO) cases.push({ crypto, group: group.group, test });
  });
  return runCases(
    cases,
    ({ crypto, test }) => `evidence ${test.tcId} (${crypto.implementation})`,
    ({ crypto, group, test }) => {
      const verified = verifyEvidence(groupFromJson(group), crypto, evidenceFromJson(test.evidence));
      const reason = Result.isSuccess(verified) ? "valid" : verified.failure.reason;
      expect(reason === (test.result === "valid" ? "valid" : test.flags[0]), `expected ${test.flags}, got ${reason}`);
    },
  );
};

// ---------------------------------------------------------------- message decoding

const DECODE_NOTES: Record<string, Note> = {
  BadVersion: { bugType: "MODIFIED_PARAMETER", description: "a version byte other than 1" },
  BadType: { bugType: "MODIFIED_PARAMETER", description: "an unknown message type byte" },
  ShortInput: { bugType: "MODIFIED_PARAMETER", description: "the input ends inside a field" },
  TrailingBytes: { bugType: "MALLEABILITY", description: "bytes after a complete message" },
  LengthOverBound: { bugType: "CAN_OF_WORMS", description: "a length or count above its bound" },
  NotSorted: {
    bugType: "MALLEABILITY",
    description: "signers, prepared instances or VIEW-CHANGE senders not strictly ascending",
  },
  IntegerOutOfRange: {
    bugType: "EDGE_CASE",
    description: "a view, instance or low above 2^53 - 1, or a member index >= 256",
  },
};

const decodeReason = (bytes: Uint8Array): string => {
  const decoded = decodeMessage(bytes);
  return Result.isSuccess(decoded) ? "valid" : decoded.failure.reason;
};

/** Valid messages from the traces (one per type at least) and mutations with their reasons. */
const messageFile = (traces: readonly Trace[]) => {
  const seen = new Map<string, Uint8Array>();
  for (const trace of traces) {
    for (const s of trace.steps) {
      const bytes = "receive" in s.input ? hexToBytes(s.input.receive.message) : undefined;
      const outs = s.outputs.flatMap((o) => ("broadcast" in o ? [o.broadcast] : "send" in o ? [o.send.message] : []));
      for (const candidate of [bytes, ...outs.map(hexToBytes)]) {
        if (candidate === undefined) continue;
        const decoded = decodeMessage(candidate);
        if (Result.isSuccess(decoded) && !seen.has(decoded.success._tag)) seen.set(decoded.success._tag, candidate);
      }
    }
  }
  const valid = [...seen].map(([type, bytes]) => ({
    comment: `a ${type} from the traces`,
    flags: [],
    message: bytesToHex(bytes),
    result: "valid" as const,
  }));
  const sync = seen.get("Sync") ?? new Uint8Array();
  const vc = seen.get("ViewChange") ?? new Uint8Array();
  const decision = seen.get("Decision") ?? new Uint8Array();
  const invalid = (comment: string, bytes: Uint8Array, flag: string) => {
    const reason = decodeReason(bytes);
    if (reason !== flag) throw new Error(`consensus vectors: "${comment}" gives ${reason}, not ${flag}`);
    return { comment, flags: [flag], message: bytesToHex(bytes), result: "invalid" as const };
  };
  const highLow = sync.slice();
  highLow.set([0x00, 0x20], 34);
  const manyPrepared = vc.slice(0, 52);
  const countAt = 52;
  const bigCount = Uint8Array.from([...manyPrepared.slice(0, countAt), 0, 17]);
  const decisionSigners = decision.slice();
  decisionSigners.set([0, 0], 2 + 84 + 66);
  return buildWycheproof({
    algorithm: "SPCHAIN-BFT-MESSAGE",
    schema: SCHEMA_FILE,
    header: [
      "Encodings of the pinning protocol's messages (spec/consensus.md BFT-4).",
      "Valid: decodes, and re-encoding gives the same bytes. Invalid: DecodeError with the flagged reason.",
    ],
    notes: DECODE_NOTES,
    testGroups: [
      {
        type: "MessageDecode",
        tests: [
          ...valid,
          invalid("version 2", Uint8Array.from([2, ...sync.slice(1)]), "BadVersion"),
          invalid("type 0x4f", Uint8Array.from([1, 0x4f, ...sync.slice(2)]), "BadType"),
          invalid("a SYNC cut short", sync.slice(0, 20), "ShortInput"),
          invalid("a SYNC with a trailing byte", Uint8Array.from([...sync, 0]), "TrailingBytes"),
          invalid("a SYNC whose low is 2^53", highLow, "IntegerOutOfRange"),
          invalid("a VIEW-CHANGE with 17 prepared entries", bigCount, "LengthOverBound"),
          invalid("a DECISION whose certificate repeats signer 0", decisionSigners, "NotSorted"),
        ],
      },
    ],
  });
};

type MessageTest = TestHead & { readonly message: string };

const checkMessageFile = (json: unknown): CheckReport => {
  const file = json as WycheproofJson<object, MessageTest>;
  const tests: MessageTest[] = [];
  forEachTest(file, (test) => tests.push(test));
  return runCases(
    tests,
    (t) => `message ${t.tcId}`,
    (t) => {
      const bytes = hexToBytes(t.message);
      const reason = decodeReason(bytes);
      expect(reason === (t.result === "valid" ? "valid" : t.flags[0]), `expected ${t.flags}, got ${reason}`);
      if (reason === "valid") {
        const decoded = decodeMessage(bytes);
        expect(Result.isSuccess(decoded) && bytesToHex(encodeMessage(decoded.success)) === t.message, "not canonical");
      }
    },
  );
};

// ---------------------------------------------------------------- files, schema, family

const specsFrom = (seed: Uint8Array) => {
  const source = seededSource(seed);
  const seeds = (n: number) => Array.from({ length: n }, () => source.bytes(32));
  const four = seeds(4);
  const equal: GroupSpec = { epoch: 0, seeds: four, reputations: four.map(() => 250_000_000n) };
  return {
    source,
    equal,
    other: { ...equal, epoch: 1 },
    skewed: { epoch: 0, seeds: four, reputations: [500_000_000n, 200_000_000n, 150_000_000n, 150_000_000n] },
    seven: { epoch: 0, seeds: seeds(7), reputations: Array.from({ length: 7 }, () => 142_857_142n) },
  };
};

const buildFiles = (seed: Uint8Array): VectorFile[] => {
  const specs = specsFrom(seed);
  const traces = [
    ...normalCaseTraces(specs.equal),
    ...viewChangeTraces(specs.equal),
    robustnessTrace(specs.equal, specs.source.bytes),
  ];
  for (const t of traces) for (const crypto of CHECK_CRYPTO) replayTrace(t, crypto);
  return [
    { path: `${DIR}certificate_test.json`, json: certificateFile(specs) },
    { path: `${DIR}evidence_test.json`, json: evidenceFile(specs.equal, specs.other) },
    { path: `${DIR}message_decode_test.json`, json: messageFile(traces) },
    {
      path: `${DIR}step_traces.json`,
      json: {
        format: "spchain-consensus-trace/1",
        schema: SCHEMA_FILE,
        description:
          "Step traces of one member (spec/consensus.md BFT-19): replay `steps` from the initial state with the vector application and `params`; each input must give exactly `outputs`; then the state summary must be `post`.",
        params: VECTOR_PARAMS,
        traces,
      },
    },
  ];
};

const GROUP = obj({ epoch: int(), members: arr(obj({ key: hex(32), reputation: str() }), 1) });
const TRACE_GROUP = obj({ epoch: int(), members: arr(obj({ seed: hex(32), key: hex(32), reputation: str() }), 1) });
const STATEMENT = obj({ message: hex(), signature: hex(64) });
const EVIDENCE = obj({ offender: int(), offender_key: hex(32), first: STATEMENT, second: STATEMENT });
const INPUT = oneOf(
  obj({ receive: obj({ from: int(-1), message: hex() }) }),
  obj({ timer: str() }),
  obj({ submit: hex() }),
);
const OUTPUT = oneOf(
  obj({ send: obj({ to: int(), message: hex() }) }),
  obj({ broadcast: hex() }),
  obj({ set_timer: obj({ timer: str(), delay_ms: int(1) }) }),
  obj({ cancel_timer: str() }),
  obj({ decide: obj({ instance: int(), value: hex(), certificate: hex() }) }),
  obj({ evidence: EVIDENCE }),
);
const TRACE_FILE = obj({
  format: lit("spchain-consensus-trace/1"),
  schema: lit(SCHEMA_FILE),
  description: str(),
  params: obj({
    window: int(1),
    timeout_base_ms: int(1),
    backoff_cap: int(),
    max_pending_requests: int(1),
    history: int(1),
  }),
  traces: arr(
    obj({
      name: str(),
      comment: str(),
      group: TRACE_GROUP,
      member: int(),
      steps: arr(obj({ input: INPUT, outputs: arr(OUTPUT) }), 1),
      post: obj({
        view: int(),
        status: lit("Normal", "ViewChange"),
        low: int(),
        pending: arr(hex()),
        timers: arr(str()),
        delivered: arr(obj({ instance: int(), value: hex() })),
      }),
    }),
    1,
  ),
});

/** [BFT-19] One schema for the four files: a Wycheproof file of one of three group types, or the trace file. */
const consensusSchema: JsonSchema = documentSchema(
  "https://spchain.example/vectors/consensus_schema.json",
  "SPChain pinning-protocol vectors (spec/consensus.md BFT-19): certificates, evidence, message decoding, step traces.",
  oneOf(
    wycheproofSchema("CertificateVerify", { group: GROUP }, { kind: lit("pin", "prepared"), certificate: hex() }),
    wycheproofSchema("EvidenceVerify", { group: GROUP }, { evidence: EVIDENCE }),
    wycheproofSchema("MessageDecode", {}, { message: hex() }),
    TRACE_FILE,
  ),
);

const checkTraceFile = (json: unknown): CheckReport => {
  const file = json as { readonly traces: readonly Trace[] };
  return runCases(
    CHECK_CRYPTO.flatMap((crypto) => file.traces.map((trace) => ({ crypto, trace }))),
    ({ crypto, trace }) => `trace ${trace.name} (${crypto.implementation})`,
    ({ crypto, trace }) => replayTrace(trace, crypto),
  );
};

const CHECKERS: Record<string, (json: unknown) => CheckReport> = {
  [`${DIR}certificate_test.json`]: checkCertificateFile,
  [`${DIR}evidence_test.json`]: checkEvidenceFile,
  [`${DIR}message_decode_test.json`]: checkMessageFile,
  [`${DIR}step_traces.json`]: checkTraceFile,
};

export const consensusFamily: VectorFamily = {
  name: "consensus",
  owns: (path) => path in CHECKERS,
  schemaFile: SCHEMA_FILE,
  schema: consensusSchema,
  generate: buildFiles,
  expectsFiles: true,
  check: (path, json) => CHECKERS[path]?.(json) ?? { cases: 0, failures: [`no checker for ${path}`] },
};
