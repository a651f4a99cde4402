/**
 * Does a JSON value have the JSON type its shape needs? Only the checks Go's decoder would make
 * when turning the result into a typed object: structure (object / array / scalar) and scalar
 * kinds. Strings also accept numbers because upstream's Quantity is `type: string` in OpenAPI
 * yet decodes `storage: 5`; null is "absent" and always fits.
 */
import { isObject, isScalar, jsonTypeName } from "./json.js";
import type { Shape } from "./schema.js";

/** A description of the mismatch ("expected array, got string"), or undefined when it fits. */
export function typeMismatch(shape: Shape, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const got = jsonTypeName(v);
  switch (shape.kind) {
    case "struct":
    case "map":
      return isObject(v) ? undefined : `expected object, got ${got}`;
    case "list":
      return Array.isArray(v) ? undefined : `expected array, got ${got}`;
    case "scalar":
      return scalarMismatch(shape, v, got);
    default:
      return undefined;
  }
}

function scalarMismatch(shape: Shape, v: unknown, got: string): string | undefined {
  if (!isScalar(v)) return `expected scalar, got ${got}`;
  if (shape.intOrString) {
    return typeof v === "string" || Number.isInteger(v) ? undefined : `expected integer or string, got ${got}`;
  }
  switch (shape.scalarType) {
    case "string":
      return typeof v === "string" || typeof v === "number" ? undefined : `expected string, got ${got}`;
    case "integer":
      return Number.isInteger(v) ? undefined : `expected integer, got ${got}`;
    case "number":
      return typeof v === "number" ? undefined : `expected number, got ${got}`;
    case "boolean":
      return typeof v === "boolean" ? undefined : `expected boolean, got ${got}`;
    default:
      return undefined;
  }
}
