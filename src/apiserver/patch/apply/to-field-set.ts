/**
 * The set of fields a value sets, as structured-merge-diff's ToFieldSet: every leaf, every item
 * of a granular list, every map entry, and every field whose value is null or an empty object.
 * Struct fields with content are not members themselves (their leaves are).
 */
import { fieldElement, type PathElement } from "../fieldpath/element.js";
import { FieldSet } from "../fieldpath/set.js";
import { isObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { childOf, indexItems, nodeKind } from "./typed.js";

export function toFieldSet(r: SchemaResolver, shape: Shape, value: unknown): FieldSet {
  const set = new FieldSet();
  walk(r, shape, value, [], set);
  return set;
}

function walk(r: SchemaResolver, shape: Shape, v: unknown, path: PathElement[], set: FieldSet): void {
  const kind = nodeKind(shape, v);
  if (kind === "leaf") return set.insert(path);
  if (kind === "fields") {
    const obj = v as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const child = childOf(r, shape, key);
      const childPath = [...path, fieldElement(key)];
      const cv = obj[key];
      walk(r, child.shape, cv, childPath, set);
      if (cv === null || (isObject(cv) && Object.keys(cv).length === 0) || !child.declared) set.insert(childPath);
    }
    return;
  }
  const itemShape = r.shape(shape.items);
  const indexed = indexItems(r, shape, v as unknown[], false);
  for (const pe of indexed.order) {
    const itemPath = [...path, pe];
    walk(r, itemShape, indexed.items.get(pe), itemPath, set);
    set.insert(itemPath);
  }
}
