/**
 * Compare two versions of an object field by field: which paths were added, modified or
 * removed. Leaves (and empty containers) compare by value; containers recurse. A container that
 * appears or disappears is itself added/removed, except where upstream's typed objects always
 * have it (a non-pointer struct field, or a field listed as required): there only its content
 * counts, which reproduces upstream's FieldsV1 shapes (no "." under f:spec, "." under f:labels).
 */
import { fieldElement, type PathElement } from "../fieldpath/element.js";
import { FieldSet } from "../fieldpath/set.js";
import { deepEqual, getOwn, isObject } from "../json.js";
import type { SchemaResolver, Shape } from "../schema.js";
import { childOf, indexItems, nodeKind } from "./typed.js";

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(r: SchemaResolver, shape: Shape, lhs: unknown, rhs: unknown): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(r, c, shape, lhs, rhs, [], false);
  return c;
}

function isEmptyContainer(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function walk(r: SchemaResolver, c: Comparison, shape: Shape, l: unknown, rv: unknown, path: PathElement[], markable: boolean): void {
  if (l === undefined && rv === undefined) return;
  const lk = l === undefined ? undefined : nodeKind(shape, l);
  const rk = rv === undefined ? undefined : nodeKind(shape, rv);
  const kind = lk ?? rk;
  const sameKind = lk === undefined || rk === undefined || lk === rk;
  if (kind === "leaf" || !sameKind || (isEmptyContainer(l) && isEmptyContainer(rv))) {
    if (l === undefined) c.added.insert(path);
    else if (rv === undefined) c.removed.insert(path);
    else if (!deepEqual(l, rv)) c.modified.insert(path);
    return;
  }
  if (kind === "fields") {
    const lo = (l ?? {}) as Record<string, unknown>;
    const ro = (rv ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
      const child = childOf(r, shape, key);
      const alwaysPresent = child.declared && ((child.shape.kind === "struct" && !child.shape.atomic) || shape.required.has(key));
      walk(r, c, child.shape, getOwn(lo, key), getOwn(ro, key), [...path, fieldElement(key)], !alwaysPresent);
    }
  } else {
    const itemShape = r.shape(shape.items);
    const li = indexItems(r, shape, (l ?? []) as unknown[], false);
    const ri = indexItems(r, shape, (rv ?? []) as unknown[], false);
    for (const pe of new Set([...li.order, ...ri.order])) {
      walk(r, c, itemShape, li.items.get(pe), ri.items.get(pe), [...path, pe], true);
    }
  }
  if (markable && path.length > 0) {
    if (l === undefined) c.added.insert(path);
    else if (rv === undefined) c.removed.insert(path);
  }
}
