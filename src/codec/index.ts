/**
 * Canonical binary encoding (spec/encoding.md).
 * @module
 */
export * from "./errors.js";
export * from "./fields.js";
export * from "./reader.js";
export * from "./writer.js";
