/**
 * [VEC-4] A small builder for the JSON Schemas (draft 2020-12) that describe every vector file. Objects are
 * closed (`additionalProperties: false`) so a file with a misspelt or unknown field fails validation.
 * @module
 */
export type JsonSchema = { readonly [key: string]: unknown };

export const DIALECT = "https://json-schema.org/draft/2020-12/schema";

export const str = (): JsonSchema => ({ type: "string" });
export const bool = (): JsonSchema => ({ type: "boolean" });
export const int = (minimum = 0): JsonSchema => ({ type: "integer", minimum });
export const num = (): JsonSchema => ({ type: "number" });
export const lit = (...values: readonly (string | number | boolean)[]): JsonSchema => ({ enum: [...values] });
/** Lowercase hex without 0x; `bytes` fixes the decoded length. */
export const hex = (bytes?: number): JsonSchema =>
  bytes === undefined
    ? { type: "string", pattern: "^([0-9a-f]{2})*$" }
    : { type: "string", pattern: `^[0-9a-f]{${2 * bytes}}$` };
export const arr = (items: JsonSchema, minItems = 0): JsonSchema => ({ type: "array", items, minItems });
export const oneOf = (...options: JsonSchema[]): JsonSchema => ({ oneOf: options });
export const nullable = (inner: JsonSchema): JsonSchema => ({ oneOf: [{ type: "null" }, inner] });
export const record = (values: JsonSchema): JsonSchema => ({ type: "object", additionalProperties: values });

/** A closed object; keys ending in `?` are optional. */
export const obj = (properties: Record<string, JsonSchema>): JsonSchema => {
  const props: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, schema] of Object.entries(properties)) {
    const optional = key.endsWith("?");
    const name = optional ? key.slice(0, -1) : key;
    props[name] = schema;
    if (!optional) required.push(name);
  }
  return { type: "object", properties: props, required, additionalProperties: false };
};

/** A whole schema document with its identifier and description. */
export const documentSchema = (id: string, description: string, root: JsonSchema): JsonSchema => ({
  $schema: DIALECT,
  $id: id,
  description,
  ...root,
});
