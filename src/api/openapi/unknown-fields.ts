/**
 * unknownFields(obj, schemaName): the fields of a JSON object its schema does not declare, as
 * upstream's strict decoding names them ("spec.foo", "spec.containers[0].foo"). Maps
 * (additionalProperties) accept any key; x-kubernetes-preserve-unknown-fields stops the walk.
 */
import type { Schema } from "../types.js";
import { resolveRef, schemas } from "./schemas.js";

function deref(s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let depth = 0; cur && depth < 8; depth++) {
    if (cur.$ref) cur = resolveRef(cur.$ref);
    else if (cur.allOf && cur.allOf.length === 1 && !cur.properties && !cur.items && !cur.additionalProperties) cur = cur.allOf[0];
    else return cur;
  }
  return cur;
}

function walk(value: unknown, schema: Schema | undefined, path: string, out: string[]): void {
  const s = deref(schema);
  if (!s || s["x-kubernetes-preserve-unknown-fields"]) return;
  if (Array.isArray(value)) {
    if (s.items) value.forEach((v, i) => walk(v, s.items, `${path}[${i}]`, out));
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (s.properties) {
    for (const [k, v] of Object.entries(record)) {
      const child = path ? `${path}.${k}` : k;
      const prop = s.properties[k];
      if (!prop) {
        out.push(child);
        continue;
      }
      walk(v, prop, child, out);
    }
    return;
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    for (const [k, v] of Object.entries(record)) walk(v, s.additionalProperties, path ? `${path}.${k}` : k, out);
  }
}

/** Paths of undeclared fields, in document order; [] when the schema name is unknown. */
export function unknownFields(obj: unknown, schemaName: string): string[] {
  const out: string[] = [];
  if (!schemas[schemaName]) return out;
  walk(obj, { $ref: `#/components/schemas/${schemaName}` }, "", out);
  return out;
}
