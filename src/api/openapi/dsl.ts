/**
 * A small vocabulary for writing the OpenAPI schemas: each helper returns a Schema node in
 * upstream's v3 shape (named sub-schemas referenced through `allOf: [{$ref}]` so a field can
 * carry its own description and default, as upstream's v3 documents do).
 */
import type { Schema } from "../types.js";

export const REF_PREFIX = "#/components/schemas/";

type Ext = Partial<Schema>;

export function str(description: string, ext: Ext = {}): Schema {
  return { type: "string", description, ...ext };
}

export function enumStr(description: string, values: string[], ext: Ext = {}): Schema {
  return { type: "string", description, enum: values, ...ext };
}

export function int32(description: string, ext: Ext = {}): Schema {
  return { type: "integer", format: "int32", description, ...ext };
}

export function int64(description: string, ext: Ext = {}): Schema {
  return { type: "integer", format: "int64", description, ...ext };
}

export function bool(description: string, ext: Ext = {}): Schema {
  return { type: "boolean", description, ...ext };
}

export function bytes(description: string): Schema {
  return { type: "string", format: "byte", description };
}

/** A field holding a named schema. */
export function ref(name: string, description: string, ext: Ext = {}): Schema {
  return { allOf: [{ $ref: REF_PREFIX + name }], description, ...ext };
}

export function arr(items: Schema, description: string, ext: Ext = {}): Schema {
  return { type: "array", items, description, ...ext };
}

/** A list of named schemas. */
export function arrOf(name: string, description: string, ext: Ext = {}): Schema {
  return arr({ $ref: REF_PREFIX + name, default: {} }, description, ext);
}

export function strings(description: string, ext: Ext = {}): Schema {
  return arr({ type: "string", default: "" }, description, ext);
}

export function map(values: Schema, description: string, ext: Ext = {}): Schema {
  return { type: "object", additionalProperties: values, description, ...ext };
}

export function stringMap(description: string, ext: Ext = {}): Schema {
  return map({ type: "string", default: "" }, description, ext);
}

/** ResourceList: resource name → Quantity. */
export function quantityMap(description: string): Schema {
  return map({ $ref: REF_PREFIX + "io.k8s.apimachinery.pkg.api.resource.Quantity" }, description);
}

export function obj(description: string, properties: Record<string, Schema>, required: string[] = [], ext: Ext = {}): Schema {
  const s: Schema = { type: "object", description, properties, ...ext };
  if (required.length > 0) s.required = required;
  return s;
}

/** A source we accept but do not implement: any object, kept as sent. */
export function opaque(description: string): Schema {
  return { type: "object", description, "x-kubernetes-preserve-unknown-fields": true };
}

/** List-type extensions used by strategic merge patch and server-side apply. */
export const atomic = { "x-kubernetes-list-type": "atomic" } as const;
export const set = { "x-kubernetes-list-type": "set" } as const;
export const atomicStruct = { "x-kubernetes-map-type": "atomic" } as const;
export const granularStruct = { "x-kubernetes-map-type": "granular" } as const;

/** A list merged by key: patch-merge-key, patch-strategy and the SSA list-map declaration. */
export function mergeByKey(keys: string[], strategy = "merge", patchKey = keys[0]): Ext {
  return {
    "x-kubernetes-patch-merge-key": patchKey,
    "x-kubernetes-patch-strategy": strategy,
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": keys,
  };
}

/** A list keyed for server-side apply only (no strategic-merge strategy). */
export function listMap(keys: string[]): Ext {
  return { "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": keys };
}

export function gvk(group: string, version: string, kind: string): Ext {
  return { "x-kubernetes-group-version-kind": [{ group, version, kind }] };
}

/** The standard top-level fields of a kind: apiVersion, kind, metadata, plus its own fields. */
export function kindSchema(description: string, group: string, version: string, kind: string, fields: Record<string, Schema>, required: string[] = []): Schema {
  return obj(
    description,
    {
      apiVersion: str("The versioned schema of this object, e.g. v1 or storage.k8s.io/v1."),
      kind: str("The kind of this object, in CamelCase."),
      metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Standard object metadata: name, namespace, labels, annotations…", { default: {} }),
      ...fields,
    },
    required,
    gvk(group, version, kind),
  );
}

export function listSchema(description: string, group: string, version: string, kind: string, itemSchema: string): Schema {
  return obj(
    description,
    {
      apiVersion: str("The versioned schema of this list."),
      items: arrOf(itemSchema, "The objects in the list."),
      kind: str("The kind of this list."),
      metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta", "List metadata: resourceVersion and continue token.", { default: {} }),
    },
    ["items"],
    gvk(group, version, `${kind}List`),
  );
}
