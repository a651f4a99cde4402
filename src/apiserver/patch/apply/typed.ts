/**
 * How server-side apply sees a value through its schema: a leaf (scalars, atomic maps/lists,
 * type mismatches, untyped lists), a node with named children (structs, granular maps, untyped
 * objects) or a granular list whose items are identified by key (`map` lists) or value (`set`).
 */
import { UNTYPED, type SchemaResolver, type Shape } from "../schema.js";
import { getOwn, isObject, isScalar } from "../json.js";
import { indexElement, keyElement, renderElement, valueElement, type PathElement } from "../fieldpath/element.js";

export type NodeKind = "leaf" | "fields" | "list";

export function nodeKind(shape: Shape, v: unknown): NodeKind {
  if (shape.atomic || v === null || v === undefined) return "leaf";
  switch (shape.kind) {
    case "struct":
    case "map":
    case "untyped":
      return isObject(v) ? "fields" : "leaf";
    case "list":
      return Array.isArray(v) ? "list" : "leaf";
    default:
      return "leaf";
  }
}

/** Shape of a named child; `declared` separates struct fields from map entries. */
export function childOf(r: SchemaResolver, shape: Shape, key: string): { shape: Shape; declared: boolean; allowed: boolean } {
  if (shape.kind === "untyped") return { shape: UNTYPED, declared: false, allowed: true };
  const m = r.member(shape, key);
  return { shape: r.shape(m.schema), declared: m.declared, allowed: m.allowed };
}

/** Shape below a path element (a field, or an item of a list). */
export function shapeBelow(r: SchemaResolver, shape: Shape, pe: PathElement): Shape {
  if (pe.startsWith("f:")) return childOf(r, shape, pe.slice(2)).shape;
  return shape.kind === "list" ? r.shape(shape.items) : UNTYPED;
}

export interface IndexedItems {
  order: PathElement[];
  items: Map<PathElement, unknown>;
  errors: string[];
}

/**
 * Identify the items of a granular list. Strict mode (applied configurations) reports missing
 * keys and duplicates with upstream's wording; lenient mode (stored objects) falls back to the
 * item's position and keeps the first of duplicates.
 */
export function indexItems(r: SchemaResolver, shape: Shape, list: readonly unknown[], strict: boolean): IndexedItems {
  const out: IndexedItems = { order: [], items: new Map(), errors: [] };
  const itemShape = r.shape(shape.items);
  list.forEach((item, i) => {
    const id = itemElement(r, shape, itemShape, item, i);
    if (typeof id !== "string" && strict) return void out.errors.push(id.error);
    const pe = typeof id === "string" ? id : indexElement(i);
    if (out.items.has(pe)) {
      if (strict) out.errors.push(`duplicate entries for key ${renderElement(pe)}`);
      return;
    }
    out.order.push(pe);
    out.items.set(pe, item);
  });
  return out;
}

function itemElement(r: SchemaResolver, list: Shape, itemShape: Shape, item: unknown, i: number): PathElement | { error: string } {
  if (list.listType === "set") {
    if (!isScalar(item)) return { error: `element ${i}: associative list without keys has an element that's a map type` };
    return valueElement(item);
  }
  if (!isObject(item)) return { error: `element ${i}: associative list with keys has an element that is not a map` };
  const key: Record<string, unknown> = {};
  for (const k of list.listKeys) {
    let v = getOwn(item, k);
    if (v === undefined || v === null) v = childOf(r, itemShape, k).shape.defaultValue;
    if (v === undefined) return { error: `element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)` };
    key[k] = v;
  }
  return list.listKeys.length > 0 ? keyElement(key) : indexElement(i);
}
