/**
 * Property test: any object that decodes (right JSON types per the schema) goes through
 * defaults, strategies, validation and printing without throwing, for every kind.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import type { KubeObject, Schema } from "./types.js";
import { resources, apiVersionOf } from "./registry.js";
import { schemas } from "./openapi/schemas.js";
import { decodeErrors } from "./openapi/decode-errors.js";
import { validateObjectMeta } from "./validation/validate-meta.js";
import { prepareMetaForUpdate } from "./validation/object-meta.js";
import { invalidError } from "./fields/invalid-error.js";

const REF = "#/components/schemas/";
const words = fc.constantFrom("", "a", "x-1", "Bad Name", "ReadWriteOnce", "Always", "5Gi", "-1", "..", "/abs", "efs.csi.aws.com", "In", "True");

function deref(s: Schema): { s: Schema; name?: string } {
  let name: string | undefined;
  let cur = s;
  for (let i = 0; i < 8; i++) {
    if (cur.$ref) {
      name = cur.$ref.slice(REF.length);
      cur = schemas[name];
    } else if (cur.allOf?.length === 1 && !cur.type) cur = cur.allOf[0];
    else break;
  }
  return { s: cur, name };
}

function arb(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const { s, name } = deref(schema);
  if (name === "io.k8s.apimachinery.pkg.api.resource.Quantity") return fc.constantFrom("1Gi", "0", "-5", "800E", "500m", 3);
  if (name === "io.k8s.apimachinery.pkg.util.intstr.IntOrString") return fc.oneof(fc.integer({ min: -1, max: 70000 }), words);
  if (s["x-kubernetes-preserve-unknown-fields"] && !s.properties) return fc.constant({});
  switch (s.type) {
    case "string":
      return s.enum ? fc.oneof(fc.constantFrom(...(s.enum as string[])), words) : s.format === "date-time" ? fc.constantFrom("2025-01-01T00:00:00Z") : words;
    case "integer":
      return fc.integer({ min: -5, max: 100000 });
    case "number":
      return fc.double({ noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return depth <= 0 ? fc.constant([]) : fc.array(arb(s.items ?? { type: "string" }, depth - 1), { maxLength: 2 });
    case "object":
      if (depth <= 0) return fc.constant({});
      if (s.properties) {
        const keys = Object.keys(s.properties);
        return fc.record(Object.fromEntries(keys.map((k) => [k, fc.option(arb((s.properties as Record<string, Schema>)[k], depth - 1), { nil: undefined, freq: 3 })])), {
          requiredKeys: [],
        });
      }
      if (s.additionalProperties && typeof s.additionalProperties === "object") return fc.dictionary(words, arb(s.additionalProperties, depth - 1), { maxKeys: 2 });
      return fc.constant({});
    default:
      return fc.constant(null);
  }
}

describe("every kind survives arbitrary decodable input", () => {
  for (const r of resources) {
    it(`${r.kind}: defaults, strategy, validation and printing never throw`, () => {
      fc.assert(
        fc.property(arb({ $ref: REF + r.schemaName }, 5), (raw) => {
          const obj = { ...(raw as Record<string, unknown>), apiVersion: apiVersionOf(r), kind: r.kind } as KubeObject;
          obj.metadata = { ...((obj.metadata as object) ?? {}), name: "x", namespace: r.namespaced ? "default" : undefined };
          if (decodeErrors(obj, r.schemaName).length > 0) return;
          const old = structuredClone(obj);
          const now = new Date("2025-01-01T00:00:00Z");
          r.applyDefaults(obj);
          r.prepareForCreate?.(obj, { now, subresource: "" });
          const errs = [...validateObjectMeta(obj, r), ...r.validateCreate(obj)];
          invalidError(r, "x", errs);
          r.tableRow(obj, now);
          for (const f of Object.values(r.fieldSelectors)) expect(typeof f(obj)).toBe("string");
          r.applyDefaults(old);
          for (const sub of ["", "status"]) {
            const next = structuredClone(obj);
            prepareMetaForUpdate(next.metadata, old.metadata);
            r.prepareForUpdate?.(next, old, { now, subresource: sub });
            r.validateUpdate(next, old, { now, subresource: sub });
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});
