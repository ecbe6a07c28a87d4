/**
 * The consensus vectors [BFT-19] and the protocol on real Ed25519 [BFT-1] [BFT-5]: the committed files
 * are exactly what the generator writes, every case replays with both Crypto implementations, a
 * tampered trace is rejected, and a simulated group signing with Ed25519 (noble, then node:crypto)
 * decides the same values with the same certificates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Result } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agreementViolations,
  certificateViolations,
  livenessViolations,
  type Scenario,
  simulate,
} from "../model/consensus-sim.js";
import { verifyPinCertificate } from "../src/consensus/index.js";
import { bytesToHex } from "../src/crypto/bytes.js";
import { nobleCrypto } from "../src/crypto/signature.js";
import { nodeCrypto } from "../src/node.js";
import { consensusFamily } from "../vectors/gen/consensus.js";
import { familySeed } from "../vectors/generate.js";
import { stableJson, VECTORS_DIR } from "../vectors/io.js";
import { failsOn, holds } from "./check.js";
import { scenarioArb } from "./consensus-arbitraries.js";

const files = consensusFamily.generate(familySeed("consensus"));

describe("consensus vectors", () => {
  it("[BFT-19] the committed vectors are what the generator writes, and every case replays", () => {
    expect(files.map((f) => f.path).sort()).toEqual([
      "consensus/certificate_test.json",
      "consensus/evidence_test.json",
      "consensus/message_decode_test.json",
      "consensus/step_traces.json",
    ]);
    for (const file of files) {
      expect(readFileSync(join(VECTORS_DIR, file.path), "utf8")).toBe(stableJson(file.json));
      const report = consensusFamily.check(file.path, JSON.parse(stableJson(file.json)));
      expect(report.failures).toEqual([]);
      expect(report.cases).toBeGreaterThan(0);
    }
  });

  it("[BFT-19] negative control: a trace with one output byte changed, or a flipped expected result, is rejected", () => {
    const traces = files.find((f) => f.path.endsWith("step_traces.json"));
    const certificates = files.find((f) => f.path.endsWith("certificate_test.json"));
    if (traces === undefined || certificates === undefined) throw new Error("missing files");
    const text = stableJson(traces.json);
    const found = failsOn(
      "tampered trace",
      fc.property(fc.nat(), (at) => {
        // flip one hex digit inside some "broadcast" output
        const positions = [...text.matchAll(/"broadcast": "([0-9a-f]+)"/g)].map((m) => (m.index ?? 0) + 14 + (at % 40));
        const pos = positions[at % positions.length] ?? 0;
        const flipped = `${text.slice(0, pos)}${text[pos] === "0" ? "1" : "0"}${text.slice(pos + 1)}`;
        return consensusFamily.check(traces.path, JSON.parse(flipped)).failures.length === 0;
      }),
      20,
    );
    expect(found.value[0]).toBeGreaterThanOrEqual(0);
    const flippedResult = JSON.parse(stableJson(certificates.json).replace('"result": "valid"', '"result": "invalid"'));
    // one failure per Crypto implementation the checker replays with (noble, node:crypto)
    expect(consensusFamily.check(certificates.path, flippedResult).failures.length).toBe(2);
  });
});

describe("consensus on Ed25519", () => {
  const ed = (crypto: typeof nobleCrypto) => ({ scheme: crypto, publicKey: (sk: Uint8Array) => crypto.publicKey(sk) });
  const fingerprint = (scenario: Scenario, crypto: typeof nobleCrypto) => {
    const report = simulate(scenario, { crypto: ed(crypto) });
    const problems = [...agreementViolations(report), ...certificateViolations(report), ...livenessViolations(report)];
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return [...report.deliveries]
      .sort(([a], [b]) => a - b)
      .map(([m, list]) => `${m}:${list.map((d) => `${d.instance}=${bytesToHex(d.certificate.value_hash)}`).join(",")}`)
      .join(" ");
  };

  it("[BFT-1] [BFT-5] a group signing with Ed25519 decides, with certificates that verify, identically on noble and node:crypto", () => {
    const arb = scenarioArb({
      maxMembers: 4,
      maxGstMs: 200,
      maxRequests: 2,
      strategies: ["silent", "noisy"],
      maxNoise: 20,
    });
    holds(
      "consensus ed25519",
      fc.property(arb, (scenario) => fingerprint(scenario, nobleCrypto) === fingerprint(scenario, nodeCrypto)),
      { numRuns: 3 },
    );
  });

  it("[BFT-5] negative control: a certificate of the ideal test scheme does not verify under Ed25519", () => {
    const scenario = fc.sample(scenarioArb({ maxMembers: 4, maxGstMs: 0, maxRequests: 1, minByzantine: 0 }), {
      numRuns: 1,
      seed: 5,
    })[0];
    if (scenario === undefined) throw new Error("no scenario");
    const ideal = simulate(scenario);
    const delivery = [...ideal.deliveries.values()][0]?.[0];
    if (delivery === undefined) throw new Error("nothing decided");
    const edReport = simulate(scenario, { crypto: ed(nobleCrypto) });
    const verified = verifyPinCertificate(edReport.group, nobleCrypto, {
      ...delivery.certificate,
      group: edReport.group.id,
    });
    expect(Result.isFailure(verified) && verified.failure.reason).toBe("BadSignature");
  });
});
