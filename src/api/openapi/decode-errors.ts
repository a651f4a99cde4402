/**
 * decodeErrors(obj, schemaName): what upstream's JSON decoding into typed structs would reject
 * before any validation runs — a value of the wrong JSON type ("json: cannot unmarshal string
 * into Go struct field PodSpec.spec.containers of type []v1.Container") or an unparsable
 * quantity. Upstream answers these with 400 BadRequest, prefixed by the server with
 * `<Kind> in version "<v>" cannot be handled as a <Kind>: `. null is accepted anywhere, as Go
 * decodes it to the zero value.
 */
import type { Schema } from "../types.js";
import { REF_PREFIX } from "./dsl.js";
import { schemas } from "./schemas.js";
import { Quantity } from "../../lib/quantity.js";

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const MAX_ERRORS = 20;

export interface Named {
  schema: Schema;
  /** Upstream definition name when the node came from a $ref. */
  name?: string;
}

export function resolve(s: Schema): Named {
  let cur: Schema = s;
  let name: string | undefined;
  for (let i = 0; i < 8; i++) {
    if (cur.$ref?.startsWith(REF_PREFIX)) {
      name = cur.$ref.slice(REF_PREFIX.length);
      const next = schemas[name];
      if (!next) break;
      cur = next;
    } else if (cur.allOf && cur.allOf.length === 1 && !cur.type && !cur.properties) {
      cur = cur.allOf[0];
    } else break;
  }
  return { schema: cur, name };
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "object") return "object";
  return typeof v;
}

function shortName(name: string | undefined): string {
  return name ? (name.split(".").pop() ?? name) : "object";
}

/** Go-ish type name of a schema node, for the message. */
function goType(s: Schema, name?: string): string {
  if (name === QUANTITY) return "resource.Quantity";
  if (name === INT_OR_STRING) return "intstr.IntOrString";
  if (name && s.type === "object" && s.properties) return `v1.${shortName(name)}`;
  switch (s.type) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "integer":
      return s.format === "int32" ? "int32" : "int64";
    case "number":
      return "float64";
    case "array": {
      const inner = s.items ? resolve(s.items) : undefined;
      return `[]${inner ? goType(inner.schema, inner.name) : "interface {}"}`;
    }
    case "object":
      if (s.additionalProperties && typeof s.additionalProperties === "object") {
        const inner = resolve(s.additionalProperties);
        return `map[string]${goType(inner.schema, inner.name)}`;
      }
      return "map[string]interface {}";
    default:
      return "interface {}";
  }
}

/** Go's encoding/json error for a []byte field that is not standard base64. */
function base64Error(v: string): string | undefined {
  const clean = v.replace(/[\r\n]/g, "");
  const m = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.exec(clean);
  if (m) return undefined;
  let i = 0;
  while (i < clean.length && /[A-Za-z0-9+/]/.test(clean[i])) i++;
  if (i === clean.length) i = clean.length - (clean.length % 4);
  return `illegal base64 data at input byte ${i}`;
}

interface Walk {
  out: string[];
  /** The Go struct the current field belongs to. */
  struct: string;
}

function check(value: unknown, node: Schema, path: string, w: Walk): void {
  if (w.out.length >= MAX_ERRORS || value === null || value === undefined) return;
  const { schema: s, name } = resolve(node);
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.properties) return;
  const fail = (): void => {
    w.out.push(`json: cannot unmarshal ${jsonType(value)} into Go struct field ${w.struct}.${path} of type ${goType(s, name)}`);
  };
  if (name === QUANTITY) {
    if (typeof value !== "string" && typeof value !== "number") return fail();
    try {
      Quantity.parse(value);
    } catch (e) {
      w.out.push((e as Error).message);
    }
    return;
  }
  if (name === INT_OR_STRING || s["x-kubernetes-int-or-string"]) {
    if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value))) fail();
    return;
  }
  switch (s.type) {
    case "string":
      if (typeof value !== "string") return fail();
      if (s.format === "byte") {
        const bad = base64Error(value);
        if (bad) w.out.push(bad);
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") fail();
      return;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) fail();
      return;
    case "number":
      if (typeof value !== "number") fail();
      return;
    case "array":
      if (!Array.isArray(value)) return fail();
      if (s.items) value.forEach((v, i) => check(v, s.items as Schema, `${path}[${i}]`, w));
      return;
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return fail();
      const record = value as Record<string, unknown>;
      const inner: Walk = { out: w.out, struct: name && s.properties ? shortName(name) : w.struct };
      if (s.properties) {
        for (const [k, v] of Object.entries(record)) {
          const prop = s.properties[k];
          if (prop) check(v, prop, path ? `${path}.${k}` : k, inner);
        }
      } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
        for (const [k, v] of Object.entries(record)) check(v, s.additionalProperties, path ? `${path}.${k}` : k, inner);
      }
      return;
    }
  }
}

/**
 * Decoding errors of `obj` against the named schema, in document order (at most 20); [] when
 * the object decodes, or when the schema name is unknown. Unknown fields are not errors here
 * (see unknownFields).
 */
export function decodeErrors(obj: unknown, schemaName: string): string[] {
  if (!schemas[schemaName]) return [];
  const out: string[] = [];
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    return [`json: cannot unmarshal ${jsonType(obj)} into Go value of type v1.${shortName(schemaName)}`];
  }
  check(obj, { $ref: REF_PREFIX + schemaName }, "", { out, struct: shortName(schemaName) });
  return out;
}
