/**
 * The SHA-256 behind taggedHash (spec/hashing.md [HASH-1]): noble's by default, OpenSSL's once src/node.ts
 * is loaded. Both settings must give the same bytes as an independent oracle on every input; a backend
 * failing the known answers is refused; one that passes them but is wrong elsewhere is caught by the
 * agreement property (negative control).
 */
import { createHash } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { bytesEqual, concatBytes } from "../src/crypto/bytes.js";
import { type Sha256, taggedHash, useSha256Backend } from "../src/crypto/hash.js";
import { nodeSha256 } from "../src/node.js";
import { failsOn, holds } from "./check.js";

const oracle = (tag: string, parts: readonly Uint8Array[]): Uint8Array => {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(Buffer.byteLength(tag));
  const h = createHash("sha256").update(prefix).update(tag);
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

/** taggedHash computed with `impl` installed; the previous backend is restored. */
const taggedWith = (impl: Sha256, tag: string, parts: readonly Uint8Array[]): Uint8Array => {
  const previous = useSha256Backend(impl);
  try {
    return taggedHash(tag, ...parts);
  } finally {
    useSha256Backend(previous);
  }
};

const tagArb = fc.string({ minLength: 0, maxLength: 24, unit: "grapheme-ascii" });
// up to 300 bytes in up to 3 parts: one- to six-block messages, and the 55/56/64-byte padding edges
const partsArb = fc.array(fc.uint8Array({ maxLength: 100, size: "max" }), { maxLength: 3 });

/** The property: with `impl` installed, taggedHash equals both noble's setting and the oracle. */
const agrees = (impl: Sha256) =>
  fc.property(tagArb, partsArb, (tag, parts) => {
    const expected = oracle(tag, parts);
    return bytesEqual(taggedWith(impl, tag, parts), expected) && bytesEqual(taggedWith(sha256, tag, parts), expected);
  });

describe("the SHA-256 behind taggedHash", () => {
  const original = useSha256Backend(sha256);
  afterEach(() => {
    useSha256Backend(original);
  });

  it("[HASH-1] loading src/node.ts installs OpenSSL's SHA-256", () => {
    expect(original).toBe(nodeSha256);
  });

  it("[HASH-1] noble's and node's SHA-256 give taggedHash the same bytes as the oracle", () => {
    holds("node and noble tagged hashes agree", agrees(nodeSha256), { numRuns: 300 });
  });

  it("[HASH-1] negative control: a backend wrong only past one block passes the known answers but is caught", () => {
    const wrongPastOneBlock: Sha256 = (data) =>
      data.length > 64 ? sha256(concatBytes(data, new Uint8Array([0]))) : sha256(data);
    expect(() => useSha256Backend(wrongPastOneBlock)).not.toThrow();
    const found = failsOn("a backend wrong past one block", agrees(wrongPastOneBlock));
    const [tag, parts] = found.value;
    // shrunk to the first message past one block: 4 + |tag| + Σ|part| = 65
    expect(4 + tag.length + parts.reduce((n, p) => n + p.length, 0)).toBe(65);
  });

  it("[HASH-1] a backend that fails a known answer is refused and the installed one stays", () => {
    const zeros: Sha256 = () => new Uint8Array(32);
    expect(() => useSha256Backend(zeros)).toThrow(RangeError);
    const data = new Uint8Array([1, 2, 3]);
    expect(bytesEqual(taggedHash("T", data), oracle("T", [data]))).toBe(true);
  });
});
