/**
 * `npm run vectors`: regenerates every vector file and schema from the fixed seed (spec/vectors.md, [VEC-6],
 * HASH-4). Running it twice gives the same bytes; CI checks that the committed files are exactly these.
 * Usage: tsx vectors/generate.ts [--out DIR]   (default: vectors/ itself)
 * @module
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { utf8ToBytes } from "../src/crypto/bytes.js";
import { TAGS, taggedHash } from "../src/crypto/hash.js";
import { FAMILIES } from "./families.js";
import { DATA_DIRS, SCHEMA_DIR, VECTORS_DIR, writeVector } from "./io.js";

/** The one seed every vector derives from. Changing it changes every file. */
export const VECTOR_SEED = utf8ToBytes("spchain-vectors-v1");

export const familySeed = (name: string): Uint8Array => taggedHash(TAGS.VECTOR_RNG, VECTOR_SEED, utf8ToBytes(name));

export const generateAll = (root: string): number => {
  for (const dir of DATA_DIRS) if (dir !== "regressions") rmSync(join(root, dir), { recursive: true, force: true });
  let files = 0;
  for (const family of FAMILIES) {
    writeVector(root, `${SCHEMA_DIR}/${family.schemaFile}`, family.schema);
    for (const file of family.generate(familySeed(family.name))) {
      if (!family.owns(file.path)) throw new Error(`${family.name} generated ${file.path}, which it does not own`);
      writeVector(root, file.path, file.json);
      files += 1;
    }
  }
  return files;
};

const main = (): void => {
  const outFlag = process.argv.indexOf("--out");
  const root = outFlag >= 0 ? (process.argv[outFlag + 1] ?? VECTORS_DIR) : VECTORS_DIR;
  const files = generateAll(root);
  console.log(`wrote ${files} vector files and ${FAMILIES.length} schemas under ${root}`);
};

if (process.argv[1]?.endsWith("generate.ts")) main();
