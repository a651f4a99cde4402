/**
 * normalizeNulls(obj, schemaName): what Go's JSON decoding does with `null` before anything else
 * sees the object — a null struct field is the field's zero value (absent once re-encoded with
 * omitempty), a null list element or map value becomes the element type's zero value (`{}`, "",
 * 0, false; "0" for a Quantity). Applied in place after decodeErrors, so validation, defaulting
 * and storage never meet a null where upstream would have a value.
 */
import type { Schema } from "../types.js";
import { schemas } from "./schemas.js";
import { resolve } from "./decode-errors.js";

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

function zeroValue(node: Schema): unknown {
  const { schema: s, name } = resolve(node);
  if (name === QUANTITY) return "0";
  if (name === INT_OR_STRING || s["x-kubernetes-int-or-string"]) return 0;
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.properties) return null;
  switch (s.type) {
    case "string":
      return "";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}

function walk(value: unknown, node: Schema, depth: number): void {
  if (depth > 100 || value === null || typeof value !== "object") return;
  const { schema: s } = resolve(node);
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.properties) return;
  if (Array.isArray(value)) {
    if (s.type !== "array" || !s.items) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null) value[i] = zeroValue(s.items);
      else walk(value[i], s.items, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  if (s.properties) {
    for (const k of Object.keys(record)) {
      const prop = s.properties[k];
      if (!prop) continue;
      if (record[k] === null) delete record[k];
      else walk(record[k], prop, depth + 1);
    }
  } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
    const inner = s.additionalProperties;
    for (const k of Object.keys(record)) {
      if (record[k] === null) record[k] = zeroValue(inner);
      else walk(record[k], inner, depth + 1);
    }
  }
}

export function normalizeNulls(obj: unknown, schemaName: string): void {
  const root = schemas[schemaName];
  if (root) walk(obj, root, 0);
}
