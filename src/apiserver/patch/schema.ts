/**
 * Schema nodes (OpenAPI v3 with `$ref`, `allOf` and Kubernetes extensions) reduced to the one
 * question every merge here asks: what shape does this value have, and how do its parts merge?
 *
 * - struct: declared properties (plus optional additionalProperties / preserved unknown fields);
 * - map: only additionalProperties; keys are data (labels, annotations, resource lists);
 * - list: items, with a server-side-apply list type (atomic | set | map + keys) and strategic
 *   merge strategy/merge key;
 * - scalar: leaf;
 * - untyped: no schema (or x-kubernetes-preserve-unknown-fields without properties); the value
 *   itself decides, with lists atomic and objects granular, as structured-merge-diff deduces.
 *
 * List types follow upstream's conversion: x-kubernetes-list-type wins; otherwise a "merge"
 * patch strategy makes an associative list keyed by the merge key (a set without one);
 * otherwise the list is atomic.
 */
import type { Schema, SchemaRegistry } from "../../api/types.js";

export type ShapeKind = "struct" | "map" | "list" | "scalar" | "untyped";
export type ListType = "atomic" | "set" | "map";

export interface Shape {
  kind: ShapeKind;
  /** Replaced as a whole by apply (x-kubernetes-map-type / list-type atomic). */
  atomic: boolean;
  /** struct: declared properties. */
  fields: ReadonlyMap<string, Schema>;
  required: ReadonlySet<string>;
  /**
   * Schema for keys a struct does not declare, or a map's values: a Schema, "untyped" when
   * anything is accepted, undefined when undeclared keys are not allowed (struct only).
   */
  extra: Schema | "untyped" | undefined;
  /** list: item schema (undefined = untyped items). */
  items: Schema | undefined;
  listType: ListType;
  listKeys: readonly string[];
  /** Strategic merge: "merge", "replace", "retainKeys" (split from x-kubernetes-patch-strategy). */
  patchStrategies: readonly string[];
  mergeKey: string | undefined;
  scalarType: Schema["type"];
  intOrString: boolean;
  format: string | undefined;
  defaultValue: unknown;
}

export interface SchemaContext {
  schemas: SchemaRegistry;
  /** The object's schema: a `$ref` node, an inline node, or a definition name. */
  rootSchema: Schema | string;
}

const EMPTY_FIELDS: ReadonlyMap<string, Schema> = new Map();
const EMPTY_SET: ReadonlySet<string> = new Set();

function baseShape(kind: ShapeKind): Shape {
  return {
    kind, atomic: false, fields: EMPTY_FIELDS, required: EMPTY_SET, extra: "untyped", items: undefined,
    listType: "atomic", listKeys: [], patchStrategies: [], mergeKey: undefined, scalarType: undefined,
    intOrString: false, format: undefined, defaultValue: undefined,
  };
}

export const UNTYPED: Shape = Object.freeze(baseShape("untyped")) as Shape;

/** Resolves schema nodes to shapes, memoised per node. One per registry. */
export class SchemaResolver {
  private readonly shapes = new WeakMap<Schema, Shape>();
  private readonly roots = new Map<string, Schema>();

  constructor(private readonly registry: SchemaRegistry) {}

  /** The root shape for a context's rootSchema. */
  root(rootSchema: Schema | string): Shape {
    if (typeof rootSchema !== "string") return this.shape(rootSchema);
    let node = this.roots.get(rootSchema);
    if (!node) {
      node = { $ref: `#/components/schemas/${rootSchema}` };
      this.roots.set(rootSchema, node);
    }
    return this.shape(node);
  }

  shape(node: Schema | undefined): Shape {
    if (node === undefined) return UNTYPED;
    let s = this.shapes.get(node);
    if (!s) {
      s = this.build(this.flatten(node, new Set()));
      this.shapes.set(node, s);
    }
    return s;
  }

  /** The schema of a struct/map member; `declared` tells a struct field from an extra key. */
  member(shape: Shape, key: string): { schema: Schema | undefined; allowed: boolean; declared: boolean } {
    if (shape.kind === "struct") {
      const f = shape.fields.get(key);
      if (f) return { schema: f, allowed: true, declared: true };
    }
    if (shape.kind === "struct" || shape.kind === "map") {
      if (shape.extra === undefined) return { schema: undefined, allowed: false, declared: false };
      return { schema: shape.extra === "untyped" ? undefined : shape.extra, allowed: true, declared: false };
    }
    return { schema: undefined, allowed: true, declared: false };
  }

  /** Inline `$ref` and `allOf` chains; the referencing node's own keys win over the target's. */
  private flatten(node: Schema, seen: Set<string>): Schema {
    let merged: Schema = {};
    if (node.$ref !== undefined) {
      const name = node.$ref.slice(node.$ref.lastIndexOf("/") + 1);
      const target = this.registry[name];
      if (target && !seen.has(name)) {
        seen.add(name);
        merged = this.flatten(target, seen);
      }
    }
    for (const part of node.allOf ?? []) merged = combine(merged, this.flatten(part, seen));
    const own: Schema = { ...node };
    delete own.$ref;
    delete own.allOf;
    return combine(merged, own);
  }

  private build(n: Schema): Shape {
    const preserve = n["x-kubernetes-preserve-unknown-fields"] === true;
    const strategies = String(n["x-kubernetes-patch-strategy"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    let s: Shape;
    if (n["x-kubernetes-int-or-string"] === true) {
      s = { ...baseShape("scalar"), intOrString: true };
    } else if (n.type === "array" || n.items !== undefined) {
      s = this.listShape(n, strategies);
    } else if (hasKeys(n.properties) || (typeof n.additionalProperties === "object" && !preserve)) {
      s = this.objectShape(n, preserve);
    } else if (n.type === "object" || n.additionalProperties === true || preserve) {
      // No declared content: upstream deduces it (objects granular, lists atomic).
      s = { ...baseShape("untyped") };
    } else if (n.type !== undefined) {
      s = { ...baseShape("scalar"), scalarType: n.type, format: n.format };
    } else {
      s = { ...baseShape("untyped") };
    }
    s.patchStrategies = strategies;
    s.defaultValue = n.default;
    return s;
  }

  private listShape(n: Schema, strategies: string[]): Shape {
    const s = baseShape("list");
    s.items = n.items;
    s.mergeKey = typeof n["x-kubernetes-patch-merge-key"] === "string" ? n["x-kubernetes-patch-merge-key"] : undefined;
    const declared = n["x-kubernetes-list-type"];
    if (declared === "atomic" || declared === "set" || declared === "map") {
      s.listType = declared;
      s.listKeys = declared === "map" ? [...(n["x-kubernetes-list-map-keys"] ?? [])] : [];
    } else if (strategies.includes("merge")) {
      s.listType = s.mergeKey ? "map" : "set";
      s.listKeys = s.mergeKey ? [s.mergeKey] : [];
    }
    s.atomic = s.listType === "atomic";
    return s;
  }

  private objectShape(n: Schema, preserve: boolean): Shape {
    const props = n.properties ?? {};
    const hasProps = Object.keys(props).length > 0;
    const s = baseShape(hasProps ? "struct" : "map");
    s.fields = new Map(Object.entries(props));
    s.required = new Set(n.required ?? []);
    s.extra = typeof n.additionalProperties === "object" ? n.additionalProperties
      : n.additionalProperties === true || preserve ? "untyped" : undefined;
    s.atomic = n["x-kubernetes-map-type"] === "atomic";
    return s;
  }
}

function hasKeys(o: object | undefined): boolean {
  return o !== undefined && Object.keys(o).length > 0;
}

function combine(a: Schema, b: Schema): Schema {
  const out: Schema = { ...a, ...b };
  if (a.properties && b.properties) out.properties = { ...a.properties, ...b.properties };
  if (a.required && b.required) out.required = [...new Set([...a.required, ...b.required])];
  return out;
}

const resolvers = new WeakMap<SchemaRegistry, SchemaResolver>();

/** The shared resolver of a registry (shapes are cached across requests). */
export function resolverFor(registry: SchemaRegistry): SchemaResolver {
  let r = resolvers.get(registry);
  if (!r) {
    r = new SchemaResolver(registry);
    resolvers.set(registry, r);
  }
  return r;
}
